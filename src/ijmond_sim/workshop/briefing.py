"""What a council's player sees: their council, partners, open initiatives, and the stakes of each vote.

Pure functions over a model (the room's copy at the end of the last month);
the pages only lay them out. Money is in units of the initiative's total
cost, as in the model (``decision.expected_utility``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import Initiative
from ijmond_sim.model.trust import expected_follow_through
from ijmond_sim.workshop.ballot import TURN_AWAY, Question


@dataclass(frozen=True)
class CouncilFacts:
    """A council as its player sees it.

    Attributes:
        name: the municipality.
        population: its residents.
        interests: its interest weight per opgave, [0, 1].
        trust_in: its trust in each other council (name -> trust).
        trusted_by: each other council's trust in it, as far as it shows (name -> trust).
        active: False once it has turned away from the region.
    """

    name: str
    population: int
    interests: tuple[float, ...]
    trust_in: dict[str, float]
    trusted_by: dict[str, float]
    active: bool


def council_facts(model: RegionModel, council: int) -> CouncilFacts:
    """The facts of ``council`` in ``model``."""
    region = model.region
    others = [j for j in range(len(region.councils)) if j != council]
    return CouncilFacts(
        name=region.councils[council],
        population=int(region.population[council]),
        interests=tuple(float(x) for x in region.interests[council]),
        trust_in={region.councils[j]: float(model.trust[council, j]) for j in others},
        trusted_by={region.councils[j]: float(model.trust[j, council]) for j in others},
        active=bool(model.active[council]),
    )


def open_initiatives(model: RegionModel, council: int) -> list[Initiative]:
    """The initiatives under way in which ``council`` takes part, oldest first."""
    return [i for i in model.initiatives
            if not i.phase.ended and council in i.participants.tolist()]


@dataclass(frozen=True)
class VoteBrief:
    """What a vote means for the council that casts it.

    Attributes:
        kind: the question's kind (``college``, ``council``, ``review``, ``turn_away``).
        opgave: index of the opgave (-1 for turning away).
        partners: the other councils taking part.
        local_gain: what the municipality nets if the initiative is completed (benefit minus cost).
        regional_gain: what the region as a whole nets if it is completed.
        cost: the municipality's share of the cost.
        sunk: what the municipality loses if it strands after all.
        follow_through: the council's expectation that its partners carry it through (its trust).
        overrulable: whether the rule lets the others go on against this council's 'no' alone.
        mandate: whether the colleges decide within agreed frameworks (no separate council vote).
        exit_cost: what leaving or blocking costs under the rule (in the council's utility).
        outside_option: for turning away, the attractiveness of the option outside the region.
    """

    kind: str
    opgave: int
    partners: tuple[int, ...]
    local_gain: float
    regional_gain: float
    cost: float
    sunk: float
    follow_through: float
    overrulable: bool
    mandate: bool
    exit_cost: float
    outside_option: float


def vote_brief(model: RegionModel, question: Question) -> VoteBrief:
    """The stakes of ``question`` for its council, as the model stands."""
    region, rule, council = model.region, model.rule, question.council
    if question.kind == TURN_AWAY:
        partners = tuple(j for j in np.flatnonzero(model.active).tolist() if j != council)
        trust = float(model.trust[council, list(partners)].mean()) if partners else 0.0
        return VoteBrief(TURN_AWAY, -1, partners, 0.0, 0.0, 0.0, 0.0, trust, False,
                         rule.mandate, rule.exit_cost, float(region.outside_option[council]))
    initiative = model.initiatives[question.initiative]
    who = initiative.participants
    me = who.tolist().index(council)
    surplus = float(region.surplus[initiative.opgave])
    return VoteBrief(
        kind=question.kind,
        opgave=initiative.opgave,
        partners=tuple(j for j in who.tolist() if j != council),
        local_gain=surplus * float(initiative.benefit_share[me]) - float(initiative.cost_share[me]),
        regional_gain=surplus - 1.0,
        cost=float(initiative.cost_share[me]),
        sunk=float(region.sunk_share[initiative.opgave] * initiative.cost_share[me]),
        follow_through=float(expected_follow_through(model.trust, who)[me]),
        overrulable=bool(rule.carries(who != council, region.population[who])),
        mandate=rule.mandate,
        exit_cost=rule.exit_cost,
        outside_option=float(region.outside_option[council]),
    )
