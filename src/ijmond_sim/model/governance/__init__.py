"""The governance rules, found by their module: adding one is one file here and one YAML in conf/."""

from __future__ import annotations

import importlib
import pkgutil

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from ijmond_sim.model.governance.base import GovernanceRule

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

RULES: dict[str, type[GovernanceRule]] = {
    cls.key: cls for cls in GovernanceRule.__subclasses__() if cls.key
}


def register_schemas() -> None:
    """Store each rule's dataclass as the schema ``schema/governance/<key>`` for its YAML."""
    store = ConfigStore.instance()
    for key, cls in RULES.items():
        store.store(group="schema/governance", name=key, node=cls)


def rule_from_config(node: DictConfig | GovernanceRule) -> GovernanceRule:
    """The governance rule object a composed ``governance`` node describes."""
    if isinstance(node, GovernanceRule):
        return node
    return OmegaConf.to_object(node)


__all__ = ["RULES", "GovernanceRule", "register_schemas", "rule_from_config"]
