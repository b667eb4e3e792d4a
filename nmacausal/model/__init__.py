"""The model layer: the network, its simulators, and one estimation module per method.

- :mod:`~nmacausal.model.simulation`: the network and its dynamics;
- :mod:`~nmacausal.model.perturbation`: effects estimated by perturbing neurons (Tutorial 1);
- :mod:`~nmacausal.model.correlation`: connectivity estimated by lagged correlation (Tutorial 2);
- :mod:`~nmacausal.model.regression`: connectivity estimated by Lasso regression (Tutorial 3);
- :mod:`~nmacausal.model.instrumental`: connectivity estimated with instrumental variables
  (Tutorial 4);
- :mod:`~nmacausal.model.comparison`: the four methods on one network, side by side;
- :mod:`~nmacausal.model.quality`: how close an estimate is to the truth.

Nothing here knows about exercises, notebooks or grading. Every module's public
names are this package's too (and ``nmacausal``'s), found by
:func:`~nmacausal._reexport.reexport_modules`.
"""

from .._reexport import reexport_modules

__all__ = reexport_modules(__name__, __path__, globals())
