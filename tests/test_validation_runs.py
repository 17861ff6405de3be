"""The validation's runs through the sweep engine: a record per run, seeds from a seed name, resume."""

from __future__ import annotations

import importlib
import inspect
import math
import os
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from conftest import compose_config
from ijmond_sim.errors import InputError
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep import cluster, engine, provenance, store
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


# -- what a record's identity covers, and the slurm launcher's pool without Slurm ---------------------

def _records_module(folder, monkeypatch, name: str, source: str):
    """A module of record functions written to ``folder`` and imported; worker processes find it too."""
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # a rewritten module is read again, not its .pyc
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    importlib.invalidate_caches()
    return importlib.reload(sys.modules[name]) if name in sys.modules else importlib.import_module(name)


RECORDS = """
    from ijmond_sim.validation.patterns.context import trust_record

    def scaled(value):
        return value * {factor}

    def record(model):
        return {{"start": scaled(trust_record(model)["start"])}}
"""


def test_a_changed_helper_of_the_record_makes_its_points_run_again(tmp_path, monkeypatch):
    """Kills the mutant "a record's identity is its own source only": a stale record would be reused."""
    module = _records_module(tmp_path, monkeypatch, "helper_records", RECORDS.format(factor=1))
    runner, points = _runner(tmp_path / "runs"), [_point("a", 0.5)]
    first = runner.run("s", points, base_seed=7, replications=1, record=module.record)
    assert runner.run("s", points, base_seed=7, replications=1, record=module.record) == first  # resumed
    module = _records_module(tmp_path, monkeypatch, "helper_records", RECORDS.format(factor=2))
    again = runner.run("s", points, base_seed=7, replications=1, record=module.record)
    assert again[0][0]["start"] == 2 * first[0][0]["start"]  # ran again with the changed helper


def test_a_record_s_identity_covers_the_ijmond_sim_modules_its_module_imports(monkeypatch):
    """Kills the mutant "only the record's module counts": trust_record calls validation.scenarios."""
    sources = {p.relative_to(provenance.PACKAGE_DIR).as_posix()
               for p in provenance.imported_sources(Path(inspect.getsourcefile(trust_record)))}
    assert {"validation/patterns/context.py", "validation/scenarios.py", "run/measures.py",
            "model/model.py"} <= sources
    assert "validation/command.py" not in sources  # what is not imported does not count
    before, read = engine.record_identity(trust_record), Path.read_bytes
    helpers = provenance.PACKAGE_DIR / "validation" / "scenarios.py"
    monkeypatch.setattr(Path, "read_bytes", lambda path: read(path) + (b"#" if path == helpers else b""))
    assert engine.record_identity(trust_record) != before  # a changed helper's module: a new identity


KILLER = """
    import os
    from ijmond_sim.validation.patterns.context import trust_record

    def record(model):
        if os.environ.get("KILL_HIGH_TRUST") and model.initial_mean_trust > 0.5:
            os._exit(9)  # the task dies as a killed or cancelled one does, without results
        return trust_record(model)
"""


def test_the_job_array_pool_stores_the_basic_launcher_s_runs_under_its_own_name(tmp_path, monkeypatch):
    """Runs the tasks as local processes (submitit's local cluster): not a cluster test (tests/test_slurm.py).

    Kills the mutants "the pool drops or reorders the batches' runs" and "provenance keeps the engine's name".
    """
    module = _records_module(tmp_path, monkeypatch, "array_records", KILLER)
    points = [_point("a", 0.2), _point("a", 0.8)]
    basic = _runner(tmp_path / "basic").run("s", points, base_seed=7, replications=2, record=module.record)
    pool = cluster.JobArrayPool(tmp_path / "submitit", cluster.SlurmOptions(tasks_at_once=2), cluster="local")
    arrayed = Runner(tmp_path / "array", 2, pool, lambda line: None, 3600, launcher="slurm").run(
        "s", points, base_seed=7, replications=2, record=module.record)
    assert arrayed == basic
    files = list((tmp_path / "array").rglob("results.json"))
    assert len(files) == 2 and {store.read(f)["provenance"]["launcher"] for f in files} == {"slurm"}


def test_a_task_that_dies_is_named_its_points_reported_and_a_rerun_runs_only_them(tmp_path, monkeypatch):
    """Kills the mutants "a dead task stops the array", "its points pass unnoticed", "a rerun runs all"
    and "a sweep with nothing left to run submits an empty array"."""
    module = _records_module(tmp_path, monkeypatch, "killer_records", KILLER)
    said: list[str] = []
    pool = cluster.JobArrayPool(tmp_path / "submitit", cluster.SlurmOptions(tasks_at_once=2), said.append,
                                cluster="local")
    runner, points = Runner(tmp_path / "runs", 2, pool, said.append, 3600, "slurm"), [_point("a", 0.2),
                                                                                        _point("a", 0.8)]
    monkeypatch.setenv("KILL_HIGH_TRUST", "1")
    with pytest.raises(RuntimeError, match=r"no results of arm=a,trust\.initial=0\.8 \(missing"):
        runner.run("s", points, base_seed=7, replications=2, record=module.record)
    assert len([line for line in said if "ended without finishing" in line]) == 1  # the one task that died
    survivor = _mtimes(tmp_path / "runs")
    assert len(survivor) == 1
    monkeypatch.delenv("KILL_HIGH_TRUST")
    runs = runner.run("s", points, base_seed=7, replications=2, record=module.record)
    assert len(runs[1]) == 2 and {p: _mtimes(tmp_path / "runs")[p] for p in survivor} == survivor
    submitted = sorted((tmp_path / "submitit").iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # submitit warns of an empty array: none is submitted
        assert runner.run("s", points, base_seed=7, replications=2, record=module.record) == runs
    assert sorted((tmp_path / "submitit").iterdir()) == submitted


def test_the_slurm_launcher_needs_sbatch_and_a_partition_the_cluster_has(monkeypatch):
    """Kills the mutant "bad slurm options are found only when the first array is submitted"."""
    monkeypatch.setattr(cluster.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="^--launcher slurm: sbatch not found"):
        cluster.check(cluster.SlurmOptions())
    monkeypatch.setattr(cluster.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(cluster, "partitions", lambda: ["batch", "debug"])
    with pytest.raises(InputError, match="^--partition gpu: no such partition.*; one of batch, debug"):
        cluster.check(cluster.SlurmOptions(partition="gpu"))
    with pytest.raises(InputError, match="^--mem-gb 0: no memory"):
        cluster.check(cluster.SlurmOptions(mem_gb=0))
    cluster.check(cluster.SlurmOptions(partition="debug"))
