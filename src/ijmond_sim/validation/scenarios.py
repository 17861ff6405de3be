"""Scenarios for the validation sweeps: the default config with overrides, built in-process.

Composing a config with Hydra takes ~0.15 s; a validation needs thousands of
scenario points. So the config is composed once per governance rule and each
point is a copy with its overrides set, range-checked by
:func:`ijmond_sim.config.validate` and turned into a :class:`Scenario`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from omegaconf import DictConfig, OmegaConf, open_dict

from ijmond_sim import api, config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.governance import RULES as RULE_CLASSES
from ijmond_sim.model.scenario import Scenario

# Every governance rule found in ijmond_sim.model.governance, in the order the rules declare
# (the report's three from the least binding to the most, then any other).
RULES: tuple[str, ...] = tuple(RULE_CLASSES)

#: The report's three governance rules, by name, from the least binding to the most (4.1, 4.2):
#: the rules a pattern speaks of where the report does. A rule added later joins only the
#: patterns whose statement holds for every rule (:data:`~ijmond_sim.validation.patterns.EVERY_RULE`).
REPORT_RULES: tuple[str, ...] = ("optional", "mayoral", "binding")
TODAY: tuple[str, ...] = REPORT_RULES[:1]  # today's situation, optional cooperation (3.2, 3.4)


def compose_defaults(overrides: Sequence[str] = ()) -> dict[str, DictConfig]:
    """The composed default config under each governance rule, without per-month records.

    Args:
        overrides: Hydra overrides applied under every rule, e.g. ``["years=20"]``.

    Returns:
        One config per rule key in :data:`RULES`.
    """
    return {rule: api.composed(rule, overrides=["collect=false", *overrides]) for rule in RULES}


def with_settings(base: DictConfig, settings: Mapping[str, Any]) -> DictConfig:
    """A copy of ``base`` with each dotted config key in ``settings`` set and the result range-checked.

    Raises:
        ijmond_sim.config.ConfigError: a value is outside what the model allows.
    """
    cfg = base.copy()
    for key, value in settings.items():
        OmegaConf.update(cfg, key, value, merge=False)
    config.validate(cfg)
    return cfg


def scenario(base: DictConfig, settings: Mapping[str, Any] | None = None) -> Scenario:
    """The scenario of ``base`` with ``settings`` (dotted config keys) applied."""
    return Scenario.from_config(with_settings(base, settings or {}))


def subregion(base: DictConfig, keep: Iterable[str]) -> DictConfig:
    """A copy of ``base`` whose region holds only the councils in ``keep`` (trust biases follow).

    A region YAML is data: dropping a council drops its row and its column.
    """
    keep = set(keep)
    cfg = base.copy()
    with open_dict(cfg):
        region = cfg.region
        for name in [c for c in region.councils if c not in keep]:
            del region.councils[name]
        region.trust_bias = {
            truster: {trustee: v for trustee, v in row.items() if trustee in keep}
            for truster, row in region.trust_bias.items() if truster in keep
        }
    config.validate(cfg)
    return cfg


def first_to_turn_away(model: RegionModel) -> str | None:
    """The council that turned away first (ties: region order), or None if none did."""
    away = [(c.turned_away, c.index, c.name) for c in model.councils if c.turned_away is not None]
    return min(away)[2] if away else None
