"""Binding frameworks: an IJmond council sets frameworks, decisions by mandate and majority (4.1, 4.2)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import MISSING

from ijmond_sim.model.decision import weighted_majority
from ijmond_sim.model.governance.base import GovernanceRule
from ijmond_sim.model.meetings import aligned_vote_months


@dataclass
class BindingFrameworks(GovernanceRule):
    """Within agreed frameworks a qualified majority decides; leaving or blocking costs something.

    Args:
        aligned_cycle: months between the IJmond council's decision moments.
        quota: share of the votes needed to carry (0.75 = three of four councils).
        vote_weight: ``equal`` (one council, one vote) or ``population``.
        mandate: if true, the colleges decide by mandate within the frameworks and the
            four councils' own vote is skipped (4.1: "maximal room through mandate
            and delegation").
        exit_cost: what leaving an initiative or the region costs a council, in the
            units of its utility (4.2: tighter frameworks against non-commitment).
    """

    key = "binding"
    label = "binding frameworks"
    order = 3
    aligned_cycle: int = MISSING
    quota: float = MISSING
    vote_weight: str = MISSING
    mandate: bool = MISSING
    exit_cost: float = MISSING

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """All councils decide at the next meeting of the IJmond council."""
        return aligned_vote_months(month, self.aligned_cycle, cycles)

    def carries(self, support: np.ndarray, weights: np.ndarray) -> bool:
        """A qualified majority carries, counted in councils or in population."""
        if self.vote_weight == "equal":
            weights = np.ones_like(weights)
        return weighted_majority(support, weights, self.quota)

    def checks(self) -> Iterator[tuple[str, Any, bool, str]]:
        """Range checks of the binding parameters."""
        yield "governance.aligned_cycle", self.aligned_cycle, self.aligned_cycle >= 1, ">= 1 month"
        yield "governance.quota", self.quota, 0.5 < self.quota <= 1, "must be in (0.5, 1]"
        yield ("governance.vote_weight", self.vote_weight, self.vote_weight in ("equal", "population"),
               "must be 'equal' or 'population'")
        yield "governance.exit_cost", self.exit_cost, self.exit_cost >= 0, "must be >= 0"
