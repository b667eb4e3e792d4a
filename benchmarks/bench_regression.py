"""Tutorial 3's regression estimates against the tutorial's plain code.

Prints, for the whole-network estimate of the exercise's recording (50 neurons,
10000 steps) and for the observed-fraction sweep behind the tutorial's figure,
the time of the plain transcription (one Lasso per neuron through
``MultiOutputRegressor`` in worker processes; best of two runs, so that the
second finds the workers started) and the best of a few runs of the library,
the speed ratio (target: at least 10x for the estimate) and how far apart the
results are: the largest difference per coefficient, or per correlation for the
sweep (the two compute the same coordinate descent, rounded differently), and
whether the NaN points match. Then how many of the 50 fits stop at the
tutorial's cap of 250 iterations.
"""

import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from benchmarks.bench_simulation import best_time
from nmacausal.model import regression
from nmacausal.model.simulation import create_connectivity, simulate_neurons

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import tutorial3_transcript as tutorial  # noqa: E402

SPEED_TARGET = 10.0
# Coefficients of the two fits must agree to this (the tests hold them to it too).
AGREEMENT = 1e-6


def quietly(function):
    """The transcription's fits warn that they stop at 250 iterations; so be it."""

    def run():
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", ConvergenceWarning)
            return function()

    return run


def compare(label, plain, library, *, target=None):
    plain_time, plain_result = best_time(quietly(plain), 2)
    library_time, library_result = best_time(library, 5)
    ratio = plain_time / library_time
    plain_result, library_result = np.asarray(plain_result), np.asarray(library_result)
    same_nan = np.array_equal(np.isnan(plain_result), np.isnan(library_result))
    finite = ~np.isnan(plain_result)
    difference = float(np.abs(plain_result[finite] - library_result[finite]).max())
    agrees = same_nan and difference < AGREEMENT
    verdict = "ok" if agrees and (target is None or ratio >= target) else "MISSED"
    print(
        f"{label:<46} plain {plain_time:6.2f} s   library {library_time * 1e3:7.1f} ms"
        f"   {ratio:5.0f}x   max |diff| {difference:.1e}   NaN match={same_nan}   [{verdict}]",
        flush=True,
    )
    return library_result


def main():
    A = create_connectivity(50, 42)
    X = simulate_neurons(A, 10000)
    compare(
        "full estimate, 50 neurons, T=10000",
        lambda: tutorial.get_regression_estimate_full_connectivity(X),
        lambda: regression.get_regression_estimate_full_connectivity(X),
        target=SPEED_TARGET,
    )
    quality = compare(
        "sweep_observed_fraction() (n=50, T=5000, 3)",
        tutorial.observed_fraction_sweep,
        regression.sweep_observed_fraction,
    )
    means = np.round(np.nanmean(quality, axis=0), 3).tolist()
    print(f"    ratios {list(regression.OBSERVED_RATIOS)}: mean over trials (nanmean) = {means}")
    fit = regression.fit_regression_connectivity(X)
    print(
        f"fits of the 50 neurons, T=10000: {int((fit.n_iter == 250).sum())} run all 250 "
        f"iterations, {int((~fit.converged).sum())} of them stop before meeting the tolerance"
    )


if __name__ == "__main__":
    main()
