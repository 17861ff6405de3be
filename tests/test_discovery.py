"""ijmond-discover: settings, the Latin hypercube, resuming by batch, PRIM per rule, the files it writes."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from ijmond_sim.api import Parameter
from ijmond_sim.discovery import analysis, command, experiments, settings
from ijmond_sim.ema import OUTCOMES

SMALL = ["samples=6", "replications=1", "batch=4", "rules=[optional,binding]"]


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


def test_a_discovery_resumes_from_its_whole_batches_and_reruns_damaged_ones(tmp_path, monkeypatch, capsys):
    cfg = load(f"out={tmp_path}")
    first = experiments.run(cfg, list(OUTCOMES), report=lambda line: None)
    assert len(first) == 12 and set(first["rule"]) == {"optional", "binding"}
    ran = []
    real = experiments.run_point
    monkeypatch.setattr(experiments, "run_point", lambda *a: ran.append(a) or real(*a))
    damaged = experiments.batch_path(tmp_path, "optional", 1)
    damaged.write_bytes(damaged.read_bytes()[:-5])
    experiments.batch_path(tmp_path, "binding", 0).unlink()
    again = experiments.run(cfg, list(OUTCOMES), report=print)
    assert len(ran) == 2 + 4  # the damaged batch (points 5-6) and the deleted one (points 1-4)
    printed = capsys.readouterr().out
    assert "truncated" in printed
    assert re.search(r"optional: points 5-6 of 6 run; 0:\d\d elapsed, about \d+:\d\d left", printed)  # 2 of 6
    pd.testing.assert_frame_equal(first, again)
    ran.clear()
    experiments.run(load(f"out={tmp_path}", "replications=2"), list(OUTCOMES), report=lambda line: None)
    assert len(ran) == 12  # other settings: every batch runs again


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
