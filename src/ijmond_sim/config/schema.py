"""The configuration schema: typed dataclasses that Hydra composes ``conf/`` against.

A typo'd key, a wrong type or an unknown group option stops the program before
anything runs. Every value has one home: the parameters' defaults are in
``conf/config.yaml`` and ``conf/governance/*.yaml``, and the schema types them
(``MISSING``) and declares each one's range, unit, meaning and report section
(:func:`~ijmond_sim.model.parameters.parameter`; the model's groups ``trust``,
``initiatives`` and ``decision`` live beside the model, in
:mod:`ijmond_sim.model.parameters`); what a region file may leave out (a council
without an outside option, an opgave without a label) defaults here, since no
YAML holds it. A test checks that no value is in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING

from ijmond_sim.model.parameters import (
    GROUPS,
    DecisionConfig,
    Declaration,
    InitiativeConfig,
    TrustConfig,
    declarations,
    parameter,
)

# Upper bounds of the sizes that allocate, checked before anything is written (config/checks.py):
YEARS_MAX = 1_000  # run length: memory and time grow with the months (a month table per council);
#                    the report's horizon is ten years, and 1,000 keeps one run to about a second
REPLICATIONS_MAX = 100_000  # runs per sweep point: a point's runs are held in memory and in one
#                             results file (about 1 KB a run, so at most about 100 MB)
SEED_MAX = 2**32 - 1  # seeds are whole numbers 0 .. 2**32 - 1: the range numpy's legacy seeding takes
#                       and the 32-bit seeds each replication gets (sweep/replicate.py)


@dataclass
class CouncilConfig:
    """One municipality's council: its interests, capacity, culture and loyalty."""

    population: int = parameter(meaning="residents", unit="residents", section="3.1", low=0, low_open=True)
    interests: dict[str, float] = MISSING
    capacity: float = parameter(
        meaning="organisational capacity: a small organisation prepares and executes slower",
        unit="share of what a big-city organisation manages", section="5.1", low=0, low_open=True, high=1)
    conflict_style: str = ""
    ambition: float = parameter(default=1.0, meaning="how readily it takes initiatives",
                                unit="factor on its share of proposals", section="5.1", low=0)
    conflict_sensitivity: float = parameter(default=1.0, meaning="how hard a conflict hits its trust",
                                            unit="factor on trust lost", section="5.1", low=0)
    conservatism: float = parameter(default=0.0, meaning="its preference for what exists",
                                    unit="utility units", section="5.1")
    regional_identification: float = parameter(
        meaning="how much it weighs the region's gain against its own municipality's", unit="share",
        section="3.2, 5.1", low=0, high=1)
    outside_option: float = parameter(default=0.0, meaning="attractiveness of its alternative to the region",
                                      unit="utility units", section="5.1, 6", low=0, high=1)
    meeting_cycle: int = parameter(default=1, meaning="months between its council's decision moments",
                                   unit="months", section="5.4", low=1)
    meeting_offset: int = parameter(default=0, meaning="month of its council's first decision moment",
                                    unit="month", section="5.4", low=0)


@dataclass
class OpgaveConfig:
    """A shared regional task and how its costs and benefits fall."""

    label: str = ""
    statutory: bool = False
    proposals_per_year: float = parameter(meaning="expected new initiatives a year",
                                          unit="initiatives a year", section="2.1, 5.2", low=0)
    surplus: float = parameter(meaning="total benefit of an initiative per unit of its total cost",
                               unit="benefit per unit of cost", section="2.1", low=0, low_open=True)
    sunk_share: float = parameter(meaning="share of the cost lost when an initiative strands",
                                  unit="share of the cost", section="3.4", low=0, high=1)
    cost_key: str = parameter(default="population", meaning="how the cost is divided over the participants",
                              unit="", section="5.2", choices=("population", "equal"))


@dataclass
class RegionConfig:
    """A region: its councils, its opgaven and any known trust relations."""

    name: str = MISSING
    councils: dict[str, CouncilConfig] = MISSING
    opgaven: dict[str, OpgaveConfig] = MISSING
    trust_bias: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Config:
    """Everything one simulation needs: the scenario and the run length."""

    region: RegionConfig = MISSING
    governance: Any = MISSING
    trust: TrustConfig = MISSING
    initiatives: InitiativeConfig = MISSING
    decision: DecisionConfig = MISSING
    seed: int = parameter(meaning="seeds all randomness; same seed, same run", unit="", section="", low=0,
                          high=SEED_MAX)
    years: int = parameter(meaning="simulated years; one step is one month", unit="years", section="2.1",
                           low=1, high=YEARS_MAX)
    collect: bool = MISSING


@dataclass
class SweepConfig(Config):
    """A sweep (``ijmond-sweep``): the scenario of :class:`Config`, run at every sweep point.

    Attributes:
        replications: runs per scenario point, each with its own seed.
    """

    replications: int = parameter(meaning="runs per scenario point, each with its own seed",
                                  unit="runs", section="", low=1, high=REPLICATIONS_MAX)


def declaration_of(key: str) -> Declaration:
    """The declaration of a parameter by its dotted config key.

    Args:
        key: ``trust.fall_ratio``, ``years``, or a region's ``region.councils.<name>.capacity``
            and ``region.opgaven.<name>.surplus`` (any name).

    Raises:
        KeyError: no parameter is declared under ``key``.
    """
    parts = key.split(".")
    if parts[0] == "region" and len(parts) == 4:
        cls = {"councils": CouncilConfig, "opgaven": OpgaveConfig}.get(parts[1])
    else:
        cls = GROUPS.get(parts[0]) if len(parts) == 2 else SweepConfig
    found = dict(declarations(cls)) if cls is not None else {}
    if parts[-1] not in found:
        raise KeyError(key)
    return found[parts[-1]]


def register_schemas(schema: type[Config] = Config) -> None:
    """Put the schema into Hydra's ConfigStore (the governance rules register their own).

    Also lets the help template name the parameters (``${ijmond.parameters:}``).

    Args:
        schema: :class:`Config` for one simulation; ``ijmond-sweep`` registers
            :class:`SweepConfig` under the same name, so ``conf/config.yaml`` serves both.
    """
    from ijmond_sim.config.described import register_help  # it reads this schema

    ConfigStore.instance().store(name="config_schema", node=schema)
    register_help()
