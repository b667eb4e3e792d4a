"""Exercise 1.3.2: the second stage of two-stage least squares, ``fit_second_stage(T_hat, Y)``.

How a right answer is recognised
--------------------------------
The student regresses the outcome Y (birth weight) on T_hat, the first
stage's fitted values, with an intercept, and returns the slope: the IV
estimate of the causal effect of a cigarette a day on birth weight (the
tutorial prints -1.984; the truth is -2). The reference is the tutorial's own
fit, ``LinearRegression(fit_intercept=True).fit(T_hat, Y).coef_``, an array of
shape (1, 1) (the tutorial prints ``beta[0, 0]``).

The function is called on several samples of the tutorial's smoking data (30
to 2000 mothers, the tutorial's own among them), each with the first stage's
right T_hat, and judged by its number. Any other least-squares slope with an
intercept is right too (``np.linalg.lstsq`` on ``[1, T_hat]``, ``np.polyfit``,
``cov(T_hat, Y) / var(T_hat)``): they agree with the reference to about 1e-12;
an answer is accepted when, on every sample, it is within a millionth of the
true effect's size of the reference's (``_smoking.same_numbers``). The nearest
wrong answers are far: the slope without intercept is about 600, the
regression on T (the confounded estimate) -2.5 on the tutorial's sample.

The slope is accepted however it is held: the (1, 1) array the tutorial
returns, ``coef_`` of a flat Y, shape (1,), or a plain number (the tutorial's
docstring says "beta (float)"). Any other than the (1, 1) array gets advice:
the tutorial's next line, ``beta[0, 0]``, needs it.

The mistakes are recognised by what the function computed (the slope without
intercept, T_hat regressed on Y, the intercept) or returned (the model, the
fitted values), and the regression on the treatment T instead of T_hat by the
notebook variable the function reads: on the tutorial's sample its answer is
then the slope of Y on that variable.
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from ..._validation import _describe
from ...checking.answers import as_numeric_array, close_enough
from ...checking.common_mistakes import calls_reference
from ...checking.kinds import Case, FunctionProblem, Mistake
from ...checking.student_code import global_names_read
from ...model import instrumental
from ._scaffold import ScaffoldPlaceholders
from ._smoking import SAMPLES, TRUE_EFFECT, TUTORIAL_SIZE, fit_line, same_numbers, smoking_data


@dataclass(frozen=True)
class EffectAnswer:
    """One number, the estimated effect: the (1, 1) array ``coef_`` of a 2-D target, the
    (1,) one of a flat target, or a plain number; read as a 0-d array."""

    meaning: str

    def read(self, value):
        if isinstance(value, (bool, np.bool_)):
            return None
        if isinstance(value, numbers.Real):
            return np.asarray(float(value))
        array = as_numeric_array(value)
        if array is None or array.dtype.kind == "b":
            return None
        return np.asarray(float(array.ravel()[0])) if array.size == 1 else array

    def problem(self, read, expected) -> str | None:
        if read is None:
            return "type"
        if read.shape != ():
            return "shape"
        return None if np.isfinite(read) else "not_finite"

    def close(self, first, second) -> bool:
        return close_enough(first, second)

    def expected(self, shape) -> str:
        return f"`stage2.coef_`, an array of shape (1, 1) holding one number ({self.meaning})"

    def describe(self, kind, value, shape) -> str:
        if kind == "type":
            return f"{_describe(value)}; expected {self.expected(shape)}"
        if kind == "shape":
            return f"an array of shape {np.shape(value)}; expected {self.expected(shape)}"
        return f"{float(np.ravel(value)[0])}; expected {self.expected(shape)}, finite"


def _case(name, n, seed):
    data = smoking_data(n, seed)
    T_hat = fit_line(data.Z, data.T).at(data.Z)
    what = ", the tutorial's sample" if name == "tutorial" else f" (seed {seed})"
    description = f"T_hat and Y of shape ({n}, 1){what}"
    return Case(name, (T_hat, data.Y), description, (), {"number of mothers": n})


# What a student's function computes, for each mistake: (T_hat, Y) -> one number.


def _right(T_hat, Y):
    return fit_line(T_hat, Y).slope


def _without_intercept(T_hat, Y):
    return fit_line(T_hat, Y, intercept=False).slope


def _swapped(T_hat, Y):
    return fit_line(Y, T_hat).slope  # stage2.fit(Y, T_hat).coef_


def _swapped_without_intercept(T_hat, Y):
    return fit_line(Y, T_hat, intercept=False).slope


def _intercept(T_hat, Y):
    return fit_line(T_hat, Y).intercept


def _answers(submission):
    outputs = submission.outputs
    if outputs is None:
        return None
    return list(zip(submission.problem.cases(), outputs, strict=True))


def _is(version, case, got):
    return same_numbers(got, version(*case.args), scale=abs(TRUE_EFFECT))


def _computes(*versions):
    """A detector: on every case the answer is what one of ``versions`` computes, and on
    some case not the right slope."""

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


def _detect_predictions(submission):
    failure = submission.failure
    if failure is None or failure.kind != "shape":
        return None
    T_hat, Y = failure.case.args
    got = as_numeric_array(failure.value)
    if got is None or got.size != Y.size:
        return None
    if same_numbers(got, fit_line(T_hat, Y).at(T_hat), scale=float(np.std(Y))):
        return (
            f"(Called with {failure.case.description}, it returned an array of shape "
            f"{got.shape}: the fitted birth weights.)"
        )
    return None


def _detect_regressed_on_global(submission):
    """The function regresses Y on a notebook array (the treatment T) instead of T_hat."""
    arrays = {
        name: value
        for name, value in global_names_read(submission.func).items()
        if isinstance(value, np.ndarray) and value.ndim in (1, 2) and len(value) == TUTORIAL_SIZE
    }
    if not arrays:
        return None
    tutorial = submission.problem.case("tutorial")
    got = submission.output_of("tutorial")
    if got is None or _is(_right, tutorial, got):
        return None
    _, Y = tutorial.args
    for name, value in arrays.items():
        if value.size != TUTORIAL_SIZE or value.dtype.kind not in "iuf":
            continue
        slope = fit_line(value, Y).slope
        if same_numbers(got, slope, scale=abs(TRUE_EFFECT)):
            return (
                f"(It reads the notebook's `{name}`: on the tutorial's sample it returns "
                f"{float(got):.3f}, the slope of Y on `{name}`, where the IV estimate is "
                f"{_right(*tutorial.args):.3f}.)"
            )
    return None


class SecondStage(ScaffoldPlaceholders, FunctionProblem):
    id = "iv_second_stage"
    title = "Compute the IV estimate"
    section = "1.3.2"
    points = 1
    answer_name = "fit_second_stage"
    check_name = "check_fit_second_stage"
    check_doc = """Check Coding Exercise 1.3.2: ``fit_second_stage(T_hat, Y)``, the IV estimate.

    The student regresses the outcome Y on the first stage's T_hat with
    ``LinearRegression(fit_intercept=True)`` and returns its coefficient,
    ``stage2.coef_``, the estimated causal effect.

    The function is run on several samples of the tutorial's smoking data (30
    to 2000 mothers, the tutorial's own sample among them), each with its
    right T_hat, and its slope is compared with the reference's; any other
    least-squares slope with an intercept is accepted, held as the (1, 1)
    array, a (1,) array or a number.

    Examples
    --------
    >>> def stub(T_hat, Y):
    ...     raise NotImplementedError
    >>> check_fit_second_stage(stub).status
    'not_attempted'
    """
    shape_meaning = "the estimated effect of a cigarette a day on birth weight"
    domain = (
        "samples of the tutorial's smoking data (Section 1.1), Y of shape (n, 1) with T_hat, "
        "of shape (n, 1), the right first stage's fitted values on the same sample: 30 to 2000 "
        "mothers, several seeds, the tutorial's own sample (seed 42, 2000 mothers) among them."
    )
    hints = (
        "The second stage is again an ordinary linear regression with an intercept, this time "
        "of the outcome Y on T_hat, the part of the treatment the instrument explains. Its "
        "slope is the causal effect.",
        "Make `stage2 = LinearRegression(fit_intercept=True)` and fit it with the input first, "
        "the target second: `stage2.fit(T_hat, Y)`. The slope is then in `stage2.coef_` (the "
        "intercept, birth weight at 0 cigarettes, is `stage2.intercept_`).",
        "`stage2 = LinearRegression(fit_intercept=True)`, `stage2.fit(T_hat, Y)`, then "
        "`return stage2.coef_`.",
    )
    solution = '''\
def fit_second_stage(T_hat, Y):
    """The IV estimate: the slope of the outcome Y on the first stage's T_hat."""
    stage2 = LinearRegression(fit_intercept=True)
    # Input first (the unconfounded part of the treatment), target second (birth weight).
    stage2.fit(T_hat, Y)
    # Its slope, an array of shape (1, 1): the tutorial prints beta[0, 0].
    return stage2.coef_
'''
    mistakes = (
        calls_reference(instrumental.fit_second_stage),
        Mistake(
            id="regressed_on_treatment",
            message="Your second stage regresses Y on the treatment T, a notebook variable, "
            "instead of on its argument T_hat: that is the ordinary regression the confounder "
            "(wealth) biases, the very estimate the instrument is meant to correct. Fit "
            "`stage2.fit(T_hat, Y)`.",
            detected_by="the function reads a notebook array of the tutorial's sample size and, "
            "on the tutorial's sample, returns the slope of Y on it",
            detect=_detect_regressed_on_global,
        ),
        Mistake(
            id="returned_model",
            message="Your function returns the regression model itself (`stage2`, or what "
            "`stage2.fit(...)` returns), not the effect: return its slope, `stage2.coef_`.",
            detected_by="the function returns an object with `predict` or `coef_`",
            detect=_detect_model,
        ),
        Mistake(
            id="returned_predictions",
            message="Your function returns the fitted birth weights, `stage2.predict(T_hat)`, "
            "one per mother: the second stage's answer is its slope, `stage2.coef_`, the "
            "effect of one more cigarette a day.",
            detected_by="the function returns an array of n values equal to the second stage's "
            "fitted values",
            detect=_detect_predictions,
        ),
        Mistake(
            id="returned_intercept",
            message="You returned the intercept, `stage2.intercept_` (the birth weight the line "
            "gives at 0 cigarettes, about 3000 g), not the slope: the effect is "
            "`stage2.coef_`.",
            detected_by="on every sample the answer is the intercept of the regression of Y on "
            "T_hat",
            detect=_computes(_intercept),
        ),
        Mistake(
            id="fit_arguments_swapped",
            message="You regressed T_hat on Y: scikit-learn's `fit` takes the input first and "
            "the target second, so `stage2.fit(Y, T_hat)` predicts cigarettes from birth "
            "weight. The second stage predicts the outcome: `stage2.fit(T_hat, Y)`.",
            detected_by="on every sample the answer is the slope of T_hat on Y (with or "
            "without intercept)",
            detect=_computes(_swapped, _swapped_without_intercept),
        ),
        Mistake(
            id="no_intercept",
            message="Your second stage has no intercept, so its line goes through 0: birth "
            "weights are about 3000 g, and a line through the origin turns that mean into a "
            "huge positive slope. Use `LinearRegression(fit_intercept=True)`.",
            detected_by="on every sample the answer is the slope of Y on T_hat through the origin",
            detect=_computes(_without_intercept),
        ),
    )

    @property
    def returns(self):
        return EffectAnswer(self.shape_meaning)

    @property
    def reference(self):
        return instrumental.fit_second_stage

    def build_cases(self):
        return tuple(_case(name, *sample) for name, sample in SAMPLES.items())

    def correct_message(self):
        return (
            f"Your estimate equals the reference's on every test sample (30 to {TUTORIAL_SIZE} "
            f"mothers). {self._on_the_tutorial()}"
        )

    def accepts(self, submission):
        answers = _answers(submission)
        if answers is None or not all(_is(_right, case, got) for case, got in answers):
            return None
        return (
            "Your estimate is the least-squares slope of Y on T_hat with an intercept: it "
            "agrees with the reference's to within a millionth on every test sample (another "
            f"way of solving the same regression). {self._on_the_tutorial()}"
        )

    def _on_the_tutorial(self):
        T_hat, Y = self.case("tutorial").args
        T = smoking_data(*SAMPLES["tutorial"]).T
        return (
            f"On the tutorial's sample the IV estimate is {_right(T_hat, Y):.3f} grams per "
            f"cigarette a day (the truth is {TRUE_EFFECT:g}), where regressing Y on T itself "
            f"gives {_right(T, Y):.3f}, biased by the confounder."
        )

    def _correct(self, submission, message, *, matches_tutorial=False):
        result = super()._correct(submission, message, matches_tutorial=matches_tutorial)
        call = submission.call(self.case("few").fresh_args())
        value = call.value if call.returned else None
        if np.shape(value) != (1, 1) and not result.advice:
            held = (
                f"an array of shape {value.shape}"
                if isinstance(value, np.ndarray)
                else f"a {type(value).__name__}"
            )
            advice = (
                f"Your function returns the effect as {held}: the number is right, but the "
                f"tutorial's next line prints `beta[0, 0]`, which needs the (1, 1) array that "
                f"`stage2.coef_` is when Y is a column, as in the tutorial. Return "
                f"`stage2.coef_` as it is."
            )
            result = dataclasses.replace(result, advice=advice)
        return result

    def describe_wrong(self, submission):
        for case, got in zip(self.cases(), submission.outputs, strict=True):
            if _is(_right, case, got):
                continue
            return (
                f"Called with {case.description}, the second stage's slope is "
                f"{_right(*case.args):.4f}, but your function returned {float(got):.4f}. It "
                f"is the slope of the straight line, with intercept, that best predicts Y "
                f"from T_hat."
            )
        return "Your estimate differs from the reference's."
