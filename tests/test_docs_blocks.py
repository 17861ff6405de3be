"""Every Python block of README.md and docs/*.md runs alone, in a fresh interpreter, as a reader pastes it.

Each block is written to a file of its own and run as a script from the
repository's root, with nothing from the blocks before it: a block that needs
an import or a name from another block fails here (the mutant: a block that
only runs after the ones above it). ``mesa.batch_run`` with two processes
re-imports that file in its workers, as it would a reader's script.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What the default run makes smaller to stay fast: (document, text) -> replacement. The slow test runs
# these blocks as written.
SMALLER = {("README.md", "scenarios=100"): "scenarios=10",
           ("docs/benchmarks.md", "synthetic_region(342"): "synthetic_region(40"}


def python_blocks() -> list[tuple[str, str]]:
    """Every fenced Python block of the documents: (``<document>:<n>``, its code), in reading order."""
    found = []
    for document in DOCUMENTS:
        name = str(document.relative_to(ROOT))
        blocks = re.findall(r"^( *)```python\n(.*?)^\1```", document.read_text(), flags=re.S | re.M)
        found += [(f"{name}:{n}", textwrap.dedent(code)) for n, (_, code) in enumerate(blocks, 1)]
    return found


BLOCKS = python_blocks()


def smaller(where: str, code: str) -> str:
    """The block with the replacements of :data:`SMALLER` for its document."""
    document = where.rsplit(":", 1)[0]
    for (name, text), replacement in SMALLER.items():
        if name == document:
            code = code.replace(text, replacement)
    return code


def run_alone(code: str, folder: Path) -> subprocess.CompletedProcess:
    """Run ``code`` as a script file in a fresh interpreter from the repository's root."""
    script = folder / "block.py"
    script.write_text(code)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=900, check=False)


def test_the_documents_have_their_blocks():
    # kills: a change to the fences (or the pattern above) that would leave nothing to run
    names = [where for where, _ in BLOCKS]
    assert sum(n.startswith("README.md:") for n in names) >= 6 and "docs/benchmarks.md:1" in names
    assert all(replacement for replacement in SMALLER.values())
    for (document, text), _ in SMALLER.items():
        assert any(where.startswith(f"{document}:") and text in code for where, code in BLOCKS), text


@pytest.mark.parametrize(("where", "code"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_a_block_runs_alone(where, code, tmp_path):
    done = run_alone(smaller(where, code), tmp_path)
    assert done.returncode == 0, f"{where} failed alone:\n{done.stderr[-3000:]}"


def test_the_batch_run_example_guards_its_main_and_gives_the_same_table_twice(tmp_path):
    # kills: the example without its __main__ guard, its two processes or its seeds (rng=)
    (code,) = [code for _, code in BLOCKS if "mesa.batch_run(" in code]
    assert 'if __name__ == "__main__":' in code and "number_processes=2" in code and "rng=[" in code
    first, second = run_alone(code, tmp_path), run_alone(code, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stdout == second.stdout and "binding" in first.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("where", "code"), [(w, c) for w, c in BLOCKS if smaller(w, c) != c],
                         ids=[w for w, c in BLOCKS if smaller(w, c) != c])
def test_a_block_runs_alone_as_written(where, code, tmp_path):
    done = run_alone(code, tmp_path)
    assert done.returncode == 0, f"{where} failed alone:\n{done.stderr[-3000:]}"
