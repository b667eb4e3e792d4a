"""A stand-in for Binder: an environment built only from ``binder/``, as repo2docker builds it.

repo2docker copies the repository, installs ``binder/requirements.txt`` with
pip and runs ``binder/postBuild``. The test does the same in a fresh virtual
environment, then executes both notebooks in a kernel of that environment.
"""

import json
import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
BADGE = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/HEAD\?urlpath=([\w%./-]+)")

RUN_NOTEBOOK = """
import json, sys
import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
NotebookClient(notebook, timeout=300, allow_errors=True, kernel_name="python3").execute()
errors = [
    output["ename"]
    for cell in notebook.cells if cell.cell_type == "code"
    for output in cell.outputs if output["output_type"] == "error"
]
print(json.dumps({"prefix": notebook.cells[0].outputs[0]["text"].strip(), "errors": errors}))
"""


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    return [name for name in listed.stdout.split("\0") if name]


@pytest.fixture(scope="module")
def binder_environment(tmp_path_factory):
    """The repository as repo2docker sees it, and an environment built from binder/ only."""
    root = tmp_path_factory.mktemp("binder")
    checkout = root / "repo"
    for name in tracked_files():
        if (REPOSITORY / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPOSITORY / name, checkout / name)
    environment = root / "env"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR"):
        env.pop(name, None)
    env["JUPYTER_DATA_DIR"] = str(root / "jupyter-data")  # no kernels registered elsewhere
    env["MPLCONFIGDIR"] = str(root / "matplotlib-config")  # Binder's own font cache
    pip = [
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=checkout, env=env, check=True)
    subprocess.run(["bash", "binder/postBuild"], cwd=checkout, env=env, check=True)
    return checkout, environment, env


def run_notebook(binder_environment, notebook):
    checkout, environment, env = binder_environment
    completed = subprocess.run(
        [str(environment / "bin" / "python"), "-c", RUN_NOTEBOOK, str(checkout / notebook)],
        cwd=checkout / Path(notebook).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert Path(result["prefix"]).resolve() == environment.resolve()  # the Binder kernel ran it
    return result["errors"]


def test_exercises_run_with_only_the_stubs_unfinished(binder_environment):
    errors = run_notebook(binder_environment, "exercises/W3D5_Tutorial1.ipynb")
    # The stubs raise, and so do the grade checks (visible for Validate) that find them.
    assert errors.count("NotImplementedError") == errors.count("CheckFailed") == 3
    assert set(errors) == {"NotImplementedError", "CheckFailed"}


def test_solutions_run_cleanly(binder_environment):
    assert run_notebook(binder_environment, "solutions/W3D5_Tutorial1.ipynb") == []


def test_binder_installs_nothing_beyond_its_pins(binder_environment):
    _, environment, env = binder_environment
    listed = subprocess.run(
        [str(environment / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {item["name"].lower(): item["version"] for item in json.loads(listed.stdout)}
    for line in (REPOSITORY / "binder" / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            assert installed[name.lower()] == version
    assert "nmacausal" in installed


def test_readme_badge_opens_the_exercises_in_jupyterlab():
    readme = (REPOSITORY / "README.md").read_text()
    badges = BADGE.findall(readme)
    assert badges, "the README has no Binder badge"
    assert len({repository for repository, _ in badges}) == 1  # one repository, one place
    for _, urlpath in badges:
        assert urlpath == "lab/tree/exercises/W3D5_Tutorial1.ipynb"
        assert (REPOSITORY / urlpath.removeprefix("lab/tree/")).is_file()
    runtime = (REPOSITORY / "binder" / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
