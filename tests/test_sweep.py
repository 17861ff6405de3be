"""The ``ijmond-sweep`` and ``ijmond-aggregate`` commands end to end, in subprocesses, on tiny sweeps.

A tiny sweep: two governance rules x two levels of initial trust x three
replications of two years. Each test runs the real command line with
``hydra.sweep.dir`` under pytest's temporary folder.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from ijmond_sim.sweep import folder, store
from ijmond_sim.sweep.replicate import replication_seeds

BIN = Path(sys.executable).parent
TINY = ("replications=3", "years=2", "governance=optional,binding", "trust.initial=0.2,0.8")
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}
FIGURES = ("completion_rate", "trust_over_time", "trust_network")

# Runs ijmond-sweep with one scenario point made to raise inside the simulation,
# as a bug in the model would: the test's own stand-in, not a switch of the program.
FAILING = textwrap.dedent("""\
    from ijmond_sim.sweep import replicate
    from ijmond_sim.sweep import command as sweep

    real_run_once = replicate.run_once

    def run_once(scenario, seed):
        if scenario.rule.key == "binding" and scenario.trust.initial == 0.8:
            raise RuntimeError("forced failure for the test")
        return real_run_once(scenario, seed)

    replicate.run_once = run_once
    sweep.main()
""")


def sweep_command(sweep_dir: Path, *args: str) -> list[str]:
    return [str(BIN / "ijmond-sweep"), *args, f"hydra.sweep.dir={sweep_dir}"]


def figures_drawn(sweep_dir: Path) -> None:
    """Wait until the process that draws a sweep's figures after the command has ended is done.

    It holds the folder's tables lock from before the command ends until its figures are in place.
    """
    if sweep_dir.is_dir():
        with folder.tables_lock(sweep_dir):
            pass


def ijmond_sweep(sweep_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(sweep_command(sweep_dir, *args), cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=300)
    figures_drawn(sweep_dir)
    return done


def ijmond_aggregate(sweep_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ijmond-aggregate"), str(sweep_dir)], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The tiny sweep under the basic launcher."""
    base = tmp_path_factory.mktemp("small")
    done = ijmond_sweep(base / "sweep", *TINY, cwd=base)
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "sweep", done


def test_small_sweep_writes_tables_figures_and_answer(small_sweep):
    sweep_dir, done = small_sweep
    runs = pd.read_csv(sweep_dir / "runs.csv")
    assert len(runs) == 2 * 2 * 3
    assert list(runs.columns[:4]) == ["governance", "trust.initial", "replication", "seed"]
    for measure in ("completion_rate", "stranded", "median_months_to_completion", "mean_trust_end",
                    "turned_away", "mean_trust_year_2", "trust_end_Uitgeest_in_Velsen"):
        assert measure in runs.columns
    point = runs[(runs["governance"] == "binding") & (runs["trust.initial"] == 0.8)]
    assert list(point["seed"]) == replication_seeds(42, "governance=binding,trust.initial=0.8", 3)
    summary = pd.read_csv(sweep_dir / "summary.csv")
    assert len(summary) == 4 and (summary["runs"] == 3).all()
    for column in ("completion_rate_low", "completion_rate_high", "stranded_share",
                   "median_months_to_completion", "mean_trust_end", "turned_away_share"):
        assert column in summary.columns
    assert (summary["completion_rate_low"] <= summary["completion_rate"]).all()
    assert pd.read_csv(sweep_dir / "failures.csv").empty
    for name in FIGURES:
        for suffix in (".png", ".pdf"):
            assert (sweep_dir / "figures" / f"{name}{suffix}").stat().st_size > 10_000, name
    assert f"Results in {sweep_dir}/" in done.stdout
    assert "runs.csv" in done.stdout
    assert re.search(r"figures +being drawn by a process of its own", done.stdout)
    assert "progress: 4/4 points, 12/12 runs done" in done.stdout
    question, *answer = (sweep_dir / "answer.txt").read_text().splitlines()
    assert question == ("Under which governance rule, and from which initial trust, are IJmond's initiatives "
                        "completed?")
    assert [line.split(":")[0] for line in answer] == ["optional cooperation", "binding frameworks"]
    assert question in done.stdout and all(line in done.stdout for line in answer)


def test_results_files_carry_provenance(small_sweep):
    sweep_dir, _ = small_sweep
    files = sorted(sweep_dir.glob("jobs/*/results.json"))
    assert len(files) == 4
    body = store.read(files[0])
    assert body["status"] == "complete" and len(body["runs"]) == 3 and body["base_seed"] == 42
    stamp = body["provenance"]
    for key in ("version", "code_sha256", "git", "python", "mesa", "hydra", "started", "ended", "launcher"):
        assert stamp[key] is not None or key == "git", key
    assert stamp["started"] <= stamp["ended"]
    assert stamp["config"]["replications"] == 3 and stamp["config"]["seed"] == 42
    assert stamp["config"]["region"]["councils"]["Uitgeest"]["capacity"] == 0.4


def test_a_run_of_the_table_is_replayed_by_ijmond_sim_with_its_seed(small_sweep, tmp_path):
    sweep_dir, _ = small_sweep
    run = pd.read_csv(sweep_dir / "runs.csv").iloc[-1]
    done = subprocess.run([sys.executable, "-m", "ijmond_sim", f"governance={run['governance']}",
                           f"trust.initial={run['trust.initial']}", "years=2", f"seed={run['seed']}",
                           f"hydra.run.dir={tmp_path / 'run'}"], cwd=tmp_path, env=ENV,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    for measure in ("started", "completed", "stranded", "mean_trust_end", "times_overruled_Uitgeest"):
        assert summary[measure] == pytest.approx(run[measure]), measure


@pytest.mark.parametrize(("launcher", "says"), [("parallel", "ijmond_pool: 2 job(s) in 2 worker process(es)"),
                                                ("joblib", "Joblib.Parallel(n_jobs=2")])
def test_the_local_pools_give_identical_tables(small_sweep, tmp_path, launcher, says):
    sweep_dir, _ = small_sweep
    done = ijmond_sweep(tmp_path / launcher, *TINY, f"hydra/launcher={launcher}", "hydra.launcher.n_jobs=2",
                        cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert says in done.stdout
    for table in ("runs.csv", "summary.csv"):
        assert (tmp_path / launcher / table).read_bytes() == (sweep_dir / table).read_bytes(), table


@pytest.mark.slow
def test_submitit_launcher_gives_identical_tables(small_sweep, tmp_path):
    # submitit's local executor: the path a Slurm cluster takes (pickled jobs, separate processes)
    sweep_dir, _ = small_sweep
    done = ijmond_sweep(tmp_path / "submitit", *TINY, "hydra/launcher=submitit_local", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    for table in ("runs.csv", "summary.csv"):
        assert (tmp_path / "submitit" / table).read_bytes() == (sweep_dir / table).read_bytes(), table


def test_in_process_loop_runs_the_same_runs(small_sweep):
    from ijmond_sim.sweep.command import run_in_process

    sweep_dir, _ = small_sweep
    rows, seconds = run_in_process("governance_comparison", TINY)
    loop = pd.read_csv(io.StringIO(pd.DataFrame(rows).drop(columns="point").to_csv(index=False)))
    runs = pd.read_csv(sweep_dir / "runs.csv")
    assert seconds > 0 and len(loop) == len(runs)
    pd.testing.assert_frame_equal(loop, runs.drop(columns=["governance", "trust.initial"]), check_dtype=False)


def test_a_failed_job_is_reported_and_the_others_kept(tmp_path):
    sweep_dir = tmp_path / "sweep"
    command = [sys.executable, "-c", FAILING, *sweep_command(sweep_dir, *TINY)[1:]]
    done = subprocess.run(command, cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=300)
    figures_drawn(sweep_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed   governance=binding,trust.initial=0.8: RuntimeError: forced failure for the test" \
        in done.stdout
    failures = pd.read_csv(sweep_dir / "failures.csv")
    assert list(failures["status"]) == ["failed"]
    assert failures["point"][0] == "governance=binding,trust.initial=0.8"
    failed = store.read(Path(failures["path"][0]))
    assert failed["status"] == "failed" and "forced failure" in failed["error"]["traceback"]
    assert len(pd.read_csv(sweep_dir / "runs.csv")) == 3 * 3
    assert (sweep_dir / "figures" / "completion_rate.png").exists()
    kept = {p: p.stat().st_mtime_ns for p in sweep_dir.glob("jobs/*/results.json")
            if p != Path(failures["path"][0])}

    again = ijmond_sweep(sweep_dir, *TINY, cwd=tmp_path)  # resume, without the forced failure
    assert again.returncode == 0, again.stdout + again.stderr
    assert "3 skipped as complete" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in kept} == kept
    assert len(pd.read_csv(sweep_dir / "runs.csv")) == 2 * 2 * 3
    assert pd.read_csv(sweep_dir / "failures.csv").empty


def test_kill_then_resume_gives_the_same_table(small_sweep, tmp_path):
    sweep_dir = tmp_path / "killed"
    process = subprocess.Popen(sweep_command(sweep_dir, *TINY), cwd=tmp_path, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any(sweep_dir.glob("jobs/*/results.json")) and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    before = {p: p.stat().st_mtime_ns for p in sweep_dir.glob("jobs/*/results.json")}
    assert 1 <= len(before) < 4 and not (sweep_dir / "runs.csv").exists()

    resumed = ijmond_sweep(sweep_dir, *TINY, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert f"{len(before)} skipped as complete" in resumed.stdout
    assert {p: p.stat().st_mtime_ns for p in before} == before
    for table in ("runs.csv", "summary.csv"):  # the same as the sweep that never stopped
        assert (sweep_dir / table).read_bytes() == (small_sweep[0] / table).read_bytes(), table


def test_a_damaged_results_file_is_reported_never_read(small_sweep, tmp_path):
    sweep_dir = tmp_path / "copy"
    shutil.copytree(small_sweep[0], sweep_dir)
    truncated, changed = sorted(sweep_dir.glob("jobs/*/results.json"))[:2]
    truncated.write_bytes(truncated.read_bytes()[:-200])
    data = changed.read_bytes()
    at = data.index(b'"completion_rate": ') + len(b'"completion_rate": ')
    changed.write_bytes(data[:at] + (b"1" if data[at:at + 1] != b"1" else b"0") + data[at + 1:])

    done = ijmond_aggregate(sweep_dir, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"corrupt  {truncated}: truncated or extended" in done.stdout
    assert f"corrupt  {changed}: checksum mismatch" in done.stdout
    assert done.stdout.count("missing  ") == 2
    assert len(pd.read_csv(sweep_dir / "runs.csv")) == 2 * 3
    assert sorted(pd.read_csv(sweep_dir / "failures.csv")["status"]) == ["corrupt", "corrupt", "missing",
                                                                          "missing"]


def test_a_sweep_point_out_of_range_stops_before_any_job(tmp_path):
    done = ijmond_sweep(tmp_path / "sweep", "replications=1", "years=1", "governance=optional",
                        "trust.initial=0.5,1.5", cwd=tmp_path)
    assert done.returncode == 2
    assert "sweep point trust.initial=1.5" in done.stderr  # an ad-hoc sweep: only the swept key is an axis
    assert "trust.initial = 1.5" in done.stderr and "must be in [0, 1]" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "sweep").exists()


def test_an_experiment_of_your_own_and_its_errors_name_the_file(tmp_path):
    folder = tmp_path / "my_conf" / "experiment"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(textwrap.dedent("""\
        # @package _global_
        replications: 2
        years: 1
        hydra:
          sweeper:
            params:
              trust.fall_ratio: 1.0,30.0
    """))
    done = ijmond_sweep(tmp_path / "sweep", f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]",
                        "experiment=mine", cwd=tmp_path)
    assert done.returncode == 2
    assert "sweep point trust.fall_ratio=30.0" in done.stderr
    assert f"hydra.sweeper.params of {folder / 'mine.yaml'}" in done.stderr
    assert not (tmp_path / "sweep").exists()


def test_aggregate_names_a_folder_that_is_not_a_sweep(tmp_path):
    done = ijmond_aggregate(tmp_path, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (f"ijmond-aggregate: {tmp_path}: not a sweep folder (it has no sweep.json); "
                           "name a folder that ijmond-sweep wrote\n")


# Runs ijmond-sweep and kills it (SIGKILL) at one chosen moment, as a power cut or `kill -9` would:
#   results N   while the N-th job's results file is written (its temporary file half written)
#   aggregate   while aggregating: tables staged, not yet in place
#   publish K   while the new tables are moved into place, after the K-th of the four
KILLING = textwrap.dedent("""\
    import os, signal, sys
    from ijmond_sim.sweep import command, folder

    kind, at = sys.argv.pop(1), int(sys.argv.pop(1))
    real_replace, real_publish, seen = os.replace, folder.publish, []

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def replace(source, target, *args, **kwargs):
        name = os.path.basename(source)
        if kind == "results" and name.startswith(".results.json."):
            seen.append(name)
            if len(seen) == at:
                os.truncate(source, os.path.getsize(source) // 2)
                die()
        if kind == "publish" and ".aggregate." in str(source):
            real_replace(source, target, *args, **kwargs)
            seen.append(name)
            if len(seen) == at:
                die()
            return None
        return real_replace(source, target, *args, **kwargs)

    def publish(*args, **kwargs):
        if kind == "aggregate":
            die()
        return real_publish(*args, **kwargs)

    os.replace, folder.publish = replace, publish
    command.main()
""")


def killed_sweep(sweep_dir: Path, kind: str, at: int, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", KILLING, kind, str(at), *sweep_command(sweep_dir, *TINY)[1:]]
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("seed, kills", [
    (1, ("results", "publish")),
    pytest.param(2, ("results", "aggregate", "publish"), marks=pytest.mark.slow),
    pytest.param(3, ("results", "aggregate", "publish"), marks=pytest.mark.slow),
])
def test_a_sweep_killed_at_random_moments_resumes_to_identical_tables(small_sweep, tmp_path, seed, kills):
    # kills in a row at moments drawn from `seed`, then a resume that runs to the end
    chosen = random.Random(seed)
    sweep_dir = tmp_path / "sweep"
    for kind in kills:
        at = {"results": chosen.randint(1, 4), "aggregate": 1, "publish": chosen.randint(1, 4)}[kind]
        done = killed_sweep(sweep_dir, kind, at, cwd=tmp_path)
        assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
        if kind == "results":
            assert len(list(sweep_dir.glob("jobs/*/results.json"))) == at - 1
            assert len(list(sweep_dir.glob("jobs/*/.results.json.*.tmp"))) == 1  # the half-written one
        else:
            assert not list(sweep_dir.glob("jobs/*/.results.json.*.tmp"))  # the killed write's was removed
            assert len(list(sweep_dir.glob(".aggregate.*"))) == 1  # the killed aggregation's stage
        if kind == "aggregate":
            assert not (sweep_dir / "runs.csv").exists()  # nothing published half-way
        for table in sweep_dir.glob("*.csv"):  # a table in place is a whole one
            pd.read_csv(table)

    resumed = ijmond_sweep(sweep_dir, *TINY, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    for table in ("runs.csv", "summary.csv", "failures.csv", "answer.txt"):
        assert (sweep_dir / table).read_bytes() == (small_sweep[0] / table).read_bytes(), table
    assert not list(sweep_dir.glob(".aggregate.*"))  # the killed aggregations' stages were removed
