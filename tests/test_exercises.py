"""The exercise registry: the contract the notebooks, grade cells and report are built on."""

import re

import numpy as np
import pytest
from sklearn.linear_model import Lasso, LinearRegression
from statsmodels.tsa.stattools import grangercausalitytests

import nmacausal
from nmacausal import checks
from nmacausal.checking.kinds import Exercise, FunctionProblem, ValueProblem
from nmacausal.tutorials import EXERCISES, get_exercise

CONTRACT = [
    # id, section, kind, answer name, check name
    ("rct_diff_in_means", "1", "value", "diff_in_means", "check_diff_in_means"),
    ("simulate_neurons", "2", "function", "simulate_neurons", "check_simulate_neurons"),
    (
        "single_neuron_effect",
        "3.2",
        "function",
        "get_perturbed_connectivity_from_single_neuron",
        "check_perturbed_connectivity_from_single_neuron",
    ),
    (
        "single_neuron_correlation",
        "1",
        "function",
        "compute_connectivity_from_single_neuron",
        "check_compute_connectivity_from_single_neuron",
    ),
    ("coarse_correlation", "Bonus 2.1", "function", "get_coarse_corr", "check_get_coarse_corr"),
    (
        "regression_estimate",
        "1",
        "function",
        "get_regression_estimate",
        "check_get_regression_estimate",
    ),
    ("iv_first_stage", "1.3.1", "function", "fit_first_stage", "check_fit_first_stage"),
    ("iv_second_stage", "1.3.2", "function", "fit_second_stage", "check_fit_second_stage"),
    (
        "simulate_neurons_iv",
        "2.1",
        "function",
        "simulate_neurons_iv",
        "check_simulate_neurons_iv",
    ),
    (
        "instrument_strength",
        "Bonus 1",
        "function",
        "instrument_strength_effect",
        "check_instrument_strength_effect",
    ),
    (
        "granger_causality",
        "Bonus 2.1",
        "function",
        "get_granger_causality",
        "check_get_granger_causality",
    ),
]


def test_registry_lists_the_days_exercises_in_order():
    assert isinstance(EXERCISES, tuple)
    described = [
        (exercise.id, exercise.section, exercise.kind, exercise.answer_name, exercise.check_name)
        for exercise in EXERCISES
    ]
    assert described == CONTRACT


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_exercise_is_fully_described(exercise):
    base = ValueProblem if exercise.kind == "value" else FunctionProblem
    assert isinstance(exercise, base)
    assert isinstance(exercise.points, int) and exercise.points > 0
    assert exercise.title and exercise.title in repr(exercise)
    assert len(exercise.hints) >= 2 and all(hint.strip() for hint in exercise.hints)
    compile(exercise.solution, f"<solution of {exercise.id}>", "exec")
    assert exercise.mistakes


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_mistake_is_described_for_students_and_instructors(exercise):
    for mistake in exercise.mistakes:
        assert re.fullmatch(r"[a-z][a-z_]*[a-z]", mistake.id)
        assert mistake.message.rstrip().endswith((".", ")"))
        assert mistake.detected_by
        assert mistake.stage in ("answer", "run")
        assert callable(mistake.detect)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_check_name_is_the_checker_of_the_exercise(exercise):
    checker = getattr(checks, exercise.check_name)
    assert exercise.check_name in checks.__all__
    assert checker(...).exercise_id == exercise.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_get_exercise_finds_it_by_id_and_by_answer_name(exercise):
    assert get_exercise(exercise.id) is exercise
    assert get_exercise(exercise.answer_name) is exercise
    assert get_exercise(exercise) is exercise


@pytest.mark.parametrize(
    ("key", "error", "match"),
    [
        (
            "check_diff_in_means",
            ValueError,
            "`key` must be one of the exercises 'rct_diff_in_means'",
        ),
        ("", ValueError, "got ''"),
        (None, TypeError, r"`key` must be an exercise id or answer name \(a str\), got None"),
        (1, TypeError, "got 1 \\(type int\\)"),
    ],
)
def test_get_exercise_refuses_unknown_keys(key, error, match):
    with pytest.raises(error, match=match):
        get_exercise(key)


@pytest.mark.parametrize(
    "exercise",
    [exercise for exercise in EXERCISES if exercise.kind == "function"],
    ids=lambda exercise: exercise.id,
)
def test_function_solutions_take_the_size_from_their_input(exercise):
    # No notebook variables at all: the solution must not need `n_neurons` from outside.
    namespace = {
        "np": np,
        "sigmoid": nmacausal.sigmoid,
        "correlation_for_all_neurons": nmacausal.correlation_for_all_neurons,
        "logit": nmacausal.logit,
        "Lasso": Lasso,
        "LinearRegression": LinearRegression,
        "create_connectivity": nmacausal.create_connectivity,
        "grangercausalitytests": grangercausalitytests,
        # The bonus sweep calls the notebook's functions: nmacausal's, as a notebook imports them.
        "simulate_neurons_iv": nmacausal.simulate_neurons_iv,
        "get_iv_estimate_network": nmacausal.get_iv_estimate_network,
    }
    exec(exercise.solution, namespace)
    result = exercise.check(namespace[exercise.answer_name])
    assert result.status == "correct", result.message


def test_simulation_cases_cover_one_neuron_odd_and_even_lengths_and_several_seeds():
    cases = get_exercise("simulate_neurons").cases()
    sizes = {case.args[0].shape[0] for case in cases}
    lengths = {case.args[1] for case in cases}
    seeds = {case.args[2] for case in cases}
    assert 1 in sizes and len(sizes) >= 4
    assert {length % 2 for length in lengths} == {0, 1}
    assert len(seeds) >= 4
    assert (6, 5000, 42) in {(c.args[0].shape[0], c.args[1], c.args[2]) for c in cases}


def test_single_neuron_cases_stay_in_the_tutorials_domain_and_cover_each_end():
    exercise = get_exercise("single_neuron_effect")
    shapes = [case.args[0].shape for case in exercise.cases()]
    selected = [case.args[1] for case in exercise.cases()]
    assert 1 in {n for n, _ in shapes} and len({n for n, _ in shapes}) >= 4
    # The tutorial records an even number of timesteps: the verdict is decided there only.
    assert {timesteps % 2 for _, timesteps in shapes} == {0}
    assert 0 in selected and any(
        s == n - 1 and n > 1 for (n, _), s in zip(shapes, selected, strict=True)
    )
    # Odd lengths are beyond the domain: probes that may give advice, never a verdict.
    assert {probe.args[0].shape[1] % 2 for probe in exercise.probes()} == {1}
    assert all(probe.advice for probe in exercise.probes())


def test_the_tutorials_slicing_style_is_correct_with_advice_about_odd_lengths():
    # The tutorial writes perturbed_X[selected_neuron, ::2] and perturbed_X[:, 1::2]:
    # right on every recording it makes, wrong only where it never goes.
    source = (
        "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):\n"
        "    causes = perturbed_X[selected_neuron, ::2]\n"
        "    outcomes = perturbed_X[:, 1::2]\n"
        "    effects = np.zeros(perturbed_X.shape[0])\n"
        "    for j in range(perturbed_X.shape[0]):\n"
        "        effects[j] = outcomes[j][causes == 1].mean() - outcomes[j][causes == 0].mean()\n"
        "    return effects\n"
    )
    namespace = {"np": np}
    exec(source, namespace)
    result = get_exercise("single_neuron_effect").check(
        namespace["get_perturbed_connectivity_from_single_neuron"]
    )
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "61 timesteps" in result.advice and "costs nothing here" in result.advice
    assert "Worth knowing" in str(result) and "Worth knowing" in result._repr_html_()


@pytest.mark.parametrize(
    "exercise",
    [exercise for exercise in EXERCISES if exercise.kind == "function"],
    ids=lambda exercise: exercise.id,
)
def test_cases_are_fixed_and_the_reference_answers_them(exercise):
    for case in exercise.cases():
        expected = exercise.returns.read(exercise.reference(*case.fresh_args()))
        assert exercise.returns.problem(expected, case.expected_shape) is None
    # Built once from fixed seeds, whatever the global random state.
    np.random.seed(5)
    again = type(exercise)().cases()
    for first, second in zip(exercise.cases(), again, strict=True):
        assert np.array_equal(first.args[0], second.args[0])


def test_value_exercise_reference_is_the_tutorials_figure():
    assert get_exercise("rct_diff_in_means").expected() == 0.9907195190159408


def test_exercise_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        Exercise()._check(1.0)
