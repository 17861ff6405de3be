"""A room end to end in headless Chromium: a facilitator and four participants in separate contexts.

Starts ``solara run ijmond_sim.workshop.app --production`` on a free localhost port
with every off-host request blocked, opens two rooms, and plays one for 24 months:
the first vote times out (the agents decide), a participant reconnects, the console
refuses the clock to a page without the facilitator key, a participant takes their
council out of the region, and the votes change the run against the agents' own run
on the same seed (computed here, in-process). axe-core checks the join page, a
participant's vote, the console and the debrief in Dutch and in English.
Screenshots go to ``outputs/test_room/`` (set ``ROOM_SCREENSHOTS=docs/img`` to
refresh the guide's pictures).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

try:
    from browser_support import OffHostGuard, axe_violations, browser_prerequisites_missing, solara_server
except ImportError:  # tests/ became a package
    from tests.browser_support import (
        OffHostGuard,
        axe_violations,
        browser_prerequisites_missing,
        solara_server,
    )

from ijmond_sim.workshop.app import room_overrides
from ijmond_sim.workshop.dashboard_parts import default_settings
from ijmond_sim.workshop.rooms import Rooms, agents_run

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / os.environ.get("ROOM_SCREENSHOTS", "outputs/test_room")
SEED = 9  # a seed whose first two years hold several votes for every council
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}  # the narrowest phone the pages are made for

_missing = browser_prerequisites_missing()
if _missing:
    pytest.fail(f"the room browser test cannot run: {_missing}", pytrace=False)

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

TOKEN = "facilitator-token-of-the-test"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The rooms folder, holding at the server's start one truncated room file."""
    folder = tmp_path_factory.mktemp("rooms")
    (folder / "AAAA.json").write_text('{"code": "AAAA", "overrides": ["years=2"], "seed": 9, "mon')
    return folder


@pytest.fixture(scope="module")
def server(saved):
    with solara_server("ijmond_sim.workshop.app",
                       env={"IJMOND_ROOMS_DIR": str(saved), "IJMOND_ROOM_TOKEN": TOKEN},
                       timeout=90) as srv:
        yield srv


class Viewer:
    """One browser context (one person), with its off-host guard and page errors."""

    def __init__(self, browser, url, viewport=VIEWPORT):
        self.context = browser.new_context(viewport=viewport)
        self.guard = OffHostGuard().install(self.context)
        self.errors: list[str] = []
        self.page = self.open(url)

    def open(self, url):
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(url)
        return page

    def text(self, test_id: str) -> str:
        return self.page.locator(f"[data-testid={test_id}]").inner_text().strip()

    def until(self, test_id: str, holds, timeout: float = 30.0) -> str:
        """Wait until ``holds(text)`` for the element's text (the pages follow the room in a thread)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text(test_id)
            if holds(text):
                return text
            assert time.monotonic() < deadline, f"{test_id} never matched: {text!r}"
            self.page.wait_for_timeout(200)

    def check(self, server):
        self.guard.assert_clean(server)
        assert not self.errors

    def language(self, lang: str) -> None:
        """Switch the page to ``lang`` (``nl`` or ``en``) and wait until it is drawn in it."""
        if self.page.evaluate("document.documentElement.lang") != lang:
            self.page.locator(".ijm-language button", has_text=lang.upper()).click()
            self.page.wait_for_function(f"document.documentElement.lang === '{lang}'")
            self.page.wait_for_timeout(300)

    def accessibility(self) -> list[str]:
        """axe-core's serious and critical violations in Dutch and in English (Dutch again after)."""
        found = []
        for lang in ("nl", "en"):
            self.language(lang)
            found += [f"{lang}: {violation}" for violation in axe_violations(self.page)]
        self.language("nl")
        return found


def open_room(browser, server, seed: int, vote_seconds: int) -> tuple[Viewer, str]:
    facilitator = Viewer(browser, f"{server.url}?token={TOKEN}")
    page = facilitator.page
    page.wait_for_selector(".ijm-open-room", timeout=60_000)
    page.locator(".ijm-room-seed input").fill(str(seed))
    page.locator(".ijm-room-seed input").press("Enter")
    page.locator(".ijm-room-vote-seconds").get_by_text(str(vote_seconds), exact=True).click()
    page.click(".ijm-open-room")
    page.wait_for_selector("[data-testid=room-code]", timeout=30_000)
    return facilitator, facilitator.text("room-code")


def join(browser, server, code: str, council: str, assigned: bool = False, check: bool = False) -> Viewer:
    """A participant joins and takes ``council`` (or, ``assigned``, any free one, which must be it).

    With ``check``, the join page must pass axe-core in both languages first.
    """
    person = Viewer(browser, f"{server.url}join?room={code}", viewport=PHONE)
    person.page.wait_for_selector(f".ijm-seat-{council}", timeout=30_000)
    if check:
        assert person.accessibility() == []
    person.page.click(".ijm-seat-any" if assigned else f".ijm-seat-{council}", timeout=30_000)
    person.page.wait_for_selector("[data-testid=you-play]", timeout=30_000)
    assert council in person.text("you-play")
    return person


def leave(person: Viewer) -> int:
    """The participant takes their council out of the region, confirmed; return the month it counts from."""
    person.page.click(".ijm-leave", timeout=30_000)
    person.page.click(".ijm-leave-confirm", timeout=10_000)
    person.page.wait_for_selector(".ijm-leaving", timeout=30_000)
    assert person.page.locator(".ijm-leave").count() == 0
    return int(re.search(r"maand (\d+)", person.page.locator(".ijm-leaving").inner_text()).group(1))


def wait_state(facilitator: Viewer, *words: str, timeout: float = 30_000) -> str:
    script = ("words => words.some(w => (document.querySelector('[data-testid=room-state]') || "
              "{innerText: ''}).innerText.includes(w))")
    facilitator.page.wait_for_function(script, arg=list(words), timeout=timeout)
    return facilitator.text("room-state")


def status(url: str) -> int:
    """The HTTP status of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_no_token_no_room_no_diagnostics_and_a_corrupt_room_set_aside(browser, server, saved):
    # kills: the start page opening rooms without the facilitator's token; /resourcez open to anyone;
    # one truncated saved room taking /join down with a traceback (or the bad file left in place)
    stranger = Viewer(browser, f"{server.url}?token=not-the-token")
    stranger.page.wait_for_selector("[data-testid=token-needed]", timeout=60_000)
    assert stranger.page.locator(".ijm-open-room").count() == 0
    assert status(f"{server.url}resourcez") == 404
    assert status(f"{server.url}resourcez?token=not-the-token") == 404
    assert status(f"{server.url}resourcez?token={TOKEN}") == 200
    assert (saved / "AAAA.json.bad").is_file() and not (saved / "AAAA.json").exists()
    for code in ("AAAA", "../pwned"):
        page = stranger.open(f"{server.url}join?{urlencode({'room': code})}")
        page.wait_for_selector(".ijm-join-code", timeout=30_000)
        text = page.inner_text("body")
        assert "Traceback" not in text and str(saved) not in text and "site-packages" not in text
        page.close()
    stranger.check(server)
    stranger.context.close()


PROJECTOR_TEXT = ("room-month", "room-state", "join-url")  # what the back row must read
PROJECTOR_MIN_PX = 32


def projector_fit(page) -> dict[int, dict]:
    """At 1920x1080 and 1280x720: projector texts under 32 px, sideways (at 1920 also vertical) scrolling.

    Saves the console's screenshot at each size (``room_console-<w>x<h>.png``).
    """
    fit = {}
    for width, height in ((1920, 1080), (1280, 720)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)
        found = page.evaluate("""ids => {
            const root = document.documentElement;
            const size = id => parseFloat(getComputedStyle(
                document.querySelector(`[data-testid=${id}]`)).fontSize);
            return {sizes: Object.fromEntries(ids.map(id => [id, size(id)])),
                    wide: root.scrollWidth > innerWidth, tall: root.scrollHeight > innerHeight};
        }""", list(PROJECTOR_TEXT))
        page.screenshot(path=str(SHOTS / f"room_console-{width}x{height}.png"))
        small = [k for k, v in found["sizes"].items() if width == 1920 and v < PROJECTOR_MIN_PX]
        fit[width] = {"small": small, "wide": found["wide"],
                      **({"tall": found["tall"]} if width == 1920 else {})}
    page.set_viewport_size(VIEWPORT)
    return fit


def test_a_room_of_five_plays_two_years_against_the_agents(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    facilitator, code = open_room(browser, server, SEED, vote_seconds=10)
    other, other_code = open_room(browser, server, SEED, vote_seconds=10)
    assert other_code != code
    names = ("Beverwijk", "Heemskerk", "Uitgeest", "Velsen")
    people = {name: join(browser, server, code, name, assigned=name == names[-1], check=name == names[0])
              for name in names}
    facilitator.until("seats", lambda text: text.count("speelt mee") == 4)

    # the console's key is in the facilitator's address only; without it (or with another
    # room's key) a participant's page gets no clock
    key = parse_qs(urlparse(facilitator.page.url).query)["key"][0]
    other_key = parse_qs(urlparse(other.page.url).query)["key"][0]
    assert key != other_key
    for person in people.values():
        assert key not in person.page.url and key not in person.page.content()
    for search in (f"?room={code}", f"?room={code}&key={other_key}"):
        intruder = people["Heemskerk"].open(server.url + search)
        intruder.wait_for_selector("[data-testid=console-locked]", timeout=30_000)
        clock = ".ijm-room-next, .ijm-room-step, .ijm-room-play, .ijm-room-close"
        assert intruder.locator(clock).count() == 0
        intruder.close()
    assert "0 van 24" in facilitator.text("room-month")

    # the first vote: nobody votes, the time runs out, the agents decide; the console, every
    # player's page and the log name the same month for it (kills a console one month behind)
    facilitator.page.click(".ijm-room-next")
    wait_state(facilitator, "Stemming open")
    asked = [n for n, p in people.items() if p.page.locator(".ijm-vote-yes").count()]
    assert asked
    voted_in = facilitator.text("room-month")
    for person in people.values():
        person.until("participant-month", lambda text: text == voted_in)
    people[asked[0]].page.screenshot(path=str(SHOTS / "room_participant.png"), full_page=True)
    for person in people.values():  # a phone of 360 px: no sideways scrolling
        assert person.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    wait_state(facilitator, "Geen stemming", timeout=20_000)
    facilitator.page.click(".ijm-view-log")
    log = facilitator.until("log", lambda text: "geen stem op tijd" in text)
    month = int(re.search(r"Maand (\d+) van", voted_in).group(1))
    assert {int(row.split("\t")[0]) for row in log.splitlines()[1:] if row.strip()} == {month}
    facilitator.page.click(".ijm-view-room")

    # a participant's connection drops; the same URL gives the seat back
    velsen = people["Velsen"]
    url = velsen.page.url
    velsen.page.close()
    velsen.page = velsen.open(url)
    velsen.page.wait_for_selector("[data-testid=you-play]", timeout=30_000)
    assert "Velsen" in velsen.text("you-play")
    facilitator.until("seats", lambda text: text.count("speelt mee") == 4)

    # the rest of the round, with more time to vote: everyone votes for every initiative, and
    # after the first of these votes Uitgeest's player takes their council out of the region
    facilitator.page.locator(".ijm-clock-vote-seconds").get_by_text("60", exact=True).click()
    uitgeest, leaves_in = people["Uitgeest"], None
    rounds = 0
    while "24 van 24" not in facilitator.text("room-month"):
        facilitator.page.click(".ijm-room-next")
        state = wait_state(facilitator, "Stemming open", "klaar")
        if "klaar" in state:
            break
        rounds += 1
        if rounds == 1:
            assert projector_fit(facilitator.page) == {
                1920: {"small": [], "wide": False, "tall": False},
                1280: {"small": [], "wide": False}}
            assert facilitator.accessibility() == []
            voter = next(p for p in people.values() if p.page.locator(".ijm-vote-yes").count())
            assert voter.accessibility() == []
        for person in people.values():
            buttons = person.page.locator(".ijm-vote-yes")
            while buttons.count():
                with contextlib.suppress(PlaywrightTimeout):  # re-drawn or closed meanwhile
                    buttons.first.click(timeout=3_000)
                person.page.wait_for_timeout(300)
        wait_state(facilitator, "Geen stemming", "klaar")
        if rounds == 1:
            leaves_in = leave(uitgeest)
    assert rounds >= 1 and leaves_in is not None
    wait_state(facilitator, "klaar")
    facilitator.page.click(".ijm-view-debrief")
    facilitator.page.wait_for_selector("[data-testid=debrief]", timeout=30_000)
    facilitator.page.screenshot(path=str(SHOTS / "room_debrief.png"), full_page=True)
    assert facilitator.accessibility() == []
    facilitator.page.click(".ijm-view-log")

    # the departure: in the log as the player's own choice, in the timeline in its month
    log = facilitator.until("log", lambda text: "Eigen keuze" in text)  # Dutch again after the check
    chosen = rf"^{leaves_in}\tUitgeest\tEigen keuze: uit de regio stappen\t.*\teigen keuze van de deelnemer$"
    assert re.search(chosen, log, re.MULTILINE), log
    facilitator.page.wait_for_selector("[data-testid=log]", timeout=30_000)
    facilitator.page.locator(".ijm-council-filter select").select_option("Uitgeest")
    # worded as the player's choice, not as the agent's turning away (kills the old wording)
    timeline = facilitator.until("timeline", lambda text: "eigen keuze" in text)
    assert re.search(rf"maand {leaves_in}\s+\S+ Uitgeest stapt uit de regio, op eigen keuze van de speler",
                     timeline, re.IGNORECASE), timeline
    assert "haakt af" not in timeline
    assert "uit de regio gestapt" in uitgeest.page.inner_text("body")

    # the debrief: the room against the agents' own run on the same seed
    start = default_settings()  # what the console's form opened the room with
    registry = Rooms(save_dir=None)
    agents = agents_run(registry.open(room_overrides(start.governance, start.initial_trust), seed=SEED,
                                      token=registry.token))
    agents.run_for(24)
    facilitator.page.click(".ijm-view-debrief")
    facilitator.page.wait_for_selector("[data-testid=debrief]", timeout=30_000)
    rows = {r.split("\t")[0]: r.split("\t")[1:] for r in
            facilitator.text("debrief").splitlines() if "\t" in r}
    room_stranded, agents_stranded = (int(x) for x in rows["Vastgelopen"])
    assert agents_stranded == agents.stranded
    assert room_stranded != agents_stranded
    facilitator.page.click(".ijm-view-room")
    facilitator.page.wait_for_selector("[data-testid=stranded]", timeout=30_000)
    assert int(facilitator.text("stranded")) == room_stranded

    # the other room did not move and its seats are free; a token of this room is no seat there
    assert "0 van 24" in other.text("room-month")
    assert other.text("seats").count("vrij") == 4
    stranger = Viewer(browser, f"{server.url}join?room={other_code}&"
                               f"{velsen.page.url.split('&', 1)[1]}", viewport=PHONE)
    stranger.page.wait_for_selector(".ijm-choose", timeout=30_000)
    assert "niet meer van u" in stranger.page.locator(".ijm-choose").inner_text()
    for viewer in (facilitator, other, stranger, *people.values()):
        viewer.check(server)
