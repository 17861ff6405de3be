"""``ijmond-sweep`` and ``ijmond-validate`` on a real Slurm cluster: one node here (scripts/slurm_local.sh).

The headline experiment at 10 replications per point (330 runs, not 1,650:
the test machine has two cores shared with other work; the full sweep was
checked the same way) is submitted through the submitit Slurm launcher as
a job array of two batch tasks, and its tables must be byte for byte those
of the basic launcher. The fast validation runs every sweep as a job array
(``--launcher slurm``) and must store the basic launcher's runs and write its
``verdicts.json``. Needs root and Debian's ``slurm-wlm`` and ``munge``
(``make slurm-test`` starts the cluster and runs this file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ijmond_sim.sweep import store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HEADLINE = ("experiment=governance_comparison", "replications=10")


@pytest.fixture(scope="module")
def slurm_env() -> dict[str, str]:
    """The environment of a client of the one-node cluster (started here if it is not running)."""
    if shutil.which("slurmctld") is None or shutil.which("munged") is None:
        pytest.skip("Slurm is not installed: apt-get install -y slurm-wlm munge (then make slurm-test)")
    started = subprocess.run([str(ROOT / "scripts" / "slurm_local.sh"), "start"], capture_output=True,
                             text=True, timeout=120)
    assert started.returncode == 0, started.stdout + started.stderr
    conf = started.stdout.strip().splitlines()[-1].removeprefix("export SLURM_CONF=")
    return {**os.environ, "OMP_NUM_THREADS": "1", "SLURM_CONF": conf}


def sweep(sweep_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ijmond-sweep"), *HEADLINE, *args, f"hydra.sweep.dir={sweep_dir}"],
                          cwd=sweep_dir.parent, env=env, capture_output=True, text=True, timeout=1200)


def test_the_headline_sweep_on_slurm_gives_the_basic_launcher_s_tables(slurm_env, tmp_path):
    on_slurm = sweep(tmp_path / "slurm", slurm_env, "hydra/launcher=slurm", "hydra.launcher.partition=local",
                     "hydra.launcher.array_parallelism=2")
    assert on_slurm.returncode == 0, on_slurm.stdout + on_slurm.stderr
    assert "2 batch job(s)" in on_slurm.stdout
    assert "Submitit 'slurm' sweep output dir" in on_slurm.stdout + on_slurm.stderr
    tasks = sorted(p.name for p in (tmp_path / "slurm" / ".submitit").glob("*_*") if p.is_dir())
    assert len(tasks) == 2 and all((tmp_path / "slurm" / ".submitit" / t / f"{t}_0_result.pkl").exists()
                                   for t in tasks)  # array tasks <job>_0 and <job>_1, each finished
    files = (tmp_path / "slurm").glob("jobs/*/results.json")
    assert {store.read(path)["provenance"]["launcher"] for path in files} == {"slurm"}

    basic = sweep(tmp_path / "basic", slurm_env)
    assert basic.returncode == 0, basic.stdout + basic.stderr
    for table in ("runs.csv", "summary.csv", "answer.txt"):
        assert (tmp_path / "slurm" / table).read_bytes() == (tmp_path / "basic" / table).read_bytes(), table


def validate(out: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ijmond-validate"), "--fast", "--quiet", "--out", str(out), *args],
                          cwd=out.parent, env=env, capture_output=True, text=True, timeout=1800)


def stored_runs(out: Path) -> dict[str, list]:
    """Every results file of a validation's runs folder: its place and its runs, as stored."""
    return {path.relative_to(out).as_posix(): store.read(path)["runs"]
            for path in (out / "runs").glob("**/jobs/*/results.json")}


def test_the_fast_validation_on_slurm_gives_the_basic_launcher_s_runs_and_verdicts(slurm_env, tmp_path):
    """``ijmond-validate --launcher slurm``: every sweep a job array; the same runs, the same verdicts.

    Kills the mutants "the slurm launcher runs the batches somewhere else than on the cluster" (no
    array tasks), "a batch's runs are lost or mixed up" (runs differ) and "provenance keeps the
    engine's name".
    """
    on_slurm = validate(tmp_path / "slurm", slurm_env, "--launcher", "slurm", "--workers", "2",
                        "--partition", "local", "--time-minutes", "30")
    assert on_slurm.returncode == 0, on_slurm.stdout + on_slurm.stderr[-3000:]
    tasks = [p for p in (tmp_path / "slurm" / "runs" / ".submitit").iterdir() if p.is_dir() and "_" in p.name]
    assert tasks and all((p / f"{p.name}_0_result.pkl").exists() for p in tasks)  # array tasks, each finished
    files = list((tmp_path / "slurm" / "runs").glob("**/jobs/*/results.json"))
    assert files and {store.read(path)["provenance"]["launcher"] for path in files} == {"slurm"}

    basic = validate(tmp_path / "basic", slurm_env)
    assert basic.returncode == 0, basic.stdout + basic.stderr[-3000:]
    assert stored_runs(tmp_path / "slurm") == stored_runs(tmp_path / "basic")
    verdicts = (tmp_path / "slurm" / "verdicts.json").read_bytes()
    assert verdicts == (tmp_path / "basic" / "verdicts.json").read_bytes()
