"""The interface every governance rule implements: the rules of the game, swappable by config."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ijmond_sim.model.meetings import vote_months
from ijmond_sim.model.parameters import declarations

if TYPE_CHECKING:
    from ijmond_sim.model.initiative import Phase
    from ijmond_sim.model.scenario import Region


@dataclass(frozen=True, eq=False)
class DecisionContext:
    """What a governance rule may look at when the model asks it something: one object per question.

    The model builds it at each hook (:meth:`GovernanceRule.decision_months`,
    :meth:`~GovernanceRule.negotiated_cost_shares`, :meth:`~GovernanceRule.carries`). Every
    per-council array a hook gets is ordered like ``participants``. Read it; change only ``state``.

    Attributes:
        month: the month of the run (0 before the first step; a year is ``month // 12``).
        opgave: index of the initiative's opgave in ``region.opgaven`` (None outside an initiative).
        initiator: index of the council that proposed it (None outside an initiative).
        participants: indices of the councils taking part, who vote on it, in ``region`` order.
        weights: the participants' voting weights (their residents), same order.
        phase: the initiative's phase: preparation while its costs are negotiated, the college or
            council decision at a vote, execution when partners leave (None outside an initiative).
        region: every council's name, population and calendar (``councils``, ``population``,
            ``meeting_cycle``, ``meeting_offset``) and the opgaven, as arrays.
        state: this run's state of the rule, made by :meth:`GovernanceRule.new_state` with the
            model and never shared between runs (None for a rule without state).
    """

    month: int
    opgave: int | None
    initiator: int | None
    participants: np.ndarray
    weights: np.ndarray
    phase: Phase | None
    region: Region
    state: Any

    @classmethod
    def outside_a_run(cls, rule: GovernanceRule, region: Region,
                      participants: np.ndarray | None = None) -> DecisionContext:
        """A vote of ``participants`` (every council if None) in month 0 with a fresh state of ``rule``.

        For questions asked of a rule outside a run: power indices, vote baselines.
        """
        who = np.arange(len(region.councils)) if participants is None else np.asarray(participants)
        return cls(month=0, opgave=None, initiator=None, participants=who, weights=region.population[who],
                   phase=None, region=region, state=rule.new_state())

    def hypothetical(self) -> DecisionContext:
        """The same question asked without consequence: a copy of the state a rule may change freely."""
        return replace(self, state=copy.deepcopy(self.state))


@dataclass
class GovernanceRule:
    """Rules of the game under which councils decide on initiatives.

    A rule answers five questions; the model asks nothing else of it:
    when does each council decide (:meth:`decision_months`), how are the costs
    divided (:meth:`negotiated_cost_shares`), does a vote carry (:meth:`carries`),
    what does leaving cost (``exit_cost``) and how hard does conflict hit trust
    (``conflict_damping``). ``mandate`` says whether the councils' own vote is
    delegated to the colleges within agreed frameworks. The three hooks also get a
    :class:`DecisionContext`: the month, the initiative, the voters and their
    weights, the region, and the rule's state in this run (:meth:`new_state`).

    One rule object serves many runs (the API caches it per scenario), so a rule
    keeps nothing of a run in itself: what it must remember (a chair's overrule
    used this year) goes into the state that :meth:`new_state` makes for each model.

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

    def new_state(self) -> Any:
        """This rule's state for one run, made with each model (by default none).

        Override to return a fresh mutable object (a dict, a small dataclass); the hooks find
        it as ``context.state``. Never return something kept in the rule itself.
        """
        return None

    def decision_months(self, month: int, cycles: np.ndarray, offsets: np.ndarray,
                        context: DecisionContext) -> np.ndarray:
        """Month in which each participating council votes, the item being ready at ``month``.

        A council handles an item in two rounds of its cycle: a committee meeting,
        then the council meeting one cycle later (5.4).

        Args:
            month: the month the item can first be put on an agenda.
            cycles: each council's meeting cycle in months.
            offsets: each council's first meeting month.
            context: the question's context (:class:`DecisionContext`).

        Returns:
            One vote month per council. By default each council's own calendar (4.2).
        """
        return vote_months(month, cycles, offsets)

    def negotiated_cost_shares(
        self, cost_shares: np.ndarray, benefit_shares: np.ndarray, gains_gap: np.ndarray,
        context: DecisionContext,
    ) -> np.ndarray:
        """Cost shares after any negotiation (by default the opgave's own cost key).

        Args:
            cost_shares: the opgave's cost key over the participants (sums to 1).
            benefit_shares: how the benefit would fall over the participants (sums to 1).
            gains_gap: per participant, its fair share of the benefits realised so far
                minus its realised share (positive: it has gained less than its share).
            context: the question's context (:class:`DecisionContext`), the initiative in preparation.

        Returns:
            Cost shares summing to 1.
        """
        return cost_shares

    def carries(self, support: np.ndarray, weights: np.ndarray, context: DecisionContext) -> bool:
        """Whether a vote carries (by default: unanimity, so any 'no' blocks).

        Asked at the end of each college and council decision, and when partners leave an
        initiative under execution (``support`` is then who stays).

        Args:
            support: one bool per participating council.
            weights: each council's voting weight (population), same order.
            context: the question's context (:class:`DecisionContext`).

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
