"""Grading a class more than once into the same gradebook, and the instructor's policies.

A small class is graded once; each test then works on its own copy of the
submissions and of the output folder, so the tests do not depend on each other.
"""

import csv
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from class_builder import ALL_EXERCISES, NOTEBOOK, RCT, SIMULATE, Student, write_class
from nbgrader.api import Gradebook

from nmacausal.grading.pipeline import grade_class
from nmacausal.tutorials import get_exercise

FULL = sum(get_exercise(exercise).points for exercise in ALL_EXERCISES)
TIMEOUT = 10


def grade(submissions, out, **options):
    """Grade; returns the rows and the students regraded on this run."""
    regraded = []
    rows = grade_class(
        submissions,
        out,
        jobs=2,
        cell_timeout=TIMEOUT,
        progress=lambda done, total, grade: regraded.append(grade.student_id),
        **options,
    )
    return {row.student_id: row for row in rows}, sorted(regraded)


def sheet(out):
    with open(out / "grades.csv", newline="") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


def feedback_score(out, student_id) -> float:
    page = out / "feedback" / student_id / "W3D5_Tutorial1" / "W3D5_Tutorial1.html"
    return float(re.search(r"Score: ([\d.]+) / ", page.read_text()).group(1))


@pytest.fixture(scope="module")
def graded_once(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    students = [
        Student("ada", ALL_EXERCISES),
        Student("bob"),
        Student("cy", (RCT,), mistakes={SIMULATE: "no_noise"}),
    ]
    write_class(students, folder / "submitted")
    rows, regraded = grade(folder / "submitted", folder / "out")
    assert regraded == ["ada", "bob", "cy"]
    return folder, rows


@pytest.fixture
def copy_of(graded_once, tmp_path):
    folder, _ = graded_once
    shutil.copytree(folder, tmp_path / "copy")
    return tmp_path / "copy" / "submitted", tmp_path / "copy" / "out"


def answer_everything(notebook_path):
    """Replace a student's notebook with a fully answered one."""
    scratch = notebook_path.parent.parent.parent / "scratch"
    write_class([Student("answered", ALL_EXERCISES)], scratch)
    shutil.copyfile(scratch / "answered" / notebook_path.name, notebook_path)


def test_an_unchanged_class_is_not_regraded(graded_once, copy_of):
    _, first_rows = graded_once
    submissions, out = copy_of
    before = (out / "grades.csv").read_text()
    rows, regraded = grade(submissions, out)
    assert regraded == []
    assert {s: (r.total, r.status) for s, r in rows.items()} == {
        s: (r.total, r.status) for s, r in first_rows.items()
    }
    assert (out / "grades.csv").read_text() == before


def test_a_changed_submission_is_the_only_one_regraded(copy_of):
    submissions, out = copy_of
    answer_everything(submissions / "bob" / "W3D5_Tutorial1.ipynb")
    rows, regraded = grade(submissions, out)
    assert regraded == ["bob"]
    assert rows["bob"].total == FULL and feedback_score(out, "bob") == FULL
    assert rows["ada"].total == FULL and rows["cy"].total == 1
    assert set(sheet(out)) == {"ada", "bob", "cy"}


def test_a_late_student_added_keeps_everyone_else(copy_of):
    submissions, out = copy_of
    write_class([Student("dee", ALL_EXERCISES)], submissions.parent / "late")
    shutil.copytree(submissions.parent / "late" / "dee", submissions / "dee")
    rows, regraded = grade(submissions, out)
    assert regraded == ["dee"]
    assert set(sheet(out)) == {"ada", "bob", "cy", "dee"}
    report = (out / "report.html").read_text()
    assert "4 students" in report


def test_named_students_and_force_regrade(copy_of):
    submissions, out = copy_of
    _, regraded = grade(submissions, out, students=["cy"])
    assert regraded == ["cy"]
    _, regraded = grade(submissions, out, force=True)
    assert regraded == ["ada", "bob", "cy"]


def set_by_hand(out, student, points, comment):
    """What an instructor does in formgrader: a manual score and a comment."""
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        gradebook.find_grade(f"{SIMULATE}_tests", NOTEBOOK, NOTEBOOK, student).manual_score = points
        gradebook.find_comment(SIMULATE, NOTEBOOK, NOTEBOOK, student).manual_comment = comment
        gradebook.db.commit()


def test_a_manual_override_survives_reruns_until_the_submission_changes(copy_of):
    submissions, out = copy_of
    set_by_hand(out, "cy", 1.0, "Nearly there: partial credit.")
    for options in ({}, {"students": ["cy"]}, {"force": True}):
        rows, _ = grade(submissions, out, **options)
        assert rows["cy"].exercise(SIMULATE).points == 1.0, options
        assert rows["cy"].total == 2 and float(sheet(out)["cy"]["total"]) == 2
        assert feedback_score(out, "cy") == 2
        assert "points set by hand" in rows["cy"].status
    answer_everything(submissions / "cy" / "W3D5_Tutorial1.ipynb")
    rows, regraded = grade(submissions, out)
    assert regraded == ["cy"]
    assert rows["cy"].total == FULL and "by hand" not in rows["cy"].status


def test_the_zero_policy_takes_the_points_of_an_edited_grade_cell(tmp_path):
    write_class(
        [Student("eve", ALL_EXERCISES, grade_cell_change=(f"{SIMULATE}_tests", "pass"))],
        tmp_path / "submitted",
    )
    rows, _ = grade(tmp_path / "submitted", tmp_path / "flag")
    assert rows["eve"].total == FULL and "flagged for review" in rows["eve"].status
    rows, _ = grade(tmp_path / "submitted", tmp_path / "zero", edited_grade_cells="zero")
    assert rows["eve"].total == FULL - 2
    assert "grade cell edited (no points)" in rows["eve"].status
    assert feedback_score(tmp_path / "zero", "eve") == FULL - 2


def test_late_submissions_are_marked_and_penalised_only_when_asked(tmp_path):
    write_class([Student("fay", ALL_EXERCISES), Student("gus", ALL_EXERCISES)], tmp_path / "sub")
    (tmp_path / "sub" / "fay" / "timestamp.txt").write_text("2026-12-04 19:30:00.000000 UTC")
    (tmp_path / "sub" / "gus" / "timestamp.txt").write_text("2026-12-04 17:00:00.000000 UTC")
    due = datetime(2026, 12, 4, 18, 0, tzinfo=timezone.utc)
    rows, _ = grade(tmp_path / "sub", tmp_path / "marked", due=due)
    assert rows["fay"].late and "late by 1 h 30 min" in rows["fay"].status
    assert not rows["gus"].late and rows["fay"].total == FULL
    assert sheet(tmp_path / "marked")["fay"]["late"] == "yes"
    rows, _ = grade(tmp_path / "sub", tmp_path / "penalised", due=due, late_penalty=0.5)
    assert rows["fay"].total == FULL / 2 and rows["gus"].total == FULL
    assert feedback_score(tmp_path / "penalised", "fay") == FULL / 2


def test_a_kernel_killed_from_outside_is_retried(tmp_path, monkeypatch):
    # A correct submission that pauses long enough for its first kernel to be killed.
    write_class(
        [
            Student(
                "hal",
                ALL_EXERCISES,
                extra_cells=((f"{RCT}_tests", "import time\ntime.sleep(5)"),),
            )
        ],
        tmp_path / "sub",
    )
    killed = []
    killer = threading.Thread(target=kill_first_kernel, args=(killed,), daemon=True)
    killer.start()
    rows, _ = grade(tmp_path / "sub", tmp_path / "out")
    killer.join(timeout=1)
    assert len(killed) == 1, "no kernel was seen to kill"
    assert rows["hal"].total == FULL
    assert "not reproducible, graded on attempt 2" in rows["hal"].status
    log = (tmp_path / "out" / "logs" / NOTEBOOK / "hal.log").read_text()
    assert "attempt 1 failed: the kernel crashed" in log and "graded on attempt 2" in log


def kill_first_kernel(killed, timeout=120):
    """SIGKILL the first ipykernel process descended from this one (this test's grading)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not killed:
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                command = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            # the kernel itself: not bubblewrap, nor the box's entry point, which name it too
            is_kernel = b"\0-m\0ipykernel_launcher\0" in command and b"bwrap" not in command
            if is_kernel and b"_sandbox_entry" not in command and descends_from_me(proc.name):
                time.sleep(1.5)  # let it start running the notebook
                os.kill(int(proc.name), signal.SIGKILL)
                killed.append(int(proc.name))
                return
        time.sleep(0.05)


def descends_from_me(pid) -> bool:
    while pid not in ("0", "1"):
        if int(pid) == os.getpid():
            return True
        try:
            # the parent's pid is the field after the ")" that closes the command's name
            pid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            return False
    return False


def test_a_new_source_notebook_needs_a_new_gradebook(copy_of, tmp_path):
    submissions, out = copy_of
    other = tmp_path / "other.ipynb"
    notebook = nbformat.read(out / "source" / NOTEBOOK / f"{NOTEBOOK}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("An added note."))
    nbformat.write(notebook, other)
    from nmacausal.grading.pipeline import GradingError

    with pytest.raises(GradingError, match="another version of the source notebook"):
        grade_class(submissions, out, source=other)


def test_a_deep_temporary_folder_does_not_break_the_kernels(tmp_path, monkeypatch):
    # A Unix socket's path may not exceed 107 bytes: the kernels' sockets must not live
    # under TMPDIR when it is this deep.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    write_class([Student("deep", ALL_EXERCISES)], tmp_path / "sub")
    rows, _ = grade(tmp_path / "sub", tmp_path / "out")
    assert rows["deep"].total == FULL
    assert rows["deep"].status == "ok"
