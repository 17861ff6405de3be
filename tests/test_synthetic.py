"""The synthetic-region generator, and that the model runs a few months on a region of 342 councils."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import make_scenario
from ijmond_sim.model import RegionModel
from ijmond_sim.model.synthetic import synthetic_region

PER_COUNCIL = ("population", "capacity", "ambition", "conflict_sensitivity", "conservatism",
               "identification", "outside_option", "meeting_cycle", "meeting_offset")
PER_OPGAVE = ("statutory", "proposals_per_year", "surplus", "sunk_share")


def same_region(a, b) -> bool:
    return all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name)) if isinstance(getattr(a, f.name), np.ndarray)
        else getattr(a, f.name) == getattr(b, f.name)
        for f in dataclasses.fields(a)
    )


@pytest.mark.parametrize("n", [2, 4, 36, 342])
def test_shapes_and_ranges(n):
    region = synthetic_region(n, seed=3)
    k = len(region.opgaven)
    assert len(region.councils) == len(set(region.councils)) == n
    assert k == len(region.opgave_labels) == len(region.cost_key) >= n
    for name in PER_COUNCIL:
        assert getattr(region, name).shape == (n,), name
    for name in PER_OPGAVE:
        assert getattr(region, name).shape == (k,), name
    assert region.interests.shape == (n, k) and region.trust_bias.shape == (n, n)
    assert ((region.population >= 1_000) & (region.population <= 900_000)).all()
    assert ((region.capacity > 0) & (region.capacity <= 1)).all()
    assert ((region.interests >= 0) & (region.interests <= 1)).all()
    for name in ("identification", "outside_option", "conservatism"):
        assert ((getattr(region, name) >= 0) & (getattr(region, name) <= 1)).all(), name
    assert ((region.meeting_offset >= 0) & (region.meeting_offset < region.meeting_cycle)).all()
    assert (region.surplus > 0).all() and ((region.sunk_share >= 0) & (region.sunk_share <= 1)).all()
    assert (np.diagonal(region.trust_bias) == 0).all()
    members = (region.interests > 0).sum(axis=0)
    assert (members >= min(n, 3)).all(), "every opgave is shared by at least three councils (or all)"
    statutory = region.interests[:, region.statutory]
    assert (statutory[statutory > 0] == 1).all(), "a statutory task matters fully to its members"


def test_interests_are_sparse_in_a_large_region():
    region = synthetic_region(342, seed=3)
    members = (region.interests > 0).sum(axis=0)
    assert members.max() < 20, "an opgave is regional: a handful of neighbours, not the whole country"
    assert (region.interests > 0).any(axis=1).mean() > 0.9, "nearly every council has some opgave"


def test_same_seed_same_region_other_seed_other_region():
    assert same_region(synthetic_region(36, seed=7), synthetic_region(36, seed=7))
    assert not same_region(synthetic_region(36, seed=7), synthetic_region(36, seed=8))


def test_populations_look_like_dutch_municipalities():
    population = synthetic_region(342, seed=0).population
    assert 15_000 < np.median(population) < 45_000
    assert population.max() > 10 * np.median(population)


def test_too_small_a_region_is_refused():
    with pytest.raises(ValueError, match="at least two councils"):
        synthetic_region(1, seed=0)


@pytest.mark.parametrize("governance", ["optional", "mayoral", "binding"])
def test_a_region_of_342_councils_runs_a_few_months(governance):
    scenario = dataclasses.replace(make_scenario(f"governance={governance}"),
                                   region=synthetic_region(342, seed=1))
    model = RegionModel(scenario, seed=5)
    model.run_for(14)
    assert model.month == 14
    assert model.started > 0
    assert ((model.trust >= 0) & (model.trust <= 1)).all()
    assert (np.diagonal(model.trust) == 1).all()
    frame = model.datacollector.get_agent_vars_dataframe()
    assert len(frame) == 15 * 342
    assert frame["trust_given"].between(0, 1).all() and frame["trust_received"].between(0, 1).all()
    for initiative in model.initiatives:
        assert len(initiative.participants) >= 2
        assert np.isclose(initiative.cost_share.sum(), 1) and np.isclose(initiative.benefit_share.sum(), 1)


def test_a_synthetic_run_is_reproducible():
    scenario = dataclasses.replace(make_scenario("collect=false"), region=synthetic_region(100, seed=2))
    a, b = RegionModel(scenario, seed=9), RegionModel(scenario, seed=9)
    a.run_for(24)
    b.run_for(24)
    assert np.array_equal(a.trust, b.trust)
    assert [i.phase for i in a.initiatives] == [i.phase for i in b.initiatives]
