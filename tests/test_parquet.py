"""The tidy runs table also as Parquet when asked; CSV stays the default."""

from __future__ import annotations

import pandas as pd
import pytest

import ijmond_sim
from ijmond_sim.sweep import plan, provenance, store, tables


@pytest.fixture
def sweep_dir(tmp_path):
    points = tuple(plan.Point(key=f"trust.initial={x}", scenario={"trust.initial": x}, base_seed=42,
                              replications=2, fingerprint=f"config {x}") for x in (0.2, 0.8))
    plan.write_manifest(tmp_path, plan.Plan("test", ("trust.initial",), points))
    for point in points:
        runs = ijmond_sim.simulate(initial_trust=point.scenario["trust.initial"], replications=2, years=2,
                                   uitgeest_outside_option=0.6)
        store.write(tmp_path / "jobs" / point.key / store.FILENAME,
                    {"kind": "job results", "status": "complete", "key": point.key,
                     "fingerprint": point.fingerprint, "runs": runs,
                     "provenance": {"code_sha256": provenance.code_sha256(),
                                    "config": {"region": {"name": "IJmond"}}}})
    return tmp_path


def test_parquet_only_when_asked_and_it_holds_the_csv_table(sweep_dir):
    tables.aggregate(sweep_dir, draw=False)
    assert (sweep_dir / "runs.csv").exists() and not (sweep_dir / "runs.parquet").exists()
    report = tables.aggregate(sweep_dir, draw=False, parquet=True)
    assert sweep_dir / "runs.parquet" in report.files
    from_csv = pd.read_csv(sweep_dir / "runs.csv", keep_default_na=False, na_values=[""])
    from_parquet = pd.read_parquet(sweep_dir / "runs.parquet")
    assert list(from_parquet.columns) == list(from_csv.columns) and len(from_parquet) == 4
    pd.testing.assert_series_equal(from_parquet["completion_rate"], from_csv["completion_rate"])
    assert from_parquet["turned_away"].tolist() == from_csv["turned_away"].fillna("").tolist()
    assert from_parquet["seed"].tolist() == from_csv["seed"].tolist()
    tables.aggregate(sweep_dir, draw=False)  # asked no more: the stale Parquet table goes
    assert not (sweep_dir / "runs.parquet").exists()


def test_asking_for_parquet_without_pyarrow_stops_with_one_line(sweep_dir, monkeypatch, capsys):
    monkeypatch.setattr(tables.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        tables.main([str(sweep_dir), "--parquet"])
    assert stop.value.code == 2 and "pip install 'ijmond-sim[parquet]'" in capsys.readouterr().err
