"""docs/ODD.md's parameter table as a checkout's declarations, ``conf/`` and ``calibration/`` give it.

The defaults come from the checkout's composed ``conf/``; a calibrated key says the
range searched (``calibration/bands.yaml``) or, once ``ijmond-calibrate
--apply-defaults`` has written ``calibration/posterior.yaml``, the posterior's
median and 95% credible interval. ``scripts/odd_parameters.py`` and
``--apply-defaults`` both write the page with :func:`page`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from omegaconf import OmegaConf

from ijmond_sim.calibration.bands import read
from ijmond_sim.config.compose import compose
from ijmond_sim.config.described import ODD_BEGIN, ODD_END, odd_table

ODD = Path("docs/ODD.md")
BANDS = Path("calibration/bands.yaml")
POSTERIOR = Path("calibration/posterior.yaml")


def searched(root: Path) -> dict[str, tuple[float, float]]:
    """The range ``ijmond-calibrate`` searched, by dotted key (only single-key parameters)."""
    bands = read(root / BANDS)
    return {p.keys[0]: (p.low, p.high) for p in bands.parameters if len(p.keys) == 1}


def posterior(root: Path) -> dict[str, tuple[float, float, float]]:
    """``(median, low, high)`` by dotted key from ``calibration/posterior.yaml``; empty without the file."""
    path = root / POSTERIOR
    if not path.exists():
        return {}
    keys = yaml.safe_load(path.read_text())["keys"]
    return {key: (float(v["median"]), float(v["low"]), float(v["high"])) for key, v in keys.items()}


def page(root: Path) -> str:
    """``root``'s docs/ODD.md with its parameter table as its declarations, conf/ and calibration/ give it."""
    composed: dict[str, Any] = {}

    def default(rule: str, key: str) -> Any:
        if rule not in composed:
            composed[rule] = compose([f"governance={rule}"] if rule else [], conf=root / "conf")
        return OmegaConf.select(composed[rule], key)

    head, rest = (root / ODD).read_text().split(ODD_BEGIN, 1)
    return head + odd_table(default, searched(root), posterior(root)) + rest.split(ODD_END, 1)[1]
