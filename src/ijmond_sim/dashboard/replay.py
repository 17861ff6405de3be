"""The run month by month: a frozen snapshot of everything the views show, kept per month for replay.

:func:`take` reads a model (read-only) after a month; the page keeps one
snapshot per month, so the month slider can show any month of the run so far
and the timeline (:mod:`ijmond_sim.dashboard.timeline`) can compare two months.
An initiative that did not change since the month before is shared with that
month's snapshot, not copied, so a run's snapshots grow with what happens, not
with months times initiatives (``benchmarks/dashboard_memory.py --snapshots``).
A new measure on the tiles is one line in :data:`MEASURES` and one label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.governance import rule_label
from ijmond_sim.model.initiative import OVERRULED, Blame, Phase, StrandReason

# The numbers on the tiles and in the exported table: name -> how to read it from a model.
# The tile's words are the label of the same name (labels.py).
MEASURES: dict[str, Callable[[RegionModel], float]] = {
    "started": lambda m: m.started,
    "completed": lambda m: m.completed,
    "stranded": lambda m: m.stranded,
    "under_way": lambda m: m.under_way,
    "mean_trust": lambda m: m.mean_trust(),
}


@dataclass(frozen=True)
class InitiativeState:
    """One initiative as it stood in a month.

    Attributes:
        uid: its sequence number in the run.
        opgave: index of the opgave.
        initiator: index of the proposing council.
        participants: indices of the councils taking part.
        phase: where it stood.
        strand_reason: why it stranded (stranded only).
        blamed: who was blamed (stranded only).
        overrulings: every vote carried over a minority so far, as the model recorded it on the
            initiative (``witnesses``: the outvoted, ``offenders``: the majority).
    """

    uid: int
    opgave: int
    initiator: int
    participants: tuple[int, ...]
    phase: Phase
    strand_reason: StrandReason | None
    blamed: tuple[int, ...]
    overrulings: tuple[Blame, ...] = ()


def _state(initiative, previous: InitiativeState | None) -> InitiativeState:
    """``initiative`` as it stands now: ``previous`` itself if nothing changed since."""
    state = InitiativeState(
        initiative.uid, initiative.opgave, initiative.initiator,
        tuple(int(p) for p in initiative.participants), initiative.phase,
        initiative.strand_reason, tuple(initiative.blamed),
        tuple(b for b in initiative.blame if b.why == OVERRULED))
    return previous if state == previous else state


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the views show of one month.

    Attributes:
        month: the month (0 = the start).
        horizon: months in the run.
        councils: council names, in the model's order.
        opgaven: opgave keys, in the model's order.
        opgave_labels: the region's own names of the opgaven.
        trust: ``trust[i, j]``: council i's trust in council j (a copy).
        active: per council, whether it is still in the region.
        measures: the values of :data:`MEASURES`.
        initiatives: every initiative proposed so far, as it stood.
        rule: key of the governance rule in force.
        rule_label: the rule's own name.
        initial_mean_trust: mean trust at the start.
        running: False once the run's last month is done.
        left_by_choice: councils that left the region by a player's choice (a room's model
            says so in its ``left_by_choice``; none in the plain model).
    """

    month: int
    horizon: int
    councils: tuple[str, ...]
    opgaven: tuple[str, ...]
    opgave_labels: tuple[str, ...]
    trust: np.ndarray
    active: tuple[bool, ...]
    measures: dict[str, float]
    initiatives: tuple[InitiativeState, ...]
    rule: str
    rule_label: str
    initial_mean_trust: float
    running: bool
    left_by_choice: frozenset[int] = frozenset()


def take(model: RegionModel, previous: Snapshot | None = None) -> Snapshot:
    """A snapshot of ``model`` now (reads the model, changes nothing).

    Args:
        model: the model.
        previous: the snapshot of the month before, whose unchanged parts are shared.
    """
    trust = np.array(model.trust, dtype=float)
    if previous is not None and np.array_equal(trust, previous.trust):
        trust = previous.trust
    trust.setflags(write=False)
    before = previous.initiatives if previous is not None else ()
    return Snapshot(
        month=model.month,
        horizon=model.params.months,
        councils=tuple(model.region.councils),
        opgaven=tuple(model.region.opgaven),
        opgave_labels=tuple(model.region.opgave_labels),
        trust=trust,
        active=tuple(bool(x) for x in model.active),
        measures={name: float(read(model)) for name, read in MEASURES.items()},
        initiatives=tuple(_state(i, before[i.uid] if i.uid < len(before) else None)
                          for i in model.initiatives),
        rule=model.rule.key,
        rule_label=rule_label(model.rule.key),
        initial_mean_trust=float(model.initial_mean_trust),
        running=bool(model.running),
        left_by_choice=frozenset(getattr(model, "left_by_choice", ())),
    )


def series(snapshots: list[Snapshot], name: str) -> list[float]:
    """One measure over the months of ``snapshots``."""
    return [s.measures[name] for s in snapshots]
