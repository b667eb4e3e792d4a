"""What a tutorial module declares: the tutorial's place in the day and its exercises."""

from __future__ import annotations

from dataclasses import dataclass

from ..checking.kinds import Exercise

__all__ = ["DAY", "Tutorial"]

# Neuromatch Academy's week 3, day 5: every notebook and nbgrader assignment of the
# day is named after it ("W3D5_Tutorial1" ...).
DAY = "W3D5"


@dataclass(frozen=True)
class Tutorial:
    """One tutorial of the day.

    Attributes
    ----------
    number : int
        Its place in the day, from 1.
    title : str
        Its title, such as ``"Interventions"``.
    exercises : tuple of Exercise
        Its graded exercises, in the order of the notebook.
    """

    number: int
    title: str
    exercises: tuple[Exercise, ...]

    @property
    def id(self) -> str:
        """``"W3D5_Tutorial1"``: the notebook's name and the nbgrader assignment's."""
        return f"{DAY}_Tutorial{self.number}"

    @property
    def notebook_file(self) -> str:
        """``"W3D5_Tutorial1.ipynb"``, the same in ``solutions/`` and ``exercises/``."""
        return f"{self.id}.ipynb"

    @property
    def points(self) -> int:
        """The notebook's points in all."""
        return sum(exercise.points for exercise in self.exercises)

    def __repr__(self) -> str:
        return f"<Tutorial {self.number}: {self.title}, {len(self.exercises)} exercises>"
