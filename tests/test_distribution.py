"""nmacausal as a user installs it: built with ``python -m build``, installed from the
wheel into a fresh environment, used from a folder that is not a checkout.

- the build itself: no warnings, and what the sdist and the wheel carry;
- an instructor: ``pip install 'nmacausal[instructor]'``, then ``nmacausal
  notebooks`` and ``nmacausal grade`` with nothing but the wheel's own files,
  and the students' notebook run in that environment's kernel;
- a student on Colab or Kaggle: a kernel without nmacausal, where the
  notebook's first code cell installs it (here from the wheel just built).
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from class_builder import ALL_EXERCISES, SIMULATE, Student, write_class
from fresh_environments import PIP_TIMEOUT, REPOSITORY, FreshEnvironment, copy_source

from nmacausal.course.files import INSTALL_CELL_ID
from nmacausal.course.notebooks import INSTALL_FROM_VARIABLE
from nmacausal.tutorials import TUTORIALS, get_exercise

NOTEBOOK = "W3D5_Tutorial1.ipynb"
COURSE_FILES = (
    *(
        f"{folder}/{tutorial.notebook_file}"
        for folder in ("solutions", "exercises")
        for tutorial in TUTORIALS
    ),
    "nbgrader_config.py",
)
STUB_ERRORS = ["NotImplementedError", "CheckFailed"] * 3  # each stub, and its grade check


@pytest.fixture(scope="module")
def distribution(tmp_path_factory):
    """The sdist and the wheel, built from a copy of the repository as CI checks it out."""
    root = tmp_path_factory.mktemp("distribution")
    source = copy_source(root / "source")
    # distutils reports that it skips byte-compiling when this is set: noise, not ours.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    completed = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(root / "dist"), str(source)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    (wheel,) = (root / "dist").glob("nmacausal-*.whl")
    (sdist,) = (root / "dist").glob("nmacausal-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist, "log": completed.stdout + completed.stderr}


def test_the_build_prints_no_warning(distribution):
    noisy = [
        line
        for line in distribution["log"].splitlines()
        if re.search(r"warn|deprecat", line, flags=re.IGNORECASE)
    ]
    assert noisy == [], "\n".join(noisy)


def test_the_wheel_carries_the_course_and_nothing_of_the_repository(distribution):
    with zipfile.ZipFile(distribution["wheel"]) as wheel:
        names = set(wheel.namelist())
        shipped = {
            name: wheel.read(name) for name in names if name.startswith("nmacausal/_shipped/")
        }
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert shipped == {
        f"nmacausal/_shipped/{name}": (REPOSITORY / name).read_bytes() for name in COURSE_FILES
    }
    assert {name.split("/")[0] for name in names} == {
        "nmacausal",
        distribution["wheel"].name.split("-py3")[0] + ".dist-info",
    }
    metadata = metadata.decode()
    assert "License-Expression: BSD-3-Clause" in metadata
    for extra in ("student", "instructor", "dev"):
        assert f"Provides-Extra: {extra}" in metadata


# --- An instructor -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def instructor(tmp_path_factory, distribution):
    """A fresh environment with ``nmacausal[instructor]`` from the wheel, and a work folder."""
    root = tmp_path_factory.mktemp("instructor")
    environment = FreshEnvironment.create(root)
    environment.pip_install(f"{distribution['wheel']}[instructor]", cwd=root)
    work = root / "work"
    work.mkdir()
    return environment, work


def nmacausal(instructor, *args, check=True):
    environment, work = instructor
    return environment.run([environment.bin / "nmacausal", *args], cwd=work, check=check)


def test_the_package_is_the_installed_wheel_not_the_checkout(instructor):
    environment, work = instructor
    where = environment.run(
        [environment.python, "-c", "import nmacausal; print(nmacausal.__file__)"], cwd=work
    )
    assert Path(where.stdout.strip()).is_relative_to(environment.prefix)
    installed = environment.installed()
    assert {"nbgrader", "tqdm", "jupyterlab", "ipykernel"} <= set(installed)
    assert not {"pytest", "playwright", "ruff", "hypothesis", "voila"} & set(installed)


def test_an_instructor_gets_the_notebooks(instructor):
    environment, work = instructor
    listed = nmacausal(instructor, "notebooks").stdout
    assert str(environment.prefix) in listed
    assert "_shipped" in listed

    nmacausal(instructor, "notebooks", "--copy-to", "course", "--solutions")
    for name in COURSE_FILES:
        assert (work / "course" / name).read_bytes() == (REPOSITORY / name).read_bytes()
    # The copy is a course folder the installed tools accept: it is up to date.
    checked = nmacausal(instructor, "build-notebooks", "--check", "--project-dir", "course")
    assert checked.stdout == "The notebooks are up to date.\n"


def test_an_instructor_grades_a_class_with_the_wheels_own_files(instructor, tmp_path):
    environment, work = instructor
    write_class(
        [
            Student("everything_right", answered=ALL_EXERCISES),
            Student("nothing_done"),
            Student(
                "backwards_network",
                answered=ALL_EXERCISES,
                mistakes={SIMULATE: "transposed_connectivity"},
            ),
        ],
        work / "submitted",
    )

    # Relative folders, as the README writes the command.
    graded = nmacausal(
        instructor, "grade", "submitted", "--out", "graded", "--timeout", "60", "--jobs", "2"
    )

    with open(work / "graded" / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    full_marks = sum(get_exercise(exercise).points for exercise in ALL_EXERCISES)
    assert {student: float(row["total"]) for student, row in rows.items()} == {
        "everything_right": full_marks,
        "nothing_done": 0,
        "backwards_network": full_marks - get_exercise(SIMULATE).points,
    }
    assert rows["backwards_network"][f"{SIMULATE}_mistake"] == "transposed_connectivity"
    # Sandboxed, nothing flagged: every feedback page made.
    assert {row["status"] for row in rows.values()} == {"ok"}
    for student in rows:
        assert (
            (work / "graded" / "feedback" / student / "W3D5_Tutorial1" / NOTEBOOK)
            .with_suffix(".html")
            .is_file()
        )
    assert (work / "graded" / "report.html").is_file()
    assert "graded 3 notebooks of 3 students" in graded.stdout


def test_the_students_notebook_runs_in_the_instructors_environment(instructor):
    environment, work = instructor
    nmacausal(instructor, "notebooks", "--copy-to", "student", check=True)
    result = environment.run_notebook(work / "student" / "exercises" / NOTEBOOK)
    assert sorted(result["errors"]) == sorted(STUB_ERRORS)


# --- A student on Colab or Kaggle --------------------------------------------------------


def test_the_first_code_cell_installs_nmacausal_where_it_is_missing(tmp_path, distribution):
    # Colab and Kaggle have a kernel and Jupyter's own packages, not nmacausal.
    environment = FreshEnvironment.create(tmp_path)
    environment.pip_install("ipykernel", "nbclient", "nbformat", cwd=tmp_path)
    assert "nmacausal" not in environment.installed()
    exercises = tmp_path / "colab" / NOTEBOOK
    exercises.parent.mkdir()
    exercises.write_bytes((REPOSITORY / "exercises" / NOTEBOOK).read_bytes())
    install_cell = _install_cell_only(exercises)

    # pip fails (no network, say): the cell says so with pip's own words, installs nothing.
    failed = environment.run_notebook(
        install_cell, **{INSTALL_FROM_VARIABLE: str(tmp_path / "missing.whl")}
    )
    assert failed["errors"] == ["RuntimeError"]
    assert "pip could not install nmacausal" in failed["texts"][0]
    assert "missing.whl" in failed["texts"][0]
    assert "nmacausal" not in environment.installed()

    # It installs the package, and the whole notebook runs: only the stubs are unfinished.
    first = environment.run_notebook(
        exercises, **{INSTALL_FROM_VARIABLE: str(distribution["wheel"])}
    )
    assert first["texts"][0].endswith("nmacausal is installed.\n")
    assert first["errors"] == STUB_ERRORS
    assert environment.installed()["nmacausal"] == "0.1.0"

    # Where nmacausal is installed the cell does nothing (it would fail if it ran pip).
    again = environment.run_notebook(exercises, **{INSTALL_FROM_VARIABLE: "/nowhere.whl"})
    assert again["texts"][0] == ""
    assert again["errors"] == STUB_ERRORS


def _install_cell_only(notebook_path: Path) -> Path:
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells = [cell for cell in notebook.cells if cell.get("id") == INSTALL_CELL_ID]
    path = notebook_path.with_name("install-only.ipynb")
    nbformat.write(notebook, path)
    return path
