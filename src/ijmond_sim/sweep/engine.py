"""The sweep engine: every point composed once, run in batches through any Hydra launcher, then aggregated.

The ``ijmond`` sweeper (``hydra_plugins.ijmond_sweeper``) calls :func:`sweep`
in the ``ijmond-sweep`` process. It composes and range-checks every point
(:func:`ijmond_sim.sweep.plan.compose_plan`) and writes the plan; points whose
current results are on disk are left out (resume). The rest are dealt out
into batches, one file each, ``batches/<n>/points.pickle``, holding their
points and task configs, and the launcher that ``hydra/launcher`` names
(basic, parallel, joblib, submitit) runs one Hydra job per batch, in ``batches/<n>/``.
Each job (:func:`run_batch`) runs its points one after the other and writes
each point's results file into the point's own folder
(``jobs/<override_dirname>/results.json``), as a job per point did; a point
whose simulation raises gets a failure record and the others go on. A job
claims each point before it runs it (:func:`claim`), and one that has run its
own batch goes on with the points of the others that nobody has claimed yet,
from their ends: the jobs end together however long their points take, and a
job started late (a Slurm array task waiting in the queue) finds less to do.
Then the
sweep is aggregated into tables (:mod:`ijmond_sim.sweep.tables`); its figures
are drawn by a process of their own (:mod:`ijmond_sim.sweep.drawer`), started
with the runs, so that the command ends once the tables are written.

A Hydra job costs about half a second in a worker (composing its config,
folders, logs): a job per worker rather than per point makes that a cost per
worker, not per point.

:func:`run_configs` runs designed points (the validation's, a sensitivity
analysis's) through the same batches, results files, resume and tables,
without Hydra, in this process, a pool of local workers or a Slurm job array
(:mod:`ijmond_sim.sweep.cluster`); :func:`run_designed`
and :func:`designed_runs` do the same for points whose runs are recorded by a
function of the finished model (the validation's patterns), or made and
measured by a trial of their own (the drift study's: trust set part-way), or
whose seeds derive from a name of their own, and read the stored records back.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra.plugins.launcher import Launcher
from omegaconf import DictConfig, OmegaConf

from ijmond_sim import errors
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep import drawer, folder, plan, provenance, store, tables
from ijmond_sim.sweep.plan import Point, Recipes
from ijmond_sim.sweep.progress import Progress
from ijmond_sim.sweep.replicate import (
    replication_seeds,
    run_records,
    run_replications,
    run_trials,
    scenario_key,
)

if TYPE_CHECKING:
    from ijmond_sim.model import RegionModel

log = logging.getLogger(__name__)

BATCHES = "batches"
BATCH_FILE = "points.pickle"
CLAIMS = "claims"  # batches/<n>/claims/<position>: the point at that position of batch n has been taken

Record = Callable[["RegionModel"], dict[str, Any]]
"""A per-run record: a pure function of a finished model to JSON-able values (a module-level function)."""

Trial = Callable[[Scenario, int, Mapping[str, Any]], dict[str, Any]]
"""A run made its own way: a module-level function of the scenario, a seed and the point's values that
builds, runs and measures one replication (e.g. setting the trust part-way); JSON-able values."""


@dataclass(frozen=True)
class Batch:
    """The points one job runs, with their task configs.

    Attributes:
        points: the points, in the order they run.
        recipes: their task configs (:class:`ijmond_sim.sweep.plan.Recipes`), in the same order.
        seed_keys: per point, the name its replication seeds derive from; empty: each point's key.
        record: what each run stores (:data:`Record`); None: the runs table's outcome measures.
        trial: how each run is made and measured (:data:`Trial`); None: run to the end, then ``record``.
    """

    points: tuple[Point, ...]
    recipes: Recipes
    seed_keys: tuple[str, ...] = ()
    record: Record | None = None
    trial: Trial | None = None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it, else all)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def workers(launcher_cfg: DictConfig) -> int:
    """How many jobs the launcher runs at once: a pool's ``n_jobs``, submitit's ``array_parallelism``, else 1.

    submitit's local executor starts every job at once: at most one per core.
    """
    n_jobs = launcher_cfg.get("n_jobs")
    if n_jobs is not None:
        return usable_cores() if n_jobs < 0 else n_jobs
    parallel = launcher_cfg.get("array_parallelism")
    if parallel is not None:
        local = str(launcher_cfg.get("_target_", "")).endswith("LocalLauncher")
        return min(parallel, usable_cores()) if local else parallel
    return 1


def deal(indices: Sequence[int], count: int) -> list[list[int]]:
    """``indices`` dealt round-robin into ``count`` batches (none empty): each gets easy and hard points."""
    count = max(1, min(count, len(indices)))
    return [list(indices[n::count]) for n in range(count)] if indices else []


def batch_count(points: int, launcher_cfg: DictConfig, points_per_batch: int | None) -> int:
    """How many batches to make of ``points`` points: ``points_per_batch`` each if given, else one per worker.

    One per worker is enough: a job that has run its batch takes over the others' unclaimed points.
    """
    if points_per_batch is not None:
        return -(-points // points_per_batch)
    return workers(launcher_cfg)


def write_batches(sweep_dir: Path, sweep_plan: plan.Plan, recipes: Recipes,
                  batches: Sequence[Sequence[int]], seed_keys: Sequence[str] = (),
                  record: Record | None = None, trial: Trial | None = None) -> None:
    """Write each batch's file, ``batches/<n>/points.pickle``, removing those of an earlier run.

    ``seed_keys`` (per point of the plan, or empty), ``record`` and ``trial`` are as in :class:`Batch`.
    Each batch's claims start empty.
    """
    for stale in (sweep_dir / BATCHES).glob(f"*/{BATCH_FILE}"):
        stale.unlink()
    for claims in (sweep_dir / BATCHES).glob(f"*/{CLAIMS}"):
        shutil.rmtree(claims)
    for number, indices in enumerate(batches):
        batch_dir = sweep_dir / BATCHES / str(number)
        (batch_dir / CLAIMS).mkdir(parents=True, exist_ok=True)
        batch = Batch(points=tuple(sweep_plan.points[i] for i in indices), recipes=recipes.subset(indices),
                      seed_keys=tuple(seed_keys[i] for i in indices) if seed_keys else (), record=record,
                      trial=trial)
        store.write_bytes(batch_dir / BATCH_FILE, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL),
                          sync=False)


def sweep(config: DictConfig, loader: Any, launcher: Launcher, points_per_batch: int | None,
          progress_seconds: float, parquet: bool = False) -> None:
    """Plan, run and aggregate the sweep of a multirun config (the ``ijmond`` sweeper's work).

    Before anything is written, every point is composed and range-checked
    and the sweep folder is claimed (:mod:`ijmond_sim.sweep.folder`: it must be
    writable, hold no other sweep and have no other sweep running in it); a
    problem stops the sweep with an :class:`ijmond_sim.errors.InputError` (one
    line, exit status 2). At the end the sweep exits with status 1 if a point
    has no results.

    Args:
        config: the multirun config, with its ``hydra`` node.
        loader: Hydra's config loader.
        launcher: the launcher that ``hydra/launcher`` names, set up.
        points_per_batch: points per job, or None for one batch per worker.
        progress_seconds: seconds between progress reports.
        parquet: also write the runs table as ``runs.parquet`` (needs pyarrow).
    """
    if parquet and tables.parquet_missing():
        raise errors.InputError("hydra.sweeper.parquet=true", tables.parquet_missing(),
                                "install pyarrow, or leave parquet off")
    sweep_dir = Path(config.hydra.sweep.dir)
    folder.check_experiment(sweep_dir, config.hydra.runtime.choices.experiment)
    sweep_plan, recipes = _plan(config, loader)
    errors.writable_folder(sweep_dir, f"hydra.sweep.dir={sweep_dir}")
    errors.writable_folder(sweep_dir / "jobs", f"hydra.sweep.dir={sweep_dir}")
    lock = folder.claim(sweep_dir, sweep_plan)
    try:
        store.write_bytes(sweep_dir / "multirun.yaml", OmegaConf.to_yaml(config).encode(), sync=False)
        progress = Progress(sweep_dir, sweep_plan, progress_seconds)
        todo = [i for i, point in enumerate(sweep_plan.points) if point.key not in progress.skipped]
        batches = deal(todo, batch_count(len(todo), config.hydra.launcher, points_per_batch))
        write_batches(sweep_dir, sweep_plan, recipes, batches)
        print(_design(sweep_plan, sweep_dir, len(progress.skipped)) + f"; {len(batches)} batch job(s)",
              flush=True)
        figure_process = drawer.FigureProcess(sweep_dir, sweep_dir / folder.TABLES_LOCK,
                                              folder.AGGREGATION_WAIT_SECONDS)
        try:
            progress.start()
            try:
                if batches:
                    launcher.launch([[f"hydra.sweep.subdir={BATCHES}/{n}"] for n in range(len(batches))],
                                    initial_job_idx=0)
            finally:
                progress.stop()
            report = tables.aggregate(sweep_dir, draw=False, parquet=parquet)
            if figure_process.draw():
                report.files[sweep_dir / tables.FIGURES] = (
                    f"being drawn by a process of its own, in place in seconds (a failure: {drawer.LOG})")
            else:  # the drawing process has ended: draw here
                report.files.update(tables.draw_figures(sweep_dir))
        finally:
            figure_process.close()
    finally:
        lock.release()
    print(report.describe(), flush=True)
    if report.problems:
        sys.exit(1)


def _plan(config: DictConfig, loader: Any) -> tuple[plan.Plan, Recipes]:
    """The sweep's plan; a value that cannot be composed is named with its override or file."""
    try:
        return plan.compose_plan(config, loader)
    except Exception as error:
        experiment = config.hydra.runtime.choices.experiment
        fallback = f"hydra.sweeper.params of {plan.experiment_file(experiment, config.hydra)}"
        problem = errors.explain(error, list(config.hydra.overrides.task), fallback)
        if problem is None or problem is error:
            raise
        raise problem from error


def _design(sweep_plan: plan.Plan, sweep_dir: Path, complete: int) -> str:
    """The sweep's design in one line: its axes, points, runs and folder, before it runs."""
    replications = sorted({p.replications for p in sweep_plan.points})
    each = replications[0] if len(replications) == 1 else f"{replications[0]}-{replications[-1]}"
    design = " x ".join(f"{axis} ({len({str(p.scenario[axis]) for p in sweep_plan.points})})"
                        for axis in sweep_plan.axes)
    return (f"ijmond-sweep: {sweep_plan.experiment}: axes {design or 'none'}: "
            f"{len(sweep_plan.points)} scenario points x {each} replications = {sweep_plan.runs:,} runs, "
            f"into {sweep_dir}/" + (f" ({complete} points already complete)" if complete else ""))


def point_results(cfg: DictConfig, resolved: dict[str, Any], point: Point, launcher: str | None,
                  seed_key: str | None = None, record: Record | None = None,
                  trial: Trial | None = None) -> dict[str, Any]:
    """Run every replication of one point; its results body, or a failure record if the run raised.

    Args:
        cfg: the point's task config.
        resolved: its values, resolved (for the provenance).
        point: the point.
        launcher: the launcher's name, for the provenance.
        seed_key: the name the seeds derive from (None: the point's key).
        record: what each run stores (None: the runs table's outcome measures).
        trial: how each run is made and measured (:data:`Trial`; None: run to the end, then ``record``).
    """
    started = provenance.now()
    try:
        seeds = replication_seeds(point.base_seed, seed_key or point.key, point.replications)
        scenario = Scenario.from_config(cfg)
        if trial is not None:
            runs = run_trials(scenario, seeds, trial, point.scenario)
        elif record is not None:
            runs = run_records(scenario, seeds, record)
        else:
            runs = run_replications(scenario, seeds)
        status, error = "complete", None
    except Exception as exc:  # a failed point must not stop the sweep: it is recorded and reported
        log.exception("scenario point %s failed", point.key)
        runs, status = [], "failed"
        error = {"type": type(exc).__name__, "message": str(exc), "traceback": traceback.format_exc()}
    return {
        "kind": "job results", "status": status, "key": point.key, "scenario": point.scenario,
        "base_seed": point.base_seed, "replications": point.replications, "fingerprint": point.fingerprint,
        "error": error, "runs": runs,
        "provenance": {**provenance.environment(), "launcher": launcher,
                       "started": started, "ended": provenance.now(),
                       "config": resolved},
    }


def claim(batch_dir: Path, position: int) -> bool:
    """Take the point at ``position`` of the batch in ``batch_dir`` for this job: True for the first to ask.

    The claim is a file made with ``O_EXCL``, which one process alone can create, on a
    local disk or a cluster's shared file system.
    """
    try:
        os.close(os.open(Path(batch_dir) / CLAIMS / str(position), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def run_batch(sweep_dir: Path, batch_dir: Path, launcher: str | None) -> None:
    """One job: run the points of the batch in ``batch_dir``, then help with the other batches' points.

    The job claims its batch's points from the first on, and stops at one already
    claimed (taken by a job helping out, which works from the end). Then it goes
    through the other batches, from the next one on, and runs their points from
    the last one back, until it meets a claimed point. Every point runs once and
    writes its results file; a job that dies leaves its claimed points without
    results (reported; rerunning the sweep runs them).

    Args:
        sweep_dir: the sweep folder.
        batch_dir: the batch's folder (it holds ``points.pickle``).
        launcher: the launcher's name, for the provenance.
    """
    logging.getLogger("MESA").setLevel(logging.WARNING)
    batch_dir = Path(batch_dir)
    run_claimed(sweep_dir, batch_dir, launcher, from_end=False)
    others = sorted((path.parent for path in batch_dir.parent.glob(f"*/{BATCH_FILE}")),
                    key=lambda folder: int(folder.name))
    mine = others.index(batch_dir) if batch_dir in others else len(others)
    for other in others[mine + 1:] + others[:mine]:
        run_claimed(sweep_dir, other, launcher, from_end=True)
    os.sync()  # once for the job, not twice per point (store.write)


def run_claimed(sweep_dir: Path, batch_dir: Path, launcher: str | None, from_end: bool) -> None:
    """Run the batch's points that this job claims, one by one, until one is claimed by another job.

    Args:
        sweep_dir: the sweep folder.
        batch_dir: the batch's folder.
        launcher: the launcher's name, for the provenance.
        from_end: go from the last point back (helping out) rather than from the first on (its own batch).
    """
    batch: Batch = pickle.loads((batch_dir / BATCH_FILE).read_bytes())
    positions = range(len(batch.points))
    for index in reversed(positions) if from_end else positions:
        if not claim(batch_dir, index):
            return
        point, tic = batch.points[index], time.perf_counter()
        body = point_results(*batch.recipes.resolved(index), point, launcher,
                             batch.seed_keys[index] if batch.seed_keys else None, batch.record, batch.trial)
        store.write(Path(sweep_dir) / point.folder / store.FILENAME, body, sync=False)
        log.info("%s: %s, %d runs in %.2f s%s", point.key, body["status"], len(body["runs"]),
                 time.perf_counter() - tic, f" (of batch {batch_dir.name})" if from_end else "")


def run_configs(sweep_dir: Path, name: str, points: Sequence[tuple[Mapping[str, Any], DictConfig]],
                base_seed: int, replications: int, workers: int = 1,
                progress_seconds: float = 10.0) -> tables.Report:
    """Run designed scenario points through the engine, without Hydra: for the validation's own designs.

    The same plan, batches, results files, resume, progress and tables as
    ``ijmond-sweep``: points whose current results are in ``sweep_dir`` are
    not run again, and the runs' table is ``<sweep_dir>/runs.csv``. Seeds
    derive from ``base_seed`` and each point's name, as in a sweep.

    Args:
        sweep_dir: the folder of the results (created).
        name: what the points are, e.g. ``sensitivity_morris`` (the plan's experiment).
        points: per point, its values (the table's columns and, with
            :func:`ijmond_sim.sweep.replicate.scenario_key`, its name) and its
            composed, range-checked config.
        base_seed: the base seed.
        replications: runs per point.
        workers: processes to run the batches in (1: this process).
        progress_seconds: seconds between progress lines.

    Returns:
        The aggregation's report (tables written, points without results).
    """
    run_designed(sweep_dir, name, [Design(scenario, cfg) for scenario, cfg in points], base_seed,
                 replications, workers=workers, progress_seconds=progress_seconds)
    return tables.aggregate(sweep_dir, draw=False)


@dataclass(frozen=True)
class Design:
    """One designed scenario point.

    Attributes:
        scenario: its values: the table's columns and, with
            :func:`ijmond_sim.sweep.replicate.scenario_key`, its name.
        cfg: its composed, range-checked config.
        seed_key: the name its replication seeds derive from; None: its own name. Points that
            share one get the same seeds (common random numbers across the arms of a comparison).
    """

    scenario: Mapping[str, Any]
    cfg: DictConfig
    seed_key: str | None = None


def design_folder(key: str) -> str:
    """The folder of a designed point: ``jobs/<key>``, or a shortened key and its hash if it is too long."""
    if len(key) <= 120 and "/" not in key:
        return f"jobs/{key}"
    return f"jobs/{key[:60].replace('/', '_')}-{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def record_identity(record: Record | Trial | None) -> str | None:
    """A record's (or trial's) dotted name and the SHA-256 of the code it may call (part of the fingerprint).

    The code is the source file of the record's module and of every
    ``ijmond_sim`` module that file imports, directly or not
    (:func:`ijmond_sim.sweep.provenance.imported_sources`): a changed helper, in
    the record's module or in a module it imports, makes every point run again,
    as a change to the model's code does for a sweep. The rule errs on the safe
    side: a change to an imported module the record never calls also counts.
    """
    if record is None:
        return None
    sources = provenance.imported_sources(Path(inspect.getsourcefile(record)))
    return f"{record.__module__}.{record.__qualname__}:{provenance.sources_sha256(sources)}"


def run_designed(sweep_dir: Path, name: str, points: Sequence[Design], base_seed: int, replications: int,
                 workers: int = 1, pool: Executor | None = None, record: Record | None = None,
                 progress_seconds: float = 10.0, say: Callable[[str], None] = print,
                 launcher: str | None = None, trial: Trial | None = None) -> plan.Plan:
    """Run designed points through the engine's batches, results files, resume and progress; their plan.

    Points whose current results are in ``sweep_dir`` are not run again. A
    point's fingerprint covers its config, the base seed, its replications, its
    seed name and the record, so a results file is reused only for the same runs.

    Args:
        sweep_dir: the folder of the results (created).
        name: what the points are (the plan's experiment).
        points: the points; their names (:func:`scenario_key` of their values) must differ.
        base_seed: the base seed.
        replications: runs per point.
        workers: processes to run the batches in (1: this process); the batches are dealt for this many.
        pool: a pool of ``workers`` processes to run them in, kept over many calls (or a
            :class:`ijmond_sim.sweep.cluster.JobArrayPool`); None: one for this call.
        record: what each run stores (:data:`Record`); None: the runs table's outcome measures.
        progress_seconds: seconds between progress lines.
        say: where progress lines go.
        launcher: the launcher's name in each results file's provenance; None: ``engine`` and the workers.
        trial: how each run is made and measured (:data:`Trial`); None: run to the end, then ``record``.
    """
    sweep_dir = Path(sweep_dir)
    sweep_plan, recipes, seed_keys = designed_plan(name, points, base_seed, replications, record, trial)
    sweep_dir.mkdir(parents=True, exist_ok=True)
    plan.write_manifest(sweep_dir, sweep_plan)
    progress = Progress(sweep_dir, sweep_plan, progress_seconds, say)
    todo = [i for i, point in enumerate(sweep_plan.points) if point.key not in progress.skipped]
    batches = deal(todo, workers)
    write_batches(sweep_dir, sweep_plan, recipes, batches, seed_keys, record, trial)
    folders = [sweep_dir / BATCHES / str(n) for n in range(len(batches))]
    launcher = launcher or ("engine" if workers == 1 and pool is None else f"engine, {workers} workers")
    progress.start()
    try:
        if workers == 1 and pool is None:
            for folder in folders:
                run_batch(sweep_dir, folder, launcher)
        else:
            with contextlib.ExitStack() as own:
                context = multiprocessing.get_context("spawn")  # no fork of a process with threads
                executor = pool or own.enter_context(ProcessPoolExecutor(workers, mp_context=context))
                list(executor.map(run_batch, [sweep_dir] * len(folders), folders, [launcher] * len(folders)))
    finally:
        progress.stop()
    return sweep_plan


def designed_plan(name: str, points: Sequence[Design], base_seed: int, replications: int,
                  record: Record | None = None, trial: Trial | None = None
                  ) -> tuple[plan.Plan, Recipes, list[str]]:
    """The plan of designed points, their task configs and, per point, the name its seeds derive from.

    Args are as in :func:`run_designed`.

    Raises:
        ValueError: two points have the same values.
    """
    recipes = Recipes(bases=[], steps=[], plains=[])
    planned, seed_keys, identity_of_record = [], [], record_identity(record)
    identity_of_trial = {"trial": record_identity(trial)} if trial is not None else {}
    for design in points:
        recipes.steps.append((recipes.add_base(design.cfg), ()))
        key = scenario_key(design.scenario)
        seed_keys.append(design.seed_key or key)
        identity = json.dumps({"config": plan.fingerprint(design.cfg), "base_seed": base_seed,
                               "replications": replications, "seed_key": seed_keys[-1],
                               "record": identity_of_record, **identity_of_trial}, sort_keys=True)
        planned.append(Point(key=key, scenario=dict(design.scenario), base_seed=base_seed,
                             replications=replications, folder=design_folder(key),
                             fingerprint=hashlib.sha256(identity.encode()).hexdigest()))
    axes = tuple(dict.fromkeys(axis for design in points for axis in design.scenario))
    sweep_plan = plan.Plan(experiment=name, axes=axes, points=tuple(planned))
    if len(sweep_plan.by_key) < len(planned):
        raise ValueError(f"{name}: two designed points have the same values")
    return sweep_plan, recipes, seed_keys


def designed_runs(sweep_dir: Path, sweep_plan: plan.Plan) -> list[list[dict[str, Any]]]:
    """The stored runs of every point of ``sweep_plan``, in plan order, each run as its results file holds it.

    Raises:
        RuntimeError: a point has no complete, current results (it failed, or did not run).
    """
    runs = []
    for point in sweep_plan.points:
        path = Path(sweep_dir) / point.folder / store.FILENAME
        body = store.read(path) if path.exists() else {}
        if not plan.holds_results_of(body, point):
            error = body.get("error") or {}
            raise RuntimeError(f"{path}: no results of {point.key} "
                               f"({error.get('type', 'missing')}: {error.get('message', 'not run')})")
        runs.append(body["runs"])
    return runs
