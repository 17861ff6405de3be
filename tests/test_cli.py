"""The ``ijmond-sim`` command end to end: outputs, determinism, and clear errors for bad input."""

from __future__ import annotations

import csv
import filecmp
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("steps.csv", "councils.csv", "initiatives.csv", "council_summary.csv", "trust.csv",
           "summary.json", "config.yaml")


def ijmond_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ijmond_sim", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_default_run_prints_a_summary_and_writes_every_output(tmp_path):
    result = ijmond_sim(f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for words in ("IJmond under optional cooperation", "started", "completed", "stranded",
                  "under way", "to decision", "mean trust", "turned away"):
        assert words in result.stdout
    run = tmp_path / "run"
    for name in OUTPUTS:
        assert (run / name).stat().st_size > 0, name
    summary = json.loads((run / "summary.json").read_text())
    with (run / "initiatives.csv").open() as f:
        outcomes = [row["outcome"] for row in csv.DictReader(f)]
    for state in ("completed", "stranded", "under way"):  # the counters agree with the initiative log
        assert summary[state.replace(" ", "_")] == outcomes.count(state), state
    assert yaml.safe_load((run / "config.yaml").read_text())["seed"] == 42
    steps = (run / "steps.csv").read_text().splitlines()
    assert len(steps) == 1 + 121  # header, month 0 and 120 months


def test_version_names_the_installed_version_and_the_commit_of_the_checkout(tmp_path):
    # kills: --version answered by Hydra's parser ("Hydra 1.3.8"), or printed without the commit
    result = ijmond_sim("--version", cwd=tmp_path)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert result.returncode == 0, result.stderr
    installed = subprocess.run([sys.executable, "-c", "from importlib import metadata; "
                                "print(metadata.version('ijmond-sim'))"], cwd=tmp_path, capture_output=True,
                               text=True, check=True).stdout.strip()
    assert result.stdout.startswith(f"ijmond-sim {installed} (commit {head}")
    assert not (tmp_path / "outputs").exists()

def test_same_config_and_seed_give_identical_files(tmp_path):
    for name in ("a", "b"):
        result = ijmond_sim("governance=binding", "seed=5", f"hydra.run.dir={tmp_path / name}",
                            cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", OUTPUTS, shallow=False)
    assert mismatch == [] and errors == []
    other = ijmond_sim("governance=binding", "seed=6", f"hydra.run.dir={tmp_path / 'c'}", cwd=tmp_path)
    assert other.returncode == 0
    assert (tmp_path / "a" / "initiatives.csv").read_bytes() != (tmp_path / "c" /
                                                                  "initiatives.csv").read_bytes()


STUDENT_REGION = textwrap.dedent("""\
    name: Three villages
    councils:
      Noord: {population: 20000, capacity: 0.8, regional_identification: 0.5,
              interests: {school: 0.9, road: 0.5}}
      Midden: {population: 15000, capacity: 0.6, regional_identification: 0.4,
               interests: {school: 0.6, road: 0.8}}
      Zuid: {population: 5000, capacity: 0.4, regional_identification: 0.2, outside_option: 0.4,
             interests: {school: 0.4, road: 0.9}}
    opgaven:
      school: {proposals_per_year: 1.0, surplus: 2.0, sunk_share: 0.2}
      road: {proposals_per_year: 1.0, surplus: 1.8, sunk_share: 0.3}
""")


def write_region(tmp_path: Path, text: str, name: str = "mine") -> str:
    (tmp_path / "my_conf" / "region").mkdir(parents=True, exist_ok=True)
    (tmp_path / "my_conf" / "region" / f"{name}.yaml").write_text(text)
    return f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]"


def test_a_student_region_runs_without_touching_code(tmp_path):
    searchpath = write_region(tmp_path, STUDENT_REGION)
    result = ijmond_sim(searchpath, "region=mine", "governance=mayoral",
                        f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Three villages under mayoral coordination" in result.stdout
    trust = (tmp_path / "run" / "trust.csv").read_text().splitlines()
    assert trust[0] == "truster,Noord,Midden,Zuid"


BAD_INPUTS = {
    "typo'd key": (["trust.initail=0.5"], "initail"),
    "typo'd key added with +": (["+trust.initail=0.5"], "trust.initail"),
    "wrong type": (["trust.initial=high"], "trust.initial"),
    "unknown option": (["governance=anarchy"], "no option 'anarchy' in group governance"),
    "unknown governance key": (["governance=mayoral", "governance.mediaton=1"], "mediaton"),
    "trust outside [0, 1]": (["trust.initial=1.5"], "trust.initial"),
    "negative rate": (["trust.gain=-0.1"], "trust.gain"),
    "negative proposal rate": (["region.opgaven.economy.proposals_per_year=-1"],
                               "region.opgaven.economy.proposals_per_year"),
    "out-of-range rule parameter": (["governance=binding", "governance.quota=0.4"], "governance.quota"),
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_stops_with_a_short_message_and_no_run_directory(tmp_path, kind):
    overrides, named = BAD_INPUTS[kind]
    run_dir = tmp_path / "run"
    result = ijmond_sim(*overrides, f"hydra.run.dir={run_dir}", cwd=tmp_path)
    assert result.returncode == 2
    assert named in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert not run_dir.exists()


def test_interest_weights_must_match_the_opgaven(tmp_path):
    searchpath = write_region(tmp_path, STUDENT_REGION.replace("road: 0.5}", "roads: 0.5}"))
    result = ijmond_sim(searchpath, "region=mine", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert result.returncode == 2
    assert "region.councils.Noord.interests" in result.stderr
    assert str(tmp_path / "my_conf" / "region" / "mine.yaml") in result.stderr
    assert "['road', 'school']" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists()


def test_a_trust_entry_must_name_a_council_of_the_region(tmp_path):
    region = STUDENT_REGION + "trust_bias:\n  Noord:\n    Haarlem: -0.1\n"
    searchpath = write_region(tmp_path, region)
    result = ijmond_sim(searchpath, "region=mine", f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert result.returncode == 2
    assert "region.trust_bias.Noord.Haarlem" in result.stderr
    assert "['Midden', 'Zuid']" in result.stderr
    assert not (tmp_path / "run").exists()


def test_help_lists_groups_and_examples(tmp_path):
    result = ijmond_sim("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "governance: binding, mayoral, optional" in result.stdout
    assert "Examples:" in result.stdout
