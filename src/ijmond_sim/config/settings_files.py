"""A command's own settings file (``conf/discover.yaml``, ``conf/dynamics.yaml``): schema, YAML, changes.

The schema (a dataclass) types the keys; the values live in the YAML alone; a
person's ``key=value`` changes come last. A bad key, type or value raises
:class:`SettingsError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ijmond_sim.config.checks import seed_from_text
from ijmond_sim.errors import InputError
from ijmond_sim.model.governance import RULES

Check = tuple[str, Any, bool, str]
"""A check of one setting: its key, its value, whether it is fine, and what is allowed."""


class SettingsError(InputError):
    """A setting that is missing, mistyped or out of range: where, what, what is allowed."""


def load(schema: type, name: str, path: str | Path | None, changes: Iterable[str],
         checks: Callable[[DictConfig], Iterable[Check]],
         edit: Callable[[DictConfig], None] | None = None) -> DictConfig:
    """The settings of ``path`` (``conf/<name>`` if None) over ``schema``, with ``changes``, checked.

    An empty ``rules`` list stands for every governance rule the model has.

    Args:
        schema: the dataclass of the settings.
        name: the file of ``conf/`` holding the defaults, e.g. ``discover.yaml``.
        path: a settings file of one's own, or None.
        changes: command-line changes, e.g. ``["samples=100"]``.
        checks: the ranges and cross-references of the merged settings.
        edit: changes the command makes before the settings are resolved (its own options).

    Raises:
        SettingsError: naming the file, the key and what is allowed.
    """
    changes = list(changes)
    where = (str(path) if path is not None else f"conf/{name}") + (" or the command line" if changes else "")
    for change in changes:  # OmegaConf would read a seed of other digits than ASCII (seed=٣) as a number
        key, _, value = change.partition("=")
        if key == "seed":
            try:
                seed_from_text(value)
            except ValueError as error:
                raise SettingsError(change, str(error), "ASCII digits") from None
    try:
        text = Path(path).read_text() if path is not None else (files("ijmond_sim.conf") / name).read_text()
        cfg = OmegaConf.merge(OmegaConf.structured(schema), OmegaConf.create(text),
                              OmegaConf.from_dotlist(changes))
        if edit is not None:
            edit(cfg)
        OmegaConf.resolve(cfg)
        OmegaConf.to_container(cfg, throw_on_missing=True)
        if not cfg.rules:
            cfg.rules = list(RULES)
    except FileNotFoundError:
        raise SettingsError(where, "no such file", "give a settings file that exists") from None
    except OmegaConfBaseException as error:
        key = getattr(error, "full_key", "") or ""
        raise SettingsError(where, f"{key + ': ' if key else ''}{str(error).splitlines()[0]}",
                            f"see conf/{name} for the keys and their types") from None
    for key, value, ok, allowed in checks(cfg):
        if not ok:
            raise SettingsError(where, f"{key} = {value!r}", allowed)
    return cfg
