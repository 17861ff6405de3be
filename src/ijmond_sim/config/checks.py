"""The checks Hydra cannot do: ranges and cross-references, before anything runs.

Interest weights must name the region's opgaven, trust entries its councils,
every number must be finite (no ``inf``, no ``nan``) and lie in its range.
:func:`validate` raises the first problem as a :class:`ConfigError` naming
the key, the value, what is allowed and the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from itertools import chain
from typing import Any

from omegaconf import DictConfig, OmegaConf


class ConfigError(ValueError):
    """A configuration value is outside what the model allows.

    Args:
        key: the dotted key, e.g. ``region.councils.Uitgeest.capacity``.
        value: the value found.
        allowed: what is allowed, in words.
        source: the file (or command line) the key came from.
    """

    def __init__(self, key: str, value: Any, allowed: str, source: str = "") -> None:
        self.key, self.value, self.allowed, self.source = key, value, allowed, source
        where = f" (in {source})" if source else ""
        super().__init__(f"{key} = {value!r}{where}: {allowed}")


def _unit(x: float) -> bool:
    return 0.0 <= x <= 1.0


def _checks(cfg: Mapping) -> Iterator[tuple[str, Any, bool, str]]:
    """Yield (key, value, ok, allowed) for every range and cross-reference check."""
    region = cfg["region"]
    opgaven = set(region["opgaven"])
    councils = set(region["councils"])
    yield "region.councils", sorted(councils), len(councils) >= 2, "a region needs at least two councils"
    yield "region.opgaven", sorted(opgaven), len(opgaven) >= 1, "a region needs at least one opgave"
    for name, c in region["councils"].items():
        key = f"region.councils.{name}"
        yield f"{key}.population", c["population"], c["population"] > 0, "must be a positive number"
        yield f"{key}.capacity", c["capacity"], 0 < c["capacity"] <= 1, "must be in (0, 1]"
        yield f"{key}.ambition", c["ambition"], c["ambition"] >= 0, "must be >= 0"
        yield (f"{key}.conflict_sensitivity", c["conflict_sensitivity"],
               c["conflict_sensitivity"] >= 0, "must be >= 0")
        yield (f"{key}.regional_identification", c["regional_identification"],
               _unit(c["regional_identification"]), "must be in [0, 1]")
        yield f"{key}.outside_option", c["outside_option"], _unit(c["outside_option"]), "must be in [0, 1]"
        yield f"{key}.meeting_cycle", c["meeting_cycle"], c["meeting_cycle"] >= 1, "must be >= 1 month"
        yield f"{key}.meeting_offset", c["meeting_offset"], c["meeting_offset"] >= 0, "must be >= 0"
        interests = set(c["interests"])
        yield (f"{key}.interests", sorted(interests), interests == opgaven,
               f"must give one weight for each of the region's opgaven {sorted(opgaven)}")
        for opgave, w in c["interests"].items():
            yield f"{key}.interests.{opgave}", w, _unit(w), "must be in [0, 1]"
    for name, o in region["opgaven"].items():
        key = f"region.opgaven.{name}"
        yield (f"{key}.proposals_per_year", o["proposals_per_year"], o["proposals_per_year"] >= 0,
               "must be >= 0")
        yield f"{key}.surplus", o["surplus"], o["surplus"] > 0, "must be > 0 (benefit per unit of cost)"
        yield f"{key}.sunk_share", o["sunk_share"], _unit(o["sunk_share"]), "must be in [0, 1]"
        yield f"{key}.cost_key", o["cost_key"], o["cost_key"] in ("population", "equal"), \
            "must be 'population' or 'equal'"
        weights = [c["interests"].get(name, 0.0) for c in region["councils"].values()]
        yield (f"{key}", name, sum(weights) > 0,
               "at least one council must have a positive interest weight for it")
    for truster, row in region["trust_bias"].items():
        yield (f"region.trust_bias.{truster}", truster, truster in councils,
               f"must name one of the region's councils {sorted(councils)}")
        for trustee, delta in row.items():
            key = f"region.trust_bias.{truster}.{trustee}"
            yield key, trustee, trustee in councils and trustee != truster, \
                f"must name another of the region's councils {sorted(councils - {truster})}"
            yield key, delta, -1 <= delta <= 1, "must be in [-1, 1]"
    t = cfg["trust"]
    yield "trust.initial", t["initial"], _unit(t["initial"]), "must be in [0, 1]"
    yield "trust.gain", t["gain"], _unit(t["gain"]), "must be in [0, 1]"
    yield "trust.fall_ratio", t["fall_ratio"], t["fall_ratio"] >= 0, "must be >= 0"
    yield ("trust.gain * trust.fall_ratio", t["gain"] * t["fall_ratio"],
           t["gain"] * t["fall_ratio"] <= 1, "must be <= 1 (trust cannot fall by more than all of it)")
    yield "trust.overrule_fear", t["overrule_fear"], t["overrule_fear"] >= 0, "must be >= 0"
    i = cfg["initiatives"]
    for k in ("preparation_months", "execution_months", "review_months"):
        yield f"initiatives.{k}", i[k], i[k] >= 1, "must be >= 1 month"
    yield "initiatives.delivery_risk", i["delivery_risk"], _unit(i["delivery_risk"]), "must be in [0, 1]"
    noise = cfg["decision"]["noise"]
    yield "decision.noise", noise, noise > 0, "must be > 0"
    persistence = cfg["decision"]["persistence"]
    yield "decision.persistence", persistence, _unit(persistence), "must be in [0, 1]"
    yield "years", cfg["years"], cfg["years"] >= 1, "must be >= 1"
    yield "seed", cfg["seed"], cfg["seed"] >= 0, "must be >= 0"
    if "replications" in cfg:
        yield "replications", cfg["replications"], cfg["replications"] >= 1, "must be >= 1"


def _finite(node: Mapping, path: str = "") -> Iterator[tuple[str, Any, bool, str]]:
    """Flag every number that is not finite (``inf``, ``nan``): it would pass a range check or poison one."""
    for key, value in node.items():
        child = f"{path}.{key}" if path else str(key)
        if isinstance(value, float):
            yield child, value, math.isfinite(value), "must be a finite number (not inf or nan)"
        elif isinstance(value, Mapping):
            yield from _finite(value, child)


def _unknown_keys(node: Any, path: str = "") -> Iterator[tuple[str, Any, bool, str]]:
    """Flag keys that a ``+key=value`` override added to a typed node (Hydra lets them through)."""
    if not isinstance(node, DictConfig):
        return
    schema = OmegaConf.get_type(node)
    allowed = {f.name for f in fields(schema)} if is_dataclass(schema) else None
    for key in node.keys():
        child = f"{path}.{key}" if path else str(key)
        if allowed is not None and key not in allowed:
            known = f"allowed here: {sorted(allowed)}" if allowed else "no keys are allowed here"
            yield child, node[key], False, f"unknown key; {known}"
        elif OmegaConf.is_dict(node._get_node(key)):
            yield from _unknown_keys(node[key], child)


def source_of(key: str, sources: Mapping[str, str]) -> str:
    """Where ``key`` came from: the entry of ``sources`` for its longest dotted prefix (``""``: none)."""
    parts = key.split(".")
    return next((sources[".".join(parts[:n])] for n in range(len(parts), 0, -1)
                 if ".".join(parts[:n]) in sources), "")


def validate(cfg: Mapping, sources: Mapping[str, str] | None = None) -> None:
    """Check ranges and cross-references; raise the first problem found.

    Args:
        cfg: the composed configuration (a ``DictConfig`` or plain mapping whose
            ``governance`` entry is a composed node or a rule object).
        sources: where each key came from, e.g. ``{"region": "conf/region/ijmond.yaml"}``
            (:func:`ijmond_sim.config.compose.config_sources`).

    Raises:
        ConfigError: naming the key, the value, what is allowed and the file.
    """
    from ijmond_sim.model.governance import rule_from_config

    sources = sources or {}
    rule = rule_from_config(cfg["governance"])
    checks = chain(_unknown_keys(cfg), _finite(cfg), _checks(cfg), rule.checks())
    for key, value, ok, allowed in checks:
        if not ok:
            raise ConfigError(key, value, allowed, source_of(key, sources))
