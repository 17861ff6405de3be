"""One SHA-256 over what the model computes: a refactoring that changes no behaviour keeps it.

It runs the real commands (``ijmond-sim`` and ``ijmond-sweep``) in a temporary
folder: the default run, each governance rule at five seeds, and a small
sweep; then hashes every output table and ``summary.json`` (the resolved
``config.yaml`` too) in a fixed order. Files that hold times, versions or
paths (provenance, logs, figures) are left out.

Usage: ``.venv/bin/python scripts/behaviour_sha256.py [--keep DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
RUN_FILES = ("steps.csv", "councils.csv", "initiatives.csv", "council_summary.csv", "trust.csv",
             "summary.json", "config.yaml")
RULES = ("optional", "mayoral", "binding")
SEEDS = (1, 2, 3, 4, 5)
SWEEP = ("governance=optional,mayoral,binding", "trust.initial=0.2,0.8", "replications=3")


def _run(*args: str) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")


def outputs(root: Path) -> list[Path]:
    """Run everything; return the files to hash, in a fixed order."""
    files = []
    runs = [("default", ())] + [(f"{rule}-{seed}", (f"governance={rule}", f"seed={seed}"))
                                for rule in RULES for seed in SEEDS]
    for name, overrides in runs:
        out = root / "runs" / name
        _run(str(BIN / "ijmond-sim"), *overrides, f"hydra.run.dir={out}")
        files += [out / f for f in RUN_FILES]
    sweep = root / "sweep"
    _run(str(BIN / "ijmond-sweep"), *SWEEP, f"hydra.sweep.dir={sweep}")
    return [*files, sweep / "runs.csv"]


def main() -> None:
    """Print the SHA-256 of the outputs (and of each part, to locate a difference)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ijmond-sha-"))
    try:
        total = hashlib.sha256()
        for path in outputs(root):
            data = path.read_bytes()
            total.update(str(path.relative_to(root)).encode() + b"\0" + data)
            print(f"{hashlib.sha256(data).hexdigest()[:16]}  {path.relative_to(root)}")
        print(f"behaviour SHA-256: {total.hexdigest()}")
    finally:
        if args.keep:
            shutil.copytree(root, args.keep, dirs_exist_ok=True)
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
