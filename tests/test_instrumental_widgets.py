"""Tutorial 4's explorer driven from Python as a student drives it: slider values.

Each test moves the slider, then checks what the figure shows (the images'
data, the correlation texts) against the model's own computation of
Interactive Demo 3 (``simulate_neurons_iv(30, 20000, 2, 42)``, then
``get_iv_corr_full_connectivity`` and ``get_regression_corr_full_connectivity``
with ``COMPARISON_REGRESSION_ARGS``), never against the explorer's.
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
from PIL import Image

from nmacausal.model.instrumental import (
    COMPARISON_REGRESSION_ARGS,
    get_iv_corr_full_connectivity,
    simulate_neurons_iv,
)
from nmacausal.model.regression import get_regression_corr_full_connectivity
from nmacausal.model.simulation import isolated_random_state
from nmacausal.widgets import instrumental as instrumental_widgets
from nmacausal.widgets.instrumental import IVDemoFigure, IVObservedNeuronsExplorer

N_NEURONS = 30
TIMESTEPS = 20_000
ETA = 2
SEED = 42


@functools.cache
def tutorial_demo(n_neurons=N_NEURONS, timesteps=TIMESTEPS, eta=ETA, seed=SEED):
    """Interactive Demo 3's network, recording and instrument, as the tutorial makes them."""
    with isolated_random_state():
        return simulate_neurons_iv(n_neurons, timesteps, eta, seed)


@functools.cache
def model_estimates(
    ratio, n_neurons=N_NEURONS, timesteps=TIMESTEPS, eta=ETA, seed=SEED, alpha=None
):
    """The model's IV and regression correlations and estimates at ``ratio`` observed."""
    A, X, Z = tutorial_demo(n_neurons, timesteps, eta, seed)
    args = dict(COMPARISON_REGRESSION_ARGS)
    if alpha is not None:
        args["alpha"] = alpha
    iv_corr, V_iv = get_iv_corr_full_connectivity(n_neurons, A, X, Z, ratio)
    regression_corr, V_regression = get_regression_corr_full_connectivity(
        n_neurons, A, X, ratio, args
    )
    return iv_corr, V_iv, regression_corr, V_regression


@pytest.fixture(scope="module")
def explorer():
    return IVObservedNeuronsExplorer()


def slider_labels(slider):
    return tuple(label for label, _ in slider.options)


def assert_shows(explorer, n_observed, iv_corr, V_iv, regression_corr, V_regression, A=None):
    A = tutorial_demo()[0] if A is None else A
    n_neurons = A.shape[0]
    drawn = explorer.view.artists
    for image, block in (
        (drawn.true_image, A[:n_observed, :n_observed]),
        (drawn.iv_image, V_iv),
        (drawn.regression_image, V_regression),
    ):
        shown = image.get_array()
        assert shown.shape == (n_neurons, n_neurons)
        np.testing.assert_allclose(shown[:n_observed, :n_observed], block, rtol=0, atol=1e-12)
        assert np.ma.getmaskarray(shown).sum() == n_neurons**2 - n_observed**2
    assert drawn.true_outline.get_width() == n_observed
    assert explorer.setting.n_observed == n_observed
    assert explorer.iv_correlation == pytest.approx(iv_corr, rel=1e-9)
    assert explorer.regression_correlation == pytest.approx(regression_corr, rel=1e-9)
    assert explorer.iv_correlation_text == f"Correlation: {iv_corr:.2f}"
    assert explorer.regression_correlation_text == f"Correlation: {regression_corr:.2f}"
    assert explorer.correlation_text == (
        f"IV correlation: {iv_corr:.2f}, regression correlation: {regression_corr:.2f}"
    )
    assert drawn.iv_title.get_text() == f"Estimated connectivity (IV)\nCorrelation: {iv_corr:.2f}"
    assert drawn.regression_title.get_text() == (
        f"Estimated connectivity (regression)\nCorrelation: {regression_corr:.2f}"
    )
    assert drawn.true_title.get_text().startswith(
        f"True connectivity\n{n_observed} of {n_neurons} neurons observed"
    )
    blocks = (A[:n_observed, :n_observed], V_iv, V_regression)
    limit = max(np.abs(block).max() for block in blocks)
    assert drawn.colorbar.ax.get_ylim() == pytest.approx((-limit, limit), rel=1e-12)


# --- What the figure shows ---------------------------------------------------------------


@pytest.mark.parametrize(("ratio", "n_observed"), [(0.2, 6), (0.4, 12), (0.6, 18), (1.0, 30)])
def test_explorer_shows_the_models_blocks_estimates_and_correlations(explorer, ratio, n_observed):
    explorer.slider.value = ratio
    assert_shows(explorer, n_observed, *model_estimates(ratio))


def test_explorer_simulates_the_tutorials_network_once(explorer):
    A, X, Z = tutorial_demo()
    np.testing.assert_array_equal(explorer.connectivity, A)
    np.testing.assert_array_equal(explorer.activity, X)
    np.testing.assert_array_equal(explorer.instrument, Z)


def test_iv_is_ahead_of_regression_when_few_neurons_are_observed(explorer):
    explorer.slider.value = 0.2
    assert explorer.iv_correlation > explorer.regression_correlation + 0.1


def test_defaults_are_the_tutorials_slider():
    fresh = IVObservedNeuronsExplorer(timesteps=2000)
    slider = fresh.slider
    assert slider_labels(slider) == ("0.2", "0.4", "0.6", "0.8", "1")
    assert fresh.ratios == (0.2, 0.4, 0.6, 0.8, 1.0)
    assert slider.value == 0.2
    assert slider.description == "ratio"
    assert slider.continuous_update  # a redraw is quick enough to follow a drag


def test_other_parameters_are_passed_on():
    explorer = IVObservedNeuronsExplorer(
        n_neurons=20, timesteps=3000, eta=1, random_state=3, ratio=0.5, ratios=(1, 0.25, 0.5)
    )
    assert slider_labels(explorer.slider) == ("0.25", "0.5", "1")
    A, _, _ = tutorial_demo(20, 3000, 1, 3)
    assert_shows(explorer, 10, *model_estimates(0.5, 20, 3000, 1, 3), A=A)
    tuned = IVObservedNeuronsExplorer(
        timesteps=3000, regression_args={"alpha": 0.002, "fit_intercept": False}
    )
    tuned.slider.value = 0.4
    _, _, regression_corr, _ = model_estimates(0.4, timesteps=3000, alpha=0.002)
    assert tuned.regression_correlation == pytest.approx(regression_corr, rel=1e-9)


def test_explanation_says_what_was_simulated_and_fitted():
    explorer = IVObservedNeuronsExplorer(n_neurons=20, timesteps=500)
    label = explorer.widget.children[0].children[1]
    assert (
        label.value
        == "of 20 neurons observed · 500 timesteps, eta = 2, seed 42 · Lasso alpha = 0.01"
    )
    custom = IVObservedNeuronsExplorer(n_neurons=20, timesteps=500, regression_args={"alpha": 0.1})
    assert custom.widget.children[0].children[1].value.endswith("Lasso alpha = 0.1")


def test_an_undefined_correlation_is_said_without_warnings():
    # A penalty so large that Lasso keeps no connection: V is 0 everywhere.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = IVObservedNeuronsExplorer(
            timesteps=500, regression_args={"alpha": 100.0, "fit_intercept": False}
        )
    assert not explorer.setting.regression_estimate.any()
    assert explorer.regression_correlation is None
    assert explorer.regression_correlation_text == "Correlation: undefined"
    assert explorer.correlation_text.endswith("regression correlation: undefined")


# --- How it redraws ---------------------------------------------------------------------


def test_moving_the_slider_changes_the_picture_and_reuses_the_figure(explorer):
    view, figure = explorer.view, explorer.figure
    explorer.slider.value = 0.4
    before, text_before = shown_png(explorer), explorer.correlation_text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.slider.value = 0.8
    assert explorer.view is view and explorer.figure is figure
    assert shown_png(explorer) != before
    assert explorer.correlation_text != text_before


def test_each_position_is_fitted_once(monkeypatch):
    explorer = IVObservedNeuronsExplorer(timesteps=2000)
    fits = []
    iv_fit = instrumental_widgets.get_iv_estimate_network
    regression_fit = instrumental_widgets.get_regression_estimate_full_connectivity
    monkeypatch.setattr(
        instrumental_widgets,
        "get_iv_estimate_network",
        lambda X, Z: fits.append(("iv", X.shape[0])) or iv_fit(X, Z),
    )
    monkeypatch.setattr(
        instrumental_widgets,
        "get_regression_estimate_full_connectivity",
        lambda X, args: fits.append(("regression", X.shape[0])) or regression_fit(X, args),
    )
    for value in [0.4, 0.6, 0.4, 0.2, 0.6, 0.4]:
        explorer.slider.value = value
    # 0.2 was fitted when the explorer was made.
    assert fits == [("iv", 12), ("regression", 12), ("iv", 18), ("regression", 18)]
    first = explorer._settings[0.4]
    explorer.slider.value = 1.0
    explorer.slider.value = 0.4
    assert explorer.setting is first


def test_incremental_drawing_matches_a_fresh_figure():
    explorer = IVObservedNeuronsExplorer(timesteps=2000)
    for value in [1.0, 0.2, 0.8, 0.4, 0.6]:
        explorer.slider.value = value
    fresh = IVDemoFigure(explorer.connectivity, explorer.setting)
    np.testing.assert_array_equal(pixels(shown_png(explorer)), pixels(fresh.render_png()))


def test_saving_the_figure_draws_every_panel(explorer, tmp_path):
    explorer.slider.value = 0.6
    assert_saved_figure_is_the_shown_one(explorer, tmp_path)


def test_shown_image_is_the_figure_as_png(explorer):
    image = Image.open(io.BytesIO(shown_png(explorer)))
    assert image.format == "PNG"
    assert image.size == explorer.figure.canvas.get_width_height()
    text = explorer.figure_output.outputs[0]["data"]["text/plain"]
    assert text.startswith("<IVObservedNeuronsExplorer figure: ")
    assert "IV correlation: " in text


def test_global_random_state_is_left_untouched():
    with leaves_global_random_state():
        explorer = IVObservedNeuronsExplorer(timesteps=500)
        explorer.slider.value = 0.6
        IVObservedNeuronsExplorer(
            n_neurons=10, timesteps=500, regression_args={"selection": "random"}
        ).slider.value = 1.0


def test_no_pyplot_figure_is_created():
    with creates_no_pyplot_figure():
        IVObservedNeuronsExplorer(timesteps=500).slider.value = 0.4


def test_importing_the_modules_draws_and_displays_nothing():
    assert_runs_silently_in_a_fresh_process(
        "import sys, nmacausal.widgets.instrumental, nmacausal.plotting.instrumental\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )


def test_explorer_displays_as_its_widget(explorer):
    assert_displays_as_its_widget(explorer)


@pytest.mark.parametrize(
    ("attribute", "css_class"),
    [
        ("slider", "nmacausal-instrumental-slider"),
        ("figure_output", "nmacausal-instrumental-figure"),
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
        ({"n_neurons": 30.0}, TypeError, r"`n_neurons` must be an integer"),
        ({"timesteps": 2}, ValueError, r"`timesteps` must be an integer >= 3"),
        ({"timesteps": 50_001}, ValueError, r"`timesteps` must be an integer <= 50000"),
        ({"eta": 0}, ValueError, r"`eta` must be a number in \(0, 20\], got 0.0: with no"),
        ({"eta": float("nan")}, ValueError, r"`eta` must be a number in \(0, 20\]"),
        ({"eta": "2"}, TypeError, r"`eta` must be a number"),
        ({"eta": True}, TypeError, r"`eta` must be a number"),
        ({"random_state": -1}, ValueError, r"`random_state` must be an integer >= 0"),
        ({"random_state": None}, TypeError, r"`random_state` must be an integer"),
        ({"ratio": 0.3}, ValueError, r"`ratio` must be a position of the slider \(0.2, 0.4,"),
        ({"ratio": 0}, ValueError, r"`ratio` must be a fraction in \(0, 1\]"),
        ({"ratio": "0.2"}, TypeError, r"`ratio` must be a fraction"),
        ({"ratios": []}, ValueError, r"`ratios` must not be empty"),
        ({"ratios": 0.5}, TypeError, r"`ratios` must be a sequence of fractions"),
        ({"ratios": [0.2, 1.5]}, ValueError, r"`ratios\[1\]` must be a fraction in \(0, 1\]"),
        ({"ratios": [0.2, 0.2]}, ValueError, r"`ratios` must hold distinct fractions"),
        ({"regression_args": [("alpha", 1)]}, TypeError, r"`regression_args` must be a mapping"),
        ({"regression_args": {"alfa": 0.1}}, ValueError, r"`regression_args` has 'alfa'"),
        ({"regression_args": {"alpha": -1}}, ValueError, r"`regression_args`: "),
    ],
)
def test_bad_arguments_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        IVObservedNeuronsExplorer(**({"timesteps": 100} | options))


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        IVObservedNeuronsExplorer(30)
