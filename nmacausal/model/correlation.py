"""Estimating connectivity from correlations alone (Tutorial 2, "Correlations").

Without perturbations we can only observe. Tutorial 2 estimates the effect of
neuron ``j`` on neuron ``i`` by the correlation, across time, of
``x_i[t + 1]`` with ``x_j[t]``: the matrix ``R`` with ``R[i, j]`` in the same
orientation as ``A``. This works for a handful of neurons and fails as the
network grows, whatever its sparsity, and averaging groups of neurons does not
rescue it. The sweeps below compute the numbers behind the tutorial's figures.

The functions keep the tutorial's names, its arguments (where the tutorial read
a notebook global, it is an argument here) and its use of NumPy's *global*
random stream, so that seeded results, and the stream's state afterwards, are
bit-identical to the tutorial's; ``tests/test_correlation.py`` holds both
facts against a plain transcription. They differ from it on purpose in one
way: where the tutorial silently gets NaN (a network without connections), they
raise a ``ValueError`` that says why, and the sweeps mark that point NaN.
"""

from __future__ import annotations

import numpy as np

from .._validation import (
    check_activity,
    check_connectivity,
    check_float_array,
    check_integer,
    check_random_state,
)
from .perturbation import _corrcoef_in_place
from .quality import _why_undefined
from .simulation import create_connectivity, simulate_neurons

__all__ = [
    "COARSE_GROUPS",
    "NETWORK_SIZES",
    "SPARSITIES",
    "compute_connectivity_from_single_neuron",
    "correlation_for_all_neurons",
    "get_coarse_corr",
    "get_sys_corr",
    "sweep_coarse_graining",
    "sweep_network_size",
    "sweep_sparsity",
]

#: The network sizes of the tutorial's "estimation quality vs network size" figure.
NETWORK_SIZES = (5, 10, 25, 50, 100)

#: The positions of the sparsity slider of Interactive Demo 2.2.2: 0.01, 0.02, ..., 0.99.
SPARSITIES = tuple(k / 100 for k in range(1, 100))

#: The numbers of groups of the bonus' coarse-graining figure (128 neurons):
#: ``[2**i for i in range(2, int(np.log2(128)))]``.
COARSE_GROUPS = (4, 8, 16, 32, 64)

# Two steps give one (x[t], x[t + 1]) pair; a correlation needs two pairs.
_MIN_TIMESTEPS = 3


def correlation_for_all_neurons(X):
    """Estimate the connectivity of every neuron by lagged correlation.

    Entry ``R[i, j]`` is the correlation, across time, of neuron ``i``'s
    activity at ``t + 1`` with neuron ``j``'s activity at ``t``: the
    estimated effect of ``j`` on ``i``, in the same orientation as ``A``
    (no transpose needed, unlike the perturbation estimate of Tutorial 1).

    The result is bit-identical to the tutorial's
    ``np.corrcoef(np.concatenate([X[:, 1:], X[:, :-1]]))[:n, n:]``, computed
    without NumPy's private copy of the stacked activity, and the returned
    block does not keep the full ``(2n, 2n)`` matrix alive.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 3 timesteps.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, n_neurons)
        ``R[i, j]``: estimated effect of neuron ``j`` on neuron ``i``.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array with at least 3 timesteps, or if a
        neuron's activity never varies (its correlation is undefined; the
        tutorial would get NaN).

    Examples
    --------
    >>> x0 = np.random.default_rng(0).random(100)
    >>> X = np.vstack([x0, np.roll(x0, 1)])  # neuron 1 repeats neuron 0 one step later
    >>> R = correlation_for_all_neurons(X)
    >>> round(float(R[1, 0]), 12)
    1.0
    """
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    return _lagged_correlation(X, "X", "neuron")


def compute_connectivity_from_single_neuron(X, selected_neuron):
    """Estimate the effect of one neuron on every neuron by lagged correlation.

    The reference solution of the tutorial's Coding Exercise 1: entry ``i``
    is the correlation of neuron ``i``'s activity at ``t + 1`` with the
    selected neuron's activity at ``t``. It estimates column
    ``selected_neuron`` of ``A`` (up to scale) and equals column
    ``selected_neuron`` of :func:`correlation_for_all_neurons`. One
    ``np.corrcoef`` per neuron, as in the tutorial, so the numbers are its own
    to the last bit.

    Parameters
    ----------
    X : array_like of shape (n_neurons, timesteps)
        Activity, for example from :func:`~nmacausal.simulate_neurons`; at
        least 3 timesteps.
    selected_neuron : int
        Index of the neuron whose effects are estimated, in
        ``[0, n_neurons - 1]``.

    Returns
    -------
    numpy.ndarray of shape (n_neurons,)
        Entry ``i``: estimated effect of the selected neuron on neuron ``i``.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array with at least 3 timesteps,
        ``selected_neuron`` is not an integer in range, or an activity that
        enters the correlations never varies.

    Examples
    --------
    >>> x0 = np.random.default_rng(0).random(100)
    >>> X = np.vstack([x0, np.roll(x0, 1)])  # neuron 1 repeats neuron 0 one step later
    >>> [round(float(r), 12) for r in compute_connectivity_from_single_neuron(X, 0)][1]
    1.0
    """
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    n_neurons = X.shape[0]
    # The tutorial indexes with it; a negative index would silently pick a
    # neuron from the end, which is never what a student means.
    selected_neuron = check_integer(
        selected_neuron, "selected_neuron", minimum=0, maximum=n_neurons - 1
    )
    current_activity = X[selected_neuron, :-1]
    next_activity = X[:, 1:]
    _check_rows_vary(current_activity[None, :], [selected_neuron], "X", "neuron", "0..T-2")
    _check_rows_vary(next_activity, range(n_neurons), "X", "neuron", "1..T-1")
    estimated_connectivity = np.zeros(n_neurons)
    for neuron_idx in range(n_neurons):
        correlation = np.corrcoef(next_activity[neuron_idx], current_activity)[0, 1]
        estimated_connectivity[neuron_idx] = correlation
    return estimated_connectivity


def get_sys_corr(n_neurons, timesteps, random_state=42, *, p=0.9):
    """How well lagged correlation recovers a random network: the tutorial's pipeline.

    Draws ``A = create_connectivity(n_neurons, random_state, p)``, simulates
    it for ``timesteps`` steps, estimates ``R`` with
    :func:`correlation_for_all_neurons`, and returns the Pearson correlation
    of ``A`` with ``R`` over all entries, as the tutorial does
    (``np.corrcoef(A.flatten(), R.flatten())[0, 1]``).

    As in the tutorial, ``random_state`` seeds only the network: the
    simulation's noise is always seeded with 42, so two calls that differ only
    in ``random_state`` share their noise.

    Parameters
    ----------
    n_neurons : int
        Number of neurons, at least 2.
    timesteps : int
        Number of timesteps, at least 3.
    random_state : int or None, default=42
        Seed of the network; ``None`` continues the global stream.
    p : float, default=0.9
        Probability that a possible connection is absent (the tutorial's
        "sparsity"), in ``[0, 1]``.

    Returns
    -------
    float
        The correlation between ``A`` and ``R``, in ``[-1, 1]``.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid, or if the network drawn has the same weight
        everywhere (in practice: no connection at all, which happens for small
        networks or ``p`` near 1; or, for ``p = 0``, every connection), so that
        the question has no answer. The tutorial gets NaN there. (So does a
        constant ``R``, possible only for a handful of timesteps.) Even then
        the global stream has advanced exactly as the tutorial's.

    Examples
    --------
    >>> round(get_sys_corr(6, 5000), 4)
    0.9597
    """
    n_neurons, timesteps, random_state = _check_network(n_neurons, timesteps, random_state)
    corr, problem = _sys_corr(n_neurons, timesteps, random_state, p)
    if problem == "estimate":
        raise ValueError(
            f"the estimate R is the same for every pair of neurons, so its correlation with A "
            f"is undefined (the tutorial gets NaN here); simulate more than {timesteps} timesteps."
        )
    if problem is not None:
        kind = "no connection at all" if problem == "empty" else "every connection, all equal"
        raise ValueError(
            f"the network drawn with n_neurons={n_neurons}, random_state={random_state}, "
            f"p={p} has {kind}, so the correlation between A and its estimate R is "
            f"undefined (the tutorial gets NaN here). Use more neurons, another p or "
            f"another random_state."
        )
    return corr


def get_coarse_corr(n_groups, X, A):
    """How well lagged correlation between group averages recovers the average connectivity.

    The reference solution of the tutorial's bonus exercise. Neurons are split
    into ``n_groups`` contiguous groups of equal size (group ``g`` holds
    neurons ``g*k`` to ``g*k + k - 1``, ``k = n_neurons // n_groups``); the
    activity of each group is the mean of its neurons'; ``R`` is
    :func:`correlation_for_all_neurons` of those averages; the true coarse
    connectivity ``coarse_A[g, h]`` is the mean of ``A`` over the block of
    connections from group ``h`` to group ``g``. The tutorial read ``A``, the
    number of neurons and of timesteps from notebook globals; here they come
    from the arguments.

    Parameters
    ----------
    n_groups : int
        Number of groups, at least 2; it must divide the number of neurons.
    X : array_like of shape (n_neurons, timesteps)
        Activity of the network; at least 3 timesteps.
    A : array_like of shape (n_neurons, n_neurons)
        The true connectivity that produced ``X``.

    Returns
    -------
    corr : float
        Correlation between ``coarse_A`` and ``R`` over all entries.
    R : numpy.ndarray of shape (n_groups, n_groups)
        Estimated coarse connectivity.
    coarse_A : numpy.ndarray of shape (n_groups, n_groups)
        True coarse connectivity.

    Raises
    ------
    TypeError, ValueError
        If ``X`` or ``A`` is malformed or their sizes disagree, if ``n_groups``
        does not divide the number of neurons, if a group's average activity
        never varies, or if ``coarse_A`` or ``R`` is the same everywhere (the
        correlation is undefined; the tutorial gets NaN).

    Examples
    --------
    >>> A = create_connectivity(16)
    >>> corr, R, coarse_A = get_coarse_corr(4, simulate_neurons(A, 1000), A)
    >>> R.shape, coarse_A.shape
    ((4, 4), (4, 4))
    """
    X = check_activity(X, "X", min_timesteps=_MIN_TIMESTEPS)
    n_neurons, timesteps = X.shape
    A = check_connectivity(A)
    if A.shape[0] != n_neurons:
        raise ValueError(
            f"`A` must be the ({n_neurons}, {n_neurons}) connectivity of the {n_neurons} "
            f"neurons of `X`, got shape {A.shape}."
        )
    n_groups = _check_n_groups(n_groups, n_neurons)
    corr, problem, R, coarse_A = _coarse_corr(n_groups, X, A)
    if problem is not None:
        which = (
            "the estimate R" if problem == "estimate" else f"`A` averaged over {n_groups} groups"
        )
        raise ValueError(
            f"{which} is the same for every pair of groups, so the correlation between "
            f"coarse_A and R is undefined (the tutorial gets NaN here)."
        )
    return corr, R, coarse_A


def sweep_network_size(number_of_neurons=NETWORK_SIZES, timesteps=1000, n_trials=5):
    """Estimation quality against network size: the numbers of the tutorial's figure.

    For each trial ``0, 1, ..., n_trials - 1`` (the trial index seeds the
    network) and each size, :func:`get_sys_corr` ``(size, timesteps, trial)``,
    in the tutorial's order. The defaults are the tutorial's.

    A point is NaN, deliberately and only, when the network drawn has no
    connection at all (or, never in practice, every connection, or ``R`` is
    constant): then "how well does ``R`` match ``A``" has no answer, and
    :func:`get_sys_corr` would raise a ``ValueError`` saying so. With 5 neurons this happens
    for about 7% of seeds (each of the 25 possible connections is absent with
    probability 0.9), among them trials 2 and 3. Average over trials with
    ``np.nanmean`` and ``np.nanstd``; the tutorial's ``mean`` got NaN there and
    its plot silently lost the 5-neuron point.

    Parameters
    ----------
    number_of_neurons : sequence of int, default=NETWORK_SIZES
        Network sizes, each at least 2.
    timesteps : int, default=1000
        Timesteps per simulation, at least 3.
    n_trials : int, default=5
        Number of trials (networks) per size, at least 1.

    Returns
    -------
    numpy.ndarray of shape (n_trials, len(number_of_neurons))
        Entry ``[trial, j]``: correlation between ``A`` and ``R`` for a network
        of ``number_of_neurons[j]`` neurons drawn with seed ``trial``.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is simulated).

    Examples
    --------
    >>> quality = sweep_network_size([5, 10], timesteps=200, n_trials=4)
    >>> np.isnan(quality).tolist()  # seeds 2 and 3 draw no connection among 5 neurons
    [[False, False], [False, False], [True, False], [True, False]]
    """
    sizes = _check_integer_sequence(number_of_neurons, "number_of_neurons", minimum=2)
    timesteps, n_trials = _check_trials(timesteps, n_trials)
    corr_data = np.zeros((n_trials, len(sizes)))
    for trial in range(n_trials):
        for j, size in enumerate(sizes):
            corr_data[trial, j], _ = _sys_corr(size, timesteps, trial, 0.9)
    return corr_data


def sweep_sparsity(sparsities=SPARSITIES, n_neurons=25, timesteps=2000, random_state=42):
    """Estimation quality against the sparsity of the network (Interactive Demo 2.2.2).

    For each ``p`` in ``sparsities``, :func:`get_sys_corr`
    ``(n_neurons, timesteps, random_state, p=p)``: the number the demo
    displays at that slider position. The defaults are the demo's.

    A point is NaN, deliberately and only, when the network drawn has the
    same weight everywhere: no connection at all (``p = 1``, or ``p`` near 1
    in a small network) or every connection (``p = 0``). Then "how well does
    ``R`` match ``A``" has no answer; :func:`get_sys_corr` would raise a
    ``ValueError`` saying so, and the tutorial would show NaN too.

    Parameters
    ----------
    sparsities : sequence of float, default=SPARSITIES
        Probabilities that a possible connection is absent, each in ``[0, 1]``.
    n_neurons : int, default=25
        Number of neurons, at least 2.
    timesteps : int, default=2000
        Timesteps per simulation, at least 3.
    random_state : int or None, default=42
        Seed of every network (the same seed for each ``p``).

    Returns
    -------
    numpy.ndarray of shape (len(sparsities),)
        Correlation between ``A`` and ``R`` for each sparsity.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is simulated).

    Examples
    --------
    >>> quality = sweep_sparsity([0.5, 0.9, 1.0], timesteps=300)
    >>> bool(quality[0] < quality[1]), bool(np.isnan(quality[2]))
    (True, True)
    """
    probabilities = check_float_array(sparsities, "sparsities", ndim=1)
    outside = (probabilities < 0) | (probabilities > 1)
    if outside.any():
        index = int(np.argmax(outside))
        raise ValueError(
            f"`sparsities` must hold probabilities in [0, 1], got sparsities[{index}] = "
            f"{float(probabilities[index])!r}."
        )
    n_neurons, timesteps, random_state = _check_network(n_neurons, timesteps, random_state)
    corr_data = np.zeros(probabilities.shape[0])
    for j, p in enumerate(probabilities.tolist()):
        corr_data[j], _ = _sys_corr(n_neurons, timesteps, random_state, p)
    return corr_data


def sweep_coarse_graining(groups=COARSE_GROUPS, n_neurons=128, timesteps=5000, n_trials=3):
    """Estimation quality against coarseness of sampling: the numbers of the bonus' figure.

    For each trial ``0, 1, ..., n_trials - 1``, a network of ``n_neurons``
    is drawn and simulated, both seeded with the trial index (unlike
    :func:`get_sys_corr`, the bonus seeds the noise too); then, for each
    number of groups, :func:`get_coarse_corr` of that recording. The defaults
    are the tutorial's; it plots against ``n_neurons / groups`` (neurons per
    group), which runs in decreasing order.

    A point is NaN, deliberately and only, when the coarse connectivity (or
    its estimate) is the same for every pair of groups, for example in a
    network without connections, so that their correlation is undefined;
    :func:`get_coarse_corr` would raise a ``ValueError`` saying so.

    Parameters
    ----------
    groups : sequence of int, default=COARSE_GROUPS
        Numbers of groups, each at least 2 and dividing ``n_neurons``.
    n_neurons : int, default=128
        Number of neurons, at least 2.
    timesteps : int, default=5000
        Timesteps per simulation, at least 3.
    n_trials : int, default=3
        Number of trials (networks), at least 1.

    Returns
    -------
    numpy.ndarray of shape (n_trials, len(groups))
        Entry ``[trial, j]``: correlation between the true and the estimated
        coarse connectivity with ``groups[j]`` groups, for the network of seed
        ``trial``.

    Raises
    ------
    TypeError, ValueError
        If an argument is invalid (checked before anything is simulated).

    Examples
    --------
    >>> sweep_coarse_graining([4, 8], n_neurons=32, timesteps=300, n_trials=2).shape
    (2, 2)
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=2)
    group_counts = _check_integer_sequence(groups, "groups", minimum=2)
    for index, n_groups in enumerate(group_counts):
        _check_n_groups(n_groups, n_neurons, name=f"groups[{index}]")
    timesteps, n_trials = _check_trials(timesteps, n_trials)
    corr_data = np.zeros((n_trials, len(group_counts)))
    for trial in range(n_trials):
        A = create_connectivity(n_neurons, random_state=trial)
        X = simulate_neurons(A, timesteps, random_state=trial)
        for j, n_groups in enumerate(group_counts):
            corr_data[trial, j], _, _, _ = _coarse_corr(n_groups, X, A)
    return corr_data


def _sys_corr(n_neurons, timesteps, random_state, p):
    """:func:`get_sys_corr` on checked arguments: ``(corr, problem)``, see :func:`_match`.

    The simulation runs even for a network whose correlation is undefined, so
    that the global stream advances exactly as in the tutorial, which
    simulated its NaN network too.
    """
    A = create_connectivity(n_neurons, random_state, p)
    X = simulate_neurons(A, timesteps)  # seed 42, as in the tutorial
    R = _lagged_correlation(X, "X", "neuron")
    return _match(A, R)


def _coarse_corr(n_groups, X, A):
    """:func:`get_coarse_corr` on checked arguments: ``(corr, problem, R, coarse_A)``."""
    n_neurons, timesteps = X.shape
    group_size = n_neurons // n_groups
    # The tutorial's reshapes: contiguous groups; the same reductions in the same order.
    coarse_X = X.reshape(n_groups, group_size, timesteps).mean(1)
    R = _lagged_correlation(coarse_X, "X", "group")
    coarse_A = A.reshape(n_groups, group_size, n_groups, group_size).mean(3).mean(1)
    return (*_match(coarse_A, R), R, coarse_A)


def _match(truth, estimate):
    """The tutorial's ``np.corrcoef`` of the flattened matrices, and what prevents it.

    Returns ``(corr, None)``, or ``(nan, problem)`` when a matrix is the same
    everywhere and the correlation undefined: ``problem`` is ``"empty"``,
    ``"uniform"`` or ``"estimate"`` (see ``quality._why_undefined``; a
    constant estimate is possible only for a handful of timesteps).
    """
    problem = _why_undefined(truth, estimate)
    if problem is not None:
        return np.nan, problem
    return float(np.corrcoef(truth.flatten(), estimate.flatten())[0, 1]), None


def _lagged_correlation(rows, name, unit):
    """The tutorial's lagged-correlation block for checked ``rows``, or a clear error."""
    n_rows = rows.shape[0]
    _check_rows_vary(rows[:, 1:], range(n_rows), name, unit, "1..T-1")
    _check_rows_vary(rows[:, :-1], range(n_rows), name, unit, "0..T-2")
    stacked = np.concatenate([rows[:, 1:], rows[:, :-1]], axis=0)
    correlation = _corrcoef_in_place(stacked)
    if correlation is None:  # a spread too small to square (below ~1e-154)
        raise ValueError(
            f"`{name}` has a {unit} whose activity hardly varies at all, so its "
            f"correlation is undefined."
        )
    # A copy, so that the (2n, 2n) matrix is freed with the call.
    return correlation[:n_rows, n_rows:].copy()


def _check_rows_vary(window, labels, name, unit, steps):
    """Raise if a row of ``window`` (steps ``steps`` of the recording) is constant."""
    constant = window.max(axis=1) == window.min(axis=1)
    if constant.any():
        label = list(labels)[int(np.argmax(constant))]
        raise ValueError(
            f"`{name}`: the activity of {unit} {label} is the same on every one of steps "
            f"{steps}, so its correlation with the others is undefined (the tutorial "
            f"would get NaN)."
        )


def _check_network(n_neurons, timesteps, random_state):
    """:func:`get_sys_corr`'s arguments, checked in its order."""
    return (
        check_integer(n_neurons, "n_neurons", minimum=2),
        check_integer(timesteps, "timesteps", minimum=_MIN_TIMESTEPS),
        check_random_state(random_state),
    )


def _check_trials(timesteps, n_trials):
    """The arguments of a sweep over trials, checked before anything is simulated."""
    return (
        check_integer(timesteps, "timesteps", minimum=_MIN_TIMESTEPS),
        check_integer(n_trials, "n_trials", minimum=1),
    )


def _check_n_groups(n_groups, n_neurons, name="n_groups"):
    """Return ``n_groups`` as an int that splits ``n_neurons`` into equal groups."""
    n_groups = check_integer(n_groups, name, minimum=2, maximum=n_neurons)
    if n_neurons % n_groups:
        divisors = [k for k in range(2, n_neurons + 1) if n_neurons % k == 0]
        shown = ", ".join(map(str, divisors[:12])) + (", ..." if len(divisors) > 12 else "")
        raise ValueError(
            f"`{name}` must divide the number of neurons, {n_neurons}, into equal groups, "
            f"got {n_groups}; possible values: {shown}."
        )
    return n_groups


def _check_integer_sequence(values, name, *, minimum):
    """Return a non-empty 1-D sequence of integers as a tuple of ints."""
    if isinstance(values, (str, bytes, dict, set)) or not np.iterable(values):
        raise TypeError(f"`{name}` must be a sequence of integers, got {values!r}.")
    items = list(values)
    if not items:
        raise ValueError(f"`{name}` must not be empty.")
    return tuple(
        check_integer(value, f"{name}[{index}]", minimum=minimum)
        for index, value in enumerate(items)
    )
