"""Bonus exercise: the lagged correlation of group averages against the average connectivity."""

from __future__ import annotations

import re

import numpy as np

from ...checking.answers import ArrayAnswer, NumberAnswer, TupleAnswer, close_enough
from ...checking.common_mistakes import GLOBAL_SIZE, HARD_CODED_SIZE, calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake, either, format_numbers, same_as
from ...model import correlation, simulation


def _recording(name, n_neurons, timesteps, n_groups, seed, p, note=""):
    """A case: a simulated recording of a network drawn as the tutorial draws its own."""
    A = simulation.create_connectivity(n_neurons, random_state=seed, p=p)
    X = simulation.simulate_neurons(A, timesteps, random_state=seed)
    group_size = n_neurons // n_groups
    description = (
        f"n_groups={n_groups}, X of shape {X.shape} ({n_neurons} neurons in {n_groups} groups "
        f"of {group_size}, {timesteps} timesteps) and its A{note}"
    )
    sizes = {
        "number of neurons": n_neurons,
        "number of timesteps": timesteps,
        "group size": group_size,
    }
    expected_shape = ((), (n_groups, n_groups), (n_groups, n_groups))
    return Case(name, (n_groups, X, A), description, expected_shape, sizes)


def _finish(n_groups, X, A, coarse_X):
    """The scaffold's lines after ``coarse_X = ...``, for a wrong version of it."""
    n_neurons = X.shape[0]
    group_size = n_neurons // n_groups
    R = correlation.correlation_for_all_neurons(coarse_X)
    coarse_A = A.reshape(n_groups, group_size, n_groups, group_size).mean(3).mean(1)
    corr = np.corrcoef(coarse_A.flatten(), R.flatten())[0, 1]
    return corr, R, coarse_A


def _interleaved(n_groups, X, A):
    # Group g holds neurons g, g + n_groups, g + 2 * n_groups, ...: the wrong axis averaged.
    n_neurons, timesteps = X.shape
    coarse_X = X.reshape(n_neurons // n_groups, n_groups, timesteps).mean(axis=0)
    return _finish(n_groups, X, A, coarse_X)


# ------------------------------------------------ what the student's coarse_X was


def _student_variable(submission, failure, name):
    """The value of ``name`` in the student's function when it raised, if it had one."""
    if failure is None or failure.error is None:
        return None
    code = getattr(submission.func, "__code__", None)
    found, frames = None, failure.error.__traceback__
    while frames is not None:
        if frames.tb_frame.f_code is code:
            found = frames.tb_frame.f_locals.get(name)
        frames = frames.tb_next
    return found if isinstance(found, np.ndarray) else None


def _case_sizes(case):
    n_groups, X, _ = case.args
    n_neurons, timesteps = X.shape
    return n_groups, n_neurons // n_groups, timesteps


def _wrong_coarse_X(submission):
    """``(coarse_X, case)`` when the function raised with a coarse_X of the wrong shape."""
    failure = submission.failure
    coarse_X = _student_variable(submission, failure, "coarse_X")
    if coarse_X is None:
        return None, None
    n_groups, _, timesteps = _case_sizes(failure.case)
    if coarse_X.shape == (n_groups, timesteps):
        return None, None
    return coarse_X, failure.case


def _blocks_of(coarse_X, case, reshaped, axis):
    """Whether ``coarse_X`` is the case's X reshaped to ``reshaped`` and averaged (or summed:
    the same correlations) over ``axis``."""
    if coarse_X.dtype.kind not in "biuf":
        return False
    n_groups, group_size, timesteps = _case_sizes(case)
    sizes = {"n_groups": n_groups, "group_size": group_size, "timesteps": timesteps}
    blocks = case.args[1].reshape(tuple(sizes[name] for name in reshaped))
    return any(close_enough(coarse_X, found) for found in (blocks.mean(axis), blocks.sum(axis)))


# A row of coarse_X (timesteps long) assigned a group's average over time (one per neuron).
_BROADCAST = re.compile(r"from shape \((\d+),?\) into shape \((\d+),?\)")


def _detect_averaged_over_time(submission):
    failure = submission.failure
    if failure is None or failure.kind != "raised":
        return None
    n_groups, group_size, timesteps = _case_sizes(failure.case)
    coarse_X, case = _wrong_coarse_X(submission)
    if coarse_X is not None and timesteps not in coarse_X.shape:
        return (
            f"(Called with {case.description}, your coarse_X has shape {coarse_X.shape}: the "
            f"{timesteps} timesteps are gone. It should be ({n_groups}, {timesteps}).)"
        )
    found = _BROADCAST.search(str(failure.error))
    if found and (int(found[1]), int(found[2])) == (group_size, timesteps):
        return (
            f"(Called with {failure.case.description}, a group's average had {group_size} "
            f"values, one per neuron, where a row of coarse_X needs {timesteps}, one per "
            f"timestep.)"
        )
    return None


def _detect_blocks(reshaped, axis, what):
    """A detector: the function raised with a coarse_X that is X reshaped to ``reshaped``
    and averaged over ``axis``; ``what`` says what that is, from ``n_groups`` and
    ``group_size``."""

    def detect(submission):
        coarse_X, case = _wrong_coarse_X(submission)
        if coarse_X is None or not _blocks_of(coarse_X, case, reshaped, axis):
            return None
        n_groups, group_size, timesteps = _case_sizes(case)
        return (
            f"(Called with {case.description}, your coarse_X has shape {coarse_X.shape}"
            f"{what.format(n_groups=n_groups, group_size=group_size)}, instead of "
            f"({n_groups}, {timesteps}).)"
        )

    return detect


_detect_swapped_group_size = _detect_blocks(
    ("group_size", "n_groups", "timesteps"), 1, ": {group_size} groups of {n_groups} neurons"
)
# X.reshape(n_groups, group_size, T).mean(axis=0): neuron j of every group averaged together.
_detect_averaged_across_groups = _detect_blocks(
    ("n_groups", "group_size", "timesteps"),
    0,
    ", the average over the {n_groups} groups of each position within a group",
)


class CoarseCorrelation(FunctionProblem):
    id = "coarse_correlation"
    title = "Correlations between group averages"
    section = "Bonus 2.1"
    points = 1
    answer_name = "get_coarse_corr"
    check_name = "check_get_coarse_corr"
    check_doc = """Check Bonus Coding Exercise 2.1: correlations between group averages.

    The student completes ``get_coarse_corr(n_groups, X, A)``, which returns
    ``(corr, R, coarse_A)``, by writing ``coarse_X``, the average activity of
    each of ``n_groups`` contiguous groups of neurons.

    The function is run on several simulated recordings (8 to 16 neurons in 2
    to 8 groups, and the tutorial's own 256 neurons over 10000 timesteps in 16
    groups) and compared with the reference.

    Examples
    --------
    >>> def stub(n_groups, X, A):
    ...     raise NotImplementedError
    >>> check_get_coarse_corr(stub).status
    'not_attempted'
    """
    domain = (
        "recordings made by simulate_neurons from networks drawn by create_connectivity, split "
        "into n_groups contiguous groups of equal size (the number of neurons divisible by "
        "n_groups): 8 neurons in 2 or 4 groups, 12 in 3, 16 in 4 or 8, over 400 to 1000 "
        "timesteps, and the tutorial's own recording, 256 neurons over 10000 timesteps in 16 "
        "groups (simulated once, in about 0.3 s; each check then takes a few hundredths of a "
        "second)"
    )
    hints = (
        "`coarse_X[g, t]` is the average activity at step t of the neurons of group g, the "
        "contiguous block of neurons `g * group_size` to `(g + 1) * group_size - 1`. Average "
        "over the neurons of each group, keeping every timestep.",
        "`X.reshape(n_groups, group_size, timesteps)` puts the neurons of group g in its "
        "entry `[g]`: axis 0 is the group, axis 1 the neuron within the group, axis 2 the time "
        "step. Which axis do you average over?",
        "`coarse_X = X.reshape(n_groups, group_size, timesteps).mean(axis=1)`, of shape "
        "`(n_groups, timesteps)`.",
    )
    solution = '''\
def get_coarse_corr(n_groups, X, A):
    """Lagged correlations between the average activities of `n_groups` groups of neurons.

    Returns the correlation between the true and the estimated coarse connectivity,
    the estimate R and the truth coarse_A (both of shape (n_groups, n_groups)).
    """
    n_neurons, timesteps = X.shape  # from the recording, not from notebook variables
    # Group g is the contiguous block of neurons g * group_size to (g + 1) * group_size - 1.
    group_size = n_neurons // n_groups
    # coarse_X[g, t]: the average activity of the neurons of group g at step t.
    coarse_X = X.reshape(n_groups, group_size, timesteps).mean(axis=1)
    assert coarse_X.shape == (n_groups, timesteps)
    R = correlation_for_all_neurons(coarse_X)  # estimated coarse connectivity
    coarse_A = A.reshape(n_groups, group_size, n_groups, group_size).mean(3).mean(1)  # the truth
    corr = np.corrcoef(coarse_A.flatten(), R.flatten())[0, 1]
    return corr, R, coarse_A
'''
    mistakes = (
        calls_reference(correlation.get_coarse_corr),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        Mistake(
            id="averaged_over_time",
            message="You averaged over time instead of over the neurons of each group: coarse_X "
            "must keep every timestep, one row per group, of shape (n_groups, timesteps). "
            "Average over the axis of the neurons within a group: "
            "X.reshape(n_groups, group_size, timesteps).mean(axis=1).",
            detected_by="the function raised, and its coarse_X has no axis of the length of the "
            "recording (or a group's average over time was stored in a row of coarse_X)",
            detect=_detect_averaged_over_time,
        ),
        Mistake(
            id="swapped_group_size",
            message="Your groups hold n_groups neurons each, so there are group_size of them: "
            "you reshaped to (group_size, n_groups, timesteps) (or split X into group_size "
            "parts). In the tutorial both numbers are 16, so its figure looked right; reshape "
            "to (n_groups, group_size, timesteps) and average over axis 1.",
            detected_by="the function raised, and its coarse_X has shape (group_size, timesteps) "
            "and holds the averages of contiguous blocks of n_groups neurons",
            detect=_detect_swapped_group_size,
        ),
        Mistake(
            id="interleaved_groups",
            message="Your groups are interleaved: each averages neurons spread across the "
            "network (one from every block) instead of a contiguous block. Group g holds "
            "neurons g * group_size to (g + 1) * group_size - 1, the grouping coarse_A uses: "
            "reshape to (n_groups, group_size, timesteps) and average over axis 1.",
            detected_by="same as X.reshape(group_size, n_groups, timesteps).mean(axis=0), or "
            "the function raised with a coarse_X equal to "
            "X.reshape(n_groups, group_size, timesteps).mean(axis=0)",
            detect=either(same_as(_interleaved), _detect_averaged_across_groups),
        ),
    )

    @property
    def returns(self):
        return TupleAnswer(
            (
                ("corr", NumberAnswer("the correlation between coarse_A and R")),
                ("R", ArrayAnswer("(n_groups, n_groups)")),
                ("coarse_A", ArrayAnswer("(n_groups, n_groups)")),
            )
        )

    @property
    def reference(self):
        return correlation.get_coarse_corr

    def build_cases(self):
        return (
            _recording("eight_in_two", 8, 600, 2, 1, 0.7),
            _recording("eight_in_four", 8, 501, 4, 2, 0.7),
            _recording("twelve_in_three", 12, 800, 3, 3, 0.8),
            _recording("sixteen_in_four", 16, 1000, 4, 4, 0.9),
            _recording("sixteen_in_eight", 16, 400, 8, 5, 0.9),
            _recording("tutorial", 256, 10000, 16, 42, 0.9, " (the tutorial's recording)"),
        )

    def correct_message(self):
        corr = self.outputs_of(self.reference)[-1][0]
        return (
            f"Your function returns the reference's corr, R and coarse_A on every test recording "
            f"(8 to 256 neurons in 2 to 16 contiguous groups, 400 to 10000 timesteps), so your "
            f"figure and your correlation on the tutorial's recording ({float(corr):.4f}) are "
            f"the tutorial's."
        )

    def describe_failure(self, submission, failure=None):
        text = super().describe_failure(submission, failure)
        failure = submission.failure if failure is None else failure
        coarse_X = _student_variable(submission, failure, "coarse_X")
        n_groups, _, timesteps = _case_sizes(failure.case)
        if coarse_X is not None and coarse_X.shape != (n_groups, timesteps):
            text += (
                f" Your coarse_X has shape {coarse_X.shape}; it should be "
                f"({n_groups}, {timesteps}): one row per group, one column per timestep."
            )
        return text

    def describe_wrong(self, submission):
        reference = self.outputs_of(self.reference)
        for case, got, expected in zip(self.cases(), submission.outputs, reference, strict=True):
            if self.returns.close(got, expected):
                continue
            (got_corr, got_R, got_A), (corr, R, coarse_A) = got, expected
            found = []
            if not close_enough(got_corr, corr):
                found.append(f"corr should be {float(corr):.4f}, got {float(got_corr):.4f}")
            if not close_enough(got_R, R):
                expected_row, got_row = format_numbers(R[0], 4), format_numbers(got_R[0], 4)
                found.append(f"R's first row should be {expected_row}, got {got_row}")
            if not close_enough(got_A, coarse_A):
                found.append(
                    "coarse_A is not the block averages of A (keep the scaffold's line that "
                    "computes it)"
                )
            return f"Called with {case.description}: {'; '.join(found)}."
        return "Your function's results differ from the reference's."
