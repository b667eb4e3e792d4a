"""Exercise 3.2: the effects of one perturbed neuron on every neuron."""

from __future__ import annotations

import numpy as np

from ...checking.answers import close_enough
from ...checking.common_mistakes import (
    GLOBAL_SIZE,
    HARD_CODED_SIZE,
    RETURNED_LIST,
    calls_reference,
    ignores_index,
)
from ...checking.kinds import (
    Case,
    FunctionProblem,
    Mistake,
    format_numbers,
    random_connectivity,
    same_as,
)
from ...model import perturbation as estimation
from ...model import simulation

_TUTORIAL_NETWORK = " (the tutorial's network)"


def _recording(name, A, timesteps, selected_neuron, random_state, note="", *, advice=""):
    """A case of exercise 3.2: a perturbed recording of network ``A`` and a neuron to select."""
    perturbed_X = simulation.simulate_neurons_perturb(A, timesteps, random_state=random_state)
    n_neurons = A.shape[0]
    description = (
        f"perturbed_X of shape {perturbed_X.shape} ({n_neurons} "
        f"{'neuron' if n_neurons == 1 else 'neurons'}, {timesteps} timesteps), "
        f"selected_neuron={selected_neuron}{note}"
    )
    sizes = {"number of neurons": n_neurons, "number of timesteps": timesteps}
    return Case(name, (perturbed_X, selected_neuron), description, (n_neurons,), sizes, advice)


def _split_by_selected(perturbed_X, selected_neuron):
    """Clamped states, next-step outcomes and the selected neuron's 1 / 0 steps."""
    perturbations, outcomes = estimation.perturbation_outcome_pairs(perturbed_X)
    set_to_one = perturbations[selected_neuron] == 1
    set_to_zero = perturbations[selected_neuron] == 0
    return perturbations, outcomes, set_to_one, set_to_zero


def _zeros_minus_ones(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return outcomes[:, zeros].mean(axis=1) - outcomes[:, ones].mean(axis=1)


def _outcomes_at_perturbation(perturbed_X, selected_neuron):
    perturbations, _, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return perturbations[:, ones].mean(axis=1) - perturbations[:, zeros].mean(axis=1)


def _effects_onto_selected(perturbed_X, selected_neuron):
    perturbations, outcomes, _, _ = _split_by_selected(perturbed_X, selected_neuron)
    target = outcomes[selected_neuron]
    return np.array([target[row == 1].mean() - target[row == 0].mean() for row in perturbations])


def _sums_not_means(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return outcomes[:, ones].sum(axis=1) - outcomes[:, zeros].sum(axis=1)


def _medians_not_means(perturbed_X, selected_neuron):
    _, outcomes, ones, zeros = _split_by_selected(perturbed_X, selected_neuron)
    return np.median(outcomes[:, ones], axis=1) - np.median(outcomes[:, zeros], axis=1)


def _selected_outcome_everywhere(perturbed_X, selected_neuron):
    own = estimation.get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron)
    return np.full(perturbed_X.shape[0], own[selected_neuron])


def _detect_empty_selection(submission):
    # The NaN may come as an array of the right shape, or collapsed to one number
    # (np.mean of an empty list along an axis of a list).
    failure = submission.failure
    if failure is None or failure.kind not in ("not_finite", "shape", "type"):
        return None
    try:
        values = np.asarray(failure.value, dtype=float)
    except (TypeError, ValueError):
        return None
    return "" if np.isnan(values).any() else None


class SingleNeuronEffect(FunctionProblem):
    id = "single_neuron_effect"
    title = "Using perturbed dynamics to recover connectivity"
    section = "3.2"
    points = 2
    answer_name = "get_perturbed_connectivity_from_single_neuron"
    check_name = "check_perturbed_connectivity_from_single_neuron"
    check_doc = """Check Exercise 3.2: the effects of one perturbed neuron on every neuron.

    The student writes
    ``get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron)``.

    The function is run on several perturbed recordings (1 to 6 neurons, odd
    and even lengths, various selected neurons) and compared with the reference.

    Examples
    --------
    >>> def stub(perturbed_X, selected_neuron):
    ...     raise NotImplementedError
    >>> check_perturbed_connectivity_from_single_neuron(stub).status
    'not_attempted'
    """
    shape_meaning = "(n_neurons,)"
    domain = (
        "recordings made as simulate_neurons_perturb makes them (every neuron clamped to 0 or 1 "
        "on the even steps, from step 0) with an even number of timesteps, as the tutorial "
        "records; any network size (1 to 6 neurons are tested); any selected neuron"
    )
    hints = (
        "For each neuron j: average its activity one step after the perturbation steps where "
        "the selected neuron was set to 1, and subtract its average one step after the steps "
        "where the selected neuron was set to 0.",
        "In the loop, `after_1` holds this neuron's activity one step after the perturbations "
        "that set the selected neuron to 1, and `after_0` one step after those that set it to "
        "0. The effect is the difference of their means.",
        "`effects[neuron] = np.mean(after_1) - np.mean(after_0)`. Take the number of neurons "
        "from `perturbed_X.shape[0]`, not from a notebook variable.",
    )
    solution = '''\
def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron):
    """Effect of `selected_neuron` on every neuron, by a difference in means."""
    n_neurons = perturbed_X.shape[0]  # from the recording, not from a notebook variable
    timesteps = perturbed_X.shape[1]
    # Perturbations happen on even steps; the outcome of each is the step after it.
    clamp_steps = np.arange(0, timesteps - 1, 2)
    clamped = perturbed_X[selected_neuron, clamp_steps]  # 0 or 1 on each perturbation
    outcomes = perturbed_X[:, clamp_steps + 1]  # every neuron, one step later
    effects = np.zeros(n_neurons)
    for neuron in range(n_neurons):
        after_1 = outcomes[neuron, clamped == 1]
        after_0 = outcomes[neuron, clamped == 0]
        effects[neuron] = np.mean(after_1) - np.mean(after_0)
    return effects
'''
    mistakes = (
        calls_reference(estimation.get_perturbed_connectivity_from_single_neuron),
        GLOBAL_SIZE,
        HARD_CODED_SIZE,
        RETURNED_LIST,
        Mistake(
            id="empty_selection",
            message="Your estimate contains NaN, the mean of an empty selection: no step matched "
            "your condition. The perturbations (0 or 1) are on the even steps, "
            "perturbed_X[selected_neuron, ::2], and the outcomes on the odd steps, "
            "perturbed_X[:, 1::2].",
            detected_by="the result contains NaN",
            detect=_detect_empty_selection,
        ),
        Mistake(
            id="swapped_ones_zeros",
            message="Your signs are flipped: the effect is the mean outcome after the selected "
            "neuron was set to 1 minus the mean after it was set to 0, not the reverse.",
            detected_by="same as the mean for 0 minus the mean for 1",
            detect=same_as(_zeros_minus_ones),
        ),
        Mistake(
            id="outcome_at_perturbation_step",
            message="You read the outcomes on the perturbation steps themselves, where every "
            "neuron was just clamped to 0 or 1. The effect shows one step later: take the "
            "outcomes from the odd steps, perturbed_X[:, 1::2].",
            detected_by="same as taking outcomes from the even (clamped) steps",
            detect=same_as(_outcomes_at_perturbation),
        ),
        Mistake(
            id="effects_onto_selected",
            message="You estimated the effects of every neuron onto the selected neuron, not "
            "from it: split the steps by the selected neuron's perturbations, then compare "
            "every neuron's outcome.",
            detected_by="same as splitting by each neuron's perturbations and comparing the "
            "selected neuron's outcomes",
            detect=same_as(_effects_onto_selected),
        ),
        Mistake(
            id="sum_instead_of_mean",
            message="You summed the outcomes instead of averaging them: the two conditions have "
            "different numbers of steps, so take np.mean of each.",
            detected_by="same as a difference of sums",
            detect=same_as(_sums_not_means),
        ),
        Mistake(
            id="median_instead_of_mean",
            message="The estimate is a difference in means: use np.mean, not np.median.",
            detected_by="same as a difference of medians",
            detect=same_as(_medians_not_means),
        ),
        Mistake(
            id="outcome_of_selected_only",
            message="Every entry of your estimate is the same number: inside the loop, compare "
            "the outcomes of neuron neuron_idx (this_neuron_output), not of the selected neuron.",
            detected_by="same as repeating the selected neuron's own entry",
            detect=same_as(_selected_outcome_everywhere),
        ),
        ignores_index(
            "selected_neuron",
            "middle_neuron",
            message="Your function returns the same estimate whatever selected_neuron is: split "
            "the steps with perturbed_X[selected_neuron, ::2], using the argument, not a fixed "
            "neuron or a notebook variable.",
        ),
    )

    @property
    def reference(self):
        return estimation.get_perturbed_connectivity_from_single_neuron

    @property
    def reference_functions(self):
        # Pairing perturbations with outcomes is half of the exercise.
        return (
            estimation.get_perturbed_connectivity_from_single_neuron,
            estimation.perturbation_outcome_pairs,
        )

    def build_cases(self):
        return (
            _recording("last_neuron", random_connectivity(2, 11), 40, 1, 1),
            _recording("middle_neuron", random_connectivity(5, 12), 60, 2, 2),
            _recording("first_neuron", random_connectivity(4, 13), 200, 0, 3),
            _recording(
                "tutorial", simulation.create_connectivity(6), 5000, 1, 42, _TUTORIAL_NETWORK
            ),
            _recording("one_neuron", np.array([[0.5]]), 40, 0, 0),
        )

    def build_probes(self):
        return (
            _recording(
                "odd_length",
                random_connectivity(5, 12),
                61,
                2,
                2,
                advice="The tutorial always records an even number of timesteps, so this costs "
                "nothing here. With an odd number, the last perturbation step has no outcome "
                "after it (`perturbed_X[:, ::2]` has one column more than "
                "`perturbed_X[:, 1::2]`); pairing only the perturbations that have an outcome "
                "would make it work there too.",
            ),
        )

    def correct_message(self):
        return (
            "Your estimates equal the reference's on every test recording (1 to 6 "
            "neurons, 40 to 5000 timesteps, first, middle and last neuron selected), so your "
            "figure matches the tutorial's."
        )

    def describe_wrong(self, submission):
        reference = self.outputs_of(self.reference)
        for case, got, expected in zip(self.cases(), submission.outputs, reference, strict=True):
            if not close_enough(got, expected):
                return (
                    f"Called with {case.description}, it should return "
                    f"{format_numbers(expected)}, but your function returned {format_numbers(got)}."
                )
        return "Your function's results differ from the reference's."
