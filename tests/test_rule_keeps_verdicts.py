"""A rule added from outside cannot move the validation's verdicts: each pattern states its rules.

The validation runs twice at a tiny budget, in two processes: once as the project is and
once with the rotating chair added from a temporary folder (the two files of
``tests/test_rotating_chair.py``). Every existing pattern and verification check must give
the same verdict and the same numbers; the new rule's own general checks (its vote
baseline, its circles) appear. Each test names the mutant it kills.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import rule_from_outside
from test_rotating_chair import RULE, YAML

# The validation's patterns, verification and Sobol factors at a tiny budget; prints them as JSON.
VALIDATE = """
import functools
import json
import sys
from pathlib import Path
from ijmond_sim import api
from ijmond_sim.sweep.launchers import Launch
from ijmond_sim.validation import runs, sensitivity, verification
from ijmond_sim.validation.patterns import Budget, Context, evaluate_all
from ijmond_sim.validation.scenarios import compose_defaults

out, searchpath = Path(sys.argv[1]), sys.argv[2:]
compose = api._base.__wrapped__
api._base = functools.cache(lambda rule, region, extra=(): compose(rule, region, (*searchpath, *extra)))
tiny = Budget("tiny", default_runs=4, trust_levels=4, trust_runs=2, subset_runs=1, ordering_points=4,
              ordering_runs=1, baseline_runs=4, morris_trajectories=1, morris_runs=1, sobol_n=2, sobol_runs=1)
bases = compose_defaults()
with runs.runner(out, Launch("basic", 1), lambda line: None, 60.0) as runner:
    ctx = Context(bases, tiny, 11, None, runner)
    results = evaluate_all(ctx)
    checks = verification.verify_all(ctx)

def shown(r):
    twin = r.knocked_out
    return json.dumps([r.verdict, r.passed, r.value, r.ci, r.detail,
                       None if twin is None else [twin.passed, twin.value, twin.ci]], default=str)

factors = sensitivity.main_factors(bases["optional"])
print(json.dumps({"patterns": {r.key: shown(r) for r in results},
                  "checks": {c.key: shown(c) for c in checks},
                  "rule_levels": [list(f.levels) for f in factors if f.levels]}))
"""


def _validate(tmp_path, env=None, searchpath=()) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(VALIDATE), str(tmp_path), *searchpath],
                          env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> tuple[dict, dict]:
    """The tiny validation as the project is, and with the rotating chair added from outside."""
    env, searchpath = rule_from_outside(tmp_path_factory.mktemp("rule"), "rotating_chair", "rotating",
                                        RULE, YAML)
    return (_validate(tmp_path_factory.mktemp("without")),
            _validate(tmp_path_factory.mktemp("with"), env, (searchpath,)))


def test_every_existing_pattern_keeps_its_verdict_and_numbers(verdicts):
    """Kills a pattern that pools over every discovered rule (the trust sweep's first turn-aways, the
    identification sweep, the decision arms), and governance-ordering naming its rules by hand."""
    without, added = verdicts
    for key, shown in without["patterns"].items():
        assert added["patterns"].get(key) == shown, key
    for key, shown in without["checks"].items():
        assert added["checks"].get(key) == shown, key


def test_the_sobol_rule_factor_keeps_the_reports_three_rules(verdicts):
    """Kills the Sobol factor ``governance`` with every discovered rule as a level (the factors move)."""
    without, added = verdicts
    assert added["rule_levels"] == without["rule_levels"] == [["optional", "mayoral", "binding"]]


def test_the_new_rules_own_general_checks_appear(verdicts):
    """Kills the general patterns (vote baselines, circles per rule) declared for the report's rules only."""
    without, added = verdicts
    assert set(added["patterns"]) - set(without["patterns"]) == {"circles-rotating"}
    assert set(added["checks"]) - set(without["checks"]) == {"vote-rotating"}
