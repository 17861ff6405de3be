"""CITATION.cff: valid CFF 1.2.0 (cffconvert, run by uv apart), naming the newest release."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def newest_release() -> str:
    """The version of the newest section of CHANGELOG.md (``## [Unreleased]: 0.3.0`` or ``## [0.3.0]``)."""
    changelog = (ROOT / "CHANGELOG.md").read_text()
    return re.search(r"^## \[(?:Unreleased\]: )?([0-9.]+)", changelog, re.M).group(1)


def test_the_citation_names_the_version_of_the_newest_changelog_section():
    # kills: a release whose citation still names the version before it
    assert str(yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"]) == newest_release()


@pytest.mark.slow
def test_cffconvert_finds_the_citation_valid():
    # kills: a CITATION.cff that citation tools reject (a key or value outside the CFF 1.2.0 schema)
    uv = Path(sys.executable).parent / "uv"
    done = subprocess.run([str(uv), "tool", "run", "--quiet", "--from", "cffconvert==2.0.0", "cffconvert",
                           "--validate", "-i", str(ROOT / "CITATION.cff")],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout
