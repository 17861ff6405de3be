"""End-to-end test of the workshop dashboard in headless Chromium (make test runs it).

Starts ``solara run ijmond_sim.dashboard.page --production`` on a free localhost port, drives the
page through Playwright with every off-host request blocked, and compares what the
page shows with the same model run in-process. Saves a screenshot to
``outputs/test_dashboard/dashboard.png`` (set ``DASHBOARD_SCREENSHOT=docs/img/dashboard.png``
to refresh the README's picture).
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest

try:
    from browser_support import (
        OffHostGuard,
        browser_prerequisites_missing,
        launch_chromium,
        solara_server,
    )
except ImportError:  # tests/ became a package
    from tests.browser_support import (
        OffHostGuard,
        browser_prerequisites_missing,
        launch_chromium,
        solara_server,
    )

from ijmond_sim.dashboard import page as dashboard
from ijmond_sim.dashboard.labels import label

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "outputs" / "test_dashboard" / "dashboard.png"
VIEWPORT = {"width": 1440, "height": 1000}

_missing = browser_prerequisites_missing()
if _missing:
    # Fail, not skip: `make test` installs all of it (scripts/install_frontend.sh), and a
    # skipped browser test would hide a blank dashboard.
    pytest.fail(f"the dashboard test cannot run: {_missing}", pytrace=False)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with solara_server("ijmond_sim.dashboard.page", timeout=90) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


class Session:
    """One browser context (one viewer) on the dashboard, with its off-host guard."""

    def __init__(self, browser, server):
        self.context = browser.new_context(viewport=VIEWPORT)
        self.guard = OffHostGuard().install(self.context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(server.url)
        self.page.wait_for_selector("[data-testid=month]", timeout=60_000)

    def number(self, key: str) -> str:
        return self.page.locator(f"[data-testid={key}]").inner_text().strip()

    def month(self) -> int:
        return int(self.number("month").split()[0])

    def wait_month(self, month: int) -> None:
        self.page.wait_for_function(
            "m => document.querySelector('[data-testid=month]')?.textContent.trim()"
            ".startsWith(m + ' ')",
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

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server):
    viewer = Session(browser, server)
    yield viewer
    viewer.close()


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


def expected_after(months: int, settings: dashboard.Settings | None = None) -> dict[str, str]:
    """What the page should show after ``months`` steps: the same model, run in-process."""
    model = dashboard.build_model(settings or dashboard.default_settings())
    for _ in range(months):
        model.step()
    return {
        "started": str(model.started),
        "completed": str(model.completed),
        "stranded": str(model.stranded),
        "under-way": str(model.under_way),
        "mean-trust": f"{model.mean_trust():.2f}",
    }


def shown(viewer: Session) -> dict[str, str]:
    return {key: viewer.number(key)
            for key in ("started", "completed", "stranded", "under-way", "mean-trust")}


def test_page_renders_offline_with_network_plots_and_board(session, server):
    page = session.page
    assert session.month() == 0
    assert page.title() == label("title", "nl")
    assert_drawn(page.locator(".ijm-network img"), "the trust network")
    assert_drawn(page.locator(".ijm-history img"), "the plots over time")
    board = page.locator("[data-testid=board]")
    for opgave in ("economy", "environmental_service"):
        assert label(f"opgave.{opgave}", "nl") in board.inner_text()
    page.wait_for_load_state("networkidle")
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_step_advances_time_counts_and_views(session, server):
    page = session.page
    network_before = assert_drawn(page.locator(".ijm-network img"), "the trust network")
    months = 34  # with seed 42: initiatives stranded and under way, so the board is busy
    session.step(months)
    assert session.month() == months
    expected = expected_after(months)
    assert shown(session) == expected
    # with seed 42 the region has proposed and ended initiatives by now: counts moved
    assert int(expected["started"]) > 0
    assert int(expected["completed"]) + int(expected["stranded"]) > 0
    network_after = assert_drawn(page.locator(".ijm-network img"), "the trust network")
    assert network_after != network_before, "the trust network did not change while stepping"
    assert_drawn(page.locator(".ijm-history img"), "the plots over time")
    assert page.locator(".ijm-board .ijm-fail, .ijm-board .ijm-done, .ijm-board .ijm-chip").count()
    page.wait_for_timeout(300)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    if os.environ.get("DASHBOARD_SCREENSHOT"):  # the README's picture: tall enough for the board
        page.set_viewport_size({"width": 1440, "height": 1480})
        page.wait_for_timeout(500)
        page.screenshot(path=os.environ["DASHBOARD_SCREENSHOT"])
        page.set_viewport_size(VIEWPORT)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


def test_switch_governance_rule_and_reset(session, server):
    page = session.page
    session.step(3)
    binding = label("rule.binding", "nl")
    page.locator(".ijm-governance").click()
    page.locator(".v-menu__content .v-list-item", has_text=binding).click()
    page.get_by_text(label("pending_settings", "nl")).wait_for()
    session.reset()
    session.wait_month(0)
    assert session.number("rule") == binding
    session.step(30)
    settings = replace(dashboard.default_settings(), governance="binding")
    assert shown(session) == expected_after(30, settings)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors


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


@pytest.mark.parametrize(("typed", "message_key"), [
    ("abc", "error_seed_text"),
    ("", "error_seed_empty"),
    ("-5", "error_seed_negative"),
])
def test_bad_seed_gives_a_message_not_a_crash(session, typed, message_key):
    page = session.page
    session.step(2)
    seed = page.locator(".ijm-seed input")
    seed.fill(typed)
    seed.press("Enter")
    session.reset()
    problem = page.locator(".ijm-problem")
    problem.wait_for(timeout=10_000)
    message = label(message_key, "nl", value=typed)
    assert message in problem.inner_text()
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


def test_language_switch(session):
    page = session.page
    page.locator(".ijm-language button", has_text="EN").click()
    page.get_by_text(label("title", "en")).first.wait_for()
    assert label("completed", "en") in page.locator(".ijm-status-bar").inner_text()
    assert label("step", "en").lower() in page.locator(".ijm-step").inner_text().lower()
    page.locator(".ijm-language button", has_text="NL").click()
    page.get_by_text(label("title", "nl")).first.wait_for()


def test_play_and_pause(session, server):
    page = session.page
    page.locator(".ijm-speed button").nth(2).click()  # as fast as possible
    page.locator(".ijm-play").click()
    page.wait_for_function(
        "() => parseInt(document.querySelector('[data-testid=month]').textContent) >= 5",
        timeout=30_000,
    )
    page.locator(".ijm-play").click()  # pause
    page.wait_for_timeout(500)
    paused_at = session.month()
    page.wait_for_timeout(1500)
    assert session.month() == paused_at, "the model kept running after Pause"
    assert 5 <= paused_at < 120
    assert shown(session) == expected_after(paused_at)
    session.guard.assert_clean(server)
    assert not session.errors, session.errors
