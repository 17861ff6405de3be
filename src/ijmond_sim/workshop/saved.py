"""A saved room's file: named from a checked room code only, its content checked against a schema.

A room is saved as ``CODE.json`` (:meth:`ijmond_sim.workshop.rooms.Room.state`). A file in the
rooms folder is what anyone with access to that folder made it, so its name is derived
from a code of capital letters (:func:`room_file`), never from what it holds, and its
content is read back only through :func:`read_state`, which checks every key's type
and range (:data:`STATE_SCHEMA`) before a room is rebuilt from it.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from ijmond_sim.workshop.ballot import KIND_OF_PHASE, LEAVE, TURN_AWAY

# Who decided an entry of the log: the person in the seat, or the agent (no vote in time).
SEAT = "seat"
AGENT = "agent"
# A saved room is a few KB; anything much larger is not one of ours.
MAX_STATE_BYTES = 1_000_000
# An override a room may carry: a plain key (never hydra's own, never +/~) and a plain value.
OVERRIDE = re.compile(r"(?!hydra\b)[A-Za-z_][\w-]*(\.[\w-]+)*=[\w.+-]+")


class BadRoomFile(ValueError):
    """A saved room's file is not a room this server wrote (the message says what is wrong)."""


def room_file(save_dir: Path, code: str, length: int) -> Path:
    """The file of room ``code`` in ``save_dir``: ``CODE.json``, named from a checked code only.

    Raises:
        BadRoomFile: if ``code`` is not ``length`` capital letters.
    """
    if not isinstance(code, str) or not re.fullmatch(f"[A-Z]{{{length}}}", code):
        raise BadRoomFile(f"room code {str(code)[:40]!r} is not {length} capital letters")
    return save_dir / f"{code}.json"


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _seconds(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) \
        and value >= 0


def _text(value) -> bool:
    return isinstance(value, str) and len(value) <= 200


def _key(value) -> bool:
    return value is None or _text(value)


def _flag(value) -> bool:
    return isinstance(value, bool)


def _kind(value) -> bool:
    return value in (*KIND_OF_PHASE.values(), TURN_AWAY, LEAVE)


ENTRY_SCHEMA = {"month": _whole, "kind": _kind, "initiative": lambda v: _whole(v) or v == -1,
                "council": _whole, "vote": _flag, "own": _flag, "by": lambda v: v in (SEAT, AGENT),
                "at": _seconds}
PENDING_SCHEMA = (_whole, _kind, ENTRY_SCHEMA["initiative"], _whole, _flag, _seconds)
# What a saved room holds (Room.state): each key's check; the optional keys are those restore defaults.
STATE_SCHEMA = {
    "code": _text, "overrides": lambda v: isinstance(v, list) and all(
        isinstance(o, str) and OVERRIDE.fullmatch(o) for o in v),
    "seed": lambda v: _whole(v) and v < 2**63, "month": lambda v: _whole(v) and v <= 12 * 1000,
    "vote_seconds": _seconds, "month_seconds": _seconds, "grace_seconds": _seconds, "reveal": _flag,
    "seats": lambda v: isinstance(v, list) and all(
        isinstance(s, dict) and set(s) == {"council", "token"} and _whole(s["council"]) and _key(s["token"])
        for s in v),
    "log": lambda v: isinstance(v, list) and all(
        isinstance(e, dict) and set(e) == set(ENTRY_SCHEMA) and all(ENTRY_SCHEMA[k](e[k]) for k in e)
        for e in v),
}
OPTIONAL_STATE = {
    "facilitator_key": _key, "elapsed": _seconds, "vote_open": _flag,
    "pending": lambda v: isinstance(v, list) and all(
        isinstance(p, list) and len(p) == len(PENDING_SCHEMA) and all(
            check(x) for check, x in zip(PENDING_SCHEMA, p, strict=True)) for p in v),
}


def read_state(path: Path, code: str) -> dict:
    """The saved state of room ``code`` in ``path``, checked against :data:`STATE_SCHEMA`.

    Raises:
        BadRoomFile: if the file is a link, too large, not JSON, or not a room's state
            (a key missing, unknown or of the wrong type, or another room's code).
    """
    if path.is_symlink() or not path.is_file():
        raise BadRoomFile("not a plain file")
    if path.stat().st_size > MAX_STATE_BYTES:
        raise BadRoomFile(f"larger than {MAX_STATE_BYTES} bytes")
    try:
        state = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRoomFile(f"not JSON ({error})") from None
    if not isinstance(state, dict):
        raise BadRoomFile("not a JSON object")
    schema = {**STATE_SCHEMA, **OPTIONAL_STATE}
    problems = sorted(set(STATE_SCHEMA) - set(state)) + sorted(
        key for key in state if key not in schema or not schema[key](state[key]))
    if problems:
        raise BadRoomFile(f"missing, unknown or wrong keys: {', '.join(map(str, problems))[:200]}")
    if state["code"] != code:
        raise BadRoomFile(f"it holds room {state['code'][:40]!r}, not {code}")
    return state
