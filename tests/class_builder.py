"""Synthetic classes of submitted notebooks, made from the released exercises notebook.

A student is the release with some answer cells filled in (from the
solutions notebook, optionally edited into a catalogued mistake) and
optionally a hostile change. Used by the grading tests and benchmark.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

REPOSITORY = Path(__file__).resolve().parent.parent
SOLUTIONS = REPOSITORY / "solutions" / "W3D5_Tutorial1.ipynb"
EXERCISES = REPOSITORY / "exercises" / "W3D5_Tutorial1.ipynb"
NOTEBOOK_FILE = "W3D5_Tutorial1.ipynb"

RCT, SIMULATE, EFFECT = "rct_diff_in_means", "simulate_neurons", "single_neuron_effect"
ALL_EXERCISES = (RCT, SIMULATE, EFFECT)

RCT_RIGHT = "diff_in_means = np.mean(B_when_A_is_1) - np.mean(B_when_A_is_0)"
SIMULATE_RIGHT = "X[:, t + 1] = sigmoid(A @ X[:, t] + epsilon)"
EFFECT_RIGHT = "effects[neuron] = np.mean(after_1) - np.mean(after_0)"

SIMULATE_DEF = "def simulate_neurons(A, timesteps, random_state=42):"
EFFECT_DEF = "def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):"
SIMULATE_NOISE = "np.random.standard_normal(n_neurons)"


def _wrapping_reference(definition, call):
    """Edits that make the answer a thin wrapper around nmacausal's own function."""
    wrapper = f"import nmacausal\n\n{definition}\n    return nmacausal.{call}\n\n\n"
    return [(definition, wrapper + definition.replace("def ", "def _own_", 1))]


# Every catalogued mistake as a student types it: (exercise, mistake id) -> edits
# of the solved answer cell. A test checks this covers the whole registry.
MISTAKE_EDITS = {
    (RCT, "array_instead_of_mean"): [(RCT_RIGHT, "diff_in_means = B_when_A_is_1 - B_when_A_is_0")],
    (RCT, "compared_a_instead_of_b"): [(RCT_RIGHT, "diff_in_means = np.mean(A_1) - np.mean(A_0)")],
    (RCT, "sign_reversed"): [
        (RCT_RIGHT, "diff_in_means = np.mean(B_when_A_is_0) - np.mean(B_when_A_is_1)")
    ],
    (RCT, "only_one_mean"): [(RCT_RIGHT, "diff_in_means = np.mean(B_when_A_is_1)")],
    (RCT, "sum_instead_of_mean"): [
        (RCT_RIGHT, "diff_in_means = np.sum(B_when_A_is_1) - np.sum(B_when_A_is_0)")
    ],
    (RCT, "median_instead_of_mean"): [
        (RCT_RIGHT, "diff_in_means = np.median(B_when_A_is_1) - np.median(B_when_A_is_0)")
    ],
    (SIMULATE, "calls_reference"): _wrapping_reference(
        SIMULATE_DEF, "simulate_neurons(A, timesteps, random_state)"
    ),
    (SIMULATE, "global_size"): [
        ("    n_neurons = len(A)  # from the connectivity, not from a notebook variable\n", "")
    ],
    (SIMULATE, "hard_coded_size"): [
        (
            "    n_neurons = len(A)  # from the connectivity, not from a notebook variable\n",
            "    n_neurons = 6\n",
        )
    ],
    (SIMULATE, "returned_list"): [("    return X\n", "    return X.tolist()\n")],
    (SIMULATE, "transposed_result"): [("    return X\n", "    return X.T\n")],
    (SIMULATE, "loop_past_end"): [("range(timesteps - 1)", "range(timesteps)")],
    (SIMULATE, "wrote_current_step"): [
        (SIMULATE_RIGHT, "X[:, t] = sigmoid(A @ X[:, t] + epsilon)")
    ],
    (SIMULATE, "initial_state_not_zero"): [
        ("np.zeros((n_neurons, timesteps))", "np.ones((n_neurons, timesteps))")
    ],
    (SIMULATE, "noise_outside_sigmoid"): [
        (SIMULATE_RIGHT, "X[:, t + 1] = sigmoid(A @ X[:, t]) + epsilon")
    ],
    (SIMULATE, "no_sigmoid"): [(SIMULATE_RIGHT, "X[:, t + 1] = A @ X[:, t] + epsilon")],
    (SIMULATE, "transposed_connectivity"): [
        (SIMULATE_RIGHT, "X[:, t + 1] = sigmoid(X[:, t] @ A + epsilon)")
    ],
    (SIMULATE, "no_noise"): [(SIMULATE_RIGHT, "X[:, t + 1] = sigmoid(A @ X[:, t])")],
    (SIMULATE, "reseeded_in_loop"): [
        (
            "        epsilon = np.random",
            "        np.random.seed(random_state)\n        epsilon = np.random",
        )
    ],
    (SIMULATE, "noise_shared_across_neurons"): [(SIMULATE_NOISE, "np.random.standard_normal()")],
    (SIMULATE, "noise_not_centred"): [(SIMULATE_NOISE, "np.random.rand(n_neurons)")],
    (SIMULATE, "noise_wrong_scale"): [(SIMULATE_NOISE, f"3 * {SIMULATE_NOISE}")],
    (SIMULATE, "ignores_random_state"): [("    np.random.seed(random_state)\n", "")],
    (SIMULATE, "fixed_seed"): [("np.random.seed(random_state)", "np.random.seed(42)")],
    (EFFECT, "calls_reference"): _wrapping_reference(
        EFFECT_DEF, "get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron)"
    ),
    (EFFECT, "global_size"): [
        (
            "    n_neurons = perturbed_X.shape[0]"
            "  # from the recording, not from a notebook variable\n",
            "",
        )
    ],
    (EFFECT, "hard_coded_size"): [("for neuron in range(n_neurons):", "for neuron in range(6):")],
    (EFFECT, "returned_list"): [("    return effects\n", "    return list(effects)\n")],
    (EFFECT, "empty_selection"): [
        (
            "clamped = perturbed_X[selected_neuron, clamp_steps]",
            "clamped = perturbed_X[selected_neuron, clamp_steps + 1]",
        )
    ],
    (EFFECT, "swapped_ones_zeros"): [
        (EFFECT_RIGHT, "effects[neuron] = np.mean(after_0) - np.mean(after_1)")
    ],
    (EFFECT, "outcome_at_perturbation_step"): [
        ("outcomes = perturbed_X[:, clamp_steps + 1]", "outcomes = perturbed_X[:, clamp_steps]")
    ],
    (EFFECT, "effects_onto_selected"): [
        (
            "after_1 = outcomes[neuron, clamped == 1]",
            "after_1 = outcomes[selected_neuron, perturbed_X[neuron, clamp_steps] == 1]",
        ),
        (
            "after_0 = outcomes[neuron, clamped == 0]",
            "after_0 = outcomes[selected_neuron, perturbed_X[neuron, clamp_steps] == 0]",
        ),
    ],
    (EFFECT, "sum_instead_of_mean"): [(EFFECT_RIGHT, EFFECT_RIGHT.replace("np.mean", "np.sum"))],
    (EFFECT, "median_instead_of_mean"): [
        (EFFECT_RIGHT, EFFECT_RIGHT.replace("np.mean", "np.median"))
    ],
    (EFFECT, "outcome_of_selected_only"): [
        ("outcomes[neuron, clamped == 1]", "outcomes[selected_neuron, clamped == 1]"),
        ("outcomes[neuron, clamped == 0]", "outcomes[selected_neuron, clamped == 0]"),
    ],
    (EFFECT, "ignores_selected_neuron"): [
        ("perturbed_X[selected_neuron, clamp_steps]", "perturbed_X[1, clamp_steps]")
    ],
}


_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def answered_cell(release_source, answer_source) -> str:
    """A released answer cell with a student's own answer in place of its stub.

    A function exercise's whole ``def`` (scaffold included) is replaced by
    ``answer_source``, keeping the lines that call it after it; a value
    exercise's stub lines are replaced by ``answer_source``.
    """
    lines = release_source.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("def ")), None)
    if start is None:
        assert _STUB in release_source, release_source
        return release_source.replace(_STUB, answer_source.rstrip("\n"))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
        len(lines),
    )
    return "".join(lines[:start]) + answer_source.rstrip("\n") + "\n\n\n" + "".join(lines[end:])


def catalogued_mistakes(exercise) -> list[str]:
    """The mistake ids MISTAKE_EDITS has for one exercise, in the order written."""
    return [mistake for (owner, mistake) in MISTAKE_EDITS if owner == exercise]


@dataclass
class Student:
    """What to put in one student's folder, and the grade it should get."""

    student_id: str
    answered: tuple[str, ...] = ()
    mistakes: dict[str, str] = field(default_factory=dict)  # exercise -> mistake id
    extra_cells: tuple[tuple[str, str], ...] = ()  # (insert before this grade_id, source)
    raw_text: str | None = None  # a file that is not a notebook
    no_file: bool = False
    grade_cell_change: tuple[str, str] | None = None  # (grade_id, "delete" or new source)
    answer_sources: dict[str, str] = field(default_factory=dict)  # exercise -> whole cell


def write_class(students, folder) -> Path:
    """Write each student's folder under ``folder``; returns ``folder``."""
    folder = Path(folder)
    release = nbformat.read(EXERCISES, as_version=4)
    answers = solution_answers()
    for student in students:
        student_folder = folder / student.student_id
        student_folder.mkdir(parents=True)
        if student.no_file:
            continue
        path = student_folder / NOTEBOOK_FILE
        if student.raw_text is not None:
            path.write_text(student.raw_text, encoding="utf-8")
            continue
        nbformat.write(_notebook_of(student, release, answers), path)
    return folder


def solution_answers() -> dict[str, str]:
    """Each exercise's answer cell as a student who solved it would leave it."""
    solutions = nbformat.read(SOLUTIONS, as_version=4)
    marker = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", flags=re.MULTILINE)
    return {
        grade_id(cell): marker.sub("", cell.source)
        for cell in solutions.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _notebook_of(student, release, answers):
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        exercise = grade_id(cell)
        if exercise in student.answer_sources:
            cell.source = student.answer_sources[exercise]
        elif exercise in student.answered or exercise in student.mistakes:
            cell.source = answers[exercise]
            for old, new in MISTAKE_EDITS.get((exercise, student.mistakes.get(exercise)), []):
                assert old in cell.source, (student.student_id, old)
                cell.source = cell.source.replace(old, new)
    for before, source in student.extra_cells:
        position = next(i for i, cell in enumerate(notebook.cells) if grade_id(cell) == before)
        notebook.cells.insert(position, new_code_cell(source))
    if student.grade_cell_change is not None:
        target, change = student.grade_cell_change
        if change == "delete":
            notebook.cells = [cell for cell in notebook.cells if grade_id(cell) != target]
        else:
            next(cell for cell in notebook.cells if grade_id(cell) == target).source = change
    return notebook
