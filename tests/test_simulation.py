"""The simulators against a plain transcription of the tutorial's algorithm."""

import numpy as np
import pytest
import tutorial_transcript as tutorial
from global_stream import global_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nmacausal

FIDELITY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_connectivity(n_neurons, seed):
    """A finite test matrix: the tutorial's draw, or a dense one when that draw is empty."""
    rng = np.random.default_rng(seed)
    connections = (rng.random((n_neurons, n_neurons)) < 0.3) * rng.random((n_neurons, n_neurons))
    return connections / max(1.0, np.abs(connections).sum(axis=1).max())


sizes = st.integers(min_value=1, max_value=12)
lengths = st.integers(min_value=1, max_value=60)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@FIDELITY
@given(n_neurons=sizes, timesteps=lengths, seed=seeds)
def test_simulate_neurons_is_the_tutorials_stream(n_neurons, timesteps, seed):
    A = random_connectivity(n_neurons, seed)
    expected = tutorial.simulate_neurons(A, timesteps, random_state=seed)
    expected_state = global_state()
    np.random.seed(seed ^ 0x5A5A)  # scramble, so the library's own seeding is what counts
    actual = nmacausal.simulate_neurons(A, timesteps, random_state=seed)
    assert actual.shape == (n_neurons, timesteps)
    assert np.array_equal(actual, expected)
    assert global_state() == expected_state


@FIDELITY
@given(n_neurons=sizes, timesteps=lengths, seed=seeds)
def test_simulate_neurons_perturb_is_the_tutorials_stream(n_neurons, timesteps, seed):
    A = random_connectivity(n_neurons, seed)
    np.random.seed(seed)
    expected = tutorial.simulate_neurons_perturb(A, timesteps)
    expected_state = global_state()
    np.random.seed(seed)
    actual = nmacausal.simulate_neurons_perturb(A, timesteps)
    assert np.array_equal(actual, expected)
    assert global_state() == expected_state


@FIDELITY
@given(n_neurons=st.integers(min_value=1, max_value=40), seed=seeds)
def test_create_connectivity_is_the_tutorials_draw(n_neurons, seed):
    with np.errstate(invalid="ignore"):  # the tutorial divides 0 by 0 for an empty draw
        expected = tutorial.create_connectivity(n_neurons, random_state=seed)
    expected_state = global_state()
    np.random.seed(seed ^ 0x5A5A)
    actual = nmacausal.create_connectivity(n_neurons, random_state=seed)
    assert global_state() == expected_state
    if np.isnan(expected).all():
        assert np.array_equal(actual, np.zeros((n_neurons, n_neurons)))
    else:
        assert np.array_equal(actual, expected)


@FIDELITY
@given(trials=st.integers(min_value=1, max_value=500), seed=seeds)
def test_neuron_B_is_the_tutorials_stream(trials, seed):
    activity = np.random.default_rng(seed).random(trials)
    np.random.seed(seed)
    expected = tutorial.neuron_B(activity)
    expected_state = global_state()
    np.random.seed(seed)
    assert np.array_equal(nmacausal.neuron_B(activity), expected)
    assert global_state() == expected_state


def test_rct_difference_in_means_is_the_tutorials_figure():
    np.random.seed(12)
    activity_with_A_on = nmacausal.neuron_B(np.ones(5000))
    activity_with_A_off = nmacausal.neuron_B(np.zeros(5000))
    assert activity_with_A_on.mean() - activity_with_A_off.mean() == 0.9907195190159408


def test_empty_draw_gives_a_network_without_connections():
    # Seed 0 draws no connection at all for a single neuron.
    assert nmacausal.create_connectivity(1, random_state=0).tolist() == [[0.0]]


@pytest.mark.parametrize("perturb_every", [1, 3, 5])
@pytest.mark.parametrize("timesteps", [1, 2, 7, 16])
def test_perturbation_period_clamps_exactly_those_steps(perturb_every, timesteps):
    A = random_connectivity(4, 3)
    X = nmacausal.simulate_neurons_perturb(
        A, timesteps, perturb_every=perturb_every, random_state=5
    )
    expected = _perturb_with_period(A, timesteps, perturb_every, seed=5)
    assert np.array_equal(X, expected)


def _perturb_with_period(A, timesteps, perturb_every, seed):
    """The tutorial's perturbed loop with the period as a parameter."""
    np.random.seed(seed)
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        if t % perturb_every == 0:
            X[:, t] = np.random.choice([0, 1], size=n_neurons)
        noise = np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        X[:, t + 1] = tutorial.sigmoid(A.dot(X[:, t]) + noise)
    return X


def test_single_step_is_the_initial_state_and_draws_nothing():
    np.random.seed(1)
    before = global_state()
    assert nmacausal.simulate_neurons_perturb(np.eye(3), 1).tolist() == [[0.0]] * 3
    assert global_state() == before


def test_sigmoid_saturates_silently(recwarn):
    assert nmacausal.sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist() == [0.0, 0.5, 1.0]
    assert len(recwarn) == 0


def test_huge_connectivity_simulates_without_warnings(recwarn):
    X = nmacausal.simulate_neurons(np.full((2, 2), -1e6), 4)
    assert np.isfinite(X).all()
    assert len(recwarn) == 0


def test_isolated_random_state_restores_the_stream():
    np.random.seed(9)
    before = global_state()
    with nmacausal.isolated_random_state(4):
        inside = np.random.rand()
    assert global_state() == before
    np.random.seed(4)
    assert np.random.rand() == inside


def test_isolated_random_state_restores_after_an_error():
    np.random.seed(9)
    before = global_state()
    with pytest.raises(ZeroDivisionError), nmacausal.isolated_random_state():
        np.random.rand(3)
        raise ZeroDivisionError
    assert global_state() == before


SQUARE = np.eye(3) * 0.1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: nmacausal.simulate_neurons(np.ones((2, 3)), 5),
            ValueError,
            "`A` must be a square",
        ),
        (lambda: nmacausal.simulate_neurons(np.ones(3), 5), ValueError, "`A` must be a 2-D"),
        (lambda: nmacausal.simulate_neurons([[np.nan]], 5), ValueError, "finite"),
        (lambda: nmacausal.simulate_neurons([[np.inf]], 5), ValueError, "finite"),
        (lambda: nmacausal.simulate_neurons(np.zeros((0, 0)), 5), ValueError, "empty"),
        (lambda: nmacausal.simulate_neurons("A", 5), TypeError, "`A` must be a numeric array"),
        (lambda: nmacausal.simulate_neurons(None, 5), TypeError, "`A` must be a numeric array"),
        (lambda: nmacausal.simulate_neurons([[1, 2], [3]], 5), TypeError, "`A`"),
        (lambda: nmacausal.simulate_neurons(SQUARE, 0), ValueError, "`timesteps` must be .*>= 1"),
        (lambda: nmacausal.simulate_neurons(SQUARE, -3), ValueError, "got -3"),
        (lambda: nmacausal.simulate_neurons(SQUARE, 5.0), TypeError, "use 5 rather than 5.0"),
        (lambda: nmacausal.simulate_neurons(SQUARE, 5.5), TypeError, "`timesteps` must be an int"),
        (lambda: nmacausal.simulate_neurons(SQUARE, "5"), TypeError, "`timesteps`"),
        (lambda: nmacausal.simulate_neurons(SQUARE, True), TypeError, "`timesteps`"),
        (lambda: nmacausal.simulate_neurons(SQUARE, 5, random_state=-1), ValueError, "random_sta"),
        (lambda: nmacausal.simulate_neurons(SQUARE, 5, random_state=1.5), TypeError, "random_sta"),
        (lambda: nmacausal.simulate_neurons_perturb(np.ones((3, 2)), 5), ValueError, "square"),
        (lambda: nmacausal.simulate_neurons_perturb(SQUARE, 0), ValueError, "`timesteps`"),
        (
            lambda: nmacausal.simulate_neurons_perturb(SQUARE, 5, perturb_every=0),
            ValueError,
            "`perturb_every` must be an integer >= 1",
        ),
        (lambda: nmacausal.create_connectivity(0), ValueError, "`n_neurons` must be .*>= 1"),
        (lambda: nmacausal.create_connectivity(2.5), TypeError, "`n_neurons`"),
        (lambda: nmacausal.create_connectivity(3, random_state="x"), TypeError, "random_state"),
        (lambda: nmacausal.neuron_B(np.ones((2, 2))), ValueError, "`activity_of_A` must be a 1-D"),
        (lambda: nmacausal.neuron_B([1.0, np.nan]), ValueError, "finite"),
        (lambda: nmacausal.neuron_B("ones"), TypeError, "`activity_of_A`"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
