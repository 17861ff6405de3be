"""Load test of the participatory mode: rooms of one facilitator and four participants, stepped together.

Measures the time from the facilitator's step to every participant's update
(median and 95th percentile) and the server's memory. Two kinds of clients:

* ``--clients engine`` (default): in-process clients of the room engine, one
  thread per participant doing what a participant's page does on a change
  (wake on the room's condition, read the council's facts, open initiatives and
  vote briefs). No browser and no websocket: it measures the engine and the
  locking, not Solara's transport.
* ``--clients browser``: the real server (``solara run ijmond_sim.workshop.app``)
  and one headless Chromium context per person through Playwright; the time is
  from the facilitator's click to the participant's page showing the room's new
  version (a MutationObserver timestamps it in the page). Memory is the server
  process's resident set.

    .venv/bin/python benchmarks/room_load.py                         # 8 rooms of 5, engine clients
    .venv/bin/python benchmarks/room_load.py --clients browser --rooms 8
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

COUNCILS = ("Beverwijk", "Heemskerk", "Uitgeest", "Velsen")


def summary(latencies_ms: list[float], memory_mb: tuple[float, float], clients: str, rooms: int,
            steps: int) -> dict:
    """The numbers to print: median and 95th percentile latency, memory before and after."""
    ordered = sorted(latencies_ms)
    return {
        "clients": clients, "rooms": rooms, "people": rooms * 5, "steps_per_room": steps,
        "updates": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
        "server_rss_mb_before": round(memory_mb[0], 1), "server_rss_mb_after": round(memory_mb[1], 1),
    }


# -- engine clients ---------------------------------------------------------------------------


def engine_load(n_rooms: int, steps: int) -> dict:
    """``n_rooms`` rooms of four participant threads; each facilitator steps ``steps`` times."""
    from ijmond_sim.workshop.briefing import council_facts, open_initiatives, vote_brief
    from ijmond_sim.workshop.rooms import Rooms, workshop_defaults

    edges = tuple(workshop_defaults()["trust_band_edges"])
    me = psutil.Process()
    before = me.memory_info().rss / 2**20
    registry = Rooms(save_dir=None, defaults={"max_rooms": n_rooms})
    registry.start_ticking()
    latencies: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()

    def participant(room, council, token, seen_at):
        seen = -1
        while not stop.is_set():
            seen = room.wait(seen, 0.5)
            now = time.perf_counter()
            model = room.shown  # what the page draws
            council_facts(model, council, edges)
            open_initiatives(model, council)
            for q in list(room.open):
                if q.council == council:
                    vote_brief(model, q)
            seen_at[council] = (seen, now)

    def facilitator(room, seen_at):
        for _ in range(steps):
            if room.ended:
                break
            t0 = time.perf_counter()
            if room.open:
                room.close_vote()
            else:
                room.step()
            target = room.version
            while not all(v >= target for v, _ in seen_at.values()):
                time.sleep(0.001)
            with lock:
                latencies.extend((at - t0) * 1000 for _, at in seen_at.values())
            time.sleep(0.05)

    threads = []
    for r in range(n_rooms):
        room = registry.open(("governance=optional",), seed=100 + r, token=registry.token, years=10,
                             vote_seconds=600)
        seen_at = {}
        for council in range(4):
            _, token = room.take_seat(council)
            room.connect(token)
            seen_at[council] = (-1, 0.0)
            threads.append(threading.Thread(target=participant, args=(room, council, token, seen_at),
                                            daemon=True))
        threads.append(threading.Thread(target=facilitator, args=(room, seen_at)))
    for t in threads:
        t.start()
    for t in threads:
        if not t.daemon:
            t.join()
    stop.set()
    after = me.memory_info().rss / 2**20
    return summary(latencies, (before, after), "engine", n_rooms, steps)


# -- browser clients ---------------------------------------------------------------------------

OBSERVER = """() => {
  window.__seen = {};
  const record = () => {
    const el = document.querySelector('[data-testid=room-version]');
    if (el && !(el.textContent in window.__seen)) window.__seen[el.textContent] = Date.now();
  };
  record();
  new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
SEEN_SINCE = """v => { const t = Object.entries(window.__seen).filter(([k, _]) => +k >= v).map(([_, t]) => t);
  return t.length ? Math.min(...t) : null; }"""


def browser_load(n_rooms: int, steps: int) -> dict:
    """``n_rooms`` rooms in one real server, one Chromium context per person."""
    from playwright.sync_api import sync_playwright

    from browser_support import launch_chromium, solara_server

    latencies: list[float] = []
    token = "room-load-token"
    with solara_server("ijmond_sim.workshop.app", env={"IJMOND_ROOM_TOKEN": token}, timeout=120) as server, \
            sync_playwright() as pw:
        process = psutil.Process(server.process.pid)
        browser = launch_chromium(pw)
        rooms = []
        for _ in range(n_rooms):
            page = browser.new_context().new_page()
            page.goto(f"{server.url}?token={token}")
            page.click(".ijm-open-room", timeout=120_000)
            page.wait_for_selector("[data-testid=room-code]", timeout=60_000)
            code = page.locator("[data-testid=room-code]").inner_text().strip()
            people = []
            for name in COUNCILS:
                p = browser.new_context(viewport={"width": 412, "height": 900}).new_page()
                p.goto(f"{server.url}join?room={code}")
                p.click(f".ijm-seat-{name}", timeout=120_000)
                p.wait_for_selector("[data-testid=you-play]", timeout=60_000)
                p.evaluate(OBSERVER)
                people.append(p)
            rooms.append((page, people))
        before = process.memory_info().rss / 2**20
        for _ in range(steps):
            for page, people in rooms:
                page.wait_for_timeout(300)  # let earlier changes settle on every page
                version = max(int(x.locator("[data-testid=room-version]").inner_text())
                              for x in (page, *people))
                button = ".ijm-room-close" if page.locator(".ijm-room-close:not([disabled])").count() \
                    else ".ijm-room-step"
                t0 = time.time() * 1000
                page.click(button)
                for p in people:
                    p.wait_for_function(SEEN_SINCE, arg=version + 1, timeout=60_000)
                    latencies.append(p.evaluate(SEEN_SINCE, version + 1) - t0)
        after = process.memory_info().rss / 2**20
        browser.close()
    return summary(latencies, (before, after), "browser", n_rooms, steps)


def main() -> None:
    """Parse the arguments, run the load, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", choices=("engine", "browser"), default="engine")
    parser.add_argument("--rooms", type=int, default=8)
    parser.add_argument("--steps", type=int, default=24, help="facilitator steps per room")
    args = parser.parse_args()
    run = engine_load if args.clients == "engine" else browser_load
    print(json.dumps(run(args.rooms, args.steps)))


if __name__ == "__main__":
    main()
