"""Tutorial 2's interactive demos: does correlation recover connectivity?

Two explorers, one per demo of the tutorial's Section 2.2, each a slider over
the same three panels (the true connectivity ``A``, the estimate ``R`` from
lagged correlations, and their correlation as text):

- :class:`NetworkSizeExplorer` (Interactive Demo 2.2.1): the number of
  neurons, 6 to 42 in steps of 3. The estimate gets worse as the network grows.
- :class:`SparsityExplorer` (Interactive Demo 2.2.2): the sparsity ``p`` of
  a 25-neuron network, the probability that a possible connection is *absent*,
  0.01 to 0.99. The sparser the network, the better the estimate.

Each setting is computed as the tutorial does (``create_connectivity``, then
``simulate_neurons``, both seeded, then ``correlation_for_all_neurons``), so
the correlation shown is the tutorial's, for example "Correlation: 0.91" for
6 neurons. NumPy's global random state is left as it was.

Moving a slider updates the images' data, colour limits and the text of one
figure (no figure is rebuilt); the figure is a plain
:class:`matplotlib.figure.Figure` drawn by Agg, not a pyplot figure, so the
inline backend never shows a stray copy, and importing this module draws
nothing. The sliders update while dragged: a redraw takes well under 300 ms,
and the browser sends the kernel only the latest slider position whenever
the kernel is busy, so the figure never lags more than one redraw behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._validation import check_integer
from ..model.correlation import correlation_for_all_neurons
from ..model.simulation import create_connectivity, isolated_random_state, simulate_neurons
from ..plotting.network import symmetric_color_limit
from ..plotting.sweeps import CorrelationCaption, caption_correlation, plot_correlation_demo
from ._explorer import BlittedFigure, SliderExplorer, slider

__all__ = [
    "CorrelationDemoFigure",
    "CorrelationSetting",
    "NetworkSizeExplorer",
    "SparsityExplorer",
]

# The tutorial's sliders.
NETWORK_SIZE_RANGE = (6, 42, 3)  # min, max, step of Demo 2.2.1's n_neurons
SPARSITY_RANGE = (0.01, 0.99, 0.01)  # min, max, step of Demo 2.2.2's sparsity
# Bound of the other constructor arguments.
MAX_NEURONS = 60

FIGURE_SIZE = (12.0, 4.0)  # inches
FIGURE_DPI = 96  # 1152 x 384 pixels
CLASS_PREFIX = "nmacausal-correlation"


# --- Model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrelationSetting:
    """One position of a demo's slider: the network, its estimate and how well they match.

    Build it with :meth:`simulate`.

    Attributes
    ----------
    connectivity : numpy.ndarray of shape (n_neurons, n_neurons)
        The true ``A``: ``create_connectivity(n_neurons, random_state, p)``.
    estimate : numpy.ndarray of shape (n_neurons, n_neurons)
        ``R = correlation_for_all_neurons(simulate_neurons(A, timesteps, random_state))``,
        in ``A``'s orientation.
    caption : nmacausal.plotting.sweeps.CorrelationCaption
        The correlation of ``A`` with ``R`` (None if undefined) and the text shown.
    """

    connectivity: np.ndarray
    estimate: np.ndarray
    caption: CorrelationCaption

    @classmethod
    def simulate(cls, n_neurons, timesteps, random_state, p):
        """The tutorial's demo computation, leaving NumPy's global random state untouched.

        Arguments are not checked here: the explorers check them once.

        Examples
        --------
        >>> CorrelationSetting.simulate(6, 2000, 42, 0.9).caption.headline
        'Correlation: 0.91'
        """
        with isolated_random_state():
            A = create_connectivity(n_neurons, random_state, p)
            X = simulate_neurons(A, timesteps, random_state)
        R = correlation_for_all_neurons(X)
        return cls(A, R, caption_correlation(A, R))

    @property
    def correlation(self):
        return self.caption.correlation


# --- Figure -----------------------------------------------------------------------------


class CorrelationDemoFigure(BlittedFigure):
    """The demos' three panels, drawn once and then updated in place.

    Built with :func:`~nmacausal.plotting.plot_correlation_demo` in a
    fixed layout; :meth:`show` replaces the images' data, their extent and
    colour limits (the colour bars follow) and the texts.

    Drawing is split in two: what changes with every setting (both images,
    both colour bars, the two texts) is drawn over a saved copy of the rest.
    That copy depends only on the network's size (the axes' ticks), so it is
    kept for each size met and drawn once per size.

    Parameters
    ----------
    setting : CorrelationSetting
        What to show first.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        Rendered by Agg; not managed by pyplot.
    true_image, estimate_image : matplotlib.image.AxesImage
        ``A`` and ``R``.
    true_colorbar_ax, estimate_colorbar_ax : matplotlib.axes.Axes
        Their colour bars.
    headline, detail : matplotlib.text.Text
        "Correlation: 0.91", and what was compared.
    """

    def __init__(self, setting):
        figure = Figure(figsize=FIGURE_SIZE, dpi=FIGURE_DPI)
        FigureCanvasAgg(figure)
        # A fixed grid: a layout engine would recompute the layout on every draw.
        grid = figure.add_gridspec(
            1, 3, width_ratios=[1, 1, 0.8], left=0.06, right=0.99, top=0.88, bottom=0.14, wspace=0.3
        )
        axes = [figure.add_subplot(grid[0, column]) for column in range(3)]
        plot_correlation_demo(setting.connectivity, setting.estimate, axes)
        self.figure = figure
        self.true_ax, self.estimate_ax, self.text_ax = axes
        self.true_image = self.true_ax.images[0]
        self.estimate_image = self.estimate_ax.images[0]
        self.true_colorbar_ax = self.true_image.colorbar.ax
        self.estimate_colorbar_ax = self.estimate_image.colorbar.ax
        self.headline, self.detail = self.text_ax.texts
        dynamic = [
            self.true_image,
            self.estimate_image,
            self.true_colorbar_ax,
            self.estimate_colorbar_ax,
            self.headline,
            self.detail,
        ]
        # The frames go over the images again, as they do in a full draw.
        self._dynamic_artists = dynamic + [
            spine for ax in (self.true_ax, self.estimate_ax) for spine in ax.spines.values()
        ]
        self._backgrounds = {}
        self.setting = setting

    def show(self, setting):
        """Show ``setting``: new data in the same artists."""
        for ax, image, matrix in (
            (self.true_ax, self.true_image, setting.connectivity),
            (self.estimate_ax, self.estimate_image, setting.estimate),
        ):
            n_rows, n_columns = matrix.shape
            image.set_data(matrix)
            image.set_extent((-0.5, n_columns - 0.5, n_rows - 0.5, -0.5))
            ax.set_xlim(-0.5, n_columns - 0.5)
            ax.set_ylim(n_rows - 0.5, -0.5)
            limit = symmetric_color_limit(matrix)
            image.set_clim(-limit, limit)
        self.headline.set_text(setting.caption.headline)
        self.detail.set_text(setting.caption.detail)
        self.setting = setting

    @property
    def correlation_text(self):
        """The headline, for example ``"Correlation: 0.91"``."""
        return self.headline.get_text()

    def _background_key(self):
        # The saved copy holds the axes' ticks, which follow the network's size.
        return self.setting.connectivity.shape


# --- Explorers --------------------------------------------------------------------------


class _CorrelationExplorer(SliderExplorer):
    """A slider over settings and the figure that shows the current one.

    Subclasses build the slider and say what a slider value means in
    :meth:`_compute`.
    """

    _class_prefix = CLASS_PREFIX

    def _make_view(self, setting):
        return CorrelationDemoFigure(setting)

    def _describe(self, setting):
        return setting.caption.headline


class NetworkSizeExplorer(_CorrelationExplorer):
    """Interactive Demo 2.2.1: how well correlation recovers connectivity, by network size.

    A slider sets the number of neurons (6 to 42 in steps of 3, as in the
    tutorial). For each size, a network is drawn with
    ``create_connectivity(n_neurons, random_state)``, simulated for
    ``timesteps`` steps with the same seed, and its connectivity estimated by
    lagged correlation; the figure shows the true ``A``, the estimate ``R`` and
    their correlation ("Correlation: 0.91" for 6 neurons; 0.43 for 42).
    NumPy's global random state is left as it was.

    Display the object in a notebook (a cell's last expression, or
    ``IPython.display.display``).

    Parameters
    ----------
    n_neurons : int, default=6
        Starting number of neurons, from 6 to 42.
    timesteps : int, default=2000
        Length of each simulation, from 3 to 20000.
    random_state : int, default=42
        Seed of the network and of the simulation's noise, from 0 to 2**32 - 1.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        The number of neurons; set its ``value`` to drive the explorer from code.
    setting : CorrelationSetting
        What is shown: ``setting.connectivity`` (A), ``setting.estimate`` (R).
    correlation : float or None
        Correlation between the shown ``A`` and ``R``.
    correlation_text : str
        The text panel's headline, for example ``"Correlation: 0.91"``.
    view : CorrelationDemoFigure
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
        If an argument is not an integer in its range.

    Examples
    --------
    >>> explorer = NetworkSizeExplorer()
    >>> explorer.correlation_text
    'Correlation: 0.91'
    >>> explorer.slider.value = 42
    >>> explorer.correlation_text
    'Correlation: 0.43'
    """

    _name = "NetworkSizeExplorer"

    def __init__(self, *, n_neurons=6, timesteps=2000, random_state=42):
        low, high, _ = NETWORK_SIZE_RANGE
        n_neurons = check_integer(n_neurons, "n_neurons", minimum=low, maximum=high)
        self._check_simulation(timesteps, random_state)
        self._build(
            slider(ipywidgets.IntSlider, n_neurons, NETWORK_SIZE_RANGE, "n_neurons"),
            f"{self.timesteps} timesteps, seed {self.random_state}",
        )

    def _compute(self, n_neurons):
        return CorrelationSetting.simulate(n_neurons, self.timesteps, self.random_state, 0.9)


class SparsityExplorer(_CorrelationExplorer):
    """Interactive Demo 2.2.2: how well correlation recovers connectivity, by sparsity.

    A slider sets the sparsity ``p`` (0.01 to 0.99 in steps of 0.01, as in
    the tutorial): the probability that a possible connection is **absent**,
    so a higher ``p`` means fewer connections. For each ``p``, a network of
    ``n_neurons`` is drawn with ``create_connectivity(n_neurons, random_state,
    p)``, simulated for ``timesteps`` steps with the same seed, and its
    connectivity estimated by lagged correlation; the figure shows the true
    ``A``, the estimate ``R`` and their correlation ("Correlation: 0.62" at
    ``p = 0.9``). NumPy's global random state is left as it was.

    Display the object in a notebook (a cell's last expression, or
    ``IPython.display.display``).

    Parameters
    ----------
    p : float, default=0.9
        Starting sparsity, from 0.01 to 0.99.
    n_neurons : int, default=25
        Number of neurons, from 2 to 60.
    timesteps : int, default=2000
        Length of each simulation, from 3 to 20000.
    random_state : int, default=42
        Seed of the network and of the simulation's noise, from 0 to 2**32 - 1.

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
        The sparsity ``p``; set its ``value`` to drive the explorer from code.
    setting, correlation, correlation_text, view, figure, figure_output, widget
        As for :class:`NetworkSizeExplorer`.

    Raises
    ------
    TypeError, ValueError
        If an argument is not a number in its range.

    Examples
    --------
    >>> explorer = SparsityExplorer()
    >>> explorer.correlation_text
    'Correlation: 0.62'
    """

    _name = "SparsityExplorer"

    def __init__(self, *, p=0.9, n_neurons=25, timesteps=2000, random_state=42):
        low, high, _ = SPARSITY_RANGE
        p = _check_sparsity(p, low, high)
        self.n_neurons = check_integer(n_neurons, "n_neurons", minimum=2, maximum=MAX_NEURONS)
        self._check_simulation(timesteps, random_state)
        self._build(
            slider(ipywidgets.FloatSlider, p, SPARSITY_RANGE, "sparsity p", readout_format=".2f"),
            f"p = probability that a connection is absent · {self.n_neurons} neurons, "
            f"{self.timesteps} timesteps, seed {self.random_state}",
        )

    def _compute(self, p):
        return CorrelationSetting.simulate(self.n_neurons, self.timesteps, self.random_state, p)


def _check_sparsity(p, low, high):
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise TypeError(f"`p` must be a number (the sparsity), got {p!r}.")
    p = float(p)
    if not low <= p <= high:  # also refuses NaN
        raise ValueError(
            f"`p` must be a sparsity from {low} to {high} (the probability that a "
            f"connection is absent), got {p!r}."
        )
    return p
