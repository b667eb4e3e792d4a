"""The dynamics explorer driven from Python as a student drives it: values and clicks.

Each test moves the explorer with its controls, then checks what the figure
shows against the library called directly: the runs, the estimate, the step.
"""

import ast
import inspect
import io
from pathlib import Path

import matplotlib
import nbformat
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
from nmacausal.widgets.dynamics import (
    ACTIVITY_FUTURE,
    ACTIVITY_PAST,
    DynamicsExplorer,
    DynamicsRuns,
    ExplorerFigure,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
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
    """The image column the current-step frame surrounds, and the tick label under it."""
    marker = panel.marker
    x = marker.get_x() + marker.get_width() / 2
    column = round(x - (panel.image.get_extent()[0] + 0.5))
    ticks = dict(zip(panel.ax.get_xticks(), panel.ax.get_xticklabels(), strict=True))
    return np.asarray(panel.image.get_array())[:, column], ticks[x].get_text()


def test_both_runs_share_the_network_and_seed_of_the_library(explorer):
    A, X, perturbed_X = reference_runs()
    np.testing.assert_array_equal(explorer.runs.connectivity, A)
    np.testing.assert_array_equal(explorer.runs.unperturbed, X)
    np.testing.assert_array_equal(explorer.runs.perturbed, perturbed_X)


@pytest.mark.parametrize("step", [0, 1, 2, 29, 30, 45, TIMESTEPS - 1])
def test_marked_column_is_the_activity_at_the_current_step(explorer, step):
    go_to(explorer, step)
    for panel, activity in panels_and_runs(explorer, "activity"):
        column, tick = marked_column(panel)
        assert tick == "now"
        np.testing.assert_array_equal(column, activity[:, step])


@pytest.mark.parametrize("step", [0, 7, 30, 45, TIMESTEPS - 5, TIMESTEPS - 1])
def test_activity_window_shows_the_steps_around_the_current_one(explorer, step):
    go_to(explorer, step)
    for panel, activity in panels_and_runs(explorer, "activity"):
        window = np.ma.filled(np.ma.masked_invalid(panel.image.get_array()), np.nan)
        shown = np.arange(step - ACTIVITY_PAST, step + ACTIVITY_FUTURE + 1)
        assert window.shape == (N_NEURONS, shown.size)
        inside = (shown >= 0) & (shown < TIMESTEPS)
        np.testing.assert_array_equal(window[:, inside], activity[:, shown[inside]])
        assert np.isnan(window[:, ~inside]).all()
        left, right, _, _ = panel.image.get_extent()
        assert (left, right) == (-ACTIVITY_PAST - 0.5, ACTIVITY_FUTURE + 0.5)


def test_activity_axis_counts_steps_from_the_current_one(explorer):
    ax = explorer.view.perturbed_activity.ax
    labels = [label.get_text() for label in ax.get_xticklabels()]
    assert labels == ["\N{MINUS SIGN}30", "\N{MINUS SIGN}20", "\N{MINUS SIGN}10", "now", "+10"]
    assert list(ax.get_xticks()) == [-30, -20, -10, 0, 10]


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
    assert panel.n_pairs_text.get_text() == str(len(range(0, step, PERTURB_EVERY)))
    try:
        expected = get_perturbed_connectivity_all_neurons(
            perturbed_X[:, : step + 1], perturb_every=PERTURB_EVERY
        ).T
    except ValueError:
        assert np.isnan(shown).all()
        assert panel.status.get_text().startswith("not enough\nperturbations yet")
        assert panel.correlation_text.get_text() == "not yet"
        return
    np.testing.assert_array_equal(shown, expected)
    assert panel.status.get_text() == ""
    assert panel.correlation_text.get_text() == f"{connectivity_correlation(A.T, expected.T):.3f}"


def test_estimate_colour_scale_is_the_last_estimates_for_every_step(explorer):
    _, _, perturbed_X = reference_runs()
    final = get_perturbed_connectivity_all_neurons(perturbed_X, perturb_every=PERTURB_EVERY)
    limit = np.abs(final).max()
    for step in (0, 5, 20, TIMESTEPS - 1):
        go_to(explorer, step)
        assert explorer.view.estimate.estimate_image.get_clim() == (-limit, limit)


def test_first_steps_show_the_not_enough_state_then_an_estimate(explorer):
    panel = explorer.view.estimate
    go_to(explorer, 1)
    assert panel.status.get_text() == "not enough\nperturbations yet:\n1 of the 2 needed"
    assert (panel.n_pairs_text.get_text(), panel.correlation_text.get_text()) == ("1", "not yet")
    go_to(explorer, TIMESTEPS - 1)
    assert panel.status.get_text() == ""
    assert panel.n_pairs_text.get_text() == "30"
    assert float(panel.correlation_text.get_text()) == pytest.approx(
        explorer.runs.estimate_until(TIMESTEPS - 1).correlation, abs=5e-4
    )


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
    np.testing.assert_array_equal(
        marked_column(view.perturbed_activity)[0], explorer.runs.perturbed[:, 1]
    )
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
    column, _ = marked_column(view.perturbed_activity)
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
    assert explorer.view.estimate.correlation_text.get_text() == "undefined (A is constant)"
    assert np.isnan(explorer.runs.correlation_curve.correlations).all()


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
        ("play_speed", "nmacausal-play-speed"),
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


# --- The default run, as the tutorial shows it -------------------------------------------


def test_the_default_run_converges_by_its_last_step():
    explorer = DynamicsExplorer()
    go_to(explorer, explorer.time_slider.max)
    panel = explorer.view.estimate
    # What the student sees: the two matrices on the screen, correlated here by NumPy.
    truth = np.asarray(panel.true_image.get_array())
    shown = np.ma.getdata(panel.estimate_image.get_array())
    r = np.corrcoef(truth.ravel(), shown.ravel())[0, 1]
    assert r >= 0.9
    assert float(panel.correlation_text.get_text()) == pytest.approx(r, abs=5e-4)
    np.testing.assert_array_equal(truth, create_connectivity(6, random_state=42))


def test_the_notebooks_explorer_is_the_default_one():
    notebook = nbformat.read(REPO_ROOT / "solutions" / "W3D5_Tutorial1.ipynb", as_version=4)
    (cell,) = [cell for cell in notebook.cells if cell.get("id") == "explorer"]
    call = ast.parse(cell.source).body[-1].value
    assert call.func.id == "DynamicsExplorer"
    given = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(DynamicsExplorer).parameters.items()
    }
    assert given == defaults


def test_the_correlation_curve_is_the_estimates_correlation_at_its_steps():
    runs = DynamicsRuns.simulate(n_neurons=8, timesteps=900, perturb_every=3, seed=SEED)
    curve = runs.correlation_curve
    assert curve.steps[0] == 4 and curve.steps[-1] == 898  # the 2nd pair, the last one
    assert np.all(np.diff(curve.steps) > 0)
    for step, correlation in zip(curve.steps, curve.correlations, strict=True):
        expected = runs.estimate_until(int(step)).correlation
        if expected is None:
            assert np.isnan(correlation)
        else:
            assert correlation == pytest.approx(expected, abs=1e-12)


def test_the_correlation_curve_is_undefined_where_the_estimate_is():
    runs = DynamicsRuns.simulate(n_neurons=40, timesteps=60, seed=SEED)
    curve = runs.correlation_curve
    undefined = [runs.estimate_until(int(step)).correlation is None for step in curve.steps]
    assert any(undefined) and not all(undefined)
    np.testing.assert_array_equal(np.isnan(curve.correlations), undefined)


@pytest.mark.parametrize("step", [0, 3, 4, 31, TIMESTEPS - 1])
def test_convergence_line_ends_at_the_current_steps_correlation(explorer, step):
    go_to(explorer, step)
    panel = explorer.view.convergence
    x, y = panel.line.get_data()
    curve = explorer.runs.correlation_curve
    current = explorer.runs.estimate_until(step).correlation
    assert np.all(np.asarray(x) <= step)
    np.testing.assert_array_equal(
        x[: np.sum(curve.steps <= step)], curve.steps[curve.steps <= step]
    )
    assert list(panel.now.get_xdata()) == [step, step]
    if current is None:
        assert len(panel.point.get_xdata()) == 0
    else:
        assert (x[-1], y[-1]) == (step, current)
        assert (panel.point.get_xdata()[0], panel.point.get_ydata()[0]) == (step, current)


# --- What the figure shows, read as a student reads it ------------------------------------


@pytest.mark.parametrize(("n_neurons", "numbered"), [(6, range(6)), (50, range(0, 50, 5))])
def test_each_network_numbers_its_neurons(n_neurons, numbered):
    explorer = DynamicsExplorer(n_neurons=n_neurons, timesteps=40)
    explorer.view.render_png()
    for kind in ("unperturbed", "perturbed"):
        network = getattr(explorer.view, f"{kind}_network").network
        assert [label.get_text() for label in network.labels] == [str(i) for i in numbered]
        positions = network.nodes.get_offset_transform().transform(network.positions)
        for label in network.labels:
            centre = label.get_window_extent().get_points().mean(axis=0)
            nearest = np.argmin(np.linalg.norm(positions - centre, axis=1))
            assert nearest == int(label.get_text())


def test_activity_and_both_matrices_have_colour_bars(explorer):
    view = explorer.view
    assert view.activity_colorbar.mappable is view.unperturbed_activity.image
    assert view.estimate.true_colorbar.mappable is view.estimate.true_image
    assert view.estimate.estimate_colorbar.mappable is view.estimate.estimate_image
    for colorbar in (view.activity_colorbar, view.estimate.true_colorbar):
        assert colorbar.ax.get_ylabel()
    assert view.estimate.estimate_colorbar.ax.get_ylabel() == "Estimated effect"
    # The nodes share the activity's scale.
    for network in (view.unperturbed_network, view.perturbed_network):
        assert network.network.nodes.get_clim() == view.unperturbed_activity.image.get_clim()


def test_activity_colour_bar_has_a_column_of_its_own(explorer):
    view = explorer.view
    view.render_png()
    colorbar = view.activity_colorbar.ax.get_tightbbox()
    for ax in (view.unperturbed_activity.ax, view.perturbed_activity.ax):
        assert ax.get_window_extent().x1 < colorbar.x0
    for panel in (view.unperturbed_network, view.perturbed_network):
        assert colorbar.x1 < panel.network.nodes.axes.get_tightbbox().x0
    assert view.activity_colorbar.ax.get_window_extent().width >= 10  # pixels


def status_cases():
    """(n_neurons, step) of early steps whose estimate is missing, for each kind of reason."""
    cases = {}
    for n_neurons in (6, 60):
        runs = DynamicsRuns.simulate(n_neurons=n_neurons, timesteps=60, seed=SEED)
        for step in range(60):
            reason = runs.estimate_until(step).reason
            kind = reason.split(":")[1].split()[0] if reason else None
            if kind and (n_neurons, kind) not in cases:
                cases[(n_neurons, kind)] = step
    return [(n_neurons, step) for (n_neurons, _), step in cases.items()]


@pytest.mark.parametrize(("n_neurons", "step"), status_cases())
def test_why_there_is_no_estimate_yet_is_written_inside_its_axes(n_neurons, step):
    explorer = DynamicsExplorer(n_neurons=n_neurons, timesteps=60, seed=SEED)
    go_to(explorer, step)
    panel = explorer.view.estimate
    assert panel.status.get_text()
    ax = panel.estimate_image.axes
    assert ax.get_window_extent().fully_contains(*panel.status.get_window_extent().min)
    assert ax.get_window_extent().fully_contains(*panel.status.get_window_extent().max)


def test_status_cases_cover_each_reason():
    reasons = {
        DynamicsRuns.simulate(n_neurons=n, timesteps=60, seed=SEED).estimate_until(step).reason
        for n, step in status_cases()
    }
    assert any("of the 2 needed" in reason for reason in reasons)
    assert any("had the same perturbation" in reason for reason in reasons)


def test_every_text_is_at_least_ten_pixels_high(explorer):
    figure = explorer.figure
    texts = [text for text in figure.findobj(matplotlib.text.Text) if text.get_text()]
    assert texts
    for text in texts:
        assert text.get_fontsize() * figure.dpi / 72 >= 10, text.get_text()


def test_current_step_frame_is_thick_white_on_black(explorer):
    marker = explorer.view.perturbed_activity.marker
    (stroke,) = marker.get_path_effects()
    assert marker.get_edgecolor()[:3] == (1.0, 1.0, 1.0)
    assert marker.get_linewidth() >= 2
    assert stroke._gc["linewidth"] >= 2 * marker.get_linewidth()


# --- Stepping redraws only what changes ----------------------------------------------------


def test_stepping_through_the_whole_run_never_redraws_the_whole_figure(explorer, monkeypatch):
    view = explorer.view
    (background,) = view._backgrounds.values()
    full_draws = []
    canvas = explorer.figure.canvas
    monkeypatch.setattr(canvas, "draw", lambda *args: full_draws.append(args))
    for step in [*range(1, TIMESTEPS), 0, TIMESTEPS - 1, 17, 3]:
        go_to(explorer, step)
    assert full_draws == []
    assert list(view._backgrounds.values()) == [background]


# --- Play ----------------------------------------------------------------------------------


def test_play_speed_sets_how_many_steps_a_frame_moves(explorer):
    assert explorer.play.step == explorer.play_speed.value == 25
    assert explorer.play.interval == 200
    explorer.play_speed.value = 1
    assert explorer.play.step == 1
    assert [value for _, value in explorer.play_speed.options] == [1, 5, 25]


@pytest.mark.parametrize(("stopped_at", "shown"), [(50, 60), (25, 25), (TIMESTEPS - 1, 60)])
def test_play_ends_on_the_last_step(explorer, stopped_at, shown):
    # Play stops when its next frame (25 steps on) would pass the last step, 60.
    explorer.play.playing = True
    go_to(explorer, stopped_at)
    explorer.play.playing = False
    assert explorer.time_slider.value == shown
    assert f"step {shown} of 60" in explorer.step_readout.value
