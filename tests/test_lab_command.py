"""The README's main command, ``make lab``, serves the exercise notebook.

A newcomer types ``make lab`` and expects JupyterLab on the exercise notebook. Here
it runs headless: the address, the token and "no browser" come from a private
Jupyter configuration directory, so the Makefile's command runs exactly as written.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from jupyter_servers import JupyterServer, jupyterlab_server

REPO_ROOT = Path(__file__).resolve().parent.parent
EXERCISE_NOTEBOOK = Path("exercises/W3D5_Tutorial1.ipynb")
LAB_TREE = "/lab/tree/"


def test_make_lab_serves_the_exercise_notebook(tmp_path):
    venv = Path(sys.prefix)
    make_lab = [
        "make",
        "--no-print-directory",
        "-C",
        str(REPO_ROOT),
        "lab",
        # The environment running these tests; setting one up (pip, network, minutes)
        # is the job of the fresh-environment test, not of this one.
        f"VENV={venv}",
        f"--old-file={venv / '.installed'}",
    ]
    with jupyterlab_server(root_dir=REPO_ROOT, state_dir=tmp_path, command=make_lab) as server:
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
