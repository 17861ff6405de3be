"""An initiative: one joint proposal on one opgave, moving through its phases (report 5.4, 5.5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


class Phase(StrEnum):
    """Where an initiative stands; the last two are final."""

    PREPARATION = "preparation"
    COLLEGE_DECISION = "college decision"
    COUNCIL_DECISION = "council decision"
    EXECUTION = "design and execution"
    COMPLETED = "completed"
    STRANDED = "stranded"

    @property
    def ended(self) -> bool:
        """True for completed and stranded."""
        return self in (Phase.COMPLETED, Phase.STRANDED)


OVERRULED = "overruled"  # why the losers of a majority vote blame the winners


@dataclass(frozen=True)
class Blame:
    """One moment in which some councils came to trust others less.

    Attributes:
        month: when.
        witnesses: the councils whose trust fell.
        offenders: the councils they blamed.
        why: a :class:`StrandReason` value, or ``overruled``.
    """

    month: int
    witnesses: tuple[int, ...]
    offenders: tuple[int, ...]
    why: str


class StrandReason(StrEnum):
    """Why an initiative stranded."""

    BLOCKED_BY_COLLEGE = "blocked in the college decision"
    BLOCKED_BY_COUNCIL = "blocked in the council decision"
    WITHDRAWAL = "a partner withdrew during execution"
    HELD_BACK = "a partner held back its part"
    FAILED_DELIVERY = "a partner could not deliver"
    TURNED_AWAY = "a partner turned away from the region"


@dataclass(eq=False)
class Initiative:
    """One joint proposal.

    Attributes:
        uid: sequence number within the run.
        opgave: index of the opgave.
        initiator: index of the proposing council.
        participants: indices of the councils taking part now.
        started: month of the proposal.
        cost_share: the participants' cost shares (after any negotiation).
        benefit_share: the participants' benefit shares.
        mood: each participant's political mood on it (standard normal, see ``decision.supports``).
        phase: the current phase.
        phase_ends: month the current phase ends (the last vote in a decision phase).
        vote_months: in a decision phase, the month each participant votes.
        votes: in a decision phase, each participant's vote once cast.
        decided: month the council decision (or mandate) was taken, if reached.
        ended: month it completed or stranded.
        strand_reason: why it stranded.
        blamed: councils that blocked, withdrew or failed.
        next_review: next month of the partners' review during execution.
        furthest: the furthest phase reached before the outcome.
        original_participants: the participants at the proposal.
        blame: who blamed whom, and why, in order.
    """

    uid: int
    opgave: int
    initiator: int
    participants: np.ndarray
    started: int
    cost_share: np.ndarray
    benefit_share: np.ndarray
    mood: np.ndarray
    phase: Phase = Phase.PREPARATION
    phase_ends: int = 0
    vote_months: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    votes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    decided: int | None = None
    ended: int | None = None
    strand_reason: StrandReason | None = None
    blamed: tuple[int, ...] = ()
    next_review: int = 0
    furthest: Phase = Phase.PREPARATION
    original_participants: tuple[int, ...] = ()
    blame: list[Blame] = field(default_factory=list)

    def enter(self, phase: Phase, until: int) -> None:
        """Move into ``phase``, which lasts until month ``until``."""
        self.phase = phase
        self.phase_ends = until
        self.furthest = phase

    def complete(self, month: int) -> None:
        """Mark completed in ``month``."""
        self.phase, self.ended = Phase.COMPLETED, month

    def strand(self, month: int, reason: StrandReason, blamed: tuple[int, ...]) -> None:
        """Mark stranded in ``month``, for ``reason``, blaming ``blamed``."""
        self.phase, self.ended = Phase.STRANDED, month
        self.strand_reason, self.blamed = reason, blamed

    def record_blame(self, month: int, witnesses: np.ndarray, offenders: np.ndarray, why: str) -> None:
        """Record that ``witnesses`` trust ``offenders`` less from ``month`` on, because of ``why``."""
        if len(witnesses) and len(offenders):
            self.blame.append(Blame(month, tuple(int(i) for i in witnesses),
                                    tuple(int(i) for i in offenders), why))

    def keep_only(self, keep: np.ndarray) -> None:
        """Continue with the participants where ``keep`` is true; renormalise their shares."""
        self.participants = self.participants[keep]
        self.cost_share = self.cost_share[keep] / self.cost_share[keep].sum()
        self.benefit_share = self.benefit_share[keep] / self.benefit_share[keep].sum()
        self.mood = self.mood[keep]
        if len(self.vote_months):
            self.vote_months, self.votes = self.vote_months[keep], self.votes[keep]
