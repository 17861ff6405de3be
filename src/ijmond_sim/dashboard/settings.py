"""What the workshop can set, and how those settings become a model: pure, no Solara.

The starting values are read from the composed configuration (``conf/config.yaml``
and its groups); :class:`Settings` only types them. A bad value raises
:class:`InputProblem`, which the page shows as a message, never as a crash.
The same settings give the ``ijmond-sim`` command that reproduces the run.
"""

from __future__ import annotations

import logging
import math
import shlex
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from urllib.parse import urlencode

import yaml

from ijmond_sim import config
from ijmond_sim.dashboard.labels import label
from ijmond_sim.model import RegionModel, governance
from ijmond_sim.model.scenario import Scenario

logging.getLogger("MESA").setLevel(logging.WARNING)


def governance_rules() -> tuple[str, ...]:
    """Keys of every governance rule the model knows (discovered, never listed by hand)."""
    return tuple(governance.RULES)


class InputProblem(ValueError):
    """A control holds a value the model cannot use; the page shows it as a message.

    Args:
        key: the :data:`ijmond_sim.dashboard.labels.LABELS` key of the message.
        **fields: values for the message's placeholders.
    """

    def __init__(self, key: str, **fields) -> None:
        self.key, self.fields = key, fields
        super().__init__(label(key, "en", **fields))

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        return label(self.key, lang, **self.fields)


@dataclass(frozen=True)
class Settings:
    """What the workshop can change, as the controls hold it (start: :func:`default_settings`).

    Attributes:
        governance: key of the governance rule (one of :func:`governance_rules`).
        initial_trust: the region's trust at the start, [0, 1].
        fall_ratio: how many times faster trust falls than it rises.
        outside_option: attractiveness of the option outside the region, [0, 1], for the
            councils that have one (:func:`outside_option_councils`).
        years: length of the run in years.
        seed: the seed as typed (text; checked by :func:`parse_seed`).
    """

    governance: str
    initial_trust: float
    fall_ratio: float
    outside_option: float
    years: int
    seed: str


@lru_cache(maxsize=1)
def base_config():
    """The default composed configuration (``conf/config.yaml``), composed once."""
    return config.compose()


def outside_option_councils() -> tuple[str, ...]:
    """Councils whose outside option the dashboard's slider sets: those with the most attractive one.

    In IJmond that is Uitgeest (Castricum and Heiloo, report 5.1 and 6); the
    others keep the option of the region file, so the slider's starting value
    gives the same run as the command line. Every council if all are equal.
    """
    councils = base_config().region.councils
    best = max(c.outside_option for c in councils.values())
    return tuple(name for name, c in councils.items() if c.outside_option == best)


def default_settings() -> Settings:
    """The settings of the composed configuration: the dashboard's starting point."""
    cfg = base_config()
    councils = cfg.region.councils
    option = max(councils[name].outside_option for name in outside_option_councils())
    return Settings(
        governance=governance.rule_from_config(cfg.governance).key,
        initial_trust=float(cfg.trust.initial),
        fall_ratio=float(cfg.trust.fall_ratio),
        outside_option=float(option),
        years=int(cfg.years),
        seed=str(cfg.seed),
    )


def parse_seed(text) -> int:
    """The seed a control holds, as a non-negative int.

    Accepts an int or text such as ``" 42 "`` (InputText gives text, mesa issue 3516).

    Raises:
        InputProblem: if it is empty, not a whole number, or negative.
    """
    if isinstance(text, bool):
        raise InputProblem("error_seed_text", value=text)
    if isinstance(text, int):
        value = text
    else:
        stripped = "" if text is None else str(text).strip()
        if not stripped:
            raise InputProblem("error_seed_empty")
        try:
            value = int(stripped)
        except ValueError:
            raise InputProblem("error_seed_text", value=stripped[:40]) from None
    if value < 0:
        raise InputProblem("error_seed_negative")
    return value


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputProblem("error_config", detail=f"{name} = {value!r}") from None
    if not math.isfinite(number):
        raise InputProblem("error_config", detail=f"{name} = {value!r}")
    return number


def _whole(value, name: str) -> int:
    number = _number(value, name)
    if number != int(number) or number < 1:
        raise InputProblem("error_config", detail=f"{name} = {value!r}")
    return int(number)


def settings_overrides(settings: Settings) -> tuple[str, ...]:
    """Hydra overrides that turn the default configuration into ``settings`` (seed aside).

    Raises:
        InputProblem: for an unknown governance rule or a value that is not a number.
    """
    if settings.governance not in governance_rules():
        raise InputProblem("error_config", detail=f"governance = {settings.governance!r}")
    overrides = [
        f"governance={settings.governance}",
        f"trust.initial={_number(settings.initial_trust, 'trust.initial')}",
        f"trust.fall_ratio={_number(settings.fall_ratio, 'trust.fall_ratio')}",
    ]
    option = _number(settings.outside_option, "outside_option")
    overrides += [f"region.councils.{name}.outside_option={option}"
                  for name in outside_option_councils()]
    overrides.append(f"years={_whole(settings.years, 'years')}")
    return tuple(overrides)


@lru_cache(maxsize=32)
def _scenario(overrides: tuple[str, ...]) -> Scenario:
    cfg = config.compose(overrides)
    try:
        config.validate(cfg)
    except config.ConfigError as error:
        raise InputProblem("error_config", detail=str(error)) from None
    return Scenario.from_config(cfg)


def build_model(settings: Settings) -> RegionModel:
    """A fresh model for ``settings``.

    Raises:
        InputProblem: if a setting is unusable (the message says which and why).
    """
    seed = parse_seed(settings.seed)
    scenario = _scenario(settings_overrides(settings))
    return RegionModel(scenario, seed=seed)


def reproduce_command(settings: Settings) -> str:
    """The ``ijmond-sim`` command line that runs the same scenario and seed."""
    words = ["ijmond-sim", *settings_overrides(settings), f"seed={parse_seed(settings.seed)}"]
    return " ".join(shlex.quote(w) for w in words)


def settings_yaml(settings: Settings) -> str:
    """The settings as a small YAML document (a preset), with the command that reproduces them."""
    body = asdict(settings)
    body["seed"] = parse_seed(settings.seed)
    return yaml.safe_dump({"settings": body, "command": reproduce_command(settings)},
                          sort_keys=False, allow_unicode=True)


def settings_from_mapping(values, start: Settings | None = None) -> Settings:
    """Settings from a mapping of field names to text (a preset's YAML or a URL's query).

    Unknown keys are ignored; values are typed as the field's and checked when the model
    is built.

    Raises:
        InputProblem: if a value cannot be read as its field's type.
    """
    start = start or default_settings()
    changes = {}
    for f in fields(Settings):
        if f.name not in values:
            continue
        raw = values[f.name]
        raw = raw[0] if isinstance(raw, list | tuple) and raw else raw
        if f.name in ("governance", "seed"):
            changes[f.name] = str(raw)
        elif f.name == "years":
            changes[f.name] = _whole(raw, f.name)
        else:
            changes[f.name] = _number(str(raw).replace(",", "."), f.name)
    return replace(start, **changes)


def settings_from_yaml(text: str) -> Settings:
    """Settings from a preset written by :func:`settings_yaml`.

    Raises:
        InputProblem: if the text is not such a preset.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputProblem("error_preset", detail=str(error).splitlines()[0]) from None
    if not isinstance(document, dict) or not isinstance(document.get("settings"), dict):
        raise InputProblem("error_preset", detail="no 'settings:' mapping")
    return settings_from_mapping(document["settings"])


def settings_query(settings: Settings) -> str:
    """The URL query (``?governance=...&seed=...``) that opens the dashboard on ``settings``."""
    return "?" + urlencode(asdict(settings))
