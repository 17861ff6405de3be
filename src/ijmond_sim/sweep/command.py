"""The ``ijmond-sweep`` command: a Hydra multirun whose sweeper runs the scenario points in batches.

``conf/sweep.yaml`` chooses the ``ijmond`` sweeper
(``plugins/hydra_plugins``), which hands the sweep to
:mod:`ijmond_sim.sweep.engine`: every point composed and range-checked once,
the plan written to ``<sweep folder>/sweep.json``, the points to run dealt out
into batches, one Hydra job per batch through the launcher that
``hydra/launcher`` names, then tables and figures. Each point's results file
is written atomically, with provenance, or, if the simulation raises, a
failure record; the other points go on. Running the same sweep again into the
same folder resumes it: points whose current results are on disk are skipped.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra import initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from ijmond_sim import config, errors
from ijmond_sim.config import preflight
from ijmond_sim.model import governance
from ijmond_sim.sweep import adhoc, engine, plan
from ijmond_sim.sweep.replicate import run_point


@contextlib.contextmanager
def sweep_schema() -> Iterator[None]:
    """Within the block, ``conf/config.yaml`` composes against the sweep schema (with ``replications``)."""
    config.register_schemas(config.SweepConfig)
    governance.register_schemas()
    try:
        yield
    finally:
        config.register_schemas()


@hydra.main(version_base="1.3", config_path="pkg://ijmond_sim.conf", config_name="sweep")
def run(cfg: DictConfig) -> None:
    """One job: the batch of points in the job's folder (:func:`ijmond_sim.sweep.engine.run_batch`)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    hydra_cfg = HydraConfig.get()
    engine.run_batch(Path(hydra_cfg.sweep.dir), Path(hydra_cfg.runtime.output_dir),
                     hydra_cfg.runtime.choices.get("hydra/launcher"))


SWEEPER = "ijmond"  # conf/sweep.yaml's hydra/sweeper: the plan, batches, resume and tables are its work


def check_sweeper(argv: Sequence[str]) -> None:
    """Refuse a command line that chooses another Hydra sweeper than the ``ijmond`` sweeper.

    Raises:
        errors.InputError: naming the override, before anything runs.
    """
    for arg in argv:
        key, _, value = arg.removeprefix("override ").lstrip("+~").partition("=")
        if key == "hydra/sweeper" and value != SWEEPER:
            raise errors.InputError(arg, f"ijmond-sweep runs its points with the {SWEEPER} sweeper only",
                                    "leave hydra/sweeper out; choose how the points run with "
                                    "hydra/launcher=basic, parallel or slurm")


MULTIRUN_FLAG = "--multirun"  # Hydra then reports what stops composing, not an "ambiguous" comma list


def _sweep() -> None:
    check_sweeper(sys.argv[1:])
    preflight.check([arg for arg in sys.argv[1:] if not arg.startswith("-")])
    if MULTIRUN_FLAG not in sys.argv:
        sys.argv.append(MULTIRUN_FLAG)
    run()


def main() -> None:
    """Entry point of the ``ijmond-sweep`` console script, under the contract of :mod:`ijmond_sim.errors`.

    A sweep without ``experiment=`` gets a name and folder of its own (:mod:`.adhoc`); another
    sweeper than the ``ijmond`` sweeper is refused (:func:`check_sweeper`).
    """
    sys.argv[1:] = adhoc.own_name_and_folder(sys.argv[1:])
    with sweep_schema():
        errors.run_command("ijmond-sweep", _sweep)


def run_in_process(experiment: str, overrides: Sequence[str] = (),
                   clock: Callable[[], Any] = time.perf_counter) -> tuple[list[dict[str, Any]], Any]:
    """The runs of a sweep as a plain loop in this process, without Hydra jobs: the baseline for overhead.

    Composes and checks the plan as ``ijmond-sweep`` would (not timed), then
    runs every point's replications with the same seeds.

    Args:
        experiment: an experiment name, e.g. ``governance_comparison``.
        overrides: further command-line overrides, e.g. ``["replications=5"]``.
        clock: what times the runs (the difference of two readings is returned): wall time by default.

    Returns:
        One row per run (the point's key under ``point``) and the time the runs took.
    """
    logging.getLogger("MESA").setLevel(logging.WARNING)
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config([f"experiment={experiment}", *overrides])
        sweep_plan, recipes = plan.compose_plan(master, GlobalHydra.instance().config_loader())
    tic = clock()
    rows = [{"point": point.key, **row} for index, point in enumerate(sweep_plan.points)
            for row in run_point(recipes.task(index), point.key)]
    return rows, clock() - tic
