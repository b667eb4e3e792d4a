"""Mistakes any function exercise may show, whatever it computes.

Handing the work to nmacausal's own implementation, taking a size from a
notebook variable or writing the tutorial's size into the code, returning
a list, and ignoring the index of the neuron asked about: each tutorial's
exercises add these to their own catalogues.
"""

from __future__ import annotations

import numbers
import types

import numpy as np

from .kinds import Mistake
from .student_code import global_names_read, integer_literals, names_in_code

__all__ = ["GLOBAL_SIZE", "HARD_CODED_SIZE", "RETURNED_LIST", "calls_reference", "ignores_index"]


def calls_reference(reference) -> Mistake:
    """The mistake of handing the exercise to nmacausal's own implementation of it.

    Seen in the code (the function is the reference, or names it through a
    global) or, however it was reached, in what the function called while it
    was checked (:class:`~nmacausal.checking.student_code.ReferenceWatch`).
    """
    name = reference.__name__

    def detect(submission):
        func = submission.func
        if func is reference:
            return ""
        for global_name, value in global_names_read(func).items():
            if value is reference:
                return f"(It calls `{global_name}`.)"
            is_ours = isinstance(value, types.ModuleType) and value.__name__.split(".")[0] == (
                "nmacausal"
            )
            if is_ours and name in names_in_code(func):
                return f"(It calls `{global_name}.{name}`.)"
        if submission.reached:
            return f"(While it was being checked, it called {_reached(submission.reached)}.)"
        return None

    return Mistake(
        id="calls_reference",
        message=f"Your function hands the work to nmacausal's own `{name}`; the exercise is to "
        f"write it yourself.",
        detected_by="the function is, names or (however indirectly) calls nmacausal's "
        "implementation of the exercise while it is checked",
        detect=detect,
        stage="run",
    )


def _reached(reached) -> str:
    """The watched functions a student's code reached, public ones only when there are any."""
    names = {what.rsplit(".", 1)[-1]: what for what in reached if what.startswith("nmacausal.")}
    public = sorted(name for name in names if not name.startswith("_"))
    shown = [f"nmacausal's `{name}`" for name in public or sorted(names)]
    return ", ".join(shown + sorted(what for what in reached if what not in names.values()))


def _detect_global_size(submission):
    failure = submission.failure
    if failure is None or failure.kind == "timed_out":
        return None
    sizes = {
        name: value
        for name, value in global_names_read(submission.func).items()
        if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    }
    if not sizes:
        return None
    listing = ", ".join(f"`{name}` (= {value})" for name, value in sizes.items())
    what_happened = submission.problem.describe_failure(submission)
    return f"It reads {listing} from the notebook. {what_happened}"


GLOBAL_SIZE = Mistake(
    id="global_size",
    message="Your function takes a size from a notebook variable instead of from its input, so "
    "it breaks on networks of another size: compute it inside the function, for example "
    "`n_neurons = len(A)` or `n_neurons = X.shape[0]`.",
    detected_by="a test case fails and the function reads an integer global variable",
    detect=_detect_global_size,
)


def _detect_hard_coded_size(submission):
    failure = submission.failure
    if failure is None or failure.kind not in ("raised", "shape"):
        return None
    tutorial = submission.problem.case("tutorial")
    differing = {
        what: size
        for what, size in tutorial.sizes.items()
        if failure.case.sizes.get(what) != size and size in integer_literals(submission.func)
    }
    if not differing or submission.output_of("tutorial") is None:
        return None
    written = " and ".join(f"{size} (the tutorial's {what})" for what, size in differing.items())
    what_happened = submission.problem.describe_failure(submission)
    return f"(Your function has {written} written into it. {what_happened})"


HARD_CODED_SIZE = Mistake(
    id="hard_coded_size",
    message="Your function works on the tutorial's network only: it has the tutorial's size "
    "written into it (such as `n_neurons = 6` or `range(6)`). Take sizes from the input, for "
    "example `n_neurons = len(A)` or `n_neurons = X.shape[0]`, so that it works on "
    "a network of any size.",
    detected_by="works on the tutorial's network, fails on one of another size, and the code "
    "holds one of the tutorial's sizes as a number",
    detect=_detect_hard_coded_size,
)


def _detect_returned_list(submission):
    failure = submission.failure
    if failure is not None and failure.kind == "type" and isinstance(failure.value, list):
        return f"(Called with {failure.case.description}, it returned a list.)"
    return None


RETURNED_LIST = Mistake(
    id="returned_list",
    message="Return a NumPy array, not a Python list: fill an array made with np.zeros, or wrap "
    "the list in np.array(...).",
    detected_by="the function returns a list",
    detect=_detect_returned_list,
)


def ignores_index(parameter, case_name, *, message) -> Mistake:
    """The mistake of returning the same answer whatever the index ``parameter`` is.

    For exercises whose function takes a recording first and, second, the
    index of one of its rows (a neuron). Seen by calling the function once
    more on the case ``case_name`` with the next row's index: the same result
    means the index was not used (a fixed neuron, or a notebook variable).

    Parameters
    ----------
    parameter : str
        The index's name in the exercise's function, ``"selected_neuron"``.
    case_name : str
        The case to call again: one whose right answer depends on the index.
    message : str
        What to tell the student.
    """

    def detect(submission):
        failure = submission.failure
        if failure is not None and failure.kind == "timed_out":
            return None  # calling a function that hangs once more would only double the wait
        first = submission.output_of(case_name)
        if first is None:
            return None
        recording, index, *rest = submission.problem.case(case_name).fresh_args()
        other = (index + 1) % recording.shape[0]
        call = submission.call((recording, other, *rest))
        again = submission.problem.returns.read(call.value) if call.returned else None
        if again is not None and np.array_equal(again, first):
            return f"({parameter}={index} and {parameter}={other} gave the same result.)"
        return None

    return Mistake(
        id=f"ignores_{parameter}",
        message=message,
        detected_by=f"calling again with another {parameter} gives the same result",
        detect=detect,
    )
