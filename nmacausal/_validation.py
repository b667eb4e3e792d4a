"""Argument validation shared by the public functions.

Each ``check_*`` helper validates one argument and returns it cleaned (as an
array of floats, or as a plain ``int``). Messages name the argument, the
constraint and the value received: a wrong type raises ``TypeError``, a bad
value ``ValueError``. No NumPy internal error or silent NaN gets past them.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value) -> str:
    """Short description of a value for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def check_integer(
    value, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as an ``int`` after checking its type and range.

    Booleans are refused: ``True`` is an ``int`` to Python but never a
    meaningful count of neurons or timesteps.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            hint = f" (use {int(value)} rather than {value!r})"
        else:
            hint = ""
        raise TypeError(f"`{name}` must be an integer, got {_describe(value)}{hint}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"`{name}` must be an integer <= {maximum}, got {value}.")
    return value


def check_random_state(random_state, name: str = "random_state") -> int | None:
    """Return a seed accepted by ``np.random.seed``, or ``None`` for "do not reseed"."""
    if random_state is None:
        return None
    return check_integer(random_state, name, minimum=0, maximum=2**32 - 1)


def check_float_array(value, name: str, *, ndim: int) -> np.ndarray:
    """Return ``value`` as a finite float array with ``ndim`` dimensions."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"`{name}` must be a numeric array, got {_describe(value)}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be a numeric array, got {_describe(value)} ({error})."
        ) from None
    if array.ndim != ndim:
        raise ValueError(
            f"`{name}` must be a {ndim}-D array, got {array.ndim}-D with shape {array.shape}."
        )
    if array.size == 0:
        raise ValueError(f"`{name}` must not be empty, got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"`{name}` must contain only finite numbers, found {bad} NaN or inf.")
    return array


def check_connectivity(A, name: str = "A") -> np.ndarray:
    """Return ``A`` as a finite, square float matrix."""
    array = check_float_array(A, name, ndim=2)
    if array.shape[0] != array.shape[1]:
        raise ValueError(
            f"`{name}` must be a square (n_neurons, n_neurons) matrix, got shape {array.shape}."
        )
    return array


def check_activity(X, name: str, *, min_timesteps: int = 1) -> np.ndarray:
    """Return ``X`` as a finite (n_neurons, timesteps) float array."""
    array = check_float_array(X, name, ndim=2)
    if array.shape[1] < min_timesteps:
        raise ValueError(
            f"`{name}` must have at least {min_timesteps} timesteps (columns), "
            f"got shape {array.shape}."
        )
    return array
