"""The validation's runs through the sweep engine: a resumable results folder per sweep, one launcher for all.

Every sweep of the validation (a pattern's, a knockout's, a baseline's, a
sensitivity sample's) is a set of designed points
(:class:`ijmond_sim.sweep.engine.Design`) run by
:func:`ijmond_sim.sweep.engine.run_designed` into
``<out>/runs/<context>/<sweep>/``: batches, checksummed results files, progress
with the time left. A validation that was stopped finds the points whose
results are on disk and runs only the others. What a run stores is a record,
a small pure function of the finished model computed in the worker
(:data:`ijmond_sim.sweep.engine.Record`); the patterns compute from the stored
records only.

Launchers (:mod:`ijmond_sim.sweep.launchers`): ``basic`` runs the batches in
this process; ``parallel`` in a pool of local worker processes, started once
for the whole validation; ``slurm`` as the tasks of a Slurm job array per
sweep (:class:`ijmond_sim.sweep.cluster.JobArrayPool`), waiting for each array.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ijmond_sim.sweep import engine, launchers
from ijmond_sim.sweep.engine import Design, Record
from ijmond_sim.sweep.replicate import scenario_key

RUNS = "runs"  # the results folder in the validation's output folder

Run = dict[str, Any]


@dataclass
class Runner:
    """Runs the validation's sweeps through the engine, each into a results folder of its own.

    Attributes:
        folder: where the sweeps' folders go (``<out>/runs``).
        workers: worker processes or array tasks at once (1: this process).
        pool: where the batches run, started once: local workers or a job array pool (None: here).
        say: where progress lines go.
        progress_seconds: seconds between progress lines.
        launcher: the launcher's name in each results file's provenance; None: the engine's.
    """

    folder: Path
    workers: int = 1
    pool: Executor | None = None
    say: Callable[[str], None] = print
    progress_seconds: float = 30.0
    launcher: str | None = None

    def run(self, sweep: str, points: Sequence[Design], base_seed: int, replications: int,
            record: Record | None = None) -> list[list[Run]]:
        """The runs of every point, in the order given; a point that appears twice runs once.

        Args:
            sweep: the sweep's folder under :attr:`folder`, e.g. ``default/trust``.
            points: the points.
            base_seed: the validation's base seed.
            replications: runs per point.
            record: what each run stores; None: the runs table's outcome measures.

        Returns:
            Per point, its runs as stored: ``replication``, ``seed`` and the record's values
            (a NaN is stored as null: read numbers that may be NaN with :func:`number`).
        """
        unique = list({scenario_key(p.scenario): p for p in reversed(points)}.values())[::-1]
        sweep_dir = self.folder / sweep
        plan = engine.run_designed(sweep_dir, sweep, unique, base_seed, replications, workers=self.workers,
                                   pool=self.pool, record=record, progress_seconds=self.progress_seconds,
                                   say=lambda line: self.say(f"{sweep}: {line}"), launcher=self.launcher)
        stored = dict(zip((p.key for p in plan.points), engine.designed_runs(sweep_dir, plan), strict=True))
        return [stored[scenario_key(p.scenario)] for p in points]


def recorded(run: Run) -> dict[str, Any]:
    """A stored run's record alone: without its ``replication`` and ``seed``."""
    return {key: value for key, value in run.items() if key not in ("replication", "seed")}


def number(value: float | None) -> float:
    """A stored number, NaN where JSON stored null (a rate of nothing, a mean of no decisions)."""
    return math.nan if value is None else value


@contextlib.contextmanager
def runner(out: Path, launch: launchers.Launch, say: Callable[[str], None],
           progress_seconds: float) -> Iterator[Runner]:
    """A :class:`Runner` into ``<out>/runs`` through the launcher chosen; its worker pool ends with the block.

    Args:
        out: the validation's output folder.
        launch: the launcher (:func:`ijmond_sim.sweep.launchers.chosen`); submitit's files, with
            ``slurm``, go to ``<out>/runs/.submitit``.
        say: where progress lines go.
        progress_seconds: seconds between progress lines.
    """
    with launchers.pool(launch, Path(out) / RUNS, say) as pool:
        yield Runner(Path(out) / RUNS, launch.workers, pool, say, progress_seconds,
                     launcher=launch.provenance)
