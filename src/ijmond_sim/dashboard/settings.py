"""What the workshop can set, and how those settings become a model: pure, no Solara.

The starting values are read from the composed configuration (``conf/config.yaml``
and its groups); :class:`Settings` only types them. The region is chosen by name
only: a file of ``conf/region`` or of a folder the server's operator named at start
(``$IJMOND_REGIONS``, which ``make workshop REGIONS=...`` sets), never a path from the
address or the page. It is composed and checked as the command line does
(:func:`ijmond_sim.run.command.check_config`). A bad value raises
:class:`InputProblem`, which the page shows as a message, never as a crash; a message
never holds a line of a file or a path of the server (a bad region file is named by
its region, the line goes to the server's log). The same settings give the
``ijmond-sim`` command that reproduces the run.
"""

from __future__ import annotations

import copy
import logging
import math
import os
import re
import shlex
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlencode

import yaml
from omegaconf import DictConfig, open_dict, read_write

from ijmond_sim import config, errors
from ijmond_sim.config.schema import declaration_of
from ijmond_sim.dashboard.labels import label
from ijmond_sim.model import RegionModel, governance
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.run.command import check_config

logging.getLogger("MESA").setLevel(logging.WARNING)
LOG = logging.getLogger(__name__)
# Folders of region files the server's operator adds at start, separated by os.pathsep.
REGIONS_VARIABLE = "IJMOND_REGIONS"
# A region's name: a file name the Hydra override takes as it is, and nothing that leads elsewhere.
REGION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# The run lengths the page offers (its slider), in years: a longer run is refused with a message.
YEARS = (1, 30)
# The other sliders' ends, from each parameter's declaration (the allowed range, the explored one where
# it is open): a value from a URL or a preset outside them is refused with a message.
BOUNDS = {name: declaration_of(key).bounds for name, key in (
    ("initial_trust", "trust.initial"), ("fall_ratio", "trust.fall_ratio"),
    ("outside_option", "region.councils.any.outside_option"))}


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
        region: the name of a region (one of :func:`region_names`).
        governance: key of the governance rule (one of :func:`governance_rules`).
        initial_trust: the region's trust at the start, [0, 1].
        fall_ratio: how many times faster trust falls than it rises.
        outside_option: attractiveness of the option outside the region, [0, 1], for the
            region's councils that have the most attractive one (:func:`outside_option_councils`).
        years: length of the run in years.
        seed: the seed as typed (text; checked by :func:`parse_seed`).
    """

    region: str
    governance: str
    initial_trust: float
    fall_ratio: float
    outside_option: float
    years: int
    seed: str


def region_folders() -> tuple[Path, ...]:
    """The folders of region files named at start in ``$IJMOND_REGIONS``, each a folder named ``region``.

    An entry may name the ``region`` folder itself or the config folder that holds it
    (as ``hydra.searchpath`` does); an entry that is neither is left out, with a warning.
    """
    folders = []
    for entry in os.environ.get(REGIONS_VARIABLE, "").split(os.pathsep):
        if not entry.strip():
            continue
        folder = Path(entry.strip()).expanduser().resolve()
        folder = folder if folder.name == "region" else folder / "region"
        if folder.is_dir():
            folders.append(folder)
        else:
            LOG.warning("%s: %s is not a folder of region files (nor holds one named 'region')",
                        REGIONS_VARIABLE, entry)
    return tuple(folders)


def region_files() -> dict[str, Path | None]:
    """Every region the dashboard reads, by name: ``conf/region``'s (None) and the operator's (their file).

    A name in ``conf/region`` shadows the same name in an operator's folder; a file whose
    name is not a plain name (:data:`REGION_NAME`) is left out.
    """
    packaged = resources.files("ijmond_sim.conf") / "region"
    files: dict[str, Path | None] = {entry.name.removesuffix(".yaml"): None for entry in packaged.iterdir()
                                     if entry.name.endswith(".yaml")}
    for folder in region_folders():
        for file in sorted(folder.glob("*.yaml")):
            if REGION_NAME.fullmatch(file.stem) and file.is_file():
                files.setdefault(file.stem, file)
    return files


def region_names() -> tuple[str, ...]:
    """The regions the dashboard offers (the region menu's entries): :func:`region_files`' names."""
    return tuple(sorted(region_files()))


@lru_cache(maxsize=1)
def base_config() -> DictConfig:
    """The default composed configuration (``conf/config.yaml``) with Hydra's node, composed once."""
    return config.compose(return_hydra_config=True)


def default_region() -> str:
    """The region ``conf/config.yaml`` chooses (its defaults list)."""
    return str(base_config().hydra.runtime.choices.region)


def region_overrides(region: str) -> tuple[str, ...]:
    """The overrides that choose ``region`` by name, as the command line writes them.

    A name of ``conf/region`` is ``region=name``; a name of an operator's folder adds
    that folder's parent to ``hydra.searchpath``, as the command line finds it.

    Raises:
        InputProblem: for any other value; it is named in the message only if it is a plain name.
    """
    files = region_files()
    if not isinstance(region, str) or region not in files:
        shown = region if isinstance(region, str) and REGION_NAME.fullmatch(region) else "…"
        raise InputProblem("error_region_name", name=shown, allowed=", ".join(sorted(files)))
    file = files[region]
    if file is None:
        return (f"region={region}",)
    return (f"hydra.searchpath=[file://{file.parent.parent}]", f"region={region}")


@lru_cache(maxsize=32)
def _checked(overrides: tuple[str, ...], region: str, stamp: int | None) -> DictConfig:
    """``overrides`` composed and checked as the command line does (``stamp``: the region file's age).

    A problem in a file (the region's) is told by the region's name; its line goes to the log.
    """
    try:
        cfg = config.compose(overrides, return_hydra_config=True)
        check_config(cfg)
    except Exception as error:  # whatever a file holds, the page gets a message, never a traceback
        problem = errors.explain(error, overrides)
        file = region_files().get(region)
        if problem is not None and (file is None or str(file.parent) not in str(problem)):
            raise InputProblem("error_config", detail=str(problem)) from None
        LOG.warning("region %s cannot be used: %s", region, problem or repr(error))
        raise InputProblem("error_region_bad", name=region) from None
    task = copy.deepcopy(cfg)
    with read_write(task), open_dict(task):
        del task["hydra"]
    return task


def checked_config(overrides: tuple[str, ...], region: str) -> DictConfig:
    """The task config for ``overrides``, composed and checked once per version of the region file.

    Raises:
        InputProblem: with the command line's one line if a value is bad, or naming the
            region if its file is.
    """
    file = region_files().get(region)
    return _checked(tuple(overrides), region, file.stat().st_mtime_ns if file else None)


def outside_option_councils(region: str | None = None) -> tuple[str, ...]:
    """Councils whose outside option the dashboard's slider sets: those with the most attractive one.

    In IJmond that is Uitgeest (Castricum and Heiloo, report 5.1 and 6); the
    others keep the option of the region file, so the slider's starting value
    gives the same run as the command line. Every council if all are equal.

    Args:
        region: as :attr:`Settings.region`; the default region if None.

    Raises:
        InputProblem: if the region cannot be read or fails the checks.
    """
    councils = region_councils(region)
    best = max(councils.values())
    return tuple(name for name, option in councils.items() if option == best)


def region_councils(region: str | None = None) -> dict[str, float]:
    """The region's councils and the outside option each has in its file.

    Raises:
        InputProblem: if the region cannot be read or fails the checks.
    """
    region = default_region() if region is None else region
    cfg = checked_config(region_overrides(region), region)
    return {name: float(c.outside_option) for name, c in cfg.region.councils.items()}


def default_settings(region: str | None = None) -> Settings:
    """The settings of the composed configuration: the dashboard's starting point.

    Args:
        region: start from this region instead of the configured one (its councils'
            most attractive outside option is the slider's start).

    Raises:
        InputProblem: if ``region`` cannot be read or fails the checks.
    """
    cfg = base_config()
    region = default_region() if region is None else region
    option = max(region_councils(region).values())
    return Settings(
        region=region,
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
        raise InputProblem("error_config", detail=f"{name} = {str(value)[:40]!r}") from None
    if not math.isfinite(number):
        raise InputProblem("error_config", detail=f"{name} = {str(value)[:40]!r}")
    return number


def _years(value) -> int:
    """``value`` as a run length in :data:`YEARS`."""
    number = _number(value, "years")
    if number != int(number):
        raise InputProblem("error_config", detail=f"years = {str(value)[:40]!r}")
    years = int(number)
    if not YEARS[0] <= years <= YEARS[1]:
        raise InputProblem("error_bound", name="years", value=years, low=YEARS[0], high=YEARS[1])
    return years


def settings_overrides(settings: Settings) -> tuple[str, ...]:
    """Hydra overrides that turn the default configuration into ``settings`` (seed aside).

    Raises:
        InputProblem: for an unknown governance rule or a value that is not a number.
    """
    if settings.governance not in governance_rules():
        raise InputProblem("error_config", detail=f"governance = {settings.governance!r}")
    overrides = [
        *region_overrides(settings.region),
        f"governance={settings.governance}",
        f"trust.initial={_number(settings.initial_trust, 'trust.initial')}",
        f"trust.fall_ratio={_number(settings.fall_ratio, 'trust.fall_ratio')}",
    ]
    option = _number(settings.outside_option, "outside_option")
    overrides += [f"region.councils.{name}.outside_option={option}"
                  for name in outside_option_councils(settings.region)]
    overrides.append(f"years={_years(settings.years)}")
    return tuple(overrides)


def build_model(settings: Settings) -> RegionModel:
    """A fresh model for ``settings``.

    Raises:
        InputProblem: if a setting is unusable (the message says which and why).
    """
    seed = parse_seed(settings.seed)
    cfg = checked_config(settings_overrides(settings), settings.region)
    return RegionModel(Scenario.from_config(cfg), seed=seed)


def reproduce_command(settings: Settings) -> str:
    """The ``ijmond-sim`` command line that runs the same scenario and seed."""
    words = ["ijmond-sim", *settings_overrides(settings), f"seed={parse_seed(settings.seed)}"]
    return " ".join(shlex.quote(w) for w in words)


def settings_yaml(settings: Settings, compare: str = "") -> str:
    """The settings as a small YAML document (a preset), with the command that reproduces them.

    Args:
        settings: the settings.
        compare: the rule the run is compared with (``""``: none); its command is added.
    """
    body = asdict(settings)
    body["seed"] = parse_seed(settings.seed)
    if compare:
        body["compare"] = compare
    document = {"settings": body, "command": reproduce_command(settings)}
    if compare:
        document["compare_command"] = reproduce_command(replace(settings, governance=compare))
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def compared_rule(values) -> str:
    """The rule a preset's settings or a URL's query compares with (``compare``); ``""`` if none.

    Raises:
        InputProblem: if ``compare`` names no governance rule.
    """
    raw = values.get("compare", "") if isinstance(values, dict) else ""
    raw = raw[0] if isinstance(raw, list | tuple) and raw else raw
    raw = "" if raw is None else str(raw).strip()
    if raw and raw not in governance_rules():
        raise InputProblem("error_compare", value=raw[:40], allowed=", ".join(governance_rules()))
    return raw


def settings_from_mapping(values, start: Settings | None = None) -> Settings:
    """Settings from a mapping of field names to text (a preset's YAML or a URL's query).

    Unknown keys are ignored; values are typed as the field's and checked when the model
    is built. Without ``start``, the defaults of the region ``values`` names are the start
    (so its outside option is the region file's).

    Raises:
        InputProblem: if a value cannot be read as its field's type, or the region is bad.
    """
    if start is None:
        region = values.get("region")
        region = region[0] if isinstance(region, list | tuple) and region else region
        start = default_settings(None if region is None else str(region))
    changes = {}
    for f in fields(Settings):
        if f.name not in values:
            continue
        raw = values[f.name]
        raw = raw[0] if isinstance(raw, list | tuple) and raw else raw
        if f.name in ("region", "governance", "seed"):
            changes[f.name] = str(raw)
        elif f.name == "years":
            changes[f.name] = _years(raw)
        else:
            changes[f.name] = _bounded(_number(str(raw).replace(",", "."), f.name), f.name)
    return replace(start, **changes)


def _bounded(value: float, name: str) -> float:
    """``value`` if it lies within the slider ``name``'s :data:`BOUNDS`."""
    low, high = BOUNDS[name]
    if not low <= value <= high:
        raise InputProblem("error_bound", name=name, value=value, low=low, high=high)
    return value


def settings_from_yaml(text: str) -> tuple[Settings, str]:
    """Settings, and the rule they are compared with (``""``: none), from a preset of :func:`settings_yaml`.

    Raises:
        InputProblem: if the text is not such a preset.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputProblem("error_preset_yaml", line=mark.line + 1 if mark else 1) from None
    if not isinstance(document, dict) or not isinstance(document.get("settings"), dict):
        raise InputProblem("error_preset")
    return settings_from_mapping(document["settings"]), compared_rule(document["settings"])


def settings_query(settings: Settings, compare: str = "") -> str:
    """The URL query (``?region=...&seed=...&compare=...``) that opens the dashboard on ``settings``."""
    return "?" + urlencode({**asdict(settings), **({"compare": compare} if compare else {})})
