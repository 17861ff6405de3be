"""An error boundary for the pages: a part that fails to draw shows one line, the rest goes on.

Both apps (the dashboard and the rooms) draw every component inside a :func:`Boundary`.
Their state lives above it, so a part that fails keeps the last good run on the page;
the error, with its traceback, goes to the server's log, never to the page.
"""

from __future__ import annotations

import html
import logging

import solara

from ijmond_sim.dashboard.labels import label

LOG = logging.getLogger(__name__)


@solara.component
def Boundary(part: str, lang: str, retry: object = 0, children=None):
    """Renders ``children``; if they fail, one line in ``lang`` instead and the error in the log.

    Args:
        part: what the children are (in the log and the class ``ijm-part-<part>``).
        lang: the page's language.
        retry: the part is drawn again when this (the page's tick) or the language changes.
        children: the components drawn.
    """
    exception, clear = solara.use_exception()
    logged = solara.use_ref(None)
    if exception is not None and logged.current is not exception:
        logged.current = exception
        LOG.error("the page's %s could not be drawn", part,
                  exc_info=(type(exception), exception, exception.__traceback__))
    solara.use_effect(lambda: clear() if exception is not None else None, [retry, lang])
    if exception is not None:
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(label("error_part", lang)),
                    classes=["ijm-part-error"], attributes={"role": "alert"})
        return
    solara.Div(children=children or [], classes=["ijm-part", f"ijm-part-{part}"])
