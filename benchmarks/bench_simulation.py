"""Simulators against the tutorial's plain loop, and a large network's time and memory.

Prints, for each simulator and size, the best of a few runs of the plain
transcription (one ``multivariate_normal`` per step) and of the library, the
speed ratio (target: at least 8x) and whether the outputs are identical. Then
runs n = 1000 neurons for T = 20000 steps through ``simulate_neurons_perturb``
and ``get_perturbed_connectivity_all_neurons`` and prints the time and the
peak memory, in units of the size of X (target: about 3x at most).
"""

import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

import nmacausal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import tutorial_transcript as tutorial  # noqa: E402

SIZES = [(6, 5000), (50, 10000)]
SPEED_TARGET = 8.0


def best_time(function, repeats):
    """Smallest wall time of ``repeats`` calls, and the last result."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(label, plain, library, repeats):
    plain_time, plain_result = best_time(plain, repeats)
    library_time, library_result = best_time(library, repeats)
    ratio = plain_time / library_time
    identical = np.array_equal(plain_result, library_result)
    verdict = "ok" if ratio >= SPEED_TARGET and identical else "MISSED"
    print(
        f"{label:<42} plain {plain_time * 1e3:8.1f} ms   library {library_time * 1e3:7.1f} ms"
        f"   {ratio:5.1f}x   identical={identical}   [{verdict}]"
    )


def seeded(function, *args):
    """Run ``function`` from a fixed point of the global stream."""

    def run():
        np.random.seed(2024)
        return function(*args)

    return run


def speed():
    for n_neurons, timesteps in SIZES:
        A = nmacausal.create_connectivity(n_neurons)
        repeats = 5 if n_neurons < 20 else 2
        compare(
            f"simulate_neurons          n={n_neurons:<4} T={timesteps}",
            lambda A=A, T=timesteps: tutorial.simulate_neurons(A, T),
            lambda A=A, T=timesteps: nmacausal.simulate_neurons(A, T),
            repeats,
        )
        compare(
            f"simulate_neurons_perturb  n={n_neurons:<4} T={timesteps}",
            seeded(tutorial.simulate_neurons_perturb, A, timesteps),
            seeded(nmacausal.simulate_neurons_perturb, A, timesteps),
            repeats,
        )


def scale(n_neurons=1000, timesteps=20000):
    A = nmacausal.create_connectivity(n_neurons)
    tracemalloc.start()
    start = time.perf_counter()
    perturbed_X = nmacausal.simulate_neurons_perturb(A, timesteps, random_state=0)
    simulated = time.perf_counter()
    R = nmacausal.get_perturbed_connectivity_all_neurons(perturbed_X)
    estimated = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    x_size = perturbed_X.nbytes
    print(
        f"scale n={n_neurons} T={timesteps}: simulate {simulated - start:.1f} s, "
        f"estimate {estimated - simulated:.1f} s, total {estimated - start:.1f} s"
    )
    print(
        f"  X is {x_size / 2**20:.0f} MiB; peak traced memory {peak / 2**20:.0f} MiB "
        f"= {peak / x_size:.2f}x the size of X (A itself: {A.nbytes / 2**20:.0f} MiB)"
    )
    print(f"  correlation of R.T with A: {nmacausal.connectivity_correlation(A.T, R):.3f}")


def main():
    speed()
    scale()


if __name__ == "__main__":
    main()
