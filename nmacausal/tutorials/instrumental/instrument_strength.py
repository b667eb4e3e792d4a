"""Bonus Exercise 1: the strength of the instrument, ``instrument_strength_effect(etas,
n_neurons, timesteps, n_trials)``.

How a right answer is recognised
--------------------------------
For each trial and each strength the student simulates the network of Exercise 2.1,
``simulate_neurons_iv(n_neurons, timesteps, eta, trial)`` (the trial's index is the
seed), estimates its connectivity with ``get_iv_estimate_network(X, Z)`` and stores the
correlation of the estimate with the truth, ``np.corrcoef(A.flatten(),
iv_V.flatten())[1, 0]``, in ``corr_data[trial, j]``. The reference is the model's
:func:`~nmacausal.model.instrumental.instrument_strength_effect`.

The function is called on small sweeps (7 or 8 neurons, 200 to 400 timesteps, 2 or 3
trials, the tutorial's five strengths among them; one sweep with as many trials as
strengths, one with more trials than strengths), so that a check takes about a second
even when the notebook's ``simulate_neurons_iv`` is the tutorial's scaffold
(``multivariate_normal`` on every step). At these sizes the seeds 0 to 3 and 42 all draw
networks with connections, so every correlation, right or from a catalogued mistake, is
defined. An answer is right when its correlations are the reference's (to 1e-9): every
right way of writing it (loops or comprehensions, ``np.corrcoef`` or the correlation by
hand) computes the same numbers.

The notebook's functions
------------------------
The student's function calls the notebook's ``simulate_neurons_iv`` (the student's own,
from Exercise 2.1) and ``get_iv_estimate_network``, looked up in the function's globals
when it runs. An answer that does not give the reference's numbers as it stands is run
again, a copy of it whose globals hold nmacausal's own two functions in place of the
notebook's, and judged on that run: a right function is not failed because Exercise 2.1
is unfinished, wrong or draws its numbers in another order. When the two runs differ, the
verdict says which of the notebook's functions is not nmacausal's, and how (called on the
sweeps' own arguments, its A, X or Z is not the tutorial's, bit for bit), and points to
it. (A function called in another process, the grader's re-check of a tampered notebook,
has no globals to replace: it is judged as it stands.)

Each mistake is named from the numbers (every correlation 1; every row, or every column,
the same; the reference's transpose; exactly what the sweep gives with the seeds
``trial + 1``, the truth transposed, or the activity as its own instrument), or, for the
activity passed as the instrument, which nmacausal's ``get_iv_estimate_network``
refuses, from the arguments the function passes it on one more run.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from dataclasses import dataclass

import numpy as np

from ...checking.answers import as_numeric_array, close_enough
from ...checking.common_mistakes import RETURNED_LIST, calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake, Submission, format_numbers, same_as
from ...checking.student_code import call_student, names_in_code, silenced
from ...model import instrumental
from ...model.simulation import isolated_random_state
from ._scaffold import ScaffoldPlaceholders

# The sweeps the verdict is decided on, by name: (etas, n_neurons, timesteps, n_trials).
_SWEEPS = {
    # As many trials as strengths: rows and columns swapped give the transpose.
    "square": ((2, 0.5), 8, 300, 2),
    # More trials than strengths: `corr_data[j, trial]` runs off the array.
    "three_trials": ((1, 0.25), 7, 200, 3),
    # The tutorial's strengths on a smaller network, over fewer steps and trials.
    "tutorial": (instrumental.INSTRUMENT_STRENGTHS, 7, 400, 2),
}
# The tutorial's own sweep (20 neurons, 10000 timesteps, 3 trials): the mean correlation at
# each of INSTRUMENT_STRENGTHS (instrument_strength_effect() takes 1.5 s; a test keeps these).
TUTORIAL_MEANS = (0.72, 0.62, 0.42, 0.22, 0.08)

# The notebook's functions the student's function calls, nmacausal's own of each, and
# where the notebook defines them.
_HELPERS = {
    "simulate_neurons_iv": instrumental.simulate_neurons_iv,
    "get_iv_estimate_network": instrumental.get_iv_estimate_network,
}
_DEFINED_IN = {
    "simulate_neurons_iv": "your Exercise 2.1",
    "get_iv_estimate_network": "imported from nmacausal by the notebook's setup cell",
}
# Two estimates this close are the same least squares computed another way.
_SAME_ESTIMATE_RTOL, _SAME_ESTIMATE_ATOL = 1e-7, 1e-10


@dataclass(frozen=True, eq=False)
class _SweepCase(Case):
    """A sweep; its strengths are passed as a new list on every call, as the tutorial
    passes them (a function that changes the list does not spoil later calls)."""

    def fresh_args(self):
        etas, *sizes = self.args
        return (list(etas), *sizes)


def _case(name, etas, n_neurons, timesteps, n_trials):
    note = " (the tutorial's strengths, on a smaller network)" if name == "tutorial" else ""
    description = (
        f"etas={list(etas)}, n_neurons={n_neurons}, timesteps={timesteps}, "
        f"n_trials={n_trials}{note}"
    )
    sizes = {"number of neurons": n_neurons, "number of timesteps": timesteps}
    return _SweepCase(
        name,
        (tuple(etas), n_neurons, timesteps, n_trials),
        description,
        (n_trials, len(etas)),
        sizes,
    )


# ------------------------------------------------------------------------ wrong versions


def _sweep(etas, n_neurons, timesteps, n_trials, *, seed_of=None, instrument="Z", truth="A"):
    """The tutorial's sweep with one thing changed: the seed of each trial (``seed_of(trial)``),
    the instrument (``"X"``: the activity) or the truth's orientation (``"A.T"``)."""
    corr_data = np.zeros((n_trials, len(etas)))
    for trial in range(n_trials):
        seed = trial if seed_of is None else seed_of(trial)
        for j, eta in enumerate(etas):
            A, X, Z = instrumental.simulate_neurons_iv(n_neurons, timesteps, eta, seed)
            V = instrumental._iv_estimate(X, X if instrument == "X" else Z)
            compared = A.T if truth == "A.T" else A
            corr_data[trial, j] = np.corrcoef(compared.flatten(), V.flatten())[1, 0]
    return corr_data


def _plus_one(trial):
    return trial + 1


def _forty_two(trial):
    return 42


_SEED_OFF_BY_ONE = functools.partial(_sweep, seed_of=_plus_one)
_SEED_42 = functools.partial(_sweep, seed_of=_forty_two)
_TRUTH_TRANSPOSED = functools.partial(_sweep, truth="A.T")
_ACTIVITY_AS_INSTRUMENT = functools.partial(_sweep, instrument="X")


# ---------------------------------------------------------------------------- detectors


def _answers(submission):
    outputs = submission.outputs
    if outputs is None:
        return None
    return list(zip(submission.problem.cases(), outputs, strict=True))


def _detect_diagonal(submission):
    answers = _answers(submission)
    if answers is None or not all(np.allclose(got, 1.0, rtol=0, atol=1e-9) for _, got in answers):
        return None
    return "(Every correlation it returns is 1.)"


def _detect_swapped(submission):
    problem, failure = submission.problem, submission.failure
    if failure is not None and failure.kind == "timed_out":
        return None  # calling a function that hangs once more would only double the wait
    if failure is not None and failure.kind == "shape":
        value = as_numeric_array(failure.value)
        expected = problem.reference_output(failure.case)
        if value is not None and value.ndim == 2 and close_enough(value.T, expected):
            return (
                f"(Called with {failure.case.description}, it returns an array of shape "
                f"{value.shape}, the transpose of the right one.)"
            )
    square = problem.case("square")
    got, expected = submission.output_of("square"), problem.reference_output(square)
    if got is not None and close_enough(got, expected.T) and not close_enough(got, expected):
        return (
            f"(Called with {square.description}, its row j holds the correlations of strength "
            f"etas[j]: the transpose of the right result.)"
        )
    return None


def _detect_same_seed(submission):
    answers = _answers(submission)
    if answers is None:
        return None
    for _, got in answers:
        if not all(close_enough(row, got[0]) for row in got[1:]):
            return None
    if same_as(_SEED_42)(submission) is not None:
        return "(Every trial is the network of seed 42, simulate_neurons_iv's default.)"
    return "(Every row of its result is the same.)"


def _detect_eta_not_passed(submission):
    answers = _answers(submission)
    if answers is None:
        return None
    for _, got in answers:
        if not all(close_enough(got[:, j], got[:, 0]) for j in range(1, got.shape[1])):
            return None
    problem = submission.problem
    tutorial = problem.case("tutorial")
    got, expected = submission.output_of("tutorial"), problem.reference_output(tutorial)
    for j, eta in enumerate(tutorial.args[0]):
        if close_enough(got[:, 0], expected[:, j]):
            return f"(Every strength gives the correlations of eta = {eta:g}.)"
    return "(Every column of its result is the same.)"


def _detect_activity_as_instrument(submission):
    if same_as(_ACTIVITY_AS_INSTRUMENT)(submission) is not None:
        return ""
    failure = submission.failure
    if failure is not None and failure.kind == "timed_out":
        return None
    if submission.problem.passes_activity_as_instrument(submission):
        return (
            "(It passes the same array twice: "
            "`get_iv_estimate_network` refuses the activity as the instrument.)"
        )
    return None


# ------------------------------------------------------- the notebook's functions, replaced


def _library_replacements(func):
    """``{name: nmacausal's function}`` for each of the notebook's functions that ``func``
    reads from its globals and that is not nmacausal's own (or is missing)."""
    namespace = getattr(func, "__globals__", None)
    if not isinstance(namespace, dict) or not isinstance(
        getattr(func, "__code__", None), types.CodeType
    ):
        return {}
    used = names_in_code(func)
    return {
        name: library
        for name, library in _HELPERS.items()
        if name in used and namespace.get(name) is not library
    }


def _with_globals(func, replacements):
    """A copy of ``func`` whose globals are its own with ``replacements`` made (the
    functions it defines inside, comprehensions included, see the same globals)."""
    clone = types.FunctionType(
        func.__code__,
        {**func.__globals__, **replacements},
        func.__name__,
        func.__defaults__,
        func.__closure__,
    )
    clone.__kwdefaults__ = func.__kwdefaults__
    clone.__qualname__ = func.__qualname__
    return clone


def _outcome(submission):
    """What a run came to, in a form two runs can be compared by."""
    failure = submission.failure
    error = None if failure is None or failure.error is None else failure.error
    return (
        bool(submission.not_attempted),
        None if failure is None else (failure.case.name, failure.kind),
        None if error is None else (type(error), str(error)),
    )


def _same_outcome(first, second):
    if _outcome(first) != _outcome(second) or len(first.values) != len(second.values):
        return False
    for one, other in zip(first.values, second.values, strict=True):
        if (one is None) != (other is None):
            return False
        if one is not None and not (
            one.shape == other.shape
            and np.allclose(one, other, rtol=1e-9, atol=1e-12, equal_nan=True)
        ):
            return False
    return True


def _what_differs(value, expected):
    """Which of A, X, Z of a simulation ``value`` is not ``expected``'s, in words."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        return "it does not return the three arrays (A, X, Z)"
    for name, got, right in zip("AXZ", value, expected, strict=True):
        array = as_numeric_array(got)
        if array is None or array.shape != right.shape or not np.array_equal(array, right):
            return f"its {name} is not the tutorial's"
    return None


_CHECK_SIMULATION = (
    "Check it with `check_simulate_neurons_iv(simulate_neurons_iv)`: if that says it is "
    "correct, it draws its random numbers in another order than the tutorial's, which is "
    "fine, and only your numbers and figure differ from the tutorial's; otherwise fix it and "
    "run its cell again."
)


class InstrumentStrength(ScaffoldPlaceholders, FunctionProblem):
    id = "instrument_strength"
    title = "Exploring instrument strength"
    section = "Bonus 1"
    points = 1
    answer_name = "instrument_strength_effect"
    check_name = "check_instrument_strength_effect"
    check_doc = """Check Bonus Exercise 1: ``instrument_strength_effect(etas, n_neurons,
    timesteps, n_trials)``.

    For each trial and each instrument strength the student simulates the
    network with ``simulate_neurons_iv(n_neurons, timesteps, eta, trial)``,
    estimates it with ``get_iv_estimate_network(X, Z)`` and stores the
    correlation of the estimate with the true connectivity in
    ``corr_data[trial, j]``.

    The function is run on small sweeps (7 or 8 neurons, 200 to 400 timesteps,
    2 or 3 trials, the tutorial's five strengths among them) and compared with
    the reference. A function that is right with nmacausal's own
    ``simulate_neurons_iv`` is not failed for the notebook's (Exercise 2.1): the
    result then says what is wrong with the notebook's.

    Examples
    --------
    >>> def stub(etas, n_neurons, timesteps, n_trials):
    ...     raise NotImplementedError
    >>> check_instrument_strength_effect(stub).status
    'not_attempted'
    """
    shape_meaning = "(one row per trial, one column per strength)"
    placeholder_examples = "`simulate_neurons_iv(...)` or `get_iv_estimate_network(...)`"
    domain = (
        "sweeps as the tutorial runs them, with the trial's index as the seed: any list of "
        "strengths eta > 0, n_neurons >= 2, enough timesteps to identify the estimate, any "
        "number of trials; checked on 7 or 8 neurons over 200 to 400 timesteps, 2 or 3 trials, "
        "2 strengths or the tutorial's five (2, 1, 0.5, 0.25, 0.12). The functions the answer "
        "calls are the notebook's; an answer that is right only with nmacausal's own is "
        "correct, with what is wrong with the notebook's."
    )
    hints = (
        "For each trial and each strength: simulate the network with `simulate_neurons_iv` "
        "(your function from Exercise 2.1), estimate its connectivity with "
        "`get_iv_estimate_network`, and store the correlation of the estimate with the truth "
        "in `corr_data[trial, j]`: one row per trial, one column per strength.",
        "`simulate_neurons_iv(n_neurons, timesteps, eta, random_state)` takes the loop's "
        "strength `eta`, and the trial's index as its seed, so that every trial is another "
        "network (without it, the seed is 42 every time). The estimate needs the activity and "
        "the *instrument*: `get_iv_estimate_network(X, Z)`.",
        "`A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, trial)`, then "
        "`iv_V = get_iv_estimate_network(X, Z)`.",
    )
    solution = '''\
def instrument_strength_effect(etas, n_neurons, timesteps, n_trials):
    """IV's correlation with the true connectivity, for each trial (row) and strength (column)."""
    corr_data = np.zeros((n_trials, len(etas)))
    for trial in range(n_trials):
        print("Trial {} of {}".format(trial + 1, n_trials))
        for j, eta in enumerate(etas):
            # Another network every trial (its index is the seed), driven with strength eta.
            A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, trial)
            # Two-stage least squares with the instrument Z (not the activity X).
            iv_V = get_iv_estimate_network(X, Z)
            corr_data[trial, j] = np.corrcoef(A.flatten(), iv_V.flatten())[1, 0]
    return corr_data
'''
    mistakes = (
        calls_reference(instrumental.instrument_strength_effect),
        RETURNED_LIST,
        Mistake(
            id="diagonal_of_corrcoef",
            message="Every correlation your function returns is 1, the correlation of a "
            "matrix with itself: `np.corrcoef(a, b)` is the 2 x 2 matrix of the correlations "
            "of its two arguments, and its diagonal, `[0, 0]` or `[1, 1]`, holds each one's "
            "correlation with itself. The correlation of the truth with the estimate is off the "
            "diagonal: `np.corrcoef(A.flatten(), iv_V.flatten())[1, 0]`.",
            detected_by="every correlation returned is 1, on every sweep",
            detect=_detect_diagonal,
        ),
        Mistake(
            id="trials_and_strengths_swapped",
            message="Your rows and columns are swapped: `corr_data` has one row per trial and "
            "one column per strength, `np.zeros((n_trials, len(etas)))`, and the correlation of "
            "trial `trial` with strength `etas[j]` goes to `corr_data[trial, j]`. (The "
            "tutorial's figure averages over the trials, `corr_data.mean(axis=0)`.)",
            detected_by="the result is the reference's transpose: on a sweep with as many "
            "trials as strengths, or as an array of shape (len(etas), n_trials)",
            detect=_detect_swapped,
        ),
        Mistake(
            id="same_seed_every_trial",
            message="Every trial simulates the same network: `simulate_neurons_iv(n_neurons, "
            "timesteps, eta)` leaves the seed at its default, 42, in every trial (a seed "
            "written in does the same). The trials are there to show how much the estimate "
            "varies from one network to another: pass the trial's index as the seed, "
            "`simulate_neurons_iv(n_neurons, timesteps, eta, trial)`.",
            detected_by="every row (trial) of the result is the same, on every sweep",
            detect=_detect_same_seed,
        ),
        Mistake(
            id="eta_not_passed",
            message="Every strength gives the same correlations: the strength your function "
            "passes to `simulate_neurons_iv` is not the loop's `eta` (a number written in, "
            "`etas[0]` or a notebook variable), so the sweep compares one instrument with "
            "itself. Pass it: `simulate_neurons_iv(n_neurons, timesteps, eta, trial)`.",
            detected_by="every column (strength) of the result is the same, on every sweep",
            detect=_detect_eta_not_passed,
        ),
        Mistake(
            id="seed_off_by_one",
            message="Your trials are seeded 1, 2, ..., n_trials (`trial + 1`, as the printed "
            "'Trial 1 of 3' counts them), not with the trial's index 0, 1, ...: the tutorial "
            "simulates trial `trial` with seed `trial`, `simulate_neurons_iv(n_neurons, "
            "timesteps, eta, trial)`, so your networks and your figure are not the tutorial's.",
            detected_by="exactly the sweep with the seeds trial + 1",
            detect=same_as(_SEED_OFF_BY_ONE),
        ),
        Mistake(
            id="flattened_differently",
            message="The truth and the estimate are flattened in different orders (one of "
            "them transposed, `A.T`, or flattened column by column, `order='F'`), so entry k of "
            "one is not entry k of the other and the correlation pairs unrelated connections. "
            "`iv_V` is in the orientation of `A`: flatten both the same way, "
            "`np.corrcoef(A.flatten(), iv_V.flatten())[1, 0]`.",
            detected_by="exactly the sweep correlating A.T (the same as iv_V.T) with iv_V",
            detect=same_as(_TRUTH_TRANSPOSED),
        ),
        Mistake(
            id="activity_as_instrument",
            message="You passed the activity X as the instrument, `get_iv_estimate_network(X, "
            "X)`. The instrument is the random input Z that drove the neurons; with the "
            "activity as its own instrument the first stage returns X unchanged, and the "
            "estimate is ordinary regression, with the bias of Tutorial 3. Pass the "
            "instrument: `get_iv_estimate_network(X, Z)`.",
            detected_by="exactly the sweep with X as its own instrument; or, when "
            "get_iv_estimate_network refuses it, the function passes it the same array twice "
            "(seen on one more run with a stand-in that records its arguments)",
            detect=_detect_activity_as_instrument,
        ),
    )

    @property
    def reference(self):
        return instrumental.instrument_strength_effect

    def build_cases(self):
        return tuple(_case(name, *sweep) for name, sweep in _SWEEPS.items())

    def reference_output(self, case):
        """The reference's correlations on ``case``."""
        return dict(zip(self.cases(), self.outputs_of(self.reference), strict=True))[case]

    # -------------------------------------------------------------------- the verdict

    def _judge(self, submission):
        reference = self.outputs_of(self.reference)
        outputs = submission.outputs
        if outputs is not None and all(map(self.returns.close, outputs, reference)):
            return super()._judge(submission)
        replacements = _library_replacements(submission.func)
        if not replacements:
            return super()._judge(submission)
        # Judged as it runs with nmacausal's functions in place of the notebook's.
        func = _with_globals(submission.func, replacements)
        substituted = Submission(func, self, submission.timeout).run()
        verdict = super()._judge(substituted)
        if _same_outcome(submission, substituted):
            return verdict
        return self._pointing_to_the_notebook(verdict, submission, replacements)

    def _pointing_to_the_notebook(self, verdict, submission, replacements):
        problem = self._notebook_problem(submission, replacements)
        names = " and ".join(f"`{name}`" for name in replacements)
        if verdict.status == "correct":
            message = (
                f"Your function is right: run with nmacausal's own {names} in place of the "
                f"notebook's, it gives the reference's correlations on every test sweep. In your "
                f"notebook it calls the notebook's, and its numbers there are not the "
                f"tutorial's: {problem}"
            )
            return dataclasses.replace(verdict, message=message, matches_tutorial=False)
        return dataclasses.replace(
            verdict,
            message=f"{verdict.message} (Checked with nmacausal's own {names} in place of the "
            f"notebook's, because {problem})",
        )

    def _notebook_problem(self, submission, replacements):
        """What is wrong with the notebook's functions that ``replacements`` replaced."""
        namespace = submission.func.__globals__
        for name in replacements:
            if name not in namespace:
                where = "Exercise 2.1's cell" if name == "simulate_neurons_iv" else "the setup cell"
                return f"the notebook has no `{name}`: run {where} first."
            if name == "simulate_neurons_iv":
                found = self._simulation_differs(namespace[name], submission.timeout)
            else:
                found = self._estimate_differs(namespace[name], submission.timeout)
            if found is not None:
                return f"the notebook's `{name}` ({_DEFINED_IN[name]}) {found}"
        return "the notebook's functions give other numbers than nmacausal's."

    def _simulations(self):
        """The simulations a right answer runs, in order: (n_neurons, timesteps, eta, trial)."""
        return [
            (n_neurons, timesteps, eta, trial)
            for etas, n_neurons, timesteps, n_trials in (case.args for case in self.cases())
            for trial in range(n_trials)
            for eta in etas
        ]

    def _library_simulation(self, args):
        memo = self.__dict__.setdefault("_library_simulations", {})
        if args not in memo:
            with isolated_random_state(), silenced():
                memo[args] = instrumental.simulate_neurons_iv(*args)
        return memo[args]

    def _simulation_differs(self, simulate, timeout):
        for args in self._simulations():
            call = call_student(simulate, args, timeout=timeout)
            shown = f"`simulate_neurons_iv{args}`"
            if call.timed_out:
                return f"did not return within {timeout:g} s when called as {shown}."
            if isinstance(call.error, NotImplementedError):
                return (
                    "still raises NotImplementedError: finish Exercise 2.1, run its cell, then "
                    "this check again."
                )
            if call.error is not None:
                error = f"{type(call.error).__name__}: {call.error}".rstrip(".")
                return f"raised {error}, when called as {shown}. Fix Exercise 2.1 first."
            differs = _what_differs(call.value, self._library_simulation(args))
            if differs is not None:
                return (
                    f"does not give the tutorial's simulation, bit for bit: called as {shown}, "
                    f"{differs}. {_CHECK_SIMULATION}"
                )
        return None

    def _estimate_differs(self, estimate, timeout):
        args = self._simulations()[0]
        _, X, Z = self._library_simulation(args)
        call = call_student(estimate, (X.copy(), Z.copy()), timeout=timeout)
        shown = f"on the network of `simulate_neurons_iv{args}`"
        if call.timed_out:
            return f"did not return within {timeout:g} s {shown}."
        if call.error is not None:
            error = f"{type(call.error).__name__}: {call.error}".rstrip(".")
            return f"raised {error}, {shown}."
        got = as_numeric_array(call.value)
        expected = instrumental.get_iv_estimate_network(X, Z)
        if (
            got is None
            or got.shape != expected.shape
            or not np.allclose(got, expected, rtol=_SAME_ESTIMATE_RTOL, atol=_SAME_ESTIMATE_ATOL)
        ):
            return (
                f"gives another estimate than nmacausal's {shown}: run the setup cell again "
                f"(`from nmacausal import get_iv_estimate_network`)."
            )
        return None

    def passes_activity_as_instrument(self, submission):
        """Whether the function, run once more on the square sweep with a stand-in for
        ``get_iv_estimate_network`` that records its arguments, passes it X as Z."""
        if "activity_as_instrument" not in submission.memo:
            seen = []

            def recording(X, Z):
                X_seen, Z_seen = np.asarray(X), np.asarray(Z)
                same = X_seen.shape == Z_seen.shape and np.array_equal(X_seen, Z_seen)
                seen.append(same)
                if same:  # what the tutorial's own helper computes: ordinary least squares
                    return instrumental._iv_estimate(X_seen.astype(float), X_seen.astype(float))
                return instrumental.get_iv_estimate_network(X, Z)

            func = submission.func
            if "get_iv_estimate_network" in names_in_code(func) and isinstance(
                getattr(func, "__globals__", None), dict
            ):
                replacements = {
                    "simulate_neurons_iv": instrumental.simulate_neurons_iv,
                    "get_iv_estimate_network": recording,
                }
                args = self.case("square").fresh_args()
                call_student(_with_globals(func, replacements), args, timeout=submission.timeout)
            submission.memo["activity_as_instrument"] = any(seen)
        return submission.memo["activity_as_instrument"]

    # ------------------------------------------------------------------------ messages

    def correct_message(self):
        strengths = instrumental.INSTRUMENT_STRENGTHS
        return (
            "Your correlations equal the reference's on every test sweep (7 or 8 neurons, 200 "
            "to 400 timesteps, 2 or 3 trials, the tutorial's five strengths among them), so "
            f"your figure matches the tutorial's. On the tutorial's own sweep (20 neurons, "
            f"10000 timesteps, 3 trials) the mean correlation with the true connectivity falls "
            f"from {TUTORIAL_MEANS[0]:.2f} at eta = {strengths[0]:g} to "
            f"{TUTORIAL_MEANS[-1]:.2f} at eta = {strengths[-1]:g}: a weak instrument moves the "
            f"neurons too little for the first stage to predict their activity, and the "
            f"estimate drowns in noise."
        )

    def describe_wrong(self, submission):
        for case, got in zip(self.cases(), submission.outputs, strict=True):
            expected = self.reference_output(case)
            if close_enough(got, expected):
                continue
            return (
                f"Called with {case.description}, it should return (one row per trial, one "
                f"column per strength) {_matrix(expected)}, but your function returned "
                f"{_matrix(got)}."
            )
        return "Your function's correlations differ from the reference's."


def _matrix(values):
    return "[" + ", ".join(f"[{format_numbers(row, 4)}]" for row in values) + "]"
