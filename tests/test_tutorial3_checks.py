"""Tutorial 3's checker, beyond what ``test_checks.py`` asks of every exercise of the day.

``test_checks.py`` runs the solution, every correct style and every catalogued
mistake in every style from ``answers_tutorial3.py``, and holds every checker
to its deadlines and its purity. Here: the tutorial's own numbers, stubs of
every kind, right answers from other solvers (and the tolerance that accepts
them), the particulars of the messages, the recordings beyond the domain that
only name mistakes, and silence when a student's solver warns.
"""

import subprocess
import sys
import textwrap
import time
import warnings

import answers_tutorial3 as answers
import numpy as np
import pytest
from test_checks import run_cell

import nmacausal
from nmacausal.checking.kinds import Submission
from nmacausal.model import regression
from nmacausal.tutorials.regression import TUTORIAL
from nmacausal.tutorials.regression import regression_estimate as module

(EXERCISE,) = TUTORIAL.exercises
PRELUDE = answers.PRELUDES[EXERCISE.id]

# The tutorial prints corr(A[1, :], V) = 0.865 for its 50 neurons over 10000 timesteps.
TUTORIAL_CORRELATION = 0.8646714458556628


def answer_of(source):
    return run_cell(PRELUDE + textwrap.dedent(source))[EXERCISE.answer_name]


def check(answer, **options):
    return EXERCISE.check(answer, **{"timeout": 2.0, **options})


def solution_with(*replacements):
    """The solution with each ``(old, new)`` replacement made; each ``old`` must occur."""
    source = EXERCISE.solution
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


def function(body, imports=""):
    """A student's ``get_regression_estimate`` with ``body`` (indented by four spaces)."""
    return (
        imports
        + "def get_regression_estimate(X, neuron_idx):\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )


# --------------------------------------------------------------- the tutorial's own numbers


def test_the_reference_gives_the_tutorials_correlation_on_its_recording():
    tutorial = EXERCISE.case("tutorial")
    outputs = EXERCISE.outputs_of(EXERCISE.reference)
    estimate = dict(zip(EXERCISE.cases(), outputs, strict=True))[tutorial]
    X, neuron_idx = tutorial.args
    assert X.shape == (50, 10000) and neuron_idx == 1
    with nmacausal.isolated_random_state():
        A = nmacausal.create_connectivity(50, random_state=42)
        assert np.array_equal(X, nmacausal.simulate_neurons(A, 10000, random_state=42))
    assert np.corrcoef(A[1, :], estimate)[0, 1] == pytest.approx(TUTORIAL_CORRELATION, abs=1e-12)


def test_the_correct_message_gives_the_tutorials_correlation():
    result = check(answer_of(EXERCISE.solution))
    assert result.status == "correct" and result.matches_tutorial
    assert "correlates with the true connections A[1, :] at 0.865" in result.message
    assert "keeps 9 of its 50 weights" in result.message


def test_the_cases_cover_each_end_several_sizes_and_sparsities():
    cases = EXERCISE.cases()
    shapes = [case.args[0].shape for case in cases]
    chosen = [case.args[1] for case in cases]
    assert len({n for n, _ in shapes}) == len(cases) and len({t for _, t in shapes}) == len(cases)
    assert 0 in chosen and any(i == n - 1 for (n, _), i in zip(shapes, chosen, strict=True))
    assert any(0 < i < n - 1 for (n, _), i in zip(shapes, chosen, strict=True))
    assert len({parameters[4] for parameters in module._RECORDINGS.values()}) >= 3
    # Every recording is the tutorial's kind: the initial state is 0, the rest strictly inside.
    for case in cases:
        X = case.args[0]
        assert np.all(X[:, 0] == 0) and np.all((X[:, 1:] > 0) & (X[:, 1:] < 1))


def test_the_recordings_beyond_the_domain_only_name_mistakes():
    # Not probes: a correct function is never run on them, so they cannot cost it anything.
    assert EXERCISE.probes() == ()
    square = EXERCISE.diagnostic("square").args[0]
    assert square.shape[0] == square.shape[1] - 1
    later = EXERCISE.diagnostic("without_initial_state").args[0]
    assert np.all((later > 0) & (later < 1))


# ---------------------------------------------------------------------------------- stubs

# What nbgrader releases: the lines between the solution markers become these two.
RELEASED = "# YOUR CODE HERE\nraise NotImplementedError()"


@pytest.mark.parametrize(
    "source",
    [
        # The tutorial's scaffold as students receive it in the original.
        solution_with(("Lasso(fit_intercept=False, alpha=0.01)", "..."), ("fit(W, Y)", "fit(...)")),
        solution_with(
            (
                "    regression = Lasso(fit_intercept=False, alpha=0.01)\n",
                textwrap.indent(RELEASED, "    ") + "\n",
            )
        ),
        function("raise NotImplementedError('Complete it')\n"),
        function("return ...\n"),
        function("V = ...\nreturn V\n"),
    ],
    ids=["tutorials-placeholders", "released", "raises", "returns-ellipsis", "v-ellipsis"],
)
def test_the_stub_is_not_attempted(source):
    result = check(answer_of(source))
    assert result.status == "not_attempted", result.message


# ------------------------------------------------ right answers other than the tutorial's

CD = """\
W = X[:, :-1].T
y = logit(X[neuron_idx, 1:])
n_samples, n_features = W.shape
gram = W.T @ W / n_samples
correlations = W.T @ y / n_samples
v = np.zeros(n_features)
for sweep in range(5000):
    largest_change = 0.0
    for j in range(n_features):
        rho = correlations[j] - gram[j] @ v + gram[j, j] * v[j]
        new = np.sign(rho) * max(abs(rho) - 0.01, 0.0) / gram[j, j]
        largest_change = max(largest_change, abs(new - v[j]))
        v[j] = new
    if largest_change < 1e-10:
        break
return v
"""

ISTA = """\
W = np.transpose(X[:, :-1])
y = logit(X[neuron_idx, 1:])
gram = W.T @ W / len(y)
correlations = W.T @ y / len(y)
step = 1 / np.linalg.eigvalsh(gram)[-1]
v = np.zeros(W.shape[1])
for _ in range(100000):
    u = v - step * (gram @ v - correlations)
    new = np.sign(u) * np.maximum(np.abs(u) - 0.01 * step, 0)
    if np.max(np.abs(new - v)) < 1e-13:
        return new
    v = new
return v
"""

ALTERNATIVES = {
    # The tutorial's numbers, written otherwise.
    "y-1d": (solution_with(("X[[neuron_idx], 1:]", "X[neuron_idx, 1:]")), True),
    "ravel": (solution_with(("V = regression.coef_", "V = regression.coef_.ravel()")), True),
    "row-1-by-n": (solution_with(("V = regression.coef_", "V = regression.coef_[None, :]")), True),
    "chained": (
        function(
            "return Lasso(fit_intercept=False, alpha=0.01).fit("
            "X[:, :-1].T, logit(X[neuron_idx, 1:])).coef_\n"
        ),
        True,
    ),
    "precompute": (
        solution_with(
            ("Lasso(fit_intercept=False,", "Lasso(precompute=True, fit_intercept=False,")
        ),
        True,
    ),
    "elastic-net": (
        solution_with(
            (
                "Lasso(fit_intercept=False, alpha=0.01)",
                "ElasticNet(alpha=0.01, l1_ratio=1.0, fit_intercept=False)",
            ),
        ).replace("def ", "from sklearn.linear_model import ElasticNet\n\ndef ", 1),
        True,
    ),
    "lasso-path": (
        function(
            "_, coefs, _ = lasso_path(X[:, :-1].T, logit(X[neuron_idx, 1:]), alphas=[0.01])\n"
            "return coefs[:, 0]\n",
            "from sklearn.linear_model import lasso_path\n\n",
        ),
        True,
    ),
    "enet-path": (
        function(
            "_, coefs, _ = enet_path(\n"
            "    X[:, :-1].T, logit(X[neuron_idx, 1:]), l1_ratio=1.0, alphas=[0.01]\n"
            ")\n"
            "return coefs.ravel()\n",
            "from sklearn.linear_model import enet_path\n\n",
        ),
        True,
    ),
    "dot": (
        function(
            "W = np.transpose(X[:, :-1])\n"
            "regression = Lasso(alpha=0.01, fit_intercept=False)\n"
            "return regression.fit(W, logit(X[neuron_idx, 1:])).coef_.copy()\n"
        ),
        True,
    ),
    # The same Lasso problem, solved otherwise: not the reference's digits.
    "lasso-lars": (
        function(
            "return LassoLars(alpha=0.01, fit_intercept=False).fit("
            "X[:, :-1].T, logit(X[neuron_idx, 1:])).coef_\n",
            "from sklearn.linear_model import LassoLars\n\n",
        ),
        False,
    ),
    "coordinate-descent-loops": (function(CD), False),
    "ista": (function(ISTA), False),
    "random-selection": (
        solution_with(
            (
                "Lasso(fit_intercept=False,",
                "Lasso(selection='random', random_state=0, fit_intercept=False,",
            )
        ),
        False,
    ),
    "float32": (
        solution_with(("W = X[:, :-1]", "W = X[:, :-1].astype(np.float32)")).replace(
            "Y = logit(Y)", "Y = logit(Y).astype(np.float32)"
        ),
        False,
    ),
    # Ten times scikit-learn's default tolerance still reaches the same solution (the
    # module's measurements).
    "loose-tolerance": (
        solution_with(("Lasso(fit_intercept=False,", "Lasso(tol=1e-3, fit_intercept=False,")),
        False,
    ),
}


@pytest.mark.parametrize(("source", "matches"), ALTERNATIVES.values(), ids=ALTERNATIVES)
def test_other_ways_of_fitting_the_same_lasso_are_correct(source, matches):
    result = check(answer_of(source), timeout=5.0)
    assert result.status == "correct", result.message
    assert result.matches_tutorial == matches
    assert result.mistake is None
    assert "0.865" in result.message
    if not matches:
        assert "solve the same Lasso problem" in result.message


def test_a_right_answer_is_never_run_beyond_the_domain():
    # A right function that refuses anything but the tutorial's kind of recording (it
    # starts from zeros and has more samples than neurons) is right all the same.
    calls = []
    source = function(
        "calls.append(X.shape)\n"
        "if np.any(X[:, 0] != 0) or X.shape[0] >= X.shape[1] - 1:\n"
        "    raise ValueError('not a recording of the tutorial')\n"
        "lars = LassoLars(alpha=0.01, fit_intercept=False)\n"
        "return lars.fit(X[:, :-1].T, logit(X[neuron_idx, 1:])).coef_\n",
        "from sklearn.linear_model import LassoLars\n\n",
    )
    namespace = run_cell(PRELUDE + source)
    namespace["calls"] = calls
    result = check(namespace[EXERCISE.answer_name])
    assert result.status == "correct" and not result.advice, result.message
    assert set(calls) == {case.args[0].shape for case in EXERCISE.cases()}


def test_no_mistake_is_seen_in_a_right_answer():
    # Mistakes are looked for before other solvers' answers are accepted: none may fire.
    for source in (EXERCISE.solution, ALTERNATIVES["lasso-lars"][0], function(ISTA)):
        submission = Submission(answer_of(source), EXERCISE, 5.0).run()
        for mistake in EXERCISE.mistakes:
            if mistake.id != "calls_reference":
                assert mistake.detect(submission) is None, mistake.id


def test_a_solver_stopped_early_is_not_the_lasso_solution():
    source = solution_with(
        ("Lasso(fit_intercept=False,", "Lasso(max_iter=20, fit_intercept=False,")
    )
    result = check(answer_of(source))
    assert (result.status, result.mistake) == ("incorrect", None)
    assert "not the Lasso solution" in result.message and "stopped" in result.message


# ------------------------------------------------------------------ specific messages


def test_least_squares_is_named_and_explained_as_not_the_exercise():
    source = function(
        "return np.linalg.lstsq(X[:, :-1].T, logit(X[neuron_idx, 1:]), rcond=None)[0]\n"
    )
    result = check(answer_of(source))
    assert (result.status, result.mistake) == ("incorrect", "least_squares")
    for words in ("not this exercise", "L1 penalty", "exactly to 0", "sparse", "alpha=0.01"):
        assert words in result.message, words


def test_least_squares_with_an_intercept_says_so():
    source = function(
        "return LinearRegression().fit(X[:, :-1].T, logit(X[neuron_idx, 1:])).coef_\n",
        "from sklearn.linear_model import LinearRegression\n\n",
    )
    result = check(answer_of(source))
    assert result.mistake == "least_squares"
    assert "fits an intercept too" in result.message


@pytest.mark.parametrize("alpha", ["0", "1e-9", "1e-6", "1e-5"])
def test_a_negligible_alpha_is_least_squares(alpha):
    # scikit-learn's solver stops short of least squares there, with a ConvergenceWarning.
    result = check(answer_of(solution_with(("alpha=0.01", f"alpha={alpha}"))))
    assert result.mistake == "least_squares", result.message
    assert "too small to matter" in result.message


def test_an_exact_least_squares_fit_is_not_said_to_stop_early():
    source = solution_with(("alpha=0.01", "alpha=1e-6, precompute=True, max_iter=100000"))
    result = check(answer_of(source))
    assert result.mistake == "least_squares", result.message
    assert "(Not exactly" not in result.message


@pytest.mark.parametrize("alpha", ["0.1", "0.05", "0.02", "0.003", "0.001"])
def test_a_wrong_alpha_is_named_with_its_value(alpha):
    result = check(answer_of(solution_with(("alpha=0.01", f"alpha={alpha}"))))
    assert result.mistake == "wrong_alpha", result.message
    assert f"alpha = {float(alpha):.2g}" in result.message


def test_the_reversed_lag_is_named_though_its_logit_fails():
    source = solution_with(
        ("X[:, :-1].transpose()", "X[:, 1:].transpose()"),
        ("X[[neuron_idx], 1:]", "X[[neuron_idx], :-1]"),
    )
    result = check(answer_of(source))
    assert result.mistake == "lag_reversed", result.message
    # What went wrong on the tutorial's kind of recording is said too.
    assert "raised ValueError" in result.message and "strictly between 0 and 1" in result.message


def test_samples_and_features_swapped_is_named_from_scikit_learns_refusal():
    result = check(answer_of(solution_with(("X[:, :-1].transpose()", "X[:, :-1]"))))
    assert result.mistake == "samples_and_features_swapped", result.message
    assert "inconsistent numbers of samples" in result.message


def test_a_column_result_names_the_tutorials_corrcoef():
    result = check(
        answer_of(solution_with(("V = regression.coef_", "V = regression.coef_[:, None]")))
    )
    assert result.mistake == "column_result"
    assert "np.corrcoef(A[neuron_idx, :], V)" in result.message and "(3, 1)" in result.message


def test_the_lasso_object_returned_is_named():
    result = check(answer_of(solution_with(("V = regression.coef_", "V = regression"))))
    assert result.mistake == "returned_estimator"
    assert "returned a Lasso" in result.message and "regression.coef_" in result.message


def test_own_history_dropped_says_how_many_weights():
    result = check(
        answer_of(solution_with(("X[:, :-1].transpose()", "np.delete(X[:, :-1], neuron_idx, 0).T")))
    )
    assert result.mistake == "own_history_left_out"
    assert "2 coefficients for 3 neurons" in result.message


def test_the_tutorials_neuron_hides_an_ignored_index_but_not_from_the_checker():
    # Neuron 1 is the tutorial's: a function that always fits it gets the tutorial's figure.
    answer = answer_of(solution_with(("X[[neuron_idx], 1:]", "X[[1], 1:]")))
    result = check(answer)
    assert result.mistake == "ignores_neuron_idx"
    assert "neuron_idx=5 and neuron_idx=6 gave the same result" in result.message


def test_a_wrong_estimate_is_told_where_and_by_how_much():
    result = check(answer_of(solution_with(("V = regression.coef_", "V = 1.1 * regression.coef_"))))
    assert (result.status, result.mistake) == ("incorrect", None)
    assert result.message.startswith("Called with X of shape (3, 300)")
    assert "neuron_idx=2" in result.message and "largest difference" in result.message
    assert "Lasso objective" in result.message


# ---------------------------------------------------------- what the function may do


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("raise ValueError('no')\n", "raised ValueError: no"),
        ("return np.full(X.shape[0], np.nan)\n", "NaN"),
        ("return X\n", "returned an array of shape (3, 300)"),
        ("return 'V'\n", "expected a NumPy array of shape (3,) (or (1, 3))"),
    ],
    ids=["raises", "nan", "the-recording", "a-string"],
)
def test_bad_functions_are_incorrect_with_a_clear_message(body, words):
    result = check(answer_of(function(body)))
    assert result.status == "incorrect"
    assert words in result.message


def test_a_function_that_hangs_is_stopped():
    start = time.perf_counter()
    result = check(answer_of(function("while True:\n    pass\n")), timeout=0.3)
    assert time.perf_counter() - start < 2.0
    assert result.status == "incorrect" and "did not return within 0.3 s" in result.message


def test_a_check_of_the_solution_is_quick():
    answer = answer_of(EXERCISE.solution)
    check(answer)  # the cases and the reference's answers are built once
    start = time.perf_counter()
    check(answer)
    assert time.perf_counter() - start < 1.0


# ------------------------------------------------------------------------------- silence

WARNS = {
    # scikit-learn's ConvergenceWarning, from a correct and from a wrong answer.
    "convergence-right": solution_with(
        ("Lasso(fit_intercept=False,", "Lasso(max_iter=5, tol=0, fit_intercept=False,")
    ),
    "convergence-least-squares": solution_with(("alpha=0.01", "alpha=1e-9")),
    # NumPy's RuntimeWarnings: the logit of the initial zeros, written out.
    "log-of-zero": function("y = X[neuron_idx, :-1]\nreturn np.log(y / (1 - y))[: len(X)]\n"),
    "python-warning": function(
        "warnings.warn('student')\nreturn Lasso(alpha=0.01, fit_intercept=False).fit("
        "X[:, :-1].T, logit(X[neuron_idx, 1:])).coef_\n",
        "import warnings\n\n",
    ),
}


@pytest.mark.parametrize("source", WARNS.values(), ids=WARNS)
def test_checks_stay_silent_when_the_students_code_warns(source, capfd):
    answer = answer_of(source)
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = check(answer)
        str(result), result._repr_html_()
    assert capfd.readouterr() == ("", "")
    assert caught == []


def test_the_reference_functions_include_the_whole_network_estimate():
    assert regression.fit_regression_connectivity in EXERCISE.reference_functions
    source = function(
        "return nmacausal.fit_regression_connectivity(X, {'alpha': 0.01, "
        "'fit_intercept': False}).V[neuron_idx]\n",
        "import nmacausal\n\n",
    )
    result = check(answer_of(source))
    assert result.mistake == "calls_reference"


def test_the_checkers_import_scikit_learn_only_when_they_fit():
    # As the model, so that every notebook kernel does not pay a second to import it.
    code = "import sys, nmacausal.checks\nassert 'sklearn' not in sys.modules"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
