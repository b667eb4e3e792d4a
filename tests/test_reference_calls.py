"""A function that hands its exercise to nmacausal's own implementation scores nothing,
however it reaches it: the checker watches what the function calls while it is checked.

Each way below is written as a student might, in a fresh namespace (as a notebook
cell would define it); the functions the tutorial gives students (``sigmoid``) and
the tutorial's own solution stay correct.
"""

import inspect
import textwrap

import pytest
import tutorial_transcript
from student_answers import tutorial_style
from test_checks import answer_of

from nmacausal import checks
from nmacausal.checking.student_code import ReferenceWatch, call_student
from nmacausal.grading.remote_notebook import RemoteNotebook
from nmacausal.tutorials import get_exercise

SIMULATE_SIGNATURE = "def simulate_neurons(A, timesteps, random_state=42):"
EFFECT_SIGNATURE = (
    "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):"
)

# Ways of reaching nmacausal.simulate_neurons from a student's simulate_neurons.
SIMULATE_HANDED_OVER = {
    "obfuscated_getattr": f"""
        {SIMULATE_SIGNATURE}
            module = __import__('nmac' + 'ausal')
            return getattr(module, 'simulate_' + 'neurons')(A, timesteps, random_state)
    """,
    "importlib": f"""
        import importlib
        {SIMULATE_SIGNATURE}
            simulation = importlib.import_module('nmacausal.model.simulation')
            return simulation.simulate_neurons(A, timesteps, random_state)
    """,
    "alias_from_import": f"""
        from nmacausal import simulate_neurons as run_the_network
        {SIMULATE_SIGNATURE}
            return run_the_network(A, timesteps, random_state)
    """,
    "closure": f"""
        def make_simulator():
            import nmacausal
            reference = nmacausal.simulate_neurons
            {SIMULATE_SIGNATURE}
                return reference(A, timesteps, random_state)
            return simulate_neurons
        simulate_neurons = make_simulator()
    """,
    "copied_function_object": f"""
        import types, nmacausal
        _copy = types.FunctionType(
            nmacausal.simulate_neurons.__code__, nmacausal.simulate_neurons.__globals__
        )
        {SIMULATE_SIGNATURE}
            return _copy(A, timesteps, random_state)
    """,
    "functools_partial": f"""
        import functools, nmacausal
        _simulate = functools.partial(nmacausal.simulate_neurons)
        {SIMULATE_SIGNATURE}
            return _simulate(A, timesteps, random_state)
    """,
    "private_helper": f"""
        import numpy as np
        from nmacausal.model import simulation
        {SIMULATE_SIGNATURE}
            np.random.seed(random_state)
            return simulation._run_dynamics(np.asarray(A, float), timesteps, None)
    """,
    "in_a_thread": f"""
        import threading, nmacausal
        {SIMULATE_SIGNATURE}
            result = {{}}
            def work():
                result['X'] = nmacausal.simulate_neurons(A, timesteps, random_state)
            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
            return result['X']
    """,
    "profile_switched_off": f"""
        import sys, nmacausal
        {SIMULATE_SIGNATURE}
            sys.setprofile(None)
            return nmacausal.simulate_neurons(A, timesteps, random_state)
    """,
    "setprofile_replaced_first": f"""
        import sys, nmacausal
        sys.setprofile = lambda hook: None
        {SIMULATE_SIGNATURE}
            return nmacausal.simulate_neurons(A, timesteps, random_state)
    """,
}


def define(source, name):
    """The function ``name`` defined by a notebook cell's ``source``."""
    namespace = {}
    code = textwrap.dedent(source)
    # the closure case nests the signature: indent it under its enclosing def
    code = code.replace(f"    {SIMULATE_SIGNATURE}\n    ", f"    {SIMULATE_SIGNATURE}\n        ")
    exec(compile(code, "<cell>", "exec"), namespace)
    return namespace[name]


@pytest.fixture(autouse=True)
def restore_setprofile():
    import sys

    original = sys.setprofile
    yield
    sys.setprofile = original
    sys.setprofile(None)


@pytest.mark.parametrize("way", SIMULATE_HANDED_OVER)
def test_each_way_of_calling_the_reference_scores_nothing(way):
    result = checks.check_simulate_neurons(define(SIMULATE_HANDED_OVER[way], "simulate_neurons"))
    assert result.status == "incorrect"
    assert result.mistake == "calls_reference"
    assert "simulate_neurons" in result.message or "sys.setprofile" in result.message


def test_the_message_names_the_public_function_reached():
    result = checks.check_simulate_neurons(
        define(SIMULATE_HANDED_OVER["obfuscated_getattr"], "simulate_neurons")
    )
    assert "it called nmacausal's `simulate_neurons`" in result.message
    assert "_run_dynamics" not in result.message  # the public name says enough


def test_pairing_helper_of_the_single_neuron_reference_counts_as_the_reference():
    source = f"""
        import nmacausal
        {EFFECT_SIGNATURE}
            perturbations, outcomes = nmacausal.perturbation_outcome_pairs(perturbed_X)
            on = perturbations[selected_neuron] == 1
            return outcomes[:, on].mean(axis=1) - outcomes[:, ~on].mean(axis=1)
    """
    func = define(source, "get_perturbed_connectivity_from_single_neuron")
    result = checks.check_perturbed_connectivity_from_single_neuron(func)
    assert (result.status, result.mistake) == ("incorrect", "calls_reference")
    assert "perturbation_outcome_pairs" in result.message


@pytest.mark.parametrize("exercise", ["simulate_neurons", "single_neuron_effect"])
def test_the_tutorials_own_solution_reaches_nothing(exercise):
    func = answer_of(get_exercise(exercise), tutorial_style(exercise).source(exercise))
    check = {
        "simulate_neurons": checks.check_simulate_neurons,
        "single_neuron_effect": checks.check_perturbed_connectivity_from_single_neuron,
    }[exercise]
    assert check(func).status == "correct"


def test_functions_the_tutorial_gives_students_are_allowed():
    # The tutorial's loop, with nmacausal's sigmoid (which the notebook imports for students).
    source = "import numpy as np\nfrom nmacausal import sigmoid\n" + inspect.getsource(
        tutorial_transcript.simulate_neurons
    )
    assert checks.check_simulate_neurons(define(source, "simulate_neurons")).status == "correct"


def test_the_checker_calling_the_reference_itself_is_not_counted():
    # The checker computes the expected outputs with the reference: outside the watch.
    import nmacausal

    watch_before = ReferenceWatch.active()
    call = call_student(lambda: 1, (), timeout=5, watch=(nmacausal.simulate_neurons,))
    assert call.reached == frozenset()
    assert ReferenceWatch.active() is watch_before
    nmacausal.simulate_neurons(nmacausal.create_connectivity(2), 3)  # no watch: nothing recorded


def test_a_call_that_raises_after_reaching_the_reference_is_still_recorded():
    import nmacausal

    def student(A):
        nmacausal.simulate_neurons(A, 3)
        raise ValueError("and then it failed")

    call = call_student(
        student, (nmacausal.create_connectivity(2),), timeout=5, watch=(nmacausal.simulate_neurons,)
    )
    assert isinstance(call.error, ValueError)
    assert call.reached == {"nmacausal.model.simulation.simulate_neurons"}


@pytest.mark.parametrize("way", ["obfuscated_getattr", "setprofile_replaced_first"])
def test_the_re_check_in_another_process_sees_the_same_calls(way):
    cell = textwrap.dedent(SIMULATE_HANDED_OVER[way])
    with RemoteNotebook([cell], timeout=60) as notebook:
        result = checks.check_simulate_neurons(notebook.function("simulate_neurons"))
    assert (result.status, result.mistake) == ("incorrect", "calls_reference")


def test_the_re_check_is_not_fooled_by_a_replaced_module_attribute():
    # The far side recognises the reference by where its code was written, not by the
    # name nmacausal.simulate_neurons, which the notebook may have pointed elsewhere.
    cell = textwrap.dedent(f"""
        import nmacausal, nmacausal.model.simulation
        _real = nmacausal.model.simulation.simulate_neurons
        nmacausal.model.simulation.simulate_neurons = lambda *args: None
        nmacausal.simulate_neurons = lambda *args: None
        {SIMULATE_SIGNATURE}
            return _real(A, timesteps, random_state)
    """)
    with RemoteNotebook([cell], timeout=60) as notebook:
        result = checks.check_simulate_neurons(notebook.function("simulate_neurons"))
    assert (result.status, result.mistake) == ("incorrect", "calls_reference")
