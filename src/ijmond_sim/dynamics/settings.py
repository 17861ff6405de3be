"""The settings of a drift study: ``conf/dynamics.yaml`` or one's own file, with the command line's changes.

Read by :func:`ijmond_sim.config.settings_files.load`: a bad key, type or value
raises :class:`SettingsError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from omegaconf import MISSING, DictConfig

from ijmond_sim.config import settings_files
from ijmond_sim.config.schema import SEED_MAX
from ijmond_sim.config.settings_files import SettingsError
from ijmond_sim.model.governance import RULES
from ijmond_sim.validation.knockouts import KNOCKOUTS

DEFAULT_FILE = "conf/dynamics.yaml"


@dataclass
class Sweep:
    """A parameter of the bifurcation diagram: config ``key`` at ``steps`` values from ``low`` to ``high``."""

    key: str = MISSING
    low: float = MISSING
    high: float = MISSING
    steps: int = MISSING


@dataclass
class Dynamics:
    """A drift study: region and rules, levels and runs, burn-in and horizon, sweeps and links."""

    region: str = MISSING
    rules: list[str] = MISSING
    levels: int = MISSING
    runs: int = MISSING
    burn_in: int = MISSING
    horizon: int = MISSING
    flat_width: float = MISSING
    seed: int = MISSING
    bifurcation_runs: int = MISSING
    parameters: list[Sweep] = field(default_factory=list)
    knockouts: list[str] = field(default_factory=list)
    out: str = MISSING
    runs_dir: str = MISSING


def levels(cfg: DictConfig) -> list[float]:
    """The trust levels set: ``cfg.levels`` values evenly spaced from 0 to 1, rounded to 10 decimals."""
    return [round(float(x), 10) for x in np.linspace(0.0, 1.0, cfg.levels)]


def values(sweep: DictConfig) -> list[float]:
    """The values of one bifurcation sweep: ``steps`` from ``low`` to ``high``, to 6 significant digits."""
    return [float(f"{x:.6g}") for x in np.linspace(sweep.low, sweep.high, sweep.steps)]


def arms(cfg: DictConfig) -> list[tuple[str, float]]:
    """Every parameter value of the bifurcation sweeps, as ``(key, value)``."""
    return [(sweep.key, value) for sweep in cfg.parameters for value in values(sweep)]


def parse_sweep(text: str) -> Sweep:
    """A ``--parameter`` option, ``KEY=LOW:HIGH:STEPS`` (e.g. ``trust.gain=0.01:0.15:8``), as a sweep.

    Raises:
        SettingsError: naming the option and the form it must have.
    """
    key, _, span = text.partition("=")
    parts = span.split(":")
    try:
        low, high, steps = float(parts[0]), float(parts[1]), int(parts[2])
        if not key or len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise SettingsError(f"--parameter {text}", "not of the form KEY=LOW:HIGH:STEPS",
                            "e.g. --parameter trust.gain=0.01:0.15:8") from None
    return Sweep(key=key, low=low, high=high, steps=steps)


def _checks(cfg: DictConfig) -> list[tuple[str, object, bool, str]]:
    checks = [
        ("levels", cfg.levels, cfg.levels >= 3, "must be >= 3"),
        ("runs", cfg.runs, cfg.runs >= 2, "must be >= 2 (an interval needs two runs)"),
        ("bifurcation_runs", cfg.bifurcation_runs, cfg.bifurcation_runs >= 2, "must be >= 2"),
        ("burn_in", cfg.burn_in, cfg.burn_in >= 0, "must be >= 0 months"),
        ("horizon", cfg.horizon, cfg.horizon >= 1, "must be >= 1 month"),
        ("flat_width", cfg.flat_width, 0 < cfg.flat_width <= 1, "must be in (0, 1]"),
        ("seed", cfg.seed, 0 <= cfg.seed <= SEED_MAX, f"must be a whole number 0 .. {SEED_MAX}"),
        ("rules", list(cfg.rules), set(cfg.rules) <= set(RULES),
         f"must name governance rules among {list(RULES)}"),
        ("knockouts", list(cfg.knockouts), set(cfg.knockouts) <= set(KNOCKOUTS),
         f"must name knockouts among {sorted(KNOCKOUTS)}"),
    ]
    keys = [p.key for p in cfg.parameters]
    for p in cfg.parameters:
        checks += [(f"parameters {p.key}: steps", p.steps, p.steps >= 2, "must be >= 2"),
                   (f"parameters {p.key}: low, high", (p.low, p.high), p.low < p.high,
                    "low must be below high"),
                   (f"parameters {p.key}", "given twice", keys.count(p.key) == 1, "give each key once")]
    return checks


def load(path: str | Path | None = None, changes: Sequence[str] = (), sweeps: Sequence[str] = ()
         ) -> DictConfig:
    """The drift-study settings of ``path`` (``conf/dynamics.yaml`` if None) with changes and added sweeps.

    Args:
        path: a settings file.
        changes: command-line changes, e.g. ``["levels=21", "parameters=[]"]``.
        sweeps: ``--parameter`` options (:func:`parse_sweep`); each replaces the sweep of its key or is added.

    Raises:
        SettingsError: naming the file, the key and what is allowed.
    """
    added = [parse_sweep(text) for text in sweeps]

    def add_sweeps(cfg: DictConfig) -> None:
        named = {sweep.key: sweep for sweep in added}
        kept = [named.pop(p.key, p) for p in cfg.parameters]
        cfg.parameters = [*kept, *named.values()]

    return settings_files.load(Dynamics, "dynamics.yaml", path, changes, _checks, add_sweeps)
