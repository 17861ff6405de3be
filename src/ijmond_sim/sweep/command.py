"""The ``ijmond-sweep`` command: one Hydra job per scenario point, running all its replications in-process.

Before the first job starts, every point is composed and range-checked and
the plan is written to ``<sweep folder>/sweep.json`` (:mod:`ijmond_sim.sweep.plan`).
Each job writes one results file atomically, with provenance, or, if the
simulation raises, a failure record with the error; the other jobs go on. A
job whose current results are already on disk is skipped, so running the same
sweep again into the same folder resumes it. When the jobs have ended, the
sweep is aggregated into tables and figures (:mod:`ijmond_sim.sweep.tables`).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import hydra
from filelock import FileLock
from hydra import initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from ijmond_sim import config, errors
from ijmond_sim.model import governance
from ijmond_sim.sweep import adhoc, folder, plan, provenance, store, tables
from ijmond_sim.sweep.progress import Progress
from ijmond_sim.sweep.replicate import run_point, scenario_key

log = logging.getLogger(__name__)


@contextlib.contextmanager
def sweep_schema() -> Iterator[None]:
    """Within the block, ``conf/config.yaml`` composes against the sweep schema (with ``replications``)."""
    config.register_schemas(config.SweepConfig)
    governance.register_schemas()
    try:
        yield
    finally:
        config.register_schemas()


class SweepCallback(Callback):
    """Plans the sweep before its first job and aggregates it after its last.

    Args:
        progress_seconds: seconds between progress reports while jobs run.
        parquet: also write the runs table as ``runs.parquet`` (needs pyarrow).
    """

    def __init__(self, progress_seconds: float = 10.0, parquet: bool = False) -> None:
        self.progress_seconds = progress_seconds
        self.parquet = parquet
        self.progress: Progress | None = None
        self.lock: FileLock | None = None

    def __getstate__(self) -> dict[str, Any]:
        """What a parallel launcher ships to its workers with the jobs: not the progress reporter or lock."""
        return {"progress_seconds": self.progress_seconds, "parquet": self.parquet, "progress": None,
                "lock": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Compose and range-check every point, claim the sweep folder, write the plan, report progress.

        A point out of range, a folder that cannot be written, that holds
        another sweep or where another sweep runs stops the sweep here, with
        one line and exit status 2 (:mod:`ijmond_sim.errors`), before anything is written.
        """
        with errors.out_of_hydra_callback():
            if self.parquet and tables.parquet_missing():
                raise errors.InputError("hydra.callbacks.sweep.parquet=true", tables.parquet_missing(),
                                        "install pyarrow, or leave parquet off")
            sweep_dir = Path(config.hydra.sweep.dir)
            folder.check_experiment(sweep_dir, config.hydra.runtime.choices.experiment)
            sweep_plan = self._plan(config)
            errors.writable_folder(sweep_dir, f"hydra.sweep.dir={sweep_dir}")
            errors.writable_folder(sweep_dir / "jobs", f"hydra.sweep.dir={sweep_dir}")
            self.lock = folder.claim(sweep_dir, sweep_plan)
        self.progress = Progress(sweep_dir, sweep_plan, self.progress_seconds)
        replications = sorted({p.replications for p in sweep_plan.points})
        each = replications[0] if len(replications) == 1 else f"{replications[0]}-{replications[-1]}"
        design = " x ".join(f"{axis} ({len({str(p.scenario[axis]) for p in sweep_plan.points})})"
                            for axis in sweep_plan.axes)
        print(f"ijmond-sweep: {sweep_plan.experiment}: axes {design or 'none'}: "
              f"{len(sweep_plan.points)} scenario points x "
              f"{each} replications = {sweep_plan.runs:,} runs, into {sweep_dir}/"
              + (f" ({len(self.progress.skipped)} points already complete)" if self.progress.skipped else ""),
              flush=True)
        self.progress.start()

    @staticmethod
    def _plan(config: DictConfig) -> plan.Plan:
        """The sweep's plan; a value that cannot be composed is named with its override or file."""
        try:
            return plan.make_plan(config, GlobalHydra.instance().config_loader())
        except Exception as error:
            experiment = config.hydra.runtime.choices.experiment
            fallback = f"hydra.sweeper.params of {plan.experiment_file(experiment, config.hydra)}"
            problem = errors.explain(error, list(config.hydra.overrides.task), fallback)
            if problem is None or problem is error:
                raise
            raise problem from error

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Report progress once more, aggregate, and exit with status 1 if any point has no results."""
        if self.progress is not None:
            self.progress.stop()
        with errors.out_of_hydra_callback():
            try:
                report = tables.aggregate(Path(config.hydra.sweep.dir), parquet=self.parquet)
            finally:
                if self.lock is not None:
                    self.lock.release()
        print(report.describe(), flush=True)
        if report.problems:
            sys.exit(1)


def job_results(cfg: DictConfig, key: str, scenario: dict[str, Any]) -> dict[str, Any]:
    """Run every replication of one point; its results body, or a failure record if the run raised."""
    started = provenance.now()
    try:
        runs, status, error = run_point(cfg, key), "complete", None
    except Exception as exc:  # a failed point must not stop the sweep: it is recorded and reported
        log.exception("scenario point %s failed", key)
        runs, status = [], "failed"
        error = {"type": type(exc).__name__, "message": str(exc), "traceback": traceback.format_exc()}
    return {
        "kind": "job results", "status": status, "key": key, "scenario": scenario,
        "base_seed": cfg.seed, "replications": cfg.replications, "fingerprint": plan.fingerprint(cfg),
        "error": error, "runs": runs,
        "provenance": {**provenance.environment(),
                       "launcher": HydraConfig.get().runtime.choices.get("hydra/launcher"),
                       "started": started, "ended": provenance.now(),
                       "config": OmegaConf.to_container(cfg, resolve=True)},
    }


@hydra.main(version_base="1.3", config_path="pkg://ijmond_sim.conf", config_name="sweep")
def run(cfg: DictConfig) -> None:
    """One job: every replication of one scenario point, written to the job's results file."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    hydra_cfg = HydraConfig.get()
    sweep_plan = plan.read_manifest(Path(hydra_cfg.sweep.dir))
    scenario = plan.scenario_values(cfg, hydra_cfg.runtime.choices, sweep_plan.axes)
    key = scenario_key(scenario)
    path = Path(hydra_cfg.runtime.output_dir) / store.FILENAME
    try:
        if plan.is_current(store.read(path), sweep_plan.by_key[key]):
            log.info("%s: complete results on disk, skipped", key)
            return
    except FileNotFoundError:
        pass
    except store.CorruptResults as error:
        log.warning("%s; running the point again", error)
    tic = time.perf_counter()
    body = job_results(cfg, key, scenario)
    store.write(path, body)
    log.info("%s: %s, %d runs in %.1f s", key, body["status"], len(body["runs"]), time.perf_counter() - tic)


def main() -> None:
    """Entry point of the ``ijmond-sweep`` console script, under the contract of :mod:`ijmond_sim.errors`."""
    sys.argv[1:] = adhoc.own_name_and_folder(sys.argv[1:])
    with sweep_schema():
        errors.run_command("ijmond-sweep", run)


def run_in_process(experiment: str, overrides: Sequence[str] = ()) -> tuple[list[dict[str, Any]], float]:
    """The runs of a sweep as a plain loop in this process, without Hydra jobs: the baseline for overhead.

    Composes and checks the plan as ``ijmond-sweep`` would (not timed), then
    runs every point's replications with the same seeds.

    Args:
        experiment: an experiment name, e.g. ``governance_comparison``.
        overrides: further command-line overrides, e.g. ``["replications=5"]``.

    Returns:
        One row per run (the point's key under ``point``) and the seconds the runs took.
    """
    logging.getLogger("MESA").setLevel(logging.WARNING)
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config([f"experiment={experiment}", *overrides])
        points = list(plan.composed_points(master, GlobalHydra.instance().config_loader()))
    tic = time.perf_counter()
    rows = [{"point": point.key, **row} for point, cfg in points for row in run_point(cfg, point.key)]
    return rows, time.perf_counter() - tic
