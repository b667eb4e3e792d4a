"""What every explorer's tests check the same way: the figure it shows, and what it leaves alone.

Used by tests/test_widgets.py (Tutorial 1), tests/test_correlation_widgets.py
(Tutorial 2), tests/test_regression_widgets.py (Tutorial 3) and
tests/test_instrumental_widgets.py (Tutorial 4) and tests/test_methods_widgets.py
(the day's summary).
"""

import base64
import contextlib
import io
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image


def shown_png(explorer):
    """The PNG bytes the explorer's Output widget displays."""
    (output,) = explorer.figure_output.outputs
    return base64.b64decode(output["data"]["image/png"])


def pixels(png):
    """The RGB pixels of a figure's PNG, which must be opaque (it may carry an alpha of 255)."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert (image[..., 3] == 255).all(), "the figure's PNG is not opaque"
    return image[..., :3]


def assert_saved_figure_is_the_shown_one(explorer, folder):
    """Saving the explorer's figure draws every panel: the dynamic artists are left out of
    the saved background only while it is drawn, so a saved file shows what the widget does."""
    path = folder / "figure.png"
    explorer.figure.savefig(path, dpi=explorer.figure.dpi)
    saved = np.asarray(Image.open(path).convert("RGB"))
    np.testing.assert_array_equal(saved, pixels(shown_png(explorer)))


@contextlib.contextmanager
def leaves_global_random_state():
    """Assert that the block (build explorers, move their controls) leaves NumPy's global stream."""
    np.random.seed(2024)
    before = np.random.get_state()
    yield
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@contextlib.contextmanager
def creates_no_pyplot_figure():
    """Assert that the block adds no figure to pyplot's."""
    figures_before = plt.get_fignums()
    yield
    assert plt.get_fignums() == figures_before


def assert_runs_silently_in_a_fresh_process(code):
    """``code`` (imports, then its own asserts) succeeds in a new Python with nothing on stderr."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": ""}, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def assert_displays_as_its_widget(explorer):
    view = explorer._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id
