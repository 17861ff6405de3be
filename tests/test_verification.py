"""Verification against known numbers: Coleman's power of a collectivity to act."""

from __future__ import annotations

import math

import pytest

from conftest import OPGAVEN, make_scenario
from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import StrandReason

# Trust and learning off, a mood so large that utility does not matter: each council says
# yes with probability 1/2, independently. Many proposals, no outside options. Statutory tasks
# are not voted on (a legal duty), so only voluntary initiatives count.
COUNCILS = ("Beverwijk", "Heemskerk", "Uitgeest", "Velsen")
COIN_FLIP = (
    "trust.gain=0", "trust.fall_ratio=0", "decision.noise=1e9", "years=10",
    *(f"region.councils.{c}.outside_option=0" for c in COUNCILS),
    *(f"region.opgaven.{o}.proposals_per_year=40" for o in OPGAVEN),
)


def college_pass_rate(governance: str) -> tuple[float, int]:
    model = RegionModel(make_scenario(f"governance={governance}", "collect=false", *COIN_FLIP), seed=11)
    model.run()
    voted = [i for i in model.initiatives
             if i.furthest.value != "preparation" and not model.region.statutory[i.opgave]]
    passed = [i for i in voted if i.strand_reason is not StrandReason.BLOCKED_BY_COLLEGE]
    return len(passed) / len(voted), len(voted)


@pytest.mark.parametrize(("governance", "expected"), [("optional", 1 / 16), ("binding", 5 / 16)])
def test_power_to_act_of_four_councils(governance, expected):
    """Unanimity passes 1/16 of coin-flip votes; three of four passes 5/16 (Coleman 1971)."""
    rate, n = college_pass_rate(governance)
    standard_error = math.sqrt(expected * (1 - expected) / n)
    assert n > 1000
    assert abs(rate - expected) < 4 * standard_error
