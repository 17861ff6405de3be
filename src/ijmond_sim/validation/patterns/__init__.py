"""The report's empirical patterns, one module per theme, each evaluated with and without its mechanism.

Each pattern function runs (or reuses) a sweep of a :class:`Context`, computes
one measure with its 95% confidence interval and compares it with the bound
that ``criteria.yaml`` fixed before the runs. :func:`evaluate_all` evaluates every
pattern twice: in the model as it is and under the pattern's knockout (the
same sweeps, same seeds, with the mechanism switched off). Sources: the
report's section numbers (``../shared/seed/DIGEST.md``) and the literature named
in each statement.
"""

from __future__ import annotations

from collections.abc import Callable

from ijmond_sim.validation.patterns.context import (
    EVERY_RULE,
    FAST,
    FULL,
    Budget,
    Context,
    PatternResult,
    about,
)
from ijmond_sim.validation.patterns.decisions import aligned_calendars_faster, decision_time_grows
from ijmond_sim.validation.patterns.exit import identification_decides, weakest_turns_away
from ijmond_sim.validation.patterns.governance import governance_ordering
from ijmond_sim.validation.patterns.statutory import (
    statutory_far_more_often,
    statutory_mostly_completed,
    voluntary_mostly_strand,
)
from ijmond_sim.validation.patterns.trust import circles, trust_trends_down

Pattern = Callable[[Context], PatternResult | list[PatternResult]]

# Criteria key (criteria.yaml) -> the pattern function, in the report's order. Each function
# declares the governance rules it is about (``@about(...)``, its attribute ``rules``).
PATTERNS: dict[str, Pattern] = {
    "statutory-vs-voluntary": statutory_far_more_often,
    "statutory-mostly-completed": statutory_mostly_completed,
    "voluntary-mostly-strand": voluntary_mostly_strand,
    "trust-trends-down": trust_trends_down,
    "circles": circles,
    "decision-time-grows": decision_time_grows,
    "aligned-calendars-faster": aligned_calendars_faster,
    "governance-ordering": governance_ordering,
    "weakest-turns-away": weakest_turns_away,
    "identification-decides": identification_decides,
}


def _listed(out: PatternResult | list[PatternResult]) -> list[PatternResult]:
    return out if isinstance(out, list) else [out]


def evaluate(ctx: Context, key: str) -> list[PatternResult]:
    """Pattern ``key`` over its rules, in ``ctx`` and under its knockout; each result carries its twin."""
    ctx.log(f"pattern: {key}")
    pattern = PATTERNS[key]
    results = _listed(pattern(ctx.about(pattern.rules)))
    knockout = ctx.criteria[key].knockout
    ctx.log(f"pattern: {key}, knockout {knockout.key}")
    twins = _listed(pattern(ctx.knocked_out(knockout).about(pattern.rules)))
    for result, twin in zip(results, twins, strict=True):
        result.knockout, result.knocked_out = knockout, twin
    return results


def evaluate_all(ctx: Context) -> list[PatternResult]:
    """Every pattern, in the order of :data:`PATTERNS`, each with its knockout."""
    missing = set(PATTERNS) - set(ctx.criteria.patterns)
    if missing:
        raise ValueError(f"criteria.yaml has no criterion for {', '.join(sorted(missing))}")
    return [result for key in PATTERNS for result in evaluate(ctx, key)]


__all__ = ["EVERY_RULE", "FAST", "FULL", "PATTERNS", "Budget", "Context", "PatternResult", "about",
           "evaluate", "evaluate_all"]
