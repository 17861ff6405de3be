"""The posterior, read from the calibration's history: generations, summary, draws and predictive checks.

The point estimate for ``conf/`` is each parameter's weighted marginal **median**,
with an equal-tailed 95% credible interval: the median is defined per parameter,
as the one-value-per-parameter table of ``docs/ODD.md`` needs, and is robust to
the few hundred weighted particles of a population, while a MAP in nine
dimensions would hang on the bandwidth of a density estimate. Marginal medians
can together fall where the joint posterior is thin, so the report also checks
the bands at the median point (:func:`check_point`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyabc
from pyabc.weighted_statistics import effective_sample_size, weighted_quantile

from ijmond_sim.calibration.bands import Bands
from ijmond_sim.calibration.inference import evaluate_rows, parameter_overrides
from ijmond_sim.sweep.replicate import replication_seeds

LEVEL = 0.95  # the credible intervals' probability


def generations(history: pyabc.History) -> pd.DataFrame:
    """One row per generation: epsilon, particles, evaluations, acceptance, effective sample size, seconds."""
    populations = history.get_all_populations()
    rows = []
    for row in populations[populations.t >= 0].itertuples():
        _, weights = history.get_distribution(0, int(row.t))
        rows.append({"generation": int(row.t), "epsilon": float(row.epsilon), "particles": int(row.particles),
                     "evaluations": int(row.samples), "acceptance": row.particles / row.samples,
                     "ess": float(effective_sample_size(np.asarray(weights))),
                     "seconds": float(row.wall_time)})
    return pd.DataFrame(rows)


def particles(history: pyabc.History, generation: int | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The particles (a column per parameter) and their normalised weights; the last generation by default."""
    frame, weights = history.get_distribution(0, history.max_t if generation is None else generation)
    weights = np.asarray(weights, dtype=float)
    return frame.reset_index(drop=True), weights / weights.sum()


@dataclass(frozen=True)
class Estimate:
    """One parameter's posterior: median and equal-tailed credible interval, and its prior range."""

    name: str
    median: float
    low: float
    high: float
    prior_low: float
    prior_high: float



EDGE = 0.1  # the outer tenth of a prior's range at either end


def piling(frame: pd.DataFrame, weights: np.ndarray,
           ranges: dict[str, tuple[float, float]]) -> dict[str, str]:
    """Per parameter: ``low`` or ``high`` where the posterior piles against that edge of its prior, else ''.

    A pile is more than twice the prior's mass (2 x 10%) within the outer tenth of
    the range at that end: the sign that the range may cut the distribution, and
    the only reason ``calibration/priors.yaml`` accepts for widening it.
    """
    found = {}
    for name, (low, high) in ranges.items():
        x, cut = frame[name].to_numpy(), EDGE * (high - low)
        at_low, at_high = weights[x <= low + cut].sum(), weights[x >= high - cut].sum()
        found[name] = "low" if at_low > 2 * EDGE else "high" if at_high > 2 * EDGE else ""
    return found


def summary(frame: pd.DataFrame, weights: np.ndarray,
            ranges: dict[str, tuple[float, float]]) -> list[Estimate]:
    """Each parameter's weighted median and 95% credible interval, in the order of ``ranges``."""
    tail = (1 - LEVEL) / 2
    return [Estimate(name, *(float(weighted_quantile(frame[name].to_numpy(), weights, alpha=a))
                             for a in (0.5, tail, 1 - tail)), *ranges[name]) for name in ranges]


def draws(frame: pd.DataFrame, weights: np.ndarray, n: int, seed: Sequence[int]) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from the posterior (particles by weight, with replacement), seeded.

    Args:
        frame: the particles.
        weights: their normalised weights.
        n: how many draws.
        seed: the calibration seed and the draws' purpose (0: predictive checks, 1: the answer).
    """
    chosen = np.random.default_rng(seed).choice(len(frame), size=n, replace=True, p=weights)
    return [{k: float(v) for k, v in frame.iloc[i].items()} for i in chosen]


@dataclass(frozen=True)
class Check:
    """The bands at one parameter set (a posterior draw or the median point), over fresh seeds."""

    values: dict[str, float]
    statistics: dict[str, float]


def check_point(bands: Bands, values: dict[str, float], replications: int, seed: int, key: str,
                scenario: Sequence[str] = ()) -> Check:
    """Each pattern's statistic at ``values`` over ``replications`` runs with fresh seeds named by ``key``."""
    rows = evaluate_rows(bands, [*scenario, *parameter_overrides(bands, values)],
                         replication_seeds(seed, key, replications))
    return Check(values, bands.statistics(rows))


def predictive(bands: Bands, checks: Sequence[Check]) -> pd.DataFrame:
    """Per band: the statistic's median and 5-95% range over the draws, the share of draws inside, verdict.

    A band passes when the median over the posterior draws of its statistic lies
    inside it (``calibration/inference.yaml``).
    """
    rows = []
    for p in bands.patterns:
        x = np.array([c.statistics[p.name] for c in checks], dtype=float)
        x = x[~np.isnan(x)]
        middle, low, high = (np.quantile(x, [0.5, 0.05, 0.95]) if len(x) else [np.nan] * 3)
        rows.append({"pattern": p.name, "low": p.low, "high": p.high, "median": float(middle),
                     "p5": float(low), "p95": float(high),
                     "inside": float(np.mean([p.holds(v) for v in x])) if len(x) else 0.0,
                     "passes": bool(p.holds(float(middle)))})
    return pd.DataFrame(rows)
