"""The day's four methods on one network, side by side (the day's summary).

One network, ``create_connectivity(n_neurons, random_state=seed, p=p)``, is
recorded three ways, one per kind of experiment of the day:

- **perturbed**: every neuron clamped to a random 0/1 on every other step
  (:func:`~nmacausal.simulate_neurons_perturb`, Tutorial 1);
- **free**: left alone (:func:`~nmacausal.simulate_neurons`), the only
  recording that lagged correlation (Tutorial 2) and regression (Tutorial 3)
  are given;
- **with an instrument**: every neuron driven by a random 0/1 input of
  strength ``eta`` (Tutorial 4's :func:`~nmacausal.simulate_neurons_iv`, run on
  this network; for ``p = 0.9`` it is that function's recording bit for bit).

The free and perturbed runs share their noise seed, ``seed``, as in
:class:`~nmacausal.widgets.DynamicsExplorer`. Regression and correlation get
the free run, not the instrumented one, because the instrument is itself a
random input to every neuron, an intervention of sorts, which would help them:
the point of the comparison is what observation alone can do.

Only the first ``k = clip(int(n_neurons * observed_fraction), 1, n_neurons)``
neurons are observed, as in Tutorials 3 and 4. Each method estimates their
block of the connectivity from their recordings alone (the perturbed run's
other neurons are clamped too, but not recorded), and the estimate is judged
by its correlation with the true block ``A[:k, :k]``, the day's yardstick
(:func:`~nmacausal.connectivity_correlation`). Where that correlation is
undefined (a single observed neuron, no connection among the observed neurons,
too short a recording, no instrument), the result says why instead of raising.

:class:`MethodsComparer` keeps the recordings and the estimates it has made,
each keyed by what it depends on: changing the fraction observed re-estimates
without simulating, changing ``eta`` simulates only the instrumented run, and
going back to a setting already seen recomputes nothing. NumPy's global random
stream is left as it was.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from .._validation import check_integer
from .correlation import correlation_for_all_neurons
from .instrumental import (
    COMPARISON_REGRESSION_ARGS,
    _check_eta,
    _drive_with_instrument,
    get_iv_estimate_network,
)
from .perturbation import get_perturbed_connectivity_all_neurons
from .quality import _why_undefined, connectivity_correlation
from .regression import (
    _check_ratio,
    _check_regression_args,
    _n_observed,
    fit_regression_connectivity,
)
from .simulation import (
    _check_probability,
    create_connectivity,
    isolated_random_state,
    simulate_neurons,
    simulate_neurons_perturb,
)

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "ComparisonConditions",
    "MethodEstimate",
    "MethodsComparer",
    "MethodsComparison",
    "compare_methods",
]

#: The day's methods, in the day's order: Tutorials 1, 2, 3 and 4.
METHODS = ("perturbation", "correlation", "regression", "iv")

#: Each method's name in words, for figures and messages (read-only).
METHOD_LABELS = MappingProxyType(
    {
        "perturbation": "Perturbation",
        "correlation": "Lagged correlation",
        "regression": "Regression (Lasso)",
        "iv": "Instrumental variables",
    }
)

# A perturbation estimate needs two (clamped, next) pairs: four steps.
MIN_TIMESTEPS = 4

# Recordings kept per kind, the last ones used: memory stays bounded (100 neurons for
# 20000 steps is 16 MB a recording). The estimates, small, are kept longer, so going back
# to a setting seen needs no recording at all.
RECORDINGS_KEPT = 4
ESTIMATES_KEPT = 512


@dataclasses.dataclass(frozen=True)
class ComparisonConditions:
    """The conditions of one comparison: the network, the recordings, what is observed.

    Build it with keywords; every field is checked and cleaned (ints, floats).

    Parameters
    ----------
    n_neurons : int, default=50
        Number of neurons of the network, at least 1.
    timesteps : int, default=5000
        Length of each recording, at least 4.
    observed_fraction : float, default=0.5
        Fraction of the neurons observed, in ``(0, 1]``: the first
        ``int(n_neurons * observed_fraction)`` neurons (at least one).
    eta : float, default=2
        Strength of the instrument, a finite number >= 0 (0: no instrument).
    p : float, default=0.9
        Probability that a possible connection is absent (the sparsity), in ``[0, 1]``.
    seed : int, default=42
        Seed of the network and of every recording's noise, from 0 to 2**32 - 1.

    Raises
    ------
    TypeError, ValueError
        If a field is not of its type or outside its range.

    Examples
    --------
    >>> conditions = ComparisonConditions(n_neurons=20, observed_fraction=0.25)
    >>> conditions.n_observed
    5
    >>> conditions.replace(observed_fraction=1).n_observed
    20
    """

    n_neurons: int = 50
    timesteps: int = 5000
    observed_fraction: float = 0.5
    eta: float = 2.0
    p: float = 0.9
    seed: int = 42

    def __post_init__(self):
        checked = {
            "n_neurons": check_integer(self.n_neurons, "n_neurons", minimum=1),
            "timesteps": check_integer(self.timesteps, "timesteps", minimum=MIN_TIMESTEPS),
            "observed_fraction": float(_check_ratio(self.observed_fraction, "observed_fraction")),
            "eta": _check_eta(self.eta, "eta"),
            "p": _check_probability(self.p, "p"),
            "seed": check_integer(self.seed, "seed", minimum=0, maximum=2**32 - 1),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    @property
    def n_observed(self):
        """How many neurons are observed: the first ``int(n_neurons * observed_fraction)``."""
        return _n_observed(self.n_neurons, self.observed_fraction)

    def replace(self, **changes):
        """These conditions with some fields changed (checked again)."""
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class MethodEstimate:
    """One method's estimate of the observed block, and how close it is to the truth.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    estimate : numpy.ndarray of shape (n_observed, n_observed) or None
        In ``A``'s orientation (``estimate[i, j]``: effect of ``j`` on ``i``);
        None where the method cannot estimate from these recordings.
    correlation : float or None
        Pearson correlation of ``estimate`` with the true block; None where undefined.
    reason : str
        Why ``correlation`` is None, in words; empty when it is defined.
    """

    method: str
    estimate: np.ndarray | None
    correlation: float | None
    reason: str

    @property
    def label(self):
        """The method's name in words, for example ``"Instrumental variables"``."""
        return METHOD_LABELS[self.method]


@dataclasses.dataclass(frozen=True)
class MethodsComparison:
    """The four methods' estimates of one network's observed block.

    Attributes
    ----------
    conditions : ComparisonConditions
        What was simulated and observed.
    connectivity : numpy.ndarray of shape (n_neurons, n_neurons)
        The whole true ``A``.
    estimates : mapping of str to MethodEstimate
        One per method, in the order of :data:`METHODS`.
    """

    conditions: ComparisonConditions
    connectivity: np.ndarray
    estimates: Mapping

    @property
    def n_observed(self):
        return self.conditions.n_observed

    @property
    def observed_connectivity(self):
        """The true block ``A[:k, :k]`` that every method estimates."""
        k = self.n_observed
        return self.connectivity[:k, :k]

    @property
    def correlations(self):
        """Each method's correlation with the truth (None where undefined), by method."""
        return {method: result.correlation for method, result in self.estimates.items()}


class MethodsComparer:
    """Compares the four methods under changing conditions, reusing what it can.

    Parameters
    ----------
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso`` for the regression;
        ``None`` means :data:`~nmacausal.COMPARISON_REGRESSION_ARGS` (Tutorial 4's
        comparison: ``alpha=0.01``, no intercept).

    Raises
    ------
    TypeError, ValueError
        If ``regression_args`` is not a mapping of valid ``Lasso`` arguments.

    Examples
    --------
    >>> comparer = MethodsComparer()
    >>> comparison = comparer.compare(ComparisonConditions(n_neurons=10, timesteps=2000))
    >>> list(comparison.estimates)
    ['perturbation', 'correlation', 'regression', 'iv']
    >>> comparer.compare(comparison.conditions.replace(observed_fraction=1)).n_observed
    10
    """

    def __init__(self, regression_args=None):
        if regression_args is None:
            regression_args = COMPARISON_REGRESSION_ARGS
        self.regression_args = _check_regression_args(regression_args)
        self._networks = _Kept(RECORDINGS_KEPT)
        self._observations = _Kept(RECORDINGS_KEPT)
        self._instrumented = _Kept(RECORDINGS_KEPT)
        self._estimates = _Kept(ESTIMATES_KEPT)

    def compare(self, conditions):
        """Every method's estimate of the observed block under ``conditions``.

        Parameters
        ----------
        conditions : ComparisonConditions

        Returns
        -------
        MethodsComparison

        Raises
        ------
        TypeError
            If ``conditions`` is not a :class:`ComparisonConditions`.
        """
        if not isinstance(conditions, ComparisonConditions):
            raise TypeError(
                f"`conditions` must be a ComparisonConditions, got {type(conditions).__name__}."
            )
        A = self.network(conditions)
        estimates = {method: self._estimate(method, conditions) for method in METHODS}
        return MethodsComparison(conditions, A, MappingProxyType(estimates))

    def network(self, conditions):
        """The true connectivity ``A`` of the network the conditions draw."""
        key = (conditions.n_neurons, conditions.p, conditions.seed)
        return self._networks.get(key, lambda: _draw_network(*key))

    def observations(self, conditions):
        """The free and the perturbed runs of the whole network: ``(X, perturbed_X)``.

        Simulated once per network and length (the fraction observed and
        ``eta`` do not enter).
        """
        key = (conditions.n_neurons, conditions.p, conditions.seed, conditions.timesteps)
        return self._observations.get(key, lambda: self._observe(conditions))

    def instrumented(self, conditions):
        """The run driven by the instrument, of the whole network: ``(X, Z)``."""
        key = (
            conditions.n_neurons,
            conditions.p,
            conditions.seed,
            conditions.timesteps,
            conditions.eta,
        )
        return self._instrumented.get(key, lambda: self._instrument(conditions))

    def _observe(self, conditions):
        A, seed, timesteps = self.network(conditions), conditions.seed, conditions.timesteps
        with isolated_random_state():
            free = simulate_neurons(A, timesteps, random_state=seed)
            perturbed = simulate_neurons_perturb(A, timesteps, random_state=seed)
        return free, perturbed

    def _instrument(self, conditions):
        # The draws of simulate_neurons_iv(n, T, eta, seed): the network, seeded, then
        # the instrument and the noise. The network is drawn again (it is the one
        # network() keeps) because the instrument's draws start where its draw ends.
        with isolated_random_state():
            A = create_connectivity(conditions.n_neurons, conditions.seed, conditions.p)
            return _drive_with_instrument(A, conditions.timesteps, conditions.eta)

    def _estimate(self, method, conditions):
        # What each method's estimate depends on: eta only for IV.
        depends = (
            conditions.n_neurons,
            conditions.p,
            conditions.seed,
            conditions.timesteps,
            conditions.n_observed,
        )
        if method == "iv":
            depends += (conditions.eta,)
        return self._estimates.get((method, *depends), lambda: self._judge(method, conditions))

    def _judge(self, method, conditions):
        k = conditions.n_observed
        truth = self.network(conditions)[:k, :k]
        estimate, reason = self._observed_estimate(method, conditions)
        if estimate is None:
            return MethodEstimate(method, None, None, reason)
        reason = _why_no_correlation(truth, estimate)
        if reason:
            return MethodEstimate(method, estimate, None, reason)
        return MethodEstimate(method, estimate, connectivity_correlation(truth, estimate), "")

    def _observed_estimate(self, method, conditions):
        """``(estimate, "")``, or ``(None, why)`` where the method cannot estimate."""
        k = conditions.n_observed
        try:
            if method == "iv":
                return self._iv_estimate(conditions), ""
            free, perturbed = self.observations(conditions)
            if method == "perturbation":
                # R[j, i] is the effect of j on i: transposed to A's orientation.
                return get_perturbed_connectivity_all_neurons(perturbed[:k]).T, ""
            if method == "correlation":
                return correlation_for_all_neurons(free[:k]), ""
            return fit_regression_connectivity(free[:k], self.regression_args).V, ""
        except _Unestimable as why:
            return None, str(why)
        except ValueError as error:
            # The estimators refuse recordings that cannot identify an estimate (a
            # neuron that never varies in a short run, say) with a message that says why.
            return None, str(error)

    def _iv_estimate(self, conditions):
        k, timesteps = conditions.n_observed, conditions.timesteps
        if conditions.eta == 0:
            raise _Unestimable("no instrument (eta = 0): IV has nothing to work with.")
        if timesteps < k + 2:
            raise _Unestimable(
                f"IV needs at least {k + 2} timesteps to tell {k} observed neurons "
                f"apart, got {timesteps}."
            )
        X, Z = self.instrumented(conditions)
        return get_iv_estimate_network(X[:k], Z[:k])


def compare_methods(*, regression_args=None, **conditions):
    """The four methods on one network: each one's estimate and correlation with the truth.

    A one-off :meth:`MethodsComparer.compare`; use a :class:`MethodsComparer`
    to compare under several conditions, reusing its recordings.

    Parameters
    ----------
    regression_args : mapping or None, default=None
        As for :class:`MethodsComparer`.
    **conditions
        The fields of :class:`ComparisonConditions` (``n_neurons``,
        ``timesteps``, ``observed_fraction``, ``eta``, ``p``, ``seed``); those
        left out take its defaults.

    Returns
    -------
    MethodsComparison

    Raises
    ------
    TypeError, ValueError
        If a condition or ``regression_args`` is invalid (checked before
        anything is simulated).

    Examples
    --------
    >>> comparison = compare_methods(n_neurons=20, timesteps=3000, observed_fraction=0.5)
    >>> comparison.n_observed, sorted(comparison.correlations)
    (10, ['correlation', 'iv', 'perturbation', 'regression'])
    >>> compare_methods(n_neurons=20, timesteps=10).estimates["iv"].reason
    'IV needs at least 12 timesteps to tell 10 observed neurons apart, got 10.'
    """
    checked = ComparisonConditions(**conditions)
    return MethodsComparer(regression_args).compare(checked)


class _Unestimable(Exception):
    """A method cannot estimate from these recordings; the message says why."""


def _draw_network(n_neurons, p, seed):
    with isolated_random_state():
        return create_connectivity(n_neurons, random_state=seed, p=p)


def _why_no_correlation(truth, estimate):
    """Why the correlation of the true block with an estimate is undefined, or ``""``."""
    if truth.shape[0] == 1:
        return "a single neuron observed: one connection, nothing to correlate."
    problem = _why_undefined(truth, estimate)
    if problem == "empty":
        return "no connection among the observed neurons: nothing to correlate with."
    if problem == "uniform":
        return "every connection among the observed neurons is equal: nothing to correlate with."
    if problem == "estimate":
        return "the estimate is the same everywhere, so its correlation is undefined."
    return ""


class _Kept:
    """The last ``size`` values made, by key: made once, the oldest dropped first."""

    def __init__(self, size):
        self.size = size
        self._values = OrderedDict()

    def get(self, key, make):
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = make()
        self._values[key] = value
        if len(self._values) > self.size:
            self._values.popitem(last=False)
        return value
