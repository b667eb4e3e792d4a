"""Tutorial 3's interactive demo: regression when only some neurons are observed.

:class:`ObservedNeuronsExplorer` (Interactive Demo 2, "Regression performance
as a function of the number of observed neurons") simulates one network once
(50 neurons, 4000 timesteps, seed 42, as the tutorial), and a slider sets how
many of its neurons are observed: 5 to 45 in steps of 5. For each position the
connectivity among the first ``n_observed`` neurons is estimated by Lasso
regression from their activity alone (the tutorial's settings,
:data:`~nmacausal.model.regression.TUTORIAL_REGRESSION_ARGS`), and the figure
shows the network with its observed neurons, the true block of ``A``, the
estimate and their correlation. NumPy's global random state is left as it was.

The tutorial refits on every slider move and warns that its plots take a
few seconds to update. Here each position's estimate is computed once (a fit
takes some 5 to 20 ms) and kept, and moving the slider updates the data of the
figure's artists, drawn over a saved rendering of the rest: a redraw takes
well under 300 ms, so the slider updates while dragged.

The figure is a plain :class:`matplotlib.figure.Figure` drawn by Agg, not a
pyplot figure, so the inline backend never shows a stray copy, and importing
this module draws nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import _describe, check_integer
from ..model.regression import (
    TUTORIAL_REGRESSION_ARGS,
    get_regression_estimate_full_connectivity,
)
from ..model.simulation import create_connectivity, isolated_random_state, simulate_neurons
from ..plotting.regression import (
    DEMO_FIGURE_SIZE,
    add_regression_demo_axes,
    correlation_headline,
    draw_regression_demo,
    observed_block_correlation,
)
from ._explorer import BlittedFigure, SliderExplorer, slider

__all__ = [
    "ObservedDemoFigure",
    "ObservedNeuronsExplorer",
    "ObservedSetting",
]

# Bounds of the number of neurons (timesteps and seed: as the other explorers').
MIN_NEURONS = 4
MAX_NEURONS = 100

FIGURE_DPI = 96  # with DEMO_FIGURE_SIZE: 979 x 374 pixels
CLASS_PREFIX = "nmacausal-regression"


def slider_range(n_neurons):
    """The slider's ``(min, max, step)`` for a network of ``n_neurons``.

    Steps of a tenth of the network (at least 1), from one step (at least 2,
    for a correlation needs two entries) to one step short of the whole
    network: the tutorial's 5 to 45 by 5 for 50 neurons.

    Parameters
    ----------
    n_neurons : int
        At least 4.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> slider_range(50)
    (5, 45, 5)
    >>> slider_range(12)
    (2, 11, 1)
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=MIN_NEURONS)
    step = max(1, n_neurons // 10)
    low = max(2, step)
    high = low + (n_neurons - 1 - low) // step * step
    return low, high, step


# --- Model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservedSetting:
    """One position of the slider: how many neurons are observed, and the estimate.

    Attributes
    ----------
    n_observed : int
        The first ``n_observed`` neurons are observed.
    estimate : numpy.ndarray of shape (n_observed, n_observed)
        ``V``, the Lasso estimate of ``A[:n_observed, :n_observed]`` from
        ``X[:n_observed]`` alone, in ``A``'s orientation.
    correlation : float or None
        Pearson correlation of ``A[:n_observed, :n_observed]`` with ``V``;
        None when undefined (either is the same everywhere).
    """

    n_observed: int
    estimate: np.ndarray
    correlation: float | None

    @property
    def headline(self):
        """``"Correlation: 0.60"``, or ``"Correlation: undefined"``."""
        return correlation_headline(self.correlation)


# --- Figure -----------------------------------------------------------------------------


class ObservedDemoFigure(BlittedFigure):
    """The demo's three panels, drawn once and then updated in place.

    Built with :func:`~nmacausal.plotting.draw_regression_demo` in the fixed
    layout of :func:`~nmacausal.plotting.add_regression_demo_axes`;
    :meth:`show` updates the artists' data.

    Drawing is split in two: what changes with the number observed (the
    nodes, both images, their outlines and colour bar, the three titles) is
    drawn over a saved copy of the rest, which never changes and is drawn once.

    Parameters
    ----------
    A : numpy.ndarray of shape (n_neurons, n_neurons)
        The network's true connectivity.
    setting : ObservedSetting
        What to show first.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Rendered by Agg; not managed by pyplot.
    artists : nmacausal.plotting.RegressionDemoArtists
        The panels' changing artists.
    network_ax, true_ax, estimate_ax : matplotlib.axes.Axes
        The three panels.
    setting : ObservedSetting
        What is shown.
    """

    def __init__(self, A, setting):
        figure = Figure(figsize=DEMO_FIGURE_SIZE, dpi=FIGURE_DPI)
        FigureCanvasAgg(figure)
        axes = add_regression_demo_axes(figure)
        self.A = A
        self.figure = figure
        self.network_ax, self.true_ax, self.estimate_ax = axes
        self.artists = draw_regression_demo(
            axes, A, setting.estimate, setting.n_observed, setting.correlation
        )
        drawn = self.artists
        self._dynamic_artists = [
            drawn.nodes,
            drawn.network_title,
            drawn.true_title,
            drawn.estimate_title,
            drawn.true_image,
            drawn.estimate_image,
            drawn.true_outline,
            drawn.estimate_outline,
            drawn.colorbar.ax,
            # The frames go over the images again, as they do in a full draw.
            *[spine for ax in (self.true_ax, self.estimate_ax) for spine in ax.spines.values()],
        ]
        self._backgrounds = {}
        self.setting = setting

    def show(self, setting):
        """Show ``setting``: new data in the same artists."""
        self.artists.show(self.A, setting.estimate, setting.n_observed, setting.correlation)
        self.setting = setting

    @property
    def correlation_text(self):
        """The correlation as the estimate's title gives it, e.g. ``"Correlation: 0.28"``."""
        return self.artists.correlation_text


# --- Explorer ---------------------------------------------------------------------------


class ObservedNeuronsExplorer(SliderExplorer):
    """Interactive Demo 2: how well regression recovers connectivity, by neurons observed.

    One network, ``create_connectivity(n_neurons, random_state)``, simulated
    once for ``timesteps`` steps with the same seed. A slider sets how many
    neurons are observed (the first ``n_observed``; 5 to 45 in steps of 5 for
    50 neurons). For each position the connectivity among the observed
    neurons is estimated from their activity alone,
    ``V = get_regression_estimate_full_connectivity(X[:n_observed], regression_args)``,
    and the figure shows the network (observed neurons red), the true block
    ``A[:n_observed, :n_observed]``, ``V`` and their correlation. Each
    position is computed once, then kept. NumPy's global random state is left
    as it was.

    Display the object in a notebook (a cell's last expression, or
    ``IPython.display.display``).

    Parameters
    ----------
    n_neurons : int, default=50
        Number of neurons, from 4 to 100.
    timesteps : int, default=4000
        Length of the simulation, from 3 to 20000.
    random_state : int, default=42
        Seed of the network and of the simulation's noise, from 0 to 2**32 - 1.
    regression_args : mapping, optional
        Keyword arguments of ``sklearn.linear_model.Lasso``; by default the
        tutorial's, :data:`~nmacausal.model.regression.TUTORIAL_REGRESSION_ARGS`.
    n_observed : int, default=5
        The slider's starting position: a value of :func:`slider_range`.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        The number of observed neurons; set its ``value`` to drive the
        explorer from code.
    connectivity : numpy.ndarray of shape (n_neurons, n_neurons)
        The true ``A``.
    activity : numpy.ndarray of shape (n_neurons, timesteps)
        The simulated ``X``.
    setting : ObservedSetting
        What is shown.
    correlation : float or None
        Correlation between the shown true block and its estimate.
    correlation_text : str
        As the estimate's title says it, for example ``"Correlation: 0.28"``.
    view : ObservedDemoFigure
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
        If an argument is not an integer in its range, ``n_observed`` is not
        a position of the slider, or ``regression_args`` is not a mapping of
        ``Lasso`` keyword arguments.

    Examples
    --------
    >>> explorer = ObservedNeuronsExplorer()
    >>> explorer.correlation_text
    'Correlation: 0.28'
    >>> explorer.slider.value = 45
    >>> explorer.correlation_text
    'Correlation: 0.69'
    """

    _name = "ObservedNeuronsExplorer"
    _class_prefix = CLASS_PREFIX

    def __init__(
        self, *, n_neurons=50, timesteps=4000, random_state=42, regression_args=None, n_observed=5
    ):
        self.n_neurons = check_integer(
            n_neurons, "n_neurons", minimum=MIN_NEURONS, maximum=MAX_NEURONS
        )
        self._check_simulation(timesteps, random_state)
        self.regression_args = _check_regression_args(regression_args)
        low, high, step = slider_range(self.n_neurons)
        n_observed = check_integer(n_observed, "n_observed", minimum=low, maximum=high)
        if (n_observed - low) % step:
            raise ValueError(
                f"`n_observed` must be a position of the slider, {low} to {high} in steps of "
                f"{step}, got {n_observed}."
            )

        with isolated_random_state():
            self.connectivity = create_connectivity(self.n_neurons, self.random_state)
            self.activity = simulate_neurons(self.connectivity, self.timesteps, self.random_state)
        self._build(
            slider(ipywidgets.IntSlider, n_observed, (low, high, step), "n_observed"),
            f"of {self.n_neurons} neurons observed · {self.timesteps} timesteps, "
            f"seed {self.random_state} · Lasso {_describe_settings(self.regression_args)}",
        )

    def _compute(self, n_observed):
        # Each position is fitted once (see SliderExplorer): going back to it is instant.
        # The fit leaves the global stream alone with the model's defaults; a caller's
        # selection="random" without a seed would draw from it, hence the isolation.
        # One BLAS thread: these products are small, and on a busy two-core machine
        # OpenBLAS's two threads wait on each other, making a 15 ms fit take 200 ms.
        # (threadpoolctl comes with scikit-learn, which the model imports on first use.)
        from threadpoolctl import threadpool_limits

        with isolated_random_state(), threadpool_limits(limits=1, user_api="blas"):
            V = get_regression_estimate_full_connectivity(
                self.activity[:n_observed], self.regression_args
            )
        truth = self.connectivity[:n_observed, :n_observed]
        return ObservedSetting(n_observed, V, observed_block_correlation(truth, V))

    def _make_view(self, setting):
        return ObservedDemoFigure(self.connectivity, setting)

    def _describe(self, setting):
        return f"{setting.n_observed} of {self.n_neurons} neurons observed, {setting.headline}"


def _check_regression_args(regression_args):
    """A snapshot of the caller's Lasso arguments (the model checks their names and values)."""
    if regression_args is None:
        return dict(TUTORIAL_REGRESSION_ARGS)
    if not isinstance(regression_args, Mapping):
        raise TypeError(
            f"`regression_args` must be a mapping of Lasso keyword arguments such as "
            f"{{'alpha': 0.01}}, or None for the tutorial's, got {_describe(regression_args)}."
        )
    return dict(regression_args)


def _describe_settings(settings):
    """``"alpha = 0.01"``, and the other arguments that differ from the tutorial's."""
    parts = [f"alpha = {settings.get('alpha', 1.0):g}"]
    for key, value in settings.items():
        if key != "alpha" and TUTORIAL_REGRESSION_ARGS.get(key, object()) != value:
            parts.append(f"{key} = {value!r}")
    return ", ".join(parts)
