"""Where a result came from: the code, its version and git commit, the interpreter and libraries, the host."""

from __future__ import annotations

import ast
import functools
import hashlib
import platform
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import hydra
import numpy as np

import ijmond_sim

PACKAGE_DIR = Path(ijmond_sim.__file__).parent


def now() -> str:
    """The current time in UTC, ISO 8601 to the microsecond."""
    return datetime.now(UTC).isoformat()


def _imported_modules(path: Path) -> Iterator[Path]:
    """The source files of the ``ijmond_sim`` modules that the file at ``path`` imports."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == "ijmond_sim" or not name.startswith("ijmond_sim."):
                continue
            base = PACKAGE_DIR.joinpath(*name.split(".")[1:])
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.exists():
                    yield candidate


def imported_sources(start: Path) -> list[Path]:
    """The file at ``start`` and the source files of every ``ijmond_sim`` module it imports, transitively.

    A package that finds its modules at import time (``pkgutil``: the governance
    rules) counts whole, since they are not imported by name.
    """
    seen: set[Path] = set()
    todo = [Path(start)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        discovers = path.name == "__init__.py" and "pkgutil" in path.read_text()
        siblings = path.parent.glob("*.py") if discovers else ()
        todo += [*_imported_modules(path), *siblings]
    return sorted(seen)


def simulation_sources() -> list[Path]:
    """The source files a run executes: ``sweep/replicate.py`` and every module it imports, transitively."""
    return imported_sources(PACKAGE_DIR / "sweep" / "replicate.py")


def sources_sha256(paths: list[Path]) -> str:
    """SHA-256 of the files' names (within the package, else their own) and contents."""
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(PACKAGE_DIR).as_posix() if path.is_relative_to(PACKAGE_DIR) else path.name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def code_sha256() -> str:
    """SHA-256 of the code a run executes (:func:`simulation_sources`): it changes when the model does.

    A sweep resumed after the model's code changed runs every scenario point
    again, so one table never mixes two versions of the model; a change to how
    results are shown (tables, figures) does not count.
    """
    return sources_sha256(simulation_sources())


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(PACKAGE_DIR), *args], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@functools.cache
def runs_from_checkout() -> bool:
    """Whether the package runs from a git checkout of its source (not from an installed copy)."""
    return _git("ls-files", "--error-unmatch", "__init__.py") is not None


def git_output(*args: str) -> str | None:
    """What a git command prints, run in the package's source tree; None outside a git checkout of it."""
    return _git(*args) if runs_from_checkout() else None


@functools.cache
def git_state() -> dict[str, Any] | None:
    """The git commit of the source tree and whether it had uncommitted changes; None outside git."""
    commit = git_output("rev-parse", "HEAD")
    if commit is None:
        return None
    changes = git_output("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit.strip(), "uncommitted_changes": bool(changes)}


def built_commit() -> str | None:
    """The commit an installed package was built from (setuptools-scm's version file), None if unknown."""
    try:
        from ijmond_sim._version import commit_id
    except ImportError:
        return None
    return commit_id.removeprefix("g") if commit_id else None


def version_line() -> str:
    """``ijmond-sim <version> (commit <hash>)``: the version and the checkout's or build's commit."""
    state = git_state()
    if state is not None:
        changes = ", with uncommitted changes" if state["uncommitted_changes"] else ""
        return f"ijmond-sim {ijmond_sim.__version__} (commit {state['commit']}{changes})"
    return f"ijmond-sim {ijmond_sim.__version__} (commit {built_commit() or 'unknown'})"


def environment() -> dict[str, Any]:
    """Package, code and library versions and the host: what is the same for every job of a process."""
    return {
        "package": "ijmond-sim",
        "version": ijmond_sim.__version__,
        "code_sha256": code_sha256(),
        "git": git_state(),
        "python": platform.python_version(),
        "mesa": metadata.version("mesa"),  # not mesa.__version__: importing Mesa takes about 2 s
        "hydra": hydra.__version__,
        "numpy": np.__version__,
        "host": platform.node(),
        "platform": platform.platform(),
    }
