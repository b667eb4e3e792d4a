"""Tutorial 1, "Interventions": causal effects measured by perturbing neurons.

Its exercises: the difference in means of a randomized trial (1), simulating
the network (2), and the effects of one perturbed neuron (3.2).
"""

from ..tutorial import Tutorial
from .randomized_trial import RandomizedTrial
from .simulate_neurons import SimulateNeurons
from .single_neuron_effect import SingleNeuronEffect

TUTORIAL = Tutorial(
    number=1,
    title="Interventions",
    exercises=(RandomizedTrial(), SimulateNeurons(), SingleNeuronEffect()),
)
