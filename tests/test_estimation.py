"""The causal estimators: the tutorial's figure, agreement with NumPy, bad input."""

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
import tutorial_transcript as tutorial
from hypothesis import given, settings
from hypothesis import strategies as st

import nmacausal
from nmacausal.model.quality import connectivity_correlation


def tutorial_network():
    A = nmacausal.create_connectivity(6)
    return A, nmacausal.simulate_neurons_perturb(A, 5000)


def test_all_neuron_estimate_reproduces_the_tutorials_printed_correlation():
    A, perturbed_X = tutorial_network()
    R = nmacausal.get_perturbed_connectivity_all_neurons(perturbed_X)
    assert connectivity_correlation(A.T, R) == 0.987593404378358


def test_all_neuron_estimate_is_the_tutorials_correlation_block():
    _, perturbed_X = tutorial_network()
    assert np.array_equal(
        nmacausal.get_perturbed_connectivity_all_neurons(perturbed_X),
        tutorial.get_perturbed_connectivity_all_neurons(perturbed_X),
    )


@settings(max_examples=40, deadline=None)
@given(
    n_neurons=st.integers(min_value=1, max_value=8),
    pairs=st.integers(min_value=3, max_value=80),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_all_neuron_estimate_is_numpys_corrcoef_bit_for_bit(n_neurons, pairs, seed):
    rng = np.random.default_rng(seed)
    perturbed_X = rng.random((n_neurons, 2 * pairs))
    perturbed_X[:, ::2] = rng.integers(0, 2, size=(n_neurons, pairs))
    perturbed_X[:, 0], perturbed_X[:, 2] = 0, 1  # every neuron's perturbations vary
    stacked = np.concatenate([perturbed_X[:, ::2], perturbed_X[:, 1::2]])
    expected = np.corrcoef(stacked)[:n_neurons, n_neurons:]
    assert np.array_equal(nmacausal.get_perturbed_connectivity_all_neurons(perturbed_X), expected)


def test_single_neuron_estimate_recovers_the_true_column():
    A, perturbed_X = tutorial_network()
    for neuron in range(6):
        estimate = nmacausal.get_perturbed_connectivity_from_single_neuron(perturbed_X, neuron)
        if A[:, neuron].any():
            assert connectivity_correlation(A[:, neuron], estimate) > 0.95


def test_single_neuron_estimate_is_a_difference_in_means():
    # Neuron 0 is clamped to 1, 0, 1 on steps 0, 2, 4; outcomes follow on steps 1, 3, 5.
    perturbed_X = np.array(
        [
            [1.0, 0.9, 0.0, 0.2, 1.0, 0.7],
            [0.0, 0.5, 1.0, 0.1, 1.0, 0.3],
        ]
    )
    estimate = nmacausal.get_perturbed_connectivity_from_single_neuron(perturbed_X, 0)
    assert estimate == pytest.approx([(0.9 + 0.7) / 2 - 0.2, (0.5 + 0.3) / 2 - 0.1])


def test_odd_length_ignores_the_unpaired_last_step():
    perturbed_X = np.array([[1.0, 0.8, 0.0, 0.3, 0.55]])
    perturbations, outcomes = nmacausal.perturbation_outcome_pairs(perturbed_X)
    assert perturbations.tolist() == [[1.0, 0.0]]
    assert outcomes.tolist() == [[0.8, 0.3]]


def test_perturbation_period_pairs_each_clamp_with_the_next_step():
    perturbed_X = np.arange(10.0)[None, :] % 2  # values only matter on clamped steps
    perturbed_X[0, [0, 3, 6]] = [1, 0, 1]
    perturbations, outcomes = nmacausal.perturbation_outcome_pairs(perturbed_X, perturb_every=3)
    assert perturbations.tolist() == [[1.0, 0.0, 1.0]]
    assert outcomes.tolist() == [[perturbed_X[0, 1], perturbed_X[0, 4], perturbed_X[0, 7]]]


def exact_correlation(x, y):
    """Pearson's r in rationals, rounded once: an independent yardstick."""
    x = [Fraction(v) for v in np.ravel(x).tolist()]
    y = [Fraction(v) for v in np.ravel(y).tolist()]
    mean_x, mean_y = sum(x) / len(x), sum(y) / len(y)
    cross = sum((a - mean_x) * (b - mean_y) for a, b in zip(x, y, strict=True))
    spread = sum((a - mean_x) ** 2 for a in x) * sum((b - mean_y) ** 2 for b in y)
    with localcontext() as context:
        context.prec = 60
        root = Decimal(spread.numerator).sqrt() / Decimal(spread.denominator).sqrt()
        return float(Decimal(cross.numerator) / Decimal(cross.denominator) / root)


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(min_value=2, max_value=40),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    scale=st.sampled_from([1e-200, 1e-3, 1.0, 1e150]),
)
def test_connectivity_correlation_is_correctly_rounded(size, seed, scale):
    rng = np.random.default_rng(seed)
    truth = rng.random(size) * (rng.random(size) < 0.5)
    truth[0], truth[1] = 0.0, 1.0
    estimate = (truth + rng.normal(0, 0.3, size)) * scale
    assert connectivity_correlation(truth, estimate) == exact_correlation(truth, estimate)
    assert connectivity_correlation(truth, estimate) == pytest.approx(
        np.corrcoef(truth, estimate / scale)[0, 1], rel=1e-12
    )


def test_connectivity_correlation_of_exact_relations():
    assert connectivity_correlation([1.0, 2.0, 4.0], [3.0, 5.0, 9.0]) == 1.0
    assert connectivity_correlation([1.0, 2.0, 4.0], [-3.0, -5.0, -9.0]) == -1.0
    assert connectivity_correlation([1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, -1.0]) == 0.0


BINARY = np.array([[1.0, 0.2, 0.0, 0.4, 1.0, 0.6, 0.0, 0.3]])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(BINARY, 1),
            ValueError,
            "`selected_neuron` must be an integer <= 0, got 1",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(BINARY, -1),
            ValueError,
            "`selected_neuron` must be an integer >= 0",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(BINARY, 0.0),
            TypeError,
            "`selected_neuron`",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(BINARY[0], 0),
            ValueError,
            "`perturbed_X` must be a 2-D array, got 1-D",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(BINARY[None], 0),
            ValueError,
            "`perturbed_X` must be a 2-D array, got 3-D",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(
                np.array([[1.0, 0.5, 1.0, 0.5]]), 0
            ),
            ValueError,
            "never clamps neuron 0 to 0",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(
                np.array([[0.0, 0.5, 0.0, 0.5]]), 0
            ),
            ValueError,
            "never clamps neuron 0 to 1",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(
                np.array([[0.3, 0.5, 0.0, 0.5]]), 0
            ),
            ValueError,
            r"perturbed_X\[0, 0\] = 0.3.*simulate_neurons_perturb",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(
                np.array([[1.0, np.nan, 0.0, 0.5]]), 0
            ),
            ValueError,
            "finite",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron(np.ones((2, 1)), 0),
            ValueError,
            "at least 2 timesteps",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_from_single_neuron("X", 0),
            TypeError,
            "`perturbed_X` must be a numeric array",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_all_neurons(np.ones(8)),
            ValueError,
            "`perturbed_X` must be a 2-D array",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_all_neurons(BINARY[:, :3]),
            ValueError,
            "needs at least 2",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_all_neurons(
                np.array([[1.0, 0.5, 1.0, 0.5, 1.0, 0.7]])
            ),
            ValueError,
            "same on every perturbation step",
        ),
        (
            lambda: nmacausal.get_perturbed_connectivity_all_neurons(BINARY, perturb_every=0),
            ValueError,
            "`perturb_every`",
        ),
        (
            lambda: connectivity_correlation(np.eye(2), np.ones(4)),
            ValueError,
            "same shape",
        ),
        (
            lambda: connectivity_correlation([1.0, 2.0], [3.0, 3.0]),
            ValueError,
            "`estimated_connectivity` is constant",
        ),
        (
            lambda: connectivity_correlation([1.0], [3.0]),
            ValueError,
            "at least 2 values",
        ),
        (
            lambda: connectivity_correlation([1.0, np.nan], [3.0, 2.0]),
            ValueError,
            "finite",
        ),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
