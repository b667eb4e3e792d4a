"""Grading a synthetic class end to end: ordinary, mistaken and hostile submissions."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from class_builder import (
    ALL_EXERCISES,
    EFFECT,
    EXERCISES,
    NOTEBOOK,
    RCT,
    SIMULATE,
    TUTORIAL,
    Student,
    answered_cell,
    catalogued_mistakes,
    grade_id,
    solution_answers,
    write_class,
)
from nbgrader.api import Gradebook
from student_answers import STYLES, TUTORIAL_STYLE_NAMES

from nmacausal.course.files import installed_course_files
from nmacausal.grading.nbgrader_course import Course
from nmacausal.grading.pipeline import GradingError, find_submissions, grade_class
from nmacausal.tutorials import get_exercise, get_tutorial

POINTS = {exercise: get_exercise(exercise).points for exercise in ALL_EXERCISES}
MISTAKES = {exercise: catalogued_mistakes(exercise) for exercise in ALL_EXERCISES}
MOST_MISTAKES = max(len(mistakes) for mistakes in MISTAKES.values())

MONKEYPATCH_CHECKER = """\
import nmacausal.checks as grading_checks

class AlwaysRight:
    status = "correct"
    def assert_correct(self):
        return self

grading_checks.check_simulate_neurons = lambda function: AlwaysRight()
"""
SWALLOW_ASSERTIONS = "get_ipython().set_custom_exc((AssertionError,), lambda *args, **kwargs: None)"
DISTURB_RANDOM_STATE = "np.random.seed(999)\nnp.random.rand(12345)"
CALLS_REFERENCE = """\
import nmacausal

def simulate_neurons(A, timesteps, random_state=42):
    return nmacausal.simulate_neurons(A, timesteps, random_state)
"""
SYNTAX_ERROR = "def simulate_neurons(A, timesteps random_state=42):\n    return A\n"


def the_class():
    """Each student with the points and status expected for them."""
    expected = {}

    def add(student, points, status=(), verdicts=None):
        """``status``: parts the status must contain; () means "ok"; None, not checked."""
        expected[student.student_id] = (student, points, status, verdicts or {})

    full = dict(POINTS)
    nothing = dict.fromkeys(ALL_EXERCISES, 0)
    add(Student("correct", ALL_EXERCISES), full, verdicts=dict.fromkeys(ALL_EXERCISES, "correct"))
    add(Student("blank"), nothing, verdicts=dict.fromkeys(ALL_EXERCISES, "not_attempted"))
    for exercise in ALL_EXERCISES:
        add(Student(f"only_{exercise}", (exercise,)), {**nothing, exercise: POINTS[exercise]})
    # Every catalogued mistake, one per exercise per student: the answer's cell
    # may fail on top (a list cannot be plotted), so the status is not checked.
    for index in range(MOST_MISTAKES):
        mistakes = {
            exercise: catalogued[index % len(catalogued)]
            for exercise, catalogued in MISTAKES.items()
        }
        add(Student(f"mistakes_{index:02d}", mistakes=mistakes), nothing, None, mistakes)

    answered = ALL_EXERCISES
    add(
        Student(
            "kernel_crash", answered, extra_cells=((f"{RCT}_tests", "import os\nos._exit(1)"),)
        ),
        nothing,
        ["kernel crashed"],
    )
    add(
        Student(
            "infinite_loop", answered, extra_cells=((f"{SIMULATE}_tests", "while True:\n    pass"),)
        ),
        full,
        ["after the answer cell of Exercise 2 (simulate_neurons) ran longer than", "interrupted"],
    )
    add(
        Student("syntax_error", answered, answer_sources={SIMULATE: SYNTAX_ERROR}),
        {**full, SIMULATE: 0},
        ["SyntaxError"],
    )
    add(Student("not_json", raw_text="{this is not a notebook"), nothing, ["not JSON"])
    add(Student("empty_file", raw_text=""), nothing, ["empty"])
    add(Student("no_notebook", no_file=True), nothing, ["no W3D5_Tutorial1.ipynb"])
    # By default an edited or deleted grade cell is flagged: nbgrader restores an edited
    # cell, whose check decides; a deleted one stays deleted and scores 0 until reviewed.
    add(
        Student("deleted_grade_cell", answered, grade_cell_change=(f"{SIMULATE}_tests", "delete")),
        {**full, SIMULATE: 0},
        ["Exercise 2 (simulate_neurons): grade cell deleted", "check never ran", "for review"],
    )
    add(
        Student(
            "edited_grade_cell",
            (RCT, EFFECT),
            mistakes={SIMULATE: "no_sigmoid"},
            grade_cell_change=(f"{SIMULATE}_tests", "pass"),
        ),
        {**full, SIMULATE: 0},
        ["Exercise 2 (simulate_neurons): grade cell edited", "flagged for review"],
    )
    add(
        Student(
            "patched_checker",
            (RCT, EFFECT),
            extra_cells=((f"{SIMULATE}_tests", MONKEYPATCH_CHECKER),),
        ),
        {**full, SIMULATE: 0},
        [
            "reaches into the grading machinery",
            "Exercise 2 (simulate_neurons): passed in the notebook but not",
        ],
    )
    add(
        Student(
            "swallowed_assertion",
            (RCT, EFFECT),
            mistakes={SIMULATE: "no_noise"},
            extra_cells=((f"{SIMULATE}_tests", SWALLOW_ASSERTIONS),),
        ),
        {**full, SIMULATE: 0},
        ["reaches into the grading machinery"],
    )
    add(
        Student(
            "disturbed_random_state",
            answered,
            extra_cells=tuple((f"{exercise}_tests", DISTURB_RANDOM_STATE) for exercise in answered),
        ),
        full,
    )
    add(
        Student(
            "enormous_output", answered, extra_cells=((f"{RCT}_tests", "print('x' * 20_000_000)"),)
        ),
        full,
        ["enormous output was truncated"],
    )
    add(
        Student("calls_reference", answered, answer_sources={SIMULATE: CALLS_REFERENCE}),
        {**full, SIMULATE: 0},
        ["Exercise 2 (simulate_neurons): the answer calls nmacausal's simulate_neurons"],
    )
    # The tutorial's own solutions, and other correct styles, score full marks.
    for label, style_names in STYLED_STUDENTS.items():
        add(
            Student(label, answer_sources=styled_answers(style_names)),
            full,
            verdicts=dict.fromkeys(ALL_EXERCISES, "correct"),
        )
    return expected


STYLED_STUDENTS = {
    "tutorial_style": TUTORIAL_STYLE_NAMES,
    "other_styles": {RCT: "one-draw", SIMULATE: "noise-up-front", EFFECT: "vectorised"},
}


def styled_answers(style_names):
    """Each exercise's released cell answered in the named style."""
    release = {grade_id(cell): cell.source for cell in nbformat.read(EXERCISES, as_version=4).cells}
    return {
        exercise: answered_cell(
            release[exercise],
            next(s for s in STYLES[exercise] if s.name == style_names[exercise]).source(exercise),
        )
        for exercise in ALL_EXERCISES
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    expected = the_class()
    submissions = write_class(
        [student for student, *_ in expected.values()], tmp_path_factory.mktemp("submitted")
    )
    out = tmp_path_factory.mktemp("graded")
    grades = grade_class(submissions, out, jobs=2, cell_timeout=8)
    return expected, {grade.student_id: grade for grade in grades}, out


def read_csv(path):
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def test_every_student_gets_exactly_one_row(graded):
    expected, grades, out = graded
    rows = read_csv(out / "grades.csv")
    assert sorted(row["student_id"] for row in rows) == sorted(expected)
    assert list(rows[0]) == [
        "student_id",
        "total",
        "max_score",
        f"{NOTEBOOK}_total",
        *ALL_EXERCISES,
        *(f"{exercise}_verdict" for exercise in ALL_EXERCISES),
        *(f"{exercise}_mistake" for exercise in ALL_EXERCISES),
        "late",
        "status",
    ]
    for row in rows:
        grade = grades[row["student_id"]]
        assert float(row["max_score"]) == sum(POINTS.values())
        points = [float(row[exercise]) for exercise in ALL_EXERCISES]
        assert float(row["total"]) == sum(points)
        assert row["status"] == grade.status
        for exercise in ALL_EXERCISES:
            item = grade.exercise(exercise)
            assert (row[f"{exercise}_verdict"], row[f"{exercise}_mistake"]) == (
                item.verdict,
                item.mistake or "",
            )


@pytest.mark.parametrize("student_id", sorted(the_class()))
def test_points_and_status(graded, student_id):
    expected, grades, _ = graded
    _, points, status_parts, verdicts = expected[student_id]
    grade = grades[student_id]
    assert {item.exercise_id: item.points for item in grade.exercises} == points
    if status_parts == ():
        assert grade.status == "ok"
    for part in status_parts or ():
        assert part in grade.status
    for exercise, verdict in verdicts.items():
        item = grade.exercise(exercise)
        if verdict in ("correct", "not_attempted"):
            assert (item.verdict, item.mistake) == (verdict, None)
        else:
            assert (item.verdict, item.mistake) == ("incorrect", verdict)


def feedback_score(out, student_id) -> float:
    """The total a student's feedback page states ("Score: 3.0 / 5.0", the first one)."""
    page = out / "feedback" / student_id / "W3D5_Tutorial1" / "W3D5_Tutorial1.html"
    return float(re.search(r"Score: ([\d.]+) / ([\d.]+)", page.read_text()).group(1))


def test_every_feedback_page_states_the_csv_total(graded):
    # Including the students whose points the grader overrode, and those nbgrader
    # could not run at all: every page is made from the gradebook.
    expected, _, out = graded
    for row in read_csv(out / "grades.csv"):
        assert feedback_score(out, row["student_id"]) == float(row["total"]), row["student_id"]
    assert {row["student_id"] for row in read_csv(out / "grades.csv")} == set(expected)


def test_feedback_pages_open_offline_and_stay_small(graded):
    _, _, out = graded
    pages = sorted((out / "feedback").glob("*/W3D5_Tutorial1/W3D5_Tutorial1.html"))
    assert len(pages) == len(read_csv(out / "grades.csv"))
    for page in pages:
        text = page.read_text()
        # Nothing the page loads comes from the network: no external image, script, frame
        # or stylesheet. Links a reader may follow (the lecture videos) are not loads.
        assert not re.search(r"""\bsrc=["']https?://""", text), page
        assert not re.search(r"""<link\b[^>]*\bhref=["']https?://""", text), page
        assert page.stat().st_size < 2_000_000, page  # the 20 MB print included
    # The pages start at the tutorial: no badges (images from the internet), no install cell.
    blank = (out / "feedback" / "blank" / "W3D5_Tutorial1" / "W3D5_Tutorial1.html").read_text()
    assert "Network Causality, Tutorial 1" in blank
    assert "Open in Colab" not in blank and "Install nmacausal" not in blank
    assert '<a href="https://youtube.com/watch?v=yiddT2sMbZM">YouTube</a>' in blank
    unreadable = out / "feedback" / "not_json" / "W3D5_Tutorial1" / "W3D5_Tutorial1.html"
    assert "could not be graded" in unreadable.read_text()


def test_grade_cells_on_feedback_pages_show_the_verdict_not_a_traceback(graded):
    _, _, out = graded
    page = (out / "feedback" / "mistakes_00" / "W3D5_Tutorial1" / "W3D5_Tutorial1.html").read_text()
    assert "CheckFailed: Incorrect: Exercise" in page
    assert "Traceback (most recent call last)" not in page and "checks.py" not in page


def test_nbgrader_export_agrees_with_the_csv(graded):
    _, _, out = graded
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("nbgrader")), "export", "--to", "export.csv"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    exported = {row["student_id"]: float(row["score"]) for row in read_csv(out / "export.csv")}
    sheet = {row["student_id"]: float(row["total"]) for row in read_csv(out / "grades.csv")}
    assert exported == sheet


def test_overrides_are_in_the_gradebook_with_a_comment(graded):
    _, _, out = graded
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gradebook:
        # Autograde passed the patched checker; the re-check did not: an override.
        grade = gradebook.find_grade(f"{SIMULATE}_tests", NOTEBOOK, NOTEBOOK, "patched_checker")
        comment = gradebook.find_comment(SIMULATE, NOTEBOOK, NOTEBOOK, "patched_checker")
        assert grade.auto_score == POINTS[SIMULATE] and grade.manual_score == 0
        assert comment.manual_comment.startswith("[nmacausal] No points: passed in the notebook")
        reference = gradebook.find_comment(SIMULATE, NOTEBOOK, NOTEBOOK, "calls_reference")
        assert reference.manual_comment.startswith("[nmacausal] No points: the answer calls")
        flagged = gradebook.find_comment(SIMULATE, NOTEBOOK, NOTEBOOK, "deleted_grade_cell")
        assert flagged.manual_comment.startswith("[nmacausal] For review: grade cell deleted")


def test_each_student_has_a_log(graded):
    expected, _, out = graded
    for student_id in expected:
        assert (out / "logs" / NOTEBOOK / f"{student_id}.log").is_file()
    crash_log = (out / "logs" / NOTEBOOK / "kernel_crash.log").read_text()
    assert crash_log.count("failed: the kernel crashed") == 3


def test_report_counts_the_catalogued_mistakes(graded):
    expected, _, out = graded
    text = (out / "report.html").read_text()
    assert "data:image/png;base64," in text
    counts = {}
    for _, _, _, verdicts in expected.values():
        for exercise, verdict in verdicts.items():
            if verdict not in ("correct", "not_attempted"):
                counts[(exercise, verdict)] = counts.get((exercise, verdict), 0) + 1
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>(\w+)</td>", text)
    reported = {(exercise, mistake): int(count) for count, exercise, mistake in rows}
    assert "Made " in text and "nmacausal grade" in text
    assert 'href="feedback/mistakes_00/W3D5_Tutorial1/W3D5_Tutorial1.html"' in text
    # Other students add to some counts (a reference call, a mistake with a hostile twist).
    for key, count in counts.items():
        assert reported.get(key, 0) >= count, key
    assert reported[(RCT, "only_one_mean")] == counts[(RCT, "only_one_mean")]


def test_the_class_covers_every_catalogued_mistake():
    for exercise in ALL_EXERCISES:
        registered = [mistake.id for mistake in get_exercise(exercise).mistakes]
        assert sorted(MISTAKES[exercise]) == sorted(registered), exercise


def test_solutions_are_written_in_the_class_builder_as_graded():
    # The builder's answers are the solutions notebook's, markers removed.
    answers = solution_answers()
    assert set(answers) == set(ALL_EXERCISES)
    assert all("### BEGIN SOLUTION" not in source for source in answers.values())


def test_nbgrader_layout_is_found(tmp_path):
    (tmp_path / "ada" / "W3D5_Tutorial1").mkdir(parents=True)
    (tmp_path / "ada" / "W3D5_Tutorial1" / "W3D5_Tutorial1.ipynb").write_text("{}")
    (tmp_path / "bob").mkdir()
    found = {s.student_id: s.notebook for s in find_submissions(tmp_path, [TUTORIAL])}
    assert found["ada"].name == "W3D5_Tutorial1.ipynb"
    assert found["bob"] is None


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda path: path / "missing", "is not a folder"),
        (lambda path: path, "holds no student folder"),
    ],
)
def test_unusable_submission_folders_are_refused(tmp_path, setup, message):
    with pytest.raises(GradingError, match=message):
        find_submissions(setup(tmp_path))


def test_command_line_explains_a_missing_folder(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "nmacausal", "grade", str(tmp_path / "nope"), "--out", "x"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode != 0
    assert "is not a folder of submissions" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--jobs", "0"], "`jobs` must be an integer >= 1, got 0"),
        (["--timeout", "0"], "`cell_timeout` must be a positive number"),
        (["--source", "missing.ipynb"], "missing.ipynb does not exist"),
        (["--late-penalty", "2"], "`late_penalty` must be a fraction from 0 to 1, got 2.0"),
        (["--student", "zed"], "no folder for student 'zed'"),
    ],
)
def test_command_line_explains_bad_options(tmp_path, arguments, message):
    write_class([Student("ada")], tmp_path / "class")
    completed = subprocess.run(
        [sys.executable, "-m", "nmacausal", "grade", str(tmp_path / "class")]
        + ["--out", str(tmp_path / "out"), *arguments],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


def test_command_line_explains_a_bad_due_date(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    completed = subprocess.run(
        [sys.executable, "-m", "nmacausal", "grade", str(tmp_path / "class")]
        + ["--out", str(tmp_path / "out"), "--due", "next friday"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "'next friday' is not a date and time; write it as 2026-12-04T18:00" in completed.stderr


def test_out_must_be_a_folder(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    (tmp_path / "taken").write_text("not a folder")
    with pytest.raises(GradingError, match="is not a folder"):
        grade_class(tmp_path / "class", tmp_path / "taken")


def test_the_graders_release_is_the_students_notebook(tmp_path):
    # Grading and `nmacausal build-notebooks` share nbgrader_config.py, so the locked cells
    # (sources and checksums) the grader compares against are the students' own.
    source = installed_course_files().solutions(TUTORIAL)
    course = Course.create(tmp_path / "course", NOTEBOOK, source, cell_timeout=10)
    released = nbformat.read(EXERCISES, as_version=4)

    def cells(notebook):
        return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in notebook.cells]

    assert cells(course.release_notebook()) == cells(released)


def test_relative_folders_as_typed_on_the_command_line(tmp_path, monkeypatch):
    # The README's command: `nmacausal grade submitted/ --out graded/`, from their parent.
    write_class([Student("only", answered=ALL_EXERCISES)], tmp_path / "submitted")
    monkeypatch.chdir(tmp_path)
    (row,) = grade_class("submitted", "graded", jobs=1, cell_timeout=30)
    assert (row.total, row.status) == (sum(POINTS.values()), "ok")
    assert (tmp_path / "graded" / "feedback" / "only" / NOTEBOOK / f"{NOTEBOOK}.html").is_file()


# --- the whole day: any subset of its notebooks ---------------------------------------------

T2 = get_tutorial(2)
T2_EXERCISES = tuple(exercise.id for exercise in T2.exercises)
POINTS_2 = [exercise.points for exercise in T2.exercises]


def test_students_hand_in_any_subset_of_the_days_notebooks(tmp_path):
    students = [
        Student("first_only", answered=ALL_EXERCISES),
        Student("second_only", answered=T2_EXERCISES),
        Student("both", answered=ALL_EXERCISES + T2_EXERCISES),
        Student(
            "second_wrong",
            answered=T2_EXERCISES[1:],
            mistakes={T2_EXERCISES[0]: "same_time"},
        ),
        Student("nothing", notebooks=()),  # an empty folder still gets a row
    ]
    write_class(students, tmp_path / "submitted")
    graded = tmp_path / "graded"

    rows = {row.student_id: row for row in grade_class(tmp_path / "submitted", graded, jobs=2)}

    first, second = TUTORIAL.points, T2.points
    totals = {
        name: (row.parts[NOTEBOOK].total, row.parts[T2.id].total, row.total)
        for name, row in rows.items()
    }
    assert totals == {
        "first_only": (first, 0, first),
        "second_only": (0, second, second),
        "both": (first, second, first + second),
        "second_wrong": (0, second - POINTS_2[0], second - POINTS_2[0]),
        "nothing": (0, 0, 0),
    }
    assert rows["both"].max_score == first + second
    assert rows["first_only"].status == (
        f"Tutorial 2: no {T2.notebook_file} in the student's folder"
    )
    assert rows["second_wrong"].exercise(T2_EXERCISES[0]).mistake == "same_time"
    assert rows["nothing"].status.count("in the student's folder") == 2

    # The sheet: the day's total, each tutorial's, every exercise of the day.
    sheet = {row["student_id"]: row for row in read_csv(graded / "grades.csv")}
    assert float(sheet["both"]["total"]) == first + second
    assert float(sheet["both"][f"{T2.id}_total"]) == second
    assert sheet["second_wrong"][f"{T2_EXERCISES[0]}_mistake"] == "same_time"

    # The report: per tutorial, who handed it in, and a feedback page per notebook.
    report = (graded / "report.html").read_text()
    assert "Tutorial 1: Interventions</td><td>5</td><td>2 of 5</td>" in report
    assert "Tutorial 2: Correlations</td><td>3</td><td>3 of 5</td>" in report
    for student, tutorial in [("both", NOTEBOOK), ("both", T2.id), ("second_only", T2.id)]:
        assert (graded / "feedback" / student / tutorial / f"{tutorial}.html").is_file()
    # A mistake links to the page of its tutorial; a problem to the pages the student has.
    assert f'href="feedback/second_wrong/{T2.id}/{T2.id}.html"><b>second_wrong' in report
    assert f'href="feedback/first_only/{NOTEBOOK}/{NOTEBOOK}.html">Tutorial 1</a>' in report

    # One tutorial regraded alone: the others stay in the sheet, from the gradebook.
    again = grade_class(tmp_path / "submitted", graded, tutorials=[2], force=True, jobs=2)
    assert {row.student_id: row.total for row in again} == {
        name: total for name, (_, _, total) in totals.items()
    }
    assert list(again[0].parts) == [NOTEBOOK, T2.id]


T3 = get_tutorial(3)
(T3_EXERCISE,) = (exercise.id for exercise in T3.exercises)


def test_tutorial_3_is_graded_with_its_mistakes_named(tmp_path):
    students = [
        Student("right", answered=(T3_EXERCISE,)),
        Student("intercept", mistakes={T3_EXERCISE: "intercept_fitted"}),
        # Fails on every recording (scikit-learn refuses the fit): still named.
        Student("untransposed", mistakes={T3_EXERCISE: "samples_and_features_swapped"}),
        Student("untouched", notebooks=(3,)),
        Student("first_and_third", answered=ALL_EXERCISES + (T3_EXERCISE,)),
    ]
    write_class(students, tmp_path / "submitted")
    graded = tmp_path / "graded"

    rows = {row.student_id: row for row in grade_class(tmp_path / "submitted", graded, jobs=2)}

    assert {name: row.parts[T3.id].total for name, row in rows.items()} == {
        "right": T3.points,
        "intercept": 0,
        "untransposed": 0,
        "untouched": 0,
        "first_and_third": T3.points,
    }
    assert rows["first_and_third"].total == TUTORIAL.points + T3.points
    assert rows["intercept"].exercise(T3_EXERCISE).mistake == "intercept_fitted"
    assert rows["untransposed"].exercise(T3_EXERCISE).mistake == "samples_and_features_swapped"
    assert rows["untouched"].exercise(T3_EXERCISE).verdict == "not_attempted"
    sheet = {row["student_id"]: row for row in read_csv(graded / "grades.csv")}
    assert float(sheet["right"][f"{T3.id}_total"]) == T3.points
    assert sheet["intercept"][f"{T3_EXERCISE}_mistake"] == "intercept_fitted"
    report = (graded / "report.html").read_text()
    assert f"Tutorial 3: {T3.title}</td><td>{T3.points}</td><td>5 of 5</td>" in report
    assert (graded / "feedback" / "intercept" / T3.id / f"{T3.id}.html").is_file()


T4 = get_tutorial(4)
T4_EXERCISES = tuple(exercise.id for exercise in T4.exercises)


def test_tutorial_4_is_graded_exercise_by_exercise(tmp_path):
    first, second, simulation, strength, granger = T4_EXERCISES
    students = [
        Student("right", answered=T4_EXERCISES),
        Student(
            "stages_wrong",
            answered=(simulation, strength, granger),
            mistakes={first: "no_intercept", second: "returned_intercept"},
        ),
        Student(
            "instrument_at_t", answered=(first, second), mistakes={simulation: "instrument_at_t"}
        ),
        Student("bonus_only", answered=(simulation, strength), notebooks=(4,)),
    ]
    write_class(students, tmp_path / "submitted")
    graded = tmp_path / "graded"

    rows = {row.student_id: row for row in grade_class(tmp_path / "submitted", graded, jobs=2)}

    points = {exercise.id: exercise.points for exercise in T4.exercises}
    assert {name: row.parts[T4.id].total for name, row in rows.items()} == {
        "right": T4.points,
        "stages_wrong": points[simulation] + points[strength] + points[granger],
        "instrument_at_t": points[first] + points[second],
        "bonus_only": points[simulation] + points[strength],
    }
    assert rows["stages_wrong"].exercise(first).mistake == "no_intercept"
    assert rows["stages_wrong"].exercise(second).mistake == "returned_intercept"
    assert rows["instrument_at_t"].exercise(simulation).mistake == "instrument_at_t"
    assert rows["bonus_only"].exercise(granger).verdict == "not_attempted"
    sheet = {row["student_id"]: row for row in read_csv(graded / "grades.csv")}
    assert float(sheet["right"][f"{T4.id}_total"]) == T4.points
    report = (graded / "report.html").read_text()
    assert f"Tutorial 4: {T4.title}</td><td>{T4.points}</td><td>4 of 4</td>" in report


def test_grading_one_named_tutorial_gives_every_student_a_row(tmp_path):
    write_class([Student("ada", answered=ALL_EXERCISES)], tmp_path / "submitted")
    (row,) = grade_class(tmp_path / "submitted", tmp_path / "graded", tutorials=["2"], jobs=1)
    assert list(row.parts) == [T2.id]
    assert (row.total, row.status) == (0, f"no {T2.notebook_file} in the student's folder")


def test_a_class_without_any_notebook_of_the_day_is_refused(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    with pytest.raises(GradingError, match="holds a notebook of the day"):
        grade_class(tmp_path / "class", tmp_path / "graded")
    with pytest.raises(GradingError, match="There is no tutorial 7; the day has 1"):
        grade_class(tmp_path / "class", tmp_path / "graded", tutorials=[7])


def test_one_source_notebook_needs_one_tutorial(tmp_path):
    write_class([Student("ada", answered=ALL_EXERCISES + T2_EXERCISES)], tmp_path / "submitted")
    with pytest.raises(GradingError, match="is one notebook, but 2 tutorials are graded"):
        grade_class(tmp_path / "submitted", tmp_path / "graded", source=EXERCISES)


def test_command_line_counts_notebooks_and_students(tmp_path):
    write_class(
        [Student("ada", answered=ALL_EXERCISES + T2_EXERCISES), Student("bo", notebooks=(2,))],
        tmp_path / "submitted",
    )
    completed = subprocess.run(
        [sys.executable, "-m", "nmacausal", "grade", str(tmp_path / "submitted")]
        + ["--out", str(tmp_path / "graded"), "--jobs", "2"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    # ada's two, and bo's second and missing first (a row with no points).
    assert completed.stdout.startswith("graded 4 notebooks of 2 students in ")
    assert "the gradebook holds 2 students" in completed.stdout


def test_an_output_folder_with_a_tutorial_this_version_lacks_is_refused(tmp_path):
    write_class([Student("ada", answered=ALL_EXERCISES)], tmp_path / "submitted")
    (tmp_path / "graded" / "source" / "W3D5_Tutorial9").mkdir(parents=True)
    with pytest.raises(GradingError, match="holds grades of W3D5_Tutorial9, a tutorial this"):
        grade_class(tmp_path / "submitted", tmp_path / "graded")
    assert not (tmp_path / "graded" / "gradebook.db").exists()  # refused before any grading
