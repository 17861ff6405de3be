"""The ABC distance: how far a particle's statistics lie outside the bands, 0 exactly inside all of them.

Defined in ``calibration/inference.yaml`` (committed before the first ABC-SMC run):
the sum over the patterns of the distance of the statistic outside its band, in
units of the band's width; a statistic that cannot be computed (nan) adds a fixed
penalty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ijmond_sim.calibration.bands import Bands, Pattern


def outside(pattern: Pattern, value: float, nan_distance: float) -> float:
    """How far ``value`` lies outside the pattern's band, in band widths (0 inside, ``nan_distance`` for nan).

    Args:
        pattern: the pattern and its band.
        value: the pattern's statistic over a particle's runs.
        nan_distance: the distance of a statistic that could not be computed.
    """
    if math.isnan(value):
        return nan_distance
    width = pattern.high - pattern.low or 1.0  # a band of one point: distance in the statistic's own units
    return max(0.0, pattern.low - value, value - pattern.high) / width


def distance(bands: Bands, statistics: Mapping[str, float], nan_distance: float) -> float:
    """The sum over the bands' patterns of :func:`outside`: 0 exactly when every pattern holds."""
    return float(sum(outside(p, float(statistics[p.name]), nan_distance) for p in bands.patterns))
