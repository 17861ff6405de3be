"""ijmond-dynamics: the fixed-point finder on drawn curves, the trial of a run, the command end to end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ijmond_sim import api
from ijmond_sim.dynamics import command, drift, runs, settings
from ijmond_sim.dynamics.drift import FLAT, STABLE, UNSTABLE, FixedPoint, fixed_points
from ijmond_sim.model import RegionModel
from ijmond_sim.model.trust import initial_trust, mean_trust

X = [0.0, 0.25, 0.5, 0.75, 1.0]
NAN = pytest.approx(math.nan, nan_ok=True)
# mean, lower and upper band: the band holds zero from 0.25 to 0.5 exactly; the mean crosses zero at 0.375
CROSSING_IN_A_BAND = ([0.2, 0.01, -0.01, -0.2, -0.3], [0.1, 0.0, -0.05, -0.3, -0.4],
                      [0.3, 0.05, 0.0, -0.1, -0.2])


def band(mean, half):
    """A drift curve's 95% band: ``mean`` plus and minus ``half`` at every level."""
    mean = np.asarray(mean, dtype=float)
    return mean, mean - half, mean + half


def test_a_falling_crossing_is_stable_where_the_mean_crosses_zero_with_the_bands_crossings_as_interval():
    """Mean +0.1 at 0.25, -0.05 at 0.5: the line crosses at 0.25 + 0.25 * 0.1 / 0.15; the lower band
    (+0.05 to -0.1) at 0.25 + 0.25 / 3, the upper band (0 at 0.5) at 0.5.

    Kills: stable and unstable swapped, the crossing put at a level instead of interpolated (or
    interpolated from the wrong end), the interval's ends swapped or taken from the mean.
    """
    found = fixed_points(X, *band([0.2, 0.1, -0.05, -0.1, -0.2], 0.05), flat_width=0.5)
    (point,) = found
    assert point.kind == STABLE
    expected = (0.25 + 0.25 * 0.1 / 0.15, 0.25 + 0.25 / 3, 0.5)
    assert (point.trust, point.low, point.high) == pytest.approx(expected)


def test_a_rising_crossing_is_unstable():
    """The same curve upside down. Kills: the kind read from the sign above the crossing."""
    (point,) = fixed_points(X, *band([-0.2, -0.1, 0.05, 0.1, 0.2], 0.05), flat_width=0.5)
    assert point.kind == UNSTABLE and point.trust == pytest.approx(0.25 + 0.25 * 0.1 / 0.15)


def test_two_crossings_give_a_stable_and_an_unstable_point_in_order():
    """A tipping point: trust falls to a low state below 0.5 and rises above it.

    Kills: a finder that keeps only the first crossing, or does not sort by trust.
    """
    found = fixed_points(X, *band([0.1, -0.1, -0.1, 0.1, 0.1], 0.01), flat_width=0.2)
    assert [(p.kind, p.trust) for p in found] == [(STABLE, pytest.approx(0.125)),
                                                  (UNSTABLE, pytest.approx(0.625))]


@pytest.mark.parametrize("width", [0.25, 0.2])
def test_a_band_that_holds_zero_over_a_wide_stretch_is_flat_not_a_crisp_point(width):
    """The band holds zero from 0.25 to 0.5 exactly (width 0.25); the mean crosses zero inside it.

    Kills: a flat test with ``>`` instead of ``>=`` (width 0.25), the crossings inside a flat stretch
    still reported as crisp points, a flat stretch without its range.
    """
    assert fixed_points(X, *CROSSING_IN_A_BAND, flat_width=width) == [FixedPoint(FLAT, NAN, 0.25, 0.5)]


def test_a_narrower_stretch_than_flat_width_keeps_its_crossing():
    """The same curve with flat_width 0.3: one stable crossing at 0.375, interval 0.25 to 0.5.

    Kills: every undecided stretch called flat, whatever its width.
    """
    found = fixed_points(X, *CROSSING_IN_A_BAND, flat_width=0.3)
    assert found == [FixedPoint(STABLE, pytest.approx(0.375), 0.25, 0.5)]


def test_a_flat_stretch_without_a_crossing_is_reported_and_a_drift_of_one_sign_has_no_fixed_point():
    """Kills: a finder that reports only crossings (the flat stretch lost), or reports the ends of a curve
    that rises everywhere as fixed points."""
    mean, low, high = band([0.01, 0.01, 0.01, 0.2, 0.2], 0.05)
    end = pytest.approx(0.5 + 0.25 * 0.04 / 0.19)  # where the lower band, -0.04 to +0.15, crosses zero
    assert fixed_points(X, mean, low, high, flat_width=0.2) == [FixedPoint(FLAT, NAN, 0.0, end)]
    assert fixed_points(X, *band([0.2, 0.1, 0.05, 0.1, 0.2], 0.04), flat_width=0.2) == []


@pytest.mark.parametrize(("mean", "expected"), [
    ([0.0, 0.1, 0.2, 0.1, 0.05], [(UNSTABLE, 0.0)]),     # trust 0 stays 0, a little grows
    ([0.0, -0.1, -0.2, -0.1, -0.05], [(STABLE, 0.0)]),   # trust falls to 0
    ([0.1, 0.0, 0.0, -0.1, -0.2], [(STABLE, 0.375)]),    # zero at two levels: the middle of them
    ([0.1, 0.1, 0.0, 0.1, 0.1], []),                     # touches zero, does not cross
])
def test_a_mean_of_exactly_zero(mean, expected):
    """Kills: a zero at the lower end ignored or given the wrong kind, a run of zeros crossed at one of its
    ends, a touch counted as a crossing."""
    found = fixed_points(X, *band(mean, 0.0), flat_width=0.5)
    assert [(p.kind, p.trust) for p in found] == [(k, pytest.approx(t)) for k, t in expected]


def test_levels_without_a_drift_are_left_out():
    """Kills: a NaN level (no run with two councils in the region) that hides or invents a crossing."""
    mean = [0.1, math.nan, -0.1, -0.1, -0.1]
    (point,) = fixed_points(X, *band(mean, 0.01), flat_width=0.5)
    assert point.kind == STABLE and point.trust == pytest.approx(0.25)


def test_the_drift_table_gives_the_mean_and_its_interval_per_level_over_the_runs_with_a_drift():
    """Kills: a table that counts runs without a drift, averages over levels or rules, or drops the
    rows of the defaults (parameter empty, value NaN)."""
    rows = pd.DataFrame({"rule": ["optional"] * 4 + ["binding"], "parameter": [""] * 5,
                         "value": [math.nan] * 5,
                         "level": [0.5, 0.5, 0.5, 1.0, 0.5], "trust_start": [0.4, 0.5, math.nan, 0.9, 0.5],
                         "drift": [0.1, 0.3, math.nan, -0.2, 0.05]})
    table = drift.drift_table(rows)
    first = table.iloc[0]
    assert len(table) == 3 and first["runs"] == 2 and first["drift"] == pytest.approx(0.2)
    assert first["trust_start"] == pytest.approx(0.45)
    assert first["drift_low"] == pytest.approx(0.2 - 1.959964 * math.sqrt(0.02) / math.sqrt(2), rel=1e-6)


def scenario(**parameters):
    return api.scenario("optional", years=4, collect=False, **parameters)


def test_the_trial_sets_trust_after_the_burn_in_and_measures_the_change_over_the_horizon():
    """Kills: trust set before the burn-in or not at all (its start would not be the level's: trust has
    moved in the burn-in), a change measured from the level instead of the mean trust the councils
    start from, the horizon not run."""
    result = runs.drift_trial(scenario(), 3, {"level": 0.3, "burn_in": 36, "horizon": 12})
    model = RegionModel(scenario(), seed=3)
    assert model.run_for(36) is None and model.mean_trust() != model.initial_mean_trust  # trust has moved
    in_region = np.flatnonzero(model.active)  # the councils still in the region after the burn-in
    assert result["trust_start"] == pytest.approx(mean_trust(initial_trust(4, 0.3, model.region.trust_bias),
                                                             in_region))
    assert result["councils_start"] == len(in_region)
    assert result["drift"] == result["trust_end"] - result["trust_start"] != 0


def test_a_cold_start_is_the_model_started_at_the_level():
    """burn_in 0 sets trust at month 0: the run is the model's own from trust.initial = level.

    Kills: a trial that consumes randomness before the level is set, or runs another horizon.
    """
    cold = runs.drift_trial(scenario(), 5, {"level": 0.7, "burn_in": 0, "horizon": 18})
    model = RegionModel(scenario(**{"trust.initial": 0.7}), seed=5)
    model.run_for(18)
    assert cold["trust_end"] == model.mean_trust_in_region()


TINY = ["rules=[optional,binding]", "levels=3", "runs=2", "bifurcation_runs=2", "burn_in=12", "horizon=6",
        "parameters=[{key: trust.gain, low: 0.03, high: 0.09, steps: 2}]", "knockouts=[fully-committed]"]


def test_the_command_writes_tables_and_figures_and_its_numbers_do_not_depend_on_the_workers(tmp_path, capsys):
    """One worker and two workers: the same tables, byte for byte; the levels share their seeds.

    Kills: seeds that depend on the launcher or the worker, levels seeded apart (the burn-in would differ
    between levels), a table or figure not written, a sweep's parameter lost from the tables.
    """
    command.main([*TINY, f"out={tmp_path}/one"])
    command.main([*TINY, f"out={tmp_path}/two", "--launcher", "parallel", "--workers", "2"])
    out = capsys.readouterr().out
    assert "optional cooperation: " in out and "binding frameworks: " in out
    for name in ("drift.csv", "fixed_points.csv", "bifurcation.csv", "bifurcation_drift.csv", "links.csv",
                 "figures/drift.png", "figures/drift.pdf", "figures/bifurcation.png", "figures/links.png",
                 "runs/runs.csv"):
        assert (tmp_path / "one" / name).exists(), name
    for name in ("drift.csv", "fixed_points.csv", "bifurcation.csv", "links.csv", "runs/runs.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    table = pd.read_csv(tmp_path / "one" / "runs" / "runs.csv", keep_default_na=False, na_values=[""])
    assert len(table) == 2 * 3 * 2 + 2 * 2 * 3 * 2 + 2 * 3 * 2
    # a knockout's runs have the seeds of the runs at the defaults (kills knockouts seeded apart)
    keys = ["rule", "level", "replication"]
    paired = table[table["parameter"] == "fully-committed"].merge(table[table["parameter"].isna()], on=keys)
    assert len(paired) == 2 * 3 * 2 and (paired["seed_x"] == paired["seed_y"]).all()
    links = pd.read_csv(tmp_path / "one" / "links.csv")
    assert set(links["knockout"]) == {"fully-committed"} and set(links["rule"]) == {"optional", "binding"}
    by_level = table.groupby(["rule", "parameter", "value", "replication"], dropna=False)["seed"].nunique()
    assert (by_level == 1).all() and table["seed"].nunique() == 2 * 3 * 2
    swept = pd.read_csv(tmp_path / "one" / "bifurcation_drift.csv")
    assert set(swept["parameter"]) == {"trust.gain"} and sorted(set(swept["value"])) == [0.03, 0.09]


@pytest.mark.parametrize(("args", "match"), [
    (["levels=2"], "levels = 2"),
    (["--parameter", "trust.gain=0.1:0.2"], "KEY=LOW:HIGH:STEPS"),
    (["--parameter", "trust.gian=0.1:0.2:2"], "trust.gian"),
    (["--parameter", "trust.gain=-0.5:0.2:2"], "trust.gain"),
    (["region=atlantis"], "region=atlantis"),
    (["--settings", "nowhere.yaml"], "nowhere.yaml or the command line: no such file"),
    (["horizon=often"], "horizon"),
])
def test_a_bad_setting_stops_with_one_line_exit_2_and_nothing_written(tmp_path, capsys, args, match):
    """Kills: a bad level count, option, parameter name or value, region, settings file or type found only
    when the runs start (or never), with a traceback or folders already made."""
    with pytest.raises(SystemExit) as stop:
        command.main([*TINY, f"out={tmp_path}/d", *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("ijmond-dynamics: ") and match in err, err
    assert not (tmp_path / "d").exists()


def test_a_parameter_option_replaces_the_settings_sweep_of_its_key_and_adds_a_new_one():
    """Kills: --parameter appended twice for one key, or the settings' other sweeps dropped."""
    cfg = settings.load(changes=["levels=5"],
                        sweeps=["trust.gain=0.01:0.1:3", "fall_ratio=1:2:2"])
    keys = [p.key for p in cfg.parameters]
    assert keys == ["trust.fall_ratio", "trust.gain", "decision.noise", "initiatives.holdback",
                    "trust.memory", "decision.delivered_stake", "fall_ratio"]
    assert settings.values(cfg.parameters[1]) == [0.01, 0.055, 0.1]
    assert settings.levels(cfg) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_a_links_change_is_the_mean_of_paired_differences_with_their_interval():
    """Two runs per level whose knockout adds exactly 0.05 each: the change is 0.05 with no spread.

    Kills: differences of unpaired runs (their spread would give a wide interval), the sign turned round
    (defaults minus knockout), runs of another rule or knockout mixed in.
    """
    def frame(parameter: str, drifts: list[float], rule: str = "optional") -> pd.DataFrame:
        return pd.DataFrame({"rule": rule, "parameter": parameter, "value": float("nan"),
                             "level": [0.0, 0.0, 1.0, 1.0], "replication": [0, 1, 0, 1], "seed": [1, 2, 1, 2],
                             "trust_start": [0.0, 0.0, 1.0, 1.0], "trust_end": 0.0, "drift": drifts,
                             "councils_start": 4, "councils_end": 4})
    defaults = pd.concat([frame("", [0.1, -0.2, -0.1, 0.3]), frame("", [9.0, 9.0, 9.0, 9.0], "binding")])
    knocked = frame("fully-committed", [0.15, -0.15, -0.05, 0.35])
    links = drift.link_table(defaults, knocked, flat_width=0.2)
    row = links.iloc[0]
    assert (row["rule"], row["knockout"], row["runs"]) == ("optional", "fully-committed", 4)
    assert row["change"] == pytest.approx(0.05)
    assert row["change_low"] == pytest.approx(0.05) and row["change_high"] == pytest.approx(0.05)
