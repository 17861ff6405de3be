"""The ``ijmond-sim`` command: compose the config, check it, run one simulation, write and summarise it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from ijmond_sim import config
from ijmond_sim.model import RegionModel, governance
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.files import FILES, write_run
from ijmond_sim.run.measures import format_summary

config.register_schemas()
governance.register_schemas()


def discard_run_dir(run_dir: Path) -> None:
    """Remove what Hydra wrote for a job that never ran, and the directory if that leaves it empty."""
    for path in (run_dir / ".hydra").glob("*"):
        path.unlink()
    for path in [run_dir / ".hydra", *run_dir.glob("*.log")]:
        if path.is_dir():
            path.rmdir()
        elif path.exists():
            path.unlink()
    if run_dir.exists() and not any(run_dir.iterdir()):
        run_dir.rmdir()


def check_or_exit(cfg: DictConfig) -> None:
    """Validate ``cfg``; on a problem print one line naming key, file and what is allowed, exit 2."""
    try:
        config.validate(cfg, config.config_sources())
    except config.ConfigError as error:
        logging.shutdown()
        discard_run_dir(Path(HydraConfig.get().runtime.output_dir))
        print(f"ijmond-sim: invalid configuration: {error}", file=sys.stderr)
        sys.exit(2)


@hydra.main(version_base="1.3", config_path="pkg://ijmond_sim.conf", config_name="config")
def run(cfg: DictConfig) -> None:
    """Run one simulation of the composed scenario and write its results."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    check_or_exit(cfg)
    scenario = Scenario.from_config(cfg)
    model = RegionModel(scenario, seed=cfg.seed).run()
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    summary = write_run(model, cfg, out_dir)
    label = f"{scenario.region.name} under {scenario.rule.label} (seed {cfg.seed})"
    print(format_summary(summary, label))
    print(f"\nResults in {out_dir}/")
    for name, what in FILES.items():
        if (out_dir / name).exists():
            print(f"  {name:<20} {what}")


def main() -> None:
    """Entry point of the ``ijmond-sim`` console script."""
    run()
