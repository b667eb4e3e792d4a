"""Exercise 2: simulating the network, ``simulate_neurons(A, timesteps, random_state=42)``."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ...checking.answers import as_numeric_array
from ...checking.common_mistakes import GLOBAL_SIZE, HARD_CODED_SIZE, RETURNED_LIST, calls_reference
from ...checking.kinds import (
    Case,
    FunctionProblem,
    Mistake,
    either,
    format_numbers,
    random_connectivity,
    same_as,
)
from ...model import simulation
from ...model.simulation import sigmoid

_TUTORIAL_NETWORK = " (the tutorial's network)"


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
            found.append(f"its mean is {format_numbers(self.mean)} (should be 0)")
        if not np.all(np.abs(self.sd - 1) <= _NOISE_SD_TOLERANCE):
            found.append(f"its standard deviation is {format_numbers(self.sd)} (should be 1)")
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
    return f"(The noise your simulation used has mean {format_numbers(summary.mean)}.)"


def _detect_noise_wrong_scale(summary):
    if summary.dynamics_off() or np.all(np.abs(summary.sd - 1) <= _NOISE_SD_TOLERANCE):
        return None
    return f"(The noise your simulation used has standard deviation {format_numbers(summary.sd)}.)"


def _detect_noise_outside_statistically(submission):
    X, summary = _statistics_activity(submission), _noise_under(submission, "outside")
    if X is None or summary is None or np.all((X >= 0) & (X <= 1)):
        return None
    return "" if summary.looks_standard() else None


def _detect_values_outside_unit_interval(submission):
    # Only the cases run so far have an entry in `values`.
    for case, X in zip(submission.problem.cases(), submission.values, strict=False):
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
            start = format_numbers(X[:, 0])
            return f"(Called with {case.description}, it starts from X[:, 0] = {start}.)"
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


class SimulateNeurons(FunctionProblem):
    id = "simulate_neurons"
    title = "System simulation"
    section = "2"
    points = 2
    answer_name = "simulate_neurons"
    check_name = "check_simulate_neurons"
    check_doc = """Check Exercise 2: ``simulate_neurons(A, timesteps, random_state=42)``.

    The function is run on several networks (1 to 6 neurons, odd and even
    numbers of timesteps, several seeds) and compared with the reference. A
    simulation that draws its noise in another order, or with another
    standard normal generator, is correct too: its dynamics are then checked
    statistically.

    Examples
    --------
    >>> from nmacausal import simulate_neurons
    >>> check_simulate_neurons(simulate_neurons).mistake
    'calls_reference'
    """
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
        calls_reference(simulation.simulate_neurons),
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
            case("seeds", random_connectivity(2, 1), 6, 1),
            case("one_step", random_connectivity(4, 2), 1, 2),
            case("two_steps", random_connectivity(5, 3), 2, 3),
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
            f"noise it used has mean {format_numbers(summary.mean)} and standard deviation "
            f"{format_numbers(summary.sd)}). It draws the noise in another order than the "
            f"tutorial, so your numbers and figure differ from the tutorial's; that is fine."
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
