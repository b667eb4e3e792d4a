"""The day's summary figure: the four methods' estimates of one network, side by side.

Six panels in a fixed grid. The true connectivity, the whole network, with the
connections of the unobserved neurons faded and the observed block outlined;
then each method's estimate of the observed block (perturbation, lagged
correlation, regression, instrumental variables), titled with its correlation
with the truth in the method's colour; and a small panel of each method's
correlation against one parameter of the conditions, in the same colours.

Each matrix has its own colour scale, symmetric about 0: the methods estimate
the connections on different scales (a perturbation estimate is a correlation,
a regression estimate a weight), and the day's yardstick, the correlation with
the truth, does not depend on scale. The entries of unobserved neurons are
hatched, as in Tutorials 3 and 4 (:func:`~nmacausal.plotting.draw_observed_block`).

The numbers come in as a :class:`~nmacausal.model.comparison.MethodsComparison`
(:func:`~nmacausal.compare_methods`); nothing is computed here. The artists
that change with the conditions are kept (:class:`MethodsArtists`,
:class:`QualityTraceArtists`), so that the explorer
(:class:`~nmacausal.widgets.MethodsExplorer`) updates them in place. pyplot is
imported only by :func:`plot_methods_comparison`, to create a figure.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Polygon, Rectangle
from matplotlib.transforms import ScaledTranslation

from ..model.comparison import METHOD_LABELS, METHODS, MethodsComparison
from .instrumental import IV_COLOR, REGRESSION_COLOR
from .network import _show_if, symmetric_color_limit
from .regression import draw_observed_block

__all__ = [
    "METHOD_COLORS",
    "MethodsArtists",
    "MethodsAxes",
    "QualityTraceArtists",
    "add_methods_axes",
    "draw_methods_comparison",
    "draw_quality_trace",
    "plot_methods_comparison",
    "quality_ylim",
]

#: Each method's colour: its estimate's title and its line in the quality panel.
#: Regression and IV keep Tutorial 4's.
METHOD_COLORS = {
    "perturbation": "tab:green",
    "correlation": "tab:purple",
    "regression": REGRESSION_COLOR,
    "iv": IV_COLOR,
}

#: The quality panel's legend: short, to fit the panel's width.
SHORT_LABELS = {
    "perturbation": "Perturbation",
    "correlation": "Correlation",
    "regression": "Regression",
    "iv": "IV",
}

METHODS_FIGURE_SIZE = (8.8, 6.6)  # inches: at 96 dpi, 844 x 633 pixels, shown unscaled
TRUE_TITLE = "True connectivity"
VEIL_COLOR = (1.0, 1.0, 1.0, 0.75)  # over the unobserved neurons' connections in the truth
SUBTITLE_PAD = 20  # points between a matrix and its title: room for the subtitle
QUALITY_YLABEL = "Correlation with the truth"
QUALITY_YLIM = (-0.25, 1.05)
FULL_YLIM = (-1.05, 1.05)
REASON_WIDTH = 26  # characters per line of the text that says why r is undefined
FONT_SIZE = 9
CAPTION_HEIGHT = 0.36  # inches under the panels for the caption
CAPTION = (
    "Each matrix on its own colour scale (red: positive, blue: negative). Faded or hatched: "
    "the unobserved neurons. r: correlation of an estimate with the true connections among "
    "the observed neurons."
)


@dataclass(frozen=True)
class MethodsAxes:
    """The summary figure's axes.

    Attributes
    ----------
    truth : matplotlib.axes.Axes
        The true connectivity.
    estimates : dict of str to matplotlib.axes.Axes
        One per method of :data:`~nmacausal.model.comparison.METHODS`.
    quality : matplotlib.axes.Axes
        Each method's correlation against a parameter.
    """

    truth: object
    estimates: dict
    quality: object


def add_methods_axes(figure, *, caption=True):
    """Add the summary figure's six axes to ``figure`` in a fixed grid.

    The truth, the perturbation and the correlation estimates above; the
    regression and the IV estimates and the quality panel below. A fixed
    grid, not a layout engine, so that redrawing the explorer's figure
    recomputes nothing; made for a figure ``METHODS_FIGURE_SIZE[0]`` inches
    wide and, with the caption, ``METHODS_FIGURE_SIZE[1]`` high (without it,
    :data:`CAPTION_HEIGHT` less).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    caption : bool, default=True
        Write :data:`CAPTION` (what the colours and ``r`` mean) under the panels.
        The explorer writes it under its figure instead, where it costs no
        drawing.

    Returns
    -------
    MethodsAxes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> axes = add_methods_axes(Figure(figsize=METHODS_FIGURE_SIZE))
    >>> list(axes.estimates)
    ['perturbation', 'correlation', 'regression', 'iv']
    """
    height = figure.get_figheight()
    # Margins in inches, so that the panels keep their size with or without the caption.
    bottom = (0.5 + (CAPTION_HEIGHT if caption else 0)) / height
    grid = figure.add_gridspec(
        2, 3, left=0.06, right=0.985, top=1 - 0.62 / height, bottom=bottom, wspace=0.22,
        hspace=0.38,
    )  # fmt: skip
    cells = [grid[row, column] for row in range(2) for column in range(3)]
    truth = figure.add_subplot(cells[0])
    estimates = {
        method: figure.add_subplot(cell) for method, cell in zip(METHODS, cells[1:5], strict=True)
    }
    quality = figure.add_subplot(cells[5])
    if caption:
        figure.text(0.5, 0.08 / height, "\n".join(textwrap.wrap(CAPTION, 140)), ha="center",
                    va="bottom", fontsize=FONT_SIZE - 1, color="0.3")  # fmt: skip
    return MethodsAxes(truth, estimates, quality)


class MethodsArtists:
    """The matrices' artists, and how to show another comparison in them.

    Made by :func:`draw_methods_comparison`. :meth:`show` changes their data
    (images, colour scales, outlines, the veil, the subtitles and the texts
    that say why a correlation is undefined) and, for a network of another
    size, the axes' limits; nothing else of the figure changes, so a caller
    may keep a rendering of the rest for each network size (the explorer
    does). The panels' titles, the methods' names, never change.

    Attributes
    ----------
    n_neurons : int
        Size of the network shown.
    truth_image : matplotlib.image.AxesImage
        The whole true connectivity.
    veil : matplotlib.patches.Polygon
        Fades the connections of the unobserved neurons in the truth.
    subtitles : dict of str to matplotlib.text.Text
        Under each title: for ``"truth"`` how many neurons are observed, for
        each method its correlation with the truth (``"r = 0.85"``).
    images : dict of str to matplotlib.image.AxesImage
        Each method's estimate of the observed block, over that block only
        (hidden where the method cannot estimate).
    outlines : dict of str to matplotlib.patches.Rectangle
        ``"truth"``'s and each method's frame around the observed block.
    reasons : dict of str to matplotlib.text.Text
        Over each estimate: why its correlation is undefined, otherwise empty.
    dynamic_artists : list
        Everything :meth:`show` changes, in drawing order.
    """

    def __init__(self, axes, comparison):
        n_neurons = comparison.connectivity.shape[0]
        self.axes = axes
        self.truth_image = axes.truth.imshow(
            np.zeros((n_neurons, n_neurons)), cmap="coolwarm", interpolation="nearest",
            extent=_extent(n_neurons), zorder=1,
        )  # fmt: skip
        self.veil = axes.truth.add_patch(
            Polygon(_veil(n_neurons, n_neurons), facecolor=VEIL_COLOR, edgecolor="none", zorder=1.5)
        )
        self.images, self.outlines, self._hatches = {}, {}, {}
        self.outlines["truth"] = axes.truth.add_patch(_outline(n_neurons))
        for method, ax in axes.estimates.items():
            image, outline = draw_observed_block(ax, np.zeros((1, 1)), n_neurons)
            self.images[method], self.outlines[method] = image, outline
            self._hatches[method] = ax.patches[0]  # draw_observed_block's hatched ground
        # The titles (drawn once) leave a line free for the subtitles (drawn on each change).
        axes.truth.set_title(TRUE_TITLE, fontsize=FONT_SIZE + 1, pad=SUBTITLE_PAD)
        self.subtitles = {"truth": _subtitle(axes.truth, "black")}
        self.reasons = {}
        for method, ax in axes.estimates.items():
            color = METHOD_COLORS[method]
            ax.set_title(
                METHOD_LABELS[method], fontsize=FONT_SIZE + 1, color=color, fontweight="bold",
                pad=SUBTITLE_PAD,
            )  # fmt: skip
            self.subtitles[method] = _subtitle(ax, color, fontweight="bold")
            self.reasons[method] = ax.text(
                0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                fontsize=FONT_SIZE - 1, zorder=3,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "0.6"},
            )  # fmt: skip
        # Every matrix has the same axes: they are named on the bottom row and the left
        # column only, which leaves the matrices more room.
        for ax in self._matrix_axes():
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.tick_params(labelsize=FONT_SIZE - 1)
        for ax in (axes.estimates["regression"], axes.estimates["iv"]):
            ax.set_xlabel("from neuron", fontsize=FONT_SIZE)
        for ax in (axes.truth, axes.estimates["regression"]):
            ax.set_ylabel("to neuron", fontsize=FONT_SIZE)
        for axis in (axes.truth.xaxis, axes.truth.yaxis):  # as draw_observed_block's
            axis.set_major_locator(_integer_locator())
        self.dynamic_artists = [
            self.truth_image,
            self.veil,
            *self.images.values(),
            *self.outlines.values(),
            *self.subtitles.values(),
            *self.reasons.values(),
            # The frames go over the images again, as they do in a full draw.
            *[spine for ax in self._matrix_axes() for spine in ax.spines.values()],
        ]
        self._resize(n_neurons)

    def show(self, comparison):
        """Show ``comparison`` (a network of any size) in the same artists.

        Parameters
        ----------
        comparison : MethodsComparison

        Returns
        -------
        MethodsArtists
            Itself.
        """
        comparison = _check_comparison(comparison)
        A = comparison.connectivity
        n_neurons, k = A.shape[0], comparison.n_observed
        if n_neurons != self.n_neurons:
            self._resize(n_neurons)
        limit = symmetric_color_limit(A)
        self.truth_image.set_data(A)
        self.truth_image.set_clim(-limit, limit)
        self.veil.set_xy(_veil(n_neurons, k))
        for outline in self.outlines.values():
            outline.set_width(k)
            outline.set_height(k)
        self.subtitles["truth"].set_text(observed_subtitle(k, n_neurons))
        for method, result in comparison.estimates.items():
            # The image covers the observed block only (the hatched ground shows through
            # elsewhere): the smaller the block, the less there is to draw.
            image = self.images[method]
            image.set_visible(result.estimate is not None)
            if result.estimate is not None:
                image.set_data(result.estimate)
                image.set_extent(_extent(k))
                scale = symmetric_color_limit(result.estimate)
                image.set_clim(-scale, scale)
            self.subtitles[method].set_text(correlation_title(result.correlation))
            self.reasons[method].set_text(_wrapped(result.reason))
            self.reasons[method].set_visible(bool(result.reason))
        self.comparison = comparison
        return self

    def _matrix_axes(self):
        return (self.axes.truth, *self.axes.estimates.values())

    def _resize(self, n_neurons):
        """Make every matrix panel span ``n_neurons`` neurons."""
        self.truth_image.set_extent(_extent(n_neurons))
        for hatch in self._hatches.values():
            hatch.set_width(n_neurons)
            hatch.set_height(n_neurons)
        for ax in self._matrix_axes():
            ax.set_xlim(-0.5, n_neurons - 0.5)
            ax.set_ylim(n_neurons - 0.5, -0.5)
        self.n_neurons = n_neurons


def draw_methods_comparison(axes, comparison):
    """Draw the truth and the four estimates of ``comparison`` and return their artists.

    Parameters
    ----------
    axes : MethodsAxes
        From :func:`add_methods_axes` (its quality panel is left alone).
    comparison : MethodsComparison
        From :func:`~nmacausal.compare_methods`.

    Returns
    -------
    MethodsArtists

    Raises
    ------
    TypeError
        If ``comparison`` is not a ``MethodsComparison``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from nmacausal import compare_methods
    >>> comparison = compare_methods(n_neurons=10, timesteps=2000, observed_fraction=0.5)
    >>> drawn = draw_methods_comparison(add_methods_axes(Figure()), comparison)
    >>> drawn.subtitles["truth"].get_text(), drawn.subtitles["iv"].get_text()[:4]
    ('5 of 10 neurons observed (50%)', 'r = ')
    """
    comparison = _check_comparison(comparison)
    return MethodsArtists(axes, comparison).show(comparison)


class QualityTraceArtists:
    """The quality panel: each method's correlation with the truth against one parameter.

    Made by :func:`draw_quality_trace`. :meth:`set_axis` sets what the x axis
    shows (redraw the background after it); :meth:`show` changes the lines'
    data and the marker of the current value only.

    Attributes
    ----------
    lines : dict of str to matplotlib.lines.Line2D
        One per method, in its colour.
    current : matplotlib.lines.Line2D
        A vertical dashed line at the current value.
    dynamic_artists : list
        What :meth:`show` changes.
    """

    def __init__(self, ax):
        self.ax = ax
        self.lines = {
            method: ax.plot(
                [], [], marker="o", markersize=4, linewidth=1.5, color=METHOD_COLORS[method],
                label=SHORT_LABELS[method], zorder=3,
            )[0]
            for method in METHODS
        }  # fmt: skip
        self.current = ax.axvline(np.nan, color="0.4", linestyle="--", linewidth=1, zorder=2)
        ax.axhline(0, color="0.75", linewidth=0.8, zorder=1)
        ax.set_ylim(*QUALITY_YLIM)
        ax.set_ylabel(QUALITY_YLABEL, fontsize=FONT_SIZE)
        ax.tick_params(labelsize=FONT_SIZE - 1)
        ax.grid(True, color="0.92", linewidth=0.8)
        ax.set_axisbelow(True)
        # Above the panel, in place of a title: the colours are the estimates' titles'.
        ax.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=FONT_SIZE - 1,
            frameon=False, handlelength=1.5, columnspacing=1.0, borderaxespad=0.2,
        )  # fmt: skip
        # The frame goes over the current value's line and under the methods' lines, as in
        # a full draw.
        self.dynamic_artists = [self.current, *ax.spines.values(), *self.lines.values()]

    def set_axis(
        self, label, limits, *, log=False, ticks=None, tick_labels=None, ylim=QUALITY_YLIM
    ):
        """Say what the x axis shows: its label, range, scale and (optionally) ticks.

        Parameters
        ----------
        label : str
        limits : pair of float
        log : bool, default=False
            A logarithmic axis (for values that double, such as timesteps).
        ticks : sequence of float, optional
            Where to put ticks; by default Matplotlib's.
        tick_labels : sequence of str, optional
            Their labels, if ``ticks`` is given.
        ylim : pair of float, default=QUALITY_YLIM
            The correlations' range (see :func:`quality_ylim`).
        """
        ax = self.ax
        ax.set_xscale("log" if log else "linear")
        ax.set_xlim(*limits)
        ax.set_ylim(*ylim)
        ax.set_xlabel(label, fontsize=FONT_SIZE)
        if ticks is not None:
            ax.set_xticks(list(ticks), labels=tick_labels)
            ax.minorticks_off()
        else:
            ax.xaxis.set_major_locator(_integer_locator())

    def show(self, values, correlations, current):
        """Draw each method's correlations at ``values``, and mark ``current``.

        Parameters
        ----------
        values : sequence of float
            The parameter's values, in increasing order.
        correlations : mapping of str to sequence of (float or None)
            For each method, its correlation at each value (None: undefined,
            left as a gap in its line).
        current : float
            The value shown in the matrices.
        """
        for method, line in self.lines.items():
            ys = [np.nan if r is None else r for r in correlations.get(method, [])]
            line.set_data(list(values), ys)
        self.current.set_xdata([current, current])
        return self


def quality_ylim(correlations):
    """The quality panel's y range for ``correlations`` (a mapping of method to values).

    From -0.25 to 1, where the methods' correlations usually lie, unless one is
    lower (an estimate from very few neurons can be far off): then the whole
    range of a correlation, -1 to 1. Two ranges only, so that the panel's axes
    seldom change.

    Examples
    --------
    >>> quality_ylim({"iv": [0.5, None]}), quality_ylim({"iv": [-0.6]})
    ((-0.25, 1.05), (-1.05, 1.05))
    """
    values = [r for series in correlations.values() for r in series if r is not None]
    if values and min(values) < QUALITY_YLIM[0]:
        return FULL_YLIM
    return QUALITY_YLIM


def draw_quality_trace(ax):
    """Set ``ax`` up as the quality panel, empty, and return its artists.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> trace = draw_quality_trace(Figure().add_subplot())
    >>> trace.show([1, 2], {"iv": [0.5, None]}, 2).lines["iv"].get_ydata()
    [0.5, nan]
    """
    return QualityTraceArtists(ax)


def plot_methods_comparison(comparison, *, figure=None, show=False):
    """The truth and the four methods' estimates of one network, as a still figure.

    The explorer's figure at one setting: its quality panel shows each
    method's correlation at the fraction observed, one point each (the
    explorer adds a point for every value a student moves to).

    Parameters
    ----------
    comparison : MethodsComparison
        From :func:`~nmacausal.compare_methods`.
    figure : matplotlib.figure.Figure, optional
        An empty figure to draw into; by default a new pyplot figure.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from nmacausal import compare_methods
    >>> figure = plot_methods_comparison(compare_methods(n_neurons=10, timesteps=2000),
    ...                                  figure=Figure())
    >>> [ax.get_title() for ax in figure.axes[1:3]]
    ['Perturbation', 'Lagged correlation']
    """
    comparison = _check_comparison(comparison)
    if figure is None:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=METHODS_FIGURE_SIZE)
    axes = add_methods_axes(figure)
    draw_methods_comparison(axes, comparison)
    fraction = comparison.conditions.observed_fraction
    correlations = {method: [r] for method, r in comparison.correlations.items()}
    percents = (0.2, 0.4, 0.6, 0.8, 1.0)
    quality = draw_quality_trace(axes.quality)
    quality.set_axis(
        "Neurons observed", (0.05, 1.05), ticks=percents,
        tick_labels=[f"{round(100 * value)}%" for value in percents],
        ylim=quality_ylim(correlations),
    )  # fmt: skip
    quality.show([fraction], correlations, fraction)
    _show_if(show)
    return figure


def correlation_title(correlation):
    """An estimate's subtitle: ``"r = 0.85"``, or ``"r undefined"``."""
    return "r undefined" if correlation is None else f"r = {correlation:.2f}"


def observed_subtitle(n_observed, n_neurons):
    """The truth's subtitle: ``"25 of 50 neurons observed (50%)"``."""
    return f"{n_observed} of {n_neurons} neurons observed ({round(100 * n_observed / n_neurons)}%)"


# --- Helpers ----------------------------------------------------------------------------


def _check_comparison(comparison):
    if not isinstance(comparison, MethodsComparison):
        raise TypeError(
            f"`comparison` must be a MethodsComparison (from compare_methods), got "
            f"{type(comparison).__name__}."
        )
    return comparison


def _extent(n_neurons):
    return (-0.5, n_neurons - 0.5, n_neurons - 0.5, -0.5)


def _outline(n_neurons):
    return Rectangle(
        (-0.5, -0.5), n_neurons, n_neurons, fill=False, edgecolor="black", linewidth=1.2, zorder=2
    )


def _veil(n_neurons, n_observed):
    """The corners of the unobserved neurons' rows and columns: the whole matrix but its
    top-left ``n_observed`` square, an L (nothing when every neuron is observed)."""
    low, k, n = -0.5, n_observed - 0.5, n_neurons - 0.5
    return [(k, low), (n, low), (n, n), (low, n), (low, k), (k, k)]


def _subtitle(ax, color, **font):
    """A line of text between ``ax``'s title and its top, changed by :meth:`MethodsArtists.show`."""
    # A Text 5 points above the axes, not an Annotation: the same place, and a third
    # cheaper to draw on each change.
    above = ScaledTranslation(0, 5 / 72, ax.figure.dpi_scale_trans)
    return ax.text(
        0.5, 1, "", transform=ax.transAxes + above,
        ha="center", va="bottom", fontsize=FONT_SIZE + 1, color=color, **font,
    )  # fmt: skip


def _wrapped(reason):
    return "\n".join(textwrap.wrap(reason, REASON_WIDTH))


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=6, integer=True)
