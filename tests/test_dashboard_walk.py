"""A seeded random walk over every control of the dashboard: no traceback, no blank page, ever.

Each walk (one seed of :data:`WALK_SEEDS`) opens the page in headless Chromium and drives
:data:`STEPS` random actions: rule, compare, region, presets (good, broken, comparing),
sliders, seed, language, play/pause/step/reset, export buttons, timeline jumps and URL
parameters (in and out of bounds). After each action, once Solara is at rest, the page
must show its month tile and no traceback, and no part may have fallen back to the error
boundary's line; at the end the server's log holds no failed part either. A failing walk
names its seed and the actions so far, so it can be replayed.

Also the regression test of the compare crash: choosing a rule under "Compare with" and
pressing "Start again" turned the page into a traceback (``governance = ''``).
"""

from __future__ import annotations

import random

import pytest
import yaml

try:
    from browser_support import SOLARA_AT_REST, browser_prerequisites_missing, solara_server
except ImportError:  # tests/ became a package
    from tests.browser_support import (
        SOLARA_AT_REST,
        browser_prerequisites_missing,
        solara_server,
    )

from ijmond_sim.dashboard import settings as dash_settings
from ijmond_sim.dashboard.labels import label, rule_name
from ijmond_sim.model.governance import RULES

APP = "ijmond_sim.dashboard.page"
WALK_SEEDS = (1, 2, 3)  # the default run's walks; each is STEPS actions long
STEPS = 14
FAILED_PART = "could not be drawn"

_missing = browser_prerequisites_missing()
if _missing:
    pytest.fail(f"the dashboard walk cannot run: {_missing}", pytrace=False)


@pytest.fixture(scope="module")
def server():
    with solara_server(APP, timeout=90) as srv:
        yield srv


def open_page(browser, server, query: str = ""):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + query)
    page.wait_for_selector("[data-testid=month]", timeout=60_000)
    return context, page


def settle(page) -> None:
    """Wait until Solara is at rest (its busy bar hidden)."""
    page.wait_for_timeout(150)
    page.wait_for_function(SOLARA_AT_REST, timeout=60_000)


def healthy(page) -> str | None:
    """What is wrong with the page now (a traceback, a blank page, a failed part), or None."""
    body = page.locator("body").inner_text(timeout=30_000)
    if "Traceback" in body:
        return "a traceback on the page: " + body[body.index("Traceback"):][:300]
    if page.locator("[data-testid=month]").count() == 0 or len(body.strip()) < 200:
        return f"a blank page: {body[:200]!r}"
    if page.locator(".ijm-part-error").count():
        return "a part fell back to the error line"
    return None


def preset_text(rng: random.Random) -> str:
    """A preset: good, good and comparing, comparing with an unknown rule, or broken."""
    rules = list(RULES)
    settings = dash_settings.default_settings()
    kind = rng.choice(("good", "compare", "bad_compare", "broken", "no_settings"))
    if kind == "broken":
        return "settings: [unclosed\n  seed: : 4"
    if kind == "no_settings":
        return "just: text\n"
    document = yaml.safe_load(dash_settings.settings_yaml(
        settings.__class__(**{**settings.__dict__, "governance": rng.choice(rules),
                              "seed": str(rng.randrange(100))})))
    if kind == "compare":
        document["settings"]["compare"] = rng.choice(rules)
    if kind == "bad_compare":
        document["settings"]["compare"] = "foo"
    return yaml.safe_dump(document)


def random_query(rng: random.Random) -> str:
    parts = {
        "governance": rng.choice([*RULES, "nope"]),
        "years": rng.choice(["2", "0", "1000", "x", ""]),
        "seed": rng.choice(["", "5", "-1", "abc", "42"]),
        "compare": rng.choice([*RULES, "foo", ""]),
        "lang": rng.choice(["nl", "en", "xx"]),
        "initial_trust": rng.choice(["0.2", "2.0", "nan"]),
    }
    chosen = rng.sample(sorted(parts), rng.randint(1, len(parts)))
    return "?" + "&".join(f"{k}={parts[k]}" for k in chosen)


def choose_any(page, name: str, rng: random.Random) -> None:
    options = page.locator(f".ijm-{name} select option").all_inner_texts()
    page.locator(f".ijm-{name} select").select_option(label=rng.choice(options))


def click_if_enabled(locator) -> None:
    if locator.count() and locator.first.is_enabled():
        locator.first.click()


def act(page, server, action: str, rng: random.Random) -> None:
    """Do ``action`` on ``page`` with random choices from ``rng``."""
    if action in ("governance", "compare-rule", "region"):
        choose_any(page, action, rng)
        if action == "region" and page.locator(".ijm-region-path input").count():
            field = page.locator(".ijm-region-path input")
            field.fill(rng.choice(["nowhere.yaml", "tests/conf/region/kust.yaml", "x"]))
            field.press("Enter")
    elif action == "preset":
        page.locator(".ijm-preset input[type=file]").set_input_files(
            files=[{"name": "preset.yaml", "mimeType": "text/yaml",
                    "buffer": preset_text(rng).encode()}])
    elif action == "slider":
        slider = page.locator(f".ijm-{rng.choice(['initial-trust', 'fall-ratio', 'outside-option', 'years'])}"
                              " .v-slider").first
        box = slider.bounding_box()
        if box:
            page.mouse.click(box["x"] + box["width"] * rng.random(), box["y"] + box["height"] / 2)
    elif action == "seed":
        field = page.locator(".ijm-seed input")
        field.fill(rng.choice(["", "abc", "-3", "17", "42", " 8 "]))
    elif action == "language":
        page.locator(".ijm-language button").nth(rng.randrange(2)).click()
    elif action in ("play", "step", "reset"):
        click_if_enabled(page.locator(f".ijm-{action}"))
    elif action == "export":
        buttons = page.locator(".ijm-export button")
        with page.expect_download(timeout=60_000):
            buttons.nth(rng.randrange(buttons.count())).click()
    elif action == "jump":
        jumps = page.locator(".ijm-jump")
        if jumps.count():
            jumps.nth(rng.randrange(jumps.count())).click()
    elif action == "url":
        page.goto(server.url + random_query(rng))
        page.wait_for_selector("[data-testid=month], .ijm-part-error", timeout=60_000)


ACTIONS = ("governance", "compare-rule", "region", "preset", "slider", "seed", "language",
           "play", "step", "step", "reset", "reset", "export", "jump", "url")


@pytest.mark.parametrize("walk_seed", WALK_SEEDS)
def test_random_walk_over_every_control_shows_no_traceback_and_no_blank_page(browser, server,
                                                                            walk_seed):
    """Kills: the compare race (a render between the rival run and its rule), an unknown
    ``compare`` or an out-of-range ``years`` reaching the model, a part without its boundary
    whose error becomes the page, and any control whose handler raises into the page."""
    rng = random.Random(walk_seed)
    context, page = open_page(browser, server)
    done = []
    try:
        for _ in range(STEPS):
            action = rng.choice(ACTIONS)
            done.append(action)
            act(page, server, action, rng)
            settle(page)
            problem = healthy(page)
            assert problem is None, f"walk {walk_seed} after {done}: {problem}"
        click_if_enabled(page.locator(".ijm-play", has_text=label("pause", "nl")))
    finally:
        context.close()
    assert FAILED_PART not in server.log_text(), server.log_text()[-3000:]


def test_compare_from_the_menu_and_from_a_preset_then_start_again(browser, server):
    """Regression: the menu's "Compare with" then "Start again" became a traceback ending
    ``InputProblem: ... governance = ''`` (the rival run was drawn before its rule was set);
    a preset with ``compare:`` did the same. Kills a page that sets the two apart again."""
    context, page = open_page(browser, server, "?lang=en")
    binding, none = rule_name(RULES["binding"], "en"), label("compare_none", "en")
    rules = "[...document.querySelectorAll('[data-testid=rule]')].map(t => t.textContent.trim())"
    try:
        for _ in range(3):
            page.locator(".ijm-compare-rule select").select_option(label=binding)
            page.locator(".ijm-reset").click()
            page.wait_for_function(f"{rules}.length === 2", timeout=30_000)
            assert page.evaluate(rules)[1] == binding
            assert healthy(page) is None
            page.locator(".ijm-compare-rule select").select_option(label=none)
            page.locator(".ijm-reset").click()
            page.wait_for_function(f"{rules}.length === 1", timeout=30_000)
        start = dash_settings.default_settings()
        preset = dash_settings.settings_yaml(start, "mayoral")
        page.locator(".ijm-preset input[type=file]").set_input_files(
            files=[{"name": "p.yaml", "mimeType": "text/yaml", "buffer": preset.encode()}])
        settle(page)
        page.locator(".ijm-reset").click()
        page.wait_for_function(f"{rules}.length === 2", timeout=30_000)
        assert page.evaluate(rules)[1] == rule_name(RULES["mayoral"], "en")
        settle(page)
        assert healthy(page) is None
    finally:
        context.close()
