"""The calibration bands: the file that fixes patterns and parameter ranges, and each pattern's statistic."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np
import yaml

from ijmond_sim.run.measures import names_of


class BandsError(ValueError):
    """The bands file is missing a key or has a value out of range (one line: file, key, what is allowed)."""


Rows = Sequence[Mapping[str, Any]]


def _mean(rows: Rows, key: str) -> float:
    values = np.array([r[key] for r in rows], dtype=float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else math.nan


def _median(rows: Rows, key: str) -> float:
    values = [r[key] for r in rows if r[key] == r[key]]
    return float(median(values)) if values else math.nan


def _share(flags: Sequence[bool]) -> float:
    return float(np.mean(flags)) if len(flags) else math.nan


def _left(row: Mapping[str, Any]) -> list[str]:
    return names_of(row["turned_away"])


def _exit_runs_with(rows: Rows, council: str) -> float:
    exits = [r for r in rows if _left(r)]
    return _share([council in _left(r) for r in exits]) if exits else 1.0


STATISTICS: dict[str, Callable[[Rows], float]] = {
    "mean_completion_statutory_ended": lambda rows: _mean(rows, "completion_rate_statutory_ended"),
    "mean_completion_voluntary_ended": lambda rows: _mean(rows, "completion_rate_voluntary_ended"),
    "share_of_runs_without_voluntary_completion": lambda rows: _share(
        [r["completed_voluntary"] == 0 for r in rows]),
    "mean_change_of_mean_trust": lambda rows: float(np.mean(
        [r["mean_trust_end"] - r["mean_trust_start"] for r in rows])),
    "median_months_to_decision": lambda rows: _median(rows, "median_months_to_decision"),
    "share_of_runs_with_an_exit": lambda rows: _share([bool(_left(r)) for r in rows]),
    "share_of_runs_with_an_exit_in_the_first_year": lambda rows: _share(
        [r["first_turned_away_month"] is not None and r["first_turned_away_month"] <= 12 for r in rows]),
    "share_of_exit_runs_in_which_uitgeest_left": lambda rows: _exit_runs_with(rows, "Uitgeest"),
    "share_of_runs_in_which_more_than_one_left": lambda rows: _share([len(_left(r)) > 1 for r in rows]),
}
"""How each pattern's statistic is computed from the run summaries of one parameter set.

A share of exit runs is 1 when no run had an exit (the pattern is about who
leaves *when any does*)."""


@dataclass(frozen=True)
class Pattern:
    """One pattern of the report and its acceptance band.

    Attributes:
        name: the pattern's name in the bands file.
        statistic: the key of :data:`STATISTICS` that measures it.
        low: lowest accepted value.
        high: highest accepted value.
        why: the reasoning, with the report's sections.
    """

    name: str
    statistic: str
    low: float
    high: float
    why: str

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies in the band (a nan never does)."""
        return self.low <= value <= self.high


@dataclass(frozen=True)
class Parameter:
    """One uncertain parameter: the config keys it sets (to one value) and the range searched.

    Attributes:
        name: the parameter's name in the bands file.
        keys: the config keys it sets.
        low: lower end of the range.
        high: upper end of the range.
        why: the reasoning, with the report's sections.
    """

    name: str
    keys: tuple[str, ...]
    low: float
    high: float
    why: str

    def overrides(self, value: float) -> list[str]:
        """``key=value`` overrides for every key."""
        return [f"{key}={value!r}" for key in self.keys]


@dataclass(frozen=True)
class Bands:
    """The whole bands file.

    Attributes:
        path: where it was read from.
        scenario: overrides common to every calibration run.
        patterns: the patterns, in file order.
        parameters: the uncertain parameters, in file order.
    """

    path: Path
    scenario: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    parameters: tuple[Parameter, ...]

    def statistics(self, rows: Rows) -> dict[str, float]:
        """Each pattern's statistic over the runs ``rows`` of one parameter set."""
        return {p.name: STATISTICS[p.statistic](rows) for p in self.patterns}

    def accepts(self, values: Mapping[str, float]) -> bool:
        """Whether every pattern holds for a set's statistics."""
        return all(p.holds(values[p.name]) for p in self.patterns)


def _field(path: Path, key: str, node: Mapping, name: str, kind: type) -> Any:
    if name not in node:
        raise BandsError(f"{path}: {key}.{name} is missing; every entry needs it")
    value = node[name]
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind):
        raise BandsError(f"{path}: {key}.{name} = {value!r}: must be a {kind.__name__}")
    return value


def read(path: Path) -> Bands:
    """Read and check a bands file.

    Raises:
        BandsError: naming the file, the key and what is allowed.
    """
    try:
        body = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as error:
        raise BandsError(f"{path}: cannot be read as YAML ({error.__class__.__name__})") from error
    if not isinstance(body, dict):
        raise BandsError(f"{path}: must be a mapping with 'patterns' and 'parameters'")
    patterns, parameters = [], []
    for name, node in (body.get("patterns") or {}).items():
        key = f"patterns.{name}"
        statistic = _field(path, key, node, "statistic", str)
        if statistic not in STATISTICS:
            raise BandsError(f"{path}: {key}.statistic = {statistic!r}: must be one of {sorted(STATISTICS)}")
        low, high = _field(path, key, node, "low", float), _field(path, key, node, "high", float)
        if low > high:
            raise BandsError(f"{path}: {key}: low = {low} is above high = {high}; must be low <= high")
        patterns.append(Pattern(name, statistic, low, high, _field(path, key, node, "why", str)))
    for name, node in (body.get("parameters") or {}).items():
        key = f"parameters.{name}"
        keys = _field(path, key, node, "keys", list)
        low, high = _field(path, key, node, "low", float), _field(path, key, node, "high", float)
        if not keys or not low < high:
            raise BandsError(f"{path}: {key}: needs at least one key and low < high")
        parameters.append(Parameter(name, tuple(keys), low, high, _field(path, key, node, "why", str)))
    if not patterns or not parameters:
        raise BandsError(f"{path}: needs at least one entry under 'patterns' and one under 'parameters'")
    return Bands(Path(path), tuple(body.get("scenario") or ()), tuple(patterns), tuple(parameters))
