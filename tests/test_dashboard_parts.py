"""The dashboard's parts without a browser: settings, the timeline, replay, views and exports."""

from __future__ import annotations

import dataclasses
import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ijmond_sim import config
from ijmond_sim.dashboard import settings as dash_settings
from ijmond_sim.dashboard import views
from ijmond_sim.dashboard.labels import label, number, rule_name
from ijmond_sim.dashboard.timeline import Recording, run_events, select
from ijmond_sim.model import governance
from ijmond_sim.model.governance.base import GovernanceRule
from ijmond_sim.model.initiative import OVERRULED

ROOT = Path(__file__).resolve().parents[1]
# A small region of three councils, two of which share the most attractive outside option.
KUST = ROOT / "tests" / "conf" / "region" / "kust.yaml"


@pytest.fixture
def kust_folder(monkeypatch):
    """The server's operator named tests/conf at start (``make workshop REGIONS=tests/conf``)."""
    monkeypatch.setenv(dash_settings.REGIONS_VARIABLE, str(KUST.parent.parent))


def record(months: int, **changes) -> Recording:
    chosen = dataclasses.replace(dash_settings.default_settings(), **changes)
    recording = Recording(dash_settings.build_model(chosen))
    for _ in range(months):
        recording.step()
    return recording


@pytest.fixture(scope="module")
def binding_run() -> Recording:
    """Ten years under binding frameworks, seed 42: votes carried over a minority."""
    return record(120, governance="binding")


@pytest.fixture(scope="module")
def leaving_run() -> Recording:
    """Ten years with a very attractive outside option: Uitgeest turns away."""
    return record(120, outside_option=1.0)


# -- settings ------------------------------------------------------------------------------


def test_the_starting_settings_are_read_from_the_composed_config():
    cfg = config.compose()
    start = dash_settings.default_settings()
    assert start.initial_trust == cfg.trust.initial
    assert start.fall_ratio == cfg.trust.fall_ratio
    assert start.years == cfg.years
    assert start.seed == str(cfg.seed)
    assert start.governance == governance.rule_from_config(cfg.governance).key
    assert start.outside_option == cfg.region.councils.Uitgeest.outside_option
    assert start.region == "ijmond" == dash_settings.default_region()
    # the dataclass only types them: no second copy of a default value
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(dash_settings.Settings))


def test_the_rule_menu_lists_the_discovered_rules(monkeypatch):
    assert dash_settings.governance_rules() == tuple(governance.RULES)

    class Lottery(GovernanceRule):
        key = "lottery_for_test"
        label = "decided by lot"

    monkeypatch.setitem(governance.RULES, Lottery.key, Lottery)
    assert Lottery.key in dash_settings.governance_rules()
    with pytest.warns(UserWarning, match="rule.lottery_for_test"):
        assert rule_name(Lottery, "nl") == "decided by lot"
    for key, rule in governance.RULES.items():
        if key != Lottery.key:
            assert rule_name(rule, "nl") == label(f"rule.{key}", "nl")


def test_a_preset_and_a_url_give_back_the_settings():
    chosen = dataclasses.replace(dash_settings.default_settings(), governance="mayoral",
                                 initial_trust=0.7, years=5, seed="7")
    assert dash_settings.settings_from_yaml(dash_settings.settings_yaml(chosen)) == (chosen, "")
    assert dash_settings.settings_from_yaml(dash_settings.settings_yaml(chosen, "binding")) == (
        chosen, "binding")
    from urllib.parse import parse_qs
    query = parse_qs(dash_settings.settings_query(chosen)[1:])
    assert dash_settings.settings_from_mapping(query) == chosen
    query = parse_qs(dash_settings.settings_query(chosen, "optional")[1:])
    assert dash_settings.compared_rule(query) == "optional"
    with pytest.raises(dash_settings.InputProblem):
        dash_settings.settings_from_yaml("just: text")
    with pytest.raises(dash_settings.InputProblem):
        dash_settings.settings_from_mapping({"years": ["0"]})


def test_the_command_reproduces_the_dashboards_run(tmp_path):
    chosen = dataclasses.replace(dash_settings.default_settings(), governance="binding",
                                 initial_trust=0.6, years=3, seed="11")
    command = dash_settings.reproduce_command(chosen)
    words = shlex.split(command)
    assert words[0] == "ijmond-sim"
    cli = Path(sys.executable).with_name("ijmond-sim")
    subprocess.run([str(cli), *words[1:], f"hydra.run.dir={tmp_path}"], check=True,
                   capture_output=True, cwd=ROOT)
    summary = json.loads((tmp_path / "summary.json").read_text())
    recording = record(36, governance="binding", initial_trust=0.6, years=3, seed="11")
    now = recording.at(None)
    assert (summary["started"], summary["completed"], summary["stranded"]) == (
        now.measures["started"], now.measures["completed"], now.measures["stranded"])


# -- regions -------------------------------------------------------------------------------


def test_the_region_menu_lists_conf_region(monkeypatch, tmp_path):
    """Kills a menu written by hand: a new file in conf/region is a new entry."""
    monkeypatch.delenv(dash_settings.REGIONS_VARIABLE, raising=False)
    files = sorted(path.stem for path in (ROOT / "conf" / "region").glob("*.yaml"))
    assert dash_settings.region_names() == tuple(files) and "ijmond" in files
    for name in ("zuid.yaml", "noord.yaml", "__init__.py", "notes.txt"):
        (tmp_path / "region" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "region" / name).write_text("")
    monkeypatch.setattr(dash_settings.resources, "files", lambda package: tmp_path)
    assert dash_settings.region_names() == ("noord", "zuid")


def test_the_outside_option_slider_follows_the_region(kust_folder):
    """Kills a slider that always sets Uitgeest, or only the first council with the best option."""
    assert dash_settings.outside_option_councils("ijmond") == ("Uitgeest",)
    kust = dash_settings.default_settings("kust")
    assert dash_settings.outside_option_councils(kust.region) == ("Zeedorp", "Polderveen")
    assert kust.outside_option == 0.3 and kust.region == "kust"
    moved = dataclasses.replace(kust, outside_option=0.9)
    model = dash_settings.build_model(moved)
    assert dict(zip(model.region.councils, model.region.outside_option, strict=True)) == {
        "Zeedorp": 0.9, "Duinstad": 0.1, "Polderveen": 0.9}
    # a URL or preset that names only the region starts from that region's option
    assert dash_settings.settings_from_mapping({"region": ["kust"]}) == kust


def _cli_run(cfg):
    from ijmond_sim.model import RegionModel, Scenario
    from ijmond_sim.run.measures import run_summary

    model = RegionModel(Scenario.from_config(cfg), seed=cfg.seed)
    model.run_for(12 * cfg.years)
    return json.dumps(run_summary(model), sort_keys=True)  # NaN rates compare equal as text


@pytest.mark.parametrize("region", [*dash_settings.region_names(), "kust (tests/conf)"])
def test_the_dashboards_first_run_of_a_region_is_the_command_lines_run(region, kust_folder):
    """``ijmond-sim region=<name>`` (also from an operator's folder) runs what the dashboard starts with."""
    from ijmond_sim.run.measures import run_summary

    if region.startswith("kust"):
        region, overrides = "kust", [f"hydra.searchpath=[file://{KUST.parent.parent}]", "region=kust"]
    else:
        overrides = [f"region={region}"]
    cfg = config.compose(overrides)
    settings = dash_settings.default_settings(region)
    shown = dash_settings.build_model(settings)
    shown.run_for(12 * cfg.years)
    assert shown.region.councils == tuple(cfg.region.councils)
    assert shown.started > 0 and json.dumps(run_summary(shown), sort_keys=True) == _cli_run(cfg)


def test_a_region_of_the_operators_folder_reproduces_on_the_command_line(tmp_path, kust_folder):
    chosen = dataclasses.replace(dash_settings.default_settings("kust"), years=4, seed="3")
    words = shlex.split(dash_settings.reproduce_command(chosen))
    assert f"hydra.searchpath=[file://{KUST.parent.parent}]" in words and "region=kust" in words
    cli = Path(sys.executable).with_name("ijmond-sim")
    subprocess.run([str(cli), *words[1:], f"hydra.run.dir={tmp_path}"], check=True,
                   capture_output=True, cwd=tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    recording = Recording(dash_settings.build_model(chosen))
    for _ in range(48):
        recording.step()
    now = recording.at(None)
    assert (summary["started"], summary["completed"]) == (now.measures["started"],
                                                          now.measures["completed"])


def test_a_bad_region_file_is_named_by_its_region_and_its_line_goes_to_the_log(tmp_path, monkeypatch,
                                                                               caplog):
    """The page names the region, never the file's content or path; the log has the command line's line.

    Kills: a message that echoes the file (its keys, values or plain text) or the server's path.
    """
    folder = tmp_path / "my_conf" / "region"
    folder.mkdir(parents=True)
    (folder / "wrong.yaml").write_text(KUST.read_text().replace("capacity: 0.9", "capacity: 2.0"))
    (folder / "broken.yaml").write_text("name: X\ncouncils: [\n")
    (folder / "secret.yaml").write_text("the db password is hunter2\n")
    (folder / "empty.yaml").write_text("# nothing\n")
    monkeypatch.setenv(dash_settings.REGIONS_VARIABLE, str(folder.parent))
    cli = Path(sys.executable).with_name("ijmond-sim")
    for name in ("wrong", "broken", "secret", "empty"):
        with pytest.raises(dash_settings.InputProblem) as bad:
            dash_settings.default_settings(name)
        assert bad.value.key == "error_region_bad" and bad.value.fields == {"name": name}
        for lang in ("nl", "en"):
            message = bad.value.message(lang)
            assert str(tmp_path) not in message and "hunter2" not in message and "2.0" not in message
    for name in ("wrong", "broken"):
        run = subprocess.run([str(cli), f"hydra.searchpath=[file://{folder.parent}]",
                              f"region={name}", f"hydra.run.dir={tmp_path / 'out'}"],
                             capture_output=True, text=True)
        assert run.returncode == 2
        assert run.stderr.strip().removeprefix("ijmond-sim: ") in caplog.text  # the operator's line


# -- timeline and replay -------------------------------------------------------------------


def test_every_initiative_is_proposed_and_ends_once_in_the_timeline(binding_run):
    model, events = binding_run.model, binding_run.events
    assert events == run_events(binding_run.snapshots)
    proposed = {e.uid: e for e in events if e.kind == "proposed"}
    assert sorted(proposed) == [i.uid for i in model.initiatives]
    for i in model.initiatives:
        assert proposed[i.uid].month == i.started and proposed[i.uid].actors == (i.initiator,)
        ends = [e for e in events if e.uid == i.uid and e.kind in ("completed", "stranded")]
        if i.phase.ended:
            assert [(e.kind, e.month) for e in ends] == [(i.phase.value, i.ended)]
        else:
            assert ends == []
        decided = [e.month for e in events if e.uid == i.uid and e.kind == "decided"]
        assert decided == ([] if i.decided is None else [i.decided])
    for e in events:
        if e.kind == "stranded":
            initiative = model.initiatives[e.uid]
            assert e.actors == initiative.blamed and e.reason is initiative.strand_reason
            assert not set(e.actors) & set(e.others)


def test_the_timeline_names_who_was_carried_over(binding_run):
    losers = [i for e in binding_run.events if e.kind == "overruled" for i in e.others]
    assert losers, "seed 42 under binding frameworks should carry some votes over a minority"
    assert np.bincount(losers, minlength=4).tolist() == [c.times_overruled
                                                         for c in binding_run.model.councils]
    # each one exactly as the model recorded it on the initiative: month, losers, winners
    recorded = sorted((b.month, i.uid, b.witnesses, b.offenders)
                      for i in binding_run.model.initiatives for b in i.blame
                      if b.why == OVERRULED)
    told = sorted((e.month, e.uid, e.others, e.actors)
                  for e in binding_run.events if e.kind == "overruled")
    assert told == recorded


def test_two_votes_closing_in_one_month_name_the_initiative_that_was_lost():
    """Uitgeest is carried over on the second of two votes that close together, not the first.

    Kills the guess from the councils' counters (which named the first initiative to close).
    """
    from conftest import UITGEEST, propose, quiet_model

    model = quiet_model("governance=binding")
    recording = Recording(model)
    won = propose(model, 0)
    lost = propose(model, 1, against=(UITGEEST,))
    for _ in range(6):
        recording.step()
    assert won.decided == lost.decided  # both votes closed in the same month
    overruled = [e for e in recording.events if e.kind == "overruled"]
    others = tuple(p for p in lost.participants if p != UITGEEST)
    assert [(e.uid, e.month, e.others, e.actors) for e in overruled] == [
        (lost.uid, lost.decided, (UITGEEST,), others)]


def test_the_timeline_says_who_turned_away_when_and_why(leaving_run):
    model = leaving_run.model
    away = [c for c in model.councils if c.turned_away is not None]
    assert away, "an outside option of 1 should make Uitgeest turn away"
    events = [e for e in leaving_run.events if e.kind == "turned_away"]
    assert [(e.actors, e.month) for e in events] == [((c.index,), c.turned_away) for c in away]
    before = leaving_run.at(events[0].month - 1)
    council = events[0].actors[0]
    partners = [j for j, on in enumerate(before.active) if on and j != council]
    assert events[0].trust == pytest.approx(before.trust[council, partners].mean())
    text = views.event_text(events[0], leaving_run.at(None), "en")
    assert model.region.councils[council] in text and number(events[0].trust, "en") in text


def test_the_timeline_filters_by_council_opgave_and_month(binding_run):
    events = binding_run.events
    mine = select(events, council=0)
    assert mine and all(0 in e.councils for e in mine)
    assert len(mine) < len(events) or all(0 in e.councils for e in events)
    on_economy = select(events, opgave=0)
    assert on_economy and all(e.opgave == 0 for e in on_economy)
    early = select(events, until=40)
    assert early == [e for e in events if e.month <= 40] and len(early) < len(events)


def test_snapshots_share_the_initiatives_that_did_not_change(binding_run):
    """Kills a snapshot that copies every initiative every month (memory months x initiatives)."""
    copies = 0
    for before, after in zip(binding_run.snapshots, binding_run.snapshots[1:], strict=False):
        for old, new in zip(before.initiatives, after.initiatives, strict=False):
            assert (new is old) == (new == old)
            copies += new is not old
    kept = sum(len(s.initiatives) for s in binding_run.snapshots)
    distinct = len({id(state) for s in binding_run.snapshots for state in s.initiatives})
    assert distinct == len(binding_run.model.initiatives) + copies < kept / 4


def test_replay_shows_each_month_as_it_was(binding_run):
    again = record(0, governance="binding")
    for month in (0, 17, 64, 120):
        while again.month < month:
            again.step()
        shown = binding_run.at(month)
        assert shown.month == month
        assert np.array_equal(shown.trust, again.model.trust)
        assert shown.measures["completed"] == again.model.completed
        assert shown.measures["stranded"] == again.model.stranded
        assert len(binding_run.until(month)) == month + 1
        board = views.board_html(shown, "nl")
        open_now = sum(not i.phase.ended for i in again.model.initiatives)
        assert board.count('class="ijm-chip"') == open_now


# -- views ---------------------------------------------------------------------------------


def test_numbers_have_a_decimal_comma_in_dutch(binding_run):
    assert number(0.45, "nl") == "0,45" and number(0.45, "en") == "0.45"
    shown = binding_run.at(30)
    tiles = views.status_html(shown, "nl")
    assert f">{number(shown.measures['mean_trust'], 'nl')}<" in tiles and "," in number(
        shown.measures["mean_trust"], "nl")
    import re
    assert not re.search(r"\d\.\d", views.network_alt(shown, "nl"))
    assert re.search(r"\d\.\d\d", views.network_alt(shown, "en"))


def test_figures_have_text_alternatives_and_tables(binding_run):
    shown = binding_run.at(60)
    network = views.NetworkFigure(shown.councils, None, "en")
    html = views.figure_html(network.paint(shown), views.network_alt(shown, "en"),
                             views.network_table(shown, "en"), "en", "network")
    assert 'role="img"' in html and 'alt="Trust network in month 60.' in html
    assert html.count("<tr>") == len(shown.councils) + 1
    for a, b in (("Velsen", "Uitgeest"), ("Uitgeest", "Velsen")):
        i, j = shown.councils.index(a), shown.councils.index(b)
        assert f"{a} trusts {b}: {number(shown.trust[i, j], 'en')}" in views.network_alt(shown, "en")
    history = views.history_table(binding_run.until(60), "en")
    assert history.count("<tr>") == 1 + 6  # months 0, 12, ..., 60


def test_outcome_lines_differ_in_style_not_only_in_colour():
    figure = views.HistoryFigure(120, 0.45, "en")
    completed, stranded = figure.outcome_lines["completed"], figure.outcome_lines["stranded"]
    assert completed.get_linestyle() != stranded.get_linestyle()
    assert completed.get_marker() != stranded.get_marker()


def test_the_exports_hold_the_run(binding_run):
    shown = binding_run.until(48)
    rows = views.months_rows(shown)
    assert [r["month"] for r in rows] == list(range(49))
    assert rows[-1]["completed"] == binding_run.at(48).measures["completed"]
    events = select(binding_run.events, until=48)
    csv_rows = views.csv_text(views.events_rows(events, shown[-1], "nl")).splitlines()
    assert len(csv_rows) == len(events) + 1
    assert views.svg(views.NetworkFigure(shown[-1].councils, None, "nl").paint(shown[-1]))[:5] \
        == b"<?xml"
    run = views.DebriefRun(shown, events,
                           views.NetworkFigure(shown[-1].councils, None, "nl").paint(shown[-1]),
                           views.HistoryFigure(120, 0.45, "nl").paint(shown), "ijmond-sim x")
    debrief = views.debrief_html([run], "nl", "IJmond")
    assert debrief.startswith("<!DOCTYPE html>") and 'lang="nl"' in debrief
    # the title names the region (kills the old "{region}" left in the title and heading)
    title = label("title", "nl", region="IJmond")
    assert f"<title>{title}</title>" in debrief and f"<h1>{title}</h1>" in debrief
    assert "{region}" not in debrief
    assert debrief.count("<li>") == sum(e.kind in views.KEY_EVENTS for e in events)
    both = views.debrief_html([run, run._replace(command="ijmond-sim y")], "nl", "IJmond")
    assert both.count("<li>") == 2 * debrief.count("<li>") and "ijmond-sim y" in both
    assert views.with_rule(rows[:1], "binding") == [{"governance": "binding", **rows[0]}]


def test_the_dashboard_and_the_paper_draw_the_network_alike(binding_run):
    import itertools

    import pandas as pd
    from matplotlib.colors import to_rgba

    from ijmond_sim import drawing
    from ijmond_sim.sweep import figures
    shown = binding_run.at(120)
    names = shown.councils
    run = {"governance": "binding", "replication": 0, "mean_trust_end": 0.5, "turned_away": ""}
    run.update({f"trust_end_{a}_in_{b}": shown.trust[names.index(a), names.index(b)]
                for a, b in itertools.permutations(names, 2)})
    paper = figures.trust_network(pd.DataFrame([run]), ["governance"])
    dashboard = views.NetworkFigure(names, None, "en").paint(shown)

    def arrows(figure):
        return sorted((tuple(np.round(to_rgba(line.get_color()), 6)), round(line.get_linewidth(), 6))
                      for line in figure.axes[0].get_lines())

    assert arrows(paper) == arrows(dashboard)
    i, j = names.index("Velsen"), names.index("Beverwijk")
    colour = tuple(np.round(drawing.TRUST_COLOURS(shown.trust[i, j]), 6))
    assert (colour, round(drawing.edge_width(shown.trust[i, j]), 6)) in arrows(paper)
    assert drawing.TRUST_COLOURMAP == "cividis"


def test_the_cull_timeout_is_set_for_a_workshop_day(monkeypatch):
    import importlib

    import solara.server.settings
    monkeypatch.delenv("SOLARA_KERNEL_CULL_TIMEOUT", raising=False)
    from ijmond_sim.dashboard import page
    importlib.reload(page)
    assert solara.server.settings.kernel.cull_timeout == page.KERNEL_CULL_TIMEOUT == "90m"
    assert solara.server.settings.theme.show_banner is False


def test_every_kind_of_event_has_words_and_a_mark():
    from ijmond_sim.dashboard.labels import LABELS
    from ijmond_sim.dashboard.timeline import KINDS, Event
    for kind in KINDS:
        assert f"event.{kind}" in LABELS, kind
        assert views.event_mark(Event(1, kind, 0, (0,), (1,)))


def test_the_dashboards_starting_run_is_the_command_lines_default_run():
    from ijmond_sim.model import RegionModel, Scenario
    from ijmond_sim.run.measures import run_summary

    cfg = config.compose()
    settings = dash_settings.default_settings()
    months = 12 * cfg.years
    shown = dash_settings.build_model(settings)
    shown.run_for(months)
    default = RegionModel(Scenario.from_config(cfg), seed=cfg.seed)
    default.run_for(months)
    assert run_summary(shown) == run_summary(default)


def test_every_starting_value_is_a_position_of_its_slider():
    from ijmond_sim.dashboard.page import SLIDERS

    settings = dash_settings.default_settings()
    for name, low, high, step in SLIDERS:
        value = getattr(settings, name)
        positions = (value - low) / step
        assert low <= value <= high and positions == pytest.approx(round(positions)), (name, value, step)


def test_every_page_labels_a_month_and_its_year_by_one_rule():
    """Months 1-12 are year 1, 13-24 year 2, ... up to the last month (kills the old rule that
    called month 24 year 3 but month 120 year 10)."""
    assert [views.year_of(m) for m in (0, 1, 12, 13, 24, 25, 119, 120)] == [1, 1, 1, 2, 2, 3, 10, 10]
    assert views.month_text(24, 24, "en") == "Month 24 of 24 (year 2)"
    assert views.month_text(21, 24, "nl") == "Maand 21 van 24 (jaar 2)"
    snapshot = Recording(dash_settings.build_model(dash_settings.default_settings())).at(0)
    assert f"({label('year', 'nl')} 1)" in views.status_html(snapshot, "nl")


@pytest.mark.parametrize(("query", "key", "name"), [
    ("years=1000", "error_bound", "years"), ("years=0", "error_bound", "years"),
    ("initial_trust=2.0&fall_ratio=4.8", "error_bound", "initial_trust"),
    ("compare=foo", "error_compare", None), ("seed=", "error_seed_empty", None),
    ("seed=-1", "error_seed_negative", None)])
def test_a_url_value_out_of_bounds_gives_a_message_naming_its_key(query, key, name):
    """Kills a page that ran 1000 years, dropped ``compare=foo`` or an empty seed silently, or
    named another key than the bad one."""
    from ijmond_sim.dashboard.page import start_from_url

    settings, lang, compare, problem = start_from_url(f"{query}&lang=en")
    assert lang == "en" and compare == "" and problem is not None
    assert problem.key == key and problem.fields.get("name") == name
    assert settings == dash_settings.default_settings()
    message = problem.message("en")
    assert name is None or message.startswith(f"{name} = ")
