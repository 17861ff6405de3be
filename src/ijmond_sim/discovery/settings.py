"""The settings of a discovery: ``conf/discover.yaml`` or one's own file, with command-line changes, checked.

Read by :func:`ijmond_sim.config.settings_files.load`: a bad key, type or value
raises :class:`ijmond_sim.config.settings_files.SettingsError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import MISSING, DictConfig

from ijmond_sim.config import settings_files
from ijmond_sim.config.schema import SEED_MAX
from ijmond_sim.model.governance import RULES

DEFAULT_FILE = "conf/discover.yaml"


@dataclass
class Failure:
    """What counts as failure: a point's mean ``outcome`` below ``below`` or above ``above`` (one of them)."""

    outcome: str = MISSING
    below: float | None = None
    above: float | None = None


@dataclass
class PrimSettings:
    """PRIM's peeling and how the reported box is chosen."""

    peel_alpha: float = MISSING
    mass_min: float = MISSING
    min_density: float = MISSING
    max_qp: float = MISSING


@dataclass
class Discovery:
    """A discovery: the sample, the runs, the failure definition, PRIM and the folder."""

    region: str = MISSING
    samples: int = MISSING
    replications: int = MISSING
    seed: int = MISSING
    failure: Failure = field(default_factory=Failure)
    prim: PrimSettings = field(default_factory=PrimSettings)
    out: str = MISSING
    rules: list[str] = MISSING


def _checks(cfg: DictConfig, outcomes: Sequence[str]) -> list[tuple[str, object, bool, str]]:
    f, p = cfg.failure, cfg.prim
    return [
        ("samples", cfg.samples, cfg.samples >= 2, "must be >= 2"),
        ("replications", cfg.replications, cfg.replications >= 1, "must be >= 1"),
        ("seed", cfg.seed, 0 <= cfg.seed <= SEED_MAX, f"must be a whole number 0 .. {SEED_MAX}"),
        ("failure.outcome", f.outcome, f.outcome in outcomes, f"must be one of {list(outcomes)}"),
        ("failure", "below/above", (f.below is None) != (f.above is None),
         "give exactly one of failure.below and failure.above"),
        ("prim.peel_alpha", p.peel_alpha, 0 < p.peel_alpha < 0.5, "must be in (0, 0.5)"),
        ("prim.mass_min", p.mass_min, 0 < p.mass_min < 1, "must be in (0, 1)"),
        ("prim.min_density", p.min_density, 0 < p.min_density <= 1, "must be in (0, 1]"),
        ("prim.max_qp", p.max_qp, 0 < p.max_qp <= 1, "must be in (0, 1]"),
        ("rules", list(cfg.rules), set(cfg.rules) <= set(RULES),
         f"must name governance rules among {list(RULES)}"),
    ]


def load(path: str | Path | None = None, changes: Sequence[str] = (), outcomes: Sequence[str] = ()
         ) -> DictConfig:
    """The discovery settings of ``path`` (``conf/discover.yaml`` if None) with ``key=value`` changes.

    Args:
        path: a settings file.
        changes: command-line changes, e.g. ``["samples=100", "failure.below=0.3"]``.
        outcomes: the outcomes a failure may be defined on.

    Raises:
        ijmond_sim.config.settings_files.SettingsError: naming the file, the key and what is allowed.
    """
    return settings_files.load(Discovery, "discover.yaml", path, changes, lambda cfg: _checks(cfg, outcomes))
