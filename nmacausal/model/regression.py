"""Estimating connectivity by regression on all neurons at once (Tutorial 3, "Regression").

Correlation asks how each pair of neurons moves together, one pair at a time.
Regression asks instead which combination of *all* neurons at ``t`` best
predicts each neuron at ``t + 1``, and so separates a neuron's own effect from
the effects of the others it correlates with. The model's activity is
``x[t + 1] = sigmoid(A @ x[t] + eps[t])``, so ``logit(x_i[t + 1])`` is linear in
``x[t]`` with weights ``A[i, :]``: Tutorial 3 regresses ``logit(x_i[t + 1])`` on
``x[t]`` with a Lasso (an L1 penalty, which suits a sparse ``A``) and reads the
estimate ``V[i, :]`` off the coefficients, in the same orientation as ``A``.
It works well when every neuron is observed and degrades as more of the
network is hidden, because unobserved neurons act as confounders; the sweep
below computes the numbers behind the tutorial's figure.

The functions keep the tutorial's names and arguments. Three differences are
deliberate. First, the tutorial fits its neurons one regression at a time
(``MultiOutputRegressor``); here one multi-target ``Lasso`` shares the Gram
matrix ``x[t] x[t]^T`` between all neurons, which runs the same cyclic
coordinate descent (coefficients agree to about 1e-13; about 80 times faster
on the exercise's recording, ``benchmarks/bench_regression.py``) and reports,
per neuron, whether the fit met scikit-learn's tolerance before the tutorial's
cap of 250 iterations. Second,
:func:`get_regression_corr_full_connectivity` honours its ``regression_args``,
which the tutorial's ignores. Third, where the tutorial silently gets NaN (no
connection among the observed neurons), it raises a ``ValueError`` that says
why, and the sweep marks that point NaN. ``tests/test_regression.py`` holds
these facts against a plain transcription of the tutorial.

As in the tutorial, the simulations draw from NumPy's *global* random stream
(see :mod:`~nmacausal.model.simulation`). The exercise's single Lasso fit,
like the tutorial's, draws one number from it too (scikit-learn seeds its
solver that way, even when the draw is unused); the whole-network fits leave it
alone, as the tutorial's did (they ran in worker processes).
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .._validation import (
    check_activity,
    check_connectivity,
    check_float_array,
    check_integer,
)
from .correlation import _check_trials
from .quality import _why_undefined
from .simulation import create_connectivity, simulate_neurons


def _scikit_learn():
    """``Lasso`` and ``ConvergenceWarning``, imported on first use.

    scikit-learn takes about a second to import; ``import nmacausal`` (every
    notebook, checker and grading kernel) should pay that only when a
    regression is actually fitted.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Lasso

    return Lasso, ConvergenceWarning

__all__ = [
    "OBSERVED_RATIOS",
    "TUTORIAL_ALPHA",
    "TUTORIAL_REGRESSION_ARGS",
    "RegressionFit",
    "fit_regression_connectivity",
    "get_regression_corr_full_connectivity",
    "get_regression_estimate",
    "get_regression_estimate_full_connectivity",
    "logit",
    "sweep_observed_fraction",
]

#: The Lasso penalty of the tutorial's exercise and figures.
TUTORIAL_ALPHA = 0.01

#: The Lasso settings behind the tutorial's whole-network figures (read-only). Its
#: notebook passes ``{"fit_intercept": False, "alpha": 0.001}`` as ``regression_args``,
#: but its function ignores them and always fits with these.
TUTORIAL_REGRESSION_ARGS = MappingProxyType(
    {"fit_intercept": False, "alpha": TUTORIAL_ALPHA, "max_iter": 250}
)

#: The fractions of observed neurons of the tutorial's "regression vs number of
#: neurons observed" figure.
OBSERVED_RATIOS = (1, 0.75, 0.5, 0.25, 0.12)

# Two steps give one (x[t], x[t + 1]) pair; two pairs at least, as for Tutorial 2's
# estimates, so that both tutorials accept the same recordings.
_MIN_TIMESTEPS = 3


class RegressionFit(NamedTuple):
    """The result of :func:`fit_regression_connectivity`.

    Attributes
    ----------
    V : numpy.ndarray of shape (n_neurons, n_neurons)
        ``V[i, j]``: estimated effect of neuron ``j`` on neuron ``i`` (row ``i``
        holds the Lasso coefficients of neuron ``i``'s regression), in the
        orientation of ``A``.
    intercept : numpy.ndarray of shape (n_neurons,)
        Each regression's intercept: all zeros unless ``fit_intercept`` is true.
        Not part of ``V``.
    n_iter : numpy.ndarray of shape (n_neurons,)
        Coordinate-descent iterations run for each neuron's regression.
    converged : numpy.ndarray of shape (n_neurons,)
        Booleans: ``False`` where a regression stopped at ``max_iter`` before
        meeting scikit-learn's tolerance (``tol``, applied to the duality gap).
        With the tutorial's cap of 250 iterations most fits on long recordings
        stop there; their coefficients are still the tutorial's.
    """

    V: np.ndarray
    intercept: np.ndarray
    n_iter: np.ndarray
    converged: np.ndarray


def logit(x):
    """The inverse of the sigmoid, ``log(x / (1 - x))``, element-wise.

    Values must lie strictly between 0 and 1. The logit of 0 or 1 is infinite,
    and a regression on an infinite target is meaningless, so such values are
    refused rather than clipped: the model's activity is a sigmoid output,
    always strictly inside (0, 1), and a 0 or a 1 means the data do not come
    from this model or were rounded. NaN is refused too.

    Parameters
    ----------
    x : array_like or float
        Values in the open interval (0, 1).

    Returns
    -------
    numpy.ndarray or numpy.float64
        The logit of each value, of the same shape as ``x``.

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If a value is not strictly between 0 and 1 (the message says how many
        and shows the first).

    Examples
    --------
    >>> float(logit(0.5))
    0.0
    >>> logit([0.25, 0.75]).round(6).tolist()
    [-1.098612, 1.098612]
    >>> from nmacausal.model.simulation import sigmoid
    >>> round(float(logit(sigmoid(2.0))), 12)
    2.0
    """
    values = _numeric_array(x, "x")
    _check_open_unit_interval(values, "x")
    return np.log(values / (1 - values))


def get_regression_estimate(X, neuron_idx):
    """Estimate the connections into one neuron by Lasso regression: the exercise's reference.

    Regresses ``logit(X[neuron_idx, t + 1])`` on ``X[:, t]`` for every ``t``,
    exactly as the tutorial's exercise does: scikit-learn's
    ``Lasso(alpha=0.01, fit_intercept=False)`` with its default of 1000
    iterations at most, on the same arrays, so the numbers are the tutorial's.
    The tutorial's target is two-dimensional, ``(timesteps - 1, 1)``, but its
    ``regression.coef_`` is flat all the same (``Lasso`` flattens the
    coefficients of a single target, scikit-learn issue #19693); this fits
    the flat target and returns the same numbers, of the same shape. Row
    ``neuron_idx`` of :func:`fit_regression_connectivity` with
    ``{"alpha": 0.01, "fit_intercept": False}`` is the same estimate, up to
    rounding.

    As the tutorial's, the fit draws one number from NumPy's global random
    stream (scikit-learn seeds its solver so). A fit that stops at 1000
    iterations returns its coefficients like the tutorial's, without
    scikit-learn's ``ConvergenceWarning`` (none does on the tutorial's data).

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 3 timesteps. The neuron's activity after the first step, the
        regression's target, must lie strictly between 0 and 1 (see
        :func:`logit`); the first step, which :func:`~nmacausal.simulate_neurons`
        sets to 0, is only a regressor.
    neuron_idx : int
        Index of the neuron whose incoming connections are estimated, in
        ``[0, n_neurons - 1]``.

    Returns
    -------
    numpy.ndarray of shape (n_neurons,)
        Entry ``j``: estimated effect of neuron ``j`` on neuron ``neuron_idx``,
        an estimate of ``A[neuron_idx, j]``.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array with at least 3 timesteps, if the
        neuron's activity after the first step is not strictly between 0 and 1,
        or if ``neuron_idx`` is not an integer in range.

    Examples
    --------
    >>> A = create_connectivity(10)
    >>> X = simulate_neurons(A, 2000)
    >>> V = get_regression_estimate(X, 1)
    >>> V.shape
    (10,)
    >>> bool(np.corrcoef(A[1, :], V)[1, 0] > 0.8)
    True
    """
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    # The tutorial indexes with it; a negative index would silently pick a neuron
    # from the end, which is never what a student means.
    neuron_idx = check_integer(neuron_idx, "neuron_idx", minimum=0, maximum=X.shape[0] - 1)
    _check_targets(X[[neuron_idx]], [neuron_idx])
    regressors = X[:, :-1].T
    target = np.log(X[neuron_idx, 1:] / (1 - X[neuron_idx, 1:]))
    Lasso, ConvergenceWarning = _scikit_learn()
    regression = Lasso(alpha=TUTORIAL_ALPHA, fit_intercept=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        regression.fit(regressors, target)
    return regression.coef_.copy()


def fit_regression_connectivity(X, regression_args=None):
    """Estimate every neuron's incoming connections by Lasso regression, with a report.

    For each neuron ``i``, regresses ``logit(X[i, t + 1])`` on ``X[:, t]``;
    row ``i`` of ``V`` holds the coefficients. All neurons share one
    multi-target ``Lasso`` with a precomputed Gram matrix, which runs the
    tutorial's per-neuron coordinate descent with the products ``x[t] x[t]^T``
    computed once (the same coefficients to about 1e-13 as the tutorial's
    ``MultiOutputRegressor``, much faster).

    Stopping at ``max_iter`` is deliberate with the tutorial's settings (a cap
    of 250 iterations, which most fits on long recordings reach), so
    scikit-learn's ``ConvergenceWarning`` is not passed on: which fits stopped
    before meeting the tolerance is reported in ``converged`` instead.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 3 timesteps. The activity after the first step, the regressions'
        targets, must lie strictly between 0 and 1 (see :func:`logit`); the
        first step is only a regressor.
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso``, every one of them
        honoured; ``None`` means :data:`TUTORIAL_REGRESSION_ARGS` (``alpha=0.01``,
        ``fit_intercept=False``, ``max_iter=250``). Keys it leaves out take
        ``Lasso``'s defaults (1000 iterations, with an intercept), except two:
        ``precompute`` defaults to ``True`` (the shared Gram matrix; ``False``
        gives the same numbers, slower), and ``random_state`` to 0, so that
        the fits leave NumPy's global stream alone, as the tutorial's did (it
        matters only with ``selection="random"``). With ``fit_intercept=True``
        the intercepts are reported apart from ``V``.

    Returns
    -------
    RegressionFit
        ``(V, intercept, n_iter, converged)``: the estimate, ``V[i, j]`` the
        effect of ``j`` on ``i`` as in ``A``, and the per-neuron intercepts,
        iteration counts and convergence flags.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array with at least 3 timesteps, if its
        activity after the first step is not strictly between 0 and 1, or if
        ``regression_args`` is not a mapping of valid ``Lasso`` arguments.

    Examples
    --------
    >>> A = create_connectivity(10)
    >>> fit = fit_regression_connectivity(simulate_neurons(A, 2000))
    >>> fit.V.shape, fit.n_iter.shape
    ((10, 10), (10,))
    >>> bool(np.corrcoef(A.flatten(), fit.V.flatten())[1, 0] > 0.8)
    True
    >>> one_step = {**TUTORIAL_REGRESSION_ARGS, "max_iter": 1}
    >>> capped = fit_regression_connectivity(simulate_neurons(A, 2000), one_step)
    >>> int(capped.n_iter.max()), int((~capped.converged).sum())  # 6 fits stopped short
    (1, 6)
    """
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    settings = _check_regression_args(regression_args)
    _check_targets(X, range(X.shape[0]))
    return _fit(X, settings)


def get_regression_estimate_full_connectivity(X, regression_args=None):
    """Estimate the whole connectivity by Lasso regression: the tutorial's helper.

    The estimate ``V`` of :func:`fit_regression_connectivity`, without the
    report. With the default ``regression_args`` (the tutorial's settings) it
    is the tutorial's ``get_regression_estimate_full_connectivity(X)``, to
    about 1e-13 per coefficient.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 3 timesteps, strictly between 0 and 1 after the first step.
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso``; ``None`` means
        :data:`TUTORIAL_REGRESSION_ARGS`. See :func:`fit_regression_connectivity`.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, n_neurons)
        ``V[i, j]``: estimated effect of neuron ``j`` on neuron ``i``.

    Raises
    ------
    TypeError, ValueError
        As :func:`fit_regression_connectivity`.

    Examples
    --------
    >>> A = create_connectivity(10)
    >>> V = get_regression_estimate_full_connectivity(simulate_neurons(A, 2000))
    >>> V.shape
    (10, 10)
    """
    return fit_regression_connectivity(X, regression_args).V


def get_regression_corr_full_connectivity(n_neurons, A, X, observed_ratio, regression_args=None):
    """How well regression recovers the connectivity when only some neurons are observed.

    As in the tutorial, the first ``k = clip(int(n_neurons * observed_ratio),
    1, n_neurons)`` neurons are observed: the connectivity among them is
    estimated from their activity alone, ``V`` =
    :func:`get_regression_estimate_full_connectivity` ``(X[:k],
    regression_args)``, and compared with the true block ``A[:k, :k]`` by the
    Pearson correlation over all entries. The hidden neurons still drive the
    observed ones, which is what spoils the estimate.

    Unlike the tutorial's, which ignores ``regression_args`` and always fits
    with :data:`TUTORIAL_REGRESSION_ARGS`, this honours them. The tutorial's
    notebook passes ``{"fit_intercept": False, "alpha": 0.001}``; to reproduce
    its figures, pass ``None`` (or :data:`TUTORIAL_REGRESSION_ARGS`).

    Parameters
    ----------
    n_neurons : int
        Number of neurons of the network, at least 2.
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity that produced ``X``.
    X : array_like of shape (n_neurons, timesteps)
        Activity of the whole network; at least 3 timesteps, strictly between
        0 and 1 after the first step for the observed neurons.
    observed_ratio : float
        Fraction of the neurons observed, in ``(0, 1]``.
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso``; ``None`` means
        :data:`TUTORIAL_REGRESSION_ARGS`. See :func:`fit_regression_connectivity`.

    Returns
    -------
    corr : float
        Correlation between ``A[:k, :k]`` and ``V``.
    sel_V : numpy.ndarray of shape (k, k)
        The estimate of the observed neurons' connectivity.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid or the shapes of ``A`` and ``X`` disagree
        with ``n_neurons``; or if the correlation is undefined because
        ``A[:k, :k]`` or ``V`` is the same everywhere (a single observed neuron,
        no connection among the observed neurons, or a penalty so large that
        every weight is 0). The tutorial gets NaN there.

    Examples
    --------
    >>> A = create_connectivity(20)
    >>> X = simulate_neurons(A, 2000)
    >>> corr, sel_V = get_regression_corr_full_connectivity(20, A, X, 0.5)
    >>> sel_V.shape
    (10, 10)
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=2)
    A = check_connectivity(A)
    if A.shape[0] != n_neurons:
        raise ValueError(
            f"`A` must be the ({n_neurons}, {n_neurons}) connectivity of the `n_neurons` = "
            f"{n_neurons} neurons, got shape {A.shape}."
        )
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    if X.shape[0] != n_neurons:
        raise ValueError(
            f"`X` must hold the activity of the `n_neurons` = {n_neurons} neurons (one row "
            f"each), got shape {X.shape}."
        )
    observed_ratio = _check_ratio(observed_ratio, "observed_ratio")
    settings = _check_regression_args(regression_args)
    n_observed = _n_observed(n_neurons, observed_ratio)
    _check_targets(X[:n_observed], range(n_observed))
    corr, problem, sel_V = _regression_corr(A, X, n_observed, settings)
    if problem is not None:
        raise ValueError(_undefined_message(problem, n_neurons, n_observed, observed_ratio))
    return corr, sel_V


def sweep_observed_fraction(
    ratios=OBSERVED_RATIOS, n_neurons=50, timesteps=5000, n_trials=3, regression_args=None
):
    """Regression quality against the fraction of neurons observed: the tutorial's figure.

    For each trial ``0, 1, ..., n_trials - 1``, a network is drawn with the
    trial index as seed and simulated once (with the simulation's default
    seed, 42, as in the tutorial); then, for each ratio,
    :func:`get_regression_corr_full_connectivity` of that recording. The
    defaults are the tutorial's, and with ``regression_args=None`` so are the
    Lasso settings its figure used (:data:`TUTORIAL_REGRESSION_ARGS`). Average
    over trials with ``np.nanmean`` and ``np.nanstd``, as the tutorial does.

    A point is NaN, deliberately and only, where the correlation is undefined
    (:func:`get_regression_corr_full_connectivity` would raise a
    ``ValueError`` saying why): a single observed neuron, no connection among
    the observed neurons, or an estimate that is the same everywhere.

    Parameters
    ----------
    ratios : sequence of float, default=OBSERVED_RATIOS
        Fractions of the neurons observed, each in ``(0, 1]``.
    n_neurons : int, default=50
        Number of neurons, at least 2.
    timesteps : int, default=5000
        Timesteps per simulation, at least 3.
    n_trials : int, default=3
        Number of trials (networks), at least 1.
    regression_args : mapping or None, default=None
        Keyword arguments of ``sklearn.linear_model.Lasso``; ``None`` means
        :data:`TUTORIAL_REGRESSION_ARGS`. See :func:`fit_regression_connectivity`.

    Returns
    -------
    numpy.ndarray of shape (n_trials, len(ratios))
        Entry ``[trial, j]``: correlation between the true and the estimated
        connectivity of the observed neurons when a fraction ``ratios[j]`` of
        the network of seed ``trial`` is observed.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is simulated).

    Examples
    --------
    >>> quality = sweep_observed_fraction([1, 0.5, 0.01], n_neurons=20, timesteps=500, n_trials=2)
    >>> quality.shape
    (2, 3)
    >>> np.isnan(quality[:, 2]).tolist()  # one neuron observed: undefined
    [True, True]
    """
    values = check_float_array(ratios, "ratios", ndim=1)
    for index, value in enumerate(values.tolist()):
        if not 0 < value <= 1:
            raise ValueError(
                f"`ratios` must hold fractions in (0, 1], got ratios[{index}] = {value!r}."
            )
    fractions = values.tolist()
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=2)
    timesteps, n_trials = _check_trials(timesteps, n_trials)
    settings = _check_regression_args(regression_args)
    corr_data = np.zeros((n_trials, len(fractions)))
    for trial in range(n_trials):
        A = create_connectivity(n_neurons, random_state=trial)
        X = simulate_neurons(A, timesteps)  # seed 42, as in the tutorial
        for j, ratio in enumerate(fractions):
            n_observed = _n_observed(n_neurons, ratio)
            _check_targets(X[:n_observed], range(n_observed))
            corr_data[trial, j], _, _ = _regression_corr(A, X, n_observed, settings)
    return corr_data


def _fit(X, settings):
    """:func:`fit_regression_connectivity` on checked arguments."""
    n_neurons = X.shape[0]
    # Copies of our own, in the order the solver wants: with copy_X=False and an
    # intercept, scikit-learn centres them in place.
    regressors = np.array(X[:, :-1].T, order="F")
    targets = np.asfortranarray(np.log(X[:, 1:] / (1 - X[:, 1:])).T)
    Lasso, ConvergenceWarning = _scikit_learn()
    model = Lasso(**settings)
    with warnings.catch_warnings():
        # Reaching max_iter is reported per neuron in the result instead.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(regressors, targets)
    V = np.asarray(model.coef_).reshape(n_neurons, n_neurons)
    # A scalar 0.0 without an intercept, one per neuron with.
    intercept = np.broadcast_to(np.asarray(model.intercept_, dtype=float), (n_neurons,)).copy()
    n_iter = np.asarray(model.n_iter_, dtype=int).reshape(n_neurons)
    dual_gap = np.asarray(model.dual_gap_, dtype=float).reshape(n_neurons)
    return RegressionFit(V, intercept, n_iter, _converged(model, targets, n_iter, dual_gap))


def _converged(model, targets, n_iter, dual_gap):
    """Which fits met scikit-learn's stopping rule, the one behind its ConvergenceWarning.

    The solver stops when the duality gap is at most ``tol * ||y||^2`` (``y``
    centred when it fits an intercept), checking it at the latest on its last
    iteration: a fit that stopped before ``max_iter`` met it; one that reached
    ``max_iter`` met it only if its final gap (``dual_gap_``, divided by the
    number of samples) is within the tolerance.
    """
    n_samples = targets.shape[0]
    if model.fit_intercept:
        targets = np.asfortranarray(targets - targets.mean(axis=0))
    squared_norms = np.array([np.dot(column, column) for column in targets.T])
    within_tolerance = dual_gap * n_samples <= model.tol * squared_norms
    return (n_iter < model.max_iter) | within_tolerance


def _regression_corr(A, X, n_observed, settings):
    """The tutorial's correlation for the first ``n_observed`` neurons: ``(corr, problem, V)``.

    ``problem`` is None, or why the correlation is undefined: ``"single"`` (one
    observed neuron), ``"empty"`` or ``"uniform"`` (``A``'s block is all zero,
    or one nonzero value), ``"estimate"`` (``V`` is the same everywhere).
    """
    sel_A = A[:n_observed, :n_observed]
    sel_V = _fit(X[:n_observed], settings).V
    problem = "single" if n_observed == 1 else _why_undefined(sel_A, sel_V)
    if problem is not None:
        return np.nan, problem, sel_V
    # [1, 0] as the tutorial (Tutorial 2's [0, 1] may differ from it in the last bit).
    return float(np.corrcoef(sel_A.flatten(), sel_V.flatten())[1, 0]), None, sel_V


def _undefined_message(problem, n_neurons, n_observed, observed_ratio):
    """Why :func:`get_regression_corr_full_connectivity` has no answer, in words."""
    if problem == "single":
        return (
            f"with `observed_ratio` = {observed_ratio!r}, only the first of the {n_neurons} "
            f"neurons is observed: A and its estimate V have a single entry each, so their "
            f"correlation is undefined (the tutorial gets NaN here). Observe at least 2 neurons."
        )
    observed = (
        f"with `observed_ratio` = {observed_ratio!r}, the first {n_observed} of the "
        f"{n_neurons} neurons are observed"
    )
    if problem == "estimate":
        return (
            f"{observed}, and their estimated connectivity V is the same everywhere, so its "
            f"correlation with A is undefined (the tutorial gets NaN here); a penalty `alpha` "
            f"so large that Lasso keeps no connection does this."
        )
    kind = "no connection among them" if problem == "empty" else "the same weight everywhere"
    return (
        f"{observed}, and their true connectivity A[:{n_observed}, :{n_observed}] has {kind}, "
        f"so its correlation with the estimate V is undefined (the tutorial gets NaN here). "
        f"Observe more neurons."
    )


def _n_observed(n_neurons, observed_ratio):
    """The tutorial's number of observed neurons, computed as it does."""
    return int(np.clip(int(n_neurons * observed_ratio), 1, n_neurons))


def _check_ratio(value, name):
    """Return a fraction in ``(0, 1]``; booleans and non-numbers raise TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number in (0, 1], got {value!r}.")
    if not 0 < value <= 1:  # NaN fails this too
        raise ValueError(f"`{name}` must be a fraction in (0, 1], got {value!r}.")
    return value


def _lasso_parameters():
    Lasso, _ = _scikit_learn()
    return sorted(Lasso().get_params(deep=False))


def _check_regression_args(regression_args):
    """Return the keyword arguments for ``Lasso``, checked, with this module's defaults."""
    if regression_args is None:
        regression_args = TUTORIAL_REGRESSION_ARGS
    if not isinstance(regression_args, Mapping):
        raise TypeError(
            f"`regression_args` must be a mapping of Lasso keyword arguments such as "
            f"{{'alpha': 0.01}}, or None for the tutorial's, got {regression_args!r}."
        )
    known = _lasso_parameters()
    unknown = [key for key in regression_args if key not in known]
    if unknown:
        raise ValueError(
            f"`regression_args` has {', '.join(map(repr, unknown))}, which Lasso does not "
            f"take; its keyword arguments are {', '.join(known)}."
        )
    settings = {"precompute": True, "random_state": 0, **regression_args}
    Lasso, _ = _scikit_learn()
    model = Lasso(**settings)
    try:
        model._validate_params()  # checked now, before any simulation
    except ValueError as error:  # scikit-learn's InvalidParameterError (a TypeError too)
        raise type(error)(f"`regression_args`: {error}") from None
    return settings


def _check_targets(rows, labels):
    """Raise if the activity after the first step of ``rows`` is not strictly in (0, 1)."""
    targets = rows[:, 1:]
    outside = ~((targets > 0) & (targets < 1))
    if outside.any():
        row, step = np.unravel_index(int(np.argmax(outside)), targets.shape)
        neuron = list(labels)[row]
        count = int(outside.sum())
        others = "" if count == 1 else f" ({count} values are outside, this is the first)"
        raise ValueError(
            f"`X` must hold activities strictly between 0 and 1 after the first timestep "
            f"(their logit is the regression's target), but X[{neuron}, {step + 1}] = "
            f"{float(targets[row, step])!r} (neuron {neuron}, timestep {step + 1}){others}. "
            f"Activity simulated by this model always is; a 0 or a 1 means the recording was "
            f"rounded or comes from another model."
        )


def _numeric_array(value, name):
    """``value`` as a float array of any shape; TypeError if it is not real numbers."""
    refused = TypeError(f"`{name}` must be a real number or an array of them, got {value!r}.")
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise refused
    try:
        array = np.asarray(value)
        if array.dtype.kind not in "biufO":  # strings, complex numbers, dates...
            raise refused
        return array.astype(float)
    except (TypeError, ValueError):
        raise refused from None


def _check_open_unit_interval(values, name):
    outside = ~((values > 0) & (values < 1))  # NaN is outside too
    if not outside.any():
        return
    if values.ndim == 0:
        raise ValueError(
            f"`{name}` must lie strictly between 0 and 1 (the logit of 0 or 1 is infinite), "
            f"got {float(values)!r}."
        )
    index = np.unravel_index(int(np.argmax(outside)), values.shape)
    shown = ", ".join(map(str, index))
    raise ValueError(
        f"`{name}` must lie strictly between 0 and 1 (the logit of 0 or 1 is infinite), but "
        f"{int(outside.sum())} of its {values.size} entries do not; the first is "
        f"{name}[{shown}] = {float(values[index])!r}."
    )
