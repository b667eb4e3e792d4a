"""How quickly Tutorial 2's explorers follow their sliders (target: 300 ms per redraw).

Measured: from setting ``slider.value`` to the new figure sitting in the
explorer's Output widget, which covers simulating the network (on a slider
position's first visit), estimating ``R``, updating the artists, the Agg
drawing and the PNG encoding. The observer runs synchronously, so timing the
assignment times all of it (sending the PNG to the browser is not included:
there is no kernel here).

Each explorer is swept over every position of its slider, first visits
(a new setting is simulated) then revisits (cached), in the order a drag
goes: NetworkSizeExplorer 6 -> 42 -> 6, SparsityExplorer 0.01 -> 0.99 -> 0.01.
Reported: median and 95th percentile, and the worst position.
"""

import os
import statistics
import time

import numpy as np

from nmacausal.widgets.correlation import (
    NETWORK_SIZE_RANGE,
    SPARSITY_RANGE,
    NetworkSizeExplorer,
    SparsityExplorer,
)

TARGET_MS = 300.0


def slider_positions(low, high, step):
    count = round((high - low) / step) + 1
    return [round(low + k * step, 10) for k in range(count)]


def time_moves(explorer, positions):
    """Milliseconds each ``slider.value = position`` takes, and the slowest position."""
    times = []
    for position in positions:
        start = time.perf_counter()
        explorer.slider.value = position
        times.append(1000 * (time.perf_counter() - start))
    slowest = positions[int(np.argmax(times))]
    return times, slowest


def main():
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores; other work skews these numbers)")
    print(
        f"{'explorer':<20}{'moves':<14}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
        f"{'n':>5}  slowest at"
    )
    cases = [
        ("NetworkSizeExplorer", NetworkSizeExplorer, slider_positions(*NETWORK_SIZE_RANGE)),
        ("SparsityExplorer", SparsityExplorer, slider_positions(*SPARSITY_RANGE)),
    ]
    verdicts = []
    for name, explorer_class, positions in cases:
        explorer = explorer_class()
        forward = [value for value in positions if value != explorer.slider.value]
        first_visits, slowest_first = time_moves(explorer, forward)
        revisits, slowest_again = time_moves(explorer, positions[::-1])
        for label, times, slowest in [
            ("first visit", first_visits, slowest_first),
            ("revisit", revisits, slowest_again),
        ]:
            median = statistics.median(times)
            p95 = float(np.percentile(times, 95))
            print(
                f"{name:<20}{label:<14}{median:>10.1f}{p95:>9.1f}{max(times):>9.1f}"
                f"{len(times):>5}  {slowest}"
            )
            verdicts.append(p95 <= TARGET_MS)
    verdict = "meets" if all(verdicts) else "MISSES"
    print(f"target: every redraw under {TARGET_MS:.0f} ms (checked on p95): {verdict}")
