"""The day's summary explorer, MethodsExplorer, driven from Python as a student drives it.

Each test moves a control, then checks what the figure shows (the images'
data, the subtitles, the quality panel's lines) against the library's own
functions called here (``compare_methods``, and each method's estimator),
never against the explorer's. Small networks keep it quick; the defaults are
built once.
"""

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
from figure_checks import rendered_without_warnings
from PIL import Image

import nmacausal.model.comparison as comparison_module
from nmacausal.model.comparison import METHODS, ComparisonConditions, compare_methods
from nmacausal.model.instrumental import COMPARISON_REGRESSION_ARGS
from nmacausal.model.quality import connectivity_correlation
from nmacausal.model.regression import get_regression_estimate_full_connectivity
from nmacausal.model.simulation import create_connectivity, isolated_random_state, simulate_neurons
from nmacausal.plotting.comparison import plot_methods_comparison
from nmacausal.widgets.methods import (
    BACKGROUNDS_KEPT,
    PARAMETERS,
    MethodsExplorer,
    MethodsFigure,
)

SMALL = {"n_neurons": 16, "timesteps": 1200, "seed": 7}


@pytest.fixture
def explorer():
    return MethodsExplorer(**SMALL)


def assert_shows(explorer, expected):
    """The matrices show ``expected`` (a MethodsComparison computed apart)."""
    drawn = explorer.view.matrices
    A, k = expected.connectivity, expected.n_observed
    n_neurons = A.shape[0]
    np.testing.assert_array_equal(drawn.truth_image.get_array(), A)
    assert drawn.outlines["truth"].get_width() == k
    assert drawn.subtitles["truth"].get_text() == (
        f"{k} of {n_neurons} neurons observed ({round(100 * k / n_neurons)}%)"
    )
    for method in METHODS:
        result = expected.estimates[method]
        image = drawn.images[method]
        assert image.get_visible() and image.get_extent() == [-0.5, k - 0.5, k - 0.5, -0.5]
        # (The explorer fits with one BLAS thread: its sums may differ in the last bit.)
        np.testing.assert_allclose(image.get_array(), result.estimate, rtol=0, atol=1e-12)
        assert explorer.correlations[method] == pytest.approx(result.correlation, rel=1e-12)
        assert drawn.subtitles[method].get_text() == f"r = {result.correlation:.2f}"


# --- What the figure shows -----------------------------------------------------------------


def test_the_explorer_shows_each_methods_estimate_and_correlation(explorer):
    assert_shows(explorer, compare_methods(**SMALL))
    explorer.observed_slider.value = 0.8
    assert_shows(explorer, compare_methods(**SMALL, observed_fraction=0.8))


def test_regression_is_the_librarys_lasso_on_the_observed_rows(explorer):
    explorer.observed_slider.value = 0.3  # 4 of 16
    with isolated_random_state():
        A = create_connectivity(16, random_state=7)
        X = simulate_neurons(A, 1200, random_state=7)
    V = get_regression_estimate_full_connectivity(X[:4], COMPARISON_REGRESSION_ARGS)
    assert explorer.correlations["regression"] == pytest.approx(
        connectivity_correlation(A[:4, :4], V), rel=1e-12
    )
    assert explorer.correlation_text == ", ".join(
        f"{label} r = {explorer.correlations[method]:.2f}"
        for method, label in zip(
            METHODS,
            ["Perturbation", "Lagged correlation", "Regression (Lasso)", "Instrumental variables"],
            strict=True,
        )
    )


@pytest.mark.parametrize(
    ("control", "value", "change"),
    [
        ("n_neurons_slider", 20, {"n_neurons": 20}),
        ("timesteps_slider", 2000, {"timesteps": 2000}),
        ("eta_slider", 0.5, {"eta": 0.5}),
        ("sparsity_slider", 0.8, {"p": 0.8}),
        ("seed_input", 8, {"seed": 8}),
    ],
)
def test_each_control_sets_its_condition_and_changes_the_picture(explorer, control, value, change):
    before = shown_png(explorer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        getattr(explorer, control).value = value
    assert shown_png(explorer) != before
    assert explorer.conditions == ComparisonConditions(**{**SMALL, **change})
    assert_shows(explorer, compare_methods(**{**SMALL, **change}))


def test_the_defaults_are_the_issues_conditions():
    explorer = MethodsExplorer()
    conditions = explorer.conditions
    assert (conditions.n_neurons, conditions.timesteps, conditions.observed_fraction) == (
        50,
        5000,
        0.5,
    )
    assert (conditions.eta, conditions.p, conditions.seed) == (2.0, 0.9, 42)
    assert explorer.observed_slider.label == "50%"
    assert [label for label, _ in explorer.observed_slider.options][::3] == [
        "10%",
        "40%",
        "70%",
        "100%",
    ]
    for control in (explorer.n_neurons_slider, explorer.observed_slider, explorer.eta_slider):
        assert not control.continuous_update  # a change may simulate: on release
    assert explorer.status.value == (
        "25 of 50 neurons observed · 5000 timesteps · η = 2 · p = 0.9 · seed 42"
    )


def test_a_value_between_the_positions_becomes_one():
    explorer = MethodsExplorer(n_neurons=12, timesteps=1500, observed_fraction=0.25, eta=3)
    assert explorer.observed_slider.value == 0.25
    assert 0.25 in [value for _, value in explorer.observed_slider.options]
    assert explorer.timesteps_slider.label == "1500"
    assert [tuple(option) for option in explorer.eta_slider.options][-2:] == [
        ("3", 3.0),
        ("4", 4.0),
    ]


def test_an_undefined_correlation_is_said_on_its_panel():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = MethodsExplorer(n_neurons=20, timesteps=20, observed_fraction=1.0)
    drawn = explorer.view.matrices
    iv = explorer.comparison.estimates["iv"]
    assert iv.estimate is None and explorer.correlations["iv"] is None
    assert drawn.subtitles["iv"].get_text() == "r undefined"
    assert drawn.reasons["iv"].get_visible()
    assert drawn.reasons["iv"].get_text().replace("\n", " ") == iv.reason
    assert not drawn.images["iv"].get_visible()
    assert not drawn.reasons["correlation"].get_visible()
    explorer.observed_slider.value = 0.5  # 10 neurons: 20 timesteps are enough
    assert explorer.correlations["iv"] is not None
    assert not drawn.reasons["iv"].get_visible() and drawn.images["iv"].get_visible()


def test_a_single_observed_neuron_is_undefined_for_every_method():
    explorer = MethodsExplorer(n_neurons=10, timesteps=500, observed_fraction=0.1)
    assert explorer.correlations == dict.fromkeys(METHODS)
    assert "Perturbation r undefined" in explorer.correlation_text


# --- The quality panel -----------------------------------------------------------------------


def quality_points(explorer, method):
    line = explorer.view.quality.lines[method]
    return list(line.get_xdata()), [None if np.isnan(y) else y for y in line.get_ydata()]


def test_the_quality_panel_records_each_value_moved_to(explorer):
    assert explorer.trace.parameter == "observed_fraction"
    for fraction in [1.0, 0.3, 1.0]:
        explorer.observed_slider.value = fraction
    assert explorer.trace.values == [0.3, 0.5, 1.0]
    for method in METHODS:
        expected = [
            compare_methods(**SMALL, observed_fraction=fraction).correlations[method]
            for fraction in (0.3, 0.5, 1.0)
        ]
        xs, ys = quality_points(explorer, method)
        assert xs == [0.3, 0.5, 1.0] and ys == pytest.approx(expected, rel=1e-12)
    assert list(explorer.view.quality.current.get_xdata()) == [1.0, 1.0]
    assert explorer.view.quality.ax.get_xlabel() == "Neurons observed"


def test_moving_another_parameter_starts_a_new_trace(explorer):
    explorer.observed_slider.value = 1.0
    explorer.eta_slider.value = 0.5
    # The previous eta, 2, under the same conditions, then the new one.
    assert explorer.trace.parameter == "eta"
    assert explorer.trace.values == [0.5, 2.0]
    conditions = {**SMALL, "observed_fraction": 1.0}
    assert explorer.trace.correlations()["iv"] == pytest.approx(
        [compare_methods(**conditions, eta=eta).correlations["iv"] for eta in (0.5, 2.0)],
        rel=1e-12,
    )
    ax = explorer.view.quality.ax
    assert ax.get_xscale() == "log" and ax.get_xlabel().startswith("Instrument strength")
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [
        "0.12", "0.25", "0.5", "1", "2", "4"
    ]  # fmt: skip
    assert explorer.sweep_button.description == "Sweep instrument η"
    explorer.timesteps_slider.value = 500  # 1200 is a position too: 8, every other labelled
    assert [tick.get_text() for tick in ax.get_xticklabels()] == [
        "", "500", "", "1.2k", "", "5k", "", "20k"
    ]  # fmt: skip


def test_the_sweep_fills_in_every_position_of_the_parameter(explorer):
    explorer.sparsity_slider.value = 0.8
    explorer.sweep_button.click()
    assert explorer.trace.values == list(PARAMETERS["p"].positions)
    assert explorer.conditions.p == 0.8  # the matrices stay where they were
    assert explorer.sweep_button.description == "Sweep sparsity p"
    assert not explorer.sweep_button.disabled
    assert len(quality_points(explorer, "perturbation")[0]) == len(PARAMETERS["p"].positions)


def test_the_seeds_sweep_is_the_next_ten_seeds(explorer):
    explorer.seed_input.value = 30
    explorer.sweep()
    assert explorer.trace.values == list(range(7, 8)) + list(range(30, 40))
    assert explorer.view.quality.ax.get_xlim() == (-0.5, 39.5)


# --- How it redraws and what it computes --------------------------------------------------------


def test_the_fraction_observed_simulates_nothing(explorer, monkeypatch):
    simulations = []
    for name in ("simulate_neurons", "simulate_neurons_perturb", "_drive_with_instrument"):
        original = getattr(comparison_module, name)
        monkeypatch.setattr(
            comparison_module,
            name,
            lambda *args, _original=original, _name=name, **kwargs: (
                simulations.append(_name) or _original(*args, **kwargs)
            ),
        )
    for fraction in [0.1, 1.0, 0.5, 0.8]:
        explorer.observed_slider.value = fraction
    assert simulations == []
    explorer.eta_slider.value = 1.0
    assert simulations == ["_drive_with_instrument"]


def assert_same_correlations(explorer, expected):
    """The explorer's correlations are ``expected``'s, None (undefined) where it has None."""
    assert explorer.conditions == expected.conditions
    for method, want in expected.correlations.items():
        got = explorer.correlations[method]
        assert (got is None) == (want is None), (method, got, want)
        assert want is None or got == pytest.approx(want, rel=1e-12), (method, got, want)


def test_an_idle_explorer_has_estimated_every_fraction_observed(explorer, monkeypatch):
    explorer.estimate_ahead()  # what the kernel's event loop does while it is idle
    judged = []
    judge = explorer.comparer._judge
    monkeypatch.setattr(
        explorer.comparer, "_judge", lambda *args: judged.append(args) or judge(*args)
    )
    for fraction in PARAMETERS["observed_fraction"].positions:
        explorer.observed_slider.value = fraction
        assert judged == [], f"{fraction} was estimated on the move, not in the background"
        assert_same_correlations(explorer, compare_methods(**SMALL, observed_fraction=fraction))


def test_a_move_before_the_estimates_ahead_shows_the_same(explorer):
    explorer._estimate_one_ahead()  # the kernel had time for one
    for fraction in [0.9, 0.2, 0.1, 1.0]:
        explorer.observed_slider.value = fraction
        assert_same_correlations(explorer, compare_methods(**SMALL, observed_fraction=fraction))
    explorer.seed_input.value = 8
    explorer.observed_slider.value = 0.3
    assert_shows(explorer, compare_methods(**{**SMALL, "seed": 8}, observed_fraction=0.3))


def test_a_failure_ahead_is_silent_and_left_to_the_move(explorer, monkeypatch, capfd):
    def broken(conditions):
        raise RuntimeError("broken estimator")

    monkeypatch.setattr(explorer.comparer, "compare", broken)
    explorer.estimate_ahead()
    assert capfd.readouterr().err == "" and explorer._ahead == []
    with pytest.raises(RuntimeError, match="broken estimator"):
        explorer.observed_slider.value = 0.8


def test_a_picture_shown_before_is_not_drawn_again(explorer, monkeypatch):
    explorer.observed_slider.value = 1.0
    explorer.observed_slider.value = 0.5
    shown = shown_png(explorer)
    drawn = []
    render = explorer.view.render_png
    monkeypatch.setattr(explorer.view, "render_png", lambda: drawn.append(1) or render())
    explorer.observed_slider.value = 1.0
    explorer.observed_slider.value = 0.5
    assert drawn == [] and shown_png(explorer) == shown
    assert explorer.view.matrices.comparison is explorer.comparison  # the artists follow
    explorer.observed_slider.value = 0.8  # a new point: a new picture
    assert drawn == [1]


def test_incremental_drawing_matches_a_fresh_figure(explorer):
    explorer.observed_slider.value = 0.3
    explorer.n_neurons_slider.value = 20
    explorer.n_neurons_slider.value = 10
    explorer.timesteps_slider.value = 500
    explorer.observed_slider.value = 0.8
    fresh = MethodsFigure(
        explorer.comparison, explorer.trace, explorer.parameters["observed_fraction"]
    )
    np.testing.assert_array_equal(pixels(shown_png(explorer)), pixels(fresh.render_png()))


def test_only_the_last_backgrounds_are_kept(explorer):
    for n_neurons in PARAMETERS["n_neurons"].positions:
        explorer.n_neurons_slider.value = n_neurons
    assert len(explorer.view._backgrounds) == BACKGROUNDS_KEPT
    (n_neurons, _), *_ = reversed(explorer.view._backgrounds)
    assert n_neurons == 100  # the last one shown


def test_saving_the_figure_draws_every_panel(explorer, tmp_path):
    explorer.observed_slider.value = 0.8
    assert_saved_figure_is_the_shown_one(explorer, tmp_path)


def test_the_shown_image_is_the_figure_as_png(explorer):
    image = Image.open(io.BytesIO(shown_png(explorer)))
    assert image.format == "PNG"
    assert image.size == explorer.figure.canvas.get_width_height() == (844, 599)
    text = explorer.figure_output.outputs[0]["data"]["text/plain"]
    assert text.startswith("<MethodsExplorer figure: 8 of 16 neurons observed · 1200 timesteps")
    assert "Instrumental variables r = " in text


def test_the_still_figure_draws_without_warnings():
    comparison = compare_methods(**SMALL)
    figure = rendered_without_warnings(lambda: plot_methods_comparison(comparison))
    assert [ax.get_title() for ax in figure.axes[:5]] == [
        "True connectivity",
        "Perturbation",
        "Lagged correlation",
        "Regression (Lasso)",
        "Instrumental variables",
    ]
    (iv_line,) = [line for line in figure.axes[5].lines if line.get_label() == "IV"]
    assert list(iv_line.get_xdata()) == [0.5]
    assert list(iv_line.get_ydata()) == [comparison.correlations["iv"]]


def test_the_global_random_state_is_left_untouched():
    with leaves_global_random_state():
        explorer = MethodsExplorer(n_neurons=10, timesteps=500)
        explorer.seed_input.value = 3
        explorer.observed_slider.value = 1.0
        explorer.sweep()


def test_no_pyplot_figure_is_created():
    with creates_no_pyplot_figure():
        MethodsExplorer(n_neurons=10, timesteps=500).observed_slider.value = 1.0


def test_importing_the_modules_draws_and_displays_nothing():
    assert_runs_silently_in_a_fresh_process(
        "import sys, nmacausal.widgets.methods, nmacausal.plotting.comparison\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn imported'\n"
    )


def test_the_explorer_displays_as_its_widget(explorer):
    assert_displays_as_its_widget(explorer)


CSS_CLASSES = {
    "n_neurons_slider": "nmacausal-methods-n-neurons",
    "timesteps_slider": "nmacausal-methods-timesteps",
    "observed_slider": "nmacausal-methods-observed-fraction",
    "eta_slider": "nmacausal-methods-eta",
    "sparsity_slider": "nmacausal-methods-p",
    "seed_input": "nmacausal-methods-seed",
    "sweep_button": "nmacausal-methods-sweep",
    "status": "nmacausal-methods-status",
    "figure_output": "nmacausal-methods-figure",
    "caption": "nmacausal-methods-caption",
}


def test_controls_carry_their_css_classes(explorer):
    for attribute, css_class in CSS_CLASSES.items():
        assert css_class in getattr(explorer, attribute)._dom_classes, attribute


# --- Bad arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"n_neurons": 1}, ValueError, r"`n_neurons` must be an integer >= 2"),
        ({"n_neurons": 101}, ValueError, r"`n_neurons` must be an integer <= 100"),
        ({"n_neurons": 20.0}, TypeError, r"`n_neurons` must be an integer"),
        ({"timesteps": 3}, ValueError, r"`timesteps` must be an integer >= 4"),
        ({"timesteps": 20_001}, ValueError, r"`timesteps` must be an integer <= 20000"),
        ({"observed_fraction": 0}, ValueError, r"`observed_fraction` must be a fraction"),
        ({"eta": 21}, ValueError, r"`eta` must be a number in \[0, 20\]"),
        ({"eta": -1}, ValueError, r"`eta` must be a finite number >= 0"),
        ({"p": 1.5}, ValueError, r"`p` must be a probability in \[0, 1\]"),
        ({"seed": -1}, ValueError, r"`seed` must be an integer >= 0"),
        ({"seed": None}, TypeError, r"`seed` must be an integer"),
        ({"regression_args": [("alpha", 1)]}, TypeError, r"`regression_args` must be a mapping"),
        ({"regression_args": {"alfa": 0.1}}, ValueError, r"`regression_args` has 'alfa'"),
    ],
)
def test_bad_arguments_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        MethodsExplorer(**{**SMALL, **options})


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        MethodsExplorer(16)
