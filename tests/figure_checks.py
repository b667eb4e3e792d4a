"""What the figure tests of Tutorials 2 to 4 check the same way: a figure drawn without warnings.

Used by tests/test_correlation_figures.py, tests/test_regression_figures.py and
tests/test_instrumental_figures.py.
"""

import warnings

from matplotlib.figure import Figure


def rendered_without_warnings(draw):
    """Run ``draw`` and render its figure with every warning an error; return what it returned.

    ``draw`` returns a Figure or an Axes.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = draw()
        figure = result if isinstance(result, Figure) else result.figure
        figure.canvas.draw()
    return result
