"""Tutorial 1's student answers: every correct style, every catalogued mistake in each.

See :mod:`student_answers` for what a style and a mistake's choices are.
"""

from __future__ import annotations

import time

import numpy as np
from answer_styles import Style

import nmacausal

RCT, SIMULATE, EFFECT = "rct_diff_in_means", "simulate_neurons", "single_neuron_effect"

# What the notebook has defined when a student's answer cell runs.
NOTEBOOK_NAMES = {
    "np": np,
    "sigmoid": nmacausal.sigmoid,
    "neuron_B": nmacausal.neuron_B,
    "time": time,
    "n_neurons": 6,
    "timesteps": 5000,
    "selected_neuron": 1,
}
# The scaffold's lines before a student's own, where the answer cell has them.
PRELUDES = {RCT: "np.random.seed(12)\nA_0 = np.zeros(5000)\nA_1 = np.ones(5000)\n"}

# ---------------------------------------------------------------- exercise 1: a value

# The cell runs after the scaffold: np.random.seed(12), A_0 = zeros, A_1 = ones (5000 each).
RCT_DEFAULTS = {"statistic": "mean", "first": "1", "measured": "B", "subtract": True}


def _rct_named_arrays(c):
    stat = {"mean": "np.mean", "sum": "np.sum", "median": "np.median", "none": ""}[c["statistic"]]
    source = "B_on = neuron_B(A_1)\nB_off = neuron_B(A_0)\n"
    names = {"1": "B_on", "0": "B_off"} if c["measured"] == "B" else {"1": "A_1", "0": "A_0"}
    first, second = names[c["first"]], names["0" if c["first"] == "1" else "1"]
    if not c["subtract"]:
        return source + f"diff_in_means = {stat}({first})\n"
    return source + f"diff_in_means = {stat}({first}) - {stat}({second})\n"


def _rct_one_line(c):
    stat = {"mean": "np.mean", "sum": "np.sum", "median": "np.median", "none": ""}[c["statistic"]]
    what = {"1": "neuron_B(A_1)", "0": "neuron_B(A_0)"}
    if c["measured"] == "A":
        what = {"1": "A_1", "0": "A_0"}
    first, second = what[c["first"]], what["0" if c["first"] == "1" else "1"]
    if not c["subtract"]:
        return f"diff_in_means = {stat}({first})\n"
    return f"diff_in_means = {stat}({first}) - {stat}({second})\n"


def _rct_methods(c):
    method = {"mean": ".mean()", "sum": ".sum()", "none": ""}
    source = "on = neuron_B(A_1)\noff = neuron_B(A_0)\n"
    names = {"1": "on", "0": "off"} if c["measured"] == "B" else {"1": "A_1", "0": "A_0"}
    first, second = names[c["first"]], names["0" if c["first"] == "1" else "1"]
    if c["statistic"] == "median":
        first, second = f"np.median({first})", f"np.median({second})"
    else:
        first, second = first + method[c["statistic"]], second + method[c["statistic"]]
    if not c["subtract"]:
        return source + f"diff_in_means = {first}\n"
    return source + f"diff_in_means = {first} - {second}\n"


def _rct_one_draw(c):
    # One call of neuron_B on both conditions draws the same noise as two calls, A = 1 first.
    stat = {"mean": "np.mean", "sum": "np.sum", "median": "np.median", "none": ""}[c["statistic"]]
    source = "B = neuron_B(np.concatenate([A_1, A_0]))\n"
    parts = {"1": "B[:5000]", "0": "B[5000:]"}
    if c["measured"] == "A":
        parts = {"1": "A_1", "0": "A_0"}
    first, second = parts[c["first"]], parts["0" if c["first"] == "1" else "1"]
    if not c["subtract"]:
        return source + f"diff_in_means = {stat}({first})\n"
    return source + f"diff_in_means = {stat}({first}) - {stat}({second})\n"


RCT_STYLES = (
    Style("named-arrays", _rct_named_arrays),
    Style("one-line", _rct_one_line),
    Style("methods", _rct_methods),
    Style("one-draw", _rct_one_draw),
)

# ------------------------------------------------------- exercise 2: simulate_neurons

SIMULATE_DEFAULTS = {
    "calls_reference": False,
    "seed": "argument",  # "none", "fixed", "in_loop"
    "size": "from_input",  # "global", "hard_coded"
    "init": "zeros",
    "loop": "timesteps - 1",
    "target": "t + 1",
    "drive": "A",  # "transposed"
    # Or "drive + noise", "sigmoid(drive) + noise", "sigmoid(drive)".
    "update": "sigmoid(drive + noise)",
    "noise": "standard",  # "shared", "uncentred", "scaled", "drawn_once"
    "result": "X",  # "X.T", "X.tolist()"
}

# How each style spells the network's input, and its transposed mistake.
_DRIVES = {
    "dot": {"A": "A.dot(X[:, t])", "transposed": "A.T.dot(X[:, t])"},
    "matmul": {"A": "A @ X[:, t]", "transposed": "X[:, t] @ A"},
    "np.dot": {"A": "np.dot(A, X[:, t])", "transposed": "np.dot(X[:, t], A)"},
}
# How each style draws one step's noise, and the noise mistakes in its own words.
_STEP_NOISE = {
    "multivariate_normal": {
        "standard": "np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))",
        "shared": "np.random.multivariate_normal([0], [[1]])",
        "uncentred": "np.random.multivariate_normal(np.ones(n_neurons), np.eye(n_neurons))",
        "scaled": "np.random.multivariate_normal(np.zeros(n_neurons), 4 * np.eye(n_neurons))",
    },
    "randn": {
        "standard": "np.random.randn(n_neurons)",
        "shared": "np.random.randn()",
        "uncentred": "np.random.rand(n_neurons)",
        "scaled": "0.1 * np.random.randn(n_neurons)",
    },
    "standard_normal": {
        "standard": "np.random.standard_normal(n_neurons)",
        "shared": "np.random.standard_normal()",
        "uncentred": "np.random.standard_normal(n_neurons) + 1",
        "scaled": "np.random.standard_normal(n_neurons) * 3",
    },
}


def _simulation_frame(c, drive, noise_before_loop, epsilon):
    """The simulation with the choices ``c``; the noise lines come from the style."""
    if c["calls_reference"]:
        return (
            "import nmacausal as nm\n\n"
            "def simulate_neurons(A, timesteps, random_state=42):\n"
            "    return nm.simulate_neurons(A, timesteps, random_state)\n"
        )
    seed = {
        "argument": "np.random.seed(random_state)",
        "none": "",
        "fixed": "np.random.seed(42)",
        "in_loop": "np.random.seed(random_state)",
    }[c["seed"]]
    size = {"from_input": "n_neurons = len(A)", "global": "", "hard_coded": "n_neurons = 6"}
    update = c["update"].replace("drive", drive).replace("noise", "epsilon")
    reseed = "np.random.seed(random_state)" if c["seed"] == "in_loop" else ""
    lines = [
        "def simulate_neurons(A, timesteps, random_state=42):",
        f"    {seed}",
        f"    {size[c['size']]}",
        f"    X = np.{c['init']}((n_neurons, timesteps))",
        *[f"    {line}" for line in noise_before_loop],
        f"    for t in range({c['loop']}):",
        f"        {reseed}",
        f"        {epsilon}",
        f"        X[:, {c['target']}] = {update}",
        f"    return {c['result']}",
    ]
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _per_step_noise(drive_style, generator):
    def render(c):
        drive = _DRIVES[drive_style][c["drive"]]
        noise = _STEP_NOISE[generator]
        if c["noise"] == "drawn_once":  # drawn once, before the loop: the same every step
            return _simulation_frame(c, drive, [f"epsilon = {noise['standard']}"], "")
        return _simulation_frame(c, drive, [], f"epsilon = {noise[c['noise']]}")

    return render


def _noise_drawn_up_front(c):
    # All the noise in one draw before the loop: right, but another order than the tutorial's.
    drive = _DRIVES["matmul"][c["drive"]]
    draw = {
        "standard": ("np.random.standard_normal((n_neurons, timesteps))", "noise[:, t]"),
        "shared": ("np.random.standard_normal(timesteps)", "noise[t]"),
        "uncentred": ("np.random.rand(n_neurons, timesteps)", "noise[:, t]"),
        "scaled": ("2 * np.random.standard_normal((n_neurons, timesteps))", "noise[:, t]"),
        "drawn_once": ("np.random.standard_normal((n_neurons, timesteps))", "noise[:, 0]"),
    }[c["noise"]]
    return _simulation_frame(c, drive, [f"noise = {draw[0]}"], f"epsilon = {draw[1]}")


SIMULATE_STYLES = tuple(
    Style(f"{drive}-{generator}", _per_step_noise(drive, generator))
    for drive in _DRIVES
    for generator in _STEP_NOISE
) + (
    Style(
        "noise-up-front",
        _noise_drawn_up_front,
        matches_tutorial=False,
        cannot_make={
            "reseeded_in_loop": "reseeding inside the loop changes nothing once all the noise "
            "was drawn before it; drawing it once (`noise[:, 0]`) is the same mistake here"
        },
    ),
)

# --------------------------------------------- exercise 3.2: the effects of one neuron

EFFECT_DEFAULTS = {
    "calls_reference": False,
    "cause_row": "selected_neuron",  # "1": a fixed neuron
    "cause_offset": 0,  # 1: the perturbations read on the odd steps
    "outcome_offset": 1,  # 0: the outcomes read on the perturbation steps themselves
    "first": 1,  # 0: the mean after 0 minus the mean after 1
    "statistic": "mean",  # "sum", "median"
    "outcome_row": "each",  # "selected": the selected neuron's outcome for every entry
    "direction": "from_selected",  # "onto_selected"
    "size": "from_input",  # "global", "hard_coded"
    "neurons_looped": "n_neurons",  # "6": the tutorial's size written into the loop
    "result": "array",  # "list"
}

_REFERENCE_CALL = (
    "from nmacausal import get_perturbed_connectivity_from_single_neuron as reference\n\n"
    "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):\n"
    "    return reference(perturbed_X, selected_neuron)\n"
)
_EFFECT_DEF = "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):\n"
_SIZE_LINES = {
    "from_input": "    n_neurons = perturbed_X.shape[0]\n",
    "global": "",
    "hard_coded": "    n_neurons = 6\n",
}


def _returned(c, name):
    return f"    return {name}.tolist()\n" if c["result"] == "list" else f"    return {name}\n"


def _slices(c):
    """The perturbation and outcome slices the choices take."""
    return f"{c['cause_offset']}::2", f"{c['outcome_offset']}::2"


def _statistic_call(statistic, values, axis=""):
    return f"np.{statistic}({values}{axis})"


def _tutorial_scaffold(c):
    # The tutorial's scaffold: slices, a loop over neurons, np.argwhere, np.mean.
    if c["calls_reference"]:
        return _REFERENCE_CALL
    causes, outcomes = _slices(c)
    row = "neuron_idx" if c["outcome_row"] == "each" else "selected_neuron"
    cause_row = c["cause_row"]
    if c["direction"] == "onto_selected":
        row, cause_row = "selected_neuron", "neuron_idx"
    high, low = ("one_idx", "zero_idx") if c["first"] == 1 else ("zero_idx", "one_idx")
    stat = c["statistic"]
    return (
        _EFFECT_DEF + _SIZE_LINES[c["size"]] + f"    next_steps = perturbed_X[:, {outcomes}]\n"
        "    estimate = np.zeros(n_neurons)\n"
        f"    for neuron_idx in range({c['neurons_looped']}):\n"
        f"        clamped_values = perturbed_X[{cause_row}, {causes}]\n"
        f"        own_next = next_steps[{row}, :]\n"
        "        one_idx = np.argwhere(clamped_values == 1)\n"
        "        zero_idx = np.argwhere(clamped_values == 0)\n"
        f"        estimate[neuron_idx] = np.{stat}(own_next[{high}]) - np.{stat}(own_next[{low}])\n"
        + _returned(c, "estimate")
    )


def _boolean_masks(c):
    # The package's solution: explicit perturbation steps, boolean masks, a loop over neurons.
    if c["calls_reference"]:
        return _REFERENCE_CALL
    row = "neuron" if c["outcome_row"] == "each" else "selected_neuron"
    clamped = f"perturbed_X[{c['cause_row']}, steps + {c['cause_offset']}]"
    if c["direction"] == "onto_selected":
        row, clamped = "selected_neuron", f"perturbed_X[neuron, steps + {c['cause_offset']}]"
    high, low = ("after_1", "after_0") if c["first"] == 1 else ("after_0", "after_1")
    stat = c["statistic"]
    return (
        _EFFECT_DEF
        + _SIZE_LINES[c["size"]]
        + "    steps = np.arange(0, perturbed_X.shape[1] - 1, 2)\n"
        f"    outcomes = perturbed_X[:, steps + {c['outcome_offset']}]\n"
        "    effects = np.zeros(n_neurons)\n"
        f"    for neuron in range({c['neurons_looped']}):\n"
        f"        clamped = {clamped}\n"
        f"        after_1 = outcomes[{row}, clamped == 1]\n"
        f"        after_0 = outcomes[{row}, clamped == 0]\n"
        f"        effects[neuron] = np.{stat}({high}) - np.{stat}({low})\n"
        + _returned(c, "effects")
    )


def _vectorised(c):
    # No loop: boolean masks over the perturbation steps, statistics along axis 1.
    if c["calls_reference"]:
        return _REFERENCE_CALL
    causes, outcomes = _slices(c)
    stat = c["statistic"]
    ones, zeros = ("ones", "zeros") if c["first"] == 1 else ("zeros", "ones")
    head = (
        _EFFECT_DEF + f"    clamped = perturbed_X[{c['cause_row']}, {causes}]\n"
        f"    outcomes = perturbed_X[:, {outcomes}]\n"
    )
    if c["direction"] == "onto_selected":
        body = (
            f"    causes = perturbed_X[:, {causes}]\n"
            "    target = outcomes[selected_neuron]\n"
            f"    effects = np.array([np.{stat}(target[row == 1]) - np.{stat}(target[row == 0]) "
            "for row in causes])\n"
        )
    elif c["outcome_row"] == "selected":
        body = (
            "    own = outcomes[selected_neuron]\n"
            f"    effect = np.{stat}(own[clamped == 1]) - np.{stat}(own[clamped == 0])\n"
            "    effects = np.full(len(perturbed_X), effect)\n"
        )
    else:
        body = (
            "    ones = outcomes[:, clamped == 1]\n"
            "    zeros = outcomes[:, clamped == 0]\n"
            f"    effects = np.{stat}({ones}, axis=1) - np.{stat}({zeros}, axis=1)\n"
        )
    return head + body + _returned(c, "effects")


def _loop_over_time(c):
    # A loop over the perturbation steps, sorting each outcome by the selected neuron's state.
    if c["calls_reference"]:
        return _REFERENCE_CALL
    stat = c["statistic"]
    high, low = ("ones", "zeros") if c["first"] == 1 else ("zeros", "ones")
    cause = f"t + {c['cause_offset']}"
    outcome = f"t + {c['outcome_offset']}"
    if c["direction"] == "onto_selected":
        return (
            _EFFECT_DEF + "    n_neurons, timesteps = perturbed_X.shape\n"
            "    effects = np.zeros(n_neurons)\n"
            "    for neuron in range(n_neurons):\n"
            "        ones, zeros = [], []\n"
            "        for t in range(0, timesteps, 2):\n"
            f"            outcome = perturbed_X[selected_neuron, {outcome}]\n"
            f"            if perturbed_X[neuron, {cause}] == 1:\n"
            "                ones.append(outcome)\n"
            f"            elif perturbed_X[neuron, {cause}] == 0:\n"
            "                zeros.append(outcome)\n"
            f"        effects[neuron] = np.{stat}({high}) - np.{stat}({low})\n"
            + _returned(c, "effects")
        )
    outcome_rows = ":" if c["outcome_row"] == "each" else "[selected_neuron] * len(perturbed_X)"
    return (
        _EFFECT_DEF + "    ones, zeros = [], []\n"
        "    for t in range(0, perturbed_X.shape[1], 2):\n"
        f"        outcome = perturbed_X[{outcome_rows}, {outcome}]\n"
        f"        if perturbed_X[{c['cause_row']}, {cause}] == 1:\n"
        "            ones.append(outcome)\n"
        f"        elif perturbed_X[{c['cause_row']}, {cause}] == 0:\n"
        "            zeros.append(outcome)\n"
        f"    effects = np.{stat}({high}, axis=0) - np.{stat}({low}, axis=0)\n"
        + _returned(c, "effects")
    )


_NO_SIZE = "the style never writes down the number of neurons, so there is no size to get wrong"
EFFECT_STYLES = (
    Style("tutorial-scaffold", _tutorial_scaffold),
    Style("boolean-masks", _boolean_masks),
    Style(
        "vectorised",
        _vectorised,
        cannot_make={"global_size": _NO_SIZE, "hard_coded_size": _NO_SIZE},
    ),
    Style(
        "loop-over-time",
        _loop_over_time,
        cannot_make={"global_size": _NO_SIZE, "hard_coded_size": _NO_SIZE},
    ),
)

# ---------------------------------------------------------------- the tables

STYLES = {RCT: RCT_STYLES, SIMULATE: SIMULATE_STYLES, EFFECT: EFFECT_STYLES}
DEFAULTS = {RCT: RCT_DEFAULTS, SIMULATE: SIMULATE_DEFAULTS, EFFECT: EFFECT_DEFAULTS}

# (exercise, mistake id) -> the choices that make it, one dict per way of making it.
MISTAKES = {
    (RCT, "array_instead_of_mean"): [{"statistic": "none"}],
    (RCT, "compared_a_instead_of_b"): [{"measured": "A"}],
    (RCT, "sign_reversed"): [{"first": "0"}],
    (RCT, "only_one_mean"): [{"subtract": False}, {"subtract": False, "first": "0"}],
    (RCT, "sum_instead_of_mean"): [{"statistic": "sum"}],
    (RCT, "median_instead_of_mean"): [{"statistic": "median"}],
    (SIMULATE, "calls_reference"): [{"calls_reference": True}],
    (SIMULATE, "global_size"): [{"size": "global"}],
    (SIMULATE, "hard_coded_size"): [{"size": "hard_coded"}],
    (SIMULATE, "returned_list"): [{"result": "X.tolist()"}],
    (SIMULATE, "transposed_result"): [{"result": "X.T"}],
    (SIMULATE, "loop_past_end"): [{"loop": "timesteps"}],
    (SIMULATE, "wrote_current_step"): [{"target": "t"}],
    (SIMULATE, "initial_state_not_zero"): [{"init": "ones"}],
    (SIMULATE, "noise_outside_sigmoid"): [{"update": "sigmoid(drive) + noise"}],
    (SIMULATE, "no_sigmoid"): [{"update": "drive + noise"}],
    (SIMULATE, "transposed_connectivity"): [{"drive": "transposed"}],
    (SIMULATE, "no_noise"): [{"update": "sigmoid(drive)"}],
    (SIMULATE, "reseeded_in_loop"): [{"seed": "in_loop"}, {"noise": "drawn_once"}],
    (SIMULATE, "noise_shared_across_neurons"): [{"noise": "shared"}],
    (SIMULATE, "noise_not_centred"): [{"noise": "uncentred"}],
    (SIMULATE, "noise_wrong_scale"): [{"noise": "scaled"}],
    (SIMULATE, "ignores_random_state"): [{"seed": "none"}],
    (SIMULATE, "fixed_seed"): [{"seed": "fixed"}],
    (EFFECT, "calls_reference"): [{"calls_reference": True}],
    (EFFECT, "global_size"): [{"size": "global"}],
    (EFFECT, "hard_coded_size"): [{"size": "hard_coded"}, {"neurons_looped": "6"}],
    (EFFECT, "returned_list"): [{"result": "list"}],
    (EFFECT, "empty_selection"): [{"cause_offset": 1}],
    (EFFECT, "swapped_ones_zeros"): [{"first": 0}],
    (EFFECT, "outcome_at_perturbation_step"): [{"outcome_offset": 0}],
    (EFFECT, "effects_onto_selected"): [{"direction": "onto_selected"}],
    (EFFECT, "sum_instead_of_mean"): [{"statistic": "sum"}],
    (EFFECT, "median_instead_of_mean"): [{"statistic": "median"}],
    (EFFECT, "outcome_of_selected_only"): [{"outcome_row": "selected"}],
    (EFFECT, "ignores_selected_neuron"): [{"cause_row": "1"}],
}


# The style the tutorial's own solutions are written in (sizes taken from the inputs).
TUTORIAL_STYLE_NAMES = {
    RCT: "one-line",
    SIMULATE: "dot-multivariate_normal",
    EFFECT: "tutorial-scaffold",
}
