"""Tables of a sweep folder: one row per run, one row per scenario point, and the points without results.

Reads the plan (``sweep.json``) and every job's results file, verified, and
writes into the sweep folder:

- ``runs.csv``: one row per run: the scenario axes, replication, seed, outcome measures;
- ``summary.csv``: one row per scenario point: completion over started and over
  ended (all, statutory, voluntary), stranded share, opgaven with a completion
  per year, final trust among the councils in the region and among all, and the
  share of runs in which a council turned away (and in how many runs each
  council left), each with a 95% confidence interval over the replications, and
  the median time to completion;
- ``failures.csv``: every point that failed (with its error), is missing, or
  whose results file is damaged or stale;
- ``figures/`` (:mod:`ijmond_sim.sweep.figures`) and, for a sweep over governance
  rule and initial trust, ``answer.txt``: the headline answer, one line per rule.

Also the ``ijmond-aggregate <sweep folder>`` command, to aggregate a sweep
again at any time, finished or not.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ijmond_sim import errors
from ijmond_sim.model.governance import rule_label
from ijmond_sim.run.measures import names_of
from ijmond_sim.sweep import columns, figures, folder, plan, store
from ijmond_sim.sweep.intervals import mean_ci, proportion_ci
from ijmond_sim.sweep.plan import Plan
from ijmond_sim.sweep.progress import job_files

RUNS, SUMMARY, FAILURES, ANSWER, FIGURES = "runs.csv", "summary.csv", "failures.csv", "answer.txt", "figures"
COUNCIL_COLUMN = "turned_away_month_"  # a runs column per council of the region: turned_away_month_<council>
RUNS_PARQUET = "runs.parquet"  # the runs table also as Parquet, when asked (pip install ijmond-sim[parquet])
THRESHOLD = 0.5  # the headline: at which initial trust levels is at least this share of initiatives completed
RATES = ("completion_rate_ended", "completion_rate_statutory", "completion_rate_statutory_ended",
         "completion_rate_voluntary", "completion_rate_voluntary_ended")  # besides completion_rate


@dataclass(frozen=True)
class Problem:
    """A scenario point without complete, current results.

    Attributes:
        point: the point's key ('' if a damaged file cannot tell).
        status: ``failed``, ``missing``, ``corrupt`` or ``stale``.
        detail: the error, or what is wrong with the file.
        path: the results file concerned.
    """

    point: str
    status: str
    detail: str
    path: str


def _rank(body: dict, point: plan.Point) -> tuple[bool, bool]:
    return body.get("fingerprint") == point.fingerprint, body.get("status") == "complete"


def collect(sweep_dir: Path, sweep_plan: Plan) -> tuple[pd.DataFrame, list[Problem], set[str]]:
    """The runs of every point with complete results for its configuration, and a problem for every other.

    Args:
        sweep_dir: the sweep folder.
        sweep_plan: its plan.

    Returns:
        ``(runs, problems, code versions)``: runs in plan order, then replication;
        problems in plan order, then damaged files; the code fingerprints of the runs.
    """
    bodies: dict[str, tuple[Path, dict]] = {}
    corrupt, problems = [], []
    versions: set[str] = set()
    for path in job_files(sweep_dir):
        try:
            body = store.read(path)
        except store.CorruptResults as error:
            corrupt.append(Problem("", "corrupt", f"{error.reason}; its point runs again on resume",
                                   str(path)))
            continue
        point = sweep_plan.by_key.get(body.get("key"))
        # a folder that held earlier sweeps may have several files for a point: the best for this plan counts
        if point is None:
            continue
        if point.key not in bodies or _rank(body, point) > _rank(bodies[point.key][1], point):
            bodies[point.key] = (path, body)
    rows = []
    for point in sweep_plan.points:
        path, body = bodies.get(point.key, (None, None))
        if body is None:
            problems.append(Problem(point.key, "missing", "no results file (not run yet, still running, "
                                                          "or stopped before writing)", ""))
        elif body.get("fingerprint") != point.fingerprint:
            problems.append(Problem(point.key, "stale", "results of another configuration; "
                                                        "the point runs again on resume", str(path)))
        elif not plan.holds_results_of(body, point):
            error = body.get("error") or {}
            problems.append(Problem(point.key, "failed", f"{error.get('type')}: {error.get('message')}",
                                    str(path)))
        else:
            rows += [{**point.scenario, **run} for run in body["runs"]]
            versions.add(body["provenance"].get("code_sha256"))
    return pd.DataFrame(rows), problems + corrupt, versions


def region_names(sweep_dir: Path, sweep_plan: Plan) -> str:
    """The name of the sweep's region as its file gives it (``region.name``); several joined if it is an axis.

    Read from the configuration recorded in the results files, one file per region
    (empty if no file is readable yet).
    """
    wanted = len({str(p.scenario["region"]) for p in sweep_plan.points}) if "region" in sweep_plan.axes else 1
    names: dict[str, None] = {}
    for path in job_files(sweep_dir):
        try:
            names[store.read(path)["provenance"]["config"]["region"]["name"]] = None
        except (store.CorruptResults, KeyError, TypeError):
            continue
        if len(names) == wanted:
            break
    return ", ".join(names)


def question(region: str) -> str:
    """The headline question, naming the region."""
    return (f"Under which governance rule, and from which initial trust, are {region or 'the region'}'s "
            "initiatives completed?")


def _mean(values: pd.Series, prefix: str, clip: bool = False) -> dict[str, float]:
    mean, low, high = mean_ci(values.to_numpy(dtype=float))
    if clip:
        low, high = max(low, 0.0), min(high, 1.0)
    return {prefix: mean, f"{prefix}_low": low, f"{prefix}_high": high}


def summarise(runs: pd.DataFrame, axes: Sequence[str]) -> pd.DataFrame:
    """One row per scenario point: the outcome measures over its replications with 95% intervals.

    Rates are means over runs of each run's rate, with normal-approximation
    intervals over the runs (the runs, not the initiatives, are independent);
    the turned-away share is a share of runs, with a Wilson interval, and
    ``left_<council>`` the number of runs in which that council turned away,
    for every council of the runs (``turned_away_month_<council>``), so that
    every sweep of a region has the same columns.

    Args:
        runs: the tidy table of runs.
        axes: the scenario axes (the grouping columns).

    Returns:
        The summary table, points in the order they first appear in ``runs`` (one row if
        there are no axes: a sweep of one point).
    """
    named = [c.removeprefix(COUNCIL_COLUMN) for c in runs.columns if c.startswith(COUNCIL_COLUMN)]
    councils = dict.fromkeys(named + [n for cell in runs["turned_away"] for n in names_of(cell)])
    rows = []
    groups = runs.groupby(list(axes), sort=False, dropna=False) if axes else [((), runs)]
    for values, group in groups:
        values = values if isinstance(values, tuple) else (values,)
        started = group["started"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            stranded = pd.Series(np.where(started > 0, group["stranded"] / started, np.nan))
        names = group["turned_away"].map(names_of)
        away = names.map(len) > 0
        share, low, high = proportion_ci(int(away.sum()), len(group))
        left = pd.Series([n for row in names for n in row], dtype=object).value_counts()
        rows.append({
            **dict(zip(axes, values, strict=True)),
            "runs": len(group),
            "initiatives_started": float(group["started"].mean()),
            **_mean(group["completion_rate"], "completion_rate", clip=True),
            **{k: v for rate in RATES for k, v in _mean(group[rate], rate, clip=True).items()},
            **_mean(stranded, "stranded_share", clip=True),
            **_mean(group["opgaven_progressed_per_year"], "opgaven_progressed_per_year"),
            "median_months_to_completion": float(group["median_months_to_completion"].median()),
            **_mean(group["mean_trust_end_in_region"], "mean_trust_end_in_region", clip=True),
            **_mean(group["mean_trust_end"], "mean_trust_end", clip=True),
            "turned_away_share": share, "turned_away_share_low": low, "turned_away_share_high": high,
            **{f"left_{name}": int(left.get(name, 0)) for name in councils},
        })
    return pd.DataFrame(rows)


def _level(x: float) -> str:
    """A trust level as people write it, with as many digits as it has: 0.3, 0.45, 1.0."""
    text = format(float(x), ".10g")
    return text if any(c in text for c in ".en") else text + ".0"


def _percent(x: float) -> str:
    """A share as a whole percentage, on the same side of the headline's threshold as the share.

    Rounded to the nearest from the share's shortest decimal form (0.7 is 70%), except that a
    share below the threshold never reads as the threshold: 0.4996 is 49%, never 50%.
    """
    if math.isnan(x):
        return "n/a"
    shown = int(Decimal(repr(float(x))).scaleb(2).quantize(Decimal(1), ROUND_HALF_UP))
    threshold = int(THRESHOLD * 100)
    return f"{threshold - 1 if x < THRESHOLD and shown >= threshold else shown}%"


def _at(row: pd.Series) -> str:
    return (f"{_percent(row['completion_rate'])} at trust {_level(row['trust.initial'])}, 95% CI "
            f"{_percent(row['completion_rate_low'])}-{_percent(row['completion_rate_high'])}")


def curve_line(curve: pd.DataFrame) -> str:
    """What one rule's completion curve says about half of the initiatives, true of every level in it.

    Args:
        curve: the summary rows of one rule, one per initial trust level (``trust.initial``,
            ``completion_rate`` and its ``_low`` and ``_high``).

    Returns:
        ``half or more completed from initial trust X on`` if that holds at X and every
        higher level and at no lower one (with the weakest of those levels and its
        interval); ``less than half ... at any initial trust`` if no level reaches
        half (with the best); otherwise that the curve is not monotone, naming every
        level that reaches half with its interval. Percentages as :func:`_percent` gives them.
    """
    curve = curve.sort_values("trust.initial")
    reached = (curve["completion_rate"] >= THRESHOLD).to_numpy()
    if not reached.any():
        best = curve.loc[curve["completion_rate"].idxmax()] if curve["completion_rate"].notna().any() \
            else curve.iloc[-1]
        return (f"less than half of the initiatives completed at any initial trust (at most "
                f"{_percent(best['completion_rate'])}, at trust {_level(best['trust.initial'])})")
    first = int(np.argmax(reached))
    if reached[first:].all():
        above = curve.iloc[first:]
        weakest = above.loc[above["completion_rate"].idxmin()]
        lowest = curve.iloc[0]
        below = "; no lower level swept" if first == 0 else (
            f"; less at every lower level ({_percent(lowest['completion_rate'])} at trust "
            f"{_level(lowest['trust.initial'])})")
        return (f"half or more completed from initial trust {_level(curve.iloc[first]['trust.initial'])} on "
                f"(lowest {_at(weakest)}){below}")
    levels = [_at(row) for _, row in curve[reached].iterrows()]
    return (f"not monotone in initial trust: half or more completed at {len(levels)} of {len(curve)} levels "
            f"only ({'; '.join(levels)}), less at every other level")


def headline(summary: pd.DataFrame, axes: Sequence[str]) -> list[str]:
    """The answer to the headline question in one line per governance rule, if the sweep asks it.

    Each rule's line is derived from its whole curve (:func:`curve_line`).

    Returns:
        One line per rule, or no lines unless the sweep varies exactly
        ``governance`` and ``trust.initial``.
    """
    if sorted(axes) != ["governance", "trust.initial"] or summary.empty:
        return []
    width = max(len(rule_label(r)) for r in summary["governance"].unique())
    return [f"{rule_label(rule) + ':':<{width + 1}}  {curve_line(curve)}"
            for rule, curve in summary.groupby("governance", sort=False)]


@dataclass
class Report:
    """What an aggregation wrote and found.

    Attributes:
        sweep_dir: the sweep folder.
        experiment: the experiment's name.
        files: each file written, with what it holds.
        problems: the points without complete, current results.
        region: the region's name, from its file.
        answer: the headline answer (empty unless the sweep asks it).
        runs: runs in the tables.
        planned_runs: runs in the plan.
        notes: things to know about the runs in the tables.
    """

    sweep_dir: Path
    experiment: str
    files: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    region: str = ""
    answer: list[str] = field(default_factory=list)
    runs: int = 0
    planned_runs: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """What a person reads at the end of a sweep: where the results are, what failed, the answer."""
        lines = [f"\n{self.experiment}: {self.runs:,} of {self.planned_runs:,} planned runs in the tables. "
                 f"Results in {self.sweep_dir}/"]
        names = {str(path.relative_to(self.sweep_dir)): what for path, what in self.files.items()}
        width = max(map(len, names), default=0)
        lines += [f"  {name:<{width}}  {what}" for name, what in names.items()]
        if self.problems:
            lines.append(f"\n{len(self.problems)} scenario point(s) without results, or damaged results "
                         f"files (also in {FAILURES}; run the same command again to resume):")
            lines += [f"  {p.status:<8} {p.point or p.path}: {p.detail}" for p in self.problems]
        lines += [f"\nNote: {note}" for note in self.notes]
        if self.answer:
            lines += ["", question(self.region), *[f"  {line}" for line in self.answer]]
        return "\n".join(lines)


def parquet_missing() -> str | None:
    """Why the runs table cannot be written as Parquet here (pyarrow not installed), or None if it can."""
    if importlib.util.find_spec("pyarrow") is None:
        return "writing runs.parquet needs pyarrow: pip install 'ijmond-sim[parquet]'"
    return None


def aggregate(sweep_dir: Path, draw: bool = True, parquet: bool = False) -> Report:
    """Build the tables (and figures) of the sweep in ``sweep_dir`` from whatever has completed.

    Everything is written into a stage folder first; only then are the
    tables, figures and answer of an earlier aggregation replaced, each by an
    atomic rename, or removed if there is nothing to put in their place
    (:mod:`ijmond_sim.sweep.folder`). One aggregation of a folder runs at a time.

    Args:
        sweep_dir: a sweep folder (it holds ``sweep.json``).
        draw: also draw the figures.
        parquet: also write the runs table as ``runs.parquet`` (needs pyarrow).

    Returns:
        The report: files written, problems found, the headline answer.
    """
    sweep_dir = Path(sweep_dir)
    with folder.tables_lock(sweep_dir), folder.stage(sweep_dir) as staged:
        report = _aggregate_into(staged, sweep_dir, draw, parquet)
        outdated = [sweep_dir / RUNS, sweep_dir / RUNS_PARQUET, sweep_dir / SUMMARY, sweep_dir / ANSWER,
                    *figures.drawn_files(sweep_dir / FIGURES)]
        folder.publish(staged, sweep_dir, outdated)
    report.files = {sweep_dir / path.relative_to(staged): what for path, what in report.files.items()}
    return report


def _aggregate_into(staged: Path, sweep_dir: Path, draw: bool, parquet: bool) -> Report:
    """Write the tables, figures and answer of the sweep in ``sweep_dir`` into the folder ``staged``."""
    sweep_plan = plan.read_manifest(sweep_dir)
    runs, problems, versions = collect(sweep_dir, sweep_plan)
    report = Report(sweep_dir, sweep_plan.experiment, problems=problems, runs=len(runs),
                    planned_runs=sweep_plan.runs, region=region_names(sweep_dir, sweep_plan))
    if len(versions) > 1:
        report.notes.append(f"the runs come from {len(versions)} versions of the model's code (code_sha256 "
                            "in the results files); run the sweep again into a new folder for one")
    pd.DataFrame([p.__dict__ for p in problems], columns=["point", "status", "detail", "path"]).to_csv(
        staged / FAILURES, index=False)
    if not runs.empty:
        summary = summarise(runs, sweep_plan.axes)
        runs.to_csv(staged / RUNS, index=False)
        summary.to_csv(staged / SUMMARY, index=False)
        report.files[staged / RUNS] = "one row per run: scenario, replication, seed, outcome measures"
        if parquet:
            columns.write_parquet(runs, sweep_plan.axes, staged / RUNS_PARQUET)
            report.files[staged / RUNS_PARQUET] = "the same table of runs, as Parquet"
        report.files[staged / SUMMARY] = "one row per scenario point: outcomes with 95% intervals"
        if draw:
            report.files.update(_draw(staged, runs, summary, sweep_plan, report.region))
        report.answer = headline(summary, sweep_plan.axes)
    report.files[staged / FAILURES] = "the scenario points without results, and why"
    if report.answer:
        (staged / ANSWER).write_text("\n".join([question(report.region), *report.answer]) + "\n")
        report.files[staged / ANSWER] = "the headline answer, one line per governance rule"
    return report


def _draw(staged: Path, runs: pd.DataFrame, summary: pd.DataFrame, sweep_plan: Plan, region: str
          ) -> dict[Path, str]:
    """Draw the figures of a sweep's tables into ``staged/figures``; each file, with what it shows."""
    return figures.draw_all(runs, summary, sweep_plan.axes, staged / FIGURES, threshold=THRESHOLD,
                            region=region)


def draw_figures(sweep_dir: Path, held: bool = False) -> dict[Path, str]:
    """Draw the figures of the sweep in ``sweep_dir`` from its results files and put them in place.

    As :func:`aggregate` does, from the same runs, under the same lock and
    through a stage folder, but leaving the tables alone: what a process of
    its own does after a sweep has written its tables (:mod:`ijmond_sim.sweep.drawer`).

    Args:
        sweep_dir: a sweep folder.
        held: the caller holds the folder's tables lock already.

    Returns:
        Each figure file written, with what it shows (none if no point has results).
    """
    sweep_dir = Path(sweep_dir)
    lock = contextlib.nullcontext() if held else folder.tables_lock(sweep_dir)
    with lock, folder.stage(sweep_dir) as staged:
        sweep_plan = plan.read_manifest(sweep_dir)
        runs = collect(sweep_dir, sweep_plan)[0]
        drawn = {} if runs.empty else _draw(staged, runs, summarise(runs, sweep_plan.axes), sweep_plan,
                                            region_names(sweep_dir, sweep_plan))
        folder.publish(staged, sweep_dir, figures.drawn_files(sweep_dir / FIGURES))
    return {sweep_dir / path.relative_to(staged): what for path, what in drawn.items()}


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ijmond-aggregate`` console script, under the contract of :mod:`.errors`."""
    errors.run_command("ijmond-aggregate", lambda: _main(argv))


def _main(argv: Sequence[str] | None) -> None:
    parser = errors.ArgumentParser(
        prog="ijmond-aggregate",
        description="Build the tables and figures of a sweep folder from whatever has completed, "
                    "and name the scenario points without results. Exit status 1 if there are any.")
    parser.add_argument("sweep_dir", type=Path, help="a sweep folder, e.g. results/governance_comparison")
    parser.add_argument("--no-figures", action="store_true", help="write the tables only")
    parser.add_argument("--parquet", action="store_true", help="also write runs.parquet (needs pyarrow)")
    args = parser.parse_args(argv)
    if args.parquet and parquet_missing():
        raise errors.InputError("--parquet", parquet_missing(), "install pyarrow, or leave --parquet off")
    if not (args.sweep_dir / plan.MANIFEST).is_file():
        raise errors.InputError(str(args.sweep_dir), f"not a sweep folder (it has no {plan.MANIFEST})",
                                "name a folder that ijmond-sweep wrote")
    errors.writable_folder(args.sweep_dir, str(args.sweep_dir))
    errors.writable_folder(args.sweep_dir / FIGURES, str(args.sweep_dir))
    report = aggregate(args.sweep_dir, draw=not args.no_figures, parquet=args.parquet)
    print(report.describe())
    sys.exit(1 if report.problems else 0)
