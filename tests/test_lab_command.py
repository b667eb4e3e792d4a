"""The README's main command, ``make lab``: the students' environment, serving the
exercise notebook.

A newcomer types ``make lab`` and expects JupyterLab on the exercise notebook, in
an environment with the students' set only (``nmacausal[student]``): no
instructors' or developers' tools, and no nbgrader menus in JupyterLab. Here the
Makefile builds that environment in a temporary folder, and JupyterLab runs
headless: the address, the token and "no browser" come from a private Jupyter
configuration directory, so the Makefile's command runs exactly as written.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from chromium import chromium_page, evidence_on_failure, save_screenshot
from jupyter_servers import JupyterServer, jupyterlab_server
from playwright.sync_api import expect

REPO_ROOT = Path(__file__).resolve().parent.parent
EXERCISE_NOTEBOOK = Path("exercises/W3D5_Tutorial1.ipynb")
LAB_TREE = "/lab/tree/"


# What only instructors (nbgrader, tqdm) and developers need.
NOT_FOR_STUDENTS = {
    *("nbgrader", "tqdm"),
    *("pytest", "nbval", "hypothesis", "ruff", "playwright", "voila", "build"),
}
NBGRADER_MENU = "Nbgrader"
JUPYTERLAB_READY_MS = 60_000


@pytest.fixture(scope="module")
def student_venv(tmp_path_factory) -> Path:
    """The students' environment, made by the Makefile's own rule, in a temporary folder."""
    venv = tmp_path_factory.mktemp("student") / ".venv-student"
    installed = venv / ".installed"
    make = ["make", "--no-print-directory", "-C", str(REPO_ROOT), f"STUDENT_VENV={venv}"]
    completed = subprocess.run([*make, str(installed)], capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return venv


def make_lab(venv: Path) -> list[str]:
    return [
        "make",
        "--no-print-directory",
        "-C",
        str(REPO_ROOT),
        "lab",
        f"STUDENT_VENV={venv}",
        f"--old-file={venv / '.installed'}",  # built by the fixture: no second install
    ]


def test_the_students_environment_has_the_students_set_only(student_venv):
    listed = subprocess.run(
        [str(student_venv / "bin" / "python"), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {item["name"].lower() for item in json.loads(listed.stdout)}
    assert {"nmacausal", "jupyterlab", "ipykernel", "numpy", "matplotlib"} <= installed
    assert installed & NOT_FOR_STUDENTS == set()
    extensions = subprocess.run(
        [str(student_venv / "bin" / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        check=True,
    )
    listing = extensions.stdout + extensions.stderr
    assert "@jupyter-widgets/jupyterlab-manager" in listing  # the explorer's widgets work
    assert "nbgrader" not in listing


@pytest.mark.parametrize(
    "environment, shows_nbgrader",
    [("students", False), ("developers", True)],  # the developers' one: the check can fail
)
def test_jupyterlab_shows_nbgrader_only_to_those_who_installed_it(
    environment, shows_nbgrader, student_venv, tmp_path
):
    venv = student_venv if environment == "students" else Path(sys.prefix)
    with (
        jupyterlab_server(root_dir=REPO_ROOT, state_dir=tmp_path, command=make_lab(venv)) as server,
        chromium_page() as page,
        evidence_on_failure(page, server, f"make-lab-{environment}"),
    ):
        page.goto(address_for_browser(server))
        menu_bar = page.locator(".lm-MenuBar-content")
        expect(menu_bar.get_by_text("Kernel", exact=True)).to_be_visible(
            timeout=JUPYTERLAB_READY_MS
        )
        # The notebook itself, as a student first sees it: its badges and first cells.
        expect(
            page.locator(".jp-RenderedMarkdown", has_text="Open the exercises on Binder")
        ).to_be_visible(timeout=JUPYTERLAB_READY_MS)
        save_screenshot(page, f"make-lab-{environment}")
        nbgrader_menu = menu_bar.get_by_text(NBGRADER_MENU, exact=True)
        assert nbgrader_menu.count() == (1 if shows_nbgrader else 0)


def test_make_lab_serves_the_exercise_notebook(student_venv, tmp_path):
    with jupyterlab_server(
        root_dir=REPO_ROOT, state_dir=tmp_path, command=make_lab(student_venv)
    ) as server:
        notebook_page = address_for_browser(server)
        page_status, _ = http_get(notebook_page)
        served_path = urlsplit(notebook_page).path.removeprefix(LAB_TREE)
        contents_status, contents_body = http_get(server.url(f"api/contents/{served_path}"))
        log = server.log_tail()

    assert page_status == 200, f"{notebook_page} answered HTTP {page_status}"
    assert contents_status == 200, f"{served_path} is not served (HTTP {contents_status})"
    served_cells = json.loads(contents_body)["content"]["cells"]
    exercise_cells = nbformat.read(REPO_ROOT / EXERCISE_NOTEBOOK, as_version=4).cells
    assert [cell["source"] for cell in served_cells] == [cell.source for cell in exercise_cells], (
        f"`make lab` opened {served_path}, which is not {EXERCISE_NOTEBOOK}"
    )
    # On a headless machine the printed address is the way in.
    assert f"{server.origin}/lab?token=" in log, f"`make lab` printed no address:\n{log}"


def address_for_browser(server: JupyterServer) -> str:
    """The notebook page JupyterLab would open in a browser, reached on 127.0.0.1.

    Started on a file, the server writes the page it would send a browser to into a
    ``jpserver-file-to-run-<pid>-open.html`` redirect in its runtime directory.
    """
    redirects = sorted(server.runtime_dir.glob("jpserver-file-to-run-*-open.html"))
    assert len(redirects) == 1, (
        f"expected JupyterLab to be started on one file, found redirects {redirects}"
    )
    match = re.search(r'url=([^"]+)"', redirects[0].read_text(encoding="utf-8"))
    assert match, f"no address in {redirects[0]}"
    target = urlsplit(match.group(1))
    assert target.path.startswith(LAB_TREE), f"{target.geturl()} is not a notebook page"
    return f"{server.origin}{target.path}?{target.query}"


def http_get(url: str) -> tuple[int, bytes]:
    """Status and body of a GET, error statuses included, redirects not followed.

    A page that sends the visitor to the login form is not reachable.
    """
    try:
        with _NO_REDIRECTS.open(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)
