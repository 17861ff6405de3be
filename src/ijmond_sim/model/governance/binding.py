"""Binding frameworks: an IJmond council sets frameworks, decisions by mandate and majority (4.1, 4.2)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ijmond_sim.model.decision import weighted_majority
from ijmond_sim.model.governance.base import DecisionContext, GovernanceRule
from ijmond_sim.model.meetings import aligned_vote_months
from ijmond_sim.model.parameters import parameter


@dataclass
class BindingFrameworks(GovernanceRule):
    """Within agreed frameworks a qualified majority decides; leaving or blocking costs something.

    Its parameters are declared below (meaning, unit, range, report section).
    """

    key = "binding"
    label = "binding frameworks"
    order = 3
    aligned_cycle: int = parameter(meaning="months between the IJmond council's decision moments",
                                   unit="months", section="4.2", low=1)
    quota: float = parameter(meaning="share of the votes needed to carry a decision",
                             unit="share of the votes", section="4.1, 4.2", low=0.5, low_open=True, high=1)
    vote_weight: str = parameter(meaning="one council, one vote, or votes weighed by residents", unit="",
                                 section="4.1", choices=("equal", "population"))
    mandate: bool = parameter(meaning="the colleges decide by mandate within the frameworks; the councils' "
                                      "own vote is skipped", unit="", section="4.1")
    exit_cost: float = parameter(
        meaning="what blocking, leaving an initiative or turning away from the region costs a council "
                "(0 under the other rules)", unit="utility units", section="4.2; assumption on the number",
        low=0)

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray,
                        context: DecisionContext) -> np.ndarray:
        """All councils decide at the next meeting of the IJmond council."""
        return aligned_vote_months(month, self.aligned_cycle, cycles)

    def carries(self, support: np.ndarray, weights: np.ndarray, context: DecisionContext) -> bool:
        """A qualified majority carries, counted in councils or in population."""
        if self.vote_weight == "equal":
            weights = np.ones_like(weights)
        return weighted_majority(support, weights, self.quota)
