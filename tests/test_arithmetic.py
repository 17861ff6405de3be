"""The decision, trust, calendar and governance rules as exact arithmetic: each test pins numbers by hand.

Each test names the mutant of ``src/ijmond_sim/model/`` it kills (docs/mutation.md lists them).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import math

import networkx as nx
import numpy as np
import pytest
from omegaconf import OmegaConf

from ijmond_sim import config
from ijmond_sim.model import decision, governance, meetings, trust
from ijmond_sim.model.governance import RULES, GovernanceRule, rule_from_config, rule_label
from ijmond_sim.model.initiative import OVERRULED, Initiative, Phase, StrandReason

POP = np.array([40000.0, 39000.0, 13000.0, 67000.0])  # Beverwijk, Heemskerk, Uitgeest, Velsen


def _context(rule: GovernanceRule, n: int = 4) -> governance.DecisionContext:
    """A question to ``rule`` about the first ``n`` IJmond councils, outside a run."""
    from ijmond_sim import api

    return governance.DecisionContext.outside_a_run(rule, api.scenario().region, np.arange(n))


# -- decision.py ----------------------------------------------------------------------------------


def test_benefit_follows_interest_times_residents_and_is_equal_without_interest():
    # 0.5 * 100 : 1 * 50 : 0 * 10 -> 50 : 50 : 0 (kills a sum/product swap in benefit_shares)
    assert np.allclose(decision.benefit_shares(np.array([0.5, 1.0, 0.0]), np.array([100.0, 50, 10])),
                       [0.5, 0.5, 0.0])
    # no interest anywhere: equal thirds, not a division by zero (kills `total <= 0` -> `total < 0`)
    assert np.allclose(decision.benefit_shares(np.zeros(3), np.array([1.0, 2, 3])), [1 / 3] * 3)
    # a total weight below one is still shared by weight (kills `total <= 1`)
    assert np.allclose(decision.benefit_shares(np.array([1.0, 0.2]), np.array([0.5, 0.5])), [5 / 6, 1 / 6])


def test_cost_keys_by_population_or_in_equal_parts():
    assert np.allclose(decision.cost_shares(np.array([1.0, 3.0]), "population"), [0.25, 0.75])
    assert np.allclose(decision.cost_shares(np.array([1.0, 3.0]), "equal"), [0.5, 0.5])


def test_expected_utility_by_hand():
    # p = 0.6: local = (0.6 * (3 * 0.3 - 0.2) - 0.4 * 0.25 * 0.2) / 0.5 = (0.42 - 0.02) / 0.5 = 0.8
    # regional = 0.6 * (3 - 1) - 0.4 * 0.25 = 1.1;  mixed by identification 0.2: 0.8 * 0.8 + 0.2 * 1.1
    # (a surplus other than 2 kills `p / (surplus - 1)`)
    u = decision.expected_utility(np.array([0.6]), np.array([0.3]), np.array([0.2]), np.array([0.5]),
                                  surplus=3.0, sunk_share=0.25, identification=np.array([0.2]))
    assert u[0] == pytest.approx(0.8 * 0.8 + 0.2 * 1.1)


def test_a_partner_who_will_not_follow_through_costs_the_sunk_share():
    # p = 0: only the sunk cost counts, locally per head and regionally (kills dropping the sunk term)
    u = decision.expected_utility(np.array([0.0]), np.array([0.5]), np.array([0.4]), np.array([0.4]),
                                  surplus=3.0, sunk_share=0.5, identification=np.array([0.5]))
    assert u[0] == pytest.approx(0.5 * (-0.5 * 0.4 / 0.4) + 0.5 * (-0.5))


def test_support_needs_utility_and_mood_strictly_above_conservatism():
    utility, conservatism = np.array([0.1, 0.1, 0.3]), np.array([0.2, 0.0, 0.1])
    mood = np.array([0.5, -0.5, 0.0])
    # 0.1 + 0.2 * 0.5 = 0.2 is not above 0.2; 0.1 - 0.1 = 0 is not above 0; 0.3 > 0.1
    assert decision.supports(utility, conservatism, 0.2, mood).tolist() == [False, False, True]


def test_mood_carries_over_by_persistence_and_stays_standard_normal():
    mood, shock = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    assert np.allclose(decision.renewed_mood(mood, 0.6, shock), 0.6 * mood + 0.8 * shock)
    assert np.allclose(decision.renewed_mood(mood, 0.0, shock), shock)
    assert np.allclose(decision.renewed_mood(mood, 1.0, shock), mood)


def test_mediation_moves_costs_towards_benefits_then_package_deals_repay_gaps():
    cost, benefit = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    # halfway: [0.7, 0.3]; then 0.5 * gap [-0.1, 0.1] off: [0.75, 0.25] (kills the sign of the gap)
    shares = decision.mediated_cost_shares(cost, benefit, np.array([-0.1, 0.1]), 0.5, 0.5)
    assert np.allclose(shares, [0.75, 0.25])


def test_a_package_deal_never_makes_a_share_negative():
    # [0.5, 0.5] - [-0.2, 0.8] = [0.7, -0.3] -> clipped [0.7, 0] -> [1, 0] (kills the missing clip)
    shares = decision.mediated_cost_shares(np.array([0.5, 0.5]), np.array([0.5, 0.5]),
                                           np.array([-0.2, 0.8]), 0.0, 1.0)
    assert np.allclose(shares, [1.0, 0.0])


def test_when_every_share_is_paid_off_the_cost_key_stands():
    # both shares clipped to 0: the total is 0, the opgave's own key is returned (kills `total >= 0`)
    cost = np.array([0.25, 0.75])
    shares = decision.mediated_cost_shares(cost, np.array([0.5, 0.5]), np.array([1.0, 1.0]), 0.0, 1.0)
    assert np.array_equal(shares, cost)


def test_gains_gap_is_fair_share_minus_realised_share_of_positive_gains():
    # gains that total less than one still count (kills `total <= 1`)
    gap = decision.gains_gap(np.array([0.3, 0.1, -5.0]), np.array([0.5, 0.25, 0.25]))
    assert np.allclose(gap, [0.5 - 0.75, 0.25 - 0.25, 0.25 - 0.0])
    assert np.array_equal(decision.gains_gap(np.array([0.0, -1.0]), np.array([0.5, 0.5])), [0.0, 0.0])


def test_a_weighted_majority_carries_exactly_at_its_quota_despite_rounding():
    yes = np.array([True, False, True, True])  # 120,000 of 159,000 residents
    quota = 120000 / 159000  # quota * total is 120000.00000000001 in floating point
    assert decision.weighted_majority(yes, POP, quota)  # kills tolerance `1e-12 / total`
    assert not decision.weighted_majority(yes, POP, quota + 1e-6)
    assert decision.weighted_majority(np.array([True, True, True, False]), np.ones(4), 0.75)
    assert not decision.weighted_majority(np.array([True, True, False, False]), np.ones(4), 0.75)


def test_the_stake_is_the_mean_interest_in_the_voluntary_opgaven_only():
    interests = np.array([[0.4, 1.0, 0.2], [0.6, 1.0, 1.0]])
    # two voluntary opgaven: (0.4 + 0.2) / 2 and (0.6 + 1.0) / 2; the statutory column does not count
    assert np.allclose(decision.regional_stake(interests, np.array([False, True, False])), [0.3, 0.8])
    # one voluntary opgave: its interest weights (kills `shape[1] == 1` in regional_stake)
    assert np.allclose(decision.regional_stake(interests[:, :2], np.array([False, True])), [0.4, 0.6])
    # none: a stake of 0 for each council (kills `np.zeros(None)`, a single 0)
    stake = decision.regional_stake(interests[:, 1:2], np.array([True]))
    assert stake.shape == (2,) and not stake.any()


def test_region_appeal_weighs_identity_relations_results_and_interests_alike():
    appeal = decision.region_appeal(np.array([0.2, 0.2]), np.array([0.5, 0.5]), np.array([0.3, 0.3]),
                                    np.array([0.6, 1.0]))
    assert appeal.tolist() == pytest.approx([(0.2 + 0.5 + 0.3 + 0.6) / 4, (0.2 + 0.5 + 0.3 + 1.0) / 4])


def test_a_stake_that_binds_only_as_delivered_counts_in_proportion_to_the_track_record():
    # identification 0.1, trust 0.2, track record 0.5, stake 0.8: with delivered_stake 1 the stake counts
    # 0.8 * 0.5 = 0.4, with 0 in full, with 0.5 as 0.8 * 0.75 = 0.6 (kills the weight ignored, the track
    # record left out of the stake, and 1 - delivered_stake swapped for delivered_stake)
    args = (np.array([0.1]), np.array([0.2]), np.array([0.5]), np.array([0.8]))
    assert decision.region_appeal(*args, 1.0)[0] == pytest.approx((0.1 + 0.2 + 0.5 + 0.4) / 4)
    assert decision.region_appeal(*args, 0.0)[0] == pytest.approx((0.1 + 0.2 + 0.5 + 0.8) / 4)
    assert decision.region_appeal(*args, 0.5)[0] == pytest.approx((0.1 + 0.2 + 0.5 + 0.6) / 4)
    # the default binds in full
    assert decision.region_appeal(*args)[0] == decision.region_appeal(*args, 0.0)[0]


def test_a_council_holds_back_in_proportion_to_its_distrust_of_the_partners():
    # holdback 0.02 at follow-through 0, 0.5, 1 -> 0.02, 0.01, 0 (kills (1 - p) turned into p, and the
    # holdback parameter ignored)
    risk = decision.holdback_risk(np.array([0.0, 0.5, 1.0]), 0.02)
    assert risk.tolist() == pytest.approx([0.02, 0.01, 0.0])
    assert not decision.holdback_risk(np.array([0.0, 0.3]), 0.0).any()


def test_an_expectation_follows_trust_by_its_weight_and_otherwise_stays_at_the_anchor():
    # trust 0.8 and 0.2, anchor 0.5: weight 1 -> trust, 0 -> anchor, 0.25 -> 0.575 and 0.425
    # (kills the weights swapped and the anchor ignored)
    trust_now = np.array([0.8, 0.2])
    assert decision.weighed_expectation(trust_now, 0.5, 1.0).tolist() == [0.8, 0.2]
    assert decision.weighed_expectation(trust_now, 0.5, 0.0).tolist() == [0.5, 0.5]
    assert decision.weighed_expectation(trust_now, 0.5, 0.25).tolist() == pytest.approx([0.575, 0.425])


def test_a_council_turns_away_only_if_the_option_beats_appeal_plus_exit_cost():
    option = np.array([0.5, 0.5, 0.6])
    assert decision.turns_away(np.array([0.4, 0.3, 0.3]), option, 0.1).tolist() == [False, True, True]


# -- trust.py -------------------------------------------------------------------------------------


def test_a_partners_record_is_its_laplace_share_of_joint_trajectories_that_ended_well():
    # no history -> 1/2; 3 completed, 1 let-down -> 4/6; 0 completed, 3 let-downs -> 1/5
    # (kills the +1 / +2 changed and the two counts swapped)
    record = trust.partner_record(np.array([0.0, 3.0, 0.0]), np.array([0.0, 1.0, 3.0]))
    assert record.tolist() == pytest.approx([0.5, 4 / 6, 1 / 5])


def test_a_success_builds_less_trust_with_a_partner_who_let_a_council_down():
    # gain 0.1, memory 0.5, records 0.2, 0.5, 0.8 -> 0.07, 0.1, 0.13; memory 0 -> 0.1 for all
    # (kills the sign of (2 record - 1) flipped, the factor 2 dropped and memory ignored)
    records = np.array([0.2, 0.5, 0.8])
    assert trust.remembered_gain(0.1, records, 0.5).tolist() == pytest.approx([0.07, 0.1, 0.13])
    assert trust.remembered_gain(0.1, records, 0.0).tolist() == pytest.approx([0.1, 0.1, 0.1])
    # with full memory, a partner that only let a council down earns almost nothing
    assert trust.remembered_gain(0.1, trust.partner_record(np.array([0.0]), np.array([50.0])), 1.0)[0] < 0.004


def test_after_success_takes_one_gain_per_pair():
    start = np.full((3, 3), 0.5)
    gains = np.array([[0.0, 0.1, 0.2], [0.3, 0.0, 0.4], [0.5, 0.6, 0.0]])
    new = trust.after_success(start, np.arange(3), gains)
    # each pair rises by its own gain times the distance to full trust (kills a scalar-only update)
    assert new[0, 1] == pytest.approx(0.55) and new[2, 1] == pytest.approx(0.8)
    assert np.diag(new).tolist() == [1.0, 1.0, 1.0]


def test_initial_trust_adds_biases_clips_and_trusts_itself():
    bias = np.array([[0.0, 0.7], [-0.6, 0.5]])
    assert np.allclose(trust.initial_trust(2, 0.5, bias), [[1.0, 1.0], [0.0, 1.0]])
    assert np.allclose(trust.initial_trust(3, 0.4), np.where(np.eye(3, dtype=bool), 1.0, 0.4))


def test_two_councils_expect_follow_through_from_their_trust_in_each_other():
    t = np.array([[1.0, 0.3, 0.9], [0.6, 1.0, 0.9], [0.1, 0.2, 1.0]])
    # two participants: each one's trust in the other (kills `len(participants) <= 2`)
    assert np.allclose(trust.expected_follow_through(t, np.array([0, 1])), [0.3, 0.6])
    assert np.allclose(trust.expected_follow_through(t, np.array([0, 1, 2])), [0.6, 0.75, 0.15])
    assert np.array_equal(trust.expected_follow_through(t, np.array([2])), [1.0])


def test_success_closes_a_gain_of_the_distance_to_full_trust_among_participants_only():
    t = np.full((3, 3), 0.5)
    np.fill_diagonal(t, 1.0)
    new = trust.after_success(t, np.array([0, 2]), 0.2)
    assert new[0, 2] == pytest.approx(0.6) and new[2, 0] == pytest.approx(0.6)
    assert new[0, 1] == 0.5 and new[1, 2] == 0.5 and (np.diag(new) == 1).all()
    assert t[0, 2] == 0.5  # a new matrix
    # nobody, given as a plain list: index arrays must stay integer (kills `dtype=None` in `_block`)
    assert np.array_equal(trust.after_success(t, [], 0.2), t)


def test_let_down_scales_witness_trust_in_offenders_by_each_witness_fall():
    t = np.full((3, 3), 0.8)
    np.fill_diagonal(t, 1.0)
    new = trust.after_let_down(t, np.array([0, 1, 2]), np.array([2, 0]), np.array([0.25, 1.5, -0.5]))
    assert new[0, 2] == pytest.approx(0.6)   # 0.8 * (1 - 0.25)
    assert new[1, 2] == 0.0                  # a fall above 1 is clipped to all trust lost
    assert new[2, 0] == 0.8                  # a negative fall is clipped to none: no gain
    new = trust.after_let_down(t, np.array([0, 1]), np.array([2]), np.array([0.25, 1.5]))
    assert new[2, 0] == 0.8 and new[0, 1] == 0.8 and (np.diag(new) == 1).all()
    same = trust.after_let_down(t, np.array([], dtype=int), np.array([2]), np.array([]))
    assert np.array_equal(same, t) and same is not t


def test_overrule_fear_is_greatest_for_the_smallest_council():
    assert np.allclose(trust.overrule_fear(np.array([50.0, 100.0, 25.0]), 2.0), [2.0, 1.0, 2.5])


def test_mean_trust_among_members_leaves_out_self_trust():
    t = np.array([[1.0, 0.2, 0.4], [0.6, 1.0, 0.8], [0.0, 1.0, 1.0]])
    assert trust.mean_trust(t) == pytest.approx((0.2 + 0.4 + 0.6 + 0.8 + 0.0 + 1.0) / 6)
    assert trust.mean_trust(t, np.array([0, 2])) == pytest.approx(0.2)
    assert math.isnan(trust.mean_trust(t, np.array([1])))


def test_trust_given_is_a_row_mean_and_received_a_column_mean_without_self():
    t = np.array([[1.0, 0.2, 0.4], [0.6, 1.0, 0.8], [0.0, 1.0, 1.0]])
    given, received = trust.given_and_received(t)
    assert np.allclose(given, [0.3, 0.7, 0.5])        # kills `* (n - 1)` and `/ (n + 1)`
    assert np.allclose(received, [0.3, 0.6, 0.6])


def test_trust_graph_has_one_edge_per_ordered_pair_with_its_trust():
    t = np.array([[1.0, 0.2], [0.7, 1.0]])
    graph = trust.trust_graph(t, ["A", "B"])
    assert isinstance(graph, nx.DiGraph) and sorted(graph.edges) == [("A", "B"), ("B", "A")]
    assert graph["A"]["B"]["trust"] == 0.2 and graph["B"]["A"]["trust"] == 0.7


# -- meetings.py ----------------------------------------------------------------------------------


def test_next_meeting_is_the_first_calendar_month_at_or_after_the_month():
    cycles, offsets = np.array([2, 3, 3, 1]), np.array([0, 2, 1, 0])
    assert meetings.next_meeting(5, cycles, offsets).tolist() == [6, 5, 7, 5]
    assert meetings.next_meeting(0, 3, 2) == 2


def test_the_council_votes_one_cycle_after_the_committee():
    assert meetings.vote_months(5, np.array([2, 3]), np.array([0, 2])).tolist() == [8, 8]


# -- governance rules -----------------------------------------------------------------------------


def test_each_council_keeps_its_own_calendar_by_default():
    rule = RULES["optional"]()
    assert rule.decision_months(3, np.array([2, 3]), np.array([1, 0]), _context(rule, 2)).tolist() == [5, 6]


@pytest.mark.parametrize("key", ["mayoral", "binding"])
def test_aligned_rules_decide_together_on_a_calendar_from_month_zero(key):
    rule = RULES[key](aligned_cycle=2)
    # next aligned meeting at or after 3 is 4 (offset 0, not 1), the vote one cycle later: 6
    months = rule.decision_months(3, np.array([2, 3, 3]), np.array([1, 0, 2]), _context(rule, 3))
    assert months.tolist() == [6, 6, 6]


def test_binding_counts_councils_or_residents():
    yes = np.array([False, False, False, True])  # Velsen alone: 42% of residents, one of four councils
    by_councils, by_residents = (_rule("binding", quota=0.4, vote_weight=w) for w in ("equal", "population"))
    assert not by_councils.carries(yes, POP, _context(by_councils))
    assert by_residents.carries(yes, POP, _context(by_residents))


def test_unanimity_is_the_default_vote():
    optional, mayoral = RULES["optional"](), _rule("mayoral")
    assert optional.carries(np.array([True, True]), POP[:2], _context(optional, 2))
    assert not mayoral.carries(np.array([True, False]), POP[:2], _context(mayoral, 2))


def test_mayoral_cost_shares_are_mediated_with_its_parameters():
    rule = _rule("mayoral", mediation=1.0, package_deal=0.0)
    assert np.allclose(rule.negotiated_cost_shares(np.array([0.5, 0.5]), np.array([0.8, 0.2]),
                                                   np.zeros(2), _context(rule, 2)), [0.8, 0.2])
    base = GovernanceRule()
    assert np.array_equal(base.negotiated_cost_shares(np.array([0.3, 0.7]), np.array([0.5, 0.5]),
                                                      np.zeros(2), _context(base, 2)), [0.3, 0.7])


def _checks(rule) -> dict[str, tuple[bool, str]]:
    return {key: (ok, allowed) for key, _, ok, allowed in rule.checks()}


@functools.cache
def _default_rule(key: str) -> GovernanceRule:
    """The rule with its defaults from conf/governance/<key>.yaml (the rule classes hold none)."""
    return rule_from_config(config.compose([f"governance={key}"]).governance)


def _rule(key: str, **changes) -> GovernanceRule:
    return dataclasses.replace(_default_rule(key), **changes)


def test_binding_range_checks_name_the_key_and_what_is_allowed():
    assert _checks(_rule("binding")) == {
        "governance.aligned_cycle": (True, "must be >= 1 month"),
        "governance.quota": (True, "must be in (0.5, 1]"),
        "governance.vote_weight": (True, "must be 'equal' or 'population'"),
        "governance.exit_cost": (True, "must be >= 0"),
    }
    bad = _checks(_rule("binding", aligned_cycle=0, quota=0.5, vote_weight="seats", exit_cost=-0.01))
    assert not any(ok for ok, _ in bad.values())
    edge = _checks(_rule("binding", aligned_cycle=1, quota=1.0, vote_weight="population", exit_cost=0.0))
    assert all(ok for ok, _ in edge.values())
    assert not _checks(_rule("binding", quota=1.01))["governance.quota"][0]


def test_mayoral_range_checks_name_the_key_and_what_is_allowed():
    assert _checks(_rule("mayoral")) == {
        "governance.aligned_cycle": (True, "must be >= 1 month"),
        "governance.mediation": (True, "must be in [0, 1]"),
        "governance.package_deal": (True, "must be in [0, 1]"),
        "governance.conflict_damping": (True, "must be in [0, 1]"),
    }
    edge = _checks(_rule("mayoral", aligned_cycle=1, mediation=0.0, package_deal=1.0, conflict_damping=0.0))
    assert all(ok for ok, _ in edge.values())
    bad = _checks(_rule("mayoral", aligned_cycle=0, mediation=-0.01, package_deal=1.01,
                                   conflict_damping=1.5))
    assert not any(ok for ok, _ in bad.values())
    assert list(GovernanceRule().checks()) == []


def test_a_rule_is_built_from_its_config_node_or_passed_through():
    rule = _rule("binding", quota=0.6)
    assert rule_from_config(rule) is rule
    node = OmegaConf.structured(_rule("mayoral", mediation=0.25))
    assert rule_from_config(node) == _rule("mayoral", mediation=0.25)


def test_every_rule_module_is_found():
    assert {"optional", "mayoral", "binding"} <= set(RULES)
    assert all(cls.key == key and cls.label for key, cls in RULES.items())


def test_discovery_finds_the_packages_rules_and_the_entry_points_rules_sorted_by_order(monkeypatch):
    """``discover()`` run again here (``RULES`` is built at import, before a mutant is switched on).

    An installed rule package is stood in for by one entry point whose module defines a rule
    that sorts first (order 0), a keyless base and a rule derived from it (order 100).
    Kills every mutant of ``discover`` (no package modules, ``import_module(None)``, another
    entry-point group, no or another sort key, ``rules = None``) and ``_subclasses(None)``,
    which would not find the rule derived from the keyless base.
    """
    defined = []

    class Entry:
        def load(self):
            @dataclasses.dataclass
            class Early(GovernanceRule):
                key, label, order = "early", "early rule", 0

            @dataclasses.dataclass
            class Keyless(GovernanceRule):
                """A base of rules: no key, so no rule."""

            @dataclasses.dataclass
            class Late(Keyless):
                key, label = "late", "late rule"  # the default order, 100: after the report's three

            defined.extend([Early, Keyless, Late])

    def entry_points(*, group):
        return [Entry()] if group == governance.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(governance, "entry_points", entry_points)
    found = governance.discover()
    try:
        assert list(found) == ["early", "optional", "mayoral", "binding", "late"]
        assert found["late"] is defined[2] and found["optional"] is RULES["optional"]
    finally:
        found.clear()
        defined.clear()
        gc.collect()  # the test's rules leave GovernanceRule.__subclasses__() again
    monkeypatch.undo()
    assert list(governance.discover()) == list(RULES)


def test_a_rules_name_for_people_is_its_label_or_else_its_key():
    """Kills the four mutants of ``rule_label`` (the label never, always, for unknown keys only,
    ``str(None)``)."""
    assert rule_label("binding") == "binding frameworks"
    assert rule_label("consensus") == "consensus"



def test_a_rule_without_a_label_is_named_by_its_key(monkeypatch):
    """Kills ``rule_label`` returning a rule's empty label (a blank menu entry, "under  (seed 42)")."""
    unnamed = type("Unnamed", (), {"key": "unnamed", "label": ""})
    monkeypatch.setitem(governance.RULES, "unnamed", unnamed)
    assert rule_label("unnamed") == "unnamed"


# -- initiative.py --------------------------------------------------------------------------------


def test_entering_a_phase_sets_its_deadline_and_the_furthest_phase_reached():
    initiative = Initiative(uid=0, opgave=0, initiator=0, participants=np.array([0, 1]), started=0,
                            cost_share=np.array([0.5, 0.5]), benefit_share=np.array([0.5, 0.5]),
                            mood=np.zeros(2))
    initiative.enter(Phase.COUNCIL_DECISION, 9)
    assert (initiative.phase, initiative.phase_ends, initiative.furthest) == (Phase.COUNCIL_DECISION, 9,
                                                                               Phase.COUNCIL_DECISION)


def test_blame_is_recorded_only_when_someone_trusts_someone_less():
    """Kills ``len(witnesses) or len(offenders)`` in ``record_blame``: a block by every partner
    (no witnesses) or a stranding nobody caused (no offenders) blames nobody."""
    initiative = Initiative(uid=0, opgave=0, initiator=0, participants=np.array([0, 1]), started=0,
                            cost_share=np.array([0.5, 0.5]), benefit_share=np.array([0.5, 0.5]),
                            mood=np.zeros(2))
    nobody, both = np.array([], dtype=int), np.array([0, 1])
    initiative.record_blame(4, nobody, both, StrandReason.BLOCKED_BY_COLLEGE.value)
    initiative.record_blame(5, both, nobody, StrandReason.FAILED_DELIVERY.value)
    assert initiative.blame == []
    initiative.record_blame(6, np.array([1]), np.array([0]), OVERRULED)
    assert [(b.month, b.witnesses, b.offenders, b.why) for b in initiative.blame] == [
        (6, (1,), (0,), OVERRULED)]


def test_partners_who_stay_share_the_whole_cost_and_benefit():
    initiative = Initiative(uid=0, opgave=0, initiator=0, participants=np.array([0, 1, 2]), started=0,
                            cost_share=np.array([0.5, 0.3, 0.2]), benefit_share=np.array([0.2, 0.2, 0.6]),
                            mood=np.array([0.1, 0.2, 0.3]), original_participants=(0, 1, 2))
    initiative.vote_months = np.array([4, 5, 6])
    initiative.votes = np.array([True, False, True])
    initiative.keep_only(np.array([True, False, True]))
    assert initiative.participants.tolist() == [0, 2]
    assert np.allclose(initiative.cost_share, [0.5 / 0.7, 0.2 / 0.7])
    assert np.allclose(initiative.benefit_share, [0.25, 0.75])
    assert np.allclose(initiative.mood, [0.1, 0.3])
    assert initiative.vote_months.tolist() == [4, 6] and initiative.votes.tolist() == [True, True]
    assert initiative.original_participants == (0, 1, 2)
