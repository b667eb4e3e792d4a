"""Finding the course's notebooks in an installation, and giving users copies of them
(``nmacausal notebooks``). The installed-from-a-wheel case is in test_distribution.py."""

import sys
from pathlib import Path

import pytest

from nmacausal import _course_files
from nmacausal._course_files import (
    CourseFiles,
    CourseFilesError,
    copy_notebooks,
    installed_course_files,
)
from nmacausal.cli import main
from nmacausal.notebooks import find_stale_notebooks

REPO_ROOT = Path(__file__).resolve().parent.parent
EXERCISES = REPO_ROOT / "exercises" / "W3D5_Tutorial1.ipynb"
SOLUTIONS = REPO_ROOT / "solutions" / "W3D5_Tutorial1.ipynb"


def test_a_checkout_finds_its_own_files():
    # The tests run on an editable install: no copies in the package, the checkout's files.
    assert not _course_files.SHIPPED_ROOT.exists()
    assert installed_course_files() == CourseFiles(REPO_ROOT)


def test_shipped_copies_come_first(tmp_path, monkeypatch):
    shipped = tmp_path / "_shipped"
    for relative in ("solutions/W3D5_Tutorial1.ipynb", "exercises/W3D5_Tutorial1.ipynb"):
        (shipped / relative).parent.mkdir(parents=True, exist_ok=True)
        (shipped / relative).write_text("{}")
    (shipped / "nbgrader_config.py").write_text("")
    monkeypatch.setattr(_course_files, "SHIPPED_ROOT", shipped)
    assert installed_course_files().root == shipped


def test_an_installation_without_notebooks_says_how_to_repair_it(tmp_path, monkeypatch):
    monkeypatch.setattr(_course_files, "SHIPPED_ROOT", tmp_path / "_shipped")
    monkeypatch.setattr(_course_files, "CHECKOUT_ROOT", tmp_path)
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "W3D5_Tutorial1.ipynb").write_text("{}")  # half a course
    with pytest.raises(CourseFilesError, match="pip install --force-reinstall nmacausal"):
        installed_course_files()


def test_students_get_the_exercises_only(tmp_path):
    written = copy_notebooks(tmp_path / "w3d5")
    assert written == [tmp_path / "w3d5" / "exercises" / "W3D5_Tutorial1.ipynb"]
    assert written[0].read_bytes() == EXERCISES.read_bytes()
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()) == [
        Path("w3d5/exercises/W3D5_Tutorial1.ipynb")
    ]


def test_instructors_get_a_folder_the_build_accepts(tmp_path):
    written = copy_notebooks(tmp_path, solutions=True)
    assert {path.relative_to(tmp_path).as_posix() for path in written} == {
        "exercises/W3D5_Tutorial1.ipynb",
        "solutions/W3D5_Tutorial1.ipynb",
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
    assert f"students' notebook:    {EXERCISES}\n" in out
    assert f"instructors' notebook: {SOLUTIONS}\n" in out


def test_cli_copies_and_refuses_to_overwrite(tmp_path, capsys):
    assert main(["notebooks", "--copy-to", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'exercises' / 'W3D5_Tutorial1.ipynb'}\n"
    assert main(["notebooks", "--copy-to", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("nmacausal notebooks: ") and "--overwrite" in error


def test_cli_options_that_need_a_destination(capsys):
    assert main(["notebooks", "--solutions"]) == 1
    assert "go with --copy-to DIR" in capsys.readouterr().err


def test_every_importable_copy_of_the_solutions_is_found_for_hiding(tmp_path, monkeypatch):
    copies = [tmp_path / place / "nmacausal" / "_shipped" / "solutions" for place in ("a", "b")]
    for folder in copies:
        folder.mkdir(parents=True)
    (tmp_path / "c" / "nmacausal").mkdir(parents=True)  # a package without copies
    entries = [str(tmp_path / place) for place in ("a", "b", "c")]
    monkeypatch.setattr(sys, "path", entries)
    assert _course_files.shipped_solution_folders() == copies
