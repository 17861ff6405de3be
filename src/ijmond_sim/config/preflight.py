"""A Hydra command line checked before Hydra reads it: group options are names, the files they name are safe.

Hydra turns ``region=nan`` (or ``true``, ``1``, ``null``) into a number or a
flag and then fails deep inside with a traceback; it reads a file that is not
UTF-8 with a ``UnicodeDecodeError``, and expands YAML aliases without limit
(a kilobyte of nested aliases takes minutes and gigabytes). :func:`check`
refuses such a command line with one line (:class:`ijmond_sim.errors.InputError`)
before any config is composed: each config group's option must be a name;
each of the user's files a group option names (in ``hydra.searchpath``) must
be at most :data:`MAX_BYTES` long, UTF-8, and expand to at most
:data:`MAX_VALUES` values.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.errors import OverrideParseException
from omegaconf import DictConfig, read_write

from ijmond_sim import errors
from ijmond_sim.config.checks import seed_from_text

MAX_BYTES = 4 * 2**20  # the IJmond region is 6 KB; 300 councils with every trust relation about 2 MB
MAX_VALUES = 1_000_000  # values a file may expand to, aliases (*name) counted as often as they are used


def _roots(overrides: Sequence[str]) -> list[Path]:
    """The folders Hydra looks in for config groups: the user's search path, then the package's conf/."""
    return [*errors.searchpath(overrides), Path(str(importlib.resources.files("ijmond_sim.conf")))]


def _groups(roots: Sequence[Path]) -> set[str]:
    """The config groups in ``roots``: each folder of YAML files (``region``, ``hydra/launcher``)."""
    return {folder.relative_to(root).as_posix() for root in roots if root.is_dir()
            for folder in [*root.glob("*"), *root.glob("hydra/*")]
            if folder.is_dir() and any(folder.glob("*.yaml"))}


def _options(group: str, roots: Sequence[Path]) -> list[str]:
    return sorted({path.stem for root in roots for path in (root / group).glob("*.yaml")})


def _parsed(overrides: Sequence[str]) -> Iterator[tuple[str, Override]]:
    for text in overrides:
        try:
            yield text, OverridesParser.create().parse_overrides([text])[0]
        except OverrideParseException:
            continue  # Hydra names it (errors.explain)


def _values(override: Override) -> list[Any]:
    if override.is_sweep_override():
        return list(getattr(override.value(), "list", []))
    return [override.value()]


def _check_seed(text: str, override: Override) -> None:
    """A seed written as text (``seed='"3"'``) is ASCII digits, as every command takes a seed."""
    for value in _values(override):
        if isinstance(value, str):
            try:
                seed_from_text(value)
            except ValueError as error:
                what, _, allowed = str(error).partition(": ")
                raise errors.InputError(f"the command-line override '{text}'", what, allowed) from None


def check(overrides: Sequence[str]) -> None:
    """Refuse a group option that is not a name, and a file it names that is big, not UTF-8 or an alias bomb.

    Args:
        overrides: the command line's overrides.

    Raises:
        ijmond_sim.errors.InputError: naming the override or file, what is wrong and what is allowed.
    """
    roots = _roots(overrides)
    groups = _groups(roots)
    for text, override in _parsed(overrides):
        group = override.key_or_group
        if group == "seed":
            _check_seed(text, override)
        if group not in groups or override.is_delete():
            continue
        for value in _values(override):
            if not isinstance(value, str):
                raise errors.InputError(
                    f"the command-line override '{text}'", f"{value!r} is not the name of a {group} option",
                    f"allowed: {', '.join(_options(group, roots))} (quote a name that reads as a number, "
                    f"true/false or null: {group}='\"1\"')")
            for root in roots[:-1]:
                if (root / group / f"{value}.yaml").is_file():
                    check_file(root / group / f"{value}.yaml")


def named_keys(overrides: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split off the overrides of a region key that Hydra's lexer cannot read (keys are ASCII to Hydra).

    ``region.councils.Súdwest-Fryslân.capacity=0.5`` (or, quoted for the shell, a council with
    a space) is set by :func:`set_named` on the composed config instead.

    Returns:
        ``(for Hydra, named keys)``, each in the order given.
    """
    for_hydra, named = [], []
    for text in overrides:
        key, equals, _ = text.partition("=")
        readable = errors.HYDRA_KEY.fullmatch(key) or not equals or not key.startswith("region.")
        (for_hydra if readable else named).append(text)
    return for_hydra, named


def set_named(cfg: DictConfig, overrides: Sequence[str]) -> None:
    """Set each ``region.<...>=value`` of :func:`named_keys` in ``cfg``; the value is read as Hydra reads one.

    Raises:
        ijmond_sim.errors.InputError: a key not in the composed region, or a value that cannot be read.
    """
    for text in overrides:
        key, _, raw = text.partition("=")
        where = f"the command-line override '{text}'"
        try:
            value = OverridesParser.create().parse_overrides([f"value={raw}"])[0].value()
        except OverrideParseException:
            raise errors.InputError(where, f"cannot read the value {raw!r}",
                                    "write a number, true/false or a quoted text") from None
        *path, last = key.split(".")
        node = cfg
        for part in path:
            if not isinstance(node, DictConfig) or part not in node:
                break
            node = node[part]
        else:
            if isinstance(node, DictConfig) and last in node:
                with read_write(node):
                    node[last] = value
                continue
        raise errors.InputError(where, f"no key {key} in the composed region",
                                "name a council, opgave or key of the region file exactly as it writes it")


def check_file(path: Path) -> None:
    """Refuse a config file that is too big, not UTF-8, or whose aliases expand past :data:`MAX_VALUES`.

    Raises:
        ijmond_sim.errors.InputError: naming the file.
    """
    where = errors.shown(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise errors.InputError(where, f"{size:,} bytes",
                                f"a config file may hold at most {MAX_BYTES:,} bytes")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise errors.InputError(where, f"not UTF-8 text (byte 0x{raw[error.start]:02x} at position "
                                       f"{error.start:,})", "save it as UTF-8 text") from None
    try:
        values = expanded_values(yaml.compose(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return  # Hydra reads it and stops; errors.explain names the line
    except RecursionError:
        raise errors.InputError(where, "nested too deeply", "a config file nests a few levels") from None
    if values > MAX_VALUES:
        raise errors.InputError(where, f"its aliases (*name) expand to more than {MAX_VALUES:,} values",
                                "write the values out, or use fewer aliases")


def expanded_values(node: yaml.Node | None) -> int:
    """How many values a YAML document holds once every alias is expanded (each node counted once per use).

    Linear in the document's nodes: an alias shares its anchor's node, whose count is kept.
    """
    counts: dict[int, int] = {}

    def count(item: yaml.Node) -> int:
        if id(item) not in counts:
            children = item.value if isinstance(item, yaml.SequenceNode) else \
                [part for pair in item.value for part in pair] if isinstance(item, yaml.MappingNode) else []
            counts[id(item)] = 1 + sum(count(child) for child in children)
        return counts[id(item)]

    return 0 if node is None else count(node)
