"""Rooms on a network they do not trust: the facilitator's token, the cap, idle rooms, hostile saved files.

In-process tests of the room registry (:class:`ijmond_sim.workshop.rooms.Rooms`), no server.
Each test names the broken code it catches.
"""

from __future__ import annotations

import json
import logging
import tracemalloc

import psutil
import pytest

from ijmond_sim.workshop import rooms as rooms_module
from ijmond_sim.workshop.rooms import BadRoomFile, Room, RoomRefused, Rooms, facilitator_token

TOKEN = "the-facilitators-token"
SETTINGS = {"vote_seconds": 30, "month_seconds": 1, "grace_seconds": 60, "years": 1, "code_length": 4,
            "max_rooms": 3, "idle_minutes": 30}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "rooms"


def registry(folder, clock, **settings) -> Rooms:
    return Rooms(save_dir=folder, clock=clock, defaults={**SETTINGS, **settings}, token=TOKEN)


def saved(folder) -> list[str]:
    """The names of everything in the rooms folder."""
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_no_token_no_room(folder, clock):
    # kills: Rooms.open without the token check; admits() comparing a prefix or accepting an empty token
    rooms = registry(folder, clock)
    for token in (None, "", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()):
        assert not rooms.admits(token)
        with pytest.raises(RoomRefused, match="facilitator's token"):
            rooms.open(("governance=optional",), seed=7, token=token)
    assert rooms.all() == [] and saved(folder) == []
    room = rooms.open(("governance=optional",), seed=7, token=TOKEN)
    assert [r.code for r in rooms.all()] == [room.code]


def test_the_token_comes_from_the_environment_the_config_or_is_made_up(monkeypatch):
    # kills: a fixed or empty made-up token; the config's password ignored; the environment not winning
    monkeypatch.delenv("IJMOND_ROOM_TOKEN", raising=False)
    made = {facilitator_token({"facilitator_password": None}) for _ in range(3)}
    assert len(made) == 3 and all(len(token) >= 12 for token in made)
    assert facilitator_token({"facilitator_password": "hunter2"}) == "hunter2"
    monkeypatch.setenv("IJMOND_ROOM_TOKEN", "from-make-room")
    assert facilitator_token({"facilitator_password": "hunter2"}) == "from-make-room"


def test_a_thousand_opens_past_the_cap_are_refused_with_memory_flat(folder, clock, monkeypatch):
    # kills: no cap on open rooms; a cap checked only after the config is composed and a model built
    # (each refused request would then cost a composition and a model); refusals that keep state
    rooms = registry(folder, clock)
    opened = [rooms.open(("governance=optional",), seed=s, token=TOKEN) for s in range(3)]
    for room in opened:
        room.step()  # saved
    composed = []
    monkeypatch.setattr(rooms_module.config, "compose", lambda *a, **k: composed.append(a))
    monkeypatch.setattr(rooms_module, "scenario_for", lambda *a: composed.append(a))
    process = psutil.Process()
    tracemalloc.start()
    before_rss, (before_traced, _) = process.memory_info().rss, tracemalloc.get_traced_memory()
    refused = 0
    for i in range(1000):
        with pytest.raises(RoomRefused, match="3 rooms are open") as error:
            rooms.open(("governance=optional",), seed=None if i % 2 else i, token=TOKEN)
        refused += error.type is RoomRefused
    grown_traced = tracemalloc.get_traced_memory()[0] - before_traced
    tracemalloc.stop()
    grown_rss = process.memory_info().rss - before_rss
    assert refused == 1000
    assert composed == []
    assert rooms.all() == opened and saved(folder) == sorted(f"{r.code}.json" for r in opened)
    assert grown_traced < 64 * 1024, f"the refusals kept {grown_traced} bytes"
    assert grown_rss < 4 * 2**20, f"the server grew by {grown_rss / 2**20:.1f} MB"


def test_an_idle_room_is_closed_and_frees_its_place(folder, clock):
    # kills: no idle timeout; idleness measured from the opening, not from the last change;
    # a closed room saved again by a page that still holds it (it would come back at the next start)
    rooms = registry(folder, clock, max_rooms=2)
    quiet = rooms.open(("governance=optional",), seed=1, token=TOKEN)
    busy = rooms.open(("governance=optional",), seed=2, token=TOKEN)
    quiet.step()  # saved
    clock.now += 25 * 60
    busy.step()
    clock.now += 10 * 60  # quiet: 35 idle minutes; busy: 10
    rooms.tick()
    assert rooms.all() == [busy] and rooms.get(quiet.code) is None
    assert (folder / f"{quiet.code}.json.closed").is_file() and (folder / f"{busy.code}.json").is_file()
    quiet.step()  # a page still holding the closed room: it is not saved again
    assert not (folder / f"{quiet.code}.json").exists()
    assert rooms.open(("governance=optional",), seed=3, token=TOKEN) in rooms.all()  # its place is free
    # a closed room does not come back at the next start
    assert Rooms(save_dir=folder, clock=clock, defaults=SETTINGS).restore_saved() == [busy.code]


def test_a_corrupt_saved_room_is_set_aside_and_the_others_serve(folder, clock, caplog):
    # kills: restoring that stops at the first bad file (every room down); a bad file left in place
    # (it would fail again at every start) or not named in the log; a schema that accepts wrong types
    rooms = registry(folder, clock)
    good = [rooms.open(("governance=optional",), seed=s, token=TOKEN) for s in (7, 8)]
    for room in good:
        room.step()
    state = json.loads((folder / f"{good[0].code}.json").read_text())
    bad = {
        "AAAA.json": (folder / f"{good[0].code}.json").read_text()[:300],  # truncated
        "BBBB.json": json.dumps({**state, "code": "BBBB", "seed": "7"}),  # a number as text
        "CCCC.json": json.dumps({**state, "code": "CCCC", "seats": [{"council": 0}]}),
        "DDDD.json": json.dumps({**state, "code": "DDDD", "log": [{"month": 1}]}),
        "EEEE.json": json.dumps({**state, "code": "EEEE", "overrides": ["hydra.run.dir=/tmp"]}),
        "FFFF.json": json.dumps({**state, "code": "FFFF", "seats": state["seats"][:2]}),  # replay fails
        "GGGG.json": json.dumps({**state, "code": "GGGG", "month": 999}),  # past the round
        "HHHH.json": "[1, 2]",
        "notacode.json": json.dumps({**state, "code": "notacode"}),
    }
    for name, text in bad.items():
        (folder / name).write_text(text)
    caplog.set_level(logging.WARNING, logger=rooms_module.__name__)
    restarted = registry(folder, clock)
    assert restarted.restore_saved() == sorted(r.code for r in good)
    for name in bad:
        assert not (folder / name).exists() and (folder / f"{name}.bad").is_file(), name
        assert f"saved room {name} set aside as {name}.bad" in caplog.text
    for room in good:  # the others serve: a seat can be taken and the clock moves
        again = restarted.get(room.code)
        assert again.month == 1 and again.facilitator_key == room.facilitator_key
        again.take_seat(0)
        again.step()
        assert again.month == 2
    assert registry(folder, clock).restore_saved() == sorted(r.code for r in good)  # and again


def test_a_hostile_code_in_a_saved_file_writes_nothing_outside_the_rooms_folder(folder, clock, tmp_path):
    # kills: a room's file named from its saved "code" (the file would be written at ../pwned_outside.json)
    rooms = registry(folder, clock)
    room = rooms.open(("governance=optional",), seed=7, token=TOKEN)
    room.step()
    state = room.state()
    (folder / f"{room.code}.json").unlink()
    for code in ("../pwned_outside", "/tmp/pwned_outside", "ABCD/../../pwned", "abcd", "ABCDE", 7):
        (folder / "KKKK.json").write_text(json.dumps({**state, "code": code}))
        outside = {p for p in tmp_path.rglob("*") if folder not in p.parents}
        assert registry(folder, clock).restore_saved() == []
        assert {p for p in tmp_path.rglob("*") if folder not in p.parents} == outside
        assert saved(folder) == ["KKKK.json.bad"]
        (folder / "KKKK.json.bad").unlink()
        with pytest.raises(BadRoomFile, match="capital letters"):
            Room(code, ("years=1",), 7, vote_seconds=1, month_seconds=1, grace_seconds=1, save_dir=folder)
    assert not (tmp_path / "pwned_outside.json").exists()
