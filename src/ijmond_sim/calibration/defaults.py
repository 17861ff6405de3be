"""Writes the posterior medians into ``conf/``, their credible intervals into ``calibration/posterior.yaml``.

Only the value on each key's line of ``conf/`` changes (its comment stays); docs/ODD.md's
parameter table is then written again by its generator (:mod:`.odd`), whose default
cells take the medians and whose **calibrated** keys the intervals from the
posterior file. Values are rounded to two significant digits, as people write them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from ijmond_sim.calibration import odd
from ijmond_sim.calibration.bands import Bands
from ijmond_sim.calibration.posterior import Estimate
from ijmond_sim.config.described import described

CONFIG, REGION = Path("conf/config.yaml"), Path("conf/region/ijmond.yaml")  # the default region's file


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


def posterior_text(bands: Bands, estimates: Sequence[Estimate], run: Mapping[str, str]) -> str:
    """``calibration/posterior.yaml``: each config key's rounded median and 95% credible interval; the run.

    Args:
        bands: the bands file (each parameter's config keys).
        estimates: the posterior summary, one per parameter.
        run: the calibration it comes from (its report's provenance: commit, finished, seed).
    """
    by_name = {e.name: e for e in estimates}
    keys = {key: {"median": rounded(by_name[p.name].median), "low": rounded(by_name[p.name].low),
                  "high": rounded(by_name[p.name].high)} for p in bands.parameters for key in p.keys}
    return ("# The posterior whose medians are conf/'s defaults (ijmond-calibrate --apply-defaults writes\n"
            "# it; scripts/odd_parameters.py reads it for docs/ODD.md's parameter table). Do not edit.\n"
            + yaml.safe_dump({"run": dict(run), "keys": keys}, sort_keys=False, allow_unicode=True))


def apply(bands: Bands, estimates: Sequence[Estimate], run: Mapping[str, str], root: Path) -> list[str]:
    """Write the medians into ``root``'s conf/ and the intervals into its posterior file; rewrite its ODD.

    Args:
        bands: the bands file (each parameter's config keys).
        estimates: the posterior summary, one per parameter.
        run: the calibration they come from (its report's provenance: commit, finished, seed).
        root: the checkout whose files are changed.

    Returns:
        The config keys set in conf/ that have no row of their own in ODD.md's parameter table.
    """
    by_name = {e.name: e for e in estimates}
    for p in bands.parameters:
        for key in p.keys:
            region = key.startswith("region.")
            path = root / (REGION if region else CONFIG)
            parts = key.split(".")[1:] if region else key.split(".")
            path.write_text(set_in_yaml(path.read_text(), parts, by_name[p.name].median))
    (root / odd.POSTERIOR).write_text(posterior_text(bands, estimates, run))
    (root / odd.ODD).write_text(odd.page(root))
    rows = {key for _, key, _, _ in described()}
    return [key for p in bands.parameters for key in p.keys if key not in rows]
