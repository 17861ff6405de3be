"""Helpers for end-to-end browser tests of Solara pages (not tests themselves).

Four pieces, each usable on its own:

* :func:`solara_server` starts ``solara run APP --production`` on a free localhost
  port in a subprocess, waits until it answers, yields a :class:`SolaraServer`
  (``url``, ``log_text()``) and stops it cleanly.
* :func:`launch_chromium` starts Debian's ``/usr/bin/chromium`` through Playwright
  with the flags that work on these machines (``playwright install`` cannot
  download a browser here).
* :class:`OffHostGuard` routes every request of a page or browser context: requests
  to localhost go through, all others are aborted and recorded, so a test can
  assert that the page needed nothing from the internet. It also records failed
  and >= 400 responses from localhost: Solara's CDN proxy answers a missing asset
  with an error after trying the public CDN itself, which the browser never sees
  as an off-host request (see :meth:`SolaraServer.offhost_fetches`).
* :func:`axe_violations` runs axe-core (installed offline by
  ``scripts/install_frontend.sh`` into ``<venv>/share/axe-core``) in a page and
  returns the accessibility violations of the impacts asked for.

Typical use in a test module::

    @pytest.fixture(scope="module")
    def server():
        with solara_server(APP) as srv:
            yield srv

    def test_page(server):
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page()
            guard = OffHostGuard().install(page)
            page.goto(server.url)
            ...
            guard.assert_clean()
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Environment for the server: no telemetry, no dotenv surprises, no network lookups.
SERVER_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1",
    "PYTHONUNBUFFERED": "1",
}
AXE_SCRIPT = Path(sys.prefix) / "share" / "axe-core" / "axe.min.js"
# Line Solara's CDN proxy logs when an asset is not on disk and the public CDN fails.
_CDN_MISS = "Could not load URL"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_prerequisites_missing() -> str | None:
    """Say what is missing for a browser test, or None if all is there.

    Returns:
        A one-line reason (with the command that installs it), or None.
    """
    hint = "run `make setup-test` (scripts/install_frontend.sh)"
    if not Path(CHROMIUM_PATH).exists():
        return f"{CHROMIUM_PATH} is missing; {hint}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"the Python package playwright is missing; {hint}"
    try:
        import solara  # noqa: F401
    except ImportError:
        return f"solara is missing; {hint}"
    if not AXE_SCRIPT.exists():
        return f"{AXE_SCRIPT} (axe-core) is missing; {hint}"
    return None


@dataclass
class SolaraServer:
    """A running ``solara run`` process.

    Attributes:
        url: Base URL of the page, ending in ``/``.
        port: The port it listens on.
        process: The server subprocess.
        log_path: File receiving the server's stdout and stderr.
    """

    url: str
    port: int
    process: subprocess.Popen
    log_path: Path

    def log_text(self) -> str:
        """Return everything the server printed so far."""
        return self.log_path.read_text(errors="replace")

    def kernels(self) -> dict:
        """Return Solara's count of kernels (``total``, ``has_connected``, ...) from ``/resourcez``."""
        with urllib.request.urlopen(self.url + "resourcez", timeout=10) as response:
            return json.load(response)["kernels"]

    def memory_mb(self) -> float:
        """Return the server process's resident memory in MB (Linux ``/proc``)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line in /proc status")

    def offhost_fetches(self) -> list[str]:
        """Return the lines where the server tried to fetch an asset from the public CDN."""
        return [line for line in self.log_text().splitlines() if _CDN_MISS in line]


def _wait_until_answers(url: str, process: subprocess.Popen, log_path: Path, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"solara exited with code {process.returncode} before answering:\n"
                + log_path.read_text(errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"solara did not answer on {url} within {timeout:.0f} s:\n"
                + log_path.read_text(errors="replace")[-4000:]
            )
        time.sleep(0.2)


def _stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own session: signal its whole process group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)


@contextlib.contextmanager
def solara_server(
    app: str | os.PathLike,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    log_dir: str | os.PathLike | None = None,
    python: str | None = None,
) -> Iterator[SolaraServer]:
    """Serve a Solara app on localhost for the duration of a ``with`` block.

    Args:
        app: A Solara app: a ``.py`` file or a module name (``pkg.app``).
        port: Port to listen on; a free one if None.
        env: Extra environment variables for the server.
        timeout: Seconds to wait for the first answer.
        log_dir: Where to keep the server log; a temporary folder if None.
        python: Interpreter whose ``solara`` to run; the current one if None.

    Yields:
        The running server. It is stopped (SIGTERM, then SIGKILL) on exit.

    Raises:
        RuntimeError: If the server exits before it answers.
        TimeoutError: If it does not answer within ``timeout`` seconds.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/"
    own_dir = None
    if log_dir is None:
        own_dir = tempfile.mkdtemp(prefix="solara-server-")
        log_dir = own_dir
    log_path = Path(log_dir) / f"solara-{port}.log"
    full_env = {**os.environ, **SERVER_ENV, **(env or {})}
    cmd = [
        python or sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--production",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=full_env,
            start_new_session=True,
        )
    try:
        _wait_until_answers(url, process, log_path, timeout)
        yield SolaraServer(url=url, port=port, process=process, log_path=log_path)
    finally:
        _stop(process)
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)


def launch_chromium(playwright, **kwargs):
    """Launch Debian's Chromium, headless, through Playwright.

    Args:
        playwright: The object ``sync_playwright()`` yields.
        **kwargs: More options for ``playwright.chromium.launch``.

    Returns:
        A Playwright ``Browser``.
    """
    args = list(CHROMIUM_ARGS) + list(kwargs.pop("args", []))
    return playwright.chromium.launch(
        executable_path=CHROMIUM_PATH, args=args, headless=True, **kwargs
    )


def is_local(url: str) -> bool:
    """Say whether a request URL stays on this machine (localhost, data:, blob:)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return urlparse(url).hostname in LOCAL_HOSTS


@dataclass
class OffHostGuard:
    """Blocks and records every request that would leave localhost.

    Attributes:
        blocked: URLs that were aborted because they were not on localhost.
        failed: ``(url, reason)`` of local requests that failed in the browser.
        bad_status: ``(status, url)`` of local responses with status >= 400.
    """

    blocked: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bad_status: list[tuple[int, str]] = field(default_factory=list)

    def handle(self, route) -> None:
        """Playwright route handler: continue local requests, abort the rest."""
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def install(self, target):
        """Route all requests of a Page or BrowserContext through this guard.

        Args:
            target: A Playwright ``Page`` or ``BrowserContext``.

        Returns:
            This guard, for chaining.
        """
        target.route("**/*", self.handle)
        target.on("requestfailed", self._on_failed)
        target.on("response", self._on_response)
        return self

    def _on_failed(self, request) -> None:
        if is_local(request.url):
            self.failed.append((request.url, str(request.failure)))

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.bad_status.append((response.status, response.url))

    def problems(self) -> list[str]:
        """Return one line per blocked, failed or erroring request."""
        return (
            [f"off-host (blocked): {u}" for u in self.blocked]
            + [f"failed: {u} ({why})" for u, why in self.failed]
            + [f"HTTP {s}: {u}" for s, u in self.bad_status]
        )

    def assert_clean(self, server: SolaraServer | None = None) -> None:
        """Fail if any request left localhost or failed (and, given a server, if it hit the CDN).

        Args:
            server: The Solara server, to also check that its CDN proxy fetched nothing.

        Raises:
            AssertionError: Listing every offending request.
        """
        problems = self.problems()
        if server is not None:
            problems += [f"server fetched off-host: {line}" for line in server.offhost_fetches()]
        assert not problems, "requests that needed the internet or failed:\n" + "\n".join(
            problems
        )


SOLARA_AT_REST = ("() => [...document.querySelectorAll('.v-progress-linear')]"
                  ".every(bar => getComputedStyle(bar).visibility === 'hidden')")


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core in ``page`` once it is at rest; one line per violation of the given impacts.

    At rest: Solara's "kernel busy" bar hidden. The bar belongs to Solara's page
    template, has no accessible name, and shows only while the server computes.

    Args:
        page: a Playwright ``Page``, loaded.
        impacts: which axe impacts count (``minor``, ``moderate``, ``serious``, ``critical``).

    Returns:
        ``"<rule id> (<impact>): <help> -> <target>, ..."`` per violation; empty if none.
    """
    page.wait_for_function(SOLARA_AT_REST)
    page.add_script_tag(content=AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in result["violations"] if v["impact"] in impacts]
