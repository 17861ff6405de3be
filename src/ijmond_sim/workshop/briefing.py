"""What a council's player sees: their council, partners, open initiatives, and the stakes of each vote.

Pure functions over a model (the room's copy at the end of the last month);
the pages only lay them out. Money is in units of the initiative's total
cost, as in the model (``decision.expected_utility``).

A council knows its own trust in each partner exactly, but not the partners'
trust in it: the councils do not state their interests and positions to each
other (report 5.2, 5.3); trust is built and kept up through shared experience
and reliability (6.2). So the partners' trust in a council is shown only as far
as it can be told from what the council has seen the partner do on the
initiatives they share (:func:`trust_as_seen`), in a coarse band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import OVERRULED, Initiative, Phase, StrandReason
from ijmond_sim.model.trust import expected_follow_through
from ijmond_sim.workshop.ballot import TURN_AWAY, Question


@dataclass(frozen=True)
class CouncilFacts:
    """A council as its player sees it.

    Attributes:
        name: the municipality.
        population: its residents.
        interests: its interest weight per opgave, [0, 1].
        trust_in: its own trust in each other council, exact (name -> trust).
        trusted_by: each other council's trust in it as far as it can tell (name -> :class:`SeenTrust`).
        active: False once it has turned away from the region.
    """

    name: str
    population: int
    interests: tuple[float, ...]
    trust_in: dict[str, float]
    trusted_by: dict[str, SeenTrust]
    active: bool


def council_facts(model: RegionModel, council: int, edges: tuple[float, float]) -> CouncilFacts:
    """The facts of ``council`` in ``model``; ``edges`` as in :func:`trust_band`."""
    region = model.region
    others = [j for j in range(len(region.councils)) if j != council]
    return CouncilFacts(
        name=region.councils[council],
        population=int(region.population[council]),
        interests=tuple(float(x) for x in region.interests[council]),
        trust_in={region.councils[j]: float(model.trust[council, j]) for j in others},
        trusted_by={region.councils[j]: trust_as_seen(model, council, j, edges) for j in others},
        active=bool(model.active[council]),
    )


# -- a partner's trust, as far as a council can tell it ------------------------------------------

UNKNOWN, LOW, MIXED, HIGH = "unknown", "low", "mixed", "high"
# Leaving an initiative by choice (a failed delivery is no choice, and says nothing of trust).
_LEFT_BY_CHOICE = frozenset({StrandReason.BLOCKED_BY_COLLEGE.value, StrandReason.BLOCKED_BY_COUNCIL.value,
                             StrandReason.WITHDRAWAL.value, StrandReason.HELD_BACK.value,
                             StrandReason.TURNED_AWAY.value})


@dataclass(frozen=True)
class SeenTrust:
    """A partner's trust in a council, as far as the council can tell it from what it has seen.

    Attributes:
        good: shared experiences that showed the partner counting on the council.
        bad: moments that showed the partner's trust in it falling, or the partner not counting on it.
        band: ``unknown`` (nothing shared yet), ``low``, ``mixed`` or ``high`` (:func:`trust_band`).
    """

    good: int
    bad: int
    band: str

    @property
    def events(self) -> int:
        """How many shared events the band rests on."""
        return self.good + self.bad


def _in_at_decision(initiative: Initiative, council: int) -> bool:
    """Whether ``initiative`` was decided with ``council`` still in it.

    Before the decision only turning away takes a council out of an initiative.
    """
    return initiative.decided is not None and not any(
        council in b.offenders and b.why == StrandReason.TURNED_AWAY.value and b.month <= initiative.decided
        for b in initiative.blame)


def _outvoted(initiative: Initiative, council: int) -> bool:
    """Whether ``council`` voted against the decision that carried ``initiative`` (and so blames the rest)."""
    return any(b.why == OVERRULED and b.month == initiative.decided and council in b.witnesses
               for b in initiative.blame)


def shared_experience(model: RegionModel, council: int, partner: int) -> tuple[int, int]:
    """What ``council`` has seen of ``partner`` on the initiatives both took part in: ``(good, bad)``.

    Good, each once per initiative: the partner voted to carry out an initiative both were
    still in when it was decided (the council may have been outvoted), and the two
    completed it together (after a joint success every participant trusts the others
    more, 5.3). Bad, each once per recorded moment: the partner blamed the council (it
    blocked, withdrew, failed or outvoted the partner: the partner's trust in it fell), and
    the partner blocked, withdrew or turned away while the council stood by the initiative
    (a council's support weighs how far it trusts its partners to follow through).
    Nothing else is visible: not the partner's votes on initiatives the council is not in,
    nor its reasons.
    """
    good = bad = 0
    pair = {council, partner}
    for initiative in model.initiatives:
        if not pair <= set(initiative.original_participants):
            continue
        if _in_at_decision(initiative, council) and _in_at_decision(initiative, partner) \
                and not _outvoted(initiative, partner):
            good += 1
        if initiative.phase is Phase.COMPLETED and pair <= set(initiative.participants.tolist()):
            good += 1
        for b in initiative.blame:
            if partner in b.witnesses and council in b.offenders:
                bad += 1
            elif council in b.witnesses and partner in b.offenders and b.why in _LEFT_BY_CHOICE:
                bad += 1
    return good, bad


def trust_band(good: int, bad: int, fall_ratio: float, edges: tuple[float, float]) -> str:
    """The band of a partner's trust from ``good`` and ``bad`` shared events.

    One bad event weighs as much as ``fall_ratio`` good ones: trust "comes on foot and
    leaves on horseback" (5.3), the model's own ratio (``trust.fall_ratio``). The share
    of good weight ``good / (good + fall_ratio * bad)`` is ``low`` below ``edges[0]``,
    ``high`` from ``edges[1]``, ``mixed`` between; ``unknown`` without any event.
    """
    if good + bad == 0:
        return UNKNOWN
    share = good / (good + fall_ratio * bad)
    return LOW if share < edges[0] else HIGH if share >= edges[1] else MIXED


def trust_as_seen(model: RegionModel, council: int, partner: int, edges: tuple[float, float]) -> SeenTrust:
    """``partner``'s trust in ``council`` as far as ``council`` can tell (:func:`shared_experience`)."""
    good, bad = shared_experience(model, council, partner)
    return SeenTrust(good, bad, trust_band(good, bad, model.params.trust.fall_ratio, edges))


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
        overrulable=bool(rule.carries(who != council, region.population[who],
                                      model.context_of(initiative).hypothetical())),
        mandate=rule.mandate,
        exit_cost=rule.exit_cost,
        outside_option=float(region.outside_option[council]),
    )
