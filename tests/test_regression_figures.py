"""Tutorial 3's figures: what they draw from the numbers given, and what they refuse.

The figures compute no regression: the tests give them the model's numbers
(:mod:`nmacausal.model.regression`, itself tested against the tutorial in
``tests/test_regression.py``) and check what is drawn: the observed block of
``A`` and of its estimate, the colour of each node, the texts, the axis
direction, and that drawing raises no warning.
"""

import functools
import itertools

import numpy as np
import pytest
from figure_checks import rendered_without_warnings
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import EllipseCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nmacausal.model.regression import get_regression_corr_full_connectivity
from nmacausal.model.simulation import create_connectivity, simulate_neurons
from nmacausal.plotting.network import draw_network, observed_node_colors, see_neurons
from nmacausal.plotting.regression import (
    DEMO_FIGURE_SIZE,
    add_regression_demo_axes,
    correlation_headline,
    draw_observed_block,
    draw_regression_demo,
    observed_block_correlation,
    plot_estimation_quality_vs_observed,
    plot_observed_subsets,
    plot_regression_demo,
)

RED, BLUE = to_rgba("tab:red"), to_rgba("tab:blue")
RATIOS = [1, 0.75, 0.5, 0.25, 0.12]
# Three trials of the observed-fraction sweep (rows: trials; columns: RATIOS).
SWEEP = np.array(
    [
        [0.93, 0.71, 0.55, 0.41, 0.30],
        [0.91, 0.74, 0.58, 0.37, 0.22],
        [0.95, 0.69, 0.52, 0.44, 0.35],
    ]
)

# conftest.py's fixtures: figures closed after each test, a fresh axes, plt.show() recorded.
pytestmark = pytest.mark.usefixtures("close_figures")


@functools.cache
def demo_network():
    """Interactive Demo 2's network and recording."""
    A = create_connectivity(50, random_state=42)
    return A, simulate_neurons(A, 4000, random_state=42)


@functools.cache
def demo_estimate(n_observed):
    """The model's correlation and estimate of the observed block."""
    A, X = demo_network()
    return get_regression_corr_full_connectivity(50, A, X, n_observed / 50)


def new_axes(count):
    return list(FigureCanvasAgg(Figure(figsize=DEMO_FIGURE_SIZE)).figure.subplots(1, count))


def nodes_of(ax):
    (nodes,) = [c for c in ax.collections if isinstance(c, EllipseCollection)]
    return nodes


def arrows_of(ax):
    (arrows,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    return arrows


def assert_observed_nodes(ax, n_neurons, n_observed):
    colors = nodes_of(ax).get_facecolors()
    assert colors.shape == (n_neurons, 4)
    np.testing.assert_allclose(colors[:n_observed], [RED] * n_observed)
    np.testing.assert_allclose(colors[n_observed:], [BLUE] * (n_neurons - n_observed))


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
    assert ax.get_xlim() == (-0.5, n_neurons - 0.5)
    assert ax.get_ylim() == (n_neurons - 0.5, -0.5)  # row 0 at the top
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Connectivity from", "Connectivity to")


# --- Visualizing subsets of the connectivity matrix --------------------------------------


def test_subsets_figure_shows_each_fractions_observed_block_of_A():
    A = create_connectivity(25)
    figure = rendered_without_warnings(lambda: plot_observed_subsets(A))
    assert figure.get_suptitle() == "Visualizing subsets of the connectivity matrix"
    network_75, matrix_75, network_25, matrix_25 = figure.axes[:4]
    limit = np.abs(A).max()
    for network_ax, matrix_ax, n_observed, title in [
        (network_75, matrix_75, 18, "75% neurons observed (18 of 25)"),  # int(25 * 0.75)
        (network_25, matrix_25, 6, "25% neurons observed (6 of 25)"),
    ]:
        assert matrix_ax.get_title() == title
        assert_shows_block(matrix_ax, A[:n_observed, :n_observed], 25)
        # One colour scale for every row, symmetric about 0: a weight has one colour.
        assert matrix_ax.images[0].get_clim() == (-limit, limit)
        assert matrix_ax.images[0].colorbar.ax.get_ylabel() == "Connectivity strength"
        assert_observed_nodes(network_ax, 25, n_observed)
        legend = [text.get_text() for text in network_ax.get_legend().get_texts()]
        assert legend == ["Observed", "Unobserved", "Not observed (matrix)"]
        # The network is drawn whole, arrows included.
        n_off_diagonal = np.count_nonzero(A - np.diag(np.diag(A)))
        assert len(arrows_of(network_ax).get_paths()) == n_off_diagonal


def test_subsets_figure_takes_other_fractions_one_row_each():
    A = create_connectivity(10)
    figure = plot_observed_subsets(A, ratios=[1, 0.5, 0.01])
    titles = [ax.get_title() for ax in figure.axes[1:6:2]]
    assert titles == [
        "100% neurons observed (10 of 10)",
        "50% neurons observed (5 of 10)",
        "1% neurons observed (1 of 10)",  # at least one neuron, as the model
    ]
    assert_shows_block(figure.axes[5], A[:1, :1], 10)


# --- Interactive Demo 3's figure -----------------------------------------------------------


@pytest.mark.parametrize("n_observed", [5, 20, 45])
def test_demo_figure_shows_the_true_block_its_estimate_and_the_models_correlation(n_observed):
    A, _ = demo_network()
    corr, V = demo_estimate(n_observed)
    axes = new_axes(3)
    figure = rendered_without_warnings(lambda: plot_regression_demo(A, V, n_observed, corr, axes))
    network_ax, true_ax, estimate_ax = axes
    assert figure is network_ax.figure
    assert_shows_block(true_ax, A[:n_observed, :n_observed], 50)
    assert_shows_block(estimate_ax, V, 50)
    assert estimate_ax.get_title() == f"Estimated connectivity\nCorrelation: {corr:.2f}"
    assert true_ax.get_title() == f"True connectivity\namong the {n_observed} observed neurons"
    percent = round(100 * n_observed / 50)
    assert network_ax.get_title() == f"{n_observed} of 50 neurons observed\n({percent}%)"
    # One colour scale for both matrices, symmetric about 0, wide enough for both,
    # and one colour bar for it.
    limit = max(np.abs(A).max(), np.abs(V).max())
    for ax in (true_ax, estimate_ax):
        assert ax.images[0].get_clim() == (-limit, limit)
    colorbar = estimate_ax.images[0].colorbar
    assert colorbar.ax.get_ylabel() == "Connectivity strength"
    assert colorbar.ax.get_ylim() == (-limit, limit)
    assert len(figure.axes) == 4  # the three panels and the colour bar
    assert_observed_nodes(network_ax, 50, n_observed)
    assert len(arrows_of(network_ax).get_paths()) == 0  # the nodes only, as the tutorial


def test_demo_correlation_is_the_models_when_not_given():
    A, _ = demo_network()
    corr, V = demo_estimate(20)
    figure = plot_regression_demo(A, V)  # n_observed: V's size
    assert figure.axes[2].get_title().endswith(f"Correlation: {corr:.2f}")
    assert observed_block_correlation(A[:20, :20], V) == pytest.approx(corr, rel=1e-12)


def test_demo_text_does_not_overlap_the_matrix():
    # The tutorial wrote the correlation inside the estimate's image; here it is its title.
    A, _ = demo_network()
    corr, V = demo_estimate(45)
    figure = plot_regression_demo(A, V, 45, corr)
    figure.canvas.draw()
    estimate_ax = figure.axes[2]
    assert len(estimate_ax.texts) == 0
    title_box = estimate_ax.title.get_window_extent()
    assert title_box.y0 >= estimate_ax.get_window_extent().y1
    assert title_box.y1 <= figure.bbox.y1  # not cut off at the top


def test_demo_says_when_the_correlation_is_undefined():
    A = np.zeros((6, 6))
    A[4, 5] = 0.3  # no connection among the first 3 neurons
    figure = rendered_without_warnings(lambda: plot_regression_demo(A, np.eye(3), 3))
    assert figure.axes[2].get_title().endswith("Correlation: undefined")
    assert correlation_headline(float("nan")) == "Correlation: undefined"
    assert observed_block_correlation(A[:3, :3], np.eye(3)) is None


def test_demo_artists_show_another_setting_as_a_fresh_drawing_would():
    A, _ = demo_network()
    drawn = draw_regression_demo(new_axes(3), A, demo_estimate(5)[1], 5)
    corr, V = demo_estimate(30)
    drawn.show(A, V, 30, corr)
    fresh = draw_regression_demo(new_axes(3), A, V, 30, corr)
    for name in ("network_title", "true_title", "estimate_title"):
        assert getattr(drawn, name).get_text() == getattr(fresh, name).get_text()
    for name in ("true_image", "estimate_image"):
        shown, expected = getattr(drawn, name), getattr(fresh, name)
        np.testing.assert_array_equal(shown.get_array(), expected.get_array())
        np.testing.assert_array_equal(
            np.ma.getmaskarray(shown.get_array()), np.ma.getmaskarray(expected.get_array())
        )
        assert shown.get_clim() == expected.get_clim()
    np.testing.assert_array_equal(drawn.nodes.get_facecolors(), fresh.nodes.get_facecolors())
    assert drawn.true_outline.get_width() == 30
    assert drawn.correlation_text == f"Correlation: {corr:.2f}"
    with pytest.raises(ValueError, match=r"`A` must keep the network's size, 50 neurons"):
        drawn.show(A[:10, :10], V[:5, :5])


def test_demo_layout_fits_the_figure():
    A, _ = demo_network()
    corr, V = demo_estimate(45)
    figure = FigureCanvasAgg(Figure(figsize=DEMO_FIGURE_SIZE)).figure
    draw_regression_demo(add_regression_demo_axes(figure), A, V, 45, corr)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    inside = figure.bbox
    for ax in figure.axes:
        box = ax.get_tightbbox(renderer)
        assert box.x0 >= inside.x0 and box.x1 <= inside.x1, ax
        assert box.y0 >= inside.y0 and box.y1 <= inside.y1, ax
    # The panels do not overlap one another (colour bars included).
    boxes = sorted((ax.get_tightbbox(renderer) for ax in figure.axes), key=lambda box: box.x0)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 <= right.x0 + 1


# --- Performance against the fraction observed -------------------------------------------


def test_quality_figure_runs_from_100_percent_down(ax):
    rendered_without_warnings(lambda: plot_estimation_quality_vs_observed(RATIOS, SWEEP, ax=ax))
    left, right = ax.get_xlim()
    assert left > right  # fewer neurons observed to the right
    assert left >= 100 and right <= 10
    assert ax.get_title() == (
        "Performance of regression as a function of the number of neurons observed"
    )
    assert ax.get_xlabel() == "Percent of neurons observed"
    assert ax.get_ylabel() == "connectivity matrices correlation"
    mean = ax.lines[0]
    np.testing.assert_allclose(mean.get_xdata(), [12, 25, 50, 75, 100])
    np.testing.assert_allclose(mean.get_ydata(), SWEEP.mean(axis=0)[::-1], rtol=1e-12)
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "12%",
        "25%",
        "50%",
        "75%",
        "100%",
    ]
    # The band is mean ± std (NumPy's default, ddof=0) over the trials.
    (band,) = [c for c in ax.collections if c.get_label() == "± 1 std"]
    vertices = np.concatenate([path.vertices for path in band.get_paths()])
    at_50 = vertices[np.isclose(vertices[:, 0], 50), 1]
    column = SWEEP[:, 2]
    assert at_50.min() == pytest.approx(column.mean() - column.std())
    assert at_50.max() == pytest.approx(column.mean() + column.std())


def test_quality_figure_labels_a_partial_point_on_the_side_that_has_room(ax):
    # The tutorial's sweep: trial 2 observes 6 neurons with no connection among them at 12%.
    sweep = SWEEP.copy()
    sweep[2, 4] = np.nan
    plot_estimation_quality_vs_observed(RATIOS, sweep, ax=ax)
    ax.figure.canvas.draw()
    (label,) = ax.texts
    assert label.get_text() == "2 of 3"
    # 12 % is drawn rightmost: its label goes on its left, inside the axes.
    assert label.get_window_extent().x1 <= ax.get_window_extent().x1


def test_quality_figure_makes_a_figure_whose_title_fits(show_calls):
    ax = plot_estimation_quality_vs_observed(RATIOS, SWEEP)
    assert isinstance(ax, Axes)
    ax.figure.canvas.draw()
    title = ax.title.get_window_extent()
    assert title.x0 >= 0 and title.x1 <= ax.figure.bbox.x1
    assert show_calls == []


def test_figures_are_shown_only_when_asked(show_calls):
    A, _ = demo_network()
    corr, V = demo_estimate(5)
    plot_observed_subsets(create_connectivity(8))
    plot_regression_demo(A, V, 5, corr)
    plot_estimation_quality_vs_observed(RATIOS, SWEEP)
    assert show_calls == []
    plot_observed_subsets(create_connectivity(8), show=True)
    plot_regression_demo(A, V, 5, corr, show=True)
    plot_estimation_quality_vs_observed(RATIOS, SWEEP, show=True)
    assert len(show_calls) == 3


# --- The network's observed nodes --------------------------------------------------------


def test_see_neurons_colours_the_observed_neurons_and_keeps_its_default(ax):
    A = create_connectivity(8)
    see_neurons(A, ax, n_observed=3, arrows=False)
    assert_observed_nodes(ax, 8, 3)
    assert len(arrows_of(ax).get_paths()) == 0
    default = see_neurons(A)
    np.testing.assert_allclose(nodes_of(default).get_facecolors(), [to_rgba("black")])
    assert default.get_legend() is None
    assert len(arrows_of(default).get_paths()) > 0


def test_observed_node_colors_are_red_then_blue():
    np.testing.assert_array_equal(observed_node_colors(4, 0), [BLUE] * 4)
    np.testing.assert_array_equal(observed_node_colors(3, 3), [RED] * 3)


def test_draw_network_takes_a_colour_per_node(ax):
    drawn = draw_network(ax, np.eye(3), node_colors=["red", "green", "blue"])
    np.testing.assert_allclose(
        drawn.nodes.get_facecolors(), [to_rgba(c) for c in ("red", "green", "blue")]
    )
    assert len(drawn.looped_neurons) == 3
    assert len(draw_network(ax, np.eye(3), connections=False).looped_neurons) == 0


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plot_observed_subsets("A"), TypeError, r"`A` must be a numeric array"),
        (lambda: plot_observed_subsets(np.ones((2, 3))), ValueError, r"`A` must be a square"),
        (lambda: plot_observed_subsets(np.eye(4), 0.5), TypeError, r"`ratios` must be a seq"),
        (lambda: plot_observed_subsets(np.eye(4), []), ValueError, r"`ratios` must not be em"),
        (lambda: plot_observed_subsets(np.eye(4), [0.5, 0]), ValueError, r"`ratios\[1\]` must"),
        (lambda: plot_observed_subsets(np.eye(4), [1.5]), ValueError, r"fraction in \(0, 1\]"),
        (lambda: plot_observed_subsets(np.eye(4), ["1"]), TypeError, r"`ratios\[0\]` must be"),
        (lambda: plot_regression_demo(np.eye(4), np.eye(5)), ValueError, r"`n_observed` must be"),
        (
            lambda: plot_regression_demo(np.eye(4), np.eye(2), 3),
            ValueError,
            r"`V` must be the estimate of the observed block, shape \(3, 3\)",
        ),
        (lambda: plot_regression_demo(np.eye(4), "V"), TypeError, r"`V` must be a numeric array"),
        (lambda: plot_regression_demo(np.eye(4), np.eye(2), 0), ValueError, r"`n_observed` must"),
        (lambda: plot_regression_demo(np.eye(4), np.eye(2), 2.0), TypeError, r"`n_observed` must"),
        (
            lambda: plot_regression_demo(np.eye(4), np.eye(2), 2, 1.5),
            ValueError,
            r"`correlation` must be in \[-1, 1\]",
        ),
        (
            lambda: plot_regression_demo(np.eye(4), np.eye(2), 2, "0.5"),
            TypeError,
            r"`correlation` must be a number or None",
        ),
        (
            lambda: plot_regression_demo(np.eye(4), np.eye(2), axes="axes"),
            ValueError,
            r"`axes` must be 3 matplotlib Axes",
        ),
        (
            lambda: plot_estimation_quality_vs_observed([1, 1], [[0.5, 0.4]]),
            ValueError,
            r"`ratios` must hold distinct fractions",
        ),
        (
            lambda: plot_estimation_quality_vs_observed([1, 0], [[0.5, 0.4]]),
            ValueError,
            r"`ratios\[1\]` must be a fraction in \(0, 1\]",
        ),
        (
            lambda: plot_estimation_quality_vs_observed([1, 0.5], [[0.5, 0.4, 0.3]]),
            ValueError,
            r"`correlations` must have shape \(n_trials, 2\)",
        ),
        (
            lambda: plot_estimation_quality_vs_observed([1, 0.5], [[0.5, 0.4]], ax="ax"),
            TypeError,
            r"`ax` must be a matplotlib Axes",
        ),
        (
            lambda: draw_observed_block(Figure().add_subplot(), np.eye(3), 2),
            ValueError,
            r"`n_neurons` must be an integer >= 3",
        ),
        (
            lambda: draw_observed_block(Figure().add_subplot(), np.eye(3), 4, limit=0),
            ValueError,
            r"`limit` must be a positive number",
        ),
        (lambda: see_neurons(np.eye(3), n_observed=4), ValueError, r"`n_observed` must be an"),
        (
            lambda: draw_network(Figure().add_subplot(), np.eye(3), node_colors=["red"]),
            ValueError,
            r"`node_colors` must have one colour per neuron \(3\), got 1",
        ),
        (
            lambda: draw_network(Figure().add_subplot(), np.eye(2), node_colors="red"),
            TypeError,
            r"`node_colors` must be one colour per neuron",
        ),
        (
            lambda: draw_network(Figure().add_subplot(), np.eye(2), node_colors=["red", "nope"]),
            ValueError,
            r"`node_colors` must hold Matplotlib colours",
        ),
        (
            lambda: draw_network(
                Figure().add_subplot(), np.eye(2), node_colors=["red"] * 2, node_values=[0, 1]
            ),
            ValueError,
            r"Give `node_values` or `node_colors`, not both",
        ),
        (
            lambda: observed_block_correlation(np.eye(3), np.eye(2)),
            ValueError,
            r"`true_block` and `estimate` must have the same shape",
        ),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
