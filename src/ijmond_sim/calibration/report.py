"""Writes the calibration report (``REPORT.md``), the last generation's particles and the predictive checks.

The report of the Latin hypercube calibration that this one replaced is in git's history of
``calibration/REPORT.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ijmond_sim.calibration.bands import Bands
from ijmond_sim.calibration.fixed import Priors, Settings
from ijmond_sim.calibration.posterior import Check, Estimate

OLD_SEARCH_RUNS = 6400  # the Latin hypercube calibration this one replaced: 400 sets x 16 runs


@dataclass(frozen=True)
class Outcome:
    """What a calibration found, for the report.

    Attributes:
        generations: one row per generation (:func:`~ijmond_sim.calibration.posterior.generations`).
        estimates: the posterior summary, one per parameter.
        piles: per parameter, the edge its posterior piles against ('' for none).
        predictive: per band, the posterior predictive check.
        median_point: the bands at the posterior median point.
        particles: the last generation's particles with their weights.
        figures: the figures' paths, relative to the report.
        answer: the headline answer over posterior draws (``answer.txt``), if it was run.
    """

    generations: pd.DataFrame
    estimates: Sequence[Estimate]
    piles: dict[str, str]
    predictive: pd.DataFrame
    median_point: Check
    particles: pd.DataFrame
    figures: Sequence[str]
    answer: Sequence[str] = ()


def _g(x: float) -> str:
    return "n/a" if x != x else f"{x:.3g}"


def _history(priors: Priors) -> list[str]:
    lines = [f"The priors live in `{priors.path.as_posix()}`, now at version {priors.version}. Its history:",
             "",
             "| version | date | what changed | made before or after which run |", "|---|---|---|---|"]
    return lines + [f"| {h.version} | {h.date} | {h.change} | {h.run} |" for h in priors.history]


def _generations(frame: pd.DataFrame, replications: int) -> list[str]:
    lines = ["| generation | epsilon | particles | evaluations | acceptance | ESS | model runs | seconds |",
             "|---|---|---|---|---|---|---|---|"]
    return lines + [f"| {int(r.generation)} | {_g(r.epsilon)} | {int(r.particles)} | {int(r.evaluations)} | "
                    f"{r.acceptance:.1%} | {r.ess:.1f} | {int(r.evaluations) * replications:,} | "
                    f"{r.seconds:.0f} |" for r in frame.itertuples()]


def _ending(frame: pd.DataFrame, settings: Settings) -> str:
    last = frame.iloc[-1]
    if last.epsilon <= 0:
        return (f"It ended with generation {int(last.generation)}, whose epsilon is 0: every particle of the "
                "posterior reproduced every band over its runs.")
    return (f"It stopped at the cap of {settings.generations} generations with epsilon {_g(last.epsilon)}: "
            "the last generation's particles do not all reproduce every band, so the posterior is an "
            "approximation at that epsilon, not the set where every band holds.")


def write(out: Path, bands: Bands, priors: Priors, settings: Settings, provenance: dict[str, str],
          outcome: Outcome) -> Path:
    """Write ``REPORT.md``, ``particles.csv`` and ``predictive.csv`` into ``out``; return the report's path.

    Args:
        out: the folder.
        bands: the bands file.
        priors: the priors.
        settings: the inference settings used.
        provenance: command, finished, commit, seconds, machine, the three files' commits, pyabc, seed,
            scenario (the extra overrides, space-separated).
        outcome: what the calibration found.
    """
    out.mkdir(parents=True, exist_ok=True)
    outcome.particles.to_csv(out / "particles.csv", index=False)
    outcome.predictive.to_csv(out / "predictive.csv", index=False)
    runs = int(outcome.generations.evaluations.sum()) * settings.replications
    keys = {p.name: ", ".join(p.keys) for p in bands.parameters}
    scenario = ", ".join([*bands.scenario, *provenance["scenario"].split()]) or "the defaults"
    evaluations, fresh = int(outcome.generations.evaluations.sum()), (settings.predictive_draws
                                                                      * settings.predictive_replications)
    lines = [
        "# Calibration report",
        "",
        f"Written by `{provenance['command']}` at {provenance['finished']} on commit {provenance['commit']}, "
        f"in {provenance['seconds']} s on {provenance['machine']}.",
        f"The bands were committed in {provenance['bands_commit']}, the distance and the inference "
        f"settings (`{settings.path.as_posix()}`) in {provenance['inference_commit']}, the priors in "
        f"{provenance['priors_commit']}, all before this run; the command refuses to run while any of "
        "them has uncommitted changes.",
        "",
        "Approximate Bayesian computation with sequential Monte Carlo (ABC-SMC, pyabc "
        f"{provenance['pyabc']}): {settings.population} particles a generation, each a parameter set run "
        f"{settings.replications} times under the 2013 status quo ({scenario}) with seeds of "
        f"its own (derived from the calibration seed {provenance['seed']}, the generation and the particle's "
        "evaluation number). The summary statistics are the bands' statistics; the distance is the sum "
        "over the bands of how far each statistic lies outside its band, in band widths (0 exactly when "
        f"every band holds; a statistic that cannot be computed adds {settings.nan_distance:g}). Generation "
        "0 is the prior; each later generation's epsilon is the weighted "
        f"{settings.quantile:g}-quantile of the last one's distances.",
        "",
        f"**{runs:,} model runs** carry this posterior ({evaluations:,} particle evaluations x "
        f"{settings.replications} runs), against the {OLD_SEARCH_RUNS:,} of the Latin hypercube search it "
        "replaced. " + _ending(outcome.generations, settings),
        "",
        "## Priors",
        "",
        "| parameter | config keys | prior (uniform) | widened |",
        "|---|---|---|---|",
        *[f"| `{p.name}` | {keys[p.name]} | {p.low:g}-{p.high:g} | {'yes' if p.widened else 'no'} |"
          for p in priors.priors],
        "",
        *_history(priors),
        "",
        "## Generations",
        "",
        *_generations(outcome.generations, settings.replications),
        "",
        "Acceptance is the share of evaluations accepted; ESS the effective sample size of the "
        "generation's weights.",
        "",
        "## Posterior",
        "",
        "Each parameter's weighted median and equal-tailed 95% credible interval (the last generation). "
        "The median is the point estimate for `conf/` (`ijmond-calibrate --apply-defaults`). A pile is "
        "more than twice the prior's mass in the outer tenth of the range: the reason, and the only one, "
        "to widen that prior in `calibration/priors.yaml` before the next run.",
        "",
        "| parameter | prior | median | 95% credible interval | piles against |",
        "|---|---|---|---|---|",
        *[f"| `{e.name}` | {e.prior_low:g}-{e.prior_high:g} | {_g(e.median)} | {_g(e.low)}-{_g(e.high)} | "
          f"{outcome.piles[e.name] or '-'} |" for e in outcome.estimates],
        "",
        *[f"![{Path(f).stem}]({f})" for f in outcome.figures if f.endswith(".png")],
        "",
        "## Posterior predictive checks",
        "",
        f"{settings.predictive_draws} parameter sets drawn from the posterior by weight, each run "
        f"{settings.predictive_replications} times with fresh seeds. A band passes when the median over "
        "the draws of its statistic lies inside it.",
        "",
        "| band | statistic: median over draws | 5%-95% | draws inside | passes |",
        "|---|---|---|---|---|",
        *[f"| {r.pattern} ({r.low:g}-{r.high:g}) | {_g(r.median)} | {_g(r.p5)}-{_g(r.p95)} | "
          f"{r.inside:.0%} | {'yes' if r.passes else '**no**'} |" for r in outcome.predictive.itertuples()],
        "",
        f"At the posterior median point ({fresh} fresh runs):",
        "",
        "| band | statistic | holds |",
        "|---|---|---|",
        *[f"| {p.name} ({p.low:g}-{p.high:g}) | {_g(outcome.median_point.statistics[p.name])} | "
          f"{'yes' if p.holds(outcome.median_point.statistics[p.name]) else '**no**'} |"
          for p in bands.patterns],
        "",
        *(["## The headline answer over the posterior", "",
            "The headline sweep (`experiment=governance_comparison`) at each of the posterior draws in "
            "`answer/` (`--answer-draws`): per rule, the initial trust from which half or more of the "
            "initiatives are completed, in how many draws, and its range over the draws.", "", "```",
            *outcome.answer, "```", ""] if outcome.answer else []),
        "`particles.csv` holds the last generation (parameters and weights), `predictive.csv` the "
        "checks; the whole history is pyabc's database `history.db`.",
        "",
    ]
    path = out / "REPORT.md"
    path.write_text("\n".join(lines))
    return path
