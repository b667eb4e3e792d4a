"""nbgrader's Validate on each students' notebook, as a student runs it before handing in.

Validate executes the notebook and fails on every grade cell that raises. The
grade cells keep their check visible in the students' copy, so Validate must
name each unanswered or wrong exercise with the checker's message, and succeed
only when every exercise is right.
"""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from class_builder import REPOSITORY, answered_cell, grade_id, solution_answers
from student_answers import tutorial_style

from nmacausal.tutorials import TUTORIALS, get_exercise, tutorial_of

NBGRADER = Path(sys.executable).with_name("nbgrader")
EACH_TUTORIAL = pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda t: t.id)


def release_of(tutorial) -> Path:
    return REPOSITORY / "exercises" / tutorial.notebook_file


def validate(tmp_path, tutorial, answers=None) -> str:
    """What `nbgrader validate` prints for a release with ``answers`` (id -> answer cell)."""
    notebook = nbformat.read(release_of(tutorial), as_version=4)
    for cell in notebook.cells:
        if grade_id(cell) in (answers or {}):
            cell.source = answers[grade_id(cell)]
    path = tmp_path / tutorial.notebook_file
    nbformat.write(notebook, path)
    completed = subprocess.run(
        [str(NBGRADER), "validate", path.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def tutorial_style_answers(tutorial, wrong=None):
    """Every answer cell in the tutorial's own style; ``wrong``: (exercise, mistake) to make."""
    cells = nbformat.read(release_of(tutorial), as_version=4).cells
    release = {grade_id(cell): cell.source for cell in cells}
    answers = {}
    for exercise in tutorial.exercises:
        mistake = wrong[1] if wrong and wrong[0] == exercise.id else None
        source = tutorial_style(exercise.id).source(exercise.id, mistake)
        answers[exercise.id] = answered_cell(release[exercise.id], source)
    return answers


@EACH_TUTORIAL
def test_the_untouched_notebook_fails_naming_every_exercise(tmp_path, tutorial):
    printed = validate(tmp_path, tutorial)
    assert f"VALIDATION FAILED ON {len(tutorial.exercises)} CELL(S)!" in printed
    for exercise in tutorial.exercises:
        assert f"Not attempted yet: {exercise.label}:" in printed
    assert "Success" not in printed


@EACH_TUTORIAL
@pytest.mark.parametrize("answers", ["solutions", "tutorial_style"])
def test_a_fully_correct_notebook_succeeds(tmp_path, tutorial, answers):
    if answers == "solutions":
        chosen = solution_answers(tutorial)
    else:
        chosen = tutorial_style_answers(tutorial)
    printed = validate(tmp_path, tutorial, chosen)
    assert printed.strip() == "Success! Your notebook passes all the tests.", printed


@pytest.mark.parametrize(
    ("exercise_id", "mistake"),
    [
        ("rct_diff_in_means", "sign_reversed"),
        ("simulate_neurons", "transposed_connectivity"),
        ("single_neuron_effect", "median_instead_of_mean"),
        ("single_neuron_correlation", "same_time"),
        ("coarse_correlation", "interleaved_groups"),
    ],
)
def test_one_wrong_exercise_fails_naming_it_and_its_mistake(tmp_path, exercise_id, mistake):
    exercise = get_exercise(exercise_id)
    tutorial = tutorial_of(exercise)
    printed = validate(tmp_path, tutorial, tutorial_style_answers(tutorial, (exercise_id, mistake)))
    assert "VALIDATION FAILED ON 1 CELL(S)!" in printed
    assert f"Incorrect: {exercise.label}:" in printed
    assert f"mistake: {mistake})" in printed
    catalogued = next(item for item in exercise.mistakes if item.id == mistake)
    first_words = " ".join(catalogued.message.split()[:6])
    assert first_words in " ".join(printed.split())
    for other in tutorial.exercises:
        if other.id != exercise_id:
            assert f"{other.label}:" not in printed
