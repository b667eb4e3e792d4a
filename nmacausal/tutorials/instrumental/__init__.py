"""Tutorial 4, "Instrumental variables": causal effects from an observed source of randomness.

Its exercises: the two stages of two-stage least squares on the smoking example
(1.3.1, the treatment regressed on the instrument; 1.3.2, the outcome regressed
on the first stage's fitted values), and the network simulated with a binary
instrument driving each neuron (2.1); and, as bonuses, the sweep of IV's quality over the
instrument's strength (Bonus 1) and lag-1 Granger causality (Bonus 2.1).
"""

from ..tutorial import Tutorial, Video
from .first_stage import FirstStage
from .granger_causality import GrangerCausality
from .instrument_strength import InstrumentStrength
from .second_stage import SecondStage
from .simulate_neurons_iv import SimulateNeuronsIV

TUTORIAL = Tutorial(
    number=4,
    title="Instrumental variables",
    exercises=(
        FirstStage(),
        SecondStage(),
        SimulateNeuronsIV(),
        InstrumentStrength(),
        GrangerCausality(),
    ),
    # The original's lectures: (YouTube id, Bilibili id), and the cell each follows here.
    videos=(
        Video(1, "Instrumental Variables", "0gkav6BS4-w", "BV1of4y1R7L1", "Section 1", "section-1"),
        Video(2, "Stage 1", "4WT0KrySRTg", "BV1jK4y1x7q5", "Section 1.3.1", "section-1-3-1"),
        Video(3, "Stage 2", "F-_m_Vgv75I", "BV1Kv411q7Wx", "Section 1.3.2", "section-1-3-2"),
        Video(
            4,
            "IVs in simulated neural systems",
            "b6a3Mrefk44",
            "BV1nA411v7Hs",
            "Section 2",
            "section-2",
        ),
        Video(5, "IV vs regression", "zceWyoQn09s", "BV1pv411q7Hc", "Section 3", "section-3"),
        Video(6, "Summary", "1qxW8CPW77U", "BV1Gt4y1X76z", "Summary", "summary"),
    ),
)
