"""Tutorial 3's explorer driven from Python as a student drives it: slider values.

Each test moves the slider, then checks what the figure shows (the images'
data, the node colours, the correlation text) against the model's own
computation of Interactive Demo 2 (``create_connectivity(50, 42)``,
``simulate_neurons(A, 4000, 42)``, then
``get_regression_corr_full_connectivity``), never against the explorer's.
"""

import functools
import io
import warnings

import numpy as np
import pytest
from explorer_checks import (
    assert_displays_as_its_widget,
    assert_runs_silently_in_a_fresh_process,
    assert_saved_figure_is_the_shown_one,
    creates_no_pyplot_figure,
    leaves_global_random_state,
    pixels,
    shown_png,
)
from matplotlib.colors import to_rgba
from PIL import Image

from nmacausal.model.regression import get_regression_corr_full_connectivity
from nmacausal.model.simulation import create_connectivity, simulate_neurons
from nmacausal.widgets import regression as regression_widgets
from nmacausal.widgets.regression import (
    ObservedDemoFigure,
    ObservedNeuronsExplorer,
    slider_range,
)

N_NEURONS = 50
TIMESTEPS = 4000
SEED = 42


@functools.cache
def tutorial_demo(n_neurons=N_NEURONS, timesteps=TIMESTEPS, seed=SEED):
    """Interactive Demo 2's network and recording, as the tutorial makes them."""
    A = create_connectivity(n_neurons, random_state=seed)
    return A, simulate_neurons(A, timesteps, random_state=seed)


@functools.cache
def model_estimate(n_observed, n_neurons=N_NEURONS, timesteps=TIMESTEPS, seed=SEED, alpha=None):
    """The model's correlation and estimate for the first ``n_observed`` neurons."""
    A, X = tutorial_demo(n_neurons, timesteps, seed)
    args = None if alpha is None else {"alpha": alpha, "fit_intercept": False, "max_iter": 250}
    return get_regression_corr_full_connectivity(n_neurons, A, X, n_observed / n_neurons, args)


@pytest.fixture(scope="module")
def explorer():
    return ObservedNeuronsExplorer()


def assert_shows(explorer, n_observed, corr, V, A=None):
    A = tutorial_demo()[0] if A is None else A
    n_neurons = A.shape[0]
    drawn = explorer.view.artists
    true_shown = drawn.true_image.get_array()
    estimate_shown = drawn.estimate_image.get_array()
    np.testing.assert_array_equal(true_shown[:n_observed, :n_observed], A[:n_observed, :n_observed])
    np.testing.assert_allclose(estimate_shown[:n_observed, :n_observed], V, rtol=0, atol=1e-12)
    for shown in (true_shown, estimate_shown):
        assert shown.shape == (n_neurons, n_neurons)
        assert np.ma.getmaskarray(shown).sum() == n_neurons**2 - n_observed**2
    colors = drawn.nodes.get_facecolors()
    np.testing.assert_array_equal(colors[:n_observed], [to_rgba("tab:red")] * n_observed)
    np.testing.assert_array_equal(
        colors[n_observed:], [to_rgba("tab:blue")] * (n_neurons - n_observed)
    )
    assert drawn.true_outline.get_width() == n_observed
    assert explorer.correlation == pytest.approx(corr, rel=1e-9)
    assert explorer.correlation_text == f"Correlation: {corr:.2f}"
    assert drawn.estimate_title.get_text() == f"Estimated connectivity\nCorrelation: {corr:.2f}"
    assert drawn.network_title.get_text().startswith(f"{n_observed} of {n_neurons} neurons")
    limit = max(np.abs(A).max(), np.abs(V).max())
    assert drawn.colorbar.ax.get_ylim() == pytest.approx((-limit, limit), rel=1e-12)


# --- What the figure shows ---------------------------------------------------------------


@pytest.mark.parametrize("n_observed", [5, 10, 25, 45])
def test_explorer_shows_the_models_block_estimate_and_correlation(explorer, n_observed):
    explorer.slider.value = n_observed
    assert_shows(explorer, n_observed, *model_estimate(n_observed))


def test_explorer_simulates_the_tutorials_network_once(explorer):
    A, X = tutorial_demo()
    np.testing.assert_array_equal(explorer.connectivity, A)
    np.testing.assert_array_equal(explorer.activity, X)


def test_defaults_are_the_tutorials_slider():
    fresh = ObservedNeuronsExplorer()
    slider = fresh.slider
    assert (slider.value, slider.min, slider.max, slider.step) == (5, 5, 45, 5)
    assert slider.description == "n_observed"
    assert slider.continuous_update  # a redraw is quick enough to follow a drag
    assert fresh.correlation_text == f"Correlation: {model_estimate(5)[0]:.2f}"


def test_other_parameters_are_passed_on():
    explorer = ObservedNeuronsExplorer(n_neurons=20, timesteps=1000, random_state=3, n_observed=12)
    assert (explorer.slider.min, explorer.slider.max, explorer.slider.step) == (2, 18, 2)
    A, _ = tutorial_demo(20, 1000, 3)
    assert_shows(explorer, 12, *model_estimate(12, 20, 1000, 3), A=A)
    tuned = ObservedNeuronsExplorer(regression_args={"alpha": 0.002, "fit_intercept": False})
    tuned.slider.value = 20
    corr, V = get_regression_corr_full_connectivity(
        50, *tutorial_demo(), 0.4, {"alpha": 0.002, "fit_intercept": False}
    )
    assert_shows(tuned, 20, corr, V)


def test_explanation_says_what_was_simulated_and_fitted():
    explorer = ObservedNeuronsExplorer(n_neurons=20, timesteps=500, n_observed=2)
    (label,) = [w for w in explorer.widget.children[0].children if hasattr(w, "value")][1:]
    assert label.value == "of 20 neurons observed · 500 timesteps, seed 42 · Lasso alpha = 0.01"
    custom = ObservedNeuronsExplorer(n_neurons=20, regression_args={"alpha": 0.1}, n_observed=2)
    assert custom.widget.children[0].children[1].value.endswith("Lasso alpha = 0.1")


@pytest.mark.parametrize(
    ("n_neurons", "expected"),
    [(50, (5, 45, 5)), (4, (2, 3, 1)), (12, (2, 11, 1)), (20, (2, 18, 2)), (100, (10, 90, 10))],
)
def test_slider_range_is_a_tenth_of_the_network_a_step(n_neurons, expected):
    assert slider_range(n_neurons) == expected


def test_an_undefined_correlation_is_said_without_warnings():
    # A penalty so large that Lasso keeps no connection: V is 0 everywhere.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = ObservedNeuronsExplorer(
            timesteps=300, regression_args={"alpha": 100.0, "fit_intercept": False}
        )
    assert not explorer.setting.estimate.any()
    assert explorer.correlation is None
    assert explorer.correlation_text == "Correlation: undefined"


# --- How it redraws ---------------------------------------------------------------------


def test_moving_the_slider_changes_the_picture_and_reuses_the_figure(explorer):
    view, figure = explorer.view, explorer.figure
    explorer.slider.value = 15
    before, text_before = shown_png(explorer), explorer.correlation_text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.slider.value = 35
    assert explorer.view is view and explorer.figure is figure
    assert shown_png(explorer) != before
    assert explorer.correlation_text != text_before


def test_each_position_is_fitted_once(monkeypatch):
    explorer = ObservedNeuronsExplorer()
    fits = []
    fit = regression_widgets.get_regression_estimate_full_connectivity
    monkeypatch.setattr(
        regression_widgets,
        "get_regression_estimate_full_connectivity",
        lambda X, args: fits.append(X.shape[0]) or fit(X, args),
    )
    for value in [10, 15, 10, 5, 15, 10]:
        explorer.slider.value = value
    assert fits == [10, 15]  # 5 was fitted when the explorer was made
    first = explorer._settings[10]
    explorer.slider.value = 20
    explorer.slider.value = 10
    assert explorer.setting is first


def test_incremental_drawing_matches_a_fresh_figure():
    explorer = ObservedNeuronsExplorer()
    for value in [45, 5, 30, 10, 25]:
        explorer.slider.value = value
    fresh = ObservedDemoFigure(explorer.connectivity, explorer.setting)
    np.testing.assert_array_equal(pixels(shown_png(explorer)), pixels(fresh.render_png()))


def test_saving_the_figure_draws_every_panel(explorer, tmp_path):
    explorer.slider.value = 20
    assert_saved_figure_is_the_shown_one(explorer, tmp_path)


def test_shown_image_is_the_figure_as_png(explorer):
    image = Image.open(io.BytesIO(shown_png(explorer)))
    assert image.format == "PNG"
    assert image.size == explorer.figure.canvas.get_width_height()
    text = explorer.figure_output.outputs[0]["data"]["text/plain"]
    assert text.startswith("<ObservedNeuronsExplorer figure: ")


def test_global_random_state_is_left_untouched():
    with leaves_global_random_state():
        explorer = ObservedNeuronsExplorer(timesteps=300)
        explorer.slider.value = 25
        ObservedNeuronsExplorer(
            n_neurons=10, timesteps=300, regression_args={"selection": "random"}, n_observed=3
        ).slider.value = 5


def test_no_pyplot_figure_is_created():
    with creates_no_pyplot_figure():
        ObservedNeuronsExplorer(timesteps=300).slider.value = 10


def test_importing_the_modules_draws_and_displays_nothing():
    assert_runs_silently_in_a_fresh_process(
        "import sys, nmacausal.widgets.regression, nmacausal.plotting.regression\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )


def test_explorer_displays_as_its_widget(explorer):
    assert_displays_as_its_widget(explorer)


@pytest.mark.parametrize(
    ("attribute", "css_class"),
    [
        ("slider", "nmacausal-regression-slider"),
        ("figure_output", "nmacausal-regression-figure"),
    ],
)
def test_controls_carry_their_css_classes(explorer, attribute, css_class):
    assert css_class in getattr(explorer, attribute)._dom_classes


# --- Bad arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"n_neurons": 3}, ValueError, r"`n_neurons` must be an integer >= 4"),
        ({"n_neurons": 101}, ValueError, r"`n_neurons` must be an integer <= 100"),
        ({"n_neurons": 50.0}, TypeError, r"`n_neurons` must be an integer"),
        ({"timesteps": 2}, ValueError, r"`timesteps` must be an integer >= 3"),
        ({"timesteps": 20_001}, ValueError, r"`timesteps` must be an integer <= 20000"),
        ({"random_state": -1}, ValueError, r"`random_state` must be an integer >= 0"),
        ({"random_state": None}, TypeError, r"`random_state` must be an integer"),
        ({"n_observed": 4}, ValueError, r"`n_observed` must be an integer >= 5"),
        ({"n_observed": 50}, ValueError, r"`n_observed` must be an integer <= 45"),
        ({"n_observed": 7}, ValueError, r"`n_observed` must be a position of the slider, 5 to"),
        ({"n_observed": True}, TypeError, r"`n_observed` must be an integer"),
        ({"regression_args": [("alpha", 1)]}, TypeError, r"`regression_args` must be a mapping"),
        ({"regression_args": {"alfa": 0.1}}, ValueError, r"`regression_args` has 'alfa'"),
        ({"regression_args": {"alpha": -1}}, ValueError, r"`regression_args`: "),
    ],
)
def test_bad_arguments_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        ObservedNeuronsExplorer(**({"timesteps": 100} | options))


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        ObservedNeuronsExplorer(50)
