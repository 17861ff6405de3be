"""The settings of a discovery: ``conf/discover.yaml`` or one's own file, with command-line changes, checked.

The schema types the keys; the values live in the YAML alone. A bad key, type
or value raises :class:`SettingsError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from omegaconf import MISSING, DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ijmond_sim.config.checks import seed_from_text
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


class SettingsError(ValueError):
    """A discovery setting that is missing, mistyped or out of range."""


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
        SettingsError: naming the file, the key and what is allowed.
    """
    where = (str(path) if path is not None else DEFAULT_FILE) + (" or the command line" if changes else "")
    for change in changes:  # OmegaConf would read a seed of other digits than ASCII (seed=٣) as a number
        if change.partition("=")[0] == "seed":
            try:
                seed_from_text(change.partition("=")[2])
            except ValueError as error:
                raise SettingsError(f"{change}: {error}") from None
    try:
        text = Path(path).read_text() if path is not None else (files("ijmond_sim.conf") / "discover.yaml"
                                                                ).read_text()
        cfg = OmegaConf.merge(OmegaConf.structured(Discovery), OmegaConf.create(text),
                              OmegaConf.from_dotlist(list(changes)))
        OmegaConf.resolve(cfg)
        OmegaConf.to_container(cfg, throw_on_missing=True)
        if not cfg.rules:
            cfg.rules = list(RULES)
    except FileNotFoundError:
        raise SettingsError(f"{where}: no such file") from None
    except OmegaConfBaseException as error:
        key = getattr(error, "full_key", "") or ""
        raise SettingsError(f"{where}: {key + ': ' if key else ''}{str(error).splitlines()[0]}") from None
    for key, value, ok, allowed in _checks(cfg, outcomes):
        if not ok:
            raise SettingsError(f"{where}: {key} = {value!r}: {allowed}")
    return cfg
