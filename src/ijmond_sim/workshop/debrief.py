"""The end of a round: the room's run beside the model's own councils on the same seed."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from ijmond_sim.model import RegionModel
from ijmond_sim.workshop.rooms import SEAT, Room, agents_run

# The measures compared, by the dashboard's label keys: key -> how to read it from a model.
MEASURES = {
    "started": lambda m: m.started,
    "completed": lambda m: m.completed,
    "stranded": lambda m: m.stranded,
    "under_way": lambda m: m.under_way,
    "mean_trust": lambda m: round(m.mean_trust(), 2),
}


@dataclass(frozen=True)
class Debrief:
    """The comparison at the end of a round (or so far).

    Attributes:
        rows: ``(label key, room value, agents' value)`` per measure.
        benefit: ``(council, room value, agents' value)``: each council's realised benefit.
        turned_away: ``(council, month in the room, month in the agents' run)``, None = stayed.
        differing: votes cast by people that differ from the council's own decision.
        cast: votes cast by people.
    """

    rows: list[tuple[str, float, float]]
    benefit: list[tuple[str, float, float]]
    turned_away: list[tuple[str, int | None, int | None]]
    differing: int
    cast: int


def debrief(room: Room) -> Debrief:
    """Compare ``room`` with the model's own councils over the same months."""
    ours: RegionModel = room.shown
    theirs = agents_run(room)
    people = [e for e in room.log if e.by == SEAT]
    return Debrief(
        rows=[(key, read(ours), read(theirs)) for key, read in MEASURES.items()],
        benefit=[(a.name, round(a.realised_benefit, 2), round(b.realised_benefit, 2))
                 for a, b in zip(ours.councils, theirs.councils, strict=True)],
        turned_away=[(a.name, a.turned_away, b.turned_away)
                     for a, b in zip(ours.councils, theirs.councils, strict=True)],
        differing=sum(e.vote != e.own for e in people),
        cast=len(people),
    )


def log_csv(room: Room) -> str:
    """The room's log as CSV: one row per decision, with the council's name and the opgave's key."""
    out = io.StringIO()
    fields = ["month", "council", "kind", "initiative", "opgave", "vote", "own", "by", "at"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    model = room.shown
    for entry in room.log:
        row = asdict(entry)
        row["council"] = room.councils[entry.council]
        row["opgave"] = ("" if entry.initiative < 0
                         else model.region.opgaven[model.initiatives[entry.initiative].opgave])
        writer.writerow(row)
    return out.getvalue()
