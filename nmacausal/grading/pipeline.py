"""Grading a class of submitted notebooks with nbgrader, in parallel.

``grade_class`` finds each student's notebooks of the day (any subset of the
tutorials), autogrades the new and changed ones with nbgrader (whose
checksums restore locked cells, whose grade cells run the checkers) on
several worker processes, records every result in the class's gradebook
(:mod:`nmacausal.grading.gradebook`, a persistent nbgrader
course in the output folder, one assignment per tutorial), generates the
feedback pages from it, and writes the grade sheet and class report from it,
per tutorial and in total.

Around nbgrader's autograde, each submission goes through a few steps of its
own, in this order:

1. read: an empty file or one that is not notebook JSON gets a row and no points;
2. compare the locked grade cells with the release: a deleted or edited grade
   cell is flagged for review (``edited_grade_cells="flag"``: nbgrader restores
   it and its check decides) or scores nothing (``"zero"``);
3. screen the answers for calls to nmacausal's reference implementation of
   the very function the student was asked to write (no points);
4. autograde with nbgrader (per-cell timeout, capped output), the kernel in
   a bubblewrap sandbox (:mod:`nmacausal.grading.sandbox`: no view of other
   submissions or of the gradebook, no network, limited memory and
   processes); a kernel that dies or does not start is retried in a fresh
   kernel before the student is charged with it;
5. read each exercise's verdict and mistake from its grade cell (a check that
   saw the answer call the reference, however indirectly, costs its points);
6. when the code shows signs of reaching into the grading machinery
   (monkeypatching checkers, swallowing exceptions...), re-check every
   exercise that scored in a separate process (sandboxed too) the student's
   code cannot touch, and keep the points only if that check agrees;
7. record it all in the gradebook (decisions beyond autograde as manual
   scores with a comment), then generate the feedback pages from it.

A submission can fail at any step without stopping the run or touching
another student's grade: its problem goes into the status column.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import os
import re
import tempfile
import types
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .._errors import ActionableError
from ..course.files import installed_course_files, shipped_solution_folders
from ..tutorials import TUTORIALS, Tutorial, get_tutorial
from .gradebook import ClassGradebook, ExerciseGrade, combine_rows, submission_digest
from .nbgrader_course import Course, CourseError, short_temp_dir
from .output_limits import TRUNCATION_NOTE
from .sandbox import DEFAULT_MEMORY, SandboxPolicy, describe_bytes, find_bwrap

__all__ = [
    "EDITED_GRADE_CELL_POLICIES",
    "ExerciseGrade",
    "GradingError",
    "StudentGrade",
    "find_submissions",
    "grade_class",
]

# What an edited or deleted grade cell costs: "flag" lets nbgrader's restored cell
# decide the points and marks the row for review; "zero" gives nothing for it.
EDITED_GRADE_CELL_POLICIES = ("flag", "zero")
# Autograde attempts before a dead kernel is put down to the submission.
AUTOGRADE_ATTEMPTS = 3


class GradingError(ActionableError):
    """The class could not be graded at all; the message says what to do."""


# -- finding the submissions ------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One student's notebook of one tutorial (``None`` if the student's folder has
    none), and the time nbgrader stamped it with (``timestamp.txt`` beside it), if any."""

    student_id: str
    tutorial: Tutorial
    notebook: Path | None
    timestamp: str | None = None

    @property
    def label(self) -> str:
        return f"{self.student_id}, Tutorial {self.tutorial.number}"


def find_student_folders(submissions_dir) -> list[Path]:
    """The student folders of ``submissions_dir``, sorted by name.

    Raises
    ------
    GradingError
        If ``submissions_dir`` is not a folder or holds no student folder.
    """
    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise GradingError(f"{submissions_dir} is not a folder of submissions.")
    folders = sorted(
        path for path in submissions_dir.iterdir() if path.is_dir() and not path.name[0] == "."
    )
    if not folders:
        raise GradingError(
            f"{submissions_dir} holds no student folder; expected "
            f"<student_id>/{TUTORIALS[0].notebook_file} (or another notebook of the day) inside it."
        )
    return folders


def find_submissions(submissions_dir, tutorials=TUTORIALS) -> list[Submission]:
    """One submission per student folder of ``submissions_dir`` and tutorial.

    A student's notebook is ``<student>/W3D5_Tutorial1.ipynb`` or, in
    nbgrader's own layout, ``<student>/W3D5_Tutorial1/W3D5_Tutorial1.ipynb``
    (and so on for each tutorial). A folder without it still counts, so that
    no student goes missing from a tutorial that is graded.

    Raises
    ------
    GradingError
        If ``submissions_dir`` is not a folder or holds no student folder.
    """
    submissions = []
    for folder in find_student_folders(submissions_dir):
        for tutorial in tutorials:
            inside = folder / tutorial.id
            candidates = [folder / tutorial.notebook_file, inside / tutorial.notebook_file]
            notebook = next((path for path in candidates if path.is_file()), None)
            stamps = [inside / "timestamp.txt", folder / "timestamp.txt"]
            stamp = next((path for path in stamps if path.is_file()), None)
            timestamp = stamp.read_text(encoding="utf-8").strip() if stamp else None
            submissions.append(Submission(folder.name, tutorial, notebook, timestamp or None))
    return submissions


def submitted_tutorials(submissions_dir) -> tuple[Tutorial, ...]:
    """The tutorials of which at least one student folder holds a notebook."""
    found = find_submissions(submissions_dir)
    return tuple(t for t in TUTORIALS if any(s.tutorial is t and s.notebook for s in found))


# -- grades -------------------------------------------------------------------------------


@dataclass
class StudentGrade:
    """What grading one submission found, before it goes into the gradebook."""

    student_id: str
    tutorial: Tutorial
    exercises: list[ExerciseGrade]
    problems: list[str] = field(default_factory=list)
    withdrawn: dict = field(default_factory=dict)  # exercise id -> why it scores nothing
    flagged: dict = field(default_factory=dict)  # exercise id -> what to review
    # nbgrader's autograded notebook, if it ran (in the worker's course, kept for the run)
    autograded_path: Path | None = None
    log: str = ""
    timestamp: str | None = None
    late_seconds: float | None = None
    sandboxed: bool = False  # the student's code ran in the sandbox

    @property
    def label(self) -> str:
        return f"{self.student_id}, Tutorial {self.tutorial.number}"

    @property
    def total(self) -> float:
        return sum(grade.points for grade in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(grade.max_points for grade in self.exercises)

    @property
    def status(self) -> str:
        return "; ".join(self.problems) if self.problems else "ok"

    def exercise(self, exercise_id) -> ExerciseGrade:
        return next(grade for grade in self.exercises if grade.exercise_id == exercise_id)

    @property
    def late(self) -> bool:
        return self.late_seconds is not None and self.late_seconds > 0

    def withdraw(self, exercise_id, reason, label):
        """No points for an exercise, for a reason the status and the gradebook give."""
        self.exercise(exercise_id).points = 0.0
        self.withdrawn[exercise_id] = reason
        self.problems.append(f"{label}: {reason} (no points)")

    def flag(self, exercise_id, reason, label):
        """Points as autograde gave them, but marked for an instructor to review."""
        self.flagged[exercise_id] = reason
        self.problems.append(f"{label}: {reason} (flagged for review)")


# -- the assignment, as released ---------------------------------------------------------------


@dataclass(frozen=True)
class GradedExercise:
    """Where an exercise lives in the released notebook."""

    exercise: object  # nmacausal.checking.kinds.Exercise
    answer_cell_id: str
    grade_cell_id: str
    grade_cell_source: str
    points: float

    @property
    def label(self) -> str:
        """How instructors' texts name it: ``"Exercise 2 (simulate_neurons)"``."""
        return f"{self.exercise.label} ({self.exercise.answer_name})"


def released_exercises(release, tutorial) -> list[GradedExercise]:
    """A tutorial's exercises, located in its released notebook by their cell ids."""
    from ..course.notebooks import grade_cell_id

    cells = {_grade_id(cell): cell for cell in release.cells}
    located = []
    for exercise in tutorial.exercises:
        missing = [i for i in (exercise.id, grade_cell_id(exercise)) if i not in cells]
        if missing:
            raise GradingError(
                f"{tutorial.notebook_file} has no cell with nbgrader grade_id {missing[0]!r}; "
                f"regenerate it with `nmacausal build-notebooks`."
            )
        grade_cell = cells[grade_cell_id(exercise)]
        points = float(grade_cell["metadata"]["nbgrader"].get("points", 0))
        located.append(
            GradedExercise(
                exercise, exercise.id, grade_cell_id(exercise), grade_cell.source, points
            )
        )
    return located


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


# -- one student's pipeline ----------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The rules of one grading run that are the instructor's choice.

    ``sandbox`` is the box students' code runs in, ``None`` with ``--no-sandbox``.
    """

    edited_grade_cells: str = "flag"
    due: datetime | None = None
    sandbox: SandboxPolicy | None = None


def grade_submission(submission, course, release, exercises, policy=Policy()) -> StudentGrade:
    """Run steps 1 to 6 for one student; never raises for anything a submission holds."""
    grade = _empty_grade(submission, exercises, policy)
    grade.late_seconds = _seconds_late(submission.timestamp, policy.due)
    if grade.late:
        grade.problems.append(f"late by {_duration(grade.late_seconds)}")
    notebook = _read_notebook(submission, grade)
    if notebook is None:
        return grade
    edited = _check_grade_cells(notebook, exercises)
    copied = _find_reference_use(notebook, exercises)
    run = _autograde_with_retries(course, submission, grade)
    if run is None:
        return grade
    grade.autograded_path = run.path
    _read_verdicts(run, exercises, grade, course)
    labels = {item.exercise.id: item.label for item in exercises}
    for exercise_id, reason in edited.items():
        if policy.edited_grade_cells == "zero":
            grade.withdraw(exercise_id, reason, labels[exercise_id])
        else:
            grade.flag(exercise_id, f"{reason}; {_WHAT_NBGRADER_DID[reason]}", labels[exercise_id])
    for exercise_id, reason in copied.items():
        grade.withdraw(exercise_id, reason, labels[exercise_id])
    _withdraw_reference_calls(exercises, grade)
    _recheck_if_tampered(notebook, release, exercises, grade, course)
    return grade


def _withdraw_reference_calls(exercises, grade):
    """No points where the grade cell's check saw the answer call the reference.

    The failed check already scored 0; withdrawing says why in the status, and
    in the gradebook's comment that the feedback page shows.
    """
    for item in exercises:
        exercise_grade = grade.exercise(item.exercise.id)
        if exercise_grade.mistake == "calls_reference" and item.exercise.id not in grade.withdrawn:
            grade.withdraw(
                item.exercise.id,
                f"the answer called nmacausal's own {item.exercise.answer_name} while it was "
                f"checked, instead of the student's own code",
                item.label,
            )


# What autograde makes of a changed grade cell, for the review comment.
_WHAT_NBGRADER_DID = {
    "grade cell edited": "nbgrader restored the released cell, whose check decided the points",
    "grade cell deleted": "nbgrader does not put a deleted cell back, so its check never ran "
    "and autograde gave it 0",
}


def _autograde_with_retries(course, submission, grade):
    """nbgrader's autograde, retried in a fresh kernel when the kernel dies or never starts.

    Those failures may be the machine's (a kernel killed from outside, one that
    lost a race at start-up), so the student is charged with one only when it
    happens on every attempt. Each attempt's log goes into ``grade.log``.
    """
    failures = []
    for attempt in range(1, AUTOGRADE_ATTEMPTS + 1):
        run = course.autograde(submission.student_id, submission.notebook)
        grade.log += f"--- autograde attempt {attempt} ---\n{run.log.rstrip()}\n"
        if run.succeeded:
            if failures:
                grade.log += f"graded on attempt {attempt} after: {'; '.join(failures)}\n"
                grade.problems.append(
                    f"{failures[0]} on attempt 1, not again: not reproducible, graded on "
                    f"attempt {attempt}"
                )
            return run
        failures.append(_why_autograde_failed(run.log))
        grade.log += f"attempt {attempt} failed: {failures[-1]}\n"
    grade.problems.append(
        f"{failures[-1]} on all {AUTOGRADE_ATTEMPTS} attempts, each in a fresh kernel: "
        f"reproducible (no points)"
    )
    return None


def _seconds_late(timestamp, due) -> float | None:
    """Seconds between the due date and nbgrader's timestamp (negative: early)."""
    from nbgrader.utils import parse_utc

    if timestamp is None or due is None:
        return None
    try:
        submitted = _as_utc(parse_utc(timestamp))  # nbgrader's own reading of its stamps
    except (ValueError, OverflowError):
        return None
    return (submitted - due).total_seconds()


def _as_utc(moment):
    """An aware UTC datetime; a naive one is taken to be UTC, as nbgrader writes them."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _duration(seconds) -> str:
    minutes = int(seconds // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return " ".join(parts)


def _read_notebook(submission, grade):
    import nbformat

    if submission.notebook is None:
        grade.problems.append(f"no {submission.tutorial.notebook_file} in the student's folder")
        return None
    text = submission.notebook.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        grade.problems.append("the notebook file is empty")
        return None
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        grade.problems.append(f"not a valid notebook: the file is not JSON ({error.msg})")
        return None
    try:
        notebook = nbformat.reads(json.dumps(content), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # nbformat's validation and reader errors vary by version
        grade.problems.append(f"not a valid notebook: {str(error).splitlines()[0][:120]}")
        return None
    return notebook


def _check_grade_cells(notebook, exercises) -> dict[str, str]:
    """Exercises whose locked grade cell was deleted or edited, with the reason."""
    by_id = {_grade_id(cell): cell for cell in notebook.cells}
    changed = {}
    for item in exercises:
        cell = by_id.get(item.grade_cell_id)
        if cell is None:
            changed[item.exercise.id] = "grade cell deleted"
        elif cell.source.strip() != item.grade_cell_source.strip():
            changed[item.exercise.id] = "grade cell edited"
    return changed


def _find_reference_use(notebook, exercises) -> dict[str, str]:
    """Function exercises answered by calling nmacausal's own implementation."""
    from .screening import reference_uses

    copied = {}
    for item in exercises:
        if item.exercise.kind != "function":
            continue
        for cell in _answer_cells(notebook, item):
            findings = reference_uses(cell.source, item.exercise.answer_name)
            if findings:
                copied[item.exercise.id] = (
                    f"the answer {findings[0].what} instead of the student's own code"
                )
    return copied


def _answer_cells(notebook, item):
    return [cell for cell in notebook.cells if _grade_id(cell) == item.answer_cell_id]


def _why_autograde_failed(log) -> str:
    if "Kernel died" in log or "DeadKernelError" in log:
        return "the kernel crashed while running the notebook"
    if "Kernel didn't respond" in log or "kernel_info" in log:
        return "the kernel did not start"
    if "Invalid Signature" in log:
        # A forked copy of the kernel (os.fork in a cell) writes on the kernel's channels.
        return "the kernel's replies were garbled, as when a cell forks the kernel (os.fork)"
    if "CellTimeoutError" in log or "Timeout waiting for" in log:
        return "the kernel stopped answering during a cell, even when interrupted"
    # The most specific error named, not nbgrader's "see the above traceback" at the end.
    errors = [line for line in log.splitlines() if _ERROR_LINE.match(line)]
    lines = [line for line in errors if "NbGraderException" not in line] or [
        line for line in log.splitlines() if line.strip()
    ]
    # The grader's scratch folders mean nothing to an instructor: keep file names only.
    detail = re.sub(r"(/[^\s/]+)+/([^\s/]+)", r"\2", lines[-1].strip())[:160] if lines else "no log"
    return f"nbgrader could not autograde the notebook: {detail}"


_ERROR_LINE = re.compile(r"^\s*[\w.]*(Error|Exception): ")


def _read_verdicts(run, exercises, grade, course):
    """Points from the gradebook; verdict and mistake from each grade cell's error."""
    cells = {_grade_id(cell): cell for cell in run.notebook.cells}
    for item in exercises:
        exercise_grade = grade.exercise(item.exercise.id)
        exercise_grade.points = float(run.scores.get(item.grade_cell_id) or 0.0)
        outputs = cells[item.grade_cell_id].outputs if item.grade_cell_id in cells else []
        error = next((o for o in outputs if o.output_type == "error"), None)
        exercise_grade.verdict, exercise_grade.mistake = _diagnosis(error)
    code_cells = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    first_error = _first_student_error(code_cells, exercises)
    if first_error:
        grade.problems.append(first_error)
    over_a_limit = [(cell, _limit_hit(cell, course.sandbox)) for cell in code_cells]
    over_a_limit = [(cell, why) for cell, why in over_a_limit if why]
    if over_a_limit:
        cell, why = over_a_limit[0]
        grade.problems.append(
            f"{_where(cell, code_cells, exercises)} failed: {why}; the cells around it were "
            f"graded as usual"
        )
    interrupted = [cell for cell in code_cells if _was_interrupted(cell)]
    if interrupted or "Timeout waiting for execute reply" in run.log:
        where = _where(interrupted[0], code_cells, exercises) if interrupted else "a cell"
        grade.problems.append(
            f"{where} ran longer than {course.cell_timeout:g} s and was interrupted"
        )
    if any(_was_truncated(cell) for cell in code_cells):
        grade.problems.append("an enormous output was truncated")


def _limit_hit(cell, sandbox) -> str | None:
    """What a cell's error says of the notebook's use of memory or processes, if anything."""
    for output in cell.get("outputs", []):
        if _is_out_of_memory(output):
            if sandbox is None:
                return "the machine ran out of memory"
            return (
                f"the notebook used more than {describe_bytes(sandbox.memory)} (the memory limit)"
            )
        if _is_out_of_processes(output):
            limit = f"{sandbox.processes} " if sandbox else ""
            return f"the notebook started more than the {limit}processes and threads allowed"
    return None


def _is_out_of_memory(output) -> bool:
    return output.get("ename") == "MemoryError"


def _is_out_of_processes(output) -> bool:
    """``os.fork`` or a new thread refused: the sign of the process limit (a fork bomb)."""
    text = f"{output.get('ename')}: {output.get('evalue', '')}"
    return text.startswith(("BlockingIOError: [Errno 11]", "RuntimeError: can't start new thread"))


def _was_interrupted(cell) -> bool:
    return any(
        output.get("ename") in ("CellTimeoutError", "KeyboardInterrupt")
        or "CellTimeoutError" in " ".join(output.get("traceback", []))
        for output in cell.get("outputs", [])
    )


def _was_truncated(cell) -> bool:
    marker = TRUNCATION_NOTE.split("{")[0].strip()
    return any(marker in output.get("text", "") for output in cell.get("outputs", []))


def _where(cell, code_cells, exercises) -> str:
    """A cell named as an instructor finds it: by its exercise, or its place among code cells."""
    names = {}
    for item in exercises:
        names[item.answer_cell_id] = f"the answer cell of {item.label}"
        names[item.grade_cell_id] = f"the grade cell of {item.label}"
    named = names.get(_grade_id(cell))
    if named:
        return named
    position = code_cells.index(cell)
    before = [names[_grade_id(c)] for c in code_cells[:position] if _grade_id(c) in names]
    after = f", after {before[-1]}" if before else ", before the first exercise"
    return f"code cell {position + 1}{after}"


# An untouched stub is "not attempted"; a cell interrupted, or over the memory or process
# limit, has its own status line.
_REPORTED_ELSEWHERE = frozenset({"NotImplementedError", "KeyboardInterrupt", "CellTimeoutError"})


def _first_student_error(code_cells, exercises) -> str | None:
    """The first error a student's cell raised, other than an untouched stub's."""
    grade_ids = {item.grade_cell_id for item in exercises}
    for cell in code_cells:
        if _grade_id(cell) in grade_ids:
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error" and not _reported_elsewhere(output):
                detail = f"{output.ename}: {output.evalue}".strip().splitlines()[0][:120]
                return f"{_where(cell, code_cells, exercises)} raised {detail}"
    return None


def _reported_elsewhere(output) -> bool:
    return (
        output.ename in _REPORTED_ELSEWHERE
        or _is_out_of_memory(output)
        or _is_out_of_processes(output)
    )


def _diagnosis(error) -> tuple[str, str | None]:
    """Verdict and mistake id from a grade cell's error output (None: the cell passed)."""
    from ..checks import CheckFailed

    if error is None:
        return "correct", None
    diagnosis = CheckFailed.read_diagnosis(error.get("evalue", ""))
    if diagnosis is None:  # the cell failed before the checker could say why
        return "incorrect", None
    return diagnosis


def _recheck_if_tampered(notebook, release, exercises, grade, course):
    """Re-check scored exercises out of the student's reach when the code looks tampered."""
    from .screening import imported_names, tampering_signs

    released_sources = {cell.source for cell in release.cells}
    # Numbered among the code cells, as an instructor counts them in the notebook.
    student_cells = [
        (index, cell)
        for index, cell in enumerate(c for c in notebook.cells if c.cell_type == "code")
        if cell.source not in released_sources
    ]
    imported = frozenset().union(*(imported_names(cell.source) for _, cell in student_cells))
    findings = [
        finding
        for index, cell in student_cells
        for finding in tampering_signs(cell.source, cell_index=index, imported=imported)
    ]
    if not findings:
        return
    grade.problems.append(
        f"code that reaches into the grading machinery (code {findings[0]}); "
        f"scored exercises re-checked apart from it"
    )
    scored = [item for item in exercises if grade.exercise(item.exercise.id).points > 0]
    if not scored:
        return
    verdicts = _independent_checks(notebook, exercises, scored, course)
    for item in scored:
        verdict = verdicts[item.exercise.id]
        if verdict.status != "correct":
            grade.withdraw(
                item.exercise.id,
                f"passed in the notebook but not when re-checked: "
                f"{verdict.message.splitlines()[0]}",
                item.label,
            )


def _independent_checks(notebook, exercises, scored, course):
    """Each scored exercise checked by this process's checker against the notebook's code,
    run in another process (in the course's sandbox, if it has one)."""
    from .remote_notebook import RemoteNotebook, RemoteNotebookError

    grade_ids = {item.grade_cell_id for item in exercises}
    cells = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and _grade_id(cell) not in grade_ids
    ]
    cell_timeout = course.cell_timeout
    verdicts = {}
    try:
        with RemoteNotebook(
            cells,
            timeout=cell_timeout * max(1, len(cells)),
            sandbox=course.sandbox,
            scratch_root=course.scratch_root,
        ) as remote:
            remote.timeout = cell_timeout
            for item in scored:
                exercise = item.exercise
                if exercise.kind == "function":
                    answer = remote.function(exercise.answer_name)
                else:
                    answer = _remote_value(remote, exercise.answer_name)
                verdicts[exercise.id] = exercise.check(answer)
    except (RemoteNotebookError, TimeoutError) as error:
        failure = _Unverified(f"the notebook could not be re-run on its own: {error}")
        verdicts = {item.exercise.id: verdicts.get(item.exercise.id, failure) for item in scored}
    return verdicts


@dataclass(frozen=True)
class _Unverified:
    message: str
    status: str = "incorrect"


def _remote_value(remote, name):
    try:
        return remote.value(name)
    except KeyError:
        return None


# -- the worker processes ------------------------------------------------------------------

# This worker process's own course, made on its first task, read by every later one.
# This worker's private copy of the class's course, and each assignment's release in it.
_worker = types.SimpleNamespace(root=None, assignments={})


def _warm_up_worker():
    """Quiet this worker's stderr and import nbgrader while the parent builds the course."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # kernels inherit it: their start-up chatter is not the grader's output
    import nbgrader.apps  # noqa: F401  (seconds of imports, better spent in parallel)
    import nbgrader.converters  # noqa: F401


def _worker_assignment(tutorial, class_root, work_root, scratch_root, cell_timeout, policy):
    """(course, release, exercises) of ``tutorial`` in this worker's copy of the course.

    The copy is made on the worker's first submission; the class's course holds
    every graded tutorial's assignment by then.
    """
    if _worker.root is None:
        class_course = Course(class_root, tutorial.id, cell_timeout=cell_timeout)
        copied = class_course.copy(Path(work_root) / f"worker-{os.getpid()}")
        _worker.root = copied.root
    if tutorial.id not in _worker.assignments:
        course = Course(
            _worker.root,
            tutorial.id,
            cell_timeout=cell_timeout,
            sandbox=policy.sandbox,
            scratch_root=Path(scratch_root) / f"worker-{os.getpid()}",
        )
        release = course.release_notebook()
        _worker.assignments[tutorial.id] = (course, release, released_exercises(release, tutorial))
    return _worker.assignments[tutorial.id]


def _grade_in_worker(submission, class_root, work_root, scratch_root, cell_timeout, policy):
    """Grade one submission on this worker's private copy of the class's course (steps 1 to 6).

    Private, so that workers never share a SQLite gradebook while nbgrader writes to it.
    """
    course, release, exercises = _worker_assignment(
        submission.tutorial, class_root, work_root, scratch_root, cell_timeout, policy
    )
    try:
        return grade_submission(submission, course, release, exercises, policy)
    except Exception as error:  # a grader bug must cost one row, not the class
        grade = _empty_grade(submission, exercises, policy)
        grade.problems.append(f"internal grading error ({type(error).__name__}: {error})")
        return grade


def _feedback_in_worker(course_root, assignment, view_root, cell_timeout, student_ids):
    """Step 7 for some students of one assignment of the class's course, in one nbgrader run.

    One run for many students compiles nbgrader's page templates once rather
    than once a student. Returns the students whose page was written.
    """
    course = Course(course_root, assignment, cell_timeout=cell_timeout)
    pages = course.view(view_root, student_ids).feedback()
    written = set()
    for student_id in student_ids:
        if student_id in pages:
            destination = course.root / pages[student_id].relative_to(view_root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            page = pages[student_id].read_text(encoding="utf-8")
            destination.write_text(_offline(page), encoding="utf-8")
            written.add(student_id)
    return written


# nbgrader's page template loads MathJax from a CDN; a feedback page must open offline.
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>")


def _offline(page) -> str:
    """The page without scripts from the internet (formulas then show as their TeX)."""
    return _EXTERNAL_SCRIPT.sub("", page)


# -- the class ---------------------------------------------------------------------------------


def grade_class(
    submissions_dir,
    out_dir,
    *,
    source=None,
    tutorials=None,
    jobs=None,
    cell_timeout=30.0,
    students=None,
    force=False,
    edited_grade_cells="flag",
    due=None,
    late_penalty=0.0,
    sandbox=True,
    memory=DEFAULT_MEMORY,
    progress=None,
    command=None,
) -> list:
    """Grade the new and changed submissions in ``submissions_dir`` into ``out_dir``.

    Parameters
    ----------
    submissions_dir : path-like
        One folder per student holding any of the day's notebooks,
        ``W3D5_Tutorial1.ipynb`` ... (or nbgrader's
        ``<student>/W3D5_Tutorial1/W3D5_Tutorial1.ipynb``), with nbgrader's
        ``timestamp.txt`` beside it where there is one.
    out_dir : path-like
        The class's nbgrader course (made on first use), one assignment per
        tutorial: ``gradebook.db``, ``autograded/``,
        ``feedback/<student>/W3D5_Tutorial1/``, ``logs/W3D5_Tutorial1/``, and ``grades.csv``
        and ``report.html`` for every student in the gradebook.
    source : path-like, optional
        The instructors' notebooks: a folder holding ``W3D5_Tutorial1.ipynb``
        ..., or one notebook when one tutorial is graded. By default the ones
        nmacausal was installed with (``solutions/`` in a checkout).
    tutorials : sequence of Tutorial (or their numbers or ids), optional
        The tutorials to grade; a student without one of their notebooks gets
        a row saying so. By default, every tutorial of which some student
        handed in a notebook.
    jobs : int, optional
        Worker processes; by default one more than the number of CPUs.
    cell_timeout : float, default=30.0
        Seconds any one cell may run before it is interrupted.
    students : iterable of str, optional
        Regrade these students whether or not their submission changed.
    force : bool, default=False
        Regrade every student.
    edited_grade_cells : {"flag", "zero"}, default="flag"
        What an edited or deleted grade cell costs: "flag" lets nbgrader's
        restored cell decide and marks the row for review; "zero" gives nothing
        for that exercise.
    due : datetime, optional
        The deadline; a submission whose ``timestamp.txt`` is later is marked late.
    late_penalty : float, default=0.0
        Fraction of a late submission's points withheld (0: none).
    sandbox : bool, default=True
        Run each student's code in a bubblewrap sandbox (:mod:`nmacausal.grading.sandbox`):
        no view of other submissions, of ``out_dir`` or of the source notebooks,
        no network, limited memory and processes. ``False`` runs it with the
        grader's own rights; the report then says so.
    memory : int, default=2 GiB
        Bytes of memory a student's kernel may use in the sandbox; a cell that
        needs more fails with ``MemoryError``, and the status says so.
    progress : callable, optional
        Called as ``progress(done, total, grade)`` after each regraded notebook.
    command : str, optional
        The command line that asked for this run, quoted in the report.

    Returns
    -------
    list of nmacausal.grading.gradebook.StudentRow
        One per student in the gradebook, sorted by student id, read back from
        it: the day's points in all, with each tutorial's row in ``parts``.

    Raises
    ------
    GradingError
        If the submissions, a source notebook or a named student cannot be
        found, an option is out of range, or nbgrader cannot prepare the course.
    SandboxUnavailable
        If ``sandbox`` is true and bubblewrap is missing or cannot start a
        sandbox here (the message says how to install it).
    """
    from .._validation import check_integer
    from .report import write_grades_csv, write_report

    folders = find_student_folders(submissions_dir)
    try:
        jobs = check_integer(jobs if jobs is not None else default_jobs(), "jobs", minimum=1)
    except (TypeError, ValueError) as error:
        raise GradingError(str(error)) from None
    if not (isinstance(cell_timeout, (int, float)) and cell_timeout > 0):
        raise GradingError(f"`cell_timeout` must be a positive number, got {cell_timeout!r}.")
    if edited_grade_cells not in EDITED_GRADE_CELL_POLICIES:
        raise GradingError(
            f"`edited_grade_cells` must be one of {EDITED_GRADE_CELL_POLICIES}, "
            f"got {edited_grade_cells!r}."
        )
    if not (isinstance(late_penalty, (int, float)) and 0 <= late_penalty <= 1):
        raise GradingError(f"`late_penalty` must be a fraction from 0 to 1, got {late_penalty!r}.")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise GradingError(f"{out_dir} exists and is not a folder; choose another --out.")
    tutorials = _tutorials_to_grade(submissions_dir, tutorials)
    sources = _source_notebooks(source, tutorials)
    _refuse_unknown_assignments(out_dir)
    named = set(students or ())
    unknown = sorted(named - {folder.name for folder in folders})
    if unknown:
        raise GradingError(f"no folder for student {unknown[0]!r} in {submissions_dir}.")
    box = None
    if sandbox:
        find_bwrap()  # refuse before any work when bubblewrap is missing
        try:
            box = SandboxPolicy(memory=memory)
        except ValueError as error:
            raise GradingError(str(error)) from None
    policy = Policy(edited_grade_cells, None if due is None else _as_utc(due))

    # Every assignment exists in the class's course before a worker copies it.
    graded = {
        tutorial.id: _open_tutorial(out_dir, tutorial, sources[tutorial], cell_timeout)
        for tutorial in tutorials
    }
    submissions = find_submissions(submissions_dir, tutorials)
    digests = {s.label: submission_digest(s.notebook) for s in submissions}
    due_for_grading = [
        submission
        for submission in submissions
        if force
        or submission.student_id in named
        or graded[submission.tutorial.id].gradebook.digest(submission.student_id)
        != digests[submission.label]
    ]
    # Pages made before an instructor changed a grade in formgrader are made again too.
    stale = {key: part.gradebook.stale_feedback() for key, part in graded.items()}
    if due_for_grading or any(stale.values()):
        workers = min(jobs, max(len(due_for_grading), 1))
        with (
            tempfile.TemporaryDirectory(prefix="nmacausal-grading-") as work_root,
            # the kernels' sockets need a short path: see Course.scratch_root
            tempfile.TemporaryDirectory(prefix="nmacausal-", dir=short_temp_dir()) as scratch_root,
            concurrent.futures.ProcessPoolExecutor(workers, initializer=_warm_up_worker) as pool,
        ):
            if due_for_grading and box is not None:
                hidden = (submissions_dir, out_dir, *sources.values(), work_root, scratch_root)
                hidden += tuple(shipped_solution_folders())
                box = dataclasses.replace(box, hidden=tuple(map(str, hidden)))
                box.check_works(work_root)
                policy = dataclasses.replace(policy, sandbox=box)
            if due_for_grading:
                _grade_all(
                    due_for_grading,
                    graded,
                    digests,
                    pool=pool,
                    workers=workers,
                    work_root=work_root,
                    scratch_root=scratch_root,
                    cell_timeout=cell_timeout,
                    policy=policy,
                    late_penalty=late_penalty,
                    progress=progress,
                )
            for part in graded.values():
                _feedback_for(
                    part.gradebook.stale_feedback(), part.gradebook, pool, work_root, workers
                )
    day = _graded_before(out_dir, graded, cell_timeout)
    rows = combine_rows(
        {key: (part.gradebook.rows(part.exercises), part.exercises) for key, part in day.items()}
    )
    exercises = [item for part in day.values() for item in part.exercises]
    gradebooks = {key: part.gradebook for key, part in day.items()}
    write_grades_csv(rows, exercises, out_dir / "grades.csv")
    write_report(rows, exercises, out_dir / "report.html", gradebooks=gradebooks, command=command)
    return rows


@dataclass(frozen=True)
class GradedTutorial:
    """A tutorial's assignment in the class's gradebook, and its exercises as released."""

    tutorial: Tutorial
    gradebook: ClassGradebook
    exercises: list


def _open_tutorial(out_dir, tutorial, source, cell_timeout) -> GradedTutorial:
    try:
        gradebook = ClassGradebook.open(out_dir, tutorial.id, source, cell_timeout=cell_timeout)
        exercises = released_exercises(gradebook.course.release_notebook(), tutorial)
    except CourseError as error:
        raise GradingError(str(error)) from None
    return GradedTutorial(tutorial, gradebook, exercises)


def _graded_before(out_dir, graded, cell_timeout) -> dict[str, GradedTutorial]:
    """This run's tutorials and every other one the gradebook holds, in the day's order:
    the sheet and the report show the whole day as graded so far."""
    day = dict(graded)
    for assignment in ClassGradebook.assignments_in(out_dir):
        if assignment in day:
            continue
        tutorial = get_tutorial(assignment)  # known: checked before grading began
        course = Course(out_dir, assignment, cell_timeout=cell_timeout)
        exercises = released_exercises(course.release_notebook(), tutorial)
        day[assignment] = GradedTutorial(tutorial, ClassGradebook(course), exercises)
    return {key: day[key] for key in sorted(day, key=lambda key: get_tutorial(key).number)}


def _refuse_unknown_assignments(out_dir) -> None:
    """Refuse an output folder holding grades of a tutorial this nmacausal does not have
    (made by another version): its rows could not be read back into the sheet."""
    for assignment in ClassGradebook.assignments_in(out_dir):
        try:
            get_tutorial(assignment)
        except ValueError:
            raise GradingError(
                f"{out_dir} holds grades of {assignment}, a tutorial this version of nmacausal "
                f"does not have; grade with the version that made them, or into a new --out."
            ) from None


def _tutorials_to_grade(submissions_dir, tutorials) -> tuple[Tutorial, ...]:
    """The tutorials asked for, or else those someone handed in a notebook of."""
    if tutorials is not None:
        try:
            chosen = {get_tutorial(key) for key in tutorials}
        except ValueError as error:
            raise GradingError(str(error)) from None
        return tuple(sorted(chosen, key=lambda tutorial: tutorial.number))
    found = submitted_tutorials(submissions_dir)
    if not found:
        names = ", ".join(tutorial.notebook_file for tutorial in TUTORIALS)
        raise GradingError(
            f"no student folder in {submissions_dir} holds a notebook of the day ({names}); "
            f"name the tutorial to grade with --tutorial to give every student a row anyway."
        )
    return found


def _source_notebooks(source, tutorials) -> dict[Tutorial, Path]:
    """Each tutorial's instructors' notebook, from a folder or (for one tutorial) a file."""
    if source is None:
        folder = installed_course_files().solutions_folder
        return {tutorial: folder / tutorial.notebook_file for tutorial in tutorials}
    source = Path(source)
    if not source.exists():
        raise GradingError(f"the source notebook {source} does not exist; pass --source.")
    if source.is_dir():
        notebooks = {tutorial: source / tutorial.notebook_file for tutorial in tutorials}
        missing = [str(path) for path in notebooks.values() if not path.is_file()]
        if missing:
            raise GradingError(f"the source notebook {missing[0]} does not exist; pass --source.")
        return notebooks
    if len(tutorials) != 1:
        raise GradingError(
            f"--source {source} is one notebook, but {len(tutorials)} tutorials are graded: "
            f"pass a folder of solutions notebooks, or one --tutorial."
        )
    return {tutorials[0]: source}


def default_jobs() -> int:
    """One worker more than there are CPUs.

    A worker spends part of each notebook waiting (a kernel starting, files
    written); one extra keeps the CPUs busy meanwhile (measured on 2 cores:
    40 notebooks in 68 s with 2 workers, 64 s with 3, 65 s with 4).
    """
    return (os.cpu_count() or 1) + 1


def _grade_all(
    submissions,
    graded,
    digests,
    *,
    pool,
    workers,
    work_root,
    scratch_root,
    cell_timeout,
    policy,
    late_penalty,
    progress,
):
    """Steps 1 to 6 on the workers, step 7 (into the gradebook) as each grade arrives, and
    the feedback pages of the students recorded so far in batches, which the workers take
    up as the queue of notebooks runs dry."""
    class_root = next(iter(graded.values())).gradebook.root
    course_args = (str(class_root), work_root, scratch_root, cell_timeout, policy)
    futures = {
        pool.submit(_grade_in_worker, submission, *course_args): submission
        for submission in submissions
    }
    pages = {}
    unpaged = {assignment: [] for assignment in graded}
    for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
        submission = futures[future]
        part = graded[submission.tutorial.id]
        try:
            grade = future.result()
        except Exception as error:  # the worker process itself died
            grade = _empty_grade(submission, part.exercises, policy)
            grade.problems.append(f"grading process failed ({type(error).__name__})")
        logs = class_root / "logs" / submission.tutorial.id
        logs.mkdir(parents=True, exist_ok=True)
        (logs / f"{grade.student_id}.log").write_text(grade.log, encoding="utf-8")
        part.gradebook.record(
            grade,
            part.exercises,
            digest=digests[submission.label],
            notebook_path=submission.notebook,
            late_penalty=late_penalty,
        )
        waiting = unpaged[submission.tutorial.id]
        waiting.append(grade.student_id)
        if len(waiting) == FEEDBACK_BATCH:
            pages.update(_submit_feedback(pool, part.gradebook, work_root, [list(waiting)]))
            waiting.clear()
        if progress is not None:
            with contextlib.suppress(Exception):
                progress(done, len(submissions), grade)
    # The last pages are shared out: by now every worker is free.
    for assignment, waiting in unpaged.items():
        gradebook = graded[assignment].gradebook
        pages.update(_submit_feedback(pool, gradebook, work_root, _shares(waiting, workers)))
    _collect_feedback(pages)


# Feedback pages made in one nbgrader run: large enough to compile nbgrader's templates
# rarely, small enough that idle workers start on them before the last notebooks finish.
FEEDBACK_BATCH = 8


def _feedback_for(student_ids, gradebook, pool, work_root, workers):
    """Each student's page, made from the gradebook, by several workers at once."""
    shares = _shares(student_ids, workers)
    _collect_feedback(_submit_feedback(pool, gradebook, work_root, shares))


def _shares(items, count) -> list[list]:
    """``items`` dealt into at most ``count`` non-empty shares."""
    return [items[i::count] for i in range(count) if items[i::count]]


def _submit_feedback(pool, gradebook, work_root, shares) -> dict:
    """One feedback task per share of students; the futures, with their gradebook and students."""
    return {
        pool.submit(
            _feedback_in_worker,
            str(gradebook.root),
            gradebook.assignment,
            tempfile.mkdtemp(prefix="feedback-", dir=work_root),
            gradebook.course.cell_timeout,
            share,
        ): (gradebook, share)
        for share in shares
    }


def _collect_feedback(futures) -> None:
    for future in concurrent.futures.as_completed(futures):
        gradebook, share = futures[future]
        try:
            written = future.result()
        except Exception:  # the worker process itself died
            written = set()
        gradebook.mark_feedback_current(written)
        for student_id in share:
            if student_id not in written:
                gradebook.add_problem(student_id, "nbgrader could not generate the feedback page")


def _empty_grade(submission, exercises, policy) -> StudentGrade:
    return StudentGrade(
        submission.student_id,
        submission.tutorial,
        [ExerciseGrade(item.exercise.id, item.points) for item in exercises],
        timestamp=submission.timestamp,
        sandboxed=policy.sandbox is not None,
    )
