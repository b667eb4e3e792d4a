"""Reading submissions without running them: reference calls and tampering."""

import pytest

from nmacausal.grading.screening import imported_names, reference_uses, tampering_signs


@pytest.mark.parametrize(
    "source",
    [
        "import nmacausal\nX = nmacausal.simulate_neurons(A, 10)",
        "import nmacausal as nc\ndef simulate_neurons(A, T):\n    return nc.simulate_neurons(A, T)",
        "from nmacausal import simulate_neurons as reference",
        "from nmacausal.model.simulation import simulate_neurons",
        "from nmacausal import *",
        "import nmacausal.model.simulation as sim\nsim.simulate_neurons(A, 5)",
    ],
)
def test_calls_to_the_reference_are_found(source):
    assert reference_uses(source, "simulate_neurons")


@pytest.mark.parametrize(
    "source",
    [
        "def simulate_neurons(A, timesteps, random_state=42):\n    return A",
        "from nmacausal import sigmoid, create_connectivity\nA = create_connectivity(6)",
        "simulate_neurons(A, 10)",  # the student's own function
        "import nmacausal\nnmacausal.simulate_neurons_perturb(A, 10)",
        "def broken(:\n",  # not Python: nothing to report
    ],
)
def test_own_code_is_not_a_reference_call(source):
    assert reference_uses(source, "simulate_neurons") == []


@pytest.mark.parametrize(
    ("source", "imported", "what"),
    [
        ("import nmacausal.checks as c\nc.check_simulate_neurons = None", set(), "assigns into c"),
        ("checks.check_diff_in_means = print", {"checks"}, "assigns into checks"),
        ("get_ipython().set_custom_exc((AssertionError,), print)", set(), ".set_custom_exc"),
        ("import sys\nsys.excepthook = print", set(), "imports sys"),
        ("AssertionError = ValueError", set(), "rebinds AssertionError"),
        ("CheckResult.assert_correct = lambda self: self", set(), "assert_correct"),
        ("vars(checks)['check_x'] = 1", {"checks"}, "uses vars"),
        ("setattr(checks, 'check_x', 1)", {"checks"}, "uses setattr"),
        ("exec('x = 1')", set(), "uses exec"),
        ("import importlib\nimportlib.reload(np)", set(), "imports importlib"),
        ("%config InlineBackend.figure_format = 'png'\nnp.random.seed = print", {"np"}, "np"),
        # reading the library's source, to copy the reference: flagged for review
        ("import inspect\nsource = inspect.getsource(nc.simulate_neurons)", set(), "inspect"),
        ("text = open(nmacausal.model.simulation.__file__).read()", set(), ".__file__"),
        ("code = nmacausal.simulate_neurons.__code__", set(), ".__code__"),
    ],
)
def test_tampering_is_noticed(source, imported, what):
    findings = tampering_signs(source, imported=frozenset(imported))
    assert any(what in str(finding) for finding in findings), findings


@pytest.mark.parametrize(
    "source",
    [
        "X = np.zeros((3, 4))\nX[:, 1] = 2\nX[0] += 1",
        "def f(A):\n    out = {}\n    out['a'] = A\n    return out",
        "import numpy as np\nvalues = np.arange(3)",
        "results = []\nresults.append(check_simulate_neurons(simulate_neurons))",
    ],
)
def test_ordinary_student_code_is_not_flagged(source):
    assert tampering_signs(source, imported=frozenset({"np"})) == []


def test_imported_names_include_aliases_and_packages():
    assert imported_names("import numpy as np\nimport os.path\nfrom a import b as c") == {
        "np",
        "os",
        "c",
    }
