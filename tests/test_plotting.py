"""The tutorial's figures: what they draw, what they return, and when they show."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from nmacausal import create_connectivity, simulate_neurons
from nmacausal.plotting.network import (
    ARROW_TIP,
    circle_positions,
    draw_connectivity_image,
    draw_network,
    plot_connectivity_graph_matrix,
    plot_connectivity_matrix,
    plot_neural_activity,
    plot_true_vs_estimated_connectivity,
    see_neurons,
)

# Neuron 1 excites 0, 3 inhibits 0, 0 and 2 excite each other, 2 excites itself.
SMALL_NETWORK = np.array(
    [
        [0.0, 0.4, 0.2, -0.1],
        [0.0, 0.0, 0.0, 0.0],
        [0.8, 0.0, 0.3, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ]
)


# conftest.py's fixtures: figures closed after each test, a fresh axes, plt.show() recorded.
pytestmark = pytest.mark.usefixtures("close_figures")


def test_circle_positions_are_on_the_unit_circle_from_the_top_clockwise():
    positions = circle_positions(4)
    np.testing.assert_allclose(np.linalg.norm(positions, axis=1), 1.0)
    np.testing.assert_allclose(positions, [[0, 1], [1, 0], [0, -1], [-1, 0]], atol=1e-12)


def test_arrows_go_from_cause_to_effect_one_per_off_diagonal_connection(ax):
    drawn = draw_network(ax, SMALL_NETWORK)
    assert sorted(map(tuple, drawn.edges.tolist())) == [(0, 2), (1, 0), (2, 0), (3, 0)]
    polygons = drawn.arrows.get_paths()
    assert len(polygons) == len(drawn.edges)
    for (source, target), polygon in zip(drawn.edges, polygons, strict=True):
        vertices = polygon.vertices
        tip = vertices[ARROW_TIP]
        tail = (vertices[0] + vertices[6]) / 2
        distance = lambda point, node: np.linalg.norm(point - drawn.positions[node])  # noqa: E731
        assert distance(tip, target) < distance(tip, source)
        assert distance(tail, source) < distance(tail, target)


def test_arrow_opacity_follows_strength_and_sign_sets_colour(ax):
    drawn = draw_network(ax, SMALL_NETWORK)
    colours = drawn.arrows.get_facecolors()
    for (source, target), colour in zip(drawn.edges, colours, strict=True):
        weight = SMALL_NETWORK[target, source]
        assert colour[3] == pytest.approx(abs(weight) / 0.8)
        expected = to_rgba("black" if weight > 0 else "tab:blue")
        np.testing.assert_allclose(colour[:3], expected[:3])


def test_stronger_connections_get_wider_arrows(ax):
    drawn = draw_network(ax, SMALL_NETWORK)
    shaft_width = {
        tuple(edge): np.linalg.norm(path.vertices[0] - path.vertices[6])
        for edge, path in zip(drawn.edges.tolist(), drawn.arrows.get_paths(), strict=True)
    }
    # A[2, 0] = 0.8 (from 0 to 2) is stronger than A[0, 2] = 0.2 (from 2 to 0).
    assert shaft_width[(0, 2)] > shaft_width[(2, 0)]


def test_two_way_connections_are_drawn_side_by_side(ax):
    drawn = draw_network(ax, SMALL_NETWORK)
    edges = drawn.edges.tolist()
    there = drawn.arrows.get_paths()[edges.index([0, 2])].vertices
    back = drawn.arrows.get_paths()[edges.index([2, 0])].vertices
    # Mirror the return arrow onto the outgoing one: they must not overlap.
    assert not np.allclose(np.sort(there, axis=0), np.sort(back, axis=0))


def test_self_connections_are_loops_beside_their_node(ax):
    drawn = draw_network(ax, SMALL_NETWORK)
    assert drawn.looped_neurons.tolist() == [2]
    (loop,) = drawn.self_loops.get_segments()
    distance_to_nodes = np.linalg.norm(loop.mean(axis=0) - drawn.positions, axis=1)
    assert np.argmin(distance_to_nodes) == 2
    assert distance_to_nodes[2] < 3 * drawn.node_radius


def test_nodes_are_coloured_by_their_values(ax):
    values = np.array([0.0, 0.25, 0.5, 1.0])
    drawn = draw_network(ax, SMALL_NETWORK, node_values=values)
    ax.figure.canvas.draw()
    expected = matplotlib.colormaps["viridis"](values)
    np.testing.assert_allclose(drawn.nodes.get_facecolors(), expected)


def test_neuron_numbers_sit_outside_their_nodes_and_loops(ax):
    drawn = draw_network(ax, SMALL_NETWORK, label_every=2)
    assert [label.get_text() for label in drawn.labels] == ["0", "2"]
    ax.figure.canvas.draw()
    to_pixels = ax.transData.transform
    for label in drawn.labels:
        neuron = int(label.get_text())
        centre = label.get_window_extent().get_points().mean(axis=0)
        distances = np.linalg.norm(to_pixels(drawn.positions) - centre, axis=1)
        assert np.argmin(distances) == neuron
        # Beyond the loop of neuron 2, which reaches 2 radii out from its centre.
        reach = to_pixels([2.0 * drawn.node_radius, 0])[0] - to_pixels([0, 0])[0]
        assert distances[neuron] > reach


def test_nodes_carry_no_numbers_unless_asked(ax):
    assert draw_network(ax, SMALL_NETWORK).labels == ()
    assert not ax.texts


def test_network_without_connections_has_nodes_and_no_arrows(ax):
    drawn = draw_network(ax, np.zeros((3, 3)))
    assert len(drawn.arrows.get_paths()) == 0
    assert len(drawn.nodes.get_offsets()) == 3


def test_see_neurons_draws_every_connection_of_a_tutorial_network(show_calls):
    A = create_connectivity(6)
    ax = see_neurons(A)
    assert isinstance(ax, Axes)
    (arrows,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    n_off_diagonal = np.count_nonzero(A - np.diag(np.diag(A)))
    assert len(arrows.get_paths()) == n_off_diagonal > 0
    assert show_calls == []


def test_connectivity_image_holds_the_matrix_with_symmetric_colour_limits(ax):
    image = draw_connectivity_image(ax, SMALL_NETWORK)
    np.testing.assert_array_equal(image.get_array(), SMALL_NETWORK)
    assert image.get_clim() == (-0.8, 0.8)


def test_all_zero_matrix_still_gets_a_colour_scale(ax):
    image = draw_connectivity_image(ax, np.zeros((2, 2)))
    assert image.get_clim() == (-1.0, 1.0)


def test_plot_connectivity_matrix_labels_axes_and_adds_a_colorbar(ax):
    returned = plot_connectivity_matrix(SMALL_NETWORK, ax)
    assert returned is ax
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Connectivity from", "Connectivity to")
    np.testing.assert_array_equal(ax.images[0].get_array(), SMALL_NETWORK)
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar


def test_plot_connectivity_graph_matrix_returns_a_figure_with_graph_and_matrix():
    A = create_connectivity(6)
    figure = plot_connectivity_graph_matrix(A)
    assert isinstance(figure, Figure)
    graph_ax, matrix_ax = figure.axes[:2]
    assert any(isinstance(c, PolyCollection) for c in graph_ax.collections)
    np.testing.assert_array_equal(matrix_ax.images[0].get_array(), A)


@pytest.mark.parametrize(("n_timesteps", "shown"), [(10, 10), (3, 3), (500, 50)])
def test_plot_neural_activity_shows_the_first_timesteps(n_timesteps, shown):
    X = simulate_neurons(create_connectivity(6), 50)
    ax = plot_neural_activity(X, n_timesteps=n_timesteps)
    np.testing.assert_array_equal(ax.images[0].get_array(), X[:, :shown])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Timestep", "Neuron")


def test_true_vs_estimated_shows_both_matrices():
    A = create_connectivity(6)
    estimate = A + 0.01
    figure = plot_true_vs_estimated_connectivity(estimate, A)
    estimate_ax, true_ax = figure.axes[:2]
    np.testing.assert_array_equal(estimate_ax.images[0].get_array(), estimate)
    np.testing.assert_array_equal(true_ax.images[0].get_array(), A)
    assert (estimate_ax.get_title(), true_ax.get_title()) == (
        "Estimated connectivity",
        "True connectivity",
    )


def test_true_vs_estimated_for_one_neuron_compares_with_its_column():
    A = create_connectivity(6)
    estimate = np.linspace(0, 1, 6)
    figure = plot_true_vs_estimated_connectivity(estimate, A, selected_neuron=4)
    estimate_ax, true_ax = figure.axes[:2]
    np.testing.assert_array_equal(estimate_ax.images[0].get_array(), estimate[:, np.newaxis])
    np.testing.assert_array_equal(true_ax.images[0].get_array(), A[:, [4]])
    assert [label.get_text() for label in true_ax.get_xticklabels()] == ["4"]


FIGURE_CALLS = {
    "see_neurons": lambda **kw: see_neurons(SMALL_NETWORK, **kw),
    "plot_connectivity_matrix": lambda **kw: plot_connectivity_matrix(SMALL_NETWORK, **kw),
    "plot_connectivity_graph_matrix": lambda **kw: plot_connectivity_graph_matrix(
        SMALL_NETWORK, **kw
    ),
    "plot_neural_activity": lambda **kw: plot_neural_activity(np.ones((3, 4)), **kw),
    "plot_true_vs_estimated_connectivity": lambda **kw: plot_true_vs_estimated_connectivity(
        SMALL_NETWORK, SMALL_NETWORK, **kw
    ),
}


@pytest.mark.parametrize("name", FIGURE_CALLS)
def test_show_is_called_only_when_asked(name, show_calls):
    FIGURE_CALLS[name]()
    FIGURE_CALLS[name](show=False)
    assert show_calls == []
    FIGURE_CALLS[name](show=True)
    assert len(show_calls) == 1


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: see_neurons(np.ones((2, 3))), ValueError, r"`A` must be a square"),
        (lambda: see_neurons(np.array([[0.0, np.nan], [0, 0]])), ValueError, "1 NaN or inf"),
        (lambda: see_neurons(np.ones(3)), ValueError, r"`A` must be a 2-D array, got 1-D"),
        (lambda: see_neurons("A"), TypeError, "`A` must be a numeric array"),
        (lambda: plot_connectivity_matrix(np.ones((2, 2, 2))), ValueError, "got 3-D"),
        (lambda: plot_connectivity_graph_matrix(np.ones((3, 2))), ValueError, "square"),
        (lambda: plot_neural_activity(np.ones(5)), ValueError, r"`X` must be a 2-D array"),
        (
            lambda: plot_neural_activity(np.ones((2, 5)), n_timesteps=0),
            ValueError,
            r"`n_timesteps` must be an integer >= 1, got 0",
        ),
        (
            lambda: plot_neural_activity(np.ones((2, 5)), n_timesteps=2.5),
            TypeError,
            r"`n_timesteps` must be an integer",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones(4), SMALL_NETWORK, 4),
            ValueError,
            r"`selected_neuron` must be an integer <= 3, got 4",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones(4), SMALL_NETWORK, -1),
            ValueError,
            r"`selected_neuron` must be an integer >= 0, got -1",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones(4), SMALL_NETWORK, True),
            TypeError,
            r"`selected_neuron` must be an integer",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones(3), SMALL_NETWORK, 0),
            ValueError,
            r"must have shape \(4,\) to match `true_connectivity`, got shape \(3,\)",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones((3, 3)), SMALL_NETWORK),
            ValueError,
            r"must have shape \(4, 4\) to match `true_connectivity`, got shape \(3, 3\)",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(SMALL_NETWORK, SMALL_NETWORK, 1),
            ValueError,
            r"`estimated_connectivity` must be a vector of effects because `selected_neuron`",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(np.ones(4), SMALL_NETWORK),
            ValueError,
            r"`estimated_connectivity` must be a matrix because `selected_neuron` is None",
        ),
        (
            lambda: plot_true_vs_estimated_connectivity(SMALL_NETWORK, np.ones((4, 3))),
            ValueError,
            r"`true_connectivity` must be a square",
        ),
        (
            lambda: draw_network(Figure().add_subplot(), SMALL_NETWORK, node_values=[1, 2]),
            ValueError,
            r"`node_values` must have one value per neuron, shape \(4,\), got shape \(2,\)",
        ),
        (lambda: circle_positions(0), ValueError, r"`n_neurons` must be an integer >= 1"),
        (
            lambda: draw_network(Figure().add_subplot(), SMALL_NETWORK, label_every=0),
            ValueError,
            r"`label_every` must be an integer >= 1, got 0",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_two_panel_figures_draw_into_given_axes():
    A = np.array([[0.0, 0.5], [0.0, 0.0]])
    figure, axes = plt.subplots(1, 3)
    assert plot_connectivity_graph_matrix(A, axes=axes[1:]) is figure
    assert not axes[0].has_data() and axes[2].images
    figure, axes = plt.subplots(2, 2)
    returned = plot_true_vs_estimated_connectivity(A * 0.9, A, axes=axes[1])
    assert returned is figure
    assert axes[1, 0].images[0].get_array().tolist() == (A * 0.9).tolist()
    assert axes[1, 1].images[0].get_array().tolist() == A.tolist()
    plt.close("all")


@pytest.mark.parametrize("axes", ["ab", [1, 2], (None,)])
def test_two_panel_figures_refuse_other_axes(axes):
    with pytest.raises((TypeError, ValueError), match="`axes` must be a pair"):
        plot_connectivity_graph_matrix(np.eye(2) * 0.1, axes=axes)
