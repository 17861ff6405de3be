"""The ``ijmond-workshop`` and ``ijmond-room`` commands: the dashboard or the rooms served by Solara, offline.

Each is ``solara run <app> --host HOST --port PORT --production`` (what ``make
workshop`` and ``make room`` run), after one line that says where to point the
browser. Every file the pages load comes from the installed packages (Solara's
own and ``solara-assets``: ``pip install "ijmond-sim[workshop]"``); nothing from
the internet.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence

from ijmond_sim import errors

APPS = {"ijmond-workshop": "ijmond_sim.dashboard.page", "ijmond-room": "ijmond_sim.workshop.app"}
EVERYWHERE = ("0.0.0.0", "::")  # hosts that listen on every network interface


def where_to_look(command: str, host: str, port: int) -> str:
    """The line that tells the facilitator which address to open (and, for rooms, where participants join)."""
    shown = "127.0.0.1" if host in EVERYWHERE else host
    line = f"{command}: open http://{shown}:{port}/ in a browser on this computer (Ctrl+C stops the server)"
    if command != "ijmond-room":
        return line
    if host in EVERYWHERE:
        return f"{line}; participants join at http://<this computer's address>:{port}/join"
    return f"{line}; participants on this computer only (--host 0.0.0.0 lets the network join at /join)"


def solara_command(app: str, host: str, port: int) -> list[str]:
    """The ``solara run`` command line that serves ``app``."""
    return [sys.executable, "-m", "solara", "run", app, "--host", host, "--port", str(port), "--production"]


def workshop(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ijmond-workshop`` console script (errors under :mod:`ijmond_sim.errors`)."""
    errors.run_command("ijmond-workshop", lambda: _main("ijmond-workshop", argv))


def room(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ijmond-room`` console script (errors under :mod:`ijmond_sim.errors`)."""
    errors.run_command("ijmond-room", lambda: _main("ijmond-room", argv))


def _main(command: str, argv: Sequence[str] | None) -> None:
    what = "the workshop dashboard" if command == "ijmond-workshop" else "the participatory rooms"
    parser = errors.ArgumentParser(prog=command, description=f"Serve {what} in the browser, offline.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this computer only; "
                             "0.0.0.0: every network interface)")
    parser.add_argument("--port", type=int, default=8765, help="the port (default 8765)")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        raise errors.InputError("--port", f"{args.port} is not a port", "give a number from 1 to 65535")
    if importlib.util.find_spec("solara") is None:
        raise errors.InputError(command, "the workshop packages are not installed",
                                "pip install 'ijmond-sim[workshop]'")
    print(where_to_look(command, args.host, args.port), flush=True)
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.execv(sys.executable, solara_command(APPS[command], args.host, args.port))
