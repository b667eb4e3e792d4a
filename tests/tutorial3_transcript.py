"""A plain transcription of Tutorial 3's ("Regression") algorithms, the yardstick for fidelity.

Deliberately naive: one Lasso per neuron through ``MultiOutputRegressor`` in
worker processes (``n_jobs=-1``), exactly as the tutorial
(NeuromatchAcademy/course-content,
``tutorials/W3D5_NetworkCausality/instructor/W3D5_Tutorial3.ipynb``) does,
including its ``get_regression_corr_full_connectivity`` ignoring
``regression_args``. The network and its simulation are Tutorial 1's and 2's
helpers, which Tutorial 3 repeats unchanged; they come from
``tutorial2_transcript``. The sweep is the computing part of the cell that
draws the tutorial's figure, in the same loop order (the notebook global
``reg_args`` becomes an argument, passed on and ignored as there). Used by the
tests and the benchmarks only.
"""

import numpy as np
from sklearn.linear_model import Lasso
from sklearn.multioutput import MultiOutputRegressor
from tutorial2_transcript import create_connectivity, get_sys_corr, simulate_neurons  # noqa: F401


def logit(x):
    return np.log(x / (1 - x))


def get_regression_estimate(X, neuron_idx):
    W = X[:, :-1].transpose()
    Y = X[[neuron_idx], 1:].transpose()
    Y = logit(Y)
    regression = Lasso(fit_intercept=False, alpha=0.01)
    regression.fit(W, Y)
    V = regression.coef_
    return V


def get_regression_estimate_full_connectivity(X):
    n_neurons = X.shape[0]
    W = X[:, :-1].transpose()
    Y = X[:, 1:].transpose()
    Y = logit(Y)
    reg = MultiOutputRegressor(Lasso(fit_intercept=False, alpha=0.01, max_iter=250), n_jobs=-1)
    reg.fit(W, Y)
    V = np.zeros((n_neurons, n_neurons))
    for i, estimator in enumerate(reg.estimators_):
        V[i, :] = estimator.coef_
    return V


def get_regression_corr_full_connectivity(n_neurons, A, X, observed_ratio, regression_args):
    assert (observed_ratio > 0) and (observed_ratio <= 1)
    sel_idx = np.clip(int(n_neurons * observed_ratio), 1, n_neurons)
    sel_X = X[:sel_idx, :]
    sel_A = A[:sel_idx, :sel_idx]
    sel_V = get_regression_estimate_full_connectivity(sel_X)  # regression_args unused
    return np.corrcoef(sel_A.flatten(), sel_V.flatten())[1, 0], sel_V


def observed_fraction_sweep(
    ratio_observed=(1, 0.75, 0.5, 0.25, 0.12), n_neurons=50, timesteps=5000, n_trials=3,
    reg_args=None,
):  # fmt: skip
    """The cell "Plot correlation vs. subsampling" without the plot: returns corr_data."""
    if reg_args is None:
        reg_args = {"fit_intercept": False, "alpha": 0.001}  # the notebook's, never used
    corr_data = np.zeros((n_trials, len(ratio_observed)))
    for trial in range(n_trials):
        A = create_connectivity(n_neurons, random_state=trial)
        X = simulate_neurons(A, timesteps)
        for j, ratio in enumerate(ratio_observed):
            result, _ = get_regression_corr_full_connectivity(n_neurons, A, X, ratio, reg_args)
            corr_data[trial, j] = result
    return corr_data


def observed_demo(X, A, n_observed, n_neurons=50):
    """Interactive Demo 3's ``plot_observed(n_observed)`` without the plot: ``(corr, R)``.

    The demo's ``A = create_connectivity(50, random_state=42)`` and
    ``X = simulate_neurons(A, 4000, random_state=42)`` are drawn once, outside.
    """
    reg_args = {"fit_intercept": False, "alpha": 0.001}  # passed on, and ignored
    ratio = (n_observed) / n_neurons
    return get_regression_corr_full_connectivity(n_neurons, A, X, ratio, reg_args)
