"""The ``ijmond-sim`` command: compose the config, check it, run one simulation, write and summarise it."""

from __future__ import annotations

import copy
import logging
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.utils import JobReturn, JobStatus
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, open_dict, read_write

from ijmond_sim import config, errors
from ijmond_sim.config import config_sources, preflight, validate
from ijmond_sim.model import governance
from ijmond_sim.model.governance import rule_label
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.files import FILES, write_run
from ijmond_sim.run.measures import format_summary

OVERWRITE_FLAG = "--overwrite"
VERSION_FLAG = "--version"  # ours, not Hydra's (which names Hydra's version)
HYDRA_RECORD = ".hydra"  # Hydra's record of a run in its folder: config, overrides, Hydra's own config


def holds_a_run(run_dir: Path) -> bool:
    """Whether ``run_dir`` holds the files of a run (its results or Hydra's record of it)."""
    return (run_dir / HYDRA_RECORD).exists() or any((run_dir / name).exists() for name in FILES)


class RunCheck(Callback):
    """Checks one run before Hydra creates its folder: the config, and that the folder may be written.

    Args:
        overwrite: write into a folder that holds another run (``ijmond-sim --overwrite``).
        named: overrides of region keys Hydra cannot read (a council named with other letters than
            ASCII, or with a space), set here on the composed config (:func:`preflight.named_keys`).
    """

    def __init__(self, overwrite: bool = False, named: Sequence[str] = ()) -> None:
        self.overwrite = overwrite
        self.named = list(named)
        self.record: dict[str, bytes] | None = None  # the run folder's Hydra record before this run

    def on_job_end(self, config: DictConfig, job_return: JobReturn, **kwargs: Any) -> None:
        """A run that failed leaves the folder's Hydra record (``.hydra/``) as it was before it."""
        if job_return.status == JobStatus.FAILED and self.record is not None:
            restore_record(Path(config.hydra.runtime.output_dir) / HYDRA_RECORD, self.record)

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Raise (out of Hydra) on a config out of range or a run folder that cannot or may not be written."""
        with errors.out_of_hydra_callback():
            preflight.set_named(config, self.named)
            check_config(config)
            run_dir = Path(config.hydra.run.dir)
            errors.writable_folder(run_dir, f"hydra.run.dir={run_dir}")
            if holds_a_run(run_dir) and not self.overwrite:
                raise errors.InputError(
                    f"hydra.run.dir={run_dir}", "holds another run",
                    f"choose another hydra.run.dir, or add {OVERWRITE_FLAG} to replace it")
            self.record = read_record(run_dir / HYDRA_RECORD)

    def on_job_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Under ``--multirun`` (no run start), check each job's config before it runs."""
        if config.hydra.mode == RunMode.MULTIRUN:
            with errors.out_of_hydra_callback():
                check_config(config)


def read_record(folder: Path) -> dict[str, bytes]:
    """Every file of a Hydra record folder (``.hydra/``) with its bytes; none if there is no such folder."""
    return {path.name: path.read_bytes() for path in folder.glob("*") if path.is_file()}


def restore_record(folder: Path, record: dict[str, bytes]) -> None:
    """Put a Hydra record folder back as :func:`read_record` read it (no folder if it had no files)."""
    if not record:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.glob("*"):
        if path.name not in record:
            path.unlink()
    for name, data in record.items():
        (folder / name).write_bytes(data)


def check_config(config: DictConfig) -> None:
    """Range-check a composed config (Hydra's node included), naming the file each key came from."""
    task = copy.deepcopy(config)
    with read_write(task), open_dict(task):
        del task["hydra"]
    validate(task, config_sources(config.hydra))


@hydra.main(version_base="1.3", config_path="pkg://ijmond_sim.conf", config_name="config")
def run(cfg: DictConfig) -> None:
    """Run one simulation of the composed scenario and write its results (checked by :class:`RunCheck`)."""
    from ijmond_sim.model import RegionModel  # here: the callback above is loaded by every sweep too

    logging.getLogger("MESA").setLevel(logging.WARNING)
    scenario = Scenario.from_config(cfg)
    model = RegionModel(scenario, seed=cfg.seed).run()
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    summary = write_run(model, cfg, out_dir)
    label = f"{scenario.region.name} under {rule_label(scenario.rule.key)} (seed {cfg.seed})"
    print(format_summary(summary, label))
    print(f"\nResults in {out_dir}/")
    for name, what in FILES.items():
        if (out_dir / name).exists():
            print(f"  {name:<20} {what}")


def main() -> None:
    """Entry point of the ``ijmond-sim`` console script, under the contract of :mod:`ijmond_sim.errors`."""
    if sys.argv[1:] == [VERSION_FLAG]:
        from ijmond_sim.sweep.provenance import version_line

        print(version_line())
        return
    config.register_schemas()
    governance.register_schemas()
    if OVERWRITE_FLAG in sys.argv:
        sys.argv = [arg for arg in sys.argv if arg != OVERWRITE_FLAG]
        sys.argv.append("hydra.callbacks.check.overwrite=true")
    for_hydra, named = preflight.named_keys(sys.argv[1:])
    if named:  # Hydra cannot read these keys, but reads a list of quoted texts
        quoted = ",".join("'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'" for text in named)
        sys.argv[1:] = [*for_hydra, f"hydra.callbacks.check.named=[{quoted}]"]
    errors.run_command("ijmond-sim", lambda: (preflight.check(sys.argv[1:]), run()))
