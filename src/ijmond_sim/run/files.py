"""Writes one run's results into its run directory, as CSV tables plus the resolved config.

CSV because every tool researchers use (R, Python, Excel, a text editor) reads
it directly and a ten-year run is small; floats are written at full precision,
so the same config and seed give byte-identical files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from ijmond_sim.run.measures import council_table, initiative_log, run_summary

if TYPE_CHECKING:
    from ijmond_sim.model import RegionModel

FILES = {
    "steps.csv": "measures per month (initiatives by state, mean trust, active councils)",
    "councils.csv": "measures per council per month (trust given and received, gains, overruled)",
    "initiatives.csv": "one row per initiative: opgave, initiator, participants, phase, outcome, why",
    "council_summary.csv": "one row per council at the end: who gains, overruled, withdrew, left",
    "trust.csv": "final trust matrix; row = truster, column = trustee",
    "summary.json": "the run's outcome measures",
    "config.yaml": "the resolved configuration, seed included",
}


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_run(model: RegionModel, cfg: DictConfig, out_dir: Path) -> dict[str, Any]:
    """Write every file in :data:`FILES` into ``out_dir``; return the run summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    councils = list(model.region.councils)
    if model.datacollector is not None:
        model.datacollector.get_model_vars_dataframe().to_csv(out_dir / "steps.csv", index=False)
        agents = model.datacollector.get_agent_vars_dataframe().reset_index()
        agents = agents.rename(columns={"Step": "month"}).drop(columns=["AgentID"])
        agents.to_csv(out_dir / "councils.csv", index=False)
    pd.DataFrame(initiative_log(model)).to_csv(out_dir / "initiatives.csv", index=False)
    pd.DataFrame(council_table(model)).to_csv(out_dir / "council_summary.csv", index=False)
    pd.DataFrame(model.trust, index=pd.Index(councils, name="truster"), columns=councils).to_csv(
        out_dir / "trust.csv"
    )
    summary = run_summary(model)
    (out_dir / "summary.json").write_text(
        json.dumps({k: _json_safe(v) for k, v in summary.items()}, indent=2) + "\n"
    )
    (out_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
    return summary
