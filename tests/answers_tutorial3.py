"""Tutorial 3's student answers: every correct style, every catalogued mistake in each.

See :mod:`student_answers` for what a style and a mistake's choices are. Here a
style is a way of solving the exercise's Lasso regression: the tutorial's
scaffold, a chained one-liner with a one-dimensional target, ``ElasticNet``,
``lasso_path``, ``LassoLars``, or a hand-written solver (FISTA).
"""

from __future__ import annotations

import numpy as np
from answer_styles import Style

REGRESSION = "regression_estimate"

# What the notebook has defined when a student's answer cell runs.
NOTEBOOK_NAMES = {"np": np}
# The notebook's setup cell imports these; its "Section 1" cell sets the parameters (the
# tutorial's own network is bigger, and longer, than Tutorials 1 and 2's).
PRELUDES = {
    REGRESSION: (
        "from sklearn.linear_model import Lasso\n"
        "from nmacausal import logit\n"
        "\n"
        "n_neurons = 50\n"
        "timesteps = 10000\n"
        "neuron_idx = 1\n"
        "\n"
    )
}

REGRESSION_DEFAULTS = {
    "calls_reference": None,  # "single", "full": nmacausal's functions do the work
    "size": "from_input",  # "global", "hard_coded": the regressors' window X[:, :timesteps - 1]
    "lag": "forward",  # "reversed", "same_before", "same_after"
    # "untransposed": samples and features swapped in the regressors; "both_untransposed":
    # in the (2-D) target too, which no recording lets scikit-learn fit
    "design": "transposed",
    "own": "kept",  # "dropped", "zeroed": the neuron's own history left out
    "logit": True,  # False: the activity itself as the target
    "alpha": "0.01",  # "default" (left out: 1.0), "0.1", "0.001", "none" (least squares)
    "intercept": False,
    "direction": "into",  # "from": column neuron_idx of the whole estimate
    "row": "neuron_idx",  # "1": a fixed neuron
    "result": "weights",  # "column", "list", "estimator"
}

_DEF = "def get_regression_estimate(X, neuron_idx):\n"
_REFERENCE_CALLS = {
    "single": (
        "from nmacausal import get_regression_estimate as reference\n"
        "\n" + _DEF + "    return reference(X, neuron_idx)\n"
    ),
    "full": (
        "import nmacausal\n"
        "\n"
        + _DEF
        + "    return nmacausal.get_regression_estimate_full_connectivity(X)[neuron_idx]\n"
    ),
}


def _windows(c):
    """The columns of X the regressors and the target are taken from, for the lag chosen."""
    before = {"from_input": ":-1", "global": ":timesteps - 1", "hard_coded": ":9999"}[c["size"]]
    return {
        "forward": (before, "1:"),
        "reversed": ("1:", ":-1"),
        "same_before": (before, ":-1"),
        "same_after": ("1:", "1:"),
    }[c["lag"]]


def _regressors(c, transpose):
    """Every neuron at the regressors' steps, one row per step: ``transpose`` spells the
    transposition (``"{}.T"``, ``"np.transpose({})"``) that the untransposed mistake drops."""
    window, _ = _windows(c)
    rows = f"X[:, {window}]"
    if c["own"] != "kept":
        rows = f"np.delete({rows}, neuron_idx, axis=0)"
    return rows if c["design"] != "transposed" else transpose.format(rows)


def _target(c, *, two_d, transpose="{}.T"):
    """The activity regressed on, one row per step: the selected neuron's, 1-D or as a
    column; for the connections from the neuron, every neuron's."""
    _, window = _windows(c)
    if c["direction"] == "from":
        return transpose.format(f"X[:, {window}]")
    row = c["row"]
    if not two_d:
        return f"X[{row}, {window}]"
    if c["design"] == "both_untransposed":
        return f"X[[{row}], {window}]"
    return transpose.format(f"X[[{row}], {window}]")


def _finish(c, weights, model=None):
    """The return line for the weights (an expression), with the result chosen."""
    if c["own"] == "zeroed":
        weights = f"np.insert({weights}, neuron_idx, 0.0)"
    returned = {
        "weights": weights,
        "column": f"{weights}.reshape(-1, 1)",
        "list": f"list({weights})",
        "estimator": model,
    }[c["result"]]
    return f"    return {returned}\n"


def _style(render):
    """``render``'s cell; every style calls the reference the same way."""

    def style(c):
        if c["calls_reference"]:
            return _REFERENCE_CALLS[c["calls_reference"]]
        return render(c)

    return style


def _lasso_arguments(c, alpha_name="alpha"):
    """``Lasso``'s keyword arguments for the choices (no alpha at all: its default, 1.0)."""
    arguments = [] if c["intercept"] else ["fit_intercept=False"]
    if c["alpha"] != "default":
        arguments.append(f"{alpha_name}={c['alpha']}")
    if c["direction"] == "from":
        # One fit per neuron, sharing the Gram matrix: what the whole estimate takes in time.
        arguments.append("precompute=True")
    return ", ".join(arguments)


def _least_squares_model(c):
    intercept = "" if c["intercept"] else "fit_intercept=False"
    return f"LinearRegression({intercept})"


_IMPORT_LINEAR_REGRESSION = "from sklearn.linear_model import LinearRegression\n\n"


@_style
def _tutorial_scaffold(c):
    # The tutorial's scaffold: a 2-D target, .transpose(), nmacausal's logit, Lasso.
    model = _least_squares_model(c) if c["alpha"] == "none" else f"Lasso({_lasso_arguments(c)})"
    weights = "regression.coef_[:, neuron_idx]" if c["direction"] == "from" else "regression.coef_"
    source = (
        _DEF + f"    W = {_regressors(c, '{}.transpose()')}\n"
        f"    Y = {_target(c, two_d=True, transpose='{}.transpose()')}\n"
        + ("    Y = logit(Y)\n" if c["logit"] else "")
        + f"    regression = {model}\n"
        "    regression.fit(W, Y)\n"
        f"    V = {weights}\n" + _finish(c, "V", "regression")
    )
    return (_IMPORT_LINEAR_REGRESSION if c["alpha"] == "none" else "") + source


@_style
def _chained(c):
    # A 1-D target, .T, the logit written out, and the fit chained to its coefficients.
    target = "np.log(future / (1 - future))" if c["logit"] else "future"
    if c["alpha"] == "none":
        weights = "np.linalg.lstsq(past, target, rcond=None)[0]"
        if c["intercept"]:
            weights = (
                "np.linalg.lstsq(past - past.mean(axis=0), target - target.mean(axis=0), "
                "rcond=None)[0]"
            )
        fitted = None
    else:
        fitted = f"Lasso({_lasso_arguments(c)}).fit(past, target)"
        weights = f"{fitted}.coef_"
    if c["direction"] == "from":
        weights = f"{weights}[:, neuron_idx]" if fitted else f"{weights}[neuron_idx]"
    return (
        _DEF + f"    past = {_regressors(c, '{}.T')}\n"
        f"    future = {_target(c, two_d=False)}\n"
        f"    target = {target}\n" + _finish(c, weights, fitted)
    )


@_style
def _elastic_net(c):
    # ElasticNet with only the L1 part, np.transpose, a 2-D target, the result flattened.
    if c["alpha"] == "none":
        model = _least_squares_model(c)
    else:
        model = f"ElasticNet({', '.join(filter(None, [_lasso_arguments(c), 'l1_ratio=1.0']))})"
    weights = "model.coef_[:, neuron_idx]" if c["direction"] == "from" else "model.coef_.ravel()"
    fitted = "LinearRegression" if c["alpha"] == "none" else "ElasticNet"
    imports = f"from sklearn.linear_model import {fitted}\n\n"
    return (
        imports + _DEF + f"    W = {_regressors(c, 'np.transpose({})')}\n"
        f"    Y = {_target(c, two_d=True, transpose='np.transpose({})')}\n"
        + ("    Y = logit(Y)\n" if c["logit"] else "")
        + f"    model = {model}\n"
        "    model.fit(W, Y)\n" + _finish(c, weights, "model")
    )


@_style
def _lasso_path(c):
    # The path function at one alpha; it fits no intercept, so centring is by hand.
    alphas = {"default": "", "none": ""}.get(c["alpha"], f", alphas=[{c['alpha']}]")
    lines = [f"    W = {_regressors(c, '{}.T')}"]
    if c["direction"] == "from":
        target = "logit(X[j, 1:])" if c["logit"] else "X[j, 1:]"
        lines += [
            "    weights = np.zeros(len(X))",
            "    for j in range(len(X)):",
            f"        _, coefs, _ = lasso_path(W, {target}{alphas})",
            "        weights[j] = coefs[neuron_idx, 0]",
        ]
        return _PATH_IMPORT + _DEF + "\n".join(lines) + "\n" + _finish(c, "weights")
    lines.append(f"    y = {'logit' if c['logit'] else ''}({_target(c, two_d=False)})")
    if c["intercept"]:
        lines += ["    W = W - W.mean(axis=0)", "    y = y - y.mean()"]
    if c["alpha"] == "none":
        lines.append("    coefs = np.linalg.lstsq(W, y, rcond=None)[0][:, None]")
    else:
        lines.append(f"    _, coefs, _ = lasso_path(W, y{alphas})")
    if c["result"] == "column":
        return _PATH_IMPORT + _DEF + "\n".join(lines) + "\n    return coefs\n"
    return _PATH_IMPORT + _DEF + "\n".join(lines) + "\n" + _finish(c, "coefs[:, 0]")


_PATH_IMPORT = "from sklearn.linear_model import lasso_path\n\n"


@_style
def _lasso_lars(c):
    # Least-angle regression: the exact Lasso solution, not the reference's digits.
    alpha = {"default": "", "none": "alpha=0.0"}.get(c["alpha"], f"alpha={c['alpha']}")
    arguments = ", ".join(filter(None, [alpha, "" if c["intercept"] else "fit_intercept=False"]))
    target = _target(c, two_d=False)
    target = f"logit({target})" if c["logit"] else target
    weights = "lars.coef_[:, neuron_idx]" if c["direction"] == "from" else "lars.coef_"
    return (
        "from sklearn.linear_model import LassoLars\n\n"
        + _DEF
        + f"    lars = LassoLars({arguments})\n"
        f"    lars.fit({_regressors(c, '{}.T')}, {target})\n" + _finish(c, weights, "lars")
    )


@_style
def _fista(c):
    # A hand-written solver: FISTA on the Gram matrix (`.dot`), run until it stops moving.
    alpha = {"default": "1.0", "none": "0.0"}.get(c["alpha"], c["alpha"])
    lines = [
        f"    W = {_regressors(c, '{}.T')}",
        f"    y = {_target(c, two_d=False)}",
    ]
    if c["logit"]:
        lines.append("    y = np.log(y / (1 - y))")
    if c["intercept"]:
        lines += ["    W = W - W.mean(axis=0)", "    y = y - y.mean(axis=0)"]
    lines += [
        f"    alpha = {alpha}",
        "    n_samples = W.shape[0]",
        "    gram = W.T.dot(W) / n_samples",
        "    correlations = W.T.dot(y) / n_samples",
    ]
    if c["alpha"] == "none":
        lines.append("    v = np.linalg.solve(gram, correlations)")
    else:
        lines += [
            "    step = 1 / np.linalg.eigvalsh(gram)[-1]",
            "    v = np.zeros(correlations.shape)",
            "    z, t = v.copy(), 1.0",
            "    for _ in range(20000):",
            "        u = z - step * (gram.dot(z) - correlations)",
            "        v_next = np.sign(u) * np.maximum(np.abs(u) - step * alpha, 0)",
            "        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2",
            "        z = v_next + (t - 1) / t_next * (v_next - v)",
            "        done = np.max(np.abs(v_next - v)) < 1e-12",
            "        v, t = v_next, t_next",
            "        if done:",
            "            break",
        ]
    weights = "v[neuron_idx]" if c["direction"] == "from" else "v"
    return _DEF + "\n".join(lines) + "\n" + _finish(c, weights)


_NO_MODEL = "the style fits no model object, so there is none to return instead of its weights"
STYLES = {
    REGRESSION: (
        Style("tutorial-scaffold", _tutorial_scaffold),
        Style("chained-1d", _chained),
        Style("elastic-net", _elastic_net),
        Style("lasso-path", _lasso_path, cannot_make={"returned_estimator": _NO_MODEL}),
        # The exact Lasso solution: the tutorial's figure, not its digits.
        Style("lasso-lars", _lasso_lars, matches_tutorial=False),
        Style(
            "fista",
            _fista,
            matches_tutorial=False,
            cannot_make={"returned_estimator": _NO_MODEL},
        ),
    )
}
DEFAULTS = {REGRESSION: REGRESSION_DEFAULTS}

# (exercise, mistake id) -> the choices that make it, one dict per way of making it.
MISTAKES = {
    (REGRESSION, "calls_reference"): [{"calls_reference": "single"}, {"calls_reference": "full"}],
    (REGRESSION, "global_size"): [{"size": "global"}],
    (REGRESSION, "hard_coded_size"): [{"size": "hard_coded"}],
    (REGRESSION, "returned_list"): [{"result": "list"}],
    (REGRESSION, "returned_estimator"): [{"result": "estimator"}],
    (REGRESSION, "column_result"): [{"result": "column"}],
    (REGRESSION, "own_history_left_out"): [{"own": "dropped"}, {"own": "zeroed"}],
    (REGRESSION, "lag_reversed"): [{"lag": "reversed"}],
    (REGRESSION, "same_time"): [{"lag": "same_before"}, {"lag": "same_after"}],
    (REGRESSION, "samples_and_features_swapped"): [
        {"design": "untransposed"},
        {"design": "both_untransposed"},
    ],
    (REGRESSION, "no_logit"): [{"logit": False}],
    (REGRESSION, "intercept_fitted"): [{"intercept": True}],
    (REGRESSION, "all_weights_zero"): [{"alpha": "default"}],
    (REGRESSION, "least_squares"): [{"alpha": "none"}, {"alpha": "none", "intercept": True}],
    (REGRESSION, "wrong_alpha"): [{"alpha": "0.1"}, {"alpha": "0.001"}],
    (REGRESSION, "connections_from_neuron"): [{"direction": "from"}],
    (REGRESSION, "ignores_neuron_idx"): [{"row": "1"}],
}

# The style the tutorial's own solution is written in.
TUTORIAL_STYLE_NAMES = {REGRESSION: "tutorial-scaffold"}
