"""The experiments of a discovery: a Latin hypercube of the uncertainties, run per rule by the sweep engine.

The same sample points serve every governance rule, so the rules are compared
on equal terms. Each point under each rule is a designed point of the sweep
engine (:func:`ijmond_sim.sweep.engine.run_designed`), composed and seeded as
:func:`ijmond_sim.simulate` would run it (:func:`ijmond_sim.api.sweep_point`),
and keeps the mean of each outcome over its ``replications`` runs. The runs go
into ``<out>/runs/``: one checksummed results file per point, so a discovery
stopped at any moment resumes with the points that have no current results
(a damaged or outdated file is run again, never read as data), in this process
or in a pool of workers, with progress lines that give the time left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import DictConfig
from scipy.stats import qmc

from ijmond_sim.api import Parameter, mean_outcomes, parameters, sweep_point
from ijmond_sim.sweep import engine
from ijmond_sim.sweep.engine import Design

RUNS = "runs"  # the engine's results folder in the discovery's folder
PROGRESS_SECONDS = 30.0


def design(params: Sequence[Parameter], samples: int, seed: int) -> pd.DataFrame:
    """A Latin-hypercube sample of ``params`` over their ranges, whole numbers rounded; one row per point."""
    unit = qmc.LatinHypercube(d=len(params), rng=np.random.default_rng(seed)).random(samples)
    columns = {}
    for k, p in enumerate(params):
        values = p.low + unit[:, k] * (p.high - p.low)
        columns[p.name] = np.round(values).astype(int) if p.integer else values
    return pd.DataFrame(columns)


def point_design(rule: str, region: str, values: dict[str, float]) -> Design:
    """One sample point under ``rule`` as a designed point of the engine: as ``simulate`` would run it."""
    point, cfg = sweep_point(rule=rule, region=region, **values)
    return Design(point, cfg)


def run(cfg: DictConfig, outcomes: Sequence[str], report: Callable[[str], None] = print,
        workers: int = 1, pool: Executor | None = None, launcher: str | None = None) -> pd.DataFrame:
    """Run (or read back) every point of the discovery under every rule; one row per point and rule.

    Args:
        cfg: the discovery settings (:func:`ijmond_sim.discovery.settings.load`).
        outcomes: the outcomes kept per point.
        report: where progress lines go.
        workers: worker processes (1: this process).
        pool: where to run: ``workers`` processes or job arrays (:func:`ijmond_sim.sweep.launchers.pool`).
        launcher: the launcher's name in each results file (None: the engine's own).

    Returns:
        Columns ``rule``, ``point``, one per uncertainty and one per outcome.
    """
    points = design(parameters(cfg.region), cfg.samples, cfg.seed)
    values = points.to_dict("records")
    designs = [point_design(rule, cfg.region, row) for rule in cfg.rules for row in values]
    sweep_dir = Path(cfg.out) / RUNS
    sweep_plan = engine.run_designed(sweep_dir, "discovery", designs, cfg.seed, cfg.replications,
                                     workers=workers, pool=pool, launcher=launcher,
                                     progress_seconds=PROGRESS_SECONDS,
                                     say=lambda line: report(f"  {line}"))
    means = [mean_outcomes(runs) for runs in engine.designed_runs(sweep_dir, sweep_plan)]
    table = pd.concat([points.assign(rule=rule, point=points.index) for rule in cfg.rules], ignore_index=True)
    table = table[["rule", "point", *points.columns]]
    return table.assign(**{name: [float(m[name]) for m in means] for name in outcomes})
