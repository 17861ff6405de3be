"""What the speed work relies on: vectorised trust arithmetic equals its plain definition bit for bit,
and the benchmark script's own helpers (fit, record, floor model) work. Nothing here is timed."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import make_scenario
from ijmond_sim.model import RegionModel
from ijmond_sim.model.trust import (
    after_let_down,
    after_success,
    expected_follow_through,
    given_and_received,
    mean_trust,
)

_spec = importlib.util.spec_from_file_location(
    "benchmarks_run", Path(__file__).resolve().parents[1] / "benchmarks" / "run.py")
bench = sys.modules["benchmarks_run"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def random_trust(n: int, seed: int) -> np.ndarray:
    trust = np.random.default_rng(seed).random((n, n))
    np.fill_diagonal(trust, 1.0)
    return trust


@pytest.mark.parametrize("n", [2, 3, 4, 9, 36, 342])
def test_trust_given_and_received_are_the_means_over_the_others_exactly(n):
    trust = random_trust(n, n)
    given = [np.delete(trust[i], i).mean() for i in range(n)]
    received = [np.delete(trust[:, i], i).mean() for i in range(n)]
    assert [a.tolist() for a in given_and_received(trust)] == [given, received]


@pytest.mark.parametrize("n", [4, 36])
def test_block_updates_equal_their_np_ix_definitions_exactly(n):
    trust = random_trust(n, 1)
    rng = np.random.default_rng(2)
    who = np.sort(rng.choice(n, size=3, replace=False))
    others = np.setdiff1d(np.arange(n), who)[:2]
    block = trust[np.ix_(who, who)]
    assert expected_follow_through(trust, who).tolist() == \
        ((block.sum(axis=1) - block.diagonal()) / (len(who) - 1)).tolist()
    expected = trust.copy()
    expected[np.ix_(who, who)] = block + 0.1 * (1 - block)
    np.fill_diagonal(expected, 1.0)
    assert np.array_equal(after_success(trust, who, 0.1), expected)
    fall = np.array([0.1, 0.2, 0.3])
    expected = trust.copy()
    expected[np.ix_(who, others)] = trust[np.ix_(who, others)] * (1 - fall)[:, None]
    np.fill_diagonal(expected, 1.0)
    assert np.array_equal(after_let_down(trust, who, others, fall), expected)
    sub = trust[np.ix_(who, who)]
    assert mean_trust(trust, who) == (sub.sum() - np.trace(sub)) / 6


def test_collected_trust_given_and_received_match_the_final_trust_matrix():
    model = RegionModel(make_scenario(), seed=3).run()
    last = model.datacollector.get_agent_vars_dataframe().xs(model.month, level="Step")
    given, received = given_and_received(model.trust)
    assert last["trust_given"].tolist() == given.tolist()
    assert last["trust_received"].tolist() == received.tolist()
    assert model.datacollector.get_model_vars_dataframe()["active_councils"].iloc[-1] == \
        sum(c.active for c in model.councils)


def test_growth_exponent_recovers_a_power_law():
    sizes = [4, 36, 100, 342]
    assert bench.growth_exponent(sizes, [2e-5 * n**1.5 for n in sizes]) == pytest.approx(1.5)


def test_floor_model_collects_like_the_region_model():
    scenario = make_scenario()
    reporters = bench.reporter_counts(scenario)
    floor = bench.FloorModel(12, reporters, seed=1).run()
    assert floor.time == 12
    model_vars = floor.datacollector.get_model_vars_dataframe()
    assert model_vars.shape == (13, reporters[0])
    assert floor.datacollector.get_agent_vars_dataframe().shape == (13 * 4, reporters[1])


def test_record_appends_rows_under_one_header(tmp_path):
    path = tmp_path / "results" / "results.csv"
    measures = [bench.Measure("default_run", 7.5, "ms", 10, "<= 10"),
                bench.Measure("collection_share", 40, "%")]
    bench.record(measures, path, "a machine")
    bench.record(measures[:1], path, "a machine")
    rows = list(csv.DictReader(path.open()))
    assert [r["measure"] for r in rows] == ["default_run", "collection_share", "default_run"]
    assert rows[0]["met"] == "yes" and rows[1]["met"] == "" and rows[0]["machine"] == "a machine"
    assert list(rows[0]) == list(bench.COLUMNS)


def test_targets_bound_from_above_or_below():
    assert bench.Measure("sweep_ratio", 1.1, "x", target="<= 1.2").met
    assert not bench.Measure("sweep_ratio", 1.3, "x", target="<= 1.2").met
    assert bench.Measure("speedup_2_workers", 1.8, "x", target=">= 1.7").met
    assert not bench.Measure("speedup_2_workers", 1.2, "x", target=">= 1.7").met


def test_amdahl_projection_from_the_measured_parts():
    assert bench.amdahl(0.0, 16) == 16 and bench.amdahl(1.0, 64) == 1
    assert bench.amdahl(0.1, 16) == pytest.approx(1 / (0.1 + 0.9 / 16))
    t = bench.Timing
    parts = bench.SweepParts(total=t(10, 8), startup=t(1, 1), planning=t(1, 1), runs=t(6, 5),
                             aggregation=t(1, 0.5), figures=t(3, 3))
    assert parts.serial == t(4, 3) and parts.rest == t(1, 0.5)  # figures are drawn after the command
    by_name = {m.name: m for m in bench.projection(parts)}
    assert by_name["serial_fraction"].value == pytest.approx(40) and by_name["serial_fraction"].cpu == 37.5
    assert by_name["amdahl_16_cores"].value == pytest.approx(bench.amdahl(0.4, 16))


def test_medians_of_timings_take_wall_and_cpu_each_on_its_own():
    t = bench.Timing
    assert bench.medians([t(3, 1), t(1, 3), t(2, 9)]) == t(2, 3)
