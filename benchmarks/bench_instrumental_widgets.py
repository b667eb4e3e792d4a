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

import time

from nmacausal.widgets.instrumental import IVObservedNeuronsExplorer

from ._sliders import print_header, print_row, print_verdict, time_moves

ROUNDS = 5
WIDTH = 27  # of the explorer column


def main():
    print_header(WIDTH)
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

    name = "IVObservedNeuronsExplorer"
    for label, times in [("build (cold)", builds[:1]), ("build", builds[1:])]:
        print_row(WIDTH, name, label, times)
    verdicts = []
    for label, by_position in [("first visit", first_visits), ("revisit", revisits)]:
        times = [ms for values in by_position.values() for ms in values]
        slowest = max(by_position, key=lambda position: max(by_position[position]))
        verdicts.append(print_row(WIDTH, name, label, times, f"ratio={slowest:g}"))
    print_verdict(verdicts)
