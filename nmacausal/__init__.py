"""nmacausal: the network-causality tutorial's model, estimators, checkers and tools.

The public functions keep the names and signatures of Neuromatch Academy's
"Network Causality, Tutorial 1: Interventions" and reproduce its numbers.

Modules, one per role:

- :mod:`nmacausal.simulation`: the network model and its simulators;
- :mod:`nmacausal.estimation`: causal effects estimated from perturbations;
- :mod:`nmacausal.plotting`: the tutorial's figures;
- :mod:`nmacausal.checks`: instant feedback on the exercises, hints and solutions.
"""

from .estimation import (
    connectivity_correlation,
    get_perturbed_connectivity_all_neurons,
    get_perturbed_connectivity_from_single_neuron,
    perturbation_outcome_pairs,
)
from .simulation import (
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
