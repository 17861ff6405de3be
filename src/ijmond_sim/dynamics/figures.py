"""Figures of a drift study: the drift of trust per rule, and its fixed points against each parameter.

The conventions of the sweep's figures (:mod:`ijmond_sim.sweep.figures`): one
colour, marker and line style per governance rule (:func:`ijmond_sim.palette.rule_style`),
95% bands, axes in words with their units, each figure as PDF and PNG. A
stable fixed point is a filled circle, an unstable one a hollow circle, each
with its interval; a flat stretch is a grey span (drift figure) or a bar
(bifurcation diagram).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ijmond_sim.dynamics.drift import FLAT, STABLE, crossings, point_words
from ijmond_sim.model.governance import rule_label
from ijmond_sim.palette import rule_style

TRUST_AXIS = "mean trust among the councils when it is set (0 = none, 1 = full)"
FLAT_GREY = "0.88"


def _point_marker(ax, kind: str, x: float, y: float, colour: str, error: tuple[float, float] | None,
                  vertical: bool) -> None:
    """A fixed point: filled (stable) or hollow (unstable), with its interval along trust."""
    if error is not None:
        low, high = error
        if vertical:
            ax.plot([x, x], [low, high], color=colour, linewidth=1.4, zorder=3)
        else:
            ax.plot([low, high], [y, y], color=colour, linewidth=3.0, alpha=0.6, zorder=3)
    ax.plot([x], [y], marker="o", markersize=8, color=colour, markeredgecolor="black", markeredgewidth=1.0,
            markerfacecolor=colour if kind == STABLE else "white", linestyle="none", zorder=4)


def _legend_handles(extra: Sequence[tuple[object, str]] = ()) -> tuple[list[object], list[str]]:
    """What the markers, bands and spans of the figures mean."""
    dot = {"marker": "o", "color": "0.3", "markeredgecolor": "black", "linestyle": "none", "markersize": 8}
    handles = [Line2D([], [], **dot), Line2D([], [], markerfacecolor="white", **dot),
               Patch(facecolor=FLAT_GREY, edgecolor="0.6")]
    labels = ["stable fixed point (trust moves towards it)", "unstable fixed point (trust moves away)",
              "flat: the drift's 95% interval holds zero"]
    return [*(h for h, _ in extra), *handles], [*(w for _, w in extra), *labels]


def _headline(rows: pd.DataFrame) -> str:
    """A rule's fixed points in a few words, for its panel's title."""
    return "; ".join(point_words(p) for p in rows.itertuples()) or "no fixed point"


def drift_figure(region: str, drift: pd.DataFrame, points: pd.DataFrame, horizon: int,
                 burn_in: int) -> Figure:
    """The drift of trust per rule: mean change over the horizon against trust, 95% band, fixed points.

    Args:
        region: the region's name, for the title.
        drift: the drift table at the defaults (:func:`ijmond_sim.dynamics.drift.drift_table`).
        points: its fixed points (:func:`ijmond_sim.dynamics.drift.fixed_point_table`).
        horizon: the months over which the change is measured.
        burn_in: the months run before trust is set.

    Returns:
        One panel per rule; arrows on the zero line show where trust rises or falls for sure.
    """
    rules = list(dict.fromkeys(drift["rule"]))
    cols = min(len(rules), 3)
    rows = -(-len(rules) // cols)
    fig = Figure(figsize=(4.6 * cols + 2.6, 3.9 * rows + 0.9), layout="constrained")
    axs = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    for ax in axs[len(rules):]:
        ax.set_visible(False)
    for ax, rule in zip(axs, rules, strict=False):
        colour, marker, line = rule_style(rule)
        curve = drift[drift["rule"] == rule].sort_values("trust_start")
        x = curve["trust_start"].to_numpy(dtype=float)
        mine = points[points["rule"] == rule]
        for p in mine[mine["kind"] == FLAT].itertuples():
            ax.axvspan(p.low, p.high, color=FLAT_GREY, zorder=0)
        ax.axhline(0.0, color="0.3", linewidth=1.0, zorder=1)
        ax.fill_between(x, curve["drift_low"], curve["drift_high"], color=colour, alpha=0.2, linewidth=0)
        ax.plot(x, curve["drift"], color=colour, marker=marker, linestyle=line, markersize=4.5, zorder=2)
        rising, falling = curve["drift_low"].to_numpy() > 0, curve["drift_high"].to_numpy() < 0
        ax.plot(x[rising], np.zeros(rising.sum()), marker=">", color="0.35", markersize=5, linestyle="none")
        ax.plot(x[falling], np.zeros(falling.sum()), marker="<", color="0.35", markersize=5, linestyle="none")
        means = [where for where, _ in crossings(x, curve["drift"].to_numpy(dtype=float))]
        ax.plot(means, np.zeros(len(means)), "x", color="0.15", markersize=7, linestyle="none", zorder=4)
        for p in mine[mine["kind"] != FLAT].itertuples():
            _point_marker(ax, p.kind, p.trust, 0.0, colour, (p.low, p.high), vertical=False)
        ax.set_title(f"{rule_label(rule)}\n{_headline(mine)}", fontsize="medium")
        ax.set_xlim(-0.02, 1.02)
        ax.grid(alpha=0.3)
    for ax in axs[::cols]:
        ax.set_ylabel(f"change of mean trust\nover the next {horizon} months")
    fig.supxlabel(TRUST_AXIS)
    start = f"after a {burn_in}-month burn-in" if burn_in else "from a cold start (month 0)"
    fig.suptitle(f"{region}: the drift of trust {start}, mean and 95% band over runs")
    handles, labels = _legend_handles([
        (Line2D([], [], color="0.3", marker="o", markersize=4.5), "mean change (line per rule)"),
        (Patch(facecolor="0.55", alpha=0.3), "95% confidence band"),
        (Line2D([], [], marker=">", color="0.35", linestyle="none"), "trust rises for sure (< falls)"),
        (Line2D([], [], marker="x", color="0.15", linestyle="none"), "the mean crosses zero"),
    ])
    fig.legend(handles, labels, loc="outside right upper", frameon=False, fontsize="small")
    return fig


def _edge_mark(ax, curve: pd.DataFrame, value: float, colour: str) -> None:
    """No fixed point: a triangle at the top if trust rises everywhere, at the bottom if it falls."""
    if (curve["drift"] > 0).all():
        ax.plot([value], [1.0], marker="^", color=colour, markersize=7, linestyle="none", alpha=0.7)
    elif (curve["drift"] < 0).all():
        ax.plot([value], [0.0], marker="v", color=colour, markersize=7, linestyle="none", alpha=0.7)


def bifurcation_figure(region: str, drift: pd.DataFrame, points: pd.DataFrame, keys: Mapping[str, str],
                       defaults: Mapping[tuple[str, str], float]) -> Figure:
    """Fixed points of trust against each swept parameter: a row per rule, a column per parameter.

    Args:
        region: the region's name, for the title.
        drift: the drift table of the sweeps.
        points: their fixed points.
        keys: the swept parameters, in order, each with the words of its axis.
        defaults: each ``(rule, key)``'s default value, marked with a dotted line.

    Returns:
        The figure; a value without a fixed point shows a triangle at the top (trust
        rises everywhere) or bottom (falls everywhere).
    """
    rules = list(dict.fromkeys(drift["rule"]))
    fig = Figure(figsize=(max(3.6 * len(keys), 9.0), 2.9 * len(rules) + 1.6), layout="constrained")
    axs = fig.subplots(len(rules), len(keys), sharey=True, squeeze=False)
    for r, rule in enumerate(rules):
        colour = rule_style(rule).colour
        for c, key in enumerate(keys):
            ax = axs[r, c]
            mine = points[(points["rule"] == rule) & (points["parameter"] == key)]
            for value, curve in drift[(drift["rule"] == rule) & (drift["parameter"] == key)].groupby("value"):
                if not (mine["value"] == value).any():
                    _edge_mark(ax, curve, value, colour)
            for p in mine.itertuples():
                if p.kind == FLAT:
                    ax.plot([p.value, p.value], [p.low, p.high], color=colour, alpha=0.35, linewidth=7,
                            solid_capstyle="butt")
                else:
                    _point_marker(ax, p.kind, p.value, p.trust, colour, (p.low, p.high), vertical=True)
            if (rule, key) in defaults:
                ax.axvline(defaults[rule, key], color="0.45", linestyle=":", linewidth=1.2)
            ax.set_ylim(-0.04, 1.04)
            ax.grid(alpha=0.3)
            if r == 0:
                ax.set_title(key, fontsize="medium")
            if r == len(rules) - 1:
                ax.set_xlabel(keys[key], fontsize="small")
        axs[r, 0].set_ylabel(f"{rule_label(rule)}\ntrust at the fixed point")
    handles, labels = _legend_handles([
        (Line2D([], [], color="0.45", linestyle=":"), "the parameter's default"),
        (Line2D([], [], marker="^", color="0.35", linestyle="none"), "none: trust rises everywhere"),
        (Line2D([], [], marker="v", color="0.35", linestyle="none"), "none: trust falls everywhere"),
    ])
    fig.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False, fontsize="small")
    fig.suptitle(f"{region}: fixed points of trust against each parameter (bars: 95% interval)")
    return fig


def links_figure(region: str, defaults: pd.DataFrame, knocked: pd.DataFrame, horizon: int) -> Figure:
    """The drift at the defaults beside the drift with each link of the loop switched off, a panel per rule.

    Args:
        region: the region's name, for the title.
        defaults: the drift table at the defaults.
        knocked: the drift table of the knockouts (``parameter`` names the knockout).
        horizon: the months over which the change is measured.

    Returns:
        One panel per rule: the defaults as a thick black line with its band, each knockout a thin line.
    """
    rules = list(dict.fromkeys(defaults["rule"]))
    names = list(dict.fromkeys(knocked["parameter"]))
    colours = [tuple(c) for c in colormaps["tab10"](np.linspace(0, 1, 10))]
    fig = Figure(figsize=(4.6 * len(rules) + 3.2, 4.4), layout="constrained")
    axs = fig.subplots(1, len(rules), sharey=True, squeeze=False).ravel()
    for ax, rule in zip(axs, rules, strict=True):
        base = defaults[defaults["rule"] == rule].sort_values("trust_start")
        ax.axhline(0.0, color="0.3", linewidth=1.0)
        ax.fill_between(base["trust_start"], base["drift_low"], base["drift_high"], color="0.6", alpha=0.3,
                        linewidth=0)
        ax.plot(base["trust_start"], base["drift"], color="black", linewidth=2.4, label="every link on")
        for i, name in enumerate(names):
            curve = knocked[(knocked["rule"] == rule) & (knocked["parameter"] == name)].sort_values("level")
            ax.plot(curve["trust_start"], curve["drift"], color=colours[i % len(colours)], linewidth=1.3,
                    linestyle=("-", "--", ":", "-.")[i // len(colours) % 4], label=f"off: {name}")
        ax.set_title(rule_label(rule), fontsize="medium")
        ax.set_xlim(-0.02, 1.02)
        ax.grid(alpha=0.3)
    axs[0].set_ylabel(f"change of mean trust\nover the next {horizon} months")
    fig.supxlabel(TRUST_AXIS)
    fig.suptitle(f"{region}: the drift of trust with each link of the loop switched off (knockouts)")
    handles, labels = axs[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", frameon=False, fontsize="small")
    return fig
