"""Statutory versus voluntary cooperation (report 3.2, 5.2): what is completed and what strands."""

from __future__ import annotations

import numpy as np

from ijmond_sim.sweep.intervals import mean_ci
from ijmond_sim.validation.patterns.context import Context, PatternResult, about, fmt_ci, share_ci
from ijmond_sim.validation.scenarios import TODAY


@about(TODAY)
def statutory_far_more_often(ctx: Context) -> PatternResult:
    """Statutory tasks are completed far more often than voluntary supra-local initiatives."""
    c = ctx.criteria["statutory-vs-voluntary"]
    runs = ctx.default_runs
    stat = np.array([r["completion_rate_statutory"] for r in runs])
    vol = np.array([r["completion_rate_voluntary"] for r in runs])
    ratio, low, high = ratio_ci(stat, vol, ctx.seed)
    return PatternResult(
        key=c.key,
        statement="Under optional cooperation, statutory execution tasks (Milieudienst kind) are "
                  "completed far more often than voluntary supra-local initiatives.",
        source="Report 3.2, 5.2 (Milieudienst IJmond works; voluntary cooperation strands); "
               "MODEL_BRIEF mechanism 7",
        measure=f"{c.measure} {len(runs)} runs.",
        threshold=c.text, value=ratio, ci=(low, high), passed=low >= c.bound, fmt="{:.2f}",
        detail=f"completion rate statutory {fmt_ci(mean_ci(stat))}, voluntary {fmt_ci(mean_ci(vol))}",
    )


def _mostly(ctx: Context, key: str, column: str, statement: str, source: str) -> PatternResult:
    """A per-run share of ended initiatives, averaged over the default runs, against its bound."""
    c = ctx.criteria[key]
    share = share_ci([r[column] for r in ctx.default_runs])
    return PatternResult(
        key=key, statement=statement, source=source,
        measure=f"{c.measure} {len(ctx.default_runs)} runs.", threshold=c.text,
        value=share[0], ci=share[1:], passed=share[1] > c.bound,
    )


@about(TODAY)
def statutory_mostly_completed(ctx: Context) -> PatternResult:
    """Statutory initiatives that ended mostly ended completed."""
    return _mostly(ctx, "statutory-mostly-completed", "statutory_completed_of_ended",
                   "Under optional cooperation, statutory tasks are mostly completed.",
                   "Report 1.1, 3.2, 5.2; MODEL_BRIEF 'Validation patterns'")


@about(TODAY)
def voluntary_mostly_strand(ctx: Context) -> PatternResult:
    """Voluntary initiatives that ended mostly stranded."""
    return _mostly(ctx, "voluntary-mostly-strand", "voluntary_stranded_of_ended",
                   "Under optional cooperation, voluntary supra-local initiatives mostly strand.",
                   "Report 3.2 ('risk of initiatives stranding through decisions at local level'), 3.4")


def ratio_ci(a: np.ndarray, b: np.ndarray, seed: int, resamples: int = 2000) -> tuple[float, float, float]:
    """Ratio of the means of paired per-run values ``a`` and ``b``, with a percentile bootstrap 95% CI."""
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a.mean() / b.mean()
        boot = a[idx].mean(axis=1) / b[idx].mean(axis=1)
    low, high = np.quantile(boot, [0.025, 0.975], method="inverted_cdf")
    return float(ratio), float(low), float(high)
