"""The day's figures. Each function draws on the axes it is given (or new ones)
and returns the figure; none calls ``plt.show()`` unless asked with ``show=True``.

- :mod:`~nmacausal.plotting.network`: networks, connectivity matrices, activity,
  and an estimate beside the truth (every tutorial uses them);
- :mod:`~nmacausal.plotting.sweeps`: estimation quality against a parameter of the
  network, and the correlation demos' figure (Tutorial 2 on);
- :mod:`~nmacausal.plotting.regression`: the observed part of a network, the
  regression demo's figure, and quality against the fraction observed (Tutorial 3);
- :mod:`~nmacausal.plotting.instrumental`: the IV estimate beside the truth, the
  IV-against-regression demo's figure, both methods against the fraction observed,
  and IV against the instrument's strength (Tutorial 4);
- :mod:`~nmacausal.plotting.comparison`: the four methods' estimates of one network
  side by side, and their quality against a condition (the day's summary).

Every module's public names are this package's too.
"""

from .._reexport import reexport_modules

__all__ = reexport_modules(__name__, __path__, globals())
