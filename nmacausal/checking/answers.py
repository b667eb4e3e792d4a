"""What a function exercise's answer returns, and how its returns are read and compared.

A function exercise declares the kind of value it returns: an
:class:`ArrayAnswer` (a NumPy array of one shape per case), a
:class:`NumberAnswer` (one real number), or a :class:`TupleAnswer` of those
(``corr, R, coarse_A = get_coarse_corr(...)``). The checker asks the kind to:

- ``read(value)``: the value in a comparable form, or ``None`` when it is not
  of this kind at all;
- ``problem(read, expected)``: why a read value cannot be the answer to a case
  whose right answer has the shape ``expected`` (``"shape"``, ``"not_finite"``),
  or ``None``;
- ``close(first, second)``: whether two read values are the same answer up to
  rounding (``A @ x`` and ``A.dot(x)`` may differ in the last bit);
- ``describe(...)``: what was expected and what came instead, for a student.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .._validation import _describe

__all__ = ["ArrayAnswer", "NumberAnswer", "TupleAnswer", "as_numeric_array", "close_enough"]

# Relative and absolute tolerance of "the same answer computed in another order".
_RTOL, _ATOL = 1e-9, 1e-12


def as_numeric_array(value):
    """``value`` if it is a NumPy array of real numbers, else ``None`` (lists included)."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    return None


def close_enough(first, second) -> bool:
    """Two arrays equal up to rounding (same shape, values within 1e-9 relative)."""
    return first.shape == second.shape and np.allclose(first, second, rtol=_RTOL, atol=_ATOL)


@dataclass(frozen=True)
class ArrayAnswer:
    """A NumPy array of real numbers, of a shape that depends on the case.

    Parameters
    ----------
    meaning : str
        The shape in words, ``"(n_neurons,)"``, for messages.
    leading_singleton : bool, default=False
        Also take the array with one more axis of length 1 in front, of shape
        ``(1, *shape)``, as the same answer (it is read without that axis).
        For answers that are one row of numbers however they are held: a
        student who keeps the tutorial's 2-D target may well hand back its
        coefficients as a row, ``coef_.reshape(1, -1)``, or one row of a
        multi-target fit's ``coef_``, which is the same estimate.
    """

    meaning: str
    leading_singleton: bool = False

    def read(self, value):
        array = as_numeric_array(value)
        singleton = array is not None and array.ndim >= 2 and array.shape[0] == 1
        return array[0] if self.leading_singleton and singleton else array

    def problem(self, read, expected) -> str | None:
        if read is None:
            return "type"
        if read.shape != expected:
            return "shape"
        if not np.all(np.isfinite(read)):
            return "not_finite"
        return None

    def close(self, first, second) -> bool:
        return close_enough(first, second)

    def expected(self, shape) -> str:
        also = f" (or {(1, *shape)})" if self.leading_singleton else ""
        return f"a NumPy array of shape {shape}{also} {self.meaning}"

    def describe(self, kind, value, shape) -> str:
        """What came back instead of a right answer, after "`name` returned"."""
        if kind == "type":
            return f"{_describe(value)}; expected {self.expected(shape)}"
        array = np.asarray(value)
        if kind == "shape":
            return f"an array of shape {array.shape}; expected {self.expected(shape)}"
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        return f"an array with {bad} NaN or infinite value(s) out of {array.size}"


@dataclass(frozen=True)
class NumberAnswer:
    """One real number: a Python or NumPy float or integer, or a 0-d array.

    Parameters
    ----------
    meaning : str
        What the number is, ``"the correlation of the estimate with the truth"``.
    """

    meaning: str

    def read(self, value):
        if isinstance(value, (bool, np.bool_)):
            return None
        if isinstance(value, numbers.Real):
            return np.asarray(float(value))
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
            return np.asarray(float(value))
        return None

    def problem(self, read, expected) -> str | None:
        if read is None:
            return "type"
        return None if np.isfinite(read) else "not_finite"

    def close(self, first, second) -> bool:
        return close_enough(first, second)

    def expected(self, shape) -> str:
        return f"a single number ({self.meaning})"

    def describe(self, kind, value, shape) -> str:
        if kind == "type":
            return f"{_describe(value)}; expected {self.expected(shape)}"
        return f"{float(value)}; expected {self.expected(shape)}, finite"


@dataclass(frozen=True)
class TupleAnswer:
    """Several values returned together, ``return corr, R, coarse_A``.

    Parameters
    ----------
    parts : tuple of (str, answer kind)
        Each returned value's name and kind, in order. A case's expected
        shape is then the tuple of the parts' expected shapes.
    """

    parts: tuple

    def read(self, value):
        if not isinstance(value, (tuple, list)) or len(value) != len(self.parts):
            return None
        read = tuple(kind.read(part) for (_, kind), part in zip(self.parts, value, strict=True))
        return None if any(part is None for part in read) else read

    def problem(self, read, expected) -> str | None:
        if read is None:
            return "type"
        for (_, kind), part, shape in zip(self.parts, read, expected, strict=True):
            found = kind.problem(part, shape)
            if found is not None:
                return found
        return None

    def close(self, first, second) -> bool:
        return all(
            kind.close(a, b) for (_, kind), a, b in zip(self.parts, first, second, strict=True)
        )

    def expected(self, shape) -> str:
        names = ", ".join(name for name, _ in self.parts)
        return f"the {len(self.parts)} values ({names})"

    def describe(self, kind, value, shape) -> str:
        if not isinstance(value, (tuple, list)) or len(value) != len(self.parts):
            return f"{_describe(value)}; expected {self.expected(shape)}"
        for (name, part_kind), part, part_shape in zip(self.parts, value, shape, strict=True):
            read = part_kind.read(part)
            found = part_kind.problem(read, part_shape)
            if found is not None:
                what = part_kind.describe(found, part, part_shape)
                return f"`{name}` as {what}"
        return f"{_describe(value)}; expected {self.expected(shape)}"
