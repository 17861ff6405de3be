"""The launchers of designed runs (the validation's, a discovery's): their command-line options and workers.

A command that runs designed points through :func:`ijmond_sim.sweep.engine.run_designed`
takes ``--launcher`` and ``--workers`` (:func:`add_options`) and runs every
sweep in the pool that :func:`pool` starts once for the whole command::

    launch = launchers.chosen(args)
    with launchers.pool(launch, folder) as executor:
        engine.run_designed(..., workers=launch.workers, pool=executor, launcher=launch.provenance)

``basic`` runs every point in the command's own process; ``parallel`` in
``--workers`` local worker processes; ``slurm`` each sweep's batches as a Slurm
job array (:mod:`ijmond_sim.sweep.cluster`, whose options it adds). The seeds do
not depend on the launcher: the numbers are the same, bit for bit.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ijmond_sim import errors
from ijmond_sim.sweep import cluster, engine

LAUNCHERS = ("basic", "parallel", "slurm")


@dataclass(frozen=True)
class Launch:
    """The launcher a command's options chose.

    Attributes:
        name: ``basic``, ``parallel`` or ``slurm``.
        workers: worker processes, or array tasks at once; 1 with ``basic``.
        slurm: what each array task asks of the cluster (``slurm`` only).
    """

    name: str
    workers: int
    slurm: cluster.SlurmOptions | None = None

    @property
    def provenance(self) -> str | None:
        """The launcher's name in each results file; None: the engine's own (``engine, N workers``)."""
        return self.name if self.slurm is not None else None


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--launcher``, ``--workers`` and the slurm launcher's options to a command's ``parser``."""
    tasks = cluster.SlurmOptions.tasks_at_once
    parser.add_argument("--launcher", choices=LAUNCHERS, default="basic",
                        help="basic: every run in this process (default); parallel: in --workers processes; "
                             "slurm: each sweep as a Slurm job array, --workers tasks at once (run it "
                             "on the cluster's login node)")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes of the parallel launcher (default: one per core); "
                             f"array tasks at once of the slurm launcher (default: {tasks})")
    cluster.add_options(parser)


def chosen(args: argparse.Namespace) -> Launch:
    """The launcher the options ask for, checked before any run.

    Raises:
        ijmond_sim.errors.InputError: ``--workers`` is below 1; a slurm option is out of
            range, or jobs cannot be submitted here (:func:`ijmond_sim.sweep.cluster.check`).
    """
    if args.workers is not None and args.workers < 1:
        raise errors.InputError(f"--workers {args.workers}", "fewer than one worker", "a whole number >= 1")
    if args.launcher == "slurm":
        tasks = args.workers or cluster.SlurmOptions.tasks_at_once
        return Launch("slurm", tasks, cluster.options(args, tasks))
    if args.launcher == "parallel":
        return Launch("parallel", args.workers or engine.usable_cores())
    return Launch("basic", 1)


@contextlib.contextmanager
def pool(launch: Launch, folder: Path, say: Callable[[str], None] = print) -> Iterator[Executor | None]:
    """Where the engine runs the batches for the block: None (this process), local workers or job arrays.

    Args:
        launch: the launcher chosen.
        folder: the command's results folder (submitit's files go to its ``.submitit``).
        say: where the lines about array tasks that ended without finishing go.
    """
    if launch.slurm is not None:
        yield cluster.JobArrayPool(Path(folder) / ".submitit", launch.slurm, say)
    elif launch.workers == 1:
        yield None
    else:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        with ProcessPoolExecutor(max_workers=launch.workers, mp_context=context) as executor:
            yield executor
