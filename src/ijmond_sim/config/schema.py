"""The configuration schema: typed dataclasses that Hydra composes ``conf/`` against.

A typo'd key, a wrong type or an unknown group option stops the program before
anything runs. Every value has one home: the parameters' defaults are in
``conf/config.yaml`` and ``conf/governance/*.yaml``, and the schema only types
them (``MISSING``); what a region file may leave out (a council without an
outside option, an opgave without a label) defaults here, since no YAML
holds it. A test checks that no value is in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING


@dataclass
class CouncilConfig:
    """One municipality's council: its interests, capacity, culture and loyalty."""

    population: int = MISSING
    interests: dict[str, float] = MISSING
    capacity: float = MISSING
    conflict_style: str = ""
    ambition: float = 1.0
    conflict_sensitivity: float = 1.0
    conservatism: float = 0.0
    regional_identification: float = MISSING
    outside_option: float = 0.0
    meeting_cycle: int = 1
    meeting_offset: int = 0


@dataclass
class OpgaveConfig:
    """A shared regional task and how its costs and benefits fall."""

    label: str = ""
    statutory: bool = False
    proposals_per_year: float = MISSING
    surplus: float = MISSING
    sunk_share: float = MISSING
    cost_key: str = "population"


@dataclass
class RegionConfig:
    """A region: its councils, its opgaven and any known trust relations."""

    name: str = MISSING
    councils: dict[str, CouncilConfig] = MISSING
    opgaven: dict[str, OpgaveConfig] = MISSING
    trust_bias: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class TrustConfig:
    """Directed trust between councils and how it learns (report 3.4, 5.3)."""

    initial: float = MISSING
    gain: float = MISSING
    fall_ratio: float = MISSING
    overrule_fear: float = MISSING
    memory: float = MISSING


@dataclass
class InitiativeConfig:
    """How initiatives move through their phases (report 5.4, 5.5)."""

    preparation_months: int = MISSING
    execution_months: int = MISSING
    review_months: int = MISSING
    delivery_risk: float = MISSING
    holdback: float = MISSING


@dataclass
class DecisionConfig:
    """How a council weighs an initiative (report 3.2, 3.4)."""

    noise: float = MISSING
    persistence: float = MISSING
    trust_weight: float = MISSING
    delivered_stake: float = MISSING


@dataclass
class Config:
    """Everything one simulation needs: the scenario and the run length."""

    region: RegionConfig = MISSING
    governance: Any = MISSING
    trust: TrustConfig = MISSING
    initiatives: InitiativeConfig = MISSING
    decision: DecisionConfig = MISSING
    seed: int = MISSING
    years: int = MISSING
    collect: bool = MISSING


@dataclass
class SweepConfig(Config):
    """A sweep (``ijmond-sweep``): the scenario of :class:`Config`, run at every sweep point.

    Attributes:
        replications: runs per scenario point, each with its own seed.
    """

    replications: int = MISSING


def register_schemas(schema: type[Config] = Config) -> None:
    """Put the schema into Hydra's ConfigStore (the governance rules register their own).

    Args:
        schema: :class:`Config` for one simulation; ``ijmond-sweep`` registers
            :class:`SweepConfig` under the same name, so ``conf/config.yaml`` serves both.
    """
    ConfigStore.instance().store(name="config_schema", node=schema)
