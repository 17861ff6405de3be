"""Verification against analytic baselines: the model's votes against enumeration, Banzhaf power.

These check that the model applies each governance rule's arithmetic as the rule
defines it (Coleman 1971: the power of a collectivity to act; Banzhaf 1965).
They have no mechanism to knock out and are not counted as patterns.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.governance import RULES as RULE_CLASSES
from ijmond_sim.model.governance import DecisionContext, GovernanceRule, rule_label
from ijmond_sim.model.initiative import StrandReason
from ijmond_sim.model.scenario import Region
from ijmond_sim.run.measures import initiative_log, names_cell
from ijmond_sim.sweep.engine import Design
from ijmond_sim.sweep.intervals import proportion_ci
from ijmond_sim.validation import plots
from ijmond_sim.validation.patterns.context import Context, PatternResult
from ijmond_sim.validation.power import banzhaf_index, carry_probability, quota_intervals, weighted_vote
from ijmond_sim.validation.runs import Run
from ijmond_sim.validation.scenarios import RULES, scenario, with_settings

_BLOCKED = {StrandReason.BLOCKED_BY_COLLEGE.value, StrandReason.BLOCKED_BY_COUNCIL.value}


def votes(model: RegionModel) -> dict[str, int]:
    """Votes carried and voted on over voluntary initiatives of all councils whose vote has an outcome.

    Statutory tasks are left out: no vote can block a legal duty.
    """
    everyone = names_cell(model.region.councils)
    carried = voted = 0
    for row in initiative_log(model):
        if row["participants"] != everyone or row["statutory"]:
            continue
        if row["decision_month"] is not None:
            carried += 1
            voted += 1
        elif row["strand_reason"] in _BLOCKED:
            voted += 1
    return {"carried": carried, "voted": voted}


def rule_text(rule) -> str:
    """The parameters that decide a rule's vote, as text."""
    if hasattr(rule, "quota"):
        return f"quota {rule.quota}, vote_weight {rule.vote_weight}"
    return "unanimity"


def vote_of_all(rule: GovernanceRule, region: Region) -> Callable[[np.ndarray], bool]:
    """Whether ``rule`` carries a vote of every council with a given support, asked outside a run.

    Each question gets a fresh state of the rule (:meth:`DecisionContext.outside_a_run`).
    """
    def carries(support: np.ndarray) -> bool:
        return rule.carries(support, region.population, DecisionContext.outside_a_run(rule, region))
    return carries


def coin_flip_settings(ctx: Context) -> dict[str, float]:
    """Settings under which each council votes in favour with probability 1/2, trust and exit left out."""
    return {"decision.noise": 1e6, "trust.gain": 0.0,
            **{f"region.councils.{c}.outside_option": 0.0 for c in ctx.region.councils}}


def vote_baseline(ctx: Context, rule: str, runs: Sequence[Run]) -> PatternResult:
    """Votes with each council in favour with probability 1/2, in the model (``runs``) and by enumeration."""
    region = ctx.region
    obj = scenario(ctx.bases[rule]).rule
    exact = carry_probability(vote_of_all(obj, region), len(region.councils))
    carried, voted = sum(run["carried"] for run in runs), sum(run["voted"] for run in runs)
    share = proportion_ci(carried, voted)
    return PatternResult(
        key=f"vote-{rule}",
        statement=f"With each council in favour with probability 1/2, a vote of all {len(region.councils)} "
                  f"councils under {rule_label(rule)} carries as often as enumerating every "
                  "coalition through the rule says.",
        source="Analytic: independent votes in favour with probability 1/2 (Coleman 1971); the rule's "
               "own carries()",
        measure=f"{rule_label(rule)} with default parameters ({rule_text(obj)}): every coalition "
                "enumerated through rule.carries() (exact), and the model itself with decision.noise = 1e6 "
                "(a coin flip per council), trust learning off, no outside options, "
                f"{ctx.budget.baseline_runs} runs: share of initiatives of all councils whose vote "
                "carried, of those whose vote ended.",
        threshold=f"the model's Wilson 95% CI contains the enumerated {exact} = {float(exact):.4f}",
        value=share[0], ci=share[1:], fmt="{:.4f}", passed=share[1] <= float(exact) <= share[2],
        detail=f"enumeration through rule.carries(): {exact} = {float(exact):.4f}; in the model "
               f"{carried} of {voted} votes carried",
    )


def banzhaf_velsen(ctx: Context) -> PatternResult:
    """Under a population-weighted majority, Velsen has three times the Banzhaf power of each other one."""
    region = ctx.region
    names, pop = list(region.councils), region.population
    binding = RULE_CLASSES["binding"]
    big = int(np.argmax(pop))
    intervals = quota_intervals(pop)
    powers, rows, threefold, agree = [], [], [], True
    for a, b in intervals:
        rule = binding(quota=b, vote_weight="population")
        power = banzhaf_index(vote_of_all(rule, region), len(pop))
        agree &= bool(np.allclose(power, banzhaf_index(weighted_vote(pop, b), len(pop))))
        powers.append(power)
        others = np.delete(power, big)
        if others.min() > 0 and np.allclose(power[big] / others, 3.0):
            threefold.append((a, b))
        rows.append(f"({a:.4f}, {b:.4f}]: " + _powers(names, power))
    total = pop.sum()
    default = scenario(ctx.bases["binding"]).rule
    default_power = banzhaf_index(vote_of_all(default, region), len(pop))
    pop_at_default = banzhaf_index(weighted_vote(pop, default.quota), len(pop))
    figure = ctx.draw(plots.banzhaf, "banzhaf.png", np.array([0.5] + [b for _, b in intervals]),
                      np.vstack([powers[0], *powers]), names, threefold)
    majority = bool(threefold) and math.isclose(threefold[0][0], 0.5)
    found = "; ".join(f"quota in ({a:.4f}, {b:.4f}] (more than {a * total:.1f} and at most {b * total:.0f} "
                      f"of {total:.0f} residents)" for a, b in threefold) or "at no quota"
    return PatternResult(
        key="banzhaf-velsen",
        statement=f"In a population-weighted majority vote with 2013 populations, {names[big]} has three "
                  "times the Banzhaf power of each other council.",
        source="Banzhaf (1965); populations CBS 2013 (DIGEST.md); the binding rule's vote_weight=population",
        measure="Normalised Banzhaf index (share of swings) of each council, every coalition enumerated "
                "through BindingFrameworks(vote_weight='population', quota=q).carries() for every quota "
                "q in (0.5, 1] (the game only changes at coalition weight shares).",
        threshold=f"{names[big]}'s power is exactly 3 times each other council's at a simple majority "
                  "(the quota interval starting at 0.5)",
        value=float(powers[0][big] / np.delete(powers[0], big).max()), ci=None, passed=majority and agree,
        figure=figure, fmt="{:.2f}",
        detail=f"Threefold power {found}. The rule object and the plain weighted vote "
               f"{'agree' if agree else 'DISAGREE'} at every quota. "
               f"The default binding rule ({rule_text(default)}) gives "
               + _powers(names, default_power)
               + f"; with population weights at its quota {default.quota}: "
               + _powers(names, pop_at_default)
               + ". Banzhaf power per quota interval: " + "; ".join(rows),
    )


def _powers(names: Sequence[str], power: np.ndarray) -> str:
    return " ".join(f"{n} {p:.3f}" for n, p in zip(names, power, strict=True))


def verify_all(ctx: Context) -> list[PatternResult]:
    """The vote baseline of every governance rule found, then Banzhaf power under the binding rule."""
    settings = coin_flip_settings(ctx)
    ctx.log(f"vote baselines: {len(RULES)} rules x {ctx.budget.baseline_runs} runs")
    points = [Design({"governance": rule, **settings}, with_settings(ctx.bases[rule], settings))
              for rule in RULES]
    runs = ctx.run("votes", points, ctx.budget.baseline_runs, votes)
    results = [vote_baseline(ctx, rule, rule_runs) for rule, rule_runs in zip(RULES, runs, strict=True)]
    if "binding" in RULES:
        results.append(banzhaf_velsen(ctx))
    return results
