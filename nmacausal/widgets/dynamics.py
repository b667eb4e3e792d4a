"""An interactive explorer of the tutorial's dynamics, for notebooks and Voila.

:class:`DynamicsExplorer` runs one network twice from the same noise seed,
once left alone and once with every neuron clamped to a random 0/1 pattern
on every ``perturb_every``-th step, and lets a student step through both
runs while the connectivity estimated from the perturbations seen so far
converges to the true one.

Three layers, each usable alone:

- :class:`DynamicsRuns`, the model: the network, both runs, and the estimate
  after any step (plain NumPy, no display);
- the panels, which draw into a given ``Axes`` and then move from step to
  step by updating their artists' data (no figure is rebuilt on a step);
- :class:`DynamicsExplorer`, a thin layer of ipywidgets controls.

The figure is a plain :class:`matplotlib.figure.Figure` rendered by Agg, not
a pyplot figure, so the inline backend never shows a stray copy of it, and
importing this module draws and displays nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import ipywidgets
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import EllipseCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .._validation import check_integer
from ..model.perturbation import (
    get_perturbed_connectivity_all_neurons,
    perturbation_outcome_pairs,
)
from ..model.quality import connectivity_correlation
from ..model.simulation import (
    create_connectivity,
    isolated_random_state,
    simulate_neurons,
    simulate_neurons_perturb,
)
from ..plotting.network import (
    ACTIVITY_CMAP,
    draw_connectivity_image,
    draw_network,
    symmetric_color_limit,
)
from ._controls import draw_png, show_png, with_class

__all__ = [
    "ActivityPanel",
    "ConnectivityEstimate",
    "DynamicsExplorer",
    "DynamicsRuns",
    "EstimatePanel",
    "ExplorerFigure",
    "NetworkPanel",
    "window_start",
]

# Bounds of the explorer's controls; the constructor accepts the same ranges.
MAX_NEURONS = 60
MAX_TIMESTEPS = 20_000
MAX_PERTURB_EVERY = 50

ACTIVITY_WINDOW = 40  # timesteps shown around the current step
MARKER_HALF_WIDTH = 0.8  # of the outline around the current step, in columns
CLAMP_COLOR = "tab:red"
FIGURE_SIZE = (10.0, 6.0)  # inches
FIGURE_DPI = 80  # with FIGURE_SIZE: 800 x 480 pixels, light enough to redraw every step
DENSE_NETWORK = 12  # beyond this many neurons, arrows fade so the node colours stay visible
FONT_SIZE = 8
PLAY_INTERVAL_MS = 250


# --- Model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectivityEstimate:
    """The connectivity estimated from the perturbations seen up to one step.

    Attributes
    ----------
    matrix : numpy.ndarray of shape (n_neurons, n_neurons) or None
        The estimate in ``A``'s orientation (``matrix[i, j]``: effect of
        ``j`` on ``i``), that is ``get_perturbed_connectivity_all_neurons(...).T``;
        None while it is undefined.
    n_pairs : int
        How many perturbations had an outcome by then.
    correlation : float or None
        Correlation between ``matrix`` and the true ``A``; None when either
        is undefined or constant.
    reason : str
        Why ``matrix`` or ``correlation`` is None; empty when both exist.
    """

    matrix: np.ndarray | None
    n_pairs: int
    correlation: float | None
    reason: str


@dataclass(frozen=True)
class DynamicsRuns:
    """One network run twice from the same noise seed: left alone, and perturbed.

    Build it with :meth:`simulate`.

    Attributes
    ----------
    connectivity : numpy.ndarray of shape (n_neurons, n_neurons)
        The true ``A``: ``create_connectivity(n_neurons, random_state=seed)``.
    unperturbed : numpy.ndarray of shape (n_neurons, timesteps)
        ``simulate_neurons(A, timesteps, random_state=seed)``.
    perturbed : numpy.ndarray of shape (n_neurons, timesteps)
        ``simulate_neurons_perturb(A, timesteps, perturb_every=perturb_every,
        random_state=seed)``.
    perturb_every : int
        The perturbation period.
    seed : int
        The seed of the network and of both runs.
    """

    connectivity: np.ndarray
    unperturbed: np.ndarray
    perturbed: np.ndarray
    perturb_every: int
    seed: int
    _estimates: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def simulate(cls, *, n_neurons=6, timesteps=200, perturb_every=2, seed=42):
        """Draw the network and run it, leaving NumPy's global random state untouched.

        Parameters
        ----------
        n_neurons : int, default=6
            Number of neurons, at least 1.
        timesteps : int, default=200
            Length of each run, at least 1.
        perturb_every : int, default=2
            Clamp the perturbed run on every ``perturb_every``-th step.
        seed : int, default=42
            Seed of the network and of the noise of both runs.

        Returns
        -------
        DynamicsRuns

        Raises
        ------
        TypeError, ValueError
            If an argument is not an integer in its range.

        Examples
        --------
        >>> runs = DynamicsRuns.simulate(n_neurons=4, timesteps=30)
        >>> runs.perturbed.shape
        (4, 30)
        """
        n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
        timesteps = check_integer(timesteps, "timesteps", minimum=1)
        perturb_every = check_integer(perturb_every, "perturb_every", minimum=1)
        seed = check_integer(seed, "seed", minimum=0, maximum=2**32 - 1)
        with isolated_random_state():
            A = create_connectivity(n_neurons, random_state=seed)
            unperturbed = simulate_neurons(A, timesteps, random_state=seed)
            perturbed = simulate_neurons_perturb(
                A, timesteps, perturb_every=perturb_every, random_state=seed
            )
        return cls(A, unperturbed, perturbed, perturb_every, seed)

    @property
    def n_neurons(self):
        return self.connectivity.shape[0]

    @property
    def timesteps(self):
        return self.perturbed.shape[1]

    def is_perturbation_step(self, step):
        """Whether the perturbed run clamped every neuron on ``step``.

        ``simulate_neurons_perturb`` clamps steps that are multiples of
        ``perturb_every``, except the last step (it has no next step to affect).
        """
        return step % self.perturb_every == 0 and step < self.timesteps - 1

    def estimate_until(self, step):
        """The estimate from the perturbations and outcomes seen up to ``step`` included.

        Parameters
        ----------
        step : int
            A step of the runs, from 0 to ``timesteps - 1``.

        Returns
        -------
        ConnectivityEstimate
            Computed from ``perturbed[:, :step + 1]``.

        Examples
        --------
        >>> runs = DynamicsRuns.simulate(n_neurons=4, timesteps=30)
        >>> runs.estimate_until(0).reason
        'not enough perturbations yet: 0 of the 2 needed'
        """
        step = check_integer(step, "step", minimum=0, maximum=self.timesteps - 1)
        # Pairs are (perturbation step s, outcome s + 1) with s + 1 <= step.
        n_pairs = len(range(0, step, self.perturb_every))
        if n_pairs not in self._estimates:
            self._estimates[n_pairs] = self._estimate(step, n_pairs)
        return self._estimates[n_pairs]

    def _estimate(self, step, n_pairs):
        if n_pairs < 2:
            return ConnectivityEstimate(
                None, n_pairs, None, f"not enough perturbations yet: {n_pairs} of the 2 needed"
            )
        seen = self.perturbed[:, : step + 1]
        perturbations, outcomes = perturbation_outcome_pairs(seen, perturb_every=self.perturb_every)
        for name, values in (("perturbation", perturbations), ("outcome", outcomes)):
            constant = np.flatnonzero(np.ptp(values, axis=1) == 0)
            if constant.size:
                return ConnectivityEstimate(
                    None,
                    n_pairs,
                    None,
                    f"not enough perturbations yet: neuron {constant[0]} had the same "
                    f"{name} every time",
                )
        matrix = get_perturbed_connectivity_all_neurons(seen, perturb_every=self.perturb_every).T
        A = self.connectivity
        if A.size < 2 or np.ptp(A) == 0:
            return ConnectivityEstimate(
                matrix, n_pairs, None, "no correlation: the true A has no connections to compare"
            )
        return ConnectivityEstimate(matrix, n_pairs, connectivity_correlation(A, matrix), "")


# --- Panels: each draws into an Axes, then follows the current step ----------------------
#
# A panel marks the artists that change from step to step as animated: a full
# draw leaves them out, and ExplorerFigure draws them over a saved copy of the
# rest (blitting), which saves redrawing axes, ticks and labels on every step.
# ``show_step`` updates the artists' data and returns True when the part of the
# panel that is not animated changed too, so the saved copy must be redrawn.


def window_start(step, timesteps, width):
    """First step of the ``width``-step activity window that shows ``step``.

    The window advances a page at a time rather than scrolling with every
    step: when ``step`` would leave it, it jumps ahead by three quarters of its
    width, keeping a quarter of the past in view. So its axis, the costly part
    of a redraw, changes only once a page.

    Examples
    --------
    >>> [window_start(step, 200, 40) for step in (0, 39, 40, 69, 70, 199)]
    [0, 0, 30, 30, 60, 160]
    """
    page = width - width // 4
    return int(np.clip((step - width // 4) // page * page, 0, max(timesteps - width, 0)))


def _animate(*artists):
    """Mark ``artists`` as redrawn on every step, and return them as a list."""
    for artist in artists:
        artist.set_animated(True)
    return list(artists)


class ActivityPanel:
    """A window of one run's activity (neurons by time) with the current step outlined.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    activity : numpy.ndarray of shape (n_neurons, timesteps)
        The run.
    title : str
        Axes title.
    width : int, default=ACTIVITY_WINDOW
        How many timesteps the window shows.

    Attributes
    ----------
    image : matplotlib.image.AxesImage
        The window; its extent puts column ``c`` at x = first step + ``c``.
    marker : matplotlib.patches.Rectangle
        Outline of the current step's column.
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, ax, activity, *, title, width=ACTIVITY_WINDOW):
        self.ax = ax
        self.activity = activity
        n_neurons, timesteps = activity.shape
        self.width = min(width, timesteps)
        self._start = None
        self.image = ax.imshow(
            activity[:, : self.width],
            cmap=ACTIVITY_CMAP,
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="nearest",
        )
        # White on black stands out on every colour of the map; the outline is
        # wider than a column so that it frames the current column without hiding it.
        self.marker = Rectangle(
            (-MARKER_HALF_WIDTH, -0.5),
            2 * MARKER_HALF_WIDTH,
            n_neurons,
            fill=False,
            edgecolor="white",
            linewidth=1.0,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="black")],
        )
        ax.add_patch(self.marker)
        ax.set_title(title, fontsize=FONT_SIZE + 1)
        ax.set_ylabel("Neuron", fontsize=FONT_SIZE)
        ax.set_xlabel("Timestep", fontsize=FONT_SIZE)
        ax.tick_params(labelsize=FONT_SIZE - 1)
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=6, integer=True))
        # The frame goes over the image again, as it does in a full draw.
        self.dynamic_artists = _animate(self.image, self.marker) + list(ax.spines.values())

    def show_step(self, step):
        self.marker.set_x(step - MARKER_HALF_WIDTH)
        start = window_start(step, self.activity.shape[1], self.width)
        if start == self._start:
            return False
        self._start = start
        self.image.set_data(self.activity[:, start : start + self.width])
        left, right = start - 0.5, start + self.width - 0.5
        self.image.set_extent((left, right, self.activity.shape[0] - 0.5, -0.5))
        self.ax.set_xlim(left, right)
        return True


class NetworkPanel:
    """The network graph with each node coloured by its activity at the current step.

    For the perturbed run, rings mark the clamped neurons (all of them) on the
    steps where the run clamped them, and are hidden on every other step.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    runs : DynamicsRuns
        The network and its runs.
    perturbed : bool
        Show the perturbed run (with its clamp rings) rather than the unperturbed one.
    title : str
        Axes title.

    Attributes
    ----------
    network : nmacausal.plotting.NetworkArtists
        The graph; ``network.nodes`` carries the activity as its colour array.
    clamp_rings : matplotlib.collections.EllipseCollection or None
        Rings around the clamped neurons (None for the unperturbed run).
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, ax, runs, *, perturbed, title):
        self.runs = runs
        self.activity = runs.perturbed if perturbed else runs.unperturbed
        self.network = draw_network(
            ax,
            runs.connectivity,
            node_values=self.activity[:, 0],
            edge_opacity=min(1.0, DENSE_NETWORK / max(runs.n_neurons, 1)),
        )
        ax.set_title(title, fontsize=FONT_SIZE + 1)
        self.clamp_rings = None
        self.dynamic_artists = _animate(self.network.nodes)
        if perturbed:
            diameter = 2.8 * self.network.node_radius
            self.clamp_rings = EllipseCollection(
                widths=diameter,
                heights=diameter,
                angles=0,
                units="xy",
                offsets=self.network.positions,
                offset_transform=ax.transData,
                facecolors="none",
                edgecolors=CLAMP_COLOR,
                linewidths=1.5,
                zorder=3,
                visible=False,
            )
            ax.add_collection(self.clamp_rings)
            self.dynamic_artists += _animate(self.clamp_rings)

    def show_step(self, step):
        self.network.nodes.set_array(self.activity[:, step])
        if self.clamp_rings is not None:
            self.clamp_rings.set_visible(self.runs.is_perturbation_step(step))
        return False


class EstimatePanel:
    """The true ``A`` beside the estimate from the perturbations seen so far.

    Parameters
    ----------
    true_ax, estimate_ax : matplotlib.axes.Axes
        Where to draw the truth and the estimate.
    runs : DynamicsRuns
        The network and its runs.

    Attributes
    ----------
    estimate_image : matplotlib.image.AxesImage
        The estimate in ``A``'s orientation, all NaN (blank) while undefined.
    status : matplotlib.text.Text
        Centred on the estimate: why it is not shown yet, otherwise empty.
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, true_ax, estimate_ax, runs):
        self.runs = runs
        self.true_image = draw_connectivity_image(true_ax, runs.connectivity)
        true_ax.set_title("True A", fontsize=FONT_SIZE + 1)
        # Zeros to set the image up; show_step blanks it until an estimate exists.
        self.estimate_image = draw_connectivity_image(
            estimate_ax, np.zeros(runs.connectivity.shape)
        )
        self.title = estimate_ax.set_title("", fontsize=FONT_SIZE + 1)
        self.status = estimate_ax.text(
            0.5,
            0.5,
            "",
            transform=estimate_ax.transAxes,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
        )
        for ax in (true_ax, estimate_ax):
            ax.tick_params(labelsize=FONT_SIZE - 1)
            ax.xaxis.label.set_size(FONT_SIZE)
            ax.yaxis.label.set_size(FONT_SIZE)
        self.dynamic_artists = _animate(self.estimate_image, self.title, self.status) + list(
            estimate_ax.spines.values()
        )
        self._shown = None

    def show_step(self, step):
        estimate = self.runs.estimate_until(step)
        if estimate is self._shown:
            return False
        self._shown = estimate
        if estimate.matrix is None:
            self.estimate_image.set_data(np.full(self.runs.connectivity.shape, np.nan))
            self.status.set_text(estimate.reason.replace(": ", ":\n", 1))
        else:
            self.estimate_image.set_data(estimate.matrix)
            limit = symmetric_color_limit(estimate.matrix)
            self.estimate_image.set_clim(-limit, limit)
            self.status.set_text("")
        if estimate.correlation is not None:
            correlation = f"r with A = {estimate.correlation:.3f}"
        elif estimate.matrix is None:
            correlation = "r with A: not yet"
        else:
            correlation = "r with A: undefined (A is constant)"
        plural = "" if estimate.n_pairs == 1 else "s"
        self.title.set_text(f"Estimate from {estimate.n_pairs} perturbation{plural}\n{correlation}")
        return False


class ExplorerFigure:
    """The explorer's figure: both runs, their graphs and the estimate, at one step.

    Parameters
    ----------
    runs : DynamicsRuns
        What to show.
    figure : matplotlib.figure.Figure, optional
        A figure to draw into (it is cleared first); by default a new one.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Rendered by Agg; not managed by pyplot.
    unperturbed_activity, perturbed_activity : ActivityPanel
    unperturbed_network, perturbed_network : NetworkPanel
    estimate : EstimatePanel
    """

    def __init__(self, runs, figure=None):
        if figure is None:
            figure = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI)
        figure.clear()
        FigureCanvasAgg(figure)
        self.figure = figure
        self.runs = runs
        # A fixed grid: a layout engine would recompute the layout on every draw.
        grid = figure.add_gridspec(
            2,
            3,
            width_ratios=[1.4, 1.1, 1],
            left=0.06,
            right=0.98,
            top=0.9,
            bottom=0.08,
            wspace=0.25,
            hspace=0.45,
        )
        self.unperturbed_activity = ActivityPanel(
            figure.add_subplot(grid[0, 0]), runs.unperturbed, title="Unperturbed run"
        )
        self.perturbed_activity = ActivityPanel(
            figure.add_subplot(grid[1, 0]),
            runs.perturbed,
            title=f"Perturbed run (all clamped every {runs.perturb_every} steps)",
        )
        self.unperturbed_network = NetworkPanel(
            figure.add_subplot(grid[0, 1]), runs, perturbed=False, title="Unperturbed network"
        )
        self.perturbed_network = NetworkPanel(
            figure.add_subplot(grid[1, 1]),
            runs,
            perturbed=True,
            title="Perturbed network (red rings: clamped)",
        )
        self.estimate = EstimatePanel(
            figure.add_subplot(grid[0, 2]), figure.add_subplot(grid[1, 2]), runs
        )
        colorbar = figure.colorbar(
            self.unperturbed_activity.image,
            ax=[self.unperturbed_activity.ax, self.perturbed_activity.ax],
            fraction=0.03,
            pad=0.02,
        )
        colorbar.set_label("Activity (also the node colour)", fontsize=FONT_SIZE)
        colorbar.ax.tick_params(labelsize=FONT_SIZE - 1)
        self._panels = [
            self.unperturbed_activity,
            self.perturbed_activity,
            self.unperturbed_network,
            self.perturbed_network,
            self.estimate,
        ]
        self._dynamic_artists = [
            artist for panel in self._panels for artist in panel.dynamic_artists
        ]
        self._background = None

    def show_step(self, step):
        """Move every panel to ``step`` by updating its artists' data."""
        for panel in self._panels:
            if panel.show_step(step):
                self._background = None

    def render_png(self, *, full_redraw=False):
        """Draw the figure with Agg and return it as PNG bytes.

        The parts that do not change between steps are drawn once and saved;
        each call restores them and draws the animated artists over them.

        Parameters
        ----------
        full_redraw : bool, default=False
            Draw everything again, as after a change made to the figure
            outside the panels (its size, an added title).

        Returns
        -------
        bytes
        """
        if full_redraw:
            self._background = None
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        return draw_png(self.figure, self._dynamic_artists)


def _describe_step(runs, step):
    """One line naming ``step``, for example "step 3 of 199 · perturbation step"."""
    kind = "perturbation step" if runs.is_perturbation_step(step) else "free-running step"
    return f"step {step} of {runs.timesteps - 1} · {kind}"


# --- Controls ---------------------------------------------------------------------------


class DynamicsExplorer:
    """Step through unperturbed and perturbed dynamics and watch the estimate converge.

    One network (``create_connectivity(n_neurons, random_state=seed)``) runs
    twice with the same noise seed: left alone, and with every neuron clamped
    to random 0/1 on every ``perturb_every``-th step. For the current step the
    figure shows, for each run, a window of activity with the step outlined
    and the network with each node coloured by its activity (red rings mark
    the clamped neurons on perturbation steps), and the connectivity estimated
    from the perturbations seen so far beside the true ``A``, with their
    correlation. NumPy's global random state is left as it was.

    Display the object in a notebook (make it a cell's last expression, or
    call ``IPython.display.display`` on it). It works with the default inline
    backend in JupyterLab, Notebook 7 and Voila.

    Parameters
    ----------
    n_neurons : int, default=6
        Number of neurons, from 1 to 60.
    timesteps : int, default=200
        Length of each run, from 1 to 20000.
    perturb_every : int, default=2
        Clamp every ``perturb_every``-th step (2 is the tutorial's choice),
        from 1 to 50.
    seed : int, default=42
        Seed of the network and of both runs' noise, from 0 to 2**32 - 1.

    Attributes
    ----------
    runs : DynamicsRuns
        What is shown; replaced when a parameter control changes.
    figure : matplotlib.figure.Figure
        The figure (the same object for the explorer's whole life).
    view : ExplorerFigure
        The panels drawn in ``figure`` and their artists.
    time_slider : ipywidgets.IntSlider
        The current step.
    play : ipywidgets.Play
        Animates ``time_slider`` (linked in the browser).
    step_back_button, step_forward_button : ipywidgets.Button
        Move one step.
    step_readout : ipywidgets.Label
        Names the current step, for example "step 3 of 199 · perturbation step".
    n_neurons_slider, perturb_every_slider : ipywidgets.IntSlider
        Parameter controls; changing one re-simulates and redraws.
    seed_input, timesteps_input : ipywidgets.BoundedIntText
        Parameter controls; changing one re-simulates and redraws.
    figure_output : ipywidgets.Output
        Holds the rendered figure.
    widget : ipywidgets.VBox
        Everything above, laid out; what a notebook displays.

    Raises
    ------
    TypeError, ValueError
        If a parameter is not an integer in its range.

    Examples
    --------
    >>> explorer = DynamicsExplorer(n_neurons=6, timesteps=100)
    >>> explorer.step_forward_button.click()
    >>> explorer.step_readout.value
    'step 1 of 99 · free-running step'
    """

    def __init__(self, *, n_neurons=6, timesteps=200, perturb_every=2, seed=42):
        n_neurons = check_integer(n_neurons, "n_neurons", minimum=1, maximum=MAX_NEURONS)
        timesteps = check_integer(timesteps, "timesteps", minimum=1, maximum=MAX_TIMESTEPS)
        perturb_every = check_integer(
            perturb_every, "perturb_every", minimum=1, maximum=MAX_PERTURB_EVERY
        )
        seed = check_integer(seed, "seed", minimum=0, maximum=2**32 - 1)
        self.runs = DynamicsRuns.simulate(
            n_neurons=n_neurons, timesteps=timesteps, perturb_every=perturb_every, seed=seed
        )
        self.view = ExplorerFigure(self.runs)
        self.figure = self.view.figure
        self._paused = False
        self._build_controls(n_neurons, timesteps, perturb_every, seed)
        self._show_step(0)

    def _build_controls(self, n_neurons, timesteps, perturb_every, seed):
        last_step = timesteps - 1
        self.time_slider = with_class(
            ipywidgets.IntSlider(
                value=0,
                min=0,
                max=last_step,
                description="Step",
                layout=ipywidgets.Layout(width="420px"),
            ),
            "nmacausal-time-slider",
        )
        self.play = with_class(
            ipywidgets.Play(value=0, min=0, max=last_step, interval=PLAY_INTERVAL_MS),
            "nmacausal-play",
        )
        ipywidgets.jslink((self.play, "value"), (self.time_slider, "value"))
        self.step_back_button = with_class(
            ipywidgets.Button(description="◀ step", layout=ipywidgets.Layout(width="70px")),
            "nmacausal-step-back",
        )
        self.step_forward_button = with_class(
            ipywidgets.Button(description="step ▶", layout=ipywidgets.Layout(width="70px")),
            "nmacausal-step-forward",
        )
        self.step_readout = with_class(ipywidgets.Label(), "nmacausal-step-readout")
        # Parameters re-simulate everything: sliders act on release, text on Enter.
        self.n_neurons_slider = _parameter_control(
            ipywidgets.IntSlider, "Neurons", n_neurons, MAX_NEURONS, "nmacausal-n-neurons"
        )
        self.perturb_every_slider = _parameter_control(
            ipywidgets.IntSlider,
            "Perturb every",
            perturb_every,
            MAX_PERTURB_EVERY,
            "nmacausal-perturb-every",
        )
        self.timesteps_input = _parameter_control(
            ipywidgets.BoundedIntText, "Timesteps", timesteps, MAX_TIMESTEPS, "nmacausal-timesteps"
        )
        self.seed_input = _parameter_control(
            ipywidgets.BoundedIntText, "Seed", seed, 2**32 - 1, "nmacausal-seed", minimum=0
        )
        self.figure_output = with_class(ipywidgets.Output(), "nmacausal-figure")

        self.time_slider.observe(self._on_step_change, names="value")
        self.step_back_button.on_click(lambda _: self._move(-1))
        self.step_forward_button.on_click(lambda _: self._move(+1))
        for control in (
            self.n_neurons_slider,
            self.perturb_every_slider,
            self.seed_input,
            self.timesteps_input,
        ):
            control.observe(self._on_parameter_change, names="value")

        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox(
                    [
                        self.play,
                        self.step_back_button,
                        self.time_slider,
                        self.step_forward_button,
                        self.step_readout,
                    ]
                ),
                self.figure_output,
                ipywidgets.HBox(
                    [
                        self.n_neurons_slider,
                        self.perturb_every_slider,
                        self.timesteps_input,
                        self.seed_input,
                    ]
                ),
            ]
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    # Callbacks stay thin: the model simulates, the panels draw.

    def _on_step_change(self, change):
        if not self._paused:
            self._show_step(change["new"])

    def _move(self, offset):
        slider = self.time_slider
        slider.value = int(np.clip(slider.value + offset, slider.min, slider.max))

    def _on_parameter_change(self, _change):
        self.runs = DynamicsRuns.simulate(
            n_neurons=self.n_neurons_slider.value,
            timesteps=self.timesteps_input.value,
            perturb_every=self.perturb_every_slider.value,
            seed=self.seed_input.value,
        )
        self.view = ExplorerFigure(self.runs, self.figure)
        last_step = self.runs.timesteps - 1
        with self._updates_paused():
            # Lowering max first would clamp the value through a redraw of stale panels.
            self.time_slider.value = min(self.time_slider.value, last_step)
            self.play.value = self.time_slider.value
            self.time_slider.max = self.play.max = last_step
        self._show_step(self.time_slider.value)

    @contextlib.contextmanager
    def _updates_paused(self):
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def _show_step(self, step):
        self.view.show_step(step)
        show_png(
            self.figure_output,
            self.view.render_png(),
            f"<DynamicsExplorer figure at step {step}>",
        )
        self.step_readout.value = _describe_step(self.runs, step)
        self.step_back_button.disabled = step <= 0
        self.step_forward_button.disabled = step >= self.runs.timesteps - 1


def _parameter_control(widget_class, description, value, maximum, css_class, *, minimum=1):
    """An integer control for one of the explorer's parameters."""
    return with_class(
        widget_class(
            value=value,
            min=minimum,
            max=maximum,
            description=description,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="230px"),
        ),
        css_class,
    )
