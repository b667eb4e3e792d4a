"""Tutorial 4's figures: what they draw from the numbers given, and what they refuse.

The figures compute no estimate: the tests give them the model's numbers
(:mod:`nmacausal.model.instrumental` and :mod:`nmacausal.model.regression`) and
check what is drawn: the matrices and their shared colour scale, the titles
and their correlations, the axis directions, that the comparison shows IV
holding up where regression falls, and that drawing raises no warning. Also
here: :func:`~nmacausal.plotting.plot_estimation_quality`'s ``label`` and
``color``, which let two methods share one axes.
"""

import functools
import itertools

import numpy as np
import pytest
from figure_checks import rendered_without_warnings
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nmacausal.model.instrumental import (
    COMPARISON_REGRESSION_ARGS,
    compare_iv_estimate_to_regression,
    get_granger_causality,
    get_iv_corr_full_connectivity,
    get_iv_estimate_network,
    simulate_neurons_iv,
)
from nmacausal.model.regression import get_regression_corr_full_connectivity
from nmacausal.model.simulation import create_connectivity, isolated_random_state, simulate_neurons
from nmacausal.plotting.instrumental import (
    IV_DEMO_FIGURE_SIZE,
    add_iv_demo_axes,
    compare_granger_connectivity,
    draw_iv_demo,
    plot_iv_and_regression_vs_observed,
    plot_iv_demo,
    plot_iv_estimate,
    plot_performance_vs_eta,
)
from nmacausal.plotting.sweeps import plot_estimation_quality

RATIOS = [1, 0.8, 0.6, 0.4, 0.2]
# Three trials of each method against the fraction observed (rows: trials; columns: RATIOS).
IV_SWEEP = np.array(
    [
        [0.97, 0.95, 0.94, 0.92, 0.90],
        [0.96, 0.96, 0.93, 0.91, 0.86],
        [0.98, 0.94, 0.95, 0.90, 0.88],
    ]
)
REGRESSION_SWEEP = np.array(
    [
        [0.95, 0.80, 0.62, 0.45, 0.30],
        [0.94, 0.78, 0.60, 0.41, 0.28],
        [0.96, 0.83, 0.65, 0.47, 0.35],
    ]
)
ETAS = [2, 1, 0.5, 0.25, 0.12]
ETA_SWEEP = np.array(
    [
        [0.95, 0.90, 0.70, 0.40, 0.15],
        [0.96, 0.88, 0.72, 0.35, 0.20],
        [0.94, 0.91, 0.66, 0.42, 0.10],
    ]
)

# conftest.py's fixtures: figures closed after each test, a fresh axes, plt.show() recorded.
pytestmark = pytest.mark.usefixtures("close_figures")


@functools.cache
def demo_network(n_neurons=30, timesteps=20_000):
    """Interactive Demo 3's network, recording and instrument (random state left alone)."""
    with isolated_random_state():
        return simulate_neurons_iv(n_neurons, timesteps, 2, 42)


@functools.cache
def demo_estimates(n_observed):
    """The model's IV and regression correlations and estimates of the observed block."""
    A, X, Z = demo_network()
    ratio = n_observed / 30
    iv_corr, V_iv = get_iv_corr_full_connectivity(30, A, X, Z, ratio)
    regression_corr, V_regression = get_regression_corr_full_connectivity(
        30, A, X, ratio, COMPARISON_REGRESSION_ARGS
    )
    return iv_corr, V_iv, regression_corr, V_regression


def new_axes(count, figsize=IV_DEMO_FIGURE_SIZE):
    return list(FigureCanvasAgg(Figure(figsize=figsize)).figure.subplots(1, count))


def assert_shows_block(ax, block, n_neurons):
    """The image is ``block`` in the top-left corner of an n x n grid, masked elsewhere."""
    n_observed = block.shape[0]
    shown = ax.images[0].get_array()
    assert shown.shape == (n_neurons, n_neurons)
    np.testing.assert_array_equal(shown[:n_observed, :n_observed], block)
    expected_mask = np.ones((n_neurons, n_neurons), dtype=bool)
    expected_mask[:n_observed, :n_observed] = False
    np.testing.assert_array_equal(np.ma.getmaskarray(shown), expected_mask)
    outline = ax.patches[-1]
    assert (outline.get_width(), outline.get_height()) == (n_observed, n_observed)
    assert ax.get_ylim() == (n_neurons - 0.5, -0.5)  # row 0 at the top
    assert ax.get_xlabel() == "Connectivity from"


def assert_fits_and_nothing_overlaps(figure):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    inside = figure.bbox
    boxes = [ax.get_tightbbox(renderer) for ax in figure.axes]
    for ax, box in zip(figure.axes, boxes, strict=True):
        assert box.x0 >= inside.x0 and box.x1 <= inside.x1, ax
        assert box.y0 >= inside.y0 and box.y1 <= inside.y1, ax
    # No two panels (colour bars included) collide: no frame, title, axis label or tick
    # label of one overlaps any of another's. (A title wider than its panel may pass
    # above a neighbour's colour bar, so whole tight boxes may overlap.)
    parts = [component_boxes(ax, renderer) for ax in figure.axes]
    for (i, first), (j, second) in itertools.combinations(enumerate(parts), 2):
        for box in first:
            for other in second:
                overlap_x = min(box.x1, other.x1) - max(box.x0, other.x0)
                overlap_y = min(box.y1, other.y1) - max(box.y0, other.y0)
                assert overlap_x <= 1 or overlap_y <= 1, (figure.axes[i], figure.axes[j])


def component_boxes(ax, renderer):
    """The window extents of an axes' frame, title, axis labels and tick labels."""
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label]
    texts += [label for label in ax.get_xticklabels() + ax.get_yticklabels() if label.get_text()]
    boxes = [ax.get_window_extent(renderer)]
    boxes += [text.get_window_extent(renderer) for text in texts if text.get_text().strip()]
    return boxes


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def lines_labelled(ax, prefix):
    return [line for line in ax.lines if line.get_label().startswith(prefix)]


# --- Section 2.2: the IV estimate beside the truth ---------------------------------------


def test_iv_estimate_figure_shows_both_matrices_on_one_scale_with_the_models_correlation():
    # The tutorial's cell: 6 neurons, 10000 timesteps, eta = 2, seed 42.
    A, X, Z = demo_network(6, 10_000)
    V = get_iv_estimate_network(X, Z)
    corr = np.corrcoef(A.flatten(), V.flatten())[1, 0]
    figure = rendered_without_warnings(lambda: plot_iv_estimate(A, V))
    true_ax, estimate_ax, colorbar_ax = figure.axes
    np.testing.assert_array_equal(true_ax.images[0].get_array(), A)
    np.testing.assert_array_equal(estimate_ax.images[0].get_array(), V)
    assert true_ax.get_title() == "True connectivity matrix"
    assert estimate_ax.get_title() == f"IV estimated connectivity matrix\nCorrelation: {corr:.2f}"
    limit = max(np.abs(A).max(), np.abs(V).max())
    for ax in (true_ax, estimate_ax):
        assert ax.images[0].get_clim() == (-limit, limit)
    assert colorbar_ax.get_ylabel() == "Connectivity strength"
    assert_fits_and_nothing_overlaps(figure)


def test_iv_estimate_figure_says_when_the_correlation_is_undefined():
    figure = rendered_without_warnings(lambda: plot_iv_estimate(np.zeros((3, 3)), np.eye(3)))
    assert figure.axes[1].get_title().endswith("Correlation: undefined")
    given = plot_iv_estimate(np.eye(3), np.eye(3), 0.25, new_axes(2))
    assert given.axes[1].get_title().endswith("Correlation: 0.25")


# --- Interactive Demo 3's figure -----------------------------------------------------------


@pytest.mark.parametrize("n_observed", [6, 18, 30])
def test_demo_shows_the_true_block_both_estimates_and_the_models_correlations(n_observed):
    A, _, _ = demo_network()
    iv_corr, V_iv, regression_corr, V_regression = demo_estimates(n_observed)
    axes = new_axes(3)
    figure = rendered_without_warnings(
        lambda: plot_iv_demo(
            A,
            V_iv,
            V_regression,
            n_observed,
            iv_correlation=iv_corr,
            regression_correlation=regression_corr,
            axes=axes,
        )
    )
    true_ax, iv_ax, regression_ax = axes
    assert figure is true_ax.figure
    assert_shows_block(true_ax, A[:n_observed, :n_observed], 30)
    assert_shows_block(iv_ax, V_iv, 30)
    assert_shows_block(regression_ax, V_regression, 30)
    percent = round(100 * n_observed / 30)
    assert true_ax.get_title() == (
        f"True connectivity\n{n_observed} of 30 neurons observed ({percent}%)"
    )
    assert iv_ax.get_title() == f"Estimated connectivity (IV)\nCorrelation: {iv_corr:.2f}"
    assert regression_ax.get_title() == (
        f"Estimated connectivity (regression)\nCorrelation: {regression_corr:.2f}"
    )
    # One colour scale for the three matrices, symmetric about 0, wide enough for all,
    # and one colour bar for it.
    limit = max(np.abs(block).max() for block in (A[:n_observed, :n_observed], V_iv, V_regression))
    for ax in axes:
        assert ax.images[0].get_clim() == (-limit, limit)
    colorbar = regression_ax.images[0].colorbar
    assert colorbar.ax.get_ylabel() == "Connectivity strength"
    assert colorbar.ax.get_ylim() == (-limit, limit)
    assert len(figure.axes) == 4  # the three panels and the colour bar
    assert true_ax.get_ylabel() == "Connectivity to"


def test_demo_correlations_are_the_models_when_not_given():
    A, _, _ = demo_network()
    iv_corr, V_iv, regression_corr, V_regression = demo_estimates(12)
    figure = plot_iv_demo(A, V_iv, V_regression)  # n_observed: the estimates' size
    assert figure.axes[1].get_title().endswith(f"Correlation: {iv_corr:.2f}")
    assert figure.axes[2].get_title().endswith(f"Correlation: {regression_corr:.2f}")


def test_demo_shows_iv_ahead_of_regression_when_few_neurons_are_observed():
    # The lesson of the demo, at the tutorial's settings: at 20 % observed (6 of 30),
    # regression is confounded by the hidden neurons, IV much less.
    iv_corr, _, regression_corr, _ = demo_estimates(6)
    assert iv_corr > regression_corr + 0.1


def test_demo_says_when_a_correlation_is_undefined():
    A = np.zeros((6, 6))
    A[4, 5] = 0.3  # no connection among the first 3 neurons
    figure = rendered_without_warnings(lambda: plot_iv_demo(A, np.eye(3), np.eye(3)))
    assert figure.axes[1].get_title().endswith("Correlation: undefined")
    assert figure.axes[2].get_title().endswith("Correlation: undefined")


def test_demo_artists_show_another_setting_as_a_fresh_drawing_would():
    A, _, _ = demo_network()
    _, V_iv, _, V_regression = demo_estimates(6)
    drawn = draw_iv_demo(new_axes(3), A, V_iv, V_regression)
    iv_corr, V_iv, regression_corr, V_regression = demo_estimates(24)
    correlations = {"iv_correlation": iv_corr, "regression_correlation": regression_corr}
    drawn.show(A, V_iv, V_regression, 24, **correlations)
    fresh = draw_iv_demo(new_axes(3), A, V_iv, V_regression, 24, **correlations)
    for name in ("true_title", "iv_title", "regression_title"):
        assert getattr(drawn, name).get_text() == getattr(fresh, name).get_text()
    for name in ("true_image", "iv_image", "regression_image"):
        shown, expected = getattr(drawn, name), getattr(fresh, name)
        np.testing.assert_array_equal(shown.get_array(), expected.get_array())
        np.testing.assert_array_equal(
            np.ma.getmaskarray(shown.get_array()), np.ma.getmaskarray(expected.get_array())
        )
        assert shown.get_clim() == expected.get_clim()
    for name in ("true_outline", "iv_outline", "regression_outline"):
        assert getattr(drawn, name).get_width() == 24
    assert drawn.iv_correlation_text == f"Correlation: {iv_corr:.2f}"
    assert drawn.regression_correlation_text == f"Correlation: {regression_corr:.2f}"
    with pytest.raises(ValueError, match=r"`A` must keep the network's size, 30 neurons"):
        drawn.show(A[:10, :10], V_iv[:5, :5], V_regression[:5, :5])


@pytest.mark.parametrize("n_observed", [6, 30])
def test_demo_layout_fits_the_figure(n_observed):
    A, _, _ = demo_network()
    iv_corr, V_iv, regression_corr, V_regression = demo_estimates(n_observed)
    figure = FigureCanvasAgg(Figure(figsize=IV_DEMO_FIGURE_SIZE)).figure
    draw_iv_demo(add_iv_demo_axes(figure), A, V_iv, V_regression)
    assert_fits_and_nothing_overlaps(figure)
    # The titles do not run into each other either.
    renderer = figure.canvas.get_renderer()
    titles = [ax.title.get_window_extent(renderer) for ax in figure.axes[:3]]
    for left, right in itertools.pairwise(titles):
        assert left.x1 < right.x0


# --- IV and regression against the fraction observed -------------------------------------


def test_comparison_runs_from_100_percent_down_with_one_line_per_method(ax):
    rendered_without_warnings(
        lambda: plot_iv_and_regression_vs_observed(RATIOS, IV_SWEEP, REGRESSION_SWEEP, ax=ax)
    )
    left, right = ax.get_xlim()
    assert left > right  # fewer neurons observed to the right
    assert 100 < left < 105 and 15 < right < 20  # room for the end points' dots, no more
    assert ax.get_title() == "IV and regression as a function of the number of neurons observed"
    assert ax.get_xlabel() == "Percent of neurons observed"
    assert ax.get_ylabel() == "Connectivity matrices correlation with truth"
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
    (regression,) = lines_labelled(ax, "Regression")
    (iv,) = lines_labelled(ax, "IV")
    for line, sweep, color in ((regression, REGRESSION_SWEEP, "tab:blue"), (iv, IV_SWEEP, "C1")):
        np.testing.assert_allclose(line.get_xdata(), [20, 40, 60, 80, 100])
        np.testing.assert_allclose(line.get_ydata(), sweep.mean(axis=0)[::-1], rtol=1e-12)
        assert to_rgba(line.get_color()) == to_rgba(color)
    assert legend_texts(ax) == [
        "Regression (Lasso): mean ± 1 std over 3 trials",
        "IV (two-stage least squares): mean ± 1 std over 3 trials",
    ]
    assert len(ax.collections) == 2  # a band per method


def test_comparison_of_the_models_sweep_shows_iv_holding_up_as_regression_falls(ax):
    # The tutorial's data (40 neurons, 20000 timesteps, eta = 2, seed 42), one trial, with
    # the instrument Z in IV's first stage (the tutorial passed X by mistake).
    A, X, Z = demo_network(40, 20_000)
    comparison = compare_iv_estimate_to_regression(A, X, Z)
    plot_iv_and_regression_vs_observed(
        comparison.observed_ratio, comparison.iv_corrs, comparison.reg_corrs, ax=ax
    )
    (regression,) = lines_labelled(ax, "Regression")
    (iv,) = lines_labelled(ax, "IV")
    assert (regression.get_label(), iv.get_label()) == (
        "Regression (Lasso)",
        "IV (two-stage least squares)",
    )
    # By increasing percent: 20 % first, 100 % last. Regression falls from 0.81 to 0.54
    # as fewer neurons are observed; IV, noisier (0.65 with every neuron observed),
    # stays within 0.61 to 0.65 and ends ahead.
    regression_y, iv_y = regression.get_ydata(), iv.get_ydata()
    assert regression_y[-1] - regression_y[0] > 0.2
    assert np.ptp(iv_y) < 0.1
    assert iv_y[0] > regression_y[0]


def test_comparison_marks_a_partial_point_in_its_methods_colour(ax):
    iv = IV_SWEEP.copy()
    iv[2, 4] = np.nan
    plot_iv_and_regression_vs_observed(RATIOS, iv, REGRESSION_SWEEP, ax=ax)
    ax.figure.canvas.draw()
    (label,) = ax.texts
    assert label.get_text() == "2 of 3"
    assert to_rgba(label.get_color()) == to_rgba("tab:orange")
    assert label.get_window_extent().x1 <= ax.get_window_extent().x1  # 20 % is rightmost


def test_comparison_makes_a_figure_whose_title_fits(show_calls):
    ax = plot_iv_and_regression_vs_observed(RATIOS, IV_SWEEP, REGRESSION_SWEEP)
    assert isinstance(ax, Axes)
    ax.figure.canvas.draw()
    title = ax.title.get_window_extent()
    assert title.x0 >= 0 and title.x1 <= ax.figure.bbox.x1
    assert show_calls == []


# --- Bonus: instrument strength ----------------------------------------------------------


def test_eta_figure_is_logarithmic_strongest_instrument_on_the_left(ax):
    rendered_without_warnings(lambda: plot_performance_vs_eta(ETAS, ETA_SWEEP, ax=ax))
    assert ax.get_xscale() == "log"
    left, right = ax.get_xlim()
    assert left > 2 and right < 0.12
    assert ax.get_title() == "IV performance as a function of instrument strength"
    assert ax.get_xlabel() == "Strength of instrument (eta)"
    assert ax.get_ylabel() == "Correlation between IV and true connectivity"
    assert [label.get_text() for label in ax.get_xticklabels()] == ["0.12", "0.25", "0.5", "1", "2"]
    assert ax.get_xticklabels(minor=True) == []
    mean = ax.lines[0]
    np.testing.assert_allclose(mean.get_xdata(), sorted(ETAS))
    np.testing.assert_allclose(mean.get_ydata(), ETA_SWEEP.mean(axis=0)[::-1], rtol=1e-12)
    assert legend_texts(ax) == ["mean over 3 trials", "± 1 std"]


# --- Bonus: Granger causality -----------------------------------------------------------


@functools.cache
def granger_network(n_neurons):
    """The network and recording of the tutorial's Granger cells: 5000 timesteps, seed 42."""
    with isolated_random_state():
        A = create_connectivity(n_neurons, 42)
        return A, simulate_neurons(A, 5000, 42)


def test_granger_figure_shows_the_true_effects_beside_the_tests():
    # The tutorial's small system: 6 neurons, neuron 1 tested.
    A, X = granger_network(6)
    reject_null, _ = get_granger_causality(X, 1)
    figure = rendered_without_warnings(lambda: compare_granger_connectivity(A, reject_null, 1))
    true_ax, granger_ax = figure.axes[:2]
    np.testing.assert_array_equal(true_ax.images[0].get_array(), A[:, [1]])
    np.testing.assert_array_equal(granger_ax.images[0].get_array(), np.c_[reject_null])
    limit = np.abs(A[:, 1]).max()
    assert true_ax.images[0].get_clim() == (-limit, limit)
    assert granger_ax.images[0].get_clim() == (0, 1)
    assert true_ax.get_title() == "True effects of neuron 1\n(column 1 of A)"
    corr = np.corrcoef(A[:, 1], reject_null)[1, 0]
    assert granger_ax.get_title() == (
        f"Granger causality of neuron 1\nCorrelation with the truth: {corr:.2f}"
    )
    assert [label.get_text() for label in true_ax.get_xticklabels()] == ["1"]
    assert legend_texts(granger_ax) == ["Granger-causes (null rejected)", "no evidence"]
    assert_fits_and_nothing_overlaps(figure)


def test_granger_figure_of_100_neurons_fits():
    # The tutorial's large system; the outcomes here are the true connections.
    A, _ = granger_network(100)
    reject_null = (A[:, 1] > 0).astype(int)
    figure = rendered_without_warnings(lambda: compare_granger_connectivity(A, reject_null, 1))
    assert figure.axes[1].get_title().endswith("Correlation with the truth: 1.00")
    assert_fits_and_nothing_overlaps(figure)


def test_granger_figure_says_when_the_correlation_is_undefined():
    figure = compare_granger_connectivity(np.eye(3) * 0.5, [False, False, False], 0, new_axes(2))
    assert figure.axes[1].get_title().endswith("Correlation with the truth: undefined")


def test_figures_are_shown_only_when_asked(show_calls):
    A = np.eye(4)
    plot_iv_estimate(A, A)
    plot_iv_demo(A, A[:2, :2], A[:2, :2])
    plot_iv_and_regression_vs_observed(RATIOS, IV_SWEEP, REGRESSION_SWEEP)
    plot_performance_vs_eta(ETAS, ETA_SWEEP)
    compare_granger_connectivity(A, [1, 0, 0, 0], 0)
    assert show_calls == []
    plot_iv_estimate(A, A, show=True)
    plot_iv_demo(A, A[:2, :2], A[:2, :2], show=True)
    plot_iv_and_regression_vs_observed(RATIOS, IV_SWEEP, REGRESSION_SWEEP, show=True)
    plot_performance_vs_eta(ETAS, ETA_SWEEP, show=True)
    compare_granger_connectivity(A, [1, 0, 0, 0], 0, show=True)
    assert len(show_calls) == 5


# --- plot_estimation_quality: several methods on one axes --------------------------------


def test_labelled_sweeps_share_an_axes_each_in_its_colour(ax):
    plot_estimation_quality([1, 2], [[0.9, 0.8], [0.8, 0.7]], xlabel="x", label="A", ax=ax)
    plot_estimation_quality(
        [1, 2], [[0.5, 0.4], [0.3, 0.2]], xlabel="x", label="B", color="tab:green", ax=ax
    )
    assert legend_texts(ax) == ["A: mean ± 1 std over 2 trials", "B: mean ± 1 std over 2 trials"]
    first, second = ax.lines
    assert to_rgba(first.get_color()) == to_rgba("tab:blue")  # the default colour
    assert to_rgba(second.get_color()) == to_rgba("tab:green")
    band = ax.collections[1]
    np.testing.assert_allclose(band.get_facecolor()[0][:3], to_rgba("tab:green")[:3])
    single = plot_estimation_quality([1, 2], [0.5, 0.4], xlabel="x", label="One trial")
    assert legend_texts(single) == ["One trial"]


def test_each_kind_of_mark_is_explained_once_in_the_legend(ax):
    gaps = np.array([[0.9, np.nan, np.nan], [0.8, 0.7, np.nan]])
    for label, color in (("A", "tab:blue"), ("B", "tab:orange")):
        plot_estimation_quality([1, 2, 3], gaps, xlabel="x", label=label, color=color, ax=ax)
    texts = legend_texts(ax)
    assert len(texts) == len(set(texts)) == 4  # two methods, "fewer trials", "no point"
    assert [text.get_text() for text in ax.texts] == ["1 of 2", "1 of 2"]


def test_unlabelled_sweeps_keep_their_legend(ax):
    plot_estimation_quality([1, 2], [[0.9, 0.8], [0.8, 0.7]], xlabel="x", ax=ax)
    assert legend_texts(ax) == ["mean over 2 trials", "± 1 std"]


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_iv_estimate("A", np.eye(2)), TypeError, r"`A` must be a numeric array"),
        (
            lambda: plot_iv_estimate(np.eye(3), np.eye(2)),
            ValueError,
            r"`A` and `V` must have the same shape, got \(3, 3\) and \(2, 2\)",
        ),
        (
            lambda: plot_iv_estimate(np.eye(2), np.eye(2), 2.0),
            ValueError,
            r"`correlation` must be in \[-1, 1\]",
        ),
        (
            lambda: plot_iv_estimate(np.eye(2), np.eye(2), axes=["a"]),
            ValueError,
            r"`axes` must be 2 matplotlib Axes",
        ),
        (
            lambda: plot_iv_demo(np.eye(4), np.eye(2), np.eye(3)),
            ValueError,
            r"`V_regression` must be the estimate of the observed block, shape \(2, 2\)",
        ),
        (
            lambda: plot_iv_demo(np.eye(4), np.eye(5), np.eye(5)),
            ValueError,
            r"`n_observed` must be an integer <= 4",
        ),
        (lambda: plot_iv_demo(np.eye(4), "V", np.eye(2)), TypeError, r"`V_iv` must be a numeric"),
        (
            lambda: plot_iv_demo(np.eye(4), np.eye(2), np.eye(2), iv_correlation="0.5"),
            TypeError,
            r"`iv_correlation` must be a number or None",
        ),
        (
            lambda: plot_iv_demo(np.eye(4), np.eye(2), np.eye(2), regression_correlation=-2),
            ValueError,
            r"`regression_correlation` must be in \[-1, 1\]",
        ),
        (
            lambda: plot_iv_demo(np.eye(4), np.eye(2), np.eye(2), axes="axes"),
            ValueError,
            r"`axes` must be 3 matplotlib Axes",
        ),
        (
            lambda: plot_iv_and_regression_vs_observed([1, 1], [0.5, 0.4], [0.5, 0.4]),
            ValueError,
            r"`ratios` must hold distinct fractions",
        ),
        (
            lambda: plot_iv_and_regression_vs_observed([1, 0], [0.5, 0.4], [0.5, 0.4]),
            ValueError,
            r"`ratios\[1\]` must be a fraction in \(0, 1\]",
        ),
        (
            lambda: plot_iv_and_regression_vs_observed([1, 0.5], [0.5, 0.4, 0.3], [0.5, 0.4]),
            ValueError,
            r"`iv_correlations` must have shape \(n_trials, 2\)",
        ),
        (
            lambda: plot_iv_and_regression_vs_observed([1, 0.5], [0.5, 0.4], [[1.5, 0.4]]),
            ValueError,
            r"`regression_correlations` must hold correlations",
        ),
        (
            lambda: plot_iv_and_regression_vs_observed([1, 0.5], [0.5, 0.4], None),
            TypeError,
            r"`regression_correlations` must be a numeric array",
        ),
        (
            lambda: plot_performance_vs_eta([2, 0], [0.5, 0.4]),
            ValueError,
            r"`etas` must hold positive instrument strengths",
        ),
        (
            lambda: plot_performance_vs_eta([2, 2], [0.5, 0.4]),
            ValueError,
            r"`etas` must hold distinct values",
        ),
        (
            lambda: plot_performance_vs_eta([2, 1], [0.5, 0.4], ax="ax"),
            TypeError,
            r"`ax` must be a matplotlib Axes",
        ),
        (
            lambda: compare_granger_connectivity(np.eye(3), [1, 0], 0),
            ValueError,
            r"`reject_null` must hold one test outcome per neuron \(3\), got shape \(2,\)",
        ),
        (
            lambda: compare_granger_connectivity(np.eye(3), [1, 0, 0.5], 0),
            ValueError,
            r"`reject_null` must hold 0s and 1s",
        ),
        (
            lambda: compare_granger_connectivity(np.eye(3), "101", 0),
            TypeError,
            r"`reject_null` must be a sequence of 0s and 1s",
        ),
        (
            lambda: compare_granger_connectivity(np.eye(3), [1, 0, 0], 3),
            ValueError,
            r"`selected_neuron` must be an integer <= 2",
        ),
        (
            lambda: plot_estimation_quality([1, 2], [0.5, 0.4], xlabel="x", label=3),
            TypeError,
            r"`label` must be a string",
        ),
        (
            lambda: plot_estimation_quality([1, 2], [0.5, 0.4], xlabel="x", color="nope"),
            ValueError,
            r"`color` must be a Matplotlib colour, got 'nope'",
        ),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
