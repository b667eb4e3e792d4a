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

from nmacausal.widgets.instrumental import DEMO_RATIOS, IVObservedNeuronsExplorer

from ._sliders import print_header, print_sweep, print_verdict, sweep

ROUNDS = 5
WIDTH = 27  # of the explorer column


def main():
    print_header(WIDTH)
    times = sweep(IVObservedNeuronsExplorer, list(DEMO_RATIOS), ROUNDS)
    verdicts = print_sweep(
        WIDTH, "IVObservedNeuronsExplorer", *times, describe=lambda ratio: f"ratio={ratio:g}"
    )
    print_verdict(verdicts)
