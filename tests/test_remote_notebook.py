"""The sandbox the grader re-checks suspicious notebooks in."""

import time

import pytest

from nmacausal.checks import check_simulate_neurons
from nmacausal.grading.remote_notebook import RemoteNotebook, RemoteNotebookError

CELLS = [
    "import numpy as np\nprint('a student printing')",
    "%config InlineBackend.figure_format = 'png'",  # magics run as in a notebook
    "threshold = 3\ndef double(values):\n    return np.asarray(values) * 2",
    "def stub():\n    raise NotImplementedError('write me')",
    "def spin():\n    while True:\n        pass",
    "import os\ndef crash():\n    os._exit(3)",
    "1 / 0",  # a failing cell does not stop the ones after it
    "after_the_error = True\nunpicklable = lambda: None",
]


@pytest.fixture
def sandbox():
    with RemoteNotebook(CELLS, timeout=20) as running:
        running.timeout = 2
        yield running


def test_values_and_calls_come_back(sandbox):
    assert sandbox.value("threshold") == 3
    assert sandbox.value("after_the_error") is True
    assert sandbox.function("double")([1, 2]).tolist() == [2, 4]


def test_builtin_exceptions_keep_their_type(sandbox):
    with pytest.raises(NotImplementedError, match="write me"):
        sandbox.function("stub")()
    with pytest.raises(NameError, match="missing"):
        sandbox.function("missing")()
    with pytest.raises(KeyError):
        sandbox.value("missing")


def test_unpicklable_value_is_an_error_not_a_crash(sandbox):
    with pytest.raises(RuntimeError, match="PicklingError"):
        sandbox.value("unpicklable")
    assert sandbox.value("threshold") == 3


def test_a_hanging_call_is_stopped(sandbox):
    started = time.perf_counter()
    with pytest.raises(TimeoutError, match="spin"):
        sandbox.function("spin")()
    assert time.perf_counter() - started < 10
    with pytest.raises(RemoteNotebookError, match="stopped"):
        sandbox.value("threshold")


def test_a_crashing_call_is_reported(sandbox):
    with pytest.raises(RemoteNotebookError, match="exited"):
        sandbox.function("crash")()


def test_cells_that_never_finish_are_stopped():
    with pytest.raises(TimeoutError, match="running the notebook's cells"):
        RemoteNotebook(["while True:\n    pass"], timeout=1)


def test_tampering_inside_the_sandbox_does_not_reach_the_checker():
    student = [
        "import numpy as np\nimport nmacausal.checks as checks",
        "checks.check_simulate_neurons = lambda function: 'always right'",
        "def simulate_neurons(A, timesteps, random_state=42):\n"
        "    return np.zeros((len(A), timesteps))",
    ]
    with RemoteNotebook(student, timeout=30) as sandbox:
        result = check_simulate_neurons(sandbox.function("simulate_neurons"))
    assert result.status == "incorrect"
