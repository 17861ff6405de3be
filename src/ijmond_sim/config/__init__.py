"""Configuration: the typed schema, composing ``conf/`` in-process, and the checks Hydra cannot do."""

from ijmond_sim.config.checks import ConfigError, source_of, validate
from ijmond_sim.config.compose import compose, config_sources, group_file
from ijmond_sim.config.schema import Config, SweepConfig, register_schemas

__all__ = ["Config", "ConfigError", "SweepConfig", "compose", "config_sources", "group_file",
           "register_schemas", "source_of", "validate"]
