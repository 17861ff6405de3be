"""The drift of trust and its fixed points: where the mean change crosses zero, which way, and how sure.

Pure functions over numbers and tables. A drift curve is given at increasing
levels of trust ``x`` as the mean change of trust over the horizon and its 95%
interval (``low``, ``high``), all drawn as straight lines between the levels.

* A **crossing** is where the mean drift changes sign (linear interpolation
  between two levels; a run of levels with a mean of exactly zero counts as
  one crossing at its middle). Trust moves towards a **stable** crossing
  (drift + below it, - above it) and away from an **unstable** one (- below, + above).
  At either end of the range a mean of zero is stable if the drift points
  towards the end, unstable if away from it.
* An **undecided stretch** is a maximal stretch of trust where the interval
  holds zero: the lower curve at or below zero and the upper curve at or above
  it, their crossings of zero interpolated. Every crossing lies in one; it is
  the crossing's interval.
* A stretch as wide as ``flat_width`` or wider is reported as **flat**: the drift
  there cannot be told from zero, whatever the mean does inside it, so no crisp
  fixed point is claimed. A narrower stretch reports each of its crossings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ijmond_sim.sweep.intervals import mean_ci

STABLE, UNSTABLE, FLAT = "stable", "unstable", "flat"
GROUP = ["rule", "parameter", "value"]  # one drift curve per rule and parameter value
DRIFT_COLUMNS = [*GROUP, "level", "trust_start", "drift", "drift_low", "drift_high", "runs"]
POINT_COLUMNS = [*GROUP, "kind", "trust", "low", "high"]


@dataclass(frozen=True)
class FixedPoint:
    """A zero of the drift of trust.

    Attributes:
        kind: ``stable``, ``unstable`` or ``flat``.
        trust: where the mean drift crosses zero (NaN for a flat stretch).
        low: the lower end of its undecided stretch (where the 95% interval holds zero).
        high: the upper end.
    """

    kind: str
    trust: float
    low: float
    high: float


def _at_or_below_zero(f0: float, f1: float) -> tuple[float, float] | None:
    """The part ``[t0, t1]`` of ``[0, 1]`` where the line from ``f0`` to ``f1`` is at or below zero."""
    if f0 <= 0 and f1 <= 0:
        return (0.0, 1.0)
    if f0 > 0 and f1 > 0:
        return None
    t = f0 / (f0 - f1)
    return (0.0, t) if f0 <= 0 else (t, 1.0)


def undecided(x: Sequence[float], low: Sequence[float], high: Sequence[float]) -> list[tuple[float, float]]:
    """The maximal stretches of trust where the interval holds zero (``low <= 0 <= high``), in order.

    Args:
        x: the levels, increasing.
        low: the lower end of the drift's interval at each level.
        high: the upper end.

    Returns:
        ``(start, end)`` of each stretch; a single level gives ``start == end``.
    """
    stretches: list[list[float]] = []
    for i in range(len(x) - 1):
        below = _at_or_below_zero(low[i], low[i + 1])
        above = _at_or_below_zero(-high[i], -high[i + 1])
        if below is None or above is None or max(below[0], above[0]) > min(below[1], above[1]):
            continue
        t0, t1 = max(below[0], above[0]), min(below[1], above[1])
        a, b = x[i] * (1 - t0) + x[i + 1] * t0, x[i] * (1 - t1) + x[i + 1] * t1  # exact at the levels
        if stretches and stretches[-1][1] >= a:
            stretches[-1][1] = b
        else:
            stretches.append([a, b])
    if len(x) == 1 and low[0] <= 0 <= high[0]:
        stretches.append([x[0], x[0]])
    return [(a, b) for a, b in stretches]


def crossings(x: Sequence[float], mean: Sequence[float]) -> list[tuple[float, str]]:
    """Where the mean drift crosses zero, and whether trust moves towards it (stable) or away (unstable).

    Args:
        x: the levels, increasing.
        mean: the mean drift at each level.

    Returns:
        ``(trust, kind)`` per crossing, in order.
    """
    signs = np.sign(np.asarray(mean, dtype=float))
    nonzero = np.flatnonzero(signs)
    if len(nonzero) == 0:
        return []
    out = []
    first, last = nonzero[0], nonzero[-1]
    if first > 0:  # zero drift at the lower end: trust falls into it (stable) or rises away (unstable)
        out.append((float(np.mean(x[:first])), STABLE if signs[first] < 0 else UNSTABLE))
    for k, j in zip(nonzero[:-1], nonzero[1:], strict=True):
        if signs[k] == signs[j]:
            continue
        where = (x[k] - mean[k] * (x[j] - x[k]) / (mean[j] - mean[k]) if j == k + 1
                 else float(np.mean(x[k + 1:j])))
        out.append((float(where), STABLE if signs[k] > 0 else UNSTABLE))
    if last < len(x) - 1:  # zero drift at the upper end: trust rises into it (stable) or falls away
        out.append((float(np.mean(x[last + 1:])), STABLE if signs[last] > 0 else UNSTABLE))
    return out


def fixed_points(x: Sequence[float], mean: Sequence[float], low: Sequence[float], high: Sequence[float],
                 flat_width: float) -> list[FixedPoint]:
    """The fixed points of a drift curve: crisp crossings with their intervals, and flat stretches.

    Levels whose mean is undefined (no run had two councils in the region) are left out.

    Args:
        x: the levels, increasing.
        mean: the mean drift at each level.
        low: the lower end of its 95% interval.
        high: the upper end.
        flat_width: an undecided stretch this wide or wider is flat.

    Returns:
        In order of trust: one :class:`FixedPoint` per crossing in a narrow undecided
        stretch, one ``flat`` per wide stretch (with or without crossings).
    """
    keep = ~np.isnan(np.asarray(mean, dtype=float))
    x, mean, low, high = (np.asarray(v, dtype=float)[keep] for v in (x, mean, low, high))
    stretches = undecided(x, low, high)
    points = [FixedPoint(FLAT, math.nan, a, b) for a, b in stretches if b - a >= flat_width]
    for where, kind in crossings(x, mean):
        home = [(a, b) for a, b in stretches if a - 1e-12 <= where <= b + 1e-12]
        a, b = home[0] if home else (where, where)
        if b - a < flat_width:
            points.append(FixedPoint(kind, where, a, b))
    return sorted(points, key=lambda p: p.low)


def drift_table(runs: pd.DataFrame) -> pd.DataFrame:
    """The drift per rule, parameter value and level: mean start trust, mean drift and its 95% interval.

    Args:
        runs: one row per run (:data:`ijmond_sim.dynamics.runs.COLUMNS`).

    Returns:
        The columns of :data:`DRIFT_COLUMNS`; ``runs`` counts the runs with a defined drift.
    """
    rows = []
    for labels, group in runs.groupby([*GROUP, "level"], sort=False, dropna=False):
        mean, low, high = mean_ci(group["drift"].to_numpy(dtype=float))
        rows.append({**dict(zip([*GROUP, "level"], labels, strict=True)),
                     "trust_start": float(group["trust_start"].mean()),
                     "drift": mean, "drift_low": low, "drift_high": high,
                     "runs": int(group["drift"].notna().sum())})
    return pd.DataFrame(rows, columns=DRIFT_COLUMNS)


def fixed_point_table(drift: pd.DataFrame, flat_width: float) -> pd.DataFrame:
    """The fixed points of every drift curve of ``drift`` (:func:`drift_table`), against mean start trust.

    Returns:
        The columns of :data:`POINT_COLUMNS`; a curve without any gives no row.
    """
    rows = []
    for labels, curve in drift.groupby(GROUP, sort=False, dropna=False):
        curve = curve.sort_values("trust_start")
        for p in fixed_points(curve["trust_start"], curve["drift"], curve["drift_low"], curve["drift_high"],
                              flat_width):
            rows.append({**dict(zip(GROUP, labels, strict=True)), "kind": p.kind, "trust": p.trust,
                         "low": p.low, "high": p.high})
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


LINK_COLUMNS = ["rule", "knockout", "change", "change_low", "change_high", "runs", "at_defaults",
                "knocked_out"]


def link_table(defaults: pd.DataFrame, knocked: pd.DataFrame, flat_width: float) -> pd.DataFrame:
    """How much each link of the loop moves the drift: the drift with it switched off minus with it on.

    Runs are paired by rule, level and replication (a knockout's runs share the seeds of
    the runs at the defaults), so the change is the mean of paired differences over every
    level, with a normal 95% interval over those differences.

    Args:
        defaults: the runs at the defaults (:data:`ijmond_sim.dynamics.runs.COLUMNS`).
        knocked: the runs with a knockout each; ``parameter`` names the knockout.
        flat_width: as in :func:`fixed_points`.

    Returns:
        The columns of :data:`LINK_COLUMNS`; ``at_defaults`` and ``knocked_out`` give the
        fixed points of the two curves in words.
    """
    keys = ["rule", "level", "replication"]
    base = defaults[[*keys, "drift"]]
    words = {}
    for frame in (defaults, knocked):
        curve = drift_table(frame)
        for (rule, name, _), points in fixed_point_table(curve, flat_width).groupby(GROUP, sort=False,
                                                                                     dropna=False):
            words[rule, name] = "; ".join(point_words(p) for p in points.itertuples())
    rows = []
    for (rule, name), runs in knocked.groupby(["rule", "parameter"], sort=False):
        paired = runs[[*keys, "drift"]].merge(base, on=keys, suffixes=("", "_defaults"))
        change, low, high = mean_ci((paired["drift"] - paired["drift_defaults"]).to_numpy(dtype=float))
        rows.append({"rule": rule, "knockout": name, "change": change, "change_low": low,
                     "change_high": high, "runs": int(paired["drift"].notna().sum()),
                     "at_defaults": words.get((rule, ""), "none"),
                     "knocked_out": words.get((rule, name), "none")})
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def point_words(p) -> str:
    """A fixed point in a few words: ``stable at 0.31 (0.25-0.36)`` or ``flat 0.2-0.6``."""
    if p.kind == FLAT:
        return f"flat {p.low:.2f}-{p.high:.2f}"
    return f"{p.kind} at {p.trust:.2f} ({p.low:.2f}-{p.high:.2f})"


def describe(drift: pd.DataFrame, points: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """One line per rule at the defaults: its fixed points, and the drift at the lowest and highest trust.

    Args:
        drift: the drift table at the defaults.
        points: its fixed points.
        labels: each rule's name for people.
    """
    lines = []
    for rule, curve in drift.groupby("rule", sort=False):
        curve = curve.sort_values("trust_start")
        mine = points[points["rule"] == rule]
        found = [point_words(p) for p in mine.itertuples()]
        ends = [f"{c.drift:+.3f} at {c.trust_start:.2f}" for c in (curve.iloc[0], curve.iloc[-1])]
        lines.append(f"{labels.get(rule, rule)}: {'; '.join(found) or 'no fixed point'}; "
                     f"drift {ends[0]}, {ends[1]}")
    return lines
