"""Tutorial 2's correlation pipeline and sweeps against the tutorial's plain code.

Prints, for ``get_sys_corr`` at the tutorial's sizes and for each sweep behind
its figures, the time of the plain transcription (one ``multivariate_normal``
per step, run once: it is slow) and the best of a few runs of the library, the
speed ratio (target: at least 50x for ``get_sys_corr(100, 5000)``) and whether
the results are identical (NaN matching NaN). Then the bonus' 256-neuron
exercise (the library only: the transcription takes minutes) and the peak
memory of ``correlation_for_all_neurons`` on a large recording, against
``np.corrcoef`` on the stacked recording as the tutorial does it.
"""

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from benchmarks.bench_simulation import best_time
from nmacausal.model import correlation
from nmacausal.model.simulation import create_connectivity, simulate_neurons

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import tutorial2_transcript as tutorial  # noqa: E402

SPEED_TARGET = 50.0


def quietly(function):
    """The transcription warns (0 / 0) on an empty network; the benchmark does not care."""

    def run():
        with np.errstate(invalid="ignore", divide="ignore"):
            return function()

    return run


def compare(label, plain, library, *, repeats=3, target=None):
    plain_time, plain_result = best_time(quietly(plain), 1)
    library_time, library_result = best_time(library, repeats)
    ratio = plain_time / library_time
    identical = np.array_equal(
        np.asarray(plain_result, dtype=float),
        np.asarray(library_result, dtype=float),
        equal_nan=True,
    )
    if target is None:
        verdict = "ok" if identical else "MISSED"
    else:
        verdict = "ok" if identical and ratio >= target else "MISSED"
    print(
        f"{label:<44} plain {plain_time:7.2f} s   library {library_time * 1e3:7.1f} ms"
        f"   {ratio:6.0f}x   identical={identical}   [{verdict}]",
        flush=True,
    )
    return library_result


def speed():
    for n_neurons in (6, 100):
        value = compare(
            f"get_sys_corr({n_neurons}, 5000)",
            lambda n=n_neurons: tutorial.get_sys_corr(n, 5000),
            lambda n=n_neurons: correlation.get_sys_corr(n, 5000),
            repeats=5,
            target=SPEED_TARGET if n_neurons == 100 else None,
        )
        print(f"    = {value!r}")
    sizes = compare(
        "sweep_network_size() (5 trials, T=1000)",
        lambda: tutorial.estimation_quality_vs_n_neurons(list(correlation.NETWORK_SIZES)),
        correlation.sweep_network_size,
    )
    print(f"    mean over trials (nanmean) = {np.round(np.nanmean(sizes, axis=0), 3).tolist()}")
    sparsity = compare(
        "sweep_sparsity() (99 values, n=25, T=2000)",
        lambda: [tutorial.sparsity_demo(p) for p in correlation.SPARSITIES],
        correlation.sweep_sparsity,
    )
    shown = {p: round(float(sparsity[k]), 2) for k, p in enumerate(correlation.SPARSITIES)}
    print(f"    p: corr = { {p: shown[p] for p in (0.01, 0.1, 0.5, 0.9, 0.99)} }")
    coarse = compare(
        "sweep_coarse_graining() (n=128, T=5000, 3)",
        lambda: tutorial.coarse_sweep()[1],
        correlation.sweep_coarse_graining,
    )
    print(f"    mean over trials = {np.round(coarse.mean(axis=0), 3).tolist()}")


def bonus():
    def run():
        A = create_connectivity(256, 42)
        X = simulate_neurons(A, 10000)
        return correlation.get_coarse_corr(16, X, A)[0]

    library_time, corr = best_time(run, 3)
    print(
        f"bonus: get_coarse_corr(16) of 256 neurons, T=10000: library {library_time:.2f} s "
        f"(transcription: 95-175 s, not rerun); corr = {corr!r}"
    )


def memory(n_neurons=1000, timesteps=10000):
    X = np.random.default_rng(0).random((n_neurons, timesteps))

    def peak(function):
        tracemalloc.start()
        start = time.perf_counter()
        function(X)
        elapsed = time.perf_counter() - start
        _, peak_bytes = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak_bytes / X.nbytes, elapsed

    ours, ours_time = peak(correlation.correlation_for_all_neurons)
    theirs, theirs_time = peak(tutorial.correlation_for_all_neurons)
    print(
        f"memory: correlation_for_all_neurons n={n_neurons} T={timesteps} (X is "
        f"{X.nbytes / 2**20:.0f} MiB): peak {ours:.2f}x X in {ours_time:.1f} s; the "
        f"tutorial's np.corrcoef {theirs:.2f}x X in {theirs_time:.1f} s"
    )


def main():
    speed()
    bonus()
    memory()


if __name__ == "__main__":
    main()
