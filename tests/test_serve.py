"""``ijmond-workshop`` and ``ijmond-room``: the line saying where to look, bad input, an answering server."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ijmond_sim import serve

BIN = Path(sys.executable).parent


def test_the_line_names_an_address_a_browser_can_open():
    # kills: 0.0.0.0 printed as the address to open, or the rooms' line without where participants join
    assert serve.where_to_look("ijmond-workshop", "127.0.0.1", 9000).startswith(
        "ijmond-workshop: open http://127.0.0.1:9000/ in a browser")
    everywhere = serve.where_to_look("ijmond-room", "0.0.0.0", 8765)
    assert "open http://127.0.0.1:8765/" in everywhere
    assert "participants join at http://<this computer's address>:8765/join" in everywhere
    assert "--host 0.0.0.0" in serve.where_to_look("ijmond-room", "127.0.0.1", 8765)


def test_the_commands_serve_their_own_app_as_make_does():
    # kills: a command serving the other app, or without --production (Solara's dev mode reloads and is slow)
    room = serve.solara_command(serve.APPS["ijmond-room"], "127.0.0.1", 8765)
    assert room[1:] == ["-m", "solara", "run", "ijmond_sim.workshop.app", "--host", "127.0.0.1", "--port",
                        "8765", "--production"]
    assert serve.APPS["ijmond-workshop"] == "ijmond_sim.dashboard.page"


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses (hex, as in /proc/net/tcp) on which something listens on ``port``."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return {row[1].split(":")[0] for row in rows if int(row[1].split(":")[1], 16) == port and row[3] == "0A"}


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "99999"], ["--port", "http"]])
def test_a_bad_port_is_one_line_and_exit_status_2(args, capsys):
    # kills: a port out of range handed to Solara (a traceback after it starts)
    with pytest.raises(SystemExit) as stop:
        serve.room(args)
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "--port" in err


def test_the_room_command_listens_on_this_computer_by_default_and_answers(tmp_path):
    # kills: a room server that is not started by the command, or that listens on every interface by default
    from browser_support import free_port

    port = free_port()
    server = subprocess.Popen([BIN / "ijmond-room", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert f"open http://127.0.0.1:{port}/ in a browser" in server.stdout.readline()
        deadline = time.monotonic() + 180
        while True:  # answers once Solara has started: a condition with a generous deadline
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                    assert answer.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only, as /proc/net/tcp writes it
    finally:
        server.terminate()
        server.wait(timeout=30)
