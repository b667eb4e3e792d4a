"""Grading a class of submitted notebooks with nbgrader, in parallel.

``grade_class`` finds one notebook per student, autogrades each with
nbgrader (whose checksums restore locked cells, whose grade cells run the
checkers, whose gradebook records the points) on several worker processes,
and writes the grades, each student's feedback and a class report.

Around nbgrader's autograde, each submission goes through a few steps of its
own, in this order:

1. read: an empty file or one that is not notebook JSON gets a row and no points;
2. compare the locked grade cells with the release: a deleted or edited grade
   cell scores nothing and is flagged (nbgrader would quietly restore it);
3. screen the answers for calls to nmacausal's reference implementation of
   the very function the student was asked to write (flagged, no points);
4. autograde with nbgrader (per-cell timeout, capped output);
5. read each exercise's verdict and mistake from its grade cell;
6. when the code shows signs of reaching into the grading machinery
   (monkeypatching checkers, swallowing exceptions...), re-check every
   exercise that scored in a separate process the student's code cannot
   touch, and keep the points only if that check agrees;
7. generate the feedback pages with nbgrader, once per worker's course at the end.

A submission can fail at any step without stopping the run or touching
another student's grade: its problem goes into the status column.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import shutil
import tempfile
import types
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import ActionableError
from ._nbgrader_course import ASSIGNMENT, NOTEBOOK, Course, CourseError
from ._output_limits import TRUNCATION_NOTE

NOTEBOOK_FILE = f"{NOTEBOOK}.ipynb"
DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "solutions" / NOTEBOOK_FILE

__all__ = [
    "ExerciseGrade",
    "GradingError",
    "StudentGrade",
    "find_submissions",
    "grade_class",
]


class GradingError(ActionableError):
    """The class could not be graded at all; the message says what to do."""


# -- finding the submissions ------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One student's folder and the notebook found in it (None if there is none)."""

    student_id: str
    notebook: Path | None


def find_submissions(submissions_dir) -> list[Submission]:
    """One submission per student folder of ``submissions_dir``.

    A student's notebook is ``<student>/W3D5_Tutorial1.ipynb`` or, in
    nbgrader's own layout, ``<student>/W3D5_Tutorial1/W3D5_Tutorial1.ipynb``.
    A folder without either still counts, so that no student goes missing.

    Raises
    ------
    GradingError
        If ``submissions_dir`` is not a folder or holds no student folder.
    """
    submissions_dir = Path(submissions_dir)
    if not submissions_dir.is_dir():
        raise GradingError(f"{submissions_dir} is not a folder of submissions.")
    submissions = []
    for folder in sorted(path for path in submissions_dir.iterdir() if path.is_dir()):
        if folder.name.startswith("."):
            continue
        candidates = [folder / NOTEBOOK_FILE, folder / ASSIGNMENT / NOTEBOOK_FILE]
        notebook = next((path for path in candidates if path.is_file()), None)
        submissions.append(Submission(folder.name, notebook))
    if not submissions:
        raise GradingError(
            f"{submissions_dir} holds no student folder; expected "
            f"<student_id>/{NOTEBOOK_FILE} inside it."
        )
    return submissions


# -- grades -------------------------------------------------------------------------------


@dataclass
class ExerciseGrade:
    """Points and diagnosis for one exercise of one student."""

    exercise_id: str
    max_points: float
    points: float = 0.0
    verdict: str = "not_graded"  # correct, incorrect, not_attempted or not_graded
    mistake: str | None = None


@dataclass
class StudentGrade:
    """One row of the grade sheet."""

    student_id: str
    exercises: list[ExerciseGrade]
    problems: list[str] = field(default_factory=list)
    autograded: bool = False  # nbgrader ran the notebook (so it gets a feedback page)

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

    def withdraw(self, exercise_id, reason):
        """No points for an exercise, for a reason the status column gives."""
        self.exercise(exercise_id).points = 0.0
        self.problems.append(reason)


# -- the assignment, as released ---------------------------------------------------------------


@dataclass(frozen=True)
class GradedExercise:
    """Where an exercise lives in the released notebook."""

    exercise: object  # nmacausal.exercises.Exercise
    answer_cell_id: str
    grade_cell_id: str
    grade_cell_source: str
    points: float


def released_exercises(release) -> list[GradedExercise]:
    """The registry's exercises, located in the released notebook by their cell ids."""
    from .exercises import EXERCISES
    from .notebooks import grade_cell_id

    cells = {_grade_id(cell): cell for cell in release.cells}
    located = []
    for exercise in EXERCISES:
        missing = [i for i in (exercise.id, grade_cell_id(exercise)) if i not in cells]
        if missing:
            raise GradingError(
                f"the notebook has no cell with nbgrader grade_id {missing[0]!r}; "
                f"regenerate it with `nmacausal notebooks`."
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


def grade_submission(submission, course, release, exercises) -> StudentGrade:
    """Run steps 1 to 6 for one student; never raises for anything a submission holds."""
    grade = StudentGrade(
        submission.student_id,
        [ExerciseGrade(item.exercise.id, item.points) for item in exercises],
    )
    notebook = _read_notebook(submission, grade)
    if notebook is None:
        return grade
    edited = _check_grade_cells(notebook, exercises, grade)
    copied = _find_reference_use(notebook, exercises, grade)
    run = course.autograde(submission.student_id, submission.notebook)
    if not run.succeeded:
        grade.problems.append(_why_autograde_failed(run.log))
        return grade
    grade.autograded = True
    _read_verdicts(run, exercises, grade, course.cell_timeout)
    for exercise_id, reason in {**edited, **copied}.items():
        grade.withdraw(exercise_id, reason)
    _recheck_if_tampered(notebook, release, exercises, grade, course.cell_timeout)
    return grade


def _read_notebook(submission, grade):
    import nbformat

    if submission.notebook is None:
        grade.problems.append(f"no {NOTEBOOK_FILE} in the student's folder")
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


def _check_grade_cells(notebook, exercises, grade) -> dict[str, str]:
    """Exercises whose locked grade cell was deleted or edited, with the reason."""
    by_id = {_grade_id(cell): cell for cell in notebook.cells}
    changed = {}
    for item in exercises:
        cell = by_id.get(item.grade_cell_id)
        if cell is None:
            changed[item.exercise.id] = f"{item.exercise.id}: grade cell deleted (no points)"
        elif cell.source.strip() != item.grade_cell_source.strip():
            changed[item.exercise.id] = f"{item.exercise.id}: grade cell edited (no points)"
    return changed


def _find_reference_use(notebook, exercises, grade) -> dict[str, str]:
    """Function exercises answered by calling nmacausal's own implementation."""
    from ._code_screening import reference_uses

    copied = {}
    for item in exercises:
        if item.exercise.kind != "function":
            continue
        for cell in _answer_cells(notebook, item):
            findings = reference_uses(cell.source, item.exercise.answer_name)
            if findings:
                copied[item.exercise.id] = (
                    f"{item.exercise.id}: the answer {findings[0].what} instead of the "
                    f"student's own code (no points)"
                )
    return copied


def _answer_cells(notebook, item):
    return [cell for cell in notebook.cells if _grade_id(cell) == item.answer_cell_id]


def _why_autograde_failed(log) -> str:
    if "Kernel died" in log or "DeadKernelError" in log:
        return "the kernel crashed while running the notebook (no points)"
    last = [line for line in log.splitlines() if line.strip()]
    return f"nbgrader could not autograde the notebook: {last[-1][:160] if last else 'no log'}"


def _read_verdicts(run, exercises, grade, cell_timeout):
    """Points from the gradebook; verdict and mistake from each grade cell's error."""
    cells = {_grade_id(cell): cell for cell in run.notebook.cells}
    timed_out = False
    truncated = False
    for cell in run.notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") + " ".join(output.get("traceback", []))
            timed_out |= "CellTimeoutError" in text or output.get("ename") == "CellTimeoutError"
            truncated |= TRUNCATION_NOTE.split("{")[0].strip() in text
    for item in exercises:
        exercise_grade = grade.exercise(item.exercise.id)
        exercise_grade.points = float(run.scores.get(item.grade_cell_id) or 0.0)
        error = (
            next(
                (
                    o
                    for o in cells[item.grade_cell_id].get("outputs", [])
                    if o.output_type == "error"
                ),
                None,
            )
            if item.grade_cell_id in cells
            else None
        )
        exercise_grade.verdict, exercise_grade.mistake = _diagnosis(error)
    first_error = _first_student_error(run.notebook, exercises)
    if first_error:
        grade.problems.append(first_error)
    if timed_out or "Timeout waiting for execute reply" in run.log:
        grade.problems.append(f"a cell ran longer than {cell_timeout:g} s and was interrupted")
    if truncated:
        grade.problems.append("an enormous output was truncated")


# An untouched stub is "not attempted"; an interrupted cell has its own status line.
_REPORTED_ELSEWHERE = frozenset({"NotImplementedError", "KeyboardInterrupt", "CellTimeoutError"})


def _first_student_error(notebook, exercises) -> str | None:
    """The first error a student's cell raised, other than an untouched stub's."""
    grade_ids = {item.grade_cell_id for item in exercises}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or _grade_id(cell) in grade_ids:
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error" and output.ename not in _REPORTED_ELSEWHERE:
                detail = f"{output.ename}: {output.evalue}".strip().splitlines()[0][:120]
                return f"cell {index + 1} raised {detail}"
    return None


def _diagnosis(error) -> tuple[str, str | None]:
    """Verdict and mistake id from a grade cell's error output (None: the cell passed)."""
    from .checks import CheckFailed

    if error is None:
        return "correct", None
    diagnosis = CheckFailed.read_diagnosis(error.get("evalue", ""))
    if diagnosis is None:  # the cell failed before the checker could say why
        return "incorrect", None
    return diagnosis


def _recheck_if_tampered(notebook, release, exercises, grade, cell_timeout):
    """Re-check scored exercises out of the student's reach when the code looks tampered."""
    from ._code_screening import imported_names, tampering_signs

    released_sources = {cell.source for cell in release.cells}
    student_cells = [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source not in released_sources
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
        f"code that reaches into the grading machinery ({findings[0]}); "
        f"scored exercises re-checked apart from it"
    )
    scored = [item for item in exercises if grade.exercise(item.exercise.id).points > 0]
    if not scored:
        return
    verdicts = _independent_checks(notebook, exercises, scored, cell_timeout)
    for item in scored:
        verdict = verdicts[item.exercise.id]
        if verdict.status != "correct":
            grade.withdraw(
                item.exercise.id,
                f"{item.exercise.id}: passed in the notebook but not when re-checked "
                f"(no points): {verdict.message.splitlines()[0]}",
            )


def _independent_checks(notebook, exercises, scored, cell_timeout):
    """Each scored exercise checked by this process's checker against a sandboxed notebook."""
    from ._sandbox import Sandbox, SandboxError

    grade_ids = {item.grade_cell_id for item in exercises}
    cells = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and _grade_id(cell) not in grade_ids
    ]
    verdicts = {}
    try:
        with Sandbox(cells, timeout=cell_timeout * max(1, len(cells))) as sandbox:
            sandbox.timeout = cell_timeout
            for item in scored:
                exercise = item.exercise
                if exercise.kind == "function":
                    answer = sandbox.function(exercise.answer_name)
                else:
                    answer = _sandboxed_value(sandbox, exercise.answer_name)
                verdicts[exercise.id] = exercise.check(answer)
    except (SandboxError, TimeoutError) as error:
        failure = _Unverified(f"the notebook could not be re-run on its own: {error}")
        verdicts = {item.exercise.id: verdicts.get(item.exercise.id, failure) for item in scored}
    return verdicts


@dataclass(frozen=True)
class _Unverified:
    message: str
    status: str = "incorrect"


def _sandboxed_value(sandbox, name):
    try:
        return sandbox.value(name)
    except KeyError:
        return None


def write_feedback(course, student_ids, feedback_dir) -> set[str]:
    """Step 7 for every student autograded in ``course``, in one nbgrader run.

    One run for many students compiles nbgrader's page templates once rather
    than once a student. Returns the students whose page was written.
    """
    pages = course.feedback()
    written = set()
    for student_id in student_ids:
        if student_id in pages:
            destination = Path(feedback_dir) / student_id / f"{NOTEBOOK}.html"
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pages[student_id], destination)
            written.add(student_id)
    return written


# -- the worker processes ------------------------------------------------------------------

# This worker process's own course, made on its first task, read by every later one.
_worker = types.SimpleNamespace(course=None, release=None, exercises=None)


def _warm_up_worker():
    """Quiet this worker's stderr and import nbgrader while the parent builds the course."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # kernels inherit it: their start-up chatter is not the grader's output
    import nbgrader.apps  # noqa: F401  (seconds of imports, better spent in parallel)
    import nbgrader.converters  # noqa: F401


def _grade_in_worker(submission, template_root, work_root, cell_timeout):
    """Grade one submission on this worker's course; the grade and that course's root."""
    if _worker.course is None:
        template = Course(template_root, cell_timeout=cell_timeout)
        _worker.course = template.copy(Path(work_root) / f"worker-{os.getpid()}")
        _worker.release = _worker.course.release_notebook()
        _worker.exercises = released_exercises(_worker.release)
    try:
        grade = grade_submission(submission, _worker.course, _worker.release, _worker.exercises)
    except Exception as error:  # a grader bug must cost one row, not the class
        grade = StudentGrade(
            submission.student_id,
            [ExerciseGrade(item.exercise.id, item.points) for item in _worker.exercises],
        )
        grade.problems.append(f"internal grading error ({type(error).__name__}: {error})")
    return grade, str(_worker.course.root)


def _feedback_in_worker(course_root, cell_timeout, student_ids, feedback_dir):
    return write_feedback(Course(course_root, cell_timeout=cell_timeout), student_ids, feedback_dir)


# -- the class ---------------------------------------------------------------------------------


def grade_class(
    submissions_dir,
    out_dir,
    *,
    source=None,
    jobs=None,
    cell_timeout=30.0,
    progress=None,
) -> list[StudentGrade]:
    """Grade every submission in ``submissions_dir`` and write the results to ``out_dir``.

    Parameters
    ----------
    submissions_dir : path-like
        One folder per student holding ``W3D5_Tutorial1.ipynb`` (or nbgrader's
        ``<student>/W3D5_Tutorial1/W3D5_Tutorial1.ipynb``).
    out_dir : path-like
        Receives ``grades.csv``, ``report.html`` and ``feedback/<student>/``.
    source : path-like, optional
        The instructors' notebook; by default ``solutions/W3D5_Tutorial1.ipynb``.
    jobs : int, optional
        Worker processes; by default one more than the number of CPUs.
    cell_timeout : float, default=30.0
        Seconds any one cell may run before it is interrupted.
    progress : callable, optional
        Called as ``progress(done, total, grade)`` after each student.

    Returns
    -------
    list of StudentGrade
        One per student folder, sorted by student id.

    Raises
    ------
    GradingError
        If the submissions or the source notebook cannot be found, or nbgrader
        cannot prepare the course.
    """
    from ._validation import check_integer
    from .grading_report import write_grades_csv, write_report

    submissions = find_submissions(submissions_dir)
    source = Path(source) if source is not None else DEFAULT_SOURCE
    if not source.is_file():
        raise GradingError(f"the source notebook {source} does not exist; pass --source.")
    try:
        jobs = check_integer(jobs if jobs is not None else default_jobs(), "jobs", minimum=1)
    except (TypeError, ValueError) as error:
        raise GradingError(str(error)) from None
    if not (isinstance(cell_timeout, (int, float)) and cell_timeout > 0):
        raise GradingError(f"`cell_timeout` must be a positive number, got {cell_timeout!r}.")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise GradingError(f"{out_dir} exists and is not a folder; choose another --out.")
    feedback_dir = out_dir / "feedback"
    feedback_dir.mkdir(parents=True, exist_ok=True)

    with (
        tempfile.TemporaryDirectory(prefix="nmacausal-grading-") as work_root,
        concurrent.futures.ProcessPoolExecutor(
            max_workers=min(jobs, len(submissions)), initializer=_warm_up_worker
        ) as pool,
    ):
        try:
            template = Course.create(
                Path(work_root) / "template", source, cell_timeout=cell_timeout
            )
            exercises = released_exercises(template.release_notebook())
        except CourseError as error:
            raise GradingError(str(error)) from None
        grades = _grade_all(
            pool, submissions, template, exercises, work_root, feedback_dir, progress
        )

    grades.sort(key=lambda grade: grade.student_id)
    write_grades_csv(grades, exercises, out_dir / "grades.csv")
    write_report(grades, exercises, out_dir / "report.html")
    return grades


def default_jobs() -> int:
    """One worker more than there are CPUs.

    A worker spends part of each notebook waiting (a kernel starting, files
    written); one extra keeps the CPUs busy meanwhile (measured on 2 cores:
    40 notebooks in 68 s with 2 workers, 64 s with 3, 65 s with 4).
    """
    return (os.cpu_count() or 1) + 1


def _grade_all(pool, submissions, template, exercises, work_root, feedback_dir, progress):
    """Every submission through steps 1 to 6, then step 7 once per worker's course."""
    course_args = (str(template.root), work_root, template.cell_timeout)
    futures = {
        pool.submit(_grade_in_worker, submission, *course_args): submission
        for submission in submissions
    }
    grades, graded_in = [], {}
    for future in concurrent.futures.as_completed(futures):
        submission = futures[future]
        try:
            grade, course_root = future.result()
        except Exception as error:  # the worker process itself died
            grade, course_root = _failed_grade(submission, exercises, error), None
        if grade.autograded:
            graded_in.setdefault(course_root, []).append(grade)
        grades.append(grade)
        if progress is not None:
            with contextlib.suppress(Exception):
                progress(len(grades), len(submissions), grade)
    feedback = {
        pool.submit(
            _feedback_in_worker,
            course_root,
            template.cell_timeout,
            [grade.student_id for grade in course_grades],
            str(feedback_dir),
        ): course_grades
        for course_root, course_grades in graded_in.items()
    }
    for future in concurrent.futures.as_completed(feedback):
        try:
            written = future.result()
        except Exception:  # the worker process itself died
            written = set()
        for grade in feedback[future]:
            if grade.student_id not in written:
                grade.problems.append("nbgrader could not generate the feedback page")
    return grades


def _failed_grade(submission, exercises, error):
    grade = StudentGrade(
        submission.student_id,
        [ExerciseGrade(item.exercise.id, item.points) for item in exercises],
    )
    grade.problems.append(f"grading process failed ({type(error).__name__})")
    return grade
