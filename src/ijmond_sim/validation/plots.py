"""The validation report's figures: one function per figure, Okabe-Ito colours, written as PNG."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ijmond_sim.palette import OKABE_ITO, rule_style  # noqa: E402

# The sweep figures' colour-blind-safe palette (Okabe & Ito 2008), so every figure of the project agrees.
VERMILLION, BLUE, GREEN, ORANGE, SKY_BLUE, PURPLE, YELLOW, BLACK = OKABE_ITO
SERIES = OKABE_ITO
DPI = 110


def _save(fig: plt.Figure, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path.name


def trust_trajectories(path: Path, months: np.ndarray, trust: np.ndarray, stranded: np.ndarray,
                       label: str) -> str:
    """Mean trust per month (runs as rows) with its 95% band, beside cumulative strandings."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    colour = rule_style("optional").colour
    for run in trust[:20]:
        a.plot(months, run, color=colour, alpha=0.15, lw=0.8)
    mean = trust.mean(axis=0)
    half = 1.96 * trust.std(axis=0, ddof=1) / np.sqrt(len(trust))
    a.plot(months, mean, color="black", lw=2, label=f"mean of {len(trust)} runs")
    a.fill_between(months, mean - half, mean + half, color="black", alpha=0.25, label="95% CI of the mean")
    a.set(xlabel="month", ylabel="mean trust between councils", ylim=(0, 1), title=f"Trust, {label}")
    a.legend(loc="upper right", fontsize=8)
    b.plot(months, stranded.mean(axis=0), color=colour, lw=2, label="stranded (mean)")
    b.set(xlabel="month", ylabel="initiatives stranded so far", title="Strandings")
    b.legend(loc="upper left", fontsize=8)
    return _save(fig, path)


def circles(path: Path, levels: np.ndarray, share: Mapping[str, np.ndarray], low: Mapping[str, np.ndarray],
            high: Mapping[str, np.ndarray], start: Mapping[str, np.ndarray], end: Mapping[str, np.ndarray],
            tipping: Mapping[str, float]) -> str:
    """Share of runs whose trust rose against initial trust, per rule, and final against initial trust."""
    rules = list(share)
    fig, axes = plt.subplots(1, 1 + len(rules), figsize=(4 + 3.3 * len(rules), 3.8))
    a = axes[0]
    for rule in rules:
        c, marker, line = rule_style(rule)
        a.plot(levels, share[rule], marker=marker, ls=line, color=c, label=rule, ms=3)
        a.fill_between(levels, low[rule], high[rule], color=c, alpha=0.15)
        if np.isfinite(tipping[rule]):
            a.axvline(tipping[rule], color=c, ls="--", lw=1)
    a.axhline(0.5, color="grey", lw=0.8)
    a.set(xlabel="initial trust (trust.initial)", ylabel="share of runs whose trust rose",
          ylim=(-0.02, 1.02), title="Virtuous share (dashed: tipping point)")
    a.legend(fontsize=8)
    for ax, rule in zip(axes[1:], rules, strict=True):
        rose = end[rule] > start[rule]
        ax.scatter(start[rule][~rose], end[rule][~rose], s=5, alpha=0.4,
                   color=VERMILLION, label="trust fell (vicious)")
        ax.scatter(start[rule][rose], end[rule][rose], s=5, alpha=0.4,
                   color=BLUE, label="trust rose (virtuous)")
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8)
        ax.set(xlabel="mean trust at the start", ylabel="mean trust at the end", xlim=(0, 1), ylim=(0, 1),
               title=rule)
        ax.legend(fontsize=7, loc="upper left", markerscale=2)
    return _save(fig, path)


def decision_times(path: Path, sizes: Sequence[int], arms: Mapping[str, tuple[np.ndarray, ...]]) -> str:
    """Mean months from proposal to decision against the number of councils, with 95% CIs, per arm."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for (arm, (mean, lo, hi)), colour in zip(arms.items(), SERIES, strict=False):
        x = np.asarray(sizes, dtype=float)
        ax.errorbar(x, mean, yerr=[mean - lo, hi - mean], fmt="o-", color=colour, capsize=3, label=arm)
    ax.set(xlabel="councils whose approval is needed", ylabel="months from proposal to decision",
           xticks=list(sizes), title="Time to decision")
    ax.legend(fontsize=8)
    return _save(fig, path)


def ordering(path: Path, trust: np.ndarray, means: Mapping[str, np.ndarray], holds: np.ndarray) -> str:
    """Differences of completion between the rules at each sampled parameter point."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    pairs = [("mayoral", "optional"), ("binding", "mayoral")]
    for ax, (hi, lo) in zip(axes, pairs, strict=True):
        diff = means[hi] - means[lo]
        ax.scatter(trust[holds], diff[holds], s=9, color=BLUE, label="ordering holds")
        ax.scatter(trust[~holds], diff[~holds], s=9, color=VERMILLION, marker="x",
                   label="ordering fails")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(xlabel="initial trust (trust.initial) of the sampled point",
               ylabel=f"completion rate: {hi} minus {lo}", title=f"{hi} vs {lo}")
        ax.legend(fontsize=8)
    return _save(fig, path)


def banzhaf(path: Path, quotas: np.ndarray, power: np.ndarray, names: Sequence[str],
            threefold: Sequence[tuple[float, float]]) -> str:
    """Banzhaf power of each council against the quota of a population-weighted vote."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for a, b in threefold:
        ax.axvspan(a, b, color=YELLOW, alpha=0.6, lw=0)
    styles = ["-", "--", "-.", ":"]
    for k, (name, colour) in enumerate(zip(names, SERIES, strict=False)):
        ax.step(quotas, power[:, k], where="pre", color=colour, label=name, lw=2, ls=styles[k % len(styles)])
    ax.set(xlabel="quota (share of residents needed to carry)", ylabel="normalised Banzhaf power",
           xlim=(0.49, 1), ylim=(0, 1))
    ax.set_title("Power in a population-weighted vote (yellow: the largest has 3x each other's)", fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, path)


def morris(path: Path, names: Sequence[str], mu_star: Mapping[str, np.ndarray],
           conf: Mapping[str, np.ndarray], important: Sequence[bool], labels: Mapping[str, str]) -> str:
    """Morris mu* with its confidence bar per factor, one panel per output; important factors dark."""
    fig, axes = plt.subplots(1, len(mu_star), figsize=(6 * len(mu_star), 0.4 * len(names) + 2))
    y = np.arange(len(names))
    colours = [BLUE if keep else SKY_BLUE for keep in important]
    for ax, out in zip(np.atleast_1d(axes), mu_star, strict=True):
        ax.barh(y, mu_star[out], xerr=conf[out], color=colours)
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        ax.set(xlabel="mu* (mean |elementary effect|)", title=f"Morris screening: {labels[out]}")
    fig.suptitle("dark: the factors that go on to the Sobol stage", fontsize=9)
    return _save(fig, path)


def sobol(path: Path, names: Sequence[str], s1: Mapping[str, np.ndarray], s1_conf: Mapping[str, np.ndarray],
          st: Mapping[str, np.ndarray], st_conf: Mapping[str, np.ndarray], labels: Mapping[str, str]) -> str:
    """First-order and total Sobol indices with confidence bars, one panel per output."""
    fig, axes = plt.subplots(1, len(s1), figsize=(6 * len(s1), 0.5 * len(names) + 2.5))
    y = np.arange(len(names))
    for ax, out in zip(np.atleast_1d(axes), s1, strict=True):
        ax.barh(y - 0.2, s1[out], 0.4, xerr=s1_conf[out], color=SKY_BLUE,
                label="S1 (first order)")
        ax.barh(y + 0.2, st[out], 0.4, xerr=st_conf[out], color=BLUE, label="ST (total)")
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        ax.set(xlabel="share of output variance", title=f"Sobol indices: {labels[out]}")
        ax.axvline(0, color="grey", lw=0.8)
    handles, names_ = np.atleast_1d(axes)[0].get_legend_handles_labels()
    fig.legend(handles, names_, loc="upper center", ncol=2, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path.name
