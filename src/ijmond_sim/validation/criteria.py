"""The versioned pass criteria of the validation: ``criteria.yaml`` read into typed records."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import yaml

from ijmond_sim.validation.knockouts import KNOCKOUTS, Knockout


@dataclass(frozen=True)
class Criterion:
    """One pattern's measure, pass criterion and knockout, as fixed before its runs.

    Attributes:
        key: the pattern's key (``circles`` stands for every ``circles-<rule>``).
        measure: what is measured.
        criterion: the pass criterion in words; ``{bound}`` stands for the number.
        bound: the number the criterion compares with.
        knockout: the mechanism switched off to see whether the pattern depends on it.
    """

    key: str
    measure: str
    criterion: str
    bound: float
    knockout: Knockout

    @property
    def text(self) -> str:
        """The criterion with its bound written in."""
        return self.criterion.replace("{bound}", f"{self.bound:g}")


@dataclass(frozen=True)
class Change:
    """One entry of the criteria's history."""

    version: int
    date: str
    change: str
    run: str


@dataclass(frozen=True)
class Criteria:
    """The criteria file: its version, its history and one criterion per pattern."""

    version: int
    history: tuple[Change, ...]
    patterns: dict[str, Criterion]

    def __getitem__(self, key: str) -> Criterion:
        return self.patterns[key]


def load(text: str | None = None) -> Criteria:
    """Read ``criteria.yaml`` (or ``text`` in its format).

    Raises:
        ValueError: a knockout name that :data:`~ijmond_sim.validation.knockouts.KNOCKOUTS` lacks,
            or a history whose last version is not the file's version.
    """
    if text is None:
        text = files("ijmond_sim.validation").joinpath("criteria.yaml").read_text()
    data = yaml.safe_load(text)
    patterns = {}
    for key, node in data["patterns"].items():
        if node["knockout"] not in KNOCKOUTS:
            raise ValueError(f"criteria.yaml: patterns.{key}.knockout: {node['knockout']!r} is not one of "
                             f"{', '.join(sorted(KNOCKOUTS))}")
        patterns[key] = Criterion(key, " ".join(node["measure"].split()), node["criterion"],
                                  float(node["bound"]), KNOCKOUTS[node["knockout"]])
    history = tuple(Change(int(h["version"]), str(h["date"]), " ".join(h["change"].split()),
                           " ".join(str(h["run"]).split())) for h in data["history"])
    if not history or history[-1].version != data["version"]:
        raise ValueError(f"criteria.yaml: version {data['version']} has no history entry of its own")
    return Criteria(int(data["version"]), history, patterns)
