"""Uncertainty of outcomes over replications: confidence intervals for means and proportions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def mean_ci(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and normal-approximation confidence interval, ignoring NaN.

    Args:
        values: one outcome per replication.
        level: confidence level.

    Returns:
        ``(mean, low, high)``; NaNs if there are no values, a zero-width interval for one.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if len(x) == 1:
        return (mean, mean, mean)
    half = _z(level) * float(x.std(ddof=1)) / math.sqrt(len(x))
    return (mean, mean - half, mean + half)


def proportion_ci(successes: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """Share and Wilson score interval of ``successes`` out of ``n`` trials.

    Args:
        successes: number of successes.
        n: number of trials.
        level: confidence level.

    Returns:
        ``(share, low, high)``; NaNs if ``n`` is 0.
    """
    if n == 0:
        return (math.nan, math.nan, math.nan)
    z = _z(level)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (p, centre - half, centre + half)
