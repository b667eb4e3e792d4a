"""The explorers used as a student uses them: in a real browser.

JupyterLab (and Voila) run on 127.0.0.1 and Playwright drives Debian's Chromium
(``scripts/ensure-test-tools`` installs it; no browser is ever downloaded). Every
request that is not to 127.0.0.1 is aborted. These tests fail, never skip, when the
browser or a server cannot start: a missing browser must not pass for a working
explorer. Screenshots land in ``test-artifacts/browser/`` at the repository root.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
from chromium import chromium_page, evidence_on_failure, save_screenshot
from jupyter_servers import JupyterServer, jupyterlab_server, voila_server
from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parent.parent

EXPLORER_SOURCE = """\
from nmacausal.widgets import DynamicsExplorer

DynamicsExplorer(n_neurons=6, timesteps=60, perturb_every=2, seed=42)
"""

# Starting a kernel, importing matplotlib and drawing the first figure can take a
# while on a loaded CI runner; one step afterwards should be quick.
KERNEL_READY_MS = 45_000
EXPLORER_SHOWN_MS = 45_000
STEP_UPDATE_MS = 10_000

STEP_PATTERN = re.compile(r"\bstep (\d+)\b")


def test_explorer_steps_in_jupyterlab(tmp_path):
    notebook = write_explorer_notebook(tmp_path / "notebooks")
    with notebook_run_in_jupyterlab(notebook, tmp_path, "jupyterlab-explorer") as page:
        explorer = ExplorerOnPage(page)
        first_step = explorer.shown_step()

        explorer.click_step_forward()
        explorer.expect_step(first_step + 1)

        explorer.press_arrow_on_slider("ArrowRight")
        explorer.expect_step(first_step + 2)

        save_screenshot(page, "jupyterlab-explorer")


def test_explorer_steps_in_voila(tmp_path):
    notebook = write_explorer_notebook(tmp_path / "notebooks")
    with (
        voila_server(notebook, state_dir=tmp_path / "voila") as server,
        chromium_page() as page,
        evidence_on_failure(page, server, "voila-explorer"),
    ):
        page.goto(server.url(), wait_until="domcontentloaded")

        explorer = ExplorerOnPage(page)
        first_step = explorer.shown_step()

        explorer.click_step_forward()
        explorer.expect_step(first_step + 1)

        save_screenshot(page, "voila-explorer")


# Tutorial 2's interactive demos, as its notebook shows them.
CORRELATION_DEMO_SOURCES = (
    "from nmacausal.widgets import NetworkSizeExplorer, SparsityExplorer",
    "NetworkSizeExplorer(n_neurons=6, timesteps=2000, random_state=42)",
    "SparsityExplorer(p=0.9, n_neurons=25, timesteps=2000, random_state=42)",
)


def test_correlation_demos_redraw_when_their_slider_moves(tmp_path):
    notebook = write_notebook(tmp_path / "notebooks", "demos.ipynb", CORRELATION_DEMO_SOURCES)
    with notebook_run_in_jupyterlab(notebook, tmp_path, "jupyterlab-correlation-demos") as page:
        figures = page.locator(".nmacausal-correlation-figure img")
        handles = page.locator(".nmacausal-correlation-slider .noUi-handle")
        expect(figures).to_have_count(2, timeout=EXPLORER_SHOWN_MS)
        expect(handles).to_have_count(2, timeout=EXPLORER_SHOWN_MS)
        for demo in range(2):
            image = figures.nth(demo)
            expect(image).to_be_visible(timeout=EXPLORER_SHOWN_MS)
            before = image.get_attribute("src")
            handles.nth(demo).focus()
            page.keyboard.press("ArrowRight")
            expect(image).not_to_have_attribute("src", before, timeout=STEP_UPDATE_MS)
        save_screenshot(page, "jupyterlab-correlation-demos")


# Tutorial 3's interactive demo, as its notebook shows it (cell "observed-demo").
OBSERVED_DEMO_SOURCES = (
    "from nmacausal.widgets import ObservedNeuronsExplorer",
    "ObservedNeuronsExplorer()",
)


def test_observed_neurons_demo_redraws_when_its_slider_moves(tmp_path):
    notebook = write_notebook(tmp_path / "notebooks", "observed.ipynb", OBSERVED_DEMO_SOURCES)
    with notebook_run_in_jupyterlab(notebook, tmp_path, "jupyterlab-observed-demo") as page:
        assert_demo_redraws_as_its_slider_moves(page, "regression", ("5", "10", "15"))
        save_screenshot(page, "jupyterlab-observed-demo")


# Tutorial 4's interactive demo, as its notebook shows it (cell "iv-demo").
IV_DEMO_SOURCES = (
    "from nmacausal.widgets import IVObservedNeuronsExplorer",
    "IVObservedNeuronsExplorer()",
)


def test_iv_demo_redraws_when_its_slider_moves(tmp_path):
    notebook = write_notebook(tmp_path / "notebooks", "iv.ipynb", IV_DEMO_SOURCES)
    with notebook_run_in_jupyterlab(notebook, tmp_path, "jupyterlab-iv-demo") as page:
        assert_demo_redraws_as_its_slider_moves(page, "instrumental", ("0.2", "0.4", "0.6"))
        save_screenshot(page, "jupyterlab-iv-demo")


# The day's summary explorer, as Tutorial 4's notebook shows it (cell "methods-demo"), on a
# smaller network: the observed fraction's slider, moved with the keyboard.
METHODS_DEMO_SOURCES = (
    "from nmacausal.widgets import MethodsExplorer",
    "MethodsExplorer(n_neurons=20, timesteps=2000)",
)


def test_methods_explorer_redraws_when_a_control_moves(tmp_path):
    notebook = write_notebook(tmp_path / "notebooks", "methods.ipynb", METHODS_DEMO_SOURCES)
    with notebook_run_in_jupyterlab(notebook, tmp_path, "jupyterlab-methods-explorer") as page:
        assert_demo_redraws_as_its_slider_moves(
            page, "methods", ("50%", "60%", "70%"), slider="observed-fraction"
        )
        expect(page.locator(".nmacausal-methods-status")).to_contain_text(
            "14 of 20 neurons observed"
        )
        save_screenshot(page, "jupyterlab-methods-explorer")


def assert_demo_redraws_as_its_slider_moves(
    page: Page, css_name: str, readouts, slider: str = "slider"
) -> None:
    """The demo in the notebook's second cell shows ``readouts[0]``; each press of the right
    arrow on its slider (CSS class ``nmacausal-<css_name>-<slider>``) moves to the next
    readout and draws a new picture, and the cell shows nothing but the demo (no warning
    text)."""
    image = page.locator(f".nmacausal-{css_name}-figure img")
    slider = page.locator(f".nmacausal-{css_name}-{slider}")
    expect(image).to_be_visible(timeout=EXPLORER_SHOWN_MS)
    expect(slider.locator(".widget-readout")).to_have_text(readouts[0])
    for expected in readouts[1:]:
        before = image.get_attribute("src")
        slider.locator(".noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        expect(slider.locator(".widget-readout")).to_have_text(expected)
        expect(image).not_to_have_attribute("src", before, timeout=STEP_UPDATE_MS)
    output = page.locator(".jp-Cell").nth(1).locator(".jp-OutputArea")
    expect(output.locator(".jp-RenderedText")).to_have_count(0)


@contextlib.contextmanager
def notebook_run_in_jupyterlab(notebook: Path, tmp_path: Path, evidence: str) -> Iterator[Page]:
    """A page of JupyterLab that has run all of ``notebook``'s cells.

    On a failure, here or in the block, a screenshot named after ``evidence`` is
    kept and the end of the server's log shown (:func:`chromium.evidence_on_failure`).
    """
    with (
        jupyterlab_server(root_dir=notebook.parent, state_dir=tmp_path / "lab") as server,
        chromium_page() as page,
        evidence_on_failure(page, server, evidence),
    ):
        open_and_run_all(page, server, notebook)
        yield page


def open_and_run_all(page: Page, server: JupyterServer, notebook: Path) -> None:
    """Open ``notebook`` in JupyterLab once its kernel is idle, and run all its cells."""
    page.goto(server.url(f"lab/tree/{notebook.name}"), wait_until="domcontentloaded")
    # The cell indicator says idle before any kernel exists; the status bar does not.
    expect(page.locator("#jp-main-statusbar")).to_contain_text(
        "Python 3 (ipykernel) | Idle", timeout=KERNEL_READY_MS
    )
    page.locator(".lm-MenuBar-item", has_text="Run").click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()


class ExplorerOnPage:
    """The explorer's controls as the page shows them, found by their CSS classes."""

    def __init__(self, page: Page):
        self.page = page
        self.readout = page.locator(".nmacausal-step-readout")
        self.figure_image = page.locator(".nmacausal-figure img")
        self.slider_handle = page.locator(".nmacausal-time-slider .noUi-handle")
        self.step_forward_button = page.locator(".nmacausal-step-forward")

    def shown_step(self) -> int:
        """Wait until the explorer is drawn; return the step its readout names."""
        expect(self.readout).to_contain_text(STEP_PATTERN, timeout=EXPLORER_SHOWN_MS)
        expect(self.figure_image).to_be_visible(timeout=EXPLORER_SHOWN_MS)
        text = self.readout.inner_text()
        match = STEP_PATTERN.search(text)
        assert match, f"the step readout {text!r} names no step"
        return int(match.group(1))

    def click_step_forward(self) -> None:
        self._change_step(self.step_forward_button.click)

    def press_arrow_on_slider(self, key: str) -> None:
        def press() -> None:
            self.slider_handle.focus()
            self.page.keyboard.press(key)

        self._change_step(press)

    def expect_step(self, step: int) -> None:
        expect(self.readout).to_contain_text(
            re.compile(rf"\bstep {step}\b"), timeout=STEP_UPDATE_MS
        )

    def _change_step(self, action: Callable[[], None]) -> None:
        """Do ``action`` and check the figure is redrawn (a new image) afterwards."""
        image_before = self.figure_image.get_attribute("src")
        assert image_before, "the explorer's figure image has no src"
        action()
        expect(self.figure_image).not_to_have_attribute("src", image_before, timeout=STEP_UPDATE_MS)


def write_explorer_notebook(folder: Path) -> Path:
    """A one-cell notebook displaying the explorer, on the venv's Python kernel."""
    return write_notebook(folder, "explorer.ipynb", [EXPLORER_SOURCE])


def write_notebook(folder: Path, name: str, sources) -> Path:
    """A notebook of code cells ``sources``, on the venv's Python kernel."""
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in sources],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
    )
    path = folder / name
    nbformat.write(notebook, path)
    return path


FEEDBACK_CELLS = (
    # A correct answer in the tutorial's slicing style: correct, with advice beyond its domain.
    "import numpy as np\n"
    "from nmacausal.checks import check_perturbed_connectivity_from_single_neuron, hint\n\n"
    "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):\n"
    "    causes = perturbed_X[selected_neuron, ::2]\n"
    "    outcomes = perturbed_X[:, 1::2]\n"
    "    return outcomes[:, causes == 1].mean(axis=1) - outcomes[:, causes == 0].mean(axis=1)\n\n"
    "check_perturbed_connectivity_from_single_neuron("
    "get_perturbed_connectivity_from_single_neuron)",
    'hint("simulate_neurons", level=2)',
    # A grade check on a wrong answer, as Validate and the grader run it. Run all stops here.
    "from nmacausal.checks import check_diff_in_means\n\n"
    "check_diff_in_means(-0.9907195190159408).assert_correct()",
    'hint("simulate")',
)


def test_feedback_reads_well_in_jupyterlab(tmp_path):
    notebook = write_notebook(tmp_path / "notebooks", "feedback.ipynb", FEEDBACK_CELLS)
    with (
        jupyterlab_server(root_dir=notebook.parent, state_dir=tmp_path / "lab") as server,
        chromium_page() as page,
        evidence_on_failure(page, server, "jupyterlab-feedback"),
    ):
        open_and_run_all(page, server, notebook)
        outputs = page.locator(".jp-Cell-outputWrapper")

        correct = outputs.nth(0)
        expect(correct.locator(".nmacausal-correct")).to_be_visible(timeout=KERNEL_READY_MS)
        expect(correct.locator(".nmacausal-advice")).to_contain_text("Worth knowing")
        expect(correct.locator(".nmacausal-advice")).to_contain_text("61 timesteps")

        hinted = outputs.nth(1)
        expect(hinted.locator(".nmacausal-advice em")).to_have_text("next", timeout=KERNEL_READY_MS)
        expect(hinted).not_to_contain_text("*next*")

        failed = outputs.nth(2)
        expect(failed).to_contain_text("Incorrect: Exercise 1:", timeout=KERNEL_READY_MS)
        expect(failed).to_contain_text("The sign is reversed")
        expect(failed).not_to_contain_text("Traceback")
        expect(failed).not_to_contain_text("checks.py")

        # Run all stopped at the failed check; run the last cell on its own.
        page.locator(".jp-Cell").nth(3).locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        unknown = outputs.nth(3)
        expect(unknown).to_contain_text(
            "UnknownExercise: There is no exercise called 'simulate'.", timeout=KERNEL_READY_MS
        )
        expect(unknown).not_to_contain_text("Traceback")

        save_screenshot(page, "jupyterlab-feedback")
