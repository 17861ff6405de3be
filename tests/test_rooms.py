"""The room engine without a browser: seats, clock, votes, fallback to the agent, isolation, replay."""

from __future__ import annotations

import json

import pytest

from ijmond_sim.model import RegionModel
from ijmond_sim.workshop.ballot import TURN_AWAY
from ijmond_sim.workshop.rooms import AGENT, SEAT, Room, Rooms, SeatProblem, agents_run, same_run

SETTINGS = {"vote_seconds": 30, "month_seconds": 1, "grace_seconds": 60, "years": 2}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def rooms(clock, tmp_path):
    return Rooms(save_dir=tmp_path / "rooms", clock=clock, defaults={**SETTINGS, "code_length": 4})


def seated(room: Room) -> dict[int, str]:
    """Every seat taken and connected; council -> token."""
    tokens = {}
    for council in range(len(room.seats)):
        _, token = room.take_seat(council)
        room.connect(token)
        tokens[council] = token
    return tokens


def play(room: Room, tokens: dict[int, str], choose) -> int:
    """Play the round to the end, answering every question with ``choose(question)``; return answers."""
    answered = 0
    while not room.ended:
        room.next_decision()
        while room.open:
            question = room.open[0]
            room.cast(tokens[question.council], question.key, choose(question))
            answered += 1
    return answered


def test_without_votes_the_room_runs_as_the_agents(rooms, clock):
    # kills: the ballot changing a decision nobody voted on, or the hook drawing random numbers
    room = rooms.open(("governance=optional",), seed=7)
    seated(room)
    while not room.ended:
        room.next_decision()
        if room.open:
            clock.now += room.vote_seconds + 1
            room.tick()
    assert room.month == 24
    assert room.log and all(e.by == AGENT and e.vote == e.own for e in room.log)
    assert same_run(room.model, agents_run(room))


def test_votes_change_the_run_against_the_agents(rooms):
    # kills: the ballot ignoring the people's votes
    room = rooms.open(("governance=optional",), seed=7)
    tokens = seated(room)
    answered = play(room, tokens, lambda q: not q.own)
    assert answered >= 4
    assert all(e.by == SEAT and e.vote != e.own for e in room.log)
    agents = agents_run(room)
    assert not same_run(room.model, agents)
    assert room.model.trust.tolist() != agents.trust.tolist()


def test_everyone_for_completes_more_than_the_agents(rooms):
    # kills: votes applied to the wrong council or the wrong decision
    room = rooms.open(("governance=optional", "trust.initial=0.3", "years=4"), seed=3)
    tokens = seated(room)
    play(room, tokens, lambda q: q.kind != TURN_AWAY)
    agents = agents_run(room)
    assert room.model.stranded < agents.stranded


def test_a_vote_timeout_falls_back_to_the_agent_and_the_log_says_so(rooms, clock):
    # kills: a missed deadline that keeps the month waiting, or a fallback that is not the agent's decision
    room = rooms.open(("governance=optional",), seed=7)
    seated(room)
    room.next_decision()
    assert room.open
    month, asked = room.month, list(room.open)
    clock.now += room.vote_seconds - 1
    room.tick()
    assert room.month == month and room.open  # still open before the deadline
    clock.now += 2
    room.tick()
    assert room.month == month + 1 and not room.open
    entries = [e for e in room.log if e.month == month + 1]
    assert [(e.key, e.vote, e.by) for e in entries] == [(q.key, q.own, AGENT) for q in asked]


def test_only_the_council_in_question_may_vote(rooms):
    room = rooms.open(("governance=optional",), seed=7)
    tokens = seated(room)
    room.next_decision()
    question = room.open[0]
    other = next(t for c, t in tokens.items() if c != question.council)
    with pytest.raises(SeatProblem):
        room.cast(other, question.key, True)
    with pytest.raises(SeatProblem):
        room.cast("not-a-token", question.key, True)


def test_a_free_seat_is_played_by_the_agent_and_never_asked(rooms):
    room = rooms.open(("governance=optional",), seed=7)
    _, token = room.take_seat(0)
    room.connect(token)
    while not room.ended:
        room.next_decision()
        assert all(q.council == 0 for q in room.open)
        for q in list(room.open):
            room.cast(token, q.key, not q.own)
    assert {e.council for e in room.log} == {0}


def test_reconnect_within_grace_keeps_the_seat_and_after_it_frees_it(rooms, clock):
    # kills: a grace period that is not applied, or one that never ends
    room = rooms.open()
    council, token = room.take_seat(2)
    room.connect(token)
    room.disconnect(token)
    clock.now += room.grace_seconds - 1
    room.tick()
    assert room.connect(token) == council
    with pytest.raises(SeatProblem):
        room.take_seat(2)
    room.disconnect(token)
    clock.now += room.grace_seconds + 1
    room.tick()
    with pytest.raises(SeatProblem):
        room.connect(token)
    assert room.take_seat(2)[0] == 2


def test_two_rooms_stay_isolated(rooms):
    # kills: a registry sharing a model, seats or votes between rooms
    a = rooms.open(("governance=optional",), seed=7)
    b = rooms.open(("governance=optional",), seed=7)
    assert a.code != b.code and rooms.get(a.code.lower()) is a and rooms.get(b.code) is b
    tokens = seated(a)
    _, b_token = b.take_seat(1)
    with pytest.raises(SeatProblem):
        b.connect(tokens[1])
    play(a, tokens, lambda q: not q.own)
    assert b.month == 0 and not b.log
    while not b.ended:
        b.next_decision()
        b.close_vote()
    assert same_run(b.model, agents_run(b))
    assert not same_run(a.model, b.model)


def test_the_clock_plays_months_and_waits_at_a_vote(rooms, clock):
    room = rooms.open(("governance=optional",), seed=7)
    seated(room)
    room.play()
    months = []
    while not room.open:
        room.tick()
        months.append(room.month)
        clock.now += room.month_seconds
    assert months == sorted(months) and months[-1] >= 1
    held = room.month
    clock.now += room.vote_seconds / 2
    room.tick()
    assert room.month == held  # waits for the vote
    room.pause()
    clock.now += room.vote_seconds
    room.tick()  # the deadline still closes the vote, but the paused clock plays no further
    clock.now += 10 * room.month_seconds
    room.tick()
    assert room.month == held + 1


def test_restore_replays_the_logged_votes_bit_for_bit(rooms, clock, tmp_path):
    # kills: a restore that ignores the votes, shifts their month, or replays a different seed
    room = rooms.open(("governance=optional",), seed=11)
    tokens = seated(room)
    flip = [True]

    def alternate(question):
        flip[0] = not flip[0]
        return flip[0]

    while room.month < 13:
        room.next_decision()
        for q in list(room.open)[:1]:
            room.cast(tokens[q.council], q.key, alternate(q))
        if room.open:  # the rest time out
            clock.now += room.vote_seconds + 1
            room.tick()
    saved = json.loads((tmp_path / "rooms" / f"{room.code}.json").read_text())
    assert saved["month"] == room.month
    assert {e["by"] for e in saved["log"]} == {SEAT, AGENT}
    restarted = Rooms(save_dir=tmp_path / "rooms", clock=clock,
                      defaults={**SETTINGS, "code_length": 4})
    assert restarted.restore_saved() == [room.code]
    again = restarted.get(room.code)
    assert same_run(again.model, room.model)
    assert again.log == room.log
    assert not same_run(again.model, agents_run(room))
    assert again.connect(tokens[0]) == 0  # the seat is kept for its participant
    # both go on with the same votes and stay the same
    for r in (room, again):
        play(r, tokens, lambda q: q.month % 2 == 0)
    assert same_run(again.model, room.model)


def test_a_council_played_by_a_person_stays_when_they_vote_to_stay(rooms):
    # kills: a turning-away hook that ignores the vote or asks the wrong council
    room = rooms.open(("region.councils.Uitgeest.outside_option=0.6",), seed=5)
    uitgeest = room.councils.index("Uitgeest")
    assert agents_run(room).councils[uitgeest].turned_away is None
    _, token = room.take_seat(uitgeest)
    room.connect(token)
    play(room, {uitgeest: token}, lambda q: False)
    asked = [e for e in room.log if e.kind == TURN_AWAY]
    assert asked and all(e.own and not e.vote and e.council == uitgeest for e in asked)
    assert room.model.councils[uitgeest].active
    assert agents_run(room).councils[uitgeest].turned_away == asked[0].month


def first_question(rooms, *overrides, seed=7):
    room = rooms.open(overrides, seed=seed)
    tokens = seated(room)
    while not room.open:
        room.next_decision()
    return room, tokens, room.open[0]


def test_the_vote_brief_shows_this_councils_stakes_and_the_rule(rooms):
    # kills: gains or costs read for another participant, or the rule's veto misread
    from ijmond_sim.workshop.briefing import vote_brief

    positions = set()
    for rule, overrulable in (("governance=optional", False), ("governance=binding", True)):
        room, _, _ = first_question(rooms, rule)
        for question in room.open:
            brief = vote_brief(room.shown, question)
            initiative = room.shown.initiatives[question.initiative]
            me = initiative.participants.tolist().index(question.council)
            positions.add(me)
            surplus = room.shown.region.surplus[initiative.opgave]
            assert brief.cost == initiative.cost_share[me]
            assert brief.local_gain == pytest.approx(surplus * initiative.benefit_share[me] - brief.cost)
            assert brief.regional_gain == pytest.approx(surplus - 1)
            assert len(initiative.participants) > 2  # a 'no' alone is a minority
            assert question.council not in brief.partners
            assert len(brief.partners) == len(initiative.participants) - 1
            assert brief.overrulable is overrulable
    assert len(positions) > 1  # not only the first participant's shares


def test_the_debrief_sets_the_room_beside_the_agents_on_the_same_seed(rooms):
    # kills: a debrief that compares with another seed or miscounts the votes unlike the model's
    from ijmond_sim.workshop.debrief import debrief

    room = rooms.open(("governance=optional",), seed=11)
    tokens = seated(room)
    answers = iter([True, False] * 50)
    play(room, tokens, lambda q: next(answers))
    result = debrief(room)
    agents = RegionModel(room.scenario, seed=11)
    agents.run_for(room.month)
    rows = {key: (ours, theirs) for key, ours, theirs in result.rows}
    assert rows["stranded"] == (room.model.stranded, agents.stranded)
    assert rows["completed"][1] == agents.completed
    assert rows["mean_trust"][1] == round(agents.mean_trust(), 2)
    assert [b[2] for b in result.benefit] == [round(c.realised_benefit, 2) for c in agents.councils]
    assert result.cast == len(room.log)
    assert result.differing == sum(e.vote != e.own for e in room.log) > 0


def test_the_log_export_has_every_decision_with_time_and_seat(rooms, clock):
    import csv
    import io

    from ijmond_sim.workshop.debrief import log_csv

    room = rooms.open(("governance=optional",), seed=7)
    tokens = seated(room)
    room.next_decision()
    clock.now += 5
    question = room.open[0]
    room.cast(tokens[question.council], question.key, not question.own)
    room.close_vote()
    rows = list(csv.DictReader(io.StringIO(log_csv(room))))
    assert len(rows) == len(room.log) >= 1
    voted = next(r for r in rows if r["by"] == SEAT)
    assert voted["council"] == room.councils[question.council]
    assert float(voted["at"]) == 5.0 and voted["vote"] == str(not question.own)
    assert all(r["by"] == AGENT for r in rows if r is not voted)


def test_the_month_is_played_as_soon_as_every_vote_is_in(rooms):
    # kills: a last vote that leaves the month waiting for the clock
    room = rooms.open(("governance=optional",), seed=7)
    tokens = seated(room)
    room.next_decision()
    month = room.month
    while room.open:
        assert room.month == month
        question = room.open[0]
        room.cast(tokens[question.council], question.key, True)
    assert room.month == month + 1
