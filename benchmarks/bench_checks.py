"""How long checking a correct answer takes. Target: under 2 s for each exercise.

Each exercise's own solution (the tutorial's algorithm, noise drawn with
``multivariate_normal`` as in the scaffold) is checked once cold (the first
check in the process also builds the test cases) and then several times warm.
A correct ``simulate_neurons`` that draws its noise in another order is timed
too: it takes the statistical path instead of the exact comparison. So is
Tutorial 4's simulation with the original's noise (``multivariate_normal`` on
every step, the slowest right answer), alone and under the bonus sweep that calls it.
"""

import statistics
import time

import numpy as np
from sklearn.linear_model import Lasso, LinearRegression
from statsmodels.tsa.stattools import grangercausalitytests

import nmacausal
from nmacausal.tutorials import EXERCISES, get_exercise

TARGET_SECONDS = 2.0
WARM_REPEATS = 5

# A correct simulation whose noise comes neuron by neuron, unlike the tutorial's.
OTHER_NOISE_ORDER = """\
def simulate_neurons(A, timesteps, random_state=42):
    np.random.seed(random_state)
    n_neurons = len(A)
    noise = np.random.randn(n_neurons, timesteps)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        X[:, t + 1] = sigmoid(A @ X[:, t] + noise[:, t])
    return X
"""


# Tutorial 4's simulation as the original draws its noise: the same numbers, slowly.
ORIGINAL_IV_NOISE = get_exercise("simulate_neurons_iv").solution.replace(
    "np.random.standard_normal(n_neurons)",
    "np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))",
)


def notebook_answer(exercise, source):
    """The answer a notebook cell running ``source`` leaves behind (seeded as the scaffold is)."""
    namespace = {
        "np": np,
        "sigmoid": nmacausal.sigmoid,
        "neuron_B": nmacausal.neuron_B,
        "correlation_for_all_neurons": nmacausal.correlation_for_all_neurons,
        "logit": nmacausal.logit,  # Tutorial 3's setup cell imports these two
        "Lasso": Lasso,
        # Tutorial 4's setup cell, its smoking data and the functions its bonus calls.
        "LinearRegression": LinearRegression,
        "grangercausalitytests": grangercausalitytests,
        "create_connectivity": nmacausal.create_connectivity,
        "simulate_neurons": nmacausal.simulate_neurons,
        "simulate_neurons_iv": nmacausal.simulate_neurons_iv,
        "get_iv_estimate_network": nmacausal.get_iv_estimate_network,
        "A_0": np.zeros(5000),
        "A_1": np.ones(5000),
    }
    with nmacausal.isolated_random_state(12):
        exec(source, namespace)
    return namespace[exercise.answer_name]


def time_check(exercise, answer):
    start = time.perf_counter()
    result = exercise.check(answer)
    elapsed = time.perf_counter() - start
    if not result:
        raise SystemExit(f"{exercise.id}: the benchmark's answer was not correct:\n{result}")
    return elapsed


def main():
    rows = [(exercise.id, notebook_answer(exercise, exercise.solution)) for exercise in EXERCISES]
    simulate = get_exercise("simulate_neurons")
    rows.append(
        ("simulate_neurons (other noise order)", notebook_answer(simulate, OTHER_NOISE_ORDER))
    )
    simulate_iv, strength = get_exercise("simulate_neurons_iv"), get_exercise("instrument_strength")
    assert ORIGINAL_IV_NOISE != simulate_iv.solution, "the solution's noise line has changed"
    rows.append(
        ("simulate_neurons_iv (original noise)", notebook_answer(simulate_iv, ORIGINAL_IV_NOISE))
    )
    rows.append(
        (
            "instrument_strength (original noise)",
            notebook_answer(strength, ORIGINAL_IV_NOISE + "\n" + strength.solution),
        )
    )
    print(f"{'check of a correct answer':40} {'cold':>8} {'warm median':>12} {'warm max':>9}")
    for label, answer in rows:
        exercise = get_exercise(label.split()[0])
        cold = time_check(exercise, answer)
        warm = [time_check(exercise, answer) for _ in range(WARM_REPEATS)]
        verdict = "ok" if max([cold, *warm]) < TARGET_SECONDS else f"OVER {TARGET_SECONDS:g} s"
        print(
            f"{label:40} {cold:7.3f}s {statistics.median(warm):11.3f}s {max(warm):8.3f}s  {verdict}"
        )


if __name__ == "__main__":
    main()
