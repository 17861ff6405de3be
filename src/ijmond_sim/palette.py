"""Colours and line styles that every figure shares, all colour-blind safe.

The lines of a figure take the Okabe-Ito palette; trust is drawn on the
sequential ``cividis`` scale (dark blue: little trust, yellow: much). Each
governance rule has one style in every figure, the dashboard and the
validation alike, derived from its place among the discovered rules, so a new
rule gets a style of its own without being listed anywhere.
"""

from __future__ import annotations

from typing import NamedTuple

from ijmond_sim.model.governance import RULES

OKABE_ITO = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
TRUST_COLOURS = "cividis"
MARKERS = "os^Dv<>p"


class RuleStyle(NamedTuple):
    """How one governance rule is drawn."""

    colour: str
    marker: str
    line: str | tuple[int, tuple[int, ...]]


def rule_style(rule: str) -> RuleStyle:
    """The style of a governance rule: one colour, marker and line style per rule, never two alike.

    The ``i``-th rule (in :data:`ijmond_sim.model.governance.RULES` order; a key
    that is not a rule comes after them) takes colour ``i mod 8`` of the
    Okabe-Ito palette and marker ``i mod 8``; its line is solid, dashed or
    dash-dotted for the first three and dashed with gaps that grow with ``i``
    beyond, so colour and line together tell any two rules apart.

    Args:
        rule: a governance rule's key.
    """
    keys = list(RULES)
    i = keys.index(rule) if rule in keys else len(keys) + sum(map(ord, str(rule))) % 97
    lines: tuple[str | tuple[int, tuple[int, ...]], ...] = ("-", "--", "-.")
    line = lines[i] if i < len(lines) else (0, (4, 1 + i))
    return RuleStyle(OKABE_ITO[i % len(OKABE_ITO)], MARKERS[i % len(MARKERS)], line)
