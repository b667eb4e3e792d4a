"""A plain transcription of the tutorial's algorithms, the yardstick for fidelity.

Deliberately naive: one ``multivariate_normal`` call per step, exactly as the
tutorial draws its noise. Used by the tests and the benchmarks only.
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def neuron_B(activity_of_A):
    noise = np.random.randn(activity_of_A.shape[0])
    return activity_of_A + noise


def create_connectivity(n_neurons, random_state=42):
    np.random.seed(random_state)
    A_0 = np.random.choice([0, 1], size=(n_neurons, n_neurons), p=[0.9, 0.1])
    _, s_vals, _ = np.linalg.svd(A_0)
    return A_0 / (1.01 * s_vals[0])


def simulate_neurons(A, timesteps, random_state=42):
    np.random.seed(random_state)
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        epsilon = np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        X[:, t + 1] = sigmoid(A.dot(X[:, t]) + epsilon)
    return X


def simulate_neurons_perturb(A, timesteps):
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        if t % 2 == 0:
            X[:, t] = np.random.choice([0, 1], size=n_neurons)
        epsilon = np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        X[:, t + 1] = sigmoid(A.dot(X[:, t]) + epsilon)
    return X


def get_perturbed_connectivity_all_neurons(perturbed_X):
    n_neurons = len(perturbed_X)
    P = perturbed_X[:, ::2]
    Outs = perturbed_X[:, 1::2]
    S = np.concatenate([P, Outs], axis=0)
    return np.corrcoef(S)[:n_neurons, n_neurons:]
