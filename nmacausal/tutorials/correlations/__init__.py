"""Tutorial 2, "Correlations": connectivity estimated from observation alone.

Its exercises: one neuron's effects estimated by lagged correlation (1), and,
as a bonus, the correlations between the average activities of groups of
neurons compared with the average connectivity between them (Bonus 2.1).
"""

from ..tutorial import Tutorial, Video
from .coarse_correlation import CoarseCorrelation
from .single_neuron_correlation import SingleNeuronCorrelation

TUTORIAL = Tutorial(
    number=2,
    title="Correlations",
    exercises=(SingleNeuronCorrelation(), CoarseCorrelation()),
    # The original's lectures: (YouTube id, Bilibili id), and the cell each follows here.
    videos=(
        Video(
            1,
            "Correlation vs causation",
            "vjBO-S7KNPI",
            "BV1Ak4y1m7kk",
            "Section 1",
            "section-1",
        ),
        Video(
            2,
            "Correlation ~ causation for small systems",
            "eWLOnTUe9SM",
            "BV1XZ4y1u7FR",
            "Section 1",
            "small-takeaway",
        ),
        Video(
            3,
            "Correlation vs causation in large systems",
            "U4sV-7g8T08",
            "BV1uC4y1b76C",
            "Section 2.1",
            "large-takeaway",
        ),
        Video(4, "Summary", "hRyAN3yak_U", "BV1KK4y1x74w", "Summary", "summary"),
    ),
)
