"""Property-based tests: invariants that hold at every step, whatever the parameters."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_scenario
from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import Phase


@functools.cache
def base_scenario(governance: str):
    return make_scenario(f"governance={governance}", "collect=false")


@st.composite
def scenarios(draw):
    base = base_scenario(draw(st.sampled_from(["optional", "mayoral", "binding"])))
    gain = draw(st.floats(0.0, 0.3))
    ratio = draw(st.floats(0.0, 10.0))
    if gain * ratio > 1:
        ratio = 1 / gain
    outside = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4)))
    region = dataclasses.replace(base.region, outside_option=outside)
    trust = dataclasses.replace(base.trust, initial=draw(st.floats(0.0, 1.0)), gain=gain, fall_ratio=ratio)
    decision = dataclasses.replace(base.decision, noise=draw(st.floats(0.01, 2.0)))
    return dataclasses.replace(base, region=region, trust=trust, decision=decision,
                               years=draw(st.integers(1, 10)))


def check_invariants(model: RegionModel) -> None:
    trust = model.trust
    assert ((trust >= 0) & (trust <= 1)).all()
    assert (np.diag(trust) == 1).all()
    states = {Phase.COMPLETED: 0, Phase.STRANDED: 0, "under way": 0}
    taken_part = 0
    for initiative in model.initiatives:
        state = initiative.phase if initiative.phase.ended else "under way"
        states[state] += 1
        assert (initiative.ended is not None) == initiative.phase.ended
        if initiative.phase.ended:
            assert initiative.started <= initiative.ended <= model.month
            assert (initiative.strand_reason is None) == (initiative.phase is Phase.COMPLETED)
        if initiative.decided is not None:
            assert initiative.started <= initiative.decided <= model.month
        if initiative.phase is Phase.COMPLETED:
            assert initiative.furthest is Phase.EXECUTION and initiative.decided is not None
            taken_part += len(initiative.participants)
        assert set(initiative.participants) <= set(initiative.original_participants)
        assert np.isclose(initiative.cost_share.sum(), 1.0)
        assert np.isclose(initiative.benefit_share.sum(), 1.0)
    # the model's counters agree with the initiatives' own phases, and each council's tally with both
    assert states[Phase.COMPLETED] == model.completed
    assert states[Phase.STRANDED] == model.stranded
    assert states["under way"] == model.under_way
    assert sum(council.completed for council in model.councils) == taken_part


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_at_every_step(scenario, seed):
    model = RegionModel(scenario, seed=seed)
    check_invariants(model)
    for _ in range(scenario.months):
        model.step()
        check_invariants(model)
    assert not model.running
