"""The pages' error boundary, in-process: a part that fails shows one line and is drawn again later."""

from __future__ import annotations

import html
import logging

import ipyvuetify as v
import solara
import solara.widgets

from ijmond_sim.dashboard.boundary import Boundary
from ijmond_sim.dashboard.labels import label


@solara.component
def Fragile(attempt: int):
    """Fails on even attempts, draws a line on odd ones."""
    if attempt % 2 == 0:
        raise ValueError(f"attempt {attempt} failed")
    solara.Text(f"drawn at attempt {attempt}")


@solara.component
def TwoParts(attempt: solara.Reactive[int], lang: str):
    with solara.Column():
        with Boundary("fragile", lang, attempt.value):
            Fragile(attempt.value)
        with Boundary("steady", lang):
            solara.Text("steady part")


def texts(rc) -> list[str]:
    """Every text and HTML the rendered widgets show."""
    found, todo = [], [rc.find(v.Html).widgets[0].ancestors()[0] if False else None]
    found, todo = [], list(rc.find(solara.widgets.HTML).widgets) + list(rc.find(v.Html).widgets)
    while todo:
        widget = todo.pop()
        if isinstance(widget, str):
            found.append(widget)
        elif isinstance(widget, solara.widgets.HTML):
            found.append(html.unescape(widget.unsafe_innerHTML))
        else:
            todo += list(getattr(widget, "children", []))
    return found


def test_a_failing_part_shows_one_line_in_the_page_language_logs_and_recovers(caplog):
    """Kills: a boundary that re-raises (no line, traceback on the page), one that logs nothing,
    one that answers in Dutch on an English page, and one that never draws the part again."""
    attempt = solara.reactive(0)
    with caplog.at_level(logging.ERROR, logger="ijmond_sim.dashboard.boundary"):
        _, rc = solara.render(TwoParts(attempt, "en"), handle_error=False)
    shown = texts(rc)
    assert label("error_part", "en") in " ".join(shown)
    assert "steady part" in shown
    assert not any("attempt 0 failed" in text or "Traceback" in text for text in shown)
    assert any("attempt 0 failed" in r.exc_text for r in caplog.records if r.exc_text)
    attempt.set(1)
    shown = texts(rc)
    assert "drawn at attempt 1" in shown and "steady part" in shown
    assert label("error_part", "en") not in " ".join(shown)
    rc.close()
