"""The ``ijmond_pool`` launcher (``hydra/launcher=parallel``): workers started before the jobs come.

Its jobs' results are compared with the basic launcher's in ``tests/test_sweep.py``.
"""

from __future__ import annotations

import json
import os
import sys
import threading

import pytest
from hydra_plugins.ijmond_sweeper import ijmond_pool

from ijmond_sim import errors


def test_the_workers_start_in_setup_and_import_the_task_s_modules_before_any_job():
    """Kills: a pool started only when the jobs are launched; a preload list left out."""
    launcher = ijmond_pool.IjmondPoolLauncher(n_jobs=2, preload=["email.mime.text"])
    launcher.setup(hydra_context=None, task_function=json.dumps, config=None)
    try:
        assert launcher.pool is not None
        processes = list(launcher.pool._processes.values())  # started by setup, before any launch
        assert len(processes) == 2 and all(p.is_alive() for p in processes)
        imported = launcher.pool.submit(_imported, ["json", "email.mime.text"]).result(timeout=60)
        assert imported == [True, True]
    finally:
        launcher.pool.shutdown()


def _imported(modules: list[str]) -> list[bool]:
    import sys

    return [module in sys.modules for module in modules]


def test_one_worker_runs_the_jobs_here_without_a_pool():
    launcher = ijmond_pool.IjmondPoolLauncher(n_jobs=1)
    launcher.setup(hydra_context=None, task_function=json.dumps, config=None)
    assert launcher.pool is None


def test_workers_are_forks_only_while_this_process_runs_one_thread():
    """Kills: fork chosen although another thread runs (it could hold a lock the fork copies)."""
    if threading.active_count() == 1:
        assert ijmond_pool.start_method() == ("fork" if sys.platform == "linux" else "spawn")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert ijmond_pool.start_method() == "spawn"
    finally:
        stop.set()
        other.join()


def test_the_number_of_workers_is_n_jobs_or_one_per_usable_core():
    assert ijmond_pool.worker_count(3) == 3
    assert ijmond_pool.worker_count(-1) == len(os.sched_getaffinity(0))
    with pytest.raises(errors.InputError, match="hydra.launcher.n_jobs: 0 worker processes"):
        ijmond_pool.worker_count(0)
    with pytest.raises(errors.InputError):
        ijmond_pool.worker_count(-2)
