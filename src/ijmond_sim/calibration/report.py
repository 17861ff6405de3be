"""Writes the calibration report (``REPORT.md``) and the table of every parameter set (``sets.csv``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ijmond_sim.calibration.bands import Bands
from ijmond_sim.calibration.search import Box, SetResult


def sets_table(bands: Bands, results: Sequence[SetResult]) -> pd.DataFrame:
    """One row per set: its number and stage, parameter values, statistics, bands missed, verdict."""
    return pd.DataFrame([{"set": r.index, "stage": r.stage, **r.values, **r.statistics, "misses": r.misses,
                          "accepted": r.accepted} for r in results])


def _number(x: float) -> str:
    return "n/a" if x != x else f"{x:.3g}"


def spread(bands: Bands, accepted: Sequence[SetResult]) -> list[str]:
    """Markdown rows: per parameter, the range searched and the accepted sets' spread."""
    rows = ["| parameter | searched | accepted: min | 5% | median | 95% | max |",
            "|---|---|---|---|---|---|---|"]
    for p in bands.parameters:
        x = np.array([r.values[p.name] for r in accepted])
        q = np.quantile(x, [0, 0.05, 0.5, 0.95, 1]) if len(x) else [np.nan] * 5
        rows.append(f"| `{p.name}` | {p.low:g}-{p.high:g} | " + " | ".join(_number(v) for v in q) + " |")
    return rows


def write(out: Path, bands: Bands, provenance: dict[str, str], results: Sequence[SetResult],
          chosen: SetResult | None, defaults: SetResult, box: Box | None = None) -> Path:
    """Write ``REPORT.md`` and ``sets.csv`` into ``out``; return the report's path."""
    out.mkdir(parents=True, exist_ok=True)
    sets_table(bands, results).to_csv(out / "sets.csv", index=False)
    accepted = [r for r in results if r.accepted]
    lines = [
        "# Calibration report",
        "",
        f"Written by `{provenance['command']}` at {provenance['finished']} on commit {provenance['commit']}.",
        f"The bands ({bands.path.name}) were committed in {provenance['bands_commit']} "
        f"({provenance['bands_date']}), before this run; the command refuses to run while that file has "
        "uncommitted changes.",
        "",
        "Pattern-oriented modelling (Grimm et al. 2005): every parameter set of a Latin hypercube over the "
        "uncertain parameters is run under the 2013 status quo "
        f"({', '.join(bands.scenario) or 'the defaults'}), each with the same seeds, and accepted only if "
        "it reproduces every pattern of the report at once.",
        "",
        f"- design: stage 1, {provenance['sets']} sets over the whole ranges; stage 2, "
        f"{provenance['refine_sets']} sets over the box around the stage-1 sets that missed at most one "
        f"band (padded by a tenth of each range); {provenance['replications']} runs of ten years per set, "
        f"the same seeds for every set (base seed {provenance['base_seed']}); {provenance['seconds']} s on "
        "a shared machine",
        f"- accepted: **{len(accepted)} of {len(results)} sets** "
        f"({sum(r.accepted for r in results if r.stage == 1)} in stage 1, "
        f"{sum(r.accepted for r in results if r.stage == 2)} in stage 2)",
        "- sets by bands missed: " + ", ".join(
            f"{k} missed {n}" for k, n in sorted(Counter(r.misses for r in results).items())),
        "",
        "The stage-2 box depends on the stage-1 results, so the accepted sets' spread is a spread "
        "within that box, not a posterior over the whole ranges.",
        "",
        "## Patterns and their bands",
        "",
        "| pattern | statistic | band | sets inside the band | why |",
        "|---|---|---|---|---|",
    ]
    for p in bands.patterns:
        inside = sum(p.holds(r.statistics[p.name]) for r in results)
        lines.append(f"| {p.name} | `{p.statistic}` | {p.low:g}-{p.high:g} | {inside} of {len(results)} "
                     f"| {p.why} |")
    if box is not None:
        lines += ["", "## The stage-2 box", "", "| parameter | whole range | stage 2 |", "|---|---|---|"]
        lines += [f"| `{p.name}` | {p.low:g}-{p.high:g} | {lo:.3g}-{hi:.3g} |"
                  for p, lo, hi in zip(bands.parameters, *box, strict=True)]
    lines += ["", "## The accepted sets' spread", "", *spread(bands, accepted), ""]
    lines += ["A narrow spread (compared with the range searched) means the patterns pin the parameter "
              "down; a spread as wide as the range means the patterns say little about it.", ""]
    if accepted:
        names = [p.name for p in bands.parameters]
        lines += ["## Every accepted set", "", "| set | " + " | ".join(names) + " |",
                  "|---|" + "---|" * len(names)]
        lines += [f"| {r.index} | " + " | ".join(_number(r.values[n]) for n in names) + " |"
                  for r in accepted]
        lines.append("")
    lines += ["## The defaults", ""]
    if chosen is not None:
        lines += [
            "The defaults in `conf/` are the **medoid** of the accepted sets: the accepted set with the "
            "smallest sum of distances to all other accepted sets, each parameter scaled to its range "
            f"(set {chosen.index}), rounded to two significant digits:", "",
            "| parameter | value | keys |", "|---|---|---|",
            *[f"| `{p.name}` | {float(f'{chosen.values[p.name]:.2g}'):g} | {', '.join(p.keys)} |"
              for p in bands.parameters], ""]
    else:
        lines += ["No set was accepted, so no default is a calibrated choice.", ""]
    verdict = "every pattern holds" if defaults.accepted else "NOT every pattern holds"
    lines += [f"The current defaults, checked with {provenance['check_replications']} fresh runs: {verdict}.",
              "", "| pattern | band | value | holds |", "|---|---|---|---|"]
    lines += [f"| {p.name} | {p.low:g}-{p.high:g} | {_number(defaults.statistics[p.name])} | "
              f"{'yes' if p.holds(defaults.statistics[p.name]) else 'no'} |" for p in bands.patterns]
    lines += ["", "`sets.csv` holds every set: its parameter values, statistics and verdict.", "",
              "Grimm, V. et al. (2005). Pattern-oriented modeling of agent-based complex systems. "
              "*Science* 310, 987-991.", ""]
    path = out / "REPORT.md"
    path.write_text("\n".join(lines))
    return path
