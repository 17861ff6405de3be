"""The workshop dashboard's pieces that the room pages reuse, imported in this one place.

When the dashboard moves its views or settings, only this module changes.
"""

from __future__ import annotations

import solara

from ijmond_sim.dashboard.labels import DEFAULT_LANGUAGE, LANGUAGES, label
from ijmond_sim.dashboard.page import (
    GOVERNANCE_RULES,
    HistoryView,
    InitiativeBoard,
    StatusBar,
    TrustNetworkView,
    default_settings,
    opgave_name,
)
from ijmond_sim.model import RegionModel

__all__ = ["DEFAULT_LANGUAGE", "GOVERNANCE_RULES", "LANGUAGES", "RoomViews", "default_settings", "label",
           "opgave_name"]


@solara.component
def RoomViews(room, tick: int, lang: str, history: bool = True):
    """The dashboard's tiles, trust network, board and history for a room (its month's copy of the model)."""
    model: RegionModel = room.shown
    StatusBar(model, tick, lang)
    with solara.Columns([1, 1]):
        TrustNetworkView(model, tick, lang)
        if history:
            HistoryView(model, tick, lang)
    InitiativeBoard(model, tick, lang)
