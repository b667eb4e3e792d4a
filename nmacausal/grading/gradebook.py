"""The class's grades, kept in one nbgrader course in the output folder.

``OUT_DIR`` is an nbgrader course directory that nbgrader's own tools open as
it is (``nbgrader export``, formgrader, ``nbgrader generate_feedback``): one
assignment per tutorial graded (``W3D5_Tutorial1`` ...), each with its
``source/`` and ``release/``, each student's ``submitted/`` and
``autograded/`` notebook and ``feedback/`` page, and one ``gradebook.db``.

The gradebook is the one place a grade lives. Autograde's points go in as
nbgrader itself records them (its ``SaveAutoGrades`` step); what nmacausal
decides beyond autograde (a deleted or edited grade cell, a call to the
reference implementation, a failed re-check) goes in as a manual score with a
comment on the exercise's answer cell, marked :data:`OVERRIDE_MARK`, so that
formgrader shows it and an instructor can change it. ``grades.csv``, the
report and the feedback pages are all read back from the gradebook.

Beside the grades, ``OUT_DIR/nmacausal/<assignment>/<student>.json`` keeps what the grader
observed (the submission's digest, each exercise's verdict and mistake, the
status in words); it never holds a score.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from .nbgrader_course import Course, CourseError, quietly

# Comments nmacausal writes start with this, so that a rerun can tell its own
# overrides from an instructor's.
OVERRIDE_MARK = "[nmacausal]"


@dataclass
class ExerciseGrade:
    """One exercise of one student: points, and the grader's verdict and mistake."""

    exercise_id: str
    max_points: float
    points: float = 0.0
    verdict: str = "not_graded"  # correct, incorrect, not_attempted or not_graded
    mistake: str | None = None


@dataclass
class StudentRow:
    """One row of the grade sheet: points from the gradebook, the rest from the grader."""

    student_id: str
    exercises: list[ExerciseGrade]
    problems: list[str] = field(default_factory=list)
    late_seconds: float | None = None
    late_penalty: float = 0.0
    sandboxed: bool = False  # the student's code ran in the sandbox when it was graded
    # For a row of the whole day: each graded tutorial's own row, by tutorial id.
    parts: dict = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(item.points for item in self.exercises) - self.late_penalty

    @property
    def max_score(self) -> float:
        return sum(item.max_points for item in self.exercises)

    @property
    def late(self) -> bool:
        return self.late_seconds is not None and self.late_seconds > 0

    @property
    def status(self) -> str:
        return "; ".join(self.problems) if self.problems else "ok"

    def exercise(self, exercise_id) -> ExerciseGrade:
        return next(item for item in self.exercises if item.exercise_id == exercise_id)


def combine_rows(graded) -> list[StudentRow]:
    """The day's rows: for each student, every graded tutorial's exercises in one row.

    Parameters
    ----------
    graded : dict
        ``{tutorial id: (rows, exercises)}`` in the day's order: each
        tutorial's rows read from the gradebook, and its released exercises.

    Returns
    -------
    list of StudentRow
        One per student graded in any tutorial, sorted by id; ``parts`` holds
        each tutorial's row. A tutorial not graded for a student counts as
        not graded, with no points. When more than one tutorial is graded,
        each problem starts with its tutorial ("Tutorial 2: ...").
    """
    from ..tutorials import get_tutorial

    students = sorted({row.student_id for rows, _ in graded.values() for row in rows})
    several = len(graded) > 1
    combined = []
    for student in students:
        day = StudentRow(student, [], sandboxed=True)
        for tutorial_id, (rows, exercises) in graded.items():
            label = f"Tutorial {get_tutorial(tutorial_id).number}"
            row = next((row for row in rows if row.student_id == student), None)
            if row is None:
                row = StudentRow(
                    student,
                    [ExerciseGrade(item.exercise.id, item.points) for item in exercises],
                    problems=["not graded"],
                    sandboxed=True,
                )
            day.parts[tutorial_id] = row
            day.exercises += row.exercises
            # With one tutorial graded, its problems read as they always have.
            day.problems += [
                f"{label}: {problem}" if several else problem for problem in row.problems
            ]
            day.late_penalty += row.late_penalty
            day.sandboxed = day.sandboxed and row.sandboxed
            if row.late_seconds is not None:
                day.late_seconds = max(day.late_seconds or row.late_seconds, row.late_seconds)
        combined.append(day)
    return combined


def submission_digest(notebook_path) -> str:
    """SHA-256 of a submitted notebook's bytes (``"none"`` when there is no notebook)."""
    if notebook_path is None:
        return "none"
    return hashlib.sha256(Path(notebook_path).read_bytes()).hexdigest()


class ClassGradebook:
    """One assignment (tutorial) of the nbgrader course in ``OUT_DIR``, and the
    grader's notes beside it.

    Parameters
    ----------
    course : Course
        The course rooted at ``OUT_DIR``, on the tutorial's assignment.
    """

    def __init__(self, course):
        self.course = course
        self.root = course.root
        self.assignment = course.assignment
        self.notebook = course.notebook

    @classmethod
    def open(cls, out_dir, assignment, source, *, cell_timeout) -> ClassGradebook:
        """The assignment in ``out_dir``'s course, made from ``source`` on first use.

        Raises
        ------
        CourseError
            If ``out_dir`` already holds this assignment made from another
            source notebook (its grades would not match the new one's cells).
        """
        out_dir = Path(out_dir)
        course = Course(out_dir, assignment, cell_timeout=cell_timeout)
        if course.source_path.is_file():
            if course.source_path.read_bytes() != Path(source).read_bytes():
                raise CourseError(
                    f"{out_dir} holds grades of {assignment} made from another version of the "
                    f"source notebook; grade into a new --out folder (or delete {out_dir} to "
                    f"start over)."
                )
            return cls(course)
        out_dir.mkdir(parents=True, exist_ok=True)
        created = Course.create(
            out_dir, assignment, source, cell_timeout=cell_timeout, exist_ok=True
        )
        return cls(created)

    @staticmethod
    def assignments_in(out_dir) -> list[str]:
        """The assignments ``out_dir``'s course holds (graded at some time), sorted."""
        source = Path(out_dir) / "source"
        return sorted(path.name for path in source.iterdir()) if source.is_dir() else []

    # -- what the grader noted ---------------------------------------------------------------

    def _notes_path(self, student_id) -> Path:
        return self.root / "nmacausal" / self.assignment / f"{student_id}.json"

    def notes(self, student_id) -> dict | None:
        path = self._notes_path(student_id)
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def digest(self, student_id) -> str | None:
        """The digest of the submission last graded for ``student_id``, if any."""
        notes = self.notes(student_id)
        return notes["digest"] if notes else None

    def students(self) -> list[str]:
        """Every student with a graded submission, sorted."""
        notes = self.root / "nmacausal" / self.assignment
        return sorted(path.stem for path in notes.glob("*.json"))

    # -- recording one student's grading ---------------------------------------------------

    def record(self, grade, exercises, *, digest, notebook_path, late_penalty=0.0) -> None:
        """Put one student's grading into the gradebook and the course folders.

        Parameters
        ----------
        grade : nmacausal.grading.StudentGrade
            What the grader decided, with the autograded notebook if nbgrader
            ran it.
        exercises : list of GradedExercise
            The assignment's exercises as released.
        digest : str
            :func:`submission_digest` of the submission.
        notebook_path : Path or None
            The student's submitted notebook.
        late_penalty : float, default=0.0
            Fraction of the points withheld for a late submission.
        """
        from nbgrader.api import Gradebook

        student = grade.student_id
        changed = self.digest(student) != digest
        self._keep_submission(student, notebook_path, grade.timestamp)
        autograded = self._write_autograded(grade, exercises)
        with quietly(), Gradebook(self.db_url) as gradebook:
            gradebook.update_or_create_student(student)
            stamp = {"timestamp": grade.timestamp} if grade.timestamp else {}
            gradebook.update_or_create_submission(self.assignment, student, **stamp)
            _save_auto_grades(gradebook, autograded, student, self.course)
            self._set_overrides(gradebook, grade, exercises, keep_instructors=not changed)
            gradebook.db.commit()
            # Read after the commit: the notebook's score is a sum over the grades just set.
            notebook = gradebook.find_submission_notebook(self.notebook, self.assignment, student)
            notebook.late_submission_penalty = (
                round(late_penalty * notebook.score, 6) if grade.late and late_penalty else None
            )
            gradebook.db.commit()
        self._write_notes(grade, digest)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def _keep_submission(self, student, notebook_path, timestamp) -> None:
        folder = self.root / "submitted" / student / self.assignment
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if notebook_path is not None:
            shutil.copyfile(notebook_path, folder / f"{self.notebook}.ipynb")
        if timestamp is not None:
            (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")

    def _write_autograded(self, grade, exercises):
        """The autograded notebook (or, when nbgrader could not run it, the release
        with a note saying why), where nbgrader's feedback step reads it."""
        folder = self.root / "autograded" / grade.student_id / self.assignment
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        destination = folder / f"{self.notebook}.ipynb"
        if grade.autograded_path is not None:
            shutil.copyfile(grade.autograded_path, destination)
            # nbgrader wrote and validated it; read it back without validating again.
            return nbformat.v4.reads(destination.read_text(encoding="utf-8"))
        notebook = self.course.release_notebook()
        for item in exercises:  # nothing ran: every grade cell scored 0
            _grade_cell(notebook, item.grade_cell_id).outputs = [
                nbformat.v4.new_output(
                    "error", ename="NotGraded", evalue="not graded", traceback=[]
                )
            ]
        notebook.cells.insert(
            0,
            nbformat.v4.new_markdown_cell(
                "**This notebook could not be graded:** "
                + "; ".join(grade.problems or ["no reason recorded"])
                + ". It shows the assignment as released, not the submission."
            ),
        )
        nbformat.write(notebook, destination)
        return notebook

    def _set_overrides(self, gradebook, grade, exercises, *, keep_instructors) -> None:
        """Write nmacausal's decisions as manual scores and comments; clear stale ones."""
        for item in exercises:
            where = (self.notebook, self.assignment, grade.student_id)
            score = gradebook.find_grade(item.grade_cell_id, *where)
            comment = gradebook.find_comment(item.answer_cell_id, *where)
            ours = (comment.manual_comment or "").startswith(OVERRIDE_MARK)
            if ours or not keep_instructors:
                score.manual_score = None
                comment.manual_comment = None
            withdrawn = grade.withdrawn.get(item.exercise.id)
            flagged = grade.flagged.get(item.exercise.id)
            if withdrawn is not None:
                score.manual_score = 0.0
                comment.manual_comment = f"{OVERRIDE_MARK} No points: {withdrawn}"
            elif flagged is not None and comment.manual_comment is None:
                comment.manual_comment = f"{OVERRIDE_MARK} For review: {flagged}"
            score.needs_manual_grade = score.manual_score is not None or score.auto_score is None

    # -- keeping the feedback pages in step with the gradebook -----------------------------

    def stale_feedback(self) -> list[str]:
        """Students whose feedback page is missing or older than their grades.

        A page records the state of the gradebook it was made from (scores,
        comments, penalty); an instructor's change in formgrader makes it stale.
        """
        from nbgrader.api import Gradebook

        with quietly(), Gradebook(self.db_url) as gradebook:
            return [
                student
                for student in self.students()
                if not self.feedback_page(student).is_file()
                or self.notes(student).get("feedback_of")
                != _grades_state(gradebook, student, self.course)
            ]

    def mark_feedback_current(self, student_ids) -> None:
        """Record that these students' pages show the gradebook as it is now."""
        from nbgrader.api import Gradebook

        with quietly(), Gradebook(self.db_url) as gradebook:
            for student in student_ids:
                state = _grades_state(gradebook, student, self.course)
                self._update_notes(student, feedback_of=state)

    def _update_notes(self, student_id, **changes) -> None:
        notes = {**self.notes(student_id), **changes}
        self._notes_path(student_id).write_text(json.dumps(notes, indent=1), encoding="utf-8")

    def add_problem(self, student_id, problem) -> None:
        """Add a line to a recorded student's status, once (a page retried on a later run
        that fails again says so once)."""
        problems = self.notes(student_id)["problems"]
        if problem not in problems:
            self._update_notes(student_id, problems=[*problems, problem])

    def _write_notes(self, grade, digest) -> None:
        notes = {
            "digest": digest,
            "graded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "verdicts": {
                item.exercise_id: [item.verdict, item.mistake] for item in grade.exercises
            },
            "problems": grade.problems,
            "late_seconds": grade.late_seconds,
            "sandboxed": grade.sandboxed,
        }
        path = self._notes_path(grade.student_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notes, indent=1), encoding="utf-8")

    # -- reading the grades back -----------------------------------------------------------

    def rows(self, exercises) -> list[StudentRow]:
        """One row per graded student: points from the gradebook, notes from the grader."""
        from nbgrader.api import Gradebook

        rows = []
        with quietly(), Gradebook(self.db_url) as gradebook:
            for student in self.students():
                notes = self.notes(student)
                try:
                    notebook = gradebook.find_submission_notebook(
                        self.notebook, self.assignment, student
                    )
                except Exception:  # noted but never recorded (the run was stopped)
                    continue
                scores = {grade.name: grade.score for grade in notebook.grades}
                row = StudentRow(
                    student,
                    [
                        ExerciseGrade(
                            item.exercise.id,
                            item.points,
                            float(scores.get(item.grade_cell_id) or 0.0),
                            *notes["verdicts"].get(item.exercise.id, ["not_graded", None]),
                        )
                        for item in exercises
                    ],
                    problems=list(notes["problems"]),
                    late_seconds=notes.get("late_seconds"),
                    late_penalty=float(notebook.late_submission_penalty or 0.0),
                    # gradings from before the sandbox existed ran without one
                    sandboxed=notes.get("sandboxed", False),
                )
                row.problems += _instructor_overrides(gradebook, student, exercises, self.course)
                rows.append(row)
        return rows

    def feedback_page(self, student_id) -> Path:
        return self.root / "feedback" / student_id / self.assignment / f"{self.notebook}.html"


def _save_auto_grades(gradebook, notebook, student, course) -> None:
    """Autograde's points and comments, as nbgrader's ``SaveAutoGrades`` records them.

    The same rules, from nbgrader's own helpers, in one transaction: the
    preprocessor commits once per cell, 15 commits a student, which on a
    2-core machine cost the grader more than it gains from its workers.
    """
    from nbgrader import utils

    for cell in notebook.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if utils.is_grade(cell):
            grade = gradebook.find_grade(grade_id, course.notebook, course.assignment, student)
            grade.auto_score = utils.determine_grade(cell)[0]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        if utils.is_solution(cell) or utils.is_task(cell):
            comment = gradebook.find_comment(grade_id, course.notebook, course.assignment, student)
            untouched = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            no_response = untouched and not utils.is_task(cell)
            comment.auto_comment = "No response." if no_response else None


def _grades_state(gradebook, student, course) -> str:
    """A digest of everything a student's feedback page shows from the gradebook."""
    try:
        notebook = gradebook.find_submission_notebook(course.notebook, course.assignment, student)
    except Exception:
        return "none"
    state = {
        "grades": sorted(
            (g.name, g.auto_score, g.manual_score, g.extra_credit) for g in notebook.grades
        ),
        "comments": sorted((c.name, c.auto_comment, c.manual_comment) for c in notebook.comments),
        "late_penalty": notebook.late_submission_penalty,
    }
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def _instructor_overrides(gradebook, student, exercises, course) -> list[str]:
    """The manual scores an instructor set (in formgrader), in words."""
    found = []
    where = (course.notebook, course.assignment, student)
    for item in exercises:
        score = gradebook.find_grade(item.grade_cell_id, *where)
        comment = gradebook.find_comment(item.answer_cell_id, *where)
        if score.manual_score is not None and not (comment.manual_comment or "").startswith(
            OVERRIDE_MARK
        ):
            found.append(
                f"{item.label}: {score.manual_score:g} points set by hand "
                f"(autograde gave {score.auto_score or 0:g})"
            )
    return found


def _grade_cell(notebook, grade_id):
    return next(
        cell
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id
    )
