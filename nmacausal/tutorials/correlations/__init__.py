"""Tutorial 2, "Correlations": connectivity estimated from observation alone.

Its exercises: one neuron's effects estimated by lagged correlation (1), and,
as a bonus, the correlations between the average activities of groups of
neurons compared with the average connectivity between them (Bonus 2.1).
"""

from ..tutorial import Tutorial
from .coarse_correlation import CoarseCorrelation
from .single_neuron_correlation import SingleNeuronCorrelation

TUTORIAL = Tutorial(
    number=2,
    title="Correlations",
    exercises=(SingleNeuronCorrelation(), CoarseCorrelation()),
)
