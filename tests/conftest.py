"""Shared fixtures: compose configs and build scenarios in-process, as the CLI would."""

from __future__ import annotations

import functools
import os
import textwrap
from pathlib import Path

import numpy as np
import pytest
from omegaconf import DictConfig

from ijmond_sim import config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario


@functools.cache
def _compose(overrides: tuple[str, ...]) -> DictConfig:
    return config.compose(overrides)


def compose_config(*overrides: str) -> DictConfig:
    """The composed config for ``overrides`` (cached; callers must not mutate it)."""
    return _compose(tuple(overrides))


def make_scenario(*overrides: str) -> Scenario:
    """A validated scenario for ``overrides``."""
    cfg = compose_config(*overrides)
    config.validate(cfg)
    return Scenario.from_config(cfg)


OPGAVEN = ("economy", "air_quality", "mobility", "housing", "facilities", "environmental_service")
NO_PROPOSALS = tuple(f"region.opgaven.{o}.proposals_per_year=0" for o in OPGAVEN)


BEVERWIJK, HEEMSKERK, UITGEEST, VELSEN = range(4)  # the IJmond councils' places in every array
FOR, AGAINST = 50.0, -50.0  # political moods that settle a vote whatever the utility


def quiet_model(*overrides: str, seed: int = 0) -> RegionModel:
    """A model in which nobody proposes or fails by chance: the test drives every initiative."""
    return RegionModel(make_scenario(*NO_PROPOSALS, "initiatives.delivery_risk=0", "initiatives.holdback=0",
                                     *overrides), seed=seed)


def propose(model: RegionModel, opgave: int, against: tuple[int, ...] = (), initiator: int = VELSEN):
    """``initiator`` proposes on ``opgave``; the councils in ``against`` will vote no, the rest yes."""
    initiative = model.propose(initiator, opgave)
    initiative.mood = np.where(np.isin(initiative.participants, against), AGAINST, FOR)
    return initiative


def step_until(model: RegionModel, done) -> None:
    """Step ``model`` until ``done()`` holds (at most 400 months)."""
    for _ in range(400):
        if done():
            return
        model.step()
    raise AssertionError("condition not reached in 400 months")


@pytest.fixture
def scenario_for():
    """Build scenarios from overrides."""
    return make_scenario


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests of one module (Playwright imported only where they run)."""
    from playwright.sync_api import sync_playwright

    from browser_support import launch_chromium

    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


def rule_from_outside(root: Path, module: str, key: str, python: str,
                      yaml: str) -> tuple[dict[str, str], str]:
    """A governance rule kept outside the project, as a student writes it: one Python file, one YAML.

    The module is announced through an entry point of the group ``ijmond_sim.governance`` (a
    ``.dist-info`` folder on the Python path, as an installed plugin package has), the YAML
    through Hydra's search path. No file of the project is touched.

    Returns:
        The environment for a subprocess that sees the rule, and the ``hydra.searchpath`` override.
    """
    (root / "python").mkdir(parents=True)
    (root / "python" / f"{module}.py").write_text(textwrap.dedent(python))
    info = root / "python" / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[ijmond_sim.governance]\n{key} = {module}\n")
    (root / "conf" / "governance").mkdir(parents=True)
    (root / "conf" / "governance" / f"{key}.yaml").write_text(textwrap.dedent(yaml))
    env = {**os.environ, "PYTHONPATH": str(root / "python"), "OMP_NUM_THREADS": "1"}
    return env, f"hydra.searchpath=[file://{root / 'conf'}]"
