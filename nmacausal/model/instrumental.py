"""Estimating connectivity with instrumental variables (Tutorial 4, "Instrumental variables").

Regression on the observed neurons (Tutorial 3) is biased when neurons that
drive them are hidden: the hidden ones are omitted confounders. An
*instrumental variable* is an observed source of randomness that moves a
variable (the "treatment") and reaches the outcome only through it. Two-stage
least squares (2SLS) uses it: the first stage predicts the treatment from the
instrument, which keeps only the part of the treatment that the instrument
caused (unconfounded, because the instrument is independent of the
confounders); the second stage regresses the outcome on that prediction.

The tutorial shows it twice. First on made-up data about smoking in pregnancy
(a tax on tobacco ``Z`` moves the number of cigarettes ``T``; wealth ``C``
confounds ``T`` and the birth weight ``Y = 3000 + C - 2 T``): 2SLS recovers the
effect -2 that the confounded correlation hides. Then in the network: each
neuron receives a random binary input ``z``, ``x[t + 1] = sigmoid(A @ x[t] +
eta * z[t + 1] + eps[t])``, and 2SLS regresses ``logit(x[t + 1])`` on the
part of ``x[t]`` predicted by ``z[t]``. Because the hidden neurons' activity at
``t`` does not depend on the observed instruments at ``t``, the estimate stays
good as fewer neurons are observed, where regression's degrades.

The functions keep the tutorial's names and arguments, and its use of NumPy's
*global* random stream (see :mod:`~nmacausal.model.simulation`). Differences,
all deliberate:

- the whole-network estimate solves the two stages' least squares in closed
  form, one small linear system for all neurons (the tutorial fits one
  ``LinearRegression`` per neuron and stage in worker processes): the same
  numbers to about 1e-14, hundreds of times faster;
- the comparison of IV with regression, :func:`compare_iv_estimate_to_regression`,
  uses the instrument ``Z``; the tutorial's passes the activity ``X`` in its
  place, which turns the "IV" estimate into ordinary least squares and hides
  the lesson. :func:`get_iv_estimate_network` refuses an instrument that is not
  0/1, which catches that mistake;
- :func:`get_granger_causality` applies the Bonferroni correction its
  docstring in the tutorial promises and its code forgets, unless told not to;
  it calls statsmodels without the ``verbose`` argument that statsmodels 0.15
  removed, and without the pandas module the tutorial imports and no pandas
  has any more. statsmodels is optional: ``pip install "nmacausal[granger]"``.

``tests/test_instrumental.py`` holds these facts against a plain transcription
of the tutorial (``tests/tutorial4_transcript.py``).
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .._validation import (
    check_activity,
    check_connectivity,
    check_float_array,
    check_integer,
    check_random_state,
)
from .regression import (
    _check_ratio,
    _check_regression_args,
    _check_targets,
    _n_observed,
    _regression_corr,
    _undefined_message,
)
from .simulation import _run_dynamics, create_connectivity

__all__ = [
    "COMPARISON_REGRESSION_ARGS",
    "INSTRUMENT_STRENGTHS",
    "IV_OBSERVED_RATIOS",
    "SMOKING_EFFECT",
    "SMOKING_VARIABLES",
    "TUTORIAL_ETA",
    "IVComparison",
    "SmokingData",
    "compare_iv_estimate_to_regression",
    "fit_first_stage",
    "fit_second_stage",
    "generate_smoking_data",
    "get_granger_causality",
    "get_iv_corr_full_connectivity",
    "get_iv_estimate_network",
    "instrument_strength_effect",
    "simulate_neurons_iv",
]

#: The smoking example's variables, in the order of the tutorial's ``data`` and
#: ``corrs``: the tax ``Z`` (instrument), the cigarettes per day ``T``
#: (treatment), the socioeconomic status ``C`` (confounder), the birth weight ``Y``.
SMOKING_VARIABLES = ("Z", "T", "C", "Y")

#: The true causal effect of one cigarette a day on the birth weight, in grams.
SMOKING_EFFECT = -2

#: The instrument strength ``eta`` of the tutorial's network simulations.
TUTORIAL_ETA = 2

#: The fractions of observed neurons of the tutorial's "IV and lasso performance" figure.
IV_OBSERVED_RATIOS = (1, 0.8, 0.6, 0.4, 0.2)

#: The instrument strengths of the tutorial's bonus sweep.
INSTRUMENT_STRENGTHS = (2, 1, 0.5, 0.25, 0.12)

#: The Lasso settings of the regression that the tutorial compares IV with (read-only):
#: its ``get_regression_estimate(sel_X)``, one ``Lasso(fit_intercept=False,
#: alpha=0.01)`` per neuron with scikit-learn's default of 1000 iterations at most.
COMPARISON_REGRESSION_ARGS = MappingProxyType({"fit_intercept": False, "alpha": 0.01})

# The smoking example's distribution: Z, T, C are normal with these means and twice
# this covariance (Z moves T, C moves T the other way, Z and C are independent).
_SMOKING_MEANS = (0, 5, 2)
_SMOKING_COVARIANCE = ((1.0, 0.5, 0.0), (0.5, 1.0, -0.5), (0.0, -0.5, 1.0))

# Two steps give one (x[t], x[t + 1]) pair; two pairs at least, as for the other
# estimates. get_iv_estimate_network needs more (see _check_identifiable).
_MIN_TIMESTEPS = 3

_CORRECTIONS = ("bonferroni", None)

# Singular values below this fraction of the largest count as zero: the ``tol`` that
# scikit-learn's LinearRegression (the tutorial's) passes to scipy's lstsq as ``cond``.
_RANK_CUTOFF = 1e-6


def _linear_regression():
    """scikit-learn's ``LinearRegression``, imported on first use.

    scikit-learn takes about a second to import; ``import nmacausal`` should
    pay that only when a regression is actually fitted.
    """
    from sklearn.linear_model import LinearRegression

    return LinearRegression


def _grangercausalitytests():
    """statsmodels' ``grangercausalitytests``, imported on first use; it is optional."""
    try:
        from statsmodels.tsa.stattools import grangercausalitytests
    except ImportError as error:
        raise ImportError(
            "get_granger_causality needs statsmodels, an optional dependency of nmacausal "
            'that is not installed. Install it with: pip install "nmacausal[granger]" '
            f"(or pip install statsmodels). ({error})"
        ) from error
    return grangercausalitytests


# --- The smoking example ---------------------------------------------------------------------


class SmokingData(NamedTuple):
    """The smoking example's samples: the result of :func:`generate_smoking_data`.

    Each attribute is an array of shape ``(n_samples, 1)``, as the tutorial's.

    Attributes
    ----------
    Z : numpy.ndarray
        The tax on tobacco: the instrument.
    T : numpy.ndarray
        Cigarettes smoked per day while pregnant: the treatment.
    C : numpy.ndarray
        Socioeconomic status: the confounder, unobserved in the story.
    Y : numpy.ndarray
        Birth weight in grams, ``3000 + C - 2 T``: the outcome.
    """

    Z: np.ndarray
    T: np.ndarray
    C: np.ndarray
    Y: np.ndarray

    @property
    def data(self):
        """The tutorial's ``data``: the four variables as columns Z, T, C, Y, ``(n_samples, 4)``."""
        return np.concatenate(self, axis=1)

    def correlations(self):
        """The tutorial's ``corrs``: the ``(4, 4)`` correlation matrix of Z, T, C, Y."""
        return np.corrcoef(self.data.transpose())

    def corr(self, first, second):
        """Correlation between two variables named by letter (``"Z"``, ``"T"``, ``"C"``, ``"Y"``).

        Read off :meth:`correlations` at ``[first, second]``, as the tutorial's
        ``print_corr`` does (``np.corrcoef``'s matrix may differ from its
        transpose in the last bit).

        Raises
        ------
        ValueError
            If a name is not one of :data:`SMOKING_VARIABLES`.
        """
        indices = []
        for name, value in (("first", first), ("second", second)):
            if not isinstance(value, str) or value not in SMOKING_VARIABLES:
                raise ValueError(
                    f"`{name}` must name a variable of the smoking example, one of "
                    f"{', '.join(map(repr, SMOKING_VARIABLES))}, got {value!r}."
                )
            indices.append(SMOKING_VARIABLES.index(value))
        return float(self.correlations()[indices[0], indices[1]])


def generate_smoking_data(random_state=42, n_samples=2000):
    """Draw the smoking example's data, as the tutorial does.

    Seeds NumPy's global stream, draws ``n_samples`` samples of (Z, T, C) from
    one multivariate normal (means 0, 5, 2; variances 2; covariances
    Z-T = 1, T-C = -1, Z-C = 0) and computes ``Y = 3000 + C - 2 T``. With the
    defaults, these are the tutorial's numbers bit for bit.

    Parameters
    ----------
    random_state : int or None, default=42
        Seed for ``np.random.seed``; ``None`` continues the global stream.
    n_samples : int, default=2000
        Number of samples, at least 2.

    Returns
    -------
    SmokingData
        ``(Z, T, C, Y)``, each of shape ``(n_samples, 1)``.

    Raises
    ------
    TypeError, ValueError
        If ``random_state`` is not a valid seed or ``n_samples`` not an integer >= 2.

    Examples
    --------
    >>> smoking = generate_smoking_data()
    >>> smoking.T.shape
    (2000, 1)
    >>> round(smoking.corr("C", "T"), 3), round(smoking.corr("Z", "C"), 3)
    (-0.483, 0.009)
    """
    random_state = check_random_state(random_state)
    n_samples = check_integer(n_samples, "n_samples", minimum=2)
    if random_state is not None:
        np.random.seed(random_state)
    covariance = np.array(_SMOKING_COVARIANCE)
    data = np.random.multivariate_normal(
        mean=list(_SMOKING_MEANS), cov=2 * covariance, size=n_samples
    )
    Y = 3000 + data[:, 2] - (2 * (data[:, 1]))
    return SmokingData(data[:, [0]], data[:, [1]], data[:, [2]], Y.reshape(-1, 1))


def fit_first_stage(T, Z):
    """First stage of two-stage least squares: the part of ``T`` that ``Z`` predicts.

    Fits ``LinearRegression(fit_intercept=True)`` of the treatment ``T`` on the
    instruments ``Z`` and returns its prediction ``T_hat``, as the tutorial's
    exercise does. When ``Z`` is independent of the confounders, so is ``T_hat``.

    Parameters
    ----------
    T : array_like of shape (n_samples,) or (n_samples, n_treatments)
        The observed, possibly confounded, treatment.
    Z : array_like of shape (n_samples, n_instruments)
        The instruments, one column each (scikit-learn's convention: a single
        instrument is a column, ``Z.reshape(-1, 1)``).

    Returns
    -------
    numpy.ndarray of the shape of ``T``
        ``T_hat``, the first stage's prediction of ``T``.

    Raises
    ------
    TypeError, ValueError
        If ``T`` or ``Z`` is not a finite numeric array of the right
        dimensions, or if they have different numbers of samples.

    Examples
    --------
    >>> smoking = generate_smoking_data()
    >>> T_hat = fit_first_stage(smoking.T, smoking.Z)
    >>> T_hat.shape
    (2000, 1)
    >>> round(float(np.corrcoef(T_hat.T, smoking.C.T)[0, 1]), 3)
    0.009
    """
    Z = _check_regressors(Z, "Z", "n_instruments", "instrument")
    T = _check_targets_array(T, "T", "n_treatments")
    _check_same_length(("T", T), ("Z", Z))
    stage1 = _linear_regression()(fit_intercept=True)
    stage1.fit(Z, T)
    return stage1.predict(Z)


def fit_second_stage(T_hat, Y):
    """Second stage of two-stage least squares: the causal effect of the treatment.

    Fits ``LinearRegression(fit_intercept=True)`` of the outcome ``Y`` on the
    first stage's ``T_hat`` and returns its coefficients, as the tutorial's
    exercise does (it prints ``beta[0, 0]``).

    Parameters
    ----------
    T_hat : array_like of shape (n_samples, n_treatments)
        The output of :func:`fit_first_stage` (for a 1-D ``T``, reshape it
        with ``T_hat.reshape(-1, 1)``: scikit-learn's regressors are columns).
    Y : array_like of shape (n_samples,) or (n_samples, n_outcomes)
        The observed outcome.

    Returns
    -------
    numpy.ndarray
        The estimated effects, scikit-learn's ``coef_``: of shape
        ``(n_outcomes, n_treatments)`` for a 2-D ``Y`` (the tutorial's
        ``(1, 1)``), ``(n_treatments,)`` for a 1-D one.

    Raises
    ------
    TypeError, ValueError
        If ``T_hat`` or ``Y`` is not a finite numeric array of the right
        dimensions, or if they have different numbers of samples.

    Examples
    --------
    >>> smoking = generate_smoking_data()
    >>> beta = fit_second_stage(fit_first_stage(smoking.T, smoking.Z), smoking.Y)
    >>> beta.shape, round(float(beta[0, 0]), 3)
    ((1, 1), -1.984)
    """
    T_hat = _check_regressors(
        T_hat, "T_hat", "n_treatments", "treatment",
        hint=" (fit_first_stage returns T_hat with the shape of T)",
    )  # fmt: skip
    Y = _check_targets_array(Y, "Y", "n_outcomes")
    _check_same_length(("T_hat", T_hat), ("Y", Y))
    stage2 = _linear_regression()(fit_intercept=True)
    stage2.fit(T_hat, Y)
    return stage2.coef_


def _check_regressors(value, name, columns, one, hint=""):
    """A 2-D finite float array ``(n_samples, columns)``; 1-D is refused with the fix."""
    if np.ndim(value) == 1 and not isinstance(value, (str, bytes)):
        shape = np.shape(value)
        raise ValueError(
            f"`{name}` must be 2-D, of shape (n_samples, {columns}): scikit-learn takes its "
            f"regressors as columns. It is 1-D, of shape {shape}{hint}; for a single "
            f"{one}, pass {name}.reshape(-1, 1)."
        )
    array = check_float_array(value, name, ndim=2)
    return array


def _check_targets_array(value, name, columns):
    """A 1-D or 2-D finite float array, as scikit-learn accepts for a target."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        check_float_array(value, name, ndim=1)  # raises the TypeError
    ndim = np.ndim(value)
    if ndim not in (1, 2):
        raise ValueError(
            f"`{name}` must be 1-D, of shape (n_samples,), or 2-D, of shape (n_samples, "
            f"{columns}); got {ndim}-D with shape {np.shape(value)}."
        )
    return check_float_array(value, name, ndim=ndim)


def _check_same_length(*named_arrays):
    (first, a), (second, b) = named_arrays
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"`{first}` and `{second}` must have the same number of samples (rows), one per "
            f"individual; got {a.shape[0]} and {b.shape[0]}."
        )
    if a.shape[0] < 2:
        raise ValueError(
            f"`{first}` and `{second}` must have at least 2 samples to fit a line, got "
            f"{a.shape[0]}."
        )


# --- The network with an instrument ----------------------------------------------------------


def simulate_neurons_iv(n_neurons, timesteps, eta, random_state=42):
    """Simulate the network driven by a random binary instrument on every neuron.

    ``x[t + 1] = sigmoid(A @ x[t] + eta * z[t + 1] + eps[t])`` with ``x[0] = 0``,
    ``z`` a fair coin (0 or 1) per neuron and step, ``eps[t] ~ N(0, I)``. As in
    the tutorial: the global stream is seeded, ``A`` is
    :func:`~nmacausal.create_connectivity` ``(n_neurons, random_state)``, the
    whole instrument is drawn next, then the noise, step by step. The noise is
    drawn in blocks (see :mod:`~nmacausal.model.simulation`), so the arrays and
    the global stream's final state are the tutorial's, bit for bit, only faster.

    Parameters
    ----------
    n_neurons : int
        Number of neurons, at least 1.
    timesteps : int
        Number of timesteps T, at least 1 (column 0 is the initial state 0).
    eta : float
        Strength of the instrument, at least 0 (0: the instrument does nothing).
    random_state : int or None, default=42
        Seed for ``np.random.seed`` and for the connectivity; ``None`` continues
        the global stream.

    Returns
    -------
    A : numpy.ndarray of shape (n_neurons, n_neurons)
        The connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    X : numpy.ndarray of shape (n_neurons, timesteps)
        The activity: ``X[:, t]`` at step t.
    Z : numpy.ndarray of shape (n_neurons, timesteps), integer
        The instrument, 0 or 1: ``Z[:, t]`` drives ``X[:, t]`` (``Z[:, 0]``
        drives nothing, ``X[:, 0]`` being the initial state).

    Raises
    ------
    TypeError, ValueError
        If ``n_neurons`` or ``timesteps`` is not an integer >= 1, ``eta`` is
        not a finite number >= 0 or ``random_state`` is not a valid seed.

    Examples
    --------
    >>> A, X, Z = simulate_neurons_iv(6, 100, 2)
    >>> A.shape, X.shape, Z.shape
    ((6, 6), (6, 100), (6, 100))
    >>> sorted(np.unique(Z).tolist())
    [0, 1]
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
    timesteps = check_integer(timesteps, "timesteps", minimum=1)
    eta = _check_eta(eta, "eta")
    random_state = check_random_state(random_state)
    if random_state is not None:
        np.random.seed(random_state)
    A = create_connectivity(n_neurons, random_state)
    X, Z = _drive_with_instrument(A, timesteps, eta)
    return A, X, Z


def _drive_with_instrument(A, timesteps, eta):
    """Run the network ``A`` with a fresh instrument: ``(X, Z)``, from the global stream.

    The tutorial's order after the connectivity: the whole instrument first,
    then the noise. :func:`simulate_neurons_iv` draws its own network first;
    :mod:`~nmacausal.model.comparison` drives a network of any sparsity.
    """
    Z = np.random.choice([0, 1], size=(A.shape[0], timesteps))
    # eta * z is eta or 0 exactly, whatever eta's type: the tutorial's values.
    inputs = np.ascontiguousarray((eta * Z).T, dtype=float)
    X = _run_dynamics(A, timesteps, perturb_every=None, inputs=inputs)
    return X, Z


def _check_eta(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a number >= 0 (the strength of the instrument), got {value!r}."
        )
    value = float(value)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(
            f"`{name}` must be a finite number >= 0 (the strength of the instrument; 0 "
            f"switches it off), got {value!r}."
        )
    return value


def get_iv_estimate_network(X, Z):
    """Estimate the whole connectivity by two-stage least squares with the instrument.

    Stage 1 regresses every neuron's activity ``x[t]`` on all the instruments
    ``z[t]`` (with an intercept) and keeps the prediction ``x_hat[t]``; stage 2
    regresses ``logit(x[t + 1])`` on ``x_hat[t]`` (with an intercept). Row
    ``i`` of the estimate holds neuron ``i``'s stage-2 coefficients. The
    tutorial's helper fits one ``LinearRegression`` per neuron and stage in
    worker processes; with one instrument per neuron, the two stages reduce
    to one small linear system, ``V^T = (Zc^T Xc)^-1 Zc^T Yc`` (centred
    instruments, activity and targets), solved here: the tutorial's numbers to
    about 1e-14, in milliseconds. NumPy's global random stream is left alone.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`simulate_neurons_iv`; at least
        ``n_neurons + 2`` timesteps. The activity after the first step (the
        targets) must lie strictly between 0 and 1 (see :func:`~nmacausal.logit`).
    Z : array_like of shape (n_neurons, timesteps)
        The binary (0/1) instrument that drove ``X``, as :func:`simulate_neurons_iv`
        returns it. Anything else is refused, the activity ``X`` in particular
        (with ``X`` as its own instrument, "IV" is ordinary least squares).

    Returns
    -------
    numpy.ndarray of shape (n_neurons, n_neurons)
        ``V[i, j]``: estimated effect of neuron ``j`` on neuron ``i``, in the
        orientation of ``A``.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array strictly between 0 and 1 after the
        first step; if ``Z`` has another shape or values other than 0 and 1;
        or if the recording does not identify the estimate (too few
        timesteps, or an instrument that is constant or a combination of the
        others over the recording).

    Examples
    --------
    >>> A, X, Z = simulate_neurons_iv(6, 10000, 2)
    >>> V = get_iv_estimate_network(X, Z)
    >>> V.shape
    (6, 6)
    >>> bool(np.corrcoef(A.flatten(), V.flatten())[1, 0] > 0.9)
    True
    """
    X, Z = _check_recording(X, Z)
    _check_targets(X, range(X.shape[0]))
    _check_identifiable(X, Z)
    return _iv_estimate(X, Z)


def _check_recording(X, Z, n_neurons=None):
    """``X`` and ``Z`` checked: activity, and a 0/1 instrument of the same shape."""
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    if n_neurons is not None and X.shape[0] != n_neurons:
        raise ValueError(
            f"`X` must hold the activity of the `n_neurons` = {n_neurons} neurons (one row "
            f"each), got shape {X.shape}."
        )
    Z = check_float_array(Z, "Z", ndim=2)
    if Z.shape != X.shape:
        raise ValueError(
            f"`Z` must be the instrument of every neuron at every step, of the shape of `X`, "
            f"{X.shape}; got {Z.shape}."
        )
    not_binary = (Z != 0) & (Z != 1)
    if not_binary.any():
        if np.array_equal(Z, X):
            raise ValueError(
                "`Z` is the activity `X` itself, not the instrument: with the activity as its "
                "own instrument, the first stage returns X unchanged and two-stage least "
                "squares is ordinary regression, confounded by the hidden neurons. Pass the "
                "instrument Z that simulate_neurons_iv returns."
            )
        row, step = np.unravel_index(int(np.argmax(not_binary)), Z.shape)
        count = int(not_binary.sum())
        raise ValueError(
            f"`Z` must be the binary instrument (0s and 1s) that drove the network, as "
            f"simulate_neurons_iv returns it, but {count} of its {Z.size} values are "
            f"neither; the first is Z[{row}, {step}] = {float(Z[row, step])!r}."
        )
    return X, Z


def _check_identifiable(X, Z):
    """Raise unless the instruments can predict every neuron separately (stage 1's rank)."""
    n_neurons, timesteps = X.shape
    if timesteps < n_neurons + 2:
        raise ValueError(
            f"`X` and `Z` must have at least n_neurons + 2 = {n_neurons + 2} timesteps to "
            f"separate the effects of the {n_neurons} neurons by their instruments, got "
            f"{timesteps}. Record longer."
        )
    instruments = Z[:, :-1]
    constant = instruments.min(axis=1) == instruments.max(axis=1)
    if constant.any():
        neuron = int(np.argmax(constant))
        raise ValueError(
            f"`Z`: the instrument of neuron {neuron} is {int(instruments[neuron, 0])} on every "
            f"step used (all but the last), so it cannot tell that neuron's effect apart; "
            f"the estimate is not identified. Record longer, or check Z."
        )


def _iv_estimate(X, Z):
    """Two-stage least squares on checked arguments: ``V`` of shape (n_neurons, n_neurons).

    With as many instruments as regressors (one per neuron), the two stages
    together are the classic instrumental-variable estimate: with the centred
    instruments ``Zc``, activity ``Xc`` and targets ``Yc`` (one row per step),
    the first stage predicts ``Xc_hat = Zc (Zc^T Zc)^-1 Zc^T Xc``, and the
    second stage's least squares on it, ``(Xc_hat^T Xc_hat)^-1 Xc_hat^T Yc``,
    simplifies to ``(Zc^T Xc)^-1 Zc^T Yc``. Two ``LinearRegression`` fits
    compute the same, up to rounding, through SVDs of the whole recording
    (scipy's ``gelsd``); this needs three small products and one small solve.
    """
    n_neurons = X.shape[0]
    # One row per neuron, one column per step t: the instruments and the activity at
    # t, the logit of the activity at t + 1. Centring is the stages' intercepts.
    instruments = _centred(Z[:, :-1])
    regressors = _centred(X[:, :-1])
    targets = _centred(np.log(X[:, 1:] / (1 - X[:, 1:])))
    # The singular values of Zc^T Zc are those of Zc squared.
    rank = _rank(instruments @ instruments.T, _RANK_CUTOFF**2)
    if rank < n_neurons:
        raise ValueError(
            f"`Z`: over this recording the {n_neurons} neurons' instruments are linearly "
            f"dependent (rank {rank}), so they cannot tell every neuron's effect apart; "
            f"the estimate is not identified. Record longer, or check Z."
        )
    first_stage = instruments @ regressors.T  # Zc^T Xc
    if _rank(first_stage, _RANK_CUTOFF) < n_neurons:
        raise ValueError(
            "`Z`: the instruments predict (almost) nothing of some combination of the "
            "neurons' activity, so two-stage least squares cannot estimate its effect: the "
            "instrument does not drive the neurons (eta = 0?), or the recording is too short."
        )
    # Row j, column i of the solution: the effect of neuron j on neuron i.
    return np.linalg.solve(first_stage, instruments @ targets.T).T


def _centred(rows):
    return rows - rows.mean(axis=1, keepdims=True)


def _rank(matrix, cutoff):
    """Numerical rank: singular values above ``cutoff`` times the largest."""
    singular_values = np.linalg.svd(matrix, compute_uv=False)
    if singular_values[0] == 0:
        return 0
    return int((singular_values > cutoff * singular_values[0]).sum())


def _iv_corr(A, X, Z, n_observed):
    """IV's correlation for the first ``n_observed`` neurons: ``(corr, problem, V)``.

    ``problem`` is None or why the correlation is undefined, as in
    :func:`~nmacausal.model.regression._regression_corr`.
    """
    sel_A = A[:n_observed, :n_observed]
    sel_X, sel_Z = X[:n_observed], Z[:n_observed]
    _check_identifiable(sel_X, sel_Z)
    sel_V = _iv_estimate(sel_X, sel_Z)
    if n_observed == 1:
        return np.nan, "single", sel_V
    if sel_A.min() == sel_A.max():
        return np.nan, "uniform" if sel_A.any() else "empty", sel_V
    if sel_V.min() == sel_V.max():
        return np.nan, "estimate", sel_V
    return float(np.corrcoef(sel_A.flatten(), sel_V.flatten())[1, 0]), None, sel_V


def _check_network(n_neurons, A, X, Z):
    """The arguments of the observed-fraction functions, checked and cleaned."""
    A = check_connectivity(A)
    if n_neurons is None:  # read off A
        n_neurons = A.shape[0]
        if n_neurons < 2:
            raise ValueError(f"`A` must connect at least 2 neurons, got shape {A.shape}.")
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=2)
    if A.shape[0] != n_neurons:
        raise ValueError(
            f"`A` must be the ({n_neurons}, {n_neurons}) connectivity of the `n_neurons` = "
            f"{n_neurons} neurons, got shape {A.shape}."
        )
    X, Z = _check_recording(X, Z, n_neurons)
    return n_neurons, A, X, Z


def get_iv_corr_full_connectivity(n_neurons, A, X, Z, observed_ratio):
    """How well IV recovers the connectivity when only some neurons are observed.

    The counterpart of :func:`~nmacausal.get_regression_corr_full_connectivity`,
    for the tutorial's Interactive Demo 3: the first ``k = clip(int(n_neurons *
    observed_ratio), 1, n_neurons)`` neurons are observed, their connectivity
    is estimated by :func:`get_iv_estimate_network` from their activity and
    their instruments alone, and compared with the true block ``A[:k, :k]`` by
    the Pearson correlation over all entries.

    Parameters
    ----------
    n_neurons : int
        Number of neurons of the network, at least 2.
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity that produced ``X``.
    X : array_like of shape (n_neurons, timesteps)
        Activity of the whole network (see :func:`get_iv_estimate_network`).
    Z : array_like of shape (n_neurons, timesteps)
        The 0/1 instrument that drove it.
    observed_ratio : float
        Fraction of the neurons observed, in ``(0, 1]``.

    Returns
    -------
    corr : float
        Correlation between ``A[:k, :k]`` and the estimate.
    sel_V : numpy.ndarray of shape (k, k)
        The IV estimate of the observed neurons' connectivity.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid, or if the correlation is undefined (a
        single observed neuron, or no connection among the observed neurons,
        where the tutorial gets NaN).

    Examples
    --------
    >>> A, X, Z = simulate_neurons_iv(20, 5000, 2)
    >>> corr, sel_V = get_iv_corr_full_connectivity(20, A, X, Z, 0.5)
    >>> sel_V.shape
    (10, 10)
    """
    n_neurons, A, X, Z = _check_network(n_neurons, A, X, Z)
    observed_ratio = _check_ratio(observed_ratio, "observed_ratio")
    n_observed = _n_observed(n_neurons, observed_ratio)
    _check_targets(X[:n_observed], range(n_observed))
    corr, problem, sel_V = _iv_corr(A, X, Z, n_observed)
    if problem == "estimate":
        raise ValueError(
            f"with `observed_ratio` = {observed_ratio!r}, the IV estimate of the first "
            f"{n_observed} neurons is the same everywhere, so its correlation with A is "
            f"undefined."
        )
    if problem is not None:
        raise ValueError(_undefined_message(problem, n_neurons, n_observed, observed_ratio))
    return corr, sel_V


class IVComparison(NamedTuple):
    """The result of :func:`compare_iv_estimate_to_regression`: IV against regression.

    Attributes
    ----------
    observed_ratio : tuple of float
        The fractions of the neurons observed.
    n_observed : numpy.ndarray of int, shape (n_ratios,)
        How many neurons that is, for each ratio (the first ones).
    reg_corrs : numpy.ndarray of shape (n_ratios,)
        Correlation of regression's estimate with the true connectivity of the
        observed neurons; NaN where undefined.
    iv_corrs : numpy.ndarray of shape (n_ratios,)
        The same for the IV estimate.
    """

    observed_ratio: tuple
    n_observed: np.ndarray
    reg_corrs: np.ndarray
    iv_corrs: np.ndarray


def compare_iv_estimate_to_regression(
    A, X, Z, observed_ratio=IV_OBSERVED_RATIOS, regression_args=None
):
    """Quality of IV and of regression against the fraction of neurons observed.

    For each ratio the first ``k`` neurons are observed (``k`` as in
    :func:`get_iv_corr_full_connectivity`); their connectivity is estimated by
    Lasso regression (:func:`~nmacausal.fit_regression_connectivity` on their
    activity) and by IV (:func:`get_iv_estimate_network` on their activity and
    their instruments), and each estimate is compared with ``A[:k, :k]``.

    The tutorial's cell of the same name passes the activity as the instrument
    (``sel_Z = X[:sel_idx, :]``), which makes its "IV" ordinary least squares,
    as confounded as regression; this uses the instrument, and shows what the
    tutorial means to show: IV holds up as neurons are hidden, regression
    degrades. A point is NaN only where the correlation is undefined (a single
    observed neuron, no connection among the observed neurons, or an estimate
    that is the same everywhere).

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity; ``n_neurons`` at least 2.
    X : array_like of shape (n_neurons, timesteps)
        Activity of the whole network, for example from :func:`simulate_neurons_iv`.
    Z : array_like of shape (n_neurons, timesteps)
        The 0/1 instrument that drove it.
    observed_ratio : sequence of float, default=IV_OBSERVED_RATIOS
        Fractions of the neurons observed, each in ``(0, 1]``.
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso``; ``None`` means
        :data:`COMPARISON_REGRESSION_ARGS`, the tutorial's. See
        :func:`~nmacausal.fit_regression_connectivity`.

    Returns
    -------
    IVComparison
        ``(observed_ratio, n_observed, reg_corrs, iv_corrs)``, the last three
        of shape ``(len(observed_ratio),)``.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is fitted).

    Examples
    --------
    >>> A, X, Z = simulate_neurons_iv(20, 5000, 2)
    >>> comparison = compare_iv_estimate_to_regression(A, X, Z, [1, 0.5])
    >>> comparison.n_observed.tolist(), comparison.iv_corrs.shape
    ([20, 10], (2,))
    """
    n_neurons, A, X, Z = _check_network(None, A, X, Z)
    fractions = _check_ratios(observed_ratio, "observed_ratio")
    if regression_args is None:
        regression_args = COMPARISON_REGRESSION_ARGS
    settings = _check_regression_args(regression_args)
    counts = [_n_observed(n_neurons, ratio) for ratio in fractions]
    _check_targets(X[: max(counts)], range(max(counts)))
    _check_identifiable(X[: max(counts)], Z[: max(counts)])
    reg_corrs = np.zeros(len(fractions))
    iv_corrs = np.zeros(len(fractions))
    for j, n_observed in enumerate(counts):
        reg_corrs[j], _, _ = _regression_corr(A, X, n_observed, settings)
        iv_corrs[j], _, _ = _iv_corr(A, X, Z, n_observed)
    return IVComparison(tuple(fractions), np.array(counts), reg_corrs, iv_corrs)


def _check_ratios(values, name):
    array = check_float_array(values, name, ndim=1)
    for index, value in enumerate(array.tolist()):
        if not 0 < value <= 1:
            raise ValueError(
                f"`{name}` must hold fractions in (0, 1], got {name}[{index}] = {value!r}."
            )
    return array.tolist()


def instrument_strength_effect(
    etas=INSTRUMENT_STRENGTHS, n_neurons=20, timesteps=10000, n_trials=3
):
    """IV's quality against the strength of the instrument: the tutorial's bonus sweep.

    For each trial ``0, 1, ..., n_trials - 1`` and each strength ``eta``, in
    the tutorial's loop order: simulate :func:`simulate_neurons_iv` ``(n_neurons,
    timesteps, eta, trial)`` (the trial index is the seed), estimate
    :func:`get_iv_estimate_network` and correlate it with ``A``. The defaults
    are the tutorial's. A weak instrument moves the neurons little, so the
    first stage predicts little of their activity and the estimate is noisy.
    Like the tutorial's, it leaves the global stream where the last
    simulation left it.

    A point is NaN only where the correlation is undefined: a network without
    any connection (likely only for tiny networks).

    Parameters
    ----------
    etas : sequence of float, default=INSTRUMENT_STRENGTHS
        Instrument strengths, each a finite number >= 0.
    n_neurons : int, default=20
        Number of neurons, at least 2.
    timesteps : int, default=10000
        Timesteps per simulation, at least ``n_neurons + 2``.
    n_trials : int, default=3
        Number of trials (networks), at least 1.

    Returns
    -------
    numpy.ndarray of shape (n_trials, len(etas))
        Entry ``[trial, j]``: correlation between the true connectivity of the
        network of seed ``trial`` and its IV estimate with strength ``etas[j]``.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is simulated).

    Examples
    --------
    >>> corr_data = instrument_strength_effect([2, 0.1], n_neurons=10, timesteps=2000, n_trials=2)
    >>> corr_data.shape
    (2, 2)
    """
    strengths = check_float_array(etas, "etas", ndim=1)
    for index, value in enumerate(strengths.tolist()):
        if value < 0:
            raise ValueError(
                f"`etas` must hold instrument strengths >= 0, got etas[{index}] = {value!r}."
            )
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=2)
    timesteps = check_integer(timesteps, "timesteps", minimum=n_neurons + 2)
    n_trials = check_integer(n_trials, "n_trials", minimum=1)
    corr_data = np.zeros((n_trials, strengths.size))
    for trial in range(n_trials):
        for j, eta in enumerate(strengths.tolist()):
            # eta * z is eta or 0 exactly, an int eta or its float alike.
            A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, trial)
            _check_identifiable(X, Z)
            V = _iv_estimate(X, Z)
            if A.min() == A.max() or V.min() == V.max():
                corr_data[trial, j] = np.nan
            else:
                corr_data[trial, j] = np.corrcoef(A.flatten(), V.flatten())[1, 0]
    return corr_data


# --- Granger causality (bonus) ---------------------------------------------------------------


def get_granger_causality(X, selected_neuron, alpha=0.05, *, correction="bonferroni"):
    """Test whether one neuron Granger-causes each neuron, with lag 1 (needs statsmodels).

    For every target neuron ``i``, statsmodels' ``grangercausalitytests`` compares
    ``x_i[t] = a0 + a1 x_i[t - 1]`` with the model that adds
    ``b1 x_selected[t - 1]``; the p-value is its likelihood-ratio test's, as in
    the tutorial. The selected neuron against itself is no test (its own past
    is already in the smaller model; statsmodels returns p = 1 and warns about
    the rank-deficient design): its p-value is 1 and it is never rejected,
    the tutorial's outcome without the warning.

    The tutorial's docstring calls ``alpha`` a "Bonferroni multiple comparisons
    correction" but its code compares each p-value with ``alpha`` itself. Here
    the correction is applied by default: with ``m = n_neurons - 1`` tests, the
    null is rejected where ``p < alpha / m``, which keeps the chance of any
    false "causes" below ``alpha``. ``correction=None`` gives the tutorial's
    uncorrected ``p < alpha``.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 5 timesteps (statsmodels' minimum for lag 1).
    selected_neuron : int
        Index of the neuron whose influence is tested, in ``[0, n_neurons - 1]``.
    alpha : float, default=0.05
        Significance level, in ``(0, 1)``: for all the tests together with the
        Bonferroni correction, for each test without.
    correction : {"bonferroni", None}, default="bonferroni"
        The multiple-comparisons correction, keyword only.

    Returns
    -------
    reject_null : list of int
        For each neuron ``i`` (``n_neurons`` entries), 1 where the test finds
        that the selected neuron Granger-causes neuron ``i``, else 0; compare
        with ``A[:, selected_neuron]``.
    p_vals : list of float
        The p-values of the tests, uncorrected.

    Raises
    ------
    ImportError
        If statsmodels is not installed (``pip install "nmacausal[granger]"``).
    TypeError, ValueError
        If an argument is invalid, or if a test cannot be computed (a neuron
        whose activity is constant, or predicted perfectly).

    Examples
    --------
    >>> from nmacausal import create_connectivity, simulate_neurons
    >>> A = create_connectivity(6)
    >>> reject_null, p_vals = get_granger_causality(simulate_neurons(A, 5000), 1)
    >>> reject_null, (A[:, 1] > 0).astype(int).tolist()
    ([1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0])
    """
    X = check_activity(X, "X", min_timesteps=5)
    n_neurons = X.shape[0]
    selected_neuron = check_integer(
        selected_neuron, "selected_neuron", minimum=0, maximum=n_neurons - 1
    )
    alpha = _check_alpha(alpha)
    if not any(correction is option or correction == option for option in _CORRECTIONS):
        raise ValueError(
            f'`correction` must be "bonferroni" or None (the tutorial\'s uncorrected test), '
            f"got {correction!r}."
        )
    test = _granger_test()
    n_tests = max(n_neurons - 1, 1)
    threshold = alpha / n_tests if correction == "bonferroni" else alpha
    reject_null, p_vals = [], []
    for target_neuron in range(n_neurons):
        if target_neuron == selected_neuron:
            pval = 1.0
        else:
            pval = test(X, target_neuron, selected_neuron)
        p_vals.append(pval)
        reject_null.append(int(pval < threshold))
    return reject_null, p_vals


def _granger_test():
    """A function ``(X, target, source) -> p-value`` of the lag-1 likelihood-ratio test."""
    grangercausalitytests = _grangercausalitytests()
    from statsmodels.tools.sm_exceptions import InfeasibleTestError

    # statsmodels 0.14 prints unless told not to (and warns when told); 0.15 never prints
    # and has no such argument.
    takes_verbose = "verbose" in inspect.signature(grangercausalitytests).parameters

    def pvalue(X, target_neuron, selected_neuron):
        ts_data = X[[target_neuron, selected_neuron], :].transpose()
        try:
            if takes_verbose:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)
                    result = grangercausalitytests(ts_data, maxlag=1, verbose=False)
            else:
                result = grangercausalitytests(ts_data, maxlag=1)
        except InfeasibleTestError as error:
            raise ValueError(
                f"`X`: the Granger test of neuron {selected_neuron} on neuron {target_neuron} "
                f"cannot be computed: {error} Is one of them constant?"
            ) from None
        return float(result[1][0]["lrtest"][1])

    return pvalue


def _check_alpha(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`alpha` must be a significance level in (0, 1), got {value!r}.")
    if not 0 < value < 1:  # NaN fails this too
        raise ValueError(f"`alpha` must be a significance level in (0, 1), got {value!r}.")
    return float(value)
