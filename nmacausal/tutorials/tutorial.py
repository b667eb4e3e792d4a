"""What a tutorial module declares: the tutorial's place in the day and its exercises."""

from __future__ import annotations

from dataclasses import dataclass

from ..checking.kinds import Exercise

__all__ = ["DAY", "DAY_SLIDES", "Tutorial", "Video"]

# Neuromatch Academy's week 3, day 5: every notebook and nbgrader assignment of the
# day is named after it ("W3D5_Tutorial1" ...).
DAY = "W3D5"
# The slides of every lecture of the day, one deck on OSF (the original notebooks' "gp4m9").
DAY_SLIDES = "https://osf.io/gp4m9/"


@dataclass(frozen=True)
class Video:
    """A lecture video of the original tutorial, and the place it plays in the notebook.

    Attributes
    ----------
    number : int
        Its number in the tutorial ("Video 2").
    title : str
        Its title in the original.
    youtube, bilibili : str
        Its ids on YouTube and on Bilibili (for students in China), from the original.
    section : str
        The heading it belongs under, as the notebook numbers it (``"Section 2.1"``).
    after : str
        The id of the notebook cell it follows.
    """

    number: int
    title: str
    youtube: str
    bilibili: str
    section: str
    after: str

    @property
    def cell_id(self) -> str:
        return f"video-{self.number}"

    @property
    def youtube_url(self) -> str:
        return f"https://youtube.com/watch?v={self.youtube}"

    @property
    def bilibili_url(self) -> str:
        return f"https://www.bilibili.com/video/{self.bilibili}"


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
    videos : tuple of Video
        Its lecture videos, in the order of the notebook.
    """

    number: int
    title: str
    exercises: tuple[Exercise, ...]
    videos: tuple[Video, ...] = ()

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
