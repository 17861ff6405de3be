"""The cost of one ``ijmond_sim.simulate`` call against one model run of the same scenario (median ratio).

Usage: .venv/bin/python benchmarks/api_cost.py [calls]

Each call gets a new parameter value (as EMA Workbench or SALib would give), so
the cached composition is reused but the scenario is built anew; the model run
is ``RegionModel(scenario, seed).run()`` on a prebuilt scenario without
per-month collection, as ``simulate`` runs it.
"""

import statistics
import sys
import time

import numpy as np

import ijmond_sim
from ijmond_sim import api
from ijmond_sim.model import RegionModel
from ijmond_sim.sweep.replicate import run_once


def main() -> None:
    """Time interleaved calls and print medians and their ratio."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    values = np.linspace(0.1, 0.9, n)
    ijmond_sim.simulate(initial_trust=0.5)  # composes the default rule once
    world = api.scenario(initial_trust=0.45, collect=False)
    sim, bare, once = [], [], []
    for k, x in enumerate(values):
        tic = time.perf_counter()
        ijmond_sim.simulate(initial_trust=x, voluntary_surplus=2.0, seed=k)
        sim.append(time.perf_counter() - tic)
        tic = time.perf_counter()
        RegionModel(world, seed=k).run()
        bare.append(time.perf_counter() - tic)
        tic = time.perf_counter()
        run_once(world, k)
        once.append(time.perf_counter() - tic)
    s, b, o = (statistics.median(t) * 1000 for t in (sim, bare, once))
    print(f"{n} calls, medians: simulate() {s:.1f} ms, model run {b:.1f} ms, "
          f"model run with the yearly trust trajectory (what simulate runs) {o:.1f} ms")
    print(f"ratio simulate / model run: {s / b:.2f}; simulate / run with trajectory: {s / o:.2f}")


if __name__ == "__main__":
    main()
