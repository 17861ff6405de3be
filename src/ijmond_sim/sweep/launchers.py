"""The launchers of designed runs (the validation's, a discovery's): their command-line options and workers.

A command that runs designed points through :func:`ijmond_sim.sweep.engine.run_designed`
takes ``--launcher`` and ``--workers`` (:func:`add_options`) and runs every
sweep in the pool that :func:`pool` starts once for the whole command::

    with launchers.pool(launchers.workers(args)) as executor:
        engine.run_designed(..., workers=launchers.workers(args), pool=executor)

``basic`` runs every point in the command's own process; ``parallel`` in
``--workers`` local worker processes; ``slurm`` (``ijmond-validate`` only) each
sweep's batches as a Slurm job array (:mod:`ijmond_sim.sweep.cluster`), its
options added by :func:`ijmond_sim.sweep.cluster.add_options`. The seeds do not depend on the launcher:
the numbers are the same, bit for bit.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from ijmond_sim import errors
from ijmond_sim.sweep import cluster

LAUNCHERS = ("basic", "parallel")


def add_options(parser: argparse.ArgumentParser, slurm: bool = False) -> None:
    """Add ``--launcher`` and ``--workers`` to a command's ``parser``; with ``slurm``, the slurm launcher."""
    tasks = cluster.SlurmOptions.tasks_at_once
    parser.add_argument("--launcher", choices=(*LAUNCHERS, "slurm") if slurm else LAUNCHERS, default="basic",
                        help="basic: every run in this process (default); parallel: in --workers processes"
                             + ("; slurm: each sweep as a Slurm job array, --workers tasks at once (run it "
                                "on the cluster's login node)" if slurm else ""))
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes of the parallel launcher (default: one per core)"
                             + (f"; array tasks at once of the slurm launcher (default: {tasks})" if slurm
                                else ""))
    if slurm:
        cluster.add_options(parser)


def workers(args: argparse.Namespace) -> int:
    """The workers the options ask for: ``--workers`` processes or array tasks at once, 1 with ``basic``.

    Raises:
        ijmond_sim.errors.InputError: ``--workers`` is below 1.
    """
    if args.workers is not None and args.workers < 1:
        raise errors.InputError(f"--workers {args.workers}", "fewer than one worker", "a whole number >= 1")
    if args.launcher == "slurm":
        return args.workers or cluster.SlurmOptions.tasks_at_once
    return (args.workers or os.cpu_count() or 1) if args.launcher == "parallel" else 1


@contextlib.contextmanager
def pool(count: int) -> Iterator[Executor | None]:
    """A pool of ``count`` worker processes for the block, or None for one (the runs stay in this process)."""
    if count == 1:
        yield None
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as executor:
        yield executor
