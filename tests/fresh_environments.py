"""Fresh virtual environments, as a new user's machine has them, for the install tests.

An environment here sees nothing of the test session: not its packages, not its
Jupyter kernels or settings, not its matplotlib cache. Packages come from the
package index (or pip's cache), as they do for a user.
"""

from __future__ import annotations

import json
import os
import subprocess
import venv
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PIP_TIMEOUT = 900  # seconds: JupyterLab and nbgrader from an empty cache on a slow link

# Runs a notebook in the environment's own kernel, keeping every output, and prints
# (as the last line) the kernel's sys.prefix, each error's name and each cell's text.
RUN_NOTEBOOK = """
import json, sys
import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys; print(sys.prefix)"))
NotebookClient(notebook, timeout=600, allow_errors=True, kernel_name="python3").execute()
errors = [
    output["ename"]
    for cell in notebook.cells if cell.cell_type == "code"
    for output in cell.outputs if output["output_type"] == "error"
]
texts = [
    "".join(
        output.get("text", "") + output.get("evalue", "")
        for output in cell.outputs
    )
    for cell in notebook.cells[1:] if cell.cell_type == "code"
]
prefix = notebook.cells[0].outputs[0]["text"].strip()
print(json.dumps({"prefix": prefix, "errors": errors, "texts": texts}))
"""


def source_files() -> list[str]:
    """The repository's files as a clean checkout of the working tree would have them
    (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listed.stdout.split("\0") if name and (REPOSITORY / name).is_file()]


def copy_source(destination: Path) -> Path:
    """A copy of the repository's files in ``destination`` (no .venv, no build output)."""
    for name in source_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPOSITORY / name).read_bytes())
    return destination


@dataclass(frozen=True)
class FreshEnvironment:
    """A new virtual environment in ``root / "env"`` with private state beside it."""

    root: Path

    @classmethod
    def create(cls, root: Path) -> FreshEnvironment:
        environment = cls(root)
        venv.create(environment.prefix, with_pip=True)
        return environment

    @property
    def prefix(self) -> Path:
        return self.root / "env"

    @property
    def bin(self) -> Path:
        return self.prefix / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def variables(self, **extra: str) -> dict[str, str]:
        """The process environment a user of this environment would have."""
        env = {**os.environ, "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}"}
        for name in ("PYTHONPATH", "MPLBACKEND", "JUPYTER_PATH"):
            env.pop(name, None)
        env["JUPYTER_CONFIG_DIR"] = str(self.root / "jupyter-config")
        env["JUPYTER_DATA_DIR"] = str(self.root / "jupyter-data")  # no kernels from elsewhere
        env["MPLCONFIGDIR"] = str(self.root / "matplotlib-config")  # its own font cache
        env["VIRTUAL_ENV"] = str(self.prefix)
        return {**env, **extra}

    def run(self, args, *, cwd, timeout=PIP_TIMEOUT, check=True, **extra_env):
        """Run a command of this environment; a failure shows its output."""
        completed = subprocess.run(
            [str(arg) for arg in args],
            cwd=cwd,
            env=self.variables(**extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert completed.returncode == 0, (
                f"{' '.join(map(str, args))} exited with {completed.returncode}:\n"
                f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
            )
        return completed

    def pip_install(self, *requirements, cwd) -> None:
        self.run([self.python, "-m", "pip", "install", "--quiet", *requirements], cwd=cwd)

    def installed(self) -> dict[str, str]:
        """Installed distributions, by lower-case name, with their versions."""
        listed = self.run([self.python, "-m", "pip", "list", "--format=json"], cwd=self.root)
        return {item["name"].lower(): item["version"] for item in json.loads(listed.stdout)}

    def size_in_bytes(self) -> int:
        return sum(path.lstat().st_size for path in self.prefix.rglob("*") if path.is_file())

    def run_notebook(self, notebook: Path, **extra_env) -> dict:
        """Execute ``notebook`` in this environment's kernel, in the notebook's folder.

        Returns ``{"errors": [error names], "texts": [each code cell's printed text]}``.
        """
        completed = self.run(
            [self.python, "-c", RUN_NOTEBOOK, notebook], cwd=notebook.parent, **extra_env
        )
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        # The kernel was this environment's, not one registered elsewhere.
        assert Path(result.pop("prefix")).resolve() == self.prefix.resolve()
        return result
