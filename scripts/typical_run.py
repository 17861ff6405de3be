"""How typical one run is: the README's example run beside the spread of many runs with other seeds.

Usage: ``.venv/bin/python scripts/typical_run.py [--seed 42] [--runs 200] [key=value ...]``

Prints the example run's summary, then, over ``--runs`` runs with seeds derived
as in a sweep: the median and the 10-90% range of completed initiatives and of
completion over ended, the share of runs that complete at most as many and at
least as many initiatives as the example, and the share with the same exit
outcome (the same councils turned away, or nobody).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from ijmond_sim import config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.measures import format_summary, run_summary
from ijmond_sim.sweep.replicate import replication_seeds, run_replications


def main(argv: Sequence[str] | None = None) -> None:
    """Print the example run and how typical it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42, help="the example run's seed (default 42)")
    parser.add_argument("--runs", type=int, default=200, help="runs to compare with (default 200)")
    parser.add_argument("overrides", nargs="*", help="config overrides, key=value")
    args = parser.parse_args(argv)
    cfg = config.compose(["collect=false", *args.overrides])
    config.validate(cfg)
    scenario = Scenario.from_config(cfg)
    example = run_summary(RegionModel(scenario, seed=args.seed).run())
    print(format_summary(example, f"seed {args.seed}"))
    runs = run_replications(scenario, replication_seeds(args.seed, "typical-run", args.runs))
    completed = np.array([r["completed"] for r in runs])
    started = np.median([r["started"] for r in runs])
    mine = example["completed"]
    ended = np.array([r["completion_rate_ended"] for r in runs], dtype=float)
    print(f"\nOver {len(runs)} runs with other seeds:")
    print(f"  completed      median {np.median(completed):.0f}, 10-90% {np.quantile(completed, 0.1):.0f}-"
          f"{np.quantile(completed, 0.9):.0f} (of median {started:.0f} started)")
    print(f"  of ended       median {np.nanmedian(ended):.0%}, 10-90% {np.nanquantile(ended, 0.1):.0%}-"
          f"{np.nanquantile(ended, 0.9):.0%}")
    print(f"  like seed {args.seed}: {np.mean(completed <= mine):.0%} of runs complete at most {mine}, "
          f"{np.mean(completed >= mine):.0%} at least as many; "
          f"{np.mean([r['turned_away'] == example['turned_away'] for r in runs]):.0%} have the same exit "
          f"outcome ({example['turned_away'] or 'nobody turned away'})")


if __name__ == "__main__":
    main()
