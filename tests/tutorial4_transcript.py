"""A plain transcription of Tutorial 4's ("Instrumental variables") algorithms, the yardstick.

Deliberately naive, as the tutorial (NeuromatchAcademy/course-content,
``tutorials/W3D5_NetworkCausality/instructor/W3D5_Tutorial4.ipynb``) is: one
``multivariate_normal`` per simulated step, one regression per neuron through
``MultiOutputRegressor`` in worker processes (``n_jobs=-1``). Where the
tutorial reads a notebook global, it becomes an argument; each place is marked
"notebook global". The cells without a function (the smoking data, the
printed correlations, the demo, the comparison) are functions here, with the
same computations in the same order and the plots and progress prints left out. Kept as the
tutorial has them, mistakes included:

- ``compare_iv_estimate_to_regression`` passes the activity as the instrument
  (``sel_Z = X[:sel_idx, :]``);
- ``get_granger_causality`` compares each p-value with ``alpha``, no correction.

Two changes, both forced: ``grangercausalitytests`` is called without
``verbose=False`` (statsmodels 0.15 removed the argument; 0.14 deprecated it),
and the tutorial's ``import pandas.util.testing as tm``, unused and gone from
pandas, is left out. The helpers Tutorial 4 repeats from Tutorials 1-3 are
theirs, from ``tutorial2_transcript`` (Tutorial 4's ``get_regression_estimate``
and ``get_regression_estimate_full_connectivity`` differ from Tutorial 3's, so
they are transcribed here). Used by the tests and the benchmarks only.
"""

import numpy as np
from sklearn.linear_model import Lasso, LinearRegression
from sklearn.multioutput import MultiOutputRegressor
from tutorial2_transcript import create_connectivity, sigmoid, simulate_neurons  # noqa: F401


def logit(x):
    return np.log(x / (1 - x))


def get_regression_estimate(X, neuron_idx=None):
    n_neurons = X.shape[0]
    W = X[:, :-1].transpose()
    if neuron_idx is None:
        Y = X[:, 1:].transpose()
    else:
        Y = X[[neuron_idx], 1:].transpose()
    Y = logit(Y)
    regression = MultiOutputRegressor(Lasso(fit_intercept=False, alpha=0.01), n_jobs=-1)
    regression.fit(W, Y)
    if neuron_idx is None:
        V = np.zeros((n_neurons, n_neurons))
        for i, estimator in enumerate(regression.estimators_):
            V[i, :] = estimator.coef_
    else:
        V = regression.estimators_[0].coef_
    return V


def get_regression_estimate_full_connectivity(X):
    n_neurons = X.shape[0]
    W = X[:, :-1].transpose()
    Y = X[:, 1:].transpose()
    Y = logit(Y)
    reg = MultiOutputRegressor(Lasso(fit_intercept=False, alpha=0.01, max_iter=200), n_jobs=-1)
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


# --- Section 1: the smoking example ----------------------------------------------------------

IDX_DICT = {"Z": 0, "T": 1, "C": 2, "Y": 3}


def smoking_data():
    """The cell "Execute this cell to see correlations with C": ``(Z, T, C, Y, data, corrs)``."""
    covar = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, -0.5], [0.0, -0.5, 1.0]])
    means = [0, 5, 2]
    np.random.seed(42)
    data = np.random.multivariate_normal(mean=means, cov=2 * covar, size=2000)
    Y = 3000 + data[:, IDX_DICT["C"]] - (2 * (data[:, IDX_DICT["T"]]))
    data = np.concatenate([data, Y.reshape(-1, 1)], axis=1)
    Z = data[:, [IDX_DICT["Z"]]]
    T = data[:, [IDX_DICT["T"]]]
    C = data[:, [IDX_DICT["C"]]]
    Y = data[:, [IDX_DICT["Y"]]]
    corrs = np.corrcoef(data.transpose())
    return Z, T, C, Y, data, corrs


def fit_first_stage(T, Z):
    stage1 = LinearRegression(fit_intercept=True)
    stage1.fit(Z, T)
    T_hat = stage1.predict(Z)
    return T_hat


def fit_second_stage(T_hat, Y):
    stage2 = LinearRegression(fit_intercept=True)
    stage2.fit(T_hat, Y)
    return stage2.coef_


# --- Sections 2 and 3: the network -----------------------------------------------------------


def simulate_neurons_iv(n_neurons, timesteps, eta, random_state=42):
    np.random.seed(random_state)
    A = create_connectivity(n_neurons, random_state)
    X = np.zeros((n_neurons, timesteps))
    Z = np.random.choice([0, 1], size=(n_neurons, timesteps))
    for t in range(timesteps - 1):
        IV_on_this_timestep = eta * Z[:, t + 1]
        X[:, t + 1] = sigmoid(
            A.dot(X[:, t])
            + IV_on_this_timestep
            + np.random.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        )
    return A, X, Z


def get_iv_estimate_network(X, Z):
    n_neurons = X.shape[0]
    Y = X[:, 1:].transpose()
    Y = logit(Y)
    stage1 = MultiOutputRegressor(LinearRegression(fit_intercept=True), n_jobs=-1)
    stage1.fit(Z[:, :-1].transpose(), X[:, :-1].transpose())
    X_hat = stage1.predict(Z[:, :-1].transpose())
    stage2 = MultiOutputRegressor(LinearRegression(fit_intercept=True), n_jobs=-1)
    stage2.fit(X_hat, Y)
    V = np.zeros((n_neurons, n_neurons))
    for i, estimator in enumerate(stage2.estimators_):
        V[i, :] = estimator.coef_
    return V


def iv_demo_network():
    """The cell "visualize IV estimated connectivity matrix" without the plot: ``(A, V, corr)``."""
    n_neurons = 6
    timesteps = 10000
    random_state = 42
    eta = 2
    A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, random_state)
    V = get_iv_estimate_network(X, Z)
    return A, V, np.corrcoef(A.flatten(), V.flatten())[1, 0]


def plot_observed(ratio, n_neurons, A, X, Z):
    """Interactive Demo 3 without the plot: ``(iv_corr, V, reg_corr, R)``.

    Its data, ``simulate_neurons_iv(30, 20000, 2, 42)``, are drawn once, outside
    (notebook globals ``n_neurons``, ``A``, ``X``, ``Z``).
    """
    reg_args = {"fit_intercept": False, "alpha": 0.001}
    sel_idx = int(ratio * n_neurons)
    sel_A = A[:sel_idx, :sel_idx]
    sel_X = X[:sel_idx, :]
    sel_Z = Z[:sel_idx, :]
    V = get_iv_estimate_network(sel_X, sel_Z)
    iv_corr = np.corrcoef(sel_A.flatten(), V.flatten())[1, 0]
    reg_corr, R = get_regression_corr_full_connectivity(n_neurons, A, X, ratio, reg_args)
    return iv_corr, V, reg_corr, R


def compare_iv_estimate_to_regression(observed_ratio, n_neurons, A, X, Z):
    """The tutorial's comparison without the plot: ``(reg_corrs, iv_corrs)``.

    Notebook globals: ``n_neurons``, ``A``, ``X`` (and ``Z``, which it never reads).
    """
    reg_corrs = np.zeros((len(observed_ratio),))
    iv_corrs = np.zeros((len(observed_ratio),))
    for j, ratio in enumerate(observed_ratio):
        sel_idx = int(ratio * n_neurons)
        sel_X = X[:sel_idx, :]
        sel_Z = X[:sel_idx, :]  # sic: the activity, not the instrument
        sel_A = A[:sel_idx, :sel_idx]
        sel_reg_V = get_regression_estimate(sel_X)
        reg_corrs[j] = np.corrcoef(sel_A.flatten(), sel_reg_V.flatten())[1, 0]
        sel_iv_V = get_iv_estimate_network(sel_X, sel_Z)
        iv_corrs[j] = np.corrcoef(sel_A.flatten(), sel_iv_V.flatten())[1, 0]
    return reg_corrs, iv_corrs


# --- Bonus ----------------------------------------------------------------------------------


def instrument_strength_effect(etas, n_neurons, timesteps, n_trials):
    corr_data = np.zeros((n_trials, len(etas)))
    for trial in range(n_trials):
        for j, eta in enumerate(etas):
            A, X, Z = simulate_neurons_iv(n_neurons, timesteps, eta, trial)
            iv_V = get_iv_estimate_network(X, Z)
            corr_data[trial, j] = np.corrcoef(A.flatten(), iv_V.flatten())[1, 0]
    return corr_data


def get_granger_causality(X, selected_neuron, alpha=0.05):
    from statsmodels.tsa.stattools import grangercausalitytests

    n_neurons = X.shape[0]
    max_lag = 1
    reject_null = []
    p_vals = []
    for target_neuron in range(n_neurons):
        ts_data = X[[target_neuron, selected_neuron], :].transpose()
        res = grangercausalitytests(ts_data, maxlag=max_lag)  # verbose=False: gone in 0.15
        pval = res[1][0]["lrtest"][1]
        p_vals.append(pval)
        reject_null.append(int(pval < alpha))
    return reject_null, p_vals


def granger_small_system():
    """Bonus 2.1: ``(A, reject_null, p_vals, corr)`` for 6 neurons, 5000 steps."""
    n_neurons = 6
    timesteps = 5000
    random_state = 42
    selected_neuron = 1
    A = create_connectivity(n_neurons, random_state)
    X = simulate_neurons(A, timesteps, random_state)
    reject_null, p_vals = get_granger_causality(X, selected_neuron)
    corr = np.corrcoef(A[:, selected_neuron], np.array(reject_null))[1, 0]
    return A, reject_null, p_vals, corr


def granger_large_system():
    """Bonus 2.2: ``(A, reject_null, p_vals, corr)`` for 100 neurons, 5000 steps."""
    n_neurons = 100
    timesteps = 5000
    random_state = 42
    selected_neuron = 1
    A = create_connectivity(n_neurons, random_state)
    X = simulate_neurons(A, timesteps, random_state)
    reject_null, p_vals = get_granger_causality(X, selected_neuron)
    corr = np.corrcoef(A[:, selected_neuron], np.array(reject_null))[1, 0]
    return A, reject_null, p_vals, corr
