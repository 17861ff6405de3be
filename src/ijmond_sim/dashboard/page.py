"""The workshop dashboard's page: Solara components, one model per viewer, offline.

Start it with ``make workshop`` (that is ``solara run ijmond_sim.dashboard.page --host 127.0.0.1
--port 8765 --production``) and open http://127.0.0.1:8765 . Every front-end asset is
installed locally by ``scripts/install_frontend.sh``; nothing is fetched at run time.

:func:`Page` builds one :class:`~ijmond_sim.dashboard.timeline.Recording` (model, a
snapshot per month, the events) per browser session (``solara.use_memo`` /
``solara.use_reactive``), never one per module, so two people on two laptops never
see each other's simulation. The components only lay out what
:mod:`ijmond_sim.dashboard.views` draws and call back into the clock; settings and
models come from :mod:`ijmond_sim.dashboard.settings`.

Room for a participatory mode: the views take a snapshot and the language and own
no state, and the clock (:func:`ClockControls`) only calls back. A facilitator page
could own the clock of a room recording (kept on purpose in a registry keyed by a
room code, unlike now) while each participant's page renders the same views plus a
panel for the one council they play.
"""

from __future__ import annotations

import html
import logging
import os
import threading
import time
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

import ipyvue
import solara
import solara.server.settings
import traitlets

from ijmond_sim.dashboard import views
from ijmond_sim.dashboard.boundary import Boundary
from ijmond_sim.dashboard.labels import DEFAULT_LANGUAGE, LANGUAGES, label, number, rule_menu, rule_name
from ijmond_sim.dashboard.settings import (
    BOUNDS,
    YEARS,
    InputProblem,
    Settings,
    build_model,
    compared_rule,
    default_settings,
    outside_option_councils,
    parse_seed,
    region_councils,
    region_names,
    reproduce_command,
    settings_from_mapping,
    settings_from_yaml,
    settings_query,
    settings_yaml,
)
from ijmond_sim.dashboard.timeline import Recording, select
from ijmond_sim.model.governance import RULES, rule_label
from ijmond_sim.run.measures import initiative_log

LOG = logging.getLogger(__name__)

# A workshop day: a tab whose laptop sleeps through lunch (up to an hour and a half) finds
# its run again; a tab closed for good frees its model after that, not after Solara's 24 h.
KERNEL_CULL_TIMEOUT = "90m"
if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
    solara.server.settings.kernel.cull_timeout = KERNEL_CULL_TIMEOUT
# No "runs on Solara" badge over the board and the axes.
solara.server.settings.theme.show_banner = False

# Seconds between months while playing; 0 = as fast as the page can draw.
SPEEDS = {"speed_slow": 1.0, "speed_normal": 0.25, "speed_fast": 0.0}
EVENTS_SHOWN = 40  # the latest events in the timeline; the export holds them all
# (setting, low, high, step): each slider's ends come from the declaration of the key it sets.
# Fine steps: every default of conf/ (calibrated to two digits) must be a position of its slider.
SLIDERS = tuple((name, *BOUNDS[name], step) for name, step in
                (("initial_trust", 0.01), ("fall_ratio", 0.1), ("outside_option", 0.01)))


class DocumentLanguage(ipyvue.VueTemplate):
    """Sets ``<html lang>`` to the page's language, so screen readers pronounce it right.

    It also lets the viewer zoom: Solara's page template forbids it in its viewport tag.
    """

    template = traitlets.Unicode("""
<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    document.documentElement.lang = this.lang;
    const viewport = document.querySelector('meta[name="viewport"]');
    if (viewport) viewport.setAttribute("content", "width=device-width, initial-scale=1");
  },
  watch: { lang(value) { document.documentElement.lang = value; } },
};
</script>
""").tag(sync=True)
    lang = traitlets.Unicode(DEFAULT_LANGUAGE).tag(sync=True)


class NativeSelect(ipyvue.VueTemplate):
    """A labelled HTML ``<select>``, friendly to keyboards and screen readers.

    Vuetify 2's v-select nests a button and an input, which axe-core reports as a serious
    violation (nested-interactive).
    """

    template = traitlets.Unicode("""
<template>
  <label class="ijm-select"><span>{{ label }}</span>
    <select v-model="value">
      <option v-for="(item, i) in items" :key="i" :value="item">{{ item }}</option>
    </select>
  </label>
</template>
""").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    items = traitlets.List(traitlets.Unicode()).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)


class PresetInput(ipyvue.VueTemplate):
    """A labelled file chooser that reads a small text file (a preset) in the browser."""

    template = traitlets.Unicode("""
<template>
  <label class="ijm-select"><span>{{ label }}</span>
    <input type="file" accept=".yaml,.yml,text/yaml,text/plain" @change="read">
  </label>
</template>
<script>
module.exports = {
  methods: {
    read(event) {
      const file = event.target.files[0];
      if (file) file.text().then(text => { this.content = text; });
    },
  },
};
</script>
""").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    content = traitlets.Unicode("").tag(sync=True)


def Select(label_text: str, values: list[str], value: str, on_value, name: str):
    """A :class:`NativeSelect` in a ``div`` of class ``ijm-<name>`` (the tests find it by that)."""
    with solara.Div(classes=[f"ijm-{name}"]):
        NativeSelect.element(label=label_text, items=list(values), value=value, on_value=on_value)


class FrameGate:
    """Lets the play loop wait until the page has drawn the month it just stepped to.

    Without it the loop would race through all months in a fraction of a second and
    the page would jump to the end: playing must show every month.
    """

    def __init__(self) -> None:
        self._drawn = -1
        self._changed = threading.Condition()

    def drawn(self, tick: int) -> None:
        """Record that the page has drawn ``tick`` (called after each render)."""
        with self._changed:
            self._drawn = max(self._drawn, tick)
            self._changed.notify_all()

    def wait(self, tick: int, timeout: float = 5.0) -> bool:
        """Block until ``tick`` is drawn (or ``timeout`` seconds pass); True if drawn."""
        with self._changed:
            return self._changed.wait_for(lambda: self._drawn >= tick, timeout)


def start_from_url(search: str | None) -> tuple[Settings, str, str, InputProblem | None]:
    """What a URL's query asks for (``?region=ijmond&governance=binding&seed=7&lang=en&compare=mayoral``).

    Returns:
        The settings (the defaults if a value is unreadable or out of bounds), the language,
        the rule to compare with (``""``: none, or an unknown one), and the problem found.
    """
    query = parse_qs(search or "", keep_blank_values=True)
    lang = (query.get("lang") or [DEFAULT_LANGUAGE])[0]
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    compare, problem = "", None
    try:
        compare = compared_rule(query)
    except InputProblem as bad:
        problem = bad
    try:
        settings = settings_from_mapping(query)
        parse_seed(settings.seed)
    except InputProblem as bad:
        return default_settings(), lang, compare, bad
    return settings, lang, compare, problem


@dataclass(frozen=True)
class Run:
    """What the page shows, replaced as one value so that no render sees half of a change.

    Attributes:
        recording: the run.
        settings: what it was built from.
        rival: the same settings and seed under rule ``compare``, stepped together (None: none).
        compare: the compared rule's key (``""`` exactly when ``rival`` is None).
    """

    recording: Recording
    settings: Settings
    rival: Recording | None = None
    compare: str = ""


def new_run(settings: Settings, compare: str) -> Run:
    """A fresh :class:`Run` of ``settings``, compared with rule ``compare`` unless it is ``""``.

    Raises:
        InputProblem: if a setting is unusable.
    """
    rival = Recording(build_model(replace(settings, governance=compare))) if compare else None
    return Run(Recording(build_model(settings)), settings, rival, compare)


@solara.component
def StatusBar(recording: Recording, month: int | None, tick: int, lang: str,
              compact: bool = False):
    """Month, counts, trust and rule as tiles (``compact``: one row, for two runs side by side)."""
    solara.HTML(unsafe_innerHTML=views.status_html(recording.at(month), lang, compact),
                classes=["ijm-status-bar"])


@solara.component
def TrustNetworkView(recording: Recording, month: int | None, tick: int, lang: str):
    """The trust network between the councils, with its words and its table."""
    region = recording.model.region
    network = solara.use_memo(
        lambda: views.NetworkFigure(region.councils, region.population, lang), [recording, lang])
    snapshot = recording.at(month)
    content = solara.use_memo(
        lambda: views.figure_html(network.paint(snapshot), views.network_alt(snapshot, lang),
                                  views.network_table(snapshot, lang), lang, "network"),
        [recording, snapshot.month, tick, lang])
    with solara.Div(classes=["ijm-panel", "ijm-network"]):
        solara.HTML(tag="h2", unsafe_innerHTML=label("network_title", lang))
        solara.HTML(unsafe_innerHTML=content)
        solara.HTML(tag="p", unsafe_innerHTML=label("network_caption", lang),
                    classes=["ijm-caption"])


@solara.component
def HistoryView(recording: Recording, month: int | None, tick: int, lang: str):
    """Mean trust and completed and stranded initiatives over time, with its table."""
    history = solara.use_memo(
        lambda: views.HistoryFigure(recording.model.params.months,
                                    recording.snapshots[0].measures["mean_trust"], lang),
        [recording, lang])
    shown = recording.until(month)
    content = solara.use_memo(
        lambda: views.figure_html(history.paint(shown), views.history_alt(shown, lang),
                                  views.history_table(shown, lang), lang, "history"),
        [recording, len(shown), tick, lang])
    with solara.Div(classes=["ijm-panel", "ijm-history"]):
        solara.HTML(tag="h2", unsafe_innerHTML=label("history_title", lang))
        solara.HTML(unsafe_innerHTML=content)


@solara.component
def InitiativeBoard(recording: Recording, month: int | None, tick: int, lang: str):
    """The initiatives per opgave, by phase and outcome (in English, with the Dutch words explained)."""
    with solara.Div(classes=["ijm-panel", "ijm-board-card"]):
        solara.HTML(tag="h2", unsafe_innerHTML=label("board_title", lang))
        solara.HTML(unsafe_innerHTML=views.board_html(recording.at(month), lang))
        if lang != DEFAULT_LANGUAGE:  # the Dutch words the English page keeps, explained
            solara.Text(label("glossary", lang), classes=["ijm-caption", "ijm-glossary"])


@solara.component
def Timeline(recording: Recording, month: int | None, tick: int, lang: str, on_jump,
             rival: Recording | None = None):
    """Every event of the run so far in plain words, filterable, each one a jump to its month.

    With ``rival`` (a run compared on the same seed) the events of both runs are one
    list, month by month, each marked with its rule.
    """
    council = solara.use_reactive(None)
    opgave = solara.use_reactive(None)
    snapshot = recording.at(month)
    all_councils, all_opgaven = label("all_councils", lang), label("all_opgaven", lang)
    council_names = {name: i for i, name in enumerate(snapshot.councils)}
    opgave_names = {views.opgave_name(snapshot, k, lang): k for k in range(len(snapshot.opgaven))}
    runs = [recording] if rival is None else [recording, rival]
    tags = [views.rule_tag(run.at(month), lang) if rival is not None else "" for run in runs]
    chosen = sorted(((event, tag) for run, tag in zip(runs, tags, strict=True)
                     for event in select(run.events, council.value, opgave.value, snapshot.month)),
                    key=lambda pair: pair[0].month)
    with solara.Div(classes=["ijm-panel", "ijm-timeline"]):
        solara.HTML(tag="h2", unsafe_innerHTML=label("timeline_title", lang))
        with solara.Row(gap="6px", classes=["ijm-filters"]):
            Select(label("council_filter", lang), [all_councils, *council_names],
                   snapshot.councils[council.value] if council.value is not None else all_councils,
                   lambda text: council.set(council_names.get(text)), "council-filter")
            Select(label("opgave_filter", lang), [all_opgaven, *opgave_names],
                   next((n for n, k in opgave_names.items() if k == opgave.value), all_opgaven),
                   lambda text: opgave.set(opgave_names.get(text)), "opgave-filter")
        with solara.Div(classes=["ijm-events"], attributes={"data-testid": "timeline"}):
            if not chosen:
                solara.Text(label("no_events", lang))
            for event, tag in reversed(chosen[-EVENTS_SHOWN:]):
                with solara.Div(classes=["ijm-event"]):
                    solara.Button(f"{label('month', lang)} {event.month}", text=True, small=True,
                                  on_click=lambda m=event.month: on_jump(m),
                                  attributes={"aria-label": label("jump", lang, month=event.month)},
                                  classes=["ijm-jump"])
                    if tag:
                        solara.HTML(tag="span", classes=["ijm-event-rule"],
                                    unsafe_innerHTML=html.escape(tag))
                    solara.HTML(tag="span", classes=["ijm-event-text"], unsafe_innerHTML=(
                        f"{views.event_mark(event)} "
                        f"{html.escape(views.event_text(event, snapshot, lang))}"))
            if len(chosen) > EVENTS_SHOWN:
                solara.Text(label("more_events", lang, n=len(chosen) - EVENTS_SHOWN),
                            classes=["ijm-caption"])


@solara.component
def SettingsControls(draft: solara.Reactive[Settings], compare: solara.Reactive[str], lang: str,
                     initial_mean: float):
    """Region, rule and one to compare with, initial trust, fall ratio, outside option, years, seed."""
    settings = draft.value
    names = rule_menu(lang)
    none = label("compare_none", lang)
    regions, own = region_names(), label("own_region", lang)
    region_error, councils, chosen = None, {}, ()
    if settings.region:
        try:
            councils = region_councils(settings.region)
            chosen = outside_option_councils(settings.region)
        except InputProblem as problem:
            region_error = problem.message(lang)

    def set_field(name):
        return lambda value: draft.set(replace(draft.value, **{name: value}))

    def choose_region(region: str):
        """A new region starts from its file's outside option (the command line's run)."""
        try:
            option = max(region_councils(region).values()) if region else draft.value.outside_option
        except InputProblem:
            option = draft.value.outside_option  # the message shows below the field
        draft.set(replace(draft.value, region=region, outside_option=option))

    seed_error = None
    try:
        parse_seed(settings.seed)
    except InputProblem as problem:
        seed_error = problem.message(lang)
    with solara.Card(label("settings", lang)):
        Select(label("region", lang), [*regions, own],
               settings.region if settings.region in regions else own,
               lambda text: choose_region(text if text in regions else ""), "region")
        if settings.region not in regions:
            solara.InputText(label("region_path", lang), value=settings.region,
                             on_value=lambda text: choose_region(text.strip()),
                             continuous_update=False, error=region_error or False,
                             message=None if region_error else label("region_hint", lang),
                             classes=["ijm-region-path"])
        elif region_error:
            solara.Error(region_error, dense=True)
        Select(label("governance", lang), list(names), rule_name(RULES[settings.governance], lang),
               lambda text: set_field("governance")(names.get(text, settings.governance)),
               "governance")
        Select(label("compare", lang), [none, *names],
               rule_name(RULES[compare.value], lang) if compare.value else none,
               lambda text: compare.set(names.get(text, "")), "compare-rule")
        for name, low, high, step in SLIDERS:
            value = getattr(settings, name)
            with solara.Div(classes=[f"ijm-{name.replace('_', '-')}", "ijm-slider"]):
                solara.SliderFloat(f"{label(name, lang)}: {number(value, lang, 2)}", value=value,
                                   on_value=set_field(name), min=low, max=high, step=step)
            if name == "initial_trust":
                solara.Text(label("initial_trust_caption", lang,
                                  mean=number(initial_mean, lang)), classes=["ijm-caption"])
            if name == "outside_option" and chosen:
                solara.Text(label("outside_option_hint", lang,
                                  councils=views.joined(chosen, lang), n=len(chosen),
                                  total=len(councils)),
                            classes=["ijm-caption", "ijm-outside-option-hint"])
        with solara.Div(classes=["ijm-years", "ijm-slider"]):
            solara.SliderInt(f"{label('years', lang)}: {settings.years}", value=settings.years,
                             on_value=set_field("years"), min=YEARS[0], max=YEARS[1])
        solara.InputText(label("seed", lang), value=settings.seed, on_value=set_field("seed"),
                         continuous_update=True, error=seed_error or False,
                         message=None if seed_error else label("seed_hint", lang),
                         classes=["ijm-seed"])


@solara.component
def ClockControls(playing: bool, running: bool, speed: str, lang: str, on_play, on_step,
                  on_reset, on_speed, pending: bool, month: int | None, last: int, on_month):
    """Play or pause, one month on, start again, speed, and the month slider of the replay."""
    with solara.Card(label("clock", lang)):
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            solara.Button(label("pause" if playing else "play", lang),
                          icon_name="mdi-pause" if playing else "mdi-play", color="primary",
                          on_click=on_play, disabled=not running and not playing,
                          classes=["ijm-play"])
            solara.Button(label("step", lang), icon_name="mdi-step-forward", color="primary",
                          outlined=True, on_click=on_step, disabled=playing or not running,
                          classes=["ijm-step"])
            solara.Button(label("reset", lang), icon_name="mdi-restart", color="secondary",
                          on_click=on_reset, classes=["ijm-reset"])
        speeds = {label(k, lang): k for k in SPEEDS}
        solara.Text(label("speed", lang), classes=["ijm-caption"])
        solara.ToggleButtonsSingle(value=label(speed, lang), values=list(speeds),
                                   on_value=lambda text: on_speed(speeds.get(text, speed)),
                                   classes=["ijm-speed"])
        with solara.Div(classes=["ijm-replay", "ijm-slider"]):
            solara.SliderInt(label("replay", lang), value=last if month is None else month,
                             min=0, max=max(last, 1), on_value=on_month,
                             disabled=playing or last == 0)
        if month is not None:
            with solara.Row(gap="6px", classes=["ijm-replay-note"]):
                solara.Text(label("replay_note", lang, month=month))
                solara.Button(label("replay_live", lang), small=True, outlined=True,
                              on_click=lambda: on_month(last), classes=["ijm-live"])
        if pending:
            solara.Info(label("pending_settings", lang), dense=True)
        else:
            solara.Text(label("reset_hint", lang), classes=["ijm-caption"])


@solara.component
def ExportControls(run: Run, month: int | None, tick: int, lang: str, on_preset):
    """Pictures, tables, settings, the command that reproduces the run, a debrief; load a preset.

    The files are named after the month shown (``tick`` re-names them as the run goes on).
    With a rival (the run compared under rule ``run.compare``) the tables hold both runs
    (a ``governance`` column first), the preset and the page give both commands, and
    the debrief shows both runs side by side; each run's pictures have their own buttons.
    """
    recording, applied, rival, compare = run.recording, run.settings, run.rival, run.compare
    runs = [(recording, applied)]
    if rival is not None:
        runs.append((rival, replace(applied, governance=compare)))
    region = recording.model.region

    def network(run: Recording):
        return views.NetworkFigure(region.councils, region.population, lang).paint(run.at(month))

    def history(run: Recording):
        figure = views.HistoryFigure(run.model.params.months,
                                     run.snapshots[0].measures["mean_trust"], lang)
        return figure.paint(run.until(month))

    def events(run: Recording):
        return select(run.events, until=run.at(month).month)

    def table(rows_of):
        """One CSV of every run's rows (with the rule first when two are compared)."""
        rows = []
        for run, settings in runs:
            rows += (rows_of(run) if rival is None
                     else views.with_rule(rows_of(run), settings.governance))
        return views.csv_text(rows)

    def debrief():
        return views.debrief_html(
            [views.DebriefRun(run.until(month), events(run), network(run), history(run),
                              reproduce_command(settings)) for run, settings in runs], lang,
            region.name)

    snapshot = recording.at(month)
    commands = [reproduce_command(settings) for _, settings in runs]
    rules = "-".join(settings.governance for _, settings in runs)
    stem = f"ijmond-{rules}-seed{parse_seed(applied.seed)}-m{snapshot.month}"
    pictures = []
    for run, settings in runs:
        tag = "" if run is recording else f"-{settings.governance}"  # the compared run's pictures
        pictures += [
            ("export_network", f"network{tag}.svg", lambda run=run: views.svg(network(run)),
             "image/svg+xml"),
            ("export_network", f"network{tag}.png", lambda run=run: views.png(network(run)),
             "image/png"),
            ("export_history", f"history{tag}.svg", lambda run=run: views.svg(history(run)),
             "image/svg+xml"),
            ("export_history", f"history{tag}.png", lambda run=run: views.png(history(run)),
             "image/png"),
        ]
    files = (
        *pictures,
        ("export_months", "months.csv",
         lambda: table(lambda run: views.months_rows(run.until(month))), "text/csv"),
        ("export_initiatives", "initiatives.csv",
         lambda: table(lambda run: initiative_log(run.model)), "text/csv"),
        ("export_events", "events.csv",
         lambda: table(lambda run: views.events_rows(events(run), run.at(month), lang)),
         "text/csv"),
        ("export_settings", "settings.yaml", lambda: settings_yaml(applied, compare), "text/yaml"),
        ("export_debrief", "debrief.html", debrief, "text/html"),
    )
    with solara.Card(label("export", lang), classes=["ijm-export"]):
        with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
            for key, suffix, data, mime in files:
                kind = suffix.rsplit(".", 1)[1].upper()
                if rival is not None and suffix.startswith(("network", "history")):
                    rule = suffix.split(".")[0].partition("-")[2] or applied.governance
                    kind += f" ({label(f'rule_short.{rule}', lang, default=rule_label(rule))})"
                with solara.FileDownload(data, filename=f"{stem}-{suffix}", mime_type=mime):
                    solara.Button(f"{label(key, lang).split(' (')[0]} {kind}", small=True,
                                  outlined=True, icon_name="mdi-download",
                                  classes=[f"ijm-export-{suffix.replace('.', '-')}"])
        for hint, command in zip(("command_hint", "compare_commands"), commands, strict=False):
            solara.Text(label(hint, lang), classes=["ijm-caption"])
            with solara.Div(classes=["ijm-command"], attributes={"data-testid": "command"}):
                solara.Preformatted(command)
        solara.Text(label("link_hint", lang), classes=["ijm-caption"])
        with solara.Div(classes=["ijm-link"]):
            solara.Preformatted(settings_query(applied, compare))
        with solara.Div(classes=["ijm-preset"]):
            PresetInput.element(label=label("load_preset", lang), on_content=on_preset)


def with_language(search: str | None, lang: str) -> str:
    """The URL query ``search`` with ``lang=`` set to ``lang`` (a reload keeps the language)."""
    query = {k: v[-1] for k, v in parse_qs(search or "", keep_blank_values=True).items()}
    return "?" + urlencode({**query, "lang": lang})


@solara.component
def Page():
    """The dashboard: one run (model, snapshots, events) per browser session."""
    router = solara.use_router()
    start_settings, start_lang, start_compare, start_problem = solara.use_memo(
        lambda: start_from_url(router.search), [])
    lang = solara.use_reactive(start_lang)
    draft = solara.use_reactive(start_settings)  # what the controls show
    problem = solara.use_reactive(start_problem)  # an InputProblem, shown until a good reset

    def first_run():
        try:
            return new_run(start_settings, start_compare)
        except InputProblem as bad:
            problem.value = bad
            draft.value = default_settings()
            return new_run(default_settings(), "")

    run = solara.use_reactive(solara.use_memo(first_run, []))
    compare_draft = solara.use_reactive(run.value.compare)
    tick = solara.use_reactive(0)
    month = solara.use_reactive(None)  # None: live; a month: looking back
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("speed_normal")
    gate = solara.use_memo(FrameGate, [])
    solara.use_effect(lambda: gate.drawn(tick.value), [tick.value])

    def play_loop():
        while playing.value:
            if not run.value.recording.model.running:
                playing.value = False
                return
            began = time.perf_counter()
            if not advance():
                playing.value = False
                return
            if not gate.wait(tick.value, timeout=10.0):
                playing.value = False  # nobody is drawing: the viewer has gone
                return
            pause = SPEEDS[speed.value] - (time.perf_counter() - began)
            if pause > 0:
                time.sleep(pause)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def advance() -> bool:
        """One month on, for the run and the one it is compared with; False if the model failed."""
        current = run.value
        try:
            current.recording.step()
            if current.rival is not None:
                current.rival.step()
        except Exception as error:  # a model error must not take the page down
            LOG.exception("a month of the dashboard's run failed")
            problem.value = InputProblem("error_step", detail=str(error))
            return False
        tick.value += 1
        return True

    def toggle_play():
        month.value = None
        playing.value = not playing.value

    def step_once():
        if playing.value or not run.value.recording.model.running:
            return
        month.value = None
        advance()

    def look_at(value):
        month.value = (None if value is None or value >= run.value.recording.month
                       else int(value))

    def reset():
        playing.value = False
        try:
            fresh = new_run(draft.value, compare_draft.value)
        except InputProblem as bad:
            problem.value = bad
            return
        except Exception as error:  # anything else is reported, never raised into the page
            LOG.exception("the dashboard could not build a run")
            problem.value = InputProblem("error_config", detail=str(error))
            return
        problem.value = None
        month.value = None
        run.value = fresh
        tick.value += 1

    def load_preset(text: str):
        try:
            draft.value, compare_draft.value = settings_from_yaml(text)
        except InputProblem as bad:
            problem.value = bad

    def choose_language(text: str):
        chosen = text.lower()
        if chosen in LANGUAGES:
            lang.set(chosen)
            router.push(router.path + with_language(router.search, chosen))

    current = run.value
    shown, lang_now = current.recording, lang.value
    DocumentLanguage.element(lang=lang_now)
    solara.Style(views.PAGE_CSS.replace("<style>", "").replace("</style>", "") + LAYOUT_CSS)
    title = label("title", lang_now, region=shown.model.region.name)
    solara.Title(title)
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=lang_now.upper(), values=[x.upper() for x in LANGUAGES],
                                   on_value=choose_language,
                                   classes=["ijm-language"], style={"margin-left": "auto"})
    with solara.Div(classes=["ijm-layout"]):
        with solara.Div(classes=["ijm-controls"]):
            with Boundary("clock", lang_now, tick.value):
                ClockControls(
                    playing=playing.value, running=shown.model.running, speed=speed.value,
                    lang=lang_now, on_play=toggle_play, on_step=step_once, on_reset=reset,
                    on_speed=speed.set, month=month.value,
                    pending=(draft.value != current.settings
                             or compare_draft.value != current.compare),
                    last=shown.month, on_month=look_at,
                )
            with Boundary("settings", lang_now, tick.value):
                SettingsControls(draft, compare_draft, lang_now,
                                 shown.snapshots[0].measures["mean_trust"])
            with Boundary("export", lang_now, tick.value):
                ExportControls(current, month.value, tick.value, lang_now, load_preset)
        with solara.Div(classes=["ijm-main"]):
            solara.HTML(tag="h1", unsafe_innerHTML=html.escape(title),
                        classes=["ijm-sr-only"])
            if problem.value is not None:
                with solara.Div(classes=["ijm-problem"]):
                    solara.Error(problem.value.message(lang_now))
                    solara.Text(label("error_kept", lang_now), classes=["ijm-caption"])
            with Boundary("views", lang_now, tick.value):
                RunViews(current, month.value, tick.value, lang_now, look_at)


@solara.component
def RunViews(run: Run, month: int | None, tick: int, lang: str, on_jump):
    """The tiles, figures, timeline and board of ``run`` (both runs side by side when compared)."""
    with solara.Div(classes=["ijm-run"]):
        if run.rival is not None:
            with solara.Div(classes=["ijm-compare"]):
                for side in (run.recording, run.rival):
                    with solara.Div(classes=["ijm-compare-side"]):
                        StatusBar(side, month, tick, lang, compact=True)
                        with solara.Div(classes=["ijm-compare-figures"]):
                            TrustNetworkView(side, month, tick, lang)
                            HistoryView(side, month, tick, lang)
            Timeline(run.recording, month, tick, lang, on_jump, rival=run.rival)
            return
        StatusBar(run.recording, month, tick, lang)
        with solara.Div(classes=["ijm-grid"]):
            TrustNetworkView(run.recording, month, tick, lang)
            HistoryView(run.recording, month, tick, lang)
            Timeline(run.recording, month, tick, lang, on_jump)
        InitiativeBoard(run.recording, month, tick, lang)


# Controls in a narrow left column that scrolls on its own; the main view in three columns
# (network, history, timeline) above the board, compact so 1280x720 shows all of it.
LAYOUT_CSS = """
.ijm-layout {display: grid; grid-template-columns: clamp(270px, 21vw, 420px) minmax(0, 1fr);
  gap: 8px; height: calc(100vh - 72px);}
.ijm-controls {overflow-y: auto; padding-right: 4px;}
.ijm-controls .v-card {margin: 0 0 8px 0 !important;}
.ijm-controls .v-card__title {font-size: var(--ijm-text); padding: 6px 12px;}
.ijm-controls .v-card__text {padding: 4px 12px 8px 12px;}
.ijm-main {overflow-y: auto; min-width: 0;}
.ijm-controls .v-btn-toggle {flex-wrap: wrap; height: auto !important;}
.ijm-grid {display: grid; grid-template-columns: 1fr 1.1fr 1fr; gap: 8px; margin-top: 6px;}
.ijm-panel h2 {font-size: var(--ijm-text); font-weight: 700; margin: 2px 0;}
.ijm-panel {background: white; border: 1px solid #e3e6ea; border-radius: 6px; padding: 4px 8px;
  min-width: 0;}
.ijm-board-card {margin-top: 6px;}
.ijm-compare {display: grid; grid-template-columns: 1fr 1fr; gap: 8px;}
.ijm-compare-figures {display: grid; grid-template-columns: 1fr 1fr; gap: 6px; margin-top: 6px;}
.ijm-compare .ijm-figure {max-height: max(170px, calc(100vh - 470px));}
.ijm-compare + .ijm-timeline, .ijm-run > .ijm-timeline {height: auto; min-height: 0;
  margin-top: 6px;}
.ijm-run > .ijm-timeline .ijm-events {max-height: max(120px, calc(100vh - 640px));
  flex: none;}
.ijm-timeline {height: 0; min-height: 100%; display: flex; flex-direction: column;}
.ijm-events {flex: 1 1 0; min-height: 0; overflow-y: auto; font-size: var(--ijm-small);}
.ijm-event {display: flex; gap: 4px; align-items: baseline; border-bottom: 1px solid #eee;}
.ijm-event-rule {font-size: var(--ijm-small); color: #4d4d4d; white-space: nowrap;
  min-width: 6.5em;}
.ijm-event .v-btn {min-width: 0 !important; padding: 0 4px !important;
  font-size: var(--ijm-small) !important; text-transform: none; color: #1a4f8a !important;}
.ijm-sr-only {position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;}
.ijm-select {display: flex; flex-direction: column; font-size: var(--ijm-small); color: #333;
  width: 100%;}
.ijm-select select {border: 1px solid #8a8f98; border-radius: 4px; padding: 3px 6px;
  font-size: var(--ijm-text); color: #111; background: white; width: 100%;
  -webkit-appearance: menulist;}
.ijm-filters > div {flex: 1 1 0; min-width: 0;}
.ijm-export .v-btn, .ijm-controls .v-messages {font-size: var(--ijm-small) !important;}
.ijm-export .v-btn {text-transform: none; letter-spacing: normal; max-width: 100%;
  height: auto !important; min-height: 28px; white-space: normal;}
.ijm-export .v-btn__content {white-space: normal; flex-shrink: 1;}
.ijm-command pre, .ijm-link pre {font-size: var(--ijm-small); white-space: pre-wrap; word-break: break-all;
  margin: 0;}
.ijm-slider .v-input__slot {flex-wrap: wrap;}
.ijm-slider .v-label {font-size: var(--ijm-small); color: #333 !important; width: 100%;
  white-space: normal; height: auto; line-height: 1.3;}
.ijm-slider .v-input {margin-top: 4px;}
.ijm-slider .v-messages {display: none;}
.ijm-part, .ijm-run {display: contents;}
.ijm-part-error {color: #a61b1b; font-size: var(--ijm-text); margin: 4px 0;}
"""
