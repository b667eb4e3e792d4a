"""Bonus Exercise 2.1: lag-1 Granger causality, ``get_granger_causality(X, selected_neuron,
alpha=0.05)``.

How a right answer is recognised
--------------------------------
For every target neuron the student runs statsmodels' ``grangercausalitytests``
on the pair (target, selected neuron) with one lag and keeps the p-value of its
likelihood-ratio test; the function returns ``(reject_null, p_vals)``, two lists
of n_neurons entries, ``reject_null[i] = int(p_vals[i] < alpha)``. The
reference is the tutorial's function with the same test computed by hand
(two least-squares fits, ``n log(SSR_restricted / SSR_full)``, the chi-square
tail with one degree of freedom), so that checking needs no statsmodels; it
agrees with statsmodels' (and the model's
:func:`~nmacausal.model.instrumental.get_granger_causality` with
``correction=None``) to about 1e-10.

The function is called on recordings made as the tutorial makes them
(``simulate_neurons`` of a ``create_connectivity`` network: 4 to 6 neurons, 1000
to 5000 timesteps, the tutorial's Bonus 2.1 system, 6 neurons over 5000
timesteps with neuron 1 selected, among them). The p-values are right when
each is within a millionth (relative, or 1e-12 absolute) of the reference's:
the likelihood-ratio test computed by hand (``np.linalg.lstsq``, the chi-square
tail) agrees with statsmodels' to about 1e-10. The decisions are right when they
are the p-values compared with alpha, or, as the tutorial's docstring promises,
with the Bonferroni-corrected ``alpha / (n_neurons - 1)``. The selected neuron
against itself is no test (statsmodels gives p = 1); any p-value is accepted
there, with its decision.

The mistakes are recognised from the p-values (those of the reversed direction,
the target Granger-causing the selected neuron) or from the decisions (the
inequality reversed), and from the two lists returned in the other order.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..._validation import _describe
from ...checking.answers import TupleAnswer, as_numeric_array
from ...checking.common_mistakes import calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake, format_numbers
from ...model import instrumental, simulation
from ...model.simulation import isolated_random_state

# The recordings the verdict is decided on, by name: (n_neurons, timesteps, seed,
# selected_neuron). Seeds whose network has connections from the selected neuron.
_RECORDINGS = {
    "four": (4, 1000, 4, 0),
    "five": (5, 2000, 7, 4),
    "tutorial": (6, 5000, 42, 1),
}
ALPHA = 0.05
# p-values this close are the same test computed another way.
_SAME_P_RELATIVE, _SAME_P_ABSOLUTE = 1e-6, 1e-12


@dataclass(frozen=True)
class NumbersAnswer:
    """A list (or tuple, or 1-D array) of real numbers, one per neuron; read as an array."""

    meaning: str

    def read(self, value):
        if isinstance(value, np.ndarray):
            array = as_numeric_array(value)
            return None if array is None or array.ndim != 1 else array.astype(float)
        if not isinstance(value, (list, tuple)):
            return None
        if not all(
            isinstance(item, (numbers.Real, np.bool_)) or _is_numeric_scalar(item) for item in value
        ):
            return None
        return np.array([float(item) for item in value])

    def problem(self, read, expected) -> str | None:
        if read is None:
            return "type"
        if read.shape != expected:
            return "shape"
        return None if np.all(np.isfinite(read)) else "not_finite"

    def close(self, first, second) -> bool:
        # p-values from statsmodels and from the same test by hand agree to about 1e-10.
        return first.shape == second.shape and np.allclose(
            first, second, rtol=_SAME_P_RELATIVE, atol=_SAME_P_ABSOLUTE
        )

    def expected(self, shape) -> str:
        return f"a list of {shape[0]} numbers ({self.meaning})"

    def describe(self, kind, value, shape) -> str:
        if kind == "type":
            return f"{_describe(value)}; expected {self.expected(shape)}"
        if kind == "shape":
            return f"{len(np.ravel(value))} values; expected {self.expected(shape)}"
        return f"NaN or infinite values; expected {self.expected(shape)}, finite"


def _is_numeric_scalar(item):
    return isinstance(item, np.ndarray) and item.ndim == 0 and item.dtype.kind in "biuf"


def _lr_pvalue(X, target, source):
    """The lag-1 likelihood-ratio test that ``source`` Granger-causes ``target``, by hand:
    ``n log(SSR_restricted / SSR_full)``, chi-square with one degree of freedom."""
    if target == source:
        return 1.0  # no test: its own past is already in the smaller model (statsmodels: 1)
    y, own, other = X[target, 1:], X[target, :-1], X[source, :-1]
    ones = np.ones_like(y)

    def ssr(*columns):
        design = np.column_stack(columns)
        residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        return float(residual @ residual)

    statistic = max(len(y) * math.log(ssr(ones, own) / ssr(ones, own, other)), 0.0)
    return math.erfc(math.sqrt(statistic / 2))


def _case(name, n_neurons, timesteps, seed, selected):
    with isolated_random_state():
        A = simulation.create_connectivity(n_neurons, random_state=seed)
        X = simulation.simulate_neurons(A, timesteps, random_state=seed)
    note = ", the tutorial's Bonus 2.1 system" if name == "tutorial" else ""
    description = f"X of shape {X.shape}{note}, selected_neuron={selected}"
    return Case(
        name,
        (X, selected),
        description,
        ((n_neurons,), (n_neurons,)),
        {"number of neurons": n_neurons, "number of timesteps": timesteps},
    )


def _same_p(got, expected, skip):
    keep = np.ones(len(got), dtype=bool)
    keep[skip] = False
    return bool(
        np.allclose(got[keep], expected[keep], rtol=_SAME_P_RELATIVE, atol=_SAME_P_ABSOLUTE)
    )


def _answers(submission):
    outputs = submission.outputs
    if outputs is None:
        return None
    return list(zip(submission.problem.cases(), outputs, strict=True))


def _decisions_follow(reject, p_vals, threshold):
    return np.array_equal(reject, (p_vals < threshold).astype(float))


def _right_p_values(submission):
    answers = _answers(submission)
    if answers is None:
        return None
    problem = submission.problem
    for case, (_, p_vals) in answers:
        if not _same_p(p_vals, problem.p_values(case), case.args[1]):
            return None
    return answers


def _detect_reversed(submission):
    answers = _answers(submission)
    if answers is None or _right_p_values(submission):
        return None
    problem = submission.problem
    for case, (_, p_vals) in answers:
        if not _same_p(p_vals, problem.p_values(case, reversed_direction=True), case.args[1]):
            return None
    return ""


def _detect_inequality_reversed(submission):
    answers = _right_p_values(submission)
    if answers is None:
        return None
    for case, (reject, p_vals) in answers:
        n_tests = max(len(p_vals) - 1, 1)
        keep = np.arange(len(p_vals)) != case.args[1]
        flipped = [
            np.array_equal(reject[keep], (p_vals[keep] >= threshold).astype(float))
            for threshold in (ALPHA, ALPHA / n_tests)
        ]
        if not any(flipped):
            return None
    return ""


def _detect_other_order(submission):
    answers = _answers(submission)
    if answers is None:
        return None
    problem = submission.problem
    for case, (first, second) in answers:
        if not _same_p(first, problem.p_values(case), case.args[1]):
            return None
        if not np.all((second == 0) | (second == 1)):
            return None
    return ""


class GrangerCausality(FunctionProblem):
    id = "granger_causality"
    title = "Evaluate Granger causality"
    section = "Bonus 2.1"
    points = 1
    answer_name = "get_granger_causality"
    check_name = "check_get_granger_causality"
    check_doc = """Check Bonus Coding Exercise 2.1: ``get_granger_causality(X, selected_neuron)``.

    The student runs ``grangercausalitytests`` with one lag on each pair
    (target neuron, selected neuron), keeps the likelihood-ratio test's
    p-value and returns ``(reject_null, p_vals)``.

    The function is run on several recordings (4 to 6 neurons, 1000 to 5000
    timesteps, the tutorial's 6 neurons over 5000 timesteps among them) and
    compared with the reference; the p-values computed another way, and
    decisions with the Bonferroni correction, are accepted.

    Examples
    --------
    >>> def stub(X, selected_neuron, alpha=0.05):
    ...     raise NotImplementedError
    >>> check_get_granger_causality(stub).status
    'not_attempted'
    """
    domain = (
        "recordings made by simulate_neurons from networks drawn by create_connectivity, as the "
        "tutorial makes its own: 4 to 6 neurons, 1000 to 5000 timesteps, the first, a middle "
        "and the last neuron selected, alpha = 0.05; the tutorial's Bonus 2.1 system (6 "
        "neurons, 5000 timesteps, neuron 1) among them. Checking needs no statsmodels: the "
        "reference computes the same test by hand."
    )
    hints = (
        "`grangercausalitytests` takes the two time series as the two columns of one array, "
        "the series to predict first and the candidate cause second: the scaffold's `ts_data` "
        "is already in that order. `maxlag` sets how many lags to test.",
        "Call it with the scaffold's `ts_data` and `maxlag=max_lag`. It returns a dictionary "
        "keyed by lag; the scaffold's next line reads the likelihood-ratio test's p-value "
        "from it.",
        "`res = grangercausalitytests(ts_data, maxlag=max_lag)` (older statsmodels also take "
        "`verbose=False`, which 0.15 no longer accepts).",
    )
    solution = '''\
def get_granger_causality(X, selected_neuron, alpha=0.05):
    """Lag-1 Granger tests of selected_neuron -> every neuron: (reject_null, p_vals)."""
    n_neurons = X.shape[0]
    max_lag = 1
    n_tests = n_neurons - 1  # the selected neuron is not tested against itself
    reject_null = []
    p_vals = []
    for target_neuron in range(n_neurons):
        if target_neuron == selected_neuron:
            # A series against itself is no test (its regression is singular).
            reject_null.append(0)
            p_vals.append(1.0)
            continue
        # The series to predict first, the candidate cause second.
        ts_data = X[[target_neuron, selected_neuron], :].transpose()
        res = grangercausalitytests(ts_data, maxlag=max_lag)
        # The p-value of the likelihood-ratio test, at lag 1.
        pval = res[1][0]["lrtest"][1]
        p_vals.append(pval)
        # Bonferroni's correction for n_tests tests: each at level alpha / n_tests.
        reject_null.append(int(pval < alpha / n_tests))
    return reject_null, p_vals
'''
    mistakes = (
        calls_reference(instrumental.get_granger_causality),
        Mistake(
            id="returned_in_other_order",
            message="Your function returns the p-values first and the decisions second: the "
            "tutorial unpacks `reject_null, p_vals = get_granger_causality(...)`, so return "
            "`reject_null, p_vals` in that order.",
            detected_by="the first list returned holds the right p-values and the second only "
            "0s and 1s",
            detect=_detect_other_order,
        ),
        Mistake(
            id="direction_reversed",
            message="Your tests ask whether each neuron Granger-causes the selected one, the "
            "reverse direction: `grangercausalitytests` tests whether the *second* column "
            "helps predict the *first*, so the target neuron's series goes first and the "
            "selected neuron's second, `X[[target_neuron, selected_neuron], :].transpose()`.",
            detected_by="the p-values are those of the tests of each target neuron causing the "
            "selected one",
            detect=_detect_reversed,
        ),
        Mistake(
            id="rejected_above_alpha",
            message="Your decisions are reversed: the null (no Granger causality) is rejected "
            "when the p-value is *below* alpha, `int(pval < alpha)`.",
            detected_by="the p-values are right and each decision is 1 exactly where the "
            "p-value is at least alpha",
            detect=_detect_inequality_reversed,
        ),
    )

    @property
    def returns(self):
        return TupleAnswer(
            (
                ("reject_null", NumbersAnswer("0 or 1 for each neuron")),
                ("p_vals", NumbersAnswer("a p-value for each neuron")),
            )
        )

    @property
    def reference(self):
        return _tutorial_granger

    @property
    def reference_functions(self):
        return (instrumental.get_granger_causality, _tutorial_granger)

    def build_cases(self):
        return tuple(_case(name, *recording) for name, recording in _RECORDINGS.items())

    def p_values(self, case, *, reversed_direction=False):
        """The right (or the reversed direction's) p-values on ``case``, by hand (built once)."""
        memo = self.__dict__.setdefault("_p_values", {})
        key = (case.name, reversed_direction)
        if key not in memo:
            X, selected = case.args
            pairs = [(target, selected) for target in range(X.shape[0])]
            if reversed_direction:
                pairs = [(selected, target) for target, _ in pairs]
            memo[key] = np.array([_lr_pvalue(X, *pair) for pair in pairs])
        return memo[key]

    def correct_message(self):
        return (
            "Your tests and decisions equal the reference's on every test recording (4 to 6 "
            f"neurons, 1000 to 5000 timesteps). {self._on_the_tutorial()}"
        )

    def _on_the_tutorial(self):
        case = self.case("tutorial")
        X, selected = case.args
        n_neurons, _, seed, _ = _RECORDINGS["tutorial"]
        with isolated_random_state():
            A = simulation.create_connectivity(n_neurons, random_state=seed)
        reject = (self.p_values(case) < ALPHA).astype(int)
        reject[selected] = 0
        truth = (A[:, selected] > 0).astype(int)
        return (
            f"On the tutorial's system the test finds neuron {selected} causing neurons "
            f"{np.flatnonzero(reject).tolist()}; it truly acts on {np.flatnonzero(truth).tolist()}."
        )

    def accepts(self, submission):
        answers = _right_p_values(submission)
        if answers is None:
            return None
        bonferroni = True
        for case, (reject, p_vals) in answers:
            keep = np.arange(len(p_vals)) != case.args[1]
            n_tests = max(len(p_vals) - 1, 1)
            if not np.all((reject == 0) | (reject == 1)):
                return None
            plain = _decisions_follow(reject[keep], p_vals[keep], ALPHA)
            corrected = _decisions_follow(reject[keep], p_vals[keep], ALPHA / n_tests)
            if not (plain or corrected):
                return None
            bonferroni = bonferroni and corrected
        how = (
            "with the Bonferroni correction, alpha / (n_neurons - 1), as the tutorial's "
            "docstring promises (its code compares with alpha itself)"
            if bonferroni
            else "with alpha"
        )
        return (
            f"Your p-values are the likelihood-ratio tests' (to within a millionth), and your "
            f"decisions compare them {how}. {self._on_the_tutorial()}"
        )

    def describe_wrong(self, submission):
        for case, (reject, p_vals) in zip(self.cases(), submission.outputs, strict=True):
            expected = self.p_values(case)
            if not _same_p(p_vals, expected, case.args[1]):
                return (
                    f"Called with {case.description}, the p-values should be "
                    f"{format_numbers(expected, 4)}, but your function returned "
                    f"{format_numbers(p_vals, 4)}: they are not the lag-1 likelihood-ratio "
                    f"tests of the selected neuron on each neuron."
                )
            return (
                f"Called with {case.description}, your p-values are right but your decisions "
                f"{format_numbers(reject, 0)} are not `int(pval < alpha)`."
            )
        return "Your results differ from the reference's."


def _tutorial_granger(X, selected_neuron, alpha=ALPHA):
    """The tutorial's function, its likelihood-ratio tests computed by hand (so that checking
    needs no statsmodels): ``(reject_null, p_vals)``, rejecting where ``p < alpha``."""
    p_vals = [_lr_pvalue(X, target, selected_neuron) for target in range(X.shape[0])]
    return [int(pval < alpha) for pval in p_vals], p_vals
