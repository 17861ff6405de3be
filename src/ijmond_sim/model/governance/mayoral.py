"""Mayoral coordination: the mayors direct the process (report 4.1, 4.2, 6.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import MISSING

from ijmond_sim.model.decision import mediated_cost_shares
from ijmond_sim.model.governance.base import GovernanceRule
from ijmond_sim.model.meetings import aligned_vote_months


@dataclass
class MayoralCoordination(GovernanceRule):
    """Aligned decision moments, mediation of interests, a connecting leader; no binding force.

    Args:
        aligned_cycle: months between the jointly planned decision moments (4.2: align the
            timing of the four councils' decisions).
        mediation: how far the mayors move each council's cost share towards its share of
            the benefit ("gunnen", 4.1, 4.2), 0 = not at all, 1 = fully.
        package_deal: how far earlier imbalances are made good across opgaven (a council
            that gained less so far pays less now), 0 = not at all, 1 = fully.
        conflict_damping: factor on the trust lost in a conflict; a connecting leader
            (5.3, 6.2) softens it (1 = no damping).
    """

    key = "mayoral"
    label = "mayoral coordination"
    order = 2
    aligned_cycle: int = MISSING
    mediation: float = MISSING
    package_deal: float = MISSING
    conflict_damping: float = MISSING

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """All councils decide at the next jointly planned moment."""
        return aligned_vote_months(month, self.aligned_cycle, cycles)

    def negotiated_cost_shares(
        self, cost_shares: np.ndarray, benefit_shares: np.ndarray, gains_gap: np.ndarray
    ) -> np.ndarray:
        """Cost shares moved towards benefit shares and towards past fairness."""
        return mediated_cost_shares(
            cost_shares, benefit_shares, gains_gap, self.mediation, self.package_deal
        )

    def checks(self) -> Iterator[tuple[str, Any, bool, str]]:
        """Range checks of the mayoral parameters."""
        yield "governance.aligned_cycle", self.aligned_cycle, self.aligned_cycle >= 1, ">= 1 month"
        for name in ("mediation", "package_deal", "conflict_damping"):
            value = getattr(self, name)
            yield f"governance.{name}", value, 0 <= value <= 1, "must be in [0, 1]"
