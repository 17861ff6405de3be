"""Meeting calendars: when a college or council next takes a decision (report 4.2, 5.4)."""

from __future__ import annotations

import numpy as np


def next_meeting(month: int, cycle: np.ndarray | int, offset: np.ndarray | int) -> np.ndarray:
    """First meeting month at or after ``month`` for calendars that meet every ``cycle`` months.

    A calendar with cycle ``c`` and offset ``o`` meets in the months ``o, o + c, o + 2c, ...``.

    Args:
        month: the month from which the item is on the agenda.
        cycle: months between meetings (>= 1), one per council or one for all.
        offset: the month of the first meeting (>= 0), one per council or one for all.

    Returns:
        The meeting month per council (an integer array, or a 0-d array for scalar input).
    """
    cycle = np.asarray(cycle)
    offset = np.asarray(offset)
    wait = (offset - month) % cycle
    return month + wait


def vote_months(month: int, cycle: np.ndarray | int, offset: np.ndarray | int) -> np.ndarray:
    """Month of the council vote: a committee meeting first, the council one cycle later (5.4).

    Args:
        month: the month the item can first be put on an agenda.
        cycle: months between meetings, per council or one shared (aligned) calendar.
        offset: first meeting month, per council or shared.

    Returns:
        The vote month, per council (or 0-d for a shared calendar).
    """
    return next_meeting(month, cycle, offset) + np.asarray(cycle)


def aligned_vote_months(month: int, cycle: int, councils: np.ndarray) -> np.ndarray:
    """Vote months on one shared calendar: every council votes at the same meeting (4.2: aligned timing).

    Args:
        month: the month the item can first be put on an agenda.
        cycle: months between the shared meetings (the first in month 0).
        councils: any array with one entry per participating council (its shape is used).

    Returns:
        The same vote month for every council.
    """
    return np.full(np.shape(councils), vote_months(month, cycle, 0))
