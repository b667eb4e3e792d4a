"""What the two-stage least squares exercises share: the smoking data and plain least squares.

The tutorial's data (Section 1.1, the model's
:func:`~nmacausal.model.instrumental.generate_smoking_data`): the instrument Z
(tobacco taxes), the treatment T (cigarettes a day), the confounder C (wealth)
drawn jointly normal with means (0, 5, 2), and the outcome ``Y = 3000 + C - 2 T``
(birth weight), each a column of shape (n, 1). The tutorial draws 2000 rows
after ``np.random.seed(42)``; the checkers draw their cases the same way with
other seeds and sizes, inside
:func:`~nmacausal.model.simulation.isolated_random_state` (the notebook's
global stream is left as it was).

The least squares here (closed form, one regressor) are the checkers' own
arithmetic, for recognising what a student's function computed; the
reference answers come from the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...model import instrumental
from ...model.simulation import isolated_random_state

TUTORIAL_SIZE, TUTORIAL_SEED = 2000, 42
TRUE_EFFECT = float(instrumental.SMOKING_EFFECT)

# The samples the verdicts are decided on, by name: (number of mothers, seed). Small ones
# first: a function that fails, fails fast. All are the tutorial's data-generating process.
SAMPLES = {
    "few": (30, 3),
    "small": (200, 7),
    "medium": (700, 11),
    "tutorial": (TUTORIAL_SIZE, TUTORIAL_SEED),
}


@dataclass(frozen=True)
class Smoking:
    """One sample of the tutorial's smoking data: columns of shape (n, 1)."""

    Z: np.ndarray
    T: np.ndarray
    C: np.ndarray
    Y: np.ndarray

    @property
    def size(self) -> int:
        return len(self.T)


def smoking_data(n, seed) -> Smoking:
    """The tutorial's Section 1.1 data, ``n`` rows drawn after ``np.random.seed(seed)``."""
    with isolated_random_state():
        Z, T, C, Y = instrumental.generate_smoking_data(random_state=seed, n_samples=n)
    return Smoking(Z, T, C, Y)


@dataclass(frozen=True)
class Line:
    """``y = intercept + slope * x``, fitted by least squares."""

    slope: float
    intercept: float

    def at(self, x):
        return self.intercept + self.slope * x


def fit_line(x, y, *, intercept=True) -> Line:
    """Least squares of ``y`` on ``x`` (both of n values), with or without an intercept."""
    x, y = np.ravel(x), np.ravel(y)
    if not intercept:
        return Line(float(x @ y / (x @ x)), 0.0)
    dx, dy = x - x.mean(), y - y.mean()
    slope = float(dx @ dy / (dx @ dx))
    return Line(slope, float(y.mean() - slope * x.mean()))


def same_numbers(got, expected, scale) -> bool:
    """``got`` and ``expected`` equal to within a millionth of ``scale`` (see the modules'
    docstrings: any double-precision least squares agrees far closer than that)."""
    got = np.asarray(got, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if got.size != expected.size or not np.all(np.isfinite(got)):
        return False
    return bool(np.max(np.abs(got.ravel() - expected.ravel()), initial=0.0) <= 1e-6 * scale)
