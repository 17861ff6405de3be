"""Shared fixtures: compose configs and build scenarios in-process, as the CLI would."""

from __future__ import annotations

import functools

import pytest
from omegaconf import DictConfig

from ijmond_sim import config
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


@pytest.fixture
def scenario_for():
    """Build scenarios from overrides."""
    return make_scenario
