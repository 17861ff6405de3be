"""What a discovery writes: the experiments, boxes and feature scores as CSV, two figures and the answer.

Every title and the answer name the region from its file (``region.name``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from omegaconf import DictConfig

from ijmond_sim.discovery.analysis import RuleDiscovery
from ijmond_sim.model.governance import rule_label
from ijmond_sim.palette import rule_style
from ijmond_sim.sweep.figures import save

SEQUENTIAL = "cividis"


def failure_text(failure: DictConfig) -> str:
    """The failure definition in words, e.g. ``completion rate below 0.5``."""
    side, value = ("below", failure.below) if failure.below is not None else ("above", failure.above)
    return f"{failure.outcome.replace('_', ' ')} {side} {value:g}"


def _label(name: str) -> str:
    return name.replace("_", " ")


def _number(x: float) -> str:
    return f"{x:.3g}"


def answer(region: str, results: Sequence[RuleDiscovery], cfg: DictConfig) -> str:
    """A short text answer: per rule, how often cooperation fails and in which box of the uncertainties."""
    lines = [
        f"Scenario discovery for {region}: under which uncertainties does cooperation fail "
        f"({failure_text(cfg.failure)})?",
        f"{cfg.samples} Latin-hypercube points x {cfg.replications} replications under each governance rule; "
        f"PRIM per rule, box of the highest coverage at density >= {cfg.prim.min_density:g}, "
        f"limits kept at quasi-p <= {cfg.prim.max_qp:g}.",
    ]
    for r in results:
        head = f"  {rule_label(r.rule)}: fails in {r.failures / r.points:.0%} of {r.points} points."
        if r.failures in (0, r.points):
            lines.append(head + " Nothing to tell apart: no box.")
            continue
        if not r.restrictions and r.failures / r.points >= cfg.prim.min_density:
            lines.append(head + f" The whole sampled range already has density >= {cfg.prim.min_density:g}:"
                                " failure is the rule, no box narrows it (ask where it succeeds instead).")
        elif not r.restrictions:
            lines.append(head + " No box with significant limits: failure is spread over the whole range.")
        else:
            limits = "; ".join(f"{_label(x.name)} {_number(x.low)} to {_number(x.high)} "
                               f"(of {_number(x.range_low)} to {_number(x.range_high)}, qp {x.qp:.2g})"
                               for x in r.restrictions)
            lines.append(head + f" Box (coverage {r.coverage:.0%}, density {r.density:.0%}, "
                                f"mass {r.mass:.0%}): {limits}.")
        top = ", ".join(f"{_label(name)} {score:.2f}" for name, score in r.scores.head(3).items())
        lines.append(f"    most influential (extra-trees feature scores): {top}")
    return "\n".join(lines) + "\n"


def boxes_table(results: Sequence[RuleDiscovery]) -> pd.DataFrame:
    """One row per rule and restriction: limits, sampled range, quasi-p-value and the box's statistics."""
    rows = [{"rule": r.rule, "uncertainty": x.name, "low": x.low, "high": x.high, "range_low": x.range_low,
             "range_high": x.range_high, "qp": x.qp, "coverage": r.coverage, "density": r.density,
             "mass": r.mass, "points": r.points, "failures": r.failures}
            for r in results for x in r.restrictions]
    return pd.DataFrame(rows, columns=["rule", "uncertainty", "low", "high", "range_low", "range_high", "qp",
                                       "coverage", "density", "mass", "points", "failures"])


def scores_table(results: Sequence[RuleDiscovery]) -> pd.DataFrame:
    """Feature scores: one row per uncertainty, one column per rule (rules without scores left out)."""
    scores = {r.rule: r.scores for r in results if r.scores is not None}
    return pd.DataFrame(scores).rename_axis("uncertainty")


def tradeoff_figure(region: str, results: Sequence[RuleDiscovery], failure: str) -> Figure:
    """PRIM's peeling trajectory per rule: coverage against density, coloured by restricted dimensions."""
    fig = Figure(figsize=(4.2 * len(results), 4.2), layout="constrained")
    axs = fig.subplots(1, len(results), squeeze=False)[0]
    norm = Normalize(0, max([int(r.trajectory["res_dim"].max()) for r in results
                             if r.trajectory is not None] or [1]))
    drawn = None
    for ax, r in zip(axs, results, strict=True):
        ax.set_title(rule_label(r.rule))
        ax.set_xlabel("coverage (share of failures in the box)")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        if r.trajectory is None:
            ax.text(0.5, 0.5, "no box: nothing to tell apart", ha="center", va="center")
            continue
        t = r.trajectory
        drawn = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap=SEQUENTIAL, norm=norm, s=22)
        chosen = t.loc[r.chosen]
        ax.scatter([chosen["coverage"]], [chosen["density"]], s=140, facecolors="none",
                   edgecolors=rule_style(r.rule).colour, linewidths=2, label="box chosen")
        ax.legend(loc="lower left", frameon=False)
    axs[0].set_ylabel("density (share of the box that fails)")
    if drawn is not None:
        fig.colorbar(drawn, ax=list(axs), label="restricted uncertainties")
    fig.suptitle(f"{region}: PRIM trade-off between coverage and density per governance rule ({failure})")
    return fig


def box_figure(region: str, results: Sequence[RuleDiscovery], failure: str, min_density: float) -> Figure:
    """Each rule's box: per restricted uncertainty its limits within the sampled range, with quasi-p."""
    rows = max([len(r.restrictions) for r in results] + [1])
    fig = Figure(figsize=(4.6 * len(results), 1.2 + 0.55 * rows), layout="constrained")
    axs = fig.subplots(1, len(results), squeeze=False)[0]
    for ax, r in zip(axs, results, strict=True):
        colour = rule_style(r.rule).colour
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(-0.7, rows - 0.3)
        ax.set_xticks([0, 1], ["low end\nof range", "high end\nof range"])
        if not r.restrictions:
            why = ("failure is the rule" if r.failures >= r.points * min_density
                   else "no significant box")
            ax.set_title(f"{rule_label(r.rule)}\n(fails in {r.failures / r.points:.0%}: {why})")
            ax.set_yticks([])
            continue
        ax.set_title(f"{rule_label(r.rule)}\ncoverage {r.coverage:.0%}, density {r.density:.0%}, "
                     f"mass {r.mass:.0%}")
        labels = []
        for k, x in enumerate(reversed(r.restrictions)):
            span = x.range_high - x.range_low
            lo, hi = (x.low - x.range_low) / span, (x.high - x.range_low) / span
            ax.barh(k, 1, left=0, height=0.5, color="#DDDDDD")
            ax.barh(k, hi - lo, left=lo, height=0.5, color=colour)
            ax.text(lo, k + 0.32, _number(x.low), ha="center", fontsize=8)
            ax.text(hi, k + 0.32, _number(x.high), ha="center", fontsize=8)
            labels.append(f"{_label(x.name)}\n(qp {x.qp:.2g})")
        ax.set_yticks(range(len(labels)), labels)
    fig.suptitle(f"{region}: where cooperation fails ({failure}), the box per governance rule")
    return fig


def write(out: Path, region: str, table: pd.DataFrame, failed: np.ndarray,
          results: Sequence[RuleDiscovery], cfg: DictConfig) -> dict[Path, str]:
    """Write the tables, the figures and ``answer.txt`` into ``out``; return each file with what it holds."""
    out = Path(out)
    failure = failure_text(cfg.failure)
    files = {}
    tables = {
        "experiments.csv": (table.assign(failed=failed), "one row per point and rule: uncertainties, "
                                                         "mean outcomes, failed"),
        "boxes.csv": (boxes_table(results), "the box per rule: limits, quasi-p-values, coverage, density"),
        "feature_scores.csv": (scores_table(results), "extra-trees feature score per uncertainty and rule"),
    }
    for name, (frame, what) in tables.items():
        frame.to_csv(out / name, index=name == "feature_scores.csv", float_format="%.17g")
        files[out / name] = what
    figures = (("tradeoff", tradeoff_figure(region, results, failure), "PRIM trade-off per rule"),
               ("boxes", box_figure(region, results, failure, cfg.prim.min_density), "the box per rule"))
    for name, fig, what in figures:
        for path in save(fig, out / "figures" / name):
            files[path] = what
    text = answer(region, results, cfg)
    (out / "answer.txt").write_text(text)
    files[out / "answer.txt"] = "the answer in a few lines"
    return files
