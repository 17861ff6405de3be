"""The region model: councils propose, decide on and carry out joint initiatives, month by month.

Councils weigh each initiative's local and regional worth against their trust
in the partners, and put their own part in only as far as they trust them;
stranded initiatives lower trust and are remembered, so the report's loop of
distrust and stranding (3.4) runs through the model: whether it makes two
stable trust levels (vicious and virtuous circles) or one is measured, not
assumed (``ijmond-dynamics``, docs/dynamics.md).
Statutory execution tasks are a legal duty that every council carries out
jointly: nobody can veto or leave them, only a failure to deliver strands one
(3.2, 5.2).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import mesa
import numpy as np

from ijmond_sim.model.agents import Council
from ijmond_sim.model.decision import (
    benefit_shares,
    cost_shares,
    expected_utility,
    gains_gap,
    holdback_risk,
    regional_stake,
    renewed_mood,
    supports,
    weighed_expectation,
)
from ijmond_sim.model.governance import DecisionContext
from ijmond_sim.model.initiative import OVERRULED, Initiative, Phase, StrandReason
from ijmond_sim.model.meetings import next_meeting
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.model.trust import (
    after_let_down,
    after_success,
    expected_follow_through,
    given_and_received,
    initial_trust,
    mean_trust,
    overrule_fear,
    partner_record,
    remembered_gain,
    trust_graph,
    trust_lost,
)


class RegionModel(mesa.Model):
    """Councils of one region negotiating over shared opgaven under one governance rule.

    One step is one month. Each month every active council may propose
    initiatives; each open initiative moves through preparation, the colleges'
    decision, the councils' decision and execution, and ends completed or
    stranded. Trust between the councils learns from every outcome. Initiatives
    on a statutory opgave involve every council, whether or not it has turned
    away from voluntary cooperation, and no vote or review can stop them.

    Args:
        scenario: the region, the governance rule and the parameters; if None, they are
            composed from ``conf/`` and ``parameters`` (:attr:`scenario_from_parameters`).
        seed: seed of all randomness (``model.rng`` and ``model.random``).
        **parameters: without a scenario, ``rule``, ``region`` and any parameter by its
            short name or dotted config key, so ``mesa.batch_run(RegionModel, {...})`` works.

    Attributes:
        params: the scenario.
        region: the region's councils and opgaven as arrays.
        rule: the governance rule in force (shared with other runs of the scenario).
        rule_state: the rule's state in this run (``rule.new_state()``), in each :class:`DecisionContext`.
        trust: ``trust[i, j]`` is council i's trust in council j.
        completed_with: ``completed_with[i, j]``, initiatives councils i and j completed together.
        let_down_by: ``let_down_by[i, j]``, times council j let council i down (3.4: the
            memory of stalled trajectories, :func:`~ijmond_sim.model.trust.partner_record`).
        active: ``active[i]`` is False once council i has turned away from voluntary cooperation.
        stake: each council's stake in the region's voluntary opgaven (``decision.regional_stake``).
        meeting_months: ``meeting_months[m, i]`` is True if council i's own council meets in month m.
        councils: the Council agents, in the region's order.
        initiatives: every initiative proposed so far, in order.
        ballot: the hook of the participatory mode (``ijmond_sim.workshop``), None in plain
            runs. Where a council decides, it is called as ``ballot(initiative, councils,
            own)`` with the deciding councils and the councils' own decisions and returns
            the decisions that count: support for ``initiative`` in its college or council
            decision and at the yearly review under execution (from :meth:`supports`), and,
            with ``initiative`` None, whether a council that would turn away does
            (``Council.weigh_outside_option``; True = it leaves).
    """

    @staticmethod
    def scenario_from_parameters(**parameters: Any) -> Scenario:
        """The scenario of keyword parameters (:func:`ijmond_sim.api.scenario`, which composes ``conf/``).

        Imported here, on first use, so that importing this module alone is enough for
        ``mesa.batch_run`` and its worker processes; the model itself reads no config.
        """
        from ijmond_sim.api import scenario

        return scenario(**parameters)

    def __init__(self, scenario: Scenario | None = None, seed: int | None = None, **parameters: Any) -> None:
        if scenario is None:
            scenario = type(self).scenario_from_parameters(**parameters)
        elif parameters:
            raise TypeError(f"RegionModel takes a scenario or keyword parameters, not both: "
                            f"{sorted(parameters)}")
        super().__init__(rng=seed)
        self.params = scenario
        self.region = scenario.region
        self.rule = scenario.rule
        self.rule_state = self.rule.new_state()
        self.trust = initial_trust(len(self.region.councils), scenario.trust.initial,
                                   self.region.trust_bias)
        self.initial_mean_trust = mean_trust(self.trust)
        self.completed_with = np.zeros_like(self.trust)
        self.let_down_by = np.zeros_like(self.trust)
        self.active = np.ones(len(self.region.councils), dtype=bool)
        self.stake = regional_stake(self.region.interests, self.region.statutory)
        months = np.arange(scenario.months + 1)[:, None]
        self.meeting_months = next_meeting(months, self.region.meeting_cycle,
                                           self.region.meeting_offset) == months
        self.councils = [Council(self, i) for i in range(len(self.region.councils))]
        self.initiatives: list[Initiative] = []
        self._open: list[Initiative] = []
        self.counts = {Phase.COMPLETED: 0, Phase.STRANDED: 0}
        self._fear = overrule_fear(self.region.population, scenario.trust.overrule_fear)
        self._failure_risk = scenario.initiatives.delivery_risk * (1.0 - self.region.capacity)
        self.proposal_rates = self._proposal_rates()
        self.ballot: Callable[[Initiative | None, np.ndarray, np.ndarray], np.ndarray] | None = None
        self.datacollector = self._datacollector() if scenario.collect else None
        if self.datacollector is not None:
            self._collect()

    # -- the schedule ---------------------------------------------------------------

    @property
    def month(self) -> int:
        """The current month (0 before the first step)."""
        return int(self.time)

    def step(self) -> None:
        """One month: councils act, open initiatives advance, measures are recorded."""
        self.agents.shuffle_do("step")
        for initiative in self._open:
            if not initiative.phase.ended:
                self._advance(initiative)
        self._open = [i for i in self._open if not i.phase.ended]
        if self.datacollector is not None:
            self._collect()
        if self.month >= self.params.months:
            self.running = False

    def run(self) -> RegionModel:
        """Run the scenario's full length; return self."""
        self.run_for(self.params.months - self.month)
        return self

    # -- who takes part ---------------------------------------------------------------

    def _proposal_rates(self) -> np.ndarray:
        """Monthly chance that each council proposes on each opgave.

        An opgave's yearly proposals are shared among the councils taking part in
        it (the active ones; every council for a statutory task) in proportion
        to their interest in it and their ambition (5.1, 5.2).
        """
        region = self.region
        taking_part = self.active[:, None] | region.statutory[None, :]
        weight = region.interests * region.ambition[:, None] * taking_part
        totals = weight.sum(axis=0)
        share = np.divide(weight, totals, out=np.zeros_like(weight), where=totals > 0)
        return share * region.proposals_per_year / 12.0

    # -- initiatives ------------------------------------------------------------------

    def decision_context(self, opgave: int, initiator: int, participants: np.ndarray,
                         phase: Phase) -> DecisionContext:
        """What the governance rule may look at now about an initiative (:class:`DecisionContext`)."""
        return DecisionContext(month=self.month, opgave=opgave, initiator=initiator,
                               participants=participants, weights=self.region.population[participants],
                               phase=phase, region=self.region, state=self.rule_state)

    def context_of(self, initiative: Initiative) -> DecisionContext:
        """The rule's :class:`DecisionContext` for an open initiative, as it stands this month."""
        return self.decision_context(initiative.opgave, initiative.initiator, initiative.participants,
                                     initiative.phase)

    def propose(self, initiator: int, opgave: int) -> Initiative | None:
        """Council ``initiator`` proposes an initiative on ``opgave``; return it (None if alone).

        The participants are the active councils with an interest in the opgave
        (every council with an interest, for a statutory task: a legal duty does
        not end when a council turns away from voluntary cooperation); the
        governance rule may renegotiate the cost shares.
        """
        region = self.region
        involved = (self.active | region.statutory[opgave]) & (region.interests[:, opgave] > 0)
        participants = np.flatnonzero(involved)
        if len(participants) < 2:
            return None
        population = region.population[participants]
        benefit = benefit_shares(region.interests[participants, opgave], population)
        realised = np.array([self.councils[i].realised_benefit for i in participants])
        gap = gains_gap(realised, population / population.sum())
        cost = self.rule.negotiated_cost_shares(
            cost_shares(population, region.cost_key[opgave]), benefit, gap,
            self.decision_context(opgave, initiator, participants, Phase.PREPARATION),
        )
        initiative = Initiative(
            uid=len(self.initiatives), opgave=opgave, initiator=initiator,
            participants=participants, started=self.month, cost_share=cost,
            benefit_share=benefit, mood=self.rng.standard_normal(len(participants)),
            original_participants=tuple(int(i) for i in participants),
        )
        preparation = math.ceil(self.params.initiatives.preparation_months / region.capacity[initiator])
        initiative.enter(Phase.PREPARATION, self.month + preparation)
        self.initiatives.append(initiative)
        self._open.append(initiative)
        return initiative

    def supports(self, initiative: Initiative) -> np.ndarray:
        """Whether each participant supports the initiative now (mechanisms 1, 2).

        Under rules where blocking or leaving costs something, that cost counts
        in favour of going on.
        """
        region, k, who = self.region, initiative.opgave, initiative.participants
        population = region.population[who]
        utility = expected_utility(
            weighed_expectation(expected_follow_through(self.trust, who), self.params.trust.initial,
                                self.params.decision.trust_weight), initiative.benefit_share,
            initiative.cost_share, population / population.sum(), region.surplus[k],
            region.sunk_share[k], region.identification[who],
        )
        own = supports(utility + self.rule.exit_cost, region.conservatism[who],
                       self.params.decision.noise, initiative.mood)
        return own if self.ballot is None else self.ballot(initiative, who, own)

    def _advance(self, initiative: Initiative) -> None:
        """Move one initiative on by one month."""
        phase, month = initiative.phase, self.month
        if phase is Phase.PREPARATION and month >= initiative.phase_ends:
            n = len(initiative.participants)
            self._open_vote(initiative, Phase.COLLEGE_DECISION, np.full(n, month))
        if initiative.phase in (Phase.COLLEGE_DECISION, Phase.COUNCIL_DECISION):
            self._cast_votes(initiative)
        elif initiative.phase is Phase.EXECUTION and phase is Phase.EXECUTION:
            self._execute(initiative)

    def _open_vote(self, initiative: Initiative, phase: Phase, months: np.ndarray) -> None:
        initiative.vote_months = months
        initiative.votes = np.zeros(len(months), dtype=bool)
        initiative.enter(phase, int(months.max()))

    def _cast_votes(self, initiative: Initiative) -> None:
        """Councils whose meeting is this month vote; the last vote closes the phase.

        On a statutory task the colleges and councils decide how the duty is
        carried out, not whether: every vote is for it, under any rule (3.2, 5.2).
        """
        due = initiative.vote_months == self.month
        if due.any():
            statutory = self.region.statutory[initiative.opgave]
            initiative.votes[due] = True if statutory else self.supports(initiative)[due]
        if self.month < initiative.phase_ends:
            return
        votes, who = initiative.votes, initiative.participants
        if not self.rule.carries(votes, self.region.population[who], self.context_of(initiative)):
            reason = (StrandReason.BLOCKED_BY_COLLEGE if initiative.phase is Phase.COLLEGE_DECISION
                      else StrandReason.BLOCKED_BY_COUNCIL)
            self._strand(initiative, reason, who[~votes], witnesses=who[votes])
            return
        if not votes.all():
            self._overrule(initiative, losers=who[~votes], winners=who[votes])
        if initiative.phase is Phase.COLLEGE_DECISION and not self.rule.mandate:
            region = self.region
            months = self.rule.decision_months(
                self.month + 1, region.meeting_cycle[who], region.meeting_offset[who],
                self.context_of(initiative),
            )
            self._open_vote(initiative, Phase.COUNCIL_DECISION, months)
        else:
            self._start_execution(initiative)

    def _start_execution(self, initiative: Initiative) -> None:
        initiative.decided = self.month
        capacity = self.region.capacity[initiative.participants].mean()
        duration = math.ceil(self.params.initiatives.execution_months / capacity)
        initiative.next_review = self.month + self.params.initiatives.review_months
        initiative.enter(Phase.EXECUTION, self.month + duration)

    def _execute(self, initiative: Initiative) -> None:
        """A month of design and execution: partners may fail, hold back, review, leave or finish.

        A council without spare capacity may fail to deliver (5.1); on a voluntary
        initiative, a council that does not trust its partners may hold back its own
        part (3.4, threat 1). A statutory task has no yearly review and nobody holds
        back: it must be done (3.2, 5.2); only a partner that cannot deliver can
        still make it fail.
        """
        who = initiative.participants
        voluntary = not self.region.statutory[initiative.opgave]
        shortfall = self._failure_risk[who]
        draws = self.rng.random(len(who))
        failing = draws < shortfall
        leaving = failing
        holdback = self.params.initiatives.holdback
        if voluntary and holdback > 0:
            holding = holdback_risk(expected_follow_through(self.trust, who), holdback)
            leaving = draws < shortfall + (1.0 - shortfall) * holding
        withdrawing = np.zeros(len(who), dtype=bool)
        if self.month >= initiative.next_review and voluntary:
            initiative.next_review += self.params.initiatives.review_months
            initiative.mood = renewed_mood(initiative.mood, self.params.decision.persistence,
                                           self.rng.standard_normal(len(who)))
            withdrawing = ~self.supports(initiative)
        if (leaving | withdrawing).any():
            if (withdrawing & ~leaving).any():
                reason = StrandReason.WITHDRAWAL
            elif (leaving & ~failing).any():
                reason = StrandReason.HELD_BACK
            else:
                reason = StrandReason.FAILED_DELIVERY
            self._lose_partners(initiative, leaving | withdrawing, reason)
        elif self.month >= initiative.phase_ends:
            self._complete(initiative)

    def _lose_partners(self, initiative: Initiative, leaving: np.ndarray, reason: StrandReason) -> None:
        """Partners leave; the initiative goes on only if the rule lets the rest carry it."""
        who = initiative.participants
        staying = ~leaving
        if staying.sum() >= 2 and self.rule.carries(staying, self.region.population[who],
                                                    self.context_of(initiative)):
            self._let_down(initiative, who[staying], who[leaving], reason)
            for i in who[leaving]:
                self.councils[i].withdrawals += 1
            initiative.keep_only(staying)
        else:
            self._strand(initiative, reason, who[leaving], witnesses=who[staying])

    def _complete(self, initiative: Initiative) -> None:
        region, who = self.region, initiative.participants
        net = region.surplus[initiative.opgave] * initiative.benefit_share - initiative.cost_share
        for i, gain in zip(who, net, strict=True):
            self.councils[i].realised_benefit += float(gain)
            self.councils[i].completed += 1
        pairs = np.ix_(who, who)
        record = partner_record(self.completed_with[pairs], self.let_down_by[pairs])
        gain = remembered_gain(self.params.trust.gain, record, self.params.trust.memory)
        self.trust = after_success(self.trust, who, gain)
        self.completed_with[pairs] += 1
        initiative.complete(self.month)
        self.counts[Phase.COMPLETED] += 1

    def _strand(self, initiative: Initiative, reason: StrandReason, blamed: np.ndarray,
                witnesses: np.ndarray) -> None:
        """The initiative strands: costs are sunk and the others trust the blamed less.

        Only the councils not blamed count it as let down (their track record);
        a council does not hold its own block or withdrawal against the region.
        """
        sunk = self.region.sunk_share[initiative.opgave] * initiative.cost_share
        for i, loss in zip(initiative.participants, sunk, strict=True):
            self.councils[i].realised_benefit -= float(loss)
            self.councils[i].stranded += 1
            if i not in blamed:
                self.councils[i].let_down += 1
        for i in blamed:
            self.councils[i].withdrawals += 1
        self._let_down(initiative, witnesses, blamed, reason)
        initiative.strand(self.month, reason, tuple(int(i) for i in blamed))
        self.counts[Phase.STRANDED] += 1

    # -- trust ------------------------------------------------------------------------

    def _let_down(self, initiative: Initiative, witnesses: np.ndarray, offenders: np.ndarray,
                  reason: StrandReason) -> None:
        """Witnesses trust the offenders less: fast, by their conflict style, damped by the rule.

        The initiative records who blamed whom, and why.
        """
        fall = trust_lost(self.params.trust.gain, self.params.trust.fall_ratio, self.rule.conflict_damping,
                          self.region.conflict_sensitivity[witnesses])
        self.trust = after_let_down(self.trust, witnesses, offenders, fall)
        self.let_down_by[np.ix_(witnesses, offenders)] += 1
        initiative.record_blame(self.month, witnesses, offenders, reason.value)

    def _overrule(self, initiative: Initiative, losers: np.ndarray, winners: np.ndarray) -> None:
        """A majority carried the vote: the losers trust the winners less, the smallest most (4.2)."""
        for i in losers:
            self.councils[i].times_overruled += 1
        fall = trust_lost(self.params.trust.gain, self.params.trust.fall_ratio, self.rule.conflict_damping,
                          self.region.conflict_sensitivity[losers]) * self._fear[losers]
        self.trust = after_let_down(self.trust, losers, winners, fall)
        self.let_down_by[np.ix_(losers, winners)] += 1
        initiative.record_blame(self.month, losers, winners, OVERRULED)

    # -- the outside option -------------------------------------------------------------

    def turn_away(self, council: Council) -> None:
        """``council`` turns away from voluntary cooperation (5.1, 6).

        It drops out of every open voluntary initiative and of every later one; its
        statutory tasks go on with it, because they are a legal duty (3.2, 5.2).
        """
        self.active[council.index] = False
        council.turned_away = self.month
        for initiative in self._open:
            if self.region.statutory[initiative.opgave]:
                continue
            if not initiative.phase.ended and council.index in initiative.participants:
                leaving = initiative.participants == council.index
                self._lose_partners(initiative, leaving, StrandReason.TURNED_AWAY)
        self.proposal_rates = self._proposal_rates()

    # -- measures ---------------------------------------------------------------------

    def trust_graph(self):
        """The trust matrix as a networkx DiGraph (edge attribute ``trust``)."""
        return trust_graph(self.trust, self.region.councils)

    def mean_trust(self) -> float:
        """Mean trust among all councils, those that turned away included."""
        return mean_trust(self.trust)

    def mean_trust_in_region(self) -> float:
        """Mean trust among the councils still in the region (nan if fewer than two)."""
        return mean_trust(self.trust, np.flatnonzero(self.active))

    @property
    def started(self) -> int:
        """Initiatives proposed so far."""
        return len(self.initiatives)

    @property
    def completed(self) -> int:
        """Initiatives completed so far."""
        return self.counts[Phase.COMPLETED]

    @property
    def stranded(self) -> int:
        """Initiatives stranded so far."""
        return self.counts[Phase.STRANDED]

    @property
    def under_way(self) -> int:
        """Initiatives neither completed nor stranded."""
        return self.started - self.completed - self.stranded

    def _collect(self) -> None:
        """Record this month's measures; trust given and received are computed for all councils at once."""
        self._trust_given, self._trust_received = given_and_received(self.trust)
        self.datacollector.collect(self)

    def _datacollector(self) -> mesa.DataCollector:
        return mesa.DataCollector(
            model_reporters={
                "month": "month",
                "started": "started",
                "completed": "completed",
                "stranded": "stranded",
                "under_way": "under_way",
                "mean_trust": mean_trust_reporter,
                "mean_trust_in_region": mean_trust_in_region_reporter,
                "active_councils": active_councils_reporter,
            },
            agent_reporters={
                "council": "name",
                "active": "active",
                "trust_given": trust_given_reporter,
                "trust_received": trust_received_reporter,
                "realised_benefit": "realised_benefit",
                "times_overruled": "times_overruled",
                "withdrawals": "withdrawals",
            },
        )


def mean_trust_reporter(model: RegionModel) -> float:
    """Mean trust among all councils."""
    return model.mean_trust()


def mean_trust_in_region_reporter(model: RegionModel) -> float:
    """Mean trust among the councils still in the region."""
    return model.mean_trust_in_region()


def active_councils_reporter(model: RegionModel) -> int:
    """Number of councils still in the region."""
    return int(model.active.sum())


def trust_given_reporter(council: Council) -> float:
    """A council's mean trust in the others (as computed for this month's collection)."""
    return float(council.model._trust_given[council.index])


def trust_received_reporter(council: Council) -> float:
    """The others' mean trust in a council (as computed for this month's collection)."""
    return float(council.model._trust_received[council.index])
