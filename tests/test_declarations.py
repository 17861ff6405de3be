"""A parameter is declared once: its range check, help line, ODD row, slider and uncertainty follow.

Each test names the mutant it kills.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import ijmond_sim
from ijmond_sim import api, config
from ijmond_sim.config.described import described
from ijmond_sim.model.governance import RULES
from ijmond_sim.model.parameters import GROUPS, Declaration, declarations, declared

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("cls", [*GROUPS.values(), *RULES.values()], ids=lambda cls: cls.__name__)
def test_every_model_parameter_has_a_declaration_with_a_meaning_and_a_section(cls):
    """Kills: a new field of a group or rule added as a bare ``MISSING`` (no range, no help, no ODD row)."""
    names = dict(declarations(cls))
    for f in dataclasses.fields(cls):
        assert f.name in names, f"{cls.__name__}.{f.name} is not declared with parameter()"
        assert names[f.name].meaning and names[f.name].section, f.name


def _around(d: Declaration, step: float) -> tuple[list[float], list[float]]:
    """Values just outside and just inside each declared bound (``step`` apart from it)."""
    outside, inside = [], []
    for bound, is_open, sign in ((d.low, d.low_open, -1), (d.high, d.high_open, 1)):
        if bound is not None:
            outside.append(bound if is_open else bound + sign * step)
            inside.append(bound - sign * step if is_open else bound)
    return outside, inside


@pytest.mark.parametrize("parameter", list(declared()), ids=lambda p: p.key)
def test_each_declared_range_is_what_the_config_check_enforces(parameter):
    """Kills: a group left out of the derived checks; ``holds`` with an open and a closed bound swapped
    (``<`` for ``<=``); a declared bound that the check ignores (a lower bound only, say)."""
    d = parameter.declaration
    assert d.checked, parameter.key
    outside, inside = _around(d, 1 if parameter.integer else 1e-9)
    allowed = d.allowed.replace("[", r"\[").replace("(", r"\(")
    for value in outside:
        with pytest.raises(config.ConfigError, match=f"{parameter.key} = .*: {allowed}"):
            api.scenario(**{parameter.key: value})
    for value in inside:
        try:
            api.scenario(**{parameter.key: value})
        except config.ConfigError as error:  # only a cross-check may object (gain * fall_ratio <= 1)
            assert error.key != parameter.key, error


def test_a_rules_declared_ranges_are_its_checks():
    """Kills: ``GovernanceRule.checks`` yielding nothing, or skipping a declared field."""
    binding = api.scenario(rule="binding").rule
    checked = {key for key, *_ in binding.checks()}
    assert checked == {"governance.aligned_cycle", "governance.quota", "governance.vote_weight",
                       "governance.exit_cost"}  # mandate, a switch, has no range
    with pytest.raises(config.ConfigError, match="vote_weight = 'seats'.*'equal' or 'population'"):
        api.scenario(rule="binding", **{"governance.vote_weight": "seats"})


def test_the_help_names_every_declared_parameter_with_its_range():
    """Kills: the help resolver not registered (Hydra stops) or a group left out of ``described``."""
    done = subprocess.run([str(Path(sys.executable).parent / "ijmond-sim"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for rule, key, d, _ in described():
        name = f"{key} ({rule})" if rule else key
        line = next((line for line in lines if line.split("  ")[1:2] == [name]), None)
        assert line is not None, name
        assert d.meaning in line and (not d.checked or d.allowed.split(" ")[-1] in line), line


def test_the_parameter_table_of_the_model_description_is_what_the_declarations_give():
    """Kills: a declaration changed (range, unit, meaning) or added without ``scripts/odd_parameters.py``."""
    odd = _script("odd_parameters")
    assert odd.ODD.read_text() == odd.page(), "run: .venv/bin/python scripts/odd_parameters.py"


def test_the_explored_parameters_are_the_declared_ranges_then_the_regions():
    """Kills: ``parameters()`` dropping a declared explored range, or taking a range from elsewhere."""
    params = ijmond_sim.parameters()
    model = [p for p in declared() if p.declaration.explore is not None]
    assert [(p.name, p.keys, (p.low, p.high), p.integer) for p in params[:len(model)]] == [
        (m.name, (m.key,), m.declaration.explore, m.integer) for m in model]
    assert [p.name for p in params[len(model):]] == ["uitgeest_outside_option", "voluntary_surplus"]


def test_the_dashboards_sliders_end_where_the_declarations_allow():
    """Kills: a slider with ends of its own (the old fall ratio slider from 1, not the allowed 0)."""
    from ijmond_sim.dashboard.page import SLIDERS

    ends = {name: (low, high) for name, low, high, _ in SLIDERS}
    assert ends["initial_trust"] == (0.0, 1.0)
    assert ends["fall_ratio"] == (0.0, dict(declarations(GROUPS["trust"]))["fall_ratio"].explore[1])
