"""The Python API: run the model from code under any rule and parameters; list its uncertain parameters.

Three calls serve a researcher's own scripts and the field's tools (Mesa's
``batch_run``, EMA Workbench, SALib)::

    import ijmond_sim
    runs = ijmond_sim.simulate(rule="binding", initial_trust=0.3, replications=10)
    ijmond_sim.mean_outcomes(runs)["completion_rate"]

* :func:`simulate` runs a scenario ``replications`` times and returns one run
  summary (a flat dict of plain numbers and short strings) per run;
  :func:`mean_outcomes` averages them.
* :func:`parameters` lists the uncertain parameters: their short names, the
  config keys they set, ranges, units, sources and defaults.
* :func:`sweep_point` gives the scenario point and config that :func:`simulate`
  runs, to run it through the sweep engine instead (``ijmond-discover`` does).
* ``RegionModel(rule=..., initial_trust=...)`` builds the model from keyword
  parameters (:func:`scenario` does the work), so ``mesa.batch_run`` drives it.

A parameter is named by its short name (``initial_trust``, declared in
:mod:`ijmond_sim.model.parameters`; a region's in ``conf/uncertainties.yaml``) or
by any dotted config key (``trust.initial``, ``governance.quota``,
``region.councils.Uitgeest.capacity``); numpy scalars are taken as plain numbers.
Defaults are those of ``conf/``: each governance rule and region is composed
with Hydra once per process (~0.2 s) and cached; a call then copies plain data,
sets the parameters, range-checks them (:func:`ijmond_sim.config.validate`) and runs.
"""

from __future__ import annotations

import functools
import logging
import math
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ijmond_sim import config
from ijmond_sim.model.governance import GovernanceRule, rule_from_config
from ijmond_sim.model.parameters import declared
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.measures import names_of
from ijmond_sim.sweep.replicate import replication_seeds, run_replications, scenario_key

UNCERTAINTIES_FILE = "conf/uncertainties.yaml"
_VOLUNTARY = "<voluntary>"
_UNRECORDED = {"collect": False}  # simulate's runs keep no per-month records


class UnknownParameter(ValueError):
    """A parameter name that is neither a short name of :func:`parameters` nor a config key."""


@dataclass(frozen=True)
class Parameter:
    """An uncertain model parameter and the range exploratory studies sample.

    Attributes:
        name: the short name, accepted by :func:`simulate` and ``RegionModel`` as a keyword.
        keys: the dotted config keys it sets, all to the same value.
        low: lower end of the range.
        high: upper end of the range.
        unit: what the number measures.
        source: why the range is what it is (report sections).
        default: its value in ``conf/`` (the first key's, for the region asked about).
        integer: whether it is a whole number (months); sampled values are rounded.
    """

    name: str
    keys: tuple[str, ...]
    low: float
    high: float
    unit: str
    source: str
    default: Any
    integer: bool = False


@functools.cache
def default_choices() -> dict[str, str]:
    """The default option of the groups ``region`` and ``governance``, read from ``conf/config.yaml``."""
    text = (files("ijmond_sim.conf") / "config.yaml").read_text()
    defaults = yaml.safe_load(text)["defaults"]
    return {k: v for entry in defaults if isinstance(entry, dict) for k, v in entry.items()}


@dataclass(frozen=True)
class _Base:
    """One composed default config, kept as a typed node (for governance keys) and as plain data."""

    cfg: DictConfig
    plain: dict[str, Any]
    rule: GovernanceRule


@functools.cache
def _base(rule: str, region: str, overrides: tuple[str, ...] = ()) -> _Base:
    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = config.compose([f"governance={rule}", f"region={region}", *overrides])
    plain = OmegaConf.to_container(cfg, resolve=True)
    return _Base(cfg=cfg, plain=plain, rule=rule_from_config(cfg.governance))


def _choices(rule: str | None, region: str | None) -> tuple[str, str]:
    defaults = default_choices()
    return (str(rule) if rule is not None else defaults["governance"],
            str(region) if region is not None else defaults["region"])


def composed(rule: str | None = None, region: str | None = None, overrides: Sequence[str] = ()) -> DictConfig:
    """A copy of the composed config of ``rule`` and ``region`` (the defaults of ``conf/`` if None).

    Composed with Hydra once per process and argument set, then copied (through pickle: a
    fifth of the time of ``DictConfig.copy``, the same config).

    Args:
        rule: a governance rule key (``optional``, ``mayoral``, ``binding``).
        region: a region file of ``conf/region/`` (``ijmond``).
        overrides: further Hydra overrides, e.g. ``["years=20"]``.
    """
    rule, region = _choices(rule, region)
    return pickle.loads(pickle.dumps(_base(rule, region, tuple(overrides)).cfg, pickle.HIGHEST_PROTOCOL))


@functools.cache
def _uncertainties() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((files("ijmond_sim.conf") / "uncertainties.yaml").read_text())


def _lookup(plain: Mapping[str, Any], key: str) -> Any:
    node: Any = plain
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def _expand(keys: Sequence[str], plain: Mapping[str, Any]) -> tuple[str, ...]:
    """The config keys of an uncertainty in one region: ``<voluntary>`` becomes each voluntary opgave."""
    voluntary = [name for name, o in plain["region"]["opgaven"].items() if not o["statutory"]]
    out: list[str] = []
    for key in keys:
        out += [key.replace(_VOLUNTARY, name) for name in voluntary] if _VOLUNTARY in key else [key]
    return tuple(out)


def _explored() -> list[tuple[str, dict[str, Any]]]:
    """The explored parameters: the model's from their declarations, then the region's of the file."""
    model = [(p.name, {"keys": [p.key], "range": p.declaration.explore, "unit": p.declaration.unit,
                       "source": p.declaration.why, "integer": p.integer})
             for p in declared() if p.declaration.explore is not None]
    return model + list(_uncertainties().items())


def parameters(region: str | None = None, rule: str | None = None) -> list[Parameter]:
    """The uncertain parameters, with their defaults from ``conf/``.

    The model's parameters that declare an explored range (:mod:`ijmond_sim.model.parameters`),
    in their order, then the region's of ``conf/uncertainties.yaml``. Parameters whose keys
    the region lacks (a council it does not have) are left out.

    Args:
        region: a region file of ``conf/region/``; the default region if None.
        rule: the governance rule whose config supplies the defaults; the default rule if None.

    Returns:
        One :class:`Parameter` per uncertainty.
    """
    plain = _base(*_choices(rule, region)).plain
    out = []
    for name, entry in _explored():
        keys = _expand(entry["keys"], plain)
        try:
            default = _lookup(plain, keys[0])
            for key in keys[1:]:
                _lookup(plain, key)
        except (KeyError, IndexError):
            continue
        low, high = entry["range"]
        out.append(Parameter(name=name, keys=keys, low=low, high=high, unit=entry["unit"],
                             source=entry["source"], default=default, integer=entry.get("integer", False)))
    return out


def _plain_value(value: Any) -> Any:
    """A numpy scalar as the Python number it holds; anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value


def _typed(key: str, value: Any, current: Any) -> Any:
    """``value`` as the type of the config value it replaces, or a ConfigError naming the key."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(current, bool):
        ok, wanted = isinstance(value, bool), "must be true or false"
    elif isinstance(current, int):
        ok = number and float(value).is_integer()
        value, wanted = (int(value) if ok else value), "must be a whole number"
    elif isinstance(current, float):
        ok = number
        value, wanted = (float(value) if ok else value), "must be a number"
    elif isinstance(current, str):
        ok, wanted = isinstance(value, str), "must be a string"
    else:
        ok, wanted = False, "is a group of keys: set its entries one by one"
    if not ok:
        raise config.ConfigError(key, value, wanted, "the keyword parameters")
    return value


def settings(parameters: Mapping[str, Any], rule: str | None = None, region: str | None = None
             ) -> dict[str, Any]:
    """The dotted config keys and plain values that keyword ``parameters`` set.

    Args:
        parameters: short names of :func:`parameters` or dotted config keys, to values
            (numpy scalars are taken as plain numbers; integer uncertainties are rounded).
        rule: the governance rule whose keys ``governance.*`` name (the default rule if None).
        region: the region the names refer to (the default region if None).

    Returns:
        ``{dotted key: value}``, each value of the type of the config value it replaces.

    Raises:
        UnknownParameter: a name that is neither a short name nor a config key.
        ijmond_sim.config.ConfigError: a value of the wrong type.
    """
    rule, region = _choices(rule, region)
    plain = _base(rule, region).plain
    short = {p.name: p for p in parameters_of(region)}
    out: dict[str, Any] = {}
    for name, value in parameters.items():
        value = _plain_value(value)
        if name in short:
            keys = short[name].keys
            if short[name].integer and isinstance(value, float) and math.isfinite(value):
                value = round(value)
        else:
            keys = (name,)
        for key in keys:
            try:
                current = _lookup(plain, key)
            except KeyError:
                raise UnknownParameter(
                    f"unknown parameter {name!r}: give a short name ({', '.join(short)}) "
                    f"or a dotted config key such as 'trust.initial' ({UNCERTAINTIES_FILE}, conf/)"
                ) from None
            if key == "governance" or key.split(".")[0] == "seed":
                raise UnknownParameter(f"{name!r} is an argument of its own (rule=, seed=), not a parameter")
            out[key] = _typed(key, value, current)
    return out


@functools.cache
def parameters_of(region: str) -> tuple[Parameter, ...]:
    """:func:`parameters` of ``region`` under the default rule, cached (names do not depend on the rule)."""
    return tuple(parameters(region))


@functools.lru_cache(maxsize=4096)
def _scenario(rule: str, region: str, items: tuple[tuple[str, Any], ...]) -> Scenario:
    base = _base(rule, region)
    plain = dict(base.plain)  # copied along each key's path below; the cached base stays as it is
    governance = {k.removeprefix("governance."): v for k, v in items if k.startswith("governance.")}
    plain["governance"] = base.rule
    if governance:
        node = base.cfg.governance.copy()
        try:
            for key, value in governance.items():
                OmegaConf.update(node, key, value, merge=False)
            plain["governance"] = rule_from_config(node)
        except OmegaConfBaseException as error:
            raise config.ConfigError(f"governance.{key}", value, str(error).splitlines()[0],
                                     "the keyword parameters") from None
    for key, value in items:
        if not key.startswith("governance."):
            *path, last = key.split(".")
            node = plain
            for part in path:
                node[part] = dict(node[part])
                node = node[part]
            node[last] = value
    config.validate(plain)
    return Scenario.from_config(plain)


def scenario(rule: str | None = None, region: str | None = None, **parameters: Any) -> Scenario:
    """The scenario of a governance rule, a region and keyword parameters, range-checked.

    The same arguments give the same (cached, immutable) scenario object.

    Args:
        rule: a governance rule key; the default of ``conf/`` if None.
        region: a region file of ``conf/region/``; the default of ``conf/`` if None.
        **parameters: short names of :func:`parameters` or dotted config keys (see :func:`settings`).

    Raises:
        UnknownParameter: a name that is neither a short name nor a config key.
        ijmond_sim.config.ConfigError: a value of the wrong type or out of range.
    """
    rule, region = _choices(_plain_value(rule), _plain_value(region))
    return _scenario(rule, region, tuple(sorted(settings(parameters, rule, region).items())))



def simulate(rule: str | None = None, region: str | None = None, *, seed: int | None = None,
             replications: int = 1, **parameters: Any) -> list[dict[str, Any]]:
    """Run a scenario ``replications`` times in this process; one run summary per run.

    The seeds derive from ``seed`` and the scenario exactly as in ``ijmond-sweep``: a
    call with ``rule`` and parameters ``p`` gives the runs of the sweep point whose
    axes are ``governance`` and the keys of ``p`` (and ``region``, if not the default).

    Args:
        rule: a governance rule key (``optional``, ``mayoral``, ``binding``); the default if None.
        region: a region file of ``conf/region/``; the default (``ijmond``) if None.
        seed: the base seed; ``seed`` of ``conf/config.yaml`` if None.
        replications: runs, each with its own derived seed.
        **parameters: short names of :func:`parameters` (``initial_trust=0.3``) or dotted
            config keys (``**{"governance.quota": 1.0}``); numpy scalars are welcome.

    Returns:
        One dict per run: ``replication``, ``seed`` and every outcome measure of
        :func:`ijmond_sim.run.measures.run_summary`, plus mean trust at the end of each year.

    Raises:
        UnknownParameter: a name that is neither a short name nor a config key.
        ijmond_sim.config.ConfigError: a value of the wrong type or out of range.
    """
    rule, region = _choices(_plain_value(rule), _plain_value(region))
    chosen = settings(parameters, rule, region)
    replications = int(_plain_value(replications))
    if replications < 1:
        raise config.ConfigError("replications", replications, "must be >= 1", "the keyword parameters")
    base_seed = int(_plain_value(seed)) if seed is not None else _base(rule, region).plain["seed"]
    world = _scenario(rule, region, tuple(sorted({**chosen, **_UNRECORDED}.items())))
    return run_replications(world, replication_seeds(base_seed, scenario_key(_point(rule, region, chosen)),
                                                     replications))


def _point(rule: str, region: str, chosen: Mapping[str, Any]) -> dict[str, Any]:
    """The sweep point of a rule, region and dotted settings: its axes and values, region if not default."""
    point = {"governance": rule, **chosen}
    if region != default_choices()["region"]:
        point["region"] = region
    return point


def sweep_point(rule: str | None = None, region: str | None = None, **parameters: Any
                ) -> tuple[dict[str, Any], DictConfig]:
    """The sweep point that :func:`simulate` runs for these arguments, and its config, to run it elsewhere.

    Run through :func:`ijmond_sim.sweep.engine.run_designed` with the same base
    seed, the point gives the runs :func:`simulate` gives, bit for bit.

    Args:
        rule: a governance rule key; the default of ``conf/`` if None.
        region: a region file of ``conf/region/``; the default of ``conf/`` if None.
        **parameters: short names of :func:`parameters` or dotted config keys (see :func:`settings`).

    Returns:
        The point (``governance``, the dotted keys set and ``region`` if not the default; its
        :func:`scenario_key` is the name the seeds derive from) and its composed,
        range-checked config, without per-month records, as :func:`simulate` runs it.

    Raises:
        UnknownParameter: a name that is neither a short name nor a config key.
        ijmond_sim.config.ConfigError: a value of the wrong type or out of range.
    """
    rule, region = _choices(_plain_value(rule), _plain_value(region))
    chosen = settings(parameters, rule, region)
    world = {**chosen, **_UNRECORDED}
    _scenario(rule, region, tuple(sorted(world.items())))  # range-checked as simulate checks it
    cfg = composed(rule, region)
    for key, value in world.items():
        OmegaConf.update(cfg, key, value, merge=False)
    return _point(rule, region, chosen), cfg


def mean_outcomes(runs: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """The mean of every numeric outcome over ``runs`` (runs where it is undefined left out).

    Undefined values (a rate of nothing, no council turned away) are NaN or None and
    are skipped; a measure undefined in every run is NaN. The names of the councils
    that turned away become ``turned_away_share``, the share of runs in which any did.

    Args:
        runs: run summaries, e.g. from :func:`simulate`.

    Returns:
        ``{measure: mean}``, without ``replication`` and ``seed``.
    """
    if not runs:
        raise ValueError("no runs to average")
    out: dict[str, float] = {}
    for key in runs[0]:
        if key in ("replication", "seed"):
            continue
        values = [run[key] for run in runs]
        if key == "turned_away":
            out["turned_away_share"] = float(np.mean([bool(names_of(v)) for v in values]))
            continue
        numbers = [float(v) for v in values if isinstance(v, int | float) and not math.isnan(v)]
        out[key] = float(np.mean(numbers)) if numbers else float("nan")
    return out
