"""Every default has one home: the YAML in conf/ holds the parameters, the schema only types them.

A value written twice drifts: these tests fail when the schema, the scenario or
the model description (docs/ODD.md) states a default of its own.
"""

from __future__ import annotations

import dataclasses
import re
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from omegaconf import MISSING

from ijmond_sim.config import schema
from ijmond_sim.model.governance import RULES
from ijmond_sim.model.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
CONF = files("ijmond_sim.conf")


def _yaml(*parts: str) -> dict:
    return yaml.safe_load(CONF.joinpath(*parts).read_text()) or {}


def _set_in_yaml() -> list[tuple[type, str, object]]:
    """(schema class, field, YAML value) for every value the YAML sets on a typed node."""
    config, sweep = _yaml("config.yaml"), _yaml("sweep.yaml")
    found = [(schema.Config, key, value) for key, value in config.items()
             if key not in ("defaults", "hydra") and not isinstance(value, dict)]
    found += [(schema.SweepConfig, "replications", sweep["replications"])]
    for section, cls in (("trust", schema.TrustConfig), ("initiatives", schema.InitiativeConfig),
                         ("decision", schema.DecisionConfig)):
        found += [(cls, key, value) for key, value in config[section].items()]
    for key, rule in RULES.items():
        found += [(rule, field, value) for field, value in _yaml("governance", f"{key}.yaml").items()
                  if field != "defaults"]
    return found


@pytest.mark.parametrize("cls, field, value", _set_in_yaml(),
                         ids=lambda x: getattr(x, "__name__", str(x)))
def test_a_value_the_yaml_sets_has_no_second_default_in_the_schema(cls, field, value):
    default = {f.name: f.default for f in dataclasses.fields(cls)}[field]
    assert default is MISSING or default == MISSING, (
        f"{cls.__name__}.{field} has the default {default!r} in the schema and {value!r} in conf/")


def test_every_schema_parameter_without_a_default_is_set_in_the_yaml():
    set_keys = {(cls, field) for cls, field, _ in _set_in_yaml()}
    for cls in (schema.TrustConfig, schema.InitiativeConfig, schema.DecisionConfig, *RULES.values()):
        for f in dataclasses.fields(cls):
            if f.default == MISSING:
                assert (cls, f.name) in set_keys, f"{cls.__name__}.{f.name} has no value anywhere"


def test_the_scenario_states_no_default_of_its_own():
    with_default = [f.name for f in dataclasses.fields(Scenario)
                    if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING]
    assert with_default == []


def _odd_defaults() -> list[tuple[str, str]]:
    """(key, value) of each row of the model description's parameter table."""
    text = (ROOT / "docs" / "ODD.md").read_text()
    blocks = text.split("## Parameters and their sources", 1)[1].split("\n\n")
    table = next(block for block in blocks if block.startswith(("| parameter", "<!-- parameter table")))
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        match = re.fullmatch(r"(?:(\w+) )?`([\w.]+)`", cells[0])
        if match:
            rule, key = match.groups()
            rows.append((f"governance/{rule}.{key}" if rule else key, cells[1]))
    return rows


def _composed_value(key: str) -> object:
    if key.startswith("governance/"):
        rule, field = key.removeprefix("governance/").split(".")
        return _yaml("governance", f"{rule}.yaml")[field]
    node = _yaml("config.yaml")
    for part in key.split("."):
        node = node[part]
    return node


def test_the_model_description_states_the_defaults_of_conf():
    rows = _odd_defaults()
    assert len(rows) >= 15, "the parameter table of docs/ODD.md was not found"
    for key, documented in rows:
        actual = _composed_value(key)
        if isinstance(actual, bool):
            assert documented == str(actual).lower(), key
        elif isinstance(actual, int | float):
            assert float(documented) == pytest.approx(float(actual)), key
        else:
            assert documented == str(actual), key
