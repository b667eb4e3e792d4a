"""How quickly Tutorial 3's explorer follows its slider (target: 300 ms per redraw).

Measured: from setting ``slider.value`` to the new figure sitting in the
explorer's Output widget, which covers the Lasso fit of the observed neurons
(on a slider position's first visit), updating the artists, the Agg drawing
and the PNG encoding. The observer runs synchronously, so timing the
assignment times all of it (sending the PNG to the browser is not included:
there is no kernel here). Building the explorer (one simulation, the first
fit and the first full drawing) is timed apart: the process's first build
(cold: Matplotlib loads its fonts, scikit-learn its lazy modules), then the
others.

The explorer is swept over every position of its slider in the order a drag
goes, 5 -> 45 (first visits: a fit each) then 45 -> 5 (revisits: cached),
``ROUNDS`` times with a new explorer each round. Reported: median and 95th
percentile, and the worst position.
"""

from nmacausal.widgets.regression import ObservedNeuronsExplorer, slider_range

from ._sliders import print_header, print_sweep, print_verdict, sweep

ROUNDS = 5
WIDTH = 25  # of the explorer column


def main():
    print_header(WIDTH)
    low, high, step = slider_range(50)
    positions = list(range(low, high + 1, step))
    times = sweep(ObservedNeuronsExplorer, positions, ROUNDS)
    verdicts = print_sweep(
        WIDTH, "ObservedNeuronsExplorer", *times, describe=lambda n: f"n_observed={n}"
    )
    print_verdict(verdicts)
