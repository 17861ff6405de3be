"""The calibration: the bands file, its statistics, the distance, the priors, ABC-SMC and its resume."""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ijmond_sim.calibration import bands as calibration_bands
from ijmond_sim.calibration.bands import BandsError, read
from ijmond_sim.calibration.command import main
from ijmond_sim.calibration.distance import distance, outside
from ijmond_sim.calibration.fixed import read_priors, read_settings
from ijmond_sim.run.measures import names_cell

ROOT = Path(__file__).resolve().parents[1]
BANDS, PRIORS, INFERENCE = (ROOT / "calibration" / f"{name}.yaml"
                            for name in ("bands", "priors", "inference"))


def write_bands(tmp_path: Path, **change) -> Path:
    body = yaml.safe_load(BANDS.read_text())
    for dotted, value in change.items():
        node = body
        *path, last = dotted.split("__")
        for key in path:
            node = node[key]
        node[last] = value
    path = tmp_path / "bands.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def test_the_committed_bands_file_reads():
    bands = read(BANDS)
    assert len(bands.patterns) >= 5 and len(bands.parameters) >= 5
    assert all(p.why for p in (*bands.patterns, *bands.parameters))


def test_a_band_upside_down_is_refused_naming_file_and_key(tmp_path):
    path = write_bands(tmp_path, patterns__trust_trend__low=0.5)
    with pytest.raises(BandsError, match=r"bands\.yaml: patterns\.trust_trend: low = 0\.5 is above high"):
        read(path)


def test_an_unknown_statistic_is_refused(tmp_path):
    path = write_bands(tmp_path, patterns__trust_trend__statistic="mean_happiness")
    with pytest.raises(BandsError, match="patterns.trust_trend.statistic = 'mean_happiness': must be one of"):
        read(path)


def run(left: tuple[str, ...] = (), trust_change: float = -0.1, first: int | None = None) -> dict:
    """A run summary as the model writes it (the councils that left as a JSON list)."""
    return {"turned_away": names_cell(left), "mean_trust_start": 0.5, "mean_trust_end": 0.5 + trust_change,
            "first_turned_away_month": first, "completed_voluntary": 1, "median_months_to_decision": math.nan}


def test_who_leaves_is_counted_over_the_runs_with_an_exit():
    rows = [run(), run(("Uitgeest",), first=30), run(("Uitgeest", "Velsen"), first=5),
            run(("Heemskerk",), first=40)]
    stat = calibration_bands.STATISTICS
    assert stat["share_of_runs_with_an_exit"](rows) == 0.75
    assert stat["share_of_exit_runs_in_which_uitgeest_left"](rows) == pytest.approx(2 / 3)
    assert stat["share_of_runs_in_which_more_than_one_left"](rows) == 0.25
    assert stat["share_of_runs_with_an_exit_in_the_first_year"](rows) == 0.25
    assert stat["share_of_exit_runs_in_which_uitgeest_left"]([run()]) == 1.0
    assert stat["mean_change_of_mean_trust"]([run(trust_change=-0.1), run(trust_change=0.3)]) == \
        pytest.approx(0.1)


def test_the_median_time_to_decision_of_runs_without_a_decision_is_nan():
    """Kills: the median over no decided run raising (a one-year run stopped the calibration)."""
    rows = [run(), {**run(), "median_months_to_decision": 8.0}, {**run(), "median_months_to_decision": 12.0}]
    stat = calibration_bands.STATISTICS["median_months_to_decision"]
    assert stat(rows) == 10.0
    assert math.isnan(stat([run()]))


def test_a_set_is_accepted_only_if_every_pattern_holds():
    bands = read(BANDS)
    inside = {p.name: (p.low + p.high) / 2 for p in bands.patterns}
    assert bands.accepts(inside)
    for p in bands.patterns:
        assert not bands.accepts({**inside, p.name: p.high + 1})
        assert not bands.accepts({**inside, p.name: math.nan})


# --- the distance (calibration/inference.yaml) ---

def test_the_distance_is_zero_exactly_inside_all_bands_edges_included():
    """Kills: a strict comparison at a band's edge; a distance that is not 0 inside (e.g. to the middle)."""
    bands = read(BANDS)
    for where in (0.0, 0.3, 1.0):
        assert distance(bands, {p.name: p.low + where * (p.high - p.low) for p in bands.patterns}, 1.0) == 0.0


def test_the_distance_counts_band_widths_outside_and_adds_the_nan_penalty():
    """Kills: no division by the band's width; only one side of the band; nan counted as inside or as 0."""
    bands = read(BANDS)
    inside = {p.name: p.low for p in bands.patterns}
    trend = next(p for p in bands.patterns if p.name == "trust_trend")
    width = trend.high - trend.low
    assert distance(bands, {**inside, "trust_trend": trend.high + width}, 1.0) == pytest.approx(1.0)
    assert distance(bands, {**inside, "trust_trend": trend.low - width / 2}, 1.0) == pytest.approx(0.5)
    assert distance(bands, {**inside, "trust_trend": math.nan}, 0.7) == 0.7
    assert outside(trend, trend.high + 2 * width, 1.0) + outside(bands.patterns[0], math.nan, 3.0) == \
        pytest.approx(5.0)


# --- the priors and the settings ---

def test_the_priors_are_uniform_on_the_ranges_of_the_bands_file():
    """Kills: a prior built as uniform(low, high) (scipy's loc/scale misread), a range not from bands.yaml."""
    from ijmond_sim.calibration.inference import prior

    bands = read(BANDS)
    priors = read_priors(PRIORS, bands)
    distribution = prior(priors)
    for p in bands.parameters:
        rv = distribution[p.name]
        assert rv.pdf(p.low + 1e-9) == pytest.approx(1 / (p.high - p.low))
        assert rv.pdf(p.high - 1e-9) == pytest.approx(1 / (p.high - p.low))
        assert rv.pdf(p.high + 1e-6) == 0 and rv.pdf(p.low - 1e-6) == 0
    assert [(q.name, q.low, q.high, q.widened) for q in priors.priors] == \
        [(p.name, p.low, p.high, False) for p in bands.parameters]


def _priors_file(tmp_path: Path, **change) -> Path:
    body = yaml.safe_load(PRIORS.read_text())
    body.update(change)
    path = tmp_path / "priors.yaml"
    path.write_text(yaml.safe_dump(body))
    return path


def test_a_widened_prior_replaces_the_range_and_is_marked(tmp_path):
    """Kills: the widened range read but the bands' range used."""
    bands = read(BANDS)
    history = yaml.safe_load(PRIORS.read_text())["history"]
    history.append({"version": 2, "date": "2026-12-08", "change": "noise to 0.6", "run": "after run X"})
    path = _priors_file(tmp_path, version=2, history=history,
                        widened={"decision_noise": {"low": 0.05, "high": 0.6}})
    noise = next(q for q in read_priors(path, bands).priors if q.name == "decision_noise")
    assert (noise.low, noise.high, noise.widened) == (0.05, 0.6, True)


@pytest.mark.parametrize("change, message", [
    ({"widened": {"decision_noise": {"low": 0.1, "high": 0.4}}},
     r"widened\.decision_noise: 0\.1-0\.4 must contain"),
    ({"widened": {"happiness": {"low": 0, "high": 1}}}, r"widened\.happiness: not a parameter"),
    ({"version": 2}, r"version 2 has no history entry of its own"),
])
def test_a_prior_may_only_be_widened_with_a_history_entry(tmp_path, change, message):
    """Kills: a narrowed prior accepted; a change without its history entry accepted."""
    with pytest.raises(BandsError, match=rf"priors\.yaml: {message}"):
        read_priors(_priors_file(tmp_path, **change), read(BANDS))


def test_the_committed_settings_read_and_a_bad_one_names_its_key(tmp_path):
    """Kills: a quantile outside 0-1 accepted (epsilon above every distance, or none)."""
    settings = read_settings(INFERENCE)
    assert settings.replications >= 2 and settings.population >= 2 and 0 < settings.quantile < 1
    body = yaml.safe_load(INFERENCE.read_text())
    (tmp_path / "inference.yaml").write_text(yaml.safe_dump({**body, "quantile": 1.5}))
    with pytest.raises(BandsError, match=r"inference\.yaml: quantile = 1\.5: must be a number from 0 to 1"):
        read_settings(tmp_path / "inference.yaml")


# --- ABC-SMC at small size ---

TINY = dict(replications=2, population=4, generations=2, predictive_draws=2, predictive_replications=2)


def tiny_calibration(out: Path, seed: int = 3, map_=map, workers: int = 1, generations: int | None = None):
    """Four particles, two generations, two one-year runs per particle."""
    from ijmond_sim.calibration.inference import Plan, calibrate
    from ijmond_sim.calibration.sampler import SeededSampler

    bands = read(BANDS)
    priors = read_priors(PRIORS, bands)
    settings = replace(read_settings(INFERENCE), **TINY)
    plan = Plan.of(seed, settings, priors, ["years=1"], "test")
    return calibrate(out, bands, priors, settings, plan, SeededSampler(seed, map_, workers), generations)


def posterior_of(out: Path) -> tuple[pd.DataFrame, np.ndarray, list[float]]:
    from ijmond_sim.calibration.inference import history
    from ijmond_sim.calibration.posterior import generations, particles

    frame, weights = particles(history(out))
    return frame, weights, generations(history(out)).epsilon.tolist()


class Killed(Exception):
    """Stands for the process being killed in the middle of a generation."""


def killing_map(after: int):
    """A map that evaluates ``after`` particles of generation 1 and then stops the calibration."""
    done = []

    def map_(function, numbers):
        for number in numbers:
            if function.args[2] == 1:  # the generation
                if len(done) == after:
                    raise Killed
                done.append(number)
            yield function(number)

    return map_


@pytest.fixture(scope="module")
def unkilled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unkilled")
    assert tiny_calibration(out) == 1
    return out


def test_a_killed_calibration_resumed_reaches_the_same_posterior(unkilled, tmp_path):
    """Kills: a resumed run that reseeds differently, restarts the killed generation from other proposals,
    starts over, or loses the database's generations (compared bit for bit with the unkilled run)."""
    with pytest.raises(Killed):
        tiny_calibration(tmp_path, map_=killing_map(after=2))
    assert len(posterior_of(tmp_path)[2]) == 1  # generation 0 was stored, generation 1 was not
    assert tiny_calibration(tmp_path) == 1
    frame, weights, epsilons = posterior_of(tmp_path)
    expected_frame, expected_weights, expected_epsilons = posterior_of(unkilled)
    pd.testing.assert_frame_equal(frame, expected_frame, check_exact=True)
    assert weights.tolist() == expected_weights.tolist() and epsilons == expected_epsilons
    assert epsilons[0] == math.inf and epsilons[1] < math.inf


def test_the_posterior_is_the_same_with_two_worker_processes(unkilled, tmp_path):
    """Kills: particles seeded from the worker (pyabc's own samplers) or kept in the order they finish."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        tiny_calibration(tmp_path, map_=pool.map, workers=2)
    frame, weights, _ = posterior_of(tmp_path)
    pd.testing.assert_frame_equal(frame, posterior_of(unkilled)[0], check_exact=True)


def test_another_seed_gives_other_particles(unkilled, tmp_path):
    """Kills: the calibration seed ignored by the sampler."""
    tiny_calibration(tmp_path, seed=4, generations=1)
    from ijmond_sim.calibration.inference import history
    from ijmond_sim.calibration.posterior import particles

    other = particles(history(tmp_path), generation=0)[0]
    mine = particles(history(unkilled), generation=0)[0]
    assert not np.isin(other.to_numpy(), mine.to_numpy()).any()


def test_each_particle_is_judged_on_fresh_seeds_of_its_own():
    """Kills: every particle run with the same seeds (a lucky seed would carry them all)."""
    from ijmond_sim.calibration.inference import BandsModel
    from ijmond_sim.calibration.sampler import particle_seed

    bands = read(BANDS)
    model = BandsModel(bands, 3, ("years=1",))
    seeds = []
    for number in (0, 1):
        np.random.seed(particle_seed(3, 1, number))  # noqa: NPY002 - as the sampler does
        seeds.append(np.random.randint(0, 2**32, size=3, dtype=np.uint64).tolist())  # noqa: NPY002
    assert seeds[0] != seeds[1] and len(set(seeds[0])) == 3
    values = {p.name: (p.low + p.high) / 2 for p in bands.parameters}
    statistics = []
    for number in (0, 0, 1):
        np.random.seed(particle_seed(3, 1, number))  # noqa: NPY002
        statistics.append(model(values))
    np.testing.assert_equal(statistics[0], statistics[1])


def test_the_sampler_keeps_the_first_accepted_particles_by_number(monkeypatch):
    """Kills: keeping the particles accepted last, or as many as were found, or counting all evaluations."""
    from ijmond_sim.calibration.sampler import SeededSampler

    accepted = {1, 2, 5, 6, 9}

    class Particle:
        def __init__(self, number):
            self.number, self.accepted, self.preliminary = number, number in accepted, False

    def simulate_one():
        return Particle(int(np.random.randint(0, 10**9)))  # noqa: NPY002

    sampler = SeededSampler(1, map, workers=1)
    sampler._create_empty_sample = lambda: _Sample()
    numbers = {}

    def evaluate_number(blob, seed, t, number):
        numbers[number] = True
        return number, Particle(number)

    monkeypatch.setattr("ijmond_sim.calibration.sampler.evaluate", evaluate_number)
    sample = sampler.sample_until_n_accepted(3, simulate_one, 0)
    assert [p.number for p in sample.particles] == [0, 1, 2, 3, 4, 5]
    assert sampler.nr_evaluations_ == 6 and sample.ok


class _Sample:
    def __init__(self):
        self.particles, self.ok = [], True

    def append(self, particle):
        self.particles.append(particle)

    @property
    def n_accepted(self):
        return sum(p.accepted for p in self.particles)

    @property
    def all_particles(self):
        return self.particles


# --- the command ---

def test_bands_that_are_not_committed_are_refused(tmp_path, capsys):
    """Kills: the commit check skipped, or made after the output folder was created."""
    with pytest.raises(SystemExit) as stop:
        main(["--bands", str(write_bands(tmp_path)), "--out", str(tmp_path / "out")])
    assert stop.value.code == 2
    assert "is not committed as it stands" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_resume_without_a_calibration_or_with_other_settings_is_refused(unkilled, tmp_path, capsys):
    """Kills: --resume starting afresh; a folder of another calibration continued with other settings."""
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(tmp_path / "none"), "--resume"])
    assert stop.value.code == 2 and "holds no calibration to continue" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["--out", str(unkilled), "--population", "5"])
    error = capsys.readouterr().err
    assert stop.value.code == 2 and "holds a calibration with other settings" in error
    assert "'population': 5" in error


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0"], "--workers = 0: must be at least 1"),
    (["--population", "1"], "--population = 1: must be at least 2"),
])
def test_bad_numbers_are_refused_before_any_run(tmp_path, capsys, argv, message):
    """Kills: a range check removed, or made after the output folder was created."""
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--out", str(tmp_path / "out")])
    assert stop.value.code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_command_writes_the_report_with_the_priors_history(tmp_path):
    """The real entry point at small size, in a subprocess: report, figures, particles, predictive checks,
    and the headline sweep at one posterior draw with its answer. Kills: generation 0 not taken as the
    prior (epsilon infinite, all accepted); the answer left out of the report; the priors' history not
    printed."""
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "ijmond_sim.calibration.command", "--out", str(out), "--set", "years=1",
         *[f"--{k.replace('_', '-')}={v}" for k, v in TINY.items()],
         "--answer-draws", "1", "--answer-set", "replications=1", "--answer-set", "years=1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    text = (out / "REPORT.md").read_text()
    assert "| 1 | 2026-12-07 | First priors" in text and "## Posterior predictive checks" in text
    assert "| 0 | inf | 4 | 4 | 100.0% |" in text
    assert (out / "figures" / "pairs.png").exists() and (out / "figures" / "marginals.png").exists()
    assert len(pd.read_csv(out / "particles.csv")) == 4
    assert "generation 1 (at most 2): 4 of 4 particles accepted" in result.stderr
    assert (out / "answer" / "draw_0" / "summary.csv").exists()
    assert (out / "answer" / "answer.txt").read_text().splitlines()[0] in text


@pytest.mark.slow
def test_the_posterior_is_the_same_on_a_dask_cluster(unkilled, tmp_path):
    """Kills: a Dask executor's map taken out of evaluation order, or workers reseeding themselves."""
    from distributed import LocalCluster

    from ijmond_sim.calibration.command import mapper

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with mapper(1, cluster.scheduler_address) as (map_, workers):
            tiny_calibration(tmp_path, map_=map_, workers=workers)
    pd.testing.assert_frame_equal(posterior_of(tmp_path)[0], posterior_of(unkilled)[0], check_exact=True)


@pytest.mark.slow
def test_a_calibration_killed_by_a_signal_continues_to_the_same_posterior(tmp_path):
    """The real command killed (SIGKILL) once its first generation is stored, then run again: the same
    posterior as the same command never stopped. Kills: a database left unreadable by the kill, or a
    second run that starts over or refuses its own folder."""
    import os
    import signal

    from ijmond_sim.calibration.inference import history

    command = [sys.executable, "-m", "ijmond_sim.calibration.command", "--set", "years=1", "--generations=3",
               *[f"--{k.replace('_', '-')}={v}" for k, v in TINY.items() if k != "generations"]]
    whole = subprocess.run([*command, "--out", str(tmp_path / "whole")], cwd=ROOT, capture_output=True,
                           timeout=900)
    assert whole.returncode == 0, whole.stderr
    killed = subprocess.Popen([*command, "--out", str(tmp_path / "killed")], cwd=ROOT, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for line in killed.stderr:  # the first progress line of generation 1: generation 0 is stored
        if line.startswith("generation 1 "):
            break
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    assert history(tmp_path / "killed").max_t in (0, 1)
    again = subprocess.run([*command, "--out", str(tmp_path / "killed")], cwd=ROOT, capture_output=True,
                           timeout=900)
    assert again.returncode == 0, again.stderr
    frame, weights, epsilons = posterior_of(tmp_path / "killed")
    expected = posterior_of(tmp_path / "whole")
    pd.testing.assert_frame_equal(frame, expected[0], check_exact=True)
    assert weights.tolist() == expected[1].tolist() and epsilons == expected[2]


def test_a_database_killed_before_pyabc_set_it_up_is_started_afresh(tmp_path):
    """Kills: resuming from a database file without pyabc's version or run entry (pyabc then raises)."""
    import sqlite3

    from ijmond_sim.calibration.inference import DATABASE, started

    with sqlite3.connect(tmp_path / DATABASE) as db:
        db.execute("CREATE TABLE version (version_num TEXT)")
    assert not started(tmp_path) and not (tmp_path / DATABASE).exists()
    assert not started(tmp_path / "nothing")
