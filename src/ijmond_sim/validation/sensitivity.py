"""Global sensitivity analysis with SALib: Morris screening, then Sobol indices of the important factors.

Every sample point is run with several replications (seeds from
:func:`ijmond_sim.sweep.replicate.replication_seeds`, keyed by the point), and the
replication means are handed to SALib in sample order: SALib knows nothing of
replications and reads output ``i`` as the result of sample row ``i``. The
sample's points run through the sweep engine as one sweep
(:meth:`ijmond_sim.validation.patterns.Context.run`): batches, workers, resume, progress.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from ijmond_sim.sweep.engine import Design
from ijmond_sim.sweep.replicate import scenario_key
from ijmond_sim.validation.runs import Run
from ijmond_sim.validation.scenarios import REPORT_RULES, with_settings

OUTPUTS = {"completion_rate": "completion rate", "mean_trust_end": "final mean trust"}
IMPORTANCE = 0.1  # a factor is important if its mu* reaches this share of the largest mu*, for some output
MAX_SOBOL_FACTORS = 6  # the largest important factors go on to Sobol, whose cost grows with their number


@dataclass(frozen=True)
class Factor:
    """A model parameter varied in the analysis.

    Attributes:
        name: the name shown in tables (a config key, or a short label for a group of keys).
        keys: the config keys set to the sampled value.
        low: lower bound of the range.
        high: upper bound of the range.
        default: its value in the validated parameter set.
        why: why the range is what it is.
        integer: round the sampled value to a whole number (months).
        levels: for a choice between options (the governance rule), the options in order;
            the unit range is cut into equal parts, one per option.
    """

    name: str
    keys: tuple[str, ...]
    low: float
    high: float
    default: Any
    why: str
    integer: bool = False
    levels: tuple[str, ...] = ()

    def value(self, x: float) -> Any:
        """The parameter value for the sampled number ``x``."""
        if self.levels:
            return self.levels[min(int(x * len(self.levels)), len(self.levels) - 1)]
        return int(round(x)) if self.integer else float(x)

    @property
    def bounds(self) -> list[float]:
        """The sampled range (the unit interval for a choice)."""
        return [0.0, 1.0] if self.levels else [self.low, self.high]


def main_factors(base: DictConfig, with_rule: bool = True) -> list[Factor]:
    """The model's main parameters with the ranges the analysis explores.

    Args:
        base: the default config (its values are the defaults).
        with_rule: include the governance rule as a factor.
    """
    def default(key: str) -> Any:
        return OmegaConf.select(base, key)

    voluntary = tuple(f"region.opgaven.{k}.surplus" for k, o in base.region.opgaven.items()
                      if not o.statutory)
    numeric = [
        ("trust.initial", (), 0.1, 0.9, False,
         "3.4, 5.3 say trust is lacking, not how low: all but the extremes"),
        ("trust.gain", (), 0.01, 0.15, False, "5.3 'on foot': slow, size unknown"),
        ("trust.fall_ratio", (), 1.0, 6.0, False,
         "5.3 'leaves on horseback'; 1 = symmetric; Slovic (1993) asymmetry of trust"),
        ("trust.overrule_fear", (), 0.0, 2.0, False, "4.2 fear of being overruled: none to double"),
        ("decision.noise", (), 0.05, 0.5, False, "what local politics adds (3.4): small to dominant"),
        ("decision.persistence", (), 0.0, 0.95, False, "a mood may or may not outlast a budget year"),
        ("initiatives.preparation_months", (), 2, 8, True, "5.5 'syrupy' preparation: 2 to 8 months"),
        ("initiatives.execution_months", (), 9, 36, True, "5.5 design and execution: 9 months to 3 years"),
        ("initiatives.review_months", (), 6, 24, True, "budget reviews twice a year to every other year"),
        ("initiatives.delivery_risk", (), 0.0, 0.02, False, "5.1 small organisations: none to 2% a month"),
        ("region.councils.Uitgeest.outside_option", (), 0.0, 0.6, False,
         "5.1, 6 Castricum/Heiloo: none to twice the default"),
        ("voluntary surplus", voluntary, 1.25, 3.0, False,
         "2.1 none can solve it alone: benefit per unit cost of the five voluntary opgaven"),
    ]
    factors = [Factor(name, keys or (name,), low, high, default((keys or (name,))[0]), why, integer)
               for name, keys, low, high, integer, why in numeric]
    if with_rule:
        factors.append(Factor("governance", ("governance",), 0, 1, "optional",
                              "the report's three rules of the game, ordered by binding force",
                              levels=REPORT_RULES))
    return factors


def problem(factors: Sequence[Factor]) -> dict[str, Any]:
    """The SALib problem definition of ``factors``."""
    return {"num_vars": len(factors), "names": [f.name for f in factors],
            "bounds": [f.bounds for f in factors]}


def point_settings(factors: Sequence[Factor], row: np.ndarray) -> dict[str, Any]:
    """The config settings of one sample row: ``{config key: value}`` (and ``governance``)."""
    settings: dict[str, Any] = {}
    for factor, x in zip(factors, row, strict=True):
        for key in factor.keys:
            settings[key] = factor.value(x)
    return settings


Simulate = Callable[[Sequence[Mapping[str, Any]], int], list[np.ndarray]]
"""``(settings of each sample row, replications) ->`` per row, a ``(replications, outputs)`` array."""

RunSweep = Callable[[str, Sequence[Design], int, Any], list[list[Run]]]
"""Runs a sweep's points through the engine: ``(sweep, points, replications, record) ->`` runs per point."""


def model_outputs(run: RunSweep, bases: Mapping[str, DictConfig], sweep: str,
                  rule: str | None = None) -> Simulate:
    """A simulator of the model that runs every sample row as a point of the sweep ``sweep``.

    Args:
        run: runs the points (:meth:`ijmond_sim.validation.patterns.Context.run`).
        bases: the config per governance rule.
        sweep: the sweep's name (its results folder).
        rule: run every row under this rule (not a factor then: the seeds derive from the row
            alone, so that each rule meets the same seeds); None: the row's ``governance``,
            else optional cooperation.
    """
    def simulate(rows: Sequence[Mapping[str, Any]], replications: int) -> list[np.ndarray]:
        points = []
        for settings in rows:
            point = {**settings, "governance": rule} if rule else dict(settings)
            rest = {k: v for k, v in point.items() if k != "governance"}
            points.append(Design(point, with_settings(bases[point.get("governance", "optional")], rest),
                                 seed_key=scenario_key(settings)))
        runs = run(sweep, points, replications, None)
        return [np.array([[r[k] for k in OUTPUTS] for r in point_runs], dtype=float) for point_runs in runs]
    return simulate


def means_in_sample_order(index: np.ndarray, values: np.ndarray, n_points: int) -> np.ndarray:
    """Mean output of each sample point over its replications, row ``i`` for sample row ``i``.

    Args:
        index: the sample row of each run, any order.
        values: ``(runs, outputs)`` results, one row per run, aligned with ``index``.
        n_points: number of sample rows.

    Returns:
        ``(n_points, outputs)`` means (NaN results, e.g. a rate of nothing, are left out).

    Raises:
        ValueError: a sample row has no usable result.
    """
    values = np.asarray(values, dtype=float)
    ok = ~np.isnan(values)
    sums = np.zeros((n_points, values.shape[1]))
    counts = np.zeros((n_points, values.shape[1]))
    np.add.at(sums, index, np.where(ok, values, 0.0))
    np.add.at(counts, index, ok)
    if (counts == 0).any():
        raise ValueError(f"sample rows without a result: {sorted(set(np.nonzero(counts == 0)[0]))}")
    return sums / counts


def evaluate(factors: Sequence[Factor], sample: np.ndarray, simulate: Simulate,
             replications: int) -> np.ndarray:
    """Run every sample row ``replications`` times; return the ``(rows, outputs)`` means in sample order."""
    outputs = simulate([point_settings(factors, row) for row in sample], replications)
    index = np.array([i for i, runs in enumerate(outputs) for _ in runs])
    return means_in_sample_order(index, np.array([v for runs in outputs for v in runs]), len(sample))


@dataclass
class Morris:
    """Morris elementary effects per output: ``mu_star``, its confidence half-width, ``sigma``."""

    factors: list[Factor]
    runs: int
    mu_star: dict[str, np.ndarray]
    mu_star_conf: dict[str, np.ndarray]
    sigma: dict[str, np.ndarray]

    def relative(self) -> np.ndarray:
        """Each factor's mu* as a share of the largest mu*, the larger over the outputs."""
        return np.max([self.mu_star[out] / self.mu_star[out].max() for out in OUTPUTS], axis=0)

    def important(self) -> list[Factor]:
        """Factors whose mu* reaches :data:`IMPORTANCE` of the largest mu*, for some output."""
        return [f for f, r in zip(self.factors, self.relative(), strict=True) if r >= IMPORTANCE]

    def for_sobol(self) -> list[Factor]:
        """The :data:`MAX_SOBOL_FACTORS` important factors with the largest relative mu*, in factor order."""
        order = np.argsort(-self.relative(), kind="stable")[:MAX_SOBOL_FACTORS]
        important = self.important()
        return [self.factors[i] for i in sorted(order) if self.factors[i] in important]


@dataclass
class Sobol:
    """First-order (S1) and total (ST) Sobol indices per output, with confidence half-widths."""

    factors: list[Factor]
    runs: int
    n: int
    s1: dict[str, np.ndarray]
    s1_conf: dict[str, np.ndarray]
    st: dict[str, np.ndarray]
    st_conf: dict[str, np.ndarray]

    def ranking(self, output: str) -> list[tuple[Factor, float]]:
        """Factors by total index for ``output``, largest first."""
        order = np.argsort(-self.st[output])
        return [(self.factors[i], float(self.st[output][i])) for i in order]


def morris(factors: list[Factor], simulate: Simulate, trajectories: int, replications: int,
           seed: int) -> Morris:
    """Morris screening (Morris 1991; mu* of Campolongo et al. 2007) of every factor."""
    prob = problem(factors)
    sample = morris_sample.sample(prob, trajectories, num_levels=4, seed=seed)
    y = evaluate(factors, sample, simulate, replications)
    res = {out: morris_analyze.analyze(prob, sample, y[:, k], num_levels=4, seed=seed)
           for k, out in enumerate(OUTPUTS)}
    return Morris(factors, len(sample) * replications,
                  {o: np.asarray(r["mu_star"]) for o, r in res.items()},
                  {o: np.asarray(r["mu_star_conf"]) for o, r in res.items()},
                  {o: np.asarray(r["sigma"]) for o, r in res.items()})


def sobol(factors: list[Factor], simulate: Simulate, n: int, replications: int, seed: int) -> Sobol:
    """Sobol indices (Saltelli et al. 2010 estimators) of ``factors``; the others stay at their defaults."""
    prob = problem(factors)
    sample = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    y = evaluate(factors, sample, simulate, replications)
    res = {out: sobol_analyze.analyze(prob, y[:, k], calc_second_order=False, seed=seed)
           for k, out in enumerate(OUTPUTS)}
    return Sobol(factors, len(sample) * replications, n,
                 {o: np.asarray(r["S1"]) for o, r in res.items()},
                 {o: np.asarray(r["S1_conf"]) for o, r in res.items()},
                 {o: np.asarray(r["ST"]) for o, r in res.items()},
                 {o: np.asarray(r["ST_conf"]) for o, r in res.items()})
