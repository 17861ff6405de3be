"""The resolved scenario: a region as arrays plus the rule and parameters of one simulation.

Built once from a composed config (:meth:`Scenario.from_config`) and shared by
every replication, so no run pays for parsing the config again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from omegaconf import DictConfig, OmegaConf

from ijmond_sim.model.governance import GovernanceRule, rule_from_config
from ijmond_sim.model.parameters import GROUPS, DecisionConfig, InitiativeConfig, TrustConfig


@dataclass(frozen=True, eq=False)
class Region:
    """Councils and opgaven of a region, one array entry per council or per opgave.

    Attributes:
        name: the region's name.
        councils: council names, in a fixed order used by every array.
        opgaven: opgave names, in a fixed order.
        opgave_labels: readable names of the opgaven.
        statutory: per opgave, whether it is a statutory execution task (3.2, 5.2).
        proposals_per_year: per opgave, expected new initiatives a year.
        surplus: per opgave, total benefit per unit of total cost.
        sunk_share: per opgave, share of the cost lost when an initiative strands.
        cost_key: per opgave, ``population`` or ``equal``.
        population: residents per council.
        interests: ``(councils, opgaven)`` interest weights (5.2).
        capacity: organisational capacity per council, (0, 1] (5.1).
        conflict_style: a label per council, for people (5.1).
        ambition: initiative-taking per council (5.1).
        conflict_sensitivity: trust lost in conflict, per council (5.1).
        conservatism: status-quo bias per council (5.1).
        identification: regional identification per council (5.1, 6).
        outside_option: attractiveness of the alternative per council (6).
        meeting_cycle: months between council decision moments.
        meeting_offset: month of each council's first decision moment.
        trust_bias: ``(councils, councils)`` deviations from the initial trust level.
    """

    name: str
    councils: tuple[str, ...]
    opgaven: tuple[str, ...]
    opgave_labels: tuple[str, ...]
    statutory: np.ndarray
    proposals_per_year: np.ndarray
    surplus: np.ndarray
    sunk_share: np.ndarray
    cost_key: tuple[str, ...]
    population: np.ndarray
    interests: np.ndarray
    capacity: np.ndarray
    conflict_style: tuple[str, ...]
    ambition: np.ndarray
    conflict_sensitivity: np.ndarray
    conservatism: np.ndarray
    identification: np.ndarray
    outside_option: np.ndarray
    meeting_cycle: np.ndarray
    meeting_offset: np.ndarray
    trust_bias: np.ndarray

    @classmethod
    def from_config(cls, region: Mapping) -> Region:
        """Build the arrays from a ``region`` config node (already validated)."""
        councils = tuple(region["councils"])
        opgaven = tuple(region["opgaven"])
        cs = [region["councils"][c] for c in councils]
        os_ = [region["opgaven"][o] for o in opgaven]
        bias = np.zeros((len(councils), len(councils)))
        for truster, row in region.get("trust_bias", {}).items():
            for trustee, delta in row.items():
                bias[councils.index(truster), councils.index(trustee)] = delta

        def per_council(key: str, dtype: type = float) -> np.ndarray:
            return np.array([c[key] for c in cs], dtype=dtype)

        def per_opgave(key: str, dtype: type = float) -> np.ndarray:
            return np.array([o[key] for o in os_], dtype=dtype)

        return cls(
            name=region["name"],
            councils=councils,
            opgaven=opgaven,
            opgave_labels=tuple(o["label"] or name for o, name in zip(os_, opgaven, strict=True)),
            statutory=per_opgave("statutory", bool),
            proposals_per_year=per_opgave("proposals_per_year"),
            surplus=per_opgave("surplus"),
            sunk_share=per_opgave("sunk_share"),
            cost_key=tuple(o["cost_key"] for o in os_),
            population=per_council("population"),
            interests=np.array([[c["interests"][o] for o in opgaven] for c in cs], dtype=float),
            capacity=per_council("capacity"),
            conflict_style=tuple(c["conflict_style"] for c in cs),
            ambition=per_council("ambition"),
            conflict_sensitivity=per_council("conflict_sensitivity"),
            conservatism=per_council("conservatism"),
            identification=per_council("regional_identification"),
            outside_option=per_council("outside_option"),
            meeting_cycle=per_council("meeting_cycle", int),
            meeting_offset=per_council("meeting_offset", int),
            trust_bias=bias,
        )


@dataclass(frozen=True, eq=False)
class Scenario:
    """One simulation's world and rules, without the seed.

    The parameters keep the names of the config: ``trust.fall_ratio`` in the YAML is
    ``scenario.trust.fall_ratio`` here (their declarations: :mod:`ijmond_sim.model.parameters`).

    Attributes:
        region: the councils and opgaven.
        rule: the governance rule.
        trust: how trust starts and learns (``trust.*``).
        initiatives: how initiatives move through their phases (``initiatives.*``).
        decision: how a council weighs an initiative (``decision.*``).
        years: length of a run in years.
        collect: whether to record measures every month.
    """

    region: Region
    rule: GovernanceRule
    trust: TrustConfig
    initiatives: InitiativeConfig
    decision: DecisionConfig
    years: int
    collect: bool

    @classmethod
    def from_config(cls, cfg: DictConfig | Mapping) -> Scenario:
        """Build from a composed, validated config, or its plain data with the rule object."""
        plain = OmegaConf.to_container(cfg, resolve=True) if OmegaConf.is_config(cfg) else cfg
        groups = {group: schema(**plain[group]) for group, schema in GROUPS.items()}
        return cls(region=Region.from_config(plain["region"]), rule=rule_from_config(cfg["governance"]),
                   years=plain["years"], collect=plain["collect"], **groups)

    @property
    def months(self) -> int:
        """Length of a run in months (one step is one month)."""
        return 12 * self.years
