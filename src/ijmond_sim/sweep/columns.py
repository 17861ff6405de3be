"""The type of every column of a sweep's runs table, and the table written as Parquet with those types.

A column's type follows from its name (docs/experiments.md lists them all):
counts, months and seeds are integers (missing where nothing happened, e.g.
``first_turned_away_month`` when nobody turned away), ``turned_away`` is a list
of council names (a JSON list in CSV, a list of strings in Parquet), a scenario
axis keeps the type of its values, and every other column is a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path

import pandas as pd

from ijmond_sim.run.measures import names_of

INTEGER = ("replication", "seed", "months", "started", "started_*", "completed", "completed_*", "stranded",
           "under_way", "ended", "ended_*", "first_turned_away_month", "turned_away_month_*",
           "times_overruled_*")
NAMES = ("turned_away",)


def kind(column: str, axes: Sequence[str]) -> str:
    """``axis``, ``integer``, ``names`` or ``float``: the type of a table's column, by its name."""
    if column in axes:
        return "axis"
    if column in NAMES:
        return "names"
    return "integer" if any(fnmatchcase(column, pattern) for pattern in INTEGER) else "float"


def write_parquet(runs: pd.DataFrame, axes: Sequence[str], path: Path) -> None:
    """Write the runs table to ``path`` as Parquet, each column typed by :func:`kind` (never Arrow's null).

    Raises:
        ImportError: pyarrow is not installed (``pip install 'ijmond-sim[parquet]'``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def array(column: str) -> pa.Array:
        values = runs[column]
        match kind(column, axes):
            case "integer":
                return pa.array(pd.array(values, dtype="Int64"), type=pa.int64())
            case "names":
                return pa.array(values.map(names_of), type=pa.list_(pa.string()))
            case "float":
                return pa.array(values.astype(float), type=pa.float64())
        return pa.array(values.tolist())

    pq.write_table(pa.table({column: array(column) for column in runs.columns}), path)
