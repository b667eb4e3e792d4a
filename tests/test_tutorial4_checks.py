"""Tutorial 4's checkers, beyond what ``test_checks.py`` asks of every exercise of the day.

``test_checks.py`` runs each solution, every correct style and every catalogued
mistake in every style from ``answers_tutorial4.py``, and holds every checker to
its deadlines and its purity. Here: the tutorial's own numbers, the stubs as
released and half-finished, the shapes a right answer may come in (and the
advice a shape other than the tutorial's gets), the tolerance that accepts
another least-squares solver and refuses a near miss, the particulars of the
messages, and how long a check takes.
"""

import textwrap
import time

import answers_tutorial4 as answers
import numpy as np
import pytest
from test_checks import run_cell

import nmacausal
from nmacausal.checking.kinds import Submission
from nmacausal.tutorials import get_exercise
from nmacausal.tutorials.instrumental import TUTORIAL
from nmacausal.tutorials.instrumental import granger_causality as granger_module
from nmacausal.tutorials.instrumental import instrument_strength as strength_module
from nmacausal.tutorials.instrumental import simulate_neurons_iv as simulate_module

FIRST, SECOND, SIMULATE, STRENGTH, GRANGER = TUTORIAL.exercises


def answer_of(exercise, source):
    return run_cell(answers.PRELUDES[exercise.id] + textwrap.dedent(source))[exercise.answer_name]


def simulation_in(style_name):
    """Exercise 2.1's answer style called ``style_name``."""
    return next(style for style in answers.STYLES[SIMULATE.id] if style.name == style_name)


def check(exercise, answer, **options):
    return exercise.check(answer, **{"timeout": 5.0, **options})


def edited(source, *replacements):
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


# ------------------------------------------------------------------------ the tutorial


def test_the_tutorial_declares_its_exercises_videos_and_points():
    assert TUTORIAL.number == 4 and TUTORIAL.id == "W3D5_Tutorial4"
    assert [exercise.id for exercise in TUTORIAL.exercises] == [
        "iv_first_stage",
        "iv_second_stage",
        "simulate_neurons_iv",
        "instrument_strength",
        "granger_causality",
    ]
    assert [exercise.label for exercise in TUTORIAL.exercises] == [
        "Exercise 1.3.1",
        "Exercise 1.3.2",
        "Exercise 2.1",
        "Bonus Exercise 1",
        "Bonus Exercise 2.1",
    ]
    assert TUTORIAL.points == 6
    assert [video.after for video in TUTORIAL.videos] == [
        "section-1",
        "section-1-3-1",
        "section-1-3-2",
        "section-2",
        "section-3",
        "summary",
    ]
    assert len({video.youtube for video in TUTORIAL.videos}) == 6


def test_the_tutorial_case_is_the_notebooks_data():
    smoking = nmacausal.generate_smoking_data()
    T, Z = FIRST.case("tutorial").args
    assert np.array_equal(T, smoking.T) and np.array_equal(Z, smoking.Z)
    T_hat, Y = SECOND.case("tutorial").args
    assert np.array_equal(Y, smoking.Y)
    assert np.allclose(T_hat, nmacausal.fit_first_stage(smoking.T, smoking.Z), rtol=0, atol=1e-9)


def test_the_first_stages_message_gives_the_tutorials_correlations():
    result = check(FIRST, answer_of(FIRST, FIRST.solution))
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "falls from -0.483 (T) to 0.009 (T_hat)" in result.message
    assert not result.advice


def test_the_second_stages_message_gives_the_tutorials_estimate():
    result = check(SECOND, answer_of(SECOND, SECOND.solution))
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "-1.984 grams per cigarette" in result.message
    assert not result.advice


def test_the_simulations_tutorial_case_is_the_section_2_2_network():
    n_neurons, timesteps, eta, random_state = SIMULATE.case("tutorial").args
    assert (n_neurons, eta, random_state) == (6, 2, 42) and timesteps == 5000


# -------------------------------------------------------------------------------- stubs

FIRST_SCAFFOLD = """\
def fit_first_stage(T, Z):
    stage1 = LinearRegression(...)
    stage1.fit(...)
    T_hat = stage1.predict(...)
    return T_hat
"""
SECOND_SCAFFOLD = """\
def fit_second_stage(T_hat, Y):
    stage2 = LinearRegression(...)
    stage2.fit(...)
    return stage2.coef_
"""
SIMULATE_SCAFFOLD = edited(
    SIMULATE.solution, ("IV_on_this_timestep = eta * Z[:, t + 1]", "IV_on_this_timestep = ...")
)
RAISE = "    raise NotImplementedError('Please complete the function')\n"


@pytest.mark.parametrize(
    ("exercise", "source"),
    [
        (FIRST, FIRST_SCAFFOLD),
        (SECOND, SECOND_SCAFFOLD),
        (SIMULATE, SIMULATE_SCAFFOLD),
        (FIRST, edited(FIRST_SCAFFOLD, ("    stage1 =", RAISE + "    stage1 ="))),
        (SECOND, edited(SECOND_SCAFFOLD, ("    stage2 =", RAISE + "    stage2 ="))),
        (
            FIRST,
            edited(
                FIRST_SCAFFOLD, ("LinearRegression(...)", "LinearRegression(fit_intercept=True)")
            ),
        ),
        (
            FIRST,
            edited(
                FIRST_SCAFFOLD,
                ("LinearRegression(...)", "LinearRegression(fit_intercept=True)"),
                ("stage1.fit(...)", "stage1.fit(Z, T)"),
            ),
        ),
    ],
    ids=[
        "first-placeholders",
        "second-placeholders",
        "simulate-placeholder",
        "first-raises",
        "second-raises",
        "first-half-done",
        "first-predict-left",
    ],
)
def test_scaffolds_left_with_their_placeholders_are_not_attempted(exercise, source):
    result = check(exercise, answer_of(exercise, source))
    assert result.status == "not_attempted", result.message


# ------------------------------------------------------------- shapes of a right answer


def test_a_flat_T_hat_is_right_with_advice_about_the_second_stage():
    source = answers.STYLES["iv_first_stage"][-1].source("iv_first_stage")
    assert "polyfit" in source
    result = check(FIRST, answer_of(FIRST, source))
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "flat, of shape (n,)" in result.advice and "reshape(-1, 1)" in result.advice


@pytest.mark.parametrize(
    ("returned", "held"),
    [
        ("float(stage2.coef_[0, 0])", "a float"),
        ("stage2.coef_.ravel()", "an array of shape (1,)"),
        ("stage2.coef_[0, 0]", "a float64"),
    ],
)
def test_the_effect_as_a_number_is_right_with_advice_about_beta_0_0(returned, held):
    source = edited(SECOND.solution, ("return stage2.coef_", f"return {returned}"))
    result = check(SECOND, answer_of(SECOND, source))
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert f"as {held}" in result.advice and "beta[0, 0]" in result.advice


def test_a_flat_Y_gives_a_1_element_coef_which_is_right():
    source = """\
    def fit_second_stage(T_hat, Y):
        return LinearRegression().fit(T_hat, Y.ravel()).coef_
    """
    result = check(SECOND, answer_of(SECOND, source))
    assert result.status == "correct" and result.matches_tutorial
    assert "(1,)" in result.advice


# --------------------------------------------------- other solvers, and the tolerance


@pytest.mark.parametrize(
    "source",
    [
        # A manual two-stage least squares: the projection onto [1, Z], by the normal equations.
        """\
        def fit_first_stage(T, Z):
            W = np.column_stack([np.ones(len(Z)), Z])
            return W @ np.linalg.solve(W.T @ W, W.T @ T)
        """,
        # The pseudo-inverse.
        """\
        def fit_first_stage(T, Z):
            W = np.c_[np.ones(Z.shape[0]), Z]
            return W.dot(np.linalg.pinv(W).dot(T))
        """,
    ],
    ids=["normal-equations", "pinv"],
)
def test_other_least_squares_first_stages_are_right(source):
    result = check(FIRST, answer_of(FIRST, source))
    assert result.status == "correct", result.message


def test_a_first_stage_off_by_a_thousandth_is_wrong_and_shows_where():
    source = edited(FIRST.solution, ("return T_hat", "return T_hat + 1e-3"))
    result = check(FIRST, answer_of(FIRST, source))
    assert result.status == "incorrect" and result.mistake is None
    assert "row" in result.message and "should be" in result.message


def test_a_second_stage_off_by_a_thousandth_is_wrong_and_shows_both_numbers():
    source = edited(SECOND.solution, ("return stage2.coef_", "return stage2.coef_ * 1.001"))
    result = check(SECOND, answer_of(SECOND, source))
    assert result.status == "incorrect" and result.mistake is None
    assert "the second stage's slope is" in result.message


def test_the_manual_wald_estimator_in_the_second_stage_is_right():
    # cov(T_hat, Y) / var(T_hat): what two-stage least squares comes to with one instrument.
    source = """\
    def fit_second_stage(T_hat, Y):
        t, y = T_hat - T_hat.mean(), Y - Y.mean()
        return np.array([[np.sum(t * y) / np.sum(t * t)]])
    """
    result = check(SECOND, answer_of(SECOND, source))
    assert result.status == "correct" and not result.advice, result.message


# ------------------------------------------------------------------ particular messages


def test_the_regression_on_the_treatment_names_the_notebook_variable_and_the_bias():
    source = edited(SECOND.solution, ("stage2.fit(T_hat, Y)", "stage2.fit(T, Y)"))
    result = check(SECOND, answer_of(SECOND, source))
    assert result.mistake == "regressed_on_treatment", result.message
    assert "reads the notebook's `T`" in result.message and "-1.984" in result.message


def test_reading_the_attribute_T_is_not_regressing_on_the_notebooks_T():
    # `.T` puts the name T among the code's names, so the notebook's T is looked at;
    # an answer that is not the slope of Y on it is not that mistake.
    source = edited(SECOND.solution, ("return stage2.coef_", "return stage2.coef_.T * 1.001"))
    result = check(SECOND, answer_of(SECOND, source))
    assert result.status == "incorrect" and result.mistake is None, result.message
    right = edited(SECOND.solution, ("return stage2.coef_", "return stage2.coef_.T"))
    assert check(SECOND, answer_of(SECOND, right)).status == "correct"


def test_an_instrument_drawn_once_names_its_shape():
    source = simulation_in("tutorial-scaffold").source(
        "simulate_neurons_iv", "instrument_shared_across_neurons", 0
    )
    result = check(SIMULATE, answer_of(SIMULATE, source))
    assert result.mistake == "instrument_shared_across_neurons"
    assert "returns Z of shape (40,)" in result.message


def test_another_stream_is_correct_but_not_the_tutorials():
    source = simulation_in("noise-first").source("simulate_neurons_iv")
    result = check(SIMULATE, answer_of(SIMULATE, source))
    assert result.status == "correct" and not result.matches_tutorial, result.message
    assert "another order" in result.message and "standard deviation" in result.message


def test_a_wrong_connectivity_is_named_in_words():
    source = edited(
        SIMULATE.solution,
        (
            "A = create_connectivity(n_neurons, random_state)",
            "A = create_connectivity(n_neurons, random_state, p=0.5)",
        ),
    )
    result = check(SIMULATE, answer_of(SIMULATE, source))
    assert result.status == "incorrect" and result.mistake is None
    assert "not the tutorial's connectivity" in result.message


def test_the_statistics_network_separates_the_hypotheses():
    # On the reference's own numbers, only the right update leaves standard noise.
    submission = Submission(SIMULATE.reference, SIMULATE, 5.0).run()
    standard = {
        hypothesis: simulate_module._noise_under(submission, hypothesis).looks_standard()
        for hypothesis in simulate_module._HYPOTHESES
    }
    assert standard == {hypothesis: hypothesis == "right" for hypothesis in standard}


def test_an_answer_with_the_tutorials_numbers_is_not_run_on_the_statistics_network():
    answer = answer_of(SIMULATE, simulation_in("matmul-randn").source(SIMULATE.id))
    calls = []

    def counted(*args):
        calls.append(args)
        return answer(*args)

    assert check(SIMULATE, counted).matches_tutorial
    assert SIMULATE.statistics_case().args not in calls
    assert len(calls) == len(SIMULATE.cases())


# ------------------------------------------------------------------------------ Granger


def test_the_tests_by_hand_are_statsmodels_tests():
    # The reference computes the likelihood-ratio test itself; statsmodels agrees.
    pytest.importorskip("statsmodels")
    for case in GRANGER.cases():
        X, selected = case.args
        by_hand = GRANGER.p_values(case)
        _, with_statsmodels = nmacausal.get_granger_causality(X, selected, correction=None)
        assert np.allclose(by_hand, with_statsmodels, rtol=1e-8, atol=1e-14)
        assert by_hand[selected] == 1.0


def test_the_granger_message_gives_the_tutorials_finding():
    source = answers.STYLES["granger_causality"][1].source("granger_causality")
    result = check(GRANGER, answer_of(GRANGER, source))
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "finds neuron 1 causing neurons [0]; it truly acts on [0]" in result.message


def test_bonferroni_decisions_are_right_and_said_so():
    source = answers.STYLES["granger_causality"][1].source("granger_causality")
    source = edited(source, ("int(pval < alpha)", "int(pval < alpha / (n_neurons - 1))"))
    result = check(GRANGER, answer_of(GRANGER, source))
    assert result.status == "correct", result.message
    p_values = np.concatenate([GRANGER.p_values(case) for case in GRANGER.cases()])
    n_between = np.count_nonzero((p_values < 0.05) & (p_values >= 0.05 / 3))
    if n_between:
        assert "Bonferroni" in result.message and not result.matches_tutorial


def test_a_self_test_of_any_value_is_accepted():
    # The selected neuron against itself is no test; statsmodels' value there is a convention.
    source = answers.STYLES["granger_causality"][1].source("granger_causality")
    source = edited(
        source,
        (
            "        p_vals.append(pval)\n",
            "        p_vals.append(pval if target_neuron != selected_neuron else 0.5)\n",
        ),
    )
    result = check(GRANGER, answer_of(GRANGER, source))
    assert result.status == "correct", result.message


def test_the_granger_recordings_are_the_tutorials_kind():
    X, selected = GRANGER.case("tutorial").args
    assert X.shape == (6, 5000) and selected == 1
    with nmacausal.isolated_random_state():
        A = nmacausal.create_connectivity(6, random_state=42)
        assert np.array_equal(X, nmacausal.simulate_neurons(A, 5000, random_state=42))
    assert granger_module._RECORDINGS["tutorial"] == (6, 5000, 42, 1)


# ------------------------------------------------------------------- instrument strength

# The notebook's Exercise 2.1 in the tutorial's scaffold (the prelude's), and versions of it.
NOTEBOOK_SIMULATION = answers._simulate_scaffold(dict(answers.SIMULATE_DEFAULTS))
NOTEBOOK_IMPORTS = "from nmacausal import create_connectivity, get_iv_estimate_network, sigmoid\n"
STRENGTH_SOLUTION = STRENGTH.solution


def notebook_simulation(*replacements):
    return edited(NOTEBOOK_SIMULATION, *replacements)


UNFINISHED_SIMULATION = notebook_simulation(
    ("        IV_on_this_timestep = eta * Z[:, t + 1]\n", RAISE.replace("    ", "        ", 1))
)
# A right simulation that draws in another order: Exercise 2.1 accepts it, its numbers differ.
OTHER_ORDER_SIMULATION = simulation_in("noise-first").source(SIMULATE.id)
WRONG_SIMULATIONS = {
    "unfinished": (UNFINISHED_SIMULATION, "still raises NotImplementedError"),
    "eta-left-out": (
        simulation_in("tutorial-scaffold").source(SIMULATE.id, "eta_left_out"),
        "its X is not the tutorial's",
    ),
    "seed-ignored": (
        notebook_simulation(
            ("np.random.seed(random_state)", "np.random.seed(42)"),
            ("create_connectivity(n_neurons, random_state)", "create_connectivity(n_neurons)"),
        ),
        "is not the tutorial's",
    ),
    "another-order": (OTHER_ORDER_SIMULATION, "another order"),
    "z-of-one-neuron": (
        notebook_simulation(("    return A, X, Z\n", "    return A, X, Z[0]\n")),
        "its Z is not the tutorial's",
    ),
    "raises": (
        notebook_simulation(("    return A, X, Z\n", "    raise ValueError('broken')\n")),
        "raised ValueError: broken, when called as `simulate_neurons_iv(8, 300, 2, 0)`",
    ),
    "missing": ("", "the notebook has no `simulate_neurons_iv`: run Exercise 2.1's cell"),
}


def strength_answer(source=STRENGTH_SOLUTION, simulation=NOTEBOOK_SIMULATION, imports=None):
    """The student's function, in a notebook whose Exercise 2.1 cell holds ``simulation``."""
    imports = NOTEBOOK_IMPORTS if imports is None else imports
    return run_cell(imports + simulation + "\n" + textwrap.dedent(source))[STRENGTH.answer_name]


def test_the_tutorials_mean_correlations_are_the_models():
    means = nmacausal.instrument_strength_effect().mean(axis=0)
    assert np.round(means, 2).tolist() == list(strength_module.TUTORIAL_MEANS)


def test_the_strength_sweeps_are_in_the_domain_and_their_correlations_defined():
    for case in STRENGTH.cases():
        etas, n_neurons, timesteps, n_trials = case.args
        assert n_neurons >= 2 and timesteps >= n_neurons + 2 and all(eta > 0 for eta in etas)
        # The seeds of every catalogued mistake draw networks with connections.
        for seed in [*range(n_trials + 1), 42]:
            with nmacausal.isolated_random_state():
                assert nmacausal.create_connectivity(n_neurons, seed).any()
    assert {len(case.args[0]) == case.args[3] for case in STRENGTH.cases()} == {True, False}
    etas = STRENGTH.case("tutorial").args[0]
    assert list(etas) == [2, 1, 0.5, 0.25, 0.12]
    for output in STRENGTH.outputs_of(STRENGTH.reference):
        assert np.all(np.isfinite(output))


def test_a_right_answer_in_a_right_notebook_runs_once_per_sweep():
    answer = strength_answer()
    calls = []

    def counted(*args):
        calls.append(args)
        return answer(*args)

    result = check(STRENGTH, counted)
    assert result.status == "correct" and result.matches_tutorial, result.message
    assert "falls from 0.72 at eta = 2 to 0.08 at eta = 0.12" in result.message
    assert len(calls) == len(STRENGTH.cases())


@pytest.mark.parametrize("style", answers.STYLES[STRENGTH.id], ids=lambda style: style.name)
@pytest.mark.parametrize(
    ("simulation", "words"), WRONG_SIMULATIONS.values(), ids=list(WRONG_SIMULATIONS)
)
def test_a_right_answer_is_not_failed_for_the_notebooks_simulation(style, simulation, words):
    result = check(STRENGTH, strength_answer(style.source(STRENGTH.id), simulation))
    assert result.status == "correct" and not result.matches_tutorial, result.message
    assert result.message.startswith("Your function is right: run with nmacausal's own")
    assert words in result.message and "Exercise 2.1" in result.message


def test_a_simulation_in_another_order_is_sent_to_its_own_checker():
    result = check(STRENGTH, strength_answer(simulation=OTHER_ORDER_SIMULATION))
    assert "check_simulate_neurons_iv(simulate_neurons_iv)" in result.message
    assert "called as `simulate_neurons_iv(8, 300, 2, 0)`, its X is not the tutorial's" in (
        result.message
    )
    # Exercise 2.1's checker does accept it: the difference is only the order of the draws.
    simulate = run_cell(NOTEBOOK_IMPORTS + OTHER_ORDER_SIMULATION)["simulate_neurons_iv"]
    assert check(SIMULATE, simulate).status == "correct"


def test_a_notebook_simulation_that_hangs_is_stopped_and_named():
    hangs = notebook_simulation(("    np.random.seed(random_state)\n", "    time.sleep(60)\n"))
    answer = strength_answer(simulation="import time\n" + hangs)
    start = time.perf_counter()
    result = check(STRENGTH, answer, timeout=0.5)
    assert time.perf_counter() - start < 3.0
    assert result.status == "correct" and not result.matches_tutorial, result.message
    assert "did not return within 0.5 s when called as `simulate_neurons_iv(8, 300, 2, 0)`" in (
        result.message
    )


def test_a_mistake_is_named_and_the_notebooks_simulation_pointed_to():
    source = answers.STYLES[STRENGTH.id][0].source(STRENGTH.id, "same_seed_every_trial")
    result = check(STRENGTH, strength_answer(source, UNFINISHED_SIMULATION))
    assert (result.status, result.mistake) == ("incorrect", "same_seed_every_trial")
    assert "seed 42" in result.message
    assert "(Checked with nmacausal's own `simulate_neurons_iv` in place of the notebook's" in (
        result.message
    )
    assert "still raises NotImplementedError: finish Exercise 2.1" in result.message


def test_a_notebook_without_get_iv_estimate_network_is_pointed_to_its_setup_cell():
    imports = "from nmacausal import create_connectivity, sigmoid\n"
    result = check(STRENGTH, strength_answer(imports=imports))
    assert result.status == "correct" and not result.matches_tutorial, result.message
    assert "the notebook has no `get_iv_estimate_network`: run the setup cell" in result.message
    assert "(your Exercise 2.1)" not in result.message  # the notebook's is right


# The tutorial's own helper (its stages as two LinearRegressions): the same least squares,
# and, unlike nmacausal's, it takes the activity as the instrument.
TUTORIAL_ESTIMATE = """\
from sklearn.linear_model import LinearRegression
from nmacausal import create_connectivity, logit, sigmoid

def get_iv_estimate_network(X, Z):
    Y = logit(X[:, 1:].transpose())
    stage1 = LinearRegression(fit_intercept=True).fit(Z[:, :-1].transpose(), X[:, :-1].T)
    X_hat = stage1.predict(Z[:, :-1].transpose())
    return LinearRegression(fit_intercept=True).fit(X_hat, Y).coef_
"""


def test_the_tutorials_own_estimate_is_the_same_least_squares():
    result = check(STRENGTH, strength_answer(imports=TUTORIAL_ESTIMATE))
    assert result.status == "correct" and result.matches_tutorial, result.message


@pytest.mark.parametrize("imports", [NOTEBOOK_IMPORTS, TUTORIAL_ESTIMATE], ids=["nmacausal", "own"])
def test_the_activity_as_instrument_is_named_whichever_estimate_the_notebook_has(imports):
    # nmacausal's refuses it (the function raises); the tutorial's helper computes OLS.
    source = edited(
        STRENGTH_SOLUTION, ("get_iv_estimate_network(X, Z)", "get_iv_estimate_network(X, X)")
    )
    result = check(STRENGTH, strength_answer(source, imports=imports))
    assert (result.status, result.mistake) == ("incorrect", "activity_as_instrument")


def test_a_wrong_sweep_shows_both_matrices():
    source = edited(STRENGTH_SOLUTION, ("[1, 0]", "[1, 0] ** 2"))
    result = check(STRENGTH, strength_answer(source))
    assert result.status == "incorrect" and result.mistake is None, result.message
    assert "it should return (one row per trial, one column per strength) [[" in result.message


def test_the_strength_of_a_notebook_variable_is_every_strength_the_same():
    source = edited(
        STRENGTH_SOLUTION,
        ("for j, eta in enumerate(etas):", "for j in range(len(etas)):"),
    )
    result = check(
        STRENGTH,
        run_cell(NOTEBOOK_IMPORTS + NOTEBOOK_SIMULATION + "eta = 2\n" + source)[
            STRENGTH.answer_name
        ],
    )
    assert result.mistake == "eta_not_passed"
    assert "(Every strength gives the correlations of eta = 2.)" in result.message


@pytest.mark.parametrize(
    "source",
    [
        # The scaffold as released, its raise line removed: `...` placeholders left.
        edited(
            STRENGTH_SOLUTION,
            ("simulate_neurons_iv(n_neurons, timesteps, eta, trial)", "simulate_neurons_iv(...)"),
            ("get_iv_estimate_network(X, Z)", "get_iv_estimate_network(...)"),
        ),
        edited(
            STRENGTH_SOLUTION,
            (
                "            # Another network",
                RAISE.replace("    ", "            ", 1) + "            # Another network",
            ),
        ),
    ],
    ids=["placeholders", "raises"],
)
@pytest.mark.parametrize(
    "simulation", [NOTEBOOK_SIMULATION, UNFINISHED_SIMULATION], ids=["2.1-done", "2.1-stub"]
)
def test_the_strength_scaffold_is_not_attempted(source, simulation):
    result = check(STRENGTH, strength_answer(source, simulation))
    assert result.status == "not_attempted", result.message
    if "..." in source:
        assert "`simulate_neurons_iv(...)`" in result.message


def test_an_error_in_the_students_own_code_is_quoted():
    source = edited(STRENGTH_SOLUTION, ("corr_data[trial, j] =", "corr_data[trial, j + 1] ="))
    result = check(STRENGTH, strength_answer(source))
    assert result.status == "incorrect" and "IndexError" in result.message, result.message
    assert "corr_data[trial, j + 1]" in result.message
    assert "Checked with nmacausal's own" not in result.message  # the notebook's is right


def test_a_hanging_answer_is_stopped_once():
    source = edited(
        STRENGTH_SOLUTION, ("    return corr_data\n", "    while True:\n        pass\n")
    )
    start = time.perf_counter()
    result = check(STRENGTH, strength_answer(source), timeout=0.5)
    # The notebook's run and the run with nmacausal's functions each meet the deadline once.
    assert time.perf_counter() - start < 3.0
    assert result.status == "incorrect" and "did not return within 0.5 s" in result.message


@pytest.mark.parametrize(
    "simulation", [NOTEBOOK_SIMULATION, UNFINISHED_SIMULATION], ids=["2.1-done", "2.1-stub"]
)
def test_checking_the_sweep_prints_nothing_and_keeps_the_random_state(simulation, capfd):
    # The sweep prints "Trial 1 of 2"; the notebook's simulation may print too.
    noisy = notebook_simulation(
        (
            "    np.random.seed(random_state)\n",
            "    print('simulating')\n    np.random.seed(random_state)\n",
        )
    )
    answer = strength_answer(simulation=noisy if simulation is NOTEBOOK_SIMULATION else simulation)
    np.random.seed(5)
    before = np.random.get_state()[1].copy()
    capfd.readouterr()
    result = check(STRENGTH, answer)
    assert capfd.readouterr() == ("", "")
    assert np.array_equal(np.random.get_state()[1], before)
    assert result.status == "correct", result.message


def test_a_copy_of_the_function_keeps_its_defaults_and_closure():
    source = """\
    def make():
        offset = 0
        def instrument_strength_effect(etas, n_neurons, timesteps, n_trials=2, *, seed_of=None):
            corr_data = np.zeros((n_trials, len(etas)))
            for trial in range(n_trials):
                for j, eta in enumerate(etas):
                    A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, trial + offset)
                    iv_V = get_iv_estimate_network(X, Z)
                    corr_data[trial, j] = np.corrcoef(A.flatten(), iv_V.flatten())[1, 0]
            return corr_data
        return instrument_strength_effect
    instrument_strength_effect = make()
    """
    result = check(STRENGTH, strength_answer(source, UNFINISHED_SIMULATION))
    assert result.status == "correct", result.message


# ------------------------------------------------------------------------------- timing


@pytest.mark.parametrize(
    "exercise_id",
    [
        "iv_first_stage",
        "iv_second_stage",
        "simulate_neurons_iv",
        "instrument_strength",
        "granger_causality",
    ],
)
def test_a_check_of_the_tutorials_scaffold_takes_under_two_seconds(exercise_id):
    exercise = get_exercise(exercise_id)
    answer = answer_of(exercise, answers.STYLES[exercise_id][0].source(exercise_id))
    check(exercise, answer)  # the cases and the reference's answers are built once
    start = time.perf_counter()
    result = check(exercise, answer)
    assert time.perf_counter() - start < 2.0
    assert result.status == "correct"
