"""Faults from outside: a file size limit cut into a sweep's writes, and its process killed with kill -9.

A sweep cut off by ``ulimit -f`` (each write past the limit fails) must leave
no file cut short, and a rerun must give the tables of a sweep that was never
cut. A sweep under the pool launcher killed with ``kill -9`` must leave no worker
behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ijmond_sim.sweep import folder, store

BIN = Path(sys.executable).parent
SMALL = ("replications=2", "years=2", "governance=optional,binding", "trust.initial=0.2,0.8", "seed=7")
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}
TABLES = ("runs.csv", "summary.csv", "answer.txt", "failures.csv")


def sweep(cwd: Path, *args: str, limit_kib: int | None = None) -> subprocess.CompletedProcess:
    """``ijmond-sweep`` into ``cwd/sweep``, under a file size limit of ``limit_kib`` KiB if given."""
    command = [str(BIN / "ijmond-sweep"), *SMALL, *args, "hydra.sweep.dir=sweep"]
    if limit_kib is not None:
        command = ["bash", "-c", f'ulimit -f {limit_kib} && exec "$@"', "limited", *command]
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)
    if (cwd / "sweep").is_dir():
        with folder.tables_lock(cwd / "sweep"):  # the figures' own process is done
            pass
    return done


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The small sweep, never cut off."""
    base = tmp_path_factory.mktemp("reference")
    done = sweep(base)
    assert done.returncode == 0, done.stderr
    return base / "sweep"


def whole(path: Path) -> Callable[[], object] | None:
    """How to read ``path`` as what it holds, failing if it was cut short (None: a log, or Hydra's record)."""
    if path.name.endswith(".json"):
        return lambda: store.read(path)
    if path.suffix == ".pickle":
        return lambda: pickle.loads(path.read_bytes())
    if path.name == "multirun.yaml":
        return lambda: yaml.safe_load(path.read_text())
    return None


@pytest.mark.parametrize("limit_kib", [4, 12, 40])  # multirun.yaml, a results file, the figures
def test_a_sweep_cut_off_by_a_file_size_limit_leaves_no_file_cut_short_and_resumes_identical(
        reference, tmp_path, limit_kib):
    """Kills: multirun.yaml, a batch plan or a results file written in place (a write cut at the limit
    leaves the file cut short); a temporary file or stage folder left behind by a failed write."""
    cut = sweep(tmp_path, limit_kib=limit_kib)
    assert cut.returncode != 0 or (tmp_path / "sweep" / "figures.log").exists(), "the limit cut nothing"
    files = [p for p in (tmp_path / "sweep").rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert not [p for p in files if p.stat().st_size == limit_kib * 1024], "a file cut at the limit"
    assert not [p for p in files if p.name.endswith(".tmp") or p.parent.name.startswith(folder.STAGE_PREFIX)]
    for path in files:
        if (read := whole(path)) is not None:
            read()
    before = (tmp_path / "sweep" / "multirun.yaml").read_bytes() if any(
        p.name == "multirun.yaml" for p in files) else None
    again = sweep(tmp_path)
    assert again.returncode == 0, again.stderr
    for name in TABLES:
        assert (tmp_path / "sweep" / name).read_bytes() == (reference / name).read_bytes(), name
    assert before is None or before == (tmp_path / "sweep" / "multirun.yaml").read_bytes()


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.05)
    return value


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's (prctl)")
def test_the_pool_s_workers_die_with_a_sweep_killed_with_kill_9(tmp_path):
    """Kills: workers that do not ask for the parent-death signal (they stay, blocked on the pool's pipe)."""
    command = [str(BIN / "ijmond-sweep"), "replications=200", "years=10", "governance=optional,binding",
               "trust.initial=0.2,0.8", "hydra/launcher=parallel", "hydra.launcher.n_jobs=2",
               "hydra.sweep.dir=sweep"]
    process = subprocess.Popen(command, cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    workers: set[int] = set()
    try:
        wait_for(lambda: list((tmp_path / "sweep" / "batches").glob("*/claims/*")), 120, "a job to start")
        workers = children(process.pid)
        assert len(workers) >= 2
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        wait_for(lambda: not any(alive(pid) for pid in workers), 60, f"the workers {sorted(workers)} to end")
    finally:
        for pid in [process.pid, *workers]:  # whatever the test found still running: its own processes
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
