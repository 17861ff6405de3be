"""What every pattern shares: its result record, the run budget, and the sweeps run once per context.

A :class:`Context` holds the composed configs the runs start from. Its
knockouts (:meth:`Context.knocked_out`) are contexts whose configs have one
mechanism switched off; they run the same sweeps with the same seeds, and
compare with the default region (:attr:`Context.reference`) where a pattern names a
council (the weakest, the one with the strongest outside option).

Every sweep runs through the sweep engine (:mod:`ijmond_sim.validation.runs`),
into a results folder per context and sweep. Each run stores a record, a pure
function of the finished model computed in the worker (:func:`default_record`,
:func:`trust_record`, :func:`decision_times`); the patterns compute from the
stored records only.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig

from ijmond_sim.model import Region, RegionModel
from ijmond_sim.model.governance import rule_label
from ijmond_sim.run.measures import initiative_log
from ijmond_sim.sweep.engine import Design, Record
from ijmond_sim.sweep.intervals import mean_ci, proportion_ci
from ijmond_sim.sweep.replicate import scenario_key
from ijmond_sim.validation.criteria import Criteria, load
from ijmond_sim.validation.knockouts import Knockout
from ijmond_sim.validation.runs import Run, Runner, number, recorded
from ijmond_sim.validation.scenarios import RULES, first_to_turn_away, scenario, subregion, with_settings


@dataclass
class PatternResult:
    """One pattern's evaluation, and the same pattern's evaluation under its knockout.

    Attributes:
        key: short identifier.
        statement: the pattern, in words.
        source: where it comes from (report section, literature).
        measure: what was measured, in which runs.
        threshold: the pass criterion, fixed before the runs.
        value: the measured value.
        ci: its 95% confidence interval (None for exact values).
        passed: whether the criterion is met.
        figure: file name of its figure, if any.
        detail: further numbers that help to read the result.
        fmt: format of the value.
        knockout: the mechanism switched off (None for a check without one).
        knocked_out: the same pattern measured under the knockout.
    """

    key: str
    statement: str
    source: str
    measure: str
    threshold: str
    value: float
    ci: tuple[float, float] | None
    passed: bool
    figure: str | None = None
    detail: str = ""
    fmt: str = "{:.3f}"
    knockout: Knockout | None = None
    knocked_out: PatternResult | None = None

    @property
    def result(self) -> str:
        """The value with its interval, as text."""
        if math.isnan(self.value):
            return "none"
        text = self.fmt.format(self.value)
        if self.ci is not None:
            text += f" [{self.fmt.format(self.ci[0])}, {self.fmt.format(self.ci[1])}]"
        return text

    @property
    def diagnostic(self) -> bool:
        """Whether switching the mechanism off breaks the pattern (no knockout: not shown to be)."""
        return self.knocked_out is not None and not self.knocked_out.passed

    @property
    def counts(self) -> bool:
        """A pass that counts: the pattern holds with its mechanism and fails without it."""
        return self.passed and self.diagnostic

    @property
    def verdict(self) -> str:
        """``PASS``, ``FAIL``, or ``NOT DIAGNOSTIC`` (it passes, and passes without its mechanism too)."""
        if not self.passed:
            return "FAIL"
        if self.knockout is not None and not self.diagnostic:
            return "NOT DIAGNOSTIC"
        return "PASS"


@dataclass(frozen=True)
class Budget:
    """How many runs each sweep gets.

    Attributes:
        name: ``full`` or ``fast``.
        default_runs: replications of the default scenario.
        trust_levels: initial-trust levels between 0.05 and 0.95.
        trust_runs: replications per rule and trust level.
        subset_runs: replications per region size, council subset and calendar arm.
        ordering_points: parameter points (Latin hypercube) for the ordering of the rules.
        ordering_runs: replications per point and rule.
        baseline_runs: replications of each vote-probability baseline.
        morris_trajectories: Morris trajectories.
        morris_runs: replications per Morris point.
        sobol_n: Sobol base sample size (a power of two).
        sobol_runs: replications per Sobol point.
    """

    name: str
    default_runs: int
    trust_levels: int
    trust_runs: int
    subset_runs: int
    ordering_points: int
    ordering_runs: int
    baseline_runs: int
    morris_trajectories: int
    morris_runs: int
    sobol_n: int
    sobol_runs: int


FULL = Budget("full", default_runs=200, trust_levels=19, trust_runs=50, subset_runs=40,
              ordering_points=256, ordering_runs=10, baseline_runs=100, morris_trajectories=20,
              morris_runs=10, sobol_n=256, sobol_runs=8)
FAST = Budget("fast", default_runs=20, trust_levels=7, trust_runs=8, subset_runs=4,
              ordering_points=16, ordering_runs=2, baseline_runs=10, morris_trajectories=4,
              morris_runs=2, sobol_n=16, sobol_runs=2)


def rate(part: int, whole: int) -> float:
    """``part / whole``, NaN of nothing."""
    return part / whole if whole else math.nan


def default_record(model: RegionModel) -> dict[str, Any]:
    """What the default-scenario patterns store of one run.

    Per opgave its initiatives started, completed and stranded; the strandings;
    and mean trust and the strandings so far, month by month.
    """
    initiatives: dict[str, list[int]] = {}
    for row in initiative_log(model):
        counts = initiatives.setdefault(row["opgave"], [0, 0, 0])
        counts[0] += 1
        if row["outcome"] in ("completed", "stranded"):
            counts[1 + (row["outcome"] == "stranded")] += 1
    steps = model.datacollector.get_model_vars_dataframe()
    return {"initiatives": initiatives, "stranded": int(model.stranded),
            "trust_by_month": [float(x) for x in steps["mean_trust"]],
            "stranded_by_month": [int(x) for x in steps["stranded"]]}


def default_measures(run: Run, statutory: frozenset[str]) -> dict[str, Any]:
    """What the default-scenario patterns read from one stored run; ``statutory`` names the statutory opgaven.

    The opgaven are grouped by the default region's statutory flag, so a knockout that makes
    them voluntary is measured on the same opgaven.
    """
    started = {True: 0, False: 0}
    ended = {True: [0, 0], False: [0, 0]}  # statutory -> [completed, stranded]
    for opgave, (count, completed, stranded) in run["initiatives"].items():
        group = opgave in statutory
        started[group] += count
        ended[group][0] += completed
        ended[group][1] += stranded
    return {
        "completion_rate_statutory": rate(ended[True][0], started[True]),
        "completion_rate_voluntary": rate(ended[False][0], started[False]),
        "statutory_completed_of_ended": rate(ended[True][0], sum(ended[True])),
        "voluntary_stranded_of_ended": rate(ended[False][1], sum(ended[False])),
        "stranded": run["stranded"],
        "trust_by_month": np.array(run["trust_by_month"]),
        "stranded_by_month": np.array(run["stranded_by_month"]),
    }


def trust_record(model: RegionModel) -> dict[str, Any]:
    """Initial and final mean trust of one run, and the council that turned away first (None: none did)."""
    return {"start": float(model.initial_mean_trust), "end": float(model.mean_trust()),
            "first_away": first_to_turn_away(model)}


def decision_times(model: RegionModel) -> dict[str, float]:
    """Mean months from proposal to decision in one run: over all initiatives and per initiator."""
    decided = [r for r in initiative_log(model) if r["months_to_decision"] is not None]
    by: dict[str, list[int]] = {"all": []}
    for r in decided:
        by["all"].append(r["months_to_decision"])
        by.setdefault(r["initiator"], []).append(r["months_to_decision"])
    return {key: float(np.mean(months)) if months else math.nan for key, months in by.items()}


def wilson(flags: Sequence[bool]) -> tuple[float, float, float]:
    """Share of true flags with its Wilson 95% interval."""
    return proportion_ci(int(sum(flags)), len(flags))


def share_ci(shares: Sequence[float]) -> tuple[float, float, float]:
    """Mean of per-run shares with its normal 95% CI, clipped to [0, 1]."""
    mean, low, high = mean_ci(shares)
    return mean, max(low, 0.0), min(high, 1.0)


def fmt_ci(ci: tuple[float, float, float], fmt: str = "{:.3f}") -> str:
    """``mean [low, high]`` as text."""
    return f"{fmt.format(ci[0])} [{fmt.format(ci[1])}, {fmt.format(ci[2])}]"


@dataclass
class TrustSweep:
    """Runs over initial-trust levels under one rule: each run's level, start and end trust, who left."""

    levels: np.ndarray
    level: np.ndarray
    start: np.ndarray
    end: np.ndarray
    first_away: list[str | None]

    def rose_share(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per level: share of runs whose mean trust rose, and its Wilson interval."""
        rows = [wilson(self.end[self.level == x] > self.start[self.level == x]) for x in self.levels]
        share, low, high = (np.array(col) for col in zip(*rows, strict=True))
        return share, low, high


#: A pattern whose statement holds for every governance rule (a rule added later is checked too).
EVERY_RULE = None


def about(rules: Sequence[str] | None) -> Callable[[Callable], Callable]:
    """Declare which governance rules a pattern is about: the report's by name, or :data:`EVERY_RULE`.

    The pattern then sees only those rules in its context (:meth:`Context.about`), so a rule
    added from outside cannot move its verdict or its numbers.
    """
    def declare(pattern: Callable) -> Callable:
        pattern.rules = None if rules is None else tuple(rules)
        return pattern
    return declare


#: Months to decision per run, by calendar arm and number of councils.
DecisionTimes = dict[str, dict[int, list[dict[str, float]]]]

OWN_CALENDARS = "optional, own calendars"
ALIGNED_CALENDARS = "optional, aligned calendars"


@dataclass
class Context:
    """The composed configs, the budget and the sweeps shared between patterns (run once, on demand).

    Attributes:
        bases: the config per governance rule that the runs start from.
        budget: how many runs each sweep gets.
        seed: the base seed of every replication seed.
        out: the folder for figures; None draws none (knockouts).
        runner: runs the sweeps through the engine, each into a results folder.
        log: progress messages go here.
        reference: the default configs (``bases`` unless this is a knockout).
        criteria: the pass criteria.
        name: the context's results folder: ``default``, or the knockout's key.
        rules: the governance rules the pattern at hand is about (:meth:`about`); every rule if
            empty. The shared sweeps run every rule once and show a pattern only its own.
    """

    bases: dict[str, DictConfig]
    budget: Budget
    seed: int
    out: Path | None
    runner: Runner
    log: Callable[[str], None] = field(default=lambda message: None)
    reference: dict[str, DictConfig] | None = None
    criteria: Criteria = field(default_factory=load)
    name: str = "default"
    rules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.reference is None:
            self.reference = self.bases
        self.rules = self.rules or RULES
        self._knockouts: dict[str, Context] = {}
        self._sweeps: dict[str, Any] = {}  # shared with every view of this context (about)

    def about(self, rules: Sequence[str] | None) -> Context:
        """This context as a pattern about ``rules`` (every rule if None) sees it: the same sweeps."""
        view = copy.copy(self)
        view.rules = tuple(rules) if rules is not None else RULES
        return view

    def run(self, sweep: str, points: Sequence[Design], replications: int,
            record: Record | None = None) -> list[list[Run]]:
        """The stored runs of each point of the sweep ``sweep`` of this context (see :meth:`Runner.run`).

        A point's seeds derive from the base seed and its values (or its ``seed_key``),
        never from the context: a knockout runs with the same seeds.
        """
        return self.runner.run(f"{self.name}/{sweep}", points, self.seed, replications, record)

    @property
    def region(self) -> Region:
        """The default region's arrays (also in a knockout: patterns name councils of the default)."""
        return scenario(self.reference[RULES[0]]).region

    def draw(self, plot: Callable[..., str], name: str, *args: Any) -> str | None:
        """``plot(out / name, *args)``, the figure's file name; None where this context draws nothing."""
        return None if self.out is None else plot(self.out / name, *args)

    def knocked_out(self, knockout: Knockout) -> Context:
        """This context with ``knockout``'s mechanism switched off in every rule's config (cached)."""
        if knockout.key not in self._knockouts:
            self.log(f"knockout: {knockout.description}")
            bases = {rule: with_settings(base, knockout.settings(base)) for rule, base in self.bases.items()}
            self._knockouts[knockout.key] = Context(bases, self.budget, self.seed, None, self.runner,
                                                    self.log, self.reference, self.criteria, knockout.key)
        return self._knockouts[knockout.key]

    @property
    def default_runs(self) -> list[dict[str, Any]]:
        """The default IJmond scenario under optional cooperation, with monthly records."""
        if "default" not in self._sweeps:
            self._sweeps["default"] = self._default_runs()
        return self._sweeps["default"]

    def _default_runs(self) -> list[dict[str, Any]]:
        self.log(f"default scenario, optional cooperation: {self.budget.default_runs} runs")
        reference = self.region
        statutory = frozenset(o for o, s in zip(reference.opgaven, reference.statutory, strict=True) if s)
        point = Design({"governance": "optional"}, with_settings(self.bases["optional"], {"collect": True}))
        runs = self.run("default", [point], self.budget.default_runs, default_record)[0]
        return [default_measures(run, statutory) for run in runs]

    @property
    def trust_sweep(self) -> dict[str, TrustSweep]:
        """The pattern's rules (:attr:`rules`) at every initial-trust level."""
        if "trust" not in self._sweeps:
            self._sweeps["trust"] = self._trust_sweep()
        return {rule: sweep for rule, sweep in self._sweeps["trust"].items() if rule in self.rules}

    def _trust_sweep(self) -> dict[str, TrustSweep]:
        """Every rule at every initial-trust level (run once, shared by the patterns' views)."""
        levels = np.round(np.linspace(0.05, 0.95, self.budget.trust_levels), 3)
        self.log(f"initial trust sweep: {len(RULES)} rules x {len(levels)} levels x "
                 f"{self.budget.trust_runs} runs")
        points = [Design({"governance": rule, "trust.initial": float(x)},
                         with_settings(self.bases[rule], {"trust.initial": float(x)}))
                  for rule in RULES for x in levels]
        runs = iter(self.run("trust", points, self.budget.trust_runs, trust_record))
        sweeps = {}
        for rule in RULES:
            level, rows = [], []
            for x in levels:
                rows += next(runs)
                level += [x] * self.budget.trust_runs
            sweeps[rule] = TrustSweep(levels, np.array(level), np.array([r["start"] for r in rows]),
                                      np.array([r["end"] for r in rows]), [r["first_away"] for r in rows])
        return sweeps

    @property
    def decision_sweep(self) -> tuple[list[int], DecisionTimes]:
        """Months to decision per run (all and per initiator), by calendar arm and number of councils.

        The arms: optional cooperation on the councils' own calendars and on aligned ones, and
        each other governance rule of the pattern's (labelled by the rule).
        """
        if "decisions" not in self._sweeps:
            self._sweeps["decisions"] = self._decision_sweep()
        sizes, times, rule_of = self._sweeps["decisions"]
        return sizes, {arm: t for arm, t in times.items() if rule_of[arm] in self.rules}

    def _decision_sweep(self) -> tuple[list[int], DecisionTimes, dict[str, str]]:
        """The decision sweep of every rule, and the rule of each arm (run once, shared by the views)."""
        names = list(self.region.councils)
        sizes = list(range(2, len(names) + 1))
        aligned = self.reference["mayoral"].governance.aligned_cycle
        arms = {OWN_CALENDARS: ("optional", False), ALIGNED_CALENDARS: ("optional", True)}
        arms |= {rule_label(rule): (rule, False) for rule in RULES if rule != "optional"}
        self.log(f"region sizes {sizes[0]}-{sizes[-1]}, {len(arms)} arms: {self.budget.subset_runs} runs "
                 "per subset")
        points = []
        for arm, (rule, align) in arms.items():
            for k in sizes:
                for subset in combinations(names, k):
                    settings = {f"region.councils.{c}.{key}": value for c in subset
                                for key, value in (("meeting_cycle", aligned), ("meeting_offset", 0))
                                } if align else {}
                    councils = {"councils": " ".join(subset)}  # the same seeds in every arm
                    points.append(Design({"arm": arm, **councils},
                                         with_settings(subregion(self.bases[rule], subset), settings),
                                         seed_key=scenario_key(councils)))
        runs = iter(self.run("decisions", points, self.budget.subset_runs, decision_times))
        times: dict[str, dict[int, list[dict[str, float]]]] = {}
        for arm in arms:
            times[arm] = {}
            for k in sizes:
                times[arm][k] = [{key: number(value) for key, value in recorded(run).items()}
                                 for _ in combinations(names, k) for run in next(runs)]
        return sizes, times, {arm: rule for arm, (rule, _) in arms.items()}
