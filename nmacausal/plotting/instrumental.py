"""Figures of Tutorial 4 ("Instrumental variables"): IV against regression.

Tutorial 4 adds an observed source of randomness to every neuron, the
instrument ``Z`` (``x[t + 1] = sigmoid(A x[t] + eta z[t + 1] + eps[t])``), and
estimates the connectivity by two-stage least squares: the part of ``x[t]``
that ``z[t]`` explains, then the regression of ``logit(x[t + 1])`` on it. The
hidden neurons that spoil regression (Tutorial 3) are independent of the
instrument, so the IV estimate of the observed block holds up when few
neurons are observed. The figures:

- :func:`plot_iv_estimate`: "Section 2.2", the true connectivity beside its IV
  estimate, with their correlation in the estimate's title;
- :func:`plot_iv_demo`: Interactive Demo 3's three panels, the true observed
  block, its IV estimate and its regression estimate, each estimate titled
  with its correlation with the truth;
- :func:`plot_iv_and_regression_vs_observed`: the two methods' correlation with
  the truth against the percent of neurons observed, from 100 % down;
- :func:`plot_performance_vs_eta`: the bonus, IV's correlation with the truth
  against the strength of the instrument;
- :func:`compare_granger_connectivity`: the second bonus, one neuron's true
  effects beside the outcomes of the Granger tests of its influence.

The tutorial's own activity figure is :func:`~nmacausal.plotting.plot_neural_activity`.

Differences from the tutorial's figures, all deliberate:

- the comparison against the fraction observed: the tutorial's code passed
  the activity ``X`` as the instrument (``sel_Z = X[:sel_idx, :]``), so its
  "IV" line was regression again and both lines fell together. The numbers
  drawn here come from the instrument ``Z``, and the figure shows the lesson
  the tutorial states: IV holds up while regression degrades. Each line is a
  mean over trials with a band of one standard deviation (see
  :func:`~nmacausal.plotting.plot_estimation_quality`), and the x axis is the
  percent observed, running from 100 down as in Tutorial 3's figure;
- the demo: the tutorial drew ``1 + A`` on the observed block and 0 elsewhere
  (so that "absent" was pale red and "unobserved" dark blue), wrote the
  correlation over the image and switched the estimates' axes off. Here the
  matrices span the whole network, the observed block on a colour scale
  symmetric about 0 that the three panels share (one colour bar: a colour is
  the same weight in all three), the unobserved entries hatched grey (see
  :func:`~nmacausal.plotting.draw_observed_block`), and each correlation is
  its estimate's title. The tutorial also labelled its x axes "Connectivity
  to" and its y axes "Connectivity from"; the images are ``A[i, j]`` with
  ``j``, the cause, on the x axis, and are labelled so;
- the bonus: the instrument strengths (2 down to 0.12, each about half the
  previous one) are spaced on a logarithmic axis, which the tutorial's
  linear one crowded into its right third; as in the tutorial, the strongest
  instrument is on the left.

These functions compute no estimate: the numbers come in as arguments (from
:mod:`nmacausal.model.instrumental` and :mod:`nmacausal.model.regression`).
pyplot is imported only by the functions that create a figure or show one.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from .._validation import _describe, check_connectivity, check_integer
from ..model.quality import connectivity_correlation
from .network import (
    _new_figure,
    _show_if,
    draw_connectivity_image,
    symmetric_color_limit,
)
from .regression import (
    _check_correlation,
    _check_ratios,
    _embed_block,
    correlation_headline,
    draw_observed_block,
    observed_block_correlation,
)
from .sweeps import (
    _axes_or_new,
    _check_axes,
    _check_correlations,
    _check_values,
    plot_estimation_quality,
)

__all__ = [
    "IVDemoArtists",
    "add_iv_demo_axes",
    "compare_granger_connectivity",
    "draw_iv_demo",
    "plot_iv_and_regression_vs_observed",
    "plot_iv_demo",
    "plot_iv_estimate",
    "plot_performance_vs_eta",
]

IV_DEMO_FIGURE_SIZE = (10.2, 3.7)  # inches: at 96 dpi, 979 x 355 pixels, shown unscaled
IV_ESTIMATE_FIGURE_SIZE = (9.5, 4.3)
ESTIMATE_TITLES = ("True connectivity matrix", "IV estimated connectivity matrix")
DEMO_TITLES = (
    "True connectivity",
    "Estimated connectivity (IV)",
    "Estimated connectivity (regression)",
)
COLORBAR_LABEL = "Connectivity strength"

COMPARISON_TITLE = "IV and regression as a function of the number of neurons observed"
COMPARISON_XLABEL = "Percent of neurons observed"
COMPARISON_YLABEL = "Connectivity matrices correlation with truth"
REGRESSION_LABEL = "Regression (Lasso)"
IV_LABEL = "IV (two-stage least squares)"
REGRESSION_COLOR = "tab:blue"  # the tutorial's colours: regression first, then IV
IV_COLOR = "tab:orange"

ETA_TITLE = "IV performance as a function of instrument strength"
ETA_XLABEL = "Strength of instrument (eta)"
ETA_YLABEL = "Correlation between IV and true connectivity"

GRANGER_FIGURE_SIZE = (6.4, 6.0)
GRANGER_REJECTED_COLOR = "tab:red"
GRANGER_KEPT_COLOR = "0.92"


# --- Section 2.2: the IV estimate beside the truth ---------------------------------------


def plot_iv_estimate(A, V, correlation=None, axes=None, *, show=False):
    """The tutorial's figure of Section 2.2: the true connectivity and its IV estimate.

    Left, ``A`` ("True connectivity matrix"); right, the IV estimate ``V``,
    titled with their correlation ("IV estimated connectivity matrix",
    "Correlation: 0.95"). Both share one colour scale, symmetric about 0 and
    wide enough for both, and one colour bar: a colour is the same weight in
    both. (The tutorial printed the correlation and gave each matrix its own
    colour bar.)

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity.
    V : array_like of shape (n_neurons, n_neurons)
        The IV estimate, in ``A``'s orientation (``V[i, j]``: effect of ``j``
        on ``i``).
    correlation : float, optional
        Correlation of ``A`` with ``V``, if already computed; by default
        computed here. NaN when it is undefined.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the truth and the estimate; by default a new figure is
        created. The colour bar takes its space from both.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        Its first two axes are the truth and the estimate, then the colour bar.

    Raises
    ------
    TypeError, ValueError
        If ``A`` or ``V`` is not a finite square matrix, their shapes differ,
        ``correlation`` is not a number in [-1, 1] or ``axes`` is not two Axes.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(6)
    >>> figure = plot_iv_estimate(A, 0.9 * A)
    >>> figure.axes[1].get_title()
    'IV estimated connectivity matrix\\nCorrelation: 1.00'
    """
    A = check_connectivity(A, "A")
    V = check_connectivity(V, "V")
    if A.shape != V.shape:
        raise ValueError(f"`A` and `V` must have the same shape, got {A.shape} and {V.shape}.")
    correlation = (
        observed_block_correlation(A, V) if correlation is None else _check_correlation(correlation)
    )
    if axes is None:
        figure, axes = _new_figure(ncols=2, figsize=IV_ESTIMATE_FIGURE_SIZE, layout="constrained")
    else:
        axes = _check_axes(axes, 2)
        figure = axes[0].figure
    true_ax, estimate_ax = axes
    limit = max(symmetric_color_limit(A), symmetric_color_limit(V))
    for ax, matrix in ((true_ax, A), (estimate_ax, V)):
        image = draw_connectivity_image(ax, matrix)
        image.set_clim(-limit, limit)
    true_ax.set_title(ESTIMATE_TITLES[0])
    estimate_ax.set_title(f"{ESTIMATE_TITLES[1]}\n{correlation_headline(correlation)}")
    colorbar = figure.colorbar(image, ax=[true_ax, estimate_ax], shrink=0.85)
    colorbar.set_label(COLORBAR_LABEL)
    _show_if(show)
    return figure


# --- Interactive Demo 3: IV against regression on the observed block ----------------------


class IVDemoArtists:
    """The artists of Interactive Demo 3's panels, and how to show another setting in them.

    Made by :func:`draw_iv_demo`. :meth:`show` changes the data of these
    artists (the three images, their shared colour scale, the outlines and
    the titles); nothing else of the figure changes, so a caller may keep a
    rendering of the rest (the interactive explorer does).

    Attributes
    ----------
    n_neurons : int
        Size of the network (fixed).
    true_title, iv_title, regression_title : matplotlib.text.Text
        The three panels' titles.
    true_image, iv_image, regression_image : matplotlib.image.AxesImage
        The truth's and the two estimates' blocks, masked outside the observed block.
    true_outline, iv_outline, regression_outline : matplotlib.patches.Rectangle
        The frames around the observed blocks.
    colorbar : matplotlib.colorbar.Colorbar
        The colour bar the three images share (the regression image is its mappable).
    n_observed : int
        Number of observed neurons shown.
    iv_correlation, regression_correlation : float or None
        The correlations shown (None: undefined).
    """

    def __init__(self, axes, n_neurons, n_observed):
        true_ax, iv_ax, regression_ax = axes
        self.n_neurons = n_neurons
        self.true_title, self.iv_title, self.regression_title = (ax.title for ax in axes)
        self.true_image, self.iv_image, self.regression_image = (ax.images[-1] for ax in axes)
        self.true_outline, self.iv_outline, self.regression_outline = (
            ax.patches[-1] for ax in axes
        )
        self.colorbar = self.regression_image.colorbar
        self.n_observed = n_observed
        self.iv_correlation = None
        self.regression_correlation = None

    @property
    def iv_correlation_text(self):
        """The IV estimate's title's last line, for example ``"Correlation: 0.85"``."""
        return correlation_headline(self.iv_correlation)

    @property
    def regression_correlation_text(self):
        """The regression estimate's title's last line, for example ``"Correlation: 0.41"``."""
        return correlation_headline(self.regression_correlation)

    def show(
        self,
        A,
        V_iv,
        V_regression,
        n_observed=None,
        *,
        iv_correlation=None,
        regression_correlation=None,
    ):
        """Show another observed block and its two estimates, in the same artists.

        Arguments as :func:`plot_iv_demo`'s; ``A`` must keep its size.
        """
        A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation = _check_demo(
            A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation
        )
        if A.shape[0] != self.n_neurons:
            raise ValueError(
                f"`A` must keep the network's size, {self.n_neurons} neurons, got shape {A.shape}."
            )
        truth = A[:n_observed, :n_observed]
        limit = _demo_color_limit(truth, V_iv, V_regression)
        for image, outline, block in (
            (self.true_image, self.true_outline, truth),
            (self.iv_image, self.iv_outline, V_iv),
            (self.regression_image, self.regression_outline, V_regression),
        ):
            image.set_data(_embed_block(block, self.n_neurons))
            image.set_clim(-limit, limit)
            outline.set_width(n_observed)
            outline.set_height(n_observed)
        self.true_title.set_text(_true_title(n_observed, self.n_neurons))
        self.iv_title.set_text(f"{DEMO_TITLES[1]}\n{correlation_headline(iv_correlation)}")
        self.regression_title.set_text(
            f"{DEMO_TITLES[2]}\n{correlation_headline(regression_correlation)}"
        )
        self.n_observed = n_observed
        self.iv_correlation = iv_correlation
        self.regression_correlation = regression_correlation
        return self


def add_iv_demo_axes(figure):
    """Add Interactive Demo 3's three axes to ``figure`` in a fixed layout.

    The truth, the IV estimate and the regression estimate, side by side,
    with room for the two-line titles and the shared colour bar on the right.
    A fixed grid, not a layout engine, so that redrawing the explorer's
    figure recomputes nothing; made for a figure of
    :data:`IV_DEMO_FIGURE_SIZE` (or close to it).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    list of three matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> len(add_iv_demo_axes(Figure(figsize=IV_DEMO_FIGURE_SIZE)))
    3
    """
    grid = figure.add_gridspec(1, 3, left=0.055, right=0.915, top=0.83, bottom=0.14, wspace=0.25)
    return [figure.add_subplot(grid[0, column]) for column in range(3)]


def draw_iv_demo(
    axes,
    A,
    V_iv,
    V_regression,
    n_observed=None,
    *,
    iv_correlation=None,
    regression_correlation=None,
):
    """Draw Interactive Demo 3's three panels on ``axes`` and return their artists.

    What :func:`plot_iv_demo` draws, for a caller that then updates it with
    :meth:`IVDemoArtists.show`.

    Parameters
    ----------
    axes : sequence of three matplotlib.axes.Axes
        The truth's, the IV estimate's and the regression estimate's axes; the
        shared colour bar, on their right, takes its space from all three.
    A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation
        As for :func:`plot_iv_demo`.

    Returns
    -------
    IVDemoArtists

    Raises
    ------
    TypeError, ValueError
        As :func:`plot_iv_demo`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(10)
    >>> drawn = draw_iv_demo(Figure().subplots(1, 3), A, A[:4, :4], 0.5 * A[:4, :4])
    >>> drawn.show(A, A[:6, :6], np.eye(6)).true_title.get_text()
    'True connectivity\\n6 of 10 neurons observed (60%)'
    """
    axes = _check_axes(axes, 3)
    A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation = _check_demo(
        A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation
    )
    n_neurons = A.shape[0]
    figure = axes[0].figure
    limit = _demo_color_limit(A[:n_observed, :n_observed], V_iv, V_regression)
    blocks = (A[:n_observed, :n_observed], V_iv, V_regression)
    for index, (ax, block) in enumerate(zip(axes, blocks, strict=True)):
        image, _ = draw_observed_block(ax, block, n_neurons, limit=limit)
        ax.set_title(" ")
        if index:
            ax.set_ylabel("")  # the row's first panel names the y axis for all three
    # One colour scale, one colour bar: a colour is the same weight in the three matrices.
    colorbar = figure.colorbar(image, ax=list(axes), shrink=0.8, fraction=0.03, pad=0.02, aspect=25)
    colorbar.set_label(COLORBAR_LABEL)
    drawn = IVDemoArtists(axes, n_neurons, n_observed)
    return drawn.show(
        A,
        V_iv,
        V_regression,
        n_observed,
        iv_correlation=_nan_if_none(iv_correlation),
        regression_correlation=_nan_if_none(regression_correlation),
    )


def plot_iv_demo(
    A,
    V_iv,
    V_regression,
    n_observed=None,
    *,
    iv_correlation=None,
    regression_correlation=None,
    axes=None,
    show=False,
):
    """Interactive Demo 3's figure: the true observed block, its IV and its regression estimate.

    Left, the true block ``A[:n_observed, :n_observed]``, titled for example
    "6 of 30 neurons observed (20%)"; middle, its IV estimate; right, its
    regression estimate, each titled with its correlation with the truth
    ("Correlation: 0.85"). The three matrices span the whole network (see
    :func:`~nmacausal.plotting.draw_observed_block`: the unobserved entries
    hatched grey) and share one colour scale, symmetric about 0 and wide
    enough for all three, and its colour bar. See :func:`draw_iv_demo` to
    update the panels in place.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity of the whole network.
    V_iv : array_like of shape (n_observed, n_observed)
        The IV estimate of the observed block, from the observed neurons'
        activity and instruments, in ``A``'s orientation (``V[i, j]``: effect
        of ``j`` on ``i``).
    V_regression : array_like of shape (n_observed, n_observed)
        The regression estimate of the same block, from the observed neurons'
        activity alone.
    n_observed : int, optional
        Number of observed neurons; by default the estimates' size, which it
        must equal.
    iv_correlation, regression_correlation : float, optional
        Correlation of the true block with each estimate, if already
        computed; by default computed here. NaN when it is undefined.
    axes : sequence of three matplotlib.axes.Axes, optional
        Where to draw the three matrices; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        Its first three axes are the truth, the IV estimate and the
        regression estimate, then the colour bar.

    Raises
    ------
    TypeError, ValueError
        If ``A`` or an estimate is not a finite square matrix, an estimate's
        size is not ``n_observed``, ``n_observed`` is not an integer from 1
        to ``n_neurons``, a correlation is not a number in [-1, 1] or
        ``axes`` is not three Axes.

    Examples
    --------
    >>> from nmacausal import create_connectivity
    >>> A = create_connectivity(10)
    >>> figure = plot_iv_demo(A, 0.9 * A[:5, :5], A[:5, :5] + 0.1)
    >>> [ax.get_title().splitlines()[-1] for ax in figure.axes[1:3]]
    ['Correlation: 1.00', 'Correlation: 1.00']
    """
    if axes is None:
        A = check_connectivity(A, "A")  # before a figure is made for nothing
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=IV_DEMO_FIGURE_SIZE)
        axes = add_iv_demo_axes(figure)
    else:
        axes = _check_axes(axes, 3)
        figure = axes[0].figure
    draw_iv_demo(
        axes,
        A,
        V_iv,
        V_regression,
        n_observed,
        iv_correlation=iv_correlation,
        regression_correlation=regression_correlation,
    )
    _show_if(show)
    return figure


# --- Sweeps -----------------------------------------------------------------------------


def plot_iv_and_regression_vs_observed(
    ratios, iv_correlations, regression_correlations, *, ax=None, show=False
):
    """The tutorial's comparison: IV and regression against the percent of neurons observed.

    Two lines on one axes, regression (blue) and IV (orange), each the mean
    correlation of the estimated observed block with the truth over the
    trials, with a band of one standard deviation (see
    :func:`~nmacausal.plotting.plot_estimation_quality`, which also marks
    trials where a correlation is undefined). The x axis is the percent of
    neurons observed and runs **from 100 down**, as in the tutorial: reading
    left to right, fewer and fewer neurons are observed, and regression falls
    while IV holds up.

    Parameters
    ----------
    ratios : array_like of shape (n_ratios,)
        The fractions observed, distinct, each in ``(0, 1]``; the tutorial's
        are ``(1, 0.8, 0.6, 0.4, 0.2)``.
    iv_correlations : array_like of shape (n_trials, n_ratios) or (n_ratios,)
        Correlation of the true observed block with its IV estimate (the
        instrument ``Z`` in the first stage), per trial and fraction; NaN
        where undefined. A 1-D array is a single trial, as the tutorial's.
    regression_correlations : array_like of shape (n_trials, n_ratios) or (n_ratios,)
        The same for the regression estimate.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Its lines labelled ``"Regression (Lasso)..."`` and
        ``"IV (two-stage least squares)..."`` are the two means, by increasing
        percent.

    Raises
    ------
    TypeError, ValueError
        If a fraction is not a number in ``(0, 1]``, the fractions are not
        distinct, or as :func:`~nmacausal.plotting.plot_estimation_quality`.

    Examples
    --------
    >>> ax = plot_iv_and_regression_vs_observed([1, 0.5], [0.9, 0.88], [0.9, 0.6])
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['Regression (Lasso)', 'IV (two-stage least squares)']
    >>> [float(limit) for limit in ax.get_xlim()]  # 100 % on the left
    [103.0, 47.0]
    """
    ratios = _check_ratios(ratios)
    if len(set(ratios)) != len(ratios):
        raise ValueError(f"`ratios` must hold distinct fractions, got {_describe(ratios)}.")
    # Both checked before anything is drawn.
    iv_correlations = _check_named_correlations(iv_correlations, "iv_correlations", len(ratios))
    regression_correlations = _check_named_correlations(
        regression_correlations, "regression_correlations", len(ratios)
    )
    percents = 100 * np.asarray(ratios)
    if ax is None:
        _, ax = _new_figure(figsize=(8, 4.8), layout="constrained")
    ax = _axes_or_new(ax)
    # From 100 % down, set first so that the labels beside the points know which
    # side is which; a little room around the end points so their dots are whole.
    ax.set_xlim(percents.max() + 3, percents.min() - 3)
    for correlations, label, color in (
        (regression_correlations, REGRESSION_LABEL, REGRESSION_COLOR),
        (iv_correlations, IV_LABEL, IV_COLOR),
    ):
        plot_estimation_quality(
            percents,
            correlations,
            xlabel=COMPARISON_XLABEL,
            ylabel=COMPARISON_YLABEL,
            title=COMPARISON_TITLE,
            label=label,
            color=color,
            ax=ax,
        )
    ticks = np.sort(percents)
    ax.set_xticks(ticks, labels=[f"{value:g}%" for value in ticks])
    _show_if(show)
    return ax


def plot_performance_vs_eta(etas, correlations, *, ax=None, show=False):
    """The bonus' figure: IV's estimation quality against the strength of the instrument.

    The mean correlation of the IV estimate with the true connectivity over
    the trials, with a band of one standard deviation (see
    :func:`~nmacausal.plotting.plot_estimation_quality`), against ``eta``.
    The x axis is logarithmic, a tick at each ``eta``, and runs from the
    strongest instrument on the left to the weakest on the right, as the
    tutorial's (its ``etas``, 2 down to 0.12, each about half the previous).
    The tutorial's function also read its data from its arguments only; this
    one draws on given axes, checks its input, and marks undefined trials.

    Parameters
    ----------
    etas : array_like of shape (n_etas,)
        The instrument strengths, distinct positive numbers, in any order.
    correlations : array_like of shape (n_trials, n_etas) or (n_etas,)
        Correlation of the true connectivity with its IV estimate, per trial
        and strength; NaN where undefined.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; its first line is the mean, by increasing ``eta``.

    Raises
    ------
    TypeError, ValueError
        If ``etas`` is not a 1-D array of distinct positive numbers, or as
        :func:`~nmacausal.plotting.plot_estimation_quality`.

    Examples
    --------
    >>> ax = plot_performance_vs_eta([2, 1, 0.5], [[0.9, 0.8, 0.5], [0.92, 0.75, 0.4]])
    >>> ax.get_xscale(), bool(ax.xaxis_inverted())
    ('log', True)
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['0.5', '1', '2']
    """
    etas = _check_values(etas, "etas")
    if not (etas > 0).all():
        raise ValueError(
            f"`etas` must hold positive instrument strengths, got {_describe(etas.tolist())}."
        )
    if ax is None:
        _, ax = _new_figure(figsize=(8, 4.8), layout="constrained")
    ax = _axes_or_new(ax)
    ax.set_xscale("log")
    # Strongest on the left, set first so that the labels beside the points know which
    # side is which; a little room (a tenth of a decade) so the end dots are whole.
    margin = 10**0.1
    ax.set_xlim(etas.max() * margin, etas.min() / margin)
    plot_estimation_quality(
        etas, correlations, xlabel=ETA_XLABEL, ylabel=ETA_YLABEL, title=ETA_TITLE, ax=ax
    )
    ticks = np.sort(etas)
    ax.set_xticks(ticks, labels=[f"{value:g}" for value in ticks])
    ax.xaxis.set_minor_locator(NullLocator())  # a log axis labels its minor ticks otherwise
    _show_if(show)
    return ax


# --- Bonus: Granger causality ----------------------------------------------------------


def compare_granger_connectivity(A, reject_null, selected_neuron, axes=None, *, show=False):
    """The bonus' figure: one neuron's true effects beside what the Granger tests found.

    Left, column ``selected_neuron`` of ``A``, the true effect of that neuron
    on each neuron, on the day's colour scale (symmetric about 0) with its
    colour bar beneath; right, each test's outcome: red where the null was
    rejected (the neuron Granger-causes that neuron), pale grey where it was
    not, as the legend beneath says. The right panel's title gives the correlation of the
    outcomes with the true effects, which the tutorial computed in the next
    cell (``np.corrcoef(A[:, selected_neuron], reject_null)``). The tutorial
    drew the outcomes on a continuous colour bar from 0 to 1; they are
    yes/no, hence two colours here.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity.
    reject_null : sequence of int or bool, of length n_neurons
        1 (or True) where the test rejects "neuron ``selected_neuron`` does
        not Granger-cause neuron ``i``", as
        :func:`~nmacausal.model.instrumental.get_granger_causality` returns it.
    selected_neuron : int
        The neuron whose effects were tested.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the truth and the tests; by default a new figure is created.
    show : bool, default=False
        Call ``plt.show()`` after drawing.

    Returns
    -------
    matplotlib.figure.Figure
        Its first two axes are the truth and the tests.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square matrix, ``selected_neuron`` is not a
        neuron's index, ``reject_null`` does not hold one 0 or 1 per neuron,
        or ``axes`` is not two Axes.

    Examples
    --------
    >>> A = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    >>> figure = compare_granger_connectivity(A, [1, 0, 1], 1)
    >>> figure.axes[1].get_title()
    'Granger causality of neuron 1\\nCorrelation with the truth: 1.00'
    """
    A = check_connectivity(A, "A")
    n_neurons = A.shape[0]
    selected_neuron = check_integer(
        selected_neuron, "selected_neuron", minimum=0, maximum=n_neurons - 1
    )
    rejected = _check_rejections(reject_null, n_neurons)
    if axes is None:
        figure, axes = _new_figure(
            ncols=2, figsize=GRANGER_FIGURE_SIZE, layout="constrained", sharey=True
        )
    else:
        axes = _check_axes(axes, 2)
        figure = axes[0].figure
    true_ax, granger_ax = axes
    truth = A[:, selected_neuron]

    image = draw_connectivity_image(true_ax, truth[:, np.newaxis])
    true_ax.set_title(f"True effects of neuron {selected_neuron}\n(column {selected_neuron} of A)")
    # Under its panel, so that it sits between neither panel and its own is clear.
    colorbar = figure.colorbar(
        image, ax=true_ax, location="bottom", shrink=0.9, pad=0.02, aspect=15
    )
    colorbar.set_label(COLORBAR_LABEL)

    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    granger_ax.imshow(
        rejected[:, np.newaxis],
        cmap=ListedColormap([GRANGER_KEPT_COLOR, GRANGER_REJECTED_COLOR]),
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    correlation = _vector_correlation(truth, rejected)
    headline = correlation_headline(correlation).replace(
        "Correlation", "Correlation with the truth"
    )
    granger_ax.set_title(f"Granger causality of neuron {selected_neuron}\n{headline}")
    granger_ax.legend(
        handles=[
            Patch(facecolor=GRANGER_REJECTED_COLOR, label="Granger-causes (null rejected)"),
            Patch(facecolor=GRANGER_KEPT_COLOR, edgecolor="0.6", label="no evidence"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        fontsize=9,
        frameon=False,
    )
    for ax in axes:
        ax.set_aspect("auto")
        ax.set_xticks([0], labels=[str(selected_neuron)])
        ax.set_xlabel("Connectivity from")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    true_ax.set_ylabel("Connectivity to")
    granger_ax.set_ylabel("")
    _show_if(show)
    return figure


# --- Helpers ----------------------------------------------------------------------------


def _check_demo(A, V_iv, V_regression, n_observed, iv_correlation, regression_correlation):
    """The demo's arguments, checked; each correlation computed when not given."""
    A = check_connectivity(A, "A")
    V_iv = check_connectivity(V_iv, "V_iv")
    V_regression = check_connectivity(V_regression, "V_regression")
    n_neurons = A.shape[0]
    if n_observed is None:
        n_observed = V_iv.shape[0]
    n_observed = check_integer(n_observed, "n_observed", minimum=1, maximum=n_neurons)
    truth = A[:n_observed, :n_observed]
    checked = []
    for name, V, correlation in (
        ("V_iv", V_iv, iv_correlation),
        ("V_regression", V_regression, regression_correlation),
    ):
        if V.shape != (n_observed, n_observed):
            raise ValueError(
                f"`{name}` must be the estimate of the observed block, shape ({n_observed}, "
                f"{n_observed}) for `n_observed` = {n_observed}, got shape {V.shape}."
            )
        if correlation is None:
            checked.append(observed_block_correlation(truth, V))
        else:
            try:
                checked.append(_check_correlation(correlation))
            except (TypeError, ValueError) as error:
                argument = name.replace("V_", "") + "_correlation"
                raise type(error)(str(error).replace("`correlation`", f"`{argument}`")) from None
    return (A, V_iv, V_regression, n_observed, *checked)


def _check_named_correlations(correlations, name, n_values):
    """:func:`~nmacausal.plotting.sweeps._check_correlations`, its messages naming ``name``."""
    try:
        return _check_correlations(correlations, n_values)
    except (TypeError, ValueError) as error:
        message = str(error).replace("`correlations`", f"`{name}`")
        raise type(error)(message.replace("`values`", "`ratios`")) from None


def _nan_if_none(correlation):
    """None stands for "undefined" once checked; NaN says so to :func:`_check_demo`."""
    return float("nan") if correlation is None else correlation


def _true_title(n_observed, n_neurons):
    """``"True connectivity\\n6 of 30 neurons observed (20%)"``."""
    percent = round(100 * n_observed / n_neurons)
    return f"{DEMO_TITLES[0]}\n{n_observed} of {n_neurons} neurons observed ({percent}%)"


def _demo_color_limit(*blocks):
    """Half-width of the demo's shared colour scale: the largest ``|entry|`` of the blocks."""
    return max(symmetric_color_limit(block) for block in blocks)


def _check_rejections(reject_null, n_neurons):
    """``reject_null`` as a float array of 0s and 1s, one per neuron."""
    if isinstance(reject_null, (str, bytes, dict, set)) or not np.iterable(reject_null):
        raise TypeError(
            f"`reject_null` must be a sequence of 0s and 1s, one per neuron, got "
            f"{_describe(reject_null)}."
        )
    try:
        values = np.asarray(list(reject_null), dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"`reject_null` must be a sequence of 0s and 1s, one per neuron, got "
            f"{_describe(reject_null)}."
        ) from None
    if values.shape != (n_neurons,):
        raise ValueError(
            f"`reject_null` must hold one test outcome per neuron ({n_neurons}), got shape "
            f"{values.shape}."
        )
    if not np.isin(values, (0.0, 1.0)).all():
        raise ValueError(
            f"`reject_null` must hold 0s and 1s (test outcomes), got {_describe(reject_null)}."
        )
    return values


def _vector_correlation(truth, estimate):
    """Pearson correlation of two vectors, or None when either is constant."""
    if np.ptp(truth) == 0 or np.ptp(estimate) == 0:
        return None
    return connectivity_correlation(truth, estimate)
