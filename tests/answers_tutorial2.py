"""Tutorial 2's student answers: every correct style, every catalogued mistake in each.

See :mod:`student_answers` for what a style and a mistake's choices are. (A draft:
renamed ``answers_tutorial2.py`` once Tutorial 2's notebook exists, so that
:mod:`student_answers` merges it with the other tutorials'.)
"""

from __future__ import annotations

import numpy as np
from answer_styles import Style

from nmacausal.model.correlation import correlation_for_all_neurons

SINGLE, COARSE = "single_neuron_correlation", "coarse_correlation"

# What the notebook has defined when a student's answer cell runs (the same names
# mean the same as in Tutorial 1's notebook).
NOTEBOOK_NAMES = {
    "np": np,
    "n_neurons": 6,
    "timesteps": 5000,
    "selected_neuron": 1,
    "correlation_for_all_neurons": correlation_for_all_neurons,
}
# Neither answer cell has scaffold lines before the student's function.
PRELUDES: dict[str, str] = {}

# ------------------------------------ exercise 1: one neuron's effects, by correlation

SINGLE_DEFAULTS = {
    "calls_reference": None,  # "single" or "all": nmacausal's functions do the work
    "lag": "forward",  # "reversed", "same_before", "same_whole"
    "entry": "between",  # "diagonal": an activity with itself
    "statistic": "correlation",  # "covariance"
    "outputs": "each",  # "selected": the selected neuron's own future for every entry
    "cause_row": "selected_neuron",  # "1": a fixed neuron
    "size": "from_input",  # "global", "hard_coded"
    "neurons_looped": "n_neurons",  # "6": the tutorial's size written in
    "result": "array",  # "list"
    "ddof": "consistent",  # "mixed": ddof=1 standard deviations, a mean of products
}

_SINGLE_DEF = "def compute_connectivity_from_single_neuron(X, selected_neuron):\n"
_REFERENCE_CALLS = {
    "single": (
        "from nmacausal.model.correlation import compute_connectivity_from_single_neuron as ref\n"
        "\n" + _SINGLE_DEF + "    return ref(X, selected_neuron)\n"
    ),
    "all": (
        "from nmacausal.model import correlation\n"
        "\n"
        + _SINGLE_DEF
        + "    return correlation.correlation_for_all_neurons(X)[:, selected_neuron]\n"
    ),
}
# (the selected neuron's window, every neuron's window) for each lag.
_WINDOWS = {
    "forward": (":-1", "1:"),
    "reversed": ("1:", ":-1"),
    "same_before": (":-1", ":-1"),
    "same_whole": (":", ":"),
}
_FUNCTIONS = {"correlation": "np.corrcoef", "covariance": "np.cov"}


def _single_size(c, shape="X.shape[0]"):
    """The line that sets ``n_neurons``, reading it with ``shape`` (none with a global)."""
    return {
        "from_input": f"    n_neurons = {shape}\n",
        "global": "",
        "hard_coded": "    n_neurons = 6\n",
    }[c["size"]]


def _single_returned(c, name):
    return f"    return {name}.tolist()\n" if c["result"] == "list" else f"    return {name}\n"


def _single_style(render):
    """``render``'s body under the exercise's ``def`` line; every style calls the reference
    the same way."""

    def style(c):
        if c["calls_reference"]:
            return _REFERENCE_CALLS[c["calls_reference"]]
        return _SINGLE_DEF + render(c)

    return style


@_single_style
def _tutorial_scaffold(c):
    # The tutorial's scaffold: a loop over neurons, np.corrcoef of two arrays, entry [0, 1].
    cause, each = _WINDOWS[c["lag"]]
    row = "neuron_idx" if c["outputs"] == "each" else "selected_neuron"
    function = _FUNCTIONS[c["statistic"]]
    entry = "[0, 1]" if c["entry"] == "between" else "[0, 0]"
    return (
        _single_size(c) + f"    current_activity = X[{c['cause_row']}, {cause}]\n"
        f"    next_activity = X[:, {each}]\n"
        "    estimated_connectivity = np.zeros(n_neurons)\n"
        f"    for neuron_idx in range({c['neurons_looped']}):\n"
        f"        this_output_activity = next_activity[{row}]\n"
        f"        correlation = {function}(this_output_activity, current_activity){entry}\n"
        "        estimated_connectivity[neuron_idx] = correlation\n"
        + _single_returned(c, "estimated_connectivity")
    )


@_single_style
def _corrcoef_swapped(c):
    # The same loop, the arrays in the other order and the other off-diagonal entry.
    cause, each = _WINDOWS[c["lag"]]
    row = "neuron" if c["outputs"] == "each" else "selected_neuron"
    function = _FUNCTIONS[c["statistic"]]
    entry = "[1, 0]" if c["entry"] == "between" else "[1, 1]"
    return (
        _single_size(c, "len(X)") + f"    now = X[{c['cause_row']}, {cause}]\n"
        "    estimate = np.zeros(n_neurons)\n"
        f"    for neuron in range({c['neurons_looped']}):\n"
        f"        later = X[{row}, {each}]\n"
        f"        estimate[neuron] = {function}(now, later){entry}\n"
        + _single_returned(c, "estimate")
    )


def _standardise(name, c, axis=""):
    """``name`` centred and, for a correlation, divided by its standard deviation."""
    keep = ", keepdims=True" if axis else ""
    centred = f"({name} - {name}.mean({axis}{keep}))"
    if c["statistic"] == "covariance":
        return centred
    ddof = "" if c["ddof"] == "consistent" else "ddof=1"
    spread = ", ".join(part for part in (axis, ddof, keep.lstrip(", ")) if part)
    return f"{centred} / {name}.std({spread})"


@_single_style
def _zscore_loop(c):
    # Manual z-scores in a loop over neurons: the mean of the products of z-scores.
    cause, each = _WINDOWS[c["lag"]]
    row = "i" if c["outputs"] == "each" else "selected_neuron"
    product = "z_effect * z_cause" if c["entry"] == "between" else "z_effect * z_effect"
    return (
        _single_size(c, "len(X)") + f"    cause = X[{c['cause_row']}, {cause}]\n"
        f"    z_cause = {_standardise('cause', c)}\n"
        "    estimate = np.zeros(n_neurons)\n"
        f"    for i in range({c['neurons_looped']}):\n"
        f"        effect = X[{row}, {each}]\n"
        f"        z_effect = {_standardise('effect', c)}\n"
        f"        estimate[i] = np.mean({product})\n" + _single_returned(c, "estimate")
    )


@_single_style
def _zscore_vectorised(c):
    # Every neuron's z-scores at once, one matrix-vector product.
    cause, each = _WINDOWS[c["lag"]]
    with_itself = "(z_effects * z_effects).mean(axis=1)"
    product = "z_effects @ z_cause / len(z_cause)" if c["entry"] == "between" else with_itself
    return (
        f"    effects = X[:, {each}]\n"
        f"    cause = X[{c['cause_row']}, {cause}]\n"
        f"    z_effects = {_standardise('effects', c, axis='axis=1')}\n"
        f"    z_cause = {_standardise('cause', c)}\n"
        f"    estimate = {product}\n" + _single_returned(c, "estimate")
    )


@_single_style
def _stacked_corrcoef(c):
    # np.corrcoef of the stacked lagged recording, the block of R, then a column.
    function = _FUNCTIONS[c["statistic"]]
    n = c["neurons_looped"]
    block = {
        "forward": f"{function}(stacked)[:{n}, {n}:]",
        "reversed": f"{function}(stacked)[:{n}, {n}:]",
        "same_before": f"{function}(stacked)[{n}:, {n}:]",
        "same_whole": f"{function}(X)",
    }[c["lag"]]
    # The selected neuron's effects are its column; the reversed mistake takes its row.
    taken = f"R[{c['cause_row']}, :]" if c["lag"] == "reversed" else f"R[:, {c['cause_row']}]"
    return (
        _single_size(c, "len(X)") + "    stacked = np.concatenate([X[:, 1:], X[:, :-1]], axis=0)\n"
        f"    R = {block}\n"
        f"    estimate = {taken}\n" + _single_returned(c, "estimate")
    )


@_single_style
def _corrcoef_blocks(c):
    # np.corrcoef(x, y) stacks a matrix and a row: the last column holds the answer.
    cause, each = _WINDOWS[c["lag"]]
    function = _FUNCTIONS[c["statistic"]]
    return (
        f"    matrix = {function}(X[:, {each}], X[{c['cause_row']}, {cause}])\n"
        "    estimate = matrix[:-1, -1]\n" + _single_returned(c, "estimate")
    )


_NO_SIZE = "the style never writes down the number of neurons, so there is no size to get wrong"
_NO_LOOP = (
    "the style has no loop over neurons, so there is no loop index to confuse with the "
    "selected neuron"
)
_NO_ENTRY = (
    "the style takes a block of a correlation matrix of many rows, not an entry of a 2 x 2 "
    "one, and never correlates an array with itself"
)
_CONSISTENT = "np.corrcoef normalises the covariance and the standard deviations alike"
SINGLE_STYLES = (
    Style(
        "tutorial-scaffold", _tutorial_scaffold, cannot_make={"mixed_normalisations": _CONSISTENT}
    ),
    Style("corrcoef-swapped", _corrcoef_swapped, cannot_make={"mixed_normalisations": _CONSISTENT}),
    Style("zscore-loop", _zscore_loop),
    Style(
        "zscore-vectorised",
        _zscore_vectorised,
        cannot_make={
            "global_size": _NO_SIZE,
            "hard_coded_size": _NO_SIZE,
            "own_future_only": _NO_LOOP,
        },
    ),
    Style(
        "stacked-corrcoef",
        _stacked_corrcoef,
        cannot_make={
            "diagonal_entry": _NO_ENTRY,
            "own_future_only": _NO_LOOP,
            "mixed_normalisations": _CONSISTENT,
        },
    ),
    Style(
        "corrcoef-blocks",
        _corrcoef_blocks,
        cannot_make={
            "global_size": _NO_SIZE,
            "hard_coded_size": _NO_SIZE,
            "diagonal_entry": _NO_ENTRY,
            "own_future_only": _NO_LOOP,
            "mixed_normalisations": _CONSISTENT,
        },
    ),
)

# ------------------------------------------- bonus: correlations between group averages

COARSE_DEFAULTS = {
    "calls_reference": False,
    "grouping": "contiguous",  # "interleaved", "across_groups", "swapped"
    "averaged": "neurons",  # "time"
    "size": "from_input",  # "global": the scaffold's line reading X.shape deleted
    "hard_coded": None,  # "group_size" (16) or "timesteps" (10000): the tutorial's, written in
}

_COARSE_REFERENCE_CALL = (
    "from nmacausal.model.correlation import get_coarse_corr as reference\n\n"
    "def get_coarse_corr(n_groups, X, A):\n"
    "    return reference(n_groups, X, A)\n"
)


def _coarse_cell(c, student_lines):
    """The scaffold of the answer cell around the student's lines."""
    if c["calls_reference"]:
        return _COARSE_REFERENCE_CALL
    shape = "    n_neurons, timesteps = X.shape\n" if c["size"] == "from_input" else ""
    body = "".join(f"    {line}\n" for line in student_lines)
    return (
        "def get_coarse_corr(n_groups, X, A):\n"
        + shape
        + "    group_size = n_neurons // n_groups\n"
        + body
        + "    assert coarse_X.shape == (n_groups, timesteps)\n"
        "    R = correlation_for_all_neurons(coarse_X)\n"
        "    coarse_A = A.reshape(n_groups, group_size, n_groups, group_size).mean(3).mean(1)\n"
        "    corr = np.corrcoef(coarse_A.flatten(), R.flatten())[0, 1]\n"
        "    return corr, R, coarse_A\n"
    )


def _written(c):
    """The group size and the number of timesteps as the student's lines write them."""
    size = "16" if c["hard_coded"] == "group_size" else "group_size"
    timesteps = "10000" if c["hard_coded"] == "timesteps" else "timesteps"
    return size, timesteps


def _reshaped(reduce):
    def render(c):
        # X.reshape(...) then a reduction over one axis: the tutorial's way (with .mean).
        size, timesteps = _written(c)
        shape, axis = {
            "contiguous": (f"n_groups, {size}, {timesteps}", 1),
            "interleaved": (f"{size}, n_groups, {timesteps}", 0),
            "across_groups": (f"n_groups, {size}, {timesteps}", 0),
            "swapped": (f"{size}, n_groups, {timesteps}", 1),
        }[c["grouping"]]
        if c["averaged"] == "time":
            axis = 2
        return _coarse_cell(c, [f"coarse_X = X.reshape({shape}).{reduce}(axis={axis})"])

    return render


def _loop_over_groups(c):
    # One group at a time: the mean of a slice of contiguous rows.
    size, timesteps = _written(c)
    count, rows = {
        "contiguous": ("n_groups", f"X[group * {size}:(group + 1) * {size}]"),
        "interleaved": ("n_groups", "X[group::n_groups]"),
        "across_groups": (size, f"X[group::{size}]"),
        "swapped": (size, "X[group * n_groups:(group + 1) * n_groups]"),
    }[c["grouping"]]
    axis = 1 if c["averaged"] == "time" else 0
    return _coarse_cell(
        c,
        [
            f"coarse_X = np.zeros(({count}, {timesteps}))",
            f"for group in range({count}):",
            f"    coarse_X[group] = {rows}.mean(axis={axis})",
        ],
    )


def _split_mean(c):
    # np.split into equal blocks of rows, then np.mean over the axis of the rows in a block.
    parts, axis = {
        "contiguous": ("n_groups", 1),
        "interleaved": ("group_size", 0),
        "across_groups": ("n_groups", 0),
        "swapped": ("group_size", 1),
    }[c["grouping"]]
    if c["averaged"] == "time":
        axis = 2
    return _coarse_cell(c, [f"coarse_X = np.mean(np.split(X, {parts}), axis={axis})"])


COARSE_STYLES = (
    Style("reshape-mean", _reshaped("mean")),
    # A sum is the mean times the group size: the correlations are the same up to rounding.
    Style("reshape-sum", _reshaped("sum")),
    Style("loop-over-groups", _loop_over_groups),
    Style(
        "split-mean",
        _split_mean,
        cannot_make={
            "hard_coded_size": "np.split takes only the number of groups (an argument): the "
            "style writes neither the group size nor the number of timesteps"
        },
    ),
)

# ---------------------------------------------------------------- the tables

STYLES = {SINGLE: SINGLE_STYLES, COARSE: COARSE_STYLES}
DEFAULTS = {SINGLE: SINGLE_DEFAULTS, COARSE: COARSE_DEFAULTS}

# (exercise, mistake id) -> the choices that make it, one dict per way of making it.
MISTAKES = {
    (SINGLE, "calls_reference"): [{"calls_reference": "single"}, {"calls_reference": "all"}],
    (SINGLE, "global_size"): [{"size": "global"}],
    (SINGLE, "hard_coded_size"): [{"size": "hard_coded"}, {"neurons_looped": "6"}],
    (SINGLE, "returned_list"): [{"result": "list"}],
    (SINGLE, "diagonal_entry"): [{"entry": "diagonal"}],
    (SINGLE, "same_time"): [{"lag": "same_before"}, {"lag": "same_whole"}],
    # The lag reversed; the matrix styles take the selected neuron's row instead.
    (SINGLE, "effects_on_selected"): [{"lag": "reversed"}],
    (SINGLE, "own_future_only"): [{"outputs": "selected"}],
    (SINGLE, "covariance_not_correlation"): [{"statistic": "covariance"}],
    (SINGLE, "mixed_normalisations"): [{"ddof": "mixed"}],
    (SINGLE, "ignores_selected_neuron"): [{"cause_row": "1"}],
    (COARSE, "calls_reference"): [{"calls_reference": True}],
    (COARSE, "global_size"): [{"size": "global"}],
    (COARSE, "hard_coded_size"): [{"hard_coded": "group_size"}, {"hard_coded": "timesteps"}],
    (COARSE, "averaged_over_time"): [{"averaged": "time"}],
    (COARSE, "swapped_group_size"): [{"grouping": "swapped"}],
    (COARSE, "interleaved_groups"): [{"grouping": "interleaved"}, {"grouping": "across_groups"}],
}

# The style the tutorial's own solutions are written in (sizes taken from the inputs).
TUTORIAL_STYLE_NAMES = {SINGLE: "tutorial-scaffold", COARSE: "reshape-mean"}
