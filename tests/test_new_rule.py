"""A governance rule added from outside the package (one Python file, one YAML) shows up everywhere.

The rule lives in a temporary folder: its module is announced through an entry
point of the group ``ijmond_sim.governance`` (a ``.dist-info`` folder on the
Python path, as an installed plugin package has), its YAML through Hydra's
search path. No file of the project is touched.
"""

from __future__ import annotations

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
"""Consensus building: aligned meetings, and three quarters of the residents carry a decision."""

from dataclasses import dataclass

import numpy as np
from omegaconf import MISSING

from ijmond_sim.model.decision import weighted_majority
from ijmond_sim.model.governance.base import GovernanceRule
from ijmond_sim.model.meetings import vote_months


@dataclass
class ConsensusBuilding(GovernanceRule):
    """Councils meet together; a qualified majority of residents carries."""

    key = "consensus"
    label = "consensus building"
    quota: float = MISSING

    def decision_months(self, month, cycles, offsets, context):
        return np.full(np.shape(cycles), vote_months(month, 2, 0))

    def carries(self, support, weights, context):
        return weighted_majority(support, weights, self.quota)

    def checks(self):
        yield "governance.quota", self.quota, 0.5 < self.quota <= 1, "must be in (0.5, 1]"
'''

YAML = """\
defaults:
  - /schema/governance/consensus@_here_
  - _self_

quota: 0.75
"""


@pytest.fixture(scope="module")
def plugin(tmp_path_factory) -> tuple[dict[str, str], str]:
    """The rule's two files, and the entry point announcing its module; the environment, search path."""
    return rule_from_outside(tmp_path_factory.mktemp("new_rule"), "consensus_rule", "consensus", RULE, YAML)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_one_run_under_the_new_rule(plugin, tmp_path):
    env, searchpath = plugin
    done = _run(env, str(BIN / "ijmond-sim"), searchpath, "governance=consensus",
                f"hydra.run.dir={tmp_path}")
    assert "IJmond under consensus building (seed 42)" in done.stdout
    assert "quota: 0.75" in (tmp_path / "config.yaml").read_text()


def test_a_bad_value_of_the_new_rule_is_checked_like_any_other(plugin, tmp_path):
    env, searchpath = plugin
    done = subprocess.run([str(BIN / "ijmond-sim"), searchpath, "governance=consensus",
                           "governance.quota=0.4", f"hydra.run.dir={tmp_path / 'run'}"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "governance.quota = 0.4" in done.stderr and "(0.5, 1]" in done.stderr


def test_a_sweep_tables_figures_and_answer_show_the_new_rule(plugin, tmp_path):
    env, searchpath = plugin
    _run(env, str(BIN / "ijmond-sweep"), searchpath, "governance=optional,consensus",
         "trust.initial=0.3,0.7", "replications=2", f"hydra.sweep.dir={tmp_path}")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert set(summary["governance"]) == {"optional", "consensus"}
    assert "consensus building" in (tmp_path / "answer.txt").read_text()
    with folder.tables_lock(tmp_path):  # the figures' own process holds it until they are in place
        assert (tmp_path / "figures" / "completion_rate.png").stat().st_size > 0


def test_the_new_rule_has_a_style_and_a_name_of_its_own(plugin):
    env, _ = plugin
    code = textwrap.dedent("""
        from ijmond_sim.model.governance import RULES, rule_label
        from ijmond_sim.palette import rule_style
        styles = {key: rule_style(key) for key in RULES}
        assert list(RULES)[-1] == "consensus", list(RULES)
        assert len({(s.colour, s.line) for s in styles.values()}) == len(RULES), styles
        assert len({s.colour for s in styles.values()}) == len(RULES), styles
        print(rule_label("consensus"))
    """)
    assert _run(env, sys.executable, "-c", code).stdout.strip() == "consensus building"


def test_the_dashboard_labels_validation_and_report_show_the_new_rule(plugin):
    env, _ = plugin
    code = textwrap.dedent("""
        import warnings
        from ijmond_sim.dashboard.labels import rule_name
        from ijmond_sim.dashboard.settings import governance_rules
        from ijmond_sim.model.governance import RULES
        from ijmond_sim.validation import report
        from ijmond_sim.validation.scenarios import RULES as VALIDATED
        assert governance_rules()[-1] == "consensus", governance_rules()
        assert VALIDATED[-1] == "consensus", VALIDATED
        tables = report._parameter_tables()
        assert any(line.startswith("### Governance rule: consensus building") for line in tables)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            name = rule_name(RULES["consensus"], "nl")
        assert any("'rule.consensus'" in str(w.message) for w in caught), caught
        print(name)
    """)
    assert _run(env, sys.executable, "-c", code).stdout.strip() == "consensus building"


def test_styles_stay_distinct_for_many_rules():
    from ijmond_sim.model import governance
    from ijmond_sim.palette import OKABE_ITO, rule_style

    keys = [f"rule{i}" for i in range(40)]
    saved = dict(governance.RULES)
    try:
        governance.RULES.clear()
        governance.RULES.update({k: None for k in keys})
        styles = [rule_style(k) for k in keys]
    finally:
        governance.RULES.clear()
        governance.RULES.update(saved)
    assert len({(s.colour, s.line) for s in styles}) == len(keys)
    assert {s.colour for s in styles} <= set(OKABE_ITO)
