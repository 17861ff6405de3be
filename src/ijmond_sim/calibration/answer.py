"""The headline answer over the posterior: the headline sweep at each posterior draw, each rule's threshold.

For every draw of the calibrated parameters the headline sweep
(``experiment=governance_comparison``) runs once with the draw's values; its
per-draw ``summary.csv`` gives each governance rule's threshold, the lowest
initial trust from which half or more of the initiatives are completed at that
level and every higher one. ``answer.txt`` says per rule the threshold most
draws give, in how many draws, and the range over the draws, so the answer
carries the parameters' uncertainty besides the seeds'. This module reads only
the per-draw tables; the single sweep's answer stays with ``sweep.tables``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ijmond_sim.calibration.bands import Bands
from ijmond_sim.model.governance import rule_label

HALF = 0.5  # the headline's share of initiatives completed
EXPERIMENT = "governance_comparison"
TRUST, RULE = "trust.initial", "governance"


def swept_keys(experiment: str) -> set[str]:
    """The config keys an experiment file sweeps (``hydra.sweeper.params``)."""
    body = yaml.safe_load(files("ijmond_sim.conf.experiment").joinpath(f"{experiment}.yaml").read_text())
    return set(((body.get("hydra") or {}).get("sweeper") or {}).get("params") or {})


def draw_experiment(bands: Bands, values: dict[str, float], experiment: str = EXPERIMENT) -> str:
    """The YAML of an experiment that is ``experiment`` with one posterior draw's values.

    The draw's value of a key that the experiment sweeps (initial trust) is left
    out: the sweep's axis sets it. The values live in the file rather than on the
    command line, where they would become part of every point's folder name.
    """
    swept, body = swept_keys(experiment), {}
    for p in bands.parameters:
        for key in p.keys:
            if key not in swept:
                *path, last = key.split(".")
                node = body
                for part in path:
                    node = node.setdefault(part, {})
                node[last] = float(values[p.name])
    header = f"# @package _global_\n# {experiment} at one draw of the calibration's posterior\n"
    return header + yaml.safe_dump({"defaults": [experiment, "_self_"], **body}, sort_keys=False)


def sweep_command(folder: Path, conf: Path, name: str, extra: Sequence[str] = ()) -> list[str]:
    """The ``ijmond-sweep`` command that runs experiment ``name`` of ``conf/experiment/`` into ``folder``."""
    return [str(Path(sys.executable).with_name("ijmond-sweep")), f"experiment={name}",
            f"hydra.searchpath=[file://{Path(conf).resolve()}]", *extra,
            f"hydra.sweep.dir={Path(folder).resolve()}"]


def run_draws(bands: Bands, draws: Sequence[dict[str, float]], out: Path, extra: Sequence[str] = ()) -> None:
    """Run the headline sweep at every draw, into ``out/draw_<k>`` (a finished one is resumed, so skipped).

    Each draw's experiment file is written to ``out/conf/experiment/posterior_draw_<k>.yaml``.
    """
    conf = Path(out) / "conf"
    (conf / "experiment").mkdir(parents=True, exist_ok=True)
    for k, values in enumerate(draws):
        name = f"posterior_draw_{k}"
        (conf / "experiment" / f"{name}.yaml").write_text(draw_experiment(bands, values))
        subprocess.run(sweep_command(Path(out) / f"draw_{k}", conf, name, extra), check=True)


def threshold(points: pd.DataFrame) -> float:
    """The lowest initial trust from which half or more complete there and at every higher level (nan: none).

    Args:
        points: one rule's rows of a summary table (``trust.initial``, ``completion_rate``).
    """
    points = points.sort_values(TRUST)
    reached = (points["completion_rate"] >= HALF).to_numpy()
    if not reached[-1]:
        return float("nan")
    first = len(reached) - int(np.argmin(reached[::-1])) if not reached.all() else 0
    return float(points[TRUST].iloc[first])


def thresholds(tables: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """One row per draw and rule: the draw's number, the rule, its threshold."""
    return pd.DataFrame([{"draw": draw, RULE: rule, "threshold": threshold(points)}
                         for draw, table in tables.items()
                         for rule, points in table.groupby(RULE, sort=False)])


def _level(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x == x else "never"


def answer(found: pd.DataFrame) -> list[str]:
    """Per rule: the threshold most draws give, the share of draws that give it, the 5-95% range over draws.

    Args:
        found: the table of :func:`thresholds`.
    """
    lines = []
    for rule, group in found.groupby(RULE, sort=False):
        x = group["threshold"].to_numpy(dtype=float)
        reached = x[~np.isnan(x)]
        name = f"{rule_label(rule)}:"
        if not len(reached):
            lines.append(f"{name} less than half completed at any initial trust in all {len(x)} "
                         "posterior draws")
            continue
        levels, counts = np.unique(reached, return_counts=True)
        mode = levels[np.argmax(counts)]
        low, high = np.quantile(reached, [0.05, 0.95], method="inverted_cdf")
        never = f"; less than half at any trust in {np.isnan(x).mean():.0%}" if np.isnan(x).any() else ""
        lines.append(f"{name} half or more completed from initial trust {_level(mode)} on in "
                     f"{(x == mode).mean():.0%} of {len(x)} posterior draws; {_level(low)}-{_level(high)} "
                     f"over 90% of the draws{never}")
    return lines


def write(out: Path) -> Path:
    """Read every ``out/draw_<k>/summary.csv``; write ``thresholds.csv`` and ``answer.txt`` into ``out``."""
    tables = {int(p.parent.name.removeprefix("draw_")): pd.read_csv(p)
              for p in sorted(Path(out).glob("draw_*/summary.csv"))}
    found = thresholds(tables)
    found.to_csv(Path(out) / "thresholds.csv", index=False)
    path = Path(out) / "answer.txt"
    path.write_text("\n".join(answer(found)) + "\n")
    return path
