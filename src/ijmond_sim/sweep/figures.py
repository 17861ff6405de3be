"""Figures of a sweep, fit for a paper: outcomes with confidence bands, trust over time, the trust network.

One colour per governance rule from the colour-blind-safe palette of Okabe
and Ito (2008), with its own marker and line style so a figure also reads in
grey; axes labelled with their units; every figure as PDF (vector, for the
paper) and PNG (to look at). Figures are drawn from the sweep's tables only.

Layout: lines and bands per governance rule; the last other scenario axis on
the horizontal axis (initial trust in the headline experiment); one panel per
value of any further axis.

matplotlib is imported when the first figure is drawn, not with this module, so
that a sweep's own process, which leaves the figures to a process of their own
(:mod:`ijmond_sim.sweep.drawer`), never pays for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ijmond_sim.model.governance import rule_label
from ijmond_sim.palette import TRUST_COLOURS, rule_style
from ijmond_sim.run.measures import names_of
from ijmond_sim.sweep.intervals import mean_ci

if TYPE_CHECKING:
    from matplotlib.figure import Figure

AXIS_LABELS = {
    "trust.initial": "initial trust between the councils (0 = none, 1 = full)",
    "trust.fall_ratio": "speed of trust's fall relative to its rise (ratio)",
    "trust.gain": "rise of trust after a joint success (share of the distance to 1)",
    "decision.noise": "scale of a council's political mood (decision noise)",
    "years": "simulated years",
}
OUTSIDE_OPTION = re.compile(r"region\.councils\.(?P<council>\w+)\.outside_option")
PAIR = re.compile(r"trust_end_(?P<truster>.+)_in_(?P<trustee>.+)")
TRUST_YEAR = re.compile(r"mean_trust_year_(?P<year>\d+)")


def axis_label(key: str) -> str:
    """Words and unit for a scenario axis (the key itself if it has none)."""
    if key in AXIS_LABELS:
        return AXIS_LABELS[key]
    match = OUTSIDE_OPTION.fullmatch(key)
    if match:
        return f"attractiveness of {match['council']}'s outside option (0 = none, 1 = full)"
    return key


def short_label(key: str) -> str:
    """A scenario axis in a few words, for panel titles."""
    match = OUTSIDE_OPTION.fullmatch(key)
    if match:
        return f"{match['council']}'s outside option"
    return {"trust.initial": "initial trust", "trust.fall_ratio": "fall/rise ratio"}.get(key, key)


def layout(axes: Sequence[str]) -> tuple[str | None, str | None, list[str]]:
    """Which axis colours the lines, which is horizontal, which split into panels.

    Returns:
        ``(hue, x, facets)``: ``governance`` (if swept) colours the lines, the last
        other axis is horizontal, any further axes give one panel per value.
    """
    hue = "governance" if "governance" in axes else None
    others = [a for a in axes if a != hue]
    return hue, (others[-1] if others else None), others[:-1]


def _panels(table: pd.DataFrame, facets: Sequence[str]) -> list[tuple[str, pd.DataFrame]]:
    """``(title, rows)`` per combination of facet values, in order of appearance."""
    if not facets:
        return [("", table)]
    return [(", ".join(f"{short_label(f)} = {v:g}" if isinstance(v, float) else f"{short_label(f)} = {v}"
                       for f, v in zip(facets, values if isinstance(values, tuple) else (values,),
                                       strict=True)), rows)
            for values, rows in table.groupby(list(facets), sort=True)]


def _grid(n: int) -> tuple[Figure, list[Any]]:
    """A figure of ``n`` panels, up to three a row, wide enough for the legend below them."""
    from matplotlib.figure import Figure

    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(max(4.2 * cols, 7.0), 3.6 * rows + 1.0), layout="constrained")
    axs = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel().tolist()
    for ax in axs[n:]:
        ax.set_visible(False)
    return fig, axs[:n]


def _rules(table: pd.DataFrame, hue: str | None) -> list[tuple[str, pd.DataFrame]]:
    if hue is None:
        return [("", table)]
    return list(table.groupby(hue, sort=False))


def _legend(fig: Figure, axs: Sequence[Any], hue: str | None) -> None:
    """The rules' lines, and what the lines and bands are, to the right of the panels."""
    from matplotlib.patches import Patch

    handles, labels = axs[0].get_legend_handles_labels()
    handles.append(Patch(facecolor="0.55", alpha=0.3, linewidth=0))
    labels.append("95% confidence band")
    fig.legend(handles, labels, title="governance rule" if hue else "mean over replications",
               loc="outside right upper", frameon=False)


def outcome_figure(summary: pd.DataFrame, axes: Sequence[str], measure: str, ylabel: str,
                   title: str, reference: tuple[float, str] | None = None) -> Figure:
    """A measure of the summary table against the horizontal axis, with its 95% band, per rule.

    Args:
        summary: the summary table (``measure``, ``measure_low``, ``measure_high`` columns).
        axes: the scenario axes.
        measure: a share (0 to 1), drawn in percent.
        ylabel: the vertical axis's label.
        title: the figure's title.
        reference: a level to mark with a dotted line, and its words.

    Returns:
        The figure.
    """
    from matplotlib.ticker import PercentFormatter

    hue, x, facets = layout(axes)
    panels = _panels(summary, facets)
    fig, axs = _grid(len(panels))
    for ax, (panel_title, rows) in zip(axs, panels, strict=True):
        for rule, group in _rules(rows, hue):
            colour, marker, line = rule_style(rule)
            group = group.sort_values(x) if x else group
            xs = group[x].to_numpy() if x else np.arange(len(group))
            ax.fill_between(xs, group[f"{measure}_low"], group[f"{measure}_high"], color=colour,
                            alpha=0.15, linewidth=0)
            ax.plot(xs, group[measure], color=colour, marker=marker, linestyle=line, markersize=4.5,
                    label=rule_label(rule) if hue else None)
        if reference is not None:
            ax.axhline(reference[0], color="0.45", linestyle=":", linewidth=1.2, zorder=0)
            ax.annotate(reference[1], (0.01, reference[0]), xycoords=("axes fraction", "data"),
                        xytext=(0, 3), textcoords="offset points", fontsize="small", color="0.35")
        ax.set_title(panel_title, fontsize="medium")
        ax.set_ylim(-0.02, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.grid(alpha=0.3)
    axs[0].set_ylabel(ylabel)
    fig.supxlabel(axis_label(x) if x else "")
    fig.suptitle(title)
    _legend(fig, axs, hue)
    return fig


def _levels(values: Sequence[Any], n: int = 3) -> list[Any]:
    """Up to ``n`` representative levels of a sorted axis: near its 20%, 50% and 80% points."""
    values = list(values)
    if len(values) <= n:
        return values
    picks = [round(q * (len(values) - 1)) for q in np.linspace(0.2, 0.8, n)]
    return [values[i] for i in dict.fromkeys(picks)]


def _middle(table: pd.DataFrame, facets: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """The rows at the middle value of each facet axis, and words saying so."""
    words = []
    for facet in facets:
        values = sorted(table[facet].unique())
        value = values[len(values) // 2]
        table = table[table[facet] == value]
        words.append(f"{short_label(facet)} = {value:g}" if isinstance(value, float)
                     else f"{short_label(facet)} = {value}")
    return table, ", ".join(words)


def trust_over_time(runs: pd.DataFrame, axes: Sequence[str], region: str = "") -> Figure:
    """Mean trust at the end of each year, per rule, in a panel per representative level of the x axis.

    Args:
        runs: the tidy table of runs (``mean_trust_year_<y>`` columns).
        axes: the scenario axes.
        region: the region's name, for the title.

    Returns:
        The figure.
    """
    hue, x, facets = layout(axes)
    runs, fixed = _middle(runs, facets)
    years = sorted((int(m["year"]), c) for c in runs.columns if (m := TRUST_YEAR.fullmatch(c)))
    levels = _levels(sorted(runs[x].unique())) if x else [None]
    fig, axs = _grid(len(levels))
    for ax, level in zip(axs, levels, strict=True):
        rows = runs if level is None else runs[runs[x] == level]
        for rule, group in _rules(rows, hue):
            colour, marker, line = rule_style(rule)
            stats = np.array([mean_ci(group[column].to_numpy(dtype=float)) for _, column in years])
            ts = [y for y, _ in years]
            ax.fill_between(ts, stats[:, 1], stats[:, 2], color=colour, alpha=0.15, linewidth=0)
            ax.plot(ts, stats[:, 0], color=colour, marker=marker, linestyle=line, markersize=4,
                    label=rule_label(rule) if hue else None)
        if level is not None:
            ax.set_title(f"{short_label(x)} = {level:g}" if isinstance(level, float)
                         else f"{short_label(x)} = {level}", fontsize="medium")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
    axs[0].set_ylabel("mean trust between the councils\n(0 = none, 1 = full)")
    fig.supxlabel("years since the start")
    fig.suptitle(_titled(region, "Trust over time" + (f" ({fixed})" if fixed else "")))
    _legend(fig, axs, hue)
    return fig


def typical_run(rows: pd.DataFrame) -> pd.Series:
    """The run whose final mean trust is nearest its scenario point's median (lowest replication on ties)."""
    distance = (rows["mean_trust_end"] - rows["mean_trust_end"].median()).abs()
    return rows.assign(_distance=distance).sort_values(["_distance", "replication"]).iloc[0]


def trust_matrix(run: pd.Series) -> tuple[list[str], np.ndarray]:
    """Council names and the final trust matrix of one run, from its ``trust_end_<a>_in_<b>`` columns."""
    pairs = [(m["truster"], m["trustee"], run[c]) for c in run.index if (m := PAIR.fullmatch(str(c)))]
    names = list(dict.fromkeys(name for a, b, _ in pairs for name in (a, b)))
    matrix = np.eye(len(names))
    for a, b, value in pairs:
        matrix[names.index(a), names.index(b)] = value
    return names, matrix


def _draw_network(ax: Any, run: pd.Series) -> None:
    """The final trust network of one run, with the dashboard's painter (:mod:`ijmond_sim.drawing`)."""
    from ijmond_sim.drawing import draw_trust_network

    names, matrix = trust_matrix(run)
    away = set(names_of(run.get("turned_away")))
    draw_trust_network(ax, names, matrix, [n not in away for n in names], numbers=False)


def trust_network(runs: pd.DataFrame, axes: Sequence[str], region: str = "") -> Figure:
    """The final trust network of a typical run per rule, at the middle level of every other axis.

    Args:
        runs: the tidy table of runs (``trust_end_<a>_in_<b>`` columns).
        axes: the scenario axes.
        region: the region's name, for the title.

    Returns:
        The figure: one network per rule; arrow ``A -> B`` is A's trust in B,
        its width and colour the level of trust.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    hue, x, facets = layout(axes)
    runs, fixed = _middle(runs, [*facets, x] if x else facets)
    groups = _rules(runs, hue)
    fig = Figure(figsize=(4.0 * len(groups) + 1.2, 4.6), layout="constrained")
    axs = fig.subplots(1, len(groups), squeeze=False).ravel()
    norm = Normalize(0.0, 1.0)
    for ax, (rule, rows) in zip(axs, groups, strict=True):
        run = typical_run(rows)
        _draw_network(ax, run)
        ax.set_title(f"{rule_label(rule)}\nreplication {int(run['replication'])}, "
                     f"mean trust {run['mean_trust_end']:.2f}", fontsize="medium")
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=TRUST_COLOURS), ax=axs.tolist(), shrink=0.8,
                       pad=0.02)
    bar.set_label("trust of arrow's source in its target (0 = none, 1 = full)")
    fig.suptitle(_titled(region, "Trust network at the end of a typical run"
                         + (f" ({fixed})" if fixed else "")))
    fig.text(0.01, 0.01, "Typical run: final mean trust closest to the median of its scenario. "
                         "Arrow width and colour: trust.", fontsize="small", color="0.35")
    return fig


FIGURES = ("completion_rate", "trust_over_time", "trust_network", "turned_away")
FORMATS = (".pdf", ".png")


def drawn_files(folder: Path) -> list[Path]:
    """Every file :func:`draw_all` may write into ``folder``."""
    return [Path(folder) / f"{name}{suffix}" for name in FIGURES for suffix in FORMATS]


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``fig`` as ``stem.pdf`` and ``stem.png``; return the paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(suffix) for suffix in FORMATS]
    fig.savefig(paths[0], metadata={"CreationDate": None})
    fig.savefig(paths[1], dpi=200)
    return paths


def _titled(region: str, title: str) -> str:
    """A figure's title, led by the region's name."""
    return f"{region}: {title}" if region else title


def draw_all(runs: pd.DataFrame, summary: pd.DataFrame, axes: Sequence[str], folder: Path,
             threshold: float = 0.5, region: str = "") -> dict[Path, str]:
    """Draw every figure of a sweep into ``folder``.

    Args:
        runs: the tidy table of runs.
        summary: the summary table.
        axes: the scenario axes.
        folder: where the figures go.
        threshold: the completion rate the headline answer asks about, marked in the figure.
        region: the region's name (from its file), leading every title.

    Returns:
        Each file written, with what it shows.
    """
    hue, x, _ = layout(axes)
    against = short_label(x) if x else "governance rule"
    lines = "one line and 95% band per rule" if hue else "with its 95% band"
    reference = (threshold, f"{threshold:.0%} of the initiatives completed")
    figures = {
        "completion_rate": (outcome_figure(summary, axes, "completion_rate",
                                           "initiatives completed (% of those started)",
                                           _titled(region, f"Initiatives completed, by {against}"),
                                           reference),
                            f"completion rate against {against}, {lines}"),
        "trust_over_time": (trust_over_time(runs, axes, region), "mean trust year by year, per rule"),
        "trust_network": (trust_network(runs, axes, region), "final trust network of a typical run per rule"),
    }
    if summary["turned_away_share"].gt(0).any():
        figures["turned_away"] = (
            outcome_figure(summary, axes, "turned_away_share", "runs in which a council turned away (%)",
                           _titled(region, f"A council turned away, by {against}")),
            f"share of runs in which a council turned away, against {against}")
    files = {}
    for name, (fig, what) in figures.items():
        for path in save(fig, Path(folder) / name):
            files[path] = what + f" ({path.suffix[1:].upper()})"
    return files
