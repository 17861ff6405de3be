"""The ``ijmond-calibrate`` command: check the bands are committed, search, write the report."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ijmond_sim import errors
from ijmond_sim.calibration import report
from ijmond_sim.calibration.bands import BandsError, read
from ijmond_sim.calibration.search import check_defaults, medoid, refined_box, search
from ijmond_sim.sweep.provenance import git_output


def committed(path: Path) -> tuple[str, str] | None:
    """The last commit of ``path`` and its date; None if it is untracked or has uncommitted changes."""
    where = str(Path(path).resolve())
    log = git_output("log", "-1", "--format=%H %cI", "--", where)
    changed = git_output("status", "--porcelain", "--", where)
    if not log or changed is None or changed.strip():
        return None
    commit, date = log.split()
    return commit, date


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ijmond-calibrate``; 0 when the report was written, 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="ijmond-calibrate",
        description="Search the uncertain parameters against the report's patterns at once (a Latin "
                    "hypercube with acceptance bands) and write the calibration report. The bands file "
                    "must be committed before the runs.")
    parser.add_argument("--bands", type=Path, default=Path("calibration/bands.yaml"),
                        help="the bands file (default: calibration/bands.yaml)")
    parser.add_argument("--out", type=Path, default=Path("calibration"),
                        help="folder for REPORT.md and sets.csv (default: calibration)")
    parser.add_argument("--sets", type=int, default=200,
                        help="parameter sets of the first stage, over the whole ranges (default 200)")
    parser.add_argument("--refine-sets", type=int, default=200,
                        help="parameter sets of the second stage, around the first stage's best "
                             "(default 200;"
                             " 0: one stage)")
    parser.add_argument("--replications", type=int, default=16, help="runs per set (default 16)")
    parser.add_argument("--check-replications", type=int, default=200,
                        help="fresh runs to check the current defaults (default 200)")
    parser.add_argument("--seed", type=errors.seed_argument, default=2013, help="base seed (default 2013)")
    args = parser.parse_args(argv)
    if args.refine_sets < 0:
        parser.exit(2, "ijmond-calibrate: --refine-sets must be >= 0\n")
    for name in ("sets", "replications", "check_replications"):
        if getattr(args, name) < 1:
            parser.exit(2, f"ijmond-calibrate: --{name.replace('_', '-')} must be >= 1\n")
    try:
        bands = read(args.bands)
    except BandsError as error:
        parser.exit(2, f"ijmond-calibrate: {error}\n")
    fixed = committed(args.bands)
    if fixed is None:
        parser.exit(2, f"ijmond-calibrate: {args.bands} is not committed as it stands; commit the bands "
                       "before the runs, so the history shows they were fixed first\n")
    start, commit = time.perf_counter(), (git_output("rev-parse", "--short", "HEAD") or "unknown").strip()
    if (git_output("status", "--porcelain", "--untracked-files=no") or "").strip():
        commit += " with uncommitted changes"

    def progress(done: int, total: int) -> None:
        if done % 10 == 0 or done == total:
            print(f"[{time.perf_counter() - start:6.0f} s] {done} of {total} sets of this stage",
                  file=sys.stderr, flush=True)

    results = search(bands, args.sets, args.replications, args.seed, progress=progress)
    box = None
    if args.refine_sets:
        box = refined_box(bands, results)
        results += search(bands, args.refine_sets, args.replications, args.seed, box=box, stage=2,
                          first_index=len(results), progress=progress)
    accepted = [r for r in results if r.accepted]
    defaults = check_defaults(bands, args.check_replications, args.seed)
    provenance = {
        "command": "ijmond-calibrate " + " ".join(argv if argv is not None else sys.argv[1:]),
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "bands_commit": fixed[0][:10], "bands_date": fixed[1],
        "sets": str(args.sets), "refine_sets": str(args.refine_sets),
        "replications": str(args.replications), "base_seed": str(args.seed),
        "check_replications": str(args.check_replications),
        "seconds": f"{time.perf_counter() - start:.0f}",
    }
    path = report.write(args.out, bands, provenance, results, medoid(bands, accepted) if accepted else None,
                        defaults, box)
    print(f"{len(accepted)} of {len(results)} sets accepted; the current defaults "
          f"{'pass' if defaults.accepted else 'do NOT pass'} every band. Report: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
