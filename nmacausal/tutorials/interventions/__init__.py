"""Tutorial 1, "Interventions": causal effects measured by perturbing neurons.

Its exercises: the difference in means of a randomized trial (1), simulating
the network (2), and the effects of one perturbed neuron (3.2).
"""

from ..tutorial import Tutorial, Video
from .randomized_trial import RandomizedTrial
from .simulate_neurons import SimulateNeurons
from .single_neuron_effect import SingleNeuronEffect

TUTORIAL = Tutorial(
    number=1,
    title="Interventions",
    exercises=(RandomizedTrial(), SimulateNeurons(), SingleNeuronEffect()),
    # The original's lectures: (YouTube id, Bilibili id), and the cell each follows here.
    videos=(
        Video(1, "Defining causality", "yiddT2sMbZM", "BV1ZD4y1m7GG", "Section 1", "section-1"),
        Video(
            2,
            "Simulated neural system model",
            "oPJz49dAuL8",
            "BV1Xt4y1Q7uC",
            "Section 2",
            "section-2",
        ),
        Video(3, "Perturbing systems", "wOZunGtuqQE", "BV1Hv411q7Ka", "Section 3", "section-3"),
        Video(
            4,
            "Calculating causality",
            "EDZtcsIAVGM",
            "BV15A411v7JS",
            "Section 3.2",
            "section-3-2",
        ),
        Video(5, "Summary", "p3fZW5Woqa4", "BV1FT4y1j7PW", "Summary", "summary"),
    ),
)
