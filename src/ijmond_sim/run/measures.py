"""What a run measured: the run summary, the initiative log and the per-council table.

All functions read a finished (or paused) model and change nothing, so the
sweeps, the dashboard and the command line report the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from statistics import median
from typing import TYPE_CHECKING, Any

from ijmond_sim.model.initiative import Phase
from ijmond_sim.model.trust import given_and_received

if TYPE_CHECKING:
    from ijmond_sim.model import RegionModel


def names_cell(names: Iterable[str]) -> str:
    """A list of council names as one table cell: a JSON list, whatever the names hold (spaces, commas)."""
    return json.dumps(list(names), ensure_ascii=False)


def names_of(cell: str | None) -> list[str]:
    """The council names in a cell written by :func:`names_cell` (an empty cell holds none)."""
    return json.loads(cell) if cell else []


def initiative_log(model: RegionModel) -> list[dict[str, Any]]:
    """One row per initiative: opgave, initiator, participants, phase reached, outcome and why."""
    councils = model.region.councils
    rows = []
    for i in model.initiatives:
        outcome = i.phase.value if i.phase.ended else "under way"
        rows.append({
            "initiative": i.uid,
            "opgave": model.region.opgaven[i.opgave],
            "statutory": bool(model.region.statutory[i.opgave]),
            "initiator": councils[i.initiator],
            "participants": names_cell(councils[p] for p in i.original_participants),
            "remaining": names_cell(councils[p] for p in i.participants),
            "phase_reached": i.furthest.value,
            "outcome": outcome,
            "start_month": i.started,
            "decision_month": i.decided,
            "end_month": i.ended,
            "months_to_decision": None if i.decided is None else i.decided - i.started,
            "months_to_completion": (i.ended - i.started) if i.phase is Phase.COMPLETED else None,
            "strand_reason": i.strand_reason.value if i.strand_reason else None,
            "blamed": names_cell(councils[b] for b in i.blamed),
            "blame": json.dumps([{"by": [councils[w] for w in b.witnesses],
                                  "blamed": [councils[o] for o in b.offenders],
                                  "why": b.why, "month": b.month} for b in i.blame],
                                ensure_ascii=False),
        })
    return rows


def council_table(model: RegionModel) -> list[dict[str, Any]]:
    """One row per council: who gains, who was overruled, who left, and trust given and received."""
    given, received = given_and_received(model.trust)
    rows = []
    for c in model.councils:
        rows.append({
            "council": c.name,
            "population": int(model.region.population[c.index]),
            "realised_benefit": c.realised_benefit,
            "realised_benefit_per_1000_residents": 1000 * c.realised_benefit
            / model.region.population[c.index],
            "times_overruled": c.times_overruled,
            "withdrawals": c.withdrawals,
            "completed": c.completed,
            "stranded": c.stranded,
            "let_down": c.let_down,
            "turned_away_month": c.turned_away,
            "trust_given": float(given[c.index]),
            "trust_received": float(received[c.index]),
        })
    return rows


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def _completion(group: list, label: str) -> dict[str, Any]:
    """Started, ended and completed initiatives of ``group``; completion over started and over ended."""
    done = sum(i.phase is Phase.COMPLETED for i in group)
    ended = sum(i.phase.ended for i in group)
    suffix = f"_{label}" if label else ""
    return {f"started{suffix}": len(group), f"ended{suffix}": ended, f"completed{suffix}": done,
            f"completion_rate{suffix}": _rate(done, len(group)),
            f"completion_rate{suffix}_ended": _rate(done, ended)}


def opgave_progress(model: RegionModel) -> dict[str, float]:
    """Per opgave, the share of the run's years with at least one completed initiative on it.

    A year counts from month 1 to 12, 13 to 24, ...; a part year at the end counts as a year.
    """
    years = max(1, -(-model.month // 12))
    progressed: dict[int, set[int]] = {k: set() for k in range(len(model.region.opgaven))}
    for i in model.initiatives:
        if i.phase is Phase.COMPLETED:
            progressed[i.opgave].add((i.ended - 1) // 12)
    return {model.region.opgaven[k]: len(v) / years for k, v in progressed.items()}


def run_summary(model: RegionModel) -> dict[str, Any]:
    """The outcome measures of one run, as a flat dict of numbers and short strings.

    Completion is given over the initiatives started (unfinished ones count as not
    completed) and over those that ended (completed or stranded). Mean trust at
    the end is given among all councils (``mean_trust_end``, those that turned
    away included) and among the councils still in the region
    (``mean_trust_end_in_region``). ``progress_<opgave>`` is the share of years
    with at least one completion on that opgave; ``opgaven_progressed_per_year``
    their sum, the number of opgaven that moved in an average year.
    """
    log = model.initiatives
    completed = [i for i in log if i.phase is Phase.COMPLETED]
    decided = [i.decided - i.started for i in log if i.decided is not None]
    summary: dict[str, Any] = {
        "months": model.month,
        "started": model.started,
        "completed": model.completed,
        "stranded": model.stranded,
        "under_way": model.under_way,
        **_completion(log, ""),
        "median_months_to_completion": median(i.ended - i.started for i in completed)
        if completed else float("nan"),
        "median_months_to_decision": median(decided) if decided else float("nan"),
        "mean_trust_start": model.initial_mean_trust,
        "mean_trust_end": model.mean_trust(),
        "mean_trust_end_in_region": model.mean_trust_in_region(),
        "turned_away": names_cell(c.name for c in model.councils if not c.active),
        "first_turned_away_month": min((c.turned_away for c in model.councils
                                        if c.turned_away is not None), default=None),
    }
    for label, statutory in (("statutory", True), ("voluntary", False)):
        summary.update(_completion([i for i in log if bool(model.region.statutory[i.opgave]) == statutory],
                                   label))
    for k, opgave in enumerate(model.region.opgaven):
        group = [i for i in log if i.opgave == k]
        done = sum(i.phase is Phase.COMPLETED for i in group)
        summary[f"completion_rate_{opgave}"] = _rate(done, len(group))
    progress = opgave_progress(model)
    summary["opgaven_progressed_per_year"] = sum(progress.values())
    for opgave, share in progress.items():
        summary[f"progress_{opgave}"] = share
    for c in model.councils:
        summary[f"turned_away_month_{c.name}"] = c.turned_away
    for c in model.councils:
        summary[f"realised_benefit_{c.name}"] = c.realised_benefit
        summary[f"times_overruled_{c.name}"] = c.times_overruled
    for truster in model.councils:
        for trustee in model.councils:
            if trustee is not truster:
                summary[f"trust_end_{truster.name}_in_{trustee.name}"] = float(
                    model.trust[truster.index, trustee.index])
    return summary


def format_summary(summary: dict[str, Any], label: str) -> str:
    """A few lines a person reads in ten seconds."""
    def months(x: float) -> str:
        return "n/a" if x != x else f"{x:.0f} months"

    away = ", ".join(names_of(summary["turned_away"]))
    if away:
        away = f"{away} (first in month {summary['first_turned_away_month']})"

    def trust(x: float) -> str:
        return "n/a" if x != x else f"{x:.2f}"
    lines = [
        f"{label}, {summary['months'] // 12} years:",
        f"  initiatives   {summary['started']} started: {summary['completed']} completed, "
        f"{summary['stranded']} stranded, {summary['under_way']} still under way",
        f"  completion    statutory {summary['completion_rate_statutory']:.0%} of started "
        f"({summary['completion_rate_statutory_ended']:.0%} of ended), voluntary "
        f"{summary['completion_rate_voluntary']:.0%} of started "
        f"({summary['completion_rate_voluntary_ended']:.0%} of ended)",
        f"  progress      {summary['opgaven_progressed_per_year']:.1f} opgaven a year with a completion",
        f"  time          median {months(summary['median_months_to_decision'])} to decision, "
        f"{months(summary['median_months_to_completion'])} to completion",
        f"  mean trust    {summary['mean_trust_start']:.2f} at start -> "
        f"{trust(summary['mean_trust_end_in_region'])} at end among the councils in the region "
        f"({summary['mean_trust_end']:.2f} among all)",
        f"  turned away   {away or 'nobody'}",
    ]
    return "\n".join(lines)
