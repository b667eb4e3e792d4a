"""The day's four methods on one network (nmacausal.model.comparison).

Each method's estimate and correlation is checked against the library's own
per-method functions, called here on recordings made here with the
tutorials' simulators; the caching by counting the simulations.
"""

import numpy as np
import pytest
from global_stream import assert_refused_before_drawing, global_state

import nmacausal.model.comparison as comparison_module
from nmacausal.model.comparison import (
    METHODS,
    RECORDINGS_KEPT,
    ComparisonConditions,
    MethodsComparer,
    compare_methods,
)
from nmacausal.model.correlation import correlation_for_all_neurons
from nmacausal.model.instrumental import (
    COMPARISON_REGRESSION_ARGS,
    get_iv_estimate_network,
    simulate_neurons_iv,
)
from nmacausal.model.perturbation import get_perturbed_connectivity_all_neurons
from nmacausal.model.quality import connectivity_correlation
from nmacausal.model.regression import get_regression_estimate_full_connectivity
from nmacausal.model.simulation import (
    create_connectivity,
    isolated_random_state,
    simulate_neurons,
    simulate_neurons_perturb,
)

SMALL = {"n_neurons": 12, "timesteps": 1500, "seed": 3}


def library_estimates(n_neurons, timesteps, observed_fraction, eta, seed):
    """Each method's estimate of the first k neurons' block, from the library's functions."""
    k = int(n_neurons * observed_fraction)
    with isolated_random_state():
        A = create_connectivity(n_neurons, random_state=seed)
        free = simulate_neurons(A, timesteps, random_state=seed)
        perturbed = simulate_neurons_perturb(A, timesteps, random_state=seed)
        A_iv, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, seed)
    np.testing.assert_array_equal(A_iv, A)  # one network for every method
    estimates = {
        "perturbation": get_perturbed_connectivity_all_neurons(perturbed[:k]).T,
        "correlation": correlation_for_all_neurons(free[:k]),
        "regression": get_regression_estimate_full_connectivity(
            free[:k], COMPARISON_REGRESSION_ARGS
        ),
        "iv": get_iv_estimate_network(X[:k], Z[:k]),
    }
    return A, k, estimates


@pytest.mark.parametrize(
    ("n_neurons", "timesteps", "observed_fraction", "eta", "seed"),
    [(12, 1500, 0.5, 2.0, 3), (20, 2000, 1.0, 1.0, 42), (15, 1000, 0.4, 4.0, 0)],
)
def test_each_method_is_the_librarys_own(n_neurons, timesteps, observed_fraction, eta, seed):
    conditions = dict(
        n_neurons=n_neurons,
        timesteps=timesteps,
        observed_fraction=observed_fraction,
        eta=eta,
        seed=seed,
    )
    result = compare_methods(**conditions)
    A, k, expected = library_estimates(**conditions)
    assert result.n_observed == k
    np.testing.assert_array_equal(result.connectivity, A)
    np.testing.assert_array_equal(result.observed_connectivity, A[:k, :k])
    assert list(result.estimates) == list(METHODS)
    for method, estimate in expected.items():
        got = result.estimates[method]
        np.testing.assert_array_equal(got.estimate, estimate)
        assert got.correlation == connectivity_correlation(A[:k, :k], estimate)
        assert got.reason == ""
    assert result.correlations == {m: r.correlation for m, r in result.estimates.items()}


def test_the_instrumented_run_drives_the_same_network_at_any_sparsity():
    # For p = 0.9 the recording is simulate_neurons_iv's (above). For another p it is
    # the tutorial's model run on the other methods' network, with the draws in the
    # tutorial's order (network, instrument, noise), written out here step by step.
    n_neurons, timesteps, eta, seed, p = 8, 300, 1.5, 5, 0.6
    conditions = ComparisonConditions(
        n_neurons=n_neurons, timesteps=timesteps, eta=eta, seed=seed, p=p
    )
    comparer = MethodsComparer()
    X, Z = comparer.instrumented(conditions)
    with isolated_random_state():
        A = create_connectivity(n_neurons, random_state=seed, p=p)
        expected_Z = np.random.choice([0, 1], size=(n_neurons, timesteps))
        noise = np.random.standard_normal((timesteps - 1, n_neurons))
    expected_X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        drive = A @ expected_X[:, t] + eta * expected_Z[:, t + 1] + noise[t]
        expected_X[:, t + 1] = 1 / (1 + np.exp(-drive))
    np.testing.assert_array_equal(comparer.network(conditions), A)
    np.testing.assert_array_equal(Z, expected_Z)
    np.testing.assert_allclose(X, expected_X, rtol=0, atol=1e-12)


def test_at_the_tutorials_sparsity_the_instrumented_run_is_simulate_neurons_ivs():
    conditions = ComparisonConditions(n_neurons=10, timesteps=500, eta=1.5, seed=8)
    X, Z = MethodsComparer().instrumented(conditions)
    with isolated_random_state():
        _, expected_X, expected_Z = simulate_neurons_iv(10, 500, 1.5, 8)
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(Z, expected_Z)


def test_sparsity_draws_the_network_as_create_connectivity():
    result = compare_methods(n_neurons=10, timesteps=200, p=0.5, seed=9)
    np.testing.assert_array_equal(result.connectivity, create_connectivity(10, 9, p=0.5))


def test_perturbation_holds_up_and_regression_falls_as_neurons_are_hidden():
    # The day's lesson at the explorer's defaults (50 neurons, 5000 steps, seed 42).
    comparer = MethodsComparer()
    everything = comparer.compare(ComparisonConditions(observed_fraction=1.0)).correlations
    a_tenth = comparer.compare(ComparisonConditions(observed_fraction=0.1)).correlations
    assert everything["regression"] > everything["iv"] + 0.3
    assert a_tenth["iv"] > a_tenth["regression"] + 0.2
    assert min(everything["perturbation"], a_tenth["perturbation"]) > 0.75


# --- Caching ------------------------------------------------------------------------------


@pytest.fixture
def simulations(monkeypatch):
    """The simulations the comparison module runs, counted by kind."""
    calls = []
    for name, kind in [
        ("simulate_neurons", "free"),
        ("simulate_neurons_perturb", "perturbed"),
        ("_drive_with_instrument", "instrumented"),
    ]:
        original = getattr(comparison_module, name)

        def counted(*args, _original=original, _kind=kind, **kwargs):
            calls.append(_kind)
            return _original(*args, **kwargs)

        monkeypatch.setattr(comparison_module, name, counted)
    return calls


def test_the_fraction_observed_reestimates_without_simulating(simulations, monkeypatch):
    fits = []
    original_fit = comparison_module.fit_regression_connectivity
    monkeypatch.setattr(
        comparison_module,
        "fit_regression_connectivity",
        lambda X, args: fits.append(X.shape[0]) or original_fit(X, args),
    )
    comparer = MethodsComparer()
    conditions = ComparisonConditions(**SMALL)
    first = comparer.compare(conditions)
    assert sorted(simulations) == ["free", "instrumented", "perturbed"]
    for fraction in [0.25, 1.0, 0.5, 0.25]:
        comparer.compare(conditions.replace(observed_fraction=fraction))
    assert len(simulations) == 3
    assert fits == [6, 3, 12]  # each fraction fitted once
    assert comparer.compare(conditions).estimates["iv"] is first.estimates["iv"]


def test_eta_simulates_the_instrumented_run_only(simulations):
    comparer = MethodsComparer()
    conditions = ComparisonConditions(**SMALL)
    before = comparer.compare(conditions)
    simulations.clear()
    after = comparer.compare(conditions.replace(eta=0.5))
    assert simulations == ["instrumented"]
    for method in ("perturbation", "correlation", "regression"):
        assert after.estimates[method] is before.estimates[method]
    assert after.estimates["iv"].correlation != before.estimates["iv"].correlation


@pytest.mark.parametrize(
    ("change"), [{"seed": 4}, {"p": 0.8}, {"n_neurons": 10}, {"timesteps": 900}]
)
def test_the_network_or_the_length_simulates_every_run(simulations, change):
    comparer = MethodsComparer()
    conditions = ComparisonConditions(**SMALL)
    comparer.compare(conditions)
    simulations.clear()
    comparer.compare(conditions.replace(**change))
    assert sorted(simulations) == ["free", "instrumented", "perturbed"]
    simulations.clear()
    comparer.compare(conditions)  # still kept
    assert simulations == []


def test_only_the_last_recordings_are_kept(simulations):
    comparer = MethodsComparer()
    conditions = ComparisonConditions(n_neurons=6, timesteps=300)
    for seed in range(RECORDINGS_KEPT + 2):
        comparer.observations(conditions.replace(seed=seed))
    simulations.clear()
    comparer.observations(conditions.replace(seed=RECORDINGS_KEPT + 1))  # kept
    comparer.observations(conditions.replace(seed=0))  # dropped: simulated again
    assert simulations == ["free", "perturbed"]


def test_the_global_random_stream_is_left_alone():
    np.random.seed(11)
    before = global_state()
    comparer = MethodsComparer(regression_args={"alpha": 0.01, "selection": "random"})
    comparer.compare(ComparisonConditions(**SMALL))
    comparer.compare(ComparisonConditions(**SMALL, eta=1.0))
    assert global_state() == before


# --- Undefined correlations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "methods", "reason"),
    [
        (
            {"n_neurons": 12, "observed_fraction": 0.1},
            METHODS,
            "a single neuron observed: one connection, nothing to correlate.",
        ),
        (
            {"n_neurons": 12, "p": 1.0},
            METHODS,
            "no connection among the observed neurons: nothing to correlate with.",
        ),
        (
            {"n_neurons": 12, "p": 0.0},
            METHODS,
            "every connection among the observed neurons is equal: nothing to correlate with.",
        ),
        (
            {"n_neurons": 12, "eta": 0},
            ("iv",),
            "no instrument (eta = 0): IV has nothing to work with.",
        ),
        (
            {"n_neurons": 12, "timesteps": 4},
            ("perturbation",),
            "`perturbed_X` has a neuron whose perturbations (or outcomes) are the same",
        ),
    ],
)
def test_an_undefined_correlation_says_why(conditions, methods, reason):
    result = compare_methods(**{"timesteps": 400, **conditions})
    for method in methods:
        estimate = result.estimates[method]
        assert estimate.correlation is None
        assert estimate.reason.startswith(reason), estimate.reason


def test_iv_needs_more_timesteps_than_observed_neurons():
    result = compare_methods(n_neurons=40, timesteps=21, observed_fraction=0.5)
    assert result.estimates["iv"].reason == (
        "IV needs at least 22 timesteps to tell 20 observed neurons apart, got 21."
    )
    assert result.estimates["iv"].estimate is None
    assert result.estimates["correlation"].correlation is not None


# --- Bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"n_neurons": 0}, ValueError, r"`n_neurons` must be an integer >= 1"),
        ({"n_neurons": 5.0}, TypeError, r"`n_neurons` must be an integer"),
        ({"timesteps": 3}, ValueError, r"`timesteps` must be an integer >= 4"),
        ({"observed_fraction": 0}, ValueError, r"`observed_fraction` must be a fraction in"),
        ({"observed_fraction": 1.5}, ValueError, r"`observed_fraction` must be a fraction in"),
        ({"observed_fraction": "half"}, TypeError, r"`observed_fraction` must be a number"),
        ({"eta": -1}, ValueError, r"`eta` must be a finite number >= 0"),
        ({"eta": float("inf")}, ValueError, r"`eta` must be a finite number >= 0"),
        ({"p": 1.2}, ValueError, r"`p` must be a probability in \[0, 1\]"),
        ({"p": None}, TypeError, r"`p` must be a probability"),
        ({"seed": -1}, ValueError, r"`seed` must be an integer >= 0"),
        ({"seed": 2**32}, ValueError, r"`seed` must be an integer <= 4294967295"),
        ({"speed": 1}, TypeError, r"unexpected keyword argument 'speed'"),
        ({"regression_args": {"alfa": 1}}, ValueError, r"`regression_args` has 'alfa'"),
    ],
)
def test_bad_conditions_are_refused_before_anything_is_drawn(change, error, message):
    assert_refused_before_drawing(lambda: compare_methods(**{**SMALL, **change}), error, message)


def test_compare_takes_conditions_only():
    with pytest.raises(TypeError, match="`conditions` must be a ComparisonConditions, got dict"):
        MethodsComparer().compare({"n_neurons": 5})


def test_conditions_are_cleaned():
    conditions = ComparisonConditions(n_neurons=np.int64(10), eta=2, observed_fraction=1)
    assert type(conditions.n_neurons) is int and conditions.eta == 2.0
    assert isinstance(conditions.observed_fraction, float)
    assert conditions.replace(seed=1).seed == 1
    with pytest.raises(ValueError, match="`p` must be a probability"):
        conditions.replace(p=2)
