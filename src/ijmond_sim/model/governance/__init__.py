"""The governance rules, discovered rather than listed: a new rule is one Python file and one YAML.

A rule is a dataclass subclass of :class:`GovernanceRule` with a ``key``. The
rules are found in two places: every module of this package, and every module
named by an entry point of the group ``ijmond_sim.governance`` (a rule kept
outside the project, installed as a small package). Its YAML is
``conf/governance/<key>.yaml``, or the same path in a folder on Hydra's search
path (``hydra.searchpath=[file://my_conf]``).
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from ijmond_sim.model.governance.base import DecisionContext, GovernanceRule

ENTRY_POINT_GROUP = "ijmond_sim.governance"


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def discover() -> dict[str, type[GovernanceRule]]:
    """Import every rule module (this package's, then the entry points'); the rules by key, in ``order``."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        entry.load()
    rules = [cls for cls in _subclasses(GovernanceRule) if cls.key]
    return {cls.key: cls for cls in sorted(rules, key=lambda cls: (cls.order, cls.key))}


RULES: dict[str, type[GovernanceRule]] = discover()


def register_schemas() -> None:
    """Store each rule's dataclass as the schema ``schema/governance/<key>`` for its YAML."""
    store = ConfigStore.instance()
    for key, cls in RULES.items():
        store.store(group="schema/governance", name=key, node=cls)


def rule_label(key: str) -> str:
    """A governance rule's name for people: its label (its key if it has none, or no rule has that key).

    Use it wherever a rule is named for people (summaries, tables, figures, reports, menus).
    """
    return (RULES[key].label if key in RULES else "") or str(key)


def rule_from_config(node: DictConfig | GovernanceRule) -> GovernanceRule:
    """The governance rule object a composed ``governance`` node describes."""
    if isinstance(node, GovernanceRule):
        return node
    return OmegaConf.to_object(node)


__all__ = ["ENTRY_POINT_GROUP", "RULES", "DecisionContext", "GovernanceRule", "discover", "register_schemas",
           "rule_from_config", "rule_label"]
