"""The search: Latin hypercubes over the uncertain parameters, each set run with the same seeds.

Two stages: the first covers every parameter's whole range; the second covers
the box around the first stage's best sets (those that miss at most one band),
so that the runs go where the patterns can all hold. The bands are the same in
both stages.
"""

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
        index: the set's number over both stages (-1 for the current defaults).
        values: the parameter values, by parameter name (empty for the defaults).
        statistics: each pattern's statistic, by pattern name.
        accepted: whether every pattern holds.
    """

    index: int
    values: dict[str, float]
    statistics: dict[str, float]
    accepted: bool
    misses: int = 0
    stage: int = 1


Box = tuple[np.ndarray, np.ndarray]


def full_box(bands: Bands) -> Box:
    """Every parameter's whole range."""
    return np.array([p.low for p in bands.parameters]), np.array([p.high for p in bands.parameters])


def design(bands: Bands, sets: int, seed: int, box: Box | None = None) -> np.ndarray:
    """A Latin hypercube of ``sets`` rows over ``box`` (default: the whole ranges), a column per parameter."""
    low, high = full_box(bands) if box is None else box
    unit = qmc.LatinHypercube(d=len(bands.parameters), seed=np.random.default_rng(seed)).random(sets)
    return qmc.scale(unit, low, high)


def refined_box(bands: Bands, results: Sequence[SetResult], margin: float = 0.1) -> Box:
    """The box around the sets that miss at most one band (the ten best if fewer than two do).

    Padded by ``margin`` of each whole range on both sides and clipped to it.
    """
    best = [r for r in results if r.misses <= 1]
    if len(best) < 2:
        best = sorted(results, key=lambda r: r.misses)[:10]
    x = np.array([[r.values[p.name] for p in bands.parameters] for r in best])
    low, high = full_box(bands)
    pad = margin * (high - low)
    return np.maximum(low, x.min(axis=0) - pad), np.minimum(high, x.max(axis=0) + pad)


def evaluate(bands: Bands, overrides: Sequence[str], seeds: Sequence[int]) -> dict[str, float]:
    """Run the bands' scenario plus ``overrides`` once per seed; each pattern's statistic."""
    cfg = config.compose([*bands.scenario, "collect=false", *overrides])
    config.validate(cfg)
    return bands.statistics(run_replications(Scenario.from_config(cfg), seeds))


def search(bands: Bands, sets: int, replications: int, base_seed: int, box: Box | None = None,
           stage: int = 1, first_index: int = 0,
           progress: Callable[[int, int], None] = lambda done, total: None) -> list[SetResult]:
    """Run every set of one stage's design with the same ``replications`` seeds.

    Args:
        bands: the bands file.
        sets: number of parameter sets.
        replications: runs per set.
        base_seed: seeds the design (with the stage) and the runs (the same seeds in every stage).
        box: the ranges of this stage (default: the whole ranges).
        stage: the stage's number.
        first_index: the number of the stage's first set.
        progress: called with (sets done, sets in all) after each set.

    Returns:
        One result per set, in design order.
    """
    seeds = replication_seeds(base_seed, SEED_KEY, replications)
    results = []
    for k, row in enumerate(design(bands, sets, base_seed + stage - 1, box)):
        values = {p.name: float(v) for p, v in zip(bands.parameters, row, strict=True)}
        overrides = [o for p in bands.parameters for o in p.overrides(values[p.name])]
        statistics = evaluate(bands, overrides, seeds)
        misses = sum(not p.holds(statistics[p.name]) for p in bands.patterns)
        results.append(SetResult(first_index + k, values, statistics, misses == 0, misses, stage))
        progress(k + 1, sets)
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
