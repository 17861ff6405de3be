"""Who turns away (report 5.1, 6): the weakest identification and the strongest outside option."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ijmond_sim.sweep.engine import Design
from ijmond_sim.validation.patterns.context import Context, PatternResult, about, trust_record, wilson
from ijmond_sim.validation.scenarios import REPORT_RULES, with_settings

SOURCE = ("Report 5.1, 6 (Uitgeest does not feel 'IJmonder'; Castricum and Heiloo 'resemble us'); "
          "MODEL_BRIEF mechanism 8")


def _turn_away_result(ctx: Context, key: str, statement: str, runs: str, expected: str,
                      firsts: Sequence[str | None], detail: str) -> PatternResult:
    c = ctx.criteria[key]
    away = [f for f in firsts if f is not None]
    share = wilson([f == expected for f in away])
    counts = ", ".join(f"{name} {away.count(name)}" for name in sorted(set(away))) or "none"
    return PatternResult(
        key=key, statement=statement, source=SOURCE,
        measure=f"{c.measure} {runs} Expected first: {expected}.", threshold=c.text,
        value=share[0], ci=share[1:], passed=len(away) > 0 and share[1] > c.bound,
        detail=f"{len(away)} of {len(firsts)} runs had a turn-away; first to turn away: {counts}. {detail}",
    )


@about(REPORT_RULES)
def weakest_turns_away(ctx: Context) -> PatternResult:
    """The council that turns away is the one with the weakest identification and strongest outside option."""
    region = ctx.region
    weakest = region.councils[int(np.argmin(region.identification))]
    strongest = region.councils[int(np.argmax(region.outside_option))]
    firsts = [f for s in ctx.trust_sweep.values() for f in s.first_away]
    note = (f"{weakest} has both the weakest regional identification and the strongest outside option."
            if weakest == strongest else
            f"Weakest identification: {weakest}; strongest outside option: {strongest}.")
    others = [c for c, o in zip(region.councils, region.outside_option, strict=True) if o == 0]
    if others:
        note += f" The others' outside option is 0 ({', '.join(others)}), so they cannot turn away at all."
    return _turn_away_result(
        ctx, "weakest-turns-away",
        "When a council turns away, it is the one with the weakest regional identification and the "
        "strongest outside option.", f"{len(firsts)} runs.", strongest, firsts, note)


@about(REPORT_RULES)
def identification_decides(ctx: Context) -> PatternResult:
    """With equal outside options, the council with the weakest identification turns away first."""
    region = ctx.region
    weakest = region.councils[int(np.argmin(region.identification))]
    option = float(region.outside_option.max())
    settings = {f"region.councils.{c}.outside_option": option for c in region.councils}
    levels = ctx.trust_sweep[ctx.rules[0]].levels[::3]
    ctx.log(f"equal outside options: {len(ctx.rules)} rules x {len(levels)} levels x "
            f"{ctx.budget.trust_runs} runs")
    points = [{**settings, "trust.initial": float(x)} for x in levels]
    designs = [Design({"governance": rule, **point}, with_settings(ctx.bases[rule], point))
               for rule in ctx.rules for point in points]
    runs = ctx.run("identification", designs, ctx.budget.trust_runs, trust_record)
    firsts = [run["first_away"] for point_runs in runs for run in point_runs]
    return _turn_away_result(
        ctx, "identification-decides",
        "With the same outside option for every council, the one with the weakest regional "
        "identification is the one that turns away (identification alone decides).",
        f"Outside option {option} for every council; initial trust "
        f"{', '.join(f'{x:.2f}' for x in levels)} ({len(firsts)} runs).",
        weakest, firsts, "Regional identification: " + ", ".join(
            f"{c} {i}" for c, i in zip(region.councils, region.identification, strict=True)) + ".")
