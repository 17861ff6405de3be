"""The workshop dashboard's pieces that the room pages reuse, imported in this one place.

When the dashboard moves its views or settings, only this module changes.
"""

from __future__ import annotations

import threading
import weakref

import solara

from ijmond_sim.dashboard import views
from ijmond_sim.dashboard.boundary import Boundary
from ijmond_sim.dashboard.labels import DEFAULT_LANGUAGE, LANGUAGES, label, rule_name
from ijmond_sim.dashboard.page import (
    DocumentLanguage,
    HistoryView,
    InitiativeBoard,
    Select,
    StatusBar,
    Timeline,
    TrustNetworkView,
)
from ijmond_sim.dashboard.settings import default_settings
from ijmond_sim.dashboard.timeline import Recording
from ijmond_sim.model import RegionModel, governance
from ijmond_sim.workshop.ballot import RoomModel, attach

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "Boundary", "DocumentLanguage",
           "RoomTimeline", "RoomViews", "Select", "default_settings", "label", "month_text",
           "opgave_name", "rule_name", "rule_title"]

month_text = views.month_text

_RECORDINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def rule_title(key: str, lang: str) -> str:
    """The plain name of governance rule ``key`` (the rule's own label where the table lacks it)."""
    return rule_name(governance.RULES[key], lang)


def opgave_name(model: RegionModel, index: int, lang: str) -> str:
    """The plain name of opgave ``index`` (the region's own label if the table lacks it)."""
    return label(f"opgave.{model.region.opgaven[index]}", lang, default=model.region.opgave_labels[index])


def recording_of(room) -> Recording:
    """The dashboard's recording (a snapshot per month, the events) of ``room``, brought up to date.

    It replays the room's months on its own model with the room's votes: the same
    run, bit for bit, so every month is there even when the clock skipped several.
    """
    with _LOCK:
        recording = _RECORDINGS.get(room)
        if recording is None:
            recording = Recording(RoomModel(room.scenario, seed=room.seed))
            _RECORDINGS[room] = recording
        attach(recording.model, dict(room.votes))
        while recording.month < room.month:
            recording.step()
        return recording


@solara.component
def RoomViews(room, tick: int, lang: str, history: bool = True, timeline: bool = True):
    """The dashboard's tiles, trust network, board, history and (``timeline``) timeline for a room."""
    recording = recording_of(room)
    solara.Style(views.PAGE_CSS.replace("<style>", "").replace("</style>", ""))
    StatusBar(recording, None, tick, lang)
    with solara.Div(classes=["ijm-room-figures"]):
        TrustNetworkView(recording, None, tick, lang)
        if history:
            HistoryView(recording, None, tick, lang)
    InitiativeBoard(recording, None, tick, lang)
    if timeline:
        RoomTimeline(room, tick, lang)


@solara.component
def RoomTimeline(room, tick: int, lang: str):
    """The model's events of a room in plain words (the dashboard's timeline)."""
    Timeline(recording_of(room), None, tick, lang, on_jump=lambda month: None)
