"""nmacausal: the network-causality tutorial's model, estimators, checkers and tools.

The public functions keep the names and signatures of Neuromatch Academy's
"Network Causality" day (W3D5) and reproduce its numbers.

The package, layer by layer (each imports only from the ones above it):

- :mod:`nmacausal.model`: the network, its simulators, one estimation module per method;
- :mod:`nmacausal.plotting` and :mod:`nmacausal.widgets`: the figures and the explorers;
- :mod:`nmacausal.checking`: verdicts, the kinds of exercise, running a student's code;
- :mod:`nmacausal.tutorials`: one module per tutorial, declaring its exercises;
- :mod:`nmacausal.checks`: the checkers students call, with hints and solutions;
- :mod:`nmacausal.course`: the notebooks and the nbgrader course;
- :mod:`nmacausal.grading`: grading a class into one gradebook, and its report;
- :mod:`nmacausal.cli`: the ``nmacausal`` command.
"""

from .model.perturbation import (
    get_perturbed_connectivity_all_neurons,
    get_perturbed_connectivity_from_single_neuron,
    perturbation_outcome_pairs,
)
from .model.quality import connectivity_correlation
from .model.simulation import (
    create_connectivity,
    isolated_random_state,
    neuron_B,
    sigmoid,
    simulate_neurons,
    simulate_neurons_perturb,
)

__version__ = "0.1.0"

__all__ = [
    "connectivity_correlation",
    "create_connectivity",
    "get_perturbed_connectivity_all_neurons",
    "get_perturbed_connectivity_from_single_neuron",
    "isolated_random_state",
    "neuron_B",
    "perturbation_outcome_pairs",
    "sigmoid",
    "simulate_neurons",
    "simulate_neurons_perturb",
]
