"""The plan of a sweep: its scenario points, each composed and range-checked before the first job starts.

A sweep's scenario axes are the keys in ``hydra.sweeper.params`` (where an
experiment file puts them) and any key swept on the command line
(``key=a,b``). A point is one value per axis; its key, e.g.
``governance=mayoral,trust.initial=0.3``, names it and, with the base seed
``seed``, derives its replications' seeds. The plan is written to
``sweep.json`` in the sweep folder; aggregation reads it to know which
points to expect.

Composing a point as Hydra does costs about 0.05 s; points that differ only in
plain ``key=value`` settings share one composition of their group choices
(:class:`_Composer`), so planning a 2,000-point design takes seconds, not minutes.
Only Hydra's public API is used.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import json
import pickle
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hydra import compose
from hydra.core.config_loader import ConfigLoader
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf, open_dict, read_write
from omegaconf.errors import OmegaConfBaseException

from ijmond_sim import config
from ijmond_sim.config import config_sources, group_file
from ijmond_sim.errors import InputError
from ijmond_sim.model.governance import rule_from_config
from ijmond_sim.sweep import store
from ijmond_sim.sweep.provenance import code_sha256
from ijmond_sim.sweep.replicate import scenario_key

MANIFEST = "sweep.json"


@dataclass(frozen=True)
class Point:
    """One scenario point of a sweep.

    Attributes:
        key: the canonical name of the point, e.g. ``governance=mayoral,trust.initial=0.3``.
        scenario: the value of each axis at this point.
        base_seed: the sweep's base seed (``seed``).
        replications: runs at this point.
        fingerprint: SHA-256 of the point's resolved configuration.
        folder: the point's folder in the sweep folder (``hydra.sweep.subdir``), e.g.
            ``jobs/governance=mayoral,trust.initial=0.3``; its results file goes there.
    """

    key: str
    scenario: dict[str, Any]
    base_seed: int
    replications: int
    fingerprint: str
    folder: str = ""


@dataclass(frozen=True)
class Plan:
    """Every point of a sweep, in launch order.

    Attributes:
        experiment: the experiment's name (``experiments/<name>.yaml``).
        axes: the swept keys, in the order the sweeper varies them.
        points: the scenario points.
    """

    experiment: str
    axes: tuple[str, ...]
    points: tuple[Point, ...]

    @property
    def runs(self) -> int:
        """Runs in the whole sweep."""
        return sum(p.replications for p in self.points)

    @functools.cached_property
    def by_key(self) -> dict[str, Point]:
        """The points by their key."""
        return {p.key: p for p in self.points}


class PlanError(InputError):
    """A sweep point whose configuration is out of range; nothing has run."""


def sweep_overrides(master: DictConfig, loader: ConfigLoader | None = None) -> list[list[str]]:
    """The override list of every point of a multirun config, in the order Hydra's basic sweeper has them.

    The Cartesian product of the swept keys' values, the first key varying
    slowest; a key given twice keeps its first place and its last values.

    Args:
        master: the multirun config.
        loader: Hydra's config loader, for sweeps over the options of a group (``glob(*)``).
    """
    params = [f"{k}={v}" for k, v in (master.hydra.sweeper.params or {}).items()]
    parser = OverridesParser.create(config_loader=loader)
    choices: dict[str, list[str]] = {}
    for override in parser.parse_overrides([*params, *master.hydra.overrides.task]):
        key = override.get_key_element()
        if not override.is_sweep_override():
            choices[key] = [f"{key}={override.get_value_element_as_str()}"]
        elif override.is_discrete_sweep():
            choices[key] = [f"{key}={value}" for value in override.sweep_string_iterator()]
        else:
            raise PlanError(override.input_line, "a sweep over an interval",
                            "a list of values (a,b,c), choice(...) or range(...)")
    return [list(point) for point in itertools.product(*choices.values())]


def master_config(overrides: Sequence[str]) -> DictConfig:
    """The multirun config that ``ijmond-sweep <overrides>`` starts from, composed in-process.

    Call it where Hydra is initialised (``initialize_config_module``) with the sweep schema.
    Hydra's compose API runs no sweeps, so sweep overrides (``key=a,b``) are kept
    where the command line keeps them: in ``hydra.overrides.task``.
    """
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    master = compose("sweep", overrides=[o.input_line for o in parsed if not o.is_sweep_override()],
                     return_hydra_config=True)
    with read_write(master.hydra):
        master.hydra.overrides.task = list(overrides)
    return master


def axes_of(master: DictConfig) -> tuple[str, ...]:
    """The swept keys of a multirun config: those in ``hydra.sweeper.params``, then command-line sweeps."""
    params = [f"{k}={v}" for k, v in (master.hydra.sweeper.params or {}).items()]
    parser = OverridesParser.create()
    keys = [o.key_or_group for o in parser.parse_overrides(params)]
    keys += [o.key_or_group for o in parser.parse_overrides(list(master.hydra.overrides.task))
             if o.is_sweep_override()]
    return tuple(dict.fromkeys(keys))


def scenario_values(cfg: DictConfig, choices: Mapping[str, Any], axes: Sequence[str]) -> dict[str, Any]:
    """The value of each axis in a composed config: the chosen option of a group, else the key's value.

    Values come from the typed config, so ``trust.initial=1`` and ``trust.initial=1.0`` are one point.
    """
    values = {}
    for axis in axes:
        value = choices[axis] if axis in choices else OmegaConf.select(cfg, axis)
        values[axis] = OmegaConf.to_container(value, resolve=True) if OmegaConf.is_config(value) else value
    return values


def _digest(plain: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint(cfg: DictConfig) -> str:
    """SHA-256 of a job's resolved configuration, as its task function sees it (no ``hydra`` node)."""
    return _digest(OmegaConf.to_container(cfg, resolve=True))


def _task_config(job_cfg: DictConfig) -> DictConfig:
    """A job's config as its task function sees it: Hydra's node removed."""
    task = copy.deepcopy(job_cfg)
    with read_write(task), open_dict(task):
        del task["hydra"]
    return task


def _sources(master: DictConfig, job_cfg: DictConfig) -> dict[str, str]:
    """Where each key of a sweep point came from, for error messages (looked up by ``source_of``)."""
    hydra_cfg = copy.deepcopy(job_cfg.hydra)
    with read_write(hydra_cfg):
        hydra_cfg.overrides.task = list(master.hydra.overrides.task)
    experiment = experiment_file(hydra_cfg.runtime.choices.experiment, hydra_cfg)
    sources = {top: f"{where} or {experiment}" for top, where in config_sources(hydra_cfg).items()}
    sources["replications"] = f"{experiment} or conf/sweep.yaml"
    on_command_line = {o.lstrip("+~").split("=", 1)[0] for o in master.hydra.overrides.task}
    for key in master.hydra.sweeper.params or {}:
        if key not in on_command_line:  # a command-line sweep of the same key replaces the experiment's
            sources[key] = f"hydra.sweeper.params of {experiment}"
    for override in master.hydra.overrides.task:  # a whole value given on the command line: it alone
        key = override.lstrip("+~").split("=", 1)[0]
        if key in ("replications", "seed", "years"):
            sources[key] = f"the command-line override '{override}'"
    return sources


def check_shared(master: DictConfig) -> None:
    """Range-check what every point shares (the multirun config, no axis applied), before composing a point.

    Raises:
        PlanError: naming the file or command-line override, the key and what is allowed.
    """
    try:
        config.validate(_task_config(master))
    except config.ConfigError as error:
        source = _sources(master, master).get(error.key.split(".")[0], "")
        raise PlanError(error.source or source, error.statement, error.allowed) from None


def experiment_file(choice: str, hydra_cfg: DictConfig) -> str:
    """The file of the experiment ``choice``: a user's search path, else ``experiments/``."""
    experiment = group_file("experiment", choice, hydra_cfg)
    if experiment == f"conf/experiment/{choice}.yaml":  # conf/experiment is a link to experiments/
        return f"experiments/{choice}.yaml"
    return experiment


def overrides_dirname(overrides: Sequence[Override], spec: Any) -> str:
    """``hydra.job.override_dirname`` of a job with these (task) overrides, as Hydra names it.

    The overrides' text, sorted, without the excluded keys, joined by
    ``item_sep``, each ``=`` replaced by ``kv_sep``.

    Args:
        overrides: the job's overrides, parsed.
        spec: ``hydra.job.config.override_dirname`` (``kv_sep``, ``item_sep``, ``exclude_keys``).
    """
    lines = sorted(o.input_line for o in overrides if o.key_or_group not in spec.exclude_keys)
    return spec.item_sep.join(lines).replace("=", spec.kv_sep)


Setting = tuple[str, Any]


@dataclass
class Recipes:
    """The task config of every point of a plan, kept as a few shared configs and each point's settings.

    A point's config is its shared config (``bases``) with its plain
    ``key=value`` settings set on it, in order, in place: the points of one
    shared config set the same keys, so each point overwrites the last one's
    values, and no config is copied per point. A setting whose value is
    already in place (the same type and value) is not set again.

    Attributes:
        bases: the shared task configs (Hydra's node removed).
        steps: per point, in plan order: the index of its shared config and its settings.
        plains: per shared config, its resolved values (``OmegaConf.to_container(resolve=True)``)
            before any setting, or None if a value in it interpolates another.
    """

    bases: list[DictConfig]
    steps: list[tuple[int, tuple[Setting, ...]]]
    plains: list[dict[str, Any] | None]
    in_place: dict[int, dict[str, tuple[type, Any]]] = field(default_factory=dict, repr=False)

    def add_base(self, task: DictConfig) -> int:
        """Keep ``task`` as a shared config; its index."""
        raw = OmegaConf.to_container(task, resolve=False)
        self.bases.append(task)
        self.plains.append(None if _has_interpolation(raw) else OmegaConf.to_container(task, resolve=True))
        return len(self.bases) - 1

    def task(self, index: int) -> DictConfig:
        """The task config of point ``index``: valid until the next call (it is shared); do not change it."""
        base, settings = self.steps[index]
        cfg, now = self.bases[base], self.in_place.setdefault(base, {})
        for key, value in settings:
            if now.get(key) != (type(value), value):
                now.pop(key, None)  # unknown until set: a failed update leaves it so
                OmegaConf.update(cfg, key, value, merge=True)
                now[key] = (type(value), value)
        return cfg

    def resolved(self, index: int) -> tuple[DictConfig, dict[str, Any]]:
        """The task config of point ``index`` (as :meth:`task`) and its resolved values.

        The values are those ``OmegaConf.to_container(resolve=True)`` gives, built
        from the shared config's by setting the point's typed values on a copy of
        the dicts on their paths, unless values interpolate others.
        """
        cfg = self.task(index)
        base, settings = self.steps[index]
        plain = self.plains[base]
        for key, _ in settings:
            plain = None if plain is None else _with_setting(plain, key, OmegaConf.select(cfg, key))
        return cfg, plain if plain is not None else OmegaConf.to_container(cfg, resolve=True)

    def subset(self, indices: Sequence[int]) -> Recipes:
        """The recipes of the points ``indices`` only (what a batch of them needs), in that order.

        Its shared configs are copies: setting values in one never changes the other (copied
        through pickle, as a batch file holds them: a fifth of the time of a deep copy).
        """
        used = list({self.steps[i][0]: None for i in indices})
        renumber = {old: new for new, old in enumerate(used)}
        bases = pickle.loads(pickle.dumps([self.bases[old] for old in used], pickle.HIGHEST_PROTOCOL))
        return Recipes(bases=bases,
                       steps=[(renumber[self.steps[i][0]], self.steps[i][1]) for i in indices],
                       plains=[self.plains[old] for old in used],
                       in_place={renumber[old]: dict(self.in_place.get(old, {})) for old in used})


def _has_interpolation(node: Any) -> bool:
    """Whether a plain (unresolved) container holds an interpolation ``${...}`` anywhere."""
    if isinstance(node, dict):
        return any(_has_interpolation(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_interpolation(v) for v in node)
    return isinstance(node, str) and "${" in node


def _with_setting(plain: dict[str, Any], key: str, value: Any) -> dict[str, Any] | None:
    """``plain`` with dotted ``key`` set to ``value``, copying only the dicts on its path; None if no key."""
    parts = key.split(".")
    out = node = dict(plain)
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            return None
        node[part] = dict(node[part])
        node = node[part]
    if parts[-1] not in node:
        return None
    node[parts[-1]] = value
    return out


@dataclass
class _Shared:
    """One combination of group choices: its composed config and what every point of it starts from."""

    job_cfg: DictConfig
    base: int
    rule: Any
    choices: dict[str, Any]
    dirname: SimpleNamespace  # hydra.job.config.override_dirname, as plain values
    template: str | None  # hydra.sweep.subdir, if it uses nothing but hydra.job.override_dirname and .num


class _Composer:
    """Composes sweep points as Hydra's launchers do, composing each combination of group choices once.

    Hydra builds a job's config from its defaults list (the group choices),
    then sets the plain ``key=value`` overrides on the result, in order, with
    ``OmegaConf.update`` (merging, type-checked by the schema). Points that
    differ only in plain scalar values share the first, costly step (~0.05 s)
    and have their values set the same way on a shared config
    (:class:`Recipes`). The first point of each combination is also composed
    in full, compared and checked in full; should the two ever differ, every
    later point is composed in full, as is a point that adds (``+``) or
    deletes (``~``) keys or sets a whole node. The later points of a
    combination are range-checked on their resolved values (a plain setting
    cannot add an unknown key) with the combination's governance rule, unless
    they set a ``governance`` key.
    """

    def __init__(self, master: DictConfig, loader: ConfigLoader) -> None:
        self.master, self.loader = master, loader
        self.parser = OverridesParser.create(config_loader=loader)
        self.parsed: dict[str, Override] = {}
        self.shared: dict[tuple[str, ...], _Shared] = {}
        self.groups: dict[str, bool] = {}
        self.recipes = Recipes(bases=[], steps=[], plains=[])
        self.shortcut = True

    def parse(self, overrides: Sequence[str]) -> list[Override]:
        """The overrides, parsed (each distinct text once: parsing costs ~2 ms)."""
        for line in overrides:
            if line not in self.parsed:
                self.parsed[line] = self.parser.parse_overrides([line])[0]
        return [self.parsed[line] for line in overrides]

    def _is_group(self, key: str) -> bool:
        if key not in self.groups:
            self.groups[key] = bool(self.loader.get_group_options(key, results_filter=None))
        return self.groups[key]

    def _is_value(self, override: Override) -> bool:
        """Whether Hydra sets ``override`` on the composed config rather than choosing a group option."""
        return override.package is None and (isinstance(override.value(), dict)
                                              or not self._is_group(override.key_or_group))

    def _in_full(self, overrides: Sequence[str], parsed: Sequence[Override], number: int
                 ) -> tuple[DictConfig, dict[str, Any], str, dict[str, Any]]:
        """A point composed and checked in full, kept as a shared config of its own."""
        job_cfg = self.loader.load_sweep_config(self.master, list(overrides))
        self.recipes.steps.append((self.recipes.add_base(_task_config(job_cfg)), ()))
        task, resolved = self.recipes.resolved(len(self.recipes.steps) - 1)
        config.validate(task)
        folder = point_folder(job_cfg, parsed, number)
        return task, resolved, folder, OmegaConf.to_container(job_cfg.hydra.runtime.choices)

    def _share(self, groups: tuple[str, ...]) -> _Shared:
        job_cfg = self.loader.load_sweep_config(self.master, list(groups))
        task = _task_config(job_cfg)
        subdir = OmegaConf.to_container(job_cfg.hydra.sweep, resolve=False)["subdir"]
        uses = set(re.findall(r"\$\{([^}]*)\}", subdir))
        dirname = OmegaConf.to_container(job_cfg.hydra.job.config.override_dirname)
        return _Shared(job_cfg=job_cfg, base=self.recipes.add_base(task),
                       rule=rule_from_config(task.governance),
                       choices=OmegaConf.to_container(job_cfg.hydra.runtime.choices),
                       dirname=SimpleNamespace(**dirname),
                       template=subdir if uses <= {"hydra.job.override_dirname", "hydra.job.num"} else None)

    def compose(self, overrides: Sequence[str], number: int
                ) -> tuple[DictConfig, dict[str, Any], str, dict[str, Any]]:
        """Point ``number``: its task config (shared: use it before the next), values, folder, group choices.

        Raises:
            config.ConfigError: if the point is out of range.
        """
        parsed = self.parse(overrides)
        values = [o for o in parsed if self._is_value(o)]
        plain = all(not (o.is_add() or o.is_force_add() or o.is_delete()) and not isinstance(
            o.value(), dict | list) for o in values)
        if not (self.shortcut and plain):
            return self._in_full(overrides, parsed, number)
        groups = tuple(o.input_line for o in parsed if not self._is_value(o))
        first = groups not in self.shared
        if first:
            self.shared[groups] = self._share(groups)
        shared = self.shared[groups]
        settings = tuple((o.key_or_group, o.value()) for o in values)
        self.recipes.steps.append((shared.base, settings))
        try:
            task, resolved = self.recipes.resolved(len(self.recipes.steps) - 1)
        except OmegaConfBaseException:  # Hydra's own composition says what is wrong, in its words
            self.recipes.steps.pop()
            return self._in_full(overrides, parsed, number)
        if first:
            full = _task_config(self.loader.load_sweep_config(self.master, list(overrides)))
            if fingerprint(full) != _digest(resolved):
                self.shortcut = False
                self.recipes.steps.pop()
                return self._in_full(overrides, parsed, number)
            config.validate(task)
        else:
            touches_rule = any(key.split(".")[0] == "governance" for key, _ in settings)
            config.validate({**resolved, "governance": task.governance if touches_rule else shared.rule})
        if shared.template is None:
            for key, value in settings:
                OmegaConf.update(shared.job_cfg, key, value, merge=True)
            folder = point_folder(shared.job_cfg, parsed, number)
        else:
            folder = shared.template.replace(
                "${hydra.job.override_dirname}", overrides_dirname(parsed, shared.dirname)).replace(
                "${hydra.job.num}", str(number))
        return task, resolved, folder, shared.choices


def point_folder(job_cfg: DictConfig, overrides: Sequence[Override], number: int) -> str:
    """The folder of a point in the sweep folder: ``hydra.sweep.subdir`` as Hydra resolves it for its job.

    Args:
        job_cfg: the point's composed config, Hydra's node included (changed: its job's number and
            ``override_dirname`` are set).
        overrides: the point's overrides, parsed.
        number: the point's place in the sweep (``hydra.job.num``).
    """
    with read_write(job_cfg.hydra), open_dict(job_cfg.hydra):
        job_cfg.hydra.job.override_dirname = overrides_dirname(overrides,
                                                               job_cfg.hydra.job.config.override_dirname)
        job_cfg.hydra.job.num = number
    return str(job_cfg.hydra.sweep.subdir)


def compose_plan(master: DictConfig, loader: ConfigLoader) -> tuple[Plan, Recipes]:
    """Compose and range-check every point of a multirun config: the plan, and each point's task config.

    Args:
        master: the multirun config (with its ``hydra`` node).
        loader: Hydra's config loader, as the launcher uses it.

    Raises:
        PlanError: for the first point out of range, naming the point, key, file and what is allowed;
            or if two points have the same scenario.
    """
    check_shared(master)
    axes = axes_of(master)
    composer = _Composer(master, loader)
    points = []
    for number, overrides in enumerate(sweep_overrides(master, loader)):
        try:
            task, resolved, folder, choices = composer.compose(overrides, number)
        except config.ConfigError as error:
            job_cfg = loader.load_sweep_config(master, list(overrides))  # with its overrides, for _sources
            key = scenario_key(scenario_values(_task_config(job_cfg), job_cfg.hydra.runtime.choices, axes))
            source = config.source_of(error.key, _sources(master, job_cfg))
            raise PlanError(error.source or source, f"sweep point {key}: {error.statement}",
                            error.allowed) from None
        scenario = scenario_values(task, choices, axes)
        points.append(Point(key=scenario_key(scenario), scenario=scenario, base_seed=resolved["seed"],
                            replications=resolved["replications"], fingerprint=_digest(resolved),
                            folder=folder))
    keys = [p.key for p in points]
    if len(set(keys)) != len(keys):
        same = max(keys, key=keys.count)
        raise PlanError("the swept keys", f"two sweep points have the same scenario {same}",
                        "each point needs its own values of the swept keys")
    experiment = master.hydra.runtime.choices.experiment
    return Plan(experiment=experiment, axes=axes, points=tuple(points)), composer.recipes


def make_plan(master: DictConfig, loader: ConfigLoader) -> Plan:
    """The plan of a multirun config, every point composed and range-checked (see :func:`compose_plan`)."""
    return compose_plan(master, loader)[0]


def write_manifest(sweep_dir: Path, plan: Plan) -> None:
    """Write the plan to ``sweep.json`` in ``sweep_dir`` (atomically, with a checksum)."""
    store.write(Path(sweep_dir) / MANIFEST, {"kind": "sweep plan", **asdict(plan)})


def read_manifest(sweep_dir: Path) -> Plan:
    """The plan of the sweep in ``sweep_dir``.

    Raises:
        FileNotFoundError: if ``sweep_dir`` holds no ``sweep.json`` (not a sweep folder).
        store.CorruptResults: if ``sweep.json`` is damaged.
    """
    body = store.read(Path(sweep_dir) / MANIFEST)
    return Plan(experiment=body["experiment"], axes=tuple(body["axes"]),
                points=tuple(Point(**p) for p in body["points"]))


def holds_results_of(body: Mapping[str, Any], point: Point) -> bool:
    """Whether a job's results body holds complete results of ``point``, for its resolved configuration."""
    return (body.get("kind") == "job results" and body.get("status") == "complete"
            and body.get("key") == point.key and body.get("fingerprint") == point.fingerprint)


def is_current(body: Mapping[str, Any], point: Point) -> bool:
    """Whether a job's results are those this code would compute for ``point`` (so its job can skip).

    Complete, for the same resolved configuration (fingerprint) and the same
    code (:func:`ijmond_sim.sweep.provenance.code_sha256`): a sweep resumed after the
    code changed runs every point again rather than mix two versions of the model.
    """
    return holds_results_of(body, point) and body["provenance"].get("code_sha256") == code_sha256()
