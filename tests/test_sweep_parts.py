"""The parts of a sweep, in-process: experiment files, results files, seeds, tables, the answer, progress."""

from __future__ import annotations

import math
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from filelock import FileLock, Timeout
from hydra import initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.core.plugins import Plugins
from hydra.plugins.sweeper import Sweeper
from omegaconf import OmegaConf

from conftest import compose_config
from ijmond_sim.sweep import engine, plan, provenance, store, tables
from ijmond_sim.sweep.command import sweep_schema
from ijmond_sim.sweep.progress import Progress, clock
from ijmond_sim.sweep.replicate import replication_seeds, scenario_key
from sweep_support import fake_runs

ROOT = Path(__file__).resolve().parents[1]
# adhoc.yaml is the empty experiment of a sweep of one's own: tests/test_adhoc.py
EXPERIMENTS = sorted(p.stem for p in (ROOT / "experiments").glob("*.yaml") if p.stem != "adhoc")


def compose_sweep(*overrides: str):
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        return plan.master_config(overrides)


def test_the_named_experiments_exist():
    assert {"governance_comparison", "outside_option", "trust_asymmetry"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_experiment_composes_and_its_header_tells_the_truth(name):
    master = compose_sweep(f"experiment={name}")
    header = (ROOT / "experiments" / f"{name}.yaml").read_text().split("\n\n")[0]
    for word in ("Question", "Design", "Runs"):
        assert re.search(rf"^# {word}\b", header, re.MULTILINE), f"{name}.yaml: no '{word}' in its header"
    points = plan.sweep_overrides(master)
    stated = int(re.search(r"= ([\d,]+) runs", header)[1].replace(",", ""))
    assert stated == len(points) * master.replications
    assert "governance" in plan.axes_of(master)


def test_the_headline_experiment_is_as_large_as_the_question_needs():
    master = compose_sweep("experiment=governance_comparison")
    levels = str(master.hydra.sweeper.params["trust.initial"]).split(",")
    assert len(levels) >= 11 and float(levels[0]) == 0 and float(levels[-1]) == 1
    assert str(master.hydra.sweeper.params.governance).split(",") == ["optional", "mayoral", "binding"]
    assert master.replications >= 50


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_point_of_every_experiment_is_in_range_and_planned_as_its_job_composes_it(name):
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config([f"experiment={name}"])
        loader = GlobalHydra.instance().config_loader()
        sweep_plan = plan.make_plan(master, loader)
        jobs = [loader.load_sweep_config(master, overrides) for overrides in plan.sweep_overrides(master)]
    assert sweep_plan.runs == len(jobs) * master.replications
    assert [p.fingerprint for p in sweep_plan.points] == [plan.fingerprint(plan._task_config(job))
                                                          for job in jobs]


@pytest.mark.parametrize(("launcher", "target"), [("parallel", "IjmondPoolLauncher"),
                                                  ("slurm", "SlurmLauncher")])
def test_launcher_configs_compose(launcher, target):
    master = compose_sweep(f"hydra/launcher={launcher}")
    assert master.hydra.launcher._target_.endswith(target)
    if launcher == "slurm":
        assert master.hydra.launcher.cpus_per_task == 1
        assert "export OMP_NUM_THREADS=1" in master.hydra.launcher.setup


def test_a_point_is_named_by_its_typed_values_whatever_the_spelling():
    one = compose_sweep("governance=mayoral", "trust.initial=1")
    other = compose_sweep("governance=mayoral", "trust.initial=1.0")
    axes = ["governance", "trust.initial"]
    keys = {scenario_key(plan.scenario_values(c, c.hydra.runtime.choices, axes)) for c in (one, other)}
    assert keys == {"governance=mayoral,trust.initial=1.0"}


def test_seeds_depend_on_base_seed_and_point_only():
    seeds = replication_seeds(42, "governance=binding,trust.initial=0.3", 50)
    assert seeds[:3] == replication_seeds(42, "governance=binding,trust.initial=0.3", 3)
    assert len(set(seeds)) == 50
    assert seeds != replication_seeds(43, "governance=binding,trust.initial=0.3", 50)
    assert seeds != replication_seeds(42, "governance=binding,trust.initial=0.4", 50)


def test_sweep_overrides_expand_params_and_command_line_in_launch_order():
    master = compose_sweep("trust.initial=0.2,0.8", "years=2")
    assert plan.axes_of(master) == ("governance", "trust.initial")
    assert plan.sweep_overrides(master) == [
        [f"governance={rule}", f"trust.initial={level}", "years=2"]
        for rule in ("optional", "mayoral", "binding") for level in ("0.2", "0.8")]


def test_ijmond_sweep_runs_through_the_ijmond_sweeper_which_hydra_discovers():
    master = compose_sweep()
    assert master.hydra.sweeper._target_ == "hydra_plugins.ijmond_sweeper.ijmond_sweeper.IjmondSweeper"
    found = {f"{c.__module__}.{c.__name__}" for c in Plugins.instance().discover(Sweeper)}
    assert master.hydra.sweeper._target_ in found


def test_each_point_is_composed_and_its_folder_named_as_hydra_does_for_its_own_job():
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config(["governance=optional,binding", "trust.initial=0,0.5",
                                     "trust.gain=0.02,0.1", "years=2"])
        loader = GlobalHydra.instance().config_loader()
        sweep_plan, recipes = plan.compose_plan(master, loader)
        jobs = [loader.load_sweep_config(master, overrides) for overrides in plan.sweep_overrides(master)]
    assert len(sweep_plan.points) == 8 and len(recipes.bases) == 2  # one composition per governance rule
    for index, (point, job) in enumerate(zip(sweep_plan.points, jobs, strict=True)):
        assert point.fingerprint == plan.fingerprint(plan._task_config(job))
        assert plan.fingerprint(recipes.task(index)) == point.fingerprint
        assert point.folder == f"jobs/{job.hydra.job.override_dirname}"
    assert sweep_plan.points[2].scenario == {"governance": "optional", "trust.initial": 0.5,
                                             "trust.gain": 0.02}
    batch = pickle.loads(pickle.dumps(recipes.subset([5, 0])))  # what a batch file carries
    assert [plan.fingerprint(batch.task(i)) for i in (0, 1)] == [sweep_plan.points[i].fingerprint
                                                                for i in (5, 0)]


def test_the_usable_cores_are_the_affinity_or_else_every_core(monkeypatch):
    """Kills: the count without its fallback where the system gives no affinity (macOS)."""
    assert engine.usable_cores() == len(os.sched_getaffinity(0))
    monkeypatch.delattr(os, "sched_getaffinity")
    assert engine.usable_cores() == os.cpu_count()


def test_points_are_dealt_round_robin_into_one_batch_per_worker():
    assert engine.deal(list(range(10)), 3) == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    assert engine.deal([5, 6], 8) == [[5], [6]] and engine.deal([], 4) == []
    basic = OmegaConf.create({"_target_": "hydra._internal.core_plugins.basic_launcher.BasicLauncher"})
    assert engine.batch_count(100, basic, None) == 1
    assert engine.batch_count(100, OmegaConf.create({"n_jobs": 2}), None) == 2
    assert engine.batch_count(100, OmegaConf.create({"n_jobs": -1}), None) == len(os.sched_getaffinity(0))
    slurm = OmegaConf.create({"_target_": "hydra_plugins.hydra_submitit_launcher.submitit_launcher."
                                          "SlurmLauncher", "array_parallelism": 64})
    assert engine.batch_count(100, slurm, None) == 64
    assert engine.batch_count(100, basic, 30) == 4


def test_no_module_leans_on_hydra_internals():
    sources = [*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]
    assert sources and not [p for p in sources if "hydra._internal" in p.read_text()]


# -- results files ------------------------------------------------------------------------------

BODY = {"kind": "job results", "status": "complete", "runs": [{"rate": 0.5, "none": math.nan}]}


def test_results_round_trip_with_nan_as_null(tmp_path):
    path = tmp_path / "results.json"
    store.write(path, BODY)
    assert store.read(path) == {**BODY, "runs": [{"rate": 0.5, "none": None}]}
    assert path.read_bytes().splitlines()[0].startswith(b'{"format": "ijmond-sim"')


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda raw: raw[:-5], "truncated or extended"),
    (lambda raw: raw + b" ", "truncated or extended"),
    (lambda raw: raw.replace(b"0.5", b"0.6"), "checksum mismatch"),
    (lambda raw: raw.split(b"\n", 1)[1], "not an ijmond-sim file"),
    (lambda raw: b"", "not an ijmond-sim file"),
    (lambda raw: raw[:20], "not an ijmond-sim file"),
])
def test_a_damaged_results_file_is_detected(tmp_path, damage, reason):
    path = tmp_path / "results.json"
    store.write(path, BODY)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(store.CorruptResults, match=reason):
        store.read(path)


def test_writing_replaces_atomically_and_clears_a_killed_writer_s_leftovers(tmp_path):
    path = tmp_path / "results.json"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True).stdout.strip()
    host, _, tag = store.process_tag().split(".", 2)
    leftover = tmp_path / f".results.json.{host}.{ended}.{tag}.tmp"  # its writer was killed
    leftover.write_bytes(b"half a file")
    store.write(path, BODY)
    store.write(path, {**BODY, "status": "failed"})
    assert store.read(path)["status"] == "failed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


# -- tables and the answer ------------------------------------------------------------------------

def test_summary_has_intervals_over_replications():
    runs = fake_runs({("binding", 0.5): [0.4, 0.6, 0.5, 0.5]})
    row = tables.summarise(runs, ["governance", "trust.initial"]).iloc[0]
    assert row["runs"] == 4 and row["completion_rate"] == pytest.approx(0.5)
    half = 1.959964 * np.std([0.4, 0.6, 0.5, 0.5], ddof=1) / 2
    assert row["completion_rate_low"] == pytest.approx(0.5 - half, rel=1e-5)
    assert row["stranded_share"] == pytest.approx(0.5)
    assert row["median_months_to_completion"] == pytest.approx(31.5)
    assert row["turned_away_share"] == pytest.approx(0.25)
    assert row["left_Uitgeest"] == 1
    assert row["opgaven_progressed_per_year"] == pytest.approx(2.5)
    assert row["mean_trust_end_in_region"] == pytest.approx(0.575)
    assert 0 < row["turned_away_share_low"] < 0.25 < row["turned_away_share_high"] < 1


def test_the_headline_answer_names_the_lowest_trust_from_which_half_is_completed_or_every_level_that_does():
    runs = fake_runs({
        ("optional", 0.0): [0.1] * 3, ("optional", 0.5): [0.2] * 3, ("optional", 1.0): [0.3] * 3,
        ("mayoral", 0.0): [0.4] * 3, ("mayoral", 0.5): [0.6] * 3, ("mayoral", 1.0): [0.7] * 3,
        ("binding", 0.0): [0.6] * 3, ("binding", 0.5): [0.4] * 3, ("binding", 1.0): [0.7] * 3,
    })
    summary = tables.summarise(runs, ["governance", "trust.initial"])
    optional, mayoral, binding = tables.headline(summary, ["governance", "trust.initial"])
    assert mayoral.endswith("from initial trust 0.5 on (lowest 60% at trust 0.5, 95% CI 60%-60%); "
                            "less at every lower level (40% at trust 0.0)")
    assert optional.startswith("optional cooperation:") and "at most 30%, at trust 1.0)" in optional
    assert binding.startswith("binding frameworks:  ") and binding.endswith(
        "not monotone in initial trust: half or more completed at 2 of 3 levels only "
        "(60% at trust 0.0, 95% CI 60%-60%; 70% at trust 1.0, 95% CI 70%-70%), less at every other level")
    assert tables.headline(summary, ["governance", "trust.initial", "years"]) == []


# -- progress -------------------------------------------------------------------------------------

def test_progress_counts_jobs_and_runs_and_estimates_the_time_left(tmp_path):
    points = tuple(plan.Point(key=f"trust.initial={x}", scenario={"trust.initial": x}, base_seed=42,
                              replications=10, fingerprint="f") for x in (0.1, 0.2, 0.3))
    sweep_plan = plan.Plan("test", ("trust.initial",), points)
    done_before = {"kind": "job results", "status": "complete", "key": points[0].key, "fingerprint": "f",
                   "runs": [{}] * 10, "provenance": {"code_sha256": provenance.code_sha256()}}
    store.write(tmp_path / "jobs" / "a" / store.FILENAME, done_before)
    said = []
    progress = Progress(tmp_path, sweep_plan, interval=3600, say=said.append)
    assert progress.skipped == {points[0].key}
    store.write(tmp_path / "jobs" / "b" / store.FILENAME, {**done_before, "key": points[1].key})
    progress.update()
    line = progress.line()
    assert line.startswith("progress: 2/3 points, 20/30 runs done (1 skipped as complete)")
    assert "left" in line
    progress.start().stop()
    assert said and said[-1].startswith("progress: 2/3 points")
    assert clock(3725) == "1:02:05" and clock(65) == "1:05"


def test_aggregation_uses_the_results_of_this_plan_and_reports_stale_ones(tmp_path):
    points = tuple(plan.Point(key=f"trust.initial={x}", scenario={"trust.initial": x}, base_seed=42,
                              replications=1, fingerprint=f"config {x}") for x in (0.1, 0.2))
    sweep_plan = plan.Plan("test", ("trust.initial",), points)
    run = {"replication": 0, "seed": 1, "started": 1}
    body = {"kind": "job results", "status": "complete", "runs": [run],
            "provenance": {"code_sha256": "code"}}
    store.write(tmp_path / "jobs" / "a" / store.FILENAME,  # an earlier sweep's, then this plan's
                  {**body, "key": points[0].key, "fingerprint": "another config"})
    store.write(tmp_path / "jobs" / "b" / store.FILENAME,
                  {**body, "key": points[0].key, "fingerprint": "config 0.1"})
    store.write(tmp_path / "jobs" / "c" / store.FILENAME,
                  {**body, "key": points[1].key, "fingerprint": "another config"})
    runs, problems, versions = tables.collect(tmp_path, sweep_plan)
    assert list(runs["trust.initial"]) == [0.1] and versions == {"code"}
    assert [(p.point, p.status) for p in problems] == [("trust.initial=0.2", "stale")]


def test_the_code_fingerprint_covers_what_a_run_executes_and_not_how_results_are_shown():
    names = {p.relative_to(provenance.PACKAGE_DIR).as_posix() for p in provenance.simulation_sources()}
    assert {"model/model.py", "model/agents.py", "model/trust.py", "model/decision.py", "sweep/replicate.py",
            "run/measures.py", "model/governance/binding.py", "model/governance/optional.py"} <= names
    assert not names & {"sweep/figures.py", "sweep/tables.py", "sweep/command.py", "sweep/store.py",
                        "run/command.py", "dashboard/page.py"}


# -- designed points through the engine (the validation's way in) ---------------------------------

def designed_points(*levels: float):
    from ijmond_sim import config

    base = config.compose(["years=1"])
    points = []
    for level in levels:
        cfg = base.copy()
        OmegaConf.update(cfg, "trust.initial", level)
        config.validate(cfg)
        points.append(({"trust.initial": level}, cfg))
    return points


def test_designed_points_run_through_the_engine_with_seeds_from_the_point_and_resume(tmp_path):
    points = designed_points(0.2, 0.8)
    report = engine.run_configs(tmp_path / "v", "check", points, base_seed=7, replications=2,
                                progress_seconds=3600)
    assert not report.problems and report.runs == 4
    runs = pd.read_csv(tmp_path / "v" / "runs.csv")
    assert list(runs["trust.initial"]) == [0.2, 0.2, 0.8, 0.8]
    assert list(runs["seed"][2:]) == replication_seeds(7, "trust.initial=0.8", 2)
    files = {p: p.stat().st_mtime_ns for p in (tmp_path / "v").glob("jobs/*/results.json")}
    assert len(files) == 2
    table = (tmp_path / "v" / "runs.csv").read_bytes()
    again = engine.run_configs(tmp_path / "v", "check", points, base_seed=7, replications=2,
                               progress_seconds=3600)
    assert again.runs == 4 and {p: p.stat().st_mtime_ns for p in files} == files  # resumed: nothing ran
    assert (tmp_path / "v" / "runs.csv").read_bytes() == table


@pytest.mark.slow
def test_designed_points_give_the_same_table_with_two_workers(tmp_path):
    points = designed_points(0.1, 0.4, 0.7)
    engine.run_configs(tmp_path / "one", "check", points, base_seed=7, replications=2, progress_seconds=3600)
    engine.run_configs(tmp_path / "two", "check", points, base_seed=7, replications=2, workers=2,
                       progress_seconds=3600)
    assert (tmp_path / "one" / "runs.csv").read_bytes() == (tmp_path / "two" / "runs.csv").read_bytes()


def test_progress_looks_only_where_the_plan_puts_the_points_still_running(tmp_path, monkeypatch):
    from ijmond_sim.sweep import progress as progress_module

    points = tuple(plan.Point(key=f"trust.initial={x}", scenario={"trust.initial": x}, base_seed=42,
                              replications=5, fingerprint="f", folder=f"jobs/trust.initial={x}")
                   for x in (0.1, 0.2))
    body = {"kind": "job results", "status": "complete", "fingerprint": "f", "runs": [{}] * 5,
            "provenance": {"code_sha256": provenance.code_sha256()}}
    progress = Progress(tmp_path, plan.Plan("test", ("trust.initial",), points), interval=3600)
    monkeypatch.setattr(progress_module, "job_files", lambda *a: pytest.fail("a walk of jobs/"))
    store.write(tmp_path / points[0].folder / store.FILENAME, {**body, "key": points[0].key})
    store.write(tmp_path / "jobs" / "elsewhere" / store.FILENAME, {**body, "key": points[1].key})
    progress.update()
    assert progress.done == {points[0].key: "complete"} and progress.runs_done == 5
    assert progress._pending() == [tmp_path / points[1].folder / store.FILENAME]  # the counted one: no more


@pytest.mark.parametrize("argv", [["hydra/sweeper=basic"], ["override hydra/sweeper=basic"],
                                  ["+hydra/sweeper=basic", "x=1"]])
def test_another_hydra_sweeper_is_refused_with_the_override_named(argv):
    from ijmond_sim import errors
    from ijmond_sim.sweep.command import check_sweeper

    with pytest.raises(errors.InputError, match=r"^.*hydra/sweeper=basic: .*ijmond sweeper only"):
        check_sweeper(argv)
    check_sweeper(["hydra/sweeper=ijmond", "hydra.sweeper.progress_seconds=5"])


def test_the_figure_process_draws_only_when_told_and_holds_the_lock_before_the_sweep_ends(tmp_path):
    from ijmond_sim.sweep import drawer, figures, folder

    sweep_dir = tmp_path / "v"
    engine.run_configs(sweep_dir, "check", designed_points(0.2, 0.8), base_seed=7, replications=2,
                       progress_seconds=3600)
    closed = drawer.FigureProcess(sweep_dir, sweep_dir / folder.TABLES_LOCK, 60)
    closed.close()  # a sweep that stopped before its tables: no figures
    assert closed.process.wait(timeout=120) == 0 and not (sweep_dir / "figures").exists()

    told = drawer.FigureProcess(sweep_dir, sweep_dir / folder.TABLES_LOCK, 60)
    assert told.draw()  # it holds the lock now: an aggregation started now waits for the figures
    with pytest.raises(Timeout):
        FileLock(sweep_dir / folder.TABLES_LOCK, timeout=0).acquire()
    assert told.process.wait(timeout=120) == 0
    drawn = {p.name for p in (sweep_dir / "figures").iterdir()}
    assert {"completion_rate.png", "completion_rate.pdf", "trust_network.png"} <= drawn
    assert drawn <= {p.name for p in figures.drawn_files(sweep_dir / "figures")}
    assert not (sweep_dir / drawer.LOG).exists()


def test_a_figure_process_that_has_ended_says_so_and_a_failure_is_logged(tmp_path, monkeypatch):
    import io

    from ijmond_sim.sweep import drawer

    ended = drawer.FigureProcess(tmp_path, tmp_path / ".tables.lock", 60)
    ended.process.kill()
    ended.process.wait(timeout=60)
    assert not ended.draw()  # the engine then draws in its own process

    monkeypatch.setattr(sys, "stdin", io.StringIO(drawer.DRAW + "\n"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert drawer.main([str(tmp_path), str(tmp_path / ".tables.lock"), "60"]) == 1  # no sweep.json here
    assert "sweep.json" in (tmp_path / drawer.LOG).read_text()


def _claimed_batches(sweep_dir: Path, count: int, monkeypatch) -> tuple[list[str], list[tuple[str, str]]]:
    """Six designed points dealt into ``count`` batches, with the point runs stubbed: the points' keys,
    and the log of (point, launcher) that each run appends to."""
    cfg = compose_config("years=1", "collect=false")
    designs = [engine.Design({"trust.initial": level / 10}, cfg) for level in range(6)]
    sweep_plan, recipes, seed_keys = engine.designed_plan("claims", designs, base_seed=1, replications=1)
    engine.write_batches(sweep_dir, sweep_plan, recipes, engine.deal(range(6), count), seed_keys)
    ran: list[tuple[str, str]] = []

    def stub(cfg, resolved, point, launcher, seed_key=None, record=None, trial=None):
        ran.append((point.key, launcher))
        return {"key": point.key, "status": "complete", "runs": []}

    monkeypatch.setattr(engine, "point_results", stub)
    return [point.key for point in sweep_plan.points], ran


def test_a_job_runs_its_batch_then_the_unclaimed_points_of_the_next_batches_from_their_ends(
        tmp_path, monkeypatch):
    """Kills: no helping out; helping from the front; the batch after one's own not first;
    going past a claimed point; a claim that any job can take twice."""
    keys, ran = _claimed_batches(tmp_path, 3, monkeypatch)  # batches [0, 3], [1, 4], [2, 5]
    batches = tmp_path / engine.BATCHES
    assert engine.claim(batches / "0", 0)  # another job has point 0 of batch 0
    assert not engine.claim(batches / "0", 0)  # ... and no one else can take it
    engine.run_batch(tmp_path, batches / "1", "job 1")
    assert [key for key, _ in ran] == [keys[i] for i in (1, 4, 5, 2, 3)]
    assert (tmp_path / engine.design_folder(keys[5]) / store.FILENAME).exists()
    assert not (tmp_path / engine.design_folder(keys[0]) / store.FILENAME).exists()
    engine.run_batch(tmp_path, batches / "2", "job 2")  # everything is taken: it runs nothing
    assert len(ran) == 5


def test_a_job_helping_out_stops_at_the_first_claimed_point_and_new_batches_start_unclaimed(
        tmp_path, monkeypatch):
    """Kills: a helper skipping a claimed point and going on; claims kept from an earlier sweep."""
    keys, ran = _claimed_batches(tmp_path, 2, monkeypatch)  # batches [0, 2, 4], [1, 3, 5]
    batches = tmp_path / engine.BATCHES
    assert engine.claim(batches / "1", 1)  # batch 1's own job is running its second point
    engine.run_batch(tmp_path, batches / "0", "job 0")
    assert [key for key, _ in ran] == [keys[i] for i in (0, 2, 4, 5)]  # not point 1 (position 0)
    engine.write_batches(tmp_path, *engine.designed_plan(
        "claims", [engine.Design({"trust.initial": 0.0}, compose_config("years=1", "collect=false"))],
        base_seed=1, replications=1)[:2], [[0]])
    assert list((batches / "0" / engine.CLAIMS).iterdir()) == []
    assert not (batches / "1" / engine.CLAIMS).exists()
