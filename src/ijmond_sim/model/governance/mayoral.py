"""Mayoral coordination: the mayors direct the process (report 4.1, 4.2, 6.2)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ijmond_sim.model.decision import mediated_cost_shares
from ijmond_sim.model.governance.base import DecisionContext, GovernanceRule
from ijmond_sim.model.meetings import aligned_vote_months
from ijmond_sim.model.parameters import parameter


@dataclass
class MayoralCoordination(GovernanceRule):
    """Aligned decision moments, mediation of interests, a connecting leader; no binding force.

    Its parameters are declared below (meaning, unit, range, report section).
    """

    key = "mayoral"
    label = "mayoral coordination"
    order = 2
    aligned_cycle: int = parameter(meaning="months between the jointly planned decision moments",
                                   unit="months", section="4.2", low=1)
    mediation: float = parameter(
        meaning="how far each council's cost share moves towards its share of the benefit ('gunnen')",
        unit="share", section="4.1, 4.2", low=0, high=1)
    package_deal: float = parameter(meaning="how far earlier imbalances are made good across opgaven",
                                    unit="share", section="4.2", low=0, high=1)
    conflict_damping: float = parameter(
        meaning="factor on the trust lost in a conflict (a connecting leader softens it)",
        unit="factor", section="5.3, 6.2", low=0, high=1)

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray,
                        context: DecisionContext) -> np.ndarray:
        """All councils decide at the next jointly planned moment."""
        return aligned_vote_months(month, self.aligned_cycle, cycles)

    def negotiated_cost_shares(
        self, cost_shares: np.ndarray, benefit_shares: np.ndarray, gains_gap: np.ndarray,
        context: DecisionContext,
    ) -> np.ndarray:
        """Cost shares moved towards benefit shares and towards past fairness."""
        return mediated_cost_shares(
            cost_shares, benefit_shares, gains_gap, self.mediation, self.package_deal
        )
