"""The validation's runs through the sweep engine: a record per run, seeds from a seed name, resume."""

from __future__ import annotations

import math

from conftest import compose_config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep.engine import Design
from ijmond_sim.sweep.replicate import replication_seeds
from ijmond_sim.validation.patterns.context import trust_record
from ijmond_sim.validation.runs import Runner, number, recorded
from ijmond_sim.validation.scenarios import with_settings


def _runner(folder):
    return Runner(folder, progress_seconds=3600, say=lambda line: None)


def _point(arm: str, level: float, seed_key: str | None = None) -> Design:
    settings = {"trust.initial": level}
    cfg = with_settings(compose_config("years=2", "collect=false"), settings)
    return Design({"arm": arm, **settings}, cfg, seed_key=seed_key)


def _mtimes(folder):
    return {p: p.stat().st_mtime_ns for p in folder.rglob("results.json")}


def test_each_run_stores_the_record_of_its_finished_model_with_seeds_from_the_seed_name(tmp_path):
    points = [_point("a", 0.3, seed_key="shared"), _point("b", 0.3, seed_key="shared")]
    runs = _runner(tmp_path).run("s", points, base_seed=7, replications=2, record=trust_record)
    seeds = replication_seeds(7, "shared", 2)
    assert [r["seed"] for r in runs[0]] == seeds == [r["seed"] for r in runs[1]]
    direct = [trust_record(RegionModel(Scenario.from_config(points[0].cfg), seed=s).run()) for s in seeds]
    assert [recorded(r) for r in runs[0]] == direct  # bit for bit, through JSON
    assert runs[0] == runs[1]  # same config, same seeds
    assert len(_mtimes(tmp_path)) == 2  # one results file per point


def test_a_point_without_a_seed_name_is_seeded_by_its_values_and_a_repeated_point_runs_once(tmp_path):
    low, high = _point("a", 0.2), _point("a", 0.8)
    runs = _runner(tmp_path).run("s", [low, high, low], base_seed=7, replications=2, record=trust_record)
    assert [r["seed"] for r in runs[1]] == replication_seeds(7, "arm=a,trust.initial=0.8", 2)
    assert runs[0] == runs[2] != runs[1]
    assert len(_mtimes(tmp_path)) == 2


def test_results_are_reused_only_for_the_same_base_seed_and_replications(tmp_path):
    runner, points = _runner(tmp_path), [_point("a", 0.5)]
    first = runner.run("s", points, base_seed=7, replications=2, record=trust_record)
    files = _mtimes(tmp_path)
    assert runner.run("s", points, base_seed=7, replications=2, record=trust_record) == first
    assert _mtimes(tmp_path) == files  # resumed: nothing ran again
    reseeded = runner.run("s", points, base_seed=8, replications=2, record=trust_record)
    assert [r["seed"] for r in reseeded[0]] == replication_seeds(8, "arm=a,trust.initial=0.5", 2)
    assert len(runner.run("s", points, base_seed=8, replications=3, record=trust_record)[0]) == 3


def test_a_stored_null_reads_as_nan():
    assert math.isnan(number(None)) and number(1.5) == 1.5
