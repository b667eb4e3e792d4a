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

import numpy as np

from nmacausal.widgets.correlation import (
    NETWORK_SIZE_RANGE,
    SPARSITY_RANGE,
    NetworkSizeExplorer,
    SparsityExplorer,
)

from ._sliders import print_header, print_row, print_verdict, time_moves

WIDTH = 20  # of the explorer column


def slider_positions(low, high, step):
    count = round((high - low) / step) + 1
    return [round(low + k * step, 10) for k in range(count)]


def main():
    print_header(WIDTH)
    cases = [
        ("NetworkSizeExplorer", NetworkSizeExplorer, slider_positions(*NETWORK_SIZE_RANGE)),
        ("SparsityExplorer", SparsityExplorer, slider_positions(*SPARSITY_RANGE)),
    ]
    verdicts = []
    for name, explorer_class, positions in cases:
        explorer = explorer_class()
        forward = [value for value in positions if value != explorer.slider.value]
        backward = positions[::-1]
        for label, moves in [("first visit", forward), ("revisit", backward)]:
            times = time_moves(explorer, moves)
            slowest = moves[int(np.argmax(times))]
            verdicts.append(print_row(WIDTH, name, label, times, slowest))
    print_verdict(verdicts)
