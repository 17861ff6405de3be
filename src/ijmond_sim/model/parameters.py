"""The model's parameters, each declared once: its type, range, unit, meaning and report section.

A parameter is a field of one of the groups below (``trust``, ``initiatives``,
``decision``), declared with :func:`parameter`; its default lives in
``conf/config.yaml`` only. Hydra types the YAML against these dataclasses, the
model reads them under the same names (``scenario.trust.fall_ratio``), and
everything else is derived from the declaration: the range checks
(``config/checks.py``), the ``--help`` text, the parameter table of
``docs/ODD.md``, the dashboard's sliders and ``ijmond_sim.parameters()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from omegaconf import MISSING

_KEY = "ijmond_sim.parameter"


@dataclass(frozen=True)
class Declaration:
    """What one parameter means and which values it may take.

    Attributes:
        meaning: one sentence for people: what the number does in the model.
        unit: what the number measures.
        section: the report's sections it rests on (``"5.3"``), or ``"assumption"``.
        low: the smallest value allowed (None: no lower bound).
        high: the largest value allowed (None: no upper bound).
        low_open: whether ``low`` itself is excluded.
        high_open: whether ``high`` itself is excluded.
        explore: the range exploratory studies sample (``ijmond_sim.parameters()``, the
            dashboard's slider where the allowed range has no upper end); None if not explored.
        why: why the explored range is what it is.
        name: the short name :func:`ijmond_sim.simulate` accepts (the field's name if empty).
        choices: for a word, the words allowed (empty: any).
    """

    meaning: str
    unit: str
    section: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    explore: tuple[float, float] | None = None
    why: str = ""
    name: str = ""
    choices: tuple[str, ...] = ()

    @property
    def checked(self) -> bool:
        """Whether the declaration restricts the values at all."""
        return self.low is not None or self.high is not None or bool(self.choices)

    def holds(self, value: Any) -> bool:
        """Whether ``value`` lies in the allowed range (or is one of the allowed words)."""
        if self.choices:
            return value in self.choices
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)

    @property
    def allowed(self) -> str:
        """The allowed range in words, as an error message ends (``must be in [0, 1]``)."""
        if self.choices:
            return "must be " + " or ".join(repr(choice) for choice in self.choices)
        per = " month" if self.unit == "months" else ""
        low, high = _written(self.low), _written(self.high)
        if self.low is not None and self.high is not None:
            left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
            return f"must be in {left}{low}, {high}{right}"
        if self.low is not None:
            return f"must be {'>' if self.low_open else '>='} {low}{per}"
        if self.high is not None:
            return f"must be {'<' if self.high_open else '<='} {high}{per}"
        return "any number"

    @property
    def bounds(self) -> tuple[float, float]:
        """A finite range to offer people (a slider): the allowed range, the explored one where it is open."""
        low = self.low if self.low is not None else (self.explore or (-math.inf,))[0]
        high = self.high if self.high is not None else (self.explore or (0, math.inf))[1]
        return float(low), float(high)


def _written(x: float | None) -> str:
    """A bound as people read it: ``0.5``, ``12``, ``1,000``, ``4,294,967,295`` (None: empty)."""
    if x is None:
        return ""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def parameter(default: Any = MISSING, **declaration: Any) -> Any:
    """A dataclass field for a parameter: no value (the YAML gives it) and its :class:`Declaration`.

    Args:
        default: only for what a region file may leave out (a council's ambition); a model
            parameter has none here, its default is in ``conf/config.yaml``.
        **declaration: the fields of :class:`Declaration`.
    """
    return field(default=default, metadata={_KEY: Declaration(**declaration)})


def declarations(group: type) -> Iterator[tuple[str, Declaration]]:
    """``(field name, declaration)`` of each declared parameter of a group dataclass, in order."""
    for f in fields(group):
        if _KEY in f.metadata:
            yield f.name, f.metadata[_KEY]


@dataclass
class TrustConfig:
    """Directed trust between councils and how it learns (report 3.4, 5.3)."""

    initial: float = parameter(
        meaning="the region's trust at the start, between every two councils", section="3.4, 5.3",
        unit="trust level (0 none, 1 full)", low=0, high=1, explore=(0.1, 0.9), name="initial_trust",
        why="3.4, 5.3 say trust is lacking, not how low: all but the extremes")
    gain: float = parameter(
        meaning="after a joint success trust rises by this fraction of the distance to full trust",
        section="5.3", unit="share of the distance to full trust",
        low=0, high=1, explore=(0.01, 0.15), name="trust_gain",
        why="5.3 'trust comes on foot': slow, size unknown")
    fall_ratio: float = parameter(
        meaning="trust falls this many times faster than it rises (a let-down costs gain * fall_ratio "
                "of trust)", section="5.3", unit="times faster than trust rises", low=0,
        explore=(1.0, 6.0), why="5.3 'leaves on horseback'; 1 = symmetric; Slovic (1993) asymmetry of trust")
    overrule_fear: float = parameter(
        meaning="extra trust lost when overruled, most by the smallest council", section="4.2",
        unit="factor", low=0,
        explore=(0.0, 2.0), why="4.2 fear of being overruled: none to double")
    memory: float = parameter(
        meaning="how far a partner's record (initiatives completed together against times it let a council "
                "down) scales the trust a joint success with it builds; 0: every success counts the same",
        section="3.4", unit="weight of the record", low=0, high=1, explore=(0.0, 1.0),
        why="3.4 'stalled or stopped trajectories confirm the distrust': none (0) to a partner who only "
            "let a council down earning nothing from a success (1)")


@dataclass
class InitiativeConfig:
    """How initiatives move through their phases (report 5.4, 5.5)."""

    preparation_months: int = parameter(
        meaning="preparation of an initiative with full capacity; slower for a small organisation",
        section="5.1, 5.5; assumption on the number", unit="months", low=1, explore=(2, 8),
        why="5.5 'syrupy' preparation: 2 to 8 months")
    execution_months: int = parameter(
        meaning="design and execution of an initiative with full capacity",
        section="5.5; assumption on the number",
        unit="months", low=1, explore=(9, 36), why="5.5 design and execution: 9 months to 3 years")
    review_months: int = parameter(
        meaning="months between the partners' reviews of their commitment during execution",
        section="3.4", unit="months", low=1, explore=(6, 24),
        why="3.4 budget reviews twice a year to every other year")
    delivery_risk: float = parameter(
        meaning="monthly chance that a council with no spare capacity fails to deliver", section="5.1",
        unit="chance per month", low=0, high=1, explore=(0.0, 0.02),
        why="5.1 small organisations: none to 2% a month")
    holdback: float = parameter(
        meaning="monthly chance that a council with no trust in its partners holds back its part of a "
                "voluntary initiative under execution, falling linearly to 0 at full trust",
        section="3.4", unit="chance per month", low=0, high=1, explore=(0.0, 0.05),
        why="3.4 threat 1 'not fully committed, so initiatives can strand midway': none to a 60% chance "
            "of holding back within 18 months of execution at no trust")


@dataclass
class DecisionConfig:
    """How a council weighs an initiative (report 3.2, 3.4)."""

    noise: float = parameter(
        meaning="scale of a council's political mood: what local politics adds that the model leaves out",
        section="3.4", unit="utility units", low=0, low_open=True,
        explore=(0.05, 0.5), why="3.4 what local politics adds: small to dominant")
    persistence: float = parameter(
        meaning="how much a council's mood on an initiative carries over to the next budget year",
        section="assumption", unit="share", low=0, high=1,
        explore=(0.0, 0.95), why="a mood may or may not outlast a budget year (assumption)")
    trust_weight: float = parameter(
        meaning="how far a council's expectation of its partners follows its current trust in them; "
                "0: it stays at the region's initial trust (a knockout of the link)",
        section="3.4, 5.3", unit="weight of current trust", low=0, high=1)
    delivered_stake: float = parameter(
        meaning="how far a council's stake in the shared opgaven binds it only as the region delivers "
                "(the stake times its track record); 0: the stake binds in full",
        section="5.2, 6", unit="share of the stake", low=0, high=1, explore=(0.0, 1.0),
        why="5.2 'we put in a lot and get too little back', 6 'what binds are the shared opgaven'")


#: The groups of model parameters, by their key in the config, in the order studies list them.
GROUPS: dict[str, type] = {"trust": TrustConfig, "decision": DecisionConfig, "initiatives": InitiativeConfig}


@dataclass(frozen=True)
class Declared:
    """One model parameter: its dotted config key, its declaration and whether it is a whole number.

    Attributes:
        key: the dotted config key (``trust.fall_ratio``).
        declaration: what it means and which values it may take.
        integer: whether it is a whole number (months).
    """

    key: str
    declaration: Declaration
    integer: bool

    @property
    def name(self) -> str:
        """The short name :func:`ijmond_sim.simulate` accepts."""
        return self.declaration.name or self.key.rsplit(".", 1)[-1]


def declared() -> Iterator[Declared]:
    """Every model parameter, group by group in the order of :data:`GROUPS`, each in declaration order."""
    for group, cls in GROUPS.items():
        types = {f.name: f.type for f in fields(cls)}
        for name, declaration in declarations(cls):
            yield Declared(f"{group}.{name}", declaration, types[name] in (int, "int"))
