"""How quickly Tutorial 4's explorer follows its slider (target: 300 ms per redraw).

Measured: from setting ``slider.value`` to the new figure sitting in the
explorer's Output widget, which covers the two fits of the observed neurons,
IV and Lasso (on a slider position's first visit), updating the artists, the
Agg drawing and the PNG encoding. The observer runs synchronously, so timing
the assignment times all of it (sending the PNG to the browser is not
included: there is no kernel here). Building the explorer (one simulation of
30 neurons for 20000 timesteps, the first two fits and the first full
drawing) is timed apart: the process's first build (cold: Matplotlib loads
its fonts, scikit-learn its lazy modules), then the others.

The explorer is swept over every position of its slider in the order a drag
goes, 0.2 -> 1 (first visits: two fits each) then 1 -> 0.2 (revisits:
cached), ``ROUNDS`` times with a new explorer each round. Reported: median and
95th percentile, and the worst position.
"""

import os
import statistics
import time

import numpy as np

from nmacausal.widgets.instrumental import IVObservedNeuronsExplorer

TARGET_MS = 300.0
ROUNDS = 5


def time_moves(explorer, positions):
    """Milliseconds each ``slider.value = position`` takes."""
    times = []
    for position in positions:
        start = time.perf_counter()
        explorer.slider.value = position
        times.append(1000 * (time.perf_counter() - start))
    return times


def main():
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores; other work skews these numbers)")
    builds, first_visits, revisits = [], {}, {}
    for _ in range(ROUNDS):
        start = time.perf_counter()
        explorer = IVObservedNeuronsExplorer()
        builds.append(1000 * (time.perf_counter() - start))
        positions = list(explorer.ratios)
        forward = positions[1:]  # the starting position is drawn when the explorer is built
        for position, ms in zip(forward, time_moves(explorer, forward), strict=True):
            first_visits.setdefault(position, []).append(ms)
        backward = positions[::-1]
        for position, ms in zip(backward, time_moves(explorer, backward), strict=True):
            revisits.setdefault(position, []).append(ms)

    print(
        f"{'explorer':<27}{'moves':<14}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
        f"{'n':>5}  slowest at"
    )
    name = "IVObservedNeuronsExplorer"
    for label, times in [("build (cold)", builds[:1]), ("build", builds[1:])]:
        print(
            f"{name:<27}{label:<14}{statistics.median(times):>10.1f}"
            f"{float(np.percentile(times, 95)):>9.1f}{max(times):>9.1f}{len(times):>5}"
        )
    verdicts = []
    for label, by_position in [("first visit", first_visits), ("revisit", revisits)]:
        times = [ms for values in by_position.values() for ms in values]
        slowest = max(by_position, key=lambda position: max(by_position[position]))
        p95 = float(np.percentile(times, 95))
        print(
            f"{name:<27}{label:<14}{statistics.median(times):>10.1f}{p95:>9.1f}"
            f"{max(times):>9.1f}{len(times):>5}  ratio={slowest:g}"
        )
        verdicts.append(p95 <= TARGET_MS)
    verdict = "meets" if all(verdicts) else "MISSES"
    print(f"target: every redraw under {TARGET_MS:.0f} ms (checked on p95): {verdict}")
