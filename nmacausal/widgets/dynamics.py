"""An interactive explorer of the tutorial's dynamics, for notebooks and Voila.

:class:`DynamicsExplorer` runs one network twice from the same noise seed,
once left alone and once with every neuron clamped to a random 0/1 pattern
on every ``perturb_every``-th step, and lets a student step through both
runs while the connectivity estimated from the perturbations seen so far
converges to the true one.

Three layers, each usable alone:

- :class:`DynamicsRuns`, the model: the network, both runs, the estimate
  after any step and the estimate's correlation with the truth along the
  whole run (plain NumPy, no display);
- the panels, which draw into a given ``Axes`` and then move from step to
  step by updating their artists' data (no figure is rebuilt on a step, and
  no axis changes: a step redraws only those artists, over a saved copy of
  the rest);
- :class:`DynamicsExplorer`, a thin layer of ipywidgets controls.

The figure is a plain :class:`matplotlib.figure.Figure` rendered by Agg, not
a pyplot figure, so the inline backend never shows a stray copy of it, and
importing this module draws and displays nothing.
"""

from __future__ import annotations

import contextlib
import functools
import textwrap
from dataclasses import dataclass, field

import ipywidgets
import matplotlib as mpl
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
from ._controls import show_png, with_class
from ._explorer import BlittedFigure

__all__ = [
    "ActivityPanel",
    "ConnectivityEstimate",
    "ConvergencePanel",
    "CorrelationCurve",
    "DynamicsExplorer",
    "DynamicsRuns",
    "EstimatePanel",
    "ExplorerFigure",
    "NetworkPanel",
]

# Bounds of the explorer's controls; the constructor accepts the same ranges.
MAX_NEURONS = 60
MAX_TIMESTEPS = 20_000
MAX_PERTURB_EVERY = 50

# With 6 neurons, seed 42 and a perturbation every 2 steps, the estimate's
# correlation with A is 0.69 after 200 steps, 0.90 after 1000 and 0.97 after 2000.
DEFAULT_TIMESTEPS = 2000

# The activity window: this many steps before and after the current one,
# which stays in the same column while the activity moves past it.
ACTIVITY_PAST = 30
ACTIVITY_FUTURE = 10
MARKER_HALF_WIDTH = 0.8  # of the frame around the current step, in columns
NO_DATA_COLOR = "0.88"  # the window's columns before the first step and after the last
CLAMP_COLOR = "tab:red"
CURVE_COLOR = "tab:purple"
CURVE_POINTS = 400  # at most, along the run
FIGURE_SIZE = (10.2, 7.0)  # inches
FIGURE_DPI = 96  # with FIGURE_SIZE: 979 x 672 pixels, what a notebook shows unscaled
FONT_SIZE = 9
DENSE_NETWORK = 12  # beyond this many neurons, arrows fade so the node colours stay visible
LABEL_EVERY_NEURON_UP_TO = 20  # neurons; a bigger network numbers every LABEL_STRIDE-th
LABEL_STRIDE = 5
STATUS_WIDTH = 18  # characters a line of the estimate's status, to stay inside its axes

# Play shows a frame every PLAY_INTERVAL_MS and moves by the chosen number of
# steps: at 25 a frame the default 2000 steps take 16 seconds. The speeds are
# odd so that, with a perturbation every 2 steps, frames still alternate
# between perturbation steps and free-running ones.
PLAY_INTERVAL_MS = 200
PLAY_SPEEDS = (1, 5, 25)
DEFAULT_PLAY_SPEED = 25


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
class CorrelationCurve:
    """The estimate's correlation with the true ``A`` at steps spread along a run.

    Attributes
    ----------
    steps : numpy.ndarray of int, shape (n_points,)
        Increasing steps: each is the first step whose data hold one more
        perturbation with its outcome, up to the last step.
    correlations : numpy.ndarray of float, shape (n_points,)
        ``estimate_until(step).correlation`` at each of ``steps`` (to
        rounding), NaN where that is None.
    """

    steps: np.ndarray
    correlations: np.ndarray


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
    def simulate(cls, *, n_neurons=6, timesteps=DEFAULT_TIMESTEPS, perturb_every=2, seed=42):
        """Draw the network and run it, leaving NumPy's global random state untouched.

        Parameters
        ----------
        n_neurons : int, default=6
            Number of neurons, at least 1.
        timesteps : int, default=2000
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
        with _one_blas_thread():
            matrix = get_perturbed_connectivity_all_neurons(
                seen, perturb_every=self.perturb_every
            ).T
        A = self.connectivity
        if A.size < 2 or np.ptp(A) == 0:
            return ConnectivityEstimate(
                matrix, n_pairs, None, "no correlation: the true A has no connections to compare"
            )
        return ConnectivityEstimate(matrix, n_pairs, connectivity_correlation(A, matrix), "")

    @functools.cached_property
    def estimate_color_limit(self):
        """One colour scale for every step's estimate: the largest ``|effect|`` of the last one.

        A fixed scale lets colours be compared from step to step: early,
        noisy estimates go beyond it (and saturate) and settle into it as the
        estimate converges. 1 (the largest correlation) when the last
        estimate is undefined or all zeros.

        Examples
        --------
        >>> DynamicsRuns.simulate(n_neurons=4, timesteps=3).estimate_color_limit
        1.0
        """
        final = self.estimate_until(self.timesteps - 1).matrix
        return 1.0 if final is None else symmetric_color_limit(final)

    @functools.cached_property
    def correlation_curve(self):
        """The estimate's correlation with ``A`` along the run, at up to 400 steps.

        Computed from running sums of the perturbations, the outcomes and
        their products: the whole curve costs about ten estimates from the
        whole run (60 ms for 50 neurons and 2000 steps), where estimating at
        each of its points would cost hundreds. It is the same estimate as
        :meth:`estimate_until` gives (the correlation of each neuron's
        perturbations with each neuron's outcomes), added up in another
        order, so the two agree to rounding; NaN where that one is None.

        Returns
        -------
        CorrelationCurve

        Examples
        --------
        >>> runs = DynamicsRuns.simulate(n_neurons=6, timesteps=2000)
        >>> curve = runs.correlation_curve
        >>> int(curve.steps[-1]), round(float(curve.correlations[-1]), 3)
        (1999, 0.965)
        """
        if self.timesteps < 2:
            return CorrelationCurve(np.array([], dtype=int), np.array([]))
        perturbations, outcomes = perturbation_outcome_pairs(
            self.perturbed, perturb_every=self.perturb_every
        )
        n_pairs = perturbations.shape[1]
        counts = np.unique(
            np.linspace(2, n_pairs, max(min(n_pairs - 1, CURVE_POINTS), 0)).round().astype(int)
        )
        steps = (counts - 1) * self.perturb_every + 1
        if counts.size == 0:
            return CorrelationCurve(steps, np.array([]))
        last = counts - 1  # index of the last pair counted at each point

        def running_means(values):
            return (np.cumsum(values, axis=1)[:, last] / counts).T  # (n_points, n_neurons)

        mean_p, mean_o = running_means(perturbations), running_means(outcomes)
        var_p = running_means(perturbations**2) - mean_p**2
        var_o = running_means(outcomes**2) - mean_o**2
        products = np.empty((counts.size, self.n_neurons, self.n_neurons))
        running, start = np.zeros((self.n_neurons, self.n_neurons)), 0
        with _one_blas_thread():
            for point, count in enumerate(counts):
                running += perturbations[:, start:count] @ outcomes[:, start:count].T
                products[point], start = running, count
        covariance = products / counts[:, None, None] - mean_p[:, :, None] * mean_o[:, None, :]

        def varied(values):
            spread = np.maximum.accumulate(values, axis=1) > np.minimum.accumulate(values, axis=1)
            return spread[:, last].all(axis=0)

        defined = varied(perturbations) & varied(outcomes)
        truth = self.connectivity.ravel() - self.connectivity.mean()
        # Undefined points (a variance of 0) and a constant A give NaN, silently:
        # a warning would reach a notebook's stderr.
        with np.errstate(divide="ignore", invalid="ignore"):
            effects = covariance / np.sqrt(var_p[:, :, None] * var_o[:, None, :])
            estimates = effects.transpose(0, 2, 1).reshape(counts.size, -1)  # A's orientation
            estimates = estimates - estimates.mean(axis=1, keepdims=True)
            correlations = (estimates @ truth) / (
                np.linalg.norm(estimates, axis=1) * np.linalg.norm(truth)
            )
        correlations[~defined] = np.nan
        return CorrelationCurve(steps, correlations)


@functools.cache
def _blas_threads():
    # threadpoolctl comes with scikit-learn, a dependency. Finding the BLAS
    # libraries takes milliseconds, so it is done once, on first use.
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_blas_thread():
    """A block in which BLAS uses one thread.

    The estimate's products are small: on a busy two-core machine OpenBLAS's
    two threads wait on each other, which made a step with 50 neurons take
    120 ms rather than 30.
    """
    return _blas_threads().limit(limits=1, user_api="blas")


# --- Panels: each draws into an Axes, then follows the current step ----------------------
#
# A panel lists in ``dynamic_artists`` the artists that change from step to
# step; ``show_step`` updates their data and nothing else, so that the rest
# of the figure (axes, ticks, labels, colour bars) is drawn once and saved,
# and each step draws only those artists over the saved copy (blitting).


def _style_axes(ax, title, *, title_pad=4.0):
    """The explorer's font sizes on ``ax``'s title, labels and tick labels."""
    ax.set_title(title, fontsize=FONT_SIZE + 1, pad=title_pad)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)
    ax.tick_params(labelsize=FONT_SIZE - 1)


def _frame(ax):
    """Replace ``ax``'s four spines by one rectangle, and return it.

    An image drawn on a step covers the inner half of the axes' frame, so the
    frame is drawn again over it, as in a full draw; one rectangle costs a
    quarter of what four spines do.
    """
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.transAxes,
            fill=False,
            edgecolor=mpl.rcParams["axes.edgecolor"],
            linewidth=mpl.rcParams["axes.linewidth"],
            zorder=2.5,
            clip_on=False,
        )
    )


def _number_neurons(*axes):
    """Tick neuron axes at multiples of 1, 2, 5 or 10: the graphs number every fifth neuron."""
    for axis in axes:
        axis.set_major_locator(MaxNLocator(nbins=6, integer=True, steps=[1, 2, 5, 10]))


def _add_colorbar(figure, image, cax, label, **options):
    """A colour bar of ``image`` in ``cax``, labelled in the explorer's font sizes."""
    colorbar = figure.colorbar(image, cax=cax, **options)
    colorbar.set_label(label, fontsize=FONT_SIZE)
    colorbar.ax.tick_params(labelsize=FONT_SIZE - 1)
    return colorbar


class ActivityPanel:
    """Activity (neurons by time) around the current step, which stays framed in one column.

    The window shows ``ACTIVITY_PAST`` steps before the current one and
    ``ACTIVITY_FUTURE`` after it; the activity moves past the frame as the
    step changes, so the axis (steps relative to the current one) never
    changes. Columns before the first step or after the last are grey.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    activity : numpy.ndarray of shape (n_neurons, timesteps)
        The run.
    title : str
        Axes title.

    Attributes
    ----------
    image : matplotlib.image.AxesImage
        The window: column ``c`` is step ``current + c - ACTIVITY_PAST``
        (NaN outside the run), drawn at x = ``c - ACTIVITY_PAST``.
    marker : matplotlib.patches.Rectangle
        The frame around the current step's column, at x = 0.
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, ax, activity, *, title):
        self.ax = ax
        n_neurons, timesteps = activity.shape
        self.width = ACTIVITY_PAST + 1 + ACTIVITY_FUTURE
        # Padded once, so that every window is a slice: no copy, no edge cases per step.
        self._padded = np.full((n_neurons, timesteps + self.width - 1), np.nan)
        self._padded[:, ACTIVITY_PAST : ACTIVITY_PAST + timesteps] = activity
        self.image = ax.imshow(
            self._padded[:, : self.width],
            cmap=ACTIVITY_CMAP,
            vmin=0,
            vmax=1,
            aspect="auto",
            interpolation="nearest",
            extent=(-ACTIVITY_PAST - 0.5, ACTIVITY_FUTURE + 0.5, n_neurons - 0.5, -0.5),
        )
        ax.set_facecolor(NO_DATA_COLOR)
        # White inside black stands out on every colour of the map; the frame is
        # wider than a column so that it surrounds the current column without hiding it.
        self.marker = Rectangle(
            (-MARKER_HALF_WIDTH, -0.5),
            2 * MARKER_HALF_WIDTH,
            n_neurons,
            fill=False,
            edgecolor="white",
            linewidth=2.0,
            path_effects=[patheffects.withStroke(linewidth=4.5, foreground="black")],
        )
        ax.add_patch(self.marker)
        # A pointer above the frame, outside the image, so it is drawn once.
        ax.plot(
            [0],
            [1.0],
            marker="v",
            markersize=8,
            color="black",
            transform=ax.get_xaxis_transform(),
            clip_on=False,
        )
        ax.set_xlim(-ACTIVITY_PAST - 0.5, ACTIVITY_FUTURE + 0.5)
        ax.set_ylim(n_neurons - 0.5, -0.5)
        ticks = list(range(-ACTIVITY_PAST, ACTIVITY_FUTURE + 1, 10))
        ax.set_xticks(ticks, labels=[_relative_step(tick) for tick in ticks])
        _number_neurons(ax.yaxis)
        ax.set_xlabel("Steps from the current one (framed)")
        ax.set_ylabel("Neuron")
        _style_axes(ax, title, title_pad=11.0)
        self.dynamic_artists = [self.image, self.marker, _frame(ax)]

    def show_step(self, step):
        self.image.set_data(self._padded[:, step : step + self.width])


def _relative_step(offset):
    """A tick label of the activity window: "now", "+10", "−20"."""
    if offset == 0:
        return "now"
    return f"+{offset}" if offset > 0 else f"\N{MINUS SIGN}{-offset}"


class NetworkPanel:
    """The network graph with each node coloured by its activity at the current step.

    Every neuron's number is written beside its node (every fifth one's in a
    network of more than 20). For the perturbed run, rings mark the clamped
    neurons (all of them) on the steps where the run clamped them, and are
    hidden on every other step.

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
        The graph; ``network.nodes`` carries the activity as its colour array,
        ``network.labels`` the neurons' numbers.
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
            label_every=1 if runs.n_neurons <= LABEL_EVERY_NEURON_UP_TO else LABEL_STRIDE,
            label_size=FONT_SIZE - 1,
        )
        # Room above the graph for the numbers of the neurons at the top.
        _style_axes(ax, title, title_pad=14.0)
        self.clamp_rings = None
        self.dynamic_artists = [self.network.nodes]
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
            self.dynamic_artists.append(self.clamp_rings)

    def show_step(self, step):
        self.network.nodes.set_array(self.activity[:, step])
        if self.clamp_rings is not None:
            self.clamp_rings.set_visible(self.runs.is_perturbation_step(step))


class EstimatePanel:
    """The true ``A`` above the estimate from the perturbations seen so far.

    Each matrix has its own colour bar, symmetric about 0: the truth's spans
    its largest ``|weight|``; the estimate's is fixed for the whole run
    (:attr:`DynamicsRuns.estimate_color_limit`), so that colours compare
    across steps. The two are in different units (a weight, a correlation):
    compare their patterns, which is what their correlation measures.

    Above the estimate, the number of perturbations it uses and its
    correlation with ``A``. Only those numbers change from step to step: their
    labels are drawn once (drawing text costs about 0.1 ms a character).

    Parameters
    ----------
    true_ax, estimate_ax : matplotlib.axes.Axes
        Where to draw the truth and the estimate.
    runs : DynamicsRuns
        The network and its runs.

    Attributes
    ----------
    true_image, estimate_image : matplotlib.image.AxesImage
        The truth, and the estimate in ``A``'s orientation (all NaN, blank,
        while undefined).
    true_colorbar, estimate_colorbar : matplotlib.colorbar.Colorbar
    n_pairs_text : matplotlib.text.Text
        How many perturbations (with their outcome) the estimate uses, as "12".
    correlation_text : matplotlib.text.Text
        The estimate's correlation with ``A``, as "0.965", "not yet" while there
        is no estimate, or "undefined (A is constant)".
    status : matplotlib.text.Text
        Centred on the estimate and wrapped to fit inside it: why it is not
        shown yet, otherwise empty.
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, true_ax, estimate_ax, runs):
        self.runs = runs
        figure = true_ax.figure
        self.true_image = draw_connectivity_image(true_ax, runs.connectivity)
        # The estimate below has the same columns and says what they are.
        true_ax.set_xlabel("")
        _style_axes(true_ax, "True A")
        self.true_colorbar = _add_colorbar(
            figure, self.true_image, _colorbar_axes(true_ax), "Weight"
        )
        # Zeros to set the image up; show_step blanks it until an estimate exists.
        self.estimate_image = draw_connectivity_image(
            estimate_ax, np.zeros(runs.connectivity.shape)
        )
        limit = runs.estimate_color_limit
        self.estimate_image.set_clim(-limit, limit)
        self.estimate_colorbar = _add_colorbar(
            figure,
            self.estimate_image,
            _colorbar_axes(estimate_ax),
            "Estimated effect",
            extend="both",
        )
        _style_axes(estimate_ax, "Estimate so far", title_pad=2.8 * FONT_SIZE + 5)
        for ax in (true_ax, estimate_ax):
            _number_neurons(ax.xaxis, ax.yaxis)
        self.n_pairs_text = _labelled_value(estimate_ax, "perturbations:", line=1)
        self.correlation_text = _labelled_value(estimate_ax, "r with A:", line=0)
        self.status = estimate_ax.text(
            0.5,
            0.5,
            "",
            transform=estimate_ax.transAxes,
            ha="center",
            va="center",
            fontsize=FONT_SIZE,
            linespacing=1.3,
        )
        self.dynamic_artists = [
            self.estimate_image,
            self.n_pairs_text,
            self.correlation_text,
            self.status,
            _frame(estimate_ax),
        ]

    def show_step(self, step):
        estimate = self.runs.estimate_until(step)
        if estimate.matrix is None:
            self.estimate_image.set_data(np.full(self.runs.connectivity.shape, np.nan))
            self.status.set_text(textwrap.fill(estimate.reason, STATUS_WIDTH))
        else:
            self.estimate_image.set_data(estimate.matrix)
            self.status.set_text("")
        self.n_pairs_text.set_text(str(estimate.n_pairs))
        if estimate.correlation is not None:
            self.correlation_text.set_text(f"{estimate.correlation:.3f}")
        elif estimate.matrix is None:
            self.correlation_text.set_text("not yet")
        else:
            self.correlation_text.set_text("undefined (A is constant)")


def _labelled_value(ax, label, *, line):
    """A line above ``ax``: ``label`` drawn once, then a value text returned to update.

    The label ends and the value starts at the axes' centre; ``line`` 0 sits
    just above the axes, line 1 above it.
    """
    above = 4 + line * 1.4 * FONT_SIZE
    options = {
        "xy": (0.5, 1.0),
        "xycoords": "axes fraction",
        "textcoords": "offset points",
        "va": "bottom",
        "fontsize": FONT_SIZE,
    }
    ax.annotate(label, xytext=(-2, above), ha="right", color="0.3", **options)
    return ax.annotate("", xytext=(2, above), ha="left", fontweight="bold", **options)


def _colorbar_axes(ax):
    """Axes for a colour bar just right of ``ax``'s matrix, as tall as the matrix.

    An inset follows ``ax``'s box after its equal aspect has shrunk it, where
    a grid column would leave a gap that depends on the figure's shape.
    """
    return ax.inset_axes([1.06, 0.0, 0.07, 1.0])


class ConvergencePanel:
    """The estimate's correlation with ``A`` from the first step to the current one.

    The x axis spans the whole run, so the line shows how far the estimate
    has come and how much of the run is left; it ends at the current step's
    correlation, the one the estimate's title gives.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    runs : DynamicsRuns
        The network and its runs.

    Attributes
    ----------
    line : matplotlib.lines.Line2D
        The correlation at the points of ``runs.correlation_curve`` up to the
        current step, then at the current step.
    point : matplotlib.lines.Line2D
        The current step's correlation (no point while it is undefined).
    now : matplotlib.lines.Line2D
        A vertical line at the current step.
    dynamic_artists : list
        The artists redrawn on every step.
    """

    def __init__(self, ax, runs):
        self.runs = runs
        correlations = runs.correlation_curve.correlations
        lowest = np.nanmin(correlations) if np.isfinite(correlations).any() else 0.0
        last_step = max(runs.timesteps - 1, 1)
        # A margin, so that the point on the last step is not cut in half.
        ax.set_xlim(-0.01 * last_step, 1.01 * last_step)
        ax.set_ylim(min(0.0, lowest) - 0.05, 1.05)
        ax.axhline(1.0, color="0.6", linewidth=0.8, linestyle="--")
        ax.axhline(0.0, color="0.6", linewidth=0.8)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
        ax.set_yticks([0.0, 0.5, 1.0])
        ax.set_xlabel("Step")
        ax.set_ylabel("r with A")
        _style_axes(ax, "Correlation of the estimate with the true A, up to the current step")
        (self.line,) = ax.plot([], [], color=CURVE_COLOR, linewidth=1.8)
        (self.point,) = ax.plot([], [], "o", color=CURVE_COLOR, markersize=6)
        self.now = ax.axvline(0, color="black", linewidth=1.2)
        self.dynamic_artists = [self.now, self.line, self.point]

    def show_step(self, step):
        curve = self.runs.correlation_curve
        seen = curve.steps <= step
        steps, correlations = curve.steps[seen], curve.correlations[seen]
        correlation = self.runs.estimate_until(step).correlation
        current = [] if correlation is None else [correlation]
        self.line.set_data(
            np.append(steps, [step] * len(current)), np.append(correlations, current)
        )
        self.point.set_data([step] * len(current), current)
        self.now.set_xdata([step, step])


class ExplorerFigure(BlittedFigure):
    """The explorer's figure: both runs, their graphs, the estimate and its convergence.

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
    convergence : ConvergencePanel
    activity_colorbar : matplotlib.colorbar.Colorbar
        The activity's colour scale, which the nodes' colours share.
    """

    def __init__(self, runs, figure=None):
        if figure is None:
            figure = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI)
        figure.clear()
        FigureCanvasAgg(figure)
        self.figure = figure
        self.runs = runs
        # A fixed grid (a layout engine would recompute it on every draw). Columns:
        # activity, a gap, its colour bar, room for that bar's labels, the networks,
        # a gap, the matrices (their colour bars are insets to their right).
        grid = figure.add_gridspec(
            3,
            7,
            width_ratios=[3.0, 0.1, 0.12, 0.55, 2.5, 0.3, 2.0],
            height_ratios=[1, 1, 0.4],
            left=0.062,
            right=0.905,
            top=0.93,
            bottom=0.07,
            wspace=0.0,
            hspace=0.62,
        )
        self.unperturbed_activity = ActivityPanel(
            figure.add_subplot(grid[0, 0]), runs.unperturbed, title="Unperturbed run"
        )
        self.perturbed_activity = ActivityPanel(
            figure.add_subplot(grid[1, 0]),
            runs.perturbed,
            title=f"Perturbed run (all clamped every {runs.perturb_every} steps)",
        )
        self.activity_colorbar = _add_colorbar(
            figure,
            self.unperturbed_activity.image,
            figure.add_subplot(grid[0:2, 2]),
            "Activity (also the node colour)",
        )
        self.unperturbed_network = NetworkPanel(
            figure.add_subplot(grid[0, 4]), runs, perturbed=False, title="Unperturbed network"
        )
        self.perturbed_network = NetworkPanel(
            figure.add_subplot(grid[1, 4]),
            runs,
            perturbed=True,
            title="Perturbed network\n(red rings: clamped)",
        )
        self.estimate = EstimatePanel(
            figure.add_subplot(grid[0, 6]), figure.add_subplot(grid[1, 6]), runs
        )
        self.convergence = ConvergencePanel(figure.add_subplot(grid[2, :]), runs)
        self._panels = [
            self.unperturbed_activity,
            self.perturbed_activity,
            self.unperturbed_network,
            self.perturbed_network,
            self.estimate,
            self.convergence,
        ]
        self._dynamic_artists = [
            artist for panel in self._panels for artist in panel.dynamic_artists
        ]
        self._backgrounds = {}

    def show_step(self, step):
        """Move every panel to ``step`` by updating its artists' data."""
        for panel in self._panels:
            panel.show_step(step)


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
    figure shows, for each run, the activity around the step (framed) and the
    network with each node coloured by its activity (red rings mark the
    clamped neurons on perturbation steps); the connectivity estimated from
    the perturbations seen so far beside the true ``A``; and the estimate's
    correlation with ``A`` from the first step to the current one. With the
    defaults it climbs from 0.69 after 200 steps to 0.97 at the last step.
    NumPy's global random state is left as it was.

    Play moves 1, 5 or 25 steps a frame (``play_speed``, 25 at first: the
    whole default run in about 16 seconds), and stops on the last step.

    Display the object in a notebook (make it a cell's last expression, or
    call ``IPython.display.display`` on it). It works with the default inline
    backend in JupyterLab, Notebook 7 and Voila.

    Parameters
    ----------
    n_neurons : int, default=6
        Number of neurons, from 1 to 60.
    timesteps : int, default=2000
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
    play_speed : ipywidgets.ToggleButtons
        How many steps Play moves a frame: 1, 5 or 25.
    step_back_button, step_forward_button : ipywidgets.Button
        Move one step.
    step_readout : ipywidgets.Label
        Names the current step, for example "step 3 of 1999 · free-running step".
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

    def __init__(self, *, n_neurons=6, timesteps=DEFAULT_TIMESTEPS, perturb_every=2, seed=42):
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
                layout=ipywidgets.Layout(width="360px"),
            ),
            "nmacausal-time-slider",
        )
        self.play = with_class(
            ipywidgets.Play(
                value=0,
                min=0,
                max=last_step,
                step=DEFAULT_PLAY_SPEED,
                interval=PLAY_INTERVAL_MS,
            ),
            "nmacausal-play",
        )
        ipywidgets.jslink((self.play, "value"), (self.time_slider, "value"))
        self.play_speed = with_class(
            ipywidgets.ToggleButtons(
                options=[(str(speed), speed) for speed in PLAY_SPEEDS],
                value=DEFAULT_PLAY_SPEED,
                tooltips=[f"Play moves {speed} step(s) a frame" for speed in PLAY_SPEEDS],
                style={"button_width": "44px"},
            ),
            "nmacausal-play-speed",
        )
        self.step_back_button = with_class(
            ipywidgets.Button(description="◀ step", layout=ipywidgets.Layout(width="70px")),
            "nmacausal-step-back",
        )
        self.step_forward_button = with_class(
            ipywidgets.Button(description="step ▶", layout=ipywidgets.Layout(width="70px")),
            "nmacausal-step-forward",
        )
        self.step_readout = with_class(
            ipywidgets.Label(layout=ipywidgets.Layout(margin="0 0 0 16px")),
            "nmacausal-step-readout",
        )
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
        self.play_speed.observe(self._on_speed_change, names="value")
        self.play.observe(self._on_play_stop, names="playing")
        self.step_back_button.on_click(lambda _: self._move(-1))
        self.step_forward_button.on_click(lambda _: self._move(+1))
        for control in (
            self.n_neurons_slider,
            self.perturb_every_slider,
            self.seed_input,
            self.timesteps_input,
        ):
            control.observe(self._on_parameter_change, names="value")

        # Two short rows rather than one long one: a laptop's notebook column is
        # about 870 pixels wide.
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox(
                    [self.play, self.step_back_button, self.time_slider, self.step_forward_button]
                ),
                # The toggle's own description would sit above its buttons.
                ipywidgets.HBox(
                    [ipywidgets.Label("Steps per frame:"), self.play_speed, self.step_readout],
                    layout=ipywidgets.Layout(align_items="center"),
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

    def _on_speed_change(self, change):
        self.play.step = change["new"]

    def _on_play_stop(self, change):
        # Play stops when its next frame would pass the last step, which a speed
        # that does not divide the run never reaches; show it rather than stop short.
        slider = self.time_slider
        if not change["new"] and slider.max - self.play.step < slider.value < slider.max:
            slider.value = slider.max

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
