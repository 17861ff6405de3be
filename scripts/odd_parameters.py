"""Write the parameter table of docs/ODD.md from the parameters' declarations and the defaults of conf/.

The ranges, units and meanings come from the declarations
(``src/ijmond_sim/model/parameters.py``, the governance rules' fields), the defaults
from the composed ``conf/``, the calibrated ranges from ``calibration/bands.yaml``.
``tests/test_defaults.py`` fails when the page and this output differ.

Usage: ``.venv/bin/python scripts/odd_parameters.py``
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from ijmond_sim import config
from ijmond_sim.calibration.bands import read
from ijmond_sim.config.described import ODD_BEGIN, ODD_END, odd_table

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"


@functools.cache
def _composed(rule: str) -> Any:
    return config.compose([f"governance={rule}"] if rule else [])


def default(rule: str, key: str) -> Any:
    """The default of ``key`` in ``conf/``, under ``rule`` for a governance rule's own key."""
    return OmegaConf.select(_composed(rule), key)


def calibrated() -> dict[str, tuple[float, float]]:
    """The range ``ijmond-calibrate`` searched, by dotted key (only single-key parameters)."""
    bands = read(ROOT / "calibration" / "bands.yaml")
    return {p.keys[0]: (p.low, p.high) for p in bands.parameters if len(p.keys) == 1}


def page() -> str:
    """docs/ODD.md with its parameter table as the declarations and conf/ give it."""
    text = ODD.read_text()
    head, rest = text.split(ODD_BEGIN, 1)
    return head + odd_table(default, calibrated()) + rest.split(ODD_END, 1)[1]


if __name__ == "__main__":
    ODD.write_text(page())
    print(f"wrote {ODD}")
