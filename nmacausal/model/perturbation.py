"""Estimating causal effects from perturbed activity.

On a perturbation step ``t`` every neuron was clamped to 0 or 1 at random;
step ``t + 1`` shows what that caused. The effect of neuron ``j`` on neuron
``i`` is estimated as the difference between the mean of ``x_i[t + 1]`` over
the steps where ``x_j[t]`` was clamped to 1 and over those where it was
clamped to 0 (or, for all pairs at once, as their correlation).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_activity, check_integer

__all__ = [
    "get_perturbed_connectivity_all_neurons",
    "get_perturbed_connectivity_from_single_neuron",
    "perturbation_outcome_pairs",
]


def perturbation_outcome_pairs(perturbed_X, *, perturb_every=2):
    """Split perturbed activity into clamped states and the states one step later.

    Parameters
    ----------
    perturbed_X : array_like of shape (n_neurons, timesteps)
        Activity from :func:`~nmacausal.simulate_neurons_perturb`.
    perturb_every : int, default=2
        The perturbation period used in the simulation.

    Returns
    -------
    perturbations : numpy.ndarray of shape (n_neurons, n_pairs)
        The clamped state on each perturbation step that has a next step.
    outcomes : numpy.ndarray of shape (n_neurons, n_pairs)
        The state one step after each of those perturbations.

    Raises
    ------
    TypeError, ValueError
        If ``perturbed_X`` is not a finite 2-D array with at least 2
        timesteps, or if its perturbation steps hold values other than 0 and 1.

    Examples
    --------
    >>> X = np.array([[1.0, 0.3, 0.0, 0.6]])
    >>> perturbation_outcome_pairs(X)
    (array([[1., 0.]]), array([[0.3, 0.6]]))
    """
    perturbed_X = check_activity(perturbed_X, "perturbed_X", min_timesteps=2)
    perturb_every = check_integer(perturb_every, "perturb_every", minimum=1)
    timesteps = perturbed_X.shape[1]
    # With an odd number of steps the last perturbation step has no outcome
    # (and, in a simulation, was not clamped at all): pair only those that do.
    perturbations = perturbed_X[:, 0 : timesteps - 1 : perturb_every]
    outcomes = perturbed_X[:, 1:timesteps:perturb_every]
    not_binary = (perturbations != 0) & (perturbations != 1)
    if not_binary.any():
        neuron, pair = np.argwhere(not_binary)[0]
        raise ValueError(
            f"`perturbed_X` must hold clamped 0/1 values on every perturbation step "
            f"(every {perturb_every} steps from step 0), but perturbed_X[{neuron}, "
            f"{pair * perturb_every}] = {float(perturbations[neuron, pair])!r}. Pass the output of "
            f"simulate_neurons_perturb, not of simulate_neurons."
        )
    return perturbations, outcomes


def get_perturbed_connectivity_from_single_neuron(perturbed_X, selected_neuron, *, perturb_every=2):
    """Estimate the causal effect of one neuron on every neuron by difference in means.

    Parameters
    ----------
    perturbed_X : array_like of shape (n_neurons, timesteps)
        Activity from :func:`~nmacausal.simulate_neurons_perturb`.
    selected_neuron : int
        Index of the neuron whose effects are estimated.
    perturb_every : int, default=2
        The perturbation period used in the simulation.

    Returns
    -------
    numpy.ndarray of shape (n_neurons,)
        Entry ``i``: mean of neuron i's next-step activity when the selected
        neuron was clamped to 1, minus the same mean when it was clamped to 0.
        It estimates column ``selected_neuron`` of the connectivity (up to scale).

    Raises
    ------
    TypeError, ValueError
        If the input is malformed, ``selected_neuron`` is out of range, or the
        selected neuron was never clamped to 0 or never to 1.

    Examples
    --------
    >>> X = np.array([[1.0, 0.9, 0.0, 0.1], [1.0, 0.5, 1.0, 0.5]])
    >>> get_perturbed_connectivity_from_single_neuron(X, 0)
    array([0.8, 0. ])
    """
    perturbations, outcomes = perturbation_outcome_pairs(perturbed_X, perturb_every=perturb_every)
    n_neurons = perturbations.shape[0]
    selected_neuron = check_integer(
        selected_neuron, "selected_neuron", minimum=0, maximum=n_neurons - 1
    )
    clamped_on = perturbations[selected_neuron] == 1
    for level, steps in ((1, clamped_on), (0, ~clamped_on)):
        if not steps.any():
            raise ValueError(
                f"`perturbed_X` never clamps neuron {selected_neuron} to {level} on a "
                f"perturbation step, so its effect is undefined; simulate more timesteps."
            )
    return outcomes[:, clamped_on].mean(axis=1) - outcomes[:, ~clamped_on].mean(axis=1)


def get_perturbed_connectivity_all_neurons(perturbed_X, *, perturb_every=2):
    """Estimate the whole connectivity from perturbations by correlation.

    Entry ``[j, i]`` is the correlation, across perturbation steps, between
    the clamped state of neuron ``j`` and the next-step activity of neuron
    ``i``: the upper-right block of the correlation matrix of perturbations
    stacked on outcomes. It is proportional to the difference in means, so
    ``R.T`` estimates ``A`` up to a scale per neuron.

    Parameters
    ----------
    perturbed_X : array_like of shape (n_neurons, timesteps)
        Activity from :func:`~nmacausal.simulate_neurons_perturb`.
    perturb_every : int, default=2
        The perturbation period used in the simulation.

    Returns
    -------
    numpy.ndarray of shape (n_neurons, n_neurons)
        ``R[j, i]``: estimated effect of neuron j on neuron i (note the
        transpose relative to ``A``).

    Raises
    ------
    TypeError, ValueError
        If the input is malformed or has fewer than 2 perturbation steps, or
        if some neuron's perturbations or outcomes never vary (the correlation
        would be NaN).

    Examples
    --------
    >>> from nmacausal import create_connectivity, simulate_neurons_perturb
    >>> A = create_connectivity(6)
    >>> R = get_perturbed_connectivity_all_neurons(simulate_neurons_perturb(A, 2000))
    >>> R.shape
    (6, 6)
    """
    perturbations, outcomes = perturbation_outcome_pairs(perturbed_X, perturb_every=perturb_every)
    n_neurons, n_pairs = perturbations.shape
    if n_pairs < 2:
        raise ValueError(
            f"`perturbed_X` has {n_pairs} perturbation step(s) with an outcome; a correlation "
            f"needs at least 2 (simulate at least {2 * perturb_every} timesteps)."
        )
    stacked = np.concatenate([perturbations, outcomes], axis=0)
    correlation = _corrcoef_in_place(stacked)
    if correlation is None:
        raise ValueError(
            "`perturbed_X` has a neuron whose perturbations (or outcomes) are the same on every "
            "perturbation step, so its correlation is undefined; simulate more timesteps."
        )
    return correlation[:n_neurons, n_neurons:]


def _corrcoef_in_place(rows):
    """``np.corrcoef(rows)`` computed in ``rows``' own memory, or None if a row is constant.

    The same operations in the same order as NumPy's ``cov`` and
    ``corrcoef`` (so the result is bit-identical, which the tests check),
    without their private copy of the data: for a large recording that copy
    would be the largest allocation of the whole estimate.
    """
    rows -= rows.mean(axis=1)[:, None]
    product = np.dot(rows, rows.T)
    product *= np.true_divide(1, rows.shape[1] - 1)
    stddev = np.sqrt(np.diag(product))
    if not np.all(stddev > 0):
        return None
    product /= stddev[:, None]
    product /= stddev[None, :]
    np.clip(product, -1, 1, out=product)
    return product
