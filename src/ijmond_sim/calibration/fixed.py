"""The files fixed before the ABC-SMC runs: the priors with their history, and the inference settings.

``calibration/priors.yaml`` widens a parameter's range of ``calibration/bands.yaml``
only with a versioned, dated history entry; ``calibration/inference.yaml`` holds
the distance's nan penalty, the replications per particle, the population size,
the epsilon quantile and the cap on generations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ijmond_sim.calibration.bands import Bands, BandsError


@dataclass(frozen=True)
class Change:
    """One entry of the priors' history: version, date, what changed and why, before or after which run."""

    version: int
    date: str
    change: str
    run: str


@dataclass(frozen=True)
class Prior:
    """A uniform prior on one parameter of the bands file.

    Attributes:
        name: the parameter's name in the bands file.
        low: lower end of the prior's range.
        high: upper end.
        widened: whether the range is wider than the bands file's.
    """

    name: str
    low: float
    high: float
    widened: bool = False


@dataclass(frozen=True)
class Priors:
    """The priors file: its version, its history and one uniform prior per parameter, in bands order."""

    path: Path
    version: int
    history: tuple[Change, ...]
    priors: tuple[Prior, ...]


@dataclass(frozen=True)
class Settings:
    """The inference settings of ``calibration/inference.yaml``."""

    path: Path
    replications: int
    population: int
    quantile: float
    generations: int
    nan_distance: float
    predictive_draws: int
    predictive_replications: int


def _load(path: Path) -> dict[str, Any]:
    try:
        body = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as error:
        raise BandsError(f"{path}: cannot be read as YAML ({error.__class__.__name__})") from error
    if not isinstance(body, dict):
        raise BandsError(f"{path}: must be a mapping")
    return body


def _number(path: Path, body: dict, key: str, kind: type, low: float, high: float = float("inf")) -> Any:
    value = body.get(key)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or (kind is int and value != int(value)) or not low <= value <= high:
        raise BandsError(f"{path}: {key} = {value!r}: must be a{'n integer' if kind is int else ' number'} "
                         f"from {low:g} to {high:g}")
    return kind(value)


def read_priors(path: Path, bands: Bands) -> Priors:
    """Read the priors file against the bands: every widened range must contain the bands file's range.

    Raises:
        BandsError: naming the file, the key and what is allowed.
    """
    body = _load(path)
    version = _number(path, body, "version", int, 1)
    history = tuple(Change(int(h["version"]), str(h["date"]), " ".join(str(h["change"]).split()),
                           " ".join(str(h["run"]).split())) for h in body.get("history") or ())
    if not history or history[-1].version != version:
        raise BandsError(f"{path}: version {version} has no history entry of its own; add one (version, "
                         "date, change, run) for every change")
    widened = body.get("widened") or {}
    names = [p.name for p in bands.parameters]
    for name in widened:
        if name not in names:
            raise BandsError(f"{path}: widened.{name}: not a parameter of {bands.path}; one of {names}")
    priors = []
    for p in bands.parameters:
        if p.name not in widened:
            priors.append(Prior(p.name, p.low, p.high))
            continue
        node = widened[p.name]
        low = _number(path, node, "low", float, -float("inf"))
        high = _number(path, node, "high", float, -float("inf"))
        if not (low <= p.low and high >= p.high and low < high):
            raise BandsError(f"{path}: widened.{p.name}: {low:g}-{high:g} must contain the bands' range "
                             f"{p.low:g}-{p.high:g} (a prior is only ever widened)")
        priors.append(Prior(p.name, low, high, True))
    return Priors(Path(path), version, history, tuple(priors))


def read_settings(path: Path) -> Settings:
    """Read the inference settings.

    Raises:
        BandsError: naming the file, the key and what is allowed.
    """
    body = _load(path)
    return Settings(Path(path), _number(path, body, "replications", int, 1),
                    _number(path, body, "population", int, 2), _number(path, body, "quantile", float, 0, 1),
                    _number(path, body, "generations", int, 1), _number(path, body, "nan_distance", float, 0),
                    _number(path, body, "predictive_draws", int, 1),
                    _number(path, body, "predictive_replications", int, 1))
