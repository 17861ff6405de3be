"""The experiments of a discovery: a Latin hypercube of the uncertainties, run per rule in resumable batches.

The same sample points serve every governance rule, so the rules are compared
on equal terms. Each point runs ``replications`` times in-process
(:func:`ijmond_sim.simulate`, seeds from the base seed and the point) and keeps
the mean of each outcome. Points are run in batches; each batch is one results
file written atomically with a checksum (:mod:`ijmond_sim.sweep.store`), so a
discovery stopped at any moment resumes from its last whole batch, and a
damaged or outdated file is run again, never read as data. Progress lines give
the time left as the sweep engine's do (:func:`ijmond_sim.sweep.progress.timing`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf
from scipy.stats import qmc

from ijmond_sim.api import Parameter, mean_outcomes, parameters, simulate
from ijmond_sim.sweep import store
from ijmond_sim.sweep.progress import timing
from ijmond_sim.sweep.provenance import code_sha256

BATCHES = "batches"


def design(params: Sequence[Parameter], samples: int, seed: int) -> pd.DataFrame:
    """A Latin-hypercube sample of ``params`` over their ranges, whole numbers rounded; one row per point."""
    unit = qmc.LatinHypercube(d=len(params), rng=np.random.default_rng(seed)).random(samples)
    columns = {}
    for k, p in enumerate(params):
        values = p.low + unit[:, k] * (p.high - p.low)
        columns[p.name] = np.round(values).astype(int) if p.integer else values
    return pd.DataFrame(columns)


def fingerprint(cfg: DictConfig, rule: str, points: pd.DataFrame) -> str:
    """SHA-256 of what a batch's results depend on: the settings that shape runs, rule, points, code."""
    shaping = {k: OmegaConf.to_container(cfg[k]) if OmegaConf.is_config(cfg[k]) else cfg[k]
               for k in ("region", "replications", "seed")}
    text = json.dumps({"settings": shaping, "rule": rule, "points": points.to_dict("list"),
                       "code": code_sha256()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def run_point(rule: str, region: str, values: dict[str, Any], replications: int, seed: int,
              outcomes: Sequence[str]) -> dict[str, float]:
    """The mean of each outcome over ``replications`` runs of one point under ``rule``."""
    means = mean_outcomes(simulate(rule=rule, region=region, seed=seed, replications=replications, **values))
    return {name: means[name] for name in outcomes}


def batch_path(out: Path, rule: str, index: int) -> Path:
    """The results file of batch ``index`` under ``rule``."""
    return Path(out) / BATCHES / rule / f"{index:04d}.json"


def run(cfg: DictConfig, outcomes: Sequence[str],
        report: Callable[[str], None] = print) -> pd.DataFrame:
    """Run (or read back) every batch of the discovery; one row per point and rule.

    Args:
        cfg: the discovery settings (:func:`ijmond_sim.discovery.settings.load`).
        outcomes: the outcomes kept per point.
        report: where progress lines go.

    Returns:
        Columns ``rule``, ``point``, one per uncertainty and one per outcome.
    """
    params = parameters(cfg.region)
    points = design(params, cfg.samples, cfg.seed)
    out = Path(cfg.out)
    batches = [(rule, index, points.iloc[start:start + cfg.batch]) for rule in cfg.rules
               for index, start in enumerate(range(0, len(points), cfg.batch))]
    stamps = [fingerprint(cfg, rule, chunk) for rule, _, chunk in batches]
    stored = [_read_batch(batch_path(out, rule, index), stamp, report)
              for (rule, index, _), stamp in zip(batches, stamps, strict=True)]
    todo = sum(len(chunk) for (_, _, chunk), rows in zip(batches, stored, strict=True) if rows is None)
    done, tic, tables = 0, time.monotonic(), []
    for (rule, index, chunk), stamp, rows in zip(batches, stamps, stored, strict=True):
        if rows is None:
            rows = [{"rule": rule, "point": int(i), **row,
                     **run_point(rule, cfg.region, row, cfg.replications, cfg.seed, outcomes)}
                    for i, row in zip(chunk.index, chunk.to_dict("records"), strict=True)]
            store.write(batch_path(out, rule, index), {"kind": "discovery batch", "rule": rule,
                                                       "index": index, "fingerprint": stamp, "rows": rows})
            done += len(chunk)
            report(f"  {rule}: points {chunk.index[0] + 1}-{chunk.index[-1] + 1} of {len(points)} run; "
                   + timing(time.monotonic() - tic, done, todo))
        tables.append(pd.DataFrame(rows))
    table = pd.concat(tables, ignore_index=True)
    for p in params:  # null, written for NaN, reads back as None
        table[p.name] = table[p.name].astype(int if p.integer else float)
    return table.astype({name: float for name in outcomes})


def _read_batch(path: Path, stamp: str, report: Callable[[str], None]) -> list[dict[str, Any]] | None:
    """The rows of a batch already on disk for this fingerprint, or None if it must run."""
    try:
        body = store.read(path)
    except FileNotFoundError:
        return None
    except store.CorruptResults as error:
        report(f"  {error}; running the batch again")
        return None
    return body["rows"] if body.get("fingerprint") == stamp else None
