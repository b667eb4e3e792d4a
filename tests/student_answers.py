"""Student answers in every correct style, and every catalogued mistake in each style.

A *style* is one way a student may write an exercise correctly: the tutorial's
own scaffold, `A @ x` or `A.dot(x)` or `np.dot(A, x)`, noise from
`multivariate_normal`, `randn` or `standard_normal`, masks or `np.argwhere`,
a loop over neurons, over time steps, or none. A style is a function of
*choices* (which statistic, which lag, where the size comes from, ...): the
correct answer is the style with the default choices, and a catalogued
mistake is a set of choices that differ, written once in :data:`MISTAKES` and
rendered in every style. A checker must name the same mistake whatever the
style, and accept every style's correct answer.

Where a mistake cannot be made in a style (a vectorised estimate has no size
to hard-code), the style says so in its ``cannot_make`` with the reason; the
tests parametrise over the pairs that exist and never skip.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from answer_styles import Style

# Each tutorial's answers module: ``answers_tutorial<N>.py`` beside this file.
_MODULES = [
    importlib.import_module(info.name)
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name)
    if info.name.startswith("answers_tutorial")
]

STYLES: dict[str, tuple[Style, ...]] = {}
DEFAULTS: dict[str, dict] = {}
# (exercise, mistake id) -> the choices that make it, one dict per way of making it.
MISTAKES: dict[tuple[str, str], list[dict]] = {}
# The style the tutorial's own solutions are written in (sizes taken from the inputs).
TUTORIAL_STYLE_NAMES: dict[str, str] = {}
# What the notebooks have defined when an answer cell runs (the same names mean the
# same in every tutorial of the day), and the scaffold's lines before a student's own.
NOTEBOOK_NAMES: dict[str, object] = {}
PRELUDES: dict[str, str] = {}
for _module in _MODULES:
    STYLES.update(_module.STYLES)
    DEFAULTS.update(_module.DEFAULTS)
    MISTAKES.update(_module.MISTAKES)
    TUTORIAL_STYLE_NAMES.update(_module.TUTORIAL_STYLE_NAMES)
    NOTEBOOK_NAMES.update(_module.NOTEBOOK_NAMES)
    PRELUDES.update(_module.PRELUDES)


def mistake_cases():
    """``(exercise id, mistake id, style, example index)`` for every mistake in every style."""
    for (exercise_id, mistake), examples in MISTAKES.items():
        for style in STYLES[exercise_id]:
            if mistake in style.cannot_make:
                continue
            for example in range(len(examples)):
                yield exercise_id, mistake, style, example


def tutorial_style(exercise_id) -> Style:
    """The style of the tutorial's own solution to an exercise."""
    return next(s for s in STYLES[exercise_id] if s.name == TUTORIAL_STYLE_NAMES[exercise_id])


def mistake_source(exercise_id, mistake_id) -> str:
    """A student's answer with the mistake, in the tutorial's own style if it can be made
    there (else the first style that can make it)."""
    styles = [tutorial_style(exercise_id), *STYLES[exercise_id]]
    style = next(style for style in styles if mistake_id not in style.cannot_make)
    return style.source(exercise_id, mistake_id)
