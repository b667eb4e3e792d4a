import os
import sys
from pathlib import Path

import pytest

# Figures are drawn off screen in the tests; set before pyplot is imported anywhere.
os.environ.setdefault("MPLBACKEND", "Agg")

# Matplotlib's font cache lives per user by default, shared by every environment on the
# machine; one built while another environment's fonts were missing makes matplotlib
# warn on stderr ("findfont: ... not found"), which a notebook test rightly counts as a
# failure. The tests and every kernel they start use a cache of this environment's own,
# built here once, so no kernel prints "building the font cache" either.
os.environ.setdefault("MPLCONFIGDIR", str(Path(sys.prefix) / "matplotlib-config"))
import matplotlib.font_manager  # noqa: E402, F401


# The figure tests' fixtures (tests/test_plotting.py, tests/test_correlation_figures.py).
@pytest.fixture
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def ax():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return FigureCanvasAgg(Figure()).figure.add_subplot()


@pytest.fixture
def show_calls(monkeypatch):
    """Every ``plt.show()`` call's arguments, instead of showing."""
    import matplotlib.pyplot as plt

    calls = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: calls.append(args))
    return calls
