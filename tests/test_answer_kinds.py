"""The kinds of value a function exercise returns (``nmacausal.checking.answers``)."""

import numpy as np
import pytest

from nmacausal.checking.answers import ArrayAnswer

ROW_TOO = ArrayAnswer("(n_neurons,)", leading_singleton=True)
PLAIN = ArrayAnswer("(n_neurons,)")


@pytest.mark.parametrize(
    ("value", "read_shape"),
    [
        (np.arange(3.0), (3,)),
        (np.arange(3.0).reshape(1, 3), (3,)),  # scikit-learn's coef_ of a 2-D target
        (np.arange(3.0).reshape(3, 1), (3, 1)),  # a column is not the same answer
        (np.arange(3.0).reshape(1, 1, 3), (1, 3)),  # one leading axis only
        (np.zeros((1, 1)), (1,)),
    ],
)
def test_a_leading_singleton_axis_is_read_away_when_allowed(value, read_shape):
    read = ROW_TOO.read(value)
    assert read.shape == read_shape
    assert np.array_equal(read.ravel(), value.ravel())


def test_otherwise_a_leading_singleton_axis_is_a_wrong_shape():
    row = np.arange(3.0).reshape(1, 3)
    assert PLAIN.read(row).shape == (1, 3)
    assert PLAIN.problem(PLAIN.read(row), (3,)) == "shape"
    assert ROW_TOO.problem(ROW_TOO.read(row), (3,)) is None
    assert ROW_TOO.close(ROW_TOO.read(row), np.arange(3.0))


def test_the_expected_shape_names_both_when_allowed():
    assert ROW_TOO.expected((50,)) == "a NumPy array of shape (50,) (or (1, 50)) (n_neurons,)"
    assert PLAIN.expected((50,)) == "a NumPy array of shape (50,) (n_neurons,)"
    message = ROW_TOO.describe("shape", np.zeros((50, 1)), (50,))
    assert message.startswith("an array of shape (50, 1); expected a NumPy array of shape (50,)")


@pytest.mark.parametrize("value", [[1.0, 2.0], "V", None, np.array(["a"])])
def test_what_is_not_an_array_of_numbers_is_not_read(value):
    assert ROW_TOO.read(value) is None
    assert ROW_TOO.problem(None, (2,)) == "type"
