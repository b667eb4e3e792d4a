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

from . import model

# The model's public functions, under the tutorials' names: every estimation module's too.
globals().update({name: getattr(model, name) for name in model.__all__})

__version__ = "0.1.0"

__all__ = list(model.__all__)
