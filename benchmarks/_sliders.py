"""What the slider benchmarks of Tutorials 2 to 4 share: timing moves and sweeps, and their table.

Used by ``bench_correlation_widgets.py``, ``bench_regression_widgets.py``,
``bench_instrumental_widgets.py`` and ``bench_methods_widgets.py`` (not a
benchmark of its own: ``python -m benchmarks`` runs ``bench_*`` only).
"""

import os
import statistics
import time

import numpy as np

TARGET_MS = 300.0


def time_moves(explorer, positions):
    """Milliseconds each ``slider.value = position`` takes."""
    return time_values(explorer.slider, positions)


def time_values(control, values, before_each=None):
    """Milliseconds each ``control.value = value`` takes (a widget's observers run in it).

    ``before_each``, if given, is called (untimed) before each move: a pause.
    """
    times = []
    for value in values:
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        control.value = value
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


def sweep(make_explorer, positions, rounds):
    """Build ``rounds`` explorers and move each over ``positions`` and back.

    The first position is the explorer's start. Returns the builds' milliseconds,
    then each position's milliseconds on its first visits and on its revisits.
    """
    builds, first_visits, revisits = [], {}, {}
    for _ in range(rounds):
        start = time.perf_counter()
        explorer = make_explorer()
        builds.append(1000 * (time.perf_counter() - start))
        forward = positions[1:]  # the starting position is drawn when the explorer is built
        for position, ms in zip(forward, time_moves(explorer, forward), strict=True):
            first_visits.setdefault(position, []).append(ms)
        backward = positions[::-1]
        for position, ms in zip(backward, time_moves(explorer, backward), strict=True):
            revisits.setdefault(position, []).append(ms)
    return builds, first_visits, revisits


def print_sweep(width, name, builds, first_visits, revisits, describe):
    """The rows of a :func:`sweep` (``describe`` names a position); returns their verdicts."""
    for label, times in [("build (cold)", builds[:1]), ("build", builds[1:])]:
        print_row(width, name, label, times)
    verdicts = []
    for label, by_position in [("first visit", first_visits), ("revisit", revisits)]:
        times = [ms for values in by_position.values() for ms in values]
        slowest = max(by_position, key=lambda position: max(by_position[position]))
        verdicts.append(print_row(width, name, label, times, describe(slowest)))
    return verdicts
