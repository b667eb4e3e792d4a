"""How quickly the dynamics explorer follows its time slider, over its whole default run.

Measured: from setting ``time_slider.value`` to the new figure sitting in the
explorer's Output widget, which covers the estimate, updating the artists,
the Agg drawing and the PNG encoding the notebook displays. The observer runs
synchronously, so timing the assignment times all of it (sending the PNG to
the browser is not included: there is no kernel here).

For 6 and 50 neurons, the default run (2000 steps) is stepped through twice:
one step at a time from the first step to the last (the step button, or Play
at 1 step a frame), and at Play's default speed. Each row gives the median
and the 95th percentile of the wall-clock time, and the same for the CPU
time of this thread: on a shared machine other work stretches wall-clock
times, not CPU times. Compared with two slower ways of showing the same
steps: updating the artists but redrawing the whole figure, and building a
new figure for every step. Target: p95 under 40 ms at both sizes.
"""

import os
import statistics
import time
from functools import partial

import numpy as np

from nmacausal.widgets.dynamics import (
    DEFAULT_PLAY_SPEED,
    DEFAULT_TIMESTEPS,
    DynamicsExplorer,
    ExplorerFigure,
)

TARGET_P95_MS = 40.0
SAMPLED_STEPS = 40  # for the slow ways, spread over the run
REBUILT_STEPS = 10


def time_each(steps, show_step):
    """Wall-clock and CPU milliseconds ``show_step(step)`` takes, for each of ``steps``."""
    wall, cpu = [], []
    for step in steps:
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        show_step(step)
        cpu.append(1000 * (time.thread_time() - cpu_start))
        wall.append(1000 * (time.perf_counter() - wall_start))
    return wall, cpu


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


def p95(times):
    return float(np.percentile(times, 95))


def main():
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores; other work skews wall-clock times)")
    print(
        f"{'neurons':>7}  {'method':<38}{'median':>8}{'p95':>8}{'cpu med':>9}{'cpu p95':>9}"
        f"{'steps':>7}{'x slower':>10}   (ms)"
    )
    last_step = DEFAULT_TIMESTEPS - 1
    verdicts = []
    for n_neurons in (6, 50):
        explorer = DynamicsExplorer(n_neurons=n_neurons)
        # Every step of the run, then Play's frames from the first step: the step
        # moves forward each time, as when a student watches the run.
        every_step = time_each(range(1, last_step + 1), partial(move_slider, explorer))
        explorer.time_slider.value = 0
        frames = list(range(DEFAULT_PLAY_SPEED, last_step + 1, DEFAULT_PLAY_SPEED))
        play = time_each(frames, partial(move_slider, explorer))
        sample = np.linspace(0, last_step, SAMPLED_STEPS).astype(int)
        full = time_each(sample, partial(redraw_fully, explorer.view))
        rebuilds = time_each(
            sample[:: SAMPLED_STEPS // REBUILT_STEPS], partial(rebuild, explorer.runs)
        )
        reference = statistics.median(every_step[0])
        for name, (wall, cpu) in [
            ("every step, 0 to the last", every_step),
            (f"Play, {DEFAULT_PLAY_SPEED} steps a frame", play),
            ("artists + full redraw", full),
            ("new figure every step", rebuilds),
        ]:
            median = statistics.median(wall)
            print(
                f"{n_neurons:>7}  {name:<38}{median:>8.1f}{p95(wall):>8.1f}"
                f"{statistics.median(cpu):>9.1f}{p95(cpu):>9.1f}{len(wall):>7}"
                f"{median / reference:>10.1f}"
            )
        worst = max(p95(every_step[0]), p95(play[0]))
        verdicts.append((n_neurons, worst))
    for n_neurons, worst in verdicts:
        verdict = "meets" if worst < TARGET_P95_MS else "MISSES"
        print(
            f"         target: p95 under {TARGET_P95_MS:.0f} ms for {n_neurons} neurons "
            f"(worst p95 {worst:.1f} ms): {verdict}"
        )
