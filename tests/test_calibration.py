"""The calibration procedure: the bands file, the patterns' statistics, the choice of defaults."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from ijmond_sim.calibration import bands as calibration_bands
from ijmond_sim.calibration.bands import BandsError, read
from ijmond_sim.calibration.command import main
from ijmond_sim.calibration.search import SetResult, design, medoid, refined_box, search
from ijmond_sim.run.measures import names_cell

BANDS = Path(__file__).resolve().parents[1] / "calibration" / "bands.yaml"


def write_bands(tmp_path: Path, **change) -> Path:
    body = yaml.safe_load(BANDS.read_text())
    for dotted, value in change.items():
        node = body
        *path, last = dotted.split("__")
        for key in path:
            node = node[key]
        node[last] = value
    path = tmp_path / "bands.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def test_the_committed_bands_file_reads():
    bands = read(BANDS)
    assert len(bands.patterns) >= 5 and len(bands.parameters) >= 5
    assert all(p.why for p in (*bands.patterns, *bands.parameters))


def test_a_band_upside_down_is_refused_naming_file_and_key(tmp_path):
    path = write_bands(tmp_path, patterns__trust_trend__low=0.5)
    with pytest.raises(BandsError, match=r"bands\.yaml: patterns\.trust_trend: low = 0\.5 is above high"):
        read(path)


def test_an_unknown_statistic_is_refused(tmp_path):
    path = write_bands(tmp_path, patterns__trust_trend__statistic="mean_happiness")
    with pytest.raises(BandsError, match="patterns.trust_trend.statistic = 'mean_happiness': must be one of"):
        read(path)


def run(left: tuple[str, ...] = (), trust_change: float = -0.1, first: int | None = None) -> dict:
    """A run summary as the model writes it (the councils that left as a JSON list)."""
    return {"turned_away": names_cell(left), "mean_trust_start": 0.5, "mean_trust_end": 0.5 + trust_change,
            "first_turned_away_month": first, "completed_voluntary": 1}


def test_who_leaves_is_counted_over_the_runs_with_an_exit():
    rows = [run(), run(("Uitgeest",), first=30), run(("Uitgeest", "Velsen"), first=5),
            run(("Heemskerk",), first=40)]
    stat = calibration_bands.STATISTICS
    assert stat["share_of_runs_with_an_exit"](rows) == 0.75
    assert stat["share_of_exit_runs_in_which_uitgeest_left"](rows) == pytest.approx(2 / 3)
    assert stat["share_of_runs_in_which_more_than_one_left"](rows) == 0.25
    assert stat["share_of_runs_with_an_exit_in_the_first_year"](rows) == 0.25
    assert stat["share_of_exit_runs_in_which_uitgeest_left"]([run()]) == 1.0
    assert stat["mean_change_of_mean_trust"]([run(trust_change=-0.1), run(trust_change=0.3)]) == \
        pytest.approx(0.1)


def test_a_set_is_accepted_only_if_every_pattern_holds():
    bands = read(BANDS)
    inside = {p.name: (p.low + p.high) / 2 for p in bands.patterns}
    assert bands.accepts(inside)
    for p in bands.patterns:
        assert not bands.accepts({**inside, p.name: p.high + 1})
        assert not bands.accepts({**inside, p.name: math.nan})


def test_the_design_covers_each_range_once_per_stratum():
    bands = read(BANDS)
    x = design(bands, 20, seed=1)
    for column, p in enumerate(bands.parameters):
        strata = ((x[:, column] - p.low) / (p.high - p.low) * 20).astype(int)
        assert sorted(strata) == list(range(20))


def test_the_defaults_are_the_medoid_of_the_accepted_sets():
    bands = read(BANDS)
    names = [p.name for p in bands.parameters]

    def at(share: float, index: int) -> SetResult:
        values = {p.name: p.low + share * (p.high - p.low) for p in bands.parameters}
        return SetResult(index, values, {}, True)

    sets = [at(0.1, 0), at(0.45, 1), at(0.55, 2), at(0.6, 3), at(0.9, 4)]
    assert medoid(bands, sets).index == 2
    assert set(medoid(bands, sets).values) == set(names)


def test_search_is_reproducible():
    bands = read(BANDS)
    first = search(bands, sets=2, replications=2, base_seed=5)
    again = search(bands, sets=2, replications=2, base_seed=5)
    assert [r.statistics for r in first] == [r.statistics for r in again]
    assert first[0].values != first[1].values


def test_bands_that_are_not_committed_are_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--bands", str(write_bands(tmp_path)), "--out", str(tmp_path / "out"), "--sets", "1"])
    assert stop.value.code == 2
    assert "is not committed as it stands" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_second_stage_searches_around_the_sets_that_miss_at_most_one_band():
    bands = read(BANDS)
    first = bands.parameters[0]

    def result(share: float, misses: int) -> SetResult:
        values = {p.name: p.low + share * (p.high - p.low) for p in bands.parameters}
        return SetResult(0, values, {}, misses == 0, misses)

    low, high = refined_box(bands, [result(0.4, 1), result(0.6, 0), result(0.0, 3), result(1.0, 2)])
    span = first.high - first.low
    assert low[0] == pytest.approx(first.low + 0.3 * span)
    assert high[0] == pytest.approx(first.low + 0.7 * span)
    assert (design(bands, 10, seed=1, box=(low, high)) >= low - 1e-12).all()
