"""How close an estimated connectivity is to the truth: the day's common yardstick.

Every method of the day (perturbation, lagged correlation, regression,
instrumental variables) is judged the same way: by the Pearson correlation of
its estimate with the true connectivity.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np

from .._validation import check_float_array

__all__ = ["connectivity_correlation"]


def connectivity_correlation(true_connectivity, estimated_connectivity):
    """Pearson correlation between true and estimated connectivity, correctly rounded.

    Both arrays are flattened and must have the same shape. Mind the
    orientation: ``get_perturbed_connectivity_all_neurons`` returns ``R`` with
    ``R[j, i]`` the effect of j on i, so compare it with ``A.T``.

    The sums are taken in exact rational arithmetic and the result is rounded
    once, so it is the float nearest to the true correlation: it does not
    depend on the order in which a BLAS library happens to add. (``np.corrcoef``
    may differ from it in the last bit.)

    Parameters
    ----------
    true_connectivity : array_like
        The ground truth, for example ``A.T`` or ``A[:, j]``.
    estimated_connectivity : array_like
        The estimate, of the same shape.

    Returns
    -------
    float
        The correlation, in ``[-1, 1]``.

    Raises
    ------
    TypeError, ValueError
        If the inputs are not finite numeric arrays of the same shape with at
        least 2 elements, or if either is constant (the correlation is undefined).

    Examples
    --------
    >>> connectivity_correlation([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    1.0
    """
    truth = check_float_array(
        true_connectivity, "true_connectivity", ndim=np.ndim(true_connectivity)
    )
    estimate = check_float_array(
        estimated_connectivity, "estimated_connectivity", ndim=np.ndim(estimated_connectivity)
    )
    if truth.shape != estimate.shape:
        raise ValueError(
            f"`true_connectivity` and `estimated_connectivity` must have the same shape, "
            f"got {truth.shape} and {estimate.shape}."
        )
    if truth.size < 2:
        raise ValueError(f"a correlation needs at least 2 values, got {truth.size}.")
    truth_values, estimate_values = _exact_integers(truth), _exact_integers(estimate)
    count = truth.size
    truth_sum, estimate_sum = truth_values.sum(), estimate_values.sum()
    # Sums of squares and products about the means, times count, in exact integers.
    cross = count * (truth_values * estimate_values).sum() - truth_sum * estimate_sum
    truth_spread = count * (truth_values * truth_values).sum() - truth_sum**2
    estimate_spread = count * (estimate_values * estimate_values).sum() - estimate_sum**2
    for name, spread in (
        ("true_connectivity", truth_spread),
        ("estimated_connectivity", estimate_spread),
    ):
        if spread == 0:
            raise ValueError(f"`{name}` is constant, so its correlation is undefined.")
    squared = Fraction(cross * cross, truth_spread * estimate_spread)
    with localcontext() as context:
        context.prec = 50  # far more digits than a double holds: one rounding at the end
        magnitude = (Decimal(squared.numerator) / Decimal(squared.denominator)).sqrt()
    return float(magnitude) if cross >= 0 else -float(magnitude)


def _why_undefined(truth, estimate):
    """Why the tutorials' ``np.corrcoef`` of two matrices has no answer, or None if it has one.

    ``"empty"``: the truth is all zeros; ``"uniform"``: the truth is one
    nonzero value everywhere; ``"estimate"``: the estimate is the same
    everywhere. The tutorials get NaN in each case.
    """
    if truth.min() == truth.max():
        return "uniform" if truth.any() else "empty"
    if estimate.min() == estimate.max():
        return "estimate"
    return None


def _exact_integers(values):
    """Python integers proportional to ``values`` with one common factor, exactly.

    A double is ``mantissa * 2**exponent``; shifting every 53-bit mantissa to
    the smallest exponent gives integers whose ratios are the doubles' ratios.
    A correlation does not change when an input is scaled, so the factor drops out.
    """
    mantissas, exponents = np.frexp(values.ravel())
    integers = (mantissas * 2.0**53).astype(np.int64).astype(object)
    shifts = (exponents - exponents.min()).astype(object)
    return integers << shifts
