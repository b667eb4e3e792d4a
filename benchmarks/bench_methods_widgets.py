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
- ``observed, idle``: a fraction of the neurons not shown before under these
  conditions, moved to once the kernel has been idle (``estimate_ahead()``,
  untimed, makes the estimates the kernel's event loop makes while a student
  looks at the figure): no simulation, no estimate, a new picture drawn;
- ``observed, at once``: a fraction moved to right after a new network is
  shown, before any estimate ahead: four new estimates (the Lasso fit is most
  of it), the worst case (in a kernel, add at most one estimate ahead under way);
- ``observed, redrawn``: back over the fractions seen: nothing is computed,
  but the picture is new (the quality panel has gained points since), so it is
  drawn: the saved background restored, what changes drawn over it, the PNG
  encoded;
- ``observed, same``: over them once more: each picture is one shown before,
  kept (the artists are updated, nothing is drawn).

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


def at_once(explorer, first_seed):
    """Times of a move of the fraction observed made right after a new network is shown."""
    times = []
    for seed in range(first_seed, first_seed + SEEDS):
        explorer.observed_slider.value = 0.5
        explorer.seed_input.value = seed
        times += time_values(explorer.observed_slider, [0.9])
    return times


def main():
    print_header(WIDTH)
    builds, rows = [], {}
    fractions = [value for value in PARAMETERS["observed_fraction"].positions if value != 0.5]
    back = [*fractions[-2::-1], 0.5]  # from the last fraction visited to the start
    for round_ in range(ROUNDS):
        start = time.perf_counter()
        explorer = MethodsExplorer()
        builds.append(1000 * (time.perf_counter() - start))
        first_seed = 1000 * (round_ + 1)
        moves = [
            ("seed", explorer.seed_input, range(first_seed, first_seed + SEEDS)),
            # New values only; going back (kept, so nothing is simulated) is not timed.
            ("sparsity", explorer.sparsity_slider, [0.8, 0.95, 0.7, 0.5]),
            ("eta", explorer.eta_slider, [1.0, 0.5, 4.0, 0.25]),
            ("observed, idle", explorer.observed_slider, fractions),
            ("observed, redrawn", explorer.observed_slider, back),
            ("observed, same", explorer.observed_slider, [*fractions, *back]),
        ]
        for label, control, values in moves:
            start_value = control.value
            pause = explorer.estimate_ahead if label == "observed, idle" else None
            rows.setdefault(label, []).extend(time_values(control, values, pause))
            if not label.startswith("observed"):
                control.value = start_value
        rows.setdefault("observed, at once", []).extend(at_once(explorer, first_seed + SEEDS))
    print_row(WIDTH, "MethodsExplorer", "build (cold)", builds[:1])
    print_row(WIDTH, "MethodsExplorer", "build", builds[1:])
    for label, times in rows.items():
        print_row(WIDTH, "MethodsExplorer", label, times)
    for what, times, target in [
        ("a new network (seed, sparsity)", rows["seed"] + rows["sparsity"], SIMULATION_TARGET_MS),
        ("a fraction not shown before, idle kernel", rows["observed, idle"], REDRAW_TARGET_MS),
        ("a fraction seen, redrawn", rows["observed, redrawn"], REDRAW_TARGET_MS),
        ("a picture seen", rows["observed, same"], REDRAW_TARGET_MS),
    ]:
        median = statistics.median(times)
        verdict = "meets" if median < target else "MISSES"
        print(f"target: median under {target:.0f} ms for {what}: {median:.1f} ms, {verdict}")
