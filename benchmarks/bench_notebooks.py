"""The cost of each tutorial itself: its solutions notebook against a kernel that only imports.

Each run starts a fresh kernel (as ``nmacausal build-notebooks`` and a student's
"Restart and run all" do). For every tutorial of the day, prints the median wall time of:

- executing ``solutions/W3D5_TutorialN.ipynb`` top to bottom;
- executing a notebook holding only the solutions' import statements (kernel
  start plus imports, the floor no tutorial content can go below);

and their difference, the work the tutorial's cells add, against the target
its issue set. Then the slowest cells of one run, to show where that time goes.
"""

import ast
import statistics
import time
from datetime import datetime
from pathlib import Path

import nbformat

from nmacausal.course.notebooks import execute_notebook, read_notebook
from nmacausal.tutorials import TUTORIALS

SOLUTIONS_FOLDER = Path(__file__).resolve().parent.parent / "solutions"
REPEATS = 3
# Per tutorial number: what is timed against the target, and the target in seconds.
TARGETS = {
    1: ("the tutorial's own work", 1.0),
    2: ("the whole notebook", 60.0),
    3: ("the whole notebook", 30.0),
    4: ("the whole notebook", 60.0),
}
SLOWEST_SHOWN = 6


def imports_only(notebook):
    """A notebook with one cell: every import statement of ``notebook``'s code cells."""
    imports = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for statement in ast.parse(cell.source).body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                imports.append(ast.unparse(statement))
    baseline = nbformat.v4.new_notebook(metadata=notebook.metadata)
    baseline.cells = [nbformat.v4.new_code_cell("\n".join(dict.fromkeys(imports)), id="imports")]
    return baseline


def run_seconds(notebook, *, record_timing=False):
    start = time.perf_counter()
    executed = execute_notebook(notebook, working_dir=SOLUTIONS_FOLDER, record_timing=record_timing)
    return time.perf_counter() - start, executed


def cell_seconds(cell):
    """From the kernel's "busy" to its "idle" for this cell, as nbclient recorded them."""
    timing = cell.metadata["execution"]
    busy, idle = (
        datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
        for key in ("iopub.status.busy", "iopub.status.idle")
    )
    return (idle - busy).total_seconds()


def main():
    for tutorial in TUTORIALS:
        print(f"-- Tutorial {tutorial.number}: {tutorial.title} --")
        time_notebook(read_notebook(SOLUTIONS_FOLDER / tutorial.notebook_file), tutorial.number)


def time_notebook(solutions, number):
    baseline = imports_only(solutions)
    run_seconds(baseline)  # warm the disk cache and the bytecode of every package
    solution_times, baseline_times = [], []
    for _ in range(REPEATS):  # interleaved, so that drift in the machine's load hits both
        baseline_times.append(run_seconds(baseline)[0])
        solution_times.append(run_seconds(solutions)[0])
    solutions_median = statistics.median(solution_times)
    baseline_median = statistics.median(baseline_times)
    added = solutions_median - baseline_median
    what, target = TARGETS.get(number, ("the whole notebook", float("inf")))
    timed = added if what == "the tutorial's own work" else solutions_median
    verdict = "ok" if timed < target else "MISSED"
    print(f"median of {REPEATS} runs, each in a fresh kernel:")
    print(f"  solutions notebook, top to bottom   {solutions_median:6.2f} s")
    print(f"  kernel start + the same imports     {baseline_median:6.2f} s")
    print(f"  the tutorial's own work             {added:6.2f} s")
    print(f"  target: {what} < {target:g} s [{verdict}]")

    _, executed = run_seconds(solutions, record_timing=True)
    code_cells = [cell for cell in executed.cells if cell.cell_type == "code"]
    slowest = sorted(code_cells, key=cell_seconds, reverse=True)[:SLOWEST_SHOWN]
    print("slowest cells of one run (the setup cell holds the imports):")
    for cell in slowest:
        print(f"  {cell_seconds(cell):6.3f} s  {cell.id}")


if __name__ == "__main__":
    main()
