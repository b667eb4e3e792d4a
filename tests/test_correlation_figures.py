"""Tutorial 2's figures: what they draw from the numbers given, gaps included, and what they refuse.

The sweep data are the tutorial's own numbers (measured with its code, see
the facts sheet): five trials of the network-size sweep, where trials 2 and 3
are NaN at 5 neurons (no connection drawn), and three trials of the bonus'
coarse-graining sweep. The demo figure is checked against the plain
transcription in ``tests/tutorial2_transcript.py``.
"""

import functools

import numpy as np
import pytest
import tutorial2_transcript as tutorial
from figure_checks import rendered_without_warnings
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nmacausal.plotting.sweeps import (
    caption_correlation,
    plot_correlation_demo,
    plot_estimation_quality,
    plot_estimation_quality_vs_coarseness,
    plot_estimation_quality_vs_n_neurons,
)

NAN = float("nan")
NETWORK_SIZES = [5, 10, 25, 50, 100]
# The tutorial's size sweep (rows: trials = seeds 0..4; columns: NETWORK_SIZES).
SIZE_SWEEP = np.array(
    [
        [
            0.8194068120924988,
            0.6323609325854889,
            0.40529599851165526,
            0.2923071116883216,
            0.18493146211213346,
        ],
        [
            0.8344108038432192,
            0.7087306801128597,
            0.470645276928195,
            0.2624422134276473,
            0.1663228271852383,
        ],
        [NAN, 0.6903655945575429, 0.42155661711782005, 0.24832858730234023, 0.15854981216787872],
        [NAN, 0.7357139573970758, 0.4759784072357475, 0.32424689780478516, 0.17647191653832922],
        [
            0.9243566236110475,
            0.639122570002518,
            0.44265776054341655,
            0.2865166820526536,
            0.1646844304940527,
        ],
    ]
)
COARSE_GROUPS = [4, 8, 16, 32, 64]
# The bonus' coarse-graining sweep (rows: trials 0..2; columns: COARSE_GROUPS).
COARSE_SWEEP = np.array(
    [
        [
            -0.05466442156099008,
            0.238198167981285,
            0.26493652046387217,
            0.3001693609930679,
            0.2802776184175306,
        ],
        [
            0.24387040016401923,
            0.20151101377819441,
            0.29810084787989627,
            0.2949371144631788,
            0.3184556131528058,
        ],
        [
            0.5274692645008285,
            0.37180442460871027,
            0.37310725768640135,
            0.3173847015062937,
            0.30631840514057507,
        ],
    ]
)


# conftest.py's fixtures: figures closed after each test, a fresh axes, plt.show() recorded.
pytestmark = pytest.mark.usefixtures("close_figures")


@functools.cache
def tutorial_demo(n_neurons, p=0.9):
    """Interactive Demo 2.2.x's A, R and correlation, from the plain transcription."""
    A = tutorial.create_connectivity(n_neurons, 42, p)
    X = tutorial.simulate_neurons(A, 2000)
    R = tutorial.correlation_for_all_neurons(X)
    return A, R, np.corrcoef(A.flatten(), R.flatten())[0, 1]


def defined_stats(column):
    """Mean and population std of the non-NaN entries, computed plainly."""
    values = [value for value in column if not np.isnan(value)]
    mean = sum(values) / len(values)
    return mean, (sum((value - mean) ** 2 for value in values) / len(values)) ** 0.5


def band_limits(ax, x):
    """Lowest and highest y of the ±1 std band at ``x``."""
    (band,) = [c for c in ax.collections if c.get_label() == "± 1 std"]
    vertices = np.concatenate([path.vertices for path in band.get_paths()])
    at_x = vertices[np.isclose(vertices[:, 0], x), 1]
    return at_x.min(), at_x.max()


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


# --- Estimation quality against network size ---------------------------------------------


def test_size_figure_has_the_tutorials_title_and_labels(ax):
    plot_estimation_quality_vs_n_neurons(NETWORK_SIZES, SIZE_SWEEP, ax=ax)
    assert ax.get_title() == "Similarity between A and R as a function of network size"
    assert ax.get_xlabel() == "Number of neurons"
    assert ax.get_ylabel() == "Correlation"


def test_size_figure_mean_and_band_are_over_the_trials_that_have_a_value(ax):
    rendered_without_warnings(
        lambda: plot_estimation_quality_vs_n_neurons(NETWORK_SIZES, SIZE_SWEEP, ax=ax)
    )
    mean_line = ax.lines[0]
    np.testing.assert_array_equal(mean_line.get_xdata(), NETWORK_SIZES)
    for j, size in enumerate(NETWORK_SIZES):
        mean, std = defined_stats(SIZE_SWEEP[:, j])
        assert mean_line.get_ydata()[j] == pytest.approx(mean, rel=1e-12)
        low, high = band_limits(ax, size)
        assert low == pytest.approx(mean - std, rel=1e-9)
        assert high == pytest.approx(mean + std, rel=1e-9)
    # The tutorial's numbers: the 5-neuron point is the mean of trials 0, 1 and 4.
    assert mean_line.get_ydata()[0] == pytest.approx(
        (0.8194068120924988 + 0.8344108038432192 + 0.9243566236110475) / 3
    )
    assert mean_line.get_ydata()[1] == pytest.approx(0.681258746931097, rel=1e-12)


def test_size_figure_says_the_5_neuron_point_comes_from_3_of_5_trials(ax):
    plot_estimation_quality_vs_n_neurons(NETWORK_SIZES, SIZE_SWEEP, ax=ax)
    hollow = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1
    np.testing.assert_array_equal(hollow[0].get_xdata(), [5])
    assert [text.get_text() for text in ax.texts] == ["3 of 5"]
    legend = legend_texts(ax)
    assert legend[:2] == ["mean over 5 trials", "± 1 std"]
    assert any("fewer trials" in text and "undefined" in text for text in legend)
    assert not any("no point" in text for text in legend)


def test_complete_data_has_no_gap_marks(ax):
    plot_estimation_quality(NETWORK_SIZES[1:], SIZE_SWEEP[:, 1:], xlabel="n", ax=ax)
    assert len(ax.texts) == 0
    assert legend_texts(ax) == ["mean over 5 trials", "± 1 std"]


def test_a_value_undefined_in_every_trial_is_marked_and_named_without_warnings(ax):
    correlations = np.array([[0.8, NAN, 0.5], [0.7, NAN, 0.4]])
    rendered_without_warnings(
        lambda: plot_estimation_quality([1, 2, 3], correlations, xlabel="x", ax=ax)
    )
    mean = ax.lines[0].get_ydata()
    assert mean[0] == pytest.approx(0.75) and mean[2] == pytest.approx(0.45)
    assert np.isnan(mean[1])
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert len(crosses) == 1
    np.testing.assert_array_equal(crosses[0].get_xdata(), [2])
    assert any("no point" in text and "every trial" in text for text in legend_texts(ax))


def test_a_column_of_nan_only_and_a_single_value_emit_no_warning(ax):
    # np.nanmean warns "Mean of empty slice" here; np.nanstd warns about degrees of freedom.
    correlations = np.array([[NAN, 0.3], [NAN, NAN]])
    rendered_without_warnings(
        lambda: plot_estimation_quality([1, 2], correlations, xlabel="x", ax=ax)
    )
    assert [text.get_text() for text in ax.texts] == ["1 of 2"]


def test_points_are_joined_in_increasing_order_of_values(ax):
    plot_estimation_quality([30, 10, 20], [[0.3, 0.1, 0.2]], xlabel="x", ax=ax)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [10, 20, 30])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.1, 0.2, 0.3])


def test_a_single_trial_draws_a_line_without_band(ax):
    plot_estimation_quality([0.1, 0.5, 0.9], [0.2, 0.3, 0.6], xlabel="Sparsity p", ax=ax)
    assert legend_texts(ax) == ["correlation"]
    assert len(ax.collections) == 0
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.2, 0.3, 0.6])


def test_labels_title_and_ylim_are_the_callers(ax):
    plot_estimation_quality(
        [1, 2], [[0.1, 0.2]], xlabel="X", ylabel="Y", title="T", ylim=(-1, 1), ax=ax
    )
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("X", "Y", "T")
    assert ax.get_ylim() == (-1.0, 1.0)


def test_a_new_figure_is_made_and_shown_only_when_asked(show_calls):
    ax = plot_estimation_quality_vs_n_neurons(NETWORK_SIZES, SIZE_SWEEP)
    assert isinstance(ax, Axes)
    assert show_calls == []
    plot_estimation_quality_vs_n_neurons(NETWORK_SIZES, SIZE_SWEEP, show=True)
    plot_estimation_quality_vs_coarseness(COARSE_GROUPS, COARSE_SWEEP, show=True)
    plot_correlation_demo(np.eye(3), np.eye(3), show=True)
    assert len(show_calls) == 3


# --- Estimation quality against coarseness ----------------------------------------------


def test_coarseness_figure_runs_in_increasing_neurons_per_group(ax):
    rendered_without_warnings(
        lambda: plot_estimation_quality_vs_coarseness(COARSE_GROUPS, COARSE_SWEEP, ax=ax)
    )
    line = ax.lines[0]
    np.testing.assert_array_equal(line.get_xdata(), [2, 4, 8, 16, 32])
    # 32 neurons per group is 4 groups: the first column of the tutorial's data.
    expected = [defined_stats(COARSE_SWEEP[:, j])[0] for j in (4, 3, 2, 1, 0)]
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)
    assert line.get_ydata()[-1] == pytest.approx(0.23889174770128588, rel=1e-12)
    assert ax.get_title() == "Connectivity estimation performance vs coarseness of sampling"
    assert ax.get_xlabel() == "Number of neurons per group (128 total neurons)"
    assert ax.get_ylabel() == "Correlation of estimated effective connectivity"
    assert ax.get_ylim() == (-0.2, 1.0)
    np.testing.assert_array_equal(ax.get_xticks(), [2, 4, 8, 16, 32])


# --- The demos' figure ------------------------------------------------------------------


@pytest.mark.parametrize("n_neurons", [6, 21])
def test_demo_figure_shows_A_R_and_the_tutorials_correlation(n_neurons):
    A, R, correlation = tutorial_demo(n_neurons)
    axes = FigureCanvasAgg(Figure()).figure.subplots(1, 3)
    figure = rendered_without_warnings(lambda: plot_correlation_demo(A, R, axes))
    true_ax, estimate_ax, text_ax = axes
    assert figure is true_ax.figure
    assert true_ax.get_title() == "True connectivity A"
    assert estimate_ax.get_title() == "Estimated connectivity R"
    np.testing.assert_array_equal(true_ax.images[0].get_array(), A)
    np.testing.assert_array_equal(estimate_ax.images[0].get_array(), R)
    limit = np.abs(R).max()
    assert estimate_ax.images[0].get_clim() == (-limit, limit)
    assert estimate_ax.images[0].colorbar.ax.get_ylabel() == "Lagged correlation"
    assert not text_ax.axison
    assert text_ax.texts[0].get_text() == f"Correlation: {correlation:.2f}"
    n_connections = np.count_nonzero(A)
    assert (
        f"A: {n_connections} connections of {n_neurons**2} possible" in text_ax.texts[1].get_text()
    )


def test_demo_figure_for_6_neurons_reads_0_91_as_in_the_tutorial():
    A, R, _ = tutorial_demo(6)
    figure = plot_correlation_demo(A, R)
    assert isinstance(figure, Figure)
    assert figure.axes[2].texts[0].get_text() == "Correlation: 0.91"


@pytest.mark.parametrize(
    ("A", "detail"),
    [
        (np.zeros((3, 3)), "A has no connections: nothing to compare"),
        (np.full((3, 3), 0.3), "A has the same value everywhere"),
    ],
)
def test_an_undefined_correlation_is_said_without_warnings(A, detail):
    R = np.arange(9.0).reshape(3, 3) / 10
    caption = rendered_without_warnings(lambda: plot_correlation_demo(A, R)).axes[2].texts
    assert caption[0].get_text() == "Correlation: undefined"
    assert caption[1].get_text().startswith(detail)
    assert caption_correlation(A, R).correlation is None


def test_caption_correlation_is_pearsons_r():
    A, R, correlation = tutorial_demo(6)
    caption = caption_correlation(A, R)
    assert caption.correlation == pytest.approx(correlation, rel=1e-12)
    assert caption.headline == "Correlation: 0.91"


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"values": "abc"}, TypeError, r"`values` must be a numeric array"),
        ({"values": [[1, 2]]}, ValueError, r"`values` must be a 1-D array"),
        ({"values": [1, 1]}, ValueError, r"`values` must hold distinct values"),
        ({"values": [1, np.nan]}, ValueError, r"`values` must contain only finite numbers"),
        ({"correlations": None}, TypeError, r"`correlations` must be a numeric array"),
        ({"correlations": [["a", "b"]]}, TypeError, r"`correlations` must be a numeric array"),
        ({"correlations": [[0.1, 0.2, 0.3]]}, ValueError, r"`correlations` must have shape \(n_t"),
        ({"correlations": np.zeros((1, 1, 2))}, ValueError, r"`correlations` must be a 2-D array"),
        ({"correlations": [[0.1, np.inf]]}, ValueError, r"`correlations` must hold .* found inf"),
        ({"correlations": [[0.1, 1.5]]}, ValueError, r"in \[-1, 1\], or NaN; found 1.5"),
        ({"xlabel": 3}, TypeError, r"`xlabel` must be a string"),
        ({"title": None}, TypeError, r"`title` must be a string"),
        ({"ylim": (1, 0)}, ValueError, r"`ylim` must be a pair \(bottom, top\)"),
        ({"ax": "axes"}, TypeError, r"`ax` must be a matplotlib Axes"),
    ],
)
def test_bad_arguments_are_named(arguments, error, match):
    call = {"values": [1, 2], "correlations": [[0.1, 0.2]], "xlabel": "x"} | arguments
    values, correlations = call.pop("values"), call.pop("correlations")
    with pytest.raises(error, match=match):
        plot_estimation_quality(values, correlations, **call)


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"groups": "4"}, TypeError, r"`groups` must be a sequence of integers"),
        ({"groups": [4, 2.5]}, TypeError, r"`groups\[1\]` must be an integer"),
        ({"groups": [3]}, ValueError, r"`groups\[0\]` = 3 does not divide `n_neurons` = 128"),
        ({"groups": [4, 4]}, ValueError, r"`groups` must hold distinct"),
        ({"groups": []}, ValueError, r"`groups` must not be empty"),
        ({"n_neurons": 0}, ValueError, r"`n_neurons` must be an integer >= 1"),
    ],
)
def test_bad_coarseness_arguments_are_named(arguments, error, match):
    call = {"groups": [4, 8], "n_neurons": 128} | arguments
    correlations = np.zeros((1, len(call["groups"])))
    with pytest.raises(error, match=match):
        plot_estimation_quality_vs_coarseness(
            call["groups"], correlations, n_neurons=call["n_neurons"]
        )


def test_bad_network_sizes_are_named_as_such():
    with pytest.raises(ValueError, match=r"`number_of_neurons` must hold distinct values"):
        plot_estimation_quality_vs_n_neurons([5, 5], [[0.1, 0.2]])


@pytest.mark.parametrize(
    ("A", "R", "axes", "error", "match"),
    [
        (np.eye(3), np.eye(4), None, ValueError, r"`A` and `R` must have the same shape"),
        (np.ones((2, 3)), np.ones((2, 3)), None, ValueError, r"`A` must be a square"),
        (np.eye(3), "R", None, TypeError, r"`R` must be a numeric array"),
        (np.eye(3), np.eye(3), "axes", ValueError, r"`axes` must be 3 matplotlib Axes, got 4"),
        (np.eye(3), np.eye(3), 3, TypeError, r"`axes` must be 3 matplotlib Axes"),
    ],
)
def test_bad_demo_arguments_are_named(A, R, axes, error, match):
    with pytest.raises(error, match=match):
        plot_correlation_demo(A, R, axes)
