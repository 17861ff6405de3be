"""Optional cooperation: today's ad hoc, non-committal cooperation (report 3.2, 3.4)."""

from __future__ import annotations

from dataclasses import dataclass

from ijmond_sim.model.governance.base import GovernanceRule


@dataclass
class OptionalCooperation(GovernanceRule):
    """The status quo: every council decides on its own calendar and can block or leave.

    Any 'no' at any phase strands the initiative; leaving costs nothing but the
    trust the others lose in the one who left (3.4, threat 1 and 4).
    """

    key = "optional"
    label = "optional cooperation"
    order = 1
