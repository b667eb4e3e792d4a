"""The day in one figure: the four methods' estimates of one network, under conditions you set.

:class:`MethodsExplorer` shows, for one network, the true connectivity beside
the estimate of each method of the day (perturbation, lagged correlation,
regression, instrumental variables), each titled with its correlation with the
truth, and lets a student change the conditions under which the methods
differ: the size of the network, the length of the recordings, the fraction of
neurons observed, the strength of the instrument, the sparsity and the seed.
A small panel plots each method's correlation against the parameter last
moved, one point per value seen (a button sweeps all of its values), so that
the student sees where each method breaks down.

Three layers, as in :mod:`~nmacausal.widgets.dynamics`:

- the model, :class:`~nmacausal.model.comparison.MethodsComparer` (no display):
  the recordings and estimates, each kept and reused by what it depends on;
  and :class:`QualityTrace`, the points of the quality panel;
- the figure, :class:`MethodsFigure`: the panels of
  :mod:`~nmacausal.plotting.comparison` drawn once, then updated in place and
  drawn over a saved rendering of what does not change (one per network size
  and parameter on the quality panel's axis);
- :class:`MethodsExplorer`, a thin layer of ipywidgets controls. The sliders act
  when released (a change may need new simulations, about 150 ms at 50
  neurons and 5000 timesteps); the seed when typed. While the kernel is idle,
  its event loop estimates the other fractions observed of the network shown,
  one between two messages, so that moving that slider needs neither
  simulation nor estimation.

The figure is a plain :class:`matplotlib.figure.Figure` drawn by Agg, not a
pyplot figure, so the inline backend never shows a stray copy, and importing
this module draws nothing. NumPy's global random state is left as it was.
"""

from __future__ import annotations

import asyncio
import dataclasses
import numbers
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import _describe, check_integer
from ..model.comparison import METHODS, ComparisonConditions, MethodsComparer
from ..plotting.comparison import (
    CAPTION,
    CAPTION_HEIGHT,
    METHODS_FIGURE_SIZE,
    add_methods_axes,
    correlation_title,
    draw_methods_comparison,
    draw_quality_trace,
    quality_ylim,
)
from ._controls import show_png, with_class
from ._explorer import MAX_TIMESTEPS, BlittedFigure, slider

__all__ = [
    "MethodsExplorer",
    "MethodsFigure",
    "QualityTrace",
]

# The still figure's size without its caption, which the explorer writes under the figure
# as text: fewer pixels to draw and encode on every change.
FIGURE_SIZE = (METHODS_FIGURE_SIZE[0], METHODS_FIGURE_SIZE[1] - CAPTION_HEIGHT)
FIGURE_DPI = 96  # with FIGURE_SIZE: 844 x 599 pixels, shown unscaled
CLASS_PREFIX = "nmacausal-methods"
MIN_NEURONS = 2
MAX_NEURONS = 100
MAX_ETA = 20.0
SEEDS_SWEPT = 10  # the seed's sweep: this many seeds from the current one
# Saved renderings of the figure's unchanging part, one per network size and quality
# axis, kept (2 MB each) for the last few: going back to one is a quick redraw.
BACKGROUNDS_KEPT = 6
PICTURES_KEPT = 32  # PNGs of the figures shown last, about 100 kB each
# Between two estimates made ahead, the kernel's event loop is left this long to itself,
# so that a slider's message never waits behind more than one.
AHEAD_PAUSE_S = 0.01


@dataclass(frozen=True)
class Parameter:
    """One condition the explorer lets a student move, and how it is shown.

    Attributes
    ----------
    name : str
        The :class:`~nmacausal.model.comparison.ComparisonConditions` field.
    description : str
        The control's label.
    positions : tuple
        The slider's positions (the seed has none: it is typed).
    axis_label : str
        The quality panel's x axis when this parameter is moved.
    log : bool
        Whether that axis is logarithmic.
    label : callable
        A value as the slider writes it.
    tick_label : callable or None
        A value as the axis writes it, if shorter than ``label`` (ticks are close).
    """

    name: str
    description: str
    positions: tuple
    axis_label: str
    log: bool = False
    label: Callable = field(default="{:g}".format)
    tick_label: Callable | None = None


PARAMETERS = {
    parameter.name: parameter
    for parameter in (
        Parameter("n_neurons", "neurons", (5, 10, 20, 30, 40, 50, 75, 100), "Number of neurons"),
        Parameter(
            "timesteps",
            "timesteps",
            (200, 500, 1000, 2000, 5000, 10_000, 20_000),
            "Timesteps (log scale)",
            log=True,
            tick_label=lambda value: f"{value / 1000:g}k" if value >= 1000 else f"{value}",
        ),
        Parameter(
            "observed_fraction",
            "observed",
            tuple(k / 10 for k in range(1, 11)),
            "Neurons observed",
            label=lambda value: f"{round(100 * value)}%",
        ),
        Parameter(
            "eta",
            "instrument η",
            (0.12, 0.25, 0.5, 1.0, 2.0, 4.0),
            "Instrument strength η (log scale)",
            log=True,
        ),
        Parameter(
            "p",
            "sparsity p",
            (0.2, 0.5, 0.7, 0.8, 0.9, 0.95),
            "Sparsity p (chance of no connection)",
        ),
        Parameter("seed", "seed", (), "Seed of the network and the noise"),
    )
}


# --- The quality panel's points ----------------------------------------------------------


class QualityTrace:
    """Each method's correlation at the values seen of one parameter, the others fixed.

    Parameters
    ----------
    parameter : str
        The parameter moved (a key of ``PARAMETERS``).

    Examples
    --------
    >>> trace = QualityTrace("eta")
    >>> trace.record(2.0, {"iv": 0.4})
    >>> trace.record(0.5, {"iv": 0.2})
    >>> trace.values, trace.correlations()["iv"]
    ([0.5, 2.0], [0.2, 0.4])
    """

    def __init__(self, parameter):
        self.parameter = parameter
        self._points = {}

    def record(self, value, correlations):
        """Keep each method's correlation (None: undefined) at ``value``."""
        self._points[value] = dict(correlations)

    @property
    def values(self):
        """The values seen, in increasing order."""
        return sorted(self._points)

    def correlations(self):
        """For each method, its correlation at each of :attr:`values` (None: undefined)."""
        return {
            method: [self._points[value].get(method) for value in self.values] for method in METHODS
        }

    def points(self):
        """Every point, hashable: ``((value, (r of each method in METHODS order)), ...)``."""
        return tuple(
            (value, tuple(self._points[value].get(method) for method in METHODS))
            for value in self.values
        )

    def __len__(self):
        return len(self._points)


# --- Figure -----------------------------------------------------------------------------


class MethodsFigure(BlittedFigure):
    """The explorer's figure: the truth, the four estimates and the quality panel.

    Built once; :meth:`show` updates the artists' data. What changes with the
    conditions (images, titles, outlines, the quality panel's lines) is drawn
    over a saved rendering of the rest, kept for each network size and each
    parameter on the quality panel's axis.

    Parameters
    ----------
    comparison : MethodsComparison
        What to show first.
    trace : QualityTrace
        The quality panel's points.
    parameter : Parameter
        The parameter of ``trace``, with the explorer's slider positions.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Rendered by Agg; not managed by pyplot.
    matrices : nmacausal.plotting.MethodsArtists
        The truth's and the estimates' artists.
    quality : nmacausal.plotting.QualityTraceArtists
        The quality panel's artists.
    """

    def __init__(self, comparison, trace, parameter):
        figure = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI)
        FigureCanvasAgg(figure)
        axes = add_methods_axes(figure, caption=False)
        self.figure = figure
        self.matrices = draw_methods_comparison(axes, comparison)
        self.quality = draw_quality_trace(axes.quality)
        self._dynamic_artists = self.matrices.dynamic_artists + self.quality.dynamic_artists
        self._backgrounds = _Recent(BACKGROUNDS_KEPT)
        self._axis = None
        self.show(comparison, trace, parameter)

    def show(self, comparison, trace, parameter):
        """Show ``comparison``, and the points of ``trace`` against ``parameter`` (a Parameter)."""
        self.matrices.show(comparison)
        correlations = trace.correlations()
        limits, ylim = _axis_limits(parameter, trace.values), quality_ylim(correlations)
        axis = (parameter.name, limits, ylim)
        if axis != self._axis:
            self.quality.set_axis(
                parameter.axis_label, limits, log=parameter.log, ylim=ylim, **_ticks(parameter)
            )
            self._axis = axis
        current = getattr(comparison.conditions, parameter.name)
        self.quality.show(trace.values, correlations, current)
        self.comparison, self.trace = comparison, trace

    def _background_key(self):
        return (self.matrices.n_neurons, self._axis)


# --- Controls ---------------------------------------------------------------------------


class MethodsExplorer:
    """The four methods of the day on one network, under conditions you set.

    One network, ``create_connectivity(n_neurons, random_state=seed, p=p)``,
    recorded three ways: perturbed (for the perturbation estimate), left
    alone (for lagged correlation and regression) and driven by an instrument
    of strength ``eta`` (for IV); see :mod:`~nmacausal.model.comparison`. The
    first ``int(n_neurons * observed_fraction)`` neurons are observed, and each
    method estimates the connections among them from their recordings alone.
    The figure shows the true connectivity (the unobserved neurons'
    connections faded) beside the four estimates, each titled with its
    correlation ``r`` with the truth, and a panel of each method's ``r``
    against the parameter last moved: one point per value seen, kept until
    another parameter is moved; the sweep button fills in all of its values.
    NumPy's global random state is left as it was.

    Display the object in a notebook (a cell's last expression, or
    ``IPython.display.display``). It works with the default inline backend in
    JupyterLab, Notebook 7 and Voila.

    Parameters
    ----------
    n_neurons : int, default=50
        Number of neurons, from 2 to 100.
    timesteps : int, default=5000
        Length of each recording, from 4 to 20000.
    observed_fraction : float, default=0.5
        Fraction of the neurons observed, in ``(0, 1]``.
    eta : float, default=2
        Strength of the instrument, from 0 (none: IV is undefined) to 20.
    p : float, default=0.9
        Probability that a possible connection is absent, in ``[0, 1]``.
    seed : int, default=42
        Seed of the network and of every recording's noise, from 0 to 2**32 - 1.
    regression_args : mapping, optional
        Keyword arguments of ``sklearn.linear_model.Lasso``; by default
        Tutorial 4's, :data:`~nmacausal.COMPARISON_REGRESSION_ARGS`.

    A value that is not one of a slider's positions becomes one.

    Attributes
    ----------
    n_neurons_slider, timesteps_slider, observed_slider, eta_slider, sparsity_slider :
    ipywidgets.SelectionSlider
        The conditions; set a ``value`` (one of the slider's) to drive the
        explorer from code.
    seed_input : ipywidgets.BoundedIntText
        The seed.
    sweep_button : ipywidgets.Button
        Computes every value of the parameter last moved, for the quality panel.
    status : ipywidgets.Label
        The conditions shown, in words.
    comparison : MethodsComparison
        What the matrices show.
    trace : QualityTrace
        What the quality panel shows.
    view : MethodsFigure
        The panels and their artists.
    figure : matplotlib.figure.Figure
        The figure (the same object for the explorer's whole life).
    figure_output : ipywidgets.Output
        Holds the rendered figure.
    caption : ipywidgets.HTML
        Under the figure: what its colours and ``r`` mean.
    widget : ipywidgets.VBox
        What a notebook displays.

    Raises
    ------
    TypeError, ValueError
        If a condition is not in its range, or ``regression_args`` is not a
        mapping of ``Lasso`` keyword arguments.

    Examples
    --------
    >>> explorer = MethodsExplorer(n_neurons=20, timesteps=2000)
    >>> explorer.comparison.n_observed
    10
    >>> explorer.observed_slider.value = 1.0
    >>> explorer.comparison.n_observed, explorer.trace.values
    (20, [0.5, 1.0])
    """

    def __init__(
        self,
        *,
        n_neurons=50,
        timesteps=5000,
        observed_fraction=0.5,
        eta=2.0,
        p=0.9,
        seed=42,
        regression_args=None,
    ):
        conditions = _check_conditions(
            n_neurons=n_neurons,
            timesteps=timesteps,
            observed_fraction=observed_fraction,
            eta=eta,
            p=p,
            seed=seed,
        )
        self.comparer = MethodsComparer(regression_args)
        # threadpoolctl comes with scikit-learn, which the comparer has imported (and with
        # it SciPy's BLAS, which Lasso uses): found once here, not on every change.
        from threadpoolctl import ThreadpoolController

        self._threads = ThreadpoolController()
        self._ahead = []  # conditions to estimate while the kernel is idle
        self._scheduled = False
        self._pictures = _Recent(PICTURES_KEPT)
        self.comparison = self._compare(conditions)
        self.trace = QualityTrace("observed_fraction")
        self.trace.record(conditions.observed_fraction, self.comparison.correlations)
        # The sliders' positions: the usual ones, and the value asked for.
        self.parameters = {
            name: dataclasses.replace(
                parameter,
                positions=tuple(sorted({*parameter.positions, getattr(conditions, name)})),
            )
            if parameter.positions
            else parameter
            for name, parameter in PARAMETERS.items()
        }
        self.view = MethodsFigure(self.comparison, self.trace, self.parameters["observed_fraction"])
        self.figure = self.view.figure
        self._build_controls(conditions)
        self._show()

    # The model and its figure, driven by the controls' callbacks.

    @property
    def conditions(self):
        """The conditions shown: a :class:`~nmacausal.model.comparison.ComparisonConditions`."""
        return self.comparison.conditions

    @property
    def correlations(self):
        """Each method's correlation with the truth (None where undefined), by method."""
        return self.comparison.correlations

    @property
    def correlation_text(self):
        """The four titles' correlations in one line, e.g. ``"Perturbation r = 0.80, ..."``."""
        return ", ".join(
            f"{result.label} {correlation_title(result.correlation)}"
            for result in self.comparison.estimates.values()
        )

    def sweep(self):
        """Compute every value of the parameter last moved, for the quality panel.

        Its slider's positions (for the seed, the ten seeds from the current
        one), the other conditions as they are; the matrices stay as they are.
        """
        parameter = self.parameters[self.trace.parameter]
        for value in _sweep_values(parameter, self.conditions):
            swept = self._compare(self.conditions.replace(**{parameter.name: value}))
            self.trace.record(value, swept.correlations)
        self._show()

    def estimate_ahead(self):
        """Make now the estimates an idle kernel makes between messages.

        In a kernel, the explorer estimates the other fractions observed of the
        network shown while the kernel is idle; without one (a script, a test)
        nothing runs in between, and this makes them at once.
        """
        while self._ahead:
            self._estimate_one_ahead()

    def _on_change(self, name, value):
        previous = self.comparison
        self.comparison = self._compare(previous.conditions.replace(**{name: value}))
        if name != self.trace.parameter:
            # Another parameter moved: the points of the last one no longer share these
            # conditions. The new one's previous value does.
            self.trace = QualityTrace(name)
            self.trace.record(getattr(previous.conditions, name), previous.correlations)
        self.trace.record(value, self.comparison.correlations)
        self._show()

    def _compare(self, conditions):
        # One BLAS thread: the products are small, and on a busy two-core machine
        # OpenBLAS's two threads wait on each other (as in the other explorers).
        with self._threads.limit(limits=1, user_api="blas"):
            return self.comparer.compare(conditions)

    def _estimate_other_fractions(self):
        """Queue every other fraction observed of the network shown, to estimate when idle.

        The nearest fractions first; nothing is simulated (the recordings are
        those shown). In a kernel, its event loop runs them one at a time
        between messages, in the kernel's thread, so that a move waits for at
        most one (a thread would share the caches and ``warnings``' global
        filters with the student's code). A change replaces the queue.
        """
        conditions = self.conditions
        fractions = sorted(
            self.parameters["observed_fraction"].positions,
            key=lambda fraction: abs(fraction - conditions.observed_fraction),
        )
        self._ahead = [
            conditions.replace(observed_fraction=fraction)
            for fraction in fractions
            if fraction != conditions.observed_fraction
        ]
        self._schedule_ahead()

    def _schedule_ahead(self):
        if self._scheduled or not self._ahead:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no kernel's event loop: estimate_ahead() does it on demand
            return
        self._scheduled = True
        loop.call_later(AHEAD_PAUSE_S, self._run_one_ahead)

    def _run_one_ahead(self):
        self._scheduled = False
        if self._ahead:  # estimate_ahead() may have emptied the queue since
            self._estimate_one_ahead()
        self._schedule_ahead()

    def _estimate_one_ahead(self):
        try:
            self._compare(self._ahead.pop(0))
        except Exception:
            # Left to the move: the same computation, made when the student moves
            # there, reports the error where it belongs.
            self._ahead = []

    def _show(self):
        parameter = self.parameters[self.trace.parameter]
        self.view.show(self.comparison, self.trace, parameter)
        # A picture shown before (going back to a fraction observed, say) is the same
        # picture: it is kept, not drawn again. The artists are updated all the same,
        # so that the figure itself always shows what the explorer shows.
        key = (self.conditions, self.trace.parameter, self.trace.points())
        if key not in self._pictures:
            self._pictures[key] = self.view.render_png()
        show_png(self.figure_output, self._pictures[key], f"<MethodsExplorer figure: {self}>")
        self.status.value = _describe_conditions(self.conditions)
        self.sweep_button.description = f"Sweep {parameter.description}"
        self._estimate_other_fractions()

    def __str__(self):
        return f"{_describe_conditions(self.conditions)}; {self.correlation_text}"

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _build_controls(self, conditions):
        self.n_neurons_slider = self._slider("n_neurons", conditions)
        self.timesteps_slider = self._slider("timesteps", conditions)
        self.observed_slider = self._slider("observed_fraction", conditions)
        self.eta_slider = self._slider("eta", conditions)
        self.sparsity_slider = self._slider("p", conditions)
        self.seed_input = with_class(
            ipywidgets.BoundedIntText(
                value=conditions.seed,
                min=0,
                max=2**32 - 1,
                description="seed",
                continuous_update=False,
                layout=ipywidgets.Layout(width="180px"),
            ),
            f"{CLASS_PREFIX}-seed",
        )
        self.seed_input.observe(lambda change: self._on_change("seed", change["new"]), "value")
        self.sweep_button = with_class(
            ipywidgets.Button(layout=ipywidgets.Layout(width="190px")),
            f"{CLASS_PREFIX}-sweep",
        )
        self.sweep_button.on_click(lambda _: self._sweep_from_button())
        self.status = with_class(ipywidgets.Label(), f"{CLASS_PREFIX}-status")
        self.figure_output = with_class(ipywidgets.Output(), f"{CLASS_PREFIX}-figure")
        self.caption = with_class(
            ipywidgets.HTML(
                f'<div style="font-size: 0.85em; line-height: 1.35; color: #555; max-width: 800px; '
                f'margin-left: 40px">{CAPTION}</div>'
            ),
            f"{CLASS_PREFIX}-caption",
        )
        self.widget = ipywidgets.VBox(
            [
                ipywidgets.HBox(
                    [self.n_neurons_slider, self.timesteps_slider, self.observed_slider]
                ),
                ipywidgets.HBox(
                    [self.eta_slider, self.sparsity_slider, self.seed_input, self.sweep_button]
                ),
                self.status,
                self.figure_output,
                self.caption,
            ]
        )

    def _slider(self, name, conditions):
        parameter = self.parameters[name]
        control = with_class(
            slider(
                ipywidgets.SelectionSlider,
                getattr(conditions, name),
                None,
                parameter.description,
                width="310px",
                while_dragged=False,
                options=[(parameter.label(value), value) for value in parameter.positions],
                style={"description_width": "90px"},
            ),
            f"{CLASS_PREFIX}-{name.replace('_', '-')}",
        )
        control.observe(lambda change: self._on_change(name, change["new"]), "value")
        return control

    def _sweep_from_button(self):
        button = self.sweep_button
        description, button.description, button.disabled = button.description, "Sweeping…", True
        try:
            self.sweep()
        finally:
            button.description, button.disabled = description, False


# --- Helpers ----------------------------------------------------------------------------


def _check_conditions(**conditions):
    """The constructor's conditions, checked against the explorer's bounds too."""
    check_integer(conditions["n_neurons"], "n_neurons", minimum=MIN_NEURONS, maximum=MAX_NEURONS)
    check_integer(conditions["timesteps"], "timesteps", maximum=MAX_TIMESTEPS)
    eta = conditions["eta"]
    if isinstance(eta, numbers.Real) and not isinstance(eta, bool) and eta > MAX_ETA:
        raise ValueError(f"`eta` must be a number in [0, {MAX_ETA:g}], got {_describe(eta)}.")
    return ComparisonConditions(**conditions)


def _describe_conditions(conditions):
    """``"25 of 50 neurons observed · 5000 timesteps · η = 2 · p = 0.9 · seed 42"``."""
    return (
        f"{conditions.n_observed} of {conditions.n_neurons} neurons observed · "
        f"{conditions.timesteps} timesteps · η = {conditions.eta:g} · p = {conditions.p:g} · "
        f"seed {conditions.seed}"
    )


def _sweep_values(parameter, conditions):
    if parameter.name == "seed":
        first = min(conditions.seed, 2**32 - SEEDS_SWEPT)
        return range(first, first + SEEDS_SWEPT)
    return parameter.positions


def _axis_limits(parameter, values):
    """The quality panel's x range: the slider's with a margin; the seed's, the seeds seen.

    The seeds' range is whole tens (40 to 49, say), so that trying the next seed
    seldom changes the axis (which would cost a full redraw).
    """
    if not parameter.positions:
        low = min(values) // SEEDS_SWEPT * SEEDS_SWEPT
        high = max(max(values) // SEEDS_SWEPT * SEEDS_SWEPT + SEEDS_SWEPT - 1, low + 1)
        return low - 0.5, high + 0.5
    low, high = min(parameter.positions), max(parameter.positions)
    if parameter.log:
        return low / 1.4, high * 1.4
    margin = (high - low) * 0.06
    return low - margin, high + margin


def _ticks(parameter):
    """A tick at each slider position, every other one labelled when they are many."""
    if not parameter.positions:
        return {}
    crowded = len(parameter.positions) > 7
    label = parameter.tick_label or parameter.label
    labels = [
        "" if crowded and index % 2 == 0 else label(value)
        for index, value in enumerate(parameter.positions)
    ]
    return {"ticks": parameter.positions, "tick_labels": labels}


class _Recent(OrderedDict):
    """A dict that keeps only the ``size`` entries set last."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
