"""The error contract: one line, exit 2, nothing written or removed; folders keep what they hold."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from error_cases import CASES, DOC, FRISIAN, SEARCH, earlier_plan, inside, prepare, run, snapshot, table
from ijmond_sim import errors
from ijmond_sim.config import ConfigError
from ijmond_sim.run.measures import names_cell, names_of
from ijmond_sim.sweep import figures, folder, store, tables
from sweep_support import fake_runs


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A folder with the broken files, an earlier run and the plan of an earlier sweep."""
    path = tmp_path_factory.mktemp("template")
    prepare(path)
    return path


def test_every_bad_input_stops_with_one_line_changes_nothing_and_is_in_the_docs(template, tmp_path):
    rows = []
    for number, case in enumerate(CASES):
        work = tmp_path / f"case{number}"
        prepare(work, template)
        before = snapshot(work)
        with inside(work):
            outcome = run(case.command, *case.args)
        rows.append((case, outcome))
        assert outcome.status == 2, (case, outcome)
        assert len(outcome.stderr.splitlines()) == 1 and outcome.stdout == "", (case, outcome)
        assert outcome.stderr.startswith(f"{case.command}: "), (case, outcome)
        assert snapshot(work) == before, case
    assert DOC.read_text() == table(rows), "docs/errors.md is out of date: run python tests/error_cases.py"


@pytest.mark.parametrize("how", ["--debug", "HYDRA_FULL_ERROR"])
def test_debug_or_hydra_full_error_shows_the_traceback_instead(template, tmp_path, monkeypatch, how):
    prepare(tmp_path, template)
    if how == "HYDRA_FULL_ERROR":
        monkeypatch.setenv("HYDRA_FULL_ERROR", "1")
    args = ["trust.initial=1.5", "hydra.run.dir=run", *(["--debug"] if how == "--debug" else [])]
    with inside(tmp_path), pytest.raises(BaseException) as raised:
        run("ijmond-sim", *args)
    chain = [raised.value, raised.value.__cause__]
    assert any(isinstance(error, ConfigError) for error in chain)
    assert os.environ.get("HYDRA_FULL_ERROR") == ("1" if how == "HYDRA_FULL_ERROR" else None)


def test_overwrite_replaces_an_earlier_run_only_when_asked(template, tmp_path):
    prepare(tmp_path, template)
    with inside(tmp_path):
        refused = run("ijmond-sim", "years=1", "seed=3", "hydra.run.dir=earlier_run")
        assert refused.status == 2
        replaced = run("ijmond-sim", "years=1", "seed=3", "hydra.run.dir=earlier_run", "--overwrite")
    assert replaced.status == 0, replaced.stderr
    assert "seed: 3" in (tmp_path / "earlier_run" / "config.yaml").read_text()


def test_the_console_scripts_follow_the_contract(tmp_path):
    # one real process: the installed script, not the in-process harness
    script = os.path.join(os.path.dirname(sys.executable), "ijmond-sim")
    done = subprocess.run([script, "years=x", f"hydra.run.dir={tmp_path / 'run'}"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == ("ijmond-sim: the command-line override 'years=x': years = 'x' is not a whole "
                           "number; years must be a whole number\n")
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("names", [["Den Haag", "Bergen op Zoom"], ["a, b", 'quote "q"', "[x]"],
                                   ["Ærø", "東京", "Київ"], []])
def test_a_list_cell_reads_back_as_the_names_written(names):
    cell = names_cell(names)
    assert names_of(cell) == names
    assert names_of(pd.read_csv(pd.io.common.StringIO(pd.DataFrame({"c": [cell]}).to_csv(index=False)),
                                keep_default_na=False)["c"][0]) == names


def test_the_aggregation_counts_a_council_with_a_space_in_its_name_as_turned_away():
    runs = fake_runs({("optional", 0.4): [0.5, 0.5]}, leaver="Den Haag")
    assert tables.summarise(runs, ["governance"])["turned_away_share"][0] == 0.5


def test_a_second_sweep_into_a_folder_in_use_is_refused(tmp_path):
    sweep_plan = earlier_plan()
    lock = folder.claim(tmp_path, sweep_plan)
    try:
        with pytest.raises(errors.InputError, match="another ijmond-sweep is running in this folder"):
            folder.claim(tmp_path, sweep_plan)
    finally:
        lock.release()
    folder.claim(tmp_path, sweep_plan).release()  # free again once the first has ended


def test_a_second_aggregation_waits_then_refuses(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "AGGREGATION_WAIT_SECONDS", 0.2)
    with folder.tables_lock(tmp_path):
        with pytest.raises(errors.InputError, match="another aggregation has held this folder"):
            with folder.tables_lock(tmp_path):
                pass
    with folder.tables_lock(tmp_path):
        pass


def test_a_failed_aggregation_leaves_the_earlier_tables_as_they_were(tmp_path, monkeypatch):
    sweep_plan = earlier_plan()
    folder.claim(tmp_path, sweep_plan).release()
    earlier = {name: f"earlier {name}\n".encode() for name in (tables.RUNS, tables.SUMMARY, tables.FAILURES)}
    for name, data in earlier.items():
        (tmp_path / name).write_bytes(data)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device", "figures")

    monkeypatch.setattr(figures, "draw_all", broken)
    monkeypatch.setattr(tables, "collect", lambda *a: (fake_runs({("optional", 0.2): [1.0]}), [], {"code"}))
    with pytest.raises(OSError):
        tables.aggregate(tmp_path)
    assert {name: (tmp_path / name).read_bytes() for name in earlier} == earlier
    assert not list(tmp_path.glob(f"{folder.STAGE_PREFIX}*"))


def test_temporary_names_are_each_process_own_and_only_a_dead_process_is_cleaned_up(tmp_path):
    assert store.process_tag() != store.process_tag()
    assert not store.abandoned(store.process_tag())
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    dead = store.process_tag().split(".")
    dead[1] = ended.stdout.strip()
    assert store.abandoned(".".join(dead))
    elsewhere = ["another-host", "1", "abcd"]
    assert not store.abandoned(".".join(elsewhere))
    path = tmp_path / "results.json"
    live = tmp_path / f".results.json.{store.process_tag()}.tmp"
    left = tmp_path / f".results.json.{'.'.join(dead)}.tmp"
    live.write_text("another process writing")
    left.write_text("a killed process's")
    store.write(path, {"kind": "test"})
    assert live.exists() and not left.exists()
    assert store.read(path) == {"kind": "test"}


def test_a_failed_run_over_an_earlier_one_leaves_the_earlier_hydra_record(template, tmp_path, monkeypatch):
    """Kills: ``--overwrite`` leaving ``.hydra/`` describing the failed run (no restore in on_job_end)."""
    from ijmond_sim.run import command

    prepare(tmp_path, template)
    record = tmp_path / "earlier_run" / command.HYDRA_RECORD
    before = {path.name: path.read_bytes() for path in record.iterdir()}

    def fails(*args, **kwargs):
        raise MemoryError("a run that cannot finish")

    monkeypatch.setattr(command, "write_run", fails)
    with inside(tmp_path), pytest.raises(MemoryError):
        run("ijmond-sim", "years=2", "seed=5", "hydra.run.dir=earlier_run", "--overwrite")
    assert {path.name: path.read_bytes() for path in record.iterdir()} == before
    with inside(tmp_path), pytest.raises(MemoryError):
        run("ijmond-sim", "years=2", "hydra.run.dir=new_run")
    assert not (tmp_path / "new_run" / command.HYDRA_RECORD).exists()  # no half folder that blocks a rerun


def test_an_experiment_without_axes_runs_as_one_point_and_its_folder_aggregates(template, tmp_path):
    """Kills: grouping the tables by no axes ("No group keys passed!"), in the sweep and ijmond-aggregate."""
    prepare(tmp_path, template)
    (tmp_path / "my_conf" / "experiment" / "still.yaml").write_text(
        "# @package _global_\nreplications: 2\nyears: 1\n")
    with inside(tmp_path):
        swept = run("ijmond-sweep", "hydra.searchpath=[file://my_conf]", "experiment=still",
                    "hydra.sweep.dir=still")
        assert swept.status == 0, swept.stderr
        summary = pd.read_csv(tmp_path / "still" / tables.SUMMARY)
        assert len(summary) == 1 and summary["runs"][0] == 2
        again = run("ijmond-aggregate", "still", "--no-figures")
    assert again.status == 0, again.stderr


@pytest.mark.parametrize(("text", "values"), [("", 0), ("a: 1", 3), ("a: &x [1, 2]\nb: *x", 9),
                                              ("a: &x [1, 2]\nb: [*x, *x]", 13)])
def test_aliases_count_once_per_use(text, values):
    """Kills: an alias counted once however often it is used (an alias bomb would then pass)."""
    from ijmond_sim.config import preflight

    assert preflight.expanded_values(yaml.compose(text, Loader=yaml.SafeLoader)) == values


def test_a_council_named_with_other_letters_than_ascii_or_a_space_is_overridden(template, tmp_path):
    """Kills: region keys Hydra cannot read dropped, or set after the range check (which then misses them)."""
    prepare(tmp_path, template)
    with inside(tmp_path):
        done = run("ijmond-sim", SEARCH, "region=frisian", f"region.councils.{FRISIAN}.capacity=0.5",
                   "region.councils.Den Haag.capacity=0.3", "years=1", "hydra.run.dir=frisian")
        assert done.status == 0, done.stderr
        refused = run("ijmond-sim", SEARCH, "region=frisian", "region.councils.Den Haag.capacity=3",
                      "years=1", "hydra.run.dir=frisian_refused")
    councils = yaml.safe_load((tmp_path / "frisian" / "config.yaml").read_text())["region"]["councils"]
    assert councils[FRISIAN]["capacity"] == 0.5 and councils["Den Haag"]["capacity"] == 0.3
    assert refused.status == 2 and "region.councils.Den Haag.capacity = 3" in refused.stderr


def test_a_bad_value_names_its_own_override_not_another_of_the_same_group():
    """Kills the old lookup by top-level key: ``trust.initial=2.0 trust.fall_ratio=4.8`` named
    the fall ratio's override for the bad initial trust."""
    from ijmond_sim import config
    from ijmond_sim.run.command import check_config

    def problem(*overrides: str) -> ConfigError:
        with pytest.raises(ConfigError) as raised:
            check_config(config.compose(list(overrides), return_hydra_config=True))
        return raised.value

    bad = problem("trust.initial=2.0", "trust.fall_ratio=4.8")
    assert bad.key == "trust.initial"
    assert bad.source == "conf/config.yaml or the command-line override 'trust.initial=2.0'"
    assert problem("trust.fall_ratio=4.8", "trust.gain=-1").source == "conf/config.yaml or " \
        "the command-line override 'trust.gain=-1'"
