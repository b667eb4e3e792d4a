"""Exercise 1.3.1: the first stage of two-stage least squares, ``fit_first_stage(T, Z)``.

How a right answer is recognised
--------------------------------
The student regresses the treatment T (cigarettes a day) on the instrument Z
(taxes), with an intercept, and returns the fitted values, T_hat: the part of
T that the instrument explains. The reference is the tutorial's own fit,
``LinearRegression(fit_intercept=True).fit(Z, T).predict(Z)``, of the same
shape as T, (n, 1).

The answer is a function of T and Z, so it is called on several samples of the
tutorial's data (its data-generating process, 30 to 2000 mothers, several
seeds, the tutorial's own sample among them) and judged by its numbers. Any
other least-squares fit with an intercept is right too: ``np.linalg.lstsq`` on
``[1, Z]``, ``np.polyfit``, the covariance formula (slope ``cov(Z, T) /
var(Z)``), a hand-written projection. They agree with the reference to about
1e-13 (rounding in another order); an answer is accepted when, on every
sample, its fitted values are within a millionth of T's standard deviation of
the reference's (``_smoking.same_numbers``). The nearest wrong answers are far
beyond that: the fit without intercept is off by T's mean, about 5; the
arguments swapped predict Z, whose values are about 5 below T's.

T_hat as a flat array, shape (n,), holds the same numbers and is accepted; the
verdict then advises that the tutorial's second stage, ``LinearRegression.fit``,
wants it 2-D, as the tutorial returns it.

The mistakes are recognised by what the function computed on every sample
(the fit without intercept, Z regressed on T, the prediction made from T, the
residual T - T_hat) or by what it returned instead of T_hat (the model, its
coefficients).
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from ...checking.answers import ArrayAnswer, as_numeric_array
from ...checking.common_mistakes import calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake, format_numbers
from ...model import instrumental
from ._scaffold import ScaffoldPlaceholders
from ._smoking import SAMPLES, TUTORIAL_SIZE, fit_line, same_numbers, smoking_data


@dataclass(frozen=True)
class ColumnAnswer(ArrayAnswer):
    """A column of shape (n, 1); the same numbers as a flat array, (n,), read as the column."""

    def read(self, value):
        array = as_numeric_array(value)
        return array.reshape(-1, 1) if array is not None and array.ndim == 1 else array

    def expected(self, shape) -> str:
        return f"a NumPy array of shape {shape} (or {shape[:1]}) {self.meaning}"


def _case(name, n, seed):
    data = smoking_data(n, seed)
    what = ", the tutorial's sample" if name == "tutorial" else f" (seed {seed})"
    description = f"T and Z of shape ({n}, 1){what}"
    return Case(name, (data.T, data.Z), description, (n, 1), {"number of mothers": n})


# What a student's function computes, for each mistake: (T, Z) -> a column of n values.


def _right(T, Z):
    return fit_line(Z, T).at(Z)


def _without_intercept(T, Z):
    return fit_line(Z, T, intercept=False).at(Z)


def _swapped_predicting_from_T(T, Z):
    return fit_line(T, Z).at(T)  # stage1.fit(T, Z); stage1.predict(T)


def _swapped_predicting_from_Z(T, Z):
    return fit_line(T, Z).at(Z)  # stage1.fit(T, Z); stage1.predict(Z)


def _swapped_without_intercept(T, Z):
    return fit_line(T, Z, intercept=False).at(T)


def _predicted_from_T(T, Z):
    return fit_line(Z, T).at(T)  # stage1.fit(Z, T); stage1.predict(T)


def _residuals(T, Z):
    return T - fit_line(Z, T).at(Z)


def _answers(submission):
    outputs = submission.outputs
    if outputs is None:
        return None
    return list(zip(submission.problem.cases(), outputs, strict=True))


def _is(version, case, got):
    T, Z = case.args
    return same_numbers(got, version(T, Z), scale=float(np.std(T)))


def _computes(*versions):
    """A detector: on every case the answer is what one of ``versions`` computes, and on
    some case not the right fit (so that no mistake is seen in a right answer)."""

    def detect(submission):
        answers = _answers(submission)
        if answers is None or all(_is(_right, case, got) for case, got in answers):
            return None
        for version in versions:
            if all(_is(version, case, got) for case, got in answers):
                return ""
        return None

    return detect


def _detect_model(submission):
    failure = submission.failure
    if failure is None or failure.kind != "type":
        return None
    model = failure.value
    if hasattr(model, "predict") or hasattr(model, "coef_"):
        return f"(Called with {failure.case.description}, it returned a {type(model).__name__}.)"
    return None


def _detect_coefficients(submission):
    """The function returned the fit's slope (and perhaps its intercept), not T_hat."""
    failure = submission.failure
    if failure is None or failure.kind not in ("type", "shape"):
        return None
    value = failure.value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        numbers_returned = np.array([float(value)])
    else:
        array = as_numeric_array(value)
        if array is None or array.size > 2:
            return None
        numbers_returned = array.astype(float).ravel()
    T, Z = failure.case.args
    line = fit_line(Z, T)
    scale = float(np.std(T))
    if any(same_numbers(number, line.slope, scale) for number in numbers_returned):
        return (
            f"(Called with {failure.case.description}, it returned "
            f"{format_numbers(numbers_returned, 4)}: the fit's coefficients.)"
        )
    return None


class FirstStage(ScaffoldPlaceholders, FunctionProblem):
    id = "iv_first_stage"
    title = "Compute regression stage 1"
    section = "1.3.1"
    points = 1
    answer_name = "fit_first_stage"
    check_name = "check_fit_first_stage"
    check_doc = """Check Coding Exercise 1.3.1: ``fit_first_stage(T, Z)``, the first stage.

    The student regresses the treatment T on the instrument Z with
    ``LinearRegression(fit_intercept=True)`` and returns the fitted values
    T_hat (the part of T the instrument explains), of T's shape (n, 1).

    The function is run on several samples of the tutorial's smoking data (30
    to 2000 mothers, the tutorial's own sample among them) and its T_hat is
    compared with the reference's; any other least-squares fit with an
    intercept (``np.linalg.lstsq``, ``np.polyfit``, the covariance formula) is
    accepted.

    Examples
    --------
    >>> def stub(T, Z):
    ...     raise NotImplementedError
    >>> check_fit_first_stage(stub).status
    'not_attempted'
    """
    shape_meaning = "(T_hat, one fitted value per mother)"
    domain = (
        "samples of the tutorial's smoking data (Section 1.1: Z, T, C jointly normal with "
        "means 0, 5, 2 and the tutorial's covariance, Y = 3000 + C - 2 T), T and Z columns of "
        "shape (n, 1): 30 to 2000 mothers, several seeds, the tutorial's own sample (seed 42, "
        "2000 mothers) among them."
    )
    hints = (
        "The first stage is an ordinary linear regression of the treatment on the instrument: "
        "the instrument Z is the input (what scikit-learn calls X), the treatment T the target "
        "(y). Its fitted values, T_hat, are the part of T that the instrument explains.",
        "Make the model with `LinearRegression(fit_intercept=True)` (T's mean is about 5 where "
        "Z's is 0, so the line needs an intercept), fit it with `stage1.fit(Z, T)` (input "
        "first, target second), then `stage1.predict(Z)` gives T_hat.",
        "`stage1 = LinearRegression(fit_intercept=True)`, `stage1.fit(Z, T)`, "
        "`T_hat = stage1.predict(Z)`, then `return T_hat`.",
    )
    solution = '''\
def fit_first_stage(T, Z):
    """T_hat: the part of the treatment T that the instrument Z explains."""
    # An intercept: T's mean (about 5 cigarettes a day) is not 0 where Z's is.
    stage1 = LinearRegression(fit_intercept=True)
    # scikit-learn's order: the input (the instrument) first, the target (the treatment) second.
    stage1.fit(Z, T)
    # The fitted values, of T's shape (n, 1).
    T_hat = stage1.predict(Z)
    return T_hat
'''
    mistakes = (
        calls_reference(instrumental.fit_first_stage),
        Mistake(
            id="returned_model",
            message="Your function returns the regression model itself (`stage1`, or what "
            "`stage1.fit(...)` returns), not its predictions: return `stage1.predict(Z)`, "
            "T_hat.",
            detected_by="the function returns an object with `predict` or `coef_`",
            detect=_detect_model,
        ),
        Mistake(
            id="returned_coefficients",
            message="Your function returns the fit's coefficients, not T_hat: the second stage "
            "needs the fitted values themselves, one per mother, `stage1.predict(Z)`.",
            detected_by="the function returns one or two numbers, among them the slope of the "
            "regression of T on Z",
            detect=_detect_coefficients,
        ),
        Mistake(
            id="fit_arguments_swapped",
            message="You regressed the instrument on the treatment: scikit-learn's `fit` takes "
            "the input first and the target second, so `stage1.fit(T, Z)` predicts taxes from "
            "cigarettes. The first stage predicts the treatment from the instrument: "
            "`stage1.fit(Z, T)`, then `stage1.predict(Z)`.",
            detected_by="on every sample the answer is the regression of Z on T, predicted at "
            "T or at Z (with or without intercept)",
            detect=_computes(
                _swapped_predicting_from_T, _swapped_predicting_from_Z, _swapped_without_intercept
            ),
        ),
        Mistake(
            id="no_intercept",
            message="Your first stage has no intercept, so its line goes through 0: the "
            "instrument has mean 0 and the treatment about 5 cigarettes a day, and T_hat misses "
            "that whole mean. Use `LinearRegression(fit_intercept=True)`.",
            detected_by="on every sample the answer is the regression of T on Z through the origin",
            detect=_computes(_without_intercept),
        ),
        Mistake(
            id="predicted_from_treatment",
            message="You fitted the right line but predicted from the treatment, "
            "`stage1.predict(T)`: T_hat is what the line gives for the instrument, "
            "`stage1.predict(Z)`. Predicting from T brings back the confounded part of T the "
            "first stage is meant to leave out.",
            detected_by="on every sample the answer is the regression of T on Z evaluated at T",
            detect=_computes(_predicted_from_T),
        ),
        Mistake(
            id="returned_residuals",
            message="You returned the residuals, T - T_hat: what the instrument does not "
            "explain, which is where the confounder (wealth) lives. Return the fitted values "
            "themselves, `stage1.predict(Z)`.",
            detected_by="on every sample the answer is T minus the first stage's fitted values",
            detect=_computes(_residuals),
        ),
    )

    @property
    def returns(self):
        return ColumnAnswer(self.shape_meaning)

    @property
    def reference(self):
        return instrumental.fit_first_stage

    def build_cases(self):
        return tuple(_case(name, *sample) for name, sample in SAMPLES.items())

    def correct_message(self):
        return (
            f"Your T_hat equals the reference's on every test sample (30 to {TUTORIAL_SIZE} "
            f"mothers). {self._on_the_tutorial()}"
        )

    def accepts(self, submission):
        answers = _answers(submission)
        if answers is None or not all(_is(_right, case, got) for case, got in answers):
            return None
        return (
            "Your T_hat is the least-squares fit of T on Z with an intercept: it agrees with "
            "the reference's to within a millionth of T's standard deviation on every test "
            f"sample (another way of solving the same regression). {self._on_the_tutorial()}"
        )

    def _on_the_tutorial(self):
        T, Z = self.case("tutorial").args
        C = smoking_data(*SAMPLES["tutorial"]).C
        T_hat = _right(T, Z)
        before = np.corrcoef(T.ravel(), C.ravel())[0, 1]
        after = np.corrcoef(T_hat.ravel(), C.ravel())[0, 1]
        return (
            f"On the tutorial's sample the correlation with wealth C falls from {before:.3f} "
            f"(T) to {after:.3f} (T_hat), as the tutorial prints."
        )

    def _correct(self, submission, message, *, matches_tutorial=False):
        result = super()._correct(submission, message, matches_tutorial=matches_tutorial)
        call = submission.call(self.case("few").fresh_args())
        value = as_numeric_array(call.value) if call.returned else None
        if value is not None and value.ndim == 1 and not result.advice:
            advice = (
                "Your T_hat is flat, of shape (n,): the numbers are right, but the tutorial's "
                "second stage passes T_hat to `LinearRegression.fit`, which wants a 2-D array "
                "(one row per mother) and refuses a flat one. Return it as a column, as "
                "`stage1.predict(Z)` gives it, or `T_hat.reshape(-1, 1)`."
            )
            result = dataclasses.replace(result, advice=advice)
        return result

    def describe_wrong(self, submission):
        for case, got in zip(self.cases(), submission.outputs, strict=True):
            T, Z = case.args
            expected = _right(T, Z)
            if _is(_right, case, got):
                continue
            worst = int(np.argmax(np.abs(got - expected).ravel()))
            return (
                f"Called with {case.description}, your T_hat differs from the first stage's "
                f"fitted values: row {worst} should be {expected.ravel()[worst]:.4f}, yours is "
                f"{got.ravel()[worst]:.4f}. T_hat is the straight line, with intercept, that "
                f"best predicts T from Z, evaluated at Z."
            )
        return "Your T_hat differs from the reference's."
