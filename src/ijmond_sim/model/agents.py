"""The council: one municipality's council and college, the agent of the model (report 3.1, 5.1, 5.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ijmond_sim.model.decision import region_appeal, turns_away

if TYPE_CHECKING:
    from ijmond_sim.model import RegionModel


class Council(mesa.Agent):
    """A council with local interests, trust in the others and an outside option.

    Its attributes live in the region's arrays at position ``index``; its trust
    in the others is row ``index`` of the model's trust matrix. Each month it
    proposes initiatives on the opgaven that matter to it and, at each of its
    own council meetings, weighs the region against its outside option. Having
    turned away, it still takes part in the statutory tasks (a legal duty, 3.2, 5.2).

    Attributes:
        index: the council's position in every region array.
        name: the municipality's name.
        active: False once it has turned away from the region.
        turned_away: the month it turned away, if it did.
        realised_benefit: net benefit of completed initiatives minus costs sunk in stranded
            ones (units of initiative cost).
        times_overruled: votes it lost under a majority rule.
        withdrawals: initiatives it blocked, left or failed.
        completed: joint initiatives it took part in that were completed.
        stranded: joint initiatives it took part in that stranded.
        let_down: joint initiatives it took part in that others stranded (it was not blamed).
    """

    model: RegionModel

    def __init__(self, model: RegionModel, index: int) -> None:
        super().__init__(model)
        self.index = index
        self.name = model.region.councils[index]
        self.turned_away: int | None = None
        self.realised_benefit = 0.0
        self.times_overruled = 0
        self.withdrawals = 0
        self.completed = 0
        self.stranded = 0
        self.let_down = 0

    @property
    def active(self) -> bool:
        """False once it has turned away from the region (kept in the model's ``active`` array)."""
        return bool(self.model.active[self.index])

    @property
    def track_record(self) -> float:
        """Share of completions among its joint initiatives that were completed or that others stranded.

        What a council learns from: what others did to it, not what it did itself,
        so its own blocks, withdrawals and failures do not count (1/2 before any ended).
        """
        return (self.completed + 1) / (self.completed + self.let_down + 2)

    def step(self) -> None:
        """Propose initiatives this month; at its own council meeting, weigh the outside option."""
        model = self.model
        draws = model.rng.random(len(model.region.opgaven))
        for opgave in (draws < model.proposal_rates[self.index]).nonzero()[0].tolist():
            model.propose(self.index, opgave)
        if self.active and self.meets(model.month):
            self.weigh_outside_option()

    def meets(self, month: int) -> bool:
        """Whether its council meets in ``month`` of the run (its own calendar under every rule: 4.2, 5.4)."""
        return bool(self.model.meeting_months[month, self.index])

    def weigh_outside_option(self) -> None:
        """Turn away from the region if the outside option beats the region's appeal (5.1, 6)."""
        model = self.model
        region = model.region
        partners = model.active.copy()
        partners[self.index] = False
        if not partners.any():
            return
        trust = float(model.trust[self.index, partners].mean())
        appeal = region_appeal(region.identification[self.index], trust, self.track_record,
                               model.stake[self.index], model.params.decision.delivered_stake)
        if turns_away(appeal, region.outside_option[self.index], model.rule.exit_cost):
            if model.ballot is None or model.ballot(None, np.array([self.index]), np.array([True]))[0]:
                model.turn_away(self)
