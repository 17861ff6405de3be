"""End-to-end test of the workshop dashboard in headless Chromium (make test runs it).

Starts ``solara run ijmond_sim.dashboard.page --production`` on a free localhost port, drives the
page through Playwright with every off-host request blocked, and compares what the
page shows with the same model run in-process. Checks accessibility with axe-core,
the layout at 1280x720 and 1920x1080, the timeline, the replay, the exports, URL
parameters, presets and that closed tabs free their kernels. Saves screenshots to
``outputs/test_dashboard/``; set ``DASHBOARD_SCREENSHOTS=docs/img`` to refresh the README's.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import os
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from playwright.sync_api import expect

try:
    from browser_support import (
        OffHostGuard,
        axe_violations,
        browser_prerequisites_missing,
        solara_server,
    )
except ImportError:  # tests/ became a package
    from tests.browser_support import (
        OffHostGuard,
        axe_violations,
        browser_prerequisites_missing,
        solara_server,
    )

from ijmond_sim.dashboard import settings as dash_settings
from ijmond_sim.dashboard import views
from ijmond_sim.dashboard.labels import label, number, rule_name
from ijmond_sim.dashboard.page import EVENTS_SHOWN
from ijmond_sim.dashboard.timeline import Recording, select
from ijmond_sim.model.governance import RULES
from ijmond_sim.model.initiative import OVERRULED

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "outputs" / "test_dashboard"
VIEWPORT = {"width": 1440, "height": 1000}
SIZES = ((1920, 1080), (1280, 720))
APP = "ijmond_sim.dashboard.page"
# A small region of three councils, two of which share the most attractive outside option.
KUST = ROOT / "tests" / "conf" / "region" / "kust.yaml"

_missing = browser_prerequisites_missing()
if _missing:
    # Fail, not skip: `make test` installs all of it (scripts/install_frontend.sh), and a
    # skipped browser test would hide a blank dashboard.
    pytest.fail(f"the dashboard test cannot run: {_missing}", pytrace=False)



@pytest.fixture(scope="module")
def server():
    # started as `make workshop REGIONS=tests/conf` starts it: kust.yaml is a region of the operator's
    with solara_server(APP, env={dash_settings.REGIONS_VARIABLE: str(KUST.parent.parent)}, timeout=90) as srv:
        yield srv


class Session:
    """One browser context (one viewer) on the dashboard, with its off-host guard."""

    def __init__(self, browser, server, query: str = "", viewport=VIEWPORT, **options):
        self.context = browser.new_context(viewport=viewport, accept_downloads=True, **options)
        self.guard = OffHostGuard().install(self.context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(server.url + query)
        self.page.wait_for_selector("[data-testid=month]", timeout=60_000)

    def number(self, key: str, side: int = 0) -> str:
        return self.page.locator(f"[data-testid={key}]").nth(side).inner_text().strip()

    def month(self) -> int:
        return int(self.number("month").split()[0])

    def wait_month(self, month: int) -> None:
        self.page.wait_for_function(  # every month tile (two when comparing)
            "m => [...document.querySelectorAll('[data-testid=month]')]"
            ".every(tile => tile.textContent.trim().startsWith(m + ' '))",
            arg=month,
            timeout=30_000,
        )

    def step(self, times: int = 1) -> None:
        for _ in range(times):
            target = self.month() + 1
            self.page.locator(".ijm-step").click()
            self.wait_month(target)

    def reset(self) -> None:
        self.page.locator(".ijm-reset").click()

    def choose(self, name: str, text: str) -> None:
        self.page.locator(f".ijm-{name} select").select_option(label=text)

    def download(self, name: str) -> bytes:
        with self.page.expect_download() as info:
            self.page.locator(f".ijm-export-{name}").click()
        return Path(info.value.path()).read_bytes()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server):
    viewer = Session(browser, server)
    yield viewer
    viewer.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations once no request is under way."""
    page.wait_for_load_state("networkidle")
    return axe_violations(page)


def image_stats(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of pixels that are not near-white) of a PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    pixels = image.width * image.height
    white = sum(n for n, (r, g, b) in colours if min(r, g, b) > 245)
    return len(colours), 1 - white / pixels


def assert_drawn(locator, what: str) -> bytes:
    """The element is visible and not blank; return its screenshot."""
    locator.wait_for(state="visible", timeout=30_000)
    box = locator.bounding_box()
    assert box and box["width"] > 150 and box["height"] > 150, f"{what} is too small: {box}"
    png = locator.screenshot()
    colours, ink = image_stats(png)
    assert colours > 20 and ink > 0.03, f"{what} looks blank ({colours} colours, {ink:.1%} ink)"
    return png


def recorded(months: int, settings: dash_settings.Settings | None = None) -> Recording:
    """The same run in-process, ``months`` on."""
    recording = Recording(dash_settings.build_model(settings or dash_settings.default_settings()))
    for _ in range(months):
        recording.step()
    return recording


def expected_after(months: int, settings: dash_settings.Settings | None = None,
                   lang: str = "nl") -> dict[str, str]:
    """What the tiles should show after ``months`` steps."""
    return expected_at(recorded(months, settings), months, lang)


def expected_at(recording: Recording, month: int, lang: str = "nl") -> dict[str, str]:
    shown = recording.at(month)
    return {test_id: number(shown.measures[measure], lang, digits)
            for test_id, measure, digits in views.TILES}


def shown(viewer: Session, side: int = 0) -> dict[str, str]:
    return {test_id: viewer.number(test_id, side) for test_id, _, _ in views.TILES}


SMALLEST_TEXT = """() => {
    let smallest = Infinity, where = '';
    for (const e of document.querySelectorAll('.ijm-layout *')) {
        const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        const box = e.getBoundingClientRect();
        if (!own || box.width < 2 || box.height < 2) continue;  // no text, hidden, or screen-reader only
        const size = parseFloat(getComputedStyle(e).fontSize);
        if (size < smallest) { smallest = size; where = e.textContent.trim().slice(0, 40); }
    }
    return [smallest, where];
}"""
MIN_TEXT_PX = 14  # no text of the page (captions, buttons, tables, tiles) below this at 1280x720


def test_the_accessibility_check_finds_what_it_should_and_waits_for_solaras_busy_bar(browser):
    """Kills an axe check that always reports nothing, and one that runs while the busy bar shows."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png">'
                         '<div class="v-progress-linear"></div></main></body></html>')
        page.evaluate("setTimeout(() => document.querySelector('.v-progress-linear')"
                      ".style.visibility = 'hidden', 3000)")
        found = axe_violations(page)
        assert page.evaluate("document.querySelector('.v-progress-linear').style.visibility") == "hidden"
        assert [line.split(" ")[0] for line in found] == ["image-alt"]
    finally:
        page.close()


def test_page_renders_offline_accessible_in_both_languages(session, server):
    page = session.page
    assert session.month() == 0
    assert page.title() == label("title", "nl", region="IJmond")
    assert page.evaluate("document.documentElement.lang") == "nl"
    network = page.locator("img[data-testid=network]")
    assert_drawn(network, "the trust network")
    assert_drawn(page.locator("img[data-testid=history]"), "the plots over time")
    assert network.get_attribute("alt").startswith(label("network_alt", "nl", month=0, pairs=""))
    board = page.locator("[data-testid=board]")
    for opgave in ("economy", "environmental_service"):
        assert label(f"opgave.{opgave}", "nl") in board.inner_text()
    assert "runs on" not in page.locator("body").inner_text().lower()
    # initial trust per pair: the caption says why the mean differs from the slider
    start = recorded(0).at(0).measures["mean_trust"]
    assert label("initial_trust_caption", "nl", mean=number(start, "nl")) in page.inner_text("body")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    assert "," in session.number("mean-trust")  # 0,43 in Dutch
    page.locator(".ijm-language button", has_text="EN").click()
    page.get_by_text(label("title", "en", region="IJmond")).first.wait_for()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert label("completed", "en") in page.locator(".ijm-status-bar").inner_text()
    assert label("step", "en").lower() in page.locator(".ijm-step").inner_text().lower()
    assert session.number("mean-trust") == expected_after(0, lang="en")["mean-trust"]
    assert "." in session.number("mean-trust")
    assert serious_violations(page) == []
    page.locator(".ijm-language button", has_text="NL").click()
    page.get_by_text(label("title", "nl", region="IJmond")).first.wait_for()
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_steps_timeline_replay_projector_and_export(session, server):
    page = session.page
    network_before = assert_drawn(page.locator("img[data-testid=network]"), "the network")
    months = 24  # with seed 42: initiatives stranded and under way, so the board is busy
    session.step(months)
    recording = recorded(months)
    assert session.month() == months
    assert shown(session) == expected_at(recording, months)
    network_after = assert_drawn(page.locator("img[data-testid=network]"), "the network")
    assert network_after != network_before, "the trust network did not change while stepping"
    assert page.locator(".ijm-board .ijm-fail, .ijm-board .ijm-done, .ijm-board .ijm-chip").count()

    # projector: the main view fits both sizes without scrolling; type and figures grow
    SHOTS.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)
        fit = page.evaluate("""() => {
            const main = document.querySelector('.ijm-main');
            const board = document.querySelector('[data-testid=board]').getBoundingClientRect();
            return {page: document.documentElement.scrollHeight <= innerHeight + 1,
                    main: main.scrollHeight <= main.clientHeight + 1,
                    board: board.bottom <= innerHeight + 1};
        }""")
        page.screenshot(path=str(SHOTS / f"dashboard-{width}x{height}.png"))
        if os.environ.get("DASHBOARD_SCREENSHOTS"):
            page.screenshot(path=str(Path(os.environ["DASHBOARD_SCREENSHOTS"])
                                     / f"dashboard-{width}x{height}.png"))
        assert fit == {"page": True, "main": True, "board": True}, (width, height, fit)
        smallest = page.evaluate(SMALLEST_TEXT)  # computed styles; kills the old 12 px captions
        assert smallest[0] >= MIN_TEXT_PX, (width, smallest)
        figure = page.locator("img[data-testid=network]").bounding_box()
        tile = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'.ijm-tile .ijm-name')).fontSize)")
        sizes[width] = (figure["width"], tile)
    assert sizes[1920][0] > sizes[1280][0] * 1.2, f"the network does not grow: {sizes}"
    assert sizes[1920][1] > sizes[1280][1], f"the type does not grow: {sizes}"
    assert min(tile for _, tile in sizes.values()) >= 12
    page.set_viewport_size(VIEWPORT)

    # timeline: the run's events in plain words, newest first, filterable
    snapshot = recording.at(months)
    texts = [views.event_text(e, snapshot, "nl") for e in reversed(recording.events)]
    timeline = page.locator("[data-testid=timeline] .ijm-event-text")
    assert [t.split(" ", 1)[1] for t in timeline.all_inner_texts()] == texts[:EVENTS_SHOWN]
    assert any(e.kind == "stranded" for e in recording.events)
    session.choose("council-filter", "Uitgeest")
    uitgeest = select(recording.events, council=snapshot.councils.index("Uitgeest"))
    page.wait_for_function("n => document.querySelectorAll('[data-testid=timeline] .ijm-event')"
                           ".length === n", arg=len(uitgeest))
    session.choose("council-filter", label("all_councils", "nl"))

    # replay: clicking an event goes back to its month; every view shows that month
    first_stranded = next(e for e in recording.events if e.kind == "stranded")
    page.locator("[data-testid=timeline] .ijm-event", has_text=views.event_text(
        first_stranded, snapshot, "nl")).locator(".ijm-jump").first.click()
    session.wait_month(first_stranded.month)
    assert shown(session) == expected_at(recording, first_stranded.month)
    assert label("replay_note", "nl", month=first_stranded.month) in page.inner_text("body")
    alt = page.locator("img[data-testid=network]").get_attribute("alt")
    assert alt == views.network_alt(recording.at(first_stranded.month), "nl")
    page.locator(".ijm-live").click()
    session.wait_month(months)

    # export: pictures, tables, settings, the command, a debrief; named after the month shown
    # (kills names frozen at the month the panel was first drawn: m0 during a live run)
    with page.expect_download() as info:
        page.locator(".ijm-export-months-csv").click()
    assert info.value.suggested_filename == f"ijmond-optional-seed42-m{months}-months.csv"
    assert session.download("network-svg")[:5] == b"<?xml"
    assert session.download("history-png")[:8] == b"\x89PNG\r\n\x1a\n"
    rows = session.download("months-csv").decode().splitlines()
    assert len(rows) == months + 2 and rows[0].startswith("month,")
    events_csv = session.download("events-csv").decode().splitlines()
    assert len(events_csv) == len(recording.events) + 1
    preset = yaml.safe_load(session.download("settings-yaml"))
    start = dash_settings.default_settings()
    assert dash_settings.settings_from_mapping(preset["settings"]) == start
    command = dash_settings.reproduce_command(start)
    assert preset["command"] == command
    assert page.locator("[data-testid=command]").inner_text().strip() == command
    debrief = session.download("debrief-html").decode()
    assert debrief.count("<li>") == sum(e.kind in views.KEY_EVENTS for e in recording.events)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_switch_governance_rule_and_reset(session, server):
    page = session.page
    session.step(1)
    binding = rule_name(RULES["binding"], "nl")
    session.choose("governance", binding)
    page.get_by_text(label("pending_settings", "nl")).wait_for()
    session.reset()
    session.wait_month(0)
    assert session.number("rule") == binding
    session.step(12)
    settings = dataclasses.replace(dash_settings.default_settings(), governance="binding")
    assert shown(session) == expected_after(12, settings)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_url_opens_a_scenario_and_a_preset_loads(browser, server, tmp_path):
    chosen = dataclasses.replace(dash_settings.default_settings(), governance="binding",
                                 initial_trust=0.6, years=5, seed="7")
    viewer = Session(browser, server, dash_settings.settings_query(chosen) + "&lang=en")
    try:
        page = viewer.page
        assert viewer.number("month") == "0 of 60"
        assert viewer.number("rule") == rule_name(RULES["binding"], "en")
        assert page.evaluate("document.documentElement.lang") == "en"
        viewer.step(4)
        assert shown(viewer) == expected_after(4, chosen, "en")
        assert page.locator(".ijm-link").inner_text().strip() == dash_settings.settings_query(
            chosen)
        preset = dataclasses.replace(chosen, governance="mayoral", seed="3")
        path = tmp_path / "preset.yaml"
        path.write_text(dash_settings.settings_yaml(preset))
        page.locator("input[type=file]").set_input_files(str(path))
        page.get_by_text(label("pending_settings", "en")).wait_for()
        viewer.reset()
        viewer.wait_month(0)
        assert viewer.number("rule") == rule_name(RULES["mayoral"], "en")
        viewer.step(2)
        assert shown(viewer) == expected_after(2, preset, "en")
        viewer.guard.assert_clean(server)
        assert not viewer.errors, viewer.errors
    finally:
        viewer.close()


def test_compare_two_rules_on_one_seed(browser, server):
    viewer = Session(browser, server, "?compare=binding&seed=5")
    try:
        page = viewer.page
        assert page.locator("[data-testid=rule]").all_inner_texts() == [
            rule_name(RULES["optional"], "nl"), rule_name(RULES["binding"], "nl")]
        viewer.step(6)
        assert page.locator("[data-testid=month]").all_inner_texts() == ["6 van 120"] * 2
        start = dataclasses.replace(dash_settings.default_settings(), seed="5")
        assert shown(viewer, 0) == expected_after(6, start)
        assert shown(viewer, 1) == expected_after(6, dataclasses.replace(start,
                                                                         governance="binding"))
        assert page.locator("img[data-testid=network]").count() == 2
        viewer.step(24)  # month 30: both runs have stranded, proposed, withdrawn
        months = 30
        runs = {"optional": recorded(months, start),
                "binding": recorded(months, dataclasses.replace(start, governance="binding"))}
        assert shown(viewer, 1) == expected_at(runs["binding"], months)

        # one timeline of both runs, newest first, each event marked with its rule
        merged = sorted(((e, rule) for rule, run in runs.items() for e in run.events),
                        key=lambda pair: pair[0].month)[::-1][:EVENTS_SHOWN]
        snapshot = runs["optional"].at(months)
        expect(page.locator("[data-testid=timeline] .ijm-event-rule")).to_have_text(
            [label(f"rule_short.{rule}", "nl") for _, rule in merged])
        expect(page.locator("[data-testid=timeline] .ijm-event-text")).to_have_text(
            [f"{html.unescape(views.event_mark(e))} {views.event_text(e, snapshot, 'nl')}"
             for e, _ in merged], use_inner_text=True)
        assert {"optional", "binding"} == {rule for _, rule in merged}
        # who was carried over: exactly the losers and winners the model recorded on the initiative
        binding = runs["binding"]
        overruled = [e for e in binding.events if e.kind == "overruled"]
        assert [(e.month, e.uid, e.others, e.actors) for e in overruled] == sorted(
            (b.month, i.uid, b.witnesses, b.offenders) for i in binding.model.initiatives
            for b in i.blame if b.why == OVERRULED)
        assert overruled[-1].month > months - 12  # among the events shown
        page.locator("[data-testid=timeline] .ijm-event-text").filter(
            has_text=views.event_text(overruled[-1], snapshot, "nl")).wait_for()

        # exports of both runs: tables with a rule column, both commands, a debrief of both
        table = list(csv.DictReader(io.StringIO(viewer.download("months-csv").decode())))
        assert list(table[0])[:2] == ["governance", "month"]
        assert [(r["governance"], int(r["month"])) for r in table] == [
            (rule, m) for rule in runs for m in range(months + 1)]
        events_csv = list(csv.DictReader(io.StringIO(viewer.download("events-csv").decode())))
        assert [r["governance"] for r in events_csv] == [
            rule for rule, run in runs.items() for _ in run.events]
        initiatives = list(csv.DictReader(io.StringIO(
            viewer.download("initiatives-csv").decode())))
        assert {r["governance"] for r in initiatives} == set(runs)
        pictures = [viewer.download(name) for name in ("history-svg", "history-binding-svg")]
        assert all(p[:5] == b"<?xml" for p in pictures) and pictures[0] != pictures[1]
        commands = [dash_settings.reproduce_command(dataclasses.replace(start, governance=rule))
                    for rule in runs]
        assert [c.strip() for c in page.locator("[data-testid=command]").all_inner_texts()] == \
            commands
        preset = viewer.download("settings-yaml").decode()
        assert [yaml.safe_load(preset)[key] for key in ("command", "compare_command")] == commands
        assert dash_settings.settings_from_yaml(preset) == (start, "binding")
        debrief = viewer.download("debrief-html").decode()
        assert all(html.escape(c) in debrief for c in commands)
        reader = viewer.context.new_page()  # the debrief of two runs fits a 1280 px window
        reader.set_viewport_size({"width": 1280, "height": 720})
        reader.set_content(debrief)
        assert reader.evaluate("document.documentElement.scrollWidth") <= 1280
        reader.close()
        assert debrief.count("<section>") == 2
        assert debrief.count("<li>") == sum(e.kind in views.KEY_EVENTS
                                            for run in runs.values() for e in run.events)

        # two runs' tiles at 1280x720: one row each, nothing cut off, the main view not scrolled
        page.set_viewport_size({"width": 1280, "height": 720})
        page.wait_for_timeout(400)
        layout = page.evaluate("""() => {
            const main = document.querySelector('.ijm-main');
            const rows = [...document.querySelectorAll('.ijm-compact')].map(bar => {
                const tiles = [...bar.querySelectorAll('.ijm-tile')];
                return {tops: new Set(tiles.map(t => Math.round(t.getBoundingClientRect().top)))
                          .size,
                        cut: tiles.filter(t => t.querySelector('.ijm-value').scrollWidth
                                          > t.querySelector('.ijm-value').clientWidth + 1).length};
            });
            return {rows, main: main.scrollHeight <= main.clientHeight + 1,
                    page: document.documentElement.scrollHeight <= innerHeight + 1};
        }""")
        assert layout == {"rows": [{"tops": 1, "cut": 0}] * 2, "main": True, "page": True}, layout
        smallest = page.evaluate(SMALLEST_TEXT)
        assert smallest[0] >= MIN_TEXT_PX, smallest
        page.screenshot(path=str(SHOTS / "dashboard-compare-1280x720.png"))
        if os.environ.get("DASHBOARD_SCREENSHOTS"):
            page.screenshot(path=str(Path(os.environ["DASHBOARD_SCREENSHOTS"])
                                     / "dashboard-compare-1280x720.png"))
        page.wait_for_load_state("networkidle")
        assert serious_violations(page) == []
        viewer.choose("compare-rule", label("compare_none", "nl"))
        viewer.reset()
        viewer.wait_month(0)
        assert page.locator("[data-testid=rule]").count() == 1
        assert not viewer.errors, viewer.errors
    finally:
        viewer.close()


def test_each_browser_session_has_its_own_model(browser, server):
    first = Session(browser, server)
    try:
        first.step(3)
        second = Session(browser, server)
        try:
            assert second.month() == 0, "a new viewer saw another viewer's simulation"
            assert shown(second) == expected_after(0)
            second.step(2)
            assert second.month() == 2
            first.step(1)
            assert first.month() == 4, "stepping one viewer's model moved another's"
            second.page.reload()
            second.page.wait_for_selector("[data-testid=month]")
            assert second.month() == 0  # a reload is a new session with a fresh model
        finally:
            second.close()
    finally:
        first.close()


def test_bad_seeds_give_a_message_not_a_crash(session):
    page = session.page
    session.step(2)
    seed = page.locator(".ijm-seed input")
    problem = page.locator(".ijm-problem")
    for typed, message_key in (("abc", "error_seed_text"), ("", "error_seed_empty"),
                               ("-5", "error_seed_negative")):
        seed.fill(typed)
        seed.press("Enter")
        session.reset()
        problem.filter(has_text=label(message_key, "nl", value=typed)).wait_for(timeout=10_000)
        # the page still works, with the previous model
        assert session.month() == 2
    session.step(1)
    assert session.month() == 3
    seed.fill("7")
    seed.press("Enter")
    session.reset()
    session.wait_month(0)
    problem.wait_for(state="detached", timeout=10_000)
    assert not session.errors, session.errors


def test_play_and_pause(session, server):
    page = session.page
    page.locator(".ijm-speed button").nth(2).click()  # as fast as possible
    page.locator(".ijm-play").click()
    page.wait_for_function(
        "() => parseInt(document.querySelector('[data-testid=month]').textContent) >= 5",
        timeout=30_000,
    )
    page.locator(".ijm-play").click()  # pause
    # paused when the page says so: One month on is back (a month already under way may still land)
    page.locator(".ijm-step:not([disabled])").wait_for(timeout=30_000)
    at_least = "m => parseInt(document.querySelector('[data-testid=month]').textContent) >= m"
    before = session.month()
    page.locator(".ijm-step").click()
    page.wait_for_function(at_least, arg=before + 1, timeout=30_000)
    # kills: a play loop that runs on after Pause; it would have moved on past one month by hand
    paused_at = session.month()
    page.locator(".ijm-step").click()
    session.wait_month(paused_at + 1)
    assert session.month() == paused_at + 1, "the model kept running after Pause"
    paused_at += 1
    assert 5 <= paused_at < 120
    assert shown(session) == expected_after(paused_at)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_tabs_that_never_say_goodbye_are_freed_after_the_cull_timeout(browser):
    """A tab closed without its goodbye (lid shut, network lost) keeps its kernel until the cull."""
    with solara_server(APP, timeout=90, env={"SOLARA_KERNEL_CULL_TIMEOUT": "3s"}) as server:
        context = browser.new_context()
        context.add_init_script("navigator.sendBeacon = () => true;")  # no goodbye
        for _ in range(3):
            page = context.new_page()
            page.goto(server.url)
            page.wait_for_selector("[data-testid=month]", timeout=60_000)
            page.close()
        context.close()
        assert server.kernels()["total"] >= 1, "the test's tabs said goodbye after all"
        deadline = time.monotonic() + 30
        while server.kernels()["total"] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert server.kernels()["total"] == 0, "closed tabs kept their kernels"


def test_any_region_by_name_from_the_menu_or_the_address_never_a_path(browser, server, monkeypatch):
    """Kills a page that reads a path from the address, or shows a path or a traceback for one."""
    monkeypatch.setenv(dash_settings.REGIONS_VARIABLE, str(KUST.parent.parent))  # as the server's
    viewer = Session(browser, server, "?lang=en")
    try:
        page = viewer.page
        options = page.locator(".ijm-region select option").all_inner_texts()
        assert options == [*dash_settings.region_names(), label("own_region", "en")] and "kust" in options
        hint = page.locator(".ijm-outside-option-hint")
        assert hint.inner_text() == label("outside_option_hint", "en", councils="Uitgeest", n=1,
                                          total=4)
        # a region of the operator's folder: the slider and its caption follow the region at once
        viewer.choose("region", "kust")
        hint.filter(has_text="Zeedorp and Polderveen (2 of the 3 councils)").wait_for()
        assert page.locator(".ijm-outside-option").inner_text().endswith(
            f"{label('outside_option', 'en')}: 0.30")
        page.wait_for_load_state("networkidle")
        assert serious_violations(page) == []
        viewer.reset()
        viewer.wait_month(0)
        page.wait_for_function("() => document.querySelector('img[data-testid=network]')"
                               ".alt.includes('Zeedorp')")
        assert page.title() == label("title", "en", region="Kust")  # the page names its region
        kust = dash_settings.default_settings("kust")
        viewer.step(6)
        assert shown(viewer) == expected_after(6, kust, "en")
        assert page.locator("[data-testid=command]").inner_text().strip() == \
            dash_settings.reproduce_command(kust)
        assert label("opgave.harbour", "en", default="the harbour") in page.locator(
            "[data-testid=board]").inner_text()
        assert not viewer.errors, viewer.errors
        viewer.guard.assert_clean(server)
    finally:
        viewer.close()

    # region= in the address opens the region by name, with its own outside option
    viewer = Session(browser, server, "?region=kust&seed=3&lang=en")
    try:
        assert viewer.page.locator(".ijm-region select").input_value() == "kust"
        viewer.step(2)
        chosen = dataclasses.replace(dash_settings.default_settings("kust"), seed="3")
        assert shown(viewer) == expected_after(2, chosen, "en")
        assert not viewer.errors, viewer.errors
    finally:
        viewer.close()
    # a path, ../ or a NUL byte loads nothing and says nothing of it; a run of 10**9 years is refused
    for query, said in (({"region": str(KUST)}, "No region '…'"),
                        ({"region": "../tests/conf/region/kust.yaml"}, "No region '…'"),
                        ({"region": "/etc/passwd\x00.yaml"}, "No region '…'"),
                        ({"years": "1000000000"}, "allowed: 1 to 30")):
        viewer = Session(browser, server, "?" + urlencode({**query, "lang": "en"}))
        try:
            viewer.page.locator(".ijm-problem").get_by_text(said).wait_for()
            body = viewer.page.inner_text("body")
            assert str(ROOT) not in body and "passwd" not in body and "Traceback" not in body
            assert shown(viewer) == expected_after(0, lang="en")
        finally:
            viewer.close()
