"""What the slider benchmarks of Tutorials 2 to 4 share: timing moves, and their table.

Used by ``bench_correlation_widgets.py``, ``bench_regression_widgets.py`` and
``bench_instrumental_widgets.py`` (not a benchmark of its own: ``python -m
benchmarks`` runs ``bench_*`` only).
"""

import os
import statistics
import time

import numpy as np

TARGET_MS = 300.0


def time_moves(explorer, positions):
    """Milliseconds each ``slider.value = position`` takes."""
    times = []
    for position in positions:
        start = time.perf_counter()
        explorer.slider.value = position
        times.append(1000 * (time.perf_counter() - start))
    return times


def print_header(width):
    """The load average, then the table's header; ``width`` is the explorer column's."""
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores; other work skews these numbers)")
    print(
        f"{'explorer':<{width}}{'moves':<14}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
        f"{'n':>5}  slowest at"
    )


def print_row(width, name, label, times, slowest=None):
    """One row of the table; returns whether its 95th percentile meets the target."""
    p95 = float(np.percentile(times, 95))
    row = (
        f"{name:<{width}}{label:<14}{statistics.median(times):>10.1f}{p95:>9.1f}"
        f"{max(times):>9.1f}{len(times):>5}"
    )
    print(row if slowest is None else f"{row}  {slowest}")
    return p95 <= TARGET_MS


def print_verdict(verdicts):
    verdict = "meets" if all(verdicts) else "MISSES"
    print(f"target: every redraw under {TARGET_MS:.0f} ms (checked on p95): {verdict}")
