"""The run month by month: a frozen snapshot of everything the views show, kept per month for replay.

:func:`take` reads a model (read-only) after a month; the page keeps one
snapshot per month, so the month slider can show any month of the run so far
and the timeline (:mod:`ijmond_sim.dashboard.timeline`) can compare two months.
A new measure on the tiles is one line in :data:`MEASURES` and one label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import Phase, StrandReason

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
    """

    uid: int
    opgave: int
    initiator: int
    participants: tuple[int, ...]
    phase: Phase
    strand_reason: StrandReason | None
    blamed: tuple[int, ...]


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
        times_overruled: per council, votes lost so far.
        measures: the values of :data:`MEASURES`.
        initiatives: every initiative proposed so far, as it stood.
        rule: key of the governance rule in force.
        rule_label: the rule's own name.
        initial_mean_trust: mean trust at the start.
        running: False once the run's last month is done.
    """

    month: int
    horizon: int
    councils: tuple[str, ...]
    opgaven: tuple[str, ...]
    opgave_labels: tuple[str, ...]
    trust: np.ndarray
    active: tuple[bool, ...]
    times_overruled: tuple[int, ...]
    measures: dict[str, float]
    initiatives: tuple[InitiativeState, ...]
    rule: str
    rule_label: str
    initial_mean_trust: float
    running: bool


def take(model: RegionModel) -> Snapshot:
    """A snapshot of ``model`` now (reads the model, changes nothing)."""
    trust = np.array(model.trust, dtype=float)
    trust.setflags(write=False)
    return Snapshot(
        month=model.month,
        horizon=model.params.months,
        councils=tuple(model.region.councils),
        opgaven=tuple(model.region.opgaven),
        opgave_labels=tuple(model.region.opgave_labels),
        trust=trust,
        active=tuple(bool(x) for x in model.active),
        times_overruled=tuple(c.times_overruled for c in model.councils),
        measures={name: float(read(model)) for name, read in MEASURES.items()},
        initiatives=tuple(
            InitiativeState(i.uid, i.opgave, i.initiator, tuple(int(p) for p in i.participants),
                            i.phase, i.strand_reason, tuple(i.blamed))
            for i in model.initiatives),
        rule=model.rule.key,
        rule_label=model.rule.label,
        initial_mean_trust=float(model.initial_mean_trust),
        running=bool(model.running),
    )


def series(snapshots: list[Snapshot], name: str) -> list[float]:
    """One measure over the months of ``snapshots``."""
    return [s.measures[name] for s in snapshots]
