"""Knockouts: the model with the mechanism behind a pattern switched off, as config settings.

Each knockout turns a composed config into the dotted settings that remove one
mechanism, through parameters and region data only; one parameter exists only
for a knockout (``decision.trust_weight``, 1 in every other use). A pattern that
still passes under its knockout does not show its mechanism: the report marks it
"not diagnostic" (``criteria.yaml`` names each pattern's knockout). ``ijmond-dynamics``
uses the same knockouts to measure each link of the loop of distrust.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import DictConfig

Settings = dict[str, Any]


@dataclass(frozen=True)
class Knockout:
    """One mechanism switched off.

    Attributes:
        key: the name ``criteria.yaml`` uses.
        description: what is switched off and how, for the report.
        settings: the dotted config settings that switch it off in a composed config.
    """

    key: str
    description: str
    settings: Callable[[DictConfig], Settings]


def statutory_as_voluntary(base: DictConfig) -> Settings:
    """Statutory opgaven become voluntary ones: flag off, the voluntary opgaven's mean parameters.

    Every numeric parameter of a statutory opgave (surplus, sunk share, proposals, ...) takes the
    mean over the voluntary opgaven, and each council's interest in it the mean of its interests
    in the voluntary opgaven.
    """
    opgaven = base.region.opgaven
    voluntary = [k for k, o in opgaven.items() if not o.statutory]
    settings: Settings = {}
    for key, opgave in opgaven.items():
        if not opgave.statutory:
            continue
        settings[f"region.opgaven.{key}.statutory"] = False
        for name, value in opgave.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                settings[f"region.opgaven.{key}.{name}"] = _mean(opgaven[v][name] for v in voluntary)
        for council, node in base.region.councils.items():
            settings[f"region.councils.{council}.interests.{key}"] = _mean(
                node.interests[v] for v in voluntary)
    return settings


def trust_never_falls(base: DictConfig) -> Settings:
    """No trust is lost when a partner withdraws, blocks or overrules: ``trust.fall_ratio = 0``."""
    return {"trust.fall_ratio": 0.0}


def region_first(base: DictConfig) -> Settings:
    """Local interest no longer wins: every council identifies fully with the region (identification 1)."""
    return {f"region.councils.{c}.regional_identification": 1.0 for c in base.region.councils}


def identification_equal(base: DictConfig) -> Settings:
    """Identification no longer tells the councils apart: each gets the region's weakest."""
    weakest = min(node.regional_identification for node in base.region.councils.values())
    return {f"region.councils.{c}.regional_identification": weakest for c in base.region.councils}


def one_calendar(base: DictConfig) -> Settings:
    """The councils' calendars are already one: the region's most common cycle for all, from month 0."""
    cycles = Counter(node.meeting_cycle for node in base.region.councils.values())
    cycle = max(sorted(cycles), key=cycles.__getitem__)
    return {f"region.councils.{c}.{key}": value for c in base.region.councils
            for key, value in (("meeting_cycle", cycle), ("meeting_offset", 0))}


def expectations_fixed(base: DictConfig) -> Settings:
    """Trust no longer shapes expectations: each council expects what the initial trust says (3.4, 5.3)."""
    return {"decision.trust_weight": 0.0}


def fully_committed(base: DictConfig) -> Settings:
    """Nobody holds back its part of an initiative, whatever its trust (3.4 threat 1): ``holdback = 0``."""
    return {"initiatives.holdback": 0.0}


def no_memory(base: DictConfig) -> Settings:
    """A partner's record no longer scales the trust a success builds (3.4): ``trust.memory = 0``."""
    return {"trust.memory": 0.0}


def no_midway_review(base: DictConfig) -> Settings:
    """No review under execution within the run, so nobody seeks extra local gain midway (3.4 threat 3)."""
    return {"initiatives.review_months": 12 * int(base.years) + 1}


def stake_binds_in_full(base: DictConfig) -> Settings:
    """The stake in the shared opgaven binds whatever the region delivers (5.2): ``delivered_stake = 0``."""
    return {"decision.delivered_stake": 0.0}


# What each governance parameter is when the rule adds nothing to optional cooperation.
NEUTRAL_RULE_PARAMETERS: dict[str, Any] = {
    "mediation": 0.0, "package_deal": 0.0, "conflict_damping": 1.0,  # no mediation, no connecting leader
    "quota": 1.0, "mandate": False, "exit_cost": 0.0,                # unanimity, the councils vote, free exit
}


def rules_without_their_means(base: DictConfig) -> Settings:
    """Each governance rule's own means set neutral (see :data:`NEUTRAL_RULE_PARAMETERS`); calendars stay."""
    return {f"governance.{name}": value for name, value in NEUTRAL_RULE_PARAMETERS.items()
            if name in base.governance}


def _mean(values) -> float:
    return float(np.mean([float(v) for v in values]))


KNOCKOUTS: dict[str, Knockout] = {k.key: k for k in (
    Knockout("statutory-as-voluntary", "statutory opgaven treated as voluntary: flag off, each parameter and "
             "each council's interest the mean over the voluntary opgaven", statutory_as_voluntary),
    Knockout("trust-never-falls", "trust never falls (trust.fall_ratio = 0)", trust_never_falls),
    Knockout("region-first", "local interest never wins: every council's regional identification = 1",
             region_first),
    Knockout("identification-equal", "every council's regional identification = the region's weakest",
             identification_equal),
    Knockout("one-calendar", "the councils' own calendars aligned: one cycle (the region's most common), "
             "offset 0", one_calendar),
    Knockout("rules-without-their-means", "mayoral and binding rules without mediation, package deals, "
             "damping, majority, mandate or exit cost (their aligned calendars stay)",
             rules_without_their_means),
    Knockout("expectations-fixed", "trust no longer shapes expectations: decision.trust_weight = 0 (each "
             "council expects what the initial trust says)", expectations_fixed),
    Knockout("fully-committed", "nobody holds back its part of an initiative: initiatives.holdback = 0",
             fully_committed),
    Knockout("no-memory", "a partner's record no longer scales the trust a success builds: trust.memory = 0",
             no_memory),
    Knockout("no-midway-review", "no review under execution within the run: initiatives.review_months = "
             "the run's length + 1",
             no_midway_review),
    Knockout("stake-binds-in-full", "the stake in the shared opgaven binds whatever the region delivers: "
             "decision.delivered_stake = 0", stake_binds_in_full),
)}
