"""The tutorial's exercises, each described once.

Each exercise is a declaration on one of the kinds of problem in
:mod:`nmacausal._problems` (a value, or a function): its identity, points,
hints, solution, reference and catalogue of mistakes, with the detectors that
recognise each mistake. :data:`EXERCISES` lists them in tutorial order; the
notebooks' check cells, nbgrader's grade cells and the instructors' report
are derived from it. The checker functions students call live in
:mod:`nmacausal.checks`.
"""

from __future__ import annotations

import functools
import numbers
import types
from dataclasses import dataclass

import numpy as np

from . import estimation, simulation
from ._problems import (
    SAME_NUMBER,
    Case,
    Exercise,
    FunctionProblem,
    Mistake,
    Submission,
    ValueProblem,
    as_numeric_array,
    as_real_number,
    close_enough,
    either,
    same_as,
)
from ._student_code import global_names_read, integer_literals, names_in_code
from ._validation import _describe
from .simulation import isolated_random_state, sigmoid

__all__ = [
    "EXERCISES",
    "Exercise",
    "FunctionProblem",
    "Mistake",
    "Submission",
    "ValueProblem",
    "get_exercise",
]


# ------------------------------------------------------- mistakes shared by the function exercises


def _calls_reference(reference) -> Mistake:
    """The mistake of handing the exercise to nmacausal's own implementation of it.

    Seen in the code (the function is the reference, or names it through a
    global) or, however it was reached, in what the function called while it
    was checked (:class:`~nmacausal._student_code.ReferenceWatch`).
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
    "`n_neurons = len(A)` or `n_neurons = perturbed_X.shape[0]`.",
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
    "example `n_neurons = len(A)` or `n_neurons = perturbed_X.shape[0]`, so that it works on "
    "a network of any size.",
    detected_by="works on the tutorial's network, fails on one of another size, and the code "
    "holds one of the tutorial's sizes as a number",
    detect=_detect_hard_coded_size,
)


_TUTORIAL_NETWORK = " (the tutorial's network)"


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


# -------------------------------------------------------------- exercise 1: a randomized trial

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


# ------------------------------------------------------- exercise 2: simulating the network


def _simulate_variant(
    A, timesteps, random_state=42, *, drive, reseed_each_step=False, write_current_step=False
):
    """A student-style simulation loop, with one of the catalogued mistakes.

    Draws the noise in the tutorial's order (``n`` standard normals per
    step), so on the same seed it differs from the reference only by the mistake.
    """
    np.random.seed(random_state)
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        if reseed_each_step:
            np.random.seed(random_state)
        noise = np.random.standard_normal(n_neurons)
        X[:, t if write_current_step else t + 1] = drive(A, X[:, t], noise)
    return X


def _drive_without_sigmoid(A, x, noise):
    return A @ x + noise


def _drive_without_noise(A, x, noise):
    return sigmoid(A @ x)


def _drive_transposed(A, x, noise):
    return sigmoid(A.T @ x + noise)


def _drive_noise_outside_sigmoid(A, x, noise):
    return sigmoid(A @ x) + noise


def _drive_right(A, x, noise):
    return sigmoid(A @ x + noise)


_without_sigmoid = functools.partial(_simulate_variant, drive=_drive_without_sigmoid)
_without_noise = functools.partial(_simulate_variant, drive=_drive_without_noise)
_transposed_connectivity = functools.partial(_simulate_variant, drive=_drive_transposed)
_noise_outside_sigmoid = functools.partial(_simulate_variant, drive=_drive_noise_outside_sigmoid)
_reseeded_each_step = functools.partial(
    _simulate_variant, drive=_drive_right, reseed_each_step=True
)
_wrote_current_step = functools.partial(
    _simulate_variant, drive=_drive_right, write_current_step=True
)

# The statistics case: strong, lopsided connections, so that A and A.T give clearly
# different dynamics, and enough steps to measure the noise to within about 0.02.
_STATISTICS_CONNECTIVITY = np.array([[0.0, 2.5, 0.0], [0.0, 0.5, -2.0], [3.0, 0.0, 0.0]])
_STATISTICS_TIMESTEPS = 3001
# Tolerances on the noise a correct simulation implies on the statistics case, each
# at least five standard errors of its estimate. Over 400 seeds, the largest seen
# were 0.061 (mean), 0.042 (sd), 0.066 (both correlations) and 3.96 standard errors
# (dependence on the previous activity).
_NOISE_MEAN_TOLERANCE = 0.1
_NOISE_SD_TOLERANCE = 0.1
_NOISE_CORRELATION_TOLERANCE = 0.1
_NOISE_DEPENDENCE_TOLERANCE = 6.0  # in standard errors of the regression coefficient
# A single standard normal beyond this happens once in 10**11 draws.
_LARGEST_PLAUSIBLE_NOISE = 7.0


def _logit(p):
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class _NoiseSummary:
    """The noise a simulation must have drawn if it followed a hypothesised update.

    ``residual[:, t]`` is that noise at step t; the other fields summarise it
    per neuron (``mean``, ``sd``) or as the worst neuron or pair: correlation
    from one step to the next (``serial``), between neurons (``shared``), and
    and how much it still depends on the previous activity (``dependence``: the
    largest regression coefficient on it, in standard errors).
    """

    residual: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    serial: float
    shared: float
    dependence: float

    @classmethod
    def of(cls, residual, previous):
        n_neurons = residual.shape[0]
        serial = max(abs(_correlation(row[:-1], row[1:])) for row in residual)
        shared = max(
            (
                abs(_correlation(residual[i], residual[j]))
                for i in range(n_neurons)
                for j in range(i)
            ),
            default=0.0,
        )
        return cls(
            residual=residual,
            mean=residual.mean(axis=1),
            sd=residual.std(axis=1),
            serial=serial,
            shared=shared,
            dependence=_largest_t_statistic(residual, previous),
        )

    def dynamics_off(self) -> bool:
        """Does the noise still depend on the past? Then the update, not the noise, is wrong."""
        return not (
            self.dependence <= _NOISE_DEPENDENCE_TOLERANCE
            and self.serial <= _NOISE_CORRELATION_TOLERANCE
        )

    def looks_standard(self) -> bool:
        """Independent standard normal noise, unrelated to the previous activity?"""
        return not self.problems()

    def problems(self) -> list[str]:
        """What is wrong with the noise, in words (empty if nothing is)."""
        found = []
        if not np.all(np.abs(self.mean) <= _NOISE_MEAN_TOLERANCE):
            found.append(f"its mean is {_numbers(self.mean)} (should be 0)")
        if not np.all(np.abs(self.sd - 1) <= _NOISE_SD_TOLERANCE):
            found.append(f"its standard deviation is {_numbers(self.sd)} (should be 1)")
        if not self.serial <= _NOISE_CORRELATION_TOLERANCE:
            found.append(f"it is correlated from one step to the next (r = {self.serial:.2f})")
        if not self.shared <= _NOISE_CORRELATION_TOLERANCE:
            found.append(f"it is correlated between neurons (r = {self.shared:.2f})")
        if not self.dependence <= _NOISE_DEPENDENCE_TOLERANCE:
            found.append(
                f"it still depends on the previous activity (a regression coefficient "
                f"{self.dependence:.1f} standard errors from 0), so the input is not A @ X[:, t]"
            )
        return found


def _largest_t_statistic(residual, previous) -> float:
    """How strongly the residual still depends on the previous activity.

    Each neuron's residual is regressed on the previous activity of every
    neuron (and a constant); the result is the largest |coefficient| over
    its standard error (infinite when it cannot be measured).
    """
    design = np.vstack([previous, np.ones(previous.shape[1])]).T
    coefficients = np.linalg.lstsq(design, residual.T, rcond=None)[0]
    left_over = residual.T - design @ coefficients
    variance = (left_over**2).sum(axis=0) / max(design.shape[0] - design.shape[1], 1)
    unscaled = np.diag(np.linalg.pinv(design.T @ design))[:-1]
    t_statistics = np.abs(coefficients[:-1]) / np.sqrt(np.outer(unscaled, variance))
    return float(t_statistics.max()) if np.all(np.isfinite(t_statistics)) else float("inf")


def _correlation(first, second) -> float:
    value = np.corrcoef(first, second)[0, 1]
    return float(value) if np.isfinite(value) else 0.0


def _numbers(values) -> str:
    return ", ".join(f"{value:.2f}" for value in np.atleast_1d(values))


def _statistics_activity(submission):
    """The student's activity on the statistics case, if every case gave a usable answer."""
    return None if submission.outputs is None else submission.output_of("statistics")


def _noise_under(submission, hypothesis):
    """The :class:`_NoiseSummary` of the statistics case under ``hypothesis``, or ``None``.

    ``hypothesis`` is ``"right"`` (sigmoid of A x plus noise), ``"transposed"``
    (A.T instead of A) or ``"outside"`` (noise added after the sigmoid).
    """
    key = ("noise", hypothesis)
    if key not in submission.memo:
        submission.memo[key] = _noise_summary(_statistics_activity(submission), hypothesis)
    return submission.memo[key]


def _noise_summary(X, hypothesis):
    if X is None or X.shape[1] < 3:
        return None
    previous, following = X[:, :-1], X[:, 1:]
    A = _STATISTICS_CONNECTIVITY
    if hypothesis == "outside":
        residual = following - sigmoid(A @ previous)
    elif not np.all((following > 0) & (following < 1)):
        return None  # no finite drive through a sigmoid gives these values
    else:
        connectivity = A.T if hypothesis == "transposed" else A
        residual = _logit(following) - connectivity @ previous
    return _NoiseSummary.of(residual, previous)


def _noise_test(test):
    """A detector that applies ``test`` to the noise implied by the right update."""

    def detect(submission):
        summary = _noise_under(submission, "right")
        return None if summary is None else test(summary)

    return detect


def _detect_no_noise_statistically(summary):
    return "" if np.abs(summary.residual).max() < 1e-6 else None


def _detect_same_noise_statistically(summary):
    return "" if summary.residual.std(axis=1).max() < 1e-6 else None


def _detect_shared_noise(summary):
    shared = summary.residual.shape[0] > 1 and summary.shared > 0.99
    return "" if shared else None


def _detect_noise_not_centred(summary):
    if summary.dynamics_off() or np.all(np.abs(summary.mean) <= _NOISE_MEAN_TOLERANCE):
        return None
    return f"(The noise your simulation used has mean {_numbers(summary.mean)}.)"


def _detect_noise_wrong_scale(summary):
    if summary.dynamics_off() or np.all(np.abs(summary.sd - 1) <= _NOISE_SD_TOLERANCE):
        return None
    return f"(The noise your simulation used has standard deviation {_numbers(summary.sd)}.)"


def _detect_noise_outside_statistically(submission):
    X, summary = _statistics_activity(submission), _noise_under(submission, "outside")
    if X is None or summary is None or np.all((X >= 0) & (X <= 1)):
        return None
    return "" if summary.looks_standard() else None


def _detect_values_outside_unit_interval(submission):
    # Only the cases run so far have an entry in `arrays`.
    for case, X in zip(submission.problem.cases(), submission.arrays, strict=False):
        if X is None or X.ndim != 2 or X.shape[1] < 2:
            continue
        later = X[:, 1:][np.isfinite(X[:, 1:])]
        if later.size and (later.min() < 0 or later.max() > 1):
            return f"(Called with {case.description}, it reaches {_extreme(later):.3g}.)"
    return None


def _extreme(values):
    return values.min() if values.min() < 0 else values.max()


def _detect_transposed_statistically(submission):
    summary = _noise_under(submission, "transposed")
    return "" if summary is not None and summary.looks_standard() else None


def _detect_current_step_statistically(submission):
    X = _statistics_activity(submission)
    if X is not None and np.all(X[:, 0] != 0) and np.all(X[:, -1] == 0):
        return ""
    return None


def _detect_initial_state_not_zero(submission):
    for case, X in zip(submission.problem.cases(), submission.outputs or (), strict=False):
        if np.any(X[:, 0] != 0):
            return (
                f"(Called with {case.description}, it starts from X[:, 0] = {_numbers(X[:, 0])}.)"
            )
    return None


def _detect_transposed_result(submission):
    failure = submission.failure
    if failure is None or failure.kind != "shape":
        return None
    expected, got = failure.case.expected_shape, np.shape(failure.value)
    if len(got) == 2 and got == expected[::-1]:
        return f"(Called with {failure.case.description}, it returns shape {got}.)"
    return None


def _detect_loop_past_end(submission):
    failure = submission.failure
    if failure is None or not isinstance(failure.error, IndexError):
        return None
    if "out of bounds for axis 1" in str(failure.error):
        return submission.problem.describe_failure(submission)
    return None


def _probe_again(submission, *, random_state=None, global_seed=0):
    """The student's activity on the seeds case, called again with other seeds."""
    A, timesteps, seed = submission.problem.case("seeds").fresh_args()
    call = submission.call(
        (A, timesteps, seed if random_state is None else random_state), global_seed=global_seed
    )
    return as_numeric_array(call.value) if call.returned else None


def _detect_ignores_random_state(submission):
    first = submission.output_of("seeds")
    if first is None:
        return None
    again = _probe_again(submission, global_seed=1)
    return "" if again is not None and not np.array_equal(again, first) else None


def _detect_fixed_seed(submission):
    first = submission.output_of("seeds")
    if first is None:
        return None
    seed = submission.problem.case("seeds").args[2]
    other = _probe_again(submission, random_state=seed + 1)
    return "" if other is not None and np.array_equal(other, first) else None


def _random_connectivity(n_neurons, seed):
    """A dense, lopsided test matrix, drawn without touching NumPy's global stream."""
    return np.random.default_rng(seed).normal(0.0, 1.0, size=(n_neurons, n_neurons))


class SimulateNeurons(FunctionProblem):
    id = "simulate_neurons"
    title = "System simulation"
    section = "2"
    points = 2
    answer_name = "simulate_neurons"
    check_name = "check_simulate_neurons"
    shape_meaning = "(n_neurons, timesteps)"
    domain = (
        "any square connectivity matrix A (1 to 6 neurons are tested, the tutorial's network "
        "among them), any number of timesteps from 1, any random_state"
    )
    hints = (
        "On every step, each neuron adds up its inputs, `A @ X[:, t]` (row i of A weights the "
        "inputs of neuron i), adds its noise `epsilon`, and passes the sum through `sigmoid`.",
        "That result is the activity at the *next* step: assign it to `X[:, t + 1]`. Column "
        "`X[:, t]` is the current activity; column 0 stays at 0.",
        "The missing line is `X[:, t + 1] = sigmoid(A @ X[:, t] + epsilon)`. `X[:, t] @ A` or "
        "`A.T` would run the connections backwards.",
    )
    solution = '''\
def simulate_neurons(A, timesteps, random_state=42):
    """Simulate x[t + 1] = sigmoid(A @ x[t] + noise) from x[0] = 0."""
    np.random.seed(random_state)
    n_neurons = len(A)  # from the connectivity, not from a notebook variable
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        epsilon = np.random.standard_normal(n_neurons)  # N(0, I): one draw per neuron
        # Each neuron's input is its row of A times the current activity.
        X[:, t + 1] = sigmoid(A @ X[:, t] + epsilon)
    return X
'''
    mistakes = (
        _calls_reference(simulation.simulate_neurons),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        RETURNED_LIST,
        Mistake(
            id="transposed_result",
            message="Your result is transposed: X needs one row per neuron and one column per "
            "timestep, shape (n_neurons, timesteps).",
            detected_by="the result has the expected shape reversed",
            detect=_detect_transposed_result,
        ),
        Mistake(
            id="loop_past_end",
            message="The loop runs one step too far: with X[:, t + 1] on the left, the last t "
            "is timesteps - 2, so loop over range(timesteps - 1).",
            detected_by="an IndexError on axis 1 (the time axis)",
            detect=_detect_loop_past_end,
        ),
        Mistake(
            id="wrote_current_step",
            message="You overwrite the current step instead of filling in the next one: the "
            "update computed from X[:, t] goes into X[:, t + 1].",
            detected_by="same as writing into X[:, t] on the tutorial's stream; statistically, "
            "a first column that is not 0 with a last column that is",
            detect=either(same_as(_wrote_current_step), _detect_current_step_statistically),
        ),
        Mistake(
            id="initial_state_not_zero",
            message="The simulation starts from silence: X[:, 0] stays 0 (np.zeros gives that), "
            "and the loop fills in columns 1 to timesteps - 1.",
            detected_by="the first column is not 0",
            detect=_detect_initial_state_not_zero,
        ),
        Mistake(
            id="noise_outside_sigmoid",
            message="The noise belongs inside the sigmoid: sigmoid(A @ X[:, t] + epsilon), not "
            "sigmoid(A @ X[:, t]) + epsilon. Check the brackets.",
            detected_by="same as adding the noise after the sigmoid on the tutorial's stream; "
            "statistically, activity minus sigmoid(A x) is standard normal",
            detect=either(same_as(_noise_outside_sigmoid), _detect_noise_outside_statistically),
        ),
        Mistake(
            id="no_sigmoid",
            message="The new activity must go through the sigmoid: X[:, t + 1] = "
            "sigmoid(A @ X[:, t] + epsilon). Yours leaves [0, 1], which a sigmoid never does.",
            detected_by="same as leaving out the sigmoid on the tutorial's stream; otherwise "
            "activity outside [0, 1]",
            detect=either(same_as(_without_sigmoid), _detect_values_outside_unit_interval),
        ),
        Mistake(
            id="transposed_connectivity",
            message="The connections run backwards: A[i, j] is the effect of neuron j on neuron "
            "i, so the input to the network is A @ X[:, t]. A.T @ x, x @ A and np.dot(x, A) all "
            "use the transpose.",
            detected_by="same as using A.T on the tutorial's stream; statistically, the dynamics "
            "fit A.T and not A",
            detect=either(same_as(_transposed_connectivity), _detect_transposed_statistically),
        ),
        Mistake(
            id="no_noise",
            message="Your simulation has no noise: add epsilon inside the sigmoid, "
            "sigmoid(A @ X[:, t] + epsilon).",
            detected_by="same as leaving out the noise; statistically, no noise at all",
            detect=either(same_as(_without_noise), _noise_test(_detect_no_noise_statistically)),
        ),
        Mistake(
            id="reseeded_in_loop",
            message="The noise is the same on every step: seed once, before the loop. "
            "Reseeding inside the loop (or drawing epsilon once, before the loop) repeats the "
            "same numbers.",
            detected_by="same as reseeding on every step; statistically, noise constant in time",
            detect=either(
                same_as(_reseeded_each_step), _noise_test(_detect_same_noise_statistically)
            ),
        ),
        Mistake(
            id="noise_shared_across_neurons",
            message="Every neuron gets the same noise: draw an independent value for each "
            "neuron on every step (a vector of n_neurons values), not a single number.",
            detected_by="the noise of every neuron is the same",
            detect=_noise_test(_detect_shared_noise),
        ),
        Mistake(
            id="noise_not_centred",
            message="The noise must have mean 0. np.random.rand draws from [0, 1), mean 0.5; "
            "draw standard normal noise, for example np.random.randn(n_neurons).",
            detected_by="the noise the simulation implies has a mean far from 0",
            detect=_noise_test(_detect_noise_not_centred),
        ),
        Mistake(
            id="noise_wrong_scale",
            message="The noise has the wrong size: it must be standard normal, standard "
            "deviation 1 for every neuron, as np.random.standard_normal(n_neurons) or "
            "np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons)) draw it.",
            detected_by="the noise the simulation implies has a standard deviation far from 1",
            detect=_noise_test(_detect_noise_wrong_scale),
        ),
        Mistake(
            id="ignores_random_state",
            message="Two calls with the same random_state gave different activity: start with "
            "np.random.seed(random_state), so that a simulation can be reproduced.",
            detected_by="calling again with the same random_state (and another global random "
            "state) gives other numbers",
            detect=_detect_ignores_random_state,
        ),
        Mistake(
            id="fixed_seed",
            message="Different values of random_state gave the same activity: seed with the "
            "argument, np.random.seed(random_state), not with a fixed number.",
            detected_by="calling with another random_state gives the same numbers",
            detect=_detect_fixed_seed,
        ),
    )

    @property
    def reference(self):
        return simulation.simulate_neurons

    @property
    def reference_functions(self):
        # The dynamics' private steps are the reference too; simulate_neurons_perturb runs
        # them as well, so a call to it from an answer is a call into the reference.
        return (simulation.simulate_neurons, simulation._run_dynamics, simulation._run_blocks)

    def build_cases(self):
        def case(name, A, timesteps, random_state, note=""):
            description = (
                f"A of shape {A.shape}, timesteps={timesteps}, random_state={random_state}{note}"
            )
            sizes = {"number of neurons": A.shape[0], "number of timesteps": timesteps}
            shape = (A.shape[0], timesteps)
            return Case(name, (A, timesteps, random_state), description, shape, sizes)

        return (
            case("one_neuron", np.array([[0.8]]), 7, 0),
            case("seeds", _random_connectivity(2, 1), 6, 1),
            case("one_step", _random_connectivity(4, 2), 1, 2),
            case("two_steps", _random_connectivity(5, 3), 2, 3),
            case("tutorial", simulation.create_connectivity(6), 5000, 42, _TUTORIAL_NETWORK),
            case("statistics", _STATISTICS_CONNECTIVITY, _STATISTICS_TIMESTEPS, 7),
        )

    def correct_message(self):
        return (
            "Your simulation reproduces the tutorial's numbers exactly on every test "
            "network (1 to 6 neurons, 1 to 5000 timesteps, several seeds), so your figure "
            "matches the tutorial's."
        )

    def accepts(self, submission):
        summary = _noise_under(submission, "right")
        if summary is None or not summary.looks_standard():
            return None
        for case, X in zip(self.cases(), submission.outputs, strict=True):
            A = case.args[0]
            following = X[:, 1:]
            if np.any(X[:, 0] != 0) or not np.all((following > 0) & (following < 1)):
                return None
            if np.any(np.abs(_logit(following) - A @ X[:, :-1]) > _LARGEST_PLAUSIBLE_NOISE):
                return None
        return (
            f"Your simulation follows x[t + 1] = sigmoid(A @ x[t] + epsilon) with standard "
            f"normal noise (on a 3-neuron test network over {_STATISTICS_TIMESTEPS} steps the "
            f"noise it used has mean {_numbers(summary.mean)} and standard deviation "
            f"{_numbers(summary.sd)}). It draws the noise in another order than the tutorial, "
            f"so your numbers and figure differ from the tutorial's; that is fine."
        )

    def describe_wrong(self, submission):
        summary = _noise_under(submission, "right")
        prefix = (
            "Your activity does not follow x[t + 1] = sigmoid(A @ x[t] + epsilon) with standard "
            "normal epsilon"
        )
        if summary is not None and summary.problems():
            return (
                f"{prefix}: on a 3-neuron test network over {_STATISTICS_TIMESTEPS} steps, the "
                f"noise it implies is off: {'; '.join(summary.problems())}."
            )
        return (
            f"{prefix}: on one of the test networks the step from X[:, t] to X[:, t + 1] would "
            f"need noise far larger than a standard normal ever draws."
        )


# --------------------------------------- exercise 3.2: the effects of one perturbed neuron


def _recording(name, A, timesteps, selected_neuron, random_state, note="", *, advice=""):
    """A case of exercise 3.2: a perturbed recording of network ``A`` and a neuron to select."""
    perturbed_X = simulation.simulate_neurons_perturb(A, timesteps, random_state=random_state)
    n_neurons = A.shape[0]
    description = (
        f"perturbed_X of shape {perturbed_X.shape} ({n_neurons} "
        f"{'neuron' if n_neurons == 1 else 'neurons'}, {timesteps} timesteps), "
        f"selected_neuron={selected_neuron}{note}"
    )
    sizes = {"number of neurons": n_neurons, "number of timesteps": timesteps}
    return Case(name, (perturbed_X, selected_neuron), description, (n_neurons,), sizes, advice)


def _split_by_selected(perturbed_X, selected_neuron):
    """Clamped states, next-step outcomes and the selected neuron's 1 / 0 steps."""
    perturbations, outcomes = estimation.perturbation_outcome_pairs(perturbed_X)
    set_to_one = perturbations[selected_neuron] == 1
    set_to_zero = perturbations[selected_neuron] == 0
    return perturbations, outcomes, set_to_one, set_to_zero


def _zeros_minus_ones(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return outcomes[:, zeros].mean(axis=1) - outcomes[:, ones].mean(axis=1)


def _outcomes_at_perturbation(perturbed_X, selected_neuron):
    perturbations, _, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return perturbations[:, ones].mean(axis=1) - perturbations[:, zeros].mean(axis=1)


def _effects_onto_selected(perturbed_X, selected_neuron):
    perturbations, outcomes, _, _ = _split_by_selected(perturbed_X, selected_neuron)
    target = outcomes[selected_neuron]
    return np.array([target[row == 1].mean() - target[row == 0].mean() for row in perturbations])


def _sums_not_means(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return outcomes[:, ones].sum(axis=1) - outcomes[:, zeros].sum(axis=1)


def _medians_not_means(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return np.median(outcomes[:, ones], axis=1) - np.median(outcomes[:, zeros], axis=1)


def _selected_outcome_everywhere(perturbed_X, selected_neuron):
    own = estimation.get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron)
    return np.full(perturbed_X.shape[0], own[selected_neuron])


def _detect_ignores_selected_neuron(submission):
    first = submission.output_of("middle_neuron")
    if first is None:
        return None
    perturbed_X, selected = submission.problem.case("middle_neuron").fresh_args()
    other = (selected + 1) % perturbed_X.shape[0]
    call = submission.call((perturbed_X, other))
    again = as_numeric_array(call.value) if call.returned else None
    if again is not None and np.array_equal(again, first):
        return f"(selected_neuron={selected} and selected_neuron={other} gave the same result.)"
    return None


def _detect_empty_selection(submission):
    # The NaN may come as an array of the right shape, or collapsed to one number
    # (np.mean of an empty list along an axis of a list).
    failure = submission.failure
    if failure is None or failure.kind not in ("not_finite", "shape", "type"):
        return None
    try:
        values = np.asarray(failure.value, dtype=float)
    except (TypeError, ValueError):
        return None
    return "" if np.isnan(values).any() else None


class SingleNeuronEffect(FunctionProblem):
    id = "single_neuron_effect"
    title = "Using perturbed dynamics to recover connectivity"
    section = "3.2"
    points = 2
    answer_name = "get_perturbed_connectivity_from_single_neuron"
    check_name = "check_perturbed_connectivity_from_single_neuron"
    shape_meaning = "(n_neurons,)"
    domain = (
        "recordings made as simulate_neurons_perturb makes them (every neuron clamped to 0 or 1 "
        "on the even steps, from step 0) with an even number of timesteps, as the tutorial "
        "records; any network size (1 to 6 neurons are tested); any selected neuron"
    )
    hints = (
        "For each neuron j: average its activity one step after the perturbation steps where "
        "the selected neuron was set to 1, and subtract its average one step after the steps "
        "where the selected neuron was set to 0.",
        "In the loop, `after_1` holds this neuron's activity one step after the perturbations "
        "that set the selected neuron to 1, and `after_0` one step after those that set it to "
        "0. The effect is the difference of their means.",
        "`effects[neuron] = np.mean(after_1) - np.mean(after_0)`. Take the number of neurons "
        "from `perturbed_X.shape[0]`, not from a notebook variable.",
    )
    solution = '''\
def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):
    """Effect of `selected_neuron` on every neuron, by a difference in means."""
    n_neurons = perturbed_X.shape[0]  # from the recording, not from a notebook variable
    timesteps = perturbed_X.shape[1]
    # Perturbations happen on even steps; the outcome of each is the step after it.
    clamp_steps = np.arange(0, timesteps - 1, 2)
    clamped = perturbed_X[selected_neuron, clamp_steps]  # 0 or 1 on each perturbation
    outcomes = perturbed_X[:, clamp_steps + 1]  # every neuron, one step later
    effects = np.zeros(n_neurons)
    for neuron in range(n_neurons):
        after_1 = outcomes[neuron, clamped == 1]
        after_0 = outcomes[neuron, clamped == 0]
        effects[neuron] = np.mean(after_1) - np.mean(after_0)
    return effects
'''
    mistakes = (
        _calls_reference(estimation.get_perturbed_connectivity_from_single_neuron),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        RETURNED_LIST,
        Mistake(
            id="empty_selection",
            message="Your estimate contains NaN, the mean of an empty selection: no step matched "
            "your condition. The perturbations (0 or 1) are on the even steps, "
            "perturbed_X[selected_neuron, ::2], and the outcomes on the odd steps, "
            "perturbed_X[:, 1::2].",
            detected_by="the result contains NaN",
            detect=_detect_empty_selection,
        ),
        Mistake(
            id="swapped_ones_zeros",
            message="Your signs are flipped: the effect is the mean outcome after the selected "
            "neuron was set to 1 minus the mean after it was set to 0, not the reverse.",
            detected_by="same as the mean for 0 minus the mean for 1",
            detect=same_as(_zeros_minus_ones),
        ),
        Mistake(
            id="outcome_at_perturbation_step",
            message="You read the outcomes on the perturbation steps themselves, where every "
            "neuron was just clamped to 0 or 1. The effect shows one step later: take the "
            "outcomes from the odd steps, perturbed_X[:, 1::2].",
            detected_by="same as taking outcomes from the even (clamped) steps",
            detect=same_as(_outcomes_at_perturbation),
        ),
        Mistake(
            id="effects_onto_selected",
            message="You estimated the effects of every neuron onto the selected neuron, not "
            "from it: split the steps by the selected neuron's perturbations, then compare "
            "every neuron's outcome.",
            detected_by="same as splitting by each neuron's perturbations and comparing the "
            "selected neuron's outcomes",
            detect=same_as(_effects_onto_selected),
        ),
        Mistake(
            id="sum_instead_of_mean",
            message="You summed the outcomes instead of averaging them: the two conditions have "
            "different numbers of steps, so take np.mean of each.",
            detected_by="same as a difference of sums",
            detect=same_as(_sums_not_means),
        ),
        Mistake(
            id="median_instead_of_mean",
            message="The estimate is a difference in means: use np.mean, not np.median.",
            detected_by="same as a difference of medians",
            detect=same_as(_medians_not_means),
        ),
        Mistake(
            id="outcome_of_selected_only",
            message="Every entry of your estimate is the same number: inside the loop, compare "
            "the outcomes of neuron neuron_idx (this_neuron_output), not of the selected neuron.",
            detected_by="same as repeating the selected neuron's own entry",
            detect=same_as(_selected_outcome_everywhere),
        ),
        Mistake(
            id="ignores_selected_neuron",
            message="Your function returns the same estimate whatever selected_neuron is: split "
            "the steps with perturbed_X[selected_neuron, ::2], using the argument, not a fixed "
            "neuron or a notebook variable.",
            detected_by="calling again with another selected_neuron gives the same result",
            detect=_detect_ignores_selected_neuron,
        ),
    )

    @property
    def reference(self):
        return estimation.get_perturbed_connectivity_from_single_neuron

    @property
    def reference_functions(self):
        # Pairing perturbations with outcomes is half of the exercise.
        return (
            estimation.get_perturbed_connectivity_from_single_neuron,
            estimation.perturbation_outcome_pairs,
        )

    def build_cases(self):
        return (
            _recording("last_neuron", _random_connectivity(2, 11), 40, 1, 1),
            _recording("middle_neuron", _random_connectivity(5, 12), 60, 2, 2),
            _recording("first_neuron", _random_connectivity(4, 13), 200, 0, 3),
            _recording(
                "tutorial", simulation.create_connectivity(6), 5000, 1, 42, _TUTORIAL_NETWORK
            ),
            _recording("one_neuron", np.array([[0.5]]), 40, 0, 0),
        )

    def build_probes(self):
        return (
            _recording(
                "odd_length",
                _random_connectivity(5, 12),
                61,
                2,
                2,
                advice="The tutorial always records an even number of timesteps, so this costs "
                "nothing here. With an odd number, the last perturbation step has no outcome "
                "after it (`perturbed_X[:, ::2]` has one column more than "
                "`perturbed_X[:, 1::2]`); pairing only the perturbations that have an outcome "
                "would make it work there too.",
            ),
        )

    def correct_message(self):
        return (
            "Your estimates equal the reference's on every test recording (1 to 6 "
            "neurons, 40 to 5000 timesteps, first, middle and last neuron selected), so your "
            "figure matches the tutorial's."
        )

    def describe_wrong(self, submission):
        reference = self.outputs_of(self.reference)
        for case, got, expected in zip(self.cases(), submission.outputs, reference, strict=True):
            if not close_enough(got, expected):
                return (
                    f"Called with {case.description}, it should return "
                    f"{_numbers(expected)}, but your function returned {_numbers(got)}."
                )
        return "Your function's results differ from the reference's."


# ------------------------------------------------------------------------------- registry

EXERCISES = (RandomizedTrial(), SimulateNeurons(), SingleNeuronEffect())


def get_exercise(key) -> Exercise:
    """Look an exercise up by its id or by the name of its answer.

    Parameters
    ----------
    key : str or Exercise
        ``"rct_diff_in_means"`` or ``"diff_in_means"``, for example. An
        :class:`Exercise` is returned unchanged.

    Returns
    -------
    Exercise

    Raises
    ------
    TypeError
        If ``key`` is not a string.
    ValueError
        If no exercise has that id or answer name.

    Examples
    --------
    >>> get_exercise("simulate_neurons").section
    '2'
    """
    if isinstance(key, Exercise):
        return key
    if not isinstance(key, str):
        raise TypeError(
            f"`key` must be an exercise id or answer name (a str), got {_describe(key)}."
        )
    for exercise in EXERCISES:
        if key in (exercise.id, exercise.answer_name):
            return exercise
    known = ", ".join(f"{exercise.id!r} ({exercise.answer_name!r})" for exercise in EXERCISES)
    raise ValueError(f"`key` must be one of the exercises {known}, got {key!r}.")
