"""Interactive explorers (ipywidgets with Matplotlib's inline backend).

- :class:`DynamicsExplorer` (:mod:`~nmacausal.widgets.dynamics`): the network's
  activity step by step, and the perturbation estimate converging (Tutorial 1);
- :class:`NetworkSizeExplorer` and :class:`SparsityExplorer`
  (:mod:`~nmacausal.widgets.correlation`): the lagged-correlation estimate as
  the network grows or its connections thin out (Tutorial 2);
- :class:`ObservedNeuronsExplorer` (:mod:`~nmacausal.widgets.regression`): the
  regression estimate as fewer of the network's neurons are observed (Tutorial 3);
- :class:`IVObservedNeuronsExplorer` (:mod:`~nmacausal.widgets.instrumental`): the
  IV and the regression estimates side by side as fewer neurons are observed (Tutorial 4);
- :class:`MethodsExplorer` (:mod:`~nmacausal.widgets.methods`): the day in one figure,
  the four methods' estimates of one network side by side, under conditions the
  student sets (Tutorial 4's summary).

Every module's public names are this package's too.
"""

from .._reexport import reexport_modules

__all__ = reexport_modules(__name__, __path__, globals())
