"""The error contract of every command: bad input stops it with one line and exit status 2.

A bad config, a bad file (malformed YAML, a wrong type, an unknown key or
option) or a folder that is missing or cannot be written gives one line::

    ijmond-sim: <file or key>: <what is wrong>; <what is allowed>

on standard error and exit status 2, before anything is written. Hydra's
own errors are translated here, naming the file or the command-line
override the value came from. A full traceback is printed instead when
``HYDRA_FULL_ERROR=1`` is set or ``--debug`` is on the command line; an
error that is not bad input (a bug) always gives its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import NoReturn

import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import (
    ConfigCompositionException,
    InstantiationException,
    MissingConfigException,
    OverrideParseException,
)
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException, ValidationError

from ijmond_sim.config.checks import ConfigError, seed_from_text
from ijmond_sim.sweep.store import CorruptResults

EXIT_STATUS = 2
DEBUG_FLAG = "--debug"
COMMAND_LINE = "the command line"
HYDRA_KEY = re.compile(r"[+~]{0,2}[A-Za-z0-9_.$/@-]+")  # what Hydra's override lexer takes as a key


class InputError(Exception):
    """Bad input: a config value, a file or a folder the command cannot use.

    Args:
        where: the file, key or command-line override concerned.
        what: what is wrong with it.
        allowed: what is allowed instead.
    """

    def __init__(self, where: str, what: str, allowed: str) -> None:
        self.where, self.what, self.allowed = where, what, allowed
        super().__init__(f"{where}: {what}; {allowed}")


class Escape(BaseException):  # noqa: N818 - it is not an error, it carries one
    """Carries an exception out of a Hydra callback, where Hydra would turn it into a warning."""


@contextlib.contextmanager
def out_of_hydra_callback() -> Iterator[None]:
    """Within the block, any exception leaves the Hydra callback it is raised in (as :class:`Escape`)."""
    try:
        yield
    except Exception as error:
        raise Escape() from error


def writable_folder(folder: Path, where: str) -> None:
    """Check that ``folder`` exists and can be written, or can be made in a folder that can be.

    Args:
        folder: the folder the command will write into.
        where: what names it, for the message, e.g. ``hydra.run.dir=outputs/run1``.

    Raises:
        InputError: naming the folder, what is wrong and what is allowed.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(where, f"{existing} is a file, not a folder", "choose a folder path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(where, f"cannot write into {existing}", "choose a folder you can write to")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _override_for(key: str, overrides: Sequence[str]) -> str | None:
    """The command-line override that sets ``key`` (or chooses an option of group ``key``); the last wins."""
    found = None
    for override in overrides:
        if override.lstrip("+~").split("=", 1)[0].split("@", 1)[0] == key:
            found = override
    return found


def searchpath(overrides: Sequence[str]) -> list[Path]:
    """The folders of ``hydra.searchpath=[file://...]`` in ``overrides``, in order."""
    override = _override_for("hydra.searchpath", overrides)
    if override is None:
        return []
    try:
        value = OverridesParser.create().parse_overrides([override])[0].value()
    except OverrideParseException:
        return []
    entries = value if isinstance(value, list) else [value]
    return [Path(str(entry).removeprefix("file://")) for entry in entries if str(entry).startswith("file://")]


def config_file(config_path: str, overrides: Sequence[str]) -> str:
    """The file holding Hydra's config ``config_path`` (``region/mine``): a user's folder, else conf/."""
    for folder in searchpath(overrides):
        candidate = folder / f"{config_path}.yaml"
        if candidate.exists():
            return str(candidate)
    group, _, name = config_path.rpartition("/")
    return f"experiments/{name}.yaml" if group == "experiment" else f"conf/{config_path}.yaml"


def _allowed_keys(error: OmegaConfBaseException) -> str:
    schema = getattr(error, "object_type", None)
    if is_dataclass(schema):
        return f"allowed keys here: {', '.join(sorted(f.name for f in fields(schema)))}"
    return "remove it or check its spelling"


_TYPE_WORDS = {"Float": "a number", "Integer": "a whole number", "Boolean": "true or false",
               "String": "text"}


def _omegaconf(error: OmegaConfBaseException, where: str) -> InputError:
    """An OmegaConf error (unknown key, wrong type) found in ``where``."""
    key = getattr(error, "full_key", None) or getattr(error, "key", None) or "?"
    message = str(getattr(error, "msg", None) or error).splitlines()[0]
    if isinstance(error, ConfigKeyError | AttributeError) and "not in" in message:
        return InputError(where, f"unknown key {key}", _allowed_keys(error))
    if isinstance(error, ValidationError):
        wanted = re.search(r"converted to (\w+)", message)
        value = getattr(error, "value", None)
        if wanted:
            kind = _TYPE_WORDS.get(wanted.group(1), wanted.group(1))
            return InputError(where, f"{key} = {value!r} is not {kind}", f"{key} must be {kind}")
    return InputError(where, f"{key}: {_one_line(message)}", "see --help for the keys and their types")


def shown(path: str | Path) -> str:
    """A file's path as the person typed it: relative to the working folder when it lies inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _yaml(error: yaml.YAMLError) -> InputError:
    """A file Hydra could not read as YAML."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = f"{shown(mark.name)} line {mark.line + 1}, column {mark.column + 1}" if mark else "a config file"
    problem = _one_line(getattr(error, "problem", None) or str(error))
    if "\\t" in problem or "\t" in problem:
        return InputError(where, "a tab character", "indent YAML with spaces, never tabs")
    if "duplicate key" in problem:
        return InputError(where, problem.replace("found ", "a "),
                          "each key, council and opgave may appear once in a mapping")
    context = getattr(error, "context", None)
    return InputError(where, f"{problem}{f' ({_one_line(context)})' if context else ''}",
                      "the file must be valid YAML (close every bracket and quote)")


def _hydra(error: Exception, overrides: Sequence[str], fallback: str) -> InputError | None:
    """One of Hydra's own errors, naming the command-line override or file the value came from."""
    message = str(error)
    cause = error.__cause__ or error.__context__
    if isinstance(error, OverrideParseException):
        unreadable = [o for o in overrides if not HYDRA_KEY.fullmatch(o.partition("=")[0])]
        if unreadable:
            return InputError(f"the command-line override '{unreadable[0]}'",
                              "Hydra reads a key of ASCII letters, digits, '_' and '-' only, and no quoting "
                              "helps (ijmond-sim sets such a region key itself; other commands cannot)",
                              "change it in a region file of your own: copy conf/region/ijmond.yaml to "
                              "my_conf/region/mine.yaml, edit it, and add hydra.searchpath=[file://my_conf] "
                              "region=mine")
        return InputError(COMMAND_LINE, f"cannot read an override: {_one_line(message.splitlines()[0])}",
                          "write key=value, group=option or key=a,b,c (quote values with spaces)")
    if isinstance(error, MissingConfigException):
        missing = re.search(r"Could not find '([^']+)'", message)
        options = re.findall(r"^\t(\S+)$", message.split("Config search path:")[0], flags=re.M)
        name = missing.group(1) if missing else "?"
        group, _, option = name.rpartition("/")
        override = _override_for(group, overrides) if group else None
        where = f"the command-line override '{override}'" if override else f"the defaults list ({name})"
        what = f"no option '{option}' in group {group}" if group else f"no config '{name}'"
        return InputError(where, what, f"allowed: {', '.join(options)}" if options else
                          "add its file to conf/ or to a folder in hydra.searchpath")
    if isinstance(error, ConfigCompositionException):
        from_override = re.match(r"(?:Could not override|Error merging override) '?([^'\s]+?)(?:=|'|$)",
                                 message)
        from_file = re.match(r"In '([^']+)':", message)
        if from_override:
            override = _override_for(from_override.group(1), overrides)
            where = f"the command-line override '{override}'" if override else fallback
        elif from_file:
            where = config_file(from_file.group(1), overrides)
        else:
            where = fallback
        if isinstance(cause, OmegaConfBaseException):
            return _omegaconf(cause, where)
        return InputError(where, _one_line(message.splitlines()[0]), "see --help for the keys and groups")
    return None


def explain(error: BaseException, overrides: Sequence[str] = (),
            fallback: str = COMMAND_LINE) -> InputError | None:
    """What bad input ``error`` stands for, as an :class:`InputError`; None if it is not bad input.

    Args:
        error: the exception raised.
        overrides: the command-line overrides, to name the one a value came from.
        fallback: where a value came from when no override sets it.
    """
    if isinstance(error, Escape | InstantiationException) and error.__cause__ is not None:
        return explain(error.__cause__, overrides, fallback)
    if isinstance(error, InputError):
        return error
    if isinstance(error, ConfigError):
        where = error.source or fallback
        return InputError(where, error.statement, error.allowed)
    if isinstance(error, yaml.YAMLError):
        return _yaml(error)
    if isinstance(error, CorruptResults):
        return InputError(str(error.path), error.reason,
                          "restore it from a copy, or remove it and run the sweep again")
    if isinstance(error, OSError) and error.filename is not None:
        return InputError(str(error.filename), _one_line(error.strerror or str(error)).lower(),
                          "choose a folder that exists and that you can write to")
    if isinstance(error, Exception):
        return _hydra(error, overrides, fallback)
    return None


def debugging(argv: Sequence[str]) -> bool:
    """Whether the person asked for full tracebacks: ``HYDRA_FULL_ERROR=1`` or ``--debug``."""
    return os.environ.get("HYDRA_FULL_ERROR") == "1" or DEBUG_FLAG in argv


def stop(command: str, problem: InputError) -> NoReturn:
    """Print the contract's one line for ``problem`` and exit with status 2."""
    print(f"{command}: {problem}", file=sys.stderr, flush=True)
    sys.exit(EXIT_STATUS)


def run_command[T](command: str, main: Callable[[], T]) -> T:
    """Run a command's ``main`` under the contract; bad input ends it with one line and exit status 2.

    ``--debug`` is taken off the command line (Hydra does not know it). Hydra
    is told to raise its errors (``HYDRA_FULL_ERROR``) so they can be translated.

    Args:
        command: the command's name, e.g. ``ijmond-sim``.
        main: what the command does; it reads ``sys.argv``.
    """
    debug = debugging(sys.argv[1:])
    sys.argv = [arg for arg in sys.argv if arg != DEBUG_FLAG]
    overrides = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    before = os.environ.get("HYDRA_FULL_ERROR")
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        return main()
    except (Exception, Escape) as error:
        problem = explain(error, overrides)
        if problem is None or debug:
            raise
        stop(command, problem)
    finally:
        if before is None:
            os.environ.pop("HYDRA_FULL_ERROR", None)
        else:
            os.environ["HYDRA_FULL_ERROR"] = before


def seed_argument(text: str) -> int:
    """An option's seed (``--seed``): ASCII digits, 0 .. 2**32 - 1, as a seed in a config (argparse type).

    Raises:
        argparse.ArgumentTypeError: what a seed may be.
    """
    try:
        return seed_from_text(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class ArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors follow the contract: one line, exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Raise a usage problem as an :class:`InputError` (argparse would print two lines)."""
        raise InputError(COMMAND_LINE, message, f"see {self.prog} --help")
