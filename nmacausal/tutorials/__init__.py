"""The day's tutorials: each one is a module (or package) here that declares
``TUTORIAL = Tutorial(number, title, exercises)``.

The modules are found, not listed: adding a tutorial is adding its module
(with its solutions notebook and its tests). Everything else, the checkers
students call, the notebooks' derived cells, nbgrader's assignments and the
grading report, is derived from :data:`TUTORIALS`.
"""

from __future__ import annotations

import importlib
import pkgutil

from .._validation import _describe
from ..checking.kinds import Exercise
from .tutorial import DAY, Tutorial

__all__ = [
    "DAY",
    "EXERCISES",
    "TUTORIALS",
    "Tutorial",
    "get_exercise",
    "get_tutorial",
    "tutorial_of",
]


def _discover() -> tuple[Tutorial, ...]:
    found = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        declared = getattr(module, "TUTORIAL", None)
        if isinstance(declared, Tutorial):
            found.append(declared)
    found.sort(key=lambda tutorial: tutorial.number)
    numbers = [tutorial.number for tutorial in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two tutorial modules declare the same number: {numbers}")
    return tuple(found)


TUTORIALS = _discover()
#: Every graded exercise of the day, in the order of the day.
EXERCISES = tuple(exercise for tutorial in TUTORIALS for exercise in tutorial.exercises)


def get_tutorial(key) -> Tutorial:
    """Look a tutorial up by its number or its id.

    Parameters
    ----------
    key : int, str or Tutorial
        ``1``, ``"1"`` or ``"W3D5_Tutorial1"``. A :class:`Tutorial` is
        returned unchanged.

    Returns
    -------
    Tutorial

    Raises
    ------
    ValueError
        If no tutorial of the day has that number or id.

    Examples
    --------
    >>> get_tutorial("W3D5_Tutorial1").title
    'Interventions'
    """
    if isinstance(key, Tutorial):
        return key
    for tutorial in TUTORIALS:
        if key in (tutorial.number, str(tutorial.number), tutorial.id):
            return tutorial
    known = ", ".join(f"{tutorial.number} ({tutorial.id})" for tutorial in TUTORIALS)
    raise ValueError(f"There is no tutorial {key!r}; the day has {known}.")


def tutorial_of(exercise) -> Tutorial:
    """The tutorial an exercise belongs to."""
    exercise = get_exercise(exercise)
    return next(tutorial for tutorial in TUTORIALS if exercise in tutorial.exercises)


def get_exercise(key) -> Exercise:
    """Look an exercise up by its id or by the name of its answer.

    Parameters
    ----------
    key : str or Exercise
        ``"rct_diff_in_means"`` or ``"diff_in_means"``, for example. An
        :class:`Exercise` is returned unchanged.

    Returns
    -------
    Exercise

    Raises
    ------
    TypeError
        If ``key`` is not a string.
    ValueError
        If no exercise has that id or answer name.

    Examples
    --------
    >>> get_exercise("simulate_neurons").section
    '2'
    """
    if isinstance(key, Exercise):
        return key
    if not isinstance(key, str):
        raise TypeError(
            f"`key` must be an exercise id or answer name (a str), got {_describe(key)}."
        )
    for exercise in EXERCISES:
        if key in (exercise.id, exercise.answer_name):
            return exercise
    known = ", ".join(f"{exercise.id!r} ({exercise.answer_name!r})" for exercise in EXERCISES)
    raise ValueError(f"`key` must be one of the exercises {known}, got {key!r}.")
