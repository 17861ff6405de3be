"""Designed runs on a Slurm cluster: the engine's batches of a sweep as one submitit job array.

:class:`JobArrayPool` stands where the engine takes a pool of local worker
processes (:func:`ijmond_sim.sweep.engine.run_designed`): it submits one array
task per batch file (``batches/<n>/points.pickle``, run by
:func:`ijmond_sim.sweep.engine.run_batch` on a compute node), waits until
every task has ended, and says which tasks ended without finishing. Their
points have no results files: reading the runs then names them, and the
same command run again runs only those points. Submitit's files (the
pickled calls, each task's output and error log) go to the pool's folder,
``<job id>_<task>/`` per task.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import submitit

from ijmond_sim import errors


@dataclass(frozen=True)
class SlurmOptions:
    """What each array task asks of the cluster.

    Attributes:
        partition: the Slurm partition; None: the cluster's default.
        time_minutes: each task's time limit; a task that runs out is ended, its unfinished points rerun.
        tasks_at_once: how many tasks of an array run at once (Slurm's array parallelism).
        mem_gb: memory per task.
    """

    partition: str | None = None
    time_minutes: int = 60
    tasks_at_once: int = 16
    mem_gb: float = 2.0


def add_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of what each array task asks (partition, time, memory) to a command's ``parser``."""
    group = parser.add_argument_group("slurm launcher", "what each array task asks of the cluster")
    group.add_argument("--partition", default=None,
                       help="the Slurm partition (default: the cluster's default)")
    group.add_argument("--time-minutes", type=int, default=SlurmOptions.time_minutes,
                       help="time limit of each task; a task that runs out leaves its points to a rerun "
                            f"(default: {SlurmOptions.time_minutes})")
    group.add_argument("--mem-gb", type=float, default=SlurmOptions.mem_gb,
                       help=f"memory of each task, in GB (default: {SlurmOptions.mem_gb:g})")


def options(args: argparse.Namespace, tasks_at_once: int) -> SlurmOptions:
    """What the tasks ask of the cluster, from the command line (:func:`add_options`), checked.

    Raises:
        InputError: as :func:`check`.
    """
    chosen = SlurmOptions(partition=args.partition, time_minutes=args.time_minutes,
                          tasks_at_once=tasks_at_once, mem_gb=args.mem_gb)
    check(chosen)
    return chosen


def check(options: SlurmOptions) -> None:
    """Check, before any run, that jobs can be submitted here with these options.

    Raises:
        InputError: naming the option, what is wrong and what is allowed.
    """
    for option, value in (("--workers", options.tasks_at_once), ("--time-minutes", options.time_minutes)):
        if value < 1:
            raise errors.InputError(f"{option} {value}", "less than one", "a whole number >= 1")
    if options.mem_gb <= 0:
        raise errors.InputError(f"--mem-gb {options.mem_gb}", "no memory", "a number of GB > 0")
    if shutil.which("sbatch") is None:
        raise errors.InputError("--launcher slurm", "sbatch not found on PATH (this is not a Slurm cluster's "
                                "login node)", "run on a node that can submit Slurm jobs, or use "
                                "--launcher basic or parallel")
    if options.partition is not None and options.partition not in partitions():
        raise errors.InputError(f"--partition {options.partition}", "no such partition on this cluster",
                                "one of " + ", ".join(partitions()) + " (sinfo lists them)")


def partitions() -> list[str]:
    """The cluster's partitions, as ``sinfo`` lists them."""
    listed = subprocess.run(["sinfo", "-h", "-o", "%R"], capture_output=True, text=True, timeout=60,
                            check=True)
    return sorted(set(listed.stdout.split()))


class JobArrayPool(Executor):
    """Runs a function over its arguments as the tasks of one job array per call of :meth:`map`.

    Args:
        folder: where submitit's files go.
        options: what each task asks of the cluster.
        say: where the lines about tasks that ended without finishing go.
        cluster: submitit's cluster: ``slurm``; ``local`` runs the tasks as local processes
            (for tests on a machine without Slurm).
    """

    def __init__(self, folder: Path, options: SlurmOptions, say: Callable[[str], None] = print,
                 cluster: str = "slurm") -> None:
        self.folder, self.options, self.say, self.cluster = Path(folder), options, say, cluster

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None,
            chunksize: int = 1) -> Iterator[Any]:
        """Submit ``fn`` over the arguments as one job array and wait for every task.

        Returns:
            Per task, what ``fn`` returned, or None for a task that ended without finishing
            (it failed, was cancelled or ran out of time; one line says so). Nothing to run: nothing
            is submitted.
        """
        arguments = [list(values) for values in iterables]
        if not arguments or not arguments[0]:
            return iter([])
        executor = submitit.AutoExecutor(folder=self.folder / "%j", cluster=self.cluster)
        executor.update_parameters(timeout_min=self.options.time_minutes, mem_gb=self.options.mem_gb,
                                   cpus_per_task=1, slurm_array_parallelism=self.options.tasks_at_once,
                                   **({"slurm_partition": self.options.partition} if self.options.partition
                                      else {}))
        jobs = executor.map_array(fn, *arguments)
        return iter([self._result(job) for job in jobs])

    def _result(self, job: submitit.Job) -> Any:
        try:
            return job.result()
        except Exception as error:  # the task's points have no results: the caller names them
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.say(f"task {job.job_id} ended without finishing ({job.state}): {reason}; "
                     f"its log: {job.paths.stderr}")
            return None
