"""Exercise 2.1: the network driven by an instrument, ``simulate_neurons_iv(n_neurons,
timesteps, eta, random_state=42)``.

How a right answer is recognised
--------------------------------
The student completes the tutorial's loop so that every neuron receives its
own binary instrument one step ahead, scaled by the instrument's strength:
``x[t + 1] = sigmoid(A x[t] + eta z[t + 1] + eps[t])``, and returns
``(A, X, Z)``. The reference is the model's
:func:`~nmacausal.model.instrumental.simulate_neurons_iv`, bit-identical to the
tutorial's loop (its seed, its draws in its order).

The function is called on several networks (4 to 6 neurons, 40 to 5000
timesteps, eta from 1 to 2, several seeds; the network of the tutorial's
Section 2.2 figure, 6 neurons with eta = 2 and random_state = 42, among them,
over 5000 of its 10000 timesteps, so that a check of the tutorial's scaffold,
``multivariate_normal`` on every step, stays under 2 seconds). An answer that
returns the reference's numbers is right and matches the tutorial. One that
draws in another order (a new generator, the noise all at once) cannot give
the same numbers and is judged by its dynamics instead: with the A and Z it
returns, the noise it implies, ``logit(x[t + 1]) - A x[t] - eta z[t + 1]``,
must be independent standard normal (the tests and tolerances of Tutorial 1's
``simulate_neurons``, on a 4-neuron network over 3001 steps with eta = 1.5, on
which the function is called only then, and to name a mistake),
Z must be 0 or 1, each neuron's its own, A the tutorial's connectivity
(``create_connectivity(n_neurons, random_state)``), and X start from 0.

Each mistake is named either because the answer is, on the tutorial's random
stream, exactly what a student's loop with that mistake gives, or, drawn in
another order, because the noise it implies is standard normal under that
mistake's update and not under the right one. An instrument drawn once for
all neurons is also seen in Z itself (one row, or identical rows).
"""

from __future__ import annotations

import functools

import numpy as np

from ...checking.answers import ArrayAnswer, TupleAnswer, as_numeric_array
from ...checking.common_mistakes import calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake, either, format_numbers, same_as
from ...model import instrumental, simulation
from ...model.simulation import isolated_random_state, sigmoid
from ..interventions.simulate_neurons import _NoiseSummary

# The networks the verdict is decided on, by name: (n_neurons, timesteps, eta, random_state).
# Seeds whose network has connections (with 4 neurons, create_connectivity draws none for
# seeds 1, 2 and 3).
_NETWORKS = {
    "small": (4, 40, 2.0, 4),
    "eta_one": (5, 200, 1.0, 7),
    # The network of the tutorial's Section 2.2 figure, over 5000 of its 10000 steps: a
    # check of the tutorial's scaffold (multivariate_normal on every step) stays under 2 s.
    "tutorial": (6, 5000, 2, 42),
}
# The network the dynamics of an answer drawn in another order are judged on (only then is
# the function called on it): strong enough an instrument to tell z[t] from z[t + 1], and
# eta not 1 or 2, so that leaving eta out or writing 2 changes the noise's mean.
_STATISTICS = (4, 3001, 1.5, 12)
# A single standard normal beyond this happens once in 10**11 draws.
_LARGEST_PLAUSIBLE_NOISE = 7.0
# Each neuron's instrument is a fair coin: over 3000 steps its mean is within 0.03 of 0.5
# (one standard error is 0.009).
_INSTRUMENT_MEAN_TOLERANCE = 0.05


def _simulate_variant(n_neurons, timesteps, eta, random_state=42, *, drive):
    """The tutorial's loop with ``drive`` computing the input to the sigmoid.

    Draws from the global stream in the tutorial's order (the connectivity, the
    instrument, then ``n`` standard normals per step), so on the same seed it
    differs from the reference only by the mistake.
    """
    np.random.seed(random_state)
    A = simulation.create_connectivity(n_neurons, random_state)
    X = np.zeros((n_neurons, timesteps))
    Z = np.random.choice([0, 1], size=(n_neurons, timesteps))
    # Row t holds step t's n normals: the same numbers, in the same order, as one draw per step.
    noise = np.random.standard_normal((max(timesteps - 1, 0), n_neurons))
    for t in range(timesteps - 1):
        X[:, t + 1] = sigmoid(drive(A @ X[:, t], Z, t, eta, noise[t]))
    return A, X, Z


def _at_t(inputs, Z, t, eta, noise):
    return inputs + eta * Z[:, t] + noise


def _eta_on_noise(inputs, Z, t, eta, noise):
    return inputs + Z[:, t + 1] + eta * noise


def _without_eta(inputs, Z, t, eta, noise):
    return inputs + Z[:, t + 1] + noise


def _eta_two(inputs, Z, t, eta, noise):
    return inputs + 2 * Z[:, t + 1] + noise


def _without_instrument(inputs, Z, t, eta, noise):
    return inputs + noise


def _first_neurons_instrument(inputs, Z, t, eta, noise):
    return inputs + eta * Z[0, t + 1] + noise


def _variant(drive):
    return functools.partial(_simulate_variant, drive=drive)


# The instrument each hypothesis says drove step t -> t + 1, for all t at once:
# (Z, eta) -> (n_neurons, timesteps - 1), and the scale of the noise it implies.
_HYPOTHESES = {
    "right": (lambda Z, eta: eta * Z[:, 1:], lambda eta: 1.0),
    "at_t": (lambda Z, eta: eta * Z[:, :-1], lambda eta: 1.0),
    "eta_on_noise": (lambda Z, eta: Z[:, 1:], lambda eta: eta),
    "without_eta": (lambda Z, eta: Z[:, 1:], lambda eta: 1.0),
    "eta_two": (lambda Z, eta: 2 * Z[:, 1:], lambda eta: 1.0),
    "without_instrument": (lambda Z, eta: 0 * Z[:, 1:], lambda eta: 1.0),
    "shared": (lambda Z, eta: eta * np.broadcast_to(Z[:1, 1:], Z[:, 1:].shape), lambda eta: 1.0),
}


def _logit(p):
    return np.log(p) - np.log1p(-p)


def _noise_under(submission, hypothesis):
    """The :class:`_NoiseSummary` of the statistics case under ``hypothesis`` (the student's
    own A and Z), or ``None`` when there is no usable answer there."""
    key = ("noise", hypothesis)
    if key not in submission.memo:
        submission.memo[key] = None
        output = submission.problem.statistics_output(submission)
        if output is not None:
            A, X, Z = output
            _, _, eta, _ = _STATISTICS
            previous, following = X[:, :-1], X[:, 1:]
            if np.all((following > 0) & (following < 1)) and Z.shape == X.shape:
                instrument, scale = _HYPOTHESES[hypothesis]
                residual = (_logit(following) - A @ previous - instrument(Z, eta)) / scale(eta)
                submission.memo[key] = _NoiseSummary.of(residual, previous)
    return submission.memo[key]


def _statistically(hypothesis):
    """A detector: the noise is standard under ``hypothesis`` and not under the right update."""

    def detect(submission):
        right, other = _noise_under(submission, "right"), _noise_under(submission, hypothesis)
        if right is None or other is None or right.looks_standard():
            return None
        return "" if other.looks_standard() else None

    return detect


_VARIANTS = {
    "at_t": _variant(_at_t),
    "eta_on_noise": _variant(_eta_on_noise),
    "without_eta": _variant(_without_eta),
    "eta_two": _variant(_eta_two),
    "without_instrument": _variant(_without_instrument),
    "shared": _variant(_first_neurons_instrument),
}


def _detects(hypothesis):
    return either(same_as(_VARIANTS[hypothesis]), _statistically(hypothesis))


def _instrument_of(value):
    """The third value returned, as an array, if the function returned three values."""
    if isinstance(value, (tuple, list)) and len(value) == 3:
        return as_numeric_array(value[2])
    return None


def _detect_one_instrument_for_all(submission):
    """Z has one row (one draw per step for every neuron), or identical rows."""
    failure = submission.failure
    if failure is not None and failure.kind == "shape":
        Z = _instrument_of(failure.value)
        _, (n_neurons, timesteps), _ = failure.case.expected_shape
        if Z is not None and Z.shape in ((timesteps,), (1, timesteps)) and n_neurons > 1:
            return (
                f"(Called with {failure.case.description}, it returns Z of shape {Z.shape}: "
                f"one instrument for the {n_neurons} neurons.)"
            )
        return None
    if submission.outputs is None:
        return None
    for case, (_, _, Z) in zip(submission.problem.cases(), submission.outputs, strict=True):
        if len(Z) > 1 and Z.shape[1] > 10 and np.all(Z == Z[0]):
            return f"(Called with {case.description}, every row of Z is the same.)"
    return _detects("shared")(submission)


def _case(name, n_neurons, timesteps, eta, random_state):
    note = " (the tutorial's Section 2.2 network)" if name == "tutorial" else ""
    description = (
        f"n_neurons={n_neurons}, timesteps={timesteps}, eta={eta}, "
        f"random_state={random_state}{note}"
    )
    shape = ((n_neurons, n_neurons), (n_neurons, timesteps), (n_neurons, timesteps))
    sizes = {"number of neurons": n_neurons, "number of timesteps": timesteps}
    return Case(name, (n_neurons, timesteps, eta, random_state), description, shape, sizes)


class SimulateNeuronsIV(FunctionProblem):
    id = "simulate_neurons_iv"
    title = "Simulate a system with IV"
    section = "2.1"
    points = 2
    answer_name = "simulate_neurons_iv"
    check_name = "check_simulate_neurons_iv"
    check_doc = """Check Coding Exercise 2.1: ``simulate_neurons_iv(n_neurons, timesteps, eta)``.

    The student completes the tutorial's loop so that each neuron receives its
    own instrument one step ahead, scaled by eta:
    ``X[:, t + 1] = sigmoid(A.dot(X[:, t]) + eta * Z[:, t + 1] + noise)``,
    and returns ``(A, X, Z)``.

    The function is run on several networks (4 to 6 neurons, 40 to 5000
    timesteps, eta from 1 to 2, the tutorial's 6-neuron network among them)
    and compared with the reference. A simulation that draws its numbers in
    another order is correct too: its dynamics are then checked statistically,
    on a 4-neuron network over 3001 timesteps with eta = 1.5.

    Examples
    --------
    >>> from nmacausal import simulate_neurons_iv
    >>> check_simulate_neurons_iv(simulate_neurons_iv).mistake
    'calls_reference'
    """
    domain = (
        "networks as the tutorial makes them (create_connectivity(n_neurons, random_state)): 4 "
        "to 6 neurons, 40 to 5000 timesteps, eta from 1 to 2, several seeds, the network of the "
        "tutorial's Section 2.2 figure (6 neurons, eta = 2, random_state = 42, over 5000 "
        "timesteps) among them. "
        "An answer drawn in another order is judged on a 4-neuron network over 3001 timesteps with "
        "eta = 1.5 as well. A check of the tutorial's scaffold (multivariate_normal on every "
        "step) takes about a second, one with randn a tenth of that."
    )
    hints = (
        "Each neuron has its own instrument: row i of Z is neuron i's. Its value at the step "
        "being computed, t + 1, is added inside the sigmoid, scaled by the strength `eta`; the "
        "noise stays as it is.",
        "The instrument on this time step is the whole column t + 1 of Z, one value per "
        "neuron: `Z[:, t + 1]`, multiplied by `eta`.",
        "`IV_on_this_timestep = eta * Z[:, t + 1]`.",
    )
    solution = '''\
def simulate_neurons_iv(n_neurons, timesteps, eta, random_state=42):
    """Simulate x[t + 1] = sigmoid(A x[t] + eta z[t + 1] + noise); return (A, X, Z)."""
    np.random.seed(random_state)
    A = create_connectivity(n_neurons, random_state)
    X = np.zeros((n_neurons, timesteps))
    # One fair coin per neuron and per step: row i is neuron i's instrument.
    Z = np.random.choice([0, 1], size=(n_neurons, timesteps))
    for t in range(timesteps - 1):
        # Every neuron's own instrument at the step being computed, scaled by its strength.
        IV_on_this_timestep = eta * Z[:, t + 1]
        # N(0, I): one standard normal per neuron, the same numbers as the original's
        # multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons)), many times faster.
        epsilon = np.random.standard_normal(n_neurons)
        X[:, t + 1] = sigmoid(A.dot(X[:, t]) + IV_on_this_timestep + epsilon)
    return A, X, Z
'''
    mistakes = (
        calls_reference(instrumental.simulate_neurons_iv),
        Mistake(
            id="instrument_shared_across_neurons",
            message="Every neuron receives the same instrument: it must be drawn for each "
            "neuron separately, an (n_neurons, timesteps) array whose row i is neuron i's, and "
            "added as the whole column `Z[:, t + 1]`. A single instrument for the whole network "
            "moves every neuron together, so it cannot tell one neuron's effect from another's.",
            detected_by="Z has one row or identical rows; or the dynamics are, exactly or "
            "statistically, those of neuron 0's instrument given to every neuron",
            detect=_detect_one_instrument_for_all,
        ),
        Mistake(
            id="instrument_at_t",
            message="You add the instrument of step t, `Z[:, t]`, to the update that computes "
            "step t + 1: the instrument acts on the step being computed, "
            "`eta * Z[:, t + 1]`, like the noise, so that z[t + 1] moves x[t + 1] and nothing "
            "earlier.",
            detected_by="exactly the loop with `eta * Z[:, t]` on the tutorial's stream; "
            "statistically, the noise is standard with z[t] and not with z[t + 1]",
            detect=_detects("at_t"),
        ),
        Mistake(
            id="eta_on_noise",
            message="`eta` multiplies the noise instead of the instrument: eta is the strength "
            "of the instrument, so scale the instrument, `eta * Z[:, t + 1]`, and leave the "
            "noise term as the scaffold has it.",
            detected_by="exactly the loop with `Z[:, t + 1] + eta * noise` on the tutorial's "
            "stream; statistically, the implied noise has standard deviation eta",
            detect=_detects("eta_on_noise"),
        ),
        Mistake(
            id="eta_left_out",
            message="The instrument's strength is missing: multiply it by `eta`, "
            "`eta * Z[:, t + 1]`. Without eta every simulation has strength 1, so the "
            "tutorial's comparison of strengths compares nothing.",
            detected_by="exactly the loop with `Z[:, t + 1]` alone on the tutorial's stream; "
            "statistically, the noise is standard with strength 1",
            detect=_detects("without_eta"),
        ),
        Mistake(
            id="hard_coded_eta",
            message="Your instrument has strength 2 whatever `eta` is: use the argument, "
            "`eta * Z[:, t + 1]`, not the tutorial's value written into the code.",
            detected_by="exactly the loop with `2 * Z[:, t + 1]` on the tutorial's stream; "
            "statistically, the noise is standard with strength 2 where eta is 1.5",
            detect=_detects("eta_two"),
        ),
        Mistake(
            id="no_instrument",
            message="The instrument never reaches the neurons: add it inside the sigmoid, "
            "`eta * Z[:, t + 1]`. Without it the network is Tutorial 1's, and Z is unrelated "
            "to X, so no instrumental-variable estimate can find anything.",
            detected_by="exactly the loop without the instrument on the tutorial's stream; "
            "statistically, the noise is standard without any instrument",
            detect=_detects("without_instrument"),
        ),
    )

    @property
    def returns(self):
        return TupleAnswer(
            (
                ("A", ArrayAnswer("(n_neurons, n_neurons)")),
                ("X", ArrayAnswer("(n_neurons, timesteps)")),
                ("Z", ArrayAnswer("(n_neurons, timesteps)")),
            )
        )

    @property
    def reference(self):
        return instrumental.simulate_neurons_iv

    def build_cases(self):
        return tuple(_case(name, *network) for name, network in _NETWORKS.items())

    def statistics_case(self):
        """The network an answer's dynamics are judged on (built once)."""
        (case,) = self._built_once("_statistics", lambda: (_case("statistics", *_STATISTICS),))
        return case

    def statistics_output(self, submission):
        """What the function returns on :meth:`statistics_case`, when it answered every case
        (called once, and only when a detector or the verdict needs it); else ``None``."""
        if "statistics" not in submission.memo:
            value = None
            if submission.outputs is not None:
                case = self.statistics_case()
                call = submission.call(case.fresh_args())
                read = self.returns.read(call.value) if call.returned else None
                if read is not None and not self.returns.problem(read, case.expected_shape):
                    value = read
            submission.memo["statistics"] = value
        return submission.memo["statistics"]

    def correct_message(self):
        return (
            "Your simulation reproduces the tutorial's numbers exactly on every test network "
            "(4 to 6 neurons, 40 to 5000 timesteps, eta from 1 to 2), so your figures match "
            "the tutorial's."
        )

    def _connectivity(self, case):
        n_neurons, _, _, random_state = case.args
        with isolated_random_state():
            return simulation.create_connectivity(n_neurons, random_state)

    def accepts(self, submission):
        summary = _noise_under(submission, "right")
        if summary is None or not summary.looks_standard():
            return None
        answers = [*zip(self.cases(), submission.outputs, strict=True)]
        answers.append((self.statistics_case(), self.statistics_output(submission)))
        for case, (A, X, Z) in answers:
            _, _, eta, _ = case.args
            following = X[:, 1:]
            if not np.allclose(A, self._connectivity(case), rtol=1e-9, atol=1e-12):
                return None
            if np.any(X[:, 0] != 0) or not np.all((following > 0) & (following < 1)):
                return None
            if not np.all((Z == 0) | (Z == 1)):
                return None
            implied = _logit(following) - A @ X[:, :-1] - eta * Z[:, 1:]
            if np.any(np.abs(implied) > _LARGEST_PLAUSIBLE_NOISE):
                return None
        _, _, Z = self.statistics_output(submission)
        if np.any(np.abs(Z.mean(axis=1) - 0.5) > _INSTRUMENT_MEAN_TOLERANCE):
            return None
        return (
            f"Your simulation follows x[t + 1] = sigmoid(A x[t] + eta z[t + 1] + noise) with "
            f"each neuron's own fair-coin instrument and standard normal noise (on a 4-neuron "
            f"test network over 3001 steps the noise it implies has mean "
            f"{format_numbers(summary.mean)} and standard deviation "
            f"{format_numbers(summary.sd)}). It draws its numbers in another order than the "
            f"tutorial, so your numbers and figures differ from the tutorial's; that is fine."
        )

    def describe_wrong(self, submission):
        for case, (A, X, Z) in zip(self.cases(), submission.outputs, strict=True):
            if not np.allclose(A, self._connectivity(case), rtol=1e-9, atol=1e-12):
                return (
                    f"Called with {case.description}, the A your function returns is not the "
                    f"tutorial's connectivity: keep the scaffold's "
                    f"`A = create_connectivity(n_neurons, random_state)`."
                )
            if np.any(X[:, 0] != 0):
                return (
                    f"Called with {case.description}, your X does not start from 0: column 0 "
                    f"stays as np.zeros made it, and the loop fills columns 1 to timesteps - 1."
                )
            if not np.all((Z == 0) | (Z == 1)):
                return (
                    f"Called with {case.description}, your Z is not binary: the instrument is "
                    f"the scaffold's fair coin, `np.random.choice([0, 1], ...)`."
                )
        summary = _noise_under(submission, "right")
        prefix = (
            "Your activity does not follow x[t + 1] = sigmoid(A x[t] + eta z[t + 1] + noise) "
            "with standard normal noise"
        )
        if summary is not None and summary.problems():
            return (
                f"{prefix}: on a 4-neuron test network over 3001 steps with eta = 1.5, the "
                f"noise it implies is off: {'; '.join(summary.problems())}."
            )
        return f"{prefix}: on one of the test networks the numbers differ from the reference's."
