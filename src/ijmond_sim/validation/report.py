"""Writes ``REPORT.md``: patterns with knockouts, verification, criteria history, sensitivity, parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import numpy as np

from ijmond_sim.config.schema import declaration_of
from ijmond_sim.model.governance import RULES as RULE_CLASSES
from ijmond_sim.model.governance import rule_label
from ijmond_sim.model.parameters import declarations
from ijmond_sim.sweep.provenance import git_output
from ijmond_sim.validation import plots
from ijmond_sim.validation.criteria import Criteria
from ijmond_sim.validation.patterns import Budget, PatternResult
from ijmond_sim.validation.scenarios import RULES
from ijmond_sim.validation.sensitivity import IMPORTANCE, MAX_SOBOL_FACTORS, OUTPUTS, Factor, Morris, Sobol

# Literature behind values the report itself does not quantify.
LITERATURE = {
    "trust.gain": "Slovic (1993): trust is built slowly, by many confirming events",
    "trust.fall_ratio": "Slovic (1993), the asymmetry principle: trust is destroyed faster than it is built",
    "decision.noise": "random-utility (probit) choice: Thurstone (1927), McFadden (1974)",
    "decision.persistence": "an AR(1) political mood, as in random-utility panel models",
    "quota": "Banzhaf (1965): power under weighted and qualified majority voting",
    "vote_weight": "Banzhaf (1965)",
}

REFERENCES = [
    "Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis. "
    "Rutgers Law Review 19, 317-343.",
    "Campolongo, F., Cariboni, J., Saltelli, A. (2007). An effective screening design for sensitivity "
    "analysis of large models. Environmental Modelling & Software 22(10), 1509-1518.",
    "Grimm, V., et al. (2005). Pattern-oriented modeling of agent-based complex systems: lessons from "
    "ecology. Science 310(5750), 987-991.",
    "Herman, J., Usher, W. (2017). SALib: an open-source Python library for sensitivity analysis. "
    "Journal of Open Source Software 2(9), 97.",
    "Kaats, E., Opheij, W. (2012). Leren samenwerken tussen organisaties. Kluwer. (The report's lens, 5.)",
    "McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In Zarembka (ed.), "
    "Frontiers in Econometrics, 105-142.",
    "Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments. "
    "Technometrics 33(2), 161-174.",
    "Okabe, M., Ito, K. (2008). Color Universal Design: how to make figures and presentations that are "
    "friendly to colorblind people (the figures' palette).",
    "Saltelli, A., et al. (2010). Variance based sensitivity analysis of model output. Design and estimator "
    "for the total sensitivity index. Computer Physics Communications 181(2), 259-270.",
    "Slovic, P. (1993). Perceived risk, trust, and democracy. Risk Analysis 13(6), 675-682.",
    "Thurstone, L. L. (1927). A law of comparative judgment. Psychological Review 34(4), 273-286.",
    "Twynstra Gudde (2013). Kansenonderzoek IJmond. (The report; section numbers refer to it.)",
]


@dataclass
class Provenance:
    """Where and when the report was made: command, commit, tree state, timings."""

    command: str
    budget: Budget
    seed: int
    commit: str
    dirty: list[str]
    started: datetime
    stages: dict[str, float]

    @property
    def seconds(self) -> float:
        """Total wall time of the validation."""
        return sum(self.stages.values())


def git_state(repo: Path, ignore: Path | None = None) -> tuple[str, list[str]]:
    """The commit of the source checkout ``repo`` and the files that differ from it (outside ``ignore``).

    Returns ``("unknown", [])`` outside a git work tree.
    """
    commit = git_output("rev-parse", "HEAD")
    status = git_output("status", "--porcelain", "--untracked-files=all")
    if commit is None or status is None:
        return "unknown", []
    commit = commit.strip()
    skip = ""
    if ignore is not None:
        try:
            skip = ignore.resolve().relative_to(repo.resolve()).as_posix().rstrip("/") + "/"
        except ValueError:
            skip = ""
    paths = [line[3:] for line in status.splitlines() if line[3:]]
    dirty = [p for p in paths if not (skip and p.startswith(skip))]
    return commit, dirty


def documented_values(text: str) -> Iterator[tuple[str, str, str]]:
    """``(dotted key, value, comment)`` for every ``key: value  # comment`` line of a YAML file.

    Mapping keys become prefixes by indentation; list items (Hydra's defaults), block
    scalars and the ``hydra`` section are left out.
    """
    stack: list[tuple[int, str]] = []
    block = None  # indentation of a block scalar's key while inside it
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if block is not None and (not line.strip() or indent > block):
            continue
        block = None
        match = re.match(r"^(\s*)([A-Za-z_][\w]*):\s*([^#]*?)\s*(?:#\s*(.*))?$", line)
        if not match:
            continue
        key, value, comment = match[2], match[3], match[4] or ""
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [key])
        if not value:
            stack.append((indent, key))
        elif value in ("|", ">", "|-", ">-"):
            block = indent
        elif path.split(".")[0] not in ("hydra", "defaults"):
            yield path, value, comment


def _conf_text(*parts: str) -> str:
    return files("ijmond_sim.conf").joinpath(*parts).read_text()


def _declared(key: str, rule: str | None) -> str:
    """A parameter's meaning and report section from its declaration ("" where none is declared)."""
    try:
        found = dict(declarations(RULE_CLASSES[rule]))[key.removeprefix("governance.")] if rule \
            else declaration_of(key)
    except KeyError:
        return ""
    return f"{found.meaning} ({found.section})" if found.section else found.meaning


def _parameter_tables() -> list[str]:
    lines = []
    sources = [("Run, trust, initiatives and decisions", "conf/config.yaml", ("config.yaml",), ""),
               ("The IJmond region", "conf/region/ijmond.yaml", ("region", "ijmond.yaml"), "region.")]
    sources += [(f"Governance rule: {rule_label(rule)}", f"conf/governance/{rule}.yaml",
                 ("governance", f"{rule}.yaml"), "governance.") for rule in RULES]
    for (title, path, parts, prefix), rule in zip(sources, [None, None, *RULES], strict=True):
        lines += [f"### {title} (`{path}`)", ""]
        if not files("ijmond_sim.conf").joinpath(*parts).is_file():
            lines += ["Its YAML lies outside the project (on Hydra's search path); its values are in the "
                      "configuration each run records.", ""]
            continue
        rows = list(documented_values(_conf_text(*parts)))
        if not rows:
            lines += ["No parameters.", ""]
            continue
        lines += ["| key | value | why (report section, or assumption) |", "|---|---|---|"]
        for key, value, comment in rows:
            why = "; ".join(part for part in (_declared(prefix + key, rule), comment) if part) or "-"
            short = key.split(".")[-1]
            if key in LITERATURE or short in LITERATURE and prefix == "governance.":
                why += f"; literature: {LITERATURE.get(key) or LITERATURE[short]}"
            lines.append(f"| `{prefix}{key}` | {value} | {why.replace('|', '/')} |")
        lines.append("")
    return lines


def _fmt(x: float, digits: int = 3) -> str:
    return "n/a" if x != x else f"{x:.{digits}f}"


def _summary_table(results: Sequence[PatternResult]) -> list[str]:
    lines = ["| # | pattern | verdict | result [95% CI] | knockout | under the knockout | pass criterion |",
             "|---|---|---|---|---|---|---|"]
    for k, r in enumerate(results, 1):
        ko = r.knocked_out
        lines.append(f"| {k} | [{r.key}](#{k}-{r.key}) | **{r.verdict}** | {r.result} | "
                     f"{r.knockout.key if r.knockout else '-'} | "
                     f"{f'{ko.result}: {ko.verdict}' if ko else '-'} | {r.threshold} |")
    return lines


def _verification_table(checks: Sequence[PatternResult]) -> list[str]:
    lines = ["| # | check | verdict | result [95% CI] | pass criterion |", "|---|---|---|---|---|"]
    for k, r in enumerate(checks, 1):
        lines.append(f"| V{k} | [{r.key}](#v{k}-{r.key}) | **{r.verdict}** | {r.result} | {r.threshold} |")
    return lines


def _history(criteria: Criteria) -> list[str]:
    lines = [f"Pass criteria and measures live in `src/ijmond_sim/validation/criteria.yaml`, now at "
             f"version {criteria.version}. Its history:", "",
             "| version | date | what changed | made before or after a failed run |", "|---|---|---|---|"]
    for h in criteria.history:
        lines.append(f"| {h.version} | {h.date} | {h.change} | {h.run} |")
    return lines


def _pattern_sections(results: Sequence[PatternResult], prefix: str = "") -> list[str]:
    lines = []
    for k, r in enumerate(results, 1):
        lines += [f"### {prefix}{k}. {r.key}", "",
                  f"- **Statement.** {r.statement}",
                  f"- **Source.** {r.source}",
                  f"- **Measure.** {r.measure}",
                  f"- **Pass criterion.** {r.threshold}",
                  f"- **Result.** {r.result}: **{r.verdict}**"]
        if r.knockout is not None and r.knocked_out is not None:
            ko = r.knocked_out
            if not r.passed:
                reading = "the pattern fails with its mechanism, so the knockout shows nothing"
            else:
                reading = ("so the pattern is "
                           + ("diagnostic" if r.diagnostic else "**not diagnostic**")
                           + (f" ({ko.detail})" if ko.detail and not r.diagnostic else ""))
            lines.append(f"- **Knockout** ({r.knockout.key}: {r.knockout.description}). {ko.result}: "
                         f"**{ko.verdict}**; {reading}.")
        if r.detail:
            lines.append(f"- **Detail.** {r.detail}")
        if r.figure:
            lines += ["", f"![{r.key}]({r.figure})"]
        lines.append("")
    return lines


def _factor_table(factors: Sequence[Factor]) -> list[str]:
    lines = ["| factor | range | default | why this range |", "|---|---|---|---|"]
    for f in factors:
        span = " / ".join(f.levels) if f.levels else f"{f.low:g} - {f.high:g}"
        span += " (months)" if f.integer else ""
        keys = "" if f.keys == (f.name,) else f" (sets {', '.join(f'`{k}`' for k in f.keys)})"
        lines.append(f"| `{f.name}`{keys} | {span} | {f.default} | {f.why} |")
    return lines


def _morris_table(m: Morris) -> list[str]:
    important, sobol = m.important(), m.for_sobol()
    heads = " | ".join(f"mu* {label} | sigma {label}" for label in OUTPUTS.values())
    lines = [f"| factor | {heads} | relative mu* | important |",
             "|---|" + "---|" * (2 * len(OUTPUTS)) + "---|---|"]
    relative = m.relative()
    for i in np.argsort(-relative, kind="stable"):
        cells = " | ".join(f"{_fmt(m.mu_star[o][i])} ± {_fmt(m.mu_star_conf[o][i])} | {_fmt(m.sigma[o][i])}"
                           for o in OUTPUTS)
        f = m.factors[i]
        verdict = "yes, Sobol" if f in sobol else "yes" if f in important else "no"
        lines.append(f"| `{f.name}` | {cells} | {relative[i]:.2f} | {verdict} |")
    return lines


def _sobol_table(s: Sobol) -> list[str]:
    heads = " | ".join(f"S1 {label} | ST {label}" for label in OUTPUTS.values())
    lines = [f"| factor | {heads} |", "|---|" + "---|" * (2 * len(OUTPUTS))]
    for i in np.argsort(-s.st["completion_rate"]):
        cells = " | ".join(f"{_fmt(s.s1[o][i])} ± {_fmt(s.s1_conf[o][i])} | {_fmt(s.st[o][i])} ± "
                           f"{_fmt(s.st_conf[o][i])}" for o in OUTPUTS)
        lines.append(f"| `{s.factors[i].name}` | {cells} |")
    return lines


def _sensitivity(m: Morris, s: Sobol, budget: Budget, out: Path) -> list[str]:
    chosen = [f in s.factors for f in m.factors]
    morris_fig = plots.morris(out / "morris.png", [f.name for f in m.factors], m.mu_star, m.mu_star_conf,
                              chosen, OUTPUTS)
    sobol_fig = plots.sobol(out / "sobol.png", [f.name for f in s.factors], s.s1, s.s1_conf, s.st,
                            s.st_conf, OUTPUTS)
    fixed = [f.name for f in m.factors if f not in s.factors]
    lines = [
        "## Global sensitivity analysis", "",
        "Outputs: the completion rate (completed / started initiatives) and the final mean trust between "
        "the councils, after 10 years. Every sample point is run with several replications whose seeds "
        "come from the point's settings (`replicate.replication_seeds`); SALib gets the replication means "
        "in sample order (`sensitivity.means_in_sample_order`). The governance rule is a factor with three "
        "levels (the unit range cut in three, ordered by binding force); the rules' own parameters stay at "
        "their defaults.", "",
        "### Factors", "", *_factor_table(m.factors), "",
        f"### Morris screening ({budget.morris_trajectories} trajectories, 4 levels, "
        f"{budget.morris_runs} replications per point, {m.runs} runs)", "",
        f"A factor is important if its mu* reaches {IMPORTANCE:.0%} of the largest mu* for either output "
        f"(relative mu*); the {MAX_SOBOL_FACTORS} important factors with the largest relative mu* go on to "
        "the Sobol stage, whose cost grows with the number of factors. mu* is the mean absolute change "
        "of the output (a rate, a trust level) per full range of the factor; sigma shows interactions "
        "and non-linearity (replication noise adds to both); ± is the bootstrap 95% half-width.", "",
        *_morris_table(m), "", f"![Morris screening]({morris_fig})", "",
        f"### Sobol indices of the leading factors (N = {s.n}, {budget.sobol_runs} replications per "
        f"point, {s.runs} runs)", "",
        "Saltelli sampling without second-order terms; the other factors stay at their defaults"
        + (f" ({', '.join(f'`{n}`' for n in fixed)})." if fixed else ".")
        + " S1: share of the output's variance due to the factor alone; ST: including all its "
        "interactions; ± is the bootstrap 95% half-width. Replication noise that averaging leaves in "
        "counts as unexplained variance.", "",
        *_sobol_table(s), "", f"![Sobol indices]({sobol_fig})", "",
        "**Ranking by total index ST.**", "",
    ]
    for out_key, label in OUTPUTS.items():
        ranked = ", ".join(f"`{f.name}` ({st:.2f})" for f, st in s.ranking(out_key))
        lines.append(f"- {label}: {ranked}")
    return lines + [""]


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def write(out: Path, results: Sequence[PatternResult], checks: Sequence[PatternResult], criteria: Criteria,
          morris: Morris, sobol: Sobol, provenance: Provenance) -> Path:
    """Write ``out/REPORT.md`` (figures beside it); return its path.

    Args:
        out: the folder.
        results: the patterns, each with its knockout.
        checks: the verification against analytic baselines.
        criteria: the criteria file the patterns were judged by.
        morris: the Morris screening.
        sobol: the Sobol indices.
        provenance: command, commit and timings.
    """
    p = provenance
    counted = sum(r.counts for r in results)
    raw = sum(r.passed for r in results)
    tree = ("clean" if not p.dirty else
            f"**dirty**: {len(p.dirty)} file(s) differ from the commit ("
            + ", ".join(f"`{f}`" for f in p.dirty[:12]) + (", ..." if len(p.dirty) > 12 else "") + ")")
    lines = [
        "# Validation of ijmond-sim against the report's patterns", "",
        f"Written by `{p.command}` ({p.budget.name} validation) on {p.started:%Y-%m-%d %H:%M} UTC. "
        f"Commit `{p.commit}`; working tree {tree}. Base seed {p.seed}: the same command on the same "
        f"code gives the same numbers. The validation took **{_duration(p.seconds)}**.", "",
    ]
    if p.budget.name != "full":
        lines += ["> **Fast version**: few replications, so intervals are wide and verdicts only show that "
                  "every pattern is evaluated. The full validation is `make validate`.", ""]
    lines += [
        "Pattern-oriented modelling (Grimm et al. 2005): the model earns trust by reproducing several "
        "patterns at once, with parameters chosen from the report's descriptions (the parameter set is "
        "at the end). Each pattern is also evaluated under its **knockout**: the same runs with the "
        "mechanism behind the pattern switched off through the configuration. A pattern that passes "
        "under its knockout too does not show its mechanism: it is marked NOT DIAGNOSTIC and does not "
        "count as a pass. Pass criteria come from a versioned file whose history is printed below; a "
        "FAIL is reported as it is. Intervals are 95%: normal-approximation over runs for means, Wilson "
        "for shares, bootstrap for ratios.", "",
        f"## Summary: {counted} of {len(results)} patterns pass and are diagnostic", "",
        f"{raw} of {len(results)} pass their criterion; {raw - counted} of those pass under their knockout "
        "as well (not diagnostic).", "",
        *_summary_table(results), "",
        f"## Verification: {sum(c.passed for c in checks)} of {len(checks)} analytic checks pass", "",
        "Checks that the model applies each governance rule's arithmetic as the rule defines it; they "
        "have no mechanism to knock out and are not counted as patterns.", "",
        *_verification_table(checks), "",
        "## Pass criteria and their history", "", *_history(criteria), "",
        "## Patterns", "", *_pattern_sections(results),
        "## Verification checks", "", *_pattern_sections(checks, prefix="V"),
        *_sensitivity(morris, sobol, p.budget, out),
        "## The validated parameter set", "",
        "The default configuration, as composed by `ijmond-sim` with no overrides; each value with the "
        "reason its YAML file gives (report sections; 'assumption' where the report gives no number), "
        "and the literature where a value rests on it.", "",
        *_parameter_tables(),
        "## Timing", "",
        "| stage | wall time |", "|---|---|",
        *(f"| {stage} | {_duration(sec)} |" for stage, sec in p.stages.items()),
        f"| **total** | **{_duration(p.seconds)}** |", "",
        "## Reproduce", "",
        "```bash", "make validate                              # the full validation (this report)",
        ".venv/bin/ijmond-validate --fast --out /tmp/v   # the fast version (part of `make test`)",
        ".venv/bin/ijmond-validate --launcher parallel --workers 2   # the same numbers in 2 processes",
        "# every run is stored under validation/runs/: a stopped validation, run again, resumes",
        "```", "",
        "## References", "", *(f"- {ref}" for ref in REFERENCES), "",
    ]
    path = out / "REPORT.md"
    path.write_text("\n".join(lines))
    return path

