"""The ``ijmond-calibrate`` command: check the committed files, run or resume ABC-SMC, write the report."""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from ijmond_sim import errors
from ijmond_sim.calibration.bands import Bands, BandsError, read
from ijmond_sim.calibration.fixed import Priors, Settings, read_priors, read_settings
from ijmond_sim.sweep.provenance import git_output

if TYPE_CHECKING:  # the modules that import pyabc, an optional dependency, are imported in main()
    from ijmond_sim.calibration import report
    from ijmond_sim.calibration.inference import Plan
    from ijmond_sim.calibration.posterior import Check
    from ijmond_sim.calibration.sampler import Mapper

PROG = "ijmond-calibrate"


def committed(path: Path) -> tuple[str, str] | None:
    """The last commit of ``path`` and its date; None if it is untracked or has uncommitted changes."""
    where = str(Path(path).resolve())
    log = git_output("log", "-1", "--format=%H %cI", "--", where)
    changed = git_output("status", "--porcelain", "--", where)
    if not log or changed is None or changed.strip():
        return None
    commit, date = log.split()
    return commit, date


def _parser() -> argparse.ArgumentParser:
    parser = errors.ArgumentParser(
        prog=PROG,
        description="Calibrate the uncertain parameters against the report's patterns by ABC-SMC (pyabc) and "
                    "write the calibration report. The bands, the priors and the inference settings must be "
                    "committed before the runs. Run again into the same --out to continue a stopped "
                    "calibration.")
    parser.add_argument("--bands", type=Path, default=Path("calibration/bands.yaml"),
                        help="the bands: patterns and parameter ranges (default: calibration/bands.yaml)")
    parser.add_argument("--priors", type=Path, default=Path("calibration/priors.yaml"),
                        help="the priors and their history (default: calibration/priors.yaml)")
    parser.add_argument("--inference", type=Path, default=Path("calibration/inference.yaml"),
                        help="distance and sampler settings (default: calibration/inference.yaml)")
    parser.add_argument("--out", type=Path, default=Path("calibration"),
                        help="folder for history.db, REPORT.md and the figures (default: calibration)")
    parser.add_argument("--seed", type=errors.seed_argument, default=2013,
                        help="the calibration seed (default 2013)")
    parser.add_argument("--workers", type=int, default=1,
                        help="local processes that evaluate particles (default 1: in this process)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="evaluate particles on a Dask cluster, e.g. tcp://scheduler:8786 "
                             "(docs/calibration.md)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the calibration in --out (refused if there is none)")
    parser.add_argument("--set", dest="scenario", action="append", default=[], metavar="KEY=VALUE",
                        help="a config override added to every run, e.g. years=1 for a quick look "
                             "(repeatable)")
    for name, kind in (("population", int), ("replications", int), ("generations", int),
                       ("predictive-draws", int), ("predictive-replications", int)):
        parser.add_argument(f"--{name}", type=kind,
                            help=f"instead of {name.replace('-', '_')} in --inference (in the report)")
    parser.add_argument("--answer-draws", type=int, default=0, metavar="N",
                        help="run the headline sweep at N posterior draws into --out/answer/ and write its "
                             "answer.txt (default 0: not)")
    parser.add_argument("--answer-set", action="append", default=[], metavar="KEY=VALUE",
                        help="an override for each of those sweeps, e.g. replications=20 or "
                             "hydra/launcher=parallel (repeatable)")
    parser.add_argument("--apply-defaults", action="store_true",
                        help="write the posterior medians into conf/ and their credible intervals into "
                             "calibration/posterior.yaml, and regenerate docs/ODD.md's parameter table "
                             "(after the report)")
    return parser


def _inputs(parser: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[Bands, Priors, Settings]:
    """The three files, read and checked (exit 2 with one line on a bad one)."""
    try:
        bands = read(args.bands)
        priors = read_priors(args.priors, bands)
        settings = read_settings(args.inference)
    except BandsError as error:
        parser.exit(2, f"{PROG}: {error}\n")
    chosen = {k.replace("-", "_"): getattr(args, k.replace("-", "_")) for k in (
        "population", "replications", "generations", "predictive-draws", "predictive-replications")}
    for name, value in chosen.items():
        if value is not None and value < (2 if name == "population" else 1):
            parser.exit(2, f"{PROG}: --{name.replace('_', '-')} = {value}: must be at least "
                           f"{2 if name == 'population' else 1}\n")
    return bands, priors, replace(settings, **{k: v for k, v in chosen.items() if v is not None})


@contextlib.contextmanager
def mapper(workers: int, dask: str | None) -> Iterator[tuple[Mapper, int]]:
    """The map that evaluates particles, and how many it runs at once: in-process, a pool, or Dask."""
    if dask:
        from distributed import Client

        with Client(dask) as client:
            yield client.get_executor().map, max(1, sum(client.ncores().values()))
    elif workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool.map, workers
    else:
        yield map, 1


class Progress:
    """Progress lines on standard error: the generation's particles and the time it has left."""

    def __init__(self, generations: int, every: float = 10.0):
        self.generations, self.every, self.shown = generations, every, -float("inf")

    def __call__(self, t: int, accepted: int, n: int, evaluated: int, seconds: float) -> None:
        """Print a line at most every ``every`` seconds, and when a generation is complete."""
        if seconds - self.shown < self.every and accepted < n:
            return
        self.shown = seconds if accepted < n else -float("inf")
        left = seconds / accepted * (n - accepted) if accepted else float("nan")
        print(f"generation {t} (at most {self.generations}): {accepted} of {n} particles accepted, "
              f"{evaluated} evaluated, {seconds:.0f} s; about {left:.0f} s left in this generation",
              file=sys.stderr, flush=True)


def _commit(path: Path) -> str:
    found = committed(path)
    return f"{found[0][:10]} ({found[1]})" if found else "uncommitted"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ijmond-calibrate``; 0 when the report was written, 2 on bad input."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except errors.InputError as problem:
        errors.stop(PROG, problem)
    if find_spec("pyabc") is None:
        parser.exit(2, f"{PROG}: pyabc is not installed; pip install -e '.[calibration]' installs it\n")
    from ijmond_sim.calibration import defaults, report
    from ijmond_sim.calibration.inference import Plan, calibrate, read_plan
    from ijmond_sim.calibration.sampler import SeededSampler
    for name in ("workers", "answer_draws"):
        if getattr(args, name) < (1 if name == "workers" else 0):
            parser.exit(2, f"{PROG}: --{name.replace('_', '-')} = {getattr(args, name)}: must be at least "
                           f"{1 if name == 'workers' else 0}\n")
    bands, priors, settings = _inputs(parser, args)
    for path in (args.bands, args.priors, args.inference):
        if committed(path) is None:
            parser.exit(2, f"{PROG}: {path} is not committed as it stands; commit it before the runs, so "
                           "the history shows it was fixed first\n")
    plan = Plan.of(args.seed, settings, priors, args.scenario, committed(args.bands)[0])
    stored = read_plan(args.out)
    if args.resume and stored is None:
        parser.exit(2, f"{PROG}: --resume: {args.out} holds no calibration to continue; leave out --resume "
                       "to start one\n")
    if stored is not None and stored != plan:
        parser.exit(2, f"{PROG}: {args.out} holds a calibration with other settings "
                       f"({'; '.join(plan.differences(stored))}); give another --out or the same settings\n")
    start = time.perf_counter()
    commit = (git_output("rev-parse", "--short", "HEAD") or "unknown").strip()
    if (git_output("status", "--porcelain", "--untracked-files=no") or "").strip():
        commit += " with uncommitted changes"
    with mapper(args.workers, args.dask) as (map_, workers):
        sampler = SeededSampler(args.seed, map_, workers, Progress(settings.generations))
        calibrate(args.out, bands, priors, settings, plan, sampler)
        outcome = _posterior(args.out, bands, priors, settings, plan, map_)
    if args.answer_draws:
        outcome = replace(outcome, answer=_answer(args.out, bands, plan, args.answer_draws, args.answer_set))
    provenance = {
        "command": " ".join([PROG, *(argv if argv is not None else sys.argv[1:])]),
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
        "seconds": f"{time.perf_counter() - start:.0f}",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                   f"{'a Dask cluster' if args.dask else f'{args.workers} worker(s)'}"
                   + (" (resumed: this call's time only)" if stored is not None else ""),
        "bands_commit": _commit(args.bands), "inference_commit": _commit(args.inference),
        "priors_commit": _commit(args.priors), "pyabc": version("pyabc"), "seed": str(args.seed),
        "scenario": " ".join(args.scenario),
    }
    path = report.write(args.out, bands, priors, settings, provenance, outcome)
    print(f"{PROG}: {sampler.evaluated} particle evaluations in this call; report: {path}")
    if args.apply_defaults:
        run = {"report": path.as_posix(), **{k: provenance[k] for k in ("commit", "finished", "seed")}}
        missing = defaults.apply(bands, outcome.estimates, run, Path.cwd())
        print(f"{PROG}: posterior medians written into conf/, their intervals into "
              "calibration/posterior.yaml, docs/ODD.md's parameter table regenerated"
              + (f"; no ODD table row for {', '.join(missing)}: edit the text by hand" if missing else ""))
    return 0


def _posterior(out: Path, bands: Bands, priors: Priors, settings: Settings, plan: Plan,
               map_: Mapper) -> report.Outcome:
    """The posterior of the calibration in ``out``: its summary, the predictive checks and the figures."""
    from ijmond_sim.calibration import plots, posterior, report
    from ijmond_sim.calibration.inference import history

    stored = history(out)
    frame, weights = posterior.particles(stored)
    ranges = {p.name: (p.low, p.high) for p in priors.priors}
    estimates = posterior.summary(frame, weights, ranges)
    draws = posterior.draws(frame, weights, settings.predictive_draws, [plan.seed, 0])
    checks = list(map_(_draw_check, [(bands, settings, plan, k, d) for k, d in enumerate(draws)]))
    median = {e.name: e.median for e in estimates}
    point = posterior.check_point(bands, median, settings.predictive_draws * settings.predictive_replications,
                                  plan.seed, "median point", plan.scenario)
    figures = [*plots.marginals(frame, weights, ranges, out / "figures" / "marginals"),
               *plots.pairs(frame, weights, ranges, out / "figures" / "pairs")]
    return report.Outcome(posterior.generations(stored), estimates, posterior.piling(frame, weights, ranges),
                          posterior.predictive(bands, checks), point, frame.assign(weight=weights),
                          [f.relative_to(out).as_posix() for f in figures])


def _answer(out: Path, bands: Bands, plan: Plan, n: int, extra: Sequence[str]) -> list[str]:
    """The headline sweep at ``n`` posterior draws, into ``out/answer``; the answer's lines."""
    from ijmond_sim.calibration import answer, posterior
    from ijmond_sim.calibration.inference import history

    frame, weights = posterior.particles(history(out))
    answer.run_draws(bands, posterior.draws(frame, weights, n, [plan.seed, 1]), out / "answer", extra)
    return answer.write(out / "answer").read_text().splitlines()


def _draw_check(job: tuple) -> Check:
    """The bands at one posterior draw (``job``: bands, settings, plan, the draw's number, its values)."""
    from ijmond_sim.calibration.posterior import check_point

    bands, settings, plan, k, values = job
    return check_point(bands, values, settings.predictive_replications, plan.seed, f"predictive draw {k}",
                       plan.scenario)


if __name__ == "__main__":
    sys.exit(main())
