"""Server memory of the dashboard over a workshop's reloads and closed tabs, per kernel cull timeout.

For each cull timeout given, starts ``solara run ijmond_sim.dashboard.page --production``,
then: N reloads of one tab, and N tabs closed without their goodbye (as when a laptop
lid shuts or the network drops: ``navigator.sendBeacon`` is disabled, so Solara never
hears the page close). Prints, as JSON lines, the server's resident memory (MB) and
Solara's kernel count at the start, after the reloads, after the closed tabs, and
after waiting for the cull timeout (only for timeouts up to ``--wait-max`` seconds).

    .venv/bin/python benchmarks/dashboard_memory.py --n 100 --timeouts 24h 30s

``--snapshots`` measures instead what the replay keeps per viewer: the memory
(``tracemalloc``) of a run's snapshots and events, per month and for whole runs of
the given lengths, for one run and for two compared runs, with the snapshots
sharing what did not change (as the dashboard keeps them) and, for comparison,
copying every initiative every month. No browser or server is needed::

    .venv/bin/python benchmarks/dashboard_memory.py --snapshots --years 10 30
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser_support import launch_chromium, solara_server  # noqa: E402

APP = "ijmond_sim.dashboard.page"


def seconds(timeout: str) -> float:
    """``30s``, ``90m``, ``24h`` in seconds."""
    unit = {"s": 1, "m": 60, "h": 3600}[timeout[-1]]
    return float(timeout[:-1]) * unit


def measure(timeout: str, n: int, wait_max: float) -> list[dict]:
    """The memory and kernels at each stage, for one cull timeout."""
    from playwright.sync_api import sync_playwright

    rows = []
    with solara_server(APP, timeout=120, env={"SOLARA_KERNEL_CULL_TIMEOUT": timeout}) as server:
        def record(stage: str) -> None:
            rows.append({"cull_timeout": timeout, "stage": stage, "n": n,
                         "rss_mb": round(server.memory_mb(), 1),
                         "kernels": server.kernels()["total"], "time": round(time.time(), 1)})
            print(json.dumps(rows[-1]), flush=True)

        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            page.goto(server.url)
            page.wait_for_selector("[data-testid=month]", timeout=60_000)
            record("start (one tab)")
            for _ in range(n):
                page.reload()
                page.wait_for_selector("[data-testid=month]", timeout=60_000)
            record(f"after {n} reloads")
            page.close()
            context = browser.new_context()
            context.add_init_script("navigator.sendBeacon = () => true;")  # no goodbye
            for _ in range(n):
                tab = context.new_page()
                tab.goto(server.url)
                tab.wait_for_selector("[data-testid=month]", timeout=60_000)
                tab.close()
            context.close()
            record(f"after {n} tabs closed without goodbye")
            if seconds(timeout) <= wait_max:
                time.sleep(seconds(timeout) + 15)
                record("after the cull timeout")
            browser.close()
    return rows


def recorded_bytes(settings, shared: bool) -> tuple[int, int]:
    """Bytes allocated (and kept) by a whole run's snapshots and events; the number of snapshots.

    ``shared``: each snapshot shares the initiatives that did not change (the dashboard's
    way); otherwise every month copies every initiative.
    """
    import tracemalloc

    from ijmond_sim.dashboard import replay, timeline
    from ijmond_sim.dashboard import settings as dash_settings

    model = dash_settings.build_model(settings)
    kept, events, used = [], [], 0
    tracemalloc.start()
    try:
        for month in range(model.params.months + 1):
            if month:
                model.step()
            before = tracemalloc.get_traced_memory()[0]
            snapshot = replay.take(model, kept[-1] if shared and kept else None)
            if kept:
                events += timeline.events_between(kept[-1], snapshot)
            kept.append(snapshot)
            used += tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return used, len(kept)


def measure_snapshots(years: list[int]) -> list[dict]:
    """The replay's memory per run length, one run and two compared runs, shared and copied."""
    from dataclasses import replace

    from ijmond_sim.dashboard import settings as dash_settings

    rows = []
    start = dash_settings.default_settings()
    for length in years:
        one = replace(start, years=length)
        for shared in (True, False):
            used, count = recorded_bytes(one, shared)
            rival, _ = recorded_bytes(replace(one, governance="binding"), shared)
            rows.append({"years": length, "snapshots": count,
                         "initiatives_shared": shared,
                         "one_run_mb": round(used / 2**20, 2),
                         "per_snapshot_kb": round(used / count / 2**10, 2),
                         "compared_runs_mb": round((used + rival) / 2**20, 2)})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    """Measure each cull timeout given on the command line, or the replay's snapshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="reloads, and closed tabs")
    parser.add_argument("--timeouts", nargs="+", default=["24h", "30s"])
    parser.add_argument("--wait-max", type=float, default=300,
                        help="wait for the cull only for timeouts up to this many seconds")
    parser.add_argument("--snapshots", action="store_true",
                        help="measure the replay's snapshots instead (no browser)")
    parser.add_argument("--years", type=int, nargs="+", default=[10, 30],
                        help="run lengths for --snapshots")
    args = parser.parse_args()
    if args.snapshots:
        measure_snapshots(args.years)
        return
    for timeout in args.timeouts:
        measure(timeout, args.n, args.wait_max)


if __name__ == "__main__":
    main()
