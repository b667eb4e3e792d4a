"""A plain transcription of Tutorial 2's ("Correlations") algorithms, the yardstick for fidelity.

Deliberately naive: one ``multivariate_normal`` call per step and one
``np.corrcoef`` per neuron, exactly as the tutorial
(NeuromatchAcademy/course-content,
``tutorials/W3D5_NetworkCausality/instructor/W3D5_Tutorial2.ipynb``) does.
Where the tutorial reads a notebook global, it becomes an argument or is read
off the arrays passed in; each place is marked "notebook global". The sweeps
are the computing part of the cells that draw the tutorial's figures, in the
same loop order. Used by the tests and the benchmarks only.
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def create_connectivity(n_neurons, random_state=42, p=0.9):
    np.random.seed(random_state)
    A_0 = np.random.choice([0, 1], size=(n_neurons, n_neurons), p=[p, 1 - p])
    _, s_vals, _ = np.linalg.svd(A_0)
    return A_0 / (1.01 * s_vals[0])  # 0 / 0 = NaN everywhere for an empty draw


def simulate_neurons(A, timesteps, random_state=42):
    np.random.seed(random_state)
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        epsilon = np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        X[:, t + 1] = sigmoid(A.dot(X[:, t]) + epsilon)
    return X


def correlation_for_all_neurons(X):
    n_neurons = len(X)
    S = np.concatenate([X[:, 1:], X[:, :-1]], axis=0)
    return np.corrcoef(S)[:n_neurons, n_neurons:]


def get_sys_corr(n_neurons, timesteps, random_state=42, neuron_idx=None):
    A = create_connectivity(n_neurons, random_state)
    X = simulate_neurons(A, timesteps)  # the tutorial does not pass random_state on
    R = correlation_for_all_neurons(X)
    return np.corrcoef(A.flatten(), R.flatten())[0, 1]


def compute_connectivity_from_single_neuron(X, selected_neuron):
    n_neurons = len(X)  # notebook global n_neurons
    current_activity = X[selected_neuron, :-1]
    next_activity = X[:, 1:]
    estimated_connectivity = np.zeros(n_neurons)
    for neuron_idx in range(n_neurons):
        this_output_activity = next_activity[neuron_idx]
        correlation = np.corrcoef(this_output_activity, current_activity)[0, 1]
        estimated_connectivity[neuron_idx] = correlation
    return estimated_connectivity


def get_coarse_corr(n_groups, X, A):
    n_neurons, timesteps = X.shape  # notebook globals n_neurons, timesteps (and A)
    coarse_X = X.reshape(n_groups, n_neurons // n_groups, timesteps).mean(1)
    assert coarse_X.shape == (n_groups, timesteps)
    R = correlation_for_all_neurons(coarse_X)
    coarse_A = (
        A.reshape(n_groups, n_neurons // n_groups, n_groups, n_neurons // n_groups).mean(3).mean(1)
    )
    corr = np.corrcoef(coarse_A.flatten(), R.flatten())[0, 1]
    return corr, R, coarse_A


def estimation_quality_vs_n_neurons(number_of_neurons, n_trials=5, timesteps=1000):
    """``plot_estimation_quality_vs_n_neurons`` without the plot (notebook globals as defaults)."""
    corr_data = np.zeros((n_trials, len(number_of_neurons)))
    for trial in range(n_trials):
        for j, size in enumerate(number_of_neurons):
            corr = get_sys_corr(size, timesteps, trial)
            corr_data[trial, j] = corr
    return corr_data


def sparsity_demo(sparsity=0.9):
    """Interactive Demo 2.2.2's ``plot_corrs(sparsity)`` without the plot."""
    timesteps = 2000
    random_state = 42
    n_neurons = 25
    A = create_connectivity(n_neurons, random_state, sparsity)
    X = simulate_neurons(A, timesteps)
    R = correlation_for_all_neurons(X)
    return np.corrcoef(A.flatten(), R.flatten())[0, 1]


def coarse_sweep(n_neurons=128, timesteps=5000, n_trials=3):
    """The bonus cell "visualize plot" without the plot: returns groups and corr_data."""
    groups = [2**i for i in range(2, int(np.log2(n_neurons)))]
    corr_data = np.zeros((n_trials, len(groups)))
    for trial in range(n_trials):
        A = create_connectivity(n_neurons, random_state=trial)
        X = simulate_neurons(A, timesteps, random_state=trial)
        for j, n_groups in enumerate(groups):
            corr_data[trial, j], _, _ = get_coarse_corr(n_groups, X, A)
    return groups, corr_data
