"""The headline answer over posterior draws: each rule's threshold per draw and its spread."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import yaml

from ijmond_sim.calibration.answer import answer, draw_experiment, threshold, thresholds, write
from ijmond_sim.calibration.bands import read

BANDS = Path(__file__).resolve().parents[1] / "calibration" / "bands.yaml"
LEVELS = [round(0.1 * k, 1) for k in range(11)]


def table(rule_rates: dict[str, list[float]]) -> pd.DataFrame:
    """A per-draw summary table: completion per rule and initial trust."""
    return pd.DataFrame([{"governance": rule, "trust.initial": level, "completion_rate": rate}
                         for rule, rates in rule_rates.items()
                         for level, rate in zip(LEVELS, rates, strict=True)])


def rising(first: int) -> list[float]:
    """Completion below half below level ``first``, half or more from it on."""
    return [0.3 if k < first else 0.6 for k in range(11)]


def test_the_threshold_is_where_completion_stays_at_half_or_more_up_to_the_highest_trust():
    """Kills: the first level reaching half taken even when a higher level falls below again; > for >=."""
    rule = table({"binding": rising(4)})
    assert threshold(rule) == 0.4
    dip = [0.6, 0.6, 0.3, *[0.5] * 8]
    assert threshold(table({"binding": dip})) == 0.3
    assert math.isnan(threshold(table({"binding": [0.6] * 10 + [0.4]})))
    assert threshold(table({"binding": [0.5] * 11})) == 0.0


def test_the_answer_gives_the_threshold_of_most_draws_its_share_and_range():
    """Kills: the share counted over reaching draws only; the range over all draws including 'never';
    a rule with no draw reaching half described as reaching it."""
    tables = {k: table({"binding": rising(4), "optional": [0.1] * 11}) for k in range(14)}
    tables[14] = table({"binding": [0.2] * 11, "optional": [0.1] * 11})
    lines = answer(thresholds(tables))
    assert lines[0] == ("binding frameworks: half or more completed from initial trust 0.4 on in 93% of 15 "
                        "posterior draws; 0.4-0.4 over 90% of the draws; less than half at any trust in 7%")
    assert lines[1] == ("optional cooperation: less than half completed at any initial trust in all 15 "
                        "posterior draws")


def test_answer_txt_is_written_from_the_draws_summary_tables(tmp_path):
    """Kills: a draw's table left out (the share is over all draws); thresholds.csv not one row per draw."""
    for k, first in enumerate([3, 4, 4, 5]):
        (tmp_path / f"draw_{k}").mkdir()
        table({"mayoral": rising(first)}).to_csv(tmp_path / f"draw_{k}" / "summary.csv", index=False)
    text = write(tmp_path).read_text()
    assert text.startswith("mayoral coordination: half or more completed from initial trust 0.4 on in 50% "
                           "of 4")
    assert "0.3-0.5 over 90%" in text
    assert len(pd.read_csv(tmp_path / "thresholds.csv")) == 4


def test_a_draws_experiment_extends_the_headline_sweep_and_leaves_its_axis_to_it():
    """Kills: the draw's initial trust written over the sweep's axis; a key of several written once."""
    bands = read(BANDS)
    values = {p.name: p.low for p in bands.parameters}
    body = yaml.safe_load(draw_experiment(bands, values))
    assert body["defaults"] == ["governance_comparison", "_self_"]
    assert "initial" not in body["trust"] and body["trust"]["gain"] == values["trust_gain"]
    assert {c: v["outside_option"] for c, v in body["region"]["councils"].items()} == {
        "Uitgeest": values["outside_option_uitgeest"], **{c: values["outside_option_others"]
                                                          for c in ("Beverwijk", "Heemskerk", "Velsen")}}
