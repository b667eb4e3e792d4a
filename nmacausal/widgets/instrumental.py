"""Tutorial 4's interactive demo: IV against regression when only some neurons are observed.

:class:`IVObservedNeuronsExplorer` (Interactive Demo 3, "Estimating
connectivity with IV vs regression on a subset of observed neurons")
simulates one network with an instrument once (30 neurons, 20000 timesteps,
``eta = 2``, seed 42, as the tutorial), and a slider sets the fraction of its
neurons that is observed: 0.2 to 1 in steps of 0.2. For each position the
connectivity among the first ``int(ratio * n_neurons)`` neurons is estimated
twice from their recordings alone: by two-stage least squares with their
instruments (:func:`~nmacausal.model.instrumental.get_iv_estimate_network`)
and by Lasso regression on their activity
(:func:`~nmacausal.model.regression.get_regression_estimate_full_connectivity`,
with :data:`~nmacausal.model.instrumental.COMPARISON_REGRESSION_ARGS`). The
figure shows the true block, both estimates and the correlation of each with
the truth. NumPy's global random state is left as it was.

The tutorial refits both estimates on every change and warns that its cell
takes about a minute. Here each position's estimates are computed once and
kept, and moving the slider updates the data of the figure's artists, drawn
over a saved rendering of the rest: a redraw takes well under 300 ms, so the
slider updates while dragged.

The figure is a plain :class:`matplotlib.figure.Figure` drawn by Agg, not a
pyplot figure, so the inline backend never shows a stray copy, and importing
this module draws nothing.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import _describe, check_integer
from ..model.instrumental import (
    COMPARISON_REGRESSION_ARGS,
    TUTORIAL_ETA,
    get_iv_estimate_network,
    simulate_neurons_iv,
)
from ..model.regression import _n_observed, get_regression_estimate_full_connectivity
from ..model.simulation import isolated_random_state
from ..plotting.instrumental import IV_DEMO_FIGURE_SIZE, add_iv_demo_axes, draw_iv_demo
from ..plotting.regression import correlation_headline, observed_block_correlation
from ._explorer import BlittedFigure, SliderExplorer, slider

__all__ = [
    "IVDemoFigure",
    "IVObservedNeuronsExplorer",
    "IVSetting",
]

#: The slider's positions in the tutorial's demo: the fractions of neurons observed.
DEMO_RATIOS = (0.2, 0.4, 0.6, 0.8, 1.0)

# Bounds of the constructor's arguments (the least timesteps and the seed's: as the
# other explorers').
MIN_NEURONS = 4
MAX_NEURONS = 100
MAX_TIMESTEPS = 50_000
MAX_ETA = 20.0

FIGURE_DPI = 96  # with IV_DEMO_FIGURE_SIZE: 979 x 384 pixels
CLASS_PREFIX = "nmacausal-instrumental"


# --- Model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IVSetting:
    """One position of the slider: how many neurons are observed, and both estimates.

    Attributes
    ----------
    ratio : float
        The fraction observed, as the slider gives it.
    n_observed : int
        The first ``n_observed = int(ratio * n_neurons)`` neurons (at least 1) are observed.
    iv_estimate : numpy.ndarray of shape (n_observed, n_observed)
        The IV estimate of ``A[:n_observed, :n_observed]`` from ``X[:n_observed]``
        and ``Z[:n_observed]`` alone, in ``A``'s orientation.
    regression_estimate : numpy.ndarray of shape (n_observed, n_observed)
        The Lasso estimate of the same block from ``X[:n_observed]`` alone.
    iv_correlation, regression_correlation : float or None
        Pearson correlation of the true block with each estimate; None when
        undefined (either is the same everywhere).
    """

    ratio: float
    n_observed: int
    iv_estimate: np.ndarray
    regression_estimate: np.ndarray
    iv_correlation: float | None
    regression_correlation: float | None

    @property
    def summary(self):
        """``"IV correlation: 0.85, regression correlation: 0.41"``."""
        return (
            f"IV {_lower_first(correlation_headline(self.iv_correlation))}, regression "
            f"{_lower_first(correlation_headline(self.regression_correlation))}"
        )


# --- Figure -----------------------------------------------------------------------------


class IVDemoFigure(BlittedFigure):
    """The demo's three panels, drawn once and then updated in place.

    Built with :func:`~nmacausal.plotting.draw_iv_demo` in the fixed layout of
    :func:`~nmacausal.plotting.add_iv_demo_axes`; :meth:`show` updates the
    artists' data.

    Drawing is split in two: what changes with the fraction observed (the
    three images, their outlines and colour bar, the three titles) is drawn
    over a saved copy of the rest, which never changes and is drawn once.

    Parameters
    ----------
    A : numpy.ndarray of shape (n_neurons, n_neurons)
        The network's true connectivity.
    setting : IVSetting
        What to show first.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Rendered by Agg; not managed by pyplot.
    artists : nmacausal.plotting.IVDemoArtists
        The panels' changing artists.
    true_ax, iv_ax, regression_ax : matplotlib.axes.Axes
        The three panels.
    setting : IVSetting
        What is shown.
    """

    def __init__(self, A, setting):
        figure = Figure(figsize=IV_DEMO_FIGURE_SIZE, dpi=FIGURE_DPI)
        FigureCanvasAgg(figure)
        axes = add_iv_demo_axes(figure)
        self.A = A
        self.figure = figure
        self.true_ax, self.iv_ax, self.regression_ax = axes
        self.artists = draw_iv_demo(axes, A, *_estimates_of(setting), **_correlations_of(setting))
        drawn = self.artists
        self._dynamic_artists = [
            drawn.true_title,
            drawn.iv_title,
            drawn.regression_title,
            drawn.true_image,
            drawn.iv_image,
            drawn.regression_image,
            drawn.true_outline,
            drawn.iv_outline,
            drawn.regression_outline,
            drawn.colorbar.ax,
            # The frames go over the images again, as they do in a full draw.
            *[spine for ax in axes for spine in ax.spines.values()],
        ]
        self._backgrounds = {}
        self.setting = setting

    def show(self, setting):
        """Show ``setting``: new data in the same artists."""
        self.artists.show(self.A, *_estimates_of(setting), **_correlations_of(setting))
        self.setting = setting


# --- Explorer ---------------------------------------------------------------------------


class IVObservedNeuronsExplorer(SliderExplorer):
    """Interactive Demo 3: IV and regression estimates as fewer neurons are observed.

    One network with an instrument, ``simulate_neurons_iv(n_neurons,
    timesteps, eta, random_state)``, simulated once. A slider sets the
    fraction observed (0.2 to 1 in steps of 0.2): the first
    ``int(ratio * n_neurons)`` neurons. For each position their connectivity
    is estimated from their recordings alone, by IV
    (``get_iv_estimate_network(X[:k], Z[:k])``, the instrument ``Z`` in the
    first stage) and by Lasso regression
    (``get_regression_estimate_full_connectivity(X[:k], regression_args)``),
    and the figure shows the true block ``A[:k, :k]``, both estimates and
    each one's correlation with the truth. Each position is computed once,
    then kept. NumPy's global random state is left as it was.

    Display the object in a notebook (a cell's last expression, or
    ``IPython.display.display``).

    Parameters
    ----------
    n_neurons : int, default=30
        Number of neurons, from 4 to 100.
    timesteps : int, default=20000
        Length of the simulation, from 3 to 50000.
    eta : float, default=2
        Strength of the instrument, a number in ``(0, 20]``.
    random_state : int, default=42
        Seed of the network, the instrument and the noise, from 0 to 2**32 - 1.
    regression_args : mapping, optional
        Keyword arguments of ``sklearn.linear_model.Lasso``; by default
        :data:`~nmacausal.model.instrumental.COMPARISON_REGRESSION_ARGS`
        (``alpha=0.01``, no intercept).
    ratio : float, default=0.2
        The slider's starting position: one of ``ratios``.
    ratios : sequence of float, default=(0.2, 0.4, 0.6, 0.8, 1.0)
        The slider's positions, distinct fractions in ``(0, 1]``, shown in
        increasing order.

    Attributes
    ----------
    slider : ipywidgets.SelectionSlider
        The fraction observed; set its ``value`` (one of ``ratios``) to drive
        the explorer from code.
    connectivity : numpy.ndarray of shape (n_neurons, n_neurons)
        The true ``A``.
    activity : numpy.ndarray of shape (n_neurons, timesteps)
        The simulated ``X``.
    instrument : numpy.ndarray of shape (n_neurons, timesteps)
        The simulated ``Z`` (0 or 1).
    setting : IVSetting
        What is shown.
    iv_correlation, regression_correlation : float or None
        Correlation of the shown true block with each estimate.
    iv_correlation_text, regression_correlation_text : str
        As the estimates' titles say them, for example ``"Correlation: 0.85"``.
    correlation_text : str
        Both, for example ``"IV correlation: 0.85, regression correlation: 0.41"``.
    view : IVDemoFigure
        The panels and their artists.
    figure : matplotlib.figure.Figure
        The figure (the same object for the explorer's whole life).
    figure_output : ipywidgets.Output
        Holds the rendered figure.
    widget : ipywidgets.VBox
        What a notebook displays.

    Raises
    ------
    TypeError, ValueError
        If an argument is not in its range, ``ratio`` is not one of
        ``ratios``, or ``regression_args`` is not a mapping of ``Lasso``
        keyword arguments.

    Examples
    --------
    >>> explorer = IVObservedNeuronsExplorer(timesteps=5000)
    >>> explorer.setting.n_observed
    6
    >>> explorer.slider.value = 1.0
    >>> explorer.setting.n_observed
    30
    """

    _name = "IVObservedNeuronsExplorer"
    _class_prefix = CLASS_PREFIX
    _max_timesteps = MAX_TIMESTEPS

    def __init__(
        self,
        *,
        n_neurons=30,
        timesteps=20_000,
        eta=TUTORIAL_ETA,
        random_state=42,
        regression_args=None,
        ratio=0.2,
        ratios=DEMO_RATIOS,
    ):
        self.n_neurons = check_integer(
            n_neurons, "n_neurons", minimum=MIN_NEURONS, maximum=MAX_NEURONS
        )
        self._check_simulation(timesteps, random_state)
        self.eta = _check_eta(eta)
        self.regression_args = _check_regression_args(regression_args)
        self.ratios = _check_ratios(ratios)
        ratio = _check_start(ratio, self.ratios)

        with isolated_random_state():
            self.connectivity, self.activity, self.instrument = simulate_neurons_iv(
                self.n_neurons, self.timesteps, self.eta, self.random_state
            )
        self._build(
            slider(
                ipywidgets.SelectionSlider,
                ratio,
                None,
                "ratio",
                width="300px",
                options=[(f"{value:g}", value) for value in self.ratios],
            ),
            f"of {self.n_neurons} neurons observed · {self.timesteps} timesteps, "
            f"eta = {self.eta:g}, seed {self.random_state} · Lasso "
            f"{_describe_settings(self.regression_args)}",
        )

    @property
    def iv_correlation(self):
        """Correlation between the shown true block and its IV estimate; None when undefined."""
        return self.setting.iv_correlation

    @property
    def regression_correlation(self):
        """Correlation between the shown true block and its regression estimate, or None."""
        return self.setting.regression_correlation

    @property
    def iv_correlation_text(self):
        """The IV estimate's correlation as its title gives it, e.g. ``"Correlation: 0.85"``."""
        return self.view.artists.iv_correlation_text

    @property
    def regression_correlation_text(self):
        """The regression estimate's correlation as its title gives it."""
        return self.view.artists.regression_correlation_text

    @property
    def correlation_text(self):
        """Both correlations: ``"IV correlation: 0.85, regression correlation: 0.41"``."""
        return self.setting.summary

    def _compute(self, ratio):
        # Each position is fitted once (see SliderExplorer): going back to it is instant.
        # The fits leave the global stream alone with the models' defaults; a caller's
        # selection="random" without a seed would draw from it, hence the isolation.
        # One BLAS thread: these products are small, and on a busy two-core machine
        # OpenBLAS's two threads wait on each other, making a short fit take ten times longer.
        # (threadpoolctl comes with scikit-learn, which the model imports on first use.)
        from threadpoolctl import threadpool_limits

        n_observed = _n_observed(self.n_neurons, ratio)
        X, Z = self.activity[:n_observed], self.instrument[:n_observed]
        with isolated_random_state(), threadpool_limits(limits=1, user_api="blas"):
            V_iv = get_iv_estimate_network(X, Z)
            V_regression = get_regression_estimate_full_connectivity(X, self.regression_args)
        truth = self.connectivity[:n_observed, :n_observed]
        return IVSetting(
            ratio,
            n_observed,
            V_iv,
            V_regression,
            observed_block_correlation(truth, V_iv),
            observed_block_correlation(truth, V_regression),
        )

    def _make_view(self, setting):
        return IVDemoFigure(self.connectivity, setting)

    def _describe(self, setting):
        return f"{setting.n_observed} of {self.n_neurons} neurons observed, {setting.summary}"


# --- Helpers ----------------------------------------------------------------------------


def _estimates_of(setting):
    return setting.iv_estimate, setting.regression_estimate, setting.n_observed


def _correlations_of(setting):
    """The setting's correlations for the drawing functions: NaN, not None, when undefined.

    (Given None, they would compute the correlation again.)
    """
    return {
        "iv_correlation": _nan_if_none(setting.iv_correlation),
        "regression_correlation": _nan_if_none(setting.regression_correlation),
    }


def _nan_if_none(correlation):
    return float("nan") if correlation is None else correlation


def _lower_first(text):
    return text[:1].lower() + text[1:]


def _check_eta(eta):
    if isinstance(eta, bool) or not isinstance(eta, numbers.Real):
        raise TypeError(f"`eta` must be a number in (0, {MAX_ETA:g}], got {_describe(eta)}.")
    eta = float(eta)
    if not 0 < eta <= MAX_ETA:  # NaN fails this too
        raise ValueError(
            f"`eta` must be a number in (0, {MAX_ETA:g}], got {eta!r}: with no instrument "
            f"(eta = 0) the IV estimate has nothing to work with."
        )
    return eta


def _check_ratio(ratio, name):
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real):
        raise TypeError(f"`{name}` must be a fraction in (0, 1], got {_describe(ratio)}.")
    ratio = float(ratio)
    if not 0 < ratio <= 1:  # NaN fails this too
        raise ValueError(f"`{name}` must be a fraction in (0, 1], got {ratio!r}.")
    return ratio


def _check_ratios(ratios):
    if isinstance(ratios, (str, bytes, dict, set)) or not np.iterable(ratios):
        raise TypeError(f"`ratios` must be a sequence of fractions, got {_describe(ratios)}.")
    checked = [_check_ratio(value, f"ratios[{i}]") for i, value in enumerate(ratios)]
    if not checked:
        raise ValueError("`ratios` must not be empty.")
    if len(set(checked)) != len(checked):
        raise ValueError(f"`ratios` must hold distinct fractions, got {_describe(ratios)}.")
    return tuple(sorted(checked))


def _check_start(ratio, ratios):
    ratio = _check_ratio(ratio, "ratio")
    if ratio not in ratios:
        shown = ", ".join(f"{value:g}" for value in ratios)
        raise ValueError(f"`ratio` must be a position of the slider ({shown}), got {ratio!r}.")
    return ratio


def _check_regression_args(regression_args):
    """A snapshot of the caller's Lasso arguments (the model checks their names and values)."""
    if regression_args is None:
        return dict(COMPARISON_REGRESSION_ARGS)
    if not isinstance(regression_args, Mapping):
        raise TypeError(
            f"`regression_args` must be a mapping of Lasso keyword arguments such as "
            f"{{'alpha': 0.01}}, or None for the tutorial's, got {_describe(regression_args)}."
        )
    return dict(regression_args)


def _describe_settings(settings):
    """``"alpha = 0.01"``, and the other arguments that differ from the comparison's."""
    parts = [f"alpha = {settings.get('alpha', 1.0):g}"]
    for key, value in settings.items():
        if key != "alpha" and COMPARISON_REGRESSION_ARGS.get(key, object()) != value:
            parts.append(f"{key} = {value!r}")
    return ", ".join(parts)
