"""Soak: the 40-notebook class graded five times in a row with ``force=True``.

Every run must give every student the same points and status, and no run may
report a crashed or unstarted kernel that the submission did not cause (the
class holds no submission that crashes its kernel). Prints each run's time and
the count of such spurious failures. Several minutes: run on demand only.
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from benchmarks.bench_grading import CELL_TIMEOUT, make_class  # noqa: E402
from nmacausal.grading.pipeline import default_jobs, grade_class  # noqa: E402

RUNS = 5
KERNEL_TROUBLE = ("kernel crashed", "kernel did not start", "not reproducible")


def main(runs=RUNS):
    with tempfile.TemporaryDirectory() as work:
        submissions = make_class(Path(work) / "submitted")
        outcomes, spurious = [], 0
        for run in range(1, runs + 1):
            start = time.perf_counter()
            rows = grade_class(
                submissions,
                Path(work) / "out",
                jobs=default_jobs(),
                cell_timeout=CELL_TIMEOUT,
                force=True,
            )
            seconds = time.perf_counter() - start
            outcome = {row.student_id: (row.total, row.status) for row in rows}
            trouble = [row for row in rows if any(word in row.status for word in KERNEL_TROUBLE)]
            spurious += len(trouble)
            outcomes.append(outcome)
            print(
                f"  run {run}: {len(rows)} students in {seconds:5.1f} s, kernel trouble: "
                f"{[row.student_id for row in trouble]}",
                flush=True,
            )
        identical = all(outcome == outcomes[0] for outcome in outcomes)
        verdict = "ok" if identical and spurious == 0 else "MISSED"
        print(
            f"  {runs} runs: identical scores and statuses={identical}, spurious kernel "
            f"failures={spurious}   [{verdict}]"
        )


if __name__ == "__main__":
    main()
