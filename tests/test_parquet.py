"""A sweep's tables: the same columns in every sweep, each one documented, and typed in Parquet when asked."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ijmond_sim
from ijmond_sim.run.measures import names_of
from ijmond_sim.sweep import columns, plan, provenance, store, tables

DOCS = Path(__file__).resolve().parents[1] / "docs" / "experiments.md"
COUNCILS = ("Beverwijk", "Heemskerk", "Uitgeest", "Velsen")
OPGAVEN = ("economy", "air_quality", "mobility", "housing", "facilities", "environmental_service")
ARROW = {"integer": pa.int64(), "float": pa.float64(), "names": pa.list_(pa.string())}


def write_sweep(folder: Path, outside_option: float) -> Path:
    """A sweep folder: two points over initial trust, two short runs each, in their results files."""
    points = tuple(plan.Point(key=f"trust.initial={x}", scenario={"trust.initial": x}, base_seed=42,
                              replications=2, fingerprint=f"config {x}") for x in (0.2, 0.8))
    plan.write_manifest(folder, plan.Plan("test", ("trust.initial",), points))
    for point in points:
        runs = ijmond_sim.simulate(initial_trust=point.scenario["trust.initial"], replications=2, years=2,
                                   uitgeest_outside_option=outside_option)
        store.write(folder / "jobs" / point.key / store.FILENAME,
                    {"kind": "job results", "status": "complete", "key": point.key,
                     "fingerprint": point.fingerprint, "runs": runs,
                     "provenance": {"code_sha256": provenance.code_sha256(),
                                    "config": {"region": {"name": "IJmond"}}}})
    return folder


@pytest.fixture
def sweep_dir(tmp_path):
    """A sweep in which Uitgeest's outside option is attractive: it turns away in some runs."""
    return write_sweep(tmp_path, outside_option=0.6)


@pytest.fixture
def loyal_sweep_dir(tmp_path):
    """A sweep in which no council turns away."""
    folder = write_sweep(tmp_path, outside_option=0.0)
    tables.aggregate(folder, draw=False, parquet=True)
    assert pd.read_csv(folder / "runs.csv")["first_turned_away_month"].isna().all()
    return folder


def test_parquet_only_when_asked_and_it_holds_the_csv_table(sweep_dir):
    tables.aggregate(sweep_dir, draw=False)
    assert (sweep_dir / "runs.csv").exists() and not (sweep_dir / "runs.parquet").exists()
    report = tables.aggregate(sweep_dir, draw=False, parquet=True)
    assert sweep_dir / "runs.parquet" in report.files
    from_csv = pd.read_csv(sweep_dir / "runs.csv", keep_default_na=False, na_values=[""])
    from_parquet = pd.read_parquet(sweep_dir / "runs.parquet")
    assert list(from_parquet.columns) == list(from_csv.columns) and len(from_parquet) == 4
    pd.testing.assert_series_equal(from_parquet["completion_rate"], from_csv["completion_rate"])
    # kills: the names left as a JSON string in Parquet, or a list that loses or reorders names
    names = [list(names) for names in from_parquet["turned_away"]]
    assert names == from_csv["turned_away"].map(names_of).tolist()
    assert any(len(names) for names in from_parquet["turned_away"])
    assert from_parquet["seed"].tolist() == from_csv["seed"].tolist()
    tables.aggregate(sweep_dir, draw=False)  # asked no more: the stale Parquet table goes
    assert not (sweep_dir / "runs.parquet").exists()


def test_every_parquet_column_has_its_type_even_when_no_run_has_a_value(loyal_sweep_dir):
    # kills: Parquet typed by pandas' guess (all-empty month columns as Arrow's null, integers as floats)
    schema = pq.read_schema(loyal_sweep_dir / "runs.parquet")
    for name in schema.names:
        want = ARROW.get(columns.kind(name, ("trust.initial",)), pa.float64())
        assert schema.field(name).type == want, name
    assert schema.field("first_turned_away_month").type == pa.int64()
    assert schema.field("turned_away_month_Uitgeest").type == pa.int64()


def test_every_council_has_its_left_column_though_none_turned_away(loyal_sweep_dir):
    # kills: left_<council> only for the councils that left in this sweep (columns changing between sweeps)
    summary = pd.read_csv(loyal_sweep_dir / "summary.csv")
    assert [c for c in summary.columns if c.startswith("left_")] == [f"left_{c}" for c in COUNCILS]
    assert (summary[[f"left_{c}" for c in COUNCILS]] == 0).all().all()


def documented(table: str, cell: int) -> list[tuple[list[str], str]]:
    """The rows of the docs/experiments.md table under the comment naming ``table``: (names, cell)."""
    text = DOCS.read_text().split(f"<!-- the columns of {table}:", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:] for line in text.splitlines() if line.startswith("| `")]
    return [(re.findall(r"`([^`]+)`", row[0]), row[cell].strip()) for row in rows]


def pattern(name: str) -> re.Pattern:
    """A documented column name as a pattern over real column names."""
    places = {"<axis>": r"trust\.initial", "<council>": "|".join(COUNCILS), "<A>": "|".join(COUNCILS),
              "<B>": "|".join(COUNCILS), "<opgave>": "|".join(OPGAVEN), "<year>": r"\d+"}
    parts = re.split(r"(<[a-zA-Z]+>)", name)
    return re.compile("".join(f"(?:{places[p]})" if p in places else re.escape(p) for p in parts))


def match_documented(real: list[str], rows: list[tuple[list[str], str]]) -> dict[str, str]:
    """The documented cell of each real column; every column documented once, every row used."""
    found: dict[str, str] = {}
    used: set[str] = set()
    for column in real:
        hits = [(name, cell) for names, cell in rows for name in names if pattern(name).fullmatch(column)]
        assert len(hits) == 1, f"{column}: documented {len(hits)} times in docs/experiments.md"
        used.add(hits[0][0])
        found[column] = hits[0][1]
    assert {name for names, _ in rows for name in names} == used, "documented columns no sweep writes"
    return found


def test_every_column_of_runs_csv_is_documented_with_its_type(sweep_dir):
    # kills: a measure added to a run's summary without a line in the docs, a stale line, a wrong type there
    tables.aggregate(sweep_dir, draw=False)
    real = list(pd.read_csv(sweep_dir / "runs.csv", nrows=0).columns)
    words = {"integer": "integer", "float": "float", "names": "list of names", "axis": "as its values"}
    for column, cell in match_documented(real, documented("runs.csv", 1)).items():
        assert cell == words[columns.kind(column, ("trust.initial",))], column


def test_every_column_of_summary_csv_is_documented(loyal_sweep_dir):
    # kills: a summary column without a line in the docs, or an interval column the docs do not announce
    real = list(pd.read_csv(loyal_sweep_dir / "summary.csv", nrows=0).columns)
    rows = documented("summary.csv", 2)
    with_intervals = [([f"{n}{end}" for n in names for end in ("", "_low", "_high")] if interval != "-"
                       else names, interval) for names, interval in rows]
    match_documented(real, with_intervals)


def test_asking_for_parquet_without_pyarrow_stops_with_one_line(sweep_dir, monkeypatch, capsys):
    monkeypatch.setattr(tables.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        tables.main([str(sweep_dir), "--parquet"])
    assert stop.value.code == 2 and "pip install 'ijmond-sim[parquet]'" in capsys.readouterr().err
