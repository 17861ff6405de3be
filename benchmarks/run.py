"""Speed benchmarks of ijmond-sim: measures, prints and records how fast the model runs (docs/benchmarks.md).

    .venv/bin/python benchmarks/run.py             # everything (about 10 minutes); or: make bench
    .venv/bin/python benchmarks/run.py --quick     # fewer repeats: a smoke check, not a measurement
    .venv/bin/python benchmarks/run.py --profile   # also print where the time goes

Every time is the median over repeats of wall time (``time.perf_counter``),
after one warm-up run; the targets apply to it. Beside it stands the median CPU
time of the same repeats, which another program on the machine disturbs far
less. Each run appends one row per measure, with date, commit and machine, to
``benchmarks/results/results.csv``.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import dataclasses
import io
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import mesa
import numpy as np
from hydra import initialize_config_module
from hydra.core.global_hydra import GlobalHydra

from ijmond_sim import config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.model.synthetic import synthetic_region
from ijmond_sim.sweep import folder, plan, provenance, tables
from ijmond_sim.sweep.command import run_in_process, sweep_schema

RESULTS = Path(__file__).resolve().parent / "results" / "results.csv"
COLUMNS = ("date", "commit", "machine", "measure", "value", "cpu", "unit", "repeats", "target", "met")
SIZES = (4, 36, 100, 342)
EXPERIMENT = "governance_comparison"   # the sweep measured: the headline experiment
# The fixed cost per point: the headline's three rules x 667 levels of initial trust = 2,001 points,
# one one-year run each, so that the runs are short and what the sweep adds stands out.
FIXED_COST_DESIGN = ("trust.initial=range(0,1,0.0015)", "replications=1", "years=1")
PROJECTED_CORES = (16, 64)
SEED = 42                   # the default config's seed: the model's seed in every measure
REGION_SEED = 1             # the synthetic regions' seed


@dataclass(frozen=True)
class Measure:
    """One measured number.

    Attributes:
        name: what was measured, e.g. ``default_run``.
        value: the median wall time (or the number derived from wall times).
        unit: ``ms``, ``us``, ``s``, ``MiB``, ``%``, ``x`` (a ratio) or ``exponent``.
        repeats: how many timed repeats the median is over (0 for derived numbers).
        target: the bound the issue sets, e.g. ``<= 10``, or empty.
        cpu: the same from CPU time, where it means something.
    """

    name: str
    value: float
    unit: str
    repeats: int = 0
    target: str = ""
    cpu: float | None = None

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None without a target)."""
        if not self.target:
            return None
        bound = float(self.target[3:])
        return self.value >= bound if self.target.startswith(">=") else self.value <= bound


# -- what is measured -------------------------------------------------------------------------


def default_scenario(**changes) -> Scenario:
    """The default IJmond scenario, composed from conf/ exactly as ``ijmond-sim`` does."""
    cfg = config.compose()
    config.validate(cfg)
    return dataclasses.replace(Scenario.from_config(cfg), **changes)


def synthetic_scenario(n_councils: int, collect: bool = True) -> Scenario:
    """The default scenario on a synthetic region of ``n_councils`` councils."""
    return default_scenario(region=synthetic_region(n_councils, REGION_SEED), collect=collect)


class IdleCouncil(mesa.Agent):
    """An agent that does nothing: what Mesa costs per agent and step, and nothing else."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.value = 0.0

    def step(self) -> None:
        """Do nothing."""


class FloorModel(mesa.Model):
    """Mesa's own floor: four idle agents, shuffled every step, measured like the region model.

    Args:
        months: steps to run.
        reporters: how many model and agent measures to collect every step (none: no collection).
        seed: the seed.
    """

    def __init__(self, months: int, reporters: tuple[int, int] | None, seed: int) -> None:
        super().__init__(rng=seed)
        self.months = months
        self.value = 0
        for _ in range(4):
            IdleCouncil(self)
        self.datacollector = None if reporters is None else mesa.DataCollector(
            model_reporters={f"m{i}": "value" for i in range(reporters[0])},
            agent_reporters={f"a{i}": "value" for i in range(reporters[1])},
        )
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def step(self) -> None:
        """Shuffle the idle agents and collect."""
        self.agents.shuffle_do("step")
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def run(self) -> FloorModel:
        """Run all months; return self."""
        self.run_for(self.months)
        return self


def reporter_counts(scenario: Scenario) -> tuple[int, int]:
    """How many model and agent measures the region model collects each month."""
    collector = RegionModel(scenario, seed=SEED).datacollector
    return len(collector.model_reporters), len(collector.agent_reporters)


@dataclass(frozen=True)
class Timing:
    """Median seconds of one piece of work.

    Attributes:
        wall: median wall time.
        cpu: median CPU time of this process and the processes it waited for.
    """

    wall: float
    cpu: float

    def __truediv__(self, other: Timing) -> Timing:
        return Timing(self.wall / other.wall, self.cpu / other.cpu)

    def measure(self, name: str, scale: float, unit: str, repeats: int = 0, target: str = "") -> Measure:
        """This timing times ``scale`` as a measure."""
        return Measure(name, scale * self.wall, unit, repeats, target, scale * self.cpu)


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished child processes."""
    children = os.times()
    return time.process_time() + children.children_user + children.children_system


def median_timing(run: Callable[[], object], repeats: int, warm_up: bool = True) -> Timing:
    """Median wall and CPU time of ``run()`` over ``repeats`` calls, after one warm-up call if ``warm_up``."""
    if warm_up:
        run()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def peak_mib(run: Callable[[], object]) -> float:
    """Peak memory allocated by Python and numpy during one ``run()``, in MiB (tracemalloc)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def growth_exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """The exponent b of a least-squares fit ``seconds ~ a * size**b`` on log-log axes."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def single_run(repeats: int) -> list[Measure]:
    """The default IJmond run with and without collection, and Mesa's floor for the same work."""
    on, off = default_scenario(), default_scenario(collect=False)
    months, reporters = on.months, reporter_counts(on)
    run_on = median_timing(lambda: RegionModel(on, seed=SEED).run(), repeats)
    run_off = median_timing(lambda: RegionModel(off, seed=SEED).run(), repeats)
    floor_on = median_timing(lambda: FloorModel(months, reporters, SEED).run(), repeats)
    floor_off = median_timing(lambda: FloorModel(months, None, SEED).run(), repeats)
    collection = Timing(1 - run_off.wall / run_on.wall, 1 - run_off.cpu / run_on.cpu)
    return [
        run_on.measure("default_run", 1e3, "ms", repeats, "<= 10"),
        run_on.measure("default_step", 1e6 / months, "us", repeats),
        Measure("default_peak_memory", peak_mib(lambda: RegionModel(on, seed=SEED).run()), "MiB", 1),
        run_off.measure("no_collection_run", 1e3, "ms", repeats),
        collection.measure("collection_share", 100, "%"),
        floor_on.measure("mesa_floor_run", 1e3, "ms", repeats),
        floor_off.measure("mesa_floor_no_collection_run", 1e3, "ms", repeats),
        (run_on / floor_on).measure("ratio_to_floor", 1, "x", 0, "<= 5"),
        (run_off / floor_off).measure("ratio_to_floor_no_collection", 1, "x"),
    ]


def scaling(repeats: int) -> list[Measure]:
    """Time per step of ten-year runs on synthetic regions of growing size, and the growth exponent."""
    measures, per_step = [], []
    for n in SIZES:
        scenario = synthetic_scenario(n)
        reps = max(3, repeats * 4 // n)
        timing = median_timing(lambda s=scenario: RegionModel(s, seed=SEED).run(), reps)
        per_step.append(timing.wall / scenario.months)
        target = "<= 50" if n == max(SIZES) else ""
        measures.append(timing.measure(f"step_{n}_councils", 1e3 / scenario.months, "ms", reps, target))
    measures.append(Measure("growth_exponent", growth_exponent(SIZES, per_step), "exponent"))
    big = synthetic_scenario(max(SIZES))
    measures.append(Measure(f"peak_memory_{max(SIZES)}_councils",
                            peak_mib(lambda: RegionModel(big, seed=SEED).run()), "MiB", 1))
    return measures


def run_sweep(overrides: Sequence[str], sweep_dir: Path | None = None) -> Timing:
    """Run ``ijmond-sweep`` as a user does, in a fresh process, into ``sweep_dir`` (or a temporary one).

    Returns the wall time of the command and the CPU time of its process (and
    the processes it waited for). Then, off the clock, waits until the figures
    that a process of their own draws after the command has ended are in place
    (it holds the folder's tables lock), so that they never overlap the next measure.
    """
    command = Path(sys.executable).with_name("ijmond-sweep")
    with tempfile.TemporaryDirectory() as tmp:
        target = sweep_dir or Path(tmp) / "sweep"
        wall, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([str(command), *overrides, f"hydra.sweep.dir={target}"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timing = Timing(time.perf_counter() - wall, cpu_seconds() - cpu)
        with folder.tables_lock(target):
            pass
    return timing


def medians(timings: Sequence[Timing]) -> Timing:
    """The median wall and the median CPU time of several timings."""
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def plain_loop(overrides: Sequence[str]) -> tuple[int, Timing]:
    """Points of ``experiment=EXPERIMENT <overrides>`` and the wall and CPU time of their runs, as a loop."""
    rows, seconds = run_in_process(EXPERIMENT, overrides,
                                   clock=lambda: np.array([time.perf_counter(), cpu_seconds()]))
    return len({row["point"] for row in rows}), Timing(*seconds)


def fixed_cost(repeats: int) -> list[Measure]:
    """What ``ijmond-sweep`` adds per point on a 2,001-point design of one-year runs, over a plain loop.

    (sweep - plain loop) / points: start-up, planning, launching, writing and
    reading results and the tables, spread over the points. Loop and sweep take turns.
    """
    overrides = [f"experiment={EXPERIMENT}", *FIXED_COST_DESIGN]
    loops, sweeps = [], []
    for _ in range(repeats):
        points, timing = plain_loop(FIXED_COST_DESIGN)
        loops.append(timing)
        sweeps.append(run_sweep(overrides))
    loop, sweep = medians(loops), medians(sweeps)
    extra = Timing(sweep.wall - loop.wall, sweep.cpu - loop.cpu)
    return [
        Measure("fixed_cost_points", points, "points"),
        sweep.measure("fixed_cost_sweep", 1, "s", repeats),
        loop.measure("fixed_cost_plain_loop", 1, "s", repeats),
        extra.measure("fixed_cost_per_point", 1e3 / points, "ms", 0, "<= 20"),
    ]


LOOP_SCRIPT = """
import logging, sys, time
from ijmond_sim.sweep.command import run_in_process
logging.getLogger("MESA").setLevel(logging.WARNING)
print(run_in_process(sys.argv[1], sys.argv[2:])[1])
"""


def parallel_loops(overrides: Sequence[str], processes: int) -> float:
    """Wall seconds of ``processes`` plain loops of the same runs started at once, each in a fresh process.

    Each times its own runs; the result is the slowest's: what the machine gives
    that many processes of this work, with nothing of the sweep in between.
    """
    command = [sys.executable, "-c", LOOP_SCRIPT, EXPERIMENT, *overrides]
    started = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    return max(float(process.communicate()[0]) for process in started)


def workers(replications: int, repeats: int) -> list[Measure]:
    """The headline sweep through the local pool with 1 and with 2 workers, beside what the machine allows.

    The machine check: the same runs as two plain loops in two processes at
    once against one alone (each process runs all of them, so 2 x one / two is
    the speed-up the machine itself gives two processes). The measures take turns.
    """
    overrides = [f"experiment={EXPERIMENT}", f"replications={replications}", "hydra/launcher=parallel"]
    one, two, alone, pair = [], [], [], []
    for _ in range(repeats):
        one.append(run_sweep([*overrides, "hydra.launcher.n_jobs=1"]))
        two.append(run_sweep([*overrides, "hydra.launcher.n_jobs=2"]))
        alone.append(parallel_loops([f"replications={replications}"], 1))
        pair.append(parallel_loops([f"replications={replications}"], 2))
    one_worker, two_workers = medians(one), medians(two)
    machine_one, machine_two = statistics.median(alone), statistics.median(pair)
    return [
        one_worker.measure("sweep_1_worker", 1, "s", repeats),
        two_workers.measure("sweep_2_workers", 1, "s", repeats),
        Measure("speedup_2_workers", one_worker.wall / two_workers.wall, "x", 0, ">= 1.7"),
        Measure("machine_1_loop", machine_one, "s", repeats),
        Measure("machine_2_loops_at_once", machine_two, "s", repeats),
        Measure("machine_speedup_2_processes", 2 * machine_one / machine_two, "x"),
    ]


@dataclass(frozen=True)
class SweepParts:
    """The parts of the headline sweep, each timed on its own (wall and CPU).

    Attributes:
        total: the whole command, start to end (the median of :func:`sweep_overhead`).
        startup: Python and the sweep command's imports, in a fresh process (Mesa is imported
            later, by the job that runs the points: in ``rest``).
        planning: composing and checking every point (``plan.compose_plan``).
        runs: the runs themselves, as a plain loop (the median of :func:`sweep_overhead`).
        aggregation: the tables (``tables.aggregate`` without figures), the command's last step.
        figures: drawing the figures (``tables.draw_figures``), which a process of their own does
            after the command has ended: not part of ``total``.
    """

    total: Timing
    startup: Timing
    planning: Timing
    runs: Timing
    aggregation: Timing
    figures: Timing

    @property
    def rest(self) -> Timing:
        """What the parts leave: Hydra's job, importing Mesa, launching, writing and reading results files."""
        parts = (self.startup, self.planning, self.runs, self.aggregation)
        return Timing(self.total.wall - sum(p.wall for p in parts),
                      self.total.cpu - sum(p.cpu for p in parts))

    @property
    def serial(self) -> Timing:
        """What more workers cannot shorten: all but the runs (writing results, in ``rest``, counted too)."""
        return Timing(self.total.wall - self.runs.wall, self.total.cpu - self.runs.cpu)


def planning_time(overrides: Sequence[str]) -> Timing:
    """Wall and CPU time of composing and checking every point of ``experiment=EXPERIMENT <overrides>``."""
    with sweep_schema(), initialize_config_module("ijmond_sim.conf", version_base="1.3", job_name="sweep"):
        master = plan.master_config([f"experiment={EXPERIMENT}", *overrides])
        loader = GlobalHydra.instance().config_loader()
        return median_timing(lambda: plan.compose_plan(master, loader), 1, warm_up=False)


def sweep_parts(overrides: Sequence[str], total: Timing, runs: Timing, sweep_dir: Path) -> SweepParts:
    """The parts of the sweep of ``experiment=EXPERIMENT <overrides>`` whose median is ``total``.

    Args:
        overrides: the sweep's overrides.
        total: the command's median time; runs: the plain loop's.
        runs: the plain loop's median time.
        sweep_dir: a folder the sweep has run into, to time its aggregation.
    """
    imports = [sys.executable, "-c", "import ijmond_sim.sweep.command, ijmond_sim.sweep.engine"]
    startup = median_timing(lambda: subprocess.run(imports, check=True), 3, warm_up=False)
    aggregation = median_timing(lambda: tables.aggregate(sweep_dir, draw=False), 3, warm_up=False)
    drawing = median_timing(lambda: tables.draw_figures(sweep_dir), 1, warm_up=False)
    return SweepParts(total=total, startup=startup, planning=planning_time(overrides), runs=runs,
                      aggregation=aggregation, figures=drawing)


def amdahl(serial_fraction: float, cores: int) -> float:
    """Amdahl's law: the speed-up on ``cores`` cores of work of which ``serial_fraction`` cannot be shared."""
    return 1 / (serial_fraction + (1 - serial_fraction) / cores)


def projection(parts: SweepParts) -> list[Measure]:
    """The headline sweep's serial fraction, from its measured parts, and Amdahl's speed-up on many cores.

    From wall times, and beside them from CPU times, which another program on
    the machine disturbs far less.
    """
    wall, cpu = parts.serial.wall / parts.total.wall, parts.serial.cpu / parts.total.cpu
    measures = [parts.total.measure("parts_total", 1, "s"),
                parts.startup.measure("parts_startup", 1, "s", 3),
                parts.planning.measure("parts_planning", 1, "s", 1),
                parts.runs.measure("parts_runs", 1, "s"),
                parts.aggregation.measure("parts_aggregation", 1, "s", 3),
                parts.rest.measure("parts_rest", 1, "s"),
                parts.figures.measure("parts_figures_after_the_command", 1, "s", 1),
                Measure("serial_fraction", 100 * wall, "%", cpu=100 * cpu)]
    measures += [Measure(f"amdahl_{n}_cores", amdahl(wall, n), "x", cpu=amdahl(cpu, n))
                 for n in PROJECTED_CORES]
    return measures


def sweep_overhead(replications: int, repeats: int, keep: Path) -> tuple[list[Measure], SweepParts]:
    """Wall time of ``ijmond-sweep`` (one process, the basic launcher) against the same runs in a plain loop.

    The sweep is timed from the command's start to its end: start-up, planning,
    the batch job, writing results and the tables (its CPU time is the child
    process's); the figures, drawn by a process of their own after it ends, are
    not. The loop runs the same points' replications with the same seeds in
    this process (:func:`ijmond_sim.sweep.command.run_in_process`, which times
    only the runs). Loop and sweep take turns.

    Args:
        replications: replications per point.
        repeats: timed sweeps and loops.
        keep: the folder the last sweep runs into (kept, to time the parts).

    Returns:
        The measures, and the sweep's parts (:func:`sweep_parts`).
    """
    overrides = [f"experiment={EXPERIMENT}", f"replications={replications}"]
    loops, sweeps = [], []
    for repeat in range(repeats):
        runs, seconds = run_in_process(EXPERIMENT, overrides[1:],
                                       clock=lambda: np.array([time.perf_counter(), cpu_seconds()]))
        loops.append(Timing(*seconds))
        sweeps.append(run_sweep(overrides, keep if repeat == repeats - 1 else None))
    loop, sweep = medians(loops), medians(sweeps)
    measures = [
        Measure("sweep_runs", len(runs), "runs"),
        sweep.measure("sweep_wall", 1, "s", repeats),
        loop.measure("sweep_plain_loop", 1, "s", repeats),
        (sweep / loop).measure("sweep_ratio", 1, "x", 0, "<= 1.2"),
    ]
    return measures, sweep_parts(overrides[1:], sweep, loop, keep)


# -- where the time goes ------------------------------------------------------------------------


def top_functions(stats: pstats.Stats, top: int = 18) -> str:
    """The ``top`` functions by cumulative time, as pstats prints them."""
    out = io.StringIO()
    stats.stream = out
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue().split("\n\n", 1)[-1].rstrip()


def profile_run(run: Callable[[], object]) -> str:
    """Where the time of ``run()`` goes, by function (cProfile, which slows Python code about twofold)."""
    profiler = cProfile.Profile()
    profiler.runcall(run)
    return top_functions(pstats.Stats(profiler))


def profiles(measures: Sequence[Measure], always: bool) -> dict[str, Callable[[], str]]:
    """The profiles to print, by title: those of the work behind a missed target (all if ``always``).

    The sweep's own breakdown is always printed, as its parts (:class:`SweepParts`).
    """
    missed = {m.name for m in measures if m.met is False or always}
    found: dict[str, Callable[[], str]] = {}
    if missed & {"default_run", "ratio_to_floor"}:
        scenario = default_scenario()
        found["20 default IJmond runs"] = lambda: profile_run(
            lambda: [RegionModel(scenario, seed=SEED).run() for _ in range(20)])
    if f"step_{max(SIZES)}_councils" in missed:
        big = synthetic_scenario(max(SIZES))
        found[f"one run of {max(SIZES)} councils"] = lambda: profile_run(
            lambda: RegionModel(big, seed=SEED).run())
    return found


# -- the machine and the record -----------------------------------------------------------------


def cpu_model() -> str:
    """The processor's model name (from /proc/cpuinfo where there is one)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    """The load average over 1, 5 and 15 minutes (runnable processes; more than the cores: a busy machine)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def machine() -> str:
    """One line describing the machine and the software measured on it."""
    load = load_average()
    return (f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, numpy {np.__version__}, Mesa {mesa.__version__}; "
            f"load average {load}")


def commit() -> str:
    """The git commit measured, with ``+changes`` if the work tree differs from it."""
    state = provenance.git_state()
    if state is None:
        return "unknown"
    return state["commit"][:12] + ("+changes" if state["uncommitted_changes"] else "")


def record(measures: Sequence[Measure], path: Path, machine_line: str) -> None:
    """Append one row per measure to the results table (with its header if new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    date, sha = provenance.now(), commit()
    with path.open("a", newline="") as out:
        writer = csv.writer(out)
        if new:
            writer.writerow(COLUMNS)
        for m in measures:
            met = "" if m.met is None else ("yes" if m.met else "no")
            cpu = "" if m.cpu is None else f"{m.cpu:.6g}"
            writer.writerow([date, sha, machine_line, m.name, f"{m.value:.6g}", cpu, m.unit, m.repeats,
                             m.target, met])


def table(measures: Sequence[Measure]) -> str:
    """The measures as aligned text, one per line, with the target and whether it is met."""
    lines = [f"{'measure':<30} {'wall':>10} {'cpu':>10}  {'unit':<8} {'repeats':>7}  target"]
    for m in measures:
        cpu = "" if m.cpu is None else f"{m.cpu:.3f}"
        verdict = "" if m.met is None else f"{m.target} {m.unit}: {'met' if m.met else 'MISSED'}"
        lines.append(f"{m.name:<30} {m.value:>10.3f} {cpu:>10}  {m.unit:<8} {m.repeats or '':>7}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure, print and record; exit 0 whether or not the targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=100, help="timed runs of the default scenario")
    parser.add_argument("--quick", action="store_true", help="10 repeats and no record: a smoke check")
    parser.add_argument("--profile", action="store_true", help="print the profiles even if targets are met")
    parser.add_argument("--sweep-replications", type=int, default=50,
                        help=f"replications per point of the sweep measured ({EXPERIMENT})")
    parser.add_argument("--sweep-repeats", type=int, default=3, help="timed sweeps and plain loops")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the table to append to")
    args = parser.parse_args(argv)
    repeats = 10 if args.quick else args.repeats
    sweep_replications = 2 if args.quick else args.sweep_replications
    sweep_repeats = 1 if args.quick else args.sweep_repeats

    logging.getLogger("MESA").setLevel(logging.WARNING)
    machine_line = machine()
    print(f"ijmond-sim benchmarks, commit {commit()}, {provenance.now()[:19]} UTC")
    print(f"machine: {machine_line}")
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(f"note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set")
    print(f"medians over repeats of wall time (time.perf_counter; the targets apply to it) and of CPU time; "
          f"model seed {SEED}, synthetic regions seed {REGION_SEED}\n", flush=True)

    measures = single_run(repeats) + scaling(repeats)
    with tempfile.TemporaryDirectory() as tmp:
        overhead, parts = sweep_overhead(sweep_replications, sweep_repeats, Path(tmp) / "sweep")
    measures += overhead + fixed_cost(sweep_repeats) + workers(sweep_replications, sweep_repeats)
    measures += projection(parts)
    print(table(measures))
    print(f"\nmachine at the end: load average {load_average()}")
    for title, profile in profiles(measures, args.profile).items():
        print(f"\nprofile of {title}:\n{profile()}")
    if not args.quick:
        record(measures, args.results, machine_line)
        print(f"\nappended {len(measures)} rows to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
