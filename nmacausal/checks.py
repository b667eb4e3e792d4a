"""Instant, mistake-aware feedback on the day's exercises.

One checker per exercise, named after its answer (``check_simulate_neurons``,
``check_diff_in_means``, ...); each returns a :class:`CheckResult` that shows
as a coloured verdict in Jupyter and as text in a terminal::

    check_simulate_neurons(simulate_neurons)

In an nbgrader grade cell, make a wrong answer fail the cell with the same
message (an exception, not a bare ``assert``, which ``python -O`` removes)::

    check_simulate_neurons(simulate_neurons).assert_correct()

:func:`hint` gives progressive hints and :func:`solution` the completed code.
A check is pure: it reads nothing from the notebook, leaves NumPy's global
random state as it found it and writes nothing to stdout or stderr.

The checkers are made here from the exercises the tutorials declare
(:mod:`nmacausal.tutorials`): each exercise is described once, in its
tutorial's module, and a new tutorial's checkers appear here by themselves.
"""

from __future__ import annotations

from ._validation import check_integer
from .checking.results import CheckFailed, CheckResult, Hint, NoSuchHint, Solution, UnknownExercise
from .tutorials import EXERCISES, get_exercise

for _exercise in EXERCISES:
    globals()[_exercise.check_name] = _exercise.checker()
del _exercise

__all__ = [
    "CheckFailed",
    "CheckResult",
    "Hint",
    "NoSuchHint",
    "Solution",
    "UnknownExercise",
    "hint",
    "solution",
    *sorted(exercise.check_name for exercise in EXERCISES),
]


def _exercise(key):
    """The exercise ``key`` names; a one-line :class:`UnknownExercise` listing them if none."""
    try:
        return get_exercise(key)
    except (TypeError, ValueError):
        names = ", ".join(f'"{exercise.answer_name}"' for exercise in EXERCISES)
        raise UnknownExercise(
            f"There is no exercise called {key!r}. Ask for one of {names}."
        ) from None


def hint(exercise, level=None) -> Hint:
    """A hint for an exercise; higher levels say more.

    Parameters
    ----------
    exercise : str or Exercise
        The exercise's id or answer name, for example ``"simulate_neurons"``.
    level : int or None, default=None
        Which hint, from 1; ``None`` means 1.

    Returns
    -------
    Hint
        Shows itself in Jupyter; ``str(hint)`` is plain text.

    Raises
    ------
    UnknownExercise
        If no exercise has that name (a ``ValueError``).
    NoSuchHint
        If ``level`` is not a whole number from 1 to the number of hints
        (a ``ValueError``). In Jupyter both show as one line, without a traceback.

    Examples
    --------
    >>> hint("diff_in_means", level=2).level
    2
    """
    found = _exercise(exercise)
    n_levels = len(found.hints)
    if level is None:
        level = 1
    try:
        level = check_integer(level, "level", minimum=1, maximum=n_levels)
    except (TypeError, ValueError):
        levels = ", ".join(str(number) for number in range(1, n_levels + 1))
        raise NoSuchHint(
            f"`{found.answer_name}` has hints at levels {levels}; got level={level!r}."
        ) from None
    return Hint(found.id, found.answer_name, level, n_levels, found.hints[level - 1])


def solution(exercise) -> Solution:
    """The completed code of an exercise, as it fits the tutorial's scaffold.

    Parameters
    ----------
    exercise : str or Exercise
        The exercise's id or answer name.

    Returns
    -------
    Solution
        Shows itself in Jupyter; ``.code`` is the code.

    Raises
    ------
    UnknownExercise
        If no exercise has that name (a ``ValueError``; one line in Jupyter).

    Examples
    --------
    >>> "np.mean" in solution("diff_in_means").code
    True
    """
    found = _exercise(exercise)
    return Solution(found.id, found.answer_name, found.solution)
