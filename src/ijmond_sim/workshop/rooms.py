"""Rooms in the server process: seats, the facilitator's clock, votes with a time limit, the log and replay.

A :class:`Room` holds one model of a region under one rule and seed. People
take the seats (one per council) and vote where their council decides; the
facilitator's clock moves the model on month by month and stops at a month in
which a person must decide, until every vote is in or the time limit passes;
a council without a vote keeps its own (the agent's) decision, and the log
says so. Seats are held by a token (in the participant's URL) for a grace
period after a connection drops; the clock is the facilitator's, held by the
room's facilitator key (in the console's URL, never in a participant's).

A room's saved state, after each month and at each change of an open vote, is
its settings, seed, key, seats, log and the votes cast for months still to come
(:meth:`Room.state`); restoring (:meth:`Room.restore`) re-runs the model from
month 0 applying the logged human votes, which gives the same run bit for bit
(the ballot draws no random numbers), and opens again a vote that was open,
with the votes already cast; its time starts in full once every player it asks has a
page open again (:meth:`Room.connect`). :class:`Rooms` is the registry of the
rooms of one server, each isolated from the others: only the holder of the
server's facilitator token opens a room, no more than ``max_rooms`` are open at
once, and a room nobody touched for ``idle_minutes`` is closed. A saved room is
read only from a file named by its code and checked before it is rebuilt
(:mod:`ijmond_sim.workshop.saved`); a file that fails is set aside
(``CODE.json.bad``), named in the log, and the other rooms are restored.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from omegaconf import OmegaConf

from ijmond_sim import config
from ijmond_sim.model import RegionModel
from ijmond_sim.model.scenario import Scenario
from ijmond_sim.workshop.ballot import LEAVE, Key, Question, RoomModel, attach
from ijmond_sim.workshop.saved import AGENT, SEAT, BadRoomFile, read_state, room_file

# Letters of room codes: no I, O, 0 or 1 to misread on a projector.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
LOG = logging.getLogger(__name__)
SET_ASIDE = ".bad"
CLOSED = ".closed"


def workshop_defaults() -> dict:
    """The workshop's defaults from ``conf/workshop.yaml``."""
    text = resources.files("ijmond_sim.conf").joinpath("workshop.yaml").read_text()
    return OmegaConf.to_container(OmegaConf.create(text))


@lru_cache(maxsize=32)
def scenario_for(overrides: tuple[str, ...]) -> Scenario:
    """The validated scenario of ``conf/config.yaml`` with ``overrides``.

    Raises:
        ijmond_sim.config.ConfigError: if an override is not allowed (the message says which).
    """
    cfg = config.compose(overrides)
    config.validate(cfg)
    return Scenario.from_config(cfg)


class SeatProblem(ValueError):
    """A seat cannot be taken or used (taken by someone else, unknown token, no free seat)."""


class RoomRefused(PermissionError):
    """No room is opened: the facilitator's token is missing or wrong, or ``max_rooms`` are open."""


def new_secret() -> str:
    """A fresh secret for a URL (a seat's token, a room's facilitator key)."""
    return secrets.token_urlsafe(9)


@dataclass
class Seat:
    """One council's seat in a room.

    Attributes:
        council: index of the council.
        token: the participant's secret (in their URL); None while the seat is free.
        pages: how many of the participant's pages are open now.
        away_since: when the last page closed (the grace period runs from here).
    """

    council: int
    token: str | None = None
    pages: int = 0
    away_since: float | None = None

    @property
    def taken(self) -> bool:
        """Whether a person holds the seat."""
        return self.token is not None


@dataclass(frozen=True)
class Entry:
    """One decision in the log: who decided what, when, and whether a person or the agent did.

    Attributes:
        month: the model month of the decision.
        kind: ``college``, ``council``, ``review``, ``turn_away`` or ``leave`` (the player's own choice).
        initiative: uid of the initiative (-1 for turning away and leaving).
        council: index of the council.
        vote: the decision that counted (support; leave for ``turn_away``).
        own: the council's own (agent's) decision.
        by: ``seat`` (the person voted) or ``agent`` (no vote arrived in time).
        at: seconds since the room opened when the vote was cast or the time ran out.
    """

    month: int
    kind: str
    initiative: int
    council: int
    vote: bool
    own: bool
    by: str
    at: float

    @property
    def key(self) -> Key:
        """The decision's key."""
        return (self.month, self.kind, self.initiative, self.council)


class Room:
    """One room: a model, its seats, the clock, the open vote and the log.

    Every public method takes the room's lock, and every change wakes the pages
    waiting in :meth:`wait`. The clock's methods (:meth:`play` to :meth:`close_vote`)
    trust their caller: the console calls them only for the holder of
    :attr:`facilitator_key` (:meth:`is_facilitator`).

    Args:
        code: the room's short code.
        overrides: Hydra overrides of ``conf/config.yaml`` (rule, trust, years, ...).
        seed: the model's seed.
        vote_seconds: time limit of a vote.
        month_seconds: seconds per month while the clock plays.
        grace_seconds: how long a seat is kept after its participant's last page closed.
        clock: the time source (seconds); ``time.monotonic`` in the server.
        save_dir: folder to save the room's state in after every month (None: not saved).
        code_length: the letters of a room code (its file is named from the checked code).

    Attributes:
        facilitator_key: the secret of the facilitator's console (in its URL only).
        model: the room's model (moved on only by the clock, under the lock).
        shown: a copy of the model at the end of the last month, for the pages to draw.
        seats: one per council, in the region's order.
        log: every decision of a played council, in order.
        open: the questions of the coming month still awaiting a vote.
        votes: the people's decisions by key, logged and still to come.
        deadline: when the open vote closes (None without one).
        playing: whether the clock plays.
        reveal: whether participants see the other councils' votes.
        version: bumped on every change.
        active_at: when the room last changed (the registry closes it after ``idle_minutes``).
    """

    def __init__(self, code: str, overrides: tuple[str, ...], seed: int, *, vote_seconds: float,
                 month_seconds: float, grace_seconds: float,
                 clock: Callable[[], float] = time.monotonic,
                 save_dir: str | Path | None = None, code_length: int = 4) -> None:
        self.path = None if save_dir is None else room_file(Path(save_dir), code, code_length)
        self.code = code
        self.overrides = tuple(overrides)
        self.seed = int(seed)
        self.vote_seconds = float(vote_seconds)
        self.month_seconds = float(month_seconds)
        self.grace_seconds = float(grace_seconds)
        self.clock = clock
        self.facilitator_key = new_secret()
        self.scenario = scenario_for(self.overrides)
        self.model = RoomModel(self.scenario, seed=self.seed)
        self.votes: dict[Key, bool] = {}
        self._cast_at: dict[Key, float] = {}
        self.ballot = attach(self.model, self.votes)
        self.seats = [Seat(i) for i in range(len(self.scenario.region.councils))]
        self.log: list[Entry] = []
        self.open: list[Question] = []
        self.deadline: float | None = None
        self.playing = False
        self.reveal = False
        self.version = 0
        self.opened = clock()
        self.active_at = self.opened
        self._next_month_at = self.opened
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.shown = self._snapshot()

    # -- reading -------------------------------------------------------------------

    @property
    def month(self) -> int:
        """Months played so far."""
        return self.model.month

    @property
    def ended(self) -> bool:
        """Whether the round's months are all played."""
        return not self.model.running

    @property
    def councils(self) -> tuple[str, ...]:
        """The councils' names, in seat order."""
        return self.scenario.region.councils

    def played(self) -> frozenset[int]:
        """The councils whose seats are taken."""
        return frozenset(s.council for s in self.seats if s.taken)

    def seat_of(self, token: str) -> Seat | None:
        """The seat held by ``token`` (None if none)."""
        return next((s for s in self.seats if s.taken and s.token == token), None)

    def is_facilitator(self, key: str | None) -> bool:
        """Whether ``key`` is this room's facilitator key."""
        return bool(key) and secrets.compare_digest(str(key).encode(), self.facilitator_key.encode())

    def cast_so_far(self) -> dict[Key, bool]:
        """The votes cast for the coming month so far."""
        with self._lock:
            coming = self.month + 1
            return {k: v for k, v in self.votes.items() if k[0] == coming}

    def seconds_left(self) -> float | None:
        """Seconds until the open vote closes (None without one, or while a restored vote waits)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock())

    def wait(self, version: int, timeout: float) -> int:
        """Block until the room's version differs from ``version`` or ``timeout`` passes; return it."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    # -- seats -----------------------------------------------------------------------

    def take_seat(self, council: int | None = None) -> tuple[int, str]:
        """Take ``council``'s seat (the first free one if None); return it and its token.

        Raises:
            SeatProblem: if that seat is taken or no seat is free.
        """
        with self._lock:
            self._expire_seats()
            free = [s for s in self.seats if not s.taken]
            seat = next((s for s in free if council is None or s.council == council), None)
            if seat is None:
                raise SeatProblem("no free seat" if council is None
                                  else f"the seat of {self.councils[council]} is taken")
            seat.token, seat.pages, seat.away_since = new_secret(), 0, self.clock()
            self._touch()
            return seat.council, seat.token

    def connect(self, token: str) -> int:
        """A page of the participant holding ``token`` opened; return their council.

        Raises:
            SeatProblem: if no seat is held by ``token`` (unknown, or freed after the grace period).
        """
        with self._lock:
            self._expire_seats()
            seat = self.seat_of(token)
            if seat is None:
                raise SeatProblem("this seat is no longer held; choose a council again")
            seat.pages += 1
            seat.away_since = None
            self._start_restored_vote()
            self._touch()
            return seat.council

    def disconnect(self, token: str) -> None:
        """A page of the participant holding ``token`` closed; the grace period starts with the last."""
        with self._lock:
            seat = self.seat_of(token)
            if seat is None:
                return
            seat.pages = max(0, seat.pages - 1)
            if seat.pages == 0:
                seat.away_since = self.clock()
            self._touch()

    def _start_restored_vote(self) -> None:
        """Start the full time of a vote restored after a restart once every player it asks is back.

        A player is back when a page of theirs is open, or gone when their seat was freed
        after the grace period (the model then decides for that council).
        """
        asked = {q.council for q in self.open}
        if self.open and self.deadline is None and all(
                seat.pages or not seat.taken for seat in self.seats if seat.council in asked):
            self.deadline = self.clock() + self.vote_seconds
            self._touch()

    def _expire_seats(self) -> None:
        now = self.clock()
        for seat in self.seats:
            if seat.taken and seat.pages == 0 and seat.away_since is not None \
                    and now - seat.away_since > self.grace_seconds:
                seat.token, seat.away_since = None, None
                self._touch()

    # -- the facilitator's clock ------------------------------------------------------------

    def play(self) -> None:
        """Start the clock: months pass at ``month_seconds``, stopping at each vote."""
        with self._lock:
            self.playing = not self.ended
            self._next_month_at = self.clock()
            self._touch()

    def pause(self) -> None:
        """Stop the clock (an open vote stays open)."""
        with self._lock:
            self.playing = False
            self._touch()

    def set_speed(self, month_seconds: float) -> None:
        """Seconds per month while the clock plays."""
        with self._lock:
            self.month_seconds = max(0.0, float(month_seconds))
            self._touch()

    def set_vote_seconds(self, seconds: float) -> None:
        """The time limit of the next votes."""
        with self._lock:
            self.vote_seconds = max(1.0, float(seconds))
            self._touch()

    def set_reveal(self, reveal: bool) -> None:
        """Show or hide the other councils' votes to the participants."""
        with self._lock:
            self.reveal = bool(reveal)
            self._touch()

    def step(self) -> None:
        """One month on, or open its vote if a played council decides in it (nothing while a vote is open)."""
        with self._lock:
            if not self.open and not self.ended:
                self._prepare_month()

    def next_decision(self) -> None:
        """Months on until one in which a played council decides; open that vote (or reach the end)."""
        with self._lock:
            while not self.open and not self.ended:
                self._prepare_month()

    def close_vote(self) -> None:
        """Close the open vote now: councils without a vote keep their own decision."""
        with self._lock:
            if self.open:
                self._commit_month()

    def tick(self) -> None:
        """Let time act: free seats past their grace, close a vote past its deadline, play on."""
        with self._lock:
            self._expire_seats()
            self._start_restored_vote()
            now = self.clock()
            if self.open:
                if self.deadline is not None and now >= self.deadline:
                    self._commit_month()
            elif self.playing and not self.ended and now >= self._next_month_at:
                self._prepare_month()

    # -- votes -------------------------------------------------------------------------

    def cast(self, token: str, key: Key, vote: bool) -> None:
        """The participant holding ``token`` decides the open question ``key``.

        When every open question is answered the month is played at once.

        Raises:
            SeatProblem: if ``token`` holds no seat or the question is not theirs or not open.
        """
        with self._lock:
            seat = self.seat_of(token)
            if seat is None:
                raise SeatProblem("this seat is no longer held")
            if not any(q.key == tuple(key) and q.council == seat.council for q in self.open):
                raise SeatProblem("this vote is not open for this council")
            self._decide(tuple(key), bool(vote))

    def leave_month(self, council: int) -> int | None:
        """The month ``council`` would leave the region in if its player chose it now.

        A council decides to leave at a meeting of its own council (as the model's councils
        weigh their outside option), so it is the council's next meeting month of the round.
        None when it cannot leave: it is out already, no partner is left, it chose to leave
        already, or its council meets no more in this round.
        """
        with self._lock:
            model = self.model
            partners = model.active.copy()
            partners[council] = False
            if not model.active[council] or not partners.any() or self.leaving(council) is not None:
                return None
            return next((m for m in range(self.month + 1, model.params.months + 1)
                         if model.meeting_months[m, council]), None)

    def leaving(self, council: int) -> int | None:
        """The month in which ``council`` leaves by its player's choice, if that is still to come."""
        with self._lock:
            return next((k[0] for k, v in self.votes.items()
                         if k[1] == LEAVE and k[3] == council and v and k[0] > self.month), None)

    def leave(self, token: str) -> int:
        """The participant holding ``token`` takes their council out of the region; return the month.

        The choice is final. It takes effect at the start of :meth:`leave_month` and is logged
        then as the player's decision (kind ``leave``).

        Raises:
            SeatProblem: if ``token`` holds no seat or the council cannot leave now.
        """
        with self._lock:
            seat = self.seat_of(token)
            if seat is None:
                raise SeatProblem("this seat is no longer held")
            month = self.leave_month(seat.council)
            if month is None:
                raise SeatProblem("your council cannot leave the region now")
            self._decide((month, LEAVE, -1, seat.council), True)
            return month

    def _decide(self, key: Key, vote: bool) -> None:
        """Record a person's decision; play the month at once if it answered the last open question."""
        self.votes[key] = vote
        self._cast_at[key] = self.clock() - self.opened
        if self.open:
            self.open = self._unanswered()
            if not self.open:
                self._commit_month()
                return
        self._save()
        self._touch()

    def _unanswered(self) -> list[Question]:
        """The coming month's questions to played councils that have no vote yet.

        Plays the month on a copy of the model with the votes so far, because a
        vote can change what is asked later in the same month.
        """
        trial = copy.deepcopy(self.model)
        ballot = attach(trial, dict(self.votes), self.played())
        trial.step()
        return [q for q in ballot.asked if q.key not in self.votes]

    def _prepare_month(self) -> None:
        questions = self._unanswered()
        if questions:
            self.open = questions
            self.deadline = self.clock() + self.vote_seconds
            self._save()
            self._touch()
        else:
            self._commit_month()

    def _commit_month(self) -> None:
        """Play the coming month with the votes cast; log every played council's decision."""
        self.ballot.played = self.played()
        self.ballot.asked = []
        self.model.step()
        closed = self.clock() - self.opened
        for q in self.ballot.asked:
            by_seat = q.key in self.votes
            self.log.append(Entry(
                month=q.month, kind=q.kind, initiative=q.initiative, council=q.council,
                vote=self.votes[q.key] if by_seat else q.own, own=q.own,
                by=SEAT if by_seat else AGENT,
                at=self._cast_at[q.key] if by_seat else closed,
            ))
        self.open, self.deadline = [], None
        self._next_month_at = self.clock() + self.month_seconds
        if self.ended:
            self.playing = False
        self.shown = self._snapshot()
        self._save()
        self._touch()

    # -- helpers -------------------------------------------------------------------------

    def _snapshot(self) -> RegionModel:
        shown = copy.deepcopy(self.model)
        shown.ballot = None
        return shown

    def _touch(self) -> None:
        self.version += 1
        self.active_at = self.clock()
        self._changed.notify_all()

    # -- persistence -----------------------------------------------------------------------

    def state(self) -> dict:
        """Everything needed to rebuild the room: settings, seed, key, seats, log, votes to come.

        ``pending`` holds the people's decisions for months not yet played (the open
        vote's votes cast so far, a departure chosen for a later month) as
        ``[month, kind, initiative, council, vote, at]``; ``vote_open`` whether a vote was open;
        ``elapsed`` the seconds since the room opened (the log's clock goes on from there).
        """
        with self._lock:
            return {
                "code": self.code,
                "facilitator_key": self.facilitator_key,
                "overrides": list(self.overrides),
                "seed": self.seed,
                "month": self.month,
                "vote_seconds": self.vote_seconds,
                "month_seconds": self.month_seconds,
                "grace_seconds": self.grace_seconds,
                "reveal": self.reveal,
                "elapsed": self.clock() - self.opened,
                "seats": [{"council": s.council, "token": s.token} for s in self.seats],
                "log": [asdict(e) for e in self.log],
                "pending": [[*key, vote, self._cast_at[key]] for key, vote in self.votes.items()
                            if key[0] > self.month],
                "vote_open": bool(self.open),
            }

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        part = self.path.with_suffix(".part")
        part.write_text(json.dumps(self.state(), indent=1))
        part.replace(self.path)

    @classmethod
    def restore(cls, state: dict, *, clock: Callable[[], float] = time.monotonic,
                save_dir: str | Path | None = None, code_length: int = 4) -> Room:
        """Rebuild a room from :meth:`state` by re-running its months with the logged human votes.

        Seats keep their tokens; their grace period starts now, so participants can
        return with their URL. The facilitator key stays (a state saved without one
        gets a new one). A vote that was open is open again with the votes already
        cast; its time (``vote_seconds``) starts only when every player it asks has
        reopened their page (or lost their seat after the grace period), so that nobody
        loses the vote while finding the page again. The facilitator can close it sooner.

        Raises:
            BadRoomFile: if the state's month lies past the round's end.
        """
        room = cls(state["code"], tuple(state["overrides"]), state["seed"],
                   vote_seconds=state["vote_seconds"], month_seconds=state["month_seconds"],
                   grace_seconds=state["grace_seconds"], clock=clock, save_dir=save_dir,
                   code_length=code_length)
        room.facilitator_key = state.get("facilitator_key") or room.facilitator_key
        room.opened -= float(state.get("elapsed", 0.0))
        room.reveal = bool(state["reveal"])
        room.log = [Entry(**e) for e in state["log"]]
        decided = [(e.key, e.vote, e.at) for e in room.log if e.by == SEAT]
        decided += [((m, kind, uid, c), vote, at) for m, kind, uid, c, vote, at in state.get("pending", [])]
        for key, vote, at in decided:
            room.votes[key], room._cast_at[key] = vote, at
        if int(state["month"]) > room.model.params.months:
            raise BadRoomFile(f"month {state['month']} is past the round's {room.model.params.months}")
        for _ in range(int(state["month"])):
            room.model.step()
        for seat, saved in zip(room.seats, state["seats"], strict=True):
            seat.token, seat.away_since = saved["token"], room.clock()
        room.shown = room._snapshot()
        if state.get("vote_open"):
            room.step()  # opens the same vote again (or plays the month if nobody is asked now)
            room.deadline = None  # its time starts when the players asked are back
        return room


def agents_run(room: Room) -> RegionModel:
    """The same scenario and seed as ``room``, every council deciding for itself, as far as the room got."""
    model = RegionModel(room.scenario, seed=room.seed)
    if room.month:
        model.run_for(room.month)
    return model


def same_run(a: RegionModel, b: RegionModel) -> bool:
    """Whether two models are in the same state bit for bit (trust, councils, initiatives, measures)."""
    def fingerprint(m: RegionModel):
        councils = [(c.active, c.turned_away, c.realised_benefit, c.times_overruled, c.withdrawals,
                     c.completed, c.stranded) for c in m.councils]
        initiatives = [(i.uid, i.opgave, i.phase, i.ended, i.strand_reason, i.blamed,
                        i.participants.tobytes(), i.cost_share.tobytes(), i.mood.tobytes())
                       for i in m.initiatives]
        return m.month, m.trust.tobytes(), councils, initiatives, m.rng.bit_generator.state
    return fingerprint(a) == fingerprint(b)


def server_rooms() -> Rooms:
    """The server process's one registry (saved under ``$IJMOND_ROOMS_DIR`` or ``save_dir``), ticking.

    Created on first use; rooms saved by an earlier server are restored by replay.
    """
    return _server_rooms()


def facilitator_token(defaults: dict | None = None) -> str:
    """The server's facilitator token, which opens rooms.

    ``$IJMOND_ROOM_TOKEN``, else ``facilitator_password`` of ``conf/workshop.yaml``, else a
    fresh secret.
    """
    defaults = defaults or workshop_defaults()
    return os.environ.get("IJMOND_ROOM_TOKEN") or defaults.get("facilitator_password") or new_secret()


@lru_cache(maxsize=1)
def _server_rooms() -> Rooms:
    defaults = workshop_defaults()
    token = str(facilitator_token(defaults))
    print(f"Opening a room needs the facilitator's token: open /?token={token} on this server "
          "(keep it off the projector).", file=sys.stderr, flush=True)
    rooms = Rooms(save_dir=os.environ.get("IJMOND_ROOMS_DIR") or defaults["save_dir"], token=token)
    rooms.restore_saved()
    rooms.start_ticking()
    return rooms


class Rooms:
    """The rooms of one server, by code; each isolated from the others.

    Args:
        save_dir: where rooms are saved after every month (None: not saved).
        clock: the time source shared by the rooms.
        defaults: settings instead of ``conf/workshop.yaml``'s (the others stay).
        token: the facilitator's token, without which no room opens (a fresh secret if None).
    """

    def __init__(self, save_dir: str | Path | None = None,
                 clock: Callable[[], float] = time.monotonic, defaults: dict | None = None,
                 token: str | None = None) -> None:
        self.defaults = {**workshop_defaults(), **(defaults or {})}
        self.save_dir = None if save_dir is None else Path(save_dir)
        self.clock = clock
        self.token = token or new_secret()
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()
        self._ticker: threading.Thread | None = None

    @property
    def code_length(self) -> int:
        """Letters in a room code."""
        return int(self.defaults["code_length"])

    def admits(self, token: str | None) -> bool:
        """Whether ``token`` is the facilitator's token (which opens rooms)."""
        return bool(token) and secrets.compare_digest(str(token).encode(), self.token.encode())

    def open(self, overrides: tuple[str, ...] = (), seed: int | None = None, *, token: str | None,
             **settings) -> Room:
        """Open a room for ``overrides`` (plus the round's length) and ``seed``; return it.

        Args:
            overrides: Hydra overrides of ``conf/config.yaml``.
            seed: the model's seed (``conf/config.yaml``'s if None).
            token: the facilitator's token.
            **settings: ``vote_seconds``, ``month_seconds``, ``grace_seconds`` or ``years``
                instead of ``conf/workshop.yaml``'s.

        Raises:
            RoomRefused: without the facilitator's token, or while ``max_rooms`` rooms are open
                (checked before anything is composed).
            ijmond_sim.config.ConfigError: if the settings do not fit the model.
        """
        self._admit(token)
        chosen = {**self.defaults, **settings}
        full = (f"years={chosen['years']}", *overrides)
        if seed is None:
            seed = int(config.compose(full).seed)
        with self._lock:
            self._admit(token)
            code = self._new_code()
            room = Room(code, full, seed, vote_seconds=chosen["vote_seconds"],
                        month_seconds=chosen["month_seconds"], grace_seconds=chosen["grace_seconds"],
                        clock=self.clock, save_dir=self.save_dir, code_length=self.code_length)
            self._rooms[code] = room
        return room

    def _admit(self, token: str | None) -> None:
        if not self.admits(token):
            raise RoomRefused("opening a room needs the facilitator's token")
        if len(self._rooms) >= int(self.defaults["max_rooms"]):
            raise RoomRefused(f"{self.defaults['max_rooms']} rooms are open, the most this server holds "
                              "(max_rooms in conf/workshop.yaml)")

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(self.code_length))
            if code not in self._rooms:
                return code

    def get(self, code: str | None) -> Room | None:
        """The room with ``code`` (any case, spaces ignored), or None."""
        if not code:
            return None
        return self._rooms.get(str(code).strip().upper())

    def all(self) -> list[Room]:
        """Every room, in the order they were opened."""
        with self._lock:
            return list(self._rooms.values())

    def restore_saved(self) -> list[str]:
        """Rebuild every room saved in ``save_dir`` (by replay); return their codes.

        A ``*.json`` file that is not a room (its name not a room code, its content failing
        :func:`read_state`, or its replay failing) is renamed ``*.json.bad`` and named in the
        log; the others are restored.
        """
        if self.save_dir is None or not self.save_dir.is_dir():
            return []
        restored = []
        for path in sorted(self.save_dir.glob("*.json")):
            try:
                code = path.stem
                expected = room_file(self.save_dir, code, self.code_length)
                if code in self._rooms:
                    continue
                room = Room.restore(read_state(expected, code), clock=self.clock, save_dir=self.save_dir,
                                    code_length=self.code_length)
            except Exception as error:  # whatever the file holds, it must not stop the other rooms
                self._set_aside(path, error)
                continue
            with self._lock:
                self._rooms[room.code] = room
            restored.append(room.code)
        return restored

    def _set_aside(self, path: Path, error: Exception) -> None:
        aside = path.with_name(path.name + SET_ASIDE)
        path.replace(aside)
        LOG.warning("saved room %s set aside as %s: %s", path.name, aside.name,
                    " ".join(str(error).split())[:300] or type(error).__name__)

    def close_idle(self) -> list[str]:
        """Close every room unchanged for ``idle_minutes``; its file is kept as ``CODE.json.closed``."""
        idle = 60.0 * float(self.defaults["idle_minutes"])
        now = self.clock()
        with self._lock:
            closing = [room for room in self._rooms.values() if now - room.active_at > idle]
            for room in closing:
                del self._rooms[room.code]
        for room in closing:
            path, room.path = room.path, None  # a page still holding the room saves it no more
            if path is not None and path.exists():
                path.replace(path.with_name(path.name + CLOSED))
            LOG.warning("room %s closed after %s idle minutes", room.code, self.defaults["idle_minutes"])
        return [room.code for room in closing]

    def tick(self) -> None:
        """Close idle rooms, let time act in the others; a room that fails is logged, the others go on."""
        self.close_idle()
        for room in self.all():
            try:
                room.tick()
            except Exception:  # one broken room must not stop the clock of the others
                LOG.exception("room %s could not move on", room.code)

    def start_ticking(self, interval: float = 0.1) -> None:
        """Tick every ``interval`` seconds in a background thread (once per registry)."""
        with self._lock:
            if self._ticker is not None:
                return
            self._ticker = threading.Thread(target=self._tick_forever, args=(interval,),
                                            name="rooms-clock", daemon=True)
            self._ticker.start()

    def _tick_forever(self, interval: float) -> None:
        while True:
            self.tick()
            time.sleep(interval)

