"""Tutorial 2's checkers, beyond what ``test_checks.py`` asks of every exercise of the day.

``test_checks.py`` runs the solution, every correct style and every catalogued
mistake in every style from ``answers_tutorial2.py``. Here: the tutorial's own
numbers, stubs of every kind, correct alternatives outside the styles, the
particulars of the messages and the mistakes that look alike. Deadlines and purity are
``test_checks.py``'s, for every exercise of the day.
(A bad ``timeout`` is refused by the code every function exercise shares: tested there.)
"""

import linecache
import textwrap
from itertools import count

import answers_tutorial2 as answers
import pytest

import nmacausal
from nmacausal.model import correlation
from nmacausal.tutorials.correlations import TUTORIAL

EXERCISES = TUTORIAL.exercises
SINGLE, COARSE = EXERCISES
BY_ID = {exercise.id: exercise for exercise in EXERCISES}

# The tutorial's printed numbers (numpy 2.4, see the tutorial's facts): Exercise 1's estimate
# for neuron 1 of the 6-neuron recording, and the bonus' correlation for 256 neurons in 16 groups.
TUTORIAL_ESTIMATE = [0.12405599, -0.00250175, -0.00358148, -0.00371415, -0.00759544, 0.0060346]
TUTORIAL_COARSE_CORR = 0.1871085307158573

# --------------------------------------------------------------------- a notebook, simulated

_cell_numbers = count()


def run_cell(source):
    """Run ``source`` as a notebook cell (after the notebook's names) and return its namespace."""
    namespace = dict(answers.NOTEBOOK_NAMES)
    filename = f"<tutorial 2 cell {next(_cell_numbers)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    with nmacausal.isolated_random_state():
        exec(compile(source, filename, "exec"), namespace)
    return namespace


def answer_of(exercise, source):
    return run_cell(answers.PRELUDES.get(exercise.id, "") + source)[exercise.answer_name]


def style_source(exercise_id, style, mistake=None, example=0):
    choices = dict(answers.DEFAULTS[exercise_id])
    if mistake is not None:
        choices.update(answers.MISTAKES[(exercise_id, mistake)][example])
    return textwrap.dedent(style.render(choices))


def check(exercise, answer, **options):
    return exercise.check(answer, **{"timeout": 2.0, **options})


def solution_with(exercise, region):
    """The solution with its student's line replaced by ``region`` (same indentation)."""
    line = {SINGLE: "correlation = np.corrcoef(", COARSE: "coarse_X = X.reshape("}[exercise]
    lines = exercise.solution.splitlines(keepends=True)
    index = next(i for i, text in enumerate(lines) if text.strip().startswith(line))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    replaced = "".join(indent + text + "\n" for text in region.splitlines())
    return "".join(lines[:index]) + replaced + "".join(lines[index + 1 :])


# ---------------------------------------------------------------- solution, stub, styles


def test_the_reference_gives_the_tutorials_numbers_on_its_own_recordings():
    estimate = SINGLE.outputs_of(SINGLE.reference)[SINGLE.cases().index(SINGLE.case("tutorial"))]
    assert estimate == pytest.approx(TUTORIAL_ESTIMATE, abs=5e-9)
    corr, R, coarse_A = COARSE.outputs_of(COARSE.reference)[-1]
    assert COARSE.cases()[-1] is COARSE.case("tutorial")
    assert float(corr) == pytest.approx(TUTORIAL_COARSE_CORR, rel=1e-12)
    assert R.shape == coarse_A.shape == (16, 16)


# What nbgrader releases: the lines between the solution markers become these two.
RELEASED = "# YOUR CODE HERE\nraise NotImplementedError()"


@pytest.mark.parametrize(
    "stub",
    [
        lambda exercise: solution_with(exercise, RELEASED),
        lambda exercise: (
            f"def {exercise.answer_name}(*args):\n    raise NotImplementedError('Complete it')\n"
        ),
        lambda exercise: f"def {exercise.answer_name}(*args):\n    return ...\n",
    ],
    ids=["released", "raises", "returns-ellipsis"],
)
@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_the_stub_is_not_attempted(exercise, stub):
    result = check(exercise, answer_of(exercise, stub(exercise)))
    assert result.status == "not_attempted", result.message
    assert not result


def test_the_tutorial_style_is_the_solutions():
    for exercise in EXERCISES:
        name = answers.TUTORIAL_STYLE_NAMES[exercise.id]
        assert name in {style.name for style in answers.STYLES[exercise.id]}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_exercise_is_fully_described(exercise):
    assert exercise.domain.strip()
    assert "tutorial" in {case.name for case in exercise.cases()}
    assert len(exercise.hints) == 3 and all(hint.strip() for hint in exercise.hints)
    messages = [mistake.message for mistake in exercise.mistakes]
    assert len(set(messages)) == len(messages)
    assert len({mistake.id for mistake in exercise.mistakes}) == len(messages)
    for mistake in exercise.mistakes:
        assert mistake.message.rstrip().endswith((".", ")")) and mistake.detected_by
    compile(exercise.solution, f"<solution of {exercise.id}>", "exec")
    assert exercise.check_name == f"check_{exercise.answer_name}"


def test_the_reversed_lag_and_the_row_of_r_are_one_mistake():
    # Both ways of estimating the effects on the selected neuron, named the same.
    lag = "def compute_connectivity_from_single_neuron(X, s):\n" + (
        "    return np.array([np.corrcoef(X[s, 1:], row)[0, 1] for row in X[:, :-1]])\n"
    )
    row = "def compute_connectivity_from_single_neuron(X, s):\n" + (
        "    return correlation_for_all_neurons_copy(X)[s]\n"
    )
    copy = (
        "def correlation_for_all_neurons_copy(X):\n"
        "    n = len(X)\n"
        "    return np.corrcoef(np.concatenate([X[:, 1:], X[:, :-1]]))[:n, n:]\n"
    )
    for source in (lag, copy + row):
        result = check(SINGLE, answer_of(SINGLE, source))
        assert result.mistake == "effects_on_selected"
        assert "lag is reversed" in result.message and "row" in result.message


# ------------------------------------------------ right answers other than the reference's


@pytest.mark.parametrize("divisor", ["T - 1", "T"], ids=["ccf-adjusted", "ccf-biased"])
def test_the_sample_cross_correlation_is_correct_but_not_the_tutorials_numbers(divisor):
    source = (
        "def compute_connectivity_from_single_neuron(X, selected_neuron):\n"
        "    T = X.shape[1]\n"
        "    Z = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)\n"
        f"    return Z[:, 1:] @ Z[selected_neuron, :-1] / ({divisor})\n"
    )
    result = check(SINGLE, answer_of(SINGLE, source))
    assert result.status == "correct", result.message
    assert not result.matches_tutorial
    assert "sample cross-correlation" in result.message


@pytest.mark.parametrize(
    "lines",
    [
        "correlation = np.corrcoef(current_activity, this_output_activity)[1, 0]",
        "correlation = np.corrcoef(np.vstack([this_output_activity, current_activity]))[0, 1]",
        "a = this_output_activity - this_output_activity.mean()\n"
        "b = current_activity - current_activity.mean()\n"
        "correlation = (a @ b) / np.sqrt((a @ a) * (b @ b))",
        "a, b = this_output_activity, current_activity\n"
        "a = (a - a.mean()) / a.std(ddof=1)\n"
        "b = (b - b.mean()) / b.std(ddof=1)\n"
        "correlation = np.sum(a * b) / (len(a) - 1)",
        "correlation = np.cov(this_output_activity, current_activity)[0, 1] / (\n"
        "    np.std(this_output_activity, ddof=1) * np.std(current_activity, ddof=1))",
    ],
    ids=["swapped", "vstack", "centred-products", "ddof-1-throughout", "cov-over-stds"],
)
def test_other_ways_of_computing_the_correlation_in_the_scaffold_pass(lines):
    result = check(SINGLE, answer_of(SINGLE, solution_with(SINGLE, lines)))
    assert result.status == "correct" and result.matches_tutorial, result.message


@pytest.mark.parametrize(
    "lines",
    [
        "coarse_X = X.reshape(n_groups, -1, timesteps).mean(axis=1)",
        "coarse_X = np.add.reduceat(X, np.arange(0, n_neurons, group_size)) / group_size",
        "coarse_X = np.kron(np.eye(n_groups), np.ones(group_size)) @ X",
        "coarse_X = np.array(\n"
        "    [X[g * group_size : (g + 1) * group_size].sum(0) for g in range(n_groups)]\n"
        ")",
    ],
    ids=["reshape-minus-one", "reduceat", "kron-sums", "comprehension-sums"],
)
def test_other_ways_of_averaging_groups_pass(lines):
    # A sum is a mean times the group size: the correlations, and so every return, are equal.
    result = check(COARSE, answer_of(COARSE, solution_with(COARSE, lines)))
    assert result.status == "correct" and result.matches_tutorial, result.message


# ------------------------------------------------------------------ specific messages


def test_a_wrong_estimate_is_told_where_and_by_how_much():
    source = solution_with(
        SINGLE, "correlation = np.corrcoef(this_output_activity, current_activity)[0, 1] + 0.01"
    )
    result = check(SINGLE, answer_of(SINGLE, source))
    assert (result.status, result.mistake) == ("incorrect", None)
    assert result.message.startswith("Called with X of shape (3, 200)")
    assert "selected_neuron=2" in result.message and "+0.01" in result.message


def test_a_wrong_coarse_estimate_names_the_part_that_differs():
    source = solution_with(COARSE, "coarse_X = X.reshape(n_groups, group_size, timesteps).max(1)")
    result = check(COARSE, answer_of(COARSE, source))
    assert (result.status, result.mistake) == ("incorrect", None)
    assert result.message.startswith("Called with n_groups=2, X of shape (8, 600)")
    assert "corr should be -0.5788" in result.message and "R's first row" in result.message
    assert "coarse_A" not in result.message


def test_a_coarse_x_of_the_wrong_shape_is_described():
    # Every neuron averaged into one: not a catalogued mistake, but the shape is named.
    source = solution_with(COARSE, "coarse_X = X.mean(axis=0)")
    result = check(COARSE, answer_of(COARSE, source))
    assert (result.status, result.mistake) == ("incorrect", None)
    assert "raised AssertionError" in result.message
    assert "Your coarse_X has shape (600,); it should be (2, 600)" in result.message


def test_the_tutorials_16_by_16_does_not_hide_a_swapped_reshape():
    source = solution_with(COARSE, "coarse_X = X.reshape(group_size, n_groups, timesteps).mean(1)")
    answer = answer_of(COARSE, source)
    tutorial_case = COARSE.case("tutorial")
    assert COARSE.returns.close(
        COARSE.returns.read(answer(*tutorial_case.fresh_args())),
        COARSE.outputs_of(COARSE.reference)[-1],
    )
    result = check(COARSE, answer)
    assert result.mistake == "swapped_group_size"
    assert "(4, 600)" in result.message  # 4 groups of 2 neurons instead of (2, 600)


def test_the_reference_functions_include_the_all_neurons_estimate():
    assert correlation.correlation_for_all_neurons in SINGLE.reference_functions
    assert COARSE.reference_functions == (correlation.get_coarse_corr,)
