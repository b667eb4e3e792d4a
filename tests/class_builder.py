"""Synthetic classes of submitted notebooks, made from the released exercises notebooks.

A student's folder holds some of the day's notebooks: each the release with
some answer cells filled in (from the solutions notebook, or with a
catalogued mistake as :mod:`student_answers` writes it, the same example the
checker tests use) and optionally a hostile change. Used by the grading tests
and benchmark.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell
from student_answers import MISTAKES, mistake_source

from nmacausal.tutorials import EXERCISES as DAY
from nmacausal.tutorials import get_tutorial, tutorial_of

REPOSITORY = Path(__file__).resolve().parent.parent
# Tutorial 1, the one most grading tests hand in.
TUTORIAL = get_tutorial(1)
NOTEBOOK = TUTORIAL.id  # nbgrader's name of the assignment and of its notebook
NOTEBOOK_FILE = TUTORIAL.notebook_file
SOLUTIONS = REPOSITORY / "solutions" / NOTEBOOK_FILE
EXERCISES = REPOSITORY / "exercises" / NOTEBOOK_FILE

RCT, SIMULATE, EFFECT = "rct_diff_in_means", "simulate_neurons", "single_neuron_effect"
ALL_EXERCISES = tuple(exercise.id for exercise in TUTORIAL.exercises)
DAY_EXERCISES = tuple(exercise.id for exercise in DAY)

# Every catalogued mistake, as (exercise, mistake id): written once, as a student's
# choices, in student_answers (the checker tests render it in every style).
CATALOGUE = tuple(MISTAKES)


_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def answered_cell(release_source, answer_source) -> str:
    """A released answer cell with a student's own answer in place of its stub.

    A function exercise's whole ``def`` (scaffold included) is replaced by
    ``answer_source``, keeping the lines that call it after it; a value
    exercise's stub lines are replaced by ``answer_source``.
    """
    lines = release_source.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("def ")), None)
    if start is None:
        assert _STUB in release_source, release_source
        return release_source.replace(_STUB, answer_source.rstrip("\n"))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
        len(lines),
    )
    return "".join(lines[:start]) + answer_source.rstrip("\n") + "\n\n\n" + "".join(lines[end:])


def catalogued_mistakes(exercise) -> list[str]:
    """The mistake ids the catalogue has for one exercise, in the order written."""
    return [mistake for (owner, mistake) in CATALOGUE if owner == exercise]


@dataclass
class Student:
    """What to put in one student's folder, and the grade it should get."""

    student_id: str
    answered: tuple[str, ...] = ()
    mistakes: dict[str, str] = field(default_factory=dict)  # exercise -> mistake id
    extra_cells: tuple[tuple[str, str], ...] = ()  # (insert before this grade_id, source)
    raw_text: str | None = None  # a file that is not a notebook
    no_file: bool = False
    grade_cell_change: tuple[str, str] | None = None  # (grade_id, "delete" or new source)
    answer_sources: dict[str, str] = field(default_factory=dict)  # exercise -> whole cell
    # The tutorials whose notebooks the folder holds (numbers); by default those of the
    # exercises answered, or Tutorial 1's alone.
    notebooks: tuple[int, ...] | None = None

    def tutorials(self):
        if self.notebooks is not None:
            return [get_tutorial(number) for number in self.notebooks]
        touched = {*self.answered, *self.mistakes, *self.answer_sources}
        found = {tutorial_of(exercise) for exercise in touched}
        return sorted(found, key=lambda tutorial: tutorial.number) or [TUTORIAL]


def write_class(students, folder) -> Path:
    """Write each student's folder under ``folder``; returns ``folder``.

    A folder holds one notebook per tutorial of :meth:`Student.tutorials`; a
    student's ``raw_text`` (or ``no_file``) stands for the first of them.
    """
    folder = Path(folder)
    for student in students:
        student_folder = folder / student.student_id
        student_folder.mkdir(parents=True)
        for index, tutorial in enumerate(student.tutorials()):
            if student.no_file and index == 0:
                continue
            path = student_folder / tutorial.notebook_file
            if student.raw_text is not None and index == 0:
                path.write_text(student.raw_text, encoding="utf-8")
                continue
            release = nbformat.read(REPOSITORY / "exercises" / tutorial.notebook_file, as_version=4)
            answers = solution_answers(tutorial)
            nbformat.write(_notebook_of(student, release, answers), path)
    return folder


def solution_answers(tutorial=TUTORIAL) -> dict[str, str]:
    """Each exercise's answer cell as a student who solved it would leave it."""
    solutions = nbformat.read(REPOSITORY / "solutions" / tutorial.notebook_file, as_version=4)
    marker = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", flags=re.MULTILINE)
    return {
        grade_id(cell): marker.sub("", cell.source)
        for cell in solutions.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _notebook_of(student, release, answers):
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        exercise = grade_id(cell)
        if exercise in student.answer_sources:
            cell.source = student.answer_sources[exercise]
        elif exercise in student.mistakes:
            cell.source = answered_cell(
                cell.source, mistake_source(exercise, student.mistakes[exercise])
            )
        elif exercise in student.answered:
            cell.source = answers[exercise]
    for before, source in student.extra_cells:
        position = next(i for i, cell in enumerate(notebook.cells) if grade_id(cell) == before)
        notebook.cells.insert(position, new_code_cell(source))
    if student.grade_cell_change is not None:
        target, change = student.grade_cell_change
        if change == "delete":
            notebook.cells = [cell for cell in notebook.cells if grade_id(cell) != target]
        else:
            next(cell for cell in notebook.cells if grade_id(cell) == target).source = change
    return notebook
