"""ijmond-discover: settings, the Latin hypercube, its runs by the sweep engine, PRIM per rule, its files."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from ijmond_sim.api import Parameter, mean_outcomes, simulate
from ijmond_sim.discovery import analysis, command, experiments, settings
from ijmond_sim.ema import OUTCOMES
from ijmond_sim.sweep import launchers, store
from ijmond_sim.validation import command as validation_command

SMALL = ["samples=6", "replications=1", "rules=[optional,binding]"]


def load(*changes):
    return settings.load(changes=[*SMALL, *changes], outcomes=list(OUTCOMES))


@pytest.mark.parametrize(("change", "match"), [
    ("sample=3", "sample"), ("samples=x", "samples"), ("failure.outcome=trust", "failure.outcome"),
    ("failure.above=0.2", "exactly one of"), ("rules=[anarchy]", "rules"), ("prim.max_qp=0", "prim.max_qp"),
])
def test_a_bad_setting_stops_with_one_line_exit_2_and_nothing_written(tmp_path, capsys, change, match):
    with pytest.raises(SystemExit) as stop:
        command.main([*SMALL, f"out={tmp_path}/d", change])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and match in err and "conf/discover.yaml" in err
    assert not (tmp_path / "d").exists()


def test_the_design_is_a_latin_hypercube_over_each_range():
    params = [Parameter("a", ("a",), 0.1, 0.9, "", "", 0.5), Parameter("m", ("m",), 2, 8, "", "", 4, True)]
    points = experiments.design(params, 8, seed=3)
    bins = np.floor((points["a"] - 0.1) / 0.8 * 8).astype(int)
    assert sorted(bins) == list(range(8))  # one point in each eighth of the range
    assert points["m"].between(2, 8).all() and points["m"].dtype.kind == "i"
    assert points.equals(experiments.design(params, 8, seed=3))
    assert not points.equals(experiments.design(params, 8, seed=4))


def test_failure_is_below_or_above_the_threshold_and_never_undefined():
    table = pd.DataFrame({"completion_rate": [0.2, 0.5, 0.7, np.nan]})
    below = OmegaConf.create({"outcome": "completion_rate", "below": 0.5, "above": None})
    above = OmegaConf.create({"outcome": "completion_rate", "below": None, "above": 0.5})
    assert analysis.failed(table, below).tolist() == [True, False, False, False]
    assert analysis.failed(table, above).tolist() == [False, False, True, False]


def test_prim_finds_the_box_that_holds_the_failures():
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 400), "b": rng.uniform(0, 1, 400)})
    y = (x["a"] < 0.3).to_numpy()
    params = [Parameter("a", ("a",), 0.0, 1.0, "", "", 0.5), Parameter("b", ("b",), 0.0, 1.0, "", "", 0.5)]
    prim_settings = OmegaConf.create({"peel_alpha": 0.05, "mass_min": 0.05, "min_density": 0.8,
                                      "max_qp": 0.05})
    found = analysis.discover_rule("optional", x, y, params, prim_settings, seed=1)
    assert [r.name for r in found.restrictions] == ["a"]
    # the highest coverage at density >= 0.8: a < h with 0.3 / h >= 0.8 on uniform a, so 0.3 <= h <= 0.375
    assert 0.29 <= found.restrictions[0].high <= 0.3 / 0.8 + 0.01 and found.restrictions[0].qp < 0.05
    assert found.coverage > 0.9 and found.density >= 0.8
    assert found.scores.index[0] == "a"


def _results(out):
    return {p: p.stat().st_mtime_ns for p in (out / experiments.RUNS).rglob(store.FILENAME)}


class Killed(BaseException):
    """The discovery's process killed between two points (as Ctrl-C or a kill would)."""


def test_a_killed_discovery_resumes_in_two_workers_with_the_same_numbers(tmp_path, monkeypatch):
    """Killed after 4 of 12 points (basic launcher), one results file then damaged, run again (2 workers).

    Kills: a discovery that runs every point again (the 3 whole files rewritten), that reads a damaged
    file as data or leaves it, or whose numbers depend on the launcher or on being resumed.
    """
    reference = experiments.run(load(f"out={tmp_path}/reference"), list(OUTCOMES), report=lambda line: None)
    cfg = load(f"out={tmp_path}/killed")
    write = store.write
    written = []

    def kill_after_four(path, body, sync=True):
        if path.name == store.FILENAME and len(written) == 4:
            raise Killed
        write(path, body, sync)
        if path.name == store.FILENAME:
            written.append(path)

    monkeypatch.setattr(store, "write", kill_after_four)
    with pytest.raises(Killed):
        experiments.run(cfg, list(OUTCOMES), report=lambda line: None)
    monkeypatch.setattr(store, "write", write)
    finished = _results(tmp_path / "killed")
    assert len(finished) == 4
    damaged = written[0]
    damaged.write_bytes(damaged.read_bytes()[:-5])
    lines = []
    with launchers.pool(launchers.Launch("parallel", 2), tmp_path) as pool:
        again = experiments.run(cfg, list(OUTCOMES), report=lines.append, workers=2, pool=pool)
    pd.testing.assert_frame_equal(again, reference, check_exact=True)
    now = _results(tmp_path / "killed")
    assert len(now) == 12 and now[damaged] != finished[damaged]  # the damaged file ran again
    assert all(now[p] == t for p, t in finished.items() if p != damaged)  # the whole ones did not
    assert re.search(r"progress: 12/12 points, 12/12 runs done \(3 skipped as complete\); \d+:\d\d elapsed",
                     lines[-1])


def test_every_point_gives_the_runs_simulate_gives_it(tmp_path):
    """Seeds and means of each point and rule are simulate's, bit for bit.

    Kills: a discovery whose designed points are seeded from another name than simulate's scenario
    key (e.g. ``Design(point, cfg, seed_key="discovery")``, or a point without its rule), or composed
    otherwise (a value not set, the rule's config not used), or whose rows and points are out of step.
    """
    cfg = load(f"out={tmp_path}", "samples=3", "replications=2", "seed=11")
    table = experiments.run(cfg, list(OUTCOMES), report=lambda line: None)
    params = [c for c in table.columns if c not in ("rule", "point", *OUTCOMES)]
    seeds = []
    for row in table.to_dict("records"):
        runs = simulate(rule=row["rule"], seed=11, replications=2, **{name: row[name] for name in params})
        seeds += [r["seed"] for r in runs]
        expected = mean_outcomes(runs)
        for name in OUTCOMES:
            assert row[name] == expected[name] or (math.isnan(row[name]) and math.isnan(expected[name])), name
    stored = [r["seed"] for p in (tmp_path / experiments.RUNS).rglob(store.FILENAME)
              for r in store.read(p)["runs"]]
    assert sorted(stored) == sorted(seeds) and len(set(seeds)) == 12


@pytest.mark.parametrize("main", ["discover", "validate"])
@pytest.mark.parametrize(("option", "match"), [
    (["--launcher", "slurmish"], "invalid choice: 'slurmish'"), (["--workers", "0"], "--workers 0"),
    (["--workers", "two"], "invalid int value: 'two'"),
    (["--launcher", "slurm", "--time-minutes", "0"], "--time-minutes 0"),
])
def test_a_bad_launcher_or_workers_stops_with_one_line_exit_2_and_nothing_written(
        tmp_path, monkeypatch, capsys, main, option, match):
    """The options shared by ijmond-discover and ijmond-validate (sweep/launchers.py) are checked in both.

    Kills: a --workers below 1 accepted (a pool of none), an unknown launcher run as basic, the slurm
    launcher's options missing from one of them.
    """
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        if main == "discover":
            command.main([*SMALL, f"out={tmp_path}/d", *option])
        else:
            monkeypatch.setattr("sys.argv", ["ijmond-validate", "--fast", "--out", f"{tmp_path}/d", *option])
            validation_command.cli()
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"ijmond-{main}: ") and match in err, err
    assert not (tmp_path / "d").exists()


def test_the_command_writes_tables_figures_and_an_answer_naming_the_region(tmp_path, capsys):
    command.main([*SMALL, f"out={tmp_path}", "failure.below=0.99"])
    for name in ("experiments.csv", "boxes.csv", "feature_scores.csv", "answer.txt",
                 "figures/tradeoff.pdf", "figures/boxes.png"):
        assert (tmp_path / name).exists(), name
    answer = (tmp_path / "answer.txt").read_text()
    assert answer.startswith("Scenario discovery for IJmond") and "completion rate below 0.99" in answer
    assert "optional cooperation" in answer and "binding frameworks" in answer
    table = pd.read_csv(tmp_path / "experiments.csv")
    assert table["failed"].tolist() == (table["completion_rate"] < 0.99).tolist()


def test_without_ema_workbench_the_command_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(command.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        command.main(SMALL)
    assert stop.value.code == 2 and "pip install 'ijmond-sim[ema]'" in capsys.readouterr().err
