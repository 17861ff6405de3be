"""ABC-SMC over the uncertain parameters with pyabc, one generation per call, resumable from its database.

Every generation is run the same way, in a fresh or a resumed calibration alike:
pyabc's ``ABCSMC`` is built anew, loaded from the history database in the output
folder, and asked for one generation. A killed calibration therefore continues
from its last finished generation and, with the same seed, reaches the same
posterior as one that was never stopped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyabc

from ijmond_sim import config
from ijmond_sim.calibration.bands import Bands, Rows
from ijmond_sim.calibration.distance import distance
from ijmond_sim.calibration.fixed import Priors, Settings
from ijmond_sim.calibration.sampler import SeededSampler
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.sweep.replicate import run_replications

DATABASE = "history.db"
SETTINGS = "calibration.json"


def evaluate_rows(bands: Bands, overrides: Sequence[str], seeds: Sequence[int]) -> Rows:
    """Run the bands' scenario plus ``overrides`` once per seed; one run summary per seed."""
    cfg = config.compose([*bands.scenario, "collect=false", *overrides])
    config.validate(cfg)
    return run_replications(Scenario.from_config(cfg), [int(s) for s in seeds])


def parameter_overrides(bands: Bands, values: dict[str, float]) -> list[str]:
    """``key=value`` overrides that set every parameter of the bands file to its value in ``values``."""
    return [o for p in bands.parameters for o in p.overrides(float(values[p.name]))]


@dataclass(frozen=True)
class BandsModel:
    """The model for pyabc: a particle's parameters in, each pattern's statistic over its runs out.

    The runs' seeds are drawn from numpy's global stream, which the sampler seeds
    from the calibration seed, the generation and the particle's evaluation number.

    Attributes:
        bands: the bands file.
        replications: runs per particle.
        scenario: overrides added to every run (e.g. ``years=1`` for a quick look).
    """

    bands: Bands
    replications: int
    scenario: tuple[str, ...] = ()

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        """Each pattern's statistic over ``replications`` runs at ``parameters``."""
        # pyabc draws from numpy's global stream, which the sampler seeds per particle: so do the seeds
        seeds = np.random.randint(0, 2**32, size=self.replications, dtype=np.uint64)  # noqa: NPY002
        overrides = [*self.scenario, *parameter_overrides(self.bands, parameters)]
        return self.bands.statistics(evaluate_rows(self.bands, overrides, seeds))


@dataclass(frozen=True)
class BandsDistance:
    """The distance for pyabc: :func:`~ijmond_sim.calibration.distance.distance` from the bands."""

    bands: Bands
    nan_distance: float

    def __call__(self, statistics: dict[str, float], _observed: dict) -> float:
        """The distance of a particle's statistics from the bands."""
        return distance(self.bands, statistics, self.nan_distance)


class BandsEpsilon(pyabc.QuantileEpsilon):
    """Epsilon: infinite in generation 0 (the prior), then a quantile of the last generation's distances.

    Unlike pyabc's ``QuantileEpsilon`` with a fixed first value, it reads the last
    generation from the database when a calibration is resumed.
    """

    def initialize(self, t, get_weighted_distances, get_all_records, max_nr_populations, acceptor_config):
        """Generation 0: infinity; a later one: the quantile of the previous generation's distances."""
        if t == 0:
            self._look_up = {0: np.inf}
        else:
            self._update(t, get_weighted_distances())


def prior(priors: Priors) -> pyabc.Distribution:
    """The prior for pyabc: uniform on each parameter's range."""
    return pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.high - p.low) for p in priors.priors})


@dataclass(frozen=True)
class Plan:
    """What a calibration is: everything that must be the same for a resumed one to continue it.

    Attributes:
        seed: the calibration seed.
        settings: the inference settings, as read.
        priors: each parameter's prior range, by name.
        priors_version: the priors file's version.
        scenario: overrides added to every run.
        bands_commit: the commit of the bands file.
    """

    seed: int
    settings: dict[str, Any]
    priors: dict[str, list[float]]
    priors_version: int
    scenario: list[str]
    bands_commit: str

    @classmethod
    def of(cls, seed: int, settings: Settings, priors: Priors, scenario: Sequence[str],
           bands_commit: str) -> Plan:
        """The plan of a calibration with these inputs."""
        chosen = {k: v for k, v in asdict(settings).items() if k != "path"}
        return cls(seed, chosen, {p.name: [p.low, p.high] for p in priors.priors}, priors.version,
                   list(scenario), bands_commit)

    def differences(self, other: Plan) -> list[str]:
        """The fields in which ``other`` differs from this plan, as ``name: this -> other``."""
        mine, theirs = asdict(self), asdict(other)
        return [f"{k}: {theirs[k]} -> {mine[k]}" for k in mine if mine[k] != theirs[k]]


def read_plan(out: Path) -> Plan | None:
    """The plan stored in an output folder, or None if there is none."""
    path = Path(out) / SETTINGS
    return Plan(**json.loads(path.read_text())) if path.exists() else None


def write_plan(out: Path, plan: Plan) -> None:
    """Store the plan in the output folder."""
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / SETTINGS).write_text(json.dumps(asdict(plan), indent=2) + "\n")


def database(out: Path) -> str:
    """The SQLAlchemy address of the history database in ``out``."""
    return f"sqlite:///{(Path(out) / DATABASE).resolve()}"


def history(out: Path) -> pyabc.History:
    """The calibration's pyabc history (read it; the calibration writes it)."""
    stored = pyabc.History(database(out))
    stored.id = 1
    return stored


def started(out: Path) -> bool:
    """Whether ``out`` holds a calibration's database that pyabc finished setting up.

    A calibration killed while pyabc was creating its database leaves a file
    without its version or its run entry; that file holds no generation and is
    removed, so the next call starts the calibration afresh.
    """
    path = Path(out) / DATABASE
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            ready = all(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                        for table in ("version", "abc_smc"))
    except sqlite3.DatabaseError:
        ready = False
    if not ready:
        path.unlink()
    return ready


def finished(out: Path, settings: Settings) -> bool:
    """Whether the calibration in ``out`` is done: a generation with epsilon 0, or the cap on generations."""
    if not started(out):
        return False
    populations = history(out).get_all_populations()
    done = populations[populations.t >= 0]
    return bool(len(done) and (done.epsilon.iloc[-1] <= 0 or done.t.max() + 1 >= settings.generations))


def run_generation(out: Path, bands: Bands, priors: Priors, settings: Settings, plan: Plan,
                   sampler: SeededSampler) -> int:
    """Run the next generation of the calibration in ``out`` and store it; return its number."""
    logging.getLogger("ABC").setLevel(logging.WARNING)
    abc = pyabc.ABCSMC(BandsModel(bands, settings.replications, tuple(plan.scenario)), prior(priors),
                       BandsDistance(bands, settings.nan_distance), population_size=settings.population,
                       eps=BandsEpsilon(alpha=settings.quantile), sampler=sampler)
    if started(out):
        abc.load(database(out), 1)
    else:
        abc.new(database(out), {}, meta_info={"seed": plan.seed})
    t = abc.history.max_t + 1
    abc.run(minimum_epsilon=0.0, max_nr_populations=1)
    return t


def calibrate(out: Path, bands: Bands, priors: Priors, settings: Settings, plan: Plan,
              sampler: SeededSampler, generations: int | None = None) -> int:
    """Run generations until the calibration is finished or ``generations`` more ran; the last one's number.

    Args:
        out: the output folder (history database and plan).
        bands: the bands file.
        priors: the priors.
        settings: the inference settings.
        plan: the calibration's plan (stored on the first call).
        sampler: the sampler, seeded with ``plan.seed``.
        generations: at most this many generations in this call (None: to the end).
    """
    write_plan(out, plan)
    last, done = -1, 0
    while not finished(out, settings) and (generations is None or done < generations):
        last, done = run_generation(out, bands, priors, settings, plan, sampler), done + 1
    return last if last >= 0 else int(history(out).max_t)
