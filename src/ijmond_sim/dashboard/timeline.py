"""The story of a run: its events, found by comparing the snapshots of two successive months.

Read-only: the events come from :class:`~ijmond_sim.dashboard.replay.Snapshot`
objects, never from hooks in the model. One comparison per month finds who
proposed what, which decisions were taken (and who was carried over: exactly the
losers and winners the model recorded on that initiative), who blocked, who
withdrew, what was completed, what stranded and who was blamed by whom, and
which council turned away. Words are added by the views
(:func:`ijmond_sim.dashboard.views.event_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ijmond_sim.dashboard.replay import InitiativeState, Snapshot, take
from ijmond_sim.model.initiative import Phase, StrandReason

KINDS = ("proposed", "colleges_agreed", "decided", "overruled", "withdrew", "completed",
         "stranded", "turned_away", "left_by_choice")


@dataclass(frozen=True)
class Event:
    """One thing that happened in a month.

    Attributes:
        month: when.
        kind: one of :data:`KINDS`.
        opgave: the opgave's index (None for a council turning away).
        actors: the councils who acted (proposed, blocked, withdrew, turned away, were blamed).
        others: the councils on the other side (partners, those who blamed, the majority).
        uid: the initiative's number (None for a council turning away).
        reason: the strand reason (stranded only).
        trust: the council's mean trust in the others just before it turned away.
    """

    month: int
    kind: str
    opgave: int | None
    actors: tuple[int, ...]
    others: tuple[int, ...] = ()
    uid: int | None = None
    reason: StrandReason | None = None
    trust: float | None = None
    councils: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "councils", frozenset(self.actors) | frozenset(self.others))


def _initiative_events(month: int, old: InitiativeState | None,
                       new: InitiativeState) -> list[Event]:
    """What happened to one initiative between last month (``old``) and this month."""
    events = []
    k, uid = new.opgave, new.uid
    if old is None:
        partners = tuple(p for p in new.participants if p != new.initiator)
        events.append(Event(month, "proposed", k, (new.initiator,), partners, uid))
        old = InitiativeState(uid, k, new.initiator, new.participants, Phase.PREPARATION, None, ())
    if old.phase.ended:
        return events
    if new.phase is Phase.STRANDED:
        blamed = new.blamed
        witnesses = tuple(p for p in new.participants if p not in blamed)
        events.append(Event(month, "stranded", k, blamed, witnesses, uid, new.strand_reason))
        return events
    left = tuple(p for p in old.participants if p not in new.participants)
    if left:
        events.append(Event(month, "withdrew", k, left, new.participants, uid))
    agreed = new.phase is Phase.COUNCIL_DECISION and old.phase is not Phase.COUNCIL_DECISION
    decided = new.phase is Phase.EXECUTION and old.phase is not Phase.EXECUTION
    for vote in new.overrulings[len(old.overrulings):]:
        events.append(Event(vote.month, "overruled", k, vote.offenders, vote.witnesses, uid))
    if agreed:
        events.append(Event(month, "colleges_agreed", k, new.participants, (), uid))
    if decided:
        events.append(Event(month, "decided", k, new.participants, (), uid))
    if new.phase is Phase.COMPLETED:
        events.append(Event(month, "completed", k, new.participants, (), uid))
    return events


def events_between(before: Snapshot, after: Snapshot) -> list[Event]:
    """The events of ``after.month``, found by comparing it with the month ``before``."""
    events = []
    for state in after.initiatives:
        old = before.initiatives[state.uid] if state.uid < len(before.initiatives) else None
        if state is not old:  # a snapshot shares the initiatives that did not change
            events += _initiative_events(after.month, old, state)
    for i, (was, now) in enumerate(zip(before.active, after.active, strict=True)):
        if was and not now:
            partners = [j for j, on in enumerate(before.active) if on and j != i]
            trust = float(np.mean(before.trust[i, partners])) if partners else None
            kind = "left_by_choice" if i in after.left_by_choice else "turned_away"
            events.insert(0, Event(after.month, kind, None, (i,), tuple(partners), trust=trust))
    return events


def run_events(snapshots: list[Snapshot]) -> list[Event]:
    """Every event of the run so far, in order (``snapshots``: one per month from the start)."""
    events = []
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        events += events_between(before, after)
    return events


def select(events: list[Event], council: int | None = None, opgave: int | None = None,
           until: int | None = None) -> list[Event]:
    """The events that involve ``council`` and concern ``opgave``, up to month ``until`` (None: all)."""
    return [e for e in events
            if (council is None or council in e.councils)
            and (opgave is None or e.opgave == opgave)
            and (until is None or e.month <= until)]


class Recording:
    """A model with its snapshot of every month and the events found so far, stepped together.

    Args:
        model: a fresh model (month 0); it is stepped only through :meth:`step`.
    """

    def __init__(self, model) -> None:
        self.model = model
        self.snapshots: list[Snapshot] = [take(model)]
        self.events: list[Event] = []

    @property
    def month(self) -> int:
        """The last month simulated."""
        return self.snapshots[-1].month

    def step(self) -> None:
        """Simulate one month; keep its snapshot and its events."""
        self.model.step()
        snapshot = take(self.model, self.snapshots[-1])
        self.events += events_between(self.snapshots[-1], snapshot)
        self.snapshots.append(snapshot)

    def at(self, month: int | None) -> Snapshot:
        """The snapshot of ``month`` (the latest for None, clamped to the run so far)."""
        if month is None:
            return self.snapshots[-1]
        return self.snapshots[max(0, min(int(month), len(self.snapshots) - 1))]

    def until(self, month: int | None) -> list[Snapshot]:
        """The snapshots from the start up to ``month`` (all for None)."""
        return self.snapshots if month is None else self.snapshots[:self.at(month).month + 1]
