"""Grading a class of 40 notebooks: ``grade_class`` against nbgrader's autograde in a row.

The class mixes complete, blank, partly done and mistaken notebooks. The
baseline is nbgrader's own autograde run on every student one after another in
one process (nbgrader imported once, as ``nbgrader autograde`` does); the
library grades the same class on ``--jobs`` worker processes and, on top,
records it in the class's gradebook and writes every student's feedback page
and the class report. Prints the wall times, the ratio (target: at least 1.7x
on 2 cores, with every kernel in the sandbox) and whether the scores agree,
the same run with ``sandbox=False`` for comparison, and the time of a second
run over the unchanged class (which regrades nobody) as a fraction of the
first. Last, the sandbox's own cost: one kernel started, run and stopped in
the box and outside it.
"""

import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from class_builder import (  # noqa: E402
    ALL_EXERCISES,
    CATALOGUE,
    NOTEBOOK,
    TUTORIAL,
    Student,
    write_class,
)

from nmacausal.course.files import installed_course_files  # noqa: E402
from nmacausal.grading.nbgrader_course import Course  # noqa: E402
from nmacausal.grading.pipeline import default_jobs  # noqa: E402

CLASS_SIZE = 40
CELL_TIMEOUT = 30.0


def make_class(folder):
    mistakes = itertools.cycle(CATALOGUE)
    students = []
    for index in range(CLASS_SIZE):
        kind = index % 4
        if kind == 0:
            student = Student(f"s{index:02d}", ALL_EXERCISES)
        elif kind == 1:
            student = Student(f"s{index:02d}")
        elif kind == 2:
            student = Student(f"s{index:02d}", ALL_EXERCISES[: index % 3 + 1])
        else:
            exercise, mistake = next(mistakes)
            others = tuple(e for e in ALL_EXERCISES if e != exercise)
            student = Student(f"s{index:02d}", others, mistakes={exercise: mistake})
        students.append(student)
    return write_class(students, folder)


def nbgrader_one_after_another(submissions, work):
    """nbgrader's autograde on each student in turn; the total score of each."""
    source = installed_course_files().solutions(TUTORIAL)
    course = Course.create(Path(work) / "course", NOTEBOOK, source, cell_timeout=CELL_TIMEOUT)
    students = sorted(path.name for path in Path(submissions).iterdir())
    start = time.perf_counter()
    totals = {}
    for student in students:
        run = course.autograde(student, Path(submissions) / student / f"{NOTEBOOK}.ipynb")
        totals[student] = sum(score or 0 for score in run.scores.values())
    return time.perf_counter() - start, totals


def timed_in_a_fresh_process(code, *args):
    """Run ``code`` in a new interpreter (as a person runs a command); its JSON result."""
    completed = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


BASELINE = """
import json, sys
from benchmarks.bench_grading import nbgrader_one_after_another
seconds, totals = nbgrader_one_after_another(sys.argv[1], sys.argv[2])
print(json.dumps([seconds, totals]))
"""
LIBRARY = """
import json, sys, time
from nmacausal.grading.pipeline import grade_class
start = time.perf_counter()
regraded = []
rows = grade_class(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]), cell_timeout=float(sys.argv[4]),
                   sandbox=sys.argv[5] == "boxed",
                   progress=lambda done, total, grade: regraded.append(grade.student_id))
seconds = time.perf_counter() - start
print(json.dumps([seconds, {row.student_id: row.total for row in rows}, len(regraded)]))
"""


def one_kernel_seconds(boxed, repeats=5):
    """Median seconds to start a kernel, run one small cell in it and stop it."""
    import statistics

    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from nmacausal.grading.sandbox import SandboxedKernelManager

    times = []
    with tempfile.TemporaryDirectory() as scratch_root:
        for _ in range(repeats):
            cell = nbformat.v4.new_code_cell("import numpy as np, nmacausal\nnp.ones(3).sum()")
            notebook = nbformat.v4.new_notebook(cells=[cell])
            notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3"}
            config = Config()
            options = {"config": config}
            if boxed:
                config.SandboxedKernelManager.scratch_root = scratch_root
                options["kernel_manager_class"] = SandboxedKernelManager
            else:  # the same transport as the grader's unboxed kernels
                config.KernelManager.transport = "ipc"
                config.KernelManager.ip = f"{scratch_root}/kernel-ipc"
            start = time.perf_counter()
            NotebookClient(notebook, timeout=60, **options).execute()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(jobs=None):
    jobs = jobs or default_jobs()
    with tempfile.TemporaryDirectory() as work:
        submissions = make_class(Path(work) / "submitted")
        baseline_time, baseline_totals = timed_in_a_fresh_process(BASELINE, submissions, work)
        runs = {}
        for mode in ("boxed", "unboxed"):
            out = Path(work) / f"out-{mode}"
            runs[mode] = timed_in_a_fresh_process(
                LIBRARY, submissions, out, jobs, CELL_TIMEOUT, mode
            )
        rerun_time, _, regraded = timed_in_a_fresh_process(
            LIBRARY, submissions, Path(work) / "out-boxed", jobs, CELL_TIMEOUT, "boxed"
        )
    print(f"class of {CLASS_SIZE} notebooks, assignment {NOTEBOOK}, {jobs} jobs (the default)")
    print("each side in a fresh process, as its command runs")
    print(f"  nbgrader autograde, one after another:           {baseline_time:6.1f} s")
    for mode, label in (("boxed", "in the sandbox (default)"), ("unboxed", "--no-sandbox")):
        seconds, totals, _ = runs[mode]
        same = totals == baseline_totals
        ratio = baseline_time / seconds
        verdict = "ok" if ratio >= 1.7 and same else "MISSED"
        print(
            f"  nmacausal grade, {label:<25} {seconds:6.1f} s   {ratio:.2f}x   "
            f"same scores={same}   [{verdict if mode == 'boxed' else 'for comparison'}]"
        )
        for student in sorted(totals):
            if totals[student] != baseline_totals.get(student):
                print(
                    f"    {student}: {totals[student]} vs nbgrader {baseline_totals.get(student)}"
                )
    library_time = runs["boxed"][0]
    print(
        f"  second run, nothing changed: {rerun_time:6.1f} s ({rerun_time / library_time:.1%} of "
        f"the first), {regraded} regraded"
    )
    extra = (runs["boxed"][0] - runs["unboxed"][0]) / CLASS_SIZE
    boxed_kernel, plain_kernel = one_kernel_seconds(True), one_kernel_seconds(False)
    print(
        f"  the sandbox's cost: {extra * 1000:+.0f} ms of wall time per student in the class run; "
        f"one kernel started, run and stopped: {boxed_kernel:.2f} s boxed, "
        f"{plain_kernel:.2f} s plain (median of 5)"
    )


if __name__ == "__main__":
    main()
