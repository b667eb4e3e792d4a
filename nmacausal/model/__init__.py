"""The model layer: the network, its simulators, and one estimation module per method.

- :mod:`~nmacausal.model.simulation`: the network and its dynamics;
- :mod:`~nmacausal.model.perturbation`: effects estimated by perturbing neurons (Tutorial 1);
- :mod:`~nmacausal.model.quality`: how close an estimate is to the truth.

Nothing here knows about exercises, notebooks or grading.
"""
