"""A stand-in for Binder: an environment built only from ``binder/``, as repo2docker builds it.

repo2docker copies the repository, installs ``binder/requirements.txt`` with
pip and runs ``binder/postBuild``. The test does the same in a fresh virtual
environment, then executes both notebooks in a kernel of that environment.
"""

import re
import sys
from pathlib import Path

import pytest
from fresh_environments import FreshEnvironment, copy_source

from nmacausal.course.notebooks import launch_links
from nmacausal.tutorials import TUTORIALS

EACH_TUTORIAL = pytest.mark.parametrize("tutorial", TUTORIALS, ids=lambda t: t.id)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parent.parent
BADGE = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/HEAD\?urlpath=([\w%./-]+)")


@pytest.fixture(scope="module")
def binder_environment(tmp_path_factory):
    """The repository as repo2docker sees it, and an environment built from binder/ only."""
    root = tmp_path_factory.mktemp("binder")
    checkout = copy_source(root / "repo")
    environment = FreshEnvironment.create(root)
    environment.pip_install("-r", "binder/requirements.txt", cwd=checkout)
    environment.run(["bash", "binder/postBuild"], cwd=checkout)
    return checkout, environment


def run_notebook(binder_environment, notebook):
    checkout, environment = binder_environment
    return environment.run_notebook(checkout / notebook)["errors"]


@EACH_TUTORIAL
def test_exercises_run_with_only_the_stubs_unfinished(binder_environment, tutorial):
    errors = run_notebook(binder_environment, f"exercises/{tutorial.notebook_file}")
    # The stubs raise, and so do the grade checks (visible for Validate) that find them.
    exercises = len(tutorial.exercises)
    assert errors.count("NotImplementedError") == errors.count("CheckFailed") == exercises
    assert set(errors) == {"NotImplementedError", "CheckFailed"}


@EACH_TUTORIAL
def test_solutions_run_cleanly(binder_environment, tutorial):
    assert run_notebook(binder_environment, f"solutions/{tutorial.notebook_file}") == []


def binder_pins() -> dict[str, str]:
    lines = (REPOSITORY / "binder" / "requirements.txt").read_text().splitlines()
    pins = dict(line.split("==") for line in lines if line.strip() and not line.startswith("#"))
    return {name.lower(): version for name, version in pins.items()}


def test_binder_installs_nothing_beyond_its_pins(binder_environment):
    _, environment = binder_environment
    installed = environment.installed()
    for name, version in binder_pins().items():
        assert installed[name] == version
    assert "nmacausal" in installed
    assert "nbgrader" not in installed  # the students' set: no instructors' tools


def test_binder_pins_exactly_the_students_set():
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # Binder builds in the optional extra of Tutorial 4's Granger bonus, so that it runs there
    # without installing anything at run time.
    students_set = project["dependencies"] + extras["student"] + extras["granger"]
    names = {re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower() for requirement in students_set}
    assert set(binder_pins()) == names


def test_readme_badge_opens_the_exercises_in_jupyterlab():
    readme = (REPOSITORY / "README.md").read_text()
    badges = BADGE.findall(readme)
    assert badges, "the README has no Binder badge"
    assert len({repository for repository, _ in badges}) == 1  # one repository
    for tutorial in TUTORIALS:  # each notebook's badges, in the README
        for platform, address in launch_links(f"exercises/{tutorial.notebook_file}").items():
            assert f"({address})" in readme, f"the README has no {platform} link to {tutorial.id}"
    notebooks = {f"lab/tree/exercises/{tutorial.notebook_file}" for tutorial in TUTORIALS}
    for _, urlpath in badges:
        assert urlpath in notebooks
        assert (REPOSITORY / urlpath.removeprefix("lab/tree/")).is_file()
    runtime = (REPOSITORY / "binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
