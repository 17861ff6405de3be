"""The interface every governance rule implements: the rules of the game, swappable by config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ijmond_sim.model.meetings import vote_months
from ijmond_sim.model.parameters import declarations


@dataclass
class GovernanceRule:
    """Rules of the game under which councils decide on initiatives.

    A rule answers five questions; the model asks nothing else of it:
    when does each council decide (:meth:`decision_months`), how are the costs
    divided (:meth:`negotiated_cost_shares`), does a vote carry (:meth:`carries`),
    what does leaving cost (``exit_cost``) and how hard does conflict hit trust
    (``conflict_damping``). ``mandate`` says whether the councils' own vote is
    delegated to the colleges within agreed frameworks.

    Subclasses are dataclasses whose fields are their parameters, each declared
    with :func:`~ijmond_sim.model.parameters.parameter` (range, unit, meaning,
    report section; the range check follows); Hydra uses them as the typed
    schema of ``conf/governance/<key>.yaml``. ``key`` names
    the rule on the command line, ``label`` for people; ``order`` places it in
    menus, tables and figures (the report's three rules from least to most
    binding: 1, 2, 3; a new rule comes after them unless it says otherwise).
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    order: ClassVar[int] = 100
    exit_cost: ClassVar[float] = 0.0
    conflict_damping: ClassVar[float] = 1.0
    mandate: ClassVar[bool] = False

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Month in which each participating council votes, the item being ready at ``month``.

        A council handles an item in two rounds of its cycle: a committee meeting,
        then the council meeting one cycle later (5.4).

        Args:
            month: the month the item can first be put on an agenda.
            cycles: each council's meeting cycle in months.
            offsets: each council's first meeting month.

        Returns:
            One vote month per council. By default each council's own calendar (4.2).
        """
        return vote_months(month, cycles, offsets)

    def negotiated_cost_shares(
        self, cost_shares: np.ndarray, benefit_shares: np.ndarray, gains_gap: np.ndarray
    ) -> np.ndarray:
        """Cost shares after any negotiation (by default the opgave's own cost key).

        Args:
            cost_shares: the opgave's cost key over the participants (sums to 1).
            benefit_shares: how the benefit would fall over the participants (sums to 1).
            gains_gap: per participant, its fair share of the benefits realised so far
                minus its realised share (positive: it has gained less than its share).

        Returns:
            Cost shares summing to 1.
        """
        return cost_shares

    def carries(self, support: np.ndarray, weights: np.ndarray) -> bool:
        """Whether a vote carries (by default: unanimity, so any 'no' blocks).

        Args:
            support: one bool per participating council.
            weights: each council's voting weight (population), same order.

        Returns:
            True if the initiative goes ahead.
        """
        return bool(np.all(support))

    def checks(self) -> Iterator[tuple[str, Any, bool, str]]:
        """Yield ``(key, value, ok, allowed)``: the range check of each parameter the rule declares.

        A field declared with :func:`ijmond_sim.model.parameters.parameter` is checked against its
        declared range; override to add checks that involve several parameters.
        """
        for name, declaration in declarations(type(self)):
            if declaration.checked:
                value = getattr(self, name)
                yield f"governance.{name}", value, declaration.holds(value), declaration.allowed
