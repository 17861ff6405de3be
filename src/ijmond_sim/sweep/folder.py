"""A sweep folder keeps what it holds: one sweep's identity, one process at a time, tables replaced whole.

- Identity: the plan in ``sweep.json`` names the experiment and its design
  (axes, points, their replications, seeds and configurations). A sweep into a
  folder that holds another is refused with one line; the same sweep resumes.
- Locks (``filelock``): a running sweep holds ``.sweep.lock``, so a second
  sweep into the folder is refused; an aggregation holds ``.tables.lock``, so a
  second one waits for the first.
- Tables: an aggregation writes everything into a stage folder of its own and
  only then moves each file into place (an atomic rename), so a reader, or a
  sweep killed half-way, never sees a table that is half written or missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from filelock import FileLock, Timeout

from ijmond_sim.errors import InputError
from ijmond_sim.sweep import plan, store
from ijmond_sim.sweep.plan import Plan

SWEEP_LOCK, TABLES_LOCK = ".sweep.lock", ".tables.lock"
STAGE_PREFIX = ".aggregate."
AGGREGATION_WAIT_SECONDS = 600.0
REFUSED = "choose another hydra.sweep.dir, or run the same experiment and design again to resume it"


def difference(held: Plan, wanted: Plan) -> str | None:
    """How the sweep ``wanted`` differs from the sweep ``held`` in a folder, in words; None if the same."""
    if held.experiment != wanted.experiment:
        return f"holds the sweep of experiment '{held.experiment}', not '{wanted.experiment}'"
    if held.axes != wanted.axes:
        return f"holds a sweep over {', '.join(held.axes)}, not over {', '.join(wanted.axes)}"
    if held.by_key.keys() != wanted.by_key.keys():
        other = sorted(wanted.by_key.keys() ^ held.by_key.keys())
        return f"holds a sweep with other points ({len(other)} differ, e.g. {other[0]})"
    for point in wanted.points:
        if held.by_key[point.key] != point:
            return (f"holds a sweep of {held.experiment} with another configuration "
                    f"(point {point.key}: replications, seed or a parameter differ)")
    return None


def check_experiment(sweep_dir: Path, experiment: str) -> None:
    """Refuse at once, before the sweep is planned, a folder that holds a sweep of another experiment.

    Raises:
        InputError: naming the folder and the experiment it holds.
    """
    if (Path(sweep_dir) / plan.MANIFEST).exists():
        held = plan.read_manifest(sweep_dir)
        if held.experiment != experiment:
            different = difference(held, replace(held, experiment=experiment))
            raise InputError(f"hydra.sweep.dir={sweep_dir}", str(different), REFUSED)


def claim(sweep_dir: Path, sweep_plan: Plan) -> FileLock:
    """Lock ``sweep_dir`` for this sweep and write its plan, unless it holds another sweep or is in use.

    Args:
        sweep_dir: the sweep folder (made if missing).
        sweep_plan: the plan of the sweep about to run.

    Returns:
        The held lock: release it when the sweep has ended.

    Raises:
        InputError: if another sweep runs in the folder, or the folder holds another sweep.
    """
    sweep_dir = Path(sweep_dir)
    where = f"hydra.sweep.dir={sweep_dir}"
    sweep_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(sweep_dir / SWEEP_LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(where, "another ijmond-sweep is running in this folder",
                         "wait until it has ended, or choose another hydra.sweep.dir") from None
    try:
        if (sweep_dir / plan.MANIFEST).exists():
            different = difference(plan.read_manifest(sweep_dir), sweep_plan)
            if different:
                raise InputError(where, different, REFUSED)
        else:
            plan.write_manifest(sweep_dir, sweep_plan)
    except BaseException:
        lock.release()
        raise
    return lock


@contextlib.contextmanager
def tables_lock(sweep_dir: Path) -> Iterator[None]:
    """Within the block, this process alone aggregates ``sweep_dir``; another waits for it.

    Raises:
        InputError: if another aggregation holds the folder longer than :data:`AGGREGATION_WAIT_SECONDS`.
    """
    lock = FileLock(Path(sweep_dir) / TABLES_LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        print(f"waiting for another aggregation of {sweep_dir} to end", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=AGGREGATION_WAIT_SECONDS)
        except Timeout:
            raise InputError(str(sweep_dir), f"another aggregation has held this folder over "
                             f"{AGGREGATION_WAIT_SECONDS:.0f} s", "wait until it has ended") from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def stage(sweep_dir: Path) -> Iterator[Path]:
    """A new folder inside ``sweep_dir``, this process's own, to write the tables into; removed at the end.

    Stage folders left by a process that was killed are removed first.
    """
    sweep_dir = Path(sweep_dir)
    for left in sweep_dir.glob(f"{STAGE_PREFIX}*"):
        if store.abandoned(left.name.removeprefix(STAGE_PREFIX)):
            shutil.rmtree(left, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{store.process_tag()}.", dir=sweep_dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish(staged: Path, sweep_dir: Path, outdated: Iterable[Path]) -> list[Path]:
    """Move each file of ``staged`` to its place in ``sweep_dir``; then remove ``outdated`` ones not replaced.

    Each move is an atomic rename within one file system, made only once every
    file is complete; the folder is synced so the renames survive a crash.

    Args:
        staged: the stage folder (:func:`stage`), complete.
        sweep_dir: the sweep folder.
        outdated: files of an earlier aggregation to remove unless replaced.

    Returns:
        The files now in place, in ``sweep_dir``.
    """
    placed = []
    for path in sorted(p for p in Path(staged).rglob("*") if p.is_file()):
        target = Path(sweep_dir) / path.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        placed.append(target)
    for path in outdated:
        if path not in placed:
            path.unlink(missing_ok=True)
    store.sync_folder(Path(sweep_dir))
    return placed
