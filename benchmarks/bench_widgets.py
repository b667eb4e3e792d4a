"""How quickly the dynamics explorer follows its time slider.

Measured: from setting ``time_slider.value`` to the new figure sitting in the
explorer's Output widget, which covers updating the artists, the Agg drawing
and the PNG encoding the notebook displays. The observer runs synchronously,
so timing the assignment times all of it (sending the PNG to the browser is
not included: there is no kernel here).

Compared with two slower ways of showing the same step: updating the artists
but redrawing the whole figure (no saved background), and building a new
figure for every step. Target: median at most 30 ms for 6 neurons.
"""

import os
import statistics
import time
from functools import partial

import numpy as np

from nmacausal.widgets.dynamics import DynamicsExplorer, ExplorerFigure

TIMESTEPS = 200
TARGET_MEDIAN_MS = 30.0


def time_each(steps, show_step):
    """Milliseconds ``show_step(step)`` takes, for each of ``steps``."""
    times = []
    for step in steps:
        start = time.perf_counter()
        show_step(step)
        times.append(1000 * (time.perf_counter() - start))
    return times


def move_slider(explorer, step):
    """What a student does; the explorer's observer draws and shows the step."""
    explorer.time_slider.value = step


def redraw_fully(view, step):
    """The same update of the artists, then the whole figure drawn again."""
    view.show_step(step)
    view.render_png(full_redraw=True)


def rebuild(runs, step):
    """A new figure built and drawn for the step."""
    view = ExplorerFigure(runs)
    view.show_step(step)
    view.render_png()


def summary(times):
    return statistics.median(times), float(np.percentile(times, 95))


def main():
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores; other work skews these numbers)")
    print(
        f"{'neurons':>7}  {'method':<34}{'median ms':>10}{'p95 ms':>9}{'steps':>7}{'x slower':>10}"
    )
    for n_neurons in (6, 50):
        explorer = DynamicsExplorer(n_neurons=n_neurons, timesteps=TIMESTEPS)
        # Forward through every step twice, as Play does: that includes the
        # page turns of the activity window, which redraw the background.
        sweep = list(range(1, TIMESTEPS)) + [0] + list(range(1, TIMESTEPS))
        updates = time_each(sweep, partial(move_slider, explorer))
        sample = list(range(0, TIMESTEPS, 5))
        full = time_each(sample, partial(redraw_fully, explorer.view))
        rebuilds = time_each(sample, partial(rebuild, explorer.runs))
        update_median = summary(updates)[0]
        for name, times in [
            ("slider -> shown (artists + blit)", updates),
            ("artists + full redraw", full),
            ("new figure every step", rebuilds),
        ]:
            median, p95 = summary(times)
            print(
                f"{n_neurons:>7}  {name:<34}{median:>10.1f}{p95:>9.1f}{len(times):>7}"
                f"{median / update_median:>10.1f}"
            )
        if n_neurons == 6:
            verdict = "meets" if update_median <= TARGET_MEDIAN_MS else "MISSES"
            print(f"         target: median <= {TARGET_MEDIAN_MS:.0f} ms for 6 neurons: {verdict}")
