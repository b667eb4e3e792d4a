"""Instant, mistake-aware feedback on the tutorial's exercises.

One checker per exercise; each returns a :class:`CheckResult` that shows as a
coloured verdict in Jupyter and as text in a terminal::

    check_diff_in_means(diff_in_means)
    check_simulate_neurons(simulate_neurons)
    check_perturbed_connectivity_from_single_neuron(get_perturbed_connectivity_from_single_neuron)

In an nbgrader grade cell, make a wrong answer fail the cell with the same
message (an exception, not a bare ``assert``, which ``python -O`` removes)::

    check_simulate_neurons(simulate_neurons).assert_correct()

:func:`hint` gives progressive hints and :func:`solution` the completed code.
A check is pure: it reads nothing from the notebook, leaves NumPy's global
random state as it found it and writes nothing to stdout or stderr. What is
checked, and which mistakes are recognised, is declared once per exercise in
:mod:`nmacausal.exercises`.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

from ._validation import check_integer

__all__ = [
    "CheckFailed",
    "CheckResult",
    "Hint",
    "NoSuchHint",
    "Solution",
    "UnknownExercise",
    "check_diff_in_means",
    "check_perturbed_connectivity_from_single_neuron",
    "check_simulate_neurons",
    "hint",
    "solution",
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
    >>> result = check_diff_in_means(0.9907195190159408)
    >>> bool(result), result.matches_tutorial
    (True, True)
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


def _exercise(key):
    """The exercise ``key`` names; a one-line :class:`UnknownExercise` listing them if none."""
    # Imported here, not at the top: nmacausal.exercises builds its results from this module.
    from .exercises import EXERCISES, get_exercise

    try:
        return get_exercise(key)
    except (TypeError, ValueError):
        names = ", ".join(f'"{exercise.answer_name}"' for exercise in EXERCISES)
        raise UnknownExercise(
            f"There is no exercise called {key!r}. Ask for one of {names}."
        ) from None


def check_diff_in_means(value) -> CheckResult:
    """Check Exercise 1: the difference in means of B between A = 1 and A = 0.

    Correct: the tutorial's 0.9907195190159408 (seed 12, B for A = 1 drawn
    first), 1.0092804809840592 (B for A = 0 drawn first), or any value within
    sampling error of the true effect, 1.

    Parameters
    ----------
    value : float
        The student's ``diff_in_means``.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> check_diff_in_means(-0.9907195190159408).mistake
    'sign_reversed'
    """
    return _exercise("rct_diff_in_means").check(value)


def check_simulate_neurons(func, *, timeout=None) -> CheckResult:
    """Check Exercise 2: ``simulate_neurons(A, timesteps, random_state=42)``.

    The function is run on several networks (1 to 6 neurons, odd and even
    numbers of timesteps, several seeds) and compared with the reference. A
    simulation that draws its noise in another order, or with another
    standard normal generator, is correct too: its dynamics are then checked
    statistically.

    Parameters
    ----------
    func : callable
        The student's ``simulate_neurons`` (the function, not its result).
    timeout : float or None, default=None
        Seconds each call of ``func`` may take before it counts as hanging;
        ``None`` means 5 seconds.

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError, ValueError
        If ``timeout`` is not a positive number. Problems with ``func`` are
        reported in the result, never raised.

    Examples
    --------
    >>> from nmacausal import simulate_neurons
    >>> check_simulate_neurons(simulate_neurons).mistake
    'calls_reference'
    """
    return _exercise("simulate_neurons").check(func, timeout=timeout)


def check_perturbed_connectivity_from_single_neuron(func, *, timeout=None) -> CheckResult:
    """Check Exercise 3.2: the effects of one perturbed neuron on every neuron.

    The student writes
    ``get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron)``.

    The function is run on several perturbed recordings (1 to 6 neurons, odd
    and even lengths, various selected neurons) and compared with the reference.

    Parameters
    ----------
    func : callable
        The student's function (the function, not its result).
    timeout : float or None, default=None
        Seconds each call of ``func`` may take before it counts as hanging;
        ``None`` means 5 seconds.

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError, ValueError
        If ``timeout`` is not a positive number. Problems with ``func`` are
        reported in the result, never raised.

    Examples
    --------
    >>> def stub(perturbed_X, selected_neuron):
    ...     raise NotImplementedError
    >>> check_perturbed_connectivity_from_single_neuron(stub).status
    'not_attempted'
    """
    return _exercise("single_neuron_effect").check(func, timeout=timeout)


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
