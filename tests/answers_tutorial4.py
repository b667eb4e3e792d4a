"""Tutorial 4's student answers: every correct style, every catalogued mistake in each.

See :mod:`student_answers` for what a style and a mistake's choices are. The two
stages of two-stage least squares are written with the tutorial's scaffold
(``LinearRegression``), chained into one line, with ``np.linalg.lstsq`` on a
design matrix, with the covariance formula, or with ``np.polyfit`` (a flat
result). The simulation is written in the notebook's scaffold (``A.dot``,
``standard_normal``), with the original's ``multivariate_normal`` noise, with
``@`` and ``randn`` (all three the same stream), and with the noise drawn all at
once or from a ``default_rng`` (another order, judged statistically). The bonus
sweep over the instrument's strength is written in the tutorial's loops, as a
nested list comprehension over a helper, and with the correlation by hand; it
calls the notebook's ``simulate_neurons_iv`` (the scaffold's Exercise 2.1, in
its prelude) and nmacausal's ``get_iv_estimate_network``.
"""

from __future__ import annotations

import numpy as np
from answer_styles import Style

FIRST = "iv_first_stage"
SECOND = "iv_second_stage"
SIMULATE = "simulate_neurons_iv"

# What the notebook has defined when a student's answer cell runs.
NOTEBOOK_NAMES = {"np": np}
# The notebook's setup cell imports these; its Section 1.1 cell draws the smoking data
# (the tutorial's `Z, T, C, Y`, columns of 2000 mothers after np.random.seed(42)).
_SMOKING = (
    "from sklearn.linear_model import LinearRegression\n"
    "from nmacausal import generate_smoking_data\n"
    "\n"
    "Z, T, C, Y = generate_smoking_data()\n"
    "\n"
)
PRELUDES = {
    FIRST: _SMOKING,
    SECOND: _SMOKING,
    SIMULATE: "from nmacausal import create_connectivity, sigmoid\n\n",
}

# ------------------------------------------------------------------ exercise 1.3.1

FIRST_DEFAULTS = {
    "calls_reference": None,  # "top", "module": nmacausal's fit_first_stage does the work
    "intercept": True,
    "order": "right",  # "swapped": stage1.fit(T, Z)
    "predict_on": "Z",  # "T"
    "result": "T_hat",  # "model", "coefficients", "residuals"
}
_FIRST_DEF = "def fit_first_stage(T, Z):\n"
_FIRST_REFERENCE = {
    "top": "import nmacausal\n\n" + _FIRST_DEF + "    return nmacausal.fit_first_stage(T, Z)\n",
    "module": (
        "from nmacausal.model.instrumental import fit_first_stage as first\n\n"
        + _FIRST_DEF
        + "    T_hat = first(T, Z)\n    return T_hat\n"
    ),
}


def _first_style(render):
    def style(c):
        if c["calls_reference"]:
            return _FIRST_REFERENCE[c["calls_reference"]]
        return render(c)

    return style


def _first_roles(c):
    """(input, target) of the fit, and where it is evaluated."""
    fitted = ("Z", "T") if c["order"] == "right" else ("T", "Z")
    return (*fitted, c["predict_on"])


@_first_style
def _first_scaffold(c):
    x, y, at = _first_roles(c)
    returned = {
        "T_hat": "T_hat",
        "model": "stage1",
        "coefficients": "stage1.coef_",
        "residuals": "T - T_hat",
    }[c["result"]]
    return (
        _FIRST_DEF + f"    stage1 = LinearRegression(fit_intercept={c['intercept']})\n"
        f"    stage1.fit({x}, {y})\n"
        f"    T_hat = stage1.predict({at})\n"
        f"    return {returned}\n"
    )


@_first_style
def _first_chained(c):
    x, y, at = _first_roles(c)
    model = "LinearRegression()" if c["intercept"] else "LinearRegression(fit_intercept=False)"
    fitted = f"{model}.fit({x}, {y})"
    returned = {
        "T_hat": f"{fitted}.predict({at})",
        "model": fitted,
        "coefficients": f"{fitted}.coef_",
        "residuals": f"T - {fitted}.predict({at})",
    }[c["result"]]
    return _FIRST_DEF + f"    return {returned}\n"


def _design(name, intercept):
    return f"np.hstack([np.ones((len({name}), 1)), {name}])" if intercept else name


@_first_style
def _first_lstsq(c):
    x, y, at = _first_roles(c)
    returned = {"T_hat": "T_hat", "coefficients": "coefficients", "residuals": "T - T_hat"}
    return (
        _FIRST_DEF + f"    design = {_design(x, c['intercept'])}\n"
        f"    coefficients = np.linalg.lstsq(design, {y}, rcond=None)[0]\n"
        f"    T_hat = {_design(at, c['intercept'])}.dot(coefficients)\n"
        f"    return {returned[c['result']]}\n"
    )


@_first_style
def _first_covariance(c):
    # One-dimensional columns, the covariance formula, the result back as a column.
    x, y, at = (name.lower() for name in _first_roles(c))
    if c["intercept"]:
        fit = (
            f"    slope = np.cov({x}, {y})[0, 1] / np.var({x}, ddof=1)\n"
            f"    intercept = {y}.mean() - slope * {x}.mean()\n"
        )
    else:
        fit = f"    slope = np.sum({x} * {y}) / np.sum({x} ** 2)\n    intercept = 0.0\n"
    returned = {
        "T_hat": "T_hat[:, None]",
        "coefficients": "slope",
        "residuals": "T - T_hat[:, None]",
    }
    return (
        _FIRST_DEF
        + "    z, t = Z[:, 0], T[:, 0]\n"
        + fit
        + f"    T_hat = intercept + slope * {at}\n"
        f"    return {returned[c['result']]}\n"
    )


@_first_style
def _first_polyfit(c):
    # np.polyfit on flattened columns: a flat T_hat, shape (n,).
    x, y, at = (f"{name}.ravel()" for name in _first_roles(c))
    if c["intercept"]:
        fit = f"    slope, intercept = np.polyfit({x}, {y}, 1)\n"
    else:
        fit = f"    slope, intercept = np.sum({x} * {y}) / np.sum({x} * {x}), 0.0\n"
    returned = {
        "T_hat": "T_hat",
        "coefficients": "np.array([slope, intercept])",
        "residuals": "T.ravel() - T_hat",
    }
    return (
        _FIRST_DEF + fit + f"    T_hat = intercept + slope * {at}\n"
        f"    return {returned[c['result']]}\n"
    )


# ------------------------------------------------------------------ exercise 1.3.2

SECOND_DEFAULTS = {
    "calls_reference": None,  # "top", "module"
    "intercept": True,
    "order": "right",  # "swapped": stage2.fit(Y, T_hat)
    "on": "T_hat",  # "T": the notebook's treatment
    "result": "coef",  # "model", "intercept", "predictions"
}
_SECOND_DEF = "def fit_second_stage(T_hat, Y):\n"
_SECOND_REFERENCE = {
    "top": (
        "import nmacausal\n\n" + _SECOND_DEF + "    return nmacausal.fit_second_stage(T_hat, Y)\n"
    ),
    "module": (
        "from nmacausal.model import instrumental\n\n"
        + _SECOND_DEF
        + "    beta = instrumental.fit_second_stage(T_hat, Y)\n    return beta\n"
    ),
}


def _second_style(render):
    def style(c):
        if c["calls_reference"]:
            return _SECOND_REFERENCE[c["calls_reference"]]
        return render(c)

    return style


def _second_roles(c):
    return (c["on"], "Y") if c["order"] == "right" else ("Y", c["on"])


@_second_style
def _second_scaffold(c):
    x, y = _second_roles(c)
    returned = {
        "coef": "stage2.coef_",
        "model": "stage2",
        "intercept": "stage2.intercept_",
        "predictions": f"stage2.predict({x})",
    }[c["result"]]
    return (
        _SECOND_DEF + f"    stage2 = LinearRegression(fit_intercept={c['intercept']})\n"
        f"    stage2.fit({x}, {y})\n"
        f"    return {returned}\n"
    )


@_second_style
def _second_chained(c):
    x, y = _second_roles(c)
    model = "LinearRegression()" if c["intercept"] else "LinearRegression(fit_intercept=False)"
    fitted = f"{model}.fit({x}, {y})"
    returned = {
        "coef": f"{fitted}.coef_",
        "model": fitted,
        "intercept": f"{fitted}.intercept_",
        "predictions": f"{fitted}.predict({x})",
    }[c["result"]]
    return _SECOND_DEF + f"    return {returned}\n"


@_second_style
def _second_lstsq(c):
    x, y = _second_roles(c)
    slope = "coefficients[1:]" if c["intercept"] else "coefficients"
    returned = {
        "coef": slope,
        "intercept": "coefficients[0]",
        "predictions": "design @ coefficients",
    }[c["result"]]
    return (
        _SECOND_DEF + f"    design = {_design(x, c['intercept'])}\n"
        f"    coefficients = np.linalg.lstsq(design, {y}, rcond=None)[0]\n"
        f"    return {returned}\n"
    )


@_second_style
def _second_covariance(c):
    x, y = (f"{name}[:, 0]" for name in _second_roles(c))
    if c["intercept"]:
        fit = (
            f"    beta = np.cov({x}, {y})[0, 1] / np.var({x}, ddof=1)\n"
            f"    intercept = {y}.mean() - beta * {x}.mean()\n"
        )
    else:
        fit = f"    beta = np.dot({x}, {y}) / np.dot({x}, {x})\n    intercept = 0.0\n"
    returned = {
        "coef": "np.array([[beta]])",
        "intercept": "intercept",
        "predictions": f"(intercept + beta * {x})[:, None]",
    }[c["result"]]
    return _SECOND_DEF + fit + f"    return {returned}\n"


@_second_style
def _second_polyfit(c):
    # The docstring's "beta (float)": a plain number.
    x, y = (f"{name}.ravel()" for name in _second_roles(c))
    if c["intercept"]:
        fit = f"    beta, intercept = np.polyfit({x}, {y}, 1)\n"
    else:
        fit = f"    beta, intercept = np.sum({x} * {y}) / np.sum({x} ** 2), 0.0\n"
    returned = {
        "coef": "float(beta)",
        "intercept": "float(intercept)",
        "predictions": f"np.polyval([beta, intercept], {c['on']})",
    }[c["result"]]
    return _SECOND_DEF + fit + f"    return {returned}\n"


# ------------------------------------------------------------------ exercise 2.1

SIMULATE_DEFAULTS = {
    "calls_reference": None,  # "top", "module"
    # "at_t", "eta_on_noise", "no_eta", "two", "none", "first_neuron"
    "instrument": "right",
    "draw": "per_neuron",  # "once": Z of shape (timesteps,); "tiled": one row repeated
}
_SIMULATE_DEF = "def simulate_neurons_iv(n_neurons, timesteps, eta, random_state=42):\n"
_SIMULATE_REFERENCE = {
    "top": (
        "import nmacausal\n\n"
        + _SIMULATE_DEF
        + "    return nmacausal.simulate_neurons_iv(n_neurons, timesteps, eta, random_state)\n"
    ),
    "module": (
        "from nmacausal.model import instrumental\n\n"
        + _SIMULATE_DEF
        + "    A, X, Z = instrumental.simulate_neurons_iv(n_neurons, timesteps, eta, "
        "random_state)\n    return A, X, Z\n"
    ),
}


def _simulate_style(render):
    def style(c):
        if c["calls_reference"]:
            return _SIMULATE_REFERENCE[c["calls_reference"]]
        return render(c)

    return style


def _draw_instrument(c, choice="np.random.choice([0, 1], size={})"):
    size = {
        "per_neuron": "(n_neurons, timesteps)",
        "once": "timesteps",
        "tiled": "(1, timesteps)",
    }[c["draw"]]
    drawn = choice.format(size)
    return f"np.tile({drawn}, (n_neurons, 1))" if c["draw"] == "tiled" else drawn


def _instrument(c):
    """The instrument term and the factor on the noise, for the choices."""
    column = "Z[t + 1]" if c["draw"] == "once" else "Z[:, t + 1]"
    term = {
        "right": f"eta * {column}",
        "at_t": f"eta * {column.replace('t + 1', 't')}",
        "eta_on_noise": column,
        "no_eta": column,
        "two": f"2 * {column}",
        "none": "np.zeros(n_neurons)",
        "first_neuron": "eta * Z[0, t + 1]",
    }[c["instrument"]]
    return term, ("eta * " if c["instrument"] == "eta_on_noise" else "")


def _simulate_loop(noise):
    """The notebook's scaffold with ``noise`` (an expression) drawn on every step."""

    @_simulate_style
    def style(c):
        term, noise_factor = _instrument(c)
        return (
            _SIMULATE_DEF + "    np.random.seed(random_state)\n"
            "    A = create_connectivity(n_neurons, random_state)\n"
            "    X = np.zeros((n_neurons, timesteps))\n"
            f"    Z = {_draw_instrument(c)}\n"
            "    for t in range(timesteps - 1):\n"
            f"        IV_on_this_timestep = {term}\n"
            f"        epsilon = {noise}\n"
            "        X[:, t + 1] = sigmoid(A.dot(X[:, t]) + IV_on_this_timestep + "
            f"{noise_factor}epsilon)\n"
            "    return A, X, Z\n"
        )

    return style


# The notebook's scaffold, completed: one standard normal per neuron and step.
_simulate_scaffold = _simulate_loop("np.random.standard_normal(n_neurons)")
# The original's noise: the same numbers, drawn through an SVD of I on every step
# (the slowest right answer; a 100-neuron run of 5000 steps takes tens of seconds).
_simulate_original_noise = _simulate_loop(
    "np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))"
)


@_simulate_style
def _simulate_matmul(c):
    # `@`, randn and the sigmoid written out: the tutorial's stream, so its numbers.
    term, noise_factor = _instrument(c)
    return (
        _SIMULATE_DEF + "    np.random.seed(random_state)\n"
        "    A = create_connectivity(n_neurons, random_state)\n"
        "    X = np.zeros((n_neurons, timesteps))\n"
        f"    Z = {_draw_instrument(c)}\n"
        "    for t in range(timesteps - 1):\n"
        f"        drive = A @ X[:, t] + {term} + {noise_factor}np.random.randn(n_neurons)\n"
        "        X[:, t + 1] = 1 / (1 + np.exp(-drive))\n"
        "    return A, X, Z\n"
    )


@_simulate_style
def _simulate_noise_first(c):
    # All the noise drawn at once, neuron by neuron, before the instrument: another order.
    term, noise_factor = _instrument(c)
    return (
        _SIMULATE_DEF + "    np.random.seed(random_state)\n"
        "    A = create_connectivity(n_neurons, random_state)\n"
        "    noise = np.random.normal(0, 1, size=(n_neurons, timesteps))\n"
        f"    Z = {_draw_instrument(c)}\n"
        "    X = np.zeros((n_neurons, timesteps))\n"
        "    for t in range(timesteps - 1):\n"
        f"        X[:, t + 1] = sigmoid(A @ X[:, t] + {term} + {noise_factor}noise[:, t + 1])\n"
        "    return A, X, Z\n"
    )


@_simulate_style
def _simulate_default_rng(c):
    # NumPy's newer generator, seeded with random_state: reproducible, another stream.
    term, noise_factor = _instrument(c)
    draw = _draw_instrument(c, "rng.integers(0, 2, size={})")
    return (
        _SIMULATE_DEF + "    rng = np.random.default_rng(random_state)\n"
        "    A = create_connectivity(n_neurons, random_state)\n"
        "    X = np.zeros((n_neurons, timesteps))\n"
        f"    Z = {draw}\n"
        "    for t in range(timesteps - 1):\n"
        f"        epsilon = rng.standard_normal(n_neurons)\n"
        f"        X[:, t + 1] = sigmoid(np.dot(A, X[:, t]) + {term} + {noise_factor}epsilon)\n"
        "    return A, X, Z\n"
    )


_NO_MODEL = "the style fits no model object, so there is none to return"
STYLES = {
    FIRST: (
        Style("tutorial-scaffold", _first_scaffold),
        Style("chained", _first_chained),
        Style("lstsq", _first_lstsq, cannot_make={"returned_model": _NO_MODEL}),
        Style("covariance", _first_covariance, cannot_make={"returned_model": _NO_MODEL}),
        # A flat T_hat: the tutorial's numbers, with advice about its shape.
        Style("polyfit-flat", _first_polyfit, cannot_make={"returned_model": _NO_MODEL}),
    ),
    SECOND: (
        Style("tutorial-scaffold", _second_scaffold),
        Style("chained", _second_chained),
        Style("lstsq", _second_lstsq, cannot_make={"returned_model": _NO_MODEL}),
        Style("covariance", _second_covariance, cannot_make={"returned_model": _NO_MODEL}),
        # The docstring's "beta (float)": the tutorial's number, with advice about beta[0, 0].
        Style("polyfit-float", _second_polyfit, cannot_make={"returned_model": _NO_MODEL}),
    ),
    SIMULATE: (
        Style("tutorial-scaffold", _simulate_scaffold),
        Style("original-noise", _simulate_original_noise),
        Style("matmul-randn", _simulate_matmul),
        Style("noise-first", _simulate_noise_first, matches_tutorial=False),
        Style("default-rng", _simulate_default_rng, matches_tutorial=False),
    ),
}
DEFAULTS = {FIRST: FIRST_DEFAULTS, SECOND: SECOND_DEFAULTS, SIMULATE: SIMULATE_DEFAULTS}

# (exercise, mistake id) -> the choices that make it, one dict per way of making it.
MISTAKES = {
    (FIRST, "calls_reference"): [{"calls_reference": "top"}, {"calls_reference": "module"}],
    (FIRST, "returned_model"): [{"result": "model"}],
    (FIRST, "returned_coefficients"): [{"result": "coefficients"}],
    (FIRST, "fit_arguments_swapped"): [
        {"order": "swapped", "predict_on": "T"},
        {"order": "swapped", "predict_on": "Z"},
    ],
    (FIRST, "no_intercept"): [{"intercept": False}],
    (FIRST, "predicted_from_treatment"): [{"predict_on": "T"}],
    (FIRST, "returned_residuals"): [{"result": "residuals"}],
    (SECOND, "calls_reference"): [{"calls_reference": "top"}, {"calls_reference": "module"}],
    (SECOND, "regressed_on_treatment"): [{"on": "T"}],
    (SECOND, "returned_model"): [{"result": "model"}],
    (SECOND, "returned_predictions"): [{"result": "predictions"}],
    (SECOND, "returned_intercept"): [{"result": "intercept"}],
    (SECOND, "fit_arguments_swapped"): [{"order": "swapped"}],
    (SECOND, "no_intercept"): [{"intercept": False}],
    (SIMULATE, "calls_reference"): [{"calls_reference": "top"}, {"calls_reference": "module"}],
    (SIMULATE, "instrument_shared_across_neurons"): [
        {"draw": "once"},
        {"draw": "tiled"},
        {"instrument": "first_neuron"},
    ],
    (SIMULATE, "instrument_at_t"): [{"instrument": "at_t"}],
    (SIMULATE, "eta_on_noise"): [{"instrument": "eta_on_noise"}],
    (SIMULATE, "eta_left_out"): [{"instrument": "no_eta"}],
    (SIMULATE, "hard_coded_eta"): [{"instrument": "two"}],
    (SIMULATE, "no_instrument"): [{"instrument": "none"}],
}

# The style the tutorial's own solution is written in.
TUTORIAL_STYLE_NAMES = {
    FIRST: "tutorial-scaffold",
    SECOND: "tutorial-scaffold",
    SIMULATE: "tutorial-scaffold",
}

# ------------------------------------------------------------------ bonus exercise 1

STRENGTH = "instrument_strength"
# The notebook at the bonus: nmacausal's get_iv_estimate_network (the setup cell imports
# it) and the student's own simulate_neurons_iv from Exercise 2.1, in the notebook's
# scaffold. (How long a check takes with the original's slower noise is measured by
# `python -m benchmarks checks`.)
PRELUDES[STRENGTH] = (
    "from nmacausal import create_connectivity, get_iv_estimate_network, sigmoid\n\n"
    + _simulate_scaffold(dict(SIMULATE_DEFAULTS))
    + "\n"
)
STRENGTH_DEFAULTS = {
    "calls_reference": None,  # "top", "module"
    "seed": "trial",  # "default": left out (42); "42"; "trial + 1"
    "eta": "eta",  # "2", "etas[0]": the same strength every time
    "index": "off",  # "00", "11": the diagonal of np.corrcoef (a matrix with itself)
    "layout": "right",  # "swapped": corr_data[j, trial]
    "flatten": "same",  # "A.T", "order_F": the truth flattened in another order
    "instrument": "Z",  # "X": get_iv_estimate_network(X, X)
    "result": "array",  # "list"
}
_STRENGTH_DEF = "def instrument_strength_effect(etas, n_neurons, timesteps, n_trials):\n"
_STRENGTH_REFERENCE = {
    "top": (
        "import nmacausal\n\n"
        + _STRENGTH_DEF
        + "    return nmacausal.instrument_strength_effect(etas, n_neurons, timesteps, n_trials)\n"
    ),
    "module": (
        "from nmacausal.model.instrumental import instrument_strength_effect as sweep\n\n"
        + _STRENGTH_DEF
        + "    corr_data = sweep(etas, n_neurons, timesteps, n_trials)\n"
        "    return corr_data\n"
    ),
}


def _strength_style(render):
    def style(c):
        if c["calls_reference"]:
            return _STRENGTH_REFERENCE[c["calls_reference"]]
        return render(c)

    return style


def _strength_simulation(c):
    """The call of the notebook's simulation, for the choices."""
    strength = {"eta": "eta", "2": "2", "etas[0]": "etas[0]"}[c["eta"]]
    seed = {"trial": ", trial", "default": "", "42": ", 42", "trial + 1": ", trial + 1"}
    return f"simulate_neurons_iv(n_neurons, timesteps, {strength}{seed[c['seed']]})"


def _strength_flattened(c, flatten="flatten"):
    """(truth, estimate) flattened, for the choices."""
    truth = {
        "same": f"A.{flatten}()",
        "A.T": f"A.T.{flatten}()",
        "order_F": f"A.{flatten}(order='F')",
    }[c["flatten"]]
    return truth, f"iv_V.{flatten}()"


def _corrcoef_entry(c, off="[1, 0]"):
    return {"off": off, "00": "[0, 0]", "11": "[1, 1]"}[c["index"]]


@_strength_style
def _strength_scaffold(c):
    # The tutorial's loops; rows and columns swapped run off the array.
    truth, estimate = _strength_flattened(c)
    cell = "[j, trial]" if c["layout"] == "swapped" else "[trial, j]"
    returned = "corr_data.tolist()" if c["result"] == "list" else "corr_data"
    return (
        _STRENGTH_DEF + "    corr_data = np.zeros((n_trials, len(etas)))\n"
        "    for trial in range(n_trials):\n"
        '        print("Trial {} of {}".format(trial + 1, n_trials))\n'
        "        for j, eta in enumerate(etas):\n"
        f"            A, X, Z = {_strength_simulation(c)}\n"
        f"            iv_V = get_iv_estimate_network(X, {c['instrument']})\n"
        f"            corr_data{cell} = np.corrcoef({truth}, {estimate}){_corrcoef_entry(c)}\n"
        f"    return {returned}\n"
    )


@_strength_style
def _strength_comprehension(c):
    # A helper for one point, and a nested list comprehension: the other off-diagonal entry.
    truth, estimate = _strength_flattened(c, "ravel")
    if c["layout"] == "swapped":
        rows = "[[correlation(trial, eta) for trial in range(n_trials)] for eta in etas]"
    else:
        rows = "[[correlation(trial, eta) for eta in etas] for trial in range(n_trials)]"
    returned = "rows" if c["result"] == "list" else "np.array(rows)"
    return (
        _STRENGTH_DEF + "    def correlation(trial, eta):\n"
        f"        A, X, Z = {_strength_simulation(c)}\n"
        f"        iv_V = get_iv_estimate_network(X, {c['instrument']})\n"
        f"        return np.corrcoef({truth}, {estimate}){_corrcoef_entry(c, '[0, 1]')}\n"
        f"    rows = {rows}\n"
        f"    return {returned}\n"
    )


@_strength_style
def _strength_by_hand(c):
    # The correlation written out; the index's mistake is a matrix correlated with itself.
    truth, estimate = _strength_flattened(c, "ravel")
    first, second = {"off": ("a", "v"), "00": ("a", "a"), "11": ("v", "v")}[c["index"]]
    shape, cell = "(n_trials, len(etas))", "[trial, j]"
    if c["layout"] == "swapped":
        shape, cell = "(len(etas), n_trials)", "[j, trial]"
    returned = "corr_data.tolist()" if c["result"] == "list" else "corr_data"
    return (
        _STRENGTH_DEF + f"    corr_data = np.zeros({shape})\n"
        "    for trial in range(n_trials):\n"
        '        print(f"Trial {trial + 1} of {n_trials}")\n'
        "        for j in range(len(etas)):\n"
        "            eta = etas[j]\n"
        f"            A, X, Z = {_strength_simulation(c)}\n"
        f"            iv_V = get_iv_estimate_network(X, {c['instrument']})\n"
        f"            a = {truth} - A.mean()\n"
        f"            v = {estimate} - iv_V.mean()\n"
        f"            corr_data{cell} = np.sum({first} * {second}) / np.sqrt(\n"
        f"                np.sum({first} ** 2) * np.sum({second} ** 2)\n"
        "            )\n"
        f"    return {returned}\n"
    )


STYLES[STRENGTH] = (
    Style("tutorial-scaffold", _strength_scaffold),
    Style("comprehension", _strength_comprehension),
    Style("by-hand", _strength_by_hand),
)
DEFAULTS[STRENGTH] = STRENGTH_DEFAULTS
MISTAKES.update(
    {
        (STRENGTH, "calls_reference"): [{"calls_reference": "top"}, {"calls_reference": "module"}],
        (STRENGTH, "returned_list"): [{"result": "list"}],
        (STRENGTH, "diagonal_of_corrcoef"): [{"index": "00"}, {"index": "11"}],
        (STRENGTH, "trials_and_strengths_swapped"): [{"layout": "swapped"}],
        (STRENGTH, "same_seed_every_trial"): [{"seed": "default"}, {"seed": "42"}],
        (STRENGTH, "eta_not_passed"): [{"eta": "2"}, {"eta": "etas[0]"}],
        (STRENGTH, "seed_off_by_one"): [{"seed": "trial + 1"}],
        (STRENGTH, "flattened_differently"): [{"flatten": "A.T"}, {"flatten": "order_F"}],
        (STRENGTH, "activity_as_instrument"): [{"instrument": "X"}],
    }
)
TUTORIAL_STYLE_NAMES[STRENGTH] = "tutorial-scaffold"

# ------------------------------------------------------------------ bonus exercise 2.1

GRANGER = "granger_causality"
PRELUDES[GRANGER] = (
    "from statsmodels.tsa.stattools import grangercausalitytests\n"
    "from nmacausal import create_connectivity, simulate_neurons\n\n"
)
GRANGER_DEFAULTS = {
    "calls_reference": None,  # "top", "module"
    "direction": "right",  # "reversed": the target's series second
    "inequality": "<",  # ">"
    "order": "right",  # "swapped": (p_vals, reject_null)
}
_GRANGER_DEF = "def get_granger_causality(X, selected_neuron, alpha=0.05):\n"
_GRANGER_REFERENCE = {
    "top": (
        "import nmacausal\n\n"
        + _GRANGER_DEF
        + "    return nmacausal.get_granger_causality(X, selected_neuron, alpha, "
        "correction=None)\n"
    ),
    "module": (
        "from nmacausal.model.instrumental import get_granger_causality as granger\n\n"
        + _GRANGER_DEF
        + "    reject_null, p_vals = granger(X, selected_neuron, alpha)\n"
        "    return reject_null, p_vals\n"
    ),
}


def _granger_style(render):
    def style(c):
        if c["calls_reference"]:
            return _GRANGER_REFERENCE[c["calls_reference"]]
        return render(c)

    return style


def _granger_pair(c):
    """(series predicted, candidate cause) for the choices."""
    pair = ("target_neuron", "selected_neuron")
    return pair if c["direction"] == "right" else pair[::-1]


def _granger_return(c):
    pair = "reject_null, p_vals" if c["order"] == "right" else "p_vals, reject_null"
    return f"    return {pair}\n"


@_granger_style
def _granger_scaffold(c):
    predicted, cause = _granger_pair(c)
    return (
        _GRANGER_DEF + "    n_neurons = X.shape[0]\n"
        "    max_lag = 1\n"
        "    reject_null = []\n"
        "    p_vals = []\n"
        "    for target_neuron in range(n_neurons):\n"
        f"        ts_data = X[[{predicted}, {cause}], :].transpose()\n"
        "        res = grangercausalitytests(ts_data, maxlag=max_lag)\n"
        "        pval = res[1][0]['lrtest'][1]\n"
        "        p_vals.append(pval)\n"
        f"        reject_null.append(int(pval {c['inequality']} alpha))\n" + _granger_return(c)
    )


@_granger_style
def _granger_by_hand(c):
    # The likelihood-ratio test written out: two least-squares fits and the chi-square tail.
    predicted, cause = _granger_pair(c)
    return (
        "from scipy.stats import chi2\n\n" + _GRANGER_DEF + "    n_neurons, timesteps = X.shape\n"
        "    reject_null, p_vals = [], []\n"
        "    for target_neuron in range(n_neurons):\n"
        f"        y = X[{predicted}, 1:]\n"
        f"        restricted = np.column_stack([np.ones(timesteps - 1), X[{predicted}, :-1]])\n"
        f"        full = np.column_stack([restricted, X[{cause}, :-1]])\n"
        "        ssr = []\n"
        "        for design in (restricted, full):\n"
        "            fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]\n"
        "            ssr.append(np.sum((y - fitted) ** 2))\n"
        "        statistic = max((timesteps - 1) * np.log(ssr[0] / ssr[1]), 0.0)\n"
        "        pval = float(chi2.sf(statistic, 1))\n"
        "        p_vals.append(pval)\n"
        f"        reject_null.append(int(pval {c['inequality']} alpha))\n" + _granger_return(c)
    )


STYLES[GRANGER] = (
    Style("tutorial-scaffold", _granger_scaffold),
    Style("by-hand", _granger_by_hand),
)
DEFAULTS[GRANGER] = GRANGER_DEFAULTS
MISTAKES.update(
    {
        (GRANGER, "calls_reference"): [{"calls_reference": "top"}, {"calls_reference": "module"}],
        (GRANGER, "returned_in_other_order"): [{"order": "swapped"}],
        (GRANGER, "direction_reversed"): [{"direction": "reversed"}],
        (GRANGER, "rejected_above_alpha"): [{"inequality": ">"}],
    }
)
TUTORIAL_STYLE_NAMES[GRANGER] = "tutorial-scaffold"
