"""How quickly the day's summary explorer, MethodsExplorer, follows its controls.

Targets (issue 16), at 50 neurons and 5000 timesteps with all four methods:
a median under 300 ms from a change that needs new simulations to the new
figure, and under 30 ms for a change that needs none.

Measured: from setting a control's ``value`` to the new figure sitting in the
explorer's Output widget. The observer runs synchronously, so timing the
assignment times all of it: the simulations and estimates the change needs,
updating the artists, the Agg drawing and the PNG encoding (sending the PNG
to the browser is not included: there is no kernel here). The rows:

- ``seed`` and ``sparsity``: a new network, so all three recordings
  (perturbed, free, with the instrument) and all four estimates are new;
- ``eta``: only the instrumented recording and the IV estimate are new;
- ``observed, new``: a fraction of the neurons not seen before under these
  conditions: no simulation, but four new estimates (the Lasso fit is most of
  it);
- ``observed, seen``: a fraction seen before: nothing is computed, the
  figure is redrawn.

Each explorer starts at the defaults (50 neurons, 5000 timesteps, 50 %
observed); a build is timed apart (the process's first is cold: Matplotlib
loads its fonts, scikit-learn its modules).
"""

import statistics
import time

from nmacausal.widgets.methods import PARAMETERS, MethodsExplorer

from ._sliders import print_header, print_row, time_values

ROUNDS = 3
SEEDS = 8  # new networks per round
WIDTH = 24  # of the explorer column
SIMULATION_TARGET_MS = 300.0
REDRAW_TARGET_MS = 30.0


def main():
    print_header(WIDTH)
    builds, rows = [], {}
    fractions = [value for value in PARAMETERS["observed_fraction"].positions if value != 0.5]
    for round_ in range(ROUNDS):
        start = time.perf_counter()
        explorer = MethodsExplorer()
        builds.append(1000 * (time.perf_counter() - start))
        first_seed = 1000 * (round_ + 1)
        rows.setdefault("seed", []).extend(
            time_values(explorer.seed_input, range(first_seed, first_seed + SEEDS))
        )
        explorer.seed_input.value = 42
        # New values only, timed; going back (kept, so nothing is simulated) is not.
        rows.setdefault("sparsity", []).extend(
            time_values(explorer.sparsity_slider, [0.8, 0.95, 0.7, 0.5])
        )
        explorer.sparsity_slider.value = 0.9
        rows.setdefault("eta", []).extend(time_values(explorer.eta_slider, [1.0, 0.5, 4.0, 0.25]))
        explorer.eta_slider.value = 2.0
        rows.setdefault("observed, new", []).extend(
            time_values(explorer.observed_slider, fractions)
        )
        rows.setdefault("observed, seen", []).extend(
            time_values(explorer.observed_slider, [*fractions[::-1], 0.5, *fractions])
        )
    print_row(WIDTH, "MethodsExplorer", "build (cold)", builds[:1])
    print_row(WIDTH, "MethodsExplorer", "build", builds[1:])
    for label, times in rows.items():
        print_row(WIDTH, "MethodsExplorer", label, times)
    simulating = rows["seed"] + rows["sparsity"]
    redrawing = rows["observed, seen"]
    for what, times, target in [
        ("a change that simulates everything (seed, sparsity)", simulating, SIMULATION_TARGET_MS),
        ("a change that simulates nothing (observed, seen)", redrawing, REDRAW_TARGET_MS),
    ]:
        median = statistics.median(times)
        verdict = "meets" if median < target else "MISSES"
        print(f"target: median under {target:.0f} ms for {what}: {median:.1f} ms, {verdict}")
