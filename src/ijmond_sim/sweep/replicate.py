"""Replications of one scenario: seeds derived from a base seed and the scenario, runs in-process.

The seed of replication r of a scenario depends only on the base seed, the
scenario's own settings and r (numpy ``SeedSequence``), never on which
launcher, job order or process ran it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from omegaconf import DictConfig

from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.measures import run_summary

if TYPE_CHECKING:
    from ijmond_sim.model import RegionModel


def scenario_key(settings: Mapping[str, Any]) -> str:
    """A canonical text for a scenario point, e.g. ``governance=mayoral,trust.initial=0.3``."""
    return ",".join(f"{k}={settings[k]}" for k in sorted(settings))


def replication_seeds(base_seed: int, key: str, n: int) -> list[int]:
    """``n`` seeds for the scenario named ``key``, derived from ``base_seed``.

    Args:
        base_seed: the sweep's one base seed.
        key: the scenario's canonical text (:func:`scenario_key`).
        n: number of replications.

    Returns:
        One 32-bit seed per replication.
    """
    digest = hashlib.sha256(key.encode()).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    root = np.random.SeedSequence(entropy=base_seed, spawn_key=tuple(words))
    return [int(child.generate_state(1)[0]) for child in root.spawn(n)]


def run_once(scenario: Scenario, seed: int) -> dict[str, Any]:
    """One run: its outcome measures, plus mean trust at the start and at the end of every year.

    The model runs a year at a time and mean trust is read in between, which
    changes nothing in the run: the trajectory costs no per-month collection.
    """
    from ijmond_sim.model import RegionModel  # here, not above: planning a sweep does not import Mesa

    model = RegionModel(scenario, seed=seed)
    trajectory = {"mean_trust_year_0": model.mean_trust()}
    for year in range(1, math.ceil(scenario.months / 12) + 1):
        model.run_for(min(12, scenario.months - model.month))
        trajectory[f"mean_trust_year_{year}"] = model.mean_trust()
    return {**run_summary(model), **trajectory}


def run_replications(scenario: Scenario, seeds: Iterable[int]) -> list[dict[str, Any]]:
    """Run the scenario once per seed; one row of outcome measures per run (see :func:`run_once`)."""
    return [{"replication": r, "seed": seed, **run_once(scenario, seed)} for r, seed in enumerate(seeds)]


def run_records(scenario: Scenario, seeds: Iterable[int],
                record: Callable[[RegionModel], dict[str, Any]]) -> list[dict[str, Any]]:
    """Run the scenario to its end once per seed; one row per run: replication, seed and ``record(model)``."""
    from ijmond_sim.model import RegionModel  # here, not above: planning a sweep does not import Mesa

    return [{"replication": r, "seed": seed, **record(RegionModel(scenario, seed=seed).run())}
            for r, seed in enumerate(seeds)]


def run_trials(scenario: Scenario, seeds: Iterable[int],
               trial: Callable[[Scenario, int, Mapping[str, Any]], dict[str, Any]],
               values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per seed: replication, seed and what ``trial`` measured in the run it made from ``values``."""
    return [{"replication": r, "seed": seed, **trial(scenario, seed, values)} for r, seed in enumerate(seeds)]


def run_point(cfg: DictConfig, key: str) -> list[dict[str, Any]]:
    """Every replication of one sweep point: ``cfg.replications`` runs seeded from ``cfg.seed`` and ``key``.

    Args:
        cfg: the point's composed, validated config (a sweep config, with ``replications``).
        key: the point's :func:`scenario_key`.

    Returns:
        One row per run, as :func:`run_replications`.
    """
    seeds = replication_seeds(cfg.seed, key, cfg.replications)
    return run_replications(Scenario.from_config(cfg), seeds)
