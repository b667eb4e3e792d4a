"""The day's notebooks and the pipeline that builds them (``nmacausal build-notebooks``).

What a student and an instructor rely on, checked for every tutorial of the day by
running its notebooks (a new tutorial's notebooks are tested here by themselves):

- the solutions notebook's stored outputs are what it prints when run again (nbval);
- the students' notebook runs top to bottom with nothing but the stubs'
  NotImplementedError and the grade checks' CheckFailed, and every self-check
  and grade check then says "not attempted";
- the solutions' sections give the same numbers in any order, and all checks pass;
- the committed notebooks are exactly what the pipeline makes (staleness).
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from nmacausal.cli import main
from nmacausal.course.notebooks import (
    NotebookBuildError,
    build_notebooks,
    execute_notebook,
    find_stale_notebooks,
    generate_exercises,
    grade_cell_id,
    self_check_cell_id,
    sync_derived_cells,
    write_notebook,
)
from nmacausal.tutorials import TUTORIALS, get_tutorial

REPO_ROOT = Path(__file__).resolve().parent.parent
SANITIZE_CONFIG = REPO_ROOT / "tests" / "nbval_sanitize.cfg"
EACH_TUTORIAL = pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda t: t.id)

# Tutorial 1, whose notebooks the pipeline's own tests edit.
T1 = get_tutorial(1)
SOLUTIONS = REPO_ROOT / "solutions" / T1.notebook_file
# Tutorial 1's printed figures (from its text), not computed by the code under test.
RCT_DIFFERENCE_IN_MEANS = "0.9907195190159408"
ALL_NEURON_CORRELATION = "0.987593404378358"


def solutions_of(tutorial) -> Path:
    return REPO_ROOT / "solutions" / tutorial.notebook_file


def exercises_of(tutorial) -> Path:
    return REPO_ROOT / "exercises" / tutorial.notebook_file


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def stdout_of(cell) -> str:
    return "".join(
        output.text
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def plain_text_of(cell) -> str:
    return "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)


def stderr_outputs(notebook):
    return [
        (cell.id, output.text)
        for cell in code_cells(notebook)
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stderr"
    ]


def without_mplbackend() -> dict[str, str]:
    """This process's environment for a child that starts kernels with inline figures."""
    return {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}


def copy_project(destination: Path) -> Path:
    """The files the pipeline reads and writes for Tutorial 1, copied into a scratch project."""
    for relative in (
        f"solutions/{T1.notebook_file}",
        f"exercises/{T1.notebook_file}",
        "nbgrader_config.py",
    ):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / relative, target)
    return destination


# --- The committed notebooks -------------------------------------------------------------


def test_committed_notebooks_are_what_the_pipeline_makes():
    assert find_stale_notebooks(REPO_ROOT) == []


def test_solutions_show_the_tutorials_figures():
    printed = [stdout_of(cell).strip() for cell in code_cells(read(SOLUTIONS))]
    assert RCT_DIFFERENCE_IN_MEANS in printed
    assert ALL_NEURON_CORRELATION in printed


def test_solutions_outputs_are_reproduced_by_nbval(tmp_path):
    # A copy of one cell whose stored number is wrong must fail: the sanitizing
    # hides what legitimately varies, not the numbers the tutorial prints.
    solutions = read(SOLUTIONS)
    setup = next(cell for cell in solutions.cells if cell.id == "setup")
    correlation = next(cell for cell in solutions.cells if cell.id == "all-neurons")
    tampered = nbformat.v4.new_notebook(metadata=solutions.metadata)
    tampered.cells = [setup, correlation]
    correlation.outputs[0].text = correlation.outputs[0].text.replace(
        ALL_NEURON_CORRELATION, "0.987593404378359"
    )
    tampered_path = tmp_path / "tampered.ipynb"
    write_notebook(tampered, tampered_path)

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            f"--nbval-sanitize-with={SANITIZE_CONFIG}",
            "-p",
            "no:cacheprovider",
            f"--rootdir={REPO_ROOT}",
            "-q",
            "-rf",
            *(str(solutions_of(tutorial)) for tutorial in TUTORIALS),
            str(tampered_path),
        ],
        cwd=REPO_ROOT,
        env=without_mplbackend(),
        capture_output=True,
        text=True,
        timeout=600,
    )

    # One failure, the tampered cell: every cell of every solutions notebook passed.
    report = result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"^1 failed, \d+ passed", result.stdout, flags=re.MULTILINE), report
    assert "'0.987593404378359\\n' == '0.987593404378358\\n'" in result.stdout, report


# --- The students' notebook --------------------------------------------------------------


@pytest.fixture(scope="module", params=TUTORIALS, ids=lambda t: t.id)
def executed(request):
    """A tutorial, and its students' notebook run top to bottom as released."""
    path = exercises_of(request.param)
    notebook = execute_notebook(read(path), working_dir=path.parent, allow_errors=True)
    return request.param, notebook


def test_exercises_fail_only_where_a_stub_waits(executed):
    tutorial, executed_exercises = executed
    errors = {
        cell.id: output.ename
        for cell in code_cells(executed_exercises)
        for output in cell.outputs
        if output.output_type == "error"
    }
    by_grade_id = {grade_id(cell): cell.id for cell in code_cells(executed_exercises)}
    solution_cells = [by_grade_id[exercise.id] for exercise in tutorial.exercises]
    grade_cells = [by_grade_id[grade_cell_id(exercise)] for exercise in tutorial.exercises]
    assert errors == {
        **dict.fromkeys(solution_cells, "NotImplementedError"),
        **dict.fromkeys(grade_cells, "CheckFailed"),
    }


def test_exercises_grade_checks_say_not_attempted(executed):
    tutorial, executed_exercises = executed
    by_grade_id = {grade_id(cell): cell for cell in code_cells(executed_exercises)}
    for exercise in tutorial.exercises:
        (error,) = [o for o in by_grade_id[grade_cell_id(exercise)].outputs if "ename" in o]
        assert error.evalue.startswith(f"Not attempted yet: {exercise.label}:")


def test_exercises_self_checks_say_not_attempted(executed):
    tutorial, executed_exercises = executed
    by_grade_id = {grade_id(cell): cell for cell in code_cells(executed_exercises)}
    for exercise in tutorial.exercises:
        verdict = plain_text_of(by_grade_id[self_check_cell_id(exercise)])
        assert verdict.lower().startswith("not attempted"), (exercise.id, verdict)


def test_exercises_demonstrations_do_not_need_the_students_answers(executed):
    tutorial, executed_exercises = executed
    # Every number the solutions print outside the exercises' own cells is printed here too.
    answer_cells = {grade_id(cell) for cell in code_cells(executed_exercises) if grade_id(cell)}
    expected = {
        cell.id: stdout_of(cell)
        for cell in code_cells(read(solutions_of(tutorial)))
        if grade_id(cell) not in answer_cells and stdout_of(cell)
    }
    printed = {cell.id: stdout_of(cell) for cell in code_cells(executed_exercises)}
    assert {cell_id: printed.get(cell_id) for cell_id in expected} == expected
    assert stderr_outputs(executed_exercises) == []


def solution_regions(notebook) -> dict[str, list[str]]:
    """The lines between the solution markers of each exercise's cell, by grade id."""
    regions = {}
    for cell in code_cells(notebook):
        if "### BEGIN SOLUTION" in cell.source:
            region = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
            regions[grade_id(cell)] = [line.strip() for line in region.splitlines() if line.strip()]
    return regions


@EACH_TUTORIAL
def test_exercises_hide_solutions_but_show_each_grade_check(tutorial):
    release = read(exercises_of(tutorial))
    release_sources = {grade_id(cell): cell.source for cell in code_cells(release)}
    regions = solution_regions(read(solutions_of(tutorial)))
    assert sorted(regions) == sorted(exercise.id for exercise in tutorial.exercises)
    for exercise_id, lines in regions.items():
        assert "raise NotImplementedError()" in release_sources[exercise_id]
        code_lines = [line for line in lines if re.search(r"\w", line)]  # not a lone ")"
        assert [line for line in code_lines if line in release_sources[exercise_id]] == []
    # The grade cells' check stays visible, so that nbgrader's Validate runs it.
    for exercise in tutorial.exercises:
        check = f"{exercise.check_name}({exercise.answer_name}).assert_correct()"
        assert release_sources[grade_cell_id(exercise)].endswith(check)
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells(release))


# --- The solutions' sections in any order ------------------------------------------------


def sections(notebook):
    """The setup cells, then one list of cells per level-1 heading from "# Section 1" on."""
    first = next(
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown" and cell.source.startswith("# Section")
    )
    parts = []
    for cell in notebook.cells[first:]:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            parts.append([])
        parts[-1].append(cell)
    return notebook.cells[:first], parts


SECTION_ORDERS = {
    "reversed": lambda count: list(reversed(range(count))),
    "shuffled": lambda count: random.Random(20240531).sample(range(count), count),
}


@EACH_TUTORIAL
@pytest.mark.parametrize("order", SECTION_ORDERS)
def test_sections_print_the_same_numbers_in_any_order(tutorial, order):
    path = solutions_of(tutorial)
    committed = read(path)
    setup, parts = sections(committed)
    headings = [part[0].source.splitlines()[0].split(":")[0] for part in parts]
    bonus = ["# Bonus"] if headings[-1] == "# Bonus" else []  # Tutorial 3 has none
    numbered = [f"# Section {number}" for number in range(1, len(headings) - len(bonus))]
    assert headings == [*numbered, "# Summary", *bonus]  # sections 1 to n, summary, bonus
    permutation = SECTION_ORDERS[order](len(parts))
    reordered = nbformat.v4.new_notebook(metadata=committed.metadata)
    reordered.cells = setup + [cell for index in permutation for cell in parts[index]]

    executed = execute_notebook(reordered, working_dir=path.parent)  # raises if a check fails

    printed = {cell.id: stdout_of(cell) for cell in code_cells(executed)}
    expected = {cell.id: stdout_of(cell) for cell in code_cells(committed)}
    assert printed == expected
    by_grade_id = {grade_id(cell): cell for cell in code_cells(executed)}
    for exercise in tutorial.exercises:
        assert plain_text_of(by_grade_id[self_check_cell_id(exercise)]).startswith("Correct")
    assert stderr_outputs(executed) == []


# --- Staleness ---------------------------------------------------------------------------


def test_stale_exercises_are_reported(tmp_path):
    project = copy_project(tmp_path)
    exercises = read(project / "exercises" / "W3D5_Tutorial1.ipynb")
    exercises.cells[0].source += "\nAn edit made by hand."
    write_notebook(exercises, project / "exercises" / "W3D5_Tutorial1.ipynb")
    assert find_stale_notebooks(project) == [
        "exercises/W3D5_Tutorial1.ipynb is not what nbgrader generates from "
        "solutions/W3D5_Tutorial1.ipynb"
    ]
    (project / "exercises" / "W3D5_Tutorial1.ipynb").unlink()
    assert find_stale_notebooks(project) == ["exercises/W3D5_Tutorial1.ipynb is missing"]


def test_registry_drift_and_unexecuted_edits_are_reported(tmp_path):
    project = copy_project(tmp_path)
    solutions_path = project / "solutions" / "W3D5_Tutorial1.ipynb"
    solutions = read(solutions_path)
    grade_cell = next(cell for cell in solutions.cells if cell.id == "simulate_neurons_tests")
    grade_cell.metadata["nbgrader"]["points"] = 10
    demonstration = next(cell for cell in solutions.cells if cell.id == "all-neurons")
    demonstration.source = demonstration.source.replace("5000", "4000")
    write_notebook(solutions, solutions_path)

    problems = find_stale_notebooks(project)

    assert problems[:2] == [
        "solutions/W3D5_Tutorial1.ipynb: cells derived from the tutorial's declaration or the "
        "publishing settings differ from them (simulate_neurons_tests)",
        "solutions/W3D5_Tutorial1.ipynb: its outputs do not come from executing its current cells",
    ]
    assert len(problems) == 3  # and the exercises, generated from the edited cell, differ


def test_edited_or_moved_launch_cells_are_reported(tmp_path):
    project = copy_project(tmp_path)
    solutions_path = project / "solutions" / "W3D5_Tutorial1.ipynb"
    solutions = read(solutions_path)
    badges, install, *rest = solutions.cells
    install.source = install.source.replace("pip", "conda")
    solutions.cells = [install, *rest[:3], badges, *rest[3:]]
    write_notebook(solutions, solutions_path)

    problems = find_stale_notebooks(project)

    assert problems[0].endswith("differ from them (open-elsewhere, install-nmacausal)")


def test_edited_moved_or_deleted_lecture_links_are_reported(tmp_path):
    project = copy_project(tmp_path)
    solutions_path = project / "solutions" / T1.notebook_file
    solutions = read(solutions_path)
    ids = [cell.id for cell in solutions.cells]
    slides = solutions.cells[ids.index("slides")]
    slides.source = slides.source.replace("osf.io", "example.org")
    video = solutions.cells.pop(ids.index("video-2"))
    solutions.cells.insert(ids.index("video-1") + 1, video)  # right after video 1
    solutions.cells = [cell for cell in solutions.cells if cell.id != "video-5"]
    write_notebook(solutions, solutions_path)

    problems = find_stale_notebooks(project)

    assert problems[0].endswith("differ from them (slides, video-2, video-5)")


def test_the_build_makes_an_up_to_date_project(tmp_path):
    project = copy_project(tmp_path)
    (project / "exercises" / "W3D5_Tutorial1.ipynb").unlink()
    solutions_path = project / "solutions" / "W3D5_Tutorial1.ipynb"
    solutions = read(solutions_path)
    solutions.cells = [
        cell
        for cell in solutions.cells[2:]  # without the launch cells, too
        if not grade_id(cell) or not grade_id(cell).endswith(("_self_check", "_tests"))
    ]
    write_notebook(solutions, solutions_path)

    report = build_notebooks(project)

    assert report.written == (solutions_path, project / "exercises" / "W3D5_Tutorial1.ipynb")
    assert list(report.execution_seconds) == ["W3D5_Tutorial1"]
    assert find_stale_notebooks(project) == []
    assert [cell.source for cell in read(solutions_path).cells] == [
        cell.source for cell in read(SOLUTIONS).cells
    ]


# --- The lectures: a link to each of the original's videos, where it plays ------------------

# Facts from the original notebooks (NeuromatchAcademy/course-content,
# tutorials/W3D5_NetworkCausality/instructor/): each tutorial's videos in order, with the
# section of the original they play in.
ORIGINAL_VIDEOS = {
    1: [
        ("Defining causality", "yiddT2sMbZM", "BV1ZD4y1m7GG", "Section 1"),
        ("Simulated neural system model", "oPJz49dAuL8", "BV1Xt4y1Q7uC", "Section 2"),
        ("Perturbing systems", "wOZunGtuqQE", "BV1Hv411q7Ka", "Section 3"),
        ("Calculating causality", "EDZtcsIAVGM", "BV15A411v7JS", "Section 3.2"),
        ("Summary", "p3fZW5Woqa4", "BV1FT4y1j7PW", "Summary"),
    ],
    2: [
        ("Correlation vs causation", "vjBO-S7KNPI", "BV1Ak4y1m7kk", "Section 1"),
        ("Correlation ~ causation for small systems", "eWLOnTUe9SM", "BV1XZ4y1u7FR", "Section 1"),
        ("Correlation vs causation in large systems", "U4sV-7g8T08", "BV1uC4y1b76C", "Section 2.1"),
        ("Summary", "hRyAN3yak_U", "BV1KK4y1x74w", "Summary"),
    ],
    3: [
        ("Regression approach", "Av4LaXZdgDo", "BV1m54y1q78b", "Section 1"),
        ("Fitting a GLM", "GvMj9hRv5Ak", "BV16p4y1S7yE", "Section 1"),
        ("Omitted variable bias", "5CCib6CTMac", "BV1ov411i7dc", "Section 2"),
        ("Summary", "T1uGf1H31wE", "BV1bh411o73r", "Summary"),
    ],
    4: [
        ("Instrumental Variables", "0gkav6BS4-w", "BV1of4y1R7L1", "Section 1"),
        ("Stage 1", "4WT0KrySRTg", "BV1jK4y1x7q5", "Section 1.3.1"),
        ("Stage 2", "F-_m_Vgv75I", "BV1Kv411q7Wx", "Section 1.3.2"),
        ("IVs in simulated neural systems", "b6a3Mrefk44", "BV1nA411v7Hs", "Section 2"),
        ("IV vs regression", "zceWyoQn09s", "BV1pv411q7Hc", "Section 3"),
        ("Summary", "1qxW8CPW77U", "BV1Gt4y1X76z", "Summary"),
    ],
}
SECTION_HEADING = re.compile(r"^#+ ((?:Section [\d.]+|Summary|Bonus)\b.*)$", flags=re.MULTILINE)


def section_of(notebook, position) -> str:
    """The last section heading ("Section 2.1: ...", "Summary") above cell ``position``."""
    for cell in reversed(notebook.cells[:position]):
        if cell.cell_type == "markdown":
            headings = SECTION_HEADING.findall(cell.source)
            if headings:
                return headings[-1]
    return ""


@pytest.mark.parametrize("kind", ["solutions", "exercises"])
@EACH_TUTORIAL
def test_every_video_of_the_original_is_linked_in_its_section(tutorial, kind):
    notebook = read(REPO_ROOT / kind / tutorial.notebook_file)
    ids = [cell.get("id") for cell in notebook.cells]
    found = []
    for number, (title, youtube, bilibili, section) in enumerate(
        ORIGINAL_VIDEOS[tutorial.number], start=1
    ):
        position = ids.index(f"video-{number}")
        cell = notebook.cells[position]
        assert cell.cell_type == "markdown"
        assert f"Video {number}: {title}" in cell.source
        assert f"(https://youtube.com/watch?v={youtube})" in cell.source
        assert f"(https://www.bilibili.com/video/{bilibili})" in cell.source
        heading = section_of(notebook, position)
        assert heading == section or heading.startswith((f"{section}:", f"{section}.")), (
            number,
            heading,
        )
        found.append(position)
    assert found == sorted(found)  # in the original's order
    assert not any(
        i.startswith("video-")
        for i in ids
        if i not in {f"video-{n}" for n in range(1, len(ORIGINAL_VIDEOS[tutorial.number]) + 1)}
    )


@EACH_TUTORIAL
def test_the_days_slides_are_linked_after_the_objectives(tutorial):
    notebook = read(solutions_of(tutorial))
    ids = [cell.get("id") for cell in notebook.cells]
    slides = notebook.cells[ids.index("slides")]
    assert ids[ids.index("slides") - 1] == "objectives"
    assert "(https://osf.io/gp4m9/)" in slides.source
    assert "(https://osf.io/download/gp4m9/)" in slides.source


# --- Step 1: syncing the cells derived from the registry ---------------------------------


def test_sync_restores_every_derived_cell_from_the_registry():
    committed = read(SOLUTIONS)
    damaged = sync_derived_cells(committed, exercises=T1.exercises)
    for cell in damaged.cells:
        if grade_id(cell) == "simulate_neurons":
            cell.source = cell.source.replace("sigmoid(A @ X[:, t] + epsilon)", "0")
        elif grade_id(cell) == grade_cell_id(T1.exercises[0]):
            cell.source = "pass"
            cell.metadata["nbgrader"]["points"] = 0
    damaged.cells = [
        cell for cell in damaged.cells if grade_id(cell) != self_check_cell_id(T1.exercises[2])
    ]

    restored = sync_derived_cells(damaged, exercises=T1.exercises)

    assert [(cell.source, cell.metadata.get("nbgrader")) for cell in restored.cells] == [
        (cell.source, cell.metadata.get("nbgrader")) for cell in committed.cells
    ]


@EACH_TUTORIAL
def test_sync_writes_points_the_grade_check_and_the_self_check(tutorial):
    synced = sync_derived_cells(read(solutions_of(tutorial)), exercises=tutorial.exercises)
    by_grade_id = {grade_id(cell): cell for cell in code_cells(synced)}
    for exercise in tutorial.exercises:
        grade_cell = by_grade_id[grade_cell_id(exercise)]
        assert grade_cell.metadata["nbgrader"]["points"] == exercise.points
        assert grade_cell.metadata["nbgrader"]["grade"] is True
        assert grade_cell.metadata["nbgrader"]["locked"] is True
        assert grade_cell.source.endswith(
            f"{exercise.check_name}({exercise.answer_name}).assert_correct()"
        )
        check = by_grade_id[self_check_cell_id(exercise)].source
        assert check.endswith(f"{exercise.check_name}({exercise.answer_name})")


def scaffold_exercise(solution):
    return SimpleNamespace(
        id="add_one",
        kind="function",
        answer_name="add_one",
        check_name="check_add_one",
        points=1,
        section="9",
        label="Exercise 9",
        solution=solution,
    )


def solution_notebook(source):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            source,
            id="add_one",
            metadata={
                "nbgrader": {
                    "grade": False,
                    "grade_id": "add_one",
                    "locked": False,
                    "schema_version": 3,
                    "solution": True,
                }
            },
        )
    ]
    return notebook


SCAFFOLD = '''def add_one(x):
    """Add one."""
    y = x
    ### BEGIN SOLUTION
    y = y + 1
    ### END SOLUTION
    return y


print(add_one(1))'''


def test_sync_keeps_the_markers_around_the_students_lines_when_the_solution_changes():
    exercise = scaffold_exercise(
        'def add_one(x):\n    """Add one, again."""\n    y = x\n'
        "    y += 1\n    y = float(y)\n    return y\n"
    )

    synced = sync_derived_cells(solution_notebook(SCAFFOLD), exercises=[exercise])

    assert (
        synced.cells[0].source
        == '''def add_one(x):
    """Add one, again."""
    y = x
    ### BEGIN SOLUTION
    y += 1
    y = float(y)
    ### END SOLUTION
    return y


print(add_one(1))'''
    )
    assert [grade_id(cell) for cell in synced.cells] == [
        "add_one",
        "add_one_self_check",
        "add_one_tests",
    ]
    assert sync_derived_cells(synced, exercises=[exercise]).cells == synced.cells


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def add_one(x):\n    return x", "must contain the line `### BEGIN SOLUTION`"),
        ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "must define `add_one`"),
        ("def add_one(x):\n    ### END SOLUTION\n    ### BEGIN SOLUTION", "END SOLUTION` before"),
    ],
)
def test_sync_explains_a_malformed_solution_cell(source, message):
    with pytest.raises(NotebookBuildError, match=re.escape(message)):
        sync_derived_cells(solution_notebook(source), exercises=[scaffold_exercise("pass")])


def test_sync_needs_a_solution_cell_for_every_exercise():
    notebook = solution_notebook(SCAFFOLD)
    notebook.cells[0].metadata = {}
    with pytest.raises(NotebookBuildError, match="no solution cell for exercise 'add_one'"):
        sync_derived_cells(notebook, exercises=[scaffold_exercise("pass")])


def test_sync_refuses_graded_cells_no_exercise_owns():
    notebook = solution_notebook(SCAFFOLD)
    notebook.cells[0].metadata["nbgrader"]["grade_id"] = "retired_exercise"
    with pytest.raises(NotebookBuildError, match="none of its tutorial's exercises owns"):
        sync_derived_cells(notebook, exercises=[])


# --- Steps 2 and 3: execution and nbgrader -----------------------------------------------


def test_execution_names_the_failing_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("x = 1", id="fine"),
        nbformat.v4.new_code_cell("1 / 0", id="broken"),
    ]
    with pytest.raises(NotebookBuildError, match=r"cell 2 \(broken\) raised ZeroDivisionError"):
        execute_notebook(notebook, working_dir=tmp_path)


def test_nbgrader_refusals_become_build_errors():
    notebook = nbformat.v4.new_notebook(metadata=read(SOLUTIONS).metadata)
    notebook.cells = [
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", id="unmarked")
    ]
    with pytest.raises(NotebookBuildError, match="Solution region detected in a non-solution"):
        generate_exercises(notebook, T1)


# --- The command line --------------------------------------------------------------------


def test_cli_check_passes_on_the_repository(capsys):
    assert main(["build-notebooks", "--check", "--project-dir", str(REPO_ROOT)]) == 0
    assert capsys.readouterr().out == "The notebooks are up to date.\n"


def test_cli_turns_a_stale_project_into_one_line_of_instructions(tmp_path, capsys):
    project = copy_project(tmp_path)
    (project / "exercises" / "W3D5_Tutorial1.ipynb").unlink()

    status = main(["build-notebooks", "--check", "--project-dir", str(project)])

    error = capsys.readouterr().err
    assert status == 1
    assert error.count("\n") == 1
    assert error.startswith("nmacausal build-notebooks: the notebooks are out of date: ")
    assert "Run `nmacausal build-notebooks`" in error


def test_cli_explains_where_to_run_it(tmp_path, capsys):
    assert main(["build-notebooks", "--project-dir", str(tmp_path)]) == 1
    assert "run this from the repository's root directory" in capsys.readouterr().err


def test_cli_requires_a_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "{notebooks" in capsys.readouterr().err  # the usage line lists the commands


def test_cli_names_the_missing_notebook_tools(monkeypatch, capsys):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "nbgrader" else find_spec(name)
    )
    assert main(["build-notebooks", "--check", "--project-dir", str(REPO_ROOT)]) == 1
    assert capsys.readouterr().err == (
        "nmacausal build-notebooks: this command needs nbgrader, from the instructors' tools: "
        "pip install 'nmacausal[instructor] @ git+https://github.com/NeuromatchAcademy/nmacausal"
        "@main'\n"
    )
