"""PRIM and feature scoring per governance rule: the boxes of uncertainty in which cooperation fails.

EMA Workbench 3.0's PRIM cannot inspect a box that restricts a categorical
(the rule) and cannot paste an integer-coded column. So PRIM runs once per rule
(:func:`ijmond_sim.ema.by_rule`), on the uncertainties alone, all as floats.

The box reported for a rule is the point of PRIM's peeling trajectory with the
highest coverage among those of density ``prim.min_density`` or more (the
densest, if none reaches it); then, one at a time, the restriction with the
largest quasi-p-value above ``prim.max_qp`` is dropped (Bryant and Lempert
2010), so every limit left is significant.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from ijmond_sim.api import Parameter
from ijmond_sim.ema import by_rule

with warnings.catch_warnings():  # EMA Workbench warns on import that an optional evaluator is missing
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench.analysis import feature_scoring, prim


@dataclass(frozen=True)
class Restriction:
    """One limit of a box on one uncertainty.

    Attributes:
        name: the uncertainty's short name.
        low: the box's lower limit.
        high: the box's upper limit.
        range_low: the lower end of the uncertainty's sampled range.
        range_high: the upper end.
        qp: the quasi-p-value of the limit (the larger of the two, if both ends are restricted).
    """

    name: str
    low: float
    high: float
    range_low: float
    range_high: float
    qp: float


@dataclass(frozen=True)
class RuleDiscovery:
    """What scenario discovery found under one governance rule.

    Attributes:
        rule: the governance rule's key.
        points: experiments run under the rule.
        failures: those that failed.
        restrictions: the box's limits (empty: no box, or no significant one).
        coverage: share of all failures that lie in the box.
        density: share of the box's points that fail.
        mass: share of all points in the box.
        trajectory: PRIM's peeling trajectory (coverage, density, res_dim per step).
        chosen: the trajectory step first chosen, before restrictions were dropped.
        scores: feature score of each uncertainty (extra trees), largest first.
    """

    rule: str
    points: int
    failures: int
    restrictions: tuple[Restriction, ...]
    coverage: float
    density: float
    mass: float
    trajectory: pd.DataFrame | None
    chosen: int | None
    scores: pd.Series | None


def failed(table: pd.DataFrame, failure: DictConfig) -> np.ndarray:
    """Whether each experiment failed: its mean ``failure.outcome`` below ``below`` (or above ``above``).

    An undefined outcome (NaN: nothing to rate) does not count as failure.
    """
    values = table[failure.outcome].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        return values < failure.below if failure.below is not None else values > failure.above


def _limits(box: prim.PrimBox, ranges: dict[str, Parameter]) -> tuple[pd.Series, tuple[Restriction, ...]]:
    """The statistics and restrictions of the box's current step, with their quasi-p-values."""
    stats, table = box.inspect(style="data")[0]
    out = []
    for name, row in table.iterrows():
        qp = np.nanmax(row.iloc[2:4].to_numpy(dtype=float))
        p = ranges[name]
        out.append(Restriction(str(name), float(row.iloc[0]), float(row.iloc[1]), p.low, p.high, float(qp)))
    return stats, tuple(out)


def discover_rule(rule: str, x: pd.DataFrame, y: np.ndarray, params: Sequence[Parameter],
                  settings: DictConfig, seed: int) -> RuleDiscovery:
    """PRIM's box and the feature scores of one rule's experiments.

    Args:
        rule: the governance rule.
        x: the experiments' uncertainties (float columns).
        y: whether each experiment failed.
        params: the uncertainties, for their ranges.
        settings: the ``prim`` settings.
        seed: seeds the extra trees of the feature scoring.
    """
    n, k = len(y), int(y.sum())
    if k in (0, n):  # nothing to tell apart: no box, no scores
        return RuleDiscovery(rule, n, k, (), float(k > 0), float(k > 0), float(k > 0), None, None, None)
    scores, _ = feature_scoring.get_ex_feature_scores(x, y, random_state=seed)
    scores = scores.iloc[:, 0].rename("feature score")
    with warnings.catch_warnings():  # EMA 3.0 calls DataFrame.drop(inplace=True), deprecated in pandas 3.1
        warnings.filterwarnings("ignore", message="The inplace keyword")
        box = prim.Prim(x, y.astype(bool), peel_alpha=settings.peel_alpha, mass_min=settings.mass_min
                        ).find_box()
        trajectory = box.peeling_trajectory.copy()
        good = trajectory[trajectory["density"] >= settings.min_density]
        chosen = int(good["coverage"].idxmax() if len(good) else trajectory["density"].idxmax())
        box.select(chosen)
        ranges = {p.name: p for p in params}
        stats, restrictions = _limits(box, ranges)
        while restrictions and max(r.qp for r in restrictions) > settings.max_qp:
            worst = max(restrictions, key=lambda r: r.qp)
            box.drop_restriction(worst.name)
            stats, restrictions = _limits(box, ranges)
    if not restrictions:
        return RuleDiscovery(rule, n, k, (), 1.0, k / n, 1.0, trajectory, chosen, scores)
    return RuleDiscovery(rule, n, k, restrictions, float(stats["coverage"]), float(stats["density"]),
                         float(stats["mass"]), trajectory, chosen, scores)


def discover(table: pd.DataFrame, settings: DictConfig, params: Sequence[Parameter]) -> list[RuleDiscovery]:
    """Scenario discovery under each rule of the experiments ``table`` (see :func:`discover_rule`)."""
    y = failed(table, settings.failure)
    return [discover_rule(rule, x, yr, params, settings.prim, settings.seed)
            for rule, x, yr in by_rule(table[["rule", *(p.name for p in params)]], y)]
