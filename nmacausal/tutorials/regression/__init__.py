"""Tutorial 3, "Simultaneous fitting/regression": connectivity estimated by regression.

Its exercise: the connections into one neuron, estimated by regressing its
next activity on every neuron's with a Lasso (1).
"""

from ..tutorial import Tutorial, Video
from .regression_estimate import RegressionEstimate

TUTORIAL = Tutorial(
    number=3,
    title="Simultaneous fitting/regression",
    exercises=(RegressionEstimate(),),
    # The original's lectures: (YouTube id, Bilibili id), and the cell each follows here.
    videos=(
        Video(1, "Regression approach", "Av4LaXZdgDo", "BV1m54y1q78b", "Section 1", "section-1"),
        Video(2, "Fitting a GLM", "GvMj9hRv5Ak", "BV16p4y1S7yE", "Section 1", "confounds"),
        Video(3, "Omitted variable bias", "5CCib6CTMac", "BV1ov411i7dc", "Section 2", "section-2"),
        Video(4, "Summary", "T1uGf1H31wE", "BV1bh411o73r", "Summary", "summary"),
    ),
)
