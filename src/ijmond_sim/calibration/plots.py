"""The posterior's figures: each parameter's marginal against its prior, and the pairs of parameters."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ijmond_sim.palette import OKABE_ITO  # noqa: E402
from ijmond_sim.sweep.figures import save  # noqa: E402


def marginals(frame: pd.DataFrame, weights: np.ndarray, ranges: dict[str, tuple[float, float]],
              stem: Path) -> list[Path]:
    """One panel per parameter: the weighted histogram of the last generation over its prior's range."""
    columns = 3
    rows = -(-len(ranges) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.4 * rows), squeeze=False)
    for ax, (name, (low, high)) in zip(axes.flat, ranges.items(), strict=False):
        ax.hist(frame[name], bins=np.linspace(low, high, 16), weights=weights, density=True,
                color=OKABE_ITO[1], alpha=0.8, label="posterior")
        ax.axhline(1 / (high - low), color=OKABE_ITO[7], linestyle="--", linewidth=1, label="prior")
        ax.set_xlim(low, high)
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    for ax in list(axes.flat)[len(ranges):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, frameon=False)
    fig.tight_layout()
    paths = save(fig, stem)
    plt.close(fig)
    return paths


def pairs(frame: pd.DataFrame, weights: np.ndarray, ranges: dict[str, tuple[float, float]],
          stem: Path) -> list[Path]:
    """Every pair of parameters: each particle a dot whose area is its weight, each axis its prior range."""
    names = list(ranges)
    n = len(names)
    fig, axes = plt.subplots(n, n, figsize=(1.5 * n, 1.5 * n), squeeze=False)
    size = 4 + 60 * weights / weights.max()
    for i, row in enumerate(names):
        for j, column in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(frame[row], bins=np.linspace(*ranges[row], 12), weights=weights, color=OKABE_ITO[1])
            else:
                ax.scatter(frame[column], frame[row], s=size, color=OKABE_ITO[0], alpha=0.4, linewidths=0)
                ax.set_ylim(*ranges[row])
            ax.set_xlim(*ranges[column])
            ax.set_xticks([])
            ax.set_yticks([])
            if i == n - 1:
                ax.set_xlabel(column, fontsize=6, rotation=30, ha="right")
            if j == 0:
                ax.set_ylabel(row, fontsize=6, rotation=0, ha="right")
    fig.tight_layout(pad=0.3)
    paths = save(fig, stem)
    plt.close(fig)
    return paths
