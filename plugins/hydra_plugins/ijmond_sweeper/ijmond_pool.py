"""``hydra/launcher=ijmond_pool``: local worker processes, started while the sweep is being planned.

Hydra's joblib launcher starts its workers when the jobs are launched: each
then starts Python and imports the task's modules (two to three seconds for
ijmond-sim, which imports Mesa) before it runs anything, and that start-up
adds to every parallel sweep. This launcher starts its pool in ``setup``,
which Hydra calls before the sweeper plans the sweep, so that the workers are
ready when the jobs come. On Linux, with no other thread running yet, the
workers are forks of this process and have its imports already; otherwise
they start afresh (``spawn``). Either way each then imports the task's module
and the modules of ``preload`` (ijmond-sim's model, which the sweep's own
process does not import) while the sweep is planned. On Linux each worker
asks to be killed when the sweep's process dies (``kill -9`` included), so no
worker outlives it. Each job runs as in
Hydra's other launchers (``run_job``: its folder, config and log).
``n_jobs: 1`` runs the jobs here, one after the other, without a pool.
"""

# No ``from __future__ import annotations``: Hydra runs this module before registering it in
# sys.modules, and a dataclass then cannot resolve its string annotations.
import ctypes
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import cloudpickle
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, configure_log, filter_overrides, run_job, setup_globals
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, open_dict

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


@dataclass
class IjmondPoolConf:
    """The launcher's settings.

    Attributes:
        n_jobs: worker processes; -1: one per core this process may use.
        preload: modules each worker imports as it starts, besides the task function's.
    """

    _target_: str = "hydra_plugins.ijmond_sweeper.ijmond_pool.IjmondPoolLauncher"
    n_jobs: int = -1
    preload: list[str] = field(default_factory=list)


ConfigStore.instance().store(group="hydra/launcher", name="ijmond_pool", node=IjmondPoolConf,
                             provider="ijmond-sim")


def worker_count(n_jobs: int) -> int:
    """Worker processes for ``n_jobs``: itself if positive, one per usable core if -1.

    Raises:
        ijmond_sim.errors.InputError: ``n_jobs`` is 0 or below -1.
    """
    if n_jobs == -1:
        from ijmond_sim.sweep.engine import usable_cores  # only now: Hydra scans this module in every program

        return usable_cores()
    if n_jobs < 1:
        from ijmond_sim import errors  # only now: Hydra scans this module in every Hydra program

        raise errors.InputError("hydra.launcher.n_jobs", f"{n_jobs} worker processes",
                                "a whole number >= 1, or -1 (one per core)")
    return n_jobs


def start_method() -> str:
    """``fork`` on Linux while this process runs one thread (workers inherit its imports); else ``spawn``."""
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def die_with(parent: int) -> None:
    """Have this process killed when ``parent`` dies (Linux: the parent-death signal, ``PR_SET_PDEATHSIG``).

    A worker blocked on its pool's pipe would otherwise outlive a sweep killed with
    ``kill -9``. If the parent has died already, before the signal was asked for,
    the process ends here. Elsewhere than Linux nothing is asked.
    """
    if sys.platform != "linux":
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


def warm_up(parent: int, modules: Sequence[str]) -> None:
    """A worker's start: die with ``parent``, import the task's modules (the first job then need not wait)."""
    die_with(parent)
    for module in modules:
        importlib.import_module(module)


def run_job_in_worker(index: int, overrides: Sequence[str], task: bytes, singleton_state: bytes) -> bytes:
    """Run one job in a worker; its return, cloudpickled.

    The task (Hydra context, multirun config, task function) comes cloudpickled, as
    Hydra's task function cannot be imported by name; so does the return, whose
    config's launcher node is typed by this module's dataclass, which Hydra's plugin
    scan loads afresh (and so unimportable by name) in every process.
    """
    return cloudpickle.dumps(execute_job(index, overrides, *cloudpickle.loads(task),
                                         cloudpickle.loads(singleton_state)))


def execute_job(index: int, overrides: Sequence[str], hydra_context: HydraContext, config: DictConfig,
                task_function: TaskFunction, singleton_state: dict[Any, Any]) -> JobReturn:
    """Run one job, in a worker or here: its sweep config, its folder, the task (as Hydra's launchers do)."""
    setup_globals()
    Singleton.set_state(singleton_state)
    sweep_config = hydra_context.config_loader.load_sweep_config(config, list(overrides))
    with open_dict(sweep_config):
        sweep_config.hydra.job.id = f"{sweep_config.hydra.job.name}_{index}"
        sweep_config.hydra.job.num = index
    HydraConfig.instance().set_config(sweep_config)
    return run_job(hydra_context=hydra_context, config=sweep_config, task_function=task_function,
                   job_dir_key="hydra.sweep.dir", job_subdir_key="hydra.sweep.subdir")


class IjmondPoolLauncher(Launcher):
    """Runs the jobs in a pool of local worker processes started in :meth:`setup`.

    Args:
        n_jobs: worker processes; -1: one per core this process may use.
        preload: modules each worker imports as it starts, besides the task function's.
    """

    def __init__(self, n_jobs: int = -1, preload: Sequence[str] = ()) -> None:
        self.workers = worker_count(n_jobs)
        self.preload = list(preload)
        self.config: Optional[DictConfig] = None  # noqa: UP045 - the module avoids postponed annotations
        self.hydra_context: Optional[HydraContext] = None  # noqa: UP045
        self.task_function: Optional[TaskFunction] = None  # noqa: UP045
        self.pool: Optional[Executor] = None  # noqa: UP045

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Keep the context and start the workers (more than one), each importing the task's modules."""
        self.config, self.hydra_context, self.task_function = config, hydra_context, task_function
        if self.workers > 1:
            context = multiprocessing.get_context(start_method())
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm_up,
                                            initargs=(os.getpid(), [task_function.__module__, *self.preload]))
            for _ in range(self.workers):  # a spawning pool starts a worker per task submitted
                self.pool.submit(os.getpid)

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        """Run every job, in the pool (or here, with one worker); their returns, in the order given.

        The pool is shut down after the jobs: a sweep launches once.
        """
        assert self.config is not None and self.hydra_context is not None and self.task_function is not None
        setup_globals()
        configure_log(self.config.hydra.hydra_logging, self.config.hydra.verbose)
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        log.info("ijmond_pool: %d job(s) in %d worker process(es), sweep output dir: %s",
                 len(job_overrides), self.workers, sweep_dir)
        for index, overrides in enumerate(job_overrides):
            log.info("\t#%d : %s", initial_job_idx + index, " ".join(filter_overrides(overrides)))
        if self.pool is None:
            return [execute_job(initial_job_idx + index, overrides, self.hydra_context, self.config,
                                self.task_function, Singleton.get_state())
                    for index, overrides in enumerate(job_overrides)]
        task = cloudpickle.dumps((self.hydra_context, self.config, self.task_function))
        state = cloudpickle.dumps(Singleton.get_state())
        try:
            futures = [self.pool.submit(run_job_in_worker, initial_job_idx + index, list(overrides), task,
                                        state) for index, overrides in enumerate(job_overrides)]
            return [cloudpickle.loads(future.result()) for future in futures]
        finally:
            self.pool.shutdown()
            self.pool = None
