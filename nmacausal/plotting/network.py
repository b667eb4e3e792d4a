"""Figures of the tutorial: the network, its connectivity and its activity.

Two layers. The figure functions (:func:`see_neurons`,
:func:`plot_connectivity_matrix`, :func:`plot_connectivity_graph_matrix`,
:func:`plot_neural_activity`, :func:`plot_true_vs_estimated_connectivity`)
validate their input, draw, and return what they drew on: the ``Axes`` when
they draw on one axes (given or new), the ``Figure`` when they lay out several.
They call ``plt.show()`` only when ``show=True``.

They are built from small drawing pieces that other displays reuse
(:mod:`nmacausal.widgets` animates them): :func:`circle_positions`,
:func:`draw_network` and :func:`draw_connectivity_image` draw into a given
``Axes`` and return their artists, so a caller can update their data later.

Tutorial 3 observes only some of the neurons: the first ``n_observed``, by
its convention. :func:`see_neurons` with ``n_observed`` colours them red and
the others blue, with a legend; :func:`observed_node_colors` gives those
colours to a caller that recolours the nodes itself.

Orientation throughout: ``A[i, j]`` is the effect of neuron ``j`` on neuron
``i``, so an arrow goes from ``j`` (the cause) to ``i`` (the effect), and a
connectivity image has "from" on the x axis and "to" on the y axis.
pyplot is imported only by the functions that create a figure or show one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import EllipseCollection, LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.ticker import MaxNLocator

from .._validation import check_activity, check_connectivity, check_float_array, check_integer

__all__ = [
    "NetworkArtists",
    "circle_positions",
    "draw_connectivity_image",
    "draw_network",
    "observed_node_colors",
    "plot_connectivity_graph_matrix",
    "plot_connectivity_matrix",
    "plot_neural_activity",
    "plot_true_vs_estimated_connectivity",
    "see_neurons",
    "symmetric_color_limit",
]

EXCITATORY_COLOR = "black"
INHIBITORY_COLOR = "tab:blue"
CONNECTIVITY_CMAP = "coolwarm"
OBSERVED_COLOR = "tab:red"
UNOBSERVED_COLOR = "tab:blue"
OBSERVED_EDGE_OPACITY = 0.35
ACTIVITY_CMAP = "viridis"

# Index of the arrow tip among the 7 vertices of an arrow polygon (see _arrow_polygons).
ARROW_TIP = 3


# --- Drawing pieces ---------------------------------------------------------------------


def circle_positions(n_neurons):
    """Positions of ``n_neurons`` nodes evenly spaced on the unit circle.

    Node 0 sits at the top and the numbering runs clockwise, like a clock face.

    Parameters
    ----------
    n_neurons : int
        Number of nodes, at least 1.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, 2)
        Row ``i`` holds the (x, y) position of node ``i``.

    Raises
    ------
    TypeError, ValueError
        If ``n_neurons`` is not an integer >= 1.

    Examples
    --------
    >>> circle_positions(4).round(3) + 0.0
    array([[ 0.,  1.],
           [ 1.,  0.],
           [ 0., -1.],
           [-1.,  0.]])
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n_neurons) / n_neurons
    return np.column_stack([np.cos(angles), np.sin(angles)])


@dataclass(frozen=True)
class NetworkArtists:
    """The artists :func:`draw_network` added to an axes, with what each one shows.

    Attributes
    ----------
    nodes : matplotlib.collections.EllipseCollection
        One disc per neuron, in neuron order. Update their colours with
        ``nodes.set_array(values)`` when they were drawn with ``node_values``.
    arrows : matplotlib.collections.PolyCollection
        One arrow polygon per connection between two different neurons;
        vertex ``ARROW_TIP`` of each polygon is its tip.
    edges : numpy.ndarray of shape (n_arrows, 2)
        ``(source, target)`` of each arrow, in the order of ``arrows``:
        ``A[target, source]`` is the connection it shows.
    self_loops : matplotlib.collections.LineCollection
        One loop per neuron that acts on itself.
    looped_neurons : numpy.ndarray of shape (n_loops,)
        The neuron of each loop, in the order of ``self_loops``.
    positions : numpy.ndarray of shape (n_neurons, 2)
        Node centres, in data coordinates.
    node_radius : float
        Node radius, in data coordinates.
    labels : tuple of matplotlib.text.Annotation
        The neuron numbers written beside the nodes (empty when not asked for);
        each one's text is its neuron's index.
    """

    nodes: EllipseCollection
    arrows: PolyCollection
    edges: np.ndarray
    self_loops: LineCollection
    looped_neurons: np.ndarray
    positions: np.ndarray
    node_radius: float
    labels: tuple = ()


def draw_network(
    ax,
    A,
    *,
    node_values=None,
    cmap=ACTIVITY_CMAP,
    vmin=0.0,
    vmax=1.0,
    edge_opacity=1.0,
    node_colors=None,
    connections=True,
    label_every=None,
    label_size=8.0,
):
    """Draw the network of ``A`` on a circle, with arrows from cause to effect.

    Every nonzero ``A[i, j]`` with ``i != j`` becomes an arrow from node ``j``
    to node ``i``; a nonzero ``A[i, i]`` becomes a loop on node ``i``. Opacity
    and width grow with ``|A[i, j]|`` relative to the largest ``|A|``;
    positive effects are black, negative ones blue. Opposite arrows between
    the same two nodes sit side by side rather than on top of each other.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw. Its aspect is set to equal and its frame turned off.
    A : array_like of shape (n_neurons, n_neurons)
        Connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    node_values : array_like of shape (n_neurons,), optional
        Values that colour the nodes through ``cmap`` (for example each
        neuron's activity). By default the nodes are black.
    cmap : str or matplotlib.colors.Colormap, default="viridis"
        Colormap for ``node_values``.
    vmin, vmax : float, default=0.0 and 1.0
        The values mapped to the ends of ``cmap``.
    edge_opacity : float, default=1.0
        Opacity of the strongest connection (weaker ones are fainter in
        proportion); lower it to keep the nodes of a dense network visible.
    node_colors : sequence of colors, optional
        One Matplotlib colour per neuron (for example from
        :func:`observed_node_colors`), instead of ``node_values``.
    connections : bool, default=True
        Draw the arrows and loops; with False only the nodes are drawn (the
        returned ``arrows`` and ``self_loops`` are then empty).
    label_every : int, optional
        Write the number of neurons 0, ``label_every``, 2 * ``label_every``, ...
        just outside their nodes (beyond their loops), in dark grey on the
        background, so that the numbers stay readable whatever the nodes'
        colours and match the rows and columns of a connectivity image. By
        default no numbers are written.
    label_size : float, default=8.0
        Font size of the numbers, in points.

    Returns
    -------
    NetworkArtists
        The artists drawn and what each one shows.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square matrix, ``node_values`` is not a
        finite vector with one value per neuron, ``node_colors`` does not
        hold one colour per neuron, or both are given.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> drawn = draw_network(ax, [[0.0, 0.5], [0.0, 0.0]])
    >>> drawn.edges.tolist()  # one arrow, from neuron 1 to neuron 0
    [[1, 0]]
    >>> [label.get_text() for label in draw_network(ax, np.zeros((3, 3)), label_every=1).labels]
    ['0', '1', '2']
    """
    A = check_connectivity(A)
    n_neurons = A.shape[0]
    if label_every is not None:
        label_every = check_integer(label_every, "label_every", minimum=1)
    if node_colors is not None:
        if node_values is not None:
            raise ValueError("Give `node_values` or `node_colors`, not both.")
        node_colors = _check_node_colors(node_colors, n_neurons)
    positions = circle_positions(n_neurons)
    node_radius = _node_radius(n_neurons)

    largest = np.abs(A).max()
    strength = np.abs(A) / largest if largest > 0 else np.zeros_like(A)
    off_diagonal = ~np.eye(n_neurons, dtype=bool)
    drawn = A != 0 if connections else np.zeros(A.shape, dtype=bool)
    targets, sources = np.nonzero(drawn & off_diagonal)
    edges = np.column_stack([sources, targets])
    edge_strength = strength[targets, sources]
    polygons = _arrow_polygons(
        positions[sources], positions[targets], edge_strength, node_radius=node_radius
    )
    arrows = PolyCollection(
        polygons,
        facecolors=_signed_colors(A[targets, sources], edge_opacity * edge_strength),
        linewidths=0,
        zorder=1,
    )
    ax.add_collection(arrows)

    looped_neurons = np.flatnonzero(np.diag(drawn))
    loop_strength = strength[looped_neurons, looped_neurons]
    self_loops = LineCollection(
        _loop_curves(positions[looped_neurons], node_radius),
        colors=_signed_colors(A[looped_neurons, looped_neurons], edge_opacity * loop_strength),
        linewidths=0.5 + 2.0 * loop_strength,
        zorder=1,
    )
    ax.add_collection(self_loops)

    nodes = EllipseCollection(
        widths=2 * node_radius,
        heights=2 * node_radius,
        angles=0,
        units="xy",
        offsets=positions,
        offset_transform=ax.transData,
        edgecolors="white",
        linewidths=0.8,
        zorder=2,
    )
    if node_colors is not None:
        nodes.set_facecolor(node_colors)
    elif node_values is None:
        nodes.set_facecolor(EXCITATORY_COLOR)
    else:
        node_values = check_float_array(node_values, "node_values", ndim=1)
        if node_values.shape != (n_neurons,):
            raise ValueError(
                f"`node_values` must have one value per neuron, shape ({n_neurons},), "
                f"got shape {node_values.shape}."
            )
        nodes.set_array(node_values)
        nodes.set_cmap(cmap)
        nodes.set_clim(vmin, vmax)
    ax.add_collection(nodes)

    labels = ()
    if label_every is not None:
        # Beyond 2 radii from the centre, where a loop ends: every number at the same
        # distance, clear of a loop and of a ring a caller may draw around the node.
        labels = tuple(
            _label_node(ax, neuron, positions[neuron], 2.0 * node_radius, label_size)
            for neuron in range(0, n_neurons, label_every)
        )

    margin = 1 + 3.5 * node_radius
    ax.set_xlim(-margin, margin)
    ax.set_ylim(-margin, margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return NetworkArtists(
        nodes=nodes,
        arrows=arrows,
        edges=edges,
        self_loops=self_loops,
        looped_neurons=looped_neurons,
        positions=positions,
        node_radius=node_radius,
        labels=labels,
    )


def _label_node(ax, neuron, position, reach, fontsize):
    """Write ``neuron``'s number just outside its node at ``position`` (on the unit circle).

    The text sits on the line from the circle's centre through the node, at
    ``reach`` beyond the node's centre plus a gap in points, so it neither
    covers the node nor depends on the axes' size in pixels; the gap grows
    with the text's extent in the outward direction (wide numbers sideways,
    one line up or down).
    """
    outward = position / max(float(np.hypot(*position)), 1e-12)
    text = str(neuron)
    half_width, half_height = 0.32 * fontsize * len(text), 0.42 * fontsize
    gap = 1.5 + abs(outward[0]) * half_width + abs(outward[1]) * half_height
    return ax.annotate(
        text,
        xy=position + reach * outward,
        xytext=gap * outward,
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=fontsize,
        color="0.15",
    )


def observed_node_colors(n_neurons, n_observed):
    """The node colours of a partly observed network: observed red, unobserved blue.

    Tutorial 3's convention: the first ``n_observed`` neurons are the observed ones.

    Parameters
    ----------
    n_neurons : int
        Number of neurons, at least 1.
    n_observed : int
        Number of observed neurons, from 0 to ``n_neurons``.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, 4)
        RGBA colour of each node.

    Raises
    ------
    TypeError, ValueError
        If an argument is not an integer in its range.

    Examples
    --------
    >>> from matplotlib.colors import to_hex
    >>> [to_hex(color) for color in observed_node_colors(3, 2)]
    ['#d62728', '#d62728', '#1f77b4']
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
    n_observed = check_integer(n_observed, "n_observed", minimum=0, maximum=n_neurons)
    colors = np.empty((n_neurons, 4))
    colors[:n_observed] = to_rgba(OBSERVED_COLOR)
    colors[n_observed:] = to_rgba(UNOBSERVED_COLOR)
    return colors


def draw_connectivity_image(ax, connectivity, *, cmap=CONNECTIVITY_CMAP):
    """Show a connectivity matrix as an image whose colour scale is symmetric about 0.

    Zero maps to the middle of the diverging ``cmap``, and the colour limits
    are ``-m`` and ``m`` with ``m`` the largest ``|connectivity|`` (1 for an
    all-zero matrix), so positive and negative effects of equal size get
    equally strong colours. Columns are the cause ("from"), rows the effect ("to").

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    connectivity : array_like of shape (n_rows, n_columns)
        The matrix (square for a network, one column for a single neuron).
    cmap : str or matplotlib.colors.Colormap, default="coolwarm"
        A diverging colormap.

    Returns
    -------
    matplotlib.image.AxesImage
        The image; its data is the matrix.

    Raises
    ------
    TypeError, ValueError
        If ``connectivity`` is not a finite 2-D numeric array.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> image = draw_connectivity_image(Figure().add_subplot(), [[0.0, -2.0], [1.0, 0.0]])
    >>> image.get_clim()
    (-2.0, 2.0)
    """
    connectivity = check_float_array(connectivity, "connectivity", ndim=2)
    limit = symmetric_color_limit(connectivity)
    image = ax.imshow(connectivity, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_xlabel("Connectivity from")
    ax.set_ylabel("Connectivity to")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=8, integer=True))
    return image


def symmetric_color_limit(matrix):
    """The largest ``|matrix|``, or 1 when the matrix is all zeros (a colour scale needs a width).

    Parameters
    ----------
    matrix : numpy.ndarray
        Finite values.

    Returns
    -------
    float

    Examples
    --------
    >>> symmetric_color_limit(np.array([0.5, -3.0]))
    3.0
    """
    largest = float(np.abs(matrix).max())
    return largest if largest > 0 else 1.0


# --- The tutorial's figures --------------------------------------------------------------


def see_neurons(A, ax=None, *, n_observed=None, arrows=True, show=False):
    """Draw the network as nodes on a circle with arrows from cause to effect.

    Each nonzero ``A[i, j]`` is an arrow from neuron ``j`` to neuron ``i``
    (the tutorial's videos drew them the other way round); its opacity and
    width grow with the connection's strength. See :func:`draw_network`.

    With ``n_observed`` (Tutorial 3), the first ``n_observed`` neurons are
    drawn red ("Observed") and the others blue ("Unobserved"), a legend
    under the network says so, and the arrows are fainter (the strongest at
    opacity ``OBSERVED_EDGE_OPACITY``) so that the nodes' colours stand out.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        Connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    n_observed : int, optional
        How many neurons are observed, from 0 to ``n_neurons``; by default
        every node is black and there is no legend.
    arrows : bool, default=True
        Draw the connections; with False only the nodes.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square numeric matrix or ``n_observed`` is
        not an integer from 0 to ``n_neurons``.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> ax = see_neurons(create_connectivity(6))
    >>> ax = see_neurons(create_connectivity(6), n_observed=4)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['Observed', 'Unobserved']
    """
    A = check_connectivity(A)
    n_neurons = A.shape[0]
    node_colors = None
    if n_observed is not None:
        n_observed = check_integer(n_observed, "n_observed", minimum=0, maximum=n_neurons)
        node_colors = observed_node_colors(n_neurons, n_observed)
    ax = _axes_or_new(ax)
    draw_network(
        ax,
        A,
        node_colors=node_colors,
        connections=bool(arrows),
        edge_opacity=1.0 if n_observed is None else OBSERVED_EDGE_OPACITY,
    )
    if n_observed is not None:
        _add_observed_legend(ax)
    _show_if(show)
    return ax


def _add_observed_legend(ax, *, extra_handles=(), fontsize=9):
    """Add the legend of the observed (red) and unobserved (blue) nodes under ``ax``.

    Both entries always, so the legend does not change with the number
    observed; ``extra_handles`` follow them, one entry a row (the two alone
    share a row). Replaces any legend ``ax`` had. Returns the ``Legend``.
    """
    from matplotlib.lines import Line2D

    groups = [("Observed", OBSERVED_COLOR), ("Unobserved", UNOBSERVED_COLOR)]
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor=color,
            markeredgecolor=color,
            label=label,
        )
        for label, color in groups
    ]
    handles.extend(extra_handles)
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=2 if len(handles) == 2 else 1,
        fontsize=fontsize,
        frameon=False,
        handletextpad=0.3,
        columnspacing=1.2,
        borderaxespad=0.0,
    )


def plot_connectivity_matrix(A, ax=None, *, show=False):
    """Show a connectivity matrix as a heatmap with a colour bar.

    The colours are symmetric about 0 (see :func:`draw_connectivity_image`);
    the x axis is the cause ("Connectivity from"), the y axis the effect
    ("Connectivity to").

    Parameters
    ----------
    A : array_like of shape (n_rows, n_columns)
        The connectivity, usually square; a single column is accepted for
        the effects of one neuron.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created. The colour bar
        takes its space from this axes.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the heatmap.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite 2-D numeric array.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> ax = plot_connectivity_matrix(create_connectivity(6))
    >>> ax.get_xlabel()
    'Connectivity from'
    """
    A = check_float_array(A, "A", ndim=2)
    ax = _axes_or_new(ax)
    image = draw_connectivity_image(ax, A)
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.75)
    colorbar.set_label("Connectivity strength")
    _show_if(show)
    return ax


def plot_connectivity_graph_matrix(A, axes=None, *, show=False):
    """Draw the network graph and its connectivity heatmap side by side.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        Connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the graph and the heatmap; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        The figure with the graph (left) and the heatmap (right).

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square numeric matrix.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> figure = plot_connectivity_graph_matrix(create_connectivity(6))
    >>> len(figure.axes)  # graph, heatmap and its colour bar
    3
    """
    A = check_connectivity(A)
    figure, (graph_ax, matrix_ax) = _axes_pair_or_new(axes)
    see_neurons(A, graph_ax)
    plot_connectivity_matrix(A, matrix_ax)
    figure.suptitle("Network connectivity")
    _show_if(show)
    return figure


def plot_neural_activity(X, ax=None, *, n_timesteps=10, show=False):
    """Show the first timesteps of the activity of every neuron as a heatmap.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    n_timesteps : int, default=10
        How many timesteps to show from step 0 (all of them if ``X`` is shorter).
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the heatmap.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D numeric array or ``n_timesteps`` is
        not an integer >= 1.

    Examples
    --------
    >>> from nmacausal import create_connectivity, simulate_neurons
    >>> ax = plot_neural_activity(simulate_neurons(create_connectivity(6), 50))
    >>> ax.images[0].get_array().shape
    (6, 10)
    """
    X = check_activity(X, "X")
    n_timesteps = check_integer(n_timesteps, "n_timesteps", minimum=1)
    ax = _axes_or_new(ax)
    # Stretched to the axes, as the tutorial drew it: 100 neurons by 10 steps would
    # otherwise be a sliver with its step labels on top of one another.
    image = ax.imshow(
        X[:, :n_timesteps], cmap=ACTIVITY_CMAP, interpolation="nearest", aspect="auto"
    )
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.75)
    colorbar.set_label("Activity")
    ax.set(xlabel="Timestep", ylabel="Neuron", title="Simulated neural activity")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    _show_if(show)
    return ax


def plot_true_vs_estimated_connectivity(
    estimated_connectivity, true_connectivity, selected_neuron=None, axes=None, *, show=False
):
    """Show an estimated connectivity beside the true one.

    Either the whole matrix (``selected_neuron=None``), or the effects of one
    neuron: then the estimate is a vector (from
    :func:`~nmacausal.get_perturbed_connectivity_from_single_neuron`) and is
    compared with column ``selected_neuron`` of the true matrix.

    Parameters
    ----------
    estimated_connectivity : array_like of shape (n_neurons, n_neurons) or (n_neurons,)
        The estimate, in the orientation of the true matrix (transpose the
        output of :func:`~nmacausal.get_perturbed_connectivity_all_neurons`).
    true_connectivity : array_like of shape (n_neurons, n_neurons)
        The true connectivity ``A``.
    selected_neuron : int, optional
        The neuron whose effects a vector estimate holds.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the estimate and the truth; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        The figure: the estimate on the left, the truth on the right.

    Raises
    ------
    TypeError, ValueError
        If an input is not a finite numeric array of the expected shape, the
        two do not match, or ``selected_neuron`` is not a neuron index.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(6)
    >>> figure = plot_true_vs_estimated_connectivity(A[:, 1] * 0.9, A, selected_neuron=1)
    >>> [ax.get_title() for ax in figure.axes[:2]]
    ['Estimated effects of neuron 1', 'True effects of neuron 1']
    """
    truth = check_connectivity(true_connectivity, "true_connectivity")
    n_neurons = truth.shape[0]
    if selected_neuron is None:
        estimate = _check_estimate(estimated_connectivity, ndim=2, expected_shape=truth.shape)
        truth_shown, label = truth, "connectivity"
    else:
        selected_neuron = check_integer(
            selected_neuron, "selected_neuron", minimum=0, maximum=n_neurons - 1
        )
        estimate = _check_estimate(estimated_connectivity, ndim=1, expected_shape=(n_neurons,))
        estimate = estimate[:, np.newaxis]
        truth_shown = truth[:, [selected_neuron]]
        label = f"effects of neuron {selected_neuron}"

    figure, axes = _axes_pair_or_new(axes)
    for ax, matrix, kind in zip(axes, (estimate, truth_shown), ("Estimated", "True"), strict=True):
        plot_connectivity_matrix(matrix, ax)
        ax.set_title(f"{kind} {label}")
        if selected_neuron is not None:
            ax.set_xticks([0], labels=[str(selected_neuron)])
    _show_if(show)
    return figure


# --- Helpers ----------------------------------------------------------------------------


def _check_estimate(estimated_connectivity, *, ndim, expected_shape):
    """Validate the estimate against the shape the true connectivity implies."""
    hint = {
        1: "a vector of effects because `selected_neuron` is given",
        2: "a matrix because `selected_neuron` is None",
    }[ndim]
    if np.ndim(estimated_connectivity) != ndim:
        raise ValueError(
            f"`estimated_connectivity` must be {hint}, got a "
            f"{np.ndim(estimated_connectivity)}-D array."
        )
    estimate = check_float_array(estimated_connectivity, "estimated_connectivity", ndim=ndim)
    if estimate.shape != expected_shape:
        raise ValueError(
            f"`estimated_connectivity` must have shape {expected_shape} to match "
            f"`true_connectivity`, got shape {estimate.shape}."
        )
    return estimate


def _check_node_colors(node_colors, n_neurons):
    """Return ``node_colors`` as an (n_neurons, 4) RGBA array, or raise naming it."""
    from matplotlib.colors import to_rgba_array

    if isinstance(node_colors, (str, bytes)):
        raise TypeError(
            f"`node_colors` must be one colour per neuron, got the single value {node_colors!r}."
        )
    try:
        colors = to_rgba_array(node_colors)
    except (TypeError, ValueError) as error:
        raise ValueError(f"`node_colors` must hold Matplotlib colours ({error}).") from None
    if colors.shape[0] != n_neurons:
        raise ValueError(
            f"`node_colors` must have one colour per neuron ({n_neurons}), got {colors.shape[0]}."
        )
    return colors


def _node_radius(n_neurons):
    """A radius that keeps neighbouring nodes apart on the unit circle."""
    half_gap = np.sin(np.pi / n_neurons) if n_neurons > 1 else 1.0
    return float(min(0.12, 0.45 * half_gap))


def _arrow_polygons(tails, heads, strength, *, node_radius):
    """Filled arrows from node ``tails`` to node ``heads``, as (n_arrows, 7, 2) vertices.

    Each arrow is moved a little to its own right, so the arrows of a
    two-way connection run side by side, and stops at the edge of the nodes.
    Shaft width follows ``strength`` (in [0, 1]).
    """
    if len(tails) == 0:
        return np.empty((0, 7, 2))
    direction = heads - tails
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    right = np.column_stack([direction[:, 1], -direction[:, 0]])
    side_shift = 0.3 * node_radius * right
    start = tails + side_shift + node_radius * direction
    tip = heads + side_shift - 1.1 * node_radius * direction
    length = np.linalg.norm(tip - start, axis=1, keepdims=True)
    head_length = np.minimum(0.9 * node_radius, 0.5 * length)
    neck = tip - head_length * direction
    shaft = (0.08 + 0.17 * strength[:, np.newaxis]) * node_radius * right
    barb = 0.45 * node_radius * right
    vertices = [
        start + shaft,
        neck + shaft,
        neck + barb,
        tip,
        neck - barb,
        neck - shaft,
        start - shaft,
    ]
    return np.stack(vertices, axis=1)


def _loop_curves(centres, node_radius, n_points=25):
    """A small circle on the outer side of each node, touching it: a self-connection."""
    outward = centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    loop_centres = centres + 1.4 * node_radius * outward
    angles = np.linspace(0, 2 * np.pi, n_points)
    circle = 0.6 * node_radius * np.column_stack([np.cos(angles), np.sin(angles)])
    return loop_centres[:, np.newaxis, :] + circle[np.newaxis, :, :]


def _signed_colors(weights, strength):
    """RGBA per connection: black when positive, blue when negative, opacity = strength."""
    colors = np.where(
        (weights > 0)[:, np.newaxis], to_rgba(EXCITATORY_COLOR), to_rgba(INHIBITORY_COLOR)
    ).reshape(-1, 4)
    colors[:, 3] = strength
    return colors


def _axes_or_new(ax):
    if ax is not None:
        return ax
    _, ax = _new_figure()
    return ax


def _axes_pair_or_new(axes):
    """``(figure, (left, right))``: the given pair of axes, or a new side-by-side figure."""
    if axes is None:
        return _new_figure(ncols=2, figsize=(10, 4.5))
    try:
        left, right = axes
    except (TypeError, ValueError):
        raise ValueError(f"`axes` must be a pair of matplotlib Axes, got {axes!r}.") from None
    if not all(hasattr(ax, "figure") and hasattr(ax, "imshow") for ax in (left, right)):
        raise TypeError(f"`axes` must be a pair of matplotlib Axes, got {axes!r}.")
    return left.figure, (left, right)


def _new_figure(**subplots_options):
    import matplotlib.pyplot as plt

    return plt.subplots(**subplots_options)


def _show_if(show):
    if show:
        import matplotlib.pyplot as plt

        plt.show()
