"""Simulating the tutorial's network of neurons.

The model: ``x[t+1] = sigmoid(A @ x[t] + eps[t])`` with ``x[0] = 0`` and
``eps[t] ~ N(0, I)``, where ``A[i, j]`` is the effect of neuron ``j`` on
neuron ``i``. In the perturbed variant every neuron is clamped to a random 0
or 1 on each perturbation step.

The tutorial-facing functions keep the tutorial's use of NumPy's *global*
random stream, so that they reproduce its printed numbers. The tutorial draws
its noise with ``np.random.multivariate_normal(np.zeros(n), np.eye(n))``,
which spends most of its time on an SVD of the identity and then returns
exactly the next ``n`` standard normals of the stream; here the same normals
are drawn in blocks, so the output and the stream's final state are
identical, only faster. ``tests/test_simulation.py`` holds both facts against
a plain transcription of the tutorial's loop.
"""

from __future__ import annotations

import contextlib
import numbers

import numpy as np

from .._validation import check_connectivity, check_float_array, check_integer, check_random_state

__all__ = [
    "create_connectivity",
    "isolated_random_state",
    "neuron_B",
    "sigmoid",
    "simulate_neurons",
    "simulate_neurons_perturb",
]


def sigmoid(x):
    """Logistic nonlinearity ``1 / (1 + exp(-x))``, element-wise.

    Parameters
    ----------
    x : array_like
        Input values.

    Returns
    -------
    numpy.ndarray or float
        Values in ``[0, 1]``, of the same shape as ``x``.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    """
    # exp(-x) overflows to inf for x < -709; 1 / inf = 0 is the right limit,
    # and the warning would cost a student the points of an nbgrader cell.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def neuron_B(activity_of_A):
    """Activity of neuron B driven by neuron A: ``B = A + eps``, ``eps ~ N(0, 1)``.

    The noise comes from NumPy's global random stream (``np.random.randn``),
    as in the tutorial, so seeding with ``np.random.seed`` reproduces it.

    Parameters
    ----------
    activity_of_A : array_like of shape (T,)
        Activity of neuron A on each of T trials.

    Returns
    -------
    numpy.ndarray of shape (T,)
        Activity of neuron B on the same trials.

    Raises
    ------
    TypeError
        If ``activity_of_A`` is not numeric.
    ValueError
        If it is not a non-empty 1-D array of finite numbers.

    Examples
    --------
    >>> np.random.seed(0)
    >>> neuron_B(np.ones(3)).shape
    (3,)
    """
    activity_of_A = check_float_array(activity_of_A, "activity_of_A", ndim=1)
    noise = np.random.randn(activity_of_A.shape[0])
    return activity_of_A + noise


def create_connectivity(n_neurons, random_state=42, p=0.9):
    """Draw the sparse random connectivity matrix of the tutorial.

    Each entry is 0 (no connection) with probability ``p`` and 1 otherwise;
    the matrix is then divided by 1.01 times its largest singular value, so
    the linear part of the dynamics decays with a timescale of about 100 steps.

    Parameters
    ----------
    n_neurons : int
        Number of neurons, at least 1.
    random_state : int or None, default=42
        Seed for ``np.random.seed``; ``None`` continues the global stream.
    p : float, default=0.9
        Probability that an entry is 0: the sparsity of Tutorial 2's demo.
        Tutorial 1 fixes it at 0.9; the draw for 0.9 is the same either way.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, n_neurons)
        ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``. When the
        draw has no connection at all (likely for very small networks) the
        matrix is all zeros rather than the tutorial's 0 / 0 = NaN.

    Raises
    ------
    TypeError, ValueError
        If ``n_neurons`` is not an integer >= 1, ``random_state`` is not a
        valid seed or ``p`` is not a number in [0, 1].

    Examples
    --------
    >>> A = create_connectivity(6)
    >>> A.shape
    (6, 6)
    >>> int((create_connectivity(6, p=0.0) > 0).sum())
    36
    """
    n_neurons = check_integer(n_neurons, "n_neurons", minimum=1)
    random_state = check_random_state(random_state)
    p = _check_probability(p, "p")
    if random_state is not None:
        np.random.seed(random_state)
    # Tutorial 2's [p, 1 - p]; for p = 0.9 its cumulative sum is exactly
    # Tutorial 1's [0.9, 1.0], so both tutorials' draws are reproduced.
    connections = np.random.choice([0, 1], size=(n_neurons, n_neurons), p=[p, 1 - p])
    # The full SVD, as in the tutorial: LAPACK's values-only path may differ
    # from it in the last bit.
    _, singular_values, _ = np.linalg.svd(connections)
    largest_singular_value = singular_values[0]
    if largest_singular_value == 0:
        return np.zeros((n_neurons, n_neurons))
    return connections / (1.01 * largest_singular_value)


def _check_probability(value, name):
    """Return ``value`` as a float in [0, 1], or raise naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a probability (a number in [0, 1]), got {value!r}.")
    value = float(value)
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise ValueError(f"`{name}` must be a probability in [0, 1], got {value!r}.")
    return value


def simulate_neurons(A, timesteps, random_state=42):
    """Simulate the network without intervention.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        Connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    timesteps : int
        Number of timesteps T, at least 1 (column 0 is the initial state 0).
    random_state : int or None, default=42
        Seed for ``np.random.seed``; ``None`` continues the global stream.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, timesteps)
        ``X[:, t]`` is the activity of every neuron at step t.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square matrix, ``timesteps`` is not an
        integer >= 1 or ``random_state`` is not a valid seed.

    Examples
    --------
    >>> X = simulate_neurons(create_connectivity(6), 100)
    >>> X.shape
    (6, 100)
    """
    A = check_connectivity(A)
    timesteps = check_integer(timesteps, "timesteps", minimum=1)
    random_state = check_random_state(random_state)
    if random_state is not None:
        np.random.seed(random_state)
    return _run_dynamics(A, timesteps, perturb_every=None)


def simulate_neurons_perturb(A, timesteps, *, perturb_every=2, random_state=None):
    """Simulate the network while clamping every neuron on perturbation steps.

    On every step ``t`` with ``t % perturb_every == 0`` (before the last
    step) each neuron is set to 0 or 1 at random, and the dynamics carry the
    clamped state one step forward. As in the tutorial, the global random
    stream is continued, not reseeded, unless ``random_state`` is given.

    Parameters
    ----------
    A : array_like of shape (n_neurons, n_neurons)
        Connectivity: ``A[i, j]`` is the effect of neuron ``j`` on neuron ``i``.
    timesteps : int
        Number of timesteps T, at least 1.
    perturb_every : int, default=2
        Clamp every ``perturb_every``-th step; 2 (every other step) is the
        tutorial's choice.
    random_state : int or None, default=None
        If given, seed ``np.random.seed`` with it first.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, timesteps)
        ``X[:, t]`` is the activity at step t; on perturbation steps it is
        the clamped 0/1 pattern.

    Raises
    ------
    TypeError, ValueError
        If ``A`` is not a finite square matrix, or ``timesteps`` or
        ``perturb_every`` is not an integer >= 1.

    Examples
    --------
    >>> X = simulate_neurons_perturb(create_connectivity(6), 10, random_state=0)
    >>> sorted(set(X[:, 0]) | set(X[:, 2])) in ([0.0], [1.0], [0.0, 1.0])
    True
    """
    A = check_connectivity(A)
    timesteps = check_integer(timesteps, "timesteps", minimum=1)
    perturb_every = check_integer(perturb_every, "perturb_every", minimum=1)
    random_state = check_random_state(random_state)
    if random_state is not None:
        np.random.seed(random_state)
    return _run_dynamics(A, timesteps, perturb_every=perturb_every)


@contextlib.contextmanager
def isolated_random_state(seed=None):
    """Run a block with NumPy's global random stream, then put the stream back.

    Checkers and widgets call the tutorial's global-seed functions inside
    this block, so the notebook around them sees its random state unchanged.

    Parameters
    ----------
    seed : int or None, default=None
        If given, the global stream is seeded with it inside the block.

    Examples
    --------
    >>> before = np.random.get_state()[1].copy()
    >>> with isolated_random_state(3):
    ...     _ = np.random.rand(10)
    >>> bool((np.random.get_state()[1] == before).all())
    True
    """
    seed = check_random_state(seed, "seed")
    saved = np.random.get_state()
    try:
        if seed is not None:
            np.random.seed(seed)
        yield
    finally:
        np.random.set_state(saved)


def _run_dynamics(A, timesteps, perturb_every, inputs=None):
    """Run the dynamics, drawing from the global stream in the tutorial's order.

    The tutorial's loop draws, on each step t < T - 1: the clamp pattern
    (``n`` integers) if t is a perturbation step, then ``n`` normals. So a
    block of steps from one perturbation to the next consumes a clamp pattern
    and then one run of normals, which are drawn with a single call. States
    that the next clamp overwrites are not computed at all.

    ``inputs``, if given, is a ``(timesteps, n_neurons)`` array of external
    drive: row ``t + 1`` is added to ``A @ x[t]`` before the noise, in
    Tutorial 4's order, ``sigmoid((A @ x[t] + inputs[t + 1]) + eps[t])``.
    """
    n_neurons = A.shape[0]
    states = np.zeros((timesteps, n_neurons))  # row t holds x[t]
    n_updates = timesteps - 1
    block = n_updates if perturb_every is None else perturb_every
    # sigmoid(z) = 1 / (1 + exp(-z)); negation commutes with rounding, so
    # (-A) @ x - eps is exactly -(A @ x + eps) and saves one pass per step.
    neg_A = -A
    with np.errstate(over="ignore"):  # exp overflow -> inf -> sigmoid 0, the right limit
        _run_blocks(neg_A, states, block, perturb_every, inputs)
    return np.ascontiguousarray(states.T)


def _run_blocks(neg_A, states, block, perturb_every, inputs=None):
    """Fill ``states`` in place, one block of ``block`` updates at a time.

    With ``inputs``, ``-((A @ x + u) + eps)`` is computed as ``((-A) @ x - u) - eps``:
    negation is exact and rounding symmetric, so the two are equal bit for bit.
    """
    n_updates, n_neurons = states.shape[0] - 1, states.shape[1]
    for start in range(0, n_updates, max(block, 1)):
        stop = min(start + block, n_updates)
        if perturb_every is not None:
            states[start] = np.random.randint(0, 2, size=n_neurons)
        noise = np.random.standard_normal((stop - start, n_neurons))
        for t in range(start, stop):
            if t + 1 == stop < n_updates and perturb_every is not None:
                continue  # the next perturbation overwrites x[t + 1]
            drive = neg_A.dot(states[t])
            if inputs is not None:
                drive -= inputs[t + 1]
            drive -= noise[t - start]
            np.exp(drive, out=drive)
            drive += 1.0
            np.divide(1.0, drive, out=states[t + 1])
