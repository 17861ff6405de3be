"""The plan of a sweep: its scenario points, each composed and range-checked before the first job starts.

A sweep's scenario axes are the keys in ``hydra.sweeper.params`` (where an
experiment file puts them) and any key swept on the command line
(``key=a,b``). A point is one value per axis; its key, e.g.
``governance=mayoral,trust.initial=0.3``, names it and, with the base seed
``seed``, derives its replications' seeds. The plan is written to
``sweep.json`` in the sweep folder; each job finds its point there, and
aggregation reads it to know which points to expect.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hydra import compose
from hydra._internal.config_loader_impl import ConfigLoaderImpl
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.config_loader import ConfigLoader
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from ijmond_sim import config
from ijmond_sim.config import config_sources, group_file
from ijmond_sim.errors import InputError
from ijmond_sim.sweep import store
from ijmond_sim.sweep.provenance import code_sha256
from ijmond_sim.sweep.replicate import scenario_key

MANIFEST = "sweep.json"


@dataclass(frozen=True)
class Point:
    """One scenario point of a sweep: one Hydra job.

    Attributes:
        key: the canonical name of the point, e.g. ``governance=mayoral,trust.initial=0.3``.
        scenario: the value of each axis at this point.
        base_seed: the sweep's base seed (``seed``).
        replications: runs at this point.
        fingerprint: SHA-256 of the point's resolved configuration.
    """

    key: str
    scenario: dict[str, Any]
    base_seed: int
    replications: int
    fingerprint: str


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
    """The override list of every job of a multirun config, in the order the basic sweeper launches them.

    Args:
        master: the multirun config.
        loader: Hydra's config loader, for sweeps over the options of a group (``glob(*)``).
    """
    params = [f"{k}={v}" for k, v in (master.hydra.sweeper.params or {}).items()]
    parser = OverridesParser.create(config_loader=loader)
    parsed = parser.parse_overrides([*params, *master.hydra.overrides.task])
    return BasicSweeper.split_arguments(parsed, None)[0]


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


def fingerprint(cfg: DictConfig) -> str:
    """SHA-256 of a job's resolved configuration, as its task function sees it (no ``hydra`` node)."""
    plain = OmegaConf.to_container(cfg, resolve=True)
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()


def _task_config(job_cfg: DictConfig) -> DictConfig:
    """A job's config as its task function sees it: Hydra's node removed."""
    task = copy.deepcopy(job_cfg)
    with read_write(task), open_dict(task):
        del task["hydra"]
    return task


def _sources(master: DictConfig, job_cfg: DictConfig) -> dict[str, str]:
    """Where each top-level key of a sweep point came from, for error messages."""
    hydra_cfg = copy.deepcopy(job_cfg.hydra)
    with read_write(hydra_cfg):
        hydra_cfg.overrides.task = list(master.hydra.overrides.task)
    experiment = experiment_file(hydra_cfg.runtime.choices.experiment, hydra_cfg)
    sources = {top: f"{where} or {experiment}" for top, where in config_sources(hydra_cfg).items()}
    sources["replications"] = f"{experiment} or conf/sweep.yaml"
    on_command_line = {o.lstrip("+~").split("=", 1)[0] for o in master.hydra.overrides.task}
    for key in master.hydra.sweeper.params or {}:
        if key not in on_command_line:  # a command-line sweep of the same key replaces the experiment's
            sources[key.split(".")[0]] = f"hydra.sweeper.params of {experiment}"
    return sources


def experiment_file(choice: str, hydra_cfg: DictConfig) -> str:
    """The file of the experiment ``choice``: a user's search path, else ``experiments/``."""
    experiment = group_file("experiment", choice, hydra_cfg)
    if experiment == f"conf/experiment/{choice}.yaml":  # conf/experiment is a link to experiments/
        return f"experiments/{choice}.yaml"
    return experiment


class _Composer:
    """Composes sweep points as the launcher will, composing each combination of group choices once.

    Hydra builds a job's config from its defaults list (the group choices),
    then sets the plain ``key=value`` overrides on the result, in order
    (``ConfigLoaderImpl._apply_overrides_to_config``). Points that differ only
    in plain values share the first, costly step (~0.1 s). The first point of
    each combination is also composed in full and compared; should the two
    ever differ, every point is composed in full.
    """

    def __init__(self, master: DictConfig, loader: ConfigLoader) -> None:
        self.master, self.loader = master, loader
        self.parser = OverridesParser.create(config_loader=loader)
        self.bases: dict[tuple[str, ...], DictConfig] = {}
        self.shortcut = isinstance(loader, ConfigLoaderImpl)

    def _is_value(self, override: Override) -> bool:
        """Whether Hydra sets ``override`` on the composed config rather than choosing a group option."""
        return isinstance(override.value(), dict) or not self.loader.repository.group_exists(
            override.key_or_group)

    def compose(self, overrides: Sequence[str]) -> DictConfig:
        """The config of the job with ``overrides`` (Hydra's node included)."""
        if not self.shortcut:
            return self.loader.load_sweep_config(self.master, list(overrides))
        parsed = self.parser.parse_overrides(list(overrides))
        values = [o for o in parsed if self._is_value(o)]
        groups = tuple(o.input_line for o in parsed if not self._is_value(o))
        first = groups not in self.bases
        if first:
            self.bases[groups] = self.loader.load_sweep_config(self.master, list(groups))
        job_cfg = copy.deepcopy(self.bases[groups])
        ConfigLoaderImpl._apply_overrides_to_config(values, job_cfg)
        if first:
            full = self.loader.load_sweep_config(self.master, list(overrides))
            if fingerprint(_task_config(full)) != fingerprint(_task_config(job_cfg)):
                self.shortcut = False
            return full
        return job_cfg


def composed_points(master: DictConfig, loader: ConfigLoader) -> Iterator[tuple[Point, DictConfig]]:
    """Compose and range-check every point of a multirun config; yield each with its task config.

    Args:
        master: the multirun config (with its ``hydra`` node).
        loader: Hydra's config loader, as the launcher uses it.

    Raises:
        PlanError: for the first point out of range, naming the point, key, file and what is allowed.
    """
    axes = axes_of(master)
    composer = _Composer(master, loader)
    for overrides in sweep_overrides(master, loader):
        job_cfg = composer.compose(overrides)
        scenario = scenario_values(job_cfg, job_cfg.hydra.runtime.choices, axes)
        key = scenario_key(scenario)
        task = _task_config(job_cfg)
        try:
            config.validate(task)
        except config.ConfigError as error:
            job_cfg = loader.load_sweep_config(master, list(overrides))  # with its overrides, for _sources
            source = _sources(master, job_cfg).get(error.key.split(".")[0], "")
            raise PlanError(error.source or source, f"sweep point {key}: {error.key} = {error.value!r}",
                            error.allowed) from None
        point = Point(key=key, scenario=scenario, base_seed=task.seed,
                      replications=task.replications, fingerprint=fingerprint(task))
        yield point, task


def make_plan(master: DictConfig, loader: ConfigLoader) -> Plan:
    """The plan of a multirun config, every point composed and range-checked (see :func:`composed_points`)."""
    points = tuple(point for point, _ in composed_points(master, loader))
    keys = [p.key for p in points]
    if len(set(keys)) != len(keys):
        same = max(keys, key=keys.count)
        raise PlanError("the swept keys", f"two sweep points have the same scenario {same}",
                        "each point needs its own values of the swept keys")
    return Plan(experiment=master.hydra.runtime.choices.experiment, axes=axes_of(master), points=points)


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
