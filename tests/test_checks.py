"""The checkers, driven by student-style answers written as a student would write them.

Every registered exercise is covered automatically: its solution passes, its
stub is "not attempted", and each catalogued mistake, written here as a small
student-style answer (independently of the checker's own wrong versions), is
"incorrect" with its own id and message. Then: correct answers that differ
from the tutorial, bad inputs, deadlines, purity (random state, stdout/stderr).
"""

import doctest
import inspect
import linecache
import signal
import subprocess
import sys
import threading
import time
import warnings
from itertools import count
from pathlib import Path

import nbformat
import numpy as np
import pytest
import tutorial_transcript as tutorial
from student_answers import (
    MISTAKES,
    NOTEBOOK_NAMES,
    PRELUDES,
    STYLES,
    mistake_cases,
    mistake_source,
)

import nmacausal
from nmacausal import checks
from nmacausal.checking import results
from nmacausal.checks import (
    CheckFailed,
    CheckResult,
    check_diff_in_means,
    check_perturbed_connectivity_from_single_neuron,
    check_simulate_neurons,
)
from nmacausal.tutorials import EXERCISES, get_exercise, tutorial_of

REPOSITORY = Path(__file__).resolve().parent.parent

TUTORIAL_DIFF_IN_MEANS = 0.9907195190159408
OTHER_ORDER_DIFF_IN_MEANS = 1.0092804809840592
SHORT_TIMEOUT = 0.3  # seconds: the deadline given to functions that never return

# --------------------------------------------------------------------- a notebook, simulated

_cell_numbers = count()


def notebook_namespace():
    """A student's notebook at the exercises: its imports and the tutorials' variables."""
    return dict(NOTEBOOK_NAMES)


def run_cell(source, namespace=None):
    """Run ``source`` as a notebook cell and return the notebook's namespace.

    The source is registered with linecache, as IPython does, so tracebacks
    can quote the student's lines. The cell runs with the global random
    stream isolated, so building answers does not disturb the tests.
    """
    namespace = notebook_namespace() if namespace is None else namespace
    filename = f"<notebook cell {next(_cell_numbers)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    with nmacausal.isolated_random_state():
        exec(compile(source, filename, "exec"), namespace)
    return namespace


def edited(template, *replacements):
    """``template`` with each ``(old, new)`` replacement made; each ``old`` must occur."""
    for old, new in replacements:
        assert old in template, old
        template = template.replace(old, new)
    return template


def answer_of(exercise, source):
    """What the student's cell leaves in the exercise's answer variable."""
    return run_cell(source)[exercise.answer_name]


# ----------------------------------------------------------------- exercise 1: student cells

RCT_PRELUDE = "np.random.seed({seed})\nA_0 = np.zeros(5000)\nA_1 = np.ones(5000)\n"
assert RCT_PRELUDE.format(seed=12) == PRELUDES["rct_diff_in_means"]


def rct_value(lines, *, seed=12):
    """``diff_in_means`` after the tutorial's scaffold (seeded with ``seed``) and ``lines``."""
    return run_cell(RCT_PRELUDE.format(seed=seed) + lines)["diff_in_means"]


RCT_RIGHT = "diff_in_means = np.mean(neuron_B(A_1)) - np.mean(neuron_B(A_0))\n"
RCT_STUB = "diff_in_means = ...\n"

# --------------------------------------------------------- exercise 2: student functions

TUTORIAL_SIMULATION = inspect.getsource(tutorial.simulate_neurons)
TUTORIAL_NOISE = "np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))"
UPDATE = "X[:, t + 1] = sigmoid(A.dot(X[:, t]) + epsilon)"
# The tutorial's loop with its noise drawn by randn: the same numbers, many times faster.
SIMULATE = edited(TUTORIAL_SIMULATION, (TUTORIAL_NOISE, "np.random.randn(n_neurons)"))
# The same model with the noise drawn neuron by neuron: another order than the tutorial's.
SIMULATE_OTHER_ORDER = edited(
    SIMULATE,
    ("    X = np.zeros", "    noise = np.random.randn(n_neurons, timesteps)\n    X = np.zeros"),
    ("epsilon = np.random.randn(n_neurons)", "epsilon = noise[:, t]"),
)
# What students receive: the update left to write.
SIMULATE_STUB = edited(
    TUTORIAL_SIMULATION,
    (
        UPDATE,
        'raise NotImplementedError("Complete simulate_neurons")\n'
        "        X[:, t + 1] = sigmoid(...)",
    ),
)


def simulation(*replacements, template=SIMULATE):
    return answer_of(get_exercise("simulate_neurons"), edited(template, *replacements))


def both_orders(*replacements):
    """The mistake on the tutorial's stream and on another order of noise."""
    return [simulation(*replacements), simulation(*replacements, template=SIMULATE_OTHER_ORDER)]


# ------------------------------------------------------- exercise 3.2: student functions

EFFECT = """\
def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):
    n_neurons = perturbed_X.shape[0]
    clamped_values = perturbed_X[selected_neuron, ::2]
    next_steps = perturbed_X[:, 1::2]
    estimated_connectivity = np.zeros(n_neurons)
    for target in range(n_neurons):
        own_next = next_steps[target, :]
        one_idx = np.argwhere(clamped_values == 1)
        zero_idx = np.argwhere(clamped_values == 0)
        difference_in_means = (
            np.mean(own_next[one_idx]) - np.mean(own_next[zero_idx])
        )
        estimated_connectivity[target] = difference_in_means
    return estimated_connectivity
"""
DIFFERENCE = "np.mean(own_next[one_idx]) - np.mean(own_next[zero_idx])"
EFFECT_STUB = edited(
    EFFECT,
    ("        difference_in_means = (\n", "        raise NotImplementedError('Complete it')\n"),
    (f"            {DIFFERENCE}\n        )\n", "        difference_in_means = ...\n"),
)


def effect(*replacements):
    return answer_of(get_exercise("single_neuron_effect"), edited(EFFECT, *replacements))


# ---------------------------------------------------- every exercise: solution, stub, mistakes


def release_stub(exercise):
    """What the answer cell holds as released to students, before they write anything.

    The cell is cut where the student's code goes: a function exercise keeps its
    whole ``def`` (its body's placeholder raises), a value exercise the lines before
    the placeholder (so the answer is still ``...``).
    """
    path = REPOSITORY / "exercises" / tutorial_of(exercise).notebook_file
    cell = next(
        cell
        for cell in nbformat.read(path, as_version=4).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise.id
    )
    lines = cell.source.splitlines(keepends=True)
    marker = next(i for i, line in enumerate(lines) if line.strip() == "# YOUR CODE HERE")
    if not lines[marker][0].isspace():
        return "".join(lines[:marker])
    start = max(i for i in range(marker) if lines[i].startswith("def "))
    end = next(
        (i for i in range(marker, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
        len(lines),
    )
    return "".join(lines[start:end])


SCAFFOLD_PRELUDES = PRELUDES

CATALOGUE = [
    pytest.param(exercise, mistake, id=f"{exercise.id}-{mistake.id}")
    for exercise in EXERCISES
    for mistake in exercise.mistakes
]


def check(exercise, answer):
    """Check with the short deadline for function exercises."""
    if exercise.kind == "function":
        return exercise.check(answer, timeout=2.0)
    return exercise.check(answer)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_the_solution_passes_and_matches_the_tutorial(exercise):
    namespace = run_cell(SCAFFOLD_PRELUDES.get(exercise.id, "") + exercise.solution)
    result = check(exercise, namespace[exercise.answer_name])
    assert result.status == "correct", result.message
    assert result.matches_tutorial
    assert result.mistake is None


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_the_stub_is_not_attempted(exercise):
    # The notebook's setup has run (Tutorial 3's scaffold calls its `logit` before the stub).
    stub = SCAFFOLD_PRELUDES.get(exercise.id, "") + release_stub(exercise)
    result = check(exercise, answer_of(exercise, stub))
    assert result.status == "not_attempted", result.message
    assert not result


def style_answer(exercise, source):
    """What a student's cell in some style leaves in the exercise's answer variable."""
    return answer_of(exercise, SCAFFOLD_PRELUDES.get(exercise.id, "") + source)


CORRECT_STYLES = [
    pytest.param(get_exercise(exercise_id), style, id=f"{exercise_id}-{style.name}")
    for exercise_id, styles in STYLES.items()
    for style in styles
]
MISTAKES_IN_EVERY_STYLE = [
    pytest.param(
        get_exercise(exercise_id),
        mistake,
        style,
        example,
        id=f"{exercise_id}-{mistake}-{style.name}-{example}",
    )
    for exercise_id, mistake, style, example in mistake_cases()
]


@pytest.mark.parametrize(("exercise", "style"), CORRECT_STYLES)
def test_every_correct_style_passes(exercise, style):
    result = check(exercise, style_answer(exercise, style.source(exercise.id)))
    assert result.status == "correct", result.message
    assert result.matches_tutorial == style.matches_tutorial


@pytest.mark.parametrize(("exercise", "mistake_id", "style", "example"), MISTAKES_IN_EVERY_STYLE)
def test_every_mistake_is_named_in_every_style(exercise, mistake_id, style, example):
    answer = style_answer(exercise, style.source(exercise.id, mistake_id, example))
    result = check(exercise, answer)
    assert (result.status, result.mistake) == ("incorrect", mistake_id), result.message
    catalogued = next(mistake for mistake in exercise.mistakes if mistake.id == mistake_id)
    assert result.message.startswith(catalogued.message)


def test_the_styles_cover_every_catalogued_mistake():
    catalogued = {
        (exercise.id, mistake.id) for exercise in EXERCISES for mistake in exercise.mistakes
    }
    assert set(MISTAKES) == catalogued
    for (exercise_id, mistake_id), _ in MISTAKES.items():
        made_in = [style for style in STYLES[exercise_id] if mistake_id not in style.cannot_make]
        assert len(made_in) >= 2, (exercise_id, mistake_id)


def test_every_exercise_declares_its_domain():
    for exercise in EXERCISES:
        assert exercise.domain.strip()
        if exercise.kind == "function":
            assert "tutorial" in {case.name for case in exercise.cases()}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_checkers_docstring_example_runs(exercise):
    # The checkers are made from the exercises, so pytest's doctest run does not find them.
    checker = getattr(checks, exercise.check_name)
    assert "Parameters\n----------" in checker.__doc__
    test = doctest.DocTestParser().get_doctest(
        checker.__doc__, {exercise.check_name: checker}, exercise.check_name, None, 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0 and failed == 0


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_mistake_has_its_own_message(exercise):
    messages = [mistake.message for mistake in exercise.mistakes]
    assert len(set(messages)) == len(messages)
    assert len({mistake.id for mistake in exercise.mistakes}) == len(messages)


# ------------------------------------------------------------------- exercise 1, in detail


@pytest.mark.parametrize(
    "lines",
    [
        RCT_RIGHT,
        "diff_in_means = np.mean(neuron_B(A_1) - neuron_B(A_0))\n",
        "B = neuron_B(np.concatenate([A_1, A_0]))\n"
        "diff_in_means = B[:5000].mean() - B[5000:].mean()\n",
        "B1 = neuron_B(A_1)\nB0 = neuron_B(A_0)\n"
        "diff_in_means = np.float64(B1.mean() - B0.mean())\n",
    ],
    ids=["tutorial", "mean-of-differences", "one-call", "numpy-scalar"],
)
def test_rct_answers_on_the_tutorials_stream_match_its_figure(lines):
    result = check_diff_in_means(rct_value(lines))
    assert result.status == "correct" and result.matches_tutorial
    assert "exactly the tutorial's figure" in result.message


def test_rct_with_b_for_a_0_drawn_first_is_correct_but_not_the_tutorials_figure():
    value = rct_value(
        "B0 = neuron_B(A_0)\nB1 = neuron_B(A_1)\ndiff_in_means = B1.mean() - B0.mean()\n"
    )
    assert value == OTHER_ORDER_DIFF_IN_MEANS
    result = check_diff_in_means(value)
    assert result.status == "correct" and not result.matches_tutorial
    assert "A = 0" in result.message and str(TUTORIAL_DIFF_IN_MEANS) in result.message


@pytest.mark.parametrize("seed", range(40))
def test_rct_without_the_tutorials_seed_is_correct_within_sampling_error(seed):
    result = check_diff_in_means(rct_value(RCT_RIGHT, seed=100 + seed))
    assert result.status == "correct", result.message
    assert not result.matches_tutorial
    assert "sampling error" in result.message


@pytest.mark.parametrize(
    "value",
    [round(TUTORIAL_DIFF_IN_MEANS, 2), np.float32(TUTORIAL_DIFF_IN_MEANS), 1.05, 0.95],
)
def test_rct_values_near_1_are_correct(value):
    assert check_diff_in_means(value)


def test_rct_zero_dimensional_array_is_a_number():
    result = check_diff_in_means(np.array(TUTORIAL_DIFF_IN_MEANS))
    assert result.status == "correct" and result.matches_tutorial


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        (None, "not_attempted", "still None"),
        (..., "not_attempted", "still `...`"),
        ("0.99", "incorrect", "single number, got '0.99'"),
        ([0.99], "incorrect", "single number, got [0.99]"),
        (np.array([0.99]), "incorrect", "single number, got an array of shape (1,)"),
        (float("nan"), "incorrect", "not a finite number"),
        (float("inf"), "incorrect", "not a finite number"),
        (True, "incorrect", "single number, got True"),
        (1 + 0j, "incorrect", "single number"),
        ({"diff": 1.0}, "incorrect", "single number"),
        ([[0.9], [1.0, 1.1]], "incorrect", "holds 2 values"),
        (len, "incorrect", "should be a number, got a function"),
        (2.5, "incorrect", "too far from the effect"),
        (0.5, "incorrect", "too far from the effect"),
    ],
)
def test_rct_bad_values_get_a_clear_message(value, status, words):
    result = check_diff_in_means(value)
    assert result.status == status
    assert words in result.message


# ------------------------------------------------------------------- exercise 2, in detail


@pytest.mark.parametrize(
    "replacements",
    [
        (),
        ((UPDATE, "X[:, t + 1] = sigmoid(A @ X[:, t] + epsilon)"),),
        ((UPDATE, "X[:, t + 1] = sigmoid(np.dot(A, X[:, t]) + epsilon)"),),
        ((UPDATE, "X[:, t + 1] = sigmoid((A * X[:, t]).sum(axis=1) + epsilon)"),),
        ((UPDATE, "X[:, t + 1] = 1 / (1 + np.exp(-(A @ X[:, t] + epsilon)))"),),
        (("np.random.randn(n_neurons)", "np.random.normal(0, 1, n_neurons)"),),
        (("np.random.randn(n_neurons)", "np.random.standard_normal(size=n_neurons)"),),
        # All the noise at once, step by step: the same order as the tutorial's draws.
        (
            (
                "    X = np.zeros",
                "    noise = np.random.randn(timesteps - 1, n_neurons)\n    X = np.zeros",
            ),
            ("epsilon = np.random.randn(n_neurons)", "epsilon = noise[t]"),
        ),
        (("n_neurons = len(A)", "n_neurons = A.shape[0]"),),
    ],
    ids=[
        "dot",
        "matmul",
        "np.dot",
        "row-sums",
        "inline-sigmoid",
        "normal",
        "standard_normal",
        "all-noise-first",
        "shape",
    ],
)
def test_simulations_on_the_tutorials_stream_match_it_exactly(replacements):
    result = check_simulate_neurons(simulation(*replacements))
    assert result.status == "correct", result.message
    assert result.matches_tutorial
    assert "exactly" in result.message


@pytest.mark.parametrize(
    "source",
    [
        SIMULATE_OTHER_ORDER,
        edited(SIMULATE_OTHER_ORDER, ("epsilon = noise[:, t]", "epsilon = noise[:, t + 1]")),
        # NumPy's newer generator, seeded with random_state: reproducible, another stream.
        edited(
            SIMULATE,
            ("np.random.seed(random_state)", "rng = np.random.default_rng(random_state)"),
            ("np.random.randn(n_neurons)", "rng.standard_normal(n_neurons)"),
        ),
    ],
    ids=["neuron-major-noise", "shifted-noise", "default_rng"],
)
def test_simulations_with_other_noise_are_correct_but_do_not_match_the_tutorial(source):
    result = check_simulate_neurons(answer_of(get_exercise("simulate_neurons"), source))
    assert result.status == "correct", result.message
    assert not result.matches_tutorial
    assert "another order" in result.message and "standard deviation" in result.message


def test_simulation_stub_with_only_the_placeholder_left_is_not_attempted():
    stub = edited(
        SIMULATE_STUB, ('        raise NotImplementedError("Complete simulate_neurons")\n', "")
    )
    result = check_simulate_neurons(answer_of(get_exercise("simulate_neurons"), stub))
    assert result.status == "not_attempted"
    assert "`...` placeholder" in result.message


def test_simulation_error_message_quotes_the_students_line():
    result = check_simulate_neurons(
        simulation((UPDATE, "X[:, t + 1] = sigmoid(A.dot(X[:, t]) + epsilon[3])"))
    )
    assert result.status == "incorrect"
    assert "IndexError" in result.message
    assert "epsilon[3]" in result.message  # the line, as the student wrote it


def test_simulation_with_an_unrelated_update_gets_the_noise_it_implies():
    result = check_simulate_neurons(
        simulation((UPDATE, "X[:, t + 1] = sigmoid(A.dot(X[:, t]) + X[:, t] + epsilon)"))
    )
    assert result.status == "incorrect" and result.mistake is None
    assert "still depends on the previous activity" in result.message


# ------------------------------------------------------------------ exercise 3.2, in detail


@pytest.mark.parametrize(
    "replacements",
    [
        (),
        ((DIFFERENCE, "own_next[one_idx].mean() - own_next[zero_idx].mean()"),),
        (
            (
                DIFFERENCE,
                "own_next[one_idx].sum() / len(one_idx) - own_next[zero_idx].sum() / len(zero_idx)",
            ),
        ),
        (("n_neurons = perturbed_X.shape[0]", "n_neurons = len(perturbed_X)"),),
    ],
    ids=["tutorial", "method-mean", "sum-over-count", "len"],
)
def test_single_neuron_answers_in_the_scaffold_pass(replacements):
    result = check_perturbed_connectivity_from_single_neuron(effect(*replacements))
    assert result.status == "correct", result.message
    assert result.matches_tutorial


def test_single_neuron_vectorised_answer_passes():
    source = (
        "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):\n"
        "    pairs = perturbed_X.shape[1] // 2\n"
        "    clamped = perturbed_X[selected_neuron, 0:2 * pairs:2]\n"
        "    outcomes = perturbed_X[:, 1::2]\n"
        "    ones, zeros = outcomes[:, clamped == 1], outcomes[:, clamped == 0]\n"
        "    return ones.mean(axis=1) - zeros.mean(axis=1)\n"
    )
    result = check_perturbed_connectivity_from_single_neuron(
        answer_of(get_exercise("single_neuron_effect"), source)
    )
    assert result.status == "correct" and result.matches_tutorial


def test_single_neuron_wrong_answer_shows_expected_and_received_values():
    result = check_perturbed_connectivity_from_single_neuron(
        effect((DIFFERENCE, f"2 * ({DIFFERENCE})"))
    )
    assert result.status == "incorrect" and result.mistake is None
    assert "it should return" in result.message and "your function returned" in result.message


# ------------------------------------------------------- bad answers to function exercises

# Tutorial 1's checkers of functions that return an array (the messages below name one).
ARRAY_CHECKERS = [check_simulate_neurons, check_perturbed_connectivity_from_single_neuron]
# Every function exercise's checker, of every tutorial of the day.
FUNCTION_CHECKERS = [
    getattr(checks, exercise.check_name) for exercise in EXERCISES if exercise.kind == "function"
]


def returns(value):
    return lambda *args: value


def raises(error):
    def student_function(*args):
        raise error

    return student_function


@pytest.mark.parametrize("checker", ARRAY_CHECKERS, ids=lambda checker: checker.__name__)
@pytest.mark.parametrize(
    ("answer", "status", "words"),
    [
        (None, "not_attempted", "is None"),
        (..., "not_attempted", "is `...`"),
        ("simulate_neurons", "incorrect", "Pass the function itself"),
        ([1, 2], "incorrect", "Pass the function itself"),
        (np.zeros((6, 5000)), "incorrect", "got an array of shape (6, 5000)"),
        (returns(None), "not_attempted", "returns None"),
        (returns(...), "not_attempted", "returns `...`"),
        (raises(NotImplementedError("stub")), "not_attempted", "still raises NotImplementedError"),
        (
            raises(ValueError("matrices are not aligned")),
            "incorrect",
            "raised ValueError: matrices",
        ),
        (raises(SystemExit(1)), "incorrect", "raised SystemExit"),
        (returns("X"), "incorrect", "returned 'X' (type str); expected a NumPy array"),
        (returns(3.0), "incorrect", "returned 3.0 (type float); expected a NumPy array"),
        (returns(np.zeros((2, 2, 2))), "incorrect", "returned an array of shape (2, 2, 2)"),
        (returns(np.array(["a", "b"])), "incorrect", "expected a NumPy array"),
        (lambda: None, "incorrect", "raised TypeError"),  # takes no arguments
    ],
)
def test_bad_function_answers_get_a_clear_message(checker, answer, status, words):
    result = checker(answer, timeout=2.0)
    assert result.status == status
    assert words in result.message


def simulation_full_of(bad):
    return lambda A, timesteps, random_state=42: np.full((len(A), timesteps), bad)


def effect_full_of(bad):
    return lambda perturbed_X, selected_neuron: np.full(len(perturbed_X), bad)


@pytest.mark.parametrize(
    ("checker", "make_answer"),
    [
        (check_simulate_neurons, simulation_full_of),
        (check_perturbed_connectivity_from_single_neuron, effect_full_of),
    ],
    ids=["simulate_neurons", "single_neuron_effect"],
)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_results_are_incorrect(checker, make_answer, bad):
    result = checker(make_answer(bad), timeout=2.0)
    assert result.status == "incorrect"
    assert "NaN" in result.message  # the generic message, or the empty-selection mistake


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda checker: checker.__name__)
@pytest.mark.parametrize(
    "body",
    [
        "time.sleep(60)",
        "while True:\n        pass",
        "while True:\n        try:\n            time.sleep(60)\n"
        "        except Exception:\n            pass",
    ],
    ids=["sleeps", "spins", "swallows-exceptions"],
)
def test_functions_that_never_return_are_stopped(checker, body):
    student_function = run_cell(f"def hangs(*args):\n    {body}\n")["hangs"]
    start = time.perf_counter()
    result = checker(student_function, timeout=SHORT_TIMEOUT)
    assert time.perf_counter() - start < SHORT_TIMEOUT + 1.5
    assert result.status == "incorrect"
    assert f"did not return within {SHORT_TIMEOUT:g} s" in result.message


def test_deadline_works_off_the_main_thread():
    outcome = {}
    hangs = run_cell("def hangs(*args):\n    time.sleep(30)\n")["hangs"]

    def in_a_thread():
        outcome["result"] = check_simulate_neurons(hangs, timeout=SHORT_TIMEOUT)

    worker = threading.Thread(target=in_a_thread)
    worker.start()
    worker.join(10)
    assert outcome["result"].status == "incorrect"
    assert "did not return" in outcome["result"].message


def test_correct_function_checked_off_the_main_thread_passes():
    outcome = {}
    student_function = simulation()
    worker = threading.Thread(
        target=lambda: outcome.update(result=check_simulate_neurons(student_function))
    )
    worker.start()
    worker.join(30)
    assert outcome["result"].status == "correct"


def test_pressing_stop_interrupts_the_check_and_keeps_the_random_state():
    # KeyboardInterrupt is the user's, not the student's: it must not become a verdict.
    np.random.seed(3)
    before = random_state_snapshot()
    with pytest.raises(KeyboardInterrupt):
        check_simulate_neurons(raises(KeyboardInterrupt()), timeout=2.0)
    assert random_state_snapshot() == before


def test_the_alarm_signal_handler_and_timer_are_given_back():
    def previous_handler(signum, frame):
        pass

    old = signal.signal(signal.SIGALRM, previous_handler)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        check_simulate_neurons(simulation(), timeout=2.0)
        check_simulate_neurons(raises(ValueError("x")), timeout=2.0)
        assert signal.getsignal(signal.SIGALRM) is previous_handler
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < remaining <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda checker: checker.__name__)
@pytest.mark.parametrize(
    ("timeout", "error", "match"),
    [
        (0, ValueError, "`timeout` must be a positive, finite number of seconds, got 0"),
        (-1.0, ValueError, "`timeout` must be a positive"),
        (float("inf"), ValueError, "`timeout` must be a positive"),
        ("5", TypeError, "`timeout` must be a number of seconds, got '5'"),
        (True, TypeError, "`timeout` must be a number of seconds"),
    ],
)
def test_invalid_timeout_is_the_callers_error(checker, timeout, error, match):
    with pytest.raises(error, match=match):
        checker(returns(None), timeout=timeout)


def test_a_bug_in_the_checker_is_reported_not_raised(monkeypatch):
    exercise = get_exercise("simulate_neurons")

    def broken(self, submission):
        raise RuntimeError("checker bug")

    monkeypatch.setattr(type(exercise), "accepts", broken)
    result = check_simulate_neurons(simulation(template=SIMULATE_OTHER_ORDER))
    assert (result.status, result.mistake) == ("incorrect", "checker_error")
    assert "RuntimeError: checker bug" in result.message and "bug in nmacausal" in result.message


def test_a_student_function_that_modifies_its_inputs_does_not_spoil_later_cases():
    source = edited(
        EFFECT,
        (
            "    return estimated_connectivity",
            "    perturbed_X[:] = -1\n    return estimated_connectivity",
        ),
    )
    assert check_perturbed_connectivity_from_single_neuron(
        answer_of(get_exercise("single_neuron_effect"), source)
    )
    assert check_perturbed_connectivity_from_single_neuron(effect())


# ------------------------------------------------------------------------------------ purity

NOISY = """\
import sys, warnings
def noisy(*args):
    print("hello from the student")
    print("to stderr", file=sys.stderr)
    warnings.warn("a student warning")
    np.log(np.zeros(3))
    np.random.seed(999)
    np.random.rand(100)
    return np.exp(np.full(3, 1000.0))
"""


def random_state_snapshot():
    name, keys, position, has_gauss, cached = np.random.get_state()
    return name, keys.tobytes(), position, has_gauss, cached


PURITY_ANSWERS = [
    pytest.param("rct_diff_in_means", lambda: TUTORIAL_DIFF_IN_MEANS, id="rct-correct"),
    pytest.param("rct_diff_in_means", lambda: -1.0, id="rct-wrong"),
    pytest.param("simulate_neurons", simulation, id="simulate-correct"),
    pytest.param(
        "simulate_neurons", lambda: simulation(template=SIMULATE_OTHER_ORDER), id="simulate-other"
    ),
    pytest.param(
        "simulate_neurons",
        lambda: simulation(("np.random.seed(random_state)", "np.random.seed(42)")),
        id="simulate-fixed-seed",
    ),
    pytest.param("single_neuron_effect", effect, id="effect-correct"),
    pytest.param("single_neuron_effect", lambda: raises(ValueError("x")), id="effect-raises"),
]


def _solution_of(exercise):
    return lambda: answer_of(exercise, SCAFFOLD_PRELUDES.get(exercise.id, "") + exercise.solution)


def _mistake_of(exercise, mistake_id):
    source = SCAFFOLD_PRELUDES.get(exercise.id, "") + mistake_source(exercise.id, mistake_id)
    return lambda: answer_of(exercise, source)


# Every exercise of the day: its solution, its first and last catalogued mistakes, and
# (for a function) one that prints, warns and reseeds the global stream.
for _exercise in EXERCISES:
    _first, _last = _exercise.mistakes[0].id, _exercise.mistakes[-1].id
    PURITY_ANSWERS += [
        pytest.param(_exercise.id, _solution_of(_exercise), id=f"{_exercise.id}-solution"),
        pytest.param(_exercise.id, _mistake_of(_exercise, _first), id=f"{_exercise.id}-{_first}"),
        pytest.param(_exercise.id, _mistake_of(_exercise, _last), id=f"{_exercise.id}-{_last}"),
    ]
    if _exercise.kind == "function":
        _noisy = pytest.param(
            _exercise.id, lambda: run_cell(NOISY)["noisy"], id=f"{_exercise.id}-noisy"
        )
        PURITY_ANSWERS.append(_noisy)


@pytest.mark.parametrize(("exercise_id", "make_answer"), PURITY_ANSWERS)
def test_checks_leave_the_global_random_state_alone(exercise_id, make_answer):
    answer = make_answer()
    np.random.seed(2024)
    np.random.rand(7)
    before = random_state_snapshot()
    check(get_exercise(exercise_id), answer)
    assert random_state_snapshot() == before


@pytest.mark.parametrize(("exercise_id", "make_answer"), PURITY_ANSWERS)
def test_checks_print_nothing_and_warn_nothing(exercise_id, make_answer, capfd):
    answer = make_answer()
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = check(get_exercise(exercise_id), answer)
        str(result), result._repr_html_()
    assert capfd.readouterr() == ("", "")
    assert caught == []


@pytest.mark.parametrize(("exercise_id", "make_answer"), PURITY_ANSWERS)
def test_checks_give_the_same_verdict_whatever_ran_before(exercise_id, make_answer):
    answer, exercise = make_answer(), get_exercise(exercise_id)
    np.random.seed(1)
    first = check(exercise, answer)
    np.random.seed(2)
    np.random.rand(11)
    second = check(exercise, answer)
    assert first == second


# -------------------------------------------------------------------- the result's behaviour


def result(status, message="Because.", **options):
    return CheckResult(
        exercise_id="simulate_neurons",
        status=status,
        message=message,
        title="Exercise 2: System simulation",
        **options,
    )


def test_only_a_correct_result_is_true():
    assert result("correct")
    assert not result("incorrect")
    assert not result("not_attempted")


def test_result_text_shows_verdict_title_and_message():
    text = str(result("incorrect", "The noise is missing."))
    assert text == "Incorrect: Exercise 2: System simulation\nThe noise is missing."
    assert repr(result("not_attempted")).startswith("Not attempted yet: Exercise 2")


@pytest.mark.parametrize(
    ("status", "colour"),
    [("correct", "#1b5e20"), ("incorrect", "#b71c1c"), ("not_attempted", "#8a4b00")],
)
def test_result_html_is_a_coloured_verdict_with_escaped_text(status, colour):
    page = result(status, "Use `A @ x` when a < b & c.")._repr_html_()
    assert colour in page
    assert "<code>A @ x</code>" in page
    assert "a &lt; b &amp; c" in page


def test_assert_correct_raises_check_failed_with_the_message():
    failing = result("incorrect", "The noise is missing.")
    expected = (
        r"^Incorrect: Exercise 2: System simulation\nThe noise is missing.\n\(verdict: incorrect\)$"
    )
    with pytest.raises(CheckFailed, match=expected) as raised:
        failing.assert_correct()
    assert isinstance(raised.value, AssertionError)
    assert raised.value.result is failing
    assert CheckFailed.read_diagnosis(str(raised.value)) == ("incorrect", None)
    with pytest.raises(CheckFailed, match="Because"):
        result("not_attempted").assert_correct()
    passing = result("correct")
    assert passing.assert_correct() is passing


def test_check_failed_names_the_mistake_on_its_last_line():
    with pytest.raises(CheckFailed) as raised:
        check_diff_in_means(-0.9907195190159408).assert_correct()
    assert str(raised.value).splitlines()[-1] == "(verdict: incorrect, mistake: sign_reversed)"
    assert CheckFailed.read_diagnosis(str(raised.value)) == ("incorrect", "sign_reversed")
    assert CheckFailed.read_diagnosis("an unrelated error") is None


def test_assert_correct_survives_python_optimisation():
    # A bare `assert` would vanish under -O; the grade cell must fail all the same.
    code = (
        "from nmacausal.checks import check_diff_in_means\n"
        "check_diff_in_means(-1.0).assert_correct()"
    )
    completed = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert completed.returncode != 0
    assert "CheckFailed: Incorrect: Exercise 1" in completed.stderr
    assert "The sign is reversed" in completed.stderr


def test_check_failed_shows_in_jupyter_without_a_traceback():
    # IPython renders an exception's _render_traceback_() in place of its frames: a
    # grade cell's error (in Validate and on feedback pages) is the verdict alone.
    with pytest.raises(CheckFailed) as raised:
        check_diff_in_means(...).assert_correct()
    shown = raised.value._render_traceback_()
    assert shown[0].startswith("CheckFailed: Not attempted yet: Exercise 1: Randomized")
    assert "checks.py" not in "\n".join(shown)


def test_result_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="`status` must be one of"):
        result("maybe")


# -------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_hints_are_progressive(exercise):
    shown = [
        checks.hint(exercise.answer_name, level=level)
        for level in range(1, len(exercise.hints) + 1)
    ]
    assert [item.text for item in shown] == list(exercise.hints)
    assert checks.hint(exercise.id).level == 1
    assert "level=2" in str(shown[0])
    assert "solution(" in str(shown[-1])
    assert "<code>" in shown[0]._repr_html_() or "<code>" in shown[-1]._repr_html_()


@pytest.mark.parametrize("level", [0, 4, 1.5, "2", -1])
def test_hint_level_out_of_range_is_one_friendly_line(level):
    with pytest.raises(checks.NoSuchHint) as raised:
        checks.hint("simulate_neurons", level=level)
    assert isinstance(raised.value, ValueError)
    shown = raised.value._render_traceback_()
    assert shown == [
        f"NoSuchHint: `simulate_neurons` has hints at levels 1, 2, 3; got level={level!r}."
    ]


def test_hints_show_emphasis_as_rich_text_and_plain_text():
    shown = checks.hint("simulate_neurons", level=2)
    assert "*next*" in shown.text  # the registry marks it up
    assert "<em>next</em>" in shown._repr_html_()
    assert "*" not in str(shown).replace("`X[:, t + 1]`", "")
    assert "the next step" in str(shown)


def test_stars_in_code_and_arithmetic_are_not_emphasis():
    text = "Use `a * b * c` and 2 * x * y; *this* is emphasis."
    plain = results._plain(text)
    assert plain == "Use `a * b * c` and 2 * x * y; this is emphasis."
    html = results._prose_html(text)
    assert "<code>a * b * c</code>" in html and "<em>this</em>" in html
    assert "2 * x * y" in html


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_solution_shows_the_code(exercise):
    shown = checks.solution(exercise.id)
    assert shown.code == exercise.solution
    assert exercise.solution.splitlines()[0] in str(shown)
    assert "<pre" in shown._repr_html_()


@pytest.mark.parametrize("key", ["no_such_exercise", "simulate", "", 3, None])
@pytest.mark.parametrize("ask", [checks.hint, checks.solution], ids=["hint", "solution"])
def test_hint_and_solution_refuse_unknown_exercises_in_one_line(ask, key):
    with pytest.raises(checks.UnknownExercise) as raised:
        ask(key)
    assert isinstance(raised.value, ValueError)
    (line,) = raised.value._render_traceback_()
    assert line.startswith(f"UnknownExercise: There is no exercise called {key!r}.")
    for exercise in EXERCISES:
        assert f'"{exercise.answer_name}"' in line


def test_unknown_exercise_shows_one_line_in_a_real_kernel():
    # The same, as a student sees it: IPython prints the line and no traceback.
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.run_cell('from nmacausal.checks import hint')\n"
        "shell.run_cell('hint(\"simulate\")')\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    shown = completed.stdout + completed.stderr
    assert "UnknownExercise: There is no exercise called 'simulate'." in shown
    assert "Traceback" not in shown and "checks.py" not in shown
