"""What a check returns: a verdict that shows itself, and the errors around it.

:class:`CheckResult` shows as a coloured panel in Jupyter and as text in a
terminal; its :meth:`~CheckResult.assert_correct` raises :class:`CheckFailed`
in a grade cell. :class:`Hint` and :class:`Solution` display the same way.
This module imports nothing else from nmacausal, so every layer may use it.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

__all__ = [
    "STATUSES",
    "CheckFailed",
    "CheckResult",
    "Hint",
    "NoSuchHint",
    "Solution",
    "UnknownExercise",
]

STATUSES = ("correct", "incorrect", "not_attempted")

_VERDICTS = {"correct": "Correct", "incorrect": "Incorrect", "not_attempted": "Not attempted yet"}
# (accent, background) of each kind of panel: green, red, amber, and blue for advice.
_COLOURS = {
    "correct": ("#1b5e20", "#e8f5e9"),
    "incorrect": ("#b71c1c", "#ffebee"),
    "not_attempted": ("#8a4b00", "#fff3e0"),
    "advice": ("#0d47a1", "#e3f2fd"),
}


def _panel_html(kind, heading, body_html) -> str:
    """A box with a coloured left edge, a bold heading and a body."""
    accent, background = _COLOURS[kind]
    return (
        f'<div class="nmacausal-{kind}" role="status" style="border-left: 6px solid {accent}; '
        f"background: {background}; color: #212121; padding: 0.6em 1em; margin: 0.4em 0; "
        f'border-radius: 4px;"><div style="color: {accent}; font-weight: bold;">'
        f"{html.escape(heading)}</div>{body_html}</div>"
    )


# `code` spans, and *emphasis* outside them: a star between words or spaces (`2 * x`) is not.
_CODE_SPAN = re.compile(r"(`[^`]+`)")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def _prose_html(text) -> str:
    """Escaped text, line breaks kept, `backticked` spans set as code, *stars* as emphasis."""
    pieces = []
    for piece in _CODE_SPAN.split(text):
        if _CODE_SPAN.fullmatch(piece):
            pieces.append(f"<code>{html.escape(piece[1:-1])}</code>")
        else:
            pieces.append(_EMPHASIS.sub(r"<em>\1</em>", html.escape(piece)))
    return f'<div style="white-space: pre-wrap; margin-top: 0.3em;">{"".join(pieces)}</div>'


def _plain(text) -> str:
    """``text`` for a terminal: *emphasis* stars dropped, `code` spans left as they are."""
    return "".join(
        piece if _CODE_SPAN.fullmatch(piece) else _EMPHASIS.sub(r"\1", piece)
        for piece in _CODE_SPAN.split(text)
    )


_TERMINAL_WIDTH = 80


class _OneLineError:
    """An error that IPython shows as its message alone, without a traceback.

    IPython asks an exception for ``_render_traceback_()`` before formatting a
    traceback; a student who mistyped an exercise's name needs the message,
    not the frames of this package.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


# Both a ValueError and a TypeError: `hint(3)` and `hint("simulate")` are the same slip.
class UnknownExercise(_OneLineError, ValueError, TypeError):
    """:func:`hint` or :func:`solution` was asked for an exercise that does not exist."""


class NoSuchHint(_OneLineError, ValueError, TypeError):
    """:func:`hint` was asked for a level the exercise does not have."""


class CheckFailed(_OneLineError, AssertionError):
    """Raised by :meth:`CheckResult.assert_correct` for an answer that is not correct.

    Its message is the result's heading (which names the exercise), its
    message, and a last line naming the verdict and the mistake, such as
    ``(verdict: incorrect, mistake: no_noise)``: the grader reads that line
    back from a grade cell's error output with :meth:`read_diagnosis`. The
    result itself is in ``.result``. In Jupyter (and so in nbgrader's Validate
    and feedback pages) it shows as that text alone, without a traceback into
    this package.
    """

    _DIAGNOSIS = re.compile(r"\(verdict: (\w+)(?:, mistake: (\w+))?\)\s*$")

    def __init__(self, result):
        mistake = f", mistake: {result.mistake}" if result.mistake else ""
        super().__init__(
            f"{result.heading}\n{_plain(result.message)}\n(verdict: {result.status}{mistake})"
        )
        self.result = result

    def _render_traceback_(self) -> list[str]:
        # Lines short enough for a terminal: `nbgrader validate` cuts longer ones off.
        return [
            wrapped
            for line in super()._render_traceback_()[0].splitlines()
            for wrapped in textwrap.wrap(
                line, _TERMINAL_WIDTH, break_long_words=False, break_on_hyphens=False
            )
            or [""]
        ]

    @classmethod
    def read_diagnosis(cls, text) -> tuple[str, str | None] | None:
        """``(status, mistake id or None)`` from a CheckFailed message, or None if absent."""
        found = cls._DIAGNOSIS.search(text or "")
        return (found.group(1), found.group(2)) if found else None


@dataclass(frozen=True, repr=False)
class CheckResult:
    """The verdict on one answer.

    Attributes
    ----------
    exercise_id : str
        Which exercise was checked.
    status : {"correct", "incorrect", "not_attempted"}
        The verdict.
    message : str
        Plain-text explanation, addressed to the student.
    title : str
        The exercise's title, for display.
    mistake : str or None
        The id of the catalogued mistake recognised, if any.
    matches_tutorial : bool
        Whether the answer also reproduces the tutorial's exact numbers.
    advice : str or None
        What the answer does on inputs beyond the exercise's domain, when
        that is worth knowing. Advice never changes the verdict.

    Examples
    --------
    >>> result = CheckResult("an_exercise", "correct", "Right.", title="Exercise 1: Something")
    >>> bool(result), result.heading
    (True, 'Correct: Exercise 1: Something')
    """

    exercise_id: str
    status: str
    message: str
    title: str = ""
    mistake: str | None = None
    matches_tutorial: bool = False
    advice: str | None = None

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"`status` must be one of {STATUSES}, got {self.status!r}.")

    def __bool__(self) -> bool:
        return self.status == "correct"

    @property
    def heading(self) -> str:
        """``"Correct: Exercise 2: System simulation"`` and the like."""
        verdict = _VERDICTS[self.status]
        return f"{verdict}: {self.title}" if self.title else verdict

    def __str__(self) -> str:
        advice = f"\nWorth knowing: {_plain(self.advice)}" if self.advice else ""
        return f"{self.heading}\n{_plain(self.message)}{advice}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        verdict = _panel_html(self.status, self.heading, _prose_html(self.message))
        if not self.advice:
            return verdict
        return verdict + _panel_html("advice", "Worth knowing", _prose_html(self.advice))

    def assert_correct(self):
        """Raise :class:`CheckFailed` unless the answer is correct.

        Returns
        -------
        CheckResult
            This result, when correct.

        Raises
        ------
        CheckFailed
            An ``AssertionError`` carrying the result's message.
        """
        if self.status != "correct":
            raise CheckFailed(self)
        return self


@dataclass(frozen=True, repr=False)
class Hint:
    """One of an exercise's progressive hints, displayable in Jupyter and a terminal."""

    exercise_id: str
    answer_name: str
    level: int
    n_levels: int
    text: str

    @property
    def heading(self) -> str:
        return f"Hint {self.level} of {self.n_levels} for `{self.answer_name}`"

    @property
    def next_step(self) -> str:
        if self.level < self.n_levels:
            return f'More: hint("{self.answer_name}", level={self.level + 1})'
        return f'Still stuck? solution("{self.answer_name}")'

    def __str__(self) -> str:
        return f"{self.heading}\n{_plain(self.text)}\n{self.next_step}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = _prose_html(self.text) + _prose_html(f"`{self.next_step}`")
        return _panel_html("advice", self.heading.replace("`", ""), body)


@dataclass(frozen=True, repr=False)
class Solution:
    """An exercise's completed code, displayable in Jupyter and a terminal."""

    exercise_id: str
    answer_name: str
    code: str

    @property
    def heading(self) -> str:
        return f"Solution for {self.answer_name}"

    def __str__(self) -> str:
        return f"{self.heading}\n{self.code}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        code = f'<pre style="margin: 0.4em 0 0;"><code>{html.escape(self.code)}</code></pre>'
        return _panel_html("advice", self.heading, code)
