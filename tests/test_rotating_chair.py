"""A rule that needs the month, the voters and a memory: the rotating chair, written from outside in 2 files.

One council chairs each year, in turn (the region's order); once a year the chair may
overrule a lone 'no' in a vote it supports. It needs what the hooks' decision context
gives (the month, the phase, who votes, the rule's state in this run) and shows up
where every rule does: a run, a sweep, its figures, the dashboard's and the room's menus.
The state tests show that what a rule remembers in one run never reaches another, in
one process or through ``simulate``'s cached scenario. Each test names the mutant it kills.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from conftest import rule_from_outside
from ijmond_sim.sweep import folder

BIN = Path(sys.executable).parent

RULE = '''
"""Rotating chair: one council chairs each year, in turn, and may overrule a lone 'no' once that year."""

from dataclasses import dataclass

from ijmond_sim.model.governance.base import DecisionContext, GovernanceRule
from ijmond_sim.model.initiative import Phase
from ijmond_sim.model.parameters import parameter


@dataclass
class RotatingChair(GovernanceRule):
    """Each year the next council in the region's order chairs; it may overrule a lone 'no' in a vote."""

    key = "rotating"
    label = "rotating chair"
    overrules_a_year: int = parameter(meaning="lone 'no' votes the chair may overrule each year",
                                      unit="votes", section="assumption", low=0)

    def new_state(self):
        return {}  # year -> overrules the chair used

    def carries(self, support, weights, context: DecisionContext) -> bool:
        if support.all():
            return True
        year = context.month // 12
        chair = year % len(context.region.councils)
        vote = context.phase in (Phase.COLLEGE_DECISION, Phase.COUNCIL_DECISION)
        used = context.state.get(year, 0)
        if vote and (~support).sum() == 1 and chair in context.participants[support] \\
                and used < self.overrules_a_year:
            context.state[year] = used + 1
            return True
        return False
'''

YAML = """\
defaults:
  - /schema/governance/rotating@_here_
  - _self_

overrules_a_year: 1
"""

# Runs in a process that sees the rule; prints what the tests check, as JSON. The API composes
# conf/ only, so its composition is given the rule's search path here (as the commands are).
CHECK = """
import functools
import json
import sys
import solara
from ijmond_sim import api
from ijmond_sim.dashboard.labels import rule_menu
from ijmond_sim.dashboard.page import NativeSelect
from ijmond_sim.dashboard.settings import governance_rules
from ijmond_sim.model import RegionModel
from ijmond_sim.model.initiative import OVERRULED
from ijmond_sim.palette import rule_style
from ijmond_sim.run.measures import run_summary
from ijmond_sim.workshop import app

def overrules(model):
    return [(b.month, [int(i) for i in b.witnesses], [int(i) for i in b.offenders])
            for initiative in model.initiatives for b in initiative.blame if b.why == OVERRULED]

compose = api._base.__wrapped__
api._base = functools.cache(lambda rule, region, extra=(): compose(rule, region, (sys.argv[1], *extra)))
# a noisier politics and longer runs than the defaults' give lone 'no' votes to overrule in most years
LONE_NO = {"noise": 0.5, "years": 20}
scenario = api.scenario(rule="rotating", **LONE_NO)
first = RegionModel(scenario, seed=7).run()
second = RegionModel(scenario, seed=7).run()
_, rendered = solara.render(app.OpenRoomForm(lang="en", token="", on_open=lambda room: None),
                            handle_error=False)
print(json.dumps({
    "first": overrules(first), "second": overrules(second),
    "same_summary": run_summary(first) == run_summary(second),
    "states_apart": first.rule_state is not second.rule_state and first.rule_state == second.rule_state,
    "simulate": [api.simulate(rule="rotating", seed=3, replications=3, **LONE_NO) for _ in range(2)],
    "councils": len(scenario.region.councils),
    "dashboard_menu": rule_menu("en"), "rules": list(governance_rules()),
    "room_menu": rendered.find(NativeSelect).widget.items,
    "styles": {key: list(rule_style(key)) for key in governance_rules()},
}, default=str))
"""


@pytest.fixture(scope="module")
def plugin(tmp_path_factory) -> tuple[dict[str, str], str]:
    """The rotating chair's two files in a temporary folder: the environment and the search path."""
    return rule_from_outside(tmp_path_factory.mktemp("rotating"), "rotating_chair", "rotating", RULE, YAML)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def seen(plugin) -> dict:
    """What a process that sees the rule finds: runs, simulate calls, menus, styles."""
    env, searchpath = plugin
    done = _run(env, sys.executable, "-c", textwrap.dedent(CHECK), searchpath)
    return json.loads(done.stdout.splitlines()[-1])


def test_the_chair_overrules_one_lone_no_a_year_in_a_run(seen):
    """Kills a context whose month is stuck at 0 (one overrule in the whole run), one that names the
    wrong voters (a chair that is not among the winners) and a state not passed on (TypeError)."""
    overrules = seen["first"]
    years = [month // 12 for month, _, _ in overrules]
    assert len(set(years)) >= 3, overrules
    assert len(years) == len(set(years)), "more than one overrule in a year"
    for month, losers, winners in overrules:
        assert len(losers) == 1, (month, losers)
        assert (month // 12) % seen["councils"] in winners, (month, winners)


def test_a_rules_state_does_not_leak_between_two_runs_in_one_process(seen):
    """Kills a state kept in the rule object or made once per scenario: the second run would find
    this year's overrule already used, overrule less and end differently."""
    assert seen["first"] == seen["second"]
    assert seen["same_summary"] and seen["states_apart"]


def test_a_rules_state_does_not_leak_between_simulate_calls(seen):
    """Kills a state that lives in ``simulate``'s cached scenario (its rule object is shared)."""
    first, again = seen["simulate"]
    assert first == again
    overruled = [sum(v for k, v in run.items() if k.startswith("times_overruled_")) for run in first]
    assert all(n > 0 for n in overruled), overruled  # the state was used, so a leak would show


def test_the_rotating_chair_is_in_the_dashboard_and_room_menus_by_its_name(seen):
    """Kills the room menu's raw key ("rule.rotating") for a rule without a translation."""
    assert seen["rules"][-1] == "rotating"
    assert seen["dashboard_menu"]["rotating chair"] == "rotating"
    assert "rotating chair" in seen["room_menu"]
    assert not any(item.startswith("rule.") for item in seen["room_menu"])


def test_a_run_and_a_sweep_with_figures_under_the_rotating_chair(plugin, seen, tmp_path):
    """Kills a rule that the commands cannot compose or the figures cannot style apart."""
    env, searchpath = plugin
    done = _run(env, str(BIN / "ijmond-sim"), searchpath, "governance=rotating",
                f"hydra.run.dir={tmp_path / 'run'}")
    assert "under rotating chair" in done.stdout
    assert "overrules_a_year: 1" in (tmp_path / "run" / "config.yaml").read_text()
    sweep = tmp_path / "sweep"
    _run(env, str(BIN / "ijmond-sweep"), searchpath, "governance=optional,rotating",
         "trust.initial=0.3,0.7", "replications=2", f"hydra.sweep.dir={sweep}")
    assert set(pd.read_csv(sweep / "summary.csv")["governance"]) == {"optional", "rotating"}
    assert "rotating chair" in (sweep / "answer.txt").read_text()
    with folder.tables_lock(sweep):  # the figures' own process holds it until they are in place
        assert (sweep / "figures" / "completion_rate.png").stat().st_size > 0
    styles = {json.dumps(style) for style in seen["styles"].values()}
    assert len(styles) == len(seen["styles"])
