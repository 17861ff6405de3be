"""Write the parameter table of docs/ODD.md from the parameters' declarations and the defaults of conf/.

The ranges, units and meanings come from the declarations
(``src/ijmond_sim/model/parameters.py``, the governance rules' fields), the defaults
from the composed ``conf/``, the calibrated keys' searched ranges from
``calibration/bands.yaml`` or, where ``ijmond-calibrate --apply-defaults`` wrote it,
their posterior median and credible interval from ``calibration/posterior.yaml``
(:mod:`ijmond_sim.calibration.odd`). ``tests/test_declarations.py`` fails when the
page and this output differ.

Usage: ``.venv/bin/python scripts/odd_parameters.py``
"""

from __future__ import annotations

from pathlib import Path

from ijmond_sim.calibration import odd

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / odd.ODD


def page() -> str:
    """docs/ODD.md with its parameter table as the declarations, conf/ and calibration/ give it."""
    return odd.page(ROOT)


if __name__ == "__main__":
    ODD.write_text(page())
    print(f"wrote {ODD}")
