"""How many months (model steps) per second the workshop dashboard sustains while playing.

Starts the dashboard (``solara run ijmond_sim.dashboard.page --production``) on a free localhost
port, opens it in headless Chromium through Playwright, sets the speed to "as fast as
possible", presses Play and reads the month shown on the page over a time window.
Each repeat starts from a fresh model (Start again). Prints one line per repeat and
the median.

    .venv/bin/python benchmarks/dashboard_speed.py [--repeats 5] [--seconds 10]

Needs what ``make setup-test`` installs (scripts/install_frontend.sh).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser_support import (  # noqa: E402
    OffHostGuard,
    browser_prerequisites_missing,
    launch_chromium,
    solara_server,
)

SPEED_BUTTONS = {"slow": 0, "normal": 1, "fast": 2}


def shown_month(page) -> int:
    """The month the page shows now."""
    return int(page.locator("[data-testid=month]").inner_text().split()[0])


def one_repeat(page, seconds: float, warmup: float) -> dict:
    """Play from a fresh model; return months per second over the window after the warm-up."""
    page.locator(".ijm-reset").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=month]')?.textContent.trim().startsWith('0 ')"
    )
    page.locator(".ijm-play").click()
    page.wait_for_timeout(warmup * 1000)
    samples = [(time.perf_counter(), shown_month(page))]
    deadline = samples[0][0] + seconds
    while time.perf_counter() < deadline:
        page.wait_for_timeout(250)
        samples.append((time.perf_counter(), shown_month(page)))
        if page.locator("[data-testid=finished]").count():
            break  # the run reached its end: only count up to here
    if not page.locator("[data-testid=finished]").count():
        page.locator(".ijm-play").click()  # pause
    # the last sample where the month still moved
    t0, m0 = samples[0]
    moved = [s for s in samples if s[1] > m0] or samples
    t1, m1 = moved[-1]
    rate = (m1 - m0) / (t1 - t0) if t1 > t0 else 0.0
    return {"months": m1 - m0, "seconds": round(t1 - t0, 2), "months_per_second": round(rate, 2)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print each repeat and the median as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0, help="measuring window")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--speed", choices=list(SPEED_BUTTONS), default="fast")
    parser.add_argument("--width", type=int, default=1400, help="browser window width")
    args = parser.parse_args(argv)

    missing = browser_prerequisites_missing()
    if missing:
        print(f"dashboard_speed: {missing}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    results = []
    with solara_server("ijmond_sim.dashboard.page") as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": args.width, "height": 1000})
        guard = OffHostGuard().install(context)
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_selector("[data-testid=month]", timeout=60_000)
        page.locator(".ijm-speed button").nth(SPEED_BUTTONS[args.speed]).click()
        for r in range(args.repeats):
            result = one_repeat(page, args.seconds, args.warmup)
            results.append(result)
            print(json.dumps({"repeat": r, **result}), flush=True)
        guard.assert_clean(server)
        browser.close()
    rates = [r["months_per_second"] for r in results]
    print(json.dumps({
        "speed": args.speed,
        "repeats": len(rates),
        "median_months_per_second": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
