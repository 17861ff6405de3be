"""Runs per second of the ABC-SMC calibration against a plain loop of the same runs (docs/calibration.md).

    .venv/bin/python benchmarks/calibration_speed.py [--population 6] [--replications 8] [--workers 1]

A small calibration (two generations) runs in a temporary folder with the
committed files' other settings; every particle it evaluates is recorded. Then
the same parameter sets run again in a plain loop, each with as many runs
(through the same compose-and-run function, without pyabc, its database or the
sampler). One untimed run first takes the imports and Hydra's first compose
out of both. Both are timed by wall clock and by this process's CPU time (the
workers' CPU is not in the latter).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ijmond_sim.calibration.bands import read
from ijmond_sim.calibration.command import mapper
from ijmond_sim.calibration.fixed import read_priors, read_settings
from ijmond_sim.calibration.inference import Plan, calibrate, evaluate_rows, parameter_overrides
from ijmond_sim.calibration.sampler import SeededSampler
from ijmond_sim.sweep.replicate import replication_seeds


def main() -> None:
    """Print the two rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=6)
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--generations", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    bands = read(Path("calibration/bands.yaml"))
    priors = read_priors(Path("calibration/priors.yaml"), bands)
    settings = replace(read_settings(Path("calibration/inference.yaml")), population=args.population,
                       replications=args.replications, generations=args.generations)
    plan = Plan.of(1, settings, priors, [], "benchmark")
    evaluated = []
    evaluate_rows(bands, [], replication_seeds(1, "warm-up", 1))  # imports and Hydra's first compose, untimed
    with tempfile.TemporaryDirectory() as out, mapper(args.workers, None) as (map_, workers):
        def recording(function, numbers):
            for number, particle in map_(function, numbers):
                evaluated.append(dict(particle.parameter))
                yield number, particle

        start, cpu = time.perf_counter(), time.process_time()
        calibrate(Path(out), bands, priors, settings, plan, SeededSampler(1, recording, workers))
        abc, abc_cpu = time.perf_counter() - start, time.process_time() - cpu
    runs = len(evaluated) * args.replications
    start, cpu = time.perf_counter(), time.process_time()
    for k, values in enumerate(evaluated):
        evaluate_rows(bands, parameter_overrides(bands, values),
                      replication_seeds(1, f"plain {k}", args.replications))
    plain, plain_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{len(evaluated)} particle evaluations x {args.replications} runs = {runs} runs of "
          f"{bands.scenario} ten years; ABC with {args.workers} worker(s)")
    print(f"ABC-SMC:    {abc:6.1f} s wall ({runs / abc:5.1f} runs/s), {abc_cpu:6.1f} s CPU in this process")
    print(f"plain loop: {plain:6.1f} s wall ({runs / plain:5.1f} runs/s), {plain_cpu:6.1f} s CPU")
    print(f"ABC-SMC reached {plain / abc:.2f} x the plain loop's runs per second")


if __name__ == "__main__":
    main()
