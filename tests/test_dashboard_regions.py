"""The dashboard reads regions by name only: ``conf/region`` and the folders its operator named at start.

In-process tests of the resolver (:mod:`ijmond_sim.dashboard.settings`) against what an address
can carry in ``?region=`` and ``?years=``. Each test names the broken code it catches.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest

from ijmond_sim.dashboard import settings as dash_settings
from ijmond_sim.dashboard.labels import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
KUST = ROOT / "tests" / "conf" / "region" / "kust.yaml"
SECRET = "the db password is hunter2"
OPENED: list[str] = []
WATCHING: list[bool] = []


def _watch(event: str, args: tuple) -> None:
    if WATCHING and event == "open" and isinstance(args[0], str | bytes | Path):
        OPENED.append(str(args[0]))


sys.addaudithook(_watch)


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """An operator's folder (``ops/region`` with kust) and another folder nobody named (``other/region``)."""
    ops, other = tmp_path / "ops" / "region", tmp_path / "other" / "region"
    for folder in (ops, other):
        folder.mkdir(parents=True)
        (folder / "kust.yaml").write_text(KUST.read_text())
    (other / "secret.yaml").write_text(SECRET + "\n")
    (other / "coast.yaml").write_text(KUST.read_text())
    monkeypatch.setenv(dash_settings.REGIONS_VARIABLE, str(ops.parent))
    return ops, other


def hostile_values(ops: Path, other: Path) -> list[str]:
    """What an address may put in ``?region=``: paths, ../, NUL bytes, other folders' names, non-names."""
    rel = Path("..") / ".." / other.relative_to(other.anchor)
    return [str(other / "secret.yaml"), str(other / "coast.yaml"), str(ops / "kust.yaml"),
            "../other/region/secret.yaml", f"{rel}/secret.yaml", "../../../../etc/passwd",
            "/etc/passwd\x00.yaml", "kust\x00", "secret", "coast", "region/kust", "kust.yaml",
            "~/secret.yaml", "file:///etc/passwd", "nan", "null", "true", "1e3", " kust", "ijmond/"]


def from_address(query: str):
    """The settings an address asks for, or the problem it gets (what the page shows)."""
    try:
        return dash_settings.settings_from_mapping(parse_qs(query)), None
    except dash_settings.InputProblem as problem:
        return None, problem


def test_region_from_the_address_loads_nothing_and_echoes_nothing(folders, tmp_path):
    # kills: a resolver that reads a path from the address (absolute, ../, a folder nobody named);
    # a NUL byte or 'nan' reaching Hydra (a traceback); a message that echoes the value or a file
    ops, other = folders
    OPENED.clear()
    WATCHING.append(True)
    try:
        problems = {value: from_address(f"region={quote(value)}")[1] for value in hostile_values(ops, other)}
    finally:
        WATCHING.clear()
    assert not [p for p in OPENED if str(other) in p or "passwd" in p], OPENED
    for value, problem in problems.items():
        assert problem is not None and problem.key == "error_region_name", value
        for lang in LANGUAGES:
            message = problem.message(lang)
            assert SECRET not in message and str(tmp_path) not in message and "\x00" not in message
            assert "/" not in message.split(";")[0] and "passwd" not in message, message
    assert problems["nan"].fields["name"] == "nan"  # a plain name is said back; anything else is not
    assert problems["../other/region/secret.yaml"].fields["name"] == "…"
    assert set(problems["secret"].fields["allowed"].split(", ")) == {"ijmond", "kust"}


def test_every_path_to_a_region_goes_through_the_name(folders):
    # kills: region_overrides or checked_config accepting a path when the address is bypassed (a preset)
    ops, other = folders
    for value in hostile_values(ops, other):
        with pytest.raises(dash_settings.InputProblem):
            dash_settings.region_overrides(value)
        with pytest.raises(dash_settings.InputProblem):
            dash_settings.settings_from_yaml(f"settings: {{region: {value!r}, seed: 1}}")
    assert dash_settings.region_overrides("ijmond") == ("region=ijmond",)
    assert dash_settings.region_overrides("kust") == (f"hydra.searchpath=[file://{ops.parent}]",
                                                      "region=kust")


def test_the_operators_folders_are_read_by_name(folders, monkeypatch, tmp_path, caplog):
    # kills: folders named at start ignored; a folder named by its config root not found; a bad entry
    # silently dropped; conf/region shadowed by an operator's file of the same name
    ops, _ = folders
    (ops / "ijmond.yaml").write_text(SECRET + "\n")
    assert dash_settings.region_names() == ("ijmond", "kust")
    settings, problem = from_address("region=kust&seed=3")
    assert problem is None and dash_settings.build_model(settings).region.name == "Kust"
    assert dash_settings.build_model(dash_settings.default_settings("ijmond")).region.name == "IJmond"
    monkeypatch.setenv(dash_settings.REGIONS_VARIABLE, f"{ops}:{tmp_path / 'nowhere'}")
    with caplog.at_level(logging.WARNING, logger=dash_settings.__name__):
        assert dash_settings.region_names() == ("ijmond", "kust")
    assert f"{tmp_path / 'nowhere'} is not a folder of region files" in caplog.text
    monkeypatch.delenv(dash_settings.REGIONS_VARIABLE)
    assert dash_settings.region_names() == ("ijmond",)


@pytest.mark.parametrize(("value", "key"), [
    ("1000000000", "error_bound"), ("31", "error_bound"), ("0", "error_bound"), ("-1", "error_bound"),
    ("1e9", "error_bound"), ("2.5", "error_config"), ("nan", "error_config"), ("inf", "error_config"),
    ("\x00", "error_config")])
def test_years_from_the_address_are_bounded_with_a_message(value, key):
    # kills: no upper bound on years from the address (a run of 10**9 years allocates until MemoryError);
    # a number out of range told without the slider's ends in the page's language (error_bound)
    settings, problem = from_address(f"years={quote(value)}")
    assert settings is None and problem.key == key
    for lang in LANGUAGES:
        assert "years = " in problem.message(lang) and "\x00" not in problem.message(lang)
    if key == "error_bound":
        assert (problem.fields["low"], problem.fields["high"]) == dash_settings.YEARS


def test_years_within_the_bound_are_taken():
    # kills: a bound that refuses the slider's own range
    for years in dash_settings.YEARS:
        settings, problem = from_address(f"years={years}")
        assert problem is None and settings.years == years
