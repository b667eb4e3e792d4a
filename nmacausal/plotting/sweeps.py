"""Figures of Tutorial 2 ("Correlations"): estimation quality across a sweep, and the demos.

- :func:`plot_estimation_quality` draws how well lagged correlation recovers
  the connectivity across the values of a parameter: the mean over trials and
  a band of one standard deviation. :func:`plot_estimation_quality_vs_n_neurons`
  and :func:`plot_estimation_quality_vs_coarseness` are the tutorial's two
  figures of that kind, with its titles and labels. Given a ``label`` and a
  ``color`` per call, several methods share one axes (Tutorial 4's IV against
  regression).
- :func:`plot_correlation_demo` draws the interactive demos' three panels: the
  true ``A``, the estimate ``R`` and their correlation, as text.

Unlike the tutorial's plotting functions, these compute nothing and read no
notebook global: the numbers come in as arguments (from
:func:`~nmacausal.model.correlation.sweep_network_size` and the other sweeps).

Undefined points: the sweeps mark NaN where the correlation between ``A`` and
``R`` is undefined (a network drawn without any connection). The tutorial's
``mean`` turned such a column into NaN and its plot silently lost the point;
here a point is the mean over the trials that have a value, a point computed
from fewer trials than the others is drawn hollow and labelled "k of N", and
a value with no trial at all is marked on the x axis; the legend says what
each mark means. No NumPy warning is raised on the way.

pyplot is imported only by the functions that create a figure or show one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.transforms import blended_transform_factory

from .._validation import _describe, check_connectivity, check_float_array, check_integer
from ..model.quality import connectivity_correlation
from .network import _new_figure, _show_if, plot_connectivity_matrix

__all__ = [
    "CorrelationCaption",
    "caption_correlation",
    "plot_correlation_demo",
    "plot_estimation_quality",
    "plot_estimation_quality_vs_coarseness",
    "plot_estimation_quality_vs_n_neurons",
]

NETWORK_SIZE_TITLE = "Similarity between A and R as a function of network size"
COARSENESS_TITLE = "Connectivity estimation performance vs coarseness of sampling"
COARSENESS_YLABEL = "Correlation of estimated effective connectivity"
COARSENESS_YLIM = (-0.2, 1.0)

LINE_COLOR = "tab:blue"
MISSING_COLOR = "tab:red"
MAX_DOTTED_POINTS = 30  # more points than this: a plain line
MAX_TICKED_VALUES = 12  # this many values or fewer: a tick on each
HEADLINE_SIZE = 18
DETAIL_SIZE = 10


# --- Estimation quality across a sweep ----------------------------------------------------


def plot_estimation_quality(
    values,
    correlations,
    *,
    xlabel,
    title="Similarity between A and R",
    ylabel="Correlation",
    ylim=None,
    label=None,
    color=LINE_COLOR,
    ax=None,
    show=False,
):
    """Draw the estimation quality across a sweep: mean over trials and a ±1 std band.

    For each value, the mean and the standard deviation (NumPy's default,
    ``ddof=0``, as the tutorial) of the correlations are taken over the trials
    that have one: NaN marks a trial where the correlation is undefined (the
    sweeps' empty networks). Such gaps are never hidden: a point computed from
    fewer trials than the others is drawn hollow and labelled "k of N"; a value
    where no trial has a correlation gets a red cross on the x axis, and the
    line breaks there. The legend explains each mark that appears. Points are
    joined in increasing order of ``values``, whatever the order given.

    Several methods can share one axes: call it once per method with its own
    ``label`` and ``color`` (Tutorial 4 compares IV with regression so). The
    legend then names each method's line ("IV: mean ± 1 std over 3 trials")
    and lists each kind of mark once.

    Parameters
    ----------
    values : array_like of shape (n_values,)
        The swept parameter (x axis); distinct finite numbers.
    correlations : array_like of shape (n_trials, n_values) or (n_values,)
        Correlation between the true and the estimated connectivity, each in
        ``[-1, 1]`` or NaN (undefined); a 1-D array is a single trial (no band).
    xlabel : str
        Label of the x axis.
    title : str, default="Similarity between A and R"
        Axes title.
    ylabel : str, default="Correlation"
        Label of the y axis.
    ylim : pair of float, optional
        Limits of the y axis; by default Matplotlib's.
    label : str, optional
        Name of the method drawn, for a legend that tells several apart; by
        default the legend names the line by what it is only ("mean over 3
        trials", and "± 1 std" for the band).
    color : color, default="tab:blue"
        Colour of the line, its band and its marks.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The first line this call adds is the mean (NaN
        where no trial has a value), in increasing order of ``values``; on
        fresh axes, ``ax.lines[0]``.

    Raises
    ------
    TypeError, ValueError
        If ``values`` is not a 1-D array of distinct finite numbers,
        ``correlations`` does not have one column per value or holds anything
        but correlations and NaN, a label is not a string, or ``color`` is not
        a Matplotlib colour.

    Examples
    --------
    >>> ax = plot_estimation_quality(
    ...     [5, 10], [[0.8, 0.6], [np.nan, 0.7]], xlabel="Number of neurons"
    ... )
    >>> ax.lines[0].get_ydata().round(2).tolist()  # 5 neurons: the one trial with a value
    [0.8, 0.65]
    >>> [text.get_text() for text in ax.texts]
    ['1 of 2']

    Two methods on one axes:

    >>> ax = plot_estimation_quality([1, 2], [[0.9, 0.8]], xlabel="x", label="IV")
    >>> ax = plot_estimation_quality(
    ...     [1, 2], [[0.7, 0.4]], xlabel="x", label="Regression", color="tab:orange", ax=ax
    ... )
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['IV', 'Regression']
    """
    values = _check_values(values, "values")
    correlations = _check_correlations(correlations, values.shape[0])
    xlabel = _check_text(xlabel, "xlabel")
    title = _check_text(title, "title")
    ylabel = _check_text(ylabel, "ylabel")
    if ylim is not None:
        ylim = _check_limits(ylim, "ylim")
    if label is not None:
        label = _check_text(label, "label")
    color = _check_color(color)

    order = np.argsort(values, kind="stable")
    x, correlations = values[order], correlations[:, order]
    n_trials = correlations.shape[0]
    counts, mean, std = _mean_and_std_over_trials(correlations)

    ax = _axes_or_new(ax)
    if label is None:
        mean_label = "correlation" if n_trials == 1 else f"mean over {n_trials} trials"
        band_label = "± 1 std"
    else:
        # One legend entry per method: the band is named in its line's entry.
        mean_label = label if n_trials == 1 else f"{label}: mean ± 1 std over {n_trials} trials"
        band_label = "_nolegend_"
    # Dots on each point, unless they are so many that they merge into a thick line.
    marker = "o" if len(x) <= MAX_DOTTED_POINTS else None
    ax.plot(x, mean, color=color, marker=marker, markersize=4, label=mean_label)
    if n_trials > 1:
        ax.fill_between(
            x, mean - std, mean + std, color=color, alpha=0.2, linewidth=0, label=band_label
        )

    partial = (counts > 0) & (counts < n_trials)
    if partial.any():
        # An error bar as well as the band: a point without neighbours has no band.
        ax.errorbar(
            x[partial],
            mean[partial],
            yerr=std[partial],
            linestyle="none",
            color=color,
            elinewidth=1,
            capsize=3,
            alpha=0.6,
        )
        ax.plot(
            x[partial],
            mean[partial],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=color,
            markeredgewidth=1.5,
            label="mean of fewer trials: the correlation\nis undefined (NaN) in the others",
        )
        # The point drawn rightmost: the largest value, or the smallest on an axis
        # the caller inverted beforehand.
        rightmost = x[0] if ax.xaxis_inverted() else x[-1]
        for x_value, y_value, count in zip(x[partial], mean[partial], counts[partial], strict=True):
            # Beside the point, clear of its error bar; on the left of the rightmost one.
            beside = -7 if x_value == rightmost else 7
            ax.annotate(
                f"{count} of {n_trials}",
                (x_value, y_value),
                xytext=(beside, 0),
                textcoords="offset points",
                ha="right" if beside < 0 else "left",
                va="center",
                fontsize=8,
                color=color,
            )

    missing = counts == 0
    if missing.any():
        on_x_axis = blended_transform_factory(ax.transData, ax.transAxes)
        ax.plot(
            x[missing],
            np.full(int(missing.sum()), 0.03),
            transform=on_x_axis,
            linestyle="none",
            marker="x",
            markersize=8,
            markeredgewidth=2,
            color=MISSING_COLOR,
            clip_on=False,
            label="no point: the correlation is\nundefined (NaN) in every trial",
        )

    if len(x) <= MAX_TICKED_VALUES:
        ax.set_xticks(x, labels=[f"{value:g}" for value in x])
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    _legend_each_label_once(ax)
    _show_if(show)
    return ax


def plot_estimation_quality_vs_n_neurons(number_of_neurons, correlations, *, ax=None, show=False):
    """The tutorial's figure "Similarity between A and R as a function of network size".

    The tutorial's function of the same name also ran the sweep, reading the
    notebook's ``n_trials`` and ``timesteps``; this one only draws. Compute
    the numbers with :func:`~nmacausal.model.correlation.sweep_network_size`.
    Unlike the tutorial's figure, the 5-neuron point, undefined in two of the
    five trials, is drawn (from the other three) and marked as such; see
    :func:`plot_estimation_quality`.

    Parameters
    ----------
    number_of_neurons : array_like of shape (n_values,)
        The network sizes.
    correlations : array_like of shape (n_trials, n_values)
        Correlation between ``A`` and ``R`` for each trial and size, NaN where undefined.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError, ValueError
        As :func:`plot_estimation_quality`.

    Examples
    --------
    >>> ax = plot_estimation_quality_vs_n_neurons([5, 10], [[0.9, 0.7], [0.8, 0.6]])
    >>> ax.get_title()
    'Similarity between A and R as a function of network size'
    """
    return plot_estimation_quality(
        _check_values(number_of_neurons, "number_of_neurons"),
        correlations,
        xlabel="Number of neurons",
        ylabel="Correlation",
        title=NETWORK_SIZE_TITLE,
        ax=ax,
        show=show,
    )


def plot_estimation_quality_vs_coarseness(
    groups, correlations, *, n_neurons=128, ax=None, show=False
):
    """The bonus' figure: estimation quality against the number of neurons per group.

    The x axis is ``n_neurons / groups``, the neurons averaged into each
    group. **Drawn in increasing order** (2, 4, ..., 32 neurons per group),
    whereas the tutorial's line ran from 32 down to 2 because it followed
    the order of ``groups``; the data are the same. The y axis spans
    ``[-0.2, 1]`` as in the tutorial. Compute the numbers with
    :func:`~nmacausal.model.correlation.sweep_coarse_graining`.

    Parameters
    ----------
    groups : sequence of int
        Numbers of groups, each at least 1 and dividing ``n_neurons``.
    correlations : array_like of shape (n_trials, len(groups))
        Correlation between the true and the estimated coarse connectivity,
        NaN where undefined.
    n_neurons : int, default=128
        Number of neurons of the network that was grouped.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    TypeError, ValueError
        If ``n_neurons`` is not an integer >= 1, a group count is not a
        positive integer dividing it, or as :func:`plot_estimation_quality`.

    Examples
    --------
    >>> ax = plot_estimation_quality_vs_coarseness([4, 8], [[0.2, 0.3]], n_neurons=16)
    >>> ax.lines[0].get_xdata().tolist()  # neurons per group, increasing
    [2.0, 4.0]
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
    if isinstance(groups, (str, bytes, dict, set)) or not np.iterable(groups):
        raise TypeError(f"`groups` must be a sequence of integers, got {_describe(groups)}.")
    counts = [check_integer(count, f"groups[{i}]", minimum=1) for i, count in enumerate(groups)]
    if not counts:
        raise ValueError("`groups` must not be empty.")
    if len(set(counts)) != len(counts):
        raise ValueError(f"`groups` must hold distinct numbers of groups, got {_describe(groups)}.")
    for index, count in enumerate(counts):
        if n_neurons % count:
            raise ValueError(
                f"`groups[{index}]` = {count} does not divide `n_neurons` = {n_neurons} "
                f"into equal groups."
            )
    ax = plot_estimation_quality(
        [n_neurons // count for count in counts],
        correlations,
        xlabel=f"Number of neurons per group ({n_neurons} total neurons)",
        ylabel=COARSENESS_YLABEL,
        title=COARSENESS_TITLE,
        ylim=COARSENESS_YLIM,
        ax=ax,
    )
    _show_if(show)
    return ax


# --- The demos' three panels --------------------------------------------------------------


@dataclass(frozen=True)
class CorrelationCaption:
    """What the demos' text panel says about how well ``R`` matches ``A``.

    Attributes
    ----------
    correlation : float or None
        Pearson correlation of ``A`` with ``R`` over all entries; None when
        it is undefined (``A`` or ``R`` the same everywhere).
    headline : str
        ``"Correlation: 0.91"`` (two decimals, as the tutorial) or
        ``"Correlation: undefined"``.
    detail : str
        What was compared, or why the correlation is undefined.
    """

    correlation: float | None
    headline: str
    detail: str


def caption_correlation(A, R):
    """The correlation between ``A`` and ``R`` and the demos' text about it.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity.
    R : array_like of shape (n_neurons, n_neurons)
        The estimate, in ``A``'s orientation.

    Returns
    -------
    CorrelationCaption

    Raises
    ------
    TypeError, ValueError
        If ``A`` or ``R`` is not a finite square matrix, or their shapes differ.

    Examples
    --------
    >>> caption_correlation([[0.0, 1.0], [0.0, 0.0]], [[0.1, 0.8], [0.0, 0.2]]).headline
    'Correlation: 0.97'
    >>> caption_correlation(np.zeros((2, 2)), np.eye(2)).detail
    'A has no connections: nothing to compare'
    """
    A, R = _check_pair(A, R)
    n_connections = int(np.count_nonzero(A))
    plural = "" if n_connections == 1 else "s"
    network = f"A: {n_connections} connection{plural} of {A.size} possible"
    if n_connections == 0:
        return CorrelationCaption(
            None, "Correlation: undefined", "A has no connections: nothing to compare"
        )
    try:
        correlation = connectivity_correlation(A, R)
    except ValueError:
        which = "A" if np.ptp(A) == 0 else "R"
        return CorrelationCaption(
            None,
            "Correlation: undefined",
            f"{which} has the same value everywhere\n{network}",
        )
    return CorrelationCaption(
        correlation,
        f"Correlation: {correlation:.2f}",
        f"between A and R, over all {A.size} entries\n{network}",
    )


def plot_correlation_demo(A, R, axes=None, *, show=False):
    """The interactive demos' figure: true ``A``, estimated ``R``, and their correlation.

    Left, ``A`` ("True connectivity A"); middle, ``R`` ("Estimated
    connectivity R"), each a heatmap with its own colour scale, symmetric about
    0, and colour bar (see :func:`~nmacausal.plotting.plot_connectivity_matrix`;
    the estimate's is labelled "Lagged correlation", what ``R`` holds);
    right, a panel of text: "Correlation: 0.91", what was compared, and the
    number of connections of ``A`` (see :func:`caption_correlation`).

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity.
    R : array_like of shape (n_neurons, n_neurons)
        The estimate, in ``A``'s orientation (``R[i, j]``: effect of ``j`` on ``i``).
    axes : sequence of three matplotlib.axes.Axes, optional
        Where to draw ``A``, ``R`` and the text; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; its text panel holds two texts, the headline then the detail.

    Raises
    ------
    TypeError, ValueError
        If ``A`` or ``R`` is not a finite square matrix, their shapes differ, or
        ``axes`` is not three Axes.

    Examples
    --------
    >>> from nmacausal import create_connectivity, simulate_neurons
    >>> from nmacausal.model.correlation import correlation_for_all_neurons
    >>> A = create_connectivity(6)
    >>> figure = plot_correlation_demo(A, correlation_for_all_neurons(simulate_neurons(A, 2000)))
    >>> figure.axes[2].texts[0].get_text()
    'Correlation: 0.91'
    """
    A, R = _check_pair(A, R)
    caption = caption_correlation(A, R)
    if axes is None:
        # Constrained layout keeps each colour bar's label clear of the next panel.
        figure, axes = _new_figure(
            ncols=3, figsize=(15, 4.5), width_ratios=[1, 1, 0.7], layout="constrained"
        )
    else:
        axes = _check_axes(axes, 3)
        figure = axes[0].figure
    true_ax, estimate_ax, text_ax = axes
    plot_connectivity_matrix(A, true_ax)
    true_ax.set_title("True connectivity A")
    plot_connectivity_matrix(R, estimate_ax)
    estimate_ax.set_title("Estimated connectivity R")
    # R holds correlations, not weights: its colour bar says so.
    estimate_ax.images[0].colorbar.set_label("Lagged correlation")
    text_ax.set_axis_off()
    text_ax.text(
        0.5,
        0.56,
        caption.headline,
        ha="center",
        va="bottom",
        fontsize=HEADLINE_SIZE,
        transform=text_ax.transAxes,
    )
    text_ax.text(
        0.5,
        0.5,
        caption.detail,
        ha="center",
        va="top",
        fontsize=DETAIL_SIZE,
        color="0.3",
        linespacing=1.5,
        transform=text_ax.transAxes,
    )
    _show_if(show)
    return figure


# --- Helpers ----------------------------------------------------------------------------


def _mean_and_std_over_trials(correlations):
    """Per column: how many trials have a value, their mean and std (NaN when none).

    Computed with masked sums rather than ``np.nanmean``, which warns about an
    all-NaN column ("Mean of empty slice"); a warning is output a notebook shows.
    """
    defined = ~np.isnan(correlations)
    counts = defined.sum(axis=0)
    has_value = counts > 0
    mean = np.full(counts.shape, np.nan)
    np.divide(np.where(defined, correlations, 0.0).sum(axis=0), counts, out=mean, where=has_value)
    deviations = np.where(defined, correlations - np.where(has_value, mean, 0.0), 0.0)
    variance = np.full(counts.shape, np.nan)
    np.divide((deviations**2).sum(axis=0), counts, out=variance, where=has_value)
    return counts, mean, np.sqrt(variance)


def _check_correlations(correlations, n_values):
    """Return ``correlations`` as a (n_trials, n_values) float array of correlations or NaN."""
    name = "correlations"
    if correlations is None or isinstance(correlations, (str, bytes, dict, set)):
        raise TypeError(f"`{name}` must be a numeric array, got {_describe(correlations)}.")
    try:
        array = np.asarray(correlations, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be a numeric array, got {_describe(correlations)} ({error})."
        ) from None
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D array (n_trials, n_values) or 1-D (one trial), "
            f"got {array.ndim}-D with shape {array.shape}."
        )
    if array.shape[0] == 0 or array.shape[1] != n_values:
        raise ValueError(
            f"`{name}` must have shape (n_trials, {n_values}), one column per entry of "
            f"`values`, got shape {array.shape}."
        )
    defined = array[~np.isnan(array)]
    if np.isinf(defined).any():
        raise ValueError(f"`{name}` must hold correlations or NaN, found inf.")
    outside = np.abs(defined) > 1
    if outside.any():
        raise ValueError(
            f"`{name}` must hold correlations, in [-1, 1], or NaN; found "
            f"{float(defined[np.argmax(outside)])!r}."
        )
    return array


def _check_pair(A, R):
    A = check_connectivity(A, "A")
    R = check_connectivity(R, "R")
    if A.shape != R.shape:
        raise ValueError(f"`A` and `R` must have the same shape, got {A.shape} and {R.shape}.")
    return A, R


def _check_text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be a string, got {_describe(value)}.")
    return value


def _check_color(color):
    from matplotlib.colors import is_color_like

    if not is_color_like(color):
        raise ValueError(f"`color` must be a Matplotlib colour, got {_describe(color)}.")
    return color


def _legend_each_label_once(ax):
    """The legend of ``ax``, each label listed once (the first artist that carries it).

    Several sweeps drawn on one axes each add their marks ("mean of fewer
    trials", "no point"); the legend explains each kind of mark once.
    """
    handles, labels = ax.get_legend_handles_labels()
    first = {}
    for handle, text in zip(handles, labels, strict=True):
        first.setdefault(text, handle)
    ax.legend(list(first.values()), list(first), loc="best", fontsize=8)


def _check_limits(limits, name):
    array = check_float_array(limits, name, ndim=1)
    if array.shape != (2,) or not array[0] < array[1]:
        raise ValueError(
            f"`{name}` must be a pair (bottom, top) with bottom < top, got {limits!r}."
        )
    return float(array[0]), float(array[1])


def _check_values(values, name):
    """Return the swept values as a 1-D float array of distinct finite numbers."""
    array = check_float_array(values, name, ndim=1)
    if len(np.unique(array)) != len(array):
        raise ValueError(f"`{name}` must hold distinct values, got {_describe(values)}.")
    return array


def _check_axes(axes, count):
    try:
        axes = list(axes)
    except TypeError:
        raise TypeError(f"`axes` must be {count} matplotlib Axes, got {_describe(axes)}.") from None
    if len(axes) != count:
        raise ValueError(f"`axes` must be {count} matplotlib Axes, got {len(axes)}.")
    if not all(hasattr(ax, "figure") and hasattr(ax, "imshow") for ax in axes):
        raise TypeError(f"`axes` must be {count} matplotlib Axes, got {axes!r}.")
    return axes


def _axes_or_new(ax):
    if ax is not None:
        if not (hasattr(ax, "figure") and hasattr(ax, "plot")):
            raise TypeError(f"`ax` must be a matplotlib Axes, got {_describe(ax)}.")
        return ax
    _, ax = _new_figure()
    return ax
