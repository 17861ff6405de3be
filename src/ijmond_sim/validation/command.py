"""The ``ijmond-validate`` command: patterns, knockouts, verification, sensitivity; writes REPORT.md.

Every run goes through the sweep engine into ``<out>/runs/`` (:mod:`ijmond_sim.validation.runs`):
a validation that was stopped, run again with the same options, runs only what has no results yet.
By default it writes into a folder of its own, ``outputs/validation/<full|fast>-seed<seed>/``; only
``--report`` regenerates the committed report in ``validation/`` (the full validation).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ijmond_sim import errors
from ijmond_sim.sweep import launchers
from ijmond_sim.validation import report, runs, sensitivity, verification
from ijmond_sim.validation.patterns import FAST, FULL, Context, PatternResult, evaluate_all
from ijmond_sim.validation.scenarios import compose_defaults

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "validation"  # the committed report: written only with --report
RUNS_FOLDER = Path("outputs") / "validation"  # a validation's default: a folder per budget and seed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = errors.ArgumentParser(
        prog="ijmond-validate",
        description="Validate the model against the patterns of 'Kansenonderzoek IJmond' and the literature, "
                    "and run a global sensitivity analysis (SALib: Morris, then Sobol). Writes REPORT.md "
                    "and its figures. The full version takes minutes; --fast takes well under a minute.",
    )
    parser.add_argument("--fast", action="store_true",
                        help="few replications: checks that every pattern is evaluated, verdicts indicative")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"folder for REPORT.md and the figures (default: {RUNS_FOLDER}/"
                             "<full|fast>-seed<seed>; validation/ only with --report)")
    parser.add_argument("--report", action="store_true",
                        help="regenerate the committed report in validation/ (the full validation only)")
    parser.add_argument("--seed", type=errors.seed_argument, default=2013,
                        help="base seed of every replication (default: 2013)")
    launchers.add_options(parser)
    parser.add_argument("--progress-seconds", type=float, default=30.0,
                        help="seconds between progress lines of a sweep that runs (default: 30)")
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    return parser.parse_args(argv)


def out_folder(out: Path | None, committed: bool, budget: str, seed: int) -> Path:
    """Where the validation writes: a folder of its own, ``--out``, or the committed report's (``--report``).

    Raises:
        errors.InputError: ``--report`` with ``--fast`` or another ``--out``; ``--out`` naming the committed
            report's folder without ``--report``.
    """
    if committed:
        if budget != FULL.name:
            raise errors.InputError("--report --fast", "the committed report is the full validation",
                                    "leave --fast off, or --report off to write a fast validation elsewhere")
        if out is not None and out.resolve() != COMMITTED.resolve():
            raise errors.InputError(f"--report --out {out}", "--report writes the committed report in "
                                    f"{COMMITTED}", "leave --out off, or --report off")
        return COMMITTED
    if out is None:
        return RUNS_FOLDER / f"{budget}-seed{seed}"
    if out.resolve() == COMMITTED.resolve():
        raise errors.InputError(f"--out {out}", "the committed report's folder",
                                "add --report to regenerate the committed report, or choose another folder")
    return out


def progress_printer(quiet: bool) -> Callable[[str], None]:
    """A progress logger that prints elapsed seconds and a message to stderr."""
    start = time.perf_counter()

    def log(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - start:7.1f} s] {message}", file=sys.stderr, flush=True)
    return log


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``ijmond-validate``; returns 0 when the report was written."""
    args = parse_args(argv)
    launch = launchers.chosen(args)
    workers = launch.workers
    if args.progress_seconds <= 0:
        raise errors.InputError(f"--progress-seconds {args.progress_seconds}", "not a positive interval",
                                "a number of seconds > 0")
    budget = FAST if args.fast else FULL
    args.out = out_folder(args.out, args.report, budget.name, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    log = progress_printer(args.quiet)
    commit, dirty = report.git_state(REPO, ignore=args.out)
    started = datetime.now(UTC)
    stages: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        stages[stage] = time.perf_counter() - clock
        clock = time.perf_counter()

    log(f"{budget.name} validation into {args.out}/ (commit {commit[:10]}{', dirty tree' if dirty else ''}), "
        f"{args.launcher} launcher" + (f", {workers} workers" if workers > 1 else ""))
    bases = compose_defaults()
    with runs.runner(args.out, launch, log, args.progress_seconds) as runner:
        ctx = Context(bases, budget, args.seed, args.out, runner, log)
        results = evaluate_all(ctx)
        lap("patterns and knockouts")
        checks = verification.verify_all(ctx)
        lap("verification")
        factors = sensitivity.main_factors(bases["optional"])
        log(f"Morris screening: {budget.morris_trajectories} trajectories x {budget.morris_runs} runs")
        morris = sensitivity.morris(factors, sensitivity.model_outputs(ctx.run, bases, "morris"),
                                    budget.morris_trajectories, budget.morris_runs, args.seed)
        lap("Morris screening")
        log("important factors: " + ", ".join(f.name for f in morris.important()))
        chosen = morris.for_sobol()
        log("Sobol indices for: " + ", ".join(f.name for f in chosen))
        sobol = sensitivity.sobol(chosen, sensitivity.model_outputs(ctx.run, bases, "sobol"), budget.sobol_n,
                                  budget.sobol_runs, args.seed)
        lap("Sobol indices")
    launched = f" --launcher {args.launcher} --workers {workers}" if args.launcher != "basic" else ""
    flags = f"{' --fast' if args.fast else ''}{' --report' if args.report else ''}{launched}"
    provenance = report.Provenance(f"ijmond-validate{flags}", budget,
                                   args.seed, commit, dirty, started, stages)
    path = report.write(args.out, results, checks, ctx.criteria, morris, sobol, provenance)
    write_verdicts(args.out / "verdicts.json", results, checks, ctx.criteria.version, budget.name)
    counted = sum(r.counts for r in results)
    print(f"{counted} of {len(results)} patterns pass and are diagnostic ({budget.name} validation, "
          f"{provenance.seconds:.0f} s):")
    for r in results:
        ko = r.knocked_out
        print(f"  {r.verdict:<14} {r.key:<28} {r.result:<28} knockout: {ko.verdict if ko else '-'}")
    print(f"{sum(c.passed for c in checks)} of {len(checks)} verification checks pass:")
    for c in checks:
        print(f"  {c.verdict:<14} {c.key:<28} {c.result}")
    print(f"Report: {path}")
    return 0


def cli() -> int:
    """Entry point of the ``ijmond-validate`` console script: :func:`main` under the error contract."""
    return errors.run_command("ijmond-validate", main)


def write_verdicts(path: Path, results: list[PatternResult], checks: list[PatternResult], version: int,
                   budget: str) -> None:
    """The verdicts as JSON beside the report: per pattern with and without its mechanism, per check."""
    data = {
        "budget": budget, "criteria_version": version,
        "patterns": {r.key: {"verdict": r.verdict, "passed": r.passed, "value": r.value,
                             "knockout": r.knockout.key if r.knockout else None,
                             "knockout_passed": r.knocked_out.passed if r.knocked_out else None}
                     for r in results},
        "verification": {c.key: {"verdict": c.verdict, "passed": c.passed, "value": c.value} for c in checks},
    }
    path.write_text(json.dumps(data, indent=2, allow_nan=True) + "\n")


if __name__ == "__main__":
    sys.exit(cli())
