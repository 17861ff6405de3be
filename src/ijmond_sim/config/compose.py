"""Composing ``conf/config.yaml`` in-process, as the command line would, and where each key came from."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from ijmond_sim.config.schema import register_schemas

_COMPOSE_LOCK = threading.Lock()


def compose(overrides: Sequence[str] = (), return_hydra_config: bool = False,
            conf: Path | None = None) -> DictConfig:
    """Compose ``conf/config.yaml`` in-process with Hydra overrides, as the command line would.

    Thread-safe (Hydra's global state is guarded), so a server with several
    sessions can call it. The result is not range-checked: call :func:`validate`.

    Args:
        overrides: Hydra overrides, e.g. ``["governance=mayoral", "trust.initial=0.7"]``.
        return_hydra_config: keep Hydra's own node (``hydra``: the group choices, the
            search path), as the command line's config has it.
        conf: a ``conf/`` folder to compose instead of the installed one (a checkout's own).

    Returns:
        The composed configuration.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir, initialize_config_module

    from ijmond_sim.model import governance

    with _COMPOSE_LOCK:
        register_schemas()
        governance.register_schemas()
        where = (initialize_config_dir(str(conf.resolve()), version_base="1.3") if conf is not None
                 else initialize_config_module("ijmond_sim.conf", version_base="1.3"))
        with where:
            return hydra_compose("config", overrides=list(overrides),
                                 return_hydra_config=return_hydra_config)


def group_file(group: str, choice: str, hydra_cfg: DictConfig | None = None) -> str:
    """Where the chosen option of a config group lives: a user's search path, else ``conf/``.

    Args:
        group: the config group, e.g. ``region``.
        choice: the chosen option, e.g. ``ijmond``.
        hydra_cfg: the ``hydra`` node of a composed config; the running job's if None.
    """
    hydra_cfg = HydraConfig.get() if hydra_cfg is None else hydra_cfg
    for source in hydra_cfg.runtime.config_sources:
        if source.schema == "file":
            candidate = Path(source.path) / group / f"{choice}.yaml"
            if candidate.exists():
                return str(candidate)
    return f"conf/{group}/{choice}.yaml"


def config_sources(hydra_cfg: DictConfig | None = None) -> dict[str, str]:
    """Which file (or command-line override) each config key came from, for error messages.

    A top-level key (``trust``) names its file; a key a command-line override sets
    (``trust.initial``) names that file and that override, so an error in one key never
    names the override of another (:func:`ijmond_sim.config.checks.source_of`).

    Args:
        hydra_cfg: the ``hydra`` node of a composed config; the running job's if None.
    """
    hydra_cfg = HydraConfig.get() if hydra_cfg is None else hydra_cfg
    sources = {key: "conf/config.yaml" for key in ("trust", "initiatives", "decision", "seed",
                                                   "years")}
    for group in ("region", "governance"):
        sources[group] = group_file(group, hydra_cfg.runtime.choices.get(group), hydra_cfg)
    files = dict(sources)
    for override in hydra_cfg.overrides.task:
        key = override.lstrip("+~").split("=", 1)[0]
        top = key.split(".")[0]
        if top in files and not (key == top and top in ("region", "governance")):
            sources[key] = f"{sources.get(key, files[top])} or the command-line override '{override}'"
    return sources
