"""NumPy's global random stream in the model's tests: its state, and a refusal that leaves it.

Used by tests/test_simulation.py, tests/test_correlation.py, tests/test_regression.py
and tests/test_instrumental.py.
"""

import numpy as np
import pytest


def global_state():
    """The global stream's state, comparable with ``==``."""
    name, keys, position, has_gauss, cached_gaussian = np.random.get_state()
    return name, keys.tolist(), position, has_gauss, cached_gaussian


def assert_refused_before_drawing(call, error, message):
    """``call()`` raises ``error`` matching ``message`` and leaves the global stream as it was."""
    np.random.seed(0)
    before = global_state()
    with pytest.raises(error, match=message):
        call()
    assert global_state() == before
