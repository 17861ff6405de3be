"""The people's decisions in the model: what a council is asked at a vote, the ballot hook, leaving by choice.

The model calls its ``ballot`` (``RegionModel.ballot``) wherever a council
decides. :class:`Ballot` answers with the votes cast in the room for that
decision and otherwise with the council's own (the agent's) decision, and
records every question put to a council played by a person. A person may also
take their council out of the region on their own initiative (:data:`LEAVE`):
:class:`RoomModel` applies that choice at the start of the month it was chosen
for. Neither draws random numbers, so the same votes give the same run, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import Initiative, Phase

# The decisions a person can take for their council, keyed like the model's phases.
COLLEGE = "college"
COUNCIL = "council"
REVIEW = "review"
TURN_AWAY = "turn_away"
LEAVE = "leave"  # a played council leaving the region by its player's choice, unasked by the model
KIND_OF_PHASE = {Phase.COLLEGE_DECISION: COLLEGE, Phase.COUNCIL_DECISION: COUNCIL,
                 Phase.EXECUTION: REVIEW}

# (month, kind, initiative uid or -1, council index): one decision of one council.
Key = tuple[int, str, int, int]


@dataclass(frozen=True)
class Question:
    """A decision put to the person who plays a council.

    Attributes:
        month: the month of the decision.
        kind: ``college``, ``council``, ``review``, ``turn_away`` or ``leave``.
        initiative: uid of the initiative (-1 for turning away and leaving).
        council: index of the council.
        own: the council's own decision (the agent's): support, or leave for ``turn_away`` and
            ``leave`` (False for ``leave``: the agent did not choose it).
    """

    month: int
    kind: str
    initiative: int
    council: int
    own: bool

    @property
    def key(self) -> Key:
        """The decision's key in the room's votes."""
        return (self.month, self.kind, self.initiative, self.council)


def deciding_now(model: RegionModel, initiative: Initiative) -> np.ndarray:
    """Which participants of ``initiative`` decide this month (mask over its participants).

    In a college or council decision those whose meeting is this month; at a
    review under execution all of them.
    """
    if initiative.phase in (Phase.COLLEGE_DECISION, Phase.COUNCIL_DECISION):
        return initiative.vote_months == model.month
    return np.ones(len(initiative.participants), dtype=bool)


class Ballot:
    """The room's answer to the model's ballot hook.

    Args:
        model: the model it is attached to.
        votes: the people's decisions by key; missing keys leave the council's own decision.
        played: indices of the councils whose questions are recorded (the taken seats).

    Attributes:
        asked: the questions put to played councils, in the order the model asked them.
    """

    def __init__(self, model: RegionModel, votes: dict[Key, bool], played=()) -> None:
        self.model = model
        self.votes = votes
        self.played = frozenset(int(c) for c in played)
        self.asked: list[Question] = []

    def __call__(self, initiative: Initiative | None, councils: np.ndarray,
                 own: np.ndarray) -> np.ndarray:
        """The decisions that count, given the councils' own."""
        if initiative is None:
            kind, uid, deciding = TURN_AWAY, -1, np.ones(len(councils), dtype=bool)
        else:
            kind, uid = KIND_OF_PHASE[initiative.phase], initiative.uid
            deciding = deciding_now(self.model, initiative)
        result = np.array(own, dtype=bool)
        for j, council in enumerate(councils.tolist()):
            if not deciding[j]:
                continue
            question = Question(self.model.month, kind, uid, council, bool(own[j]))
            if council in self.played:
                self.asked.append(question)
            result[j] = self.votes.get(question.key, result[j])
        return result

    def leaving(self) -> list[int]:
        """The councils still in the region whose players chose to leave it this month.

        Each is recorded as asked (a :data:`LEAVE` question), played or not: only a person
        chooses it.
        """
        month = self.model.month
        chosen = [c for c in np.flatnonzero(self.model.active).tolist()
                  if self.votes.get((month, LEAVE, -1, c))]
        self.asked += [Question(month, LEAVE, -1, c, False) for c in chosen]
        return chosen


class RoomModel(RegionModel):
    """The model of a room: as :class:`RegionModel`, but a played council may also leave by choice.

    At the start of a month, before the councils act, every council whose player chose
    to leave in that month turns away (:meth:`RegionModel.turn_away`, as a council that
    weighs its outside option does). With any other ballot, or none, it is the plain model.

    Attributes:
        left_by_choice: the councils that left by their player's choice (the timeline words
            their departure as such).
    """

    left_by_choice: frozenset[int] = frozenset()

    def step(self) -> None:
        """One month, after the chosen departures of this month."""
        if isinstance(self.ballot, Ballot):
            for council in self.ballot.leaving():
                self.turn_away(self.councils[council])
                self.left_by_choice = self.left_by_choice | {council}
        super().step()


def attach(model: RegionModel, votes: dict[Key, bool], played=()) -> Ballot:
    """Attach a :class:`Ballot` to ``model`` and return it."""
    ballot = Ballot(model, votes, played)
    model.ballot = ballot
    return ballot
