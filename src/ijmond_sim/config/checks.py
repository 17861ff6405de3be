"""The checks Hydra cannot do: ranges and cross-references, before anything runs.

Interest weights must name the region's opgaven, trust entries its councils,
every number must be finite (no ``inf``, no ``nan``) and lie in its range.
:func:`validate` raises the first problem as a :class:`ConfigError` naming
the key, the value, what is allowed and the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields, is_dataclass
from itertools import chain
from typing import Any

from omegaconf import DictConfig, OmegaConf

from ijmond_sim.config.schema import SEED_MAX, CouncilConfig, OpgaveConfig, SweepConfig
from ijmond_sim.model.parameters import GROUPS, declarations


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
        super().__init__(f"{self.statement}{where}: {allowed}")

    @property
    def statement(self) -> str:
        """What was found: ``key = value``, or ``key: no value``."""
        return f"{self.key}: no value" if self.value is NO_VALUE else f"{self.key} = {self.value!r}"


NO_VALUE = "???"  # OmegaConf's mark of a key that has no value (MISSING)


def _number(x: Any) -> bool:
    """A real number (a ``dict[str, float]`` filled from the command line may hold text)."""
    return isinstance(x, int | float) and not isinstance(x, bool)


def _unit(x: float) -> bool:
    return _number(x) and 0.0 <= x <= 1.0


def seed_from_text(text: str) -> int:
    """A seed as typed on a command line: ASCII digits only, 0 .. :data:`SEED_MAX`.

    Raises:
        ValueError: naming what is allowed (``int()`` would take ``٣``, ``+3``, ``3_0`` or `` 3``).
    """
    if not re.fullmatch(r"[0-9]+", text) or int(text) > SEED_MAX:
        raise ValueError(f"{text!r} is not a seed: a seed is a whole number 0 .. {SEED_MAX} in ASCII digits")
    return int(text)


def _ranges(node: Mapping, group: type, path: str) -> Iterator[tuple[str, Any, bool, str]]:
    """The range check of each parameter ``group`` declares (:mod:`ijmond_sim.model.parameters`)."""
    for name, declaration in declarations(group):
        if name in node and declaration.checked:
            value = node[name]
            yield f"{path}{name}", value, declaration.holds(value), declaration.allowed


def _checks(cfg: Mapping) -> Iterator[tuple[str, Any, bool, str]]:
    """Yield (key, value, ok, allowed) for every range and cross-reference check."""
    region = cfg["region"]
    opgaven = set(region["opgaven"])
    councils = set(region["councils"])
    yield "region.councils", sorted(councils), len(councils) >= 2, "a region needs at least two councils"
    yield "region.opgaven", sorted(opgaven), len(opgaven) >= 1, "a region needs at least one opgave"
    for name, c in region["councils"].items():
        key = f"region.councils.{name}"
        yield from _ranges(c, CouncilConfig, f"{key}.")
        interests = set(c["interests"])
        yield (f"{key}.interests", sorted(interests), interests == opgaven,
               f"must give one weight for each of the region's opgaven {sorted(opgaven)}")
        for opgave, w in c["interests"].items():
            yield f"{key}.interests.{opgave}", w, _unit(w), "must be in [0, 1]"
    for name, o in region["opgaven"].items():
        key = f"region.opgaven.{name}"
        yield from _ranges(o, OpgaveConfig, f"{key}.")
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
            yield key, delta, _number(delta) and -1 <= delta <= 1, "must be a number in [-1, 1]"
    for group, cls in GROUPS.items():
        yield from _ranges(cfg[group], cls, f"{group}.")
    t = cfg["trust"]
    yield ("trust.gain * trust.fall_ratio", t["gain"] * t["fall_ratio"],
           t["gain"] * t["fall_ratio"] <= 1, "must be <= 1 (trust cannot fall by more than all of it)")
    yield ("trust.gain * (1 + trust.memory)", t["gain"] * (1 + t["memory"]),
           t["gain"] * (1 + t["memory"]) <= 1, "must be <= 1 (trust cannot rise past full trust)")
    yield from _ranges(cfg, SweepConfig, "")


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
    """Where ``key`` came from: the entry of ``sources`` for its longest dotted prefix (``""``: none).

    A check across keys (``trust.gain * trust.fall_ratio``) names each of them; the
    source is that of the key matched furthest, so a value swept in an experiment is
    blamed on the experiment, not on the file that set the other key.
    """
    found = []
    for name in re.findall(r"[A-Za-z_][\w.-]*", key):
        parts = name.split(".")
        found += [(n, sources[".".join(parts[:n])]) for n in range(len(parts), 0, -1)
                  if ".".join(parts[:n]) in sources][:1]
    return max(found, key=lambda match: match[0])[1] if found else ""


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
    for key in sorted(OmegaConf.missing_keys(cfg)) if isinstance(cfg, DictConfig) else ():
        raise ConfigError(key, NO_VALUE, "give it one (a region file needs name, councils and opgaven)",
                          sources.get(key.split(".")[0], ""))
    rule = rule_from_config(cfg["governance"])
    checks = chain(_unknown_keys(cfg), _finite(cfg), _checks(cfg), rule.checks())
    for key, value, ok, allowed in checks:
        if not ok:
            raise ConfigError(key, value, allowed, source_of(key, sources))
