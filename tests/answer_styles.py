"""A style: one way a student may write an exercise correctly, as a function of choices.

Each tutorial's answers module (``answers_tutorial<N>.py``) declares its
exercises' styles, default choices and catalogued mistakes with :class:`Style`;
:mod:`student_answers` merges them for the whole day.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """One correct way of writing an exercise.

    Attributes
    ----------
    name : str
        Short id, used in test ids.
    render : callable
        ``render(choices) -> source``: the student's cell for those choices.
    matches_tutorial : bool
        Whether the correct answer reproduces the tutorial's numbers exactly.
    cannot_make : dict
        Mistake id -> why the mistake cannot be written in this style.
    """

    name: str
    render: Callable[[dict], str]
    matches_tutorial: bool = True
    cannot_make: dict = field(default_factory=dict)

    def source(self, exercise_id, mistake=None, example=0) -> str:
        """The cell's source: correct, or with ``mistake`` (its ``example``-th way)."""
        from student_answers import DEFAULTS, MISTAKES  # the day's tables, merged

        choices = dict(DEFAULTS[exercise_id])
        if mistake is not None:
            choices.update(MISTAKES[(exercise_id, mistake)][example])
        return textwrap.dedent(self.render(choices))
