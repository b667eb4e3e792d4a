"""Finding the course's notebooks in an installation, and giving users copies of them
(``nmacausal notebooks``). The installed-from-a-wheel case is in test_distribution.py."""

import sys
from pathlib import Path

import pytest

from nmacausal.cli import main
from nmacausal.course import files as course_files
from nmacausal.course.files import (
    CourseFiles,
    CourseFilesError,
    copy_notebooks,
    installed_course_files,
)
from nmacausal.course.notebooks import find_stale_notebooks
from nmacausal.tutorials import TUTORIALS, get_tutorial

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_FILES = [tutorial.notebook_file for tutorial in TUTORIALS]
EXERCISES = REPO_ROOT / "exercises" / "W3D5_Tutorial1.ipynb"
SOLUTIONS = REPO_ROOT / "solutions" / "W3D5_Tutorial1.ipynb"


def test_a_checkout_finds_its_own_files():
    # The tests run on an editable install: no copies in the package, the checkout's files.
    assert not course_files.SHIPPED_ROOT.exists()
    assert installed_course_files() == CourseFiles(REPO_ROOT)


def test_shipped_copies_come_first(tmp_path, monkeypatch):
    shipped = tmp_path / "_shipped"
    for folder in ("solutions", "exercises"):
        for name in NOTEBOOK_FILES:
            (shipped / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (shipped / folder / name).write_text("{}")
    (shipped / "nbgrader_config.py").write_text("")
    monkeypatch.setattr(course_files, "SHIPPED_ROOT", shipped)
    assert installed_course_files().root == shipped


def test_an_installation_without_notebooks_says_how_to_repair_it(tmp_path, monkeypatch):
    monkeypatch.setattr(course_files, "SHIPPED_ROOT", tmp_path / "_shipped")
    monkeypatch.setattr(course_files, "CHECKOUT_ROOT", tmp_path)
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "W3D5_Tutorial1.ipynb").write_text("{}")  # half a course
    with pytest.raises(CourseFilesError, match="pip install --force-reinstall nmacausal"):
        installed_course_files()


def test_students_get_the_exercises_only(tmp_path):
    written = copy_notebooks(tmp_path / "w3d5")
    assert written == [tmp_path / "w3d5" / "exercises" / name for name in NOTEBOOK_FILES]
    for path in written:
        assert path.read_bytes() == (REPO_ROOT / "exercises" / path.name).read_bytes()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()) == [
        Path("w3d5/exercises") / name for name in sorted(NOTEBOOK_FILES)
    ]


def test_one_tutorial_is_copied_alone(tmp_path):
    written = copy_notebooks(tmp_path, tutorials=[TUTORIALS[-1]], solutions=True)
    name = TUTORIALS[-1].notebook_file
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        f"exercises/{name}",
        f"solutions/{name}",
        "nbgrader_config.py",
    ]
    # The build's default is the tutorials the folder has: here that one.
    assert find_stale_notebooks(tmp_path) == []


def test_instructors_get_a_folder_the_build_accepts(tmp_path):
    written = copy_notebooks(tmp_path, solutions=True)
    assert {path.relative_to(tmp_path).as_posix() for path in written} == {
        *(f"exercises/{name}" for name in NOTEBOOK_FILES),
        *(f"solutions/{name}" for name in NOTEBOOK_FILES),
        "nbgrader_config.py",
    }
    assert (tmp_path / "solutions" / "W3D5_Tutorial1.ipynb").read_bytes() == SOLUTIONS.read_bytes()
    # Executes nothing: compares the copied exercises with nbgrader's release of the copy.
    assert find_stale_notebooks(tmp_path) == []


def test_a_students_work_is_never_copied_over(tmp_path):
    work = tmp_path / "exercises" / "W3D5_Tutorial1.ipynb"
    work.parent.mkdir()
    work.write_text("my answers")
    with pytest.raises(CourseFilesError, match="exists already .* nothing was copied"):
        copy_notebooks(tmp_path, solutions=True)
    assert work.read_text() == "my answers"
    assert not (tmp_path / "solutions").exists()  # all or nothing

    copy_notebooks(tmp_path, overwrite=True)
    assert work.read_bytes() == EXERCISES.read_bytes()


def test_a_file_is_not_a_destination(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("")
    with pytest.raises(CourseFilesError, match="is not a folder"):
        copy_notebooks(target)


def test_cli_prints_where_the_notebooks_are(capsys):
    assert main(["notebooks"]) == 0
    out = capsys.readouterr().out
    for tutorial in TUTORIALS:
        assert f"Tutorial {tutorial.number}, {tutorial.title}:\n" in out
        assert f"students' notebook:    {REPO_ROOT / 'exercises' / tutorial.notebook_file}\n" in out
        assert f"instructors' notebook: {REPO_ROOT / 'solutions' / tutorial.notebook_file}\n" in out


def test_cli_copies_one_tutorial_and_refuses_to_overwrite(tmp_path, capsys):
    assert main(["notebooks", "--copy-to", str(tmp_path), "--tutorial", "1"]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'exercises' / 'W3D5_Tutorial1.ipynb'}\n"
    assert main(["notebooks", "--copy-to", str(tmp_path), "--tutorial", "W3D5_Tutorial1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("nmacausal notebooks: ") and "--overwrite" in error


def test_cli_options_that_need_a_destination(capsys):
    assert main(["notebooks", "--solutions"]) == 1
    assert "go with --copy-to DIR" in capsys.readouterr().err


def test_cli_refuses_a_tutorial_the_day_does_not_have(capsys):
    assert main(["notebooks", "--tutorial", "9"]) == 1
    error = capsys.readouterr().err
    assert "There is no tutorial '9'" in error and "1 (W3D5_Tutorial1)" in error
    assert get_tutorial("1") is get_tutorial(1)


def test_every_importable_copy_of_the_solutions_is_found_for_hiding(tmp_path, monkeypatch):
    copies = [tmp_path / place / "nmacausal" / "_shipped" / "solutions" for place in ("a", "b")]
    for folder in copies:
        folder.mkdir(parents=True)
    (tmp_path / "c" / "nmacausal").mkdir(parents=True)  # a package without copies
    entries = [str(tmp_path / place) for place in ("a", "b", "c")]
    monkeypatch.setattr(sys, "path", entries)
    assert course_files.shipped_solution_folders() == copies
