"""The three-rule table: each governance rule at the default settings, many seeds, with 95% intervals.

Usage: ``.venv/bin/python scripts/rule_table.py [--seeds 200] [--base-seed 2013] [key=value ...]``

Prints a Markdown table: completion over started and over ended (statutory and
voluntary), mean trust at the end among the councils still in the region and
among all, opgaven with a completion per year, the share of runs in which a
council turned away and who left (how many runs each). Seeds are derived as in
a sweep (``sweep.replicate``), one set per rule.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from ijmond_sim import config
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.measures import names_of
from ijmond_sim.sweep.intervals import mean_ci, proportion_ci
from ijmond_sim.sweep.replicate import replication_seeds, run_replications, scenario_key

RULES = ("optional", "mayoral", "binding")
MEASURES = (
    ("completion_rate_statutory", "statutory completed / started"),
    ("completion_rate_statutory_ended", "statutory completed / ended"),
    ("completion_rate_voluntary", "voluntary completed / started"),
    ("completion_rate_voluntary_ended", "voluntary completed / ended"),
    ("mean_trust_end_in_region", "mean trust at the end, councils in the region"),
    ("mean_trust_end", "mean trust at the end, all councils"),
    ("opgaven_progressed_per_year", "opgaven with a completion per year"),
)


def rows_for(rule: str, seeds: int, base_seed: int, overrides: Sequence[str]) -> list[dict]:
    """Every run of ``rule`` at the defaults plus ``overrides``."""
    cfg = config.compose([f"governance={rule}", "collect=false", *overrides])
    config.validate(cfg)
    key = scenario_key({"governance": rule, **dict(o.split("=", 1) for o in overrides)})
    return run_replications(Scenario.from_config(cfg), replication_seeds(base_seed, key, seeds))


def table(seeds: int, base_seed: int, overrides: Sequence[str]) -> str:
    """The Markdown table, one column per rule."""
    runs = {rule: rows_for(rule, seeds, base_seed, overrides) for rule in RULES}
    lines = ["| measure | " + " | ".join(RULES) + " |", "|---|" + "---|" * len(RULES)]
    for key, label in MEASURES:
        cells = []
        for rule in RULES:
            mean, low, high = mean_ci([r[key] for r in runs[rule]])
            cells.append(f"{mean:.3f} ({low:.3f}-{high:.3f})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells, who = [], []
    for rule in RULES:
        away = [names_of(r["turned_away"]) for r in runs[rule]]
        share, low, high = proportion_ci(sum(bool(a) for a in away), len(away))
        cells.append(f"{share:.3f} ({low:.3f}-{high:.3f})")
        counts = Counter(name for a in away for name in a)
        who.append(", ".join(f"{name} {n}" for name, n in counts.most_common()) or "nobody")
    lines.append("| share of runs with an exit | " + " | ".join(cells) + " |")
    lines.append("| who left (runs) | " + " | ".join(who) + " |")
    several = [sum(len(names_of(r["turned_away"])) > 1 for r in runs[rule]) for rule in RULES]
    lines.append("| runs in which more than one council left | " + " | ".join(map(str, several)) + " |")
    return "\n".join(lines) + f"\n\n{seeds} runs per rule (base seed {base_seed}), 95% intervals " \
                              "(normal approximation over runs; Wilson for shares of runs)."


def main(argv: Sequence[str] | None = None) -> None:
    """Print the three-rule table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200, help="runs per rule (default 200)")
    parser.add_argument("--base-seed", type=int, default=2013, help="base seed of the derivation")
    parser.add_argument("overrides", nargs="*", help="config overrides, key=value")
    args = parser.parse_args(argv)
    print(table(args.seeds, args.base_seed, args.overrides))


if __name__ == "__main__":
    main()
