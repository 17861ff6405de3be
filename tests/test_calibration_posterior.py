"""The posterior's summary, its piles against a prior's edge, the predictive verdicts, --apply-defaults."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ijmond_sim.calibration.bands import read
from ijmond_sim.calibration.defaults import apply, set_in_yaml
from ijmond_sim.calibration.odd import page
from ijmond_sim.calibration.posterior import Check, Estimate, piling, predictive, summary
from ijmond_sim.config.described import ODD_BEGIN, ODD_END

ROOT = Path(__file__).resolve().parents[1]
BANDS = ROOT / "calibration" / "bands.yaml"


def test_the_summary_is_the_weighted_median_and_95_percent_interval():
    """Kills: weights ignored (the unweighted median would be 2); a 90% interval for the 95% one."""
    frame = pd.DataFrame({"x": np.arange(1.0, 101.0)})
    weights = np.full(100, 1.0)
    weights[:10] = 0.0
    weights /= weights.sum()
    (x,) = summary(frame, weights, {"x": (0.0, 100.0)})
    assert x.median == pytest.approx(55.5, abs=1)
    assert x.low == pytest.approx(13, abs=1) and x.high == pytest.approx(98, abs=1)


def test_a_posterior_piling_against_an_edge_is_found():
    """Kills: the edge share compared with the prior's mass once instead of twice; the wrong edge named."""
    rng = np.random.default_rng(1)
    flat = pd.DataFrame({"a": rng.uniform(0, 1, 2000), "b": rng.uniform(0, 1, 2000) ** 3,
                         "c": 1 - rng.uniform(0, 1, 2000) ** 3})
    weights = np.full(2000, 1 / 2000)
    found = piling(flat, weights, {"a": (0, 1), "b": (0, 1), "c": (0, 1)})
    assert found == {"a": "", "b": "low", "c": "high"}


def test_a_band_passes_when_the_median_over_draws_lies_inside_it():
    """Kills: a verdict from the share of draws inside, or from the mean (pulled out by one far draw)."""
    bands = read(BANDS)
    trend = next(p for p in bands.patterns if p.name == "trust_trend")
    inside = {p.name: p.low for p in bands.patterns}
    values = [trend.low, trend.low, trend.high + 0.01, trend.high + 0.02, trend.high + 0.03]
    table = predictive(bands, [Check({}, {**inside, "trust_trend": v}) for v in values]).set_index("pattern")
    assert table.loc["trust_trend", "inside"] == pytest.approx(0.4)
    assert bool(table.loc["trust_trend", "passes"]) is False
    values = [trend.low, trend.low, trend.low, trend.low - 5, trend.high + 1]
    table = predictive(bands, [Check({}, {**inside, "trust_trend": v}) for v in values]).set_index("pattern")
    assert bool(table.loc["trust_trend", "passes"]) is True


def test_a_value_is_set_at_its_nested_key_keeping_its_comment():
    """Kills: the first key of that name set at another depth; the comment dropped."""
    text = "a:\n  x: 1.0   # first\nb:\n  c:\n    x: 2.0     # second\n  x: 3.0\n"
    changed = set_in_yaml(text, ["b", "c", "x"], 0.123456)
    assert changed == "a:\n  x: 1.0   # first\nb:\n  c:\n    x: 0.12    # second\n  x: 3.0\n"
    with pytest.raises(KeyError):
        set_in_yaml(text, ["b", "d"], 1.0)


def test_apply_defaults_writes_the_medians_into_conf_and_the_intervals_into_odd(tmp_path):
    """Kills: a key of several set once; the intervals left out of calibration/posterior.yaml or of the
    regenerated ODD row (which then says the searched range); the ODD defaults composed from another conf/
    than the checkout's (the old value in the row); a keyed row edited beside the generator (the page
    then differs from scripts/odd_parameters.py's output for the same files)."""
    shutil.copytree(ROOT / "conf", tmp_path / "conf")
    for path in ("docs/ODD.md", "calibration/bands.yaml"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    bands = read(BANDS)
    estimates = [Estimate(p.name, p.low + 0.25 * (p.high - p.low), p.low + 0.1 * (p.high - p.low),
                          p.low + 0.9 * (p.high - p.low), p.low, p.high) for p in bands.parameters]
    run = {"commit": "0123456789", "finished": "2026-12-08 01:00 UTC", "seed": "2013"}
    missing = apply(bands, estimates, run, tmp_path)
    config = yaml.safe_load((tmp_path / "conf/config.yaml").read_text())
    region = yaml.safe_load((tmp_path / "conf/region/ijmond.yaml").read_text())
    assert config["trust"]["initial"] == 0.36 and config["decision"]["noise"] == 0.14
    assert {c: region["councils"][c]["outside_option"] for c in ("Beverwijk", "Heemskerk", "Velsen")} == \
        {"Beverwijk": 0.12, "Heemskerk": 0.12, "Velsen": 0.12}
    assert {o["surplus"] for k, o in region["opgaven"].items() if k != "environmental_service"} == {1.9}
    assert "# calibrated (searched 0.3-0.55)" in (tmp_path / "conf/config.yaml").read_text()
    stored = yaml.safe_load((tmp_path / "calibration/posterior.yaml").read_text())
    assert stored["run"] == run
    assert stored["keys"]["trust.initial"] == {"median": 0.36, "low": 0.33, "high": 0.53}
    assert stored["keys"]["region.councils.Velsen.outside_option"] == \
        stored["keys"]["region.councils.Beverwijk.outside_option"]
    odd = (tmp_path / "docs/ODD.md").read_text()
    assert ("| `trust.initial` | 0.36 | [0, 1] | trust level (0 none, 1 full) | the region's trust at the "
            "start, between every two councils (3.4, 5.3); **calibrated**: posterior median, 95% credible "
            "interval 0.33–0.53 |") in odd
    assert "searched" not in odd.split(ODD_BEGIN)[1].split(ODD_END)[0]
    assert odd == page(tmp_path)
    assert odd.split(ODD_BEGIN)[0] == (ROOT / "docs/ODD.md").read_text().split(ODD_BEGIN)[0]
    assert "region.councils.Uitgeest.outside_option" in missing and "trust.initial" not in missing

