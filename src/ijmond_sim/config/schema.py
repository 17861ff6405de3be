"""The configuration schema: typed dataclasses that Hydra composes ``conf/`` against.

A typo'd key, a wrong type or an unknown group option stops the program before
anything runs. The defaults of every parameter live in ``conf/*.yaml`` alone;
the schema only types them (see :mod:`ijmond_sim.config.defaults`).
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

    initial: float = 0.52
    gain: float = 0.063
    fall_ratio: float = 4.8
    overrule_fear: float = 1.0


@dataclass
class InitiativeConfig:
    """How initiatives move through their phases (report 5.4, 5.5)."""

    preparation_months: int = 4
    execution_months: int = 18
    review_months: int = 12
    delivery_risk: float = 0.0056


@dataclass
class DecisionConfig:
    """How a council weighs an initiative (report 3.2, 3.4)."""

    noise: float = 0.35
    persistence: float = 0.88


@dataclass
class Config:
    """Everything one simulation needs: the scenario and the run length."""

    region: RegionConfig = MISSING
    governance: Any = MISSING
    trust: TrustConfig = field(default_factory=TrustConfig)
    initiatives: InitiativeConfig = field(default_factory=InitiativeConfig)
    decision: DecisionConfig = field(default_factory=DecisionConfig)
    seed: int = 42
    years: int = 10
    collect: bool = True


@dataclass
class SweepConfig(Config):
    """A sweep (``ijmond-sweep``): the scenario of :class:`Config`, run at every sweep point.

    Attributes:
        replications: runs per scenario point, each with its own seed.
    """

    replications: int = 1


def register_schemas(schema: type[Config] = Config) -> None:
    """Put the schema into Hydra's ConfigStore (the governance rules register their own).

    Args:
        schema: :class:`Config` for one simulation; ``ijmond-sweep`` registers
            :class:`SweepConfig` under the same name, so ``conf/config.yaml`` serves both.
    """
    ConfigStore.instance().store(name="config_schema", node=schema)
