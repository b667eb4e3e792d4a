"""Exercise 1: the difference in means of a randomized trial."""

from __future__ import annotations

import functools

import numpy as np

from ...checking.kinds import (
    SAME_NUMBER,
    Mistake,
    ValueProblem,
    as_real_number,
)
from ...model import simulation
from ...model.simulation import isolated_random_state

_N_TRIALS = 5000  # trials per condition in the tutorial's experiment
_RCT_SEED = 12
# The difference of two means of 5000 unit-variance samples has this standard deviation.
_SAMPLING_SD = np.sqrt(2 / _N_TRIALS)
# Four standard deviations: a correct unseeded answer lands outside once in 16 000 runs.
_SAMPLING_WINDOW = 4 * _SAMPLING_SD
# The same for one condition's mean on its own.
_GROUP_MEAN_WINDOW = 4 * np.sqrt(1 / _N_TRIALS)


@functools.cache
def _rct_draws():
    """B's activity in the tutorial's seeded trial, for both orders of drawing.

    Returns a dict ``{order: (B when A = 1, B when A = 0)}`` for the orders
    ``"one_first"`` (the tutorial's) and ``"zero_first"``.
    """
    ones, zeros = np.ones(_N_TRIALS), np.zeros(_N_TRIALS)
    with isolated_random_state(_RCT_SEED):
        one_first = simulation.neuron_B(ones), simulation.neuron_B(zeros)
    with isolated_random_state(_RCT_SEED):
        b_zero_drawn_first = simulation.neuron_B(zeros)
        zero_first = simulation.neuron_B(ones), b_zero_drawn_first
    return {"one_first": one_first, "zero_first": zero_first}


def _seeded_statistics(statistic):
    """``statistic(B when A = 1) - statistic(B when A = 0)`` for both orders of drawing."""
    return [float(statistic(b_one) - statistic(b_zero)) for b_one, b_zero in _rct_draws().values()]


def _equals_any(value, candidates) -> bool:
    return any(abs(value - candidate) <= SAME_NUMBER for candidate in candidates)


def _real_detector(test):
    """A value detector that only looks at single real numbers."""

    def detect(answer):
        value = as_real_number(answer)
        return None if value is None or not np.isfinite(value) else test(value)

    return detect


def _detect_array_instead_of_mean(answer):
    if isinstance(answer, np.ndarray):
        size = answer.size
    elif isinstance(answer, (list, tuple)):
        size = len(answer)
    else:
        return None
    return f"(`diff_in_means` holds {size} values.)" if size > 1 else None


def _detect_compared_a_instead_of_b(value):
    return "" if value == 1 else None


def _detect_sign_reversed(value):
    exact = [-difference for difference in _seeded_statistics(np.mean)]
    return "" if _equals_any(value, exact) or abs(value + 1) <= _SAMPLING_WINDOW else None


def _detect_only_one_mean(value):
    group_means = [float(np.mean(b)) for pair in _rct_draws().values() for b in pair]
    near_zero = abs(value) <= _GROUP_MEAN_WINDOW
    return "" if _equals_any(value, group_means) or near_zero else None


def _detect_sum_instead_of_mean(value):
    exact = _seeded_statistics(np.sum)
    near = abs(value - _N_TRIALS) <= _N_TRIALS * _SAMPLING_WINDOW
    return "" if _equals_any(value, exact) or near else None


def _detect_median_instead_of_mean(value):
    return "" if _equals_any(value, _seeded_statistics(np.median)) else None


class RandomizedTrial(ValueProblem):
    id = "rct_diff_in_means"
    title = "Randomized controlled trial for two neurons"
    section = "1"
    points = 1
    answer_name = "diff_in_means"
    check_name = "check_diff_in_means"
    check_doc = """Check Exercise 1: the difference in means of B between A = 1 and A = 0.

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
    domain = (
        "the tutorial's trial, 5000 trials per condition: exactly its figure with its seed (12), "
        "B drawn in either order; any other seed or none, within sampling error of the true "
        "effect, 1"
    )
    hints = (
        "The average causal effect of A on B is a difference of two averages: B's mean when A "
        "was set to 1, minus B's mean when A was set to 0.",
        "`neuron_B(A_1)` gives B's activity on the 5000 trials where A = 1, `neuron_B(A_0)` on "
        "those where A = 0. Average each with `np.mean`, then subtract.",
        "Each call of `neuron_B` draws fresh noise from the seeded stream, so the order matters "
        "for the exact digits: compute B for A = 1 first to get the tutorial's "
        "0.9907195190159408.",
    )
    solution = (
        "B_when_A_is_1 = neuron_B(A_1)  # drawn first, as in the tutorial\n"
        "B_when_A_is_0 = neuron_B(A_0)\n"
        "diff_in_means = np.mean(B_when_A_is_1) - np.mean(B_when_A_is_0)\n"
    )
    mistakes = (
        Mistake(
            id="array_instead_of_mean",
            message="`diff_in_means` should be one number, the difference of two means: average "
            "each condition's B with np.mean before subtracting.",
            detected_by="the answer is an array or list of more than one number",
            detect=_detect_array_instead_of_mean,
        ),
        Mistake(
            id="compared_a_instead_of_b",
            message="That is exactly 1, the difference between A's two settings. The effect is "
            "measured on B: compare the means of neuron_B(A_1) and neuron_B(A_0), which carry "
            "noise, so the result is close to 1 but not exactly 1.",
            detected_by="the answer is exactly 1",
            detect=_real_detector(_detect_compared_a_instead_of_b),
        ),
        Mistake(
            id="sign_reversed",
            message="The sign is reversed: subtract the mean of B when A = 0 from the mean of B "
            "when A = 1, not the other way round.",
            detected_by="the answer is the tutorial's value negated, or within sampling error "
            "of -1",
            detect=_real_detector(_detect_sign_reversed),
        ),
        Mistake(
            id="only_one_mean",
            message="That is one condition's mean on its own (or a difference close to 0). "
            "Compute both means, B with A = 1 and B with A = 0, and subtract them.",
            detected_by="the answer equals one group's mean in the seeded trial, or is within "
            "sampling error of 0",
            detect=_real_detector(_detect_only_one_mean),
        ),
        Mistake(
            id="sum_instead_of_mean",
            message="You added the trials up instead of averaging them: use np.mean, not "
            "np.sum, on each condition's B.",
            detected_by="the answer is the difference of the seeded sums, or within sampling "
            "error of 5000",
            detect=_real_detector(_detect_sum_instead_of_mean),
        ),
        Mistake(
            id="median_instead_of_mean",
            message="The average causal effect is a difference in means: use np.mean, not "
            "np.median.",
            detected_by="the answer is the difference of the seeded medians",
            detect=_real_detector(_detect_median_instead_of_mean),
        ),
    )

    def expected(self):
        return _seeded_statistics(np.mean)[0]

    def alternatives(self):
        other_order = _seeded_statistics(np.mean)[1]
        return {
            other_order: f"{other_order!r} comes from the tutorial's seed with B for A = 0 drawn "
            f"before B for A = 1, which is just as valid. (The tutorial draws A = 1 first and "
            f"prints {self.expected()!r}.)"
        }

    def accepts(self, value):
        if abs(value - 1) > _SAMPLING_WINDOW:
            return None
        return (
            f"{value!r} is within sampling error of the true effect, 1 (with 5000 trials per "
            f"condition an estimate typically misses it by about {_SAMPLING_SD:.2f}). It is not "
            f"the tutorial's {self.expected()!r}: for that, seed with np.random.seed(12) and "
            f"compute B for A = 1 before B for A = 0."
        )

    def describe_wrong(self, value):
        return (
            f"{value!r} is too far from the effect of A on B. In this model B = A + noise, so "
            f"the true effect is 1, and an estimate from 5000 trials per condition lands within "
            f"about {_SAMPLING_WINDOW:.2f} of it. Subtract the mean of B when A = 0 from the "
            f"mean of B when A = 1."
        )
