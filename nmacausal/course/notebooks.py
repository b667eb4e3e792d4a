"""Build and check the day's notebooks: ``solutions/`` is the source of ``exercises/``.

Each tutorial's instructors' notebook (``solutions/W3D5_Tutorial1.ipynb`` ...)
is the only one edited by hand. :func:`build_notebooks` (``nmacausal
build-notebooks``, ``make notebooks``) runs three steps on each, each a
function from notebook to notebook:

1. :func:`sync_launch_cells`, :func:`sync_lecture_cells` and
   :func:`sync_derived_cells`: the cells that come from elsewhere are
   rewritten from it: the badges and install cell (the publishing settings),
   the links to the slides and to each lecture video (the tutorial's
   declaration, where the original plays them), and the cells that belong to
   the tutorial's exercises (declared in :mod:`nmacausal.tutorials`): the code
   between nbgrader's ``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers,
   the visible self-check cell after it, and the locked nbgrader grade cell
   after that, with the exercise's points and its check (visible to students, so that
   running every cell, or nbgrader's Validate, names what is still wrong);
2. :func:`execute_notebook`: the result runs top to bottom in a fresh kernel
   and keeps its outputs (a cell that fails stops the build);
3. :func:`generate_exercises`: nbgrader's generate_assignment makes the
   students' notebook from it (stubs in place of solutions, no outputs, hidden
   tests removed, locked cells checksummed), in a temporary course directory.

Nothing is written unless every step succeeded. :func:`find_stale_notebooks`
(``nmacausal build-notebooks --check``) repeats steps 1 and 3 without writing and
lists what is out of date.

Cells are found by their nbgrader ``grade_id``: an exercise's solution cell
has the exercise's id, its self-check cell ``<id>_self_check`` and its grade
cell ``<id>_tests``. The solution cell is written by hand around the markers
(the scaffold); the sync inserts a missing self-check or grade cell after it.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .._errors import ActionableError
from .files import (
    INSTALL_CELL_ID,
    LAUNCH_CELL_ID,
    LAUNCH_CELL_IDS,
    PUBLISHED_BRANCH,
    PUBLISHED_REPOSITORY,
    CourseFiles,
    pip_requirement,
)

__all__ = [
    "BuildReport",
    "NotebookBuildError",
    "build_notebooks",
    "check_notebooks",
    "execute_notebook",
    "find_stale_notebooks",
    "generate_exercises",
    "grade_cell_id",
    "launch_links",
    "locate_project",
    "read_notebook",
    "self_check_cell_id",
    "strip_outputs",
    "sync_derived_cells",
    "sync_launch_cells",
    "write_notebook",
]

REBUILD_COMMAND = "nmacausal build-notebooks"
DEFAULT_CELL_TIMEOUT = 300  # seconds; the whole notebook normally runs in a few

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
NBGRADER_SCHEMA_VERSION = 3

# Notebook metadata the build adds and the students' notebook does not need:
# the widgets' saved state (it belongs with the outputs) and our own record.
BUILD_METADATA_KEY = "nmacausal"
WIDGET_STATE_KEY = "widgets"

# Set in the environment, it tells the install cell to install this instead
# (a wheel's path, say); the tests use it to stand in for Colab.
INSTALL_FROM_VARIABLE = "NMACAUSAL_INSTALL_FROM"


class NotebookBuildError(ActionableError):
    """The notebooks cannot be built or are out of date; the message says what to do."""


def locate_project(project_dir, tutorials=None) -> tuple[CourseFiles, tuple]:
    """The course files of ``project_dir`` and the tutorials to build there.

    Parameters
    ----------
    project_dir : path-like
        A folder with ``solutions/`` (the repository's root, or a copy made
        by ``nmacausal notebooks --copy-to DIR --solutions``).
    tutorials : sequence of Tutorial, optional
        The tutorials asked for; by default every tutorial of the day whose
        solutions notebook is in ``project_dir``.

    Raises
    ------
    NotebookBuildError
        If a tutorial asked for has no solutions notebook there, or, by
        default, if there is none at all.
    """
    from ..tutorials import TUTORIALS

    layout = CourseFiles(Path(project_dir).resolve())
    if tutorials is None:
        tutorials = tuple(t for t in TUTORIALS if layout.has_solutions(t))
        if not tutorials:
            raise NotebookBuildError(
                f"no solutions notebook of the day (solutions/W3D5_Tutorial<N>.ipynb) in "
                f"{layout.root}: run this from the repository's root directory, or pass "
                f"--project-dir (a folder made by `nmacausal notebooks --copy-to DIR "
                f"--solutions` works too)."
            )
    for tutorial in tutorials:
        if not layout.has_solutions(tutorial):
            raise NotebookBuildError(
                f"no {layout.relative(layout.solutions(tutorial))} in {layout.root}: run this "
                f"from the repository's root directory, or pass --project-dir (a folder made "
                f"by `nmacausal notebooks --copy-to DIR --solutions` works too)."
            )
    return layout, tuple(tutorials)


@dataclass(frozen=True)
class BuildReport:
    """What :func:`build_notebooks` wrote.

    Attributes
    ----------
    written : tuple of pathlib.Path
        For each tutorial, its solutions notebook, then its exercises notebook.
    execution_seconds : dict
        Wall time of executing each tutorial's solutions notebook, kernel start
        included, by tutorial id.
    """

    written: tuple[Path, ...]
    execution_seconds: dict[str, float]


# --- The pipeline -----------------------------------------------------------------------


def build_notebooks(project_dir=".", *, tutorials=None, timeout=DEFAULT_CELL_TIMEOUT):
    """Regenerate each tutorial's notebooks from its solutions notebook and its exercises.

    Parameters
    ----------
    project_dir : path-like, default="."
        The repository's root directory.
    tutorials : sequence of Tutorial, optional
        Which; by default every tutorial whose solutions notebook is there.
    timeout : float, default=300
        Seconds any one cell may run.

    Returns
    -------
    BuildReport

    Raises
    ------
    NotebookBuildError
        If the solutions notebook is missing or malformed, a cell fails when
        executed, or nbgrader cannot generate the exercises.

    Examples
    --------
    >>> build_notebooks("/path/to/nmacausal")  # doctest: +SKIP
    """
    layout, tutorials = locate_project(project_dir, tutorials)
    built = {}
    for tutorial in tutorials:  # every tutorial is built before any is written
        source = layout.solutions(tutorial)
        synced = _synced(read_notebook(source), tutorial)
        started = time.perf_counter()
        executed = execute_notebook(synced, working_dir=source.parent, timeout=timeout)
        seconds = time.perf_counter() - started
        release = generate_exercises(executed, tutorial, config_file=layout.nbgrader_config)
        built[tutorial] = (executed, release, seconds)
    written = []
    for tutorial, (executed, release, _) in built.items():
        write_notebook(executed, layout.solutions(tutorial))
        write_notebook(release, layout.exercises(tutorial))
        written += [layout.solutions(tutorial), layout.exercises(tutorial)]
    seconds = {tutorial.id: seconds for tutorial, (_, _, seconds) in built.items()}
    return BuildReport(tuple(written), seconds)


def find_stale_notebooks(project_dir=".", *, tutorials=None) -> list[str]:
    """What the build would change, without executing or writing anything.

    Parameters
    ----------
    project_dir : path-like, default="."
        The repository's root directory.
    tutorials : sequence of Tutorial, optional
        Which; by default every tutorial whose solutions notebook is there.

    Returns
    -------
    list of str
        One sentence per problem; empty when the notebooks are up to date: the
        solutions' derived cells match the registry, its stored outputs come
        from executing its current cells, and ``exercises/`` is exactly what
        nbgrader generates from it.

    Raises
    ------
    NotebookBuildError
        If the solutions notebook is missing or malformed.

    Examples
    --------
    >>> find_stale_notebooks("/path/to/nmacausal")  # doctest: +SKIP
    []
    """
    layout, tutorials = locate_project(project_dir, tutorials)
    return [problem for tutorial in tutorials for problem in _stale_parts(layout, tutorial)]


def _stale_parts(layout, tutorial) -> list[str]:
    committed = read_notebook(layout.solutions(tutorial))
    synced = _synced(committed, tutorial)
    exercises_path = layout.exercises(tutorial)
    solutions_name = layout.relative(layout.solutions(tutorial))
    exercises_name = layout.relative(exercises_path)
    problems = []
    drifted = _changed_derived_cells(committed, synced)
    if drifted:
        problems.append(
            f"{solutions_name}: cells derived from the tutorial's declaration or the "
            f"publishing settings differ from them ({', '.join(drifted)})"
        )
    executed_sources = committed.metadata.get(BUILD_METADATA_KEY, {}).get("executed_sources")
    if executed_sources != _source_digest(synced):
        problems.append(
            f"{solutions_name}: its outputs do not come from executing its current cells"
        )
    release = generate_exercises(synced, tutorial, config_file=layout.nbgrader_config)
    expected = _serialize(release)
    if not exercises_path.is_file():
        problems.append(f"{exercises_name} is missing")
    elif exercises_path.read_text(encoding="utf-8") != expected:
        problems.append(f"{exercises_name} is not what nbgrader generates from {solutions_name}")
    return problems


def _synced(notebook, tutorial):
    """Every cell that is derived from something else, rewritten from it."""
    launched = sync_launch_cells(notebook, f"exercises/{tutorial.notebook_file}")
    lectured = sync_lecture_cells(launched, tutorial)
    return sync_derived_cells(lectured, exercises=tutorial.exercises)


def check_notebooks(project_dir=".", *, tutorials=None) -> None:
    """Raise unless the notebooks are up to date (see :func:`find_stale_notebooks`).

    Parameters
    ----------
    project_dir : path-like, default="."
        The repository's root directory.

    Raises
    ------
    NotebookBuildError
        Naming every problem and the command that fixes them.

    Examples
    --------
    >>> check_notebooks("/path/to/nmacausal")  # doctest: +SKIP
    """
    problems = find_stale_notebooks(project_dir, tutorials=tutorials)
    if problems:
        raise NotebookBuildError(
            f"the notebooks are out of date: {'; '.join(problems)}. "
            f"Run `{REBUILD_COMMAND}` (or `make notebooks`) to regenerate them."
        )


# --- Step 1a: cells derived from the lectures ----------------------------------------------

# The day's slides follow the cell of the notebook's objectives.
SLIDES_CELL_ID = "slides"
SLIDES_AFTER = "objectives"


def lecture_cell_ids(tutorial) -> list[str]:
    """The ids of the cells that link the tutorial's slides and videos."""
    return [SLIDES_CELL_ID, *(video.cell_id for video in tutorial.videos)]


def sync_lecture_cells(notebook, tutorial):
    """The notebook with a link to the day's slides and to each of the tutorial's videos.

    Each is a markdown cell of plain links (they render everywhere and need
    neither the network nor a kernel): the slides after the objectives, each
    video (YouTube, and Bilibili for students in China) after the cell its
    declaration names, where the original tutorial plays it.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The solutions notebook; it is not modified.
    tutorial : Tutorial
        Its tutorial, whose ``videos`` say what goes where.

    Returns
    -------
    nbformat.NotebookNode
        A copy with the lecture cells rewritten (or inserted) in their places.

    Raises
    ------
    NotebookBuildError
        If a cell a lecture cell should follow is not in the notebook.
    """
    from ..tutorials.tutorial import DAY_SLIDES

    notebook = copy.deepcopy(notebook)
    slides = (
        f"**Slides** of every lecture of the day: [view]({DAY_SLIDES}) · "
        f"[download]({DAY_SLIDES.replace('osf.io/', 'osf.io/download/')})"
    )
    wanted = [(SLIDES_CELL_ID, SLIDES_AFTER, slides)]
    for video in tutorial.videos:
        source = (
            f"**Video {video.number}: {video.title}** · watch on "
            f"[YouTube]({video.youtube_url}) or [Bilibili]({video.bilibili_url})"
        )
        wanted.append((video.cell_id, video.after, source))
    for cell_id, after, source in wanted:
        kept = [cell for cell in notebook.cells if cell.get("id") != cell_id]
        position = next((i for i, cell in enumerate(kept) if cell.get("id") == after), None)
        if position is None:
            raise NotebookBuildError(
                f"the solutions notebook has no cell with id {after!r}, which the {cell_id} "
                f"link should follow: give that cell the id, or change the tutorial's "
                f"declaration (nmacausal/tutorials/)."
            )
        kept.insert(position + 1, nbformat.v4.new_markdown_cell(source, id=cell_id))
        notebook.cells = kept
    return notebook


# --- Step 1b: cells derived from the exercises --------------------------------------------


def self_check_cell_id(exercise) -> str:
    """The nbgrader ``grade_id`` of an exercise's visible self-check cell.

    Examples
    --------
    >>> from nmacausal.tutorials import get_exercise
    >>> self_check_cell_id(get_exercise("simulate_neurons"))
    'simulate_neurons_self_check'
    """
    return f"{exercise.id}_self_check"


def grade_cell_id(exercise) -> str:
    """The nbgrader ``grade_id`` of an exercise's locked grade cell.

    Examples
    --------
    >>> from nmacausal.tutorials import get_exercise
    >>> grade_cell_id(get_exercise("simulate_neurons"))
    'simulate_neurons_tests'
    """
    return f"{exercise.id}_tests"


def sync_derived_cells(notebook, *, exercises):
    """The notebook with every cell derived from its exercises rewritten from them.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The solutions notebook; it is not modified.
    exercises : sequence of Exercise
        Its tutorial's exercises (``tutorial.exercises``).

    Returns
    -------
    nbformat.NotebookNode
        A copy in which each exercise's solution region holds its solution,
        and its self-check and grade cells (inserted after the solution cell
        when missing) hold the code the registry implies.

    Raises
    ------
    NotebookBuildError
        If an exercise has no solution cell (or its markers are missing), or
        the notebook has a graded cell that no exercise owns.

    Examples
    --------
    >>> solutions = read_notebook("solutions/W3D5_Tutorial1.ipynb")  # doctest: +SKIP
    >>> synced = sync_derived_cells(solutions, exercises=tutorial.exercises)  # doctest: +SKIP
    """
    synced = copy.deepcopy(notebook)
    _reject_unknown_graded_cells(synced, exercises)
    for exercise in exercises:
        position = _solution_cell_position(synced, exercise)
        solution_cell = synced.cells[position]
        solution_cell.source = _with_solution(solution_cell.source, exercise)
        solution_cell.metadata["nbgrader"] = _nbgrader_metadata(exercise.id, solution=True)
        derived = (
            (self_check_cell_id(exercise), _self_check_source(exercise), None),
            (grade_cell_id(exercise), _grade_source(exercise), exercise.points),
        )
        for offset, (cell_id, source, points) in enumerate(derived, start=1):
            cell = _find_cell(synced, cell_id)
            if cell is None:
                cell = nbformat.v4.new_code_cell(id=cell_id)
                synced.cells.insert(position + offset, cell)
            cell.source = source
            cell.metadata["nbgrader"] = _nbgrader_metadata(cell_id, locked=True, points=points)
    return synced


def launch_links(notebook_path) -> dict[str, str]:
    """Addresses that open a notebook of the published repository, by platform.

    Examples
    --------
    >>> launch_links("exercises/W3D5_Tutorial1.ipynb")["Colab"]
    'https://colab.research.google.com/github/NeuromatchAcademy/nmacausal/blob/main/exercises/W3D5_Tutorial1.ipynb'
    """
    raw = f"https://raw.githubusercontent.com/{PUBLISHED_REPOSITORY}/{PUBLISHED_BRANCH}"
    return {
        "Binder": f"https://mybinder.org/v2/gh/{PUBLISHED_REPOSITORY}/HEAD?urlpath=lab/tree/"
        f"{notebook_path}",
        "Colab": f"https://colab.research.google.com/github/{PUBLISHED_REPOSITORY}/blob/"
        f"{PUBLISHED_BRANCH}/{notebook_path}",
        "Kaggle": f"https://kaggle.com/kernels/welcome?src={raw}/{notebook_path}",
    }


_BADGE_IMAGES = {
    "Binder": "https://mybinder.org/badge_logo.svg",
    "Colab": "https://colab.research.google.com/assets/colab-badge.svg",
    "Kaggle": "https://kaggle.com/static/images/open-in-kaggle.svg",
}


def _launch_source(notebook_path) -> str:
    badges = " ".join(
        f"[![Open in {platform}]({_BADGE_IMAGES[platform]})]({url})"
        for platform, url in launch_links(notebook_path).items()
    )
    return f"{badges}\n\nOpen the exercises on Binder, Google Colab or Kaggle: nothing to install."


def _install_source() -> str:
    # pip runs as a subprocess of the kernel's own interpreter, so it installs where
    # the kernel imports from; its output would go to the server's terminal, so a
    # failure is raised with pip's own last words. "@title" makes it a form on Colab.
    package = pip_requirement()
    return f"""\
# @title Install nmacausal where it is missing (Colab, Kaggle); elsewhere this does nothing
import importlib.util, os, subprocess, sys

if importlib.util.find_spec("nmacausal") is None:
    package = os.environ.get("{INSTALL_FROM_VARIABLE}", "{package}")
    print(f"Installing {{package}} ...")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", package],
                         capture_output=True, text=True)
    if pip.returncode != 0:
        raise RuntimeError("pip could not install nmacausal (on Kaggle, switch Internet on in "
                           "the notebook's settings first):\\n" + pip.stderr[-2000:])
    importlib.invalidate_caches()
    if importlib.util.find_spec("nmacausal") is None:
        raise RuntimeError("nmacausal is installed: restart the kernel, then run this again.")
    print("nmacausal is installed.")"""


def sync_launch_cells(notebook, notebook_path):
    """The notebook starting with its launch cells, rewritten from the publishing settings.

    The launch cells are a row of badges that open the students' notebook on
    Binder, Colab and Kaggle, and a code cell that installs nmacausal where
    it is missing (and does nothing where it is installed).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The solutions notebook; it is not modified.
    notebook_path : str
        The students' notebook in the repository, ``"exercises/W3D5_Tutorial1.ipynb"``.

    Returns
    -------
    nbformat.NotebookNode
        A copy whose first two cells are the launch cells (rewritten in place
        when they exist), followed by the other cells.
    """
    notebook = copy.deepcopy(notebook)
    launch_cells = {
        LAUNCH_CELL_ID: nbformat.v4.new_markdown_cell(
            _launch_source(notebook_path), id=LAUNCH_CELL_ID
        ),
        INSTALL_CELL_ID: nbformat.v4.new_code_cell(
            _install_source(), id=INSTALL_CELL_ID, metadata={"cellView": "form"}
        ),
    }
    kept = [cell for cell in notebook.cells if cell.get("id") not in launch_cells]
    for cell_id, fresh in launch_cells.items():
        existing = next((cell for cell in notebook.cells if cell.get("id") == cell_id), None)
        if existing is not None and existing.cell_type == fresh.cell_type:
            existing.source = fresh.source  # and keeps its outputs and other metadata
            existing.metadata.update(fresh.metadata)
            launch_cells[cell_id] = existing
    notebook.cells = [*launch_cells.values(), *kept]
    return notebook


def _self_check_source(exercise) -> str:
    return (
        f"from nmacausal.checks import {exercise.check_name}\n"
        f"\n"
        f"{exercise.check_name}({exercise.answer_name})"
    )


def _grade_source(exercise) -> str:
    # Visible in the students' copy too, so that running every cell (or nbgrader's
    # Validate) runs the same check, and fails naming the exercise, before a student
    # hands the notebook in.
    points = f"{exercise.points} point{'s' if exercise.points != 1 else ''}"
    return (
        f"# Coding {exercise.label} ({points}): fails until the answer is right; "
        f"grading runs it again.\n"
        f"from nmacausal.checks import {exercise.check_name}\n"
        f"\n"
        f"{exercise.check_name}({exercise.answer_name}).assert_correct()"
    )


def _nbgrader_metadata(grade_id, *, solution=False, locked=False, points=None) -> dict:
    metadata = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": NBGRADER_SCHEMA_VERSION,
        "solution": solution,
    }
    if points is not None:
        metadata["points"] = points
    return metadata


def _with_solution(source, exercise) -> str:
    """``source`` with the exercise's solution in place, between the solution markers.

    A value exercise's solution is the code of the region itself. A function
    exercise's solution is the whole completed function: it replaces the
    function in the cell, and the markers keep surrounding the lines they
    surrounded (the student writes those; the rest of the function is the
    scaffold the student is given).
    """
    lines = source.split("\n")
    begin = _marker_line(lines, BEGIN_SOLUTION, exercise)
    end = _marker_line(lines, END_SOLUTION, exercise)
    if end < begin:
        raise NotebookBuildError(
            f"the solution cell of exercise {exercise.id!r} has `{END_SOLUTION}` before "
            f"`{BEGIN_SOLUTION}`; put the solution between them."
        )
    solution = exercise.solution.strip("\n").split("\n")
    if exercise.kind != "function":
        indent = _indentation(lines[begin])
        region = [indent + line if line.strip() else "" for line in solution]
        return "\n".join(lines[: begin + 1] + region + lines[end:])
    first, last = _function_span(lines, begin, end, exercise)
    indent = _indentation(lines[first])
    solution = [indent + line if line.strip() else "" for line in solution]
    old_code = lines[first:begin] + lines[begin + 1 : end] + lines[end + 1 : last]
    region_start, region_stop = _rebase_region(
        old_code, begin - first, end - first - 1, solution, exercise
    )
    marker_indent = _indentation(
        solution[region_start] if region_start < region_stop else lines[begin]
    )
    return "\n".join(
        lines[:first]
        + solution[:region_start]
        + [marker_indent + BEGIN_SOLUTION]
        + solution[region_start:region_stop]
        + [marker_indent + END_SOLUTION]
        + solution[region_stop:]
        + lines[last:]
    )


def _function_span(lines, begin, end, exercise) -> tuple[int, int]:
    """First and one-past-last line of the ``def`` of the exercise's answer in a cell."""
    header = re.compile(rf"\s*def {re.escape(exercise.answer_name)}\(")
    starts = [index for index in range(begin) if header.match(lines[index])]
    if not starts:
        raise NotebookBuildError(
            f"the solution cell of exercise {exercise.id!r} must define "
            f"`{exercise.answer_name}` with the solution markers inside its body."
        )
    first = starts[-1]
    depth = len(_indentation(lines[first]))
    last = end + 1
    for index in range(end + 1, len(lines)):
        if lines[index].strip() and len(_indentation(lines[index])) <= depth:
            break
        if lines[index].strip():
            last = index + 1
    return first, last


def _rebase_region(old_code, old_start, old_stop, new_code, exercise) -> tuple[int, int]:
    """Where the region ``old_code[old_start:old_stop]`` falls in ``new_code``.

    The region is bounded by the nearest lines outside it that ``new_code``
    still contains; lines the registry added or changed next to the region
    join it, so an edited solution never leaks into the scaffold.
    """
    matcher = difflib.SequenceMatcher(None, old_code, new_code, autojunk=False)
    new_index = {
        old + offset: new + offset
        for old, new, size in matcher.get_matching_blocks()
        for offset in range(size)
    }
    before = [new_index[old] for old in range(old_start) if old in new_index]
    after = [new_index[old] for old in range(old_stop, len(old_code)) if old in new_index]
    region_start = before[-1] + 1 if before else 0
    region_stop = after[0] if after else len(new_code)
    if region_stop < region_start:
        raise NotebookBuildError(
            f"cannot tell where the solution region of exercise {exercise.id!r} goes in the "
            f"registry's new solution: move the solution markers by hand."
        )
    return region_start, region_stop


def _indentation(line) -> str:
    return line[: len(line) - len(line.lstrip())]


def _marker_line(lines, marker, exercise) -> int:
    found = [index for index, line in enumerate(lines) if line.strip() == marker]
    if len(found) != 1:
        raise NotebookBuildError(
            f"the solution cell of exercise {exercise.id!r} must contain the line `{marker}` "
            f"exactly once, found it {len(found)} time(s)."
        )
    return found[0]


def _solution_cell_position(notebook, exercise) -> int:
    for position, cell in enumerate(notebook.cells):
        if _grade_id(cell) == exercise.id:
            return position
    raise NotebookBuildError(
        f"the solutions notebook has no solution cell for exercise {exercise.id!r}: mark the "
        f"code cell that holds `{exercise.answer_name}` as an nbgrader solution cell with "
        f"grade_id {exercise.id!r}, around `{BEGIN_SOLUTION}` / `{END_SOLUTION}`."
    )


def _reject_unknown_graded_cells(notebook, exercises) -> None:
    known = {exercise.id for exercise in exercises}
    known |= {self_check_cell_id(exercise) for exercise in exercises}
    known |= {grade_cell_id(exercise) for exercise in exercises}
    graded = (_grade_id(cell) for cell in notebook.cells)
    unknown = [cell_id for cell_id in graded if cell_id and cell_id not in known]
    if unknown:
        raise NotebookBuildError(
            f"the solutions notebook has nbgrader cells that none of its tutorial's exercises "
            f"owns ({', '.join(unknown)}): remove them or declare their exercise in the "
            f"tutorial's module (nmacausal/tutorials/)."
        )


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _find_cell(notebook, grade_id):
    return next((cell for cell in notebook.cells if _grade_id(cell) == grade_id), None)


def _changed_derived_cells(before, after) -> list[str]:
    """The ids of derived cells that the sync inserted, moved (launch and lecture cells)
    or rewrote."""
    changed = [
        cell.id
        for position, cell in enumerate(after.cells[: len(LAUNCH_CELL_IDS)])
        if position >= len(before.cells)
        or (before.cells[position].get("id"), before.cells[position].source)
        != (cell.id, cell.source)
    ]
    changed += [
        cell_id
        for cell_id in _lecture_ids(after)
        if _placed(before, cell_id) != _placed(after, cell_id)
    ]
    for cell in after.cells:
        grade_id = _grade_id(cell)
        if grade_id is None:
            continue
        previous = _find_cell(before, grade_id)
        if previous is None or (previous.source, previous.metadata.get("nbgrader")) != (
            cell.source,
            cell.metadata["nbgrader"],
        ):
            changed.append(grade_id)
    return changed


def _lecture_ids(notebook) -> list[str]:
    return [
        cell.id
        for cell in notebook.cells
        if cell.get("id") == SLIDES_CELL_ID or cell.get("id", "").startswith("video-")
    ]


def _placed(notebook, cell_id):
    """A cell's source and the id of the cell before it, or None if it is missing."""
    ids = [cell.get("id") for cell in notebook.cells]
    if cell_id not in ids:
        return None
    position = ids.index(cell_id)
    return notebook.cells[position].source, ids[position - 1] if position else None


# --- Step 2: execution ------------------------------------------------------------------


def execute_notebook(
    notebook, *, working_dir, timeout=DEFAULT_CELL_TIMEOUT, allow_errors=False, record_timing=False
):
    """Run a notebook top to bottom in a fresh kernel and return it with its outputs.

    The kernel uses the inline matplotlib backend whatever ``MPLBACKEND`` says
    (figures must be stored) and keeps its own log off the terminal. The
    executed notebook records a digest of the cells it ran, which
    :func:`find_stale_notebooks` compares with the current cells.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook; it is not modified.
    working_dir : path-like
        The kernel's working directory (the notebook's own directory).
    timeout : float, default=300
        Seconds any one cell may run.
    allow_errors : bool, default=False
        Run every cell even after one raised, keeping the error as that
        cell's output (how a student's untouched notebook runs).
    record_timing : bool, default=False
        Store each cell's start and end times in its metadata (for profiling;
        off by default so that a rebuild changes nothing that did not change).

    Returns
    -------
    nbformat.NotebookNode
        A copy with outputs, execution counts and the widgets' state.

    Raises
    ------
    NotebookBuildError
        If a cell raises (unless ``allow_errors``), times out, or the kernel
        dies or does not start.

    Examples
    --------
    >>> executed = execute_notebook(notebook, working_dir="solutions")  # doctest: +SKIP
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    executed = strip_outputs(notebook)
    client = NotebookClient(
        executed,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=record_timing,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(working_dir)}},
    )
    try:
        client.execute(env=_kernel_environment())
    except CellExecutionError as error:
        raise NotebookBuildError(
            f"{_failed_cell(executed)} raised {error.ename}: {_first_line(error.evalue)}; "
            f"fix the solutions notebook (or the exercise's solution in its tutorial's "
            f"module, nmacausal/tutorials/)."
        ) from error
    except (CellTimeoutError, RuntimeError) as error:  # a dead kernel is a RuntimeError
        raise NotebookBuildError(
            f"executing the notebook failed ({type(error).__name__}: "
            f"{_first_line(error)}); does a cell hang or crash the kernel?"
        ) from error
    executed.metadata[BUILD_METADATA_KEY] = {"executed_sources": _source_digest(executed)}
    return executed


def _kernel_environment() -> dict[str, str]:
    # An inherited MPLBACKEND (the test suite sets Agg) would stop the kernel's
    # inline backend from storing the figures.
    return {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}


def _failed_cell(notebook) -> str:
    for position, cell in enumerate(notebook.cells, start=1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            label = _grade_id(cell) or cell.get("id", "")
            return f"cell {position} ({label})" if label else f"cell {position}"
    return "a cell"


def _first_line(text) -> str:
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def _source_digest(notebook) -> str:
    """A fingerprint of every cell's type and source, in order."""
    cells = [[cell.cell_type, cell.source] for cell in notebook.cells]
    return hashlib.sha256(json.dumps(cells).encode("utf-8")).hexdigest()


def strip_outputs(notebook):
    """A copy without outputs, execution counts, widget state or the build's record.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook; it is not modified.

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("print(1)", execution_count=1)
    >>> cell.outputs = [nbformat.v4.new_output("stream", text="1\\n")]
    >>> strip_outputs(nbformat.v4.new_notebook(cells=[cell])).cells[0].outputs
    []
    """
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    for key in (WIDGET_STATE_KEY, BUILD_METADATA_KEY):
        stripped.metadata.pop(key, None)
    return stripped


# --- Step 3: the students' notebook, by nbgrader ----------------------------------------


def generate_exercises(notebook, tutorial, *, config_file=None):
    """The students' version of a solutions notebook, made by nbgrader's generate_assignment.

    nbgrader works on a course directory (``source/<assignment>/``,
    ``release/<assignment>/``); one is laid out in a temporary directory with
    the project's ``nbgrader_config.py``. No gradebook is written: like
    ``nbgrader generate_assignment --no-db``, this only makes the release.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The solutions notebook (its outputs are ignored).
    tutorial : Tutorial
        Its tutorial (which names nbgrader's assignment).
    config_file : path-like, optional
        An nbgrader configuration file (``nbgrader_config.py``) to load first.

    Returns
    -------
    nbformat.NotebookNode
        The release: solution regions replaced by stubs, hidden tests (if any)
        removed, no outputs, locked cells with their checksums.

    Raises
    ------
    NotebookBuildError
        If ``config_file`` does not exist, or nbgrader refuses the notebook
        (a solution region outside a solution cell, a cell without a grade
        id, ...).

    Examples
    --------
    >>> config = "nbgrader_config.py"
    >>> release = generate_exercises(solutions, tutorial, config_file=config)  # doctest: +SKIP
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    with tempfile.TemporaryDirectory(prefix="nmacausal-course-") as course_root:
        config = _course_config(config_file, course_root)
        course = CourseDirectory(config=config)
        course.assignment_id = tutorial.id
        source = Path(course.format_path(course.source_directory, ".", tutorial.id))
        source.mkdir(parents=True)
        write_notebook(strip_outputs(notebook), source / tutorial.notebook_file)
        log = _ErrorLog()
        converter = GenerateAssignment(coursedir=course, config=config, log=log.logger)
        converter.force = True
        try:
            converter.start()
        except Exception as error:  # nbgrader explains its failures in its log
            raise NotebookBuildError(
                f"nbgrader could not generate the exercises: {log.first_error() or error}"
            ) from error
        release = Path(course.format_path(course.release_directory, ".", tutorial.id))
        return read_notebook(release / tutorial.notebook_file)


def _course_config(config_file, course_root):
    from traitlets.config import Config

    from .files import CourseFilesError, load_nbgrader_config

    try:
        config = Config() if config_file is None else load_nbgrader_config(config_file)
    except CourseFilesError as error:
        raise NotebookBuildError(str(error)) from None
    config.CourseDirectory.root = str(course_root)
    # The release only: the grader records the assignment in a gradebook of its own.
    config.GenerateAssignment.no_database = True
    config.SaveCells.enabled = False
    return config


class _ErrorLog(logging.Handler):
    """A logger for nbgrader that keeps its error messages and prints nothing.

    The logger is not registered with :mod:`logging`, so its records reach no
    other handler (and never the terminal).
    """

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.errors = []
        self.logger = logging.Logger("nmacausal.course.notebooks.nbgrader", level=logging.INFO)
        self.logger.addHandler(self)

    def emit(self, record):
        self.errors.append(_first_line(record.getMessage()))

    def first_error(self) -> str:
        return next((message for message in self.errors if message), "")


# --- Reading and writing ----------------------------------------------------------------


def read_notebook(path):
    """Read a notebook file (nbformat 4).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    NotebookBuildError
        If the file cannot be read or is not a valid notebook.
    """
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError, nbformat.reader.NotJSONError) as error:
        message = f"cannot read {path} as a notebook: {_first_line(error)}"
        raise NotebookBuildError(message) from error


def write_notebook(notebook, path) -> None:
    """Write a notebook in nbformat's canonical layout, creating its directory.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    path : path-like
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_serialize(notebook), encoding="utf-8")


def _serialize(notebook) -> str:
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"
