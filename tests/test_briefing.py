"""What a council's player sees of the partners' trust: only what the council has witnessed, in a band."""

from __future__ import annotations

import pytest

from conftest import AGAINST, BEVERWIJK, HEEMSKERK, UITGEEST, VELSEN, propose, quiet_model, step_until
from ijmond_sim.model.initiative import Phase, StrandReason
from ijmond_sim.workshop.briefing import (
    HIGH,
    LOW,
    MIXED,
    UNKNOWN,
    council_facts,
    shared_experience,
    trust_as_seen,
    trust_band,
)

ECONOMY, HOUSING = 0, 3
EDGES = (0.25, 0.75)


@pytest.mark.parametrize(("good", "bad", "fall_ratio", "band"), [
    (0, 0, 1.0, UNKNOWN),  # nothing shared yet
    (1, 0, 1.0, HIGH),
    (0, 1, 1.0, LOW),
    (3, 1, 1.0, HIGH),     # share 0.75: the upper edge counts as high
    (2, 1, 1.0, MIXED),    # 0.67
    (1, 3, 1.0, MIXED),    # 0.25: the lower edge is not low
    (1, 4, 1.0, LOW),      # 0.2
    (3, 1, 3.0, MIXED),    # 0.5: a let-down weighs as much as fall_ratio good events
    (3, 1, 10.0, LOW),     # 0.23
])
def test_trust_band_weighs_a_let_down_by_the_fall_ratio(good, bad, fall_ratio, band):
    # kills: < for <= at either edge, the fall ratio ignored, no 'unknown' without events
    assert trust_band(good, bad, fall_ratio, EDGES) == band


def test_completing_together_counts_twice_and_a_block_counts_for_both_sides():
    # kills: good events not counted once per decision and once per completion, a block
    # seen by only one side, events of other pairs counted
    model = quiet_model("trust.fall_ratio=2")
    done = propose(model, ECONOMY)
    step_until(model, lambda: done.phase.ended)
    assert done.phase is Phase.COMPLETED
    for a, b in ((VELSEN, HEEMSKERK), (HEEMSKERK, VELSEN), (UITGEEST, BEVERWIJK)):
        assert shared_experience(model, a, b) == (2, 0)
    blocked = propose(model, HOUSING, against=(HEEMSKERK,))
    step_until(model, lambda: blocked.phase.ended)
    assert blocked.strand_reason is StrandReason.BLOCKED_BY_COLLEGE
    assert shared_experience(model, VELSEN, HEEMSKERK) == (2, 1)  # Heemskerk left what Velsen stood by
    assert shared_experience(model, HEEMSKERK, VELSEN) == (2, 1)  # Velsen blamed Heemskerk for it
    assert shared_experience(model, VELSEN, BEVERWIJK) == (2, 0)
    seen = trust_as_seen(model, VELSEN, HEEMSKERK, EDGES)
    assert (seen.band, seen.events) == (MIXED, 3)  # 2 / (2 + 2 * 1) = 0.5
    assert trust_as_seen(model, VELSEN, BEVERWIJK, EDGES).band == HIGH


def test_an_outvoted_partner_blames_the_winners_who_see_it_and_not_the_other_way_round():
    # kills: witnesses and offenders swapped, the outvoted counted as voting for, an outvoting
    # counted as the winner leaving
    model = quiet_model("governance=binding")
    initiative = propose(model, ECONOMY, against=(UITGEEST,))
    step_until(model, lambda: initiative.phase is Phase.EXECUTION)
    assert UITGEEST in initiative.participants  # carried by the majority, Uitgeest still in
    assert shared_experience(model, UITGEEST, VELSEN) == (1, 0)  # Velsen voted for it
    assert shared_experience(model, VELSEN, UITGEEST) == (0, 1)  # Uitgeest blames Velsen
    assert shared_experience(model, VELSEN, HEEMSKERK) == (1, 0)


def test_a_withdrawal_under_way_is_seen_by_both_sides():
    # kills: leaving counted as still taking part, a completion counted for who left before it
    model = quiet_model("governance=binding")
    initiative = propose(model, ECONOMY)
    step_until(model, lambda: initiative.phase is Phase.EXECUTION)
    initiative.mood[initiative.participants == HEEMSKERK] = AGAINST
    step_until(model, lambda: HEEMSKERK not in initiative.participants or initiative.phase.ended)
    assert initiative.phase is Phase.EXECUTION  # the other three carry on without Heemskerk
    assert shared_experience(model, VELSEN, HEEMSKERK) == (1, 1)
    assert shared_experience(model, HEEMSKERK, VELSEN) == (1, 1)
    step_until(model, lambda: initiative.phase.ended)
    assert initiative.phase is Phase.COMPLETED
    assert shared_experience(model, VELSEN, BEVERWIJK) == (2, 0)
    assert shared_experience(model, VELSEN, HEEMSKERK) == (1, 1)  # completed without Heemskerk


def test_a_council_that_turned_away_before_the_decision_shares_no_decision():
    # kills: a council counted as deciding with the others after it turned away
    model = quiet_model("governance=binding")
    initiative = propose(model, ECONOMY)
    model.turn_away(model.councils[UITGEEST])
    step_until(model, lambda: initiative.phase is Phase.EXECUTION)
    assert shared_experience(model, VELSEN, UITGEEST) == (0, 1)  # it left what Velsen stood by
    assert shared_experience(model, UITGEEST, VELSEN) == (0, 1)  # Velsen blames it
    assert shared_experience(model, VELSEN, HEEMSKERK) == (1, 0)


def test_a_council_sees_nothing_of_initiatives_it_is_not_in():
    # kills: events of initiatives the council is not in counted
    model = quiet_model("region.councils.Uitgeest.interests.economy=0")
    decided = propose(model, ECONOMY)
    blocked = propose(model, ECONOMY, against=(HEEMSKERK,))
    assert UITGEEST not in blocked.participants
    step_until(model, lambda: blocked.phase.ended and decided.phase is Phase.EXECUTION)
    assert shared_experience(model, VELSEN, HEEMSKERK) == (1, 1)
    assert shared_experience(model, UITGEEST, HEEMSKERK) == (0, 0)
    assert trust_as_seen(model, UITGEEST, HEEMSKERK, EDGES).band == UNKNOWN


def test_a_council_knows_its_own_trust_exactly_and_the_others_only_as_seen():
    # kills: the partners' exact trust shown again
    model = quiet_model("trust.initial=0.4")
    blocked = propose(model, HOUSING, against=(HEEMSKERK,))
    step_until(model, lambda: blocked.phase.ended)
    facts = council_facts(model, VELSEN, EDGES)
    assert facts.trust_in["Heemskerk"] == model.trust[VELSEN, HEEMSKERK] < 0.4
    seen = facts.trusted_by["Heemskerk"]
    assert (seen.good, seen.bad, seen.band) == (0, 1, LOW)
    assert facts.trusted_by["Beverwijk"].band == UNKNOWN


def test_a_council_that_leaves_in_the_month_of_the_decision_is_not_in_it():
    # kills: a turning away in the decision's own month counted as being in the decision
    from conftest import NO_PROPOSALS, make_scenario
    from ijmond_sim.workshop.ballot import LEAVE, RoomModel, attach

    model = RoomModel(make_scenario(*NO_PROPOSALS, "initiatives.delivery_risk=0", "governance=binding"))
    initiative = propose(model, ECONOMY)
    decision = initiative.phase_ends  # the colleges decide in the month the preparation ends
    attach(model, {(decision, LEAVE, -1, UITGEEST): True})
    step_until(model, lambda: initiative.decided is not None)
    assert initiative.decided == decision
    assert model.councils[UITGEEST].turned_away == initiative.decided
    assert shared_experience(model, VELSEN, UITGEEST) == (0, 1)
    assert shared_experience(model, UITGEEST, VELSEN) == (0, 1)
