"""Figures of Tutorial 3 ("Simultaneous fitting/regression"): what is observed, and what it costs.

Tutorial 3 estimates the connectivity by regressing each neuron's next state
on every neuron's present state, then observes only the first ``n_observed``
neurons and shows the estimate of their block of ``A`` getting worse
(omitted-variable bias). Three figures:

- :func:`plot_observed_subsets`: "Visualizing subsets of the connectivity
  matrix", a row per fraction observed: the network with its observed nodes
  red and the others blue, and the block of ``A`` that is observed;
- :func:`plot_regression_demo`: Interactive Demo 2's three panels, the
  network, the true observed block and its regression estimate, with their
  correlation in the estimate's title;
- :func:`plot_estimation_quality_vs_observed`: "Performance of regression as
  a function of the number of neurons observed", the mean correlation over
  trials with a band of one standard deviation, the x axis running from 100 %
  observed down (fewer neurons observed to the right).

A matrix panel (:func:`draw_observed_block`) spans the whole network, every
neuron on each axis, so the panels of different fractions line up; the
observed block is drawn with the day's colour scale, symmetric about 0, and
outlined, and the rest is hatched grey: not observed, hence nothing to show.
(The original tutorial drew ``1 + A`` on the block and 0 elsewhere, so that
an absent connection was pale red inside the block and an unobserved one dark
blue; here 0 is the colour scale's middle everywhere, and "not observed" has
a look of its own.) In the demo the truth and the estimate share one colour
scale, wide enough for both, and one colour bar: a colour is the same weight
in both. The correlation is the estimate's title, not text over its image.

Unlike the tutorial's plotting code, these functions compute no regression:
the numbers come in as arguments (from :mod:`nmacausal.model.regression`).
pyplot is imported only by the functions that create a figure or show one.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .._validation import _describe, check_connectivity, check_integer
from ..model.quality import connectivity_correlation
from ..model.regression import _n_observed
from .network import (
    CONNECTIVITY_CMAP,
    _add_observed_legend,
    _new_figure,
    _show_if,
    observed_node_colors,
    see_neurons,
    symmetric_color_limit,
)
from .sweeps import _axes_or_new, _check_axes, plot_estimation_quality

__all__ = [
    "RegressionDemoArtists",
    "add_regression_demo_axes",
    "correlation_headline",
    "draw_observed_block",
    "draw_regression_demo",
    "observed_block_correlation",
    "plot_estimation_quality_vs_observed",
    "plot_observed_subsets",
    "plot_regression_demo",
]

DEMO_FIGURE_SIZE = (10.2, 3.9)  # inches: at 96 dpi, 979 pixels wide, what a notebook shows unscaled
SUBSETS_TITLE = "Visualizing subsets of the connectivity matrix"
DEMO_TITLES = ("True connectivity", "Estimated connectivity")
OBSERVED_TITLE = "Performance of regression as a function of the number of neurons observed"
OBSERVED_XLABEL = "Percent of neurons observed"
OBSERVED_YLABEL = "connectivity matrices correlation"
UNOBSERVED_FILL = "0.93"  # light grey behind the unobserved entries
UNOBSERVED_HATCH_COLOR = "0.72"
OUTLINE_COLOR = "black"


# --- Drawing pieces ---------------------------------------------------------------------


def observed_block_correlation(true_block, estimate):
    """Pearson correlation of the true observed block with its estimate, or None if undefined.

    Over all entries, as :func:`~nmacausal.model.quality.connectivity_correlation`
    computes it; undefined (None, where the tutorial gets NaN) when either
    block is the same everywhere, a single observed neuron included.

    Parameters
    ----------
    true_block, estimate : array_like of shape (n_observed, n_observed)
        ``A[:n_observed, :n_observed]`` and ``V``.

    Returns
    -------
    float or None

    Raises
    ------
    TypeError, ValueError
        If an input is not a finite square matrix, or their shapes differ.

    Examples
    --------
    >>> round(observed_block_correlation([[0.0, 1.0], [0.0, 0.0]], [[0.1, 0.8], [0.0, 0.2]]), 4)
    0.9739
    >>> observed_block_correlation([[0.3]], [[0.2]]) is None
    True
    """
    truth = check_connectivity(true_block, "true_block")
    estimate = check_connectivity(estimate, "estimate")
    if truth.shape != estimate.shape:
        raise ValueError(
            f"`true_block` and `estimate` must have the same shape, got {truth.shape} and "
            f"{estimate.shape}."
        )
    if np.ptp(truth) == 0 or np.ptp(estimate) == 0:
        return None
    return connectivity_correlation(truth, estimate)


def correlation_headline(correlation):
    """The text that gives a correlation: ``"Correlation: 0.85"`` or ``"Correlation: undefined"``.

    Parameters
    ----------
    correlation : float or None
        None (or NaN) when the correlation is undefined.

    Returns
    -------
    str

    Examples
    --------
    >>> correlation_headline(0.8512)
    'Correlation: 0.85'
    >>> correlation_headline(None)
    'Correlation: undefined'
    """
    if correlation is None or np.isnan(correlation):
        return "Correlation: undefined"
    return f"Correlation: {correlation:.2f}"


def draw_observed_block(ax, block, n_neurons, *, limit=None, cmap=CONNECTIVITY_CMAP):
    """Draw a network's connectivity matrix of which only the first block is known.

    The axes span all ``n_neurons`` on each side; the top-left
    ``block.shape[0]`` square shows ``block`` on a colour scale symmetric
    about 0 (from ``-limit`` to ``limit``) and is outlined; the rest is
    hatched grey, the entries of unobserved neurons. The x axis is the
    cause ("Connectivity from"), the y axis the effect ("Connectivity to").

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    block : array_like of shape (n_observed, n_observed)
        The known block, in ``A``'s orientation: ``block[i, j]`` is the effect
        of neuron ``j`` on neuron ``i``.
    n_neurons : int
        Number of neurons of the network, at least ``n_observed``.
    limit : float, optional
        Half-width of the colour scale; by default the largest ``|block|``
        (1 if it is all zeros).
    cmap : str or matplotlib.colors.Colormap, default="coolwarm"
        A diverging colormap.

    Returns
    -------
    image : matplotlib.image.AxesImage
        A masked (n_neurons, n_neurons) image: ``block`` in its top-left
        corner, masked elsewhere.
    outline : matplotlib.patches.Rectangle
        The frame around the observed block.

    Raises
    ------
    TypeError, ValueError
        If ``block`` is not a finite square matrix, ``n_neurons`` is not an
        integer at least its size, or ``limit`` is not a positive number.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> image, outline = draw_observed_block(Figure().add_subplot(), np.eye(2), 3)
    >>> image.get_array().mask.tolist()
    [[False, False, True], [False, False, True], [True, True, True]]
    >>> outline.get_width()  # the outline frames the 2 x 2 observed block
    2
    """
    block = check_connectivity(block, "block")
    n_observed = block.shape[0]
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=n_observed)
    limit = symmetric_color_limit(block) if limit is None else _check_limit(limit)

    extent = (-0.5, n_neurons - 0.5, n_neurons - 0.5, -0.5)
    ax.add_patch(
        Rectangle(
            (-0.5, -0.5),
            n_neurons,
            n_neurons,
            facecolor=UNOBSERVED_FILL,
            edgecolor=UNOBSERVED_HATCH_COLOR,
            hatch="///",
            linewidth=0,
            zorder=0,
        )
    )
    image = ax.imshow(
        _embed_block(block, n_neurons),
        cmap=cmap,
        vmin=-limit,
        vmax=limit,
        interpolation="nearest",
        extent=extent,
        zorder=1,
    )
    outline = ax.add_patch(
        Rectangle(
            (-0.5, -0.5),
            n_observed,
            n_observed,
            fill=False,
            edgecolor=OUTLINE_COLOR,
            linewidth=1.2,
            zorder=2,
        )
    )
    ax.set_xlim(-0.5, n_neurons - 0.5)
    ax.set_ylim(n_neurons - 0.5, -0.5)
    ax.set_xlabel("Connectivity from")
    ax.set_ylabel("Connectivity to")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    return image, outline


def _embed_block(block, n_neurons):
    """``block`` in the top-left corner of an (n_neurons, n_neurons) masked array.

    Parameters
    ----------
    block : numpy.ndarray of shape (n_observed, n_observed)
    n_neurons : int

    Returns
    -------
    numpy.ma.MaskedArray of shape (n_neurons, n_neurons)
        Masked outside the block (the data there are 0).
    """
    n_observed = block.shape[0]
    data = np.zeros((n_neurons, n_neurons))
    data[:n_observed, :n_observed] = block
    mask = np.ones((n_neurons, n_neurons), dtype=bool)
    mask[:n_observed, :n_observed] = False
    return np.ma.masked_array(data, mask=mask)


# --- The tutorial's figures --------------------------------------------------------------


def plot_observed_subsets(A, ratios=(0.75, 0.25), *, show=False):
    """The tutorial's figure "Visualizing subsets of the connectivity matrix".

    One row per fraction observed. Left, the network: the first ``k``
    neurons, the observed ones, red; the others blue
    (:func:`~nmacausal.plotting.see_neurons` with ``n_observed``). Right, the
    connectivity matrix where only the observed block is known
    (:func:`draw_observed_block`), titled for example "75% neurons observed
    (18 of 25)", with a colour bar; all rows share ``A``'s colour scale.
    ``k`` is ``int(n_neurons * ratio)``, at least 1, as in the model.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity; the tutorial's is ``create_connectivity(25)``.
    ratios : sequence of float, default=(0.75, 0.25)
        The fractions observed, one row each, each in ``(0, 1]``.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes: per row, the network then the matrix, then the colour bars.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square matrix, or ``ratios`` is not a
        non-empty sequence of numbers in ``(0, 1]``.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> figure = plot_observed_subsets(create_connectivity(25))
    >>> [ax.get_title() for ax in figure.axes[1:4:2]]
    ['75% neurons observed (18 of 25)', '25% neurons observed (6 of 25)']
    """
    A = check_connectivity(A)
    ratios = _check_ratios(ratios)
    n_neurons = A.shape[0]
    limit = symmetric_color_limit(A)
    n_rows = len(ratios)
    figure, axes = _new_figure(
        nrows=n_rows,
        ncols=2,
        figsize=(9.5, 4.4 * n_rows + 0.4),
        layout="constrained",
        squeeze=False,
    )
    for (network_ax, matrix_ax), ratio in zip(axes, ratios, strict=True):
        n_observed = _n_observed(n_neurons, ratio)
        see_neurons(A, network_ax, n_observed=n_observed)
        _add_observed_legend(network_ax, extra_handles=[_unobserved_patch()])
        image, _ = draw_observed_block(
            matrix_ax, A[:n_observed, :n_observed], n_neurons, limit=limit
        )
        matrix_ax.set_title(f"{_percent(ratio)}% neurons observed ({n_observed} of {n_neurons})")
        colorbar = figure.colorbar(image, ax=matrix_ax, shrink=0.85)
        colorbar.set_label("Connectivity strength")
    figure.suptitle(SUBSETS_TITLE, fontsize="x-large")
    _show_if(show)
    return figure


def plot_regression_demo(A, V, n_observed=None, correlation=None, axes=None, *, show=False):
    """Interactive Demo 2's figure: what is observed, its true block and its estimate.

    Left, the network with the first ``n_observed`` neurons red (observed)
    and the others blue, titled for example "20 of 50 neurons observed (40%)"
    (on two lines);
    middle, the true block ``A[:n_observed, :n_observed]``; right, the
    regression estimate ``V`` of that block, titled with their correlation
    ("Correlation: 0.85"). Both matrices span the whole network (see
    :func:`draw_observed_block`) and share one colour scale, symmetric about
    0, wide enough for both, and its colour bar. See :func:`draw_regression_demo` to update the
    panels in place.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity of the whole network.
    V : array_like of shape (n_observed, n_observed)
        The estimate of the observed block, in ``A``'s orientation (``V[i, j]``:
        effect of ``j`` on ``i``), as
        :func:`~nmacausal.model.regression.get_regression_corr_full_connectivity`
        returns it.
    n_observed : int, optional
        Number of observed neurons; by default ``V``'s size, which it must equal.
    correlation : float, optional
        Correlation of the true block with ``V``, if already computed; by
        default computed here. None or NaN when it is undefined.
    axes : sequence of three matplotlib.axes.Axes, optional
        Where to draw the network and the two matrices; by default a new
        figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        Its first three axes are the network, the truth and the estimate.

    Raises
    ------
    TypeError, ValueError
        If ``A`` or ``V`` is not a finite square matrix, ``V``'s size is not
        ``n_observed``, ``n_observed`` is not an integer from 1 to
        ``n_neurons``, ``correlation`` is not a number in [-1, 1] or ``axes``
        is not three Axes.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(10)
    >>> figure = plot_regression_demo(A, 0.9 * A[:4, :4])
    >>> figure.axes[2].get_title()
    'Estimated connectivity\\nCorrelation: 1.00'
    """
    if axes is None:
        A = check_connectivity(A, "A")  # before a figure is made for nothing
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=DEMO_FIGURE_SIZE)
        axes = add_regression_demo_axes(figure)
    else:
        axes = _check_axes(axes, 3)
        figure = axes[0].figure
    draw_regression_demo(axes, A, V, n_observed, correlation)
    _show_if(show)
    return figure


class RegressionDemoArtists:
    """The artists of Interactive Demo 2's panels, and how to show another setting in them.

    Made by :func:`draw_regression_demo`. :meth:`show` changes the data of
    these artists (the nodes' colours, both images, their colour scale, the
    outlines and the titles); nothing else of the figure changes, so a caller
    may keep a rendering of the rest (the interactive explorer does).

    Attributes
    ----------
    n_neurons : int
        Size of the network (fixed).
    nodes : matplotlib.collections.EllipseCollection
        The network's nodes, neuron ``i`` the ``i``-th.
    network_title, true_title, estimate_title : matplotlib.text.Text
        The three panels' titles.
    true_image, estimate_image : matplotlib.image.AxesImage
        The truth's and the estimate's blocks, masked outside the observed block.
    true_outline, estimate_outline : matplotlib.patches.Rectangle
        The frames around the observed blocks.
    colorbar : matplotlib.colorbar.Colorbar
        The colour bar both images share (the estimate's is its mappable).
    n_observed : int
        Number of observed neurons shown.
    correlation : float or None
        The correlation shown (None: undefined).
    """

    def __init__(self, axes, n_neurons, n_observed):
        network_ax, true_ax, estimate_ax = axes
        self.n_neurons = n_neurons
        self.nodes = _nodes_of(network_ax)
        self.network_title = network_ax.title
        self.true_title, self.estimate_title = true_ax.title, estimate_ax.title
        self.true_image, self.estimate_image = true_ax.images[-1], estimate_ax.images[-1]
        self.true_outline, self.estimate_outline = true_ax.patches[-1], estimate_ax.patches[-1]
        self.colorbar = self.estimate_image.colorbar
        self.n_observed = n_observed
        self.correlation = None

    @property
    def correlation_text(self):
        """The estimate's title's last line, for example ``"Correlation: 0.85"``."""
        return correlation_headline(self.correlation)

    def show(self, A, V, n_observed=None, correlation=None):
        """Show another observed block and its estimate, in the same artists.

        Arguments as :func:`plot_regression_demo`'s; ``A`` must keep its size.
        """
        A, V, n_observed, correlation = _check_demo(A, V, n_observed, correlation)
        if A.shape[0] != self.n_neurons:
            raise ValueError(
                f"`A` must keep the network's size, {self.n_neurons} neurons, got shape {A.shape}."
            )
        self.nodes.set_facecolor(observed_node_colors(self.n_neurons, n_observed))
        self.network_title.set_text(_network_title(n_observed, self.n_neurons))
        limit = _demo_color_limit(A, V)
        for image, outline, block in (
            (self.true_image, self.true_outline, A[:n_observed, :n_observed]),
            (self.estimate_image, self.estimate_outline, V),
        ):
            image.set_data(_embed_block(block, self.n_neurons))
            image.set_clim(-limit, limit)
            outline.set_width(n_observed)
            outline.set_height(n_observed)
        self.true_title.set_text(f"{DEMO_TITLES[0]}\n{_block_caption(n_observed)}")
        self.estimate_title.set_text(_estimate_title(correlation))
        self.n_observed, self.correlation = n_observed, correlation
        return self


def add_regression_demo_axes(figure):
    """Add Interactive Demo 2's three axes to ``figure`` in a fixed layout.

    The network, the truth and the estimate, side by side, with room for the
    two-line titles, the shared colour bar and the network's legend. A fixed grid,
    not a layout engine, so that redrawing the explorer's figure recomputes
    nothing; made for a figure of :data:`DEMO_FIGURE_SIZE` (or close to it).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    list of three matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> len(add_regression_demo_axes(Figure(figsize=DEMO_FIGURE_SIZE)))
    3
    """
    grid = figure.add_gridspec(
        1, 3, width_ratios=[0.85, 1, 1], left=0.005, right=0.93, top=0.85, bottom=0.13, wspace=0.3
    )
    axes = [figure.add_subplot(grid[0, column]) for column in range(3)]
    # The network at the top of its cell: its title level with the matrices' and
    # its legend below, in the room its equal aspect leaves.
    axes[0].set_anchor("N")
    return axes


def draw_regression_demo(axes, A, V, n_observed=None, correlation=None):
    """Draw Interactive Demo 2's three panels on ``axes`` and return their artists.

    What :func:`plot_regression_demo` draws, for a caller that then updates
    it with :meth:`RegressionDemoArtists.show`.

    Parameters
    ----------
    axes : sequence of three matplotlib.axes.Axes
        The network's, the truth's and the estimate's axes; the matrices'
        shared colour bar, on their right, takes its space from both.
    A, V, n_observed, correlation
        As for :func:`plot_regression_demo`.

    Returns
    -------
    RegressionDemoArtists

    Raises
    ------
    TypeError, ValueError
        As :func:`plot_regression_demo`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(10)
    >>> drawn = draw_regression_demo(Figure().subplots(1, 3), A, 0.5 * A[:4, :4])
    >>> drawn.show(A, A[:6, :6] + 0.01 * np.eye(6)).network_title.get_text()
    '6 of 10 neurons observed\\n(60%)'
    """
    axes = _check_axes(axes, 3)
    A, V, n_observed, correlation = _check_demo(A, V, n_observed, correlation)
    n_neurons = A.shape[0]
    network_ax, true_ax, estimate_ax = axes
    figure = network_ax.figure
    see_neurons(A, network_ax, n_observed=n_observed, arrows=False)
    _add_observed_legend(network_ax, extra_handles=[_unobserved_patch()])
    limit = _demo_color_limit(A, V)
    for ax, block in ((true_ax, A[:n_observed, :n_observed]), (estimate_ax, V)):
        image, _ = draw_observed_block(ax, block, n_neurons, limit=limit)
        ax.set_title(" ")
    # One colour scale, one colour bar: a colour is the same weight in both matrices.
    colorbar = figure.colorbar(
        image, ax=[true_ax, estimate_ax], shrink=0.8, fraction=0.04, pad=0.03, aspect=25
    )
    colorbar.set_label("Connectivity strength")
    drawn = RegressionDemoArtists(axes, n_neurons, n_observed)
    return drawn.show(A, V, n_observed, correlation)


def plot_estimation_quality_vs_observed(ratios, correlations, *, ax=None, show=False):
    """The tutorial's figure: regression's estimation quality against the fraction observed.

    The x axis is the percent of neurons observed and runs **from 100 down**
    (to 10 % or below the smallest fraction), as in the tutorial: reading
    left to right, fewer and fewer neurons are observed. Each point is the
    mean correlation over the trials, with a band of one standard deviation
    (see :func:`~nmacausal.plotting.plot_estimation_quality`, which also
    marks trials where the correlation is undefined). Compute the numbers with
    :func:`~nmacausal.model.regression.sweep_observed_fraction`.

    Parameters
    ----------
    ratios : array_like of shape (n_ratios,)
        The fractions observed, distinct, each in ``(0, 1]``, for example
        ``(1, 0.75, 0.5, 0.25, 0.12)``.
    correlations : array_like of shape (n_trials, n_ratios)
        Correlation between the true and the estimated observed block, per
        trial and fraction; NaN where undefined.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; its first line is the mean, by increasing percent.

    Raises
    ------
    TypeError, ValueError
        If a fraction is not a number in ``(0, 1]``, or as
        :func:`~nmacausal.plotting.plot_estimation_quality`.

    Examples
    --------
    >>> ax = plot_estimation_quality_vs_observed([1, 0.5], [[0.9, 0.6], [0.8, 0.5]])
    >>> [float(limit) for limit in ax.get_xlim()]  # 100 % on the left
    [103.0, 10.0]
    """
    ratios = _check_ratios(ratios)
    if len(set(ratios)) != len(ratios):
        raise ValueError(f"`ratios` must hold distinct fractions, got {_describe(ratios)}.")
    percents = 100 * np.asarray(ratios)
    if ax is None:
        _, ax = _new_figure(figsize=(8, 4.8), layout="constrained")
    ax = _axes_or_new(ax)
    # From 100 % down, set first so that the labels beside the points know which
    # side is which; a little room around the end points so their dots are whole.
    ax.set_xlim(max(100.0, percents.max()) + 3, min(10.0, percents.min() - 2))
    plot_estimation_quality(
        percents,
        correlations,
        xlabel=OBSERVED_XLABEL,
        ylabel=OBSERVED_YLABEL,
        title=OBSERVED_TITLE,
        ax=ax,
    )
    ticks = np.sort(percents)
    ax.set_xticks(ticks, labels=[f"{value:g}%" for value in ticks])
    _show_if(show)
    return ax


# --- Texts and scales shared with the explorer ------------------------------------------


def _unobserved_patch():
    """The legend's entry for the hatched entries of the matrices."""
    from matplotlib.patches import Patch

    return Patch(
        facecolor=UNOBSERVED_FILL,
        edgecolor=UNOBSERVED_HATCH_COLOR,
        hatch="///",
        label="Not observed (matrix)",
    )


def _nodes_of(network_ax):
    from matplotlib.collections import EllipseCollection

    (nodes,) = [c for c in network_ax.collections if isinstance(c, EllipseCollection)]
    return nodes


def _check_demo(A, V, n_observed, correlation):
    """The demo's arguments, checked; the correlation computed when not given."""
    A = check_connectivity(A, "A")
    V = check_connectivity(V, "V")
    n_neurons = A.shape[0]
    if n_observed is None:
        n_observed = V.shape[0]
    n_observed = check_integer(n_observed, "n_observed", minimum=1, maximum=n_neurons)
    if V.shape != (n_observed, n_observed):
        raise ValueError(
            f"`V` must be the estimate of the observed block, shape ({n_observed}, "
            f"{n_observed}) for `n_observed` = {n_observed}, got shape {V.shape}."
        )
    if correlation is not None:
        correlation = _check_correlation(correlation)
    else:
        correlation = observed_block_correlation(A[:n_observed, :n_observed], V)
    return A, V, n_observed, correlation


def _network_title(n_observed, n_neurons):
    """``"20 of 50 neurons observed\n(40%)"``: two lines, as the matrices' titles."""
    return f"{n_observed} of {n_neurons} neurons observed\n({_percent(n_observed / n_neurons)}%)"


def _block_caption(n_observed):
    """The second line of the truth's title: which block is shown."""
    return f"among the {n_observed} observed neurons"


def _estimate_title(correlation):
    """The estimate panel's title: its name, then the correlation with the truth."""
    return f"{DEMO_TITLES[1]}\n{correlation_headline(correlation)}"


def _demo_color_limit(A, V):
    """Half-width of the demo's shared colour scale: the largest ``|A|`` or ``|V|``."""
    return max(symmetric_color_limit(A), symmetric_color_limit(V))


# --- Helpers ----------------------------------------------------------------------------


def _percent(ratio):
    """A fraction as a whole percent, rounded (0.75 -> 75, 0.12 -> 12)."""
    return round(100 * ratio)


def _check_correlation(correlation):
    if isinstance(correlation, bool) or not isinstance(
        correlation, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"`correlation` must be a number or None, got {_describe(correlation)}.")
    correlation = float(correlation)
    if np.isnan(correlation):
        return None
    if not -1 <= correlation <= 1:
        raise ValueError(f"`correlation` must be in [-1, 1], got {correlation!r}.")
    return correlation


def _check_ratio(ratio, name):
    if isinstance(ratio, bool) or not isinstance(ratio, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a fraction in (0, 1], got {_describe(ratio)}.")
    ratio = float(ratio)
    if not 0 < ratio <= 1:  # also refuses NaN
        raise ValueError(f"`{name}` must be a fraction in (0, 1], got {ratio!r}.")
    return ratio


def _check_ratios(ratios):
    if isinstance(ratios, (str, bytes, dict, set)) or not np.iterable(ratios):
        raise TypeError(f"`ratios` must be a sequence of fractions, got {_describe(ratios)}.")
    ratios = [_check_ratio(ratio, f"ratios[{i}]") for i, ratio in enumerate(ratios)]
    if not ratios:
        raise ValueError("`ratios` must not be empty.")
    return ratios


def _check_limit(limit):
    if isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)):
        raise TypeError(f"`limit` must be a positive number, got {_describe(limit)}.")
    limit = float(limit)
    if not (np.isfinite(limit) and limit > 0):
        raise ValueError(f"`limit` must be a positive number, got {limit!r}.")
    return limit
