"""Replications of one scenario: seeds derived from a base seed and the scenario, runs in-process.

The seed of replication r of a scenario depends only on the base seed, the
scenario's own settings and r (numpy ``SeedSequence``), never on which
launcher, job order or process ran it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ijmond_sim.measures import run_summary
from ijmond_sim.model import RegionModel
from ijmond_sim.scenario import Scenario


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


def run_replications(scenario: Scenario, seeds: Iterable[int]) -> list[dict[str, Any]]:
    """Run the scenario once per seed; one row of outcome measures per run."""
    return [
        {"replication": r, "seed": seed, **run_summary(RegionModel(scenario, seed=seed).run())}
        for r, seed in enumerate(seeds)
    ]
