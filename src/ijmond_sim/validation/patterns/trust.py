"""Trust and the circles (report 3.4, 5.3): trust falls after strandings; virtuous and vicious circles."""

from __future__ import annotations

import math

import numpy as np

from ijmond_sim.model.governance import rule_label
from ijmond_sim.sweep.intervals import mean_ci
from ijmond_sim.validation import plots
from ijmond_sim.validation.patterns.context import EVERY_RULE, Context, PatternResult, TrustSweep, about
from ijmond_sim.validation.scenarios import TODAY


@about(TODAY)
def trust_trends_down(ctx: Context) -> PatternResult:
    """Trust trends down over a run as initiatives strand."""
    c = ctx.criteria["trust-trends-down"]
    runs = ctx.default_runs
    change = mean_ci([r["trust_by_month"][-1] - r["trust_by_month"][0] for r in runs])
    trust = np.array([r["trust_by_month"] for r in runs])
    stranded = np.array([r["stranded_by_month"] for r in runs])
    monthly = np.diff(trust, axis=1)
    strandings = np.diff(stranded, axis=1) > 0
    after, other = monthly[strandings], monthly[~strandings]
    figure = ctx.draw(plots.trust_trajectories, "trust_trend.png", np.arange(trust.shape[1]), trust,
                      stranded, "optional cooperation, default IJmond")
    return PatternResult(
        key=c.key,
        statement="Trust trends down after strandings: stalled or stopped trajectories confirm the distrust.",
        source="Report 3.4 (threat 1), 5.3 ('trust comes on foot and leaves on horseback')",
        measure=f"{c.measure} {len(runs)} runs.", threshold=c.text,
        value=change[0], ci=change[1:], passed=change[2] < c.bound, figure=figure,
        detail=f"mean monthly change of mean trust in months with a stranding {after.mean():+.4f} "
               f"({after.size} months), in other months {other.mean():+.4f} ({other.size} months)",
    )


def tipping_point(sweep: TrustSweep, half: float = 0.5) -> tuple[float, tuple[float, float] | None, str]:
    """The first upward crossing of ``half`` by the virtuous share that separates significant levels.

    Returns:
        ``(tipping point, (highest significantly vicious level below, lowest significantly
        virtuous level above), description)``; NaN and None if there is no such crossing.
    """
    share, low, high = sweep.rose_share()
    x = sweep.levels
    vicious = x[high < half]
    virtuous = x[low > half]
    for j in range(len(x) - 1):
        if share[j] < half <= share[j + 1]:
            below, above = vicious[vicious <= x[j]], virtuous[virtuous >= x[j + 1]]
            if below.size and above.size:
                tip = x[j] + (half - share[j]) / (share[j + 1] - share[j]) * (x[j + 1] - x[j])
                return float(tip), (float(below.max()), float(above.min())), "tipping point found"
    if not virtuous.size:
        return (math.nan, None,
                "no level where trust rose in a significant majority of runs: vicious throughout")
    if not vicious.size:
        return math.nan, None, "no level where trust fell in a significant majority of runs"
    if virtuous.max() < vicious.min():
        return (math.nan, None, "trust rises from low levels and falls from high ones: it settles near "
                f"one stable level between {virtuous.max():.2f} and {vicious.min():.2f}, no split")
    return math.nan, None, "no clean crossing from vicious to virtuous"


@about(EVERY_RULE)
def circles(ctx: Context) -> list[PatternResult]:
    """Per rule: runs split into virtuous and vicious circles depending on initial trust."""
    c = ctx.criteria["circles"]
    sweeps = ctx.trust_sweep
    tips = {rule: tipping_point(s, c.bound) for rule, s in sweeps.items()}
    shares = {rule: s.rose_share() for rule, s in sweeps.items()}
    levels = next(iter(sweeps.values())).levels
    figure = ctx.draw(
        plots.circles, "circles.png", levels, {r: v[0] for r, v in shares.items()},
        {r: v[1] for r, v in shares.items()}, {r: v[2] for r, v in shares.items()},
        {r: s.start for r, s in sweeps.items()}, {r: s.end for r, s in sweeps.items()},
        {r: t[0] for r, t in tips.items()})
    results = []
    for rule, sweep in sweeps.items():
        tip, bracket, description = tips[rule]
        curve = ", ".join(f"{x:.2f}: {s:.2f}" for x, s in zip(sweep.levels, shares[rule][0], strict=True))
        results.append(PatternResult(
            key=f"circles-{rule}",
            statement=f"Under {rule_label(rule)}, runs split into virtuous circles (trust rises) "
                      "and vicious circles (trust falls) depending on initial trust, with a tipping point.",
            source="Report 3.4 (the circle is closed), 5.3; MODEL_BRIEF mechanism 4",
            measure=f"{c.measure} {len(sweep.levels)} levels x {ctx.budget.trust_runs} runs.",
            threshold=c.text, value=tip, ci=bracket, passed=bracket is not None, figure=figure,
            fmt="{:.2f}", detail=f"{description}. Share of runs whose trust rose, by initial trust: {curve}",
        ))
    return results
