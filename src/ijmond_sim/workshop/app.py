"""The participatory mode's pages: the facilitator's console (``/``) and the participant's view (``/join``).

Start it with ``make room`` (``solara run ijmond_sim.workshop.app --production``) and
open http://127.0.0.1:8765/?token=TOKEN with the facilitator's token it prints: without
it the start page opens no room, and Solara's diagnostic page ``/resourcez`` answers
only to it (:func:`guard_diagnostics`). Opening a room leads to its console at
``/?room=CODE&key=KEY``: without the room's facilitator key the console shows
no clock. Participants join at ``/join?room=CODE``. Rooms live in the server process
(:func:`ijmond_sim.workshop.rooms.server_rooms`); each page follows its room's changes
in a thread (:func:`use_room`) and only lays out what the room, the briefing
(:mod:`ijmond_sim.workshop.briefing`) and the dashboard's views draw.
"""

from __future__ import annotations

import html
import os
import sys
from urllib.parse import parse_qs, urlencode

import segno
import solara
import solara.lab

from ijmond_sim.config import ConfigError
from ijmond_sim.dashboard.labels import rule_menu
from ijmond_sim.model.initiative import Phase
from ijmond_sim.workshop.ballot import LEAVE, TURN_AWAY, Question
from ijmond_sim.workshop.briefing import CouncilFacts, council_facts, open_initiatives, vote_brief
from ijmond_sim.workshop.dashboard_parts import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Boundary,
    DocumentLanguage,
    RoomTimeline,
    RoomViews,
    Select,
    default_settings,
    label,
    month_text,
    opgave_name,
    rule_title,
)
from ijmond_sim.workshop.debrief import debrief, log_csv
from ijmond_sim.workshop.rooms import (
    SEAT,
    Room,
    RoomRefused,
    Rooms,
    SeatProblem,
    server_rooms,
    workshop_defaults,
)

VOTE_SECONDS = (10, 20, 30, 60, 90, 120)
CONSOLE_VIEWS = ("room", "log", "debrief")  # the console's views, one at a time
MONTH_SECONDS = (0.5, 1.0, 2.0, 3.0, 5.0)
CSS = """
.ijm-console { display: flex; flex-direction: column; gap: 6px; padding: 0 8px; max-width: 100%; }
.ijm-projector { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1.3fr) auto;
  gap: 16px; align-items: center; background: #f2f4f7; border-radius: 8px; padding: 4px 16px; }
.ijm-projector p { margin: 0; }
.ijm-big { font-size: clamp(22px, 1.9vw, 40px); font-weight: 700; line-height: 1.25; }
.ijm-join-label { font-size: clamp(16px, 1.1vw, 24px); }
.ijm-code { font-size: clamp(36px, 3vw, 64px); font-weight: 700; letter-spacing: 8px; line-height: 1.1; }
.ijm-join-url { font-size: clamp(18px, 1.7vw, 36px); font-weight: 600; overflow-wrap: anywhere; }
.ijm-qr svg { width: clamp(96px, 8vw, 170px); height: auto; display: block; }
.ijm-room-figures { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 8px; }
.ijm-council-facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr));
  gap: 8px; }
.ijm-views { display: flex; gap: 6px; flex-wrap: wrap; }
.ijm-room-main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2.3fr); gap: 8px; }
.ijm-room-views { min-width: 0; }
.ijm-console .ijm-figure { max-height: max(150px, calc(100vh - 790px)); }
.ijm-console .v-card__title { padding: 4px 12px; font-size: 20px; }
.ijm-console .v-card__text { padding: 4px 12px; }
@media (max-width: 1000px) { .ijm-room-main, .ijm-projector { grid-template-columns: minmax(0, 1fr); } }
.ijm-room table { border-collapse: collapse; font-size: 16px; }
.ijm-room td, .ijm-room th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left;
  overflow-wrap: anywhere; hyphens: auto; }
@media (max-width: 480px) {
  .ijm-room td, .ijm-room th { padding: 3px 4px; font-size: 15px; }
  .ijm-room-layout .v-card__text, .ijm-room-layout .v-card__title { padding-left: 8px; padding-right: 8px; }
}
.ijm-room h2 { font-size: 22px; margin: 8px 0; }
.ijm-vote { border: 3px solid #1a5fb4; border-radius: 8px; padding: 12px; margin: 8px 0; font-size: 17px; }
.ijm-countdown { font-size: 22px; font-weight: 700; }
.ijm-leave.v-btn { color: #a61b1b !important; }
.ijm-leave-confirm.v-btn { background-color: #a61b1b !important; color: #ffffff !important; }
"""


def number(value: float, lang: str, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals (a count as a whole number), with a decimal comma in Dutch."""
    text = str(value) if isinstance(value, int) else f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def console_url(code: str, key: str) -> str:
    """The facilitator's console of room ``code`` (a path on this server): the only URL with its key."""
    return f"/?{urlencode({'room': code, 'key': key})}"


def room_overrides(rule: str, initial_trust: float) -> tuple[str, ...]:
    """The overrides of ``conf/config.yaml`` that the console's form sets."""
    return (f"governance={rule}", f"trust.initial={initial_trust}")


def query(search: str | None) -> dict[str, str]:
    """The URL's query parameters, one value each."""
    return {k: v[0] for k, v in parse_qs(search or "").items()}


def language_of(params: dict[str, str]) -> str:
    """The page's language from its address (``lang=``), so that a reload or a restart keeps it."""
    lang = params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def address(path: str, params: dict[str, str], lang: str) -> str:
    """``path`` with the query ``params`` and the page's language."""
    return f"{path}?{urlencode({**params, 'lang': lang})}"


def decided_month(room: Room) -> int:
    """The month the pages show: the month being decided while a vote is open, else the last played.

    The log records a vote in the month it decides, so the console, the players' pages
    and the log name the same month for the same vote.
    """
    return room.open[0].month if room.open else room.month


def table(rows: list[list[str]], header: list[str], test_id: str) -> str:
    """An HTML table of already escaped cells."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table data-testid="{test_id}"><tr>{head}</tr>{body}</table>'


def use_room(room: Room | None) -> int:
    """Re-render when ``room`` changes, and each second while a vote is open; return a tick."""
    tick, set_tick = solara.use_state(0)

    def follow(cancel):
        seen = -1
        while room is not None and not cancel.is_set():
            seen = room.wait(seen, 1.0)
            left = room.seconds_left()
            set_tick(hash((seen, None if left is None else int(left))))

    solara.use_thread(follow, dependencies=[room], intrusive_cancel=False)
    return tick


@solara.component
def Header(title: str, lang: str):
    """The page's title, its language (also ``<html lang>``) and the language switch.

    The switch writes the language into the page's address (``lang=``): a reload, a
    restart of the server and every link the page makes keep it.
    """
    router = solara.use_router()

    def switch(text: str):
        chosen = text.lower()
        if chosen in LANGUAGES:
            params = {k: v for k, v in query(router.search).items() if k != "lang"}
            router.push(address(router.path, params, chosen))

    solara.Style(CSS)
    solara.Title(title)
    DocumentLanguage.element(lang=lang)
    with solara.Row(style={"align-items": "center", "padding": "8px"}):
        solara.HTML(tag="h1", unsafe_innerHTML=html.escape(title), style={"font-size": "26px"})
        solara.ToggleButtonsSingle(value=lang.upper(), values=[x.upper() for x in LANGUAGES],
                                   on_value=switch, classes=["ijm-language"],
                                   style={"margin-left": "auto"})


def question_text(room: Room, question: Question, lang: str) -> str:
    """The question's kind and, for an initiative, its opgave and number."""
    kind = label(f"room.kind.{question.kind}", lang)
    if question.initiative < 0:
        return kind
    initiative = room.shown.initiatives[question.initiative]
    return f"{kind}: {opgave_name(room.shown, initiative.opgave, lang)} (#{question.initiative})"


def vote_word(question_kind: str, vote: bool, lang: str) -> str:
    """For/against, or leave/stay for turning away and leaving."""
    if question_kind in (TURN_AWAY, LEAVE):
        return label("room.leave" if vote else "room.stay", lang)
    return label("room.for" if vote else "room.against", lang)


# -- the facilitator's console ---------------------------------------------------------------


@solara.component
def OpenRoomForm(lang: str, token: str, on_open):
    """Rule, trust at the start, seed, round length, vote time; opens a room with the ``token``."""
    start = solara.use_memo(default_settings, [])
    defaults = solara.use_memo(workshop_defaults, [])
    rule = solara.use_reactive(start.governance)
    trust = solara.use_reactive(float(start.initial_trust))
    seed = solara.use_reactive(str(start.seed))
    years = solara.use_reactive(int(defaults["years"]))
    vote_seconds = solara.use_reactive(int(defaults["vote_seconds"]))
    problem = solara.use_reactive("")
    names = rule_menu(lang)

    def open_room():
        try:
            room = server_rooms().open(
                room_overrides(rule.value, trust.value),
                seed=int(str(seed.value).strip()), token=token, years=int(years.value),
                vote_seconds=int(vote_seconds.value))
        except RoomRefused as error:
            problem.set(label("room.refused", lang, detail=str(error)))
            return
        except (ValueError, ConfigError) as error:
            problem.set(label("room.bad_settings", lang, detail=str(error)))
            return
        on_open(room)

    with solara.Card(label("room.open", lang), classes=["ijm-open-form"]):
        Select(label("governance", lang), list(names), rule_title(rule.value, lang),
               lambda text: rule.set(names.get(text, rule.value)), "room-rule")
        solara.SliderFloat(f"{label('initial_trust', lang)}: {number(trust.value, lang)}", value=trust,
                           min=0.0, max=1.0, step=0.05)
        solara.InputText(label("seed", lang), value=seed, classes=["ijm-room-seed"])
        solara.Text(label("room.years", lang))
        solara.ToggleButtonsSingle(value=years, values=[1, 2, 3, 5, 10], classes=["ijm-room-years"])
        solara.Text(label("room.vote_seconds", lang))
        solara.ToggleButtonsSingle(value=vote_seconds, values=list(VOTE_SECONDS),
                                   classes=["ijm-room-vote-seconds"])
        solara.Button(label("room.open", lang), color="primary", on_click=open_room,
                      classes=["ijm-open-room"])
        if problem.value:
            solara.Error(problem.value)


def join_url(code: str) -> str:
    """The participants' address of room ``code``: ``$IJMOND_PUBLIC_URL`` or this page's host."""
    base = os.environ.get("IJMOND_PUBLIC_URL", "").rstrip("/")
    if not base:
        host = (solara.lab.headers.value or {}).get("host", ["127.0.0.1:8765"])
        base = f"http://{host[0] if isinstance(host, list) else host}"
    return f"{base}/join?{urlencode({'room': code})}"


@solara.component
def Projector(room: Room, tick: int, lang: str):
    """What the back row reads: the month, the vote's state and countdown, the code, QR and address."""
    url = join_url(room.code)
    qr = solara.use_memo(lambda: segno.make(url, error="m").svg_inline(scale=5, border=2), [url])
    month = month_text(decided_month(room), room.model.params.months, lang)
    solara.HTML(classes=["ijm-projector"], unsafe_innerHTML=(
        f'<div><p class="ijm-big" data-testid="room-month">{html.escape(month)}</p>'
        f'<p class="ijm-big" data-testid="room-state" role="status">'
        f"{html.escape(vote_state(room, lang))}</p>"
        f'<span data-testid="room-version" hidden>{room.version}</span></div>'
        f'<div><p class="ijm-join-label">{html.escape(label("room.code", lang))}</p>'
        f'<p class="ijm-code" data-testid="room-code">{room.code}</p>'
        f'<p class="ijm-join-url" data-testid="join-url">{html.escape(url)}</p></div>'
        f'<div class="ijm-qr" role="img" aria-label="{html.escape(label("room.qr", lang))}">{qr}</div>'))


@solara.component
def Seats(room: Room, tick: int, lang: str):
    """Who plays which council, whether they are connected, and who has voted."""
    rows = []
    cast = {key[3] for key in room.cast_so_far()}
    waiting = {q.council for q in room.open}
    for seat in room.seats:
        if not seat.taken:
            status = label("room.seat_free", lang)
        else:
            status = label("room.seat_here" if seat.pages else "room.seat_away", lang)
        voted = (label("room.to_vote", lang) if seat.council in waiting
                 else label("room.voted", lang) if seat.council in cast else "")
        rows.append([html.escape(room.councils[seat.council]), status, voted])
    with solara.Card(label("room.seats", lang)):
        solara.HTML(unsafe_innerHTML=table(rows, ["", "", ""], "seats"), classes=["ijm-room"])


@solara.component
def Clock(room: Room, tick: int, lang: str):
    """Play, pause, one month, to the next decision, close the vote, speed, vote time, reveal."""
    with solara.Card(label("clock", lang)):
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            solara.Button(label("pause" if room.playing else "play", lang), color="primary",
                          on_click=room.pause if room.playing else room.play,
                          disabled=room.ended, classes=["ijm-room-play"])
            solara.Button(label("step", lang), outlined=True, on_click=room.step,
                          disabled=room.ended or bool(room.open), classes=["ijm-room-step"])
            solara.Button(label("room.next_decision", lang), color="primary",
                          on_click=room.next_decision, disabled=room.ended or bool(room.open),
                          classes=["ijm-room-next"])
            solara.Button(label("room.close_vote", lang), outlined=True, on_click=room.close_vote,
                          disabled=not room.open, classes=["ijm-room-close"])
        solara.Text(label("room.month_seconds", lang))
        solara.ToggleButtonsSingle(value=room.month_seconds, values=list(MONTH_SECONDS),
                                   on_value=room.set_speed)
        solara.Text(label("room.vote_seconds", lang))
        solara.ToggleButtonsSingle(value=int(room.vote_seconds), values=list(VOTE_SECONDS),
                                   on_value=room.set_vote_seconds, classes=["ijm-clock-vote-seconds"])
        with solara.Div(classes=["ijm-room-reveal"]):
            solara.Checkbox(label=label("room.reveal", lang), value=room.reveal,
                            on_value=room.set_reveal)


def vote_state(room: Room, lang: str) -> str:
    """The vote's state in words: the round over, no vote, the seconds left, or waiting for players."""
    left = room.seconds_left()
    if room.ended:
        return label("room.round_over", lang)
    if not room.open:
        return label("room.no_vote", lang)
    if left is None:
        return label("room.vote_waiting", lang)
    return label("room.vote_open", lang, seconds=int(left))


def log_rows(room: Room, lang: str, councils: set[int] | None = None) -> list[list[str]]:
    """The log's decisions (of ``councils`` only, if given), newest first."""
    rows = []
    for entry in reversed(room.log):
        if councils is not None and entry.council not in councils:
            continue
        question = Question(entry.month, entry.kind, entry.initiative, entry.council, entry.own)
        by = ("room.by_agent" if entry.by != SEAT else "room.by_choice" if entry.kind == LEAVE
              else "room.by_seat")
        rows.append([str(entry.month), html.escape(room.councils[entry.council]),
                     html.escape(question_text(room, question, lang)),
                     vote_word(entry.kind, entry.vote, lang), label(by, lang)])
    return rows


@solara.component
def DebriefView(room: Room, month: int, lang: str):
    """The room's run beside the model's own councils on the same seed, up to ``month``."""
    result = solara.use_memo(lambda: debrief(room), [room, month])
    rows = [[label(key, lang), number(ours, lang), number(theirs, lang)]
            for key, ours, theirs in result.rows]
    rows += [[html.escape(label("room.benefit", lang, council=name)), number(ours, lang),
              number(theirs, lang)] for name, ours, theirs in result.benefit]
    rows += [[f"{html.escape(name)} {label('turned_away', lang)}", str(ours or "-"), str(theirs or "-")]
             for name, ours, theirs in result.turned_away]
    with solara.Card(label("room.debrief", lang), classes=["ijm-debrief"]):
        solara.Text(label("room.debrief_caption", lang))
        solara.HTML(unsafe_innerHTML=table(
            rows, ["", label("room.this_room", lang), label("room.agents", lang)], "debrief"),
            classes=["ijm-room"])
        solara.HTML(tag="p", unsafe_innerHTML=label("room.differing", lang, count=result.differing,
                                                    total=result.cast))


@solara.component
def Console(code: str, key: str, lang: str):
    """The facilitator's view of one room, for the holder of its facilitator ``key`` only."""
    room = server_rooms().get(code)
    tick = use_room(room)
    view = solara.use_reactive("room")
    if room is None:
        solara.Error(label("room.unknown", lang, code=code))
        return
    if not room.is_facilitator(key):
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(label("room.console_locked", lang, code=room.code)),
                    attributes={"data-testid": "console-locked", "role": "alert"})
        return
    with solara.Div(classes=["ijm-console"]):
        with Boundary("projector", lang, tick):
            Projector(room, tick, lang)
        with solara.Div(classes=["ijm-views"],
                        attributes={"role": "group", "aria-label": label("room.views", lang)}):
            for name in CONSOLE_VIEWS:
                solara.Button(label(f"room.view.{name}", lang), on_click=lambda n=name: view.set(n),
                              outlined=view.value != name, color="primary",
                              attributes={"aria-pressed": str(view.value == name).lower()},
                              classes=[f"ijm-view-{name}"])
        with Boundary(view.value, lang, tick):
            if view.value == "log":
                LogView(room, tick, lang)
            elif view.value == "debrief":
                DebriefView(room, room.month, lang)
            else:
                RoomView(room, tick, lang)


@solara.component
def RoomView(room: Room, tick: int, lang: str):
    """The console's first view: seats and clock beside the room's tiles, figures and board."""
    with solara.Div(classes=["ijm-room-main"]):
        with solara.Div(classes=["ijm-room-side"]):
            Clock(room, tick, lang)
            Seats(room, tick, lang)
            if room.open:
                rows = [[html.escape(room.councils[q.council]),
                         html.escape(question_text(room, q, lang))] for q in room.open]
                solara.HTML(unsafe_innerHTML=table(rows, ["", ""], "open-questions"),
                            classes=["ijm-room"])
            solara.Text(label("room.key_hint", lang), classes=["ijm-key-hint", "ijm-caption"])
        with solara.Div(classes=["ijm-room-views"]):
            RoomViews(room, room.version, lang, timeline=False)


@solara.component
def LogView(room: Room, tick: int, lang: str):
    """The console's log view: every decision of the played councils, and the model's timeline."""
    with solara.Div(classes=["ijm-room-main"]):
        with solara.Card(label("room.log", lang)):
            solara.FileDownload(lambda: log_csv(room), filename=f"room-{room.code}-log.csv",
                                label=label("room.export_log", lang))
            solara.HTML(unsafe_innerHTML=table(log_rows(room, lang), ["", "", "", "", ""], "log"),
                        classes=["ijm-room"])
        RoomTimeline(room, room.version, lang)


@solara.component
def ConsolePage():
    """``/``: open a room (``?token=`` the facilitator's token), or run the room in ``?room=CODE&key=KEY``."""
    router = solara.use_router()
    params = query(router.search)
    lang = language_of(params)
    token = params.get("token", "")
    Header(label("room.console", lang), lang)
    with Boundary("console", lang):
        if params.get("room"):
            Console(params["room"], params.get("key", ""), lang)
        elif not server_rooms().admits(token):
            solara.HTML(tag="p", unsafe_innerHTML=html.escape(label("room.token_needed", lang)),
                        attributes={"data-testid": "token-needed", "role": "alert"})
        else:
            OpenRoomForm(lang, token, on_open=lambda room: router.push(
                f"{console_url(room.code, room.facilitator_key)}&lang={lang}"))


# -- the participant's view ----------------------------------------------------------------------


@solara.component
def VotePanel(room: Room, token: str, question: Question, tick: int, lang: str):
    """One open question: what it brings, what it costs, what the rule means, and the buttons."""
    brief = vote_brief(room.shown, question)
    lines = []
    if question.kind == TURN_AWAY:
        lines += [label("room.turn_away_advice", lang),
                  label("room.outside", lang, value=number(brief.outside_option, lang)),
                  label("room.follow", lang, value=number(brief.follow_through, lang))]
    else:
        partners = ", ".join(room.councils[j] for j in brief.partners)
        lines += [f"{label('with', lang)} {partners}",
                  label("room.local_gain", lang, value=number(brief.local_gain, lang)),
                  label("room.regional_gain", lang, value=number(brief.regional_gain, lang)),
                  label("room.cost", lang, value=number(brief.cost, lang)),
                  label("room.sunk", lang, value=number(brief.sunk, lang)),
                  label("room.units", lang),
                  label("room.follow", lang, value=number(brief.follow_through, lang)),
                  label("room.overrulable" if brief.overrulable else "room.veto", lang)]
        if brief.mandate:
            lines.append(label("room.mandate", lang))
    lines.append(label("room.exit_cost", lang, value=number(brief.exit_cost, lang)))

    def cast(vote: bool):
        try:
            room.cast(token, question.key, vote)
        except SeatProblem:
            pass  # the vote closed meanwhile; the page shows the next state

    with solara.Div(classes=["ijm-vote"]):
        solara.HTML(tag="h2", unsafe_innerHTML=html.escape(question_text(room, question, lang)))
        solara.HTML(unsafe_innerHTML="".join(f"<div>{html.escape(x)}</div>" for x in lines))
        solara.HTML(unsafe_innerHTML=f'<div class="ijm-countdown" data-testid="countdown">'
                                     f'{html.escape(vote_state(room, lang))}</div>')
        with solara.Row():
            solara.Button(vote_word(question.kind, True, lang), color="primary",
                          on_click=lambda: cast(True), classes=["ijm-vote-yes"])
            solara.Button(vote_word(question.kind, False, lang), color="secondary",
                          on_click=lambda: cast(False), classes=["ijm-vote-no"])


@solara.component
def LeavePanel(room: Room, token: str, council: int, tick: int, lang: str):
    """Leaving the region by the player's choice: when it can, what it costs, confirmed before it counts."""
    confirming = solara.use_reactive(False)
    leaving, month = room.leaving(council), room.leave_month(council)
    if leaving is not None:
        solara.Info(label("room.leaving", lang, month=leaving), classes=["ijm-leaving"])
        return
    if month is None:
        return
    model = room.shown
    brief = vote_brief(model, Question(month, TURN_AWAY, -1, council, False))
    voluntary = [i for i in open_initiatives(model, council) if not model.region.statutory[i.opgave]]
    lines = [label("room.leave_when", lang, month=month),
             label("room.outside", lang, value=number(brief.outside_option, lang)),
             label("room.follow", lang, value=number(brief.follow_through, lang)),
             label("room.exit_cost", lang, value=number(brief.exit_cost, lang)),
             label("room.leave_drops", lang, count=len(voluntary))]

    def leave():
        try:
            room.leave(token)
        except SeatProblem:
            pass  # the moment passed meanwhile; the page shows the new state

    with solara.Card(label("room.leave_title", lang), classes=["ijm-leave-panel"]):
        solara.HTML(unsafe_innerHTML="".join(f"<div>{html.escape(x)}</div>" for x in lines))
        solara.Button(label("room.leave_button", lang), outlined=True,
                      on_click=lambda: confirming.set(True), classes=["ijm-leave"])
        solara.lab.ConfirmationDialog(
            confirming, title=label("room.leave_confirm_title", lang),
            content=label("room.leave_confirm", lang, month=month), on_ok=leave,
            ok=solara.Button(label("room.leave_ok", lang), classes=["ijm-leave-confirm"]),
            cancel=solara.Button(label("room.cancel", lang), text=True, classes=["ijm-leave-cancel"]))


def trust_rows(facts: CouncilFacts, lang: str) -> list[list[str]]:
    """Per partner: the council's own trust (exact) and the partner's trust in it as far as it can tell."""
    rows = []
    for name, own in facts.trust_in.items():
        seen = facts.trusted_by[name]
        band = label(f"room.band.{seen.band}", lang)
        rows.append([html.escape(name), number(own, lang),
                     html.escape(label("room.band_events", lang, band=band, n=seen.events))])
    return rows


def rule_brief(rule, lang: str) -> str:
    """The rule in force in plain words (its name alone for a rule the table does not explain)."""
    name = rule_title(rule.key, lang)
    brief = label(f"rule_brief.{rule.key}", lang, default="")
    return label("room.rule_in_force", lang, rule=f"{name}: {brief}" if brief else name)


def briefing_lines(model, interests: tuple[float, ...], lang: str) -> list[str]:
    """The player's briefing: the rule, their council's interests, the amounts, the words."""
    top = sorted(range(len(interests)), key=lambda k: -interests[k])[:2]
    return [rule_brief(model.rule, lang),
            label("room.your_interests", lang,
                  opgaven=", ".join(opgave_name(model, k, lang) for k in top)),
            label("room.amounts", lang), label("glossary", lang)]


@solara.component
def Briefing(model, interests: tuple[float, ...], lang: str):
    """How the game works, for the player: the rule, their interests, the amounts, the phases."""
    phases = "".join(f"<li><b>{html.escape(label(f'phase.{p.value}', lang))}</b>: "
                     f"{html.escape(label(f'room.phase_help.{p.value}', lang))}</li>" for p in Phase)
    with solara.Card(label("room.briefing", lang), classes=["ijm-briefing"]):
        solara.HTML(unsafe_innerHTML="".join(f"<p>{html.escape(line)}</p>"
                                             for line in briefing_lines(model, interests, lang))
                    + f"<p>{html.escape(label('room.phases', lang))}</p><ul>{phases}</ul>")


@solara.component
def CouncilView(room: Room, token: str, tick: int, lang: str):
    """The participant's council: votes, leaving, facts, trust, initiatives and their own log."""
    seat = room.seat_of(token)
    council = seat.council
    model = room.shown
    edges = solara.use_memo(lambda: tuple(workshop_defaults()["trust_band_edges"]), [])
    facts = council_facts(model, council, edges)
    month = month_text(decided_month(room), model.params.months, lang)
    solara.HTML(tag="h2", unsafe_innerHTML=html.escape(label("room.you_play", lang, council=facts.name))
                + f' <span data-testid="participant-month">{month}</span>'
                + f'<span data-testid="room-version" hidden>{room.version}</span>',
                attributes={"data-testid": "you-play"})
    if not facts.active:
        solara.Warning(label("room.left", lang))
    mine = [q for q in room.open if q.council == council]
    for question in mine:
        VotePanel(room, token, question, tick, lang)
    cast = room.cast_so_far() if room.open else {}
    for (month, kind, uid, who), vote in cast.items():
        if who == council:
            text = question_text(room, Question(month, kind, uid, who, vote), lang)
            solara.HTML(unsafe_innerHTML=html.escape(
                f"{text}. {label('room.your_vote', lang, vote=vote_word(kind, vote, lang))}"),
                classes=["ijm-voted"])
    if not mine:
        solara.Info(label("room.round_over" if room.ended else "room.wait", lang))
    if room.reveal and room.open:
        others = [[html.escape(room.councils[who]),
                   html.escape(question_text(room, Question(month, kind, uid, who, vote), lang)),
                   vote_word(kind, vote, lang)]
                  for (month, kind, uid, who), vote in cast.items() if who != council]
        others += [[html.escape(room.councils[q.council]), html.escape(question_text(room, q, lang)),
                    label("room.to_vote", lang)] for q in room.open if q.council != council]
        if others:
            solara.HTML(tag="h2", unsafe_innerHTML=label("room.others_votes", lang))
            solara.HTML(unsafe_innerHTML=table(others, ["", "", ""], "others"), classes=["ijm-room"])
    interest_rows = [[html.escape(opgave_name(model, k, lang)), number(w, lang)]
                     for k, w in enumerate(facts.interests) if w > 0]
    deciding = {q.initiative: label(f"room.kind.{q.kind}", lang) for q in mine}
    initiative_rows = [[f"#{i.uid}", html.escape(opgave_name(model, i.opgave, lang)),
                        html.escape(label("room.deciding_now", lang, phase=deciding[i.uid])
                                    if i.uid in deciding else label(f"phase.{i.phase.value}", lang)),
                        html.escape(", ".join(room.councils[j] for j in i.participants.tolist()
                                              if j != council))]
                       for i in open_initiatives(model, council)]
    Briefing(model, facts.interests, lang)
    with solara.Div(classes=["ijm-council-facts"]):
        with solara.Card(f"{label('room.population', lang)}: {facts.population:,}".replace(",", ".")):
            solara.HTML(unsafe_innerHTML=table(
                trust_rows(facts, lang), ["", label("room.trust_in", lang), label("room.trusted_by", lang)],
                "trust"), classes=["ijm-room"])
            solara.Text(label("room.trusted_by_caption", lang), classes=["ijm-caption"])
            solara.HTML(tag="h2", unsafe_innerHTML=label("room.interests", lang))
            solara.HTML(unsafe_innerHTML=table(interest_rows, ["", ""], "interests"), classes=["ijm-room"])
        with solara.Card(label("room.initiatives", lang)):
            solara.HTML(unsafe_innerHTML=table(initiative_rows, ["", "", "", ""], "initiatives")
                        if initiative_rows else label("room.none", lang), classes=["ijm-room"])
    LeavePanel(room, token, council, tick, lang)
    with solara.Card(label("room.log", lang)):
        solara.HTML(unsafe_innerHTML=table(log_rows(room, lang, {council}), ["", "", "", "", ""], "my-log"),
                    classes=["ijm-room"])


@solara.component
def ParticipantPage():
    """``/join``: enter a code, take a free council, then play it (``?room=CODE&seat=TOKEN``)."""
    router = solara.use_router()
    params = query(router.search)
    lang = language_of(params)
    code, token = params.get("room", ""), params.get("seat", "")
    room = server_rooms().get(code)
    typed = solara.use_reactive(code)
    tick = use_room(room)

    def presence():
        if room is None or not token:
            return None
        try:
            room.connect(token)
        except SeatProblem:
            return None
        return lambda: room.disconnect(token)

    solara.use_effect(presence, [code, token])
    Header(label("room.join", lang), lang)
    if room is None:
        with solara.Card(label("room.join", lang)):
            if code:
                solara.Error(label("room.unknown", lang, code=code))
            solara.InputText(label("room.enter_code", lang), value=typed, classes=["ijm-join-code"])
            solara.Button(label("room.go", lang), color="primary", classes=["ijm-join-go"],
                          on_click=lambda: router.push(
                              address("/join", {"room": typed.value.strip().upper()}, lang)))
        return
    if token and room.seat_of(token) is not None:
        with Boundary("council", lang, tick):
            CouncilView(room, token, tick, lang)
        return

    def take(council: int | None):
        try:
            _, new = room.take_seat(council)
        except SeatProblem:
            return
        router.push(address("/join", {"room": room.code, "seat": new}, lang))

    with solara.Card(label("room.choose", lang), classes=["ijm-choose"]):
        if token:
            solara.Warning(label("room.seat_lost", lang))
        for seat in room.seats:
            solara.Button(room.councils[seat.council], disabled=seat.taken, color="primary",
                          on_click=lambda c=seat.council: take(c),
                          classes=[f"ijm-seat-{room.councils[seat.council]}"],
                          style={"margin": "4px"})
        solara.Button(label("room.any", lang), outlined=True, on_click=lambda: take(None),
                      disabled=all(seat.taken for seat in room.seats), classes=["ijm-seat-any"],
                      style={"margin": "4px"})


@solara.component
def Layout(children=None):
    """No navigation between the two pages (a participant never sees the console's link); one ``<main>``."""
    solara.v.Html(tag="main", children=children or [], class_="ijm-room-layout")


def guard_diagnostics(rooms: Rooms) -> None:
    """Solara's diagnostic page ``/resourcez`` answers only to the facilitator's token, else 404.

    The token comes as ``?token=`` or as ``Authorization: Bearer`` (with which Solara
    also shows its full breakdown). ``/readyz`` (alive or not) stays open.
    """
    from solara.server import settings, starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    settings.main.resourcez_token = rooms.token
    routes = starlette.app.router.routes
    for index, route in enumerate(routes):
        if getattr(route, "path", None) == "/resourcez" and not getattr(route.endpoint, "guarded", False):
            async def guarded(request, endpoint=route.endpoint):
                given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
                if rooms.admits(request.query_params.get("token") or given):
                    return await endpoint(request)
                return PlainTextResponse("Not Found", status_code=404)
            guarded.guarded = True
            routes[index] = Route("/resourcez", endpoint=guarded)


if "solara.server.starlette" in sys.modules:  # loaded by the server (not by a test or a script)
    guard_diagnostics(server_rooms())

routes = [
    solara.Route(path="/", component=ConsolePage, label="console", layout=Layout),
    solara.Route(path="join", component=ParticipantPage, label="join"),
]
