"""The public API: simulate, parameters, RegionModel from keywords, the cached composition."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import mesa
import numpy as np
import pytest
from tests.conftest import compose_config

import ijmond_sim
from ijmond_sim import api, config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep.replicate import replication_seeds, run_replications


def same(a, b) -> bool:
    """Equal run summaries, NaN equal to NaN."""
    return json.dumps(a) == json.dumps(b)


def test_simulate_gives_the_runs_a_sweep_gives_the_same_point():
    runs = ijmond_sim.simulate(rule="mayoral", initial_trust=0.3, replications=3, seed=5)
    cfg = compose_config("governance=mayoral", "trust.initial=0.3", "collect=false")
    expected = run_replications(Scenario.from_config(cfg),
                                replication_seeds(5, "governance=mayoral,trust.initial=0.3", 3))
    assert same(runs, expected)
    assert len({run["seed"] for run in runs}) == 3


def test_short_names_dotted_keys_and_numpy_scalars_are_one_parameter():
    short = ijmond_sim.simulate(rule="binding", initial_trust=0.7, replications=2)
    assert same(ijmond_sim.simulate(rule=np.str_("binding"), initial_trust=np.float64(0.7),
                                    replications=np.int64(2)), short)
    assert same(ijmond_sim.simulate(rule="binding", replications=2, **{"trust.initial": 0.7}), short)
    assert not same(ijmond_sim.simulate(rule="binding", initial_trust=0.2, replications=2), short)


def test_a_group_name_sets_every_voluntary_opgave_and_leaves_the_statutory_one():
    world = api.scenario(voluntary_surplus=2.7)
    assert world.region.surplus.tolist() == [2.7] * 5 + [2.5]
    assert not world.region.statutory[:5].any() and world.region.statutory[5]


def test_governance_keys_reach_the_rule_and_are_checked():
    assert api.scenario(rule="binding", **{"governance.quota": 1.0}).rule.quota == 1.0
    with pytest.raises(config.ConfigError, match="governance.quota"):
        api.scenario(rule="binding", **{"governance.quota": 0.3})


def test_parameters_read_their_defaults_from_conf_and_lie_in_their_ranges():
    cfg = compose_config()
    params = {p.name: p for p in ijmond_sim.parameters()}
    assert params["initial_trust"].default == cfg.trust.initial
    assert params["uitgeest_outside_option"].default == cfg.region.councils.Uitgeest.outside_option
    assert params["voluntary_surplus"].keys == tuple(f"region.opgaven.{o}.surplus" for o in
                                                     ("economy", "air_quality", "mobility", "housing",
                                                      "facilities"))
    for p in params.values():
        assert p.low <= p.default <= p.high, p.name
        assert p.unit and p.source
        for end in (p.low, p.high):  # both ends of every range pass the model's checks
            assert isinstance(api.scenario(**{p.name: end}), Scenario)


def test_whole_number_parameters_are_rounded_by_short_name_and_checked_by_key():
    assert api.scenario(preparation_months=4.4).initiatives.preparation_months == 4
    assert api.scenario(preparation_months=np.float64(5.6)).initiatives.preparation_months == 6
    with pytest.raises(config.ConfigError, match="initiatives.preparation_months.*whole number"):
        api.scenario(**{"initiatives.preparation_months": 4.5})


@pytest.mark.parametrize(("parameters", "error", "match"), [
    ({"inital_trust": 0.3}, api.UnknownParameter, "unknown parameter 'inital_trust'"),
    ({"trust.initial": 1.5}, config.ConfigError, r"trust.initial = 1.5: must be in \[0, 1\]"),
    ({"initial_trust": "high"}, config.ConfigError, "trust.initial.*must be a number"),
    ({"seed": 3}, api.UnknownParameter, "argument of its own"),
    ({"governance": "binding"}, api.UnknownParameter, "argument of its own"),
    ({"region.councils": 3}, config.ConfigError, "group of keys"),
])
def test_bad_parameters_raise_one_clear_error(parameters, error, match):
    with pytest.raises(error, match=match):
        api.scenario(**parameters)


def test_a_call_costs_no_composition_and_leaves_the_cached_defaults_alone(monkeypatch):
    composed = [o.surplus for o in config.compose().region.opgaven.values()]
    trust = compose_config().trust.initial  # before compose is replaced: the cache may be empty (xdist)
    ijmond_sim.simulate(rule="mayoral")
    calls = []
    monkeypatch.setattr(config, "compose", lambda *a, **k: calls.append(a))
    for x in np.linspace(0.1, 0.9, 5):
        ijmond_sim.simulate(rule="mayoral", initial_trust=x, voluntary_surplus=3.0)
    assert calls == []
    assert api.scenario(rule="mayoral").region.surplus.tolist() == composed
    assert api.scenario(rule="mayoral").trust.initial == trust


def test_mean_outcomes_skip_undefined_values_and_count_who_turned_away():
    runs = [{"replication": 0, "seed": 1, "completion_rate": 0.5, "first_turned_away_month": None,
             "turned_away": '["Uitgeest"]'},
            {"replication": 1, "seed": 2, "completion_rate": float("nan"), "first_turned_away_month": None,
             "turned_away": "[]"},
            {"replication": 2, "seed": 3, "completion_rate": 0.2, "first_turned_away_month": None,
             "turned_away": ""}]
    means = ijmond_sim.mean_outcomes(runs)
    assert means["completion_rate"] == pytest.approx(0.35)
    assert means["turned_away_share"] == pytest.approx(1 / 3)
    assert math.isnan(means["first_turned_away_month"])
    assert "seed" not in means and "replication" not in means


def test_the_model_from_keywords_is_the_model_from_its_scenario():
    by_keywords = RegionModel(rule="binding", initial_trust=0.6, seed=3).run()
    by_scenario = RegionModel(api.scenario(rule="binding", initial_trust=0.6), seed=3).run()
    assert by_keywords.trust.tolist() == by_scenario.trust.tolist()
    assert by_keywords.rule.key == "binding" and by_keywords.params.trust.initial == 0.6
    with pytest.raises(TypeError, match="not both"):
        RegionModel(api.scenario(), seed=1, initial_trust=0.3)


def test_the_model_module_alone_builds_a_model_from_keywords():
    # kills: the keyword hook set only by importing ijmond_sim.api (what batch_run's workers never do:
    # they import the model's module alone, to unpickle the class)
    code = ("import sys; from ijmond_sim.model.model import RegionModel; "
            "assert 'ijmond_sim.api' not in sys.modules; "
            "print(RegionModel(rule='binding', initial_trust=0.5, seed=1).params.trust.initial)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.5"


def test_mesa_batch_run_drives_the_model_and_its_rows_hold_plain_values():
    rows = mesa.batch_run(RegionModel, {"rule": ["optional", "binding"], "initial_trust": 0.8},
                          rng=[1, 2], max_steps=24, display_progress=False)
    assert {(r["rule"], r["seed"]) for r in rows} == {(rule, s) for rule in ("optional", "binding")
                                                      for s in (1, 2)}
    for row in rows:
        assert all(v is None or isinstance(v, int | float | str | bool) for v in row.values()), row
    first = next(r for r in rows if r["rule"] == "binding" and r["seed"] == 1)
    model = RegionModel(rule="binding", initial_trust=0.8, seed=1)
    model.run_for(first["Step"])
    assert first["completed"] == model.completed and first["started"] == model.started
