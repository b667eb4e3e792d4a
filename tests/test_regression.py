"""Tutorial 3's regression estimates against a plain transcription of the tutorial.

The transcription fits one Lasso per neuron in worker processes, as the
tutorial does (about 15 s in all here); each of its results is computed once,
in a module-scoped fixture, and compared with the library's from there.
"""

import math
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pytest
import tutorial3_transcript as tutorial
from global_stream import assert_refused_before_drawing, global_state
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso

from nmacausal.model.correlation import correlation_for_all_neurons, get_sys_corr
from nmacausal.model.regression import (
    OBSERVED_RATIOS,
    TUTORIAL_ALPHA,
    TUTORIAL_REGRESSION_ARGS,
    RegressionFit,
    fit_regression_connectivity,
    get_regression_corr_full_connectivity,
    get_regression_estimate,
    get_regression_estimate_full_connectivity,
    logit,
    sweep_observed_fraction,
)
from nmacausal.model.simulation import create_connectivity, sigmoid, simulate_neurons

# Our shared-Gram fit against the tutorial's one Lasso per neuron: the same cyclic
# coordinate descent, rounded differently (measured: about 2e-13 at most).
COEFFICIENT_TOLERANCE = 1e-6
# Correlations computed from those coefficients (measured: about 3e-14 apart).
CORRELATION_TOLERANCE = 1e-10

# The exercise's data: 50 neurons, 10000 steps, seed 42.
N_NEURONS, TIMESTEPS = 50, 10000
DEMO_POSITIONS = range(5, 50, 5)  # Interactive Demo 3's slider n_observed: 5, 10, ..., 45


def silently(function, *args, **kwargs):
    """Call ``function`` and check it emits no warning at all (nbgrader counts stderr)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = function(*args, **kwargs)
    assert [str(warning.message) for warning in caught] == []
    return result


def transcribed(function, *args):
    """Run a transcribed function; its fits may warn (in this process or in workers)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return function(*args)


def targets_and_regressors(X):
    return X[:, :-1].T, np.log(X[:, 1:] / (1 - X[:, 1:])).T


@pytest.fixture(scope="module")
def exercise_data():
    A = create_connectivity(N_NEURONS, 42)
    return A, simulate_neurons(A, TIMESTEPS)


@pytest.fixture(scope="module")
def tutorial_fit(exercise_data):
    """Our fit with the tutorial's settings on the exercise's data."""
    return silently(fit_regression_connectivity, exercise_data[1])


@pytest.fixture(scope="module")
def transcribed_full_estimate(exercise_data):
    """The tutorial's MultiOutputRegressor on the exercise's data (about 3 s)."""
    return transcribed(tutorial.get_regression_estimate_full_connectivity, exercise_data[1])


@pytest.fixture(scope="module")
def per_neuron_fits(exercise_data):
    """The tutorial's Lasso for each neuron, in this process so that its warnings show.

    For each neuron: the coefficients, the iterations run and whether scikit-learn
    warned that the fit stopped at ``max_iter`` before converging.
    """
    regressors, targets = targets_and_regressors(exercise_data[1])
    fits = []
    for i in range(N_NEURONS):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lasso = Lasso(fit_intercept=False, alpha=0.01, max_iter=250, random_state=0)
            lasso.fit(regressors, targets[:, i])
        warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
        fits.append((lasso.coef_, lasso.n_iter_, warned))
    return fits


@pytest.fixture(scope="module")
def demo_data():
    A = create_connectivity(N_NEURONS, random_state=42)
    return A, simulate_neurons(A, 4000, random_state=42)


@pytest.fixture(scope="module")
def transcribed_sweep():
    """The tutorial's sweep (about 8 s): its corr_data, every sel_V it fitted, the stream after."""
    estimates = []
    original = tutorial.get_regression_corr_full_connectivity

    def spy(*args):
        corr, sel_V = original(*args)
        estimates.append(sel_V)
        return corr, sel_V

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tutorial, "get_regression_corr_full_connectivity", spy)
        with np.errstate(invalid="ignore", divide="ignore"):  # its NaN point
            corr_data = transcribed(tutorial.observed_fraction_sweep)
    return corr_data, estimates, global_state()


# --- The tutorial's printed numbers ----------------------------------------------------------


def test_exercise_reproduces_the_printed_regression_number(exercise_data):
    A, X = exercise_data
    np.random.seed(7)
    expected_V = transcribed(tutorial.get_regression_estimate, X, 1)
    expected_state = global_state()  # the tutorial's Lasso draws one number from the stream
    np.random.seed(7)
    V = silently(get_regression_estimate, X, 1)
    assert global_state() == expected_state
    assert V.shape == (N_NEURONS,)
    assert np.array_equal(V, np.ravel(expected_V))  # the tutorial's own numbers, bit for bit
    corr = np.corrcoef(A[1, :], V)[1, 0]
    # Printed by the tutorial ("... with true connectivity: 0.865"); the full value was
    # computed once by tests/tutorial3_transcript.py (NumPy 2.4.6, scikit-learn 1.9.1).
    assert f"{corr:.3f}" == "0.865"
    np.testing.assert_allclose(corr, 0.8646714458556629, rtol=1e-12, atol=0)


def test_the_printed_lagged_correlation_is_the_whole_matrix_one(exercise_data):
    # The tutorial prints get_sys_corr(n_neurons, timesteps, random_state, neuron_idx=1):
    # 0.703. Its get_sys_corr ignores neuron_idx, so that is the correlation over the whole
    # matrix; the full value was computed once by tests/tutorial3_transcript.py.
    corr = get_sys_corr(N_NEURONS, TIMESTEPS, 42)
    assert f"{corr:.3f}" == "0.703"
    np.testing.assert_allclose(corr, 0.7031267050726724, rtol=1e-12, atol=0)
    # The like-for-like number for neuron 1's incoming connections, which the regression
    # estimates, is higher; regression still wins.
    A, X = exercise_data
    R = correlation_for_all_neurons(X)
    one_neuron = np.corrcoef(A[1, :], R[1, :])[1, 0]
    np.testing.assert_allclose(one_neuron, 0.7273241264527615, rtol=1e-12, atol=0)
    assert corr < one_neuron < 0.8646714458556629


# --- Agreement with the tutorial's MultiOutputRegressor -------------------------------------


def test_full_estimate_agrees_with_the_tutorials(exercise_data, transcribed_full_estimate):
    V = silently(get_regression_estimate_full_connectivity, exercise_data[1])
    assert V.shape == (N_NEURONS, N_NEURONS)
    assert np.abs(V - transcribed_full_estimate).max() < COEFFICIENT_TOLERANCE
    assert np.array_equal(V == 0, transcribed_full_estimate == 0)  # the same sparsity pattern


def test_fit_reports_each_neurons_iterations_and_convergence(tutorial_fit, per_neuron_fits):
    assert isinstance(tutorial_fit, RegressionFit)
    coefficients, n_iter, warned = zip(*per_neuron_fits, strict=True)
    assert np.abs(tutorial_fit.V - np.array(coefficients)).max() < COEFFICIENT_TOLERANCE
    assert tutorial_fit.n_iter.tolist() == list(n_iter)
    # A fit is reported unconverged exactly where scikit-learn warned on its own.
    assert (~tutorial_fit.converged).tolist() == list(warned)
    assert not tutorial_fit.intercept.any()


def test_most_fits_stop_at_the_tutorials_cap(tutorial_fit):
    # 36 of the 50 fits run all 250 iterations; 16 of them meet the tolerance on the
    # last one, 20 do not (the tutorial's 20 ConvergenceWarnings, which it hides).
    assert int((tutorial_fit.n_iter == 250).sum()) == 36
    assert int((~tutorial_fit.converged).sum()) == 20
    assert tutorial_fit.converged[tutorial_fit.n_iter < 250].all()


def test_demo_agrees_with_the_tutorials_at_every_slider_position(demo_data):
    A, X = demo_data
    for n_observed in DEMO_POSITIONS:
        expected_corr, expected_V = transcribed(tutorial.observed_demo, X, A, n_observed)
        corr, sel_V = silently(
            get_regression_corr_full_connectivity,
            N_NEURONS, A, X, n_observed / N_NEURONS, TUTORIAL_REGRESSION_ARGS,
        )  # fmt: skip
        assert sel_V.shape == (n_observed, n_observed)
        assert np.abs(sel_V - expected_V).max() < COEFFICIENT_TOLERANCE
        assert corr == pytest.approx(expected_corr, rel=0, abs=CORRELATION_TOLERANCE)


def test_sweep_is_the_tutorials_figure(transcribed_sweep):
    expected, _, expected_state = transcribed_sweep
    np.random.seed(1)
    quality = silently(sweep_observed_fraction, regression_args=TUTORIAL_REGRESSION_ARGS)
    assert quality.shape == (3, len(OBSERVED_RATIOS))
    np.testing.assert_allclose(quality, expected, rtol=0, atol=CORRELATION_TOLERANCE)
    # Seed 2 draws no connection among the first 6 neurons: NaN there, as in the tutorial.
    assert np.isnan(quality).tolist() == [[False] * 5, [False] * 5, [False] * 4 + [True]]
    # The stream ends where the last simulation left it: our fits draw nothing from it.
    # The tutorial's ran in worker processes, which leave it alone too (with one CPU they
    # would run here and draw from it).
    after_sweep = global_state()
    simulate_neurons(create_connectivity(N_NEURONS, random_state=2), 5000)
    assert after_sweep == global_state()
    if joblib.effective_n_jobs(-1) > 1:
        assert after_sweep == expected_state
    # Its defaults are the tutorial's settings.
    np.testing.assert_array_equal(sweep_observed_fraction(), quality)


def test_sweep_estimates_agree_with_the_tutorials(transcribed_sweep):
    _, estimates, _ = transcribed_sweep
    assert len(estimates) == 3 * len(OBSERVED_RATIOS)
    for trial in range(3):
        A = create_connectivity(N_NEURONS, random_state=trial)
        X = simulate_neurons(A, 5000)
        for j, ratio in enumerate(OBSERVED_RATIOS):
            n_observed = int(N_NEURONS * ratio)
            V = fit_regression_connectivity(X[:n_observed], TUTORIAL_REGRESSION_ARGS).V
            expected = estimates[trial * len(OBSERVED_RATIOS) + j]
            assert np.abs(V - expected).max() < COEFFICIENT_TOLERANCE


# The tutorial's sweep (tests/tutorial3_transcript.py, observed_fraction_sweep(), 7.5 s):
# rows are trials (seeds) 0-2, columns the ratios 1, 0.75, 0.5, 0.25, 0.12.
RECORDED_SWEEP = [
    [0.706684163697618, 0.6973127908538921, 0.6402211624536907, 0.49275349003981905,
     0.3545723212530476],
    [0.7302426026884383, 0.7032784251050869, 0.710916038086523, 0.6102465623599982,
     0.5182953217330097],
    [0.6922355310638612, 0.6734064527547031, 0.6665022374236883, 0.5820496739466461, np.nan],
]  # fmt: skip


def test_sweep_recorded_values():
    quality = sweep_observed_fraction()
    np.testing.assert_allclose(quality, RECORDED_SWEEP, rtol=0, atol=CORRELATION_TOLERANCE)
    np.testing.assert_allclose(
        np.nanmean(quality, axis=0),
        [0.7097207658166392, 0.691332556237894, 0.6725464793213006, 0.5616832421154877,
         0.4364338214930287],
        rtol=0, atol=CORRELATION_TOLERANCE,
    )  # fmt: skip


# --- The exercise and the whole-network fit --------------------------------------------------


def test_single_neuron_estimate_is_a_row_of_the_full_fit(exercise_data):
    X = exercise_data[1]
    full = fit_regression_connectivity(X, {"alpha": TUTORIAL_ALPHA, "fit_intercept": False})
    assert full.n_iter.max() <= 1000 and full.converged.all()
    slowest = int(np.argmax(full.n_iter))  # it needs all 1000 iterations
    assert full.n_iter[slowest] == 1000
    for neuron in (0, 1, slowest, N_NEURONS - 1):
        V = get_regression_estimate(X, neuron)
        assert np.abs(V - full.V[neuron]).max() < COEFFICIENT_TOLERANCE


@settings(max_examples=25, deadline=None)
@given(
    n_neurons=st.integers(min_value=1, max_value=8),
    timesteps=st.integers(min_value=3, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    data=st.data(),
)
def test_single_neuron_estimate_is_the_tutorials_on_any_recording(n_neurons, timesteps, seed, data):
    X = np.random.default_rng(seed).uniform(0.01, 0.99, (n_neurons, timesteps))
    neuron = data.draw(st.integers(min_value=0, max_value=n_neurons - 1))
    np.random.seed(seed)
    expected = np.ravel(transcribed(tutorial.get_regression_estimate, X, neuron))
    expected_state = global_state()
    np.random.seed(seed)
    actual = get_regression_estimate(X, neuron)
    assert np.array_equal(actual, expected)
    assert global_state() == expected_state
    full = fit_regression_connectivity(X, {"alpha": TUTORIAL_ALPHA, "fit_intercept": False})
    assert np.abs(full.V[neuron] - actual).max() < COEFFICIENT_TOLERANCE


def test_whole_network_fits_leave_the_global_stream_alone(exercise_data, demo_data):
    np.random.seed(3)
    before = global_state()
    fit_regression_connectivity(exercise_data[1][:10, :500])
    get_regression_estimate_full_connectivity(exercise_data[1][:10, :500])
    get_regression_corr_full_connectivity(N_NEURONS, *demo_data, 0.5)
    assert global_state() == before


def test_estimate_has_the_orientation_of_A():
    rng = np.random.default_rng(0)
    drive = rng.uniform(0.05, 0.95, 800)
    # Neuron 1's logit at t + 1 is 3 * neuron 0 at t; neurons 0 and 2 are noise.
    X = np.vstack([drive, np.roll(sigmoid(3 * drive), 1), rng.uniform(0.05, 0.95, 800)])
    V = get_regression_estimate_full_connectivity(X, {"alpha": 1e-4, "fit_intercept": False})
    assert V[1, 0] == pytest.approx(3, abs=0.01)
    assert abs(V[1, 1]) < 0.01 and abs(V[1, 2]) < 0.01 and abs(V[0, 1]) < 0.5


def test_first_timestep_is_only_a_regressor():
    X = np.random.default_rng(1).uniform(0.1, 0.9, (4, 50))
    X[:, 0] = 0.0  # simulate_neurons' initial state
    X[2, 0] = 1.0
    assert fit_regression_connectivity(X).V.shape == (4, 4)
    assert get_regression_estimate(X, 2).shape == (4,)


def test_a_single_neuron_network():
    X = np.random.default_rng(2).uniform(0.1, 0.9, (1, 30))
    fit = fit_regression_connectivity(X, {"alpha": 1e-3, "fit_intercept": False})
    assert fit.V.shape == (1, 1) and fit.n_iter.shape == fit.converged.shape == (1,)


# --- regression_args -------------------------------------------------------------------------


def test_tutorial_settings_are_read_only():
    assert dict(TUTORIAL_REGRESSION_ARGS) == {
        "fit_intercept": False, "alpha": 0.01, "max_iter": 250
    }  # fmt: skip
    assert TUTORIAL_ALPHA == 0.01
    assert OBSERVED_RATIOS == (1, 0.75, 0.5, 0.25, 0.12)
    with pytest.raises(TypeError):
        TUTORIAL_REGRESSION_ARGS["alpha"] = 0.1


def test_a_smaller_penalty_gives_a_denser_estimate(exercise_data, tutorial_fit):
    smaller_penalty = {**TUTORIAL_REGRESSION_ARGS, "alpha": 0.001}
    denser = fit_regression_connectivity(exercise_data[1], smaller_penalty)
    assert np.count_nonzero(denser.V) > np.count_nonzero(tutorial_fit.V)
    assert np.abs(denser.V - tutorial_fit.V).max() > 0.01


def test_max_iter_is_honoured(exercise_data, tutorial_fit):
    X = exercise_data[1]
    longer = fit_regression_connectivity(X, {**TUTORIAL_REGRESSION_ARGS, "max_iter": 2000})
    assert longer.n_iter.max() > 250 and longer.converged.all()
    assert (longer.n_iter >= tutorial_fit.n_iter).all()
    shorter = fit_regression_connectivity(X, {**TUTORIAL_REGRESSION_ARGS, "max_iter": 10})
    assert shorter.n_iter.max() == 10
    assert (~shorter.converged).sum() > (~tutorial_fit.converged).sum()


def test_an_intercept_is_fitted_and_kept_apart(exercise_data):
    X = exercise_data[1][:10, :2000]
    with_intercept = fit_regression_connectivity(X, {"alpha": 0.01, "fit_intercept": True})
    assert with_intercept.intercept.shape == (10,) and with_intercept.intercept.all()
    regressors, targets = targets_and_regressors(X)
    lasso = Lasso(alpha=0.01, fit_intercept=True).fit(regressors, targets[:, 3])
    assert np.abs(with_intercept.V[3] - lasso.coef_).max() < COEFFICIENT_TOLERANCE
    assert with_intercept.intercept[3] == pytest.approx(lasso.intercept_, abs=1e-6)


def test_precompute_false_gives_the_same_numbers(exercise_data):
    X = exercise_data[1][:20, :3000]
    gram = fit_regression_connectivity(X)
    plain = fit_regression_connectivity(X, {**TUTORIAL_REGRESSION_ARGS, "precompute": False})
    assert np.abs(gram.V - plain.V).max() < COEFFICIENT_TOLERANCE
    assert gram.n_iter.tolist() == plain.n_iter.tolist()


def test_inputs_are_not_modified(exercise_data):
    X = exercise_data[1][:5, :300].copy()
    before = X.copy()
    fit_regression_connectivity(X, {"alpha": 0.01, "fit_intercept": True, "copy_X": False})
    get_regression_estimate(X, 0)
    assert np.array_equal(X, before)


def test_corr_and_sweep_honour_regression_args(demo_data):
    A, X = demo_data
    tutorial_corr, _ = get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.5, None)
    notebook_args = {"fit_intercept": False, "alpha": 0.001}  # what the notebook passes
    corr, sel_V = get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.5, notebook_args)
    assert corr != pytest.approx(tutorial_corr, abs=1e-3)
    assert np.array_equal(sel_V, fit_regression_connectivity(X[:25], notebook_args).V)
    small = {"n_neurons": 20, "timesteps": 500, "n_trials": 1}
    sweep = sweep_observed_fraction([0.5], **small, regression_args=notebook_args)
    default = sweep_observed_fraction([0.5], **small)
    assert sweep[0, 0] != pytest.approx(default[0, 0], abs=1e-3)


# --- logit -----------------------------------------------------------------------------------


@given(st.floats(min_value=-15, max_value=15))
def test_logit_inverts_the_sigmoid(value):
    # 1 - sigmoid(15) is 3e-7: a rounding of sigmoid's output moves logit by 4e-10 there.
    assert logit(sigmoid(value)) == pytest.approx(value, abs=1e-8)


def test_logit_keeps_the_shape():
    values = np.full((2, 3), 0.5)
    assert logit(values).shape == (2, 3) and not logit(values).any()
    assert np.ndim(logit(0.25)) == 0
    assert logit([]).shape == (0,)
    assert math.isclose(float(logit(np.float32(0.75))), math.log(3), rel_tol=1e-6)


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (0.0, ValueError, "`x` must lie strictly between 0 and 1 .*got 0.0"),
        (1, ValueError, "`x` must lie strictly between 0 and 1 .*got 1.0"),
        (1.5, ValueError, "got 1.5"),
        (float("nan"), ValueError, "got nan"),
        ([0.5, 1.0], ValueError, "1 of its 2 entries do not; the first is x\\[1\\] = 1.0"),
        ([[0.5, 0.0], [-1, 0.5]], ValueError, "2 of its 4 entries .* x\\[0, 1\\] = 0.0"),
        ([0.2, np.nan], ValueError, "x\\[1\\] = nan"),
        ("half", TypeError, "`x` must be a real number"),
        (["0.5"], TypeError, "`x` must be a real number"),
        (None, TypeError, "`x` must be a real number"),
        (0.5 + 0.1j, TypeError, "`x` must be a real number"),
        ({"a": 0.5}, TypeError, "`x` must be a real number"),
    ],
)
def test_logit_refuses_values_outside_the_open_interval(x, error, message):
    with pytest.raises(error, match=message):
        logit(x)


# --- An undefined correlation: NaN in the tutorial, an explicit answer here ------------------


def test_corr_explains_an_undefined_correlation(demo_data, recwarn):
    A, X = demo_data
    with pytest.raises(
        ValueError, match="only the first of the 50 neurons is observed.*single entry"
    ):
        get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.01, None)
    empty = A.copy()
    empty[:10, :10] = 0
    with pytest.raises(ValueError, match="A\\[:10, :10\\] has no connection among them"):
        get_regression_corr_full_connectivity(N_NEURONS, empty, X, 0.2, None)
    uniform = np.full_like(A, 0.02)
    with pytest.raises(ValueError, match="the same weight everywhere"):
        get_regression_corr_full_connectivity(N_NEURONS, uniform, X, 0.2, None)
    with pytest.raises(ValueError, match="estimated connectivity V is the same everywhere"):
        get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.5, {"alpha": 100.0})
    assert len(recwarn) == 0


def test_sweep_marks_undefined_points_nan_without_warnings():
    quality = silently(sweep_observed_fraction, [1, 0.01], n_neurons=10, timesteps=300, n_trials=2)
    assert np.isnan(quality).tolist() == [[False, True], [False, True]]
    hopeless = silently(
        sweep_observed_fraction, [1], n_neurons=10, timesteps=300, n_trials=1,
        regression_args={"alpha": 100.0},
    )  # fmt: skip
    assert np.isnan(hopeless).all()


def test_tutorial_data_raises_no_warning(demo_data):
    A, X = demo_data
    silently(logit, X[:, 1:])
    for ratio in OBSERVED_RATIOS:
        silently(get_regression_corr_full_connectivity, N_NEURONS, A, X, ratio, None)


# --- Bad input -------------------------------------------------------------------------------

GOOD_X = np.random.default_rng(0).uniform(0.1, 0.9, (4, 20))


def with_value(row, step, value):
    X = GOOD_X.copy()
    X[row, step] = value
    return X


# (X, the neuron whose activity is wrong, error, message)
BAD_ACTIVITY = [
    ("abc", 0, TypeError, "`X` must be a numeric array"),
    (None, 0, TypeError, "`X` must be a numeric array"),
    (np.full(20, 0.5), 0, ValueError, "`X` must be a 2-D array"),
    (np.full((2, 3, 4), 0.5), 0, ValueError, "`X` must be a 2-D array"),
    (GOOD_X[:, :2], 0, ValueError, "`X` must have at least 3 timesteps"),
    (with_value(2, 4, np.nan), 2, ValueError, "`X` must contain only finite numbers"),
    (with_value(3, 5, 1.0), 3, ValueError, "X\\[3, 5\\] = 1.0 \\(neuron 3, timestep 5\\)"),
    (with_value(0, 19, 0.0), 0, ValueError, "strictly between 0 and 1 .* X\\[0, 19\\] = 0.0"),
    (with_value(1, 7, -0.5), 1, ValueError, "X\\[1, 7\\] = -0.5"),
]


@pytest.mark.parametrize(("X", "neuron", "error", "message"), BAD_ACTIVITY)
def test_whole_network_fits_refuse_bad_activity(X, neuron, error, message):
    with pytest.raises(error, match=message):
        fit_regression_connectivity(X)
    with pytest.raises(error, match=message):
        get_regression_estimate_full_connectivity(X)


@pytest.mark.parametrize(("X", "neuron", "error", "message"), BAD_ACTIVITY)
def test_single_neuron_estimate_refuses_bad_activity(X, neuron, error, message):
    with pytest.raises(error, match=message):
        get_regression_estimate(X, neuron)


def test_single_neuron_estimate_checks_only_its_own_targets():
    X = with_value(3, 5, 1.0)
    assert get_regression_estimate(X, 0).shape == (4,)


def test_corr_checks_only_the_observed_neurons(demo_data):
    A, X = demo_data
    X = X.copy()
    X[30, 100] = 1.0
    corr, _ = get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.5, None)
    assert np.isfinite(corr)
    with pytest.raises(ValueError, match="X\\[30, 100\\] = 1.0"):
        get_regression_corr_full_connectivity(N_NEURONS, A, X, 0.75, None)


def test_bad_values_are_counted():
    X = GOOD_X.copy()
    X[1, 3:6] = 1.0
    with pytest.raises(ValueError, match="X\\[1, 3\\] = 1.0 .* \\(3 values are outside"):
        fit_regression_connectivity(X)


@pytest.mark.parametrize(
    ("neuron_idx", "error", "message"),
    [
        (4, ValueError, "`neuron_idx` must be an integer <= 3"),
        (-1, ValueError, "`neuron_idx` must be an integer >= 0"),
        (True, TypeError, "`neuron_idx` must be an integer"),
        (1.0, TypeError, "`neuron_idx` must be an integer.*use 1 rather than 1.0"),
        ("1", TypeError, "`neuron_idx` must be an integer"),
    ],
)
def test_single_neuron_estimate_refuses_a_bad_neuron(neuron_idx, error, message):
    with pytest.raises(error, match=message):
        get_regression_estimate(GOOD_X, neuron_idx)


def test_single_neuron_estimate_takes_numpy_integers():
    expected = get_regression_estimate(GOOD_X, 2)
    assert np.array_equal(get_regression_estimate(GOOD_X, np.int64(2)), expected)


BAD_REGRESSION_ARGS = [
    ([("alpha", 0.01)], TypeError, "`regression_args` must be a mapping of Lasso keyword"),
    ("alpha=0.01", TypeError, "`regression_args` must be a mapping"),
    (0.01, TypeError, "`regression_args` must be a mapping"),
    ({"alpha": 0.01, "n_jobs": -1}, ValueError, "'n_jobs', which Lasso does not take; .*alpha"),
    ({"lambda": 1, 3: 4}, ValueError, "'lambda', 3, which Lasso does not take"),
    ({"alpha": -1.0}, ValueError, "`regression_args`: The 'alpha' parameter of Lasso"),
    ({"alpha": "0.01"}, TypeError, "`regression_args`: The 'alpha' parameter of Lasso"),
    ({"max_iter": 0}, ValueError, "`regression_args`: The 'max_iter' parameter"),
]


@pytest.mark.parametrize(("regression_args", "error", "message"), BAD_REGRESSION_ARGS)
def test_fits_refuse_bad_regression_args(regression_args, error, message):
    with pytest.raises(error, match=message):
        fit_regression_connectivity(GOOD_X, regression_args)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((50, "A", "X", 0), ValueError, "`observed_ratio` must be a fraction in \\(0, 1\\], got 0"),
        ((50, "A", "X", 1.5), ValueError, "`observed_ratio` .*got 1.5"),
        ((50, "A", "X", -0.5), ValueError, "`observed_ratio` .*got -0.5"),
        ((50, "A", "X", float("nan")), ValueError, "`observed_ratio` .*got nan"),
        ((50, "A", "X", "half"), TypeError, "`observed_ratio` must be a number in \\(0, 1\\]"),
        ((50, "A", "X", None), TypeError, "`observed_ratio` must be a number"),
        ((50, "A", "X", True), TypeError, "`observed_ratio` must be a number"),
        ((50, "A49", "X", 0.5), ValueError, "`A` must be the \\(50, 50\\) connectivity"),
        ((50, "A_rect", "X", 0.5), ValueError, "`A` must be a square"),
        ((50, "A", "X49", 0.5), ValueError, "`X` must hold the activity of the `n_neurons` = 50"),
        ((50, "A", "X_short", 0.5), ValueError, "`X` must have at least 3 timesteps"),
        ((49, "A", "X", 0.5), ValueError, "`A` must be the \\(49, 49\\)"),
        ((1, "A", "X", 0.5), ValueError, "`n_neurons` must be an integer >= 2"),
        ((50.0, "A", "X", 0.5), TypeError, "`n_neurons` must be an integer"),
    ],
)
def test_corr_refuses_bad_arguments(demo_data, args, error, message):
    A, X = demo_data
    arrays = {
        "A": A, "A49": A[:49, :49], "A_rect": A[:, :49],
        "X": X, "X49": X[:49], "X_short": X[:, :2],
    }  # fmt: skip
    n_neurons, a, x, ratio = args
    with pytest.raises(error, match=message):
        get_regression_corr_full_connectivity(n_neurons, arrays[a], arrays[x], ratio, None)


@pytest.mark.parametrize(("regression_args", "error", "message"), BAD_REGRESSION_ARGS)
def test_corr_refuses_bad_regression_args(demo_data, regression_args, error, message):
    with pytest.raises(error, match=message):
        get_regression_corr_full_connectivity(N_NEURONS, *demo_data, 0.5, regression_args)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"ratios": [0.5, 0]},
            ValueError,
            "`ratios` must hold fractions in \\(0, 1\\], got ratios\\[1\\] = 0.0",
        ),
        ({"ratios": [1.5]}, ValueError, "ratios\\[0\\] = 1.5"),
        ({"ratios": [0.5, np.nan]}, ValueError, "`ratios` must contain only finite"),
        ({"ratios": []}, ValueError, "`ratios` must not be empty"),
        ({"ratios": "0.5"}, TypeError, "`ratios` must be a numeric array"),
        ({"ratios": 0.5}, ValueError, "`ratios` must be a 1-D array"),
        ({"n_neurons": 1}, ValueError, "`n_neurons` must be an integer >= 2"),
        ({"timesteps": 2}, ValueError, "`timesteps` must be an integer >= 3"),
        ({"n_trials": 0}, ValueError, "`n_trials` must be an integer >= 1"),
        ({"n_trials": 1.0}, TypeError, "`n_trials` must be an integer"),
        ({"regression_args": {"tol": -1}}, ValueError, "`regression_args`: The 'tol'"),
        ({"regression_args": ["alpha"]}, TypeError, "`regression_args` must be a mapping"),
    ],
)
def test_sweep_refuses_bad_arguments_before_drawing(kwargs, error, message):
    assert_refused_before_drawing(lambda: sweep_observed_fraction(**kwargs), error, message)


def test_importing_nmacausal_leaves_scikit_learn_until_a_regression_runs():
    # scikit-learn takes about a second to import; notebooks, checkers and grading
    # kernels of the other tutorials should not pay for it.
    code = (
        "import sys, nmacausal, nmacausal.checks\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn imported'\n"
        "nmacausal.get_regression_estimate_full_connectivity(\n"
        "    nmacausal.simulate_neurons(nmacausal.create_connectivity(3), 20))\n"
        "assert 'sklearn' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
