"""Tutorial 4's instrumental variables against the tutorial's plain code.

Prints, for each of the tutorial's slow computations at the tutorial's sizes,
the time of the plain transcription (``tests/tutorial4_transcript.py``: one
``multivariate_normal`` per step, one regression per neuron in worker
processes), the best of a few runs of the library, the speed ratio and how far
apart the results are (identical for the simulation, output and global random
state after; the largest difference otherwise). Targets: the simulation of the
exercise (100 neurons, 5000 steps) at least 20x faster and identical. The
comparison of IV with regression is timed against the transcription's building
blocks given the instrument, as the library computes it; the tutorial's own
cell, which passes the activity in the instrument's place, is printed beside it.

Then the library's time for every computation of the Tutorial 4 solutions
notebook, at its sizes and in its order, and their total (target: under 60 s
for the whole notebook, bonuses included; figures not counted).
"""

import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from benchmarks.bench_simulation import best_time
from nmacausal.model import instrumental
from nmacausal.model.regression import get_regression_corr_full_connectivity
from nmacausal.model.simulation import create_connectivity, simulate_neurons

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import tutorial4_transcript as tutorial  # noqa: E402

SIMULATION_TARGET = 20.0
NOTEBOOK_BUDGET = 60.0  # seconds


def global_state():
    name, keys, position, has_gauss, cached_gaussian = np.random.get_state()
    return name, keys.tolist(), position, has_gauss, cached_gaussian


def quietly(function):
    """The transcription warns (statsmodels' self-test, a few Lasso fits); so be it."""

    def run():
        # Recorded, not ignored: statsmodels' import puts its warnings "always" first.
        with warnings.catch_warnings(record=True), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("always")
            return function()

    return run


def line(label, plain_time, library_time, detail, verdict):
    ratio = plain_time / library_time
    print(
        f"{label:<44} plain {plain_time:7.2f} s   library {library_time * 1e3:8.1f} ms"
        f"   {ratio:6.0f}x   {detail}   [{verdict}]",
        flush=True,
    )


def compare(label, plain, library, *, plain_repeats=1, library_repeats=3):
    plain_time, plain_result = best_time(quietly(plain), plain_repeats)
    library_time, library_result = best_time(library, library_repeats)
    plain_result, library_result = np.asarray(plain_result), np.asarray(library_result)
    same_nan = np.array_equal(np.isnan(plain_result), np.isnan(library_result))
    finite = ~np.isnan(plain_result)
    difference = float(np.abs(plain_result[finite] - library_result[finite]).max())
    verdict = "ok" if same_nan and difference < 1e-6 else "MISSED"
    line(label, plain_time, library_time, f"max |diff| {difference:.1e}", verdict)
    return plain_result, library_result


def simulation():
    def plain():
        result = tutorial.simulate_neurons_iv(100, 5000, 2)
        return result, global_state()

    def library():
        result = instrumental.simulate_neurons_iv(100, 5000, 2)
        return result, global_state()

    plain_time, (plain_arrays, plain_state) = best_time(plain, 1)
    library_time, (library_arrays, library_state) = best_time(library, 5)
    identical = all(np.array_equal(a, b) for a, b in zip(plain_arrays, library_arrays, strict=True))
    same_state = plain_state == library_state
    good = identical and same_state and plain_time / library_time >= SIMULATION_TARGET
    line(
        "simulate_neurons_iv(100, 5000, 2)",
        plain_time,
        library_time,
        f"identical={identical} state={same_state}",
        "ok" if good else "MISSED",
    )


def estimates():
    for n_neurons, timesteps in ((6, 10000), (30, 20000), (40, 20000)):
        A, X, Z = instrumental.simulate_neurons_iv(n_neurons, timesteps, 2, 42)
        plain, ours = compare(
            f"get_iv_estimate_network, n={n_neurons}, T={timesteps}",
            lambda X=X, Z=Z: tutorial.get_iv_estimate_network(X, Z),
            lambda X=X, Z=Z: instrumental.get_iv_estimate_network(X, Z),
            plain_repeats=2,
        )
        if n_neurons == 6:
            corr = np.corrcoef(A.flatten(), ours.flatten())[1, 0]
            print(f"    printed 'IV estimated correlation': {corr:.3f} (full {float(corr)!r})")


def comparison():
    A, X, Z = instrumental.simulate_neurons_iv(40, 20000, 2, 42)
    ratios = instrumental.IV_OBSERVED_RATIOS

    def plain_with_instrument():
        reg_corrs, iv_corrs = [], []
        for ratio in ratios:
            k = int(ratio * 40)
            sel_A = A[:k, :k]
            reg_V = tutorial.get_regression_estimate(X[:k])
            reg_corrs.append(np.corrcoef(sel_A.flatten(), reg_V.flatten())[1, 0])
            iv_V = tutorial.get_iv_estimate_network(X[:k], Z[:k])
            iv_corrs.append(np.corrcoef(sel_A.flatten(), iv_V.flatten())[1, 0])
        return [reg_corrs, iv_corrs]

    def library():
        result = instrumental.compare_iv_estimate_to_regression(A, X, Z)
        return [result.reg_corrs, result.iv_corrs]

    _, (reg_corrs, iv_corrs) = compare(
        "IV vs regression (n=40, T=20000), with Z", plain_with_instrument, library
    )
    start = time.perf_counter()
    _, tutorial_iv = quietly(
        lambda: tutorial.compare_iv_estimate_to_regression(ratios, 40, A, X, Z)
    )()
    print(f"    (the tutorial's own cell, X as instrument: {time.perf_counter() - start:.1f} s)")
    print(f"    ratios                 {list(ratios)}")
    print(f"    regression             {np.round(reg_corrs, 3).tolist()}")
    print(f"    IV (with Z)            {np.round(iv_corrs, 3).tolist()}")
    print(f"    tutorial's IV (X as Z) {np.round(tutorial_iv, 3).tolist()}")
    print(f"    full: reg {reg_corrs.tolist()!r}")
    print(f"          iv  {iv_corrs.tolist()!r}")
    print(f"          tutorial's iv {np.asarray(tutorial_iv).tolist()!r}")


def strength_sweep():
    args = (list(instrumental.INSTRUMENT_STRENGTHS), 20, 10000, 3)
    _, quality = compare(
        "instrument_strength_effect() (n=20, T=10000, 3)",
        lambda: tutorial.instrument_strength_effect(*args),
        lambda: instrumental.instrument_strength_effect(*args),
    )
    print(f"    etas {list(instrumental.INSTRUMENT_STRENGTHS)}")
    print(f"    mean over trials {np.round(quality.mean(axis=0), 3).tolist()}")
    print(f"    full {quality.tolist()!r}")


def granger():
    for n_neurons in (6, 100):
        A = create_connectivity(n_neurons, 42)
        X = simulate_neurons(A, 5000, 42)
        (_, plain_p), (ours_reject, ours_p) = compare(
            f"get_granger_causality, n={n_neurons}, T=5000",
            lambda X=X: tutorial.get_granger_causality(X, 1),
            lambda X=X: instrumental.get_granger_causality(X, 1, correction=None),
        )
        corrected, _ = instrumental.get_granger_causality(X, 1)
        truth = A[:, 1] > 0
        for name, reject in (("uncorrected", ours_reject), ("Bonferroni", corrected)):
            reject = np.asarray(reject, bool)
            if reject.any():
                corr = repr(float(np.corrcoef(A[:, 1], reject.astype(int))[1, 0]))
            else:
                corr = "undefined (nothing rejected)"
            print(
                f"    {name:<11}: {int(reject.sum())} rejected, {int((reject & truth).sum())} of "
                f"{int(truth.sum())} true connections, {int((reject & ~truth).sum())} false; "
                f"corr with A[:, 1] = {corr}"
            )


def notebook_budget():
    """The library's part of the solutions notebook, in its order, at its sizes."""
    steps = []

    def timed(label, function):
        start = time.perf_counter()
        result = function()
        steps.append((label, time.perf_counter() - start))
        return result

    timed("imports (a fresh interpreter)", _fresh_imports)
    timed("smoking data, both stages", _smoking)
    timed(
        "simulate_neurons_iv(100, 5000, 2)", lambda: instrumental.simulate_neurons_iv(100, 5000, 2)
    )
    A, X, Z = timed(
        "simulate_neurons_iv(6, 10000, 2)", lambda: instrumental.simulate_neurons_iv(6, 10000, 2)
    )
    timed("get_iv_estimate_network (6, 10000)", lambda: instrumental.get_iv_estimate_network(X, Z))
    A, X, Z = timed(
        "simulate_neurons_iv(30, 20000, 2)", lambda: instrumental.simulate_neurons_iv(30, 20000, 2)
    )

    def demo():
        for ratio in (0.2, 0.4, 0.6, 0.8, 1.0):
            instrumental.get_iv_corr_full_connectivity(30, A, X, Z, ratio)
            get_regression_corr_full_connectivity(
                30, A, X, ratio, instrumental.COMPARISON_REGRESSION_ARGS
            )

    timed("demo, all 5 slider positions", demo)
    A, X, Z = timed(
        "simulate_neurons_iv(40, 20000, 2)", lambda: instrumental.simulate_neurons_iv(40, 20000, 2)
    )
    timed(
        "compare_iv_estimate_to_regression",
        lambda: instrumental.compare_iv_estimate_to_regression(A, X, Z),
    )
    timed("instrument_strength_effect()", instrumental.instrument_strength_effect)
    for n_neurons in (6, 100):
        A = create_connectivity(n_neurons, 42)
        X = timed(f"simulate_neurons({n_neurons}, 5000)", lambda A=A: simulate_neurons(A, 5000, 42))
        timed(
            f"get_granger_causality (n={n_neurons})",
            lambda X=X: instrumental.get_granger_causality(X, 1),
        )
    total = sum(seconds for _, seconds in steps)
    for label, seconds in steps:
        print(f"    {label:<40} {seconds * 1e3:8.1f} ms")
    verdict = "ok" if total < NOTEBOOK_BUDGET else "MISSED"
    print(
        f"the notebook's computations: {total:.2f} s (budget {NOTEBOOK_BUDGET:.0f} s) [{verdict}]"
    )


def _fresh_imports():
    """What a notebook's kernel pays to import nmacausal, scikit-learn and statsmodels."""
    code = "import nmacausal, sklearn.linear_model, statsmodels.tsa.stattools"
    subprocess.run([sys.executable, "-c", code], check=True)


def _smoking():
    smoking = instrumental.generate_smoking_data()
    T_hat = instrumental.fit_first_stage(smoking.T, smoking.Z)
    return instrumental.fit_second_stage(T_hat, smoking.Y)


def main():
    simulation()
    estimates()
    comparison()
    strength_sweep()
    granger()
    notebook_budget()


if __name__ == "__main__":
    main()
