"""The dynamics explorer driven from Python as a student drives it: values and clicks.

Each test moves the explorer with its controls, then checks what the figure
shows against the library called directly: the runs, the estimate, the step.
"""

import io

import matplotlib
import numpy as np
import pytest
from explorer_checks import (
    assert_displays_as_its_widget,
    assert_runs_silently_in_a_fresh_process,
    creates_no_pyplot_figure,
    leaves_global_random_state,
    pixels,
    shown_png,
)
from PIL import Image

from nmacausal import (
    create_connectivity,
    get_perturbed_connectivity_all_neurons,
    simulate_neurons,
    simulate_neurons_perturb,
)
from nmacausal.model.quality import connectivity_correlation
from nmacausal.widgets._controls import encode_png
from nmacausal.widgets.dynamics import DynamicsExplorer, ExplorerFigure, window_start

SEED = 7
N_NEURONS = 6
TIMESTEPS = 61  # odd: the last step is a multiple of 2 but is not clamped
PERTURB_EVERY = 2
VIRIDIS = matplotlib.colormaps["viridis"]


@pytest.fixture
def explorer():
    return DynamicsExplorer(
        n_neurons=N_NEURONS, timesteps=TIMESTEPS, perturb_every=PERTURB_EVERY, seed=SEED
    )


def reference_runs(
    n_neurons=N_NEURONS, timesteps=TIMESTEPS, perturb_every=PERTURB_EVERY, seed=SEED
):
    """The network and both runs, straight from the library."""
    A = create_connectivity(n_neurons, random_state=seed)
    X = simulate_neurons(A, timesteps, random_state=seed)
    perturbed_X = simulate_neurons_perturb(
        A, timesteps, perturb_every=perturb_every, random_state=seed
    )
    return A, X, perturbed_X


def panels_and_runs(explorer, kind):
    """The unperturbed and perturbed ``kind`` panels, each with its run from the library."""
    _, X, perturbed_X = reference_runs()
    view = explorer.view
    return [
        (getattr(view, f"unperturbed_{kind}"), X),
        (getattr(view, f"perturbed_{kind}"), perturbed_X),
    ]


def go_to(explorer, step):
    explorer.time_slider.value = step


def marked_column(panel):
    """The image column the current-step outline frames, and the step it stands for."""
    marker = panel.marker
    step = marker.get_x() + marker.get_width() / 2
    first_step = panel.image.get_extent()[0] + 0.5
    column = round(step - first_step)
    return np.asarray(panel.image.get_array())[:, column], step


def test_both_runs_share_the_network_and_seed_of_the_library(explorer):
    A, X, perturbed_X = reference_runs()
    np.testing.assert_array_equal(explorer.runs.connectivity, A)
    np.testing.assert_array_equal(explorer.runs.unperturbed, X)
    np.testing.assert_array_equal(explorer.runs.perturbed, perturbed_X)


@pytest.mark.parametrize("step", [0, 1, 2, 29, 30, 45, TIMESTEPS - 1])
def test_marked_column_is_the_activity_at_the_current_step(explorer, step):
    go_to(explorer, step)
    for panel, activity in panels_and_runs(explorer, "activity"):
        column, marked_step = marked_column(panel)
        assert marked_step == step
        np.testing.assert_array_equal(column, activity[:, step])


def test_activity_window_follows_the_step_a_page_at_a_time():
    assert [window_start(step, 200, 40) for step in (0, 10, 39, 40, 69, 70, 199)] == [
        0,
        0,
        0,
        30,
        30,
        60,
        160,
    ]
    for step in range(200):
        start = window_start(step, 200, 40)
        assert start <= step < start + 40 <= 200


@pytest.mark.parametrize("step", [0, 3, 16, TIMESTEPS - 1])
def test_node_colours_are_the_activity_at_the_current_step(explorer, step):
    go_to(explorer, step)
    for panel, activity in panels_and_runs(explorer, "network"):
        np.testing.assert_allclose(panel.network.nodes.get_facecolors(), VIRIDIS(activity[:, step]))


def test_graph_arrows_go_from_cause_to_effect(explorer):
    A, _, _ = reference_runs()
    edges = explorer.view.perturbed_network.network.edges
    targets, sources = np.nonzero(A * (1 - np.eye(N_NEURONS)))
    assert sorted(map(tuple, edges.tolist())) == sorted(zip(sources, targets, strict=True))


def test_clamp_rings_show_exactly_on_perturbation_steps(explorer):
    _, _, perturbed_X = reference_runs()
    clamped_steps = set(range(0, TIMESTEPS - 1, PERTURB_EVERY))
    rings = explorer.view.perturbed_network.clamp_rings
    assert explorer.view.unperturbed_network.clamp_rings is None
    for step in range(TIMESTEPS):
        if step:
            explorer.step_forward_button.click()
        assert explorer.time_slider.value == step
        assert rings.get_visible() == (step in clamped_steps), step
        assert ("perturbation step" in explorer.step_readout.value) == (step in clamped_steps)
        if step in clamped_steps:
            assert set(np.unique(perturbed_X[:, step])) <= {0.0, 1.0}
            assert len(rings.get_offsets()) == N_NEURONS


@pytest.mark.parametrize("step", [0, 1, 2, 3, 4, 5, 7, 8, 20, 21, 59, TIMESTEPS - 1])
def test_estimate_panel_is_the_estimate_from_the_data_seen_so_far(explorer, step):
    A, _, perturbed_X = reference_runs()
    go_to(explorer, step)
    panel = explorer.view.estimate
    shown = np.ma.getdata(panel.estimate_image.get_array())
    try:
        expected = get_perturbed_connectivity_all_neurons(
            perturbed_X[:, : step + 1], perturb_every=PERTURB_EVERY
        ).T
    except ValueError:
        assert np.isnan(shown).all()
        assert panel.status.get_text().startswith("not enough perturbations yet")
        return
    np.testing.assert_array_equal(shown, expected)
    assert panel.status.get_text() == ""
    assert f"r with A = {connectivity_correlation(A.T, expected.T):.3f}" in panel.title.get_text()
    limit = np.abs(expected).max()
    assert panel.estimate_image.get_clim() == (-limit, limit)


def test_first_steps_show_the_not_enough_state_then_an_estimate(explorer):
    panel = explorer.view.estimate
    go_to(explorer, 1)
    assert panel.status.get_text() == "not enough perturbations yet:\n1 of the 2 needed"
    assert panel.title.get_text() == "Estimate from 1 perturbation\nr with A: not yet"
    go_to(explorer, TIMESTEPS - 1)
    assert panel.status.get_text() == ""
    assert panel.title.get_text().startswith("Estimate from 30 perturbations\nr with A = ")


def test_readout_names_the_step(explorer):
    go_to(explorer, 3)
    assert explorer.step_readout.value == f"step 3 of {TIMESTEPS - 1} · free-running step"
    go_to(explorer, 4)
    assert explorer.step_readout.value == f"step 4 of {TIMESTEPS - 1} · perturbation step"


def test_buttons_stop_at_both_ends(explorer):
    assert explorer.time_slider.value == 0
    assert explorer.step_back_button.disabled
    explorer.step_back_button.click()
    assert explorer.time_slider.value == 0
    explorer.step_forward_button.click()
    assert explorer.time_slider.value == 1
    assert not explorer.step_back_button.disabled

    go_to(explorer, TIMESTEPS - 1)
    assert explorer.step_forward_button.disabled
    explorer.step_forward_button.click()
    assert explorer.time_slider.value == TIMESTEPS - 1
    assert "step 60 of 60" in explorer.step_readout.value
    explorer.step_back_button.click()
    assert explorer.time_slider.value == TIMESTEPS - 2


def test_a_step_updates_the_same_artists_and_shows_a_new_image(explorer):
    view = explorer.view
    axes = list(explorer.figure.axes)
    artists = [
        view.perturbed_activity.image,
        view.perturbed_activity.marker,
        view.perturbed_network.network.nodes,
        view.estimate.estimate_image,
    ]
    png_before = shown_png(explorer)
    explorer.step_forward_button.click()
    assert explorer.view is view
    assert explorer.figure.axes == axes
    assert [
        view.perturbed_activity.image,
        view.perturbed_activity.marker,
        view.perturbed_network.network.nodes,
        view.estimate.estimate_image,
    ] == artists
    assert marked_column(view.perturbed_activity)[1] == 1
    assert shown_png(explorer) != png_before


@pytest.mark.parametrize("path", [[40, 5], [59, 31, 30, 2], [12, 13, 60]])
def test_incremental_drawing_matches_a_fresh_figure(explorer, path):
    for step in path:
        go_to(explorer, step)
    fresh = ExplorerFigure(explorer.runs)
    fresh.show_step(path[-1])
    np.testing.assert_array_equal(pixels(shown_png(explorer)), pixels(fresh.render_png()))


def test_shown_image_is_the_figure_as_png(explorer):
    image = Image.open(io.BytesIO(shown_png(explorer)))
    width, height = explorer.figure.canvas.get_width_height()
    assert image.format == "PNG"
    assert image.size == (width, height)


@pytest.mark.parametrize(
    ("control", "value", "expected"),
    [
        ("n_neurons_slider", 9, {"n_neurons": 9}),
        ("seed_input", 123, {"seed": 123}),
        ("perturb_every_slider", 3, {"perturb_every": 3}),
        ("timesteps_input", 90, {"timesteps": 90}),
    ],
)
def test_changing_a_parameter_rebuilds_consistently(explorer, control, value, expected):
    go_to(explorer, 20)
    figure = explorer.figure
    getattr(explorer, control).value = value
    A, X, perturbed_X = reference_runs(**expected)
    np.testing.assert_array_equal(explorer.runs.connectivity, A)
    np.testing.assert_array_equal(explorer.runs.unperturbed, X)
    np.testing.assert_array_equal(explorer.runs.perturbed, perturbed_X)
    assert explorer.figure is figure
    view = explorer.view
    n_neurons = A.shape[0]
    assert view.perturbed_activity.image.get_array().shape[0] == n_neurons
    assert view.estimate.true_image.get_array().shape == (n_neurons, n_neurons)
    np.testing.assert_array_equal(view.estimate.true_image.get_array(), A)
    assert len(view.perturbed_network.network.nodes.get_offsets()) == n_neurons
    column, marked_step = marked_column(view.perturbed_activity)
    assert marked_step == 20
    np.testing.assert_array_equal(column, perturbed_X[:, 20])
    assert explorer.time_slider.max == explorer.play.max == X.shape[1] - 1


def test_fewer_timesteps_than_the_current_step_moves_to_the_last_step(explorer):
    go_to(explorer, 50)
    explorer.timesteps_input.value = 30
    assert explorer.time_slider.value == explorer.time_slider.max == 29
    assert "step 29 of 29" in explorer.step_readout.value
    _, _, perturbed_X = reference_runs(timesteps=30)
    column, _ = marked_column(explorer.view.perturbed_activity)
    np.testing.assert_array_equal(column, perturbed_X[:, 29])


def test_global_random_state_is_left_untouched():
    with leaves_global_random_state():
        explorer = DynamicsExplorer(n_neurons=5, timesteps=40, seed=1)
        explorer.step_forward_button.click()
        explorer.seed_input.value = 2
        explorer.n_neurons_slider.value = 7


def test_single_neuron_network_works_without_a_correlation():
    explorer = DynamicsExplorer(n_neurons=1, timesteps=40)
    go_to(explorer, 39)
    assert "r with A: undefined" in explorer.view.estimate.title.get_text()


def test_no_pyplot_figure_is_created(explorer):
    with creates_no_pyplot_figure():
        explorer.step_forward_button.click()
        explorer.n_neurons_slider.value = 4


def test_importing_the_module_draws_and_displays_nothing():
    assert_runs_silently_in_a_fresh_process(
        "import sys, nmacausal.widgets\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert not InteractiveShell.initialized(), 'an IPython shell was started'\n"
    )


def test_explorer_displays_as_its_widget(explorer):
    assert_displays_as_its_widget(explorer)


@pytest.mark.parametrize(
    ("attribute", "css_class"),
    [
        ("time_slider", "nmacausal-time-slider"),
        ("play", "nmacausal-play"),
        ("step_back_button", "nmacausal-step-back"),
        ("step_forward_button", "nmacausal-step-forward"),
        ("step_readout", "nmacausal-step-readout"),
        ("figure_output", "nmacausal-figure"),
    ],
)
def test_controls_carry_their_css_classes(explorer, attribute, css_class):
    assert css_class in getattr(explorer, attribute)._dom_classes


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"n_neurons": 0}, ValueError, r"`n_neurons` must be an integer >= 1, got 0"),
        ({"n_neurons": 61}, ValueError, r"`n_neurons` must be an integer <= 60, got 61"),
        ({"n_neurons": 2.5}, TypeError, r"`n_neurons` must be an integer"),
        ({"timesteps": 0}, ValueError, r"`timesteps` must be an integer >= 1, got 0"),
        ({"perturb_every": 0}, ValueError, r"`perturb_every` must be an integer >= 1, got 0"),
        ({"seed": -1}, ValueError, r"`seed` must be an integer >= 0, got -1"),
        ({"seed": "42"}, TypeError, r"`seed` must be an integer"),
    ],
)
def test_bad_parameters_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        DynamicsExplorer(**options)


def test_png_encoding_is_lossless():
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    rgba[3:] = rgba[2]  # rows equal to the row above: the filter's zeros
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgba))))
    np.testing.assert_array_equal(decoded, rgba)
