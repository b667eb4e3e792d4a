"""Tutorial 2's explorers driven from Python as a student drives them: slider values.

Each test moves an explorer's slider, then checks what the figure shows (the
images' data, the correlation text) against the plain transcription of the
tutorial's demo cells in ``tests/tutorial2_transcript.py``, never against the
code under test.
"""

import functools
import io
import warnings

import numpy as np
import pytest
import tutorial2_transcript as tutorial
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

from nmacausal.widgets.correlation import (
    CorrelationDemoFigure,
    NetworkSizeExplorer,
    SparsityExplorer,
)

TIMESTEPS = 2000
SEED = 42


@functools.cache
def tutorial_demo(n_neurons, p=0.9, timesteps=TIMESTEPS, seed=SEED):
    """The body of the tutorial's ``plot_corrs``: A, R and the correlation it prints."""
    A = tutorial.create_connectivity(n_neurons, seed, p)
    X = tutorial.simulate_neurons(A, timesteps, seed)
    R = tutorial.correlation_for_all_neurons(X)
    return A, R, np.corrcoef(A.flatten(), R.flatten())[0, 1]


@pytest.fixture(scope="module")
def size_explorer():
    return NetworkSizeExplorer()


@pytest.fixture(scope="module")
def sparsity_explorer():
    return SparsityExplorer()


def assert_shows(explorer, A, R, correlation):
    view = explorer.view
    np.testing.assert_array_equal(view.true_image.get_array(), A)
    np.testing.assert_allclose(view.estimate_image.get_array(), R, rtol=1e-12, atol=1e-15)
    limit = np.abs(R).max()
    assert view.estimate_image.get_clim() == pytest.approx((-limit, limit), rel=1e-12)
    assert view.true_image.get_clim() == (-np.abs(A).max(), np.abs(A).max())
    assert explorer.correlation == pytest.approx(correlation, rel=1e-12)
    assert explorer.correlation_text == f"Correlation: {correlation:.2f}"
    assert view.headline.get_text() == explorer.correlation_text


# --- What the figure shows ---------------------------------------------------------------


@pytest.mark.parametrize("n_neurons", [6, 9, 21, 42])
def test_size_explorer_shows_the_tutorials_A_R_and_correlation(size_explorer, n_neurons):
    size_explorer.slider.value = n_neurons
    assert_shows(size_explorer, *tutorial_demo(n_neurons))
    n_rows, n_columns = size_explorer.view.true_image.get_array().shape
    assert (n_rows, n_columns) == (n_neurons, n_neurons)
    assert size_explorer.view.true_ax.get_xlim() == (-0.5, n_neurons - 0.5)


@pytest.mark.parametrize("p", [0.01, 0.37, 0.9, 0.99])
def test_sparsity_explorer_shows_the_tutorials_A_R_and_correlation(sparsity_explorer, p):
    sparsity_explorer.slider.value = p
    assert_shows(sparsity_explorer, *tutorial_demo(25, p))


@pytest.mark.parametrize(
    ("explorer_class", "value", "text"),
    [
        # As the tutorial displays them (facts sheet, Interactive Demos 2.2.1 and 2.2.2).
        (NetworkSizeExplorer, 6, "Correlation: 0.91"),
        (NetworkSizeExplorer, 42, "Correlation: 0.43"),
        (SparsityExplorer, 0.9, "Correlation: 0.62"),
        (SparsityExplorer, 0.01, "Correlation: 0.03"),
    ],
)
def test_the_texts_the_tutorial_displays(explorer_class, value, text):
    explorer = explorer_class()
    explorer.slider.value = value
    assert explorer.correlation_text == text


def test_defaults_are_the_tutorials_sliders():
    size, sparsity = NetworkSizeExplorer(), SparsityExplorer()
    assert (size.slider.value, size.slider.min, size.slider.max, size.slider.step) == (6, 6, 42, 3)
    assert size.correlation_text == "Correlation: 0.91"
    slider = sparsity.slider
    assert (slider.value, slider.min, slider.max, slider.step) == (0.9, 0.01, 0.99, 0.01)
    assert size.slider.continuous_update and slider.continuous_update


def test_other_parameters_are_passed_on():
    explorer = SparsityExplorer(p=0.5, n_neurons=10, timesteps=500, random_state=3)
    assert_shows(explorer, *tutorial_demo(10, 0.5, timesteps=500, seed=3))
    explorer = NetworkSizeExplorer(n_neurons=12, timesteps=300, random_state=5)
    assert_shows(explorer, *tutorial_demo(12, timesteps=300, seed=5))


def test_a_network_without_connections_says_the_correlation_is_undefined():
    # Two neurons, each connection absent with probability 0.99: seed 42 draws none.
    with np.errstate(invalid="ignore"):
        A = tutorial.create_connectivity(2, SEED, 0.99)
    assert np.isnan(A).all()  # the tutorial's 0 / 0: no connection was drawn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = SparsityExplorer(p=0.99, n_neurons=2)
    assert explorer.correlation is None
    assert explorer.correlation_text == "Correlation: undefined"
    assert "no connections" in explorer.view.detail.get_text()
    np.testing.assert_array_equal(explorer.view.true_image.get_array(), np.zeros((2, 2)))


# --- How it redraws ---------------------------------------------------------------------


def test_a_redraw_emits_no_warning_and_reuses_the_figure(size_explorer):
    view, figure = size_explorer.view, size_explorer.figure
    images = (view.true_image, view.estimate_image)
    before = shown_png(size_explorer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        size_explorer.slider.value = 15 if size_explorer.slider.value != 15 else 18
    assert size_explorer.view is view and size_explorer.figure is figure
    assert (view.true_image, view.estimate_image) == images
    assert shown_png(size_explorer) != before


@pytest.mark.parametrize(
    ("explorer_class", "path"),
    [
        (NetworkSizeExplorer, [42, 6, 9, 42, 21]),
        (SparsityExplorer, [0.1, 0.95, 0.1, 0.5]),
    ],
)
def test_incremental_drawing_matches_a_fresh_figure(explorer_class, path):
    explorer = explorer_class()
    for value in path:
        explorer.slider.value = value
    fresh = CorrelationDemoFigure(explorer.setting)
    np.testing.assert_array_equal(pixels(shown_png(explorer)), pixels(fresh.render_png()))


def test_shown_image_is_the_figure_as_png(sparsity_explorer):
    image = Image.open(io.BytesIO(shown_png(sparsity_explorer)))
    assert image.format == "PNG"
    assert image.size == sparsity_explorer.figure.canvas.get_width_height()


def test_saving_the_figure_draws_every_panel(sparsity_explorer, tmp_path):
    sparsity_explorer.slider.value = 0.5
    assert_saved_figure_is_the_shown_one(sparsity_explorer, tmp_path)


def test_global_random_state_is_left_untouched():
    with leaves_global_random_state():
        explorer = NetworkSizeExplorer(timesteps=200)
        explorer.slider.value = 9
        SparsityExplorer(timesteps=200).slider.value = 0.3


def test_no_pyplot_figure_is_created():
    with creates_no_pyplot_figure():
        NetworkSizeExplorer(timesteps=200).slider.value = 9


def test_importing_the_modules_draws_and_displays_nothing():
    assert_runs_silently_in_a_fresh_process(
        "import sys, nmacausal.widgets.correlation, nmacausal.plotting.sweeps\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )


def test_explorer_displays_as_its_widget(size_explorer):
    assert_displays_as_its_widget(size_explorer)


@pytest.mark.parametrize(
    ("attribute", "css_class"),
    [
        ("slider", "nmacausal-correlation-slider"),
        ("figure_output", "nmacausal-correlation-figure"),
    ],
)
def test_controls_carry_their_css_classes(sparsity_explorer, attribute, css_class):
    assert css_class in getattr(sparsity_explorer, attribute)._dom_classes


# --- Bad arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("explorer_class", "options", "error", "match"),
    [
        (NetworkSizeExplorer, {"n_neurons": 5}, ValueError, r"`n_neurons` must be an integer >= 6"),
        (
            NetworkSizeExplorer,
            {"n_neurons": 43},
            ValueError,
            r"`n_neurons` must be an integer <= 42",
        ),
        (NetworkSizeExplorer, {"n_neurons": 6.0}, TypeError, r"`n_neurons` must be an integer"),
        (NetworkSizeExplorer, {"timesteps": 2}, ValueError, r"`timesteps` must be an integer >= 3"),
        (NetworkSizeExplorer, {"random_state": -1}, ValueError, r"`random_state` must be an in"),
        (NetworkSizeExplorer, {"random_state": None}, TypeError, r"`random_state` must be an in"),
        (SparsityExplorer, {"p": 0.0}, ValueError, r"`p` must be a sparsity from 0.01 to 0.99"),
        (SparsityExplorer, {"p": 1}, ValueError, r"`p` must be a sparsity from 0.01 to 0.99"),
        (SparsityExplorer, {"p": float("nan")}, ValueError, r"`p` must be a sparsity"),
        (SparsityExplorer, {"p": "0.9"}, TypeError, r"`p` must be a number"),
        (SparsityExplorer, {"p": True}, TypeError, r"`p` must be a number"),
        (SparsityExplorer, {"n_neurons": 1}, ValueError, r"`n_neurons` must be an integer >= 2"),
        (SparsityExplorer, {"n_neurons": 61}, ValueError, r"`n_neurons` must be an integer <= 60"),
        (SparsityExplorer, {"timesteps": 20_001}, ValueError, r"`timesteps` must be an integer <="),
    ],
)
def test_bad_arguments_are_refused(explorer_class, options, error, match):
    with pytest.raises(error, match=match):
        explorer_class(**options)


def test_arguments_are_keyword_only():
    with pytest.raises(TypeError):
        NetworkSizeExplorer(6)
