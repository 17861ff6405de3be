"""How much each calibration statistic varies over seeds, in band widths, for R runs per particle.

Runs the bands' scenario at the current defaults ``--runs`` times, then draws
``--subsets`` subsets of R runs for each R and prints, per pattern, the standard
deviation of its statistic over the subsets divided by its band's width. The
replications per particle in ``calibration/inference.yaml`` were chosen from
this table. Usage: ``python scripts/calibration_spread.py [--runs 160]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from ijmond_sim.calibration.bands import read
from ijmond_sim.calibration.inference import evaluate_rows
from ijmond_sim.sweep.replicate import replication_seeds


def spread(bands, rows, size: int, subsets: int, rng: np.random.Generator) -> dict[str, float]:
    """Per pattern: the standard deviation of its statistic over subsets of ``size`` runs, in band widths."""
    values = [bands.statistics([rows[i] for i in rng.choice(len(rows), size, replace=False)])
              for _ in range(subsets)]
    return {p.name: float(np.nanstd([v[p.name] for v in values])) / (p.high - p.low or 1.0)
            for p in bands.patterns}


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bands", type=Path, default=Path("calibration/bands.yaml"))
    parser.add_argument("--runs", type=int, default=160)
    parser.add_argument("--subsets", type=int, default=200)
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 16, 24, 32, 48])
    args = parser.parse_args()
    bands = read(args.bands)
    rows = evaluate_rows(bands, [], replication_seeds(7, "spread", args.runs))
    rng = np.random.default_rng(0)
    print("R  " + "  ".join(p.name for p in bands.patterns))
    for size in args.sizes:
        table = spread(bands, rows, size, args.subsets, rng)
        print(f"{size:<3}" + "  ".join(f"{table[p.name]:>{len(p.name)}.2f}" for p in bands.patterns))


if __name__ == "__main__":
    main()
