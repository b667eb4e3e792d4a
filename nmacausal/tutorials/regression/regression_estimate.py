"""Exercise 1: the connections into one neuron, estimated by Lasso regression.

How a right answer is recognised
--------------------------------
The reference is the tutorial's own fit, scikit-learn's
``Lasso(alpha=0.01, fit_intercept=False)``: an answer that returns its numbers
(to rounding) is right and matches the tutorial. Any other way of solving the
same Lasso problem is right too (LassoLars, ``lasso_path``, a hand-written
coordinate descent or FISTA, ...), but its coefficients differ from the
reference's in the fourth decimal, because scikit-learn's solver stops at its
tolerance, short of the exact optimum. So the verdict compares what the
coefficients achieve, the Lasso objective

    (1 / (2 N)) ||y - W v||^2 + alpha ||v||_1,

with ``N = timesteps - 1`` samples: an answer is right when, on every case,
its objective is no larger than the reference's plus ``_SAME_OBJECTIVE`` times
the mean square of the target (the scale scikit-learn measures its own ``tol``
in). Measured on the cases (scikit-learn 1.9, in that unit):

- the reference is above the exact optimum (LassoLars, FISTA run to 1e-13) by
  at most 9e-9; its coefficients differ from the exact ones by up to 4e-4;
- scikit-learn's coordinate descent at ten times its default tolerance
  (``tol=1e-3``) is above it by at most 7.4e-7;
- the nearest wrong answers: alpha off by 20% (0.008 or 0.012) at least
  4.3e-6, 0.005 or 0.02 at least 3.9e-5, 0.001 or 0.1, least squares, no
  logit or an intercept at least 1.6e-3.

``_SAME_OBJECTIVE = 1e-6`` lies between: it accepts any solver converged at
least as tightly as scikit-learn's default tenfold loosened, and refuses an
alpha off by 20% with a margin of four (one off by 10% or less is on the edge:
it cannot be told from a loosely converged solver, and is accepted or not).

The mistakes are recognised the same way, whatever the student's solver: an
answer that solves, on every case, the Lasso problem a mistake sets up (the
target without its logit, an intercept, another alpha, ...) and not the
right one, made that mistake. Mistakes that make the function fail on every
recording of the tutorial (the lag reversed takes the logit of the initial
zeros; samples and features swapped give scikit-learn arrays of inconsistent
lengths) are named from a second call on a recording where they do not fail:
the recording without its initial state, or a square one (as many neurons as
samples). Those calls only name a mistake of a function that already failed.
"""

from __future__ import annotations

import re

import numpy as np

from ...checking.answers import ArrayAnswer, close_enough
from ...checking.common_mistakes import (
    GLOBAL_SIZE,
    HARD_CODED_SIZE,
    RETURNED_LIST,
    calls_reference,
    ignores_index,
)
from ...checking.kinds import Case, FunctionProblem, Mistake, either, format_numbers
from ...model import regression, simulation

ALPHA = regression.TUTORIAL_ALPHA
# See the module's docstring: how much above the reference's Lasso objective an answer
# may be, in units of the target's mean square.
_SAME_OBJECTIVE = 1e-6
# Coefficients from different Lasso solvers on the same problem differ by up to 4e-4
# (the reference stops short of the optimum), 4.3e-3 at ten times scikit-learn's
# tolerance; the connections from a neuron differ from those into it by 0.14 or more.
_SAME_COEFFICIENTS = 5e-3
# A Lasso with a negligible alpha stops before it converges (scikit-learn's duality gap
# is no guide there), short of least squares: measured, its squared error is at most 1%
# of the way from least squares' to the Lasso solution's, and no weight is exactly 0 on
# the tutorial's recording. Any alpha of 1e-4 or more leaves some weight at 0 there.
_NEARLY_LEAST_SQUARES = 0.02
# Two estimated penalties this close are one (the estimate from an inexact solver's
# coefficients is itself inexact).
_SAME_ALPHA = 0.05


# The recordings the verdict is decided on, by name: (n_neurons, timesteps, neuron_idx,
# seed of the network and of the simulation, sparsity p). Small ones first: a function
# that fails, fails fast.
_RECORDINGS = {
    "last_neuron": (3, 300, 2, 5, 0.5),
    "first_neuron": (6, 500, 0, 3, 0.5),
    "middle_neuron": (10, 1200, 5, 7, 0.7),
    "dense": (20, 2000, 13, 11, 0.3),
    "tutorial": (50, 10000, 1, 42, 0.9),
}
# A square recording (as many neurons as samples), only for naming a mistake.
_SQUARE = (12, 13, 4, 8, 0.7)


def _network(n_neurons, timesteps, neuron_idx, seed, p):
    """The connectivity of a recording (its seed drawn without touching the global stream)."""
    with simulation.isolated_random_state():
        return simulation.create_connectivity(n_neurons, random_state=seed, p=p)


def _recording(name, parameters, note=""):
    """A case: a recording simulated from a network drawn as the tutorial draws its own."""
    n_neurons, timesteps, neuron_idx, seed, _ = parameters
    X = simulation.simulate_neurons(_network(*parameters), timesteps, random_state=seed)
    return _case(name, X, neuron_idx, f" ({n_neurons} neurons, {timesteps} timesteps){note}")


def _case(name, X, neuron_idx, what):
    n_neurons, timesteps = X.shape
    sizes = {
        "number of neurons": n_neurons,
        "number of timesteps": timesteps,
        "number of samples (timesteps - 1)": timesteps - 1,
    }
    description = f"X of shape {X.shape}{what}, neuron_idx={neuron_idx}"
    return Case(name, (X, neuron_idx), description, (n_neurons,), sizes)


def _logit(values):
    return np.log(values / (1 - values))


# ------------------------------------------------------------- Lasso problems


class _LassoProblem:
    """Minimise ``(1 / (2 N)) ||y - W v - b||^2 + alpha ||v||_1`` over ``v``.

    ``b`` is 0, or, with ``intercept``, free (it is then eliminated by centring
    ``W`` and ``y``, as scikit-learn does). ``alpha = 0`` is least squares.
    """

    def __init__(self, W, y, alpha=ALPHA, *, intercept=False):
        if intercept:
            W, y = W - W.mean(axis=0), y - y.mean()
        self.W, self.y, self.alpha = W, y, alpha
        self._solution = None

    def at(self, alpha):
        """The same data with another penalty."""
        return _LassoProblem(self.W, self.y, alpha)

    def objective(self, v):
        residual = self.y - self.W @ v
        return residual @ residual / (2 * len(self.y)) + self.alpha * np.abs(v).sum()

    @property
    def solution(self):
        """scikit-learn's solution at its default tolerance, as the reference's."""
        if self._solution is None:
            if self.alpha == 0:
                self._solution = np.linalg.lstsq(self.W, self.y, rcond=None)[0]
            else:
                # Imported on first use, as the model does: it takes about a second.
                from sklearn.linear_model import Lasso

                # A seed of its own: scikit-learn would draw one from NumPy's global stream.
                model = Lasso(
                    alpha=self.alpha, fit_intercept=False, precompute=True, random_state=0
                )
                self._solution = model.fit(self.W, self.y).coef_
        return self._solution

    def solved_by(self, v) -> bool:
        """Whether ``v`` minimises the objective as well as the reference's fit does."""
        if v is None or v.shape != (self.W.shape[1],) or not np.all(np.isfinite(v)):
            return False
        slack = _SAME_OBJECTIVE * float(np.mean(self.y**2))
        return self.objective(v) <= self.objective(self.solution) + slack

    def penalty_of(self, v):
        """The alpha for which ``v`` meets Lasso's optimality conditions on these data
        (the size of the gradient of the squared error at its nonzero entries), or None."""
        active = v != 0
        if not active.any():
            return None
        gradient = self.W.T @ (self.y - self.W @ v) / len(self.y)
        return float(np.median(np.abs(gradient[active])))


# What the student's regression is, for each mistake: (X, neuron_idx) -> problem.


def _right(X, i):
    return _LassoProblem(X[:, :-1].T, _logit(X[i, 1:]))


def _no_logit(X, i):
    return _LassoProblem(X[:, :-1].T, X[i, 1:])


def _with_intercept(X, i):
    return _LassoProblem(X[:, :-1].T, _logit(X[i, 1:]), intercept=True)


def _without_own_history(X, i):
    return _LassoProblem(np.delete(X[:, :-1], i, axis=0).T, _logit(X[i, 1:]))


def _least_squares(X, i):
    return _LassoProblem(X[:, :-1].T, _logit(X[i, 1:]), alpha=0)


def _least_squares_with_intercept(X, i):
    return _LassoProblem(X[:, :-1].T, _logit(X[i, 1:]), alpha=0, intercept=True)


def _same_time_after(X, i):
    return _LassoProblem(X[:, 1:].T, _logit(X[i, 1:]))


# On a recording without its initial zeros only (on the tutorial's, the logit of 0 fails).


def _lag_reversed(X, i):
    return _LassoProblem(X[:, 1:].T, _logit(X[i, :-1]))


def _same_time_before(X, i):
    return _LassoProblem(X[:, :-1].T, _logit(X[i, :-1]))


# On a square recording only (n_neurons = timesteps - 1): elsewhere scikit-learn refuses it.


def _samples_and_features_swapped(X, i):
    return _LassoProblem(X[:, :-1], _logit(X[i, 1:]))


# --------------------------------------------------------------- detectors


def _answers(submission):
    """``(case, coefficients)`` for every case, when every case gave a usable answer."""
    outputs = submission.outputs
    if outputs is None:
        return None
    return list(zip(submission.problem.cases(), outputs, strict=True))


def _right_everywhere(submission) -> bool:
    """Whether the answer solves the exercise's problem on every case (then it is no mistake)."""
    if "right" not in submission.memo:
        answers = _answers(submission)
        problem = submission.problem
        submission.memo["right"] = answers is not None and all(
            problem.problem_of(_right, case).solved_by(v) for case, v in answers
        )
    return submission.memo["right"]


def _wrong_answers(submission):
    """The answers on every case, when every case gave one and they do not all solve the
    exercise's problem (so that no mistake is seen in a right answer); else ``None``."""
    answers = _answers(submission)
    return None if answers is None or _right_everywhere(submission) else answers


def _solves(setup, *, or_else=None, then_say=""):
    """A detector: on every case, the answer solves ``setup``'s problem, and not the
    exercise's own; or else ``or_else``'s, and then the particulars are ``then_say``."""

    def detect(submission):
        answers = _wrong_answers(submission)
        if answers is None:
            return None
        problem = submission.problem
        for candidate, particulars in ((setup, ""), (or_else, then_say)):
            if candidate is None:
                continue
            if all(problem.problem_of(candidate, case).solved_by(v) for case, v in answers):
                return particulars
        return None

    return detect


def _failed_on_the_recordings(submission) -> bool:
    failure = submission.failure
    return failure is not None and failure.kind in ("raised", "not_finite", "shape")


def _solves_on_diagnostic(setup, diagnostic, what):
    """A detector: the function failed on the exercise's recordings, and on the diagnostic
    recording ``diagnostic`` (where that mistake does not fail) it solves ``setup``'s
    problem, which ``what`` says in words."""

    def detect(submission):
        if not _failed_on_the_recordings(submission):
            return None
        problem = submission.problem
        case = problem.diagnostic(diagnostic)
        v = problem.diagnostic_output(submission, diagnostic)
        if v is not None and problem.problem_of(setup, case).solved_by(v):
            failed = problem.describe_failure(submission)
            return f"({failed} Called with {case.description}, where it runs, it {what}.)"
        return None

    return detect


# scikit-learn's refusal of regressors and target of different lengths, e.g.
# "Found input variables with inconsistent numbers of samples: [50, 1]".
_INCONSISTENT_SAMPLES = re.compile(r"inconsistent numbers of samples: \[(\d+), \d+\]")


def _detect_untransposed_refused(submission):
    """The fit was refused because the regressors had one sample per neuron: ``X[:, :-1]``
    passed as it is (with ``Y`` untransposed too, no square recording makes it run)."""
    failure = submission.failure
    if failure is None or failure.kind != "raised" or not isinstance(failure.error, ValueError):
        return None
    refusal = _INCONSISTENT_SAMPLES.search(str(failure.error))
    n_neurons = failure.case.expected_shape[0]
    timesteps = failure.case.args[0].shape[1]
    if refusal is None or int(refusal.group(1)) != n_neurons or n_neurons == timesteps - 1:
        return None
    return f"({submission.problem.describe_failure(submission)})"


def _detect_estimator(submission):
    failure = submission.failure
    if failure is None or failure.kind != "type":
        return None
    model = failure.value
    if hasattr(model, "coef_") or hasattr(model, "fit"):
        return f"(Called with {failure.case.description}, it returned a {type(model).__name__}.)"
    return None


def _detect_column(submission):
    failure = submission.failure
    if failure is None or failure.kind != "shape":
        return None
    read = submission.problem.returns.read(failure.value)
    n_neurons = failure.case.expected_shape[0]
    if read is not None and read.shape == (n_neurons, 1):
        return f"(Called with {failure.case.description}, it returned shape {read.shape}.)"
    return None


def _detect_own_history(submission):
    failure = submission.failure
    problem = submission.problem
    if failure is not None and failure.kind == "shape":
        v = problem.returns.read(failure.value)
        case = failure.case
        if v is not None and problem.problem_of(_without_own_history, case).solved_by(v):
            n_neurons, neuron_idx = case.expected_shape[0], case.args[1]
            return (
                f"(Called with {case.description}, it returned {v.size} coefficients for "
                f"{n_neurons} neurons: none for neuron {neuron_idx} itself.)"
            )
        return None
    answers = _wrong_answers(submission)
    if answers is None:
        return None
    for case, v in answers:
        neuron_idx = case.args[1]
        own_removed = np.delete(v, neuron_idx)
        if v[neuron_idx] != 0 or not problem.problem_of(_without_own_history, case).solved_by(
            own_removed
        ):
            return None
    return "(Its weight for neuron neuron_idx itself is 0 on every recording.)"


def _detect_nearly_least_squares(submission):
    """A Lasso with a negligible alpha, stopped short of least squares: on every case, no
    weight exactly 0 and a squared error close to least squares' (``_NEARLY_LEAST_SQUARES``)."""
    answers = _wrong_answers(submission)
    if answers is None:
        return None
    problem = submission.problem
    for case, v in answers:
        squared_error = problem.problem_of(
            _least_squares, case
        )  # alpha = 0: the objective is the error
        lowest = squared_error.objective(squared_error.solution)
        lasso = squared_error.objective(problem.problem_of(_right, case).solution)
        if np.any(v == 0) or squared_error.objective(v) - lowest > _NEARLY_LEAST_SQUARES * (
            lasso - lowest
        ):
            return None
    return (
        "(Not exactly: no weight is 0 and they fit the data nearly as closely as least squares, "
        "the mark of a Lasso whose alpha is too small to matter, which then stops before it "
        "converges.)"
    )


def _detect_all_zero(submission):
    answers = _answers(submission)
    if answers is None or not all(np.all(v == 0) for _, v in answers):
        return None
    return ""


def _detect_wrong_alpha(submission):
    answers = _wrong_answers(submission)
    if answers is None:
        return None
    problem = submission.problem
    rights = [(problem.problem_of(_right, case), v) for case, v in answers]
    found = [right.penalty_of(v) for right, v in rights]
    if all(alpha is None for alpha in found):
        return None  # every weight 0: another mistake
    typical = float(np.median([alpha for alpha in found if alpha is not None]))
    if abs(typical / ALPHA - 1) <= _SAME_ALPHA:
        return None
    # Where every weight is 0, the penalty is at least the one that keeps none: `typical`'s.
    for (right, v), alpha in zip(rights, found, strict=True):
        if not right.at(typical if alpha is None else alpha).solved_by(v):
            return None
    return (
        f"(They are the Lasso solution for alpha = {typical:.2g}, which is "
        f"{'stronger' if typical > ALPHA else 'weaker'} than {ALPHA}: "
        f"{'fewer' if typical > ALPHA else 'more'} weights are left nonzero.)"
    )


def _detect_effects_from(submission):
    answers = _wrong_answers(submission)
    if answers is None:
        return None
    problem = submission.problem
    for case, v in answers:
        if not np.allclose(v, problem.connections_from(case), rtol=0, atol=_SAME_COEFFICIENTS):
            return None
    return ""


class RegressionEstimate(FunctionProblem):
    id = "regression_estimate"
    title = "Regression plus lasso"
    section = "1"
    points = 2
    answer_name = "get_regression_estimate"
    check_name = "check_get_regression_estimate"
    check_doc = """Check Coding Exercise 1: the connections into one neuron, by Lasso regression.

    The student completes ``get_regression_estimate(X, neuron_idx)``, which
    fits ``Lasso(alpha=0.01, fit_intercept=False)`` to predict
    ``logit(X[neuron_idx, t + 1])`` from ``X[:, t]`` and returns its coefficients.

    The function is run on several simulated recordings (3 to 50 neurons, 300
    to 10000 timesteps, sparse and dense networks, the first, a middle and the
    last neuron, and the tutorial's own 50 neurons over 10000 timesteps) and
    its coefficients are compared with the reference's; any solver that
    reaches the same Lasso solution is accepted.

    Examples
    --------
    >>> def stub(X, neuron_idx):
    ...     raise NotImplementedError
    >>> check_get_regression_estimate(stub).status
    'not_attempted'
    """
    shape_meaning = "(n_neurons,)"
    domain = (
        "recordings made by simulate_neurons from networks drawn by create_connectivity (as the "
        "tutorial records its own), whose first column is the initial state, all zeros: 3 to 50 "
        "neurons, 300 to 10000 timesteps, sparse (p = 0.9) to dense (p = 0.3) networks; any "
        "neuron_idx. A check of the tutorial's solution takes about a second the first time "
        "(scikit-learn is imported and the recordings simulated), then a few hundredths."
    )
    hints = (
        "`Lasso` is scikit-learn's linear regression with an L1 penalty, which sets most "
        "weights exactly to 0: the prior that each neuron receives few connections. Its "
        "arguments set the penalty's strength, `alpha`, and whether to fit an intercept: the "
        "model `logit(x[t + 1]) = A x[t] + noise` has no constant term.",
        "Make the model with `Lasso(...)`, then fit it with `regression.fit(W, Y)`: the "
        "regressors first, one row per time step (`W`, every neuron at t), then the target "
        "(`Y`, the logit of neuron `neuron_idx` at t + 1). Its weights are then in "
        "`regression.coef_`.",
        "`regression = Lasso(fit_intercept=False, alpha=0.01)` and `regression.fit(W, Y)`. "
        "Keep the scaffold's lines for `W`, `Y` and the logit as they are.",
    )
    solution = '''\
def get_regression_estimate(X, neuron_idx):
    """Lasso estimate of the connections into `neuron_idx`, from the logit of its next step."""
    # scikit-learn wants one row per sample (time step) and one column per feature (neuron).
    W = X[:, :-1].transpose()  # every neuron at t: (timesteps - 1, n_neurons)
    Y = X[[neuron_idx], 1:].transpose()  # the selected neuron at t + 1: (timesteps - 1, 1)
    Y = logit(Y)  # undo the sigmoid, so that the model is linear
    # A Lasso without intercept (the model has no constant term), penalty alpha = 0.01.
    regression = Lasso(fit_intercept=False, alpha=0.01)
    regression.fit(W, Y)
    V = regression.coef_
    return V
'''
    mistakes = (
        calls_reference(regression.get_regression_estimate),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        RETURNED_LIST,
        Mistake(
            id="returned_estimator",
            message="Your function returns the Lasso model itself (`regression`, or what "
            "`regression.fit(...)` returns), not its weights: return `regression.coef_`.",
            detected_by="the function returns an object with `fit` or `coef_`",
            detect=_detect_estimator,
        ),
        Mistake(
            id="column_result",
            message="Your estimate is a column, of shape (n_neurons, 1): the tutorial then "
            "compares it with the true connections by `np.corrcoef(A[neuron_idx, :], V)`, "
            "which fails on a column. Return `regression.coef_` as it is (or flatten it with "
            "`.ravel()`), without transposing or reshaping it into a column.",
            detected_by="the function returns an array of shape (n_neurons, 1)",
            detect=_detect_column,
        ),
        Mistake(
            id="own_history_left_out",
            message="You left the selected neuron's own past activity out of the regressors: "
            "its weight is missing (or set to 0). Its activity at t is one of the causes of "
            "its activity at t + 1 like every other neuron's, and its entry of `A` may be "
            "nonzero: regress on every neuron, `W = X[:, :-1].transpose()`.",
            detected_by="the coefficients solve the Lasso without neuron neuron_idx among the "
            "regressors (n_neurons - 1 of them, or with a 0 put in its place)",
            detect=_detect_own_history,
        ),
        Mistake(
            id="lag_reversed",
            message="You regressed the past on the future: the target is neuron neuron_idx at "
            "t and the regressors every neuron at t + 1. On the tutorial's recordings this "
            "takes the logit of the initial state, 0, which is infinite, so the fit fails. "
            "Causes come first: the regressors are `X[:, :-1]` (steps 0 to T - 2), the target "
            "`X[[neuron_idx], 1:]` (steps 1 to T - 1).",
            detected_by="the function fails on the recordings; on one without its initial "
            "state its coefficients solve the regression of x(t) on x(t + 1)",
            detect=_solves_on_diagnostic(
                _lag_reversed,
                "without_initial_state",
                "regresses neuron neuron_idx at t on every neuron at t + 1",
            ),
        ),
        Mistake(
            id="same_time",
            message="Your target and your regressors are from the same time step, so the "
            "regression mostly finds that a neuron's activity predicts itself. The network "
            "acts with a delay of one step: regress neuron neuron_idx at t + 1, "
            "`X[[neuron_idx], 1:]`, on every neuron at t, `X[:, :-1]`.",
            detected_by="the coefficients solve the regression of x(t + 1) on x(t + 1), or "
            "the function fails on the recordings and, on one without its initial state, "
            "solves the regression of x(t) on x(t)",
            detect=either(
                _solves(_same_time_after),
                _solves_on_diagnostic(
                    _same_time_before,
                    "without_initial_state",
                    "regresses neuron neuron_idx at t on every neuron at t",
                ),
            ),
        ),
        Mistake(
            id="samples_and_features_swapped",
            message="You passed the recording to the fit untransposed: scikit-learn wants one "
            "row per sample (a time step) and one column per feature (a neuron), so with "
            "`X[:, :-1]` it sees n_neurons samples of timesteps - 1 features, which do not "
            "match the samples of the target. Transpose both, as the scaffold does: "
            "`W = X[:, :-1].transpose()`.",
            detected_by="the function fails on the recordings; on a square one (n_neurons = "
            "timesteps - 1) its coefficients solve the regression with X[:, :-1] untransposed, "
            "or scikit-learn refused the fit for regressors with one sample per neuron",
            detect=either(
                _solves_on_diagnostic(
                    _samples_and_features_swapped,
                    "square",
                    "fits one sample per neuron and one weight per time step",
                ),
                _detect_untransposed_refused,
            ),
        ),
        Mistake(
            id="no_logit",
            message="You regressed the activity itself, not its logit: in the model the "
            "activity is `sigmoid(A @ x[t] + noise)`, so it is its inverse, `logit(x[t + 1])`, "
            "that is linear in x[t]. Keep the scaffold's line `Y = logit(Y)`.",
            detected_by="the coefficients solve the Lasso with the activity, not its logit, as "
            "the target",
            detect=_solves(_no_logit),
        ),
        Mistake(
            id="intercept_fitted",
            message="Your regression fits an intercept: `Lasso` does unless told not to. The "
            "model has no constant term, and the intercept changes the weights: make it with "
            "`Lasso(fit_intercept=False, alpha=0.01)`.",
            detected_by="the coefficients solve the Lasso with a free intercept",
            detect=_solves(_with_intercept),
        ),
        Mistake(
            id="all_weights_zero",
            message="Every weight of your estimate is 0: the L1 penalty is so strong that the "
            "Lasso keeps no connection at all, which is what `Lasso`'s default, alpha=1.0, "
            "does here. Set the tutorial's penalty: `Lasso(fit_intercept=False, alpha=0.01)`.",
            detected_by="every coefficient is 0 on every case",
            detect=_detect_all_zero,
        ),
        Mistake(
            id="least_squares",
            message="Your coefficients are the ordinary least-squares fit (`np.linalg.lstsq`, "
            "`LinearRegression`, or a Lasso with an alpha too small to matter), not the "
            "Lasso's. That is not this exercise: its point is the L1 penalty, alpha=0.01, "
            "which sets most weights exactly to 0 and so encodes the prior that the network "
            "is sparse (each neuron receives few connections). Without it no weight is ever "
            "exactly 0. Use `Lasso(fit_intercept=False, alpha=0.01)`.",
            detected_by="the coefficients solve least squares (with or without an intercept), "
            "or, on every case, none is 0 and their squared error is within 2% of the way "
            "from least squares' to the Lasso's",
            detect=either(
                _solves(
                    _least_squares,
                    or_else=_least_squares_with_intercept,
                    then_say="(It fits an intercept too: `LinearRegression` does unless given "
                    "`fit_intercept=False`.)",
                ),
                _detect_nearly_least_squares,
            ),
        ),
        Mistake(
            id="wrong_alpha",
            message="Your coefficients are a Lasso fit with another penalty than the "
            "tutorial's: set `alpha=0.01`.",
            detected_by="the coefficients meet Lasso's optimality conditions for one alpha, "
            "the same on every case, other than 0.01",
            detect=_detect_wrong_alpha,
        ),
        Mistake(
            id="connections_from_neuron",
            message="You estimated the connections from neuron neuron_idx to every neuron, not "
            "the connections into it: the weights of neuron neuron_idx in every neuron's "
            "regression (a column of the whole estimate) instead of the weights of one "
            "regression, neuron neuron_idx's. Fit one Lasso, with neuron neuron_idx at t + 1 "
            "as the target and every neuron at t as the regressors: its weights are row "
            "neuron_idx of the connectivity, `A[neuron_idx, :]`.",
            detected_by="the coefficients are column neuron_idx of the whole-network estimate",
            detect=_detect_effects_from,
        ),
        ignores_index(
            "neuron_idx",
            "middle_neuron",
            message="Your function returns the same estimate whatever neuron_idx is: take the "
            "target from `X[[neuron_idx], 1:]`, using the argument, not a fixed neuron or a "
            "notebook variable.",
        ),
    )

    @property
    def returns(self):
        # A row, (1, n_neurons), holds the same estimate (the tutorial's target is a column).
        return ArrayAnswer(self.shape_meaning, leading_singleton=True)

    @property
    def reference(self):
        return regression.get_regression_estimate

    @property
    def reference_functions(self):
        # A row of the whole-network estimate is the whole exercise.
        return (
            regression.get_regression_estimate,
            regression.fit_regression_connectivity,
            regression.get_regression_estimate_full_connectivity,
            regression._fit,
        )

    def build_cases(self):
        notes = {"tutorial": ", the tutorial's recording"}
        return tuple(
            _recording(name, parameters, notes.get(name, ""))
            for name, parameters in _RECORDINGS.items()
        )

    # ----------------------------------------------------------- what detectors share

    def problem_of(self, setup, case):
        """The Lasso problem ``setup`` makes of ``case`` (built once)."""
        memo = self.__dict__.setdefault("_problems", {})
        key = (setup, case.name)
        if key not in memo:
            memo[key] = setup(*case.args)
        return memo[key]

    def connections_from(self, case):
        """Column neuron_idx of the whole-network estimate on ``case`` (built once)."""
        memo = self.__dict__.setdefault("_columns", {})
        if case.name not in memo:
            X, neuron_idx = case.args
            settings = {"alpha": ALPHA, "fit_intercept": False}
            memo[case.name] = regression.fit_regression_connectivity(X, settings).V[:, neuron_idx]
        return memo[case.name]

    def diagnostic(self, name):
        """A recording beyond the domain, for naming a mistake that fails on the domain's."""
        found = {case.name: case for case in self._built_once("_diagnostics", self._diagnostics)}
        return found[name]

    def _diagnostics(self):
        X, neuron_idx = self.case("first_neuron").args
        later = X[:, 1:]
        return (
            _case(
                "without_initial_state",
                later,
                neuron_idx,
                " (a recording without its initial state, the zeros of step 0)",
            ),
            _recording("square", _SQUARE, ", as many neurons as samples"),
        )

    def diagnostic_output(self, submission, name):
        """What the function returns on the diagnostic recording ``name`` (called once)."""
        key = ("diagnostic", name)
        if key not in submission.memo:
            value = None
            if submission.failure is None or submission.failure.kind != "timed_out":
                call = submission.call(self.diagnostic(name).fresh_args())
                value = self.returns.read(call.value) if call.returned else None
            submission.memo[key] = value
        return submission.memo[key]

    # -------------------------------------------------------------------- verdicts

    def accepts(self, submission):
        answers = _answers(submission)
        if answers is None or not _right_everywhere(submission):
            return None
        reference = self.outputs_of(self.reference)
        largest = max(np.max(np.abs(v - r)) for (_, v), r in zip(answers, reference, strict=True))
        return (
            f"Your weights are not the reference's to the last digit (they differ by up to "
            f"{largest:.1g}), but they solve the same Lasso problem just as well: their "
            f"objective, (1 / 2N) ||y - W v||^2 + alpha ||v||_1, is the reference's or lower, "
            f"to within a millionth of the target's mean square. The reference, scikit-learn's "
            f"coordinate descent, stops at its tolerance, a little short of the exact optimum, "
            f"and your solver stops elsewhere. "
            f"{self._against_truth(submission.outputs)}"
        )

    def correct_message(self):
        return (
            "Your estimates equal the reference's on every test recording (3 to 50 neurons, "
            "300 to 10000 timesteps, first, middle and last neuron), so your figure matches the "
            f"tutorial's. {self._against_truth(self.outputs_of(self.reference))}"
        )

    def _against_truth(self, outputs):
        """What an estimate (``outputs``, one per case) looks like on the tutorial's recording."""
        estimate = dict(zip((case.name for case in self.cases()), outputs, strict=True))
        n_neurons, _, neuron_idx, _, _ = _RECORDINGS["tutorial"]
        truth = self._connectivity("tutorial")[neuron_idx]
        corr = np.corrcoef(truth, estimate["tutorial"])[0, 1]
        kept = np.count_nonzero(estimate["tutorial"])
        return (
            f"On the tutorial's recording your estimate keeps {kept} of its {n_neurons} "
            f"weights and correlates with the true connections A[{neuron_idx}, :] at "
            f"{corr:.3f} (the tutorial prints 0.865)."
        )

    def _connectivity(self, name):
        memo = self.__dict__.setdefault("_networks", {})
        if name not in memo:
            memo[name] = _network(*_RECORDINGS[name])
        return memo[name]

    def describe_wrong(self, submission):
        reference = self.outputs_of(self.reference)
        for case, got, expected in zip(self.cases(), submission.outputs, reference, strict=True):
            problem = self.problem_of(_right, case)
            if problem.solved_by(got) or close_enough(got, expected):
                continue
            worst = int(np.argmax(np.abs(got - expected)))
            text = f"Called with {case.description}, "
            if got.size <= 10:
                text += (
                    f"it should return {format_numbers(expected, 4)}, but your function "
                    f"returned {format_numbers(got, 4)} "
                )
            else:
                text += "your function's weights differ from the reference's "
            return text + (
                f"(the largest difference is in entry {worst}: "
                f"{got[worst] - expected[worst]:+.4g}). With alpha=0.01 the Lasso objective of "
                f"your weights is {problem.objective(got):.6f}, the reference's "
                f"{problem.objective(expected):.6f}: yours are not the Lasso solution. (A "
                f"solver stopped before it converged, by a small max_iter for example, does "
                f"this too.)"
            )
        return "Your function's results differ from the reference's."
