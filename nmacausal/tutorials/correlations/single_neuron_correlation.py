"""Exercise 1: one neuron's effects on every neuron, estimated by lagged correlation."""

from __future__ import annotations

import numpy as np

from ...checking.answers import close_enough
from ...checking.common_mistakes import (
    GLOBAL_SIZE,
    HARD_CODED_SIZE,
    RETURNED_LIST,
    calls_reference,
    ignores_index,
)
from ...checking.kinds import Case, FunctionProblem, Mistake, either, format_numbers, same_as
from ...model import correlation, simulation


def _recording(name, n_neurons, timesteps, selected_neuron, seed, p, note=""):
    """A case: a recording simulated from a network drawn as the tutorial draws its own."""
    A = simulation.create_connectivity(n_neurons, random_state=seed, p=p)
    X = simulation.simulate_neurons(A, timesteps, random_state=seed)
    description = (
        f"X of shape {X.shape} ({n_neurons} {'neuron' if n_neurons == 1 else 'neurons'}, "
        f"{timesteps} timesteps), selected_neuron={selected_neuron}{note}"
    )
    sizes = {"number of neurons": n_neurons, "number of timesteps": timesteps}
    return Case(name, (X, selected_neuron), description, (n_neurons,), sizes)


def _correlations(effects, cause):
    """The correlation of each row of ``effects`` with the one series ``cause``."""
    return np.array([np.corrcoef(row, cause)[0, 1] for row in effects])


# ------------------------------------------------- student-style wrong versions


def _ones(X, selected_neuron):
    return np.ones(X.shape[0])


def _same_time_before(X, selected_neuron):
    return _correlations(X[:, :-1], X[selected_neuron, :-1])


def _same_time_after(X, selected_neuron):
    return _correlations(X[:, 1:], X[selected_neuron, 1:])


def _same_time_whole(X, selected_neuron):
    return _correlations(X, X[selected_neuron])


def _effects_on_selected(X, selected_neuron):
    # The lag reversed, which is also row `selected_neuron` of R instead of its column.
    return _correlations(X[:, :-1], X[selected_neuron, 1:])


def _own_future_everywhere(X, selected_neuron):
    own = np.corrcoef(X[selected_neuron, 1:], X[selected_neuron, :-1])[0, 1]
    return np.full(X.shape[0], own)


def _covariances(X, selected_neuron, ddof=1):
    cause = X[selected_neuron, :-1]
    return np.array([np.cov(row, cause, ddof=ddof)[0, 1] for row in X[:, 1:]])


def _population_covariances(X, selected_neuron):
    return _covariances(X, selected_neuron, ddof=0)


def _shrunk(X, selected_neuron):
    # z-scores with ddof=1 standard deviations, then the mean of their products.
    pairs = X.shape[1] - 1
    return correlation.compute_connectivity_from_single_neuron(X, selected_neuron) * (
        (pairs - 1) / pairs
    )


def _stretched(X, selected_neuron):
    # z-scores with ddof=0 standard deviations, then the sum of products over N - 1.
    pairs = X.shape[1] - 1
    return correlation.compute_connectivity_from_single_neuron(X, selected_neuron) * (
        pairs / (pairs - 1)
    )


# ---------------------------------------- right answers other than the reference's


def _whole_recording_standardised(X, selected_neuron, *, divisor):
    """The sample cross-correlation function at lag 1: every neuron standardised once,
    over the whole recording, then the lagged products summed and divided by ``divisor``."""
    Z = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    return Z[:, 1:] @ Z[selected_neuron, :-1] / divisor(X.shape[1])


def _ccf_adjusted(X, selected_neuron):
    # The mean of the T - 1 lagged products (statsmodels' ccf, adjusted=True).
    return _whole_recording_standardised(X, selected_neuron, divisor=lambda T: T - 1)


def _ccf_biased(X, selected_neuron):
    # The sum of the lagged products over T (statsmodels' ccf, adjusted=False).
    return _whole_recording_standardised(X, selected_neuron, divisor=lambda T: T)


def _seen(wrong_version):
    """A detector: the answer gives what ``wrong_version`` gives on every case, or on every
    case it answered before it raised (``np.corrcoef(X)`` of a one-neuron X is a number, not
    a matrix, so a wrong version written with it may fail on that case alone)."""
    on_every_case = same_as(wrong_version)

    def detect(submission):
        if on_every_case(submission) is not None:
            return ""
        failure, answered = submission.failure, submission.values
        expected = submission.problem.outputs_of(wrong_version)
        if failure is None or failure.kind != "raised" or len(answered) < 3 or expected is None:
            return None
        if all(map(submission.problem.returns.close, answered, expected)):
            what = submission.problem.describe_failure(submission)
            return f"(Then: {what[0].lower()}{what[1:]})"
        return None

    return detect


class SingleNeuronCorrelation(FunctionProblem):
    id = "single_neuron_correlation"
    title = "Approximating causation with correlation"
    section = "1"
    points = 2
    answer_name = "compute_connectivity_from_single_neuron"
    check_name = "check_compute_connectivity_from_single_neuron"
    check_doc = """Check Coding Exercise 1: one neuron's effects, estimated by lagged correlation.

    The student writes ``compute_connectivity_from_single_neuron(X, selected_neuron)``.

    The function is run on several simulated recordings (1 to 8 neurons, odd
    and even lengths, the first, a middle and the last neuron selected, and
    the tutorial's own 6 neurons over 5000 timesteps) and compared with the
    reference.

    Examples
    --------
    >>> def stub(X, selected_neuron):
    ...     raise NotImplementedError
    >>> check_compute_connectivity_from_single_neuron(stub).status
    'not_attempted'
    """
    shape_meaning = "(n_neurons,)"
    domain = (
        "recordings made by simulate_neurons from networks drawn by create_connectivity (as "
        "the tutorial records its own), of any length of at least 3 timesteps, odd or even; "
        "any network size (1 to 8 neurons are tested); any selected neuron"
    )
    hints = (
        "Entry i of the estimate is the correlation, across time, between neuron i's activity "
        "one step later and the selected neuron's activity now: `next_activity[neuron_idx]` "
        "(steps 1 to T - 1) with `current_activity` (steps 0 to T - 2).",
        "`np.corrcoef(a, b)` returns the 2 x 2 correlation matrix of the two arrays: its "
        "diagonal is each array with itself (always 1), its off-diagonal entry `[0, 1]` is "
        "the correlation between them.",
        "`correlation = np.corrcoef(this_output_activity, current_activity)[0, 1]`. Take the "
        "number of neurons from `X.shape[0]`, not from a notebook variable.",
    )
    solution = '''\
def compute_connectivity_from_single_neuron(X, selected_neuron):
    """Correlation of every neuron's activity at t + 1 with `selected_neuron`'s at t."""
    n_neurons = X.shape[0]  # from the recording, not from a notebook variable
    current_activity = X[selected_neuron, :-1]  # the selected neuron at t
    next_activity = X[:, 1:]  # every neuron at t + 1
    estimated_connectivity = np.zeros(n_neurons)
    for neuron_idx in range(n_neurons):
        this_output_activity = next_activity[neuron_idx]
        # np.corrcoef returns the 2 x 2 correlation matrix; [0, 1] is between the two.
        correlation = np.corrcoef(this_output_activity, current_activity)[0, 1]
        estimated_connectivity[neuron_idx] = correlation
    return estimated_connectivity
'''
    mistakes = (
        calls_reference(correlation.compute_connectivity_from_single_neuron),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        RETURNED_LIST,
        Mistake(
            id="diagonal_entry",
            message="Every entry of your estimate is 1: that is the correlation of an activity "
            "with itself, a diagonal entry of np.corrcoef's matrix ([0, 0] or [1, 1]), or the "
            "same array passed twice. The correlation between the two arrays is the "
            "off-diagonal entry: np.corrcoef(this_output_activity, current_activity)[0, 1].",
            detected_by="every entry is 1",
            detect=_seen(_ones),
        ),
        Mistake(
            id="same_time",
            message="You correlated activities at the same time step. The selected neuron's "
            "effect shows one step later: correlate every neuron's activity at t + 1, "
            "X[:, 1:], with the selected neuron's at t, X[selected_neuron, :-1].",
            detected_by="same as correlating steps 0..T-2 with 0..T-2, 1..T-1 with 1..T-1, or "
            "the whole recordings",
            detect=either(
                _seen(_same_time_before), _seen(_same_time_after), _seen(_same_time_whole)
            ),
        ),
        Mistake(
            id="effects_on_selected",
            message="You estimated the effects of every neuron on the selected neuron, rather "
            "than of the selected neuron on every neuron: either the lag is reversed (the "
            "selected neuron at t + 1 with the others at t), or you took the selected neuron's "
            "row of the lagged correlation matrix instead of its column. Correlate every "
            "neuron at t + 1, X[:, 1:], with the selected neuron at t, X[selected_neuron, :-1]: "
            "R[i, j] is the effect of j on i, so the selected neuron's effects are its column.",
            detected_by="same as correlating the selected neuron at t + 1 with every neuron at "
            "t (equivalently, row selected_neuron of R)",
            detect=_seen(_effects_on_selected),
        ),
        Mistake(
            id="own_future_only",
            message="Every entry of your estimate is the same number, the selected neuron's "
            "correlation with its own next step: inside the loop, correlate neuron "
            "neuron_idx's next activity, next_activity[neuron_idx], with the selected neuron's "
            "current activity.",
            detected_by="same as repeating the selected neuron's correlation with its own "
            "next step",
            detect=_seen(_own_future_everywhere),
        ),
        Mistake(
            id="covariance_not_correlation",
            message="You computed covariances, not correlations: np.cov (or the average "
            "product of centred activities) keeps the neurons' scales. Use np.corrcoef, or "
            "divide the covariance by both standard deviations.",
            detected_by="same as np.cov (ddof=1 or ddof=0) of the lagged activities",
            detect=either(_seen(_covariances), _seen(_population_covariances)),
        ),
        Mistake(
            id="mixed_normalisations",
            message="Your estimates are the correlations scaled by (N - 1) / N or N / (N - 1), "
            "N = timesteps - 1 pairs of steps: the standard deviations and the average of the "
            "products use different normalisations. Use np.std's default (ddof=0) with np.mean "
            "of the products of z-scores, or ddof=1 with their sum divided by N - 1 (or simply "
            "np.corrcoef).",
            detected_by="same as the correlations times (N - 1) / N or N / (N - 1)",
            detect=either(_seen(_shrunk), _seen(_stretched)),
        ),
        ignores_index(
            "selected_neuron",
            "middle_neuron",
            message="Your function returns the same estimate whatever selected_neuron is: take "
            "the selected neuron's activity with X[selected_neuron, :-1], using the argument, "
            "not a fixed neuron or a notebook variable.",
        ),
    )

    @property
    def reference(self):
        return correlation.compute_connectivity_from_single_neuron

    @property
    def reference_functions(self):
        # Column selected_neuron of the all-neurons estimate is the whole exercise.
        return (
            correlation.compute_connectivity_from_single_neuron,
            correlation.correlation_for_all_neurons,
        )

    def build_cases(self):
        return (
            _recording("last_neuron", 3, 200, 2, 5, 0.5),
            _recording("first_neuron", 4, 301, 0, 3, 0.5),
            _recording("tutorial", 6, 5000, 1, 42, 0.9, " (the tutorial's recording)"),
            _recording("middle_neuron", 8, 1001, 3, 7, 0.7),
            _recording("one_neuron", 1, 150, 0, 1, 0.0),
        )

    def accepts(self, submission):
        for alternative in (_ccf_adjusted, _ccf_biased):
            if same_as(alternative)(submission) is not None:
                return (
                    "Your estimates standardise each neuron over its whole recording and then "
                    "average the lagged products (over T - 1 or T): the sample cross-correlation "
                    "at lag 1, a right estimate of the same thing. np.corrcoef, as in the "
                    "tutorial, standardises the two windows (steps 0..T-2 and 1..T-1) "
                    "separately instead, so your numbers differ from the tutorial's by a "
                    "fraction of a percent (about 0.0001 on its recording); its figure looks "
                    "the same."
                )
        return None

    def correct_message(self):
        return (
            "Your estimates equal the reference's on every test recording (1 to 8 neurons, "
            "150 to 5000 timesteps, first, middle and last neuron selected), so your figure "
            "matches the tutorial's."
        )

    def describe_wrong(self, submission):
        reference = self.outputs_of(self.reference)
        for case, got, expected in zip(self.cases(), submission.outputs, reference, strict=True):
            if not close_enough(got, expected):
                worst = int(np.argmax(np.abs(got - expected)))
                right, yours = format_numbers(expected, 4), format_numbers(got, 4)
                return (
                    f"Called with {case.description}, it should return {right}, "
                    f"but your function returned {yours} (the largest difference is "
                    f"in entry {worst}: {got[worst] - expected[worst]:+.4g})."
                )
        return "Your function's results differ from the reference's."
