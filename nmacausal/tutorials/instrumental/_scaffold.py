"""The tutorial's scaffold placeholders, ``LinearRegression(...)``, ``stage1.fit(...)``,
``simulate_neurons_iv(...)``.

A stub whose ``raise NotImplementedError`` line was removed but whose ``...``
placeholders are still there fails with a ``TypeError`` that does not name the
ellipsis (``LinearRegression.__init__() takes 1 positional argument but 2 were
given``), or with scikit-learn's ``ValueError`` about ``array=Ellipsis``; it is
not attempted yet, not wrong. A function that holds ``...`` for another reason
(``Z[..., 0]``) and raises a ``TypeError`` is taken for unfinished too: the
price of recognising the scaffold's placeholders whatever the student filled in.
"""

from __future__ import annotations

from typing import ClassVar


def _holds_ellipsis(func) -> bool:
    code = getattr(func, "__code__", None)
    pending = [] if code is None else [code]
    while pending:
        current = pending.pop()
        if any(const is Ellipsis for const in current.co_consts):
            return True
        pending.extend(const for const in current.co_consts if hasattr(const, "co_consts"))
    return False


def _from_a_placeholder(error) -> bool:
    """A ``TypeError`` (``...`` as the only argument: ``LinearRegression(...)``,
    ``stage1.fit(...)``), or scikit-learn refusing ``...`` as data (``stage1.predict(...)``:
    "Expected 2D array, got scalar array instead: array=Ellipsis")."""
    return isinstance(error, TypeError) or (
        isinstance(error, ValueError) and "Ellipsis" in str(error)
    )


class ScaffoldPlaceholders:
    """Mixin for a :class:`~nmacausal.checking.kinds.FunctionProblem` whose scaffold passes
    ``...`` as an argument: a call that raised ``TypeError`` from a function still holding
    ``...`` is not attempted."""

    #: The scaffold's placeholders, as the not-attempted message names them.
    placeholder_examples: ClassVar[str] = "`LinearRegression(...)` or `.fit(...)`"

    def _judge(self, submission):
        failure = submission.failure
        if (
            submission.not_attempted is None
            and failure is not None
            and failure.kind == "raised"
            and _from_a_placeholder(failure.error)
            and _holds_ellipsis(submission.func)
        ):
            submission.not_attempted = (
                f"`{self.answer_name}` still contains a `...` placeholder (such as "
                f"{self.placeholder_examples}): replace it with your code."
            )
        return super()._judge(submission)
