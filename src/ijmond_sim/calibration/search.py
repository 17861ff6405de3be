"""The search: a Latin hypercube over the uncertain parameters, each set run with the same seeds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from ijmond_sim import config
from ijmond_sim.calibration.bands import Bands
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep.replicate import replication_seeds, run_replications

SEED_KEY = "calibration"  # every set runs with the same seeds (common random numbers)


@dataclass(frozen=True)
class SetResult:
    """One parameter set and what its runs showed.

    Attributes:
        index: the set's number in the design (-1 for the current defaults).
        values: the parameter values, by parameter name (empty for the defaults).
        statistics: each pattern's statistic, by pattern name.
        accepted: whether every pattern holds.
    """

    index: int
    values: dict[str, float]
    statistics: dict[str, float]
    accepted: bool


def design(bands: Bands, sets: int, seed: int) -> np.ndarray:
    """A Latin hypercube of ``sets`` rows over the bands' parameter ranges (one column per parameter)."""
    unit = qmc.LatinHypercube(d=len(bands.parameters), seed=np.random.default_rng(seed)).random(sets)
    low = np.array([p.low for p in bands.parameters])
    high = np.array([p.high for p in bands.parameters])
    return qmc.scale(unit, low, high)


def evaluate(bands: Bands, overrides: Sequence[str], seeds: Sequence[int]) -> dict[str, float]:
    """Run the bands' scenario plus ``overrides`` once per seed; each pattern's statistic."""
    cfg = config.compose([*bands.scenario, "collect=false", *overrides])
    config.validate(cfg)
    return bands.statistics(run_replications(Scenario.from_config(cfg), seeds))


def search(bands: Bands, sets: int, replications: int, base_seed: int,
           progress: Callable[[int, int], None] = lambda done, total: None) -> list[SetResult]:
    """Run every set of the design with the same ``replications`` seeds.

    Args:
        bands: the bands file.
        sets: number of parameter sets.
        replications: runs per set.
        base_seed: seeds the design and the runs.
        progress: called with (sets done, sets in all) after each set.

    Returns:
        One result per set, in design order.
    """
    seeds = replication_seeds(base_seed, SEED_KEY, replications)
    results = []
    for index, row in enumerate(design(bands, sets, base_seed)):
        values = {p.name: float(v) for p, v in zip(bands.parameters, row, strict=True)}
        overrides = [o for p in bands.parameters for o in p.overrides(values[p.name])]
        statistics = evaluate(bands, overrides, seeds)
        results.append(SetResult(index, values, statistics, bands.accepts(statistics)))
        progress(index + 1, sets)
    return results


def medoid(bands: Bands, accepted: Sequence[SetResult]) -> SetResult:
    """The accepted set closest to all others (sum of distances, each parameter scaled to its range)."""
    low = np.array([p.low for p in bands.parameters])
    span = np.array([p.high - p.low for p in bands.parameters])
    x = np.array([[r.values[p.name] for p in bands.parameters] for r in accepted])
    x = (x - low) / span
    distance = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)).sum(axis=1)
    return accepted[int(np.argmin(distance))]


def check_defaults(bands: Bands, replications: int, base_seed: int) -> SetResult:
    """The current defaults (the config as it stands) against the bands, with fresh seeds."""
    seeds = replication_seeds(base_seed, "defaults", replications)
    statistics = evaluate(bands, [], seeds)
    return SetResult(-1, {}, statistics, bands.accepts(statistics))
