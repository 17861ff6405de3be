"""Writes the posterior medians into ``conf/`` and their credible intervals into docs/ODD.md's table.

Only the value on each key's line changes (its comment stays); in the ODD table
the default cell takes the value and the word **calibrated** the interval.
Values are rounded to two significant digits, as people write them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ijmond_sim.calibration.bands import Bands
from ijmond_sim.calibration.posterior import Estimate

CONFIG, REGION = Path("conf/config.yaml"), Path("conf/region/ijmond.yaml")  # the default region's file
ODD = Path("docs/ODD.md")


def rounded(x: float) -> float:
    """``x`` to two significant digits."""
    return float(f"{x:.2g}")


def _number(x: float) -> str:
    return f"{rounded(x):g}"


def _yaml_number(x: float) -> str:
    text = _number(x)
    return text if any(c in text for c in ".en") else text + ".0"  # a float stays a float in YAML


def set_in_yaml(text: str, path: Sequence[str], value: float) -> str:
    """``text`` with the scalar at ``path`` (nested keys) set to ``value``, its comment and layout kept.

    Raises:
        KeyError: the path is not in the text as a block mapping.
    """
    lines, depth, indent = text.split("\n"), 0, -1
    for number, line in enumerate(lines):
        match = re.match(r"^(\s*)([\w\- ]+):(\s*)([^#\n]*?)(\s*#.*)?$", line)
        if not match or len(match.group(1)) <= indent:
            if match and depth:
                break
            continue
        if match.group(2).strip() != path[depth]:
            continue
        if depth == len(path) - 1:
            value_text, comment = _yaml_number(value), (match.group(5) or "").lstrip()
            column = len(line) - len(comment)  # where the comment starts: it stays there if it can
            gap = " " * max(1, column - len(match.group(1)) - len(match.group(2)) - 2 - len(value_text))
            lines[number] = f"{match.group(1)}{match.group(2)}: {value_text}{gap if comment else ''}{comment}"
            return "\n".join(lines)
        depth, indent = depth + 1, len(match.group(1))
    raise KeyError(".".join(path))


def odd_row(text: str, key: str, estimate: Estimate) -> str:
    """ODD.md with the table row of ``key`` showing the median and the credible interval (if it has one)."""
    interval = f"**calibrated**: posterior median, 95% credible interval {_number(estimate.low)}–" \
               f"{_number(estimate.high)}"

    def row(match: re.Match) -> str:
        reasoning = re.sub(r"\*\*calibrated\*\*(?:: posterior median[^|;]*| \([^)]*\))?", interval,
                           match.group(3))
        return f"{match.group(1)}{_number(estimate.median)}{match.group(2)}{reasoning}{match.group(4)}"

    return re.sub(rf"^(\| `{re.escape(key)}` \| )[^|]+?( \| )([^|]*)(\|.*)$", row, text, flags=re.MULTILINE)


def apply(bands: Bands, estimates: Sequence[Estimate], root: Path) -> list[str]:
    """Write the medians into ``root``'s conf/ and the intervals into its docs/ODD.md; the keys ODD lacks.

    Args:
        bands: the bands file (each parameter's config keys).
        estimates: the posterior summary, one per parameter.
        root: the checkout whose files are changed.

    Returns:
        The config keys set in conf/ that have no row of their own in ODD.md's parameter table.
    """
    by_name = {e.name: e for e in estimates}
    odd = (root / ODD).read_text()
    missing = []
    for p in bands.parameters:
        estimate = by_name[p.name]
        for key in p.keys:
            region = key.startswith("region.")
            path = root / (REGION if region else CONFIG)
            parts = key.split(".")[1:] if region else key.split(".")
            path.write_text(set_in_yaml(path.read_text(), parts, estimate.median))
            changed = odd_row(odd, key, estimate)
            if changed == odd:
                missing.append(key)
            odd = changed
    (root / ODD).write_text(odd)
    return missing
