"""Tutorial 2's correlation estimates against a plain transcription of the tutorial."""

import math
import warnings

import numpy as np
import pytest
import tutorial2_transcript as tutorial
from global_stream import assert_refused_before_drawing, global_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmacausal.model.correlation import (
    COARSE_GROUPS,
    NETWORK_SIZES,
    SPARSITIES,
    compute_connectivity_from_single_neuron,
    correlation_for_all_neurons,
    get_coarse_corr,
    get_sys_corr,
    sweep_coarse_graining,
    sweep_network_size,
    sweep_sparsity,
)
from nmacausal.model.simulation import create_connectivity, simulate_neurons

FIDELITY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def recordings(*, max_neurons, max_timesteps, min_neurons=1):
    """Strategies for ``n_neurons``, ``timesteps`` (3 at least: two lagged pairs) and ``seed``."""
    return {
        "n_neurons": st.integers(min_value=min_neurons, max_value=max_neurons),
        "timesteps": st.integers(min_value=3, max_value=max_timesteps),
        "seed": seeds,
    }


def quietly(function, *args, **kwargs):
    """Run a transcribed function; the tutorial warns (0 / 0) on an empty network."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(*args, **kwargs)


def assert_recorded(actual, recorded):
    """Compare with a number recorded from the transcription on another run.

    The recorded values come from ``tests/tutorial2_transcript.py`` run once
    with NumPy 2.4.6 and OpenBLAS 0.3.31 (its AVX-512 kernel), where ours is
    bit-identical to them. Their last bits depend on the BLAS kernel that
    computes ``np.corrcoef``'s matrix product (with the Haswell kernel the
    100-neuron value is the tutorial's printed ...816), hence the tolerance,
    far below any real change (a different seed moves the second digit).
    NaN must match NaN.
    """
    np.testing.assert_allclose(actual, recorded, rtol=1e-12, atol=0)


def activity(n_neurons, timesteps, seed):
    """A random recording (no row is constant)."""
    return np.random.default_rng(seed).random((n_neurons, timesteps))


# --- Bit-identity with the tutorial, and the same global stream ----------------------------


@FIDELITY
@given(**recordings(max_neurons=12, max_timesteps=80))
def test_correlation_for_all_neurons_is_the_tutorials_bit_for_bit(n_neurons, timesteps, seed):
    X = activity(n_neurons, timesteps, seed)
    before = X.copy()
    R = correlation_for_all_neurons(X)
    assert np.array_equal(R, tutorial.correlation_for_all_neurons(X))
    assert np.array_equal(X, before)  # the input is not centred in place
    assert R.base is None  # a copy: the (2n, 2n) matrix is not kept alive


@FIDELITY
@given(**recordings(max_neurons=12, max_timesteps=80), data=st.data())
def test_single_neuron_estimate_is_the_tutorials_bit_for_bit(n_neurons, timesteps, seed, data):
    X = activity(n_neurons, timesteps, seed)
    selected = data.draw(st.integers(min_value=0, max_value=n_neurons - 1))
    expected = tutorial.compute_connectivity_from_single_neuron(X, selected)
    assert np.array_equal(compute_connectivity_from_single_neuron(X, selected), expected)


@FIDELITY
@given(
    n_neurons=st.integers(min_value=1, max_value=30),
    seed=seeds,
    p=st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.99, 1.0]), st.floats(0, 1)),
)
def test_create_connectivity_with_p_is_tutorial_2s_draw(n_neurons, seed, p):
    expected = quietly(tutorial.create_connectivity, n_neurons, seed, p)
    expected_state = global_state()
    np.random.seed(seed ^ 0x5A5A)
    actual = create_connectivity(n_neurons, seed, p)
    assert global_state() == expected_state
    if np.isnan(expected).all():  # the tutorial's 0 / 0
        assert not actual.any()
    else:
        assert np.array_equal(actual, expected)


@pytest.mark.parametrize("n_neurons", [6, 25, 100])
def test_default_p_keeps_tutorial_1s_draw(n_neurons):
    np.random.seed(42)
    tutorial_1 = np.random.choice([0, 1], size=(n_neurons, n_neurons), p=[0.9, 0.1])
    assert np.array_equal(create_connectivity(n_neurons) > 0, tutorial_1 == 1)


@FIDELITY
@given(**recordings(min_neurons=2, max_neurons=10, max_timesteps=150))
def test_get_sys_corr_is_the_tutorials_and_leaves_the_same_stream(n_neurons, timesteps, seed):
    expected = quietly(tutorial.get_sys_corr, n_neurons, timesteps, seed)
    expected_state = global_state()
    np.random.seed(seed ^ 0x5A5A)
    if np.isnan(expected):  # a network without connections: the tutorial's NaN
        # No connection at all, or, for 2 timesteps of pairs, a constant estimate.
        with pytest.raises(ValueError, match="undefined"):
            get_sys_corr(n_neurons, timesteps, seed)
    else:
        assert get_sys_corr(n_neurons, timesteps, seed) == expected
    assert global_state() == expected_state


def test_get_sys_corr_six_neurons_is_the_tutorials_printed_number():
    expected = tutorial.get_sys_corr(6, 5000)
    expected_state = global_state()
    actual = get_sys_corr(6, 5000)
    assert actual == expected
    assert global_state() == expected_state
    # Printed by the tutorial ("Correlation matrix of A and R: 0.9596667994046594").
    assert_recorded(actual, 0.9596667994046594)


def test_get_sys_corr_hundred_neurons_recorded_number():
    # tutorial2_transcript.get_sys_corr(100, 5000) gave 0.3629329824177819 here (2.2 s);
    # the tutorial printed 0.3629329824177816 with an older NumPy/BLAS, 5 units in the
    # last place lower: the same algorithm, another summation order in the BLAS.
    actual = get_sys_corr(100, 5000)
    assert_recorded(actual, 0.3629329824177819)
    assert abs(actual - 0.3629329824177816) <= 8 * math.ulp(actual)
    # The final state of the transcription: seed(42) then 4999 * 100 normals.
    keys = [3848702276, 2256857793, 2978390253, 542444221, 2531621305]
    assert global_state()[1][:5] == keys and global_state()[2:] == (312, 0, 0.0)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.9, 0.97, 1.0])
def test_sys_corr_with_p_is_the_sparsity_demos(p):
    expected = quietly(tutorial.sparsity_demo, p)
    expected_state = global_state()
    actual = sweep_sparsity([p])
    assert global_state() == expected_state
    np.testing.assert_array_equal(actual, [expected])  # NaN where the tutorial has NaN


@pytest.mark.parametrize("n_groups", [2, 4, 8, 16, 32])
def test_get_coarse_corr_is_the_tutorials_bit_for_bit(n_groups):
    A = create_connectivity(32, random_state=3)
    X = simulate_neurons(A, 400, random_state=3)
    corr, R, coarse_A = get_coarse_corr(n_groups, X, A)
    expected_corr, expected_R, expected_coarse_A = tutorial.get_coarse_corr(n_groups, X, A)
    assert corr == expected_corr
    assert np.array_equal(R, expected_R)
    assert np.array_equal(coarse_A, expected_coarse_A)


def test_sweep_network_size_is_the_tutorials_loop():
    sizes, timesteps, n_trials = [5, 7, 12], 150, 5
    expected = quietly(tutorial.estimation_quality_vs_n_neurons, sizes, n_trials, timesteps)
    expected_state = global_state()
    np.random.seed(1)
    actual = sweep_network_size(sizes, timesteps, n_trials)
    assert global_state() == expected_state
    np.testing.assert_array_equal(actual, expected)
    assert np.isnan(actual[2:4, 0]).all()  # seeds 2 and 3: no connection among 5 neurons


def test_sweep_coarse_graining_is_the_tutorials_loop():
    n_neurons, timesteps, n_trials = 32, 300, 3
    groups, expected = tutorial.coarse_sweep(n_neurons, timesteps, n_trials)
    expected_state = global_state()
    actual = sweep_coarse_graining(groups, n_neurons, timesteps, n_trials)
    assert global_state() == expected_state
    assert np.array_equal(actual, expected)


# --- The tutorial's figures, with numbers recorded from the transcription ------------------

# tutorial2_transcript.estimation_quality_vs_n_neurons([5, 10, 25, 50, 100], 5, 1000)
# (3.8 s); rows are trials (seeds) 0-4. NaN: seeds 2 and 3 draw no connection among 5 neurons.
RECORDED_SIZE_SWEEP = [
    [0.8194068120924988, 0.6323609325854889, 0.40529599851165526, 0.2923071116883216,
     0.18493146211213346],
    [0.8344108038432192, 0.7087306801128597, 0.470645276928195, 0.2624422134276473,
     0.1663228271852383],
    [np.nan, 0.6903655945575429, 0.42155661711782005, 0.24832858730234023,
     0.15854981216787872],
    [np.nan, 0.7357139573970758, 0.4759784072357475, 0.32424689780478516,
     0.17647191653832922],
    [0.9243566236110475, 0.639122570002518, 0.44265776054341655, 0.2865166820526536,
     0.1646844304940527],
]  # fmt: skip

# tutorial2_transcript.coarse_sweep(128, 5000, 3) (12.7 s); columns are groups 4, 8, 16, 32, 64.
RECORDED_COARSE_SWEEP = [
    [-0.05466442156099008, 0.238198167981285, 0.26493652046387217, 0.3001693609930679,
     0.2802776184175306],
    [0.24387040016401923, 0.20151101377819441, 0.29810084787989627, 0.2949371144631788,
     0.3184556131528058],
    [0.5274692645008285, 0.37180442460871027, 0.37310725768640135, 0.3173847015062937,
     0.30631840514057507],
]  # fmt: skip

# [tutorial2_transcript.sparsity_demo(p) for p in (0.01, 0.1, 0.5, 0.9, 0.99)] (of the
# 99 slider positions, 12.1 s for all).
RECORDED_SPARSITY = {
    0.01: 0.02556614798545152,
    0.1: 0.15610946880902313,
    0.5: 0.32922653500289684,
    0.9: 0.6243108563794167,
    0.99: 0.5025153375872574,
}


def test_size_sweep_reproduces_the_tutorials_figure():
    quality = sweep_network_size()
    assert quality.shape == (5, len(NETWORK_SIZES))
    assert_recorded(quality, RECORDED_SIZE_SWEEP)
    # The final state of the transcription's sweep (its last call: get_sys_corr(100, 1000, 4)).
    keys = [4265782018, 1662807339, 4192088088, 946589799, 491901467]
    assert global_state()[1][:5] == keys and global_state()[2:] == (84, 0, 0.0)
    # The student-facing summary: the 5-neuron mean over the 3 networks that have connections.
    assert np.nanmean(quality, axis=0)[0] == pytest.approx(0.8593914131822552, rel=1e-12)


def test_coarse_sweep_reproduces_the_bonus_figure():
    quality = sweep_coarse_graining()
    assert_recorded(quality, RECORDED_COARSE_SWEEP)
    keys = [1907030754, 1684147724, 2338343043, 2462743236, 170367219]
    assert global_state()[1][:5] == keys and global_state()[2:] == (376, 0, 0.0)


def test_sparsity_sweep_reproduces_the_demo():
    quality = sweep_sparsity()
    assert quality.shape == (len(SPARSITIES),)
    assert SPARSITIES[0] == 0.01 and SPARSITIES[-1] == 0.99 and SPARSITIES[89] == 0.9
    for p, recorded in RECORDED_SPARSITY.items():
        assert_recorded(quality[SPARSITIES.index(p)], recorded)
    assert not np.isnan(quality).any()  # seed 42 draws some connection at every position
    # 25 * 1999 normals, an odd number: the stream ends with a cached Gaussian.
    keys = [1860122128, 286814574, 960780549, 1743321844, 630424793]
    assert global_state()[1][:5] == keys
    assert global_state()[2:] == (428, 1, -1.1539653980425606)


def test_bonus_exercise_256_neurons():
    # tutorial2_transcript: A = create_connectivity(256, 42); X = simulate_neurons(A, 10000);
    # get_coarse_corr(16, X, A)[0] gave 0.1871085307158573 (95 to 175 s, nearly all simulation).
    A = create_connectivity(256, 42)
    X = simulate_neurons(A, 10000)
    keys = [3694747675, 2181075471, 808500155, 3805301839, 2186625021]
    assert global_state()[1][:5] == keys and global_state()[2:] == (548, 0, 0.0)
    corr, R, coarse_A = get_coarse_corr(16, X, A)
    assert_recorded(corr, 0.1871085307158573)
    assert R.shape == coarse_A.shape == (16, 16)


# --- A network without connections: NaN in the tutorial, an explicit answer here ----------


def test_the_tutorial_gets_nan_for_an_empty_network():
    with pytest.warns(RuntimeWarning):
        assert np.isnan(tutorial.get_sys_corr(5, 100, 2))


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"n_neurons": 5, "random_state": 2}, "no connection at all"),
        ({"n_neurons": 6, "random_state": 0, "p": 1.0}, "no connection at all"),
        ({"n_neurons": 6, "random_state": 0, "p": 0.0}, "every connection"),
        ({"n_neurons": 2, "random_state": 2**32 - 1, "timesteps": 3}, "the estimate R is the same"),
    ],
)
def test_get_sys_corr_explains_an_undefined_correlation(kwargs, reason, recwarn):
    n_neurons, timesteps = kwargs.pop("n_neurons"), kwargs.pop("timesteps", 100)
    with pytest.raises(ValueError, match=reason):
        get_sys_corr(n_neurons, timesteps, **kwargs)
    assert len(recwarn) == 0


def test_sweeps_mark_undefined_points_nan_without_warnings(recwarn):
    sizes = sweep_network_size([5], timesteps=50, n_trials=4)
    assert np.isnan(sizes[:, 0]).tolist() == [False, False, True, True]
    sparsity = sweep_sparsity([0.0, 0.5, 1.0], n_neurons=6, timesteps=50)
    assert np.isnan(sparsity).tolist() == [True, False, True]
    assert len(recwarn) == 0


# --- Properties ------------------------------------------------------------------------


def zscore(rows):
    return (rows - rows.mean(axis=1, keepdims=True)) / rows.std(axis=1, keepdims=True)


@settings(max_examples=100, deadline=None)
@given(**recordings(max_neurons=15, max_timesteps=300))
def test_correlation_for_all_neurons_is_the_lagged_z_score_product(n_neurons, timesteps, seed):
    X = activity(n_neurons, timesteps, seed)
    after, before = zscore(X[:, 1:]), zscore(X[:, :-1])
    manual = after @ before.T / (timesteps - 1)
    np.testing.assert_allclose(correlation_for_all_neurons(X), manual, rtol=0, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(n_neurons=st.integers(min_value=1, max_value=10), seed=seeds)
def test_single_neuron_estimate_is_a_column_of_the_full_estimate(n_neurons, seed):
    X = activity(n_neurons, 60, seed)
    R = correlation_for_all_neurons(X)
    for neuron in range(n_neurons):
        column = compute_connectivity_from_single_neuron(X, neuron)
        np.testing.assert_allclose(column, R[:, neuron], rtol=0, atol=1e-12)


def test_estimate_has_the_orientation_of_A():
    x0 = activity(1, 500, 0)[0]
    X = np.vstack([x0, np.roll(x0, 1), activity(1, 500, 1)[0]])  # 0 drives 1, one step later
    R = correlation_for_all_neurons(X)
    assert R[1, 0] == pytest.approx(1.0, abs=1e-12)
    assert abs(R[0, 1]) < 0.2 and np.all(np.abs(R) <= 1)


def test_estimates_ignore_each_neurons_scale_and_offset():
    X = activity(4, 200, 5)
    scaled = X * np.array([[2.0], [0.5], [10.0], [1.0]]) + np.array([[1.0], [-3.0], [0.0], [7.0]])
    np.testing.assert_allclose(
        correlation_for_all_neurons(scaled), correlation_for_all_neurons(X), atol=1e-12
    )


def test_coarse_graining_into_single_neurons_is_the_plain_estimate():
    A = create_connectivity(12, 1)
    X = simulate_neurons(A, 300)
    corr, R, coarse_A = get_coarse_corr(12, X, A)
    assert np.array_equal(coarse_A, A)
    assert np.array_equal(R, correlation_for_all_neurons(X))


def test_correlation_improves_for_sparser_and_smaller_networks():
    sizes = np.nanmean(sweep_network_size([5, 100], timesteps=1000), axis=0)
    assert sizes[0] > 0.7 > 0.3 > sizes[1]
    sparsity = sweep_sparsity([0.1, 0.9])
    assert sparsity[0] < 0.3 < 0.5 < sparsity[1]


def test_defaults_are_the_tutorials():
    assert NETWORK_SIZES == (5, 10, 25, 50, 100)
    assert COARSE_GROUPS == tuple(2**i for i in range(2, int(np.log2(128))))
    assert SPARSITIES == tuple(round(0.01 * k, 2) for k in range(1, 100))


# --- Bad input ---------------------------------------------------------------------------

GOOD_X = activity(4, 20, 0)
CONSTANT_ROW = np.vstack([GOOD_X[:3], np.full(20, 0.5)])


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        ("abc", TypeError, "`X` must be a numeric array"),
        (None, TypeError, "`X` must be a numeric array"),
        (np.ones(5), ValueError, "`X` must be a 2-D array"),
        (np.ones((2, 3, 4)), ValueError, "`X` must be a 2-D array"),
        (np.ones((0, 5)), ValueError, "`X` must not be empty"),
        (np.where(GOOD_X > 0.9, np.nan, GOOD_X), ValueError, "finite"),
        (GOOD_X[:, :2], ValueError, "at least 3 timesteps"),
        (CONSTANT_ROW, ValueError, "neuron 3 is the same on every one of steps"),
    ],
)
def test_correlation_for_all_neurons_refuses_bad_activity(X, error, message):
    with pytest.raises(error, match=message):
        correlation_for_all_neurons(X)
    with pytest.raises(error, match=message):
        compute_connectivity_from_single_neuron(X, 0)


@pytest.mark.parametrize(
    ("selected_neuron", "error", "message"),
    [
        (4, ValueError, "`selected_neuron` must be an integer <= 3"),
        (-1, ValueError, "`selected_neuron` must be an integer >= 0"),
        (1.0, TypeError, "`selected_neuron` must be an integer"),
        (True, TypeError, "`selected_neuron` must be an integer"),
        ("1", TypeError, "`selected_neuron` must be an integer"),
    ],
)
def test_single_neuron_estimate_refuses_a_bad_neuron(selected_neuron, error, message):
    with pytest.raises(error, match=message):
        compute_connectivity_from_single_neuron(GOOD_X, selected_neuron)


def test_single_neuron_estimate_checks_only_the_activity_it_uses():
    X = GOOD_X.copy()
    X[1, :-1] = 0.25  # neuron 1 never varies before the last step
    with pytest.raises(ValueError, match="neuron 1 is the same on every one of steps 0..T-2"):
        compute_connectivity_from_single_neuron(X, 1)
    assert np.isfinite(compute_connectivity_from_single_neuron(X, 0)).all()


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((1, 100), {}, ValueError, "`n_neurons` must be an integer >= 2"),
        ((2.5, 100), {}, TypeError, "`n_neurons` must be an integer"),
        ((6, 2), {}, ValueError, "`timesteps` must be an integer >= 3"),
        ((6, 100.0), {}, TypeError, "`timesteps` must be an integer"),
        ((6, 100, -1), {}, ValueError, "`random_state` must be an integer >= 0"),
        ((6, 100), {"p": 1.5}, ValueError, "`p` must be a probability in \\[0, 1\\]"),
        ((6, 100), {"p": -0.1}, ValueError, "`p`"),
        ((6, 100), {"p": float("nan")}, ValueError, "`p`"),
        ((6, 100), {"p": "0.9"}, TypeError, "`p` must be a probability"),
        ((6, 100), {"p": True}, TypeError, "`p` must be a probability"),
    ],
)
def test_get_sys_corr_refuses_bad_arguments(args, kwargs, error, message):
    assert_refused_before_drawing(lambda: get_sys_corr(*args, **kwargs), error, message)


def test_get_sys_corr_takes_p_by_keyword_only():
    with pytest.raises(TypeError):
        get_sys_corr(6, 100, 42, 0.5)


@pytest.mark.parametrize(
    ("n_groups", "X", "A", "error", "message"),
    [
        (3, activity(8, 50, 0), np.eye(8), ValueError, "`n_groups` must divide .* 8.* 2, 4, 8"),
        (1, activity(8, 50, 0), np.eye(8), ValueError, "`n_groups` must be an integer >= 2"),
        (16, activity(8, 50, 0), np.eye(8), ValueError, "`n_groups` must be an integer <= 8"),
        (2.0, activity(8, 50, 0), np.eye(8), TypeError, "`n_groups` must be an integer"),
        (2, activity(8, 50, 0), np.eye(4), ValueError, "`A` must be the \\(8, 8\\)"),
        (2, activity(8, 50, 0), np.ones((8, 4)), ValueError, "`A` must be a square"),
        (2, activity(8, 50, 0), np.full((8, 8), np.nan), ValueError, "`A` must contain only"),
        (2, activity(8, 50, 0), np.ones(8), ValueError, "`A` must be a 2-D array"),
        (2, activity(8, 2, 0), np.eye(8), ValueError, "`X` must have at least 3 timesteps"),
        (2, activity(8, 50, 0)[0], np.eye(8), ValueError, "`X` must be a 2-D array"),
        (2, activity(8, 50, 0), np.zeros((8, 8)), ValueError, "same for every pair of groups"),
        (2, np.full((8, 50), 0.5), np.eye(8), ValueError, "group 0 is the same on every"),
    ],
)
def test_get_coarse_corr_refuses_bad_arguments(n_groups, X, A, error, message):
    with pytest.raises(error, match=message):
        get_coarse_corr(n_groups, X, A)


SWEEP_REFUSALS = {
    sweep_network_size: [
        ({"number_of_neurons": []}, ValueError, "`number_of_neurons` must not be empty"),
        ({"number_of_neurons": "510"}, TypeError, "`number_of_neurons` must be a sequence"),
        ({"number_of_neurons": 5}, TypeError, "`number_of_neurons` must be a sequence"),
        ({"number_of_neurons": [5, 1]}, ValueError, "`number_of_neurons\\[1\\]` must be .* >= 2"),
        ({"number_of_neurons": [5, 10.0]}, TypeError, "`number_of_neurons\\[1\\]`"),
        ({"timesteps": 2}, ValueError, "`timesteps` must be an integer >= 3"),
        ({"n_trials": 0}, ValueError, "`n_trials` must be an integer >= 1"),
    ],
    sweep_sparsity: [
        ({"sparsities": [0.5, 1.5]}, ValueError, "sparsities\\[1\\] = 1.5"),
        ({"sparsities": [-0.5]}, ValueError, "sparsities\\[0\\] = -0.5"),
        ({"sparsities": [0.5, np.nan]}, ValueError, "`sparsities` must contain only finite"),
        ({"sparsities": "0.5"}, TypeError, "`sparsities` must be a numeric array"),
        ({"sparsities": []}, ValueError, "`sparsities` must not be empty"),
        ({"sparsities": 0.5}, ValueError, "`sparsities` must be a 1-D array"),
        ({"n_neurons": 1}, ValueError, "`n_neurons` must be an integer >= 2"),
        ({"timesteps": 1}, ValueError, "`timesteps`"),
        ({"random_state": 2**32}, ValueError, "`random_state`"),
    ],
    sweep_coarse_graining: [
        ({"groups": [4, 6]}, ValueError, "`groups\\[1\\]` must divide the number of neurons, 128"),
        ({"groups": [4, 1]}, ValueError, "`groups\\[1\\]` must be an integer >= 2"),
        ({"groups": [4, 256]}, ValueError, "`groups\\[1\\]` must be an integer <= 128"),
        ({"groups": []}, ValueError, "`groups` must not be empty"),
        ({"groups": [4], "n_neurons": 1}, ValueError, "`n_neurons` must be an integer >= 2"),
        ({"groups": [8], "n_neurons": 100}, ValueError, "divide the number of neurons, 100"),
        ({"n_trials": 0}, ValueError, "`n_trials`"),
        ({"timesteps": 0}, ValueError, "`timesteps`"),
    ],
}


@pytest.mark.parametrize(
    ("sweep", "kwargs", "error", "message"),
    [(sweep, *refusal) for sweep, refusals in SWEEP_REFUSALS.items() for refusal in refusals],
)
def test_sweeps_refuse_bad_arguments(sweep, kwargs, error, message):
    assert_refused_before_drawing(lambda: sweep(**kwargs), error, message)
