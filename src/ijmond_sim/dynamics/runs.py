"""The runs of a drift study: a burn-in, trust set to a level, a horizon measured; through the sweep engine.

Each run (:func:`drift_trial`) runs the model ``burn_in`` months at the
default initial trust, so that initiatives are under way, ending and
stranding as they do in the model's usual regime; then it sets the trust
matrix to a level (the level everywhere plus the region's known biases, as
:func:`ijmond_sim.model.trust.initial_trust` starts a run), keeping the open
initiatives, the councils' track records and who has turned away; then it
runs ``horizon`` months more and measures the change of mean trust among the
councils still in the region. ``burn_in: 0`` is the cold start: the run is
then the model's own from initial trust at the level.

Every rule, parameter value and level is a designed point of the sweep engine
(:func:`ijmond_sim.sweep.engine.run_designed`): resumable, in a pool of workers
if asked, with progress lines that give the time left. The levels of one rule
and parameter value share their seeds (common random numbers): replication r
has the same burn-in at every level, so the drift curve compares the same
states at different trust, and its shape is not blurred by different histories.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig

from ijmond_sim.api import composed, sweep_point
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.model.trust import initial_trust
from ijmond_sim.sweep import engine
from ijmond_sim.sweep.engine import Design
from ijmond_sim.sweep.replicate import scenario_key
from ijmond_sim.validation.knockouts import Knockout

DEFAULTS = "defaults"        # the runs at the model's defaults: the engine's folder in ``runs_dir``
BIFURCATION = "bifurcation"  # the runs of the parameter sweeps
KNOCKOUTS = "knockouts"      # the runs with one link of the loop switched off
PROGRESS_SECONDS = 30.0
LEVEL, BURN_IN, HORIZON = "level", "burn_in", "horizon"  # a point's values beside its config keys
COLUMNS = ["rule", "parameter", "value", "level", "replication", "seed", "trust_start", "trust_end",
           "drift", "councils_start", "councils_end"]


def drift_trial(scenario: Scenario, seed: int, point: Mapping[str, Any]) -> dict[str, float]:
    """One run: ``burn_in`` months, trust set to ``level``, ``horizon`` months; mean trust before and after.

    Args:
        scenario: the rule, region and parameters (long enough for burn-in and horizon).
        seed: the run's seed.
        point: the point's values, with ``level``, ``burn_in`` and ``horizon``.

    Returns:
        ``trust_start`` and ``trust_end`` (mean trust among the councils in the region
        when the level is set and ``horizon`` months later; NaN with fewer than two),
        ``drift`` (their difference) and the councils in the region at both times.
    """
    model = RegionModel(scenario, seed=seed)
    if point[BURN_IN]:  # Mesa warns of a run of no time
        model.run_for(int(point[BURN_IN]))
    model.trust = initial_trust(len(model.region.councils), float(point[LEVEL]), model.region.trust_bias)
    start, councils_start = model.mean_trust_in_region(), int(model.active.sum())
    model.run_for(int(point[HORIZON]))
    end = model.mean_trust_in_region()
    return {"trust_start": start, "trust_end": end, "drift": end - start,
            "councils_start": councils_start, "councils_end": int(model.active.sum())}


def designs(cfg: DictConfig, arms: Sequence[tuple[str | None, float | None]], levels: Sequence[float]
            ) -> list[tuple[Design, dict[str, Any]]]:
    """The designed points of rules x parameter values x levels, each with its row labels.

    Each is composed and range-checked as :func:`ijmond_sim.simulate` would run it
    (:func:`ijmond_sim.api.sweep_point`), ``years`` long enough for burn-in and horizon.

    Args:
        cfg: the drift-study settings (region, rules, burn-in, horizon).
        arms: ``(parameter, value)`` pairs; ``(None, None)`` for the defaults.
        levels: the trust levels set.

    Raises:
        ijmond_sim.api.UnknownParameter: a parameter that is no config key.
        ijmond_sim.config.ConfigError: a value of the wrong type or out of range.
    """
    years = math.ceil((cfg.burn_in + cfg.horizon) / 12)
    out = []
    for rule in cfg.rules:
        for key, value in arms:
            point, composed = sweep_point(rule, cfg.region, years=years, **({key: value} if key else {}))
            common = {**point, BURN_IN: cfg.burn_in, HORIZON: cfg.horizon}
            labels = {"rule": rule, "parameter": key or "", "value": math.nan if value is None else value}
            out += [(Design({**common, LEVEL: level}, composed, seed_key=scenario_key(common)),
                     {**labels, "level": level}) for level in levels]
    return out


def knockout_designs(cfg: DictConfig, knockouts: Sequence[Knockout], levels: Sequence[float]
                     ) -> list[tuple[Design, dict[str, Any]]]:
    """The designed points of rules x knockouts x levels, seeded as the points at the defaults.

    Each knockout's run r at a level has the seed of run r at the defaults (common random
    numbers), so the change a knockout makes is measured on the same histories.

    Args:
        cfg: the drift-study settings.
        knockouts: the links switched off (:data:`ijmond_sim.validation.knockouts.KNOCKOUTS`).
        levels: the trust levels set.
    """
    years = math.ceil((cfg.burn_in + cfg.horizon) / 12)
    out = []
    for rule in cfg.rules:
        default_point, _ = sweep_point(rule, cfg.region, years=years)
        seed_key = scenario_key({**default_point, BURN_IN: cfg.burn_in, HORIZON: cfg.horizon})
        for knockout in knockouts:
            changes = knockout.settings(composed(rule, cfg.region, [f"years={years}"]))
            point, config = sweep_point(rule, cfg.region, years=years, **changes)
            common = {**point, BURN_IN: cfg.burn_in, HORIZON: cfg.horizon}
            labels = {"rule": rule, "parameter": knockout.key, "value": math.nan}
            out += [(Design({**common, LEVEL: level}, config, seed_key=seed_key), {**labels, "level": level})
                    for level in levels]
    return out


def run(cfg: DictConfig, name: str, planned: Sequence[tuple[Design, dict[str, Any]]], replications: int,
        report: Callable[[str], None] = print, workers: int = 1, pool: Executor | None = None,
        launcher: str | None = None) -> pd.DataFrame:
    """Run (or read back) the planned points in ``<runs_dir>/<name>``; one row per run.

    Args:
        cfg: the drift-study settings.
        name: the engine folder's name, :data:`DEFAULTS`, :data:`BIFURCATION` or :data:`KNOCKOUTS`.
        planned: the points and their row labels (:func:`designs`).
        replications: runs per point.
        report: where progress lines go.
        workers: worker processes (1: this process).
        pool: where to run (:func:`ijmond_sim.sweep.launchers.pool`).
        launcher: the launcher's name in each results file (None: the engine's own).

    Returns:
        The columns of :data:`COLUMNS`.
    """
    folder = Path(cfg.runs_dir) / name
    sweep_plan = engine.run_designed(folder, f"dynamics_{name}", [d for d, _ in planned], cfg.seed,
                                     replications, workers=workers, pool=pool, launcher=launcher,
                                     progress_seconds=PROGRESS_SECONDS, say=lambda line: report(f"  {line}"),
                                     trial=drift_trial)
    rows = [{**labels, **run} for (_, labels), runs in zip(planned, engine.designed_runs(folder, sweep_plan),
                                                          strict=True) for run in runs]
    return pd.DataFrame(rows, columns=COLUMNS).astype({c: float for c in COLUMNS[6:9]})
