"""Interactive explorers (ipywidgets with Matplotlib's inline backend).

- :class:`DynamicsExplorer` (:mod:`~nmacausal.widgets.dynamics`): the network's
  activity step by step, and the perturbation estimate converging.
"""

from .dynamics import DynamicsExplorer

__all__ = ["DynamicsExplorer"]
