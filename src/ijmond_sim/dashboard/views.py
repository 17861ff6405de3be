"""What the dashboard shows, drawn from snapshots: figures, board, tiles, timeline texts, exports.

Pure: no Solara. Each function takes snapshots (:mod:`ijmond_sim.dashboard.replay`) and a
language and returns a matplotlib figure, HTML or file contents, so the same
views serve the live page, the replay of any month and the exports. Figures
go to the page as SVG (vector: they grow and shrink with the window), each
with a text alternative and a table of the numbers behind it.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from ijmond_sim.dashboard.labels import DEFAULT_LANGUAGE, label, number, rule_name  # noqa: E402
from ijmond_sim.dashboard.replay import Snapshot, series  # noqa: E402
from ijmond_sim.dashboard.timeline import Event  # noqa: E402
from ijmond_sim.drawing import NetworkWords, TrustNetworkPainter  # noqa: E402
from ijmond_sim.model.governance import RULES  # noqa: E402
from ijmond_sim.model.initiative import Phase  # noqa: E402

OPEN_PHASES = (Phase.PREPARATION, Phase.COLLEGE_DECISION, Phase.COUNCIL_DECISION,
               Phase.EXECUTION)
# Completed and stranded: colour-blind-safe colours (Okabe and Ito) AND distinct line styles.
OUTCOME_STYLE = {"completed": ("#0072B2", "-", "o"), "stranded": ("#D55E00", "--", "x")}
TRUST_LINE = "#1a1a1a"
# The tiles after the month: (test id, measure of replay.MEASURES and its label, decimals).
# A new measure on the page is one line here (and its entry in MEASURES and labels.py).
TILES = (("started", "started", 0), ("completed", "completed", 0), ("stranded", "stranded", 0),
         ("under-way", "under_way", 0), ("mean-trust", "mean_trust", 2))


def _esc(text) -> str:
    return html.escape(str(text))


def joined(words, lang: str) -> str:
    """Words joined as a sentence lists them ("A, B en C")."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {label('and', lang)} {words[-1]}"


def names(indices, snapshot: Snapshot, lang: str) -> str:
    """Council names joined as a sentence lists them ("A, B en C")."""
    return joined((snapshot.councils[i] for i in indices), lang)


def opgave_name(snapshot: Snapshot, index: int, lang: str) -> str:
    """The plain name of opgave ``index`` (the region's own label if the table lacks it)."""
    return label(f"opgave.{snapshot.opgaven[index]}", lang, default=snapshot.opgave_labels[index])


def current_rule_name(snapshot: Snapshot, lang: str) -> str:
    """The plain name of the governance rule in force."""
    return rule_name(RULES[snapshot.rule], lang) if snapshot.rule in RULES else snapshot.rule_label


def rule_tag(snapshot: Snapshot, lang: str) -> str:
    """A short name of the rule in force, for the compared runs' timeline (the full name if none)."""
    return label(f"rule_short.{snapshot.rule}", lang, default=current_rule_name(snapshot, lang))


# -- figures ------------------------------------------------------------------------------


class NetworkFigure:
    """The trust network as a figure, built once per model and language, repainted per month."""

    def __init__(self, councils, population, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = lang
        self.figure = Figure(figsize=(2.9, 2.6), dpi=100)  # small: type stays large when scaled
        ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        words = NetworkWords(label("turned_away", lang), label("little_trust", lang),
                             label("much_trust", lang))
        self.painter = TrustNetworkPainter(ax, councils, population, words, fontsize=8,
                                           number_format=lambda v: number(v, lang))

    def paint(self, snapshot: Snapshot) -> Figure:
        """Show ``snapshot``'s trust and who is still in the region; return the figure."""
        self.painter.paint(snapshot.trust, snapshot.active)
        return self.figure


def network_alt(snapshot: Snapshot, lang: str) -> str:
    """The network in words: every pair's trust."""
    pairs = "; ".join(
        label("pair_trust", lang, a=a, b=b, value=number(snapshot.trust[i, j], lang))
        for i, a in enumerate(snapshot.councils) for j, b in enumerate(snapshot.councils)
        if i != j and snapshot.active[i] and snapshot.active[j])
    away = [c for c, on in zip(snapshot.councils, snapshot.active, strict=True) if not on]
    if away:
        pairs += ". " + ", ".join(away) + ": " + label("turned_away", lang)
    return label("network_alt", lang, month=snapshot.month, pairs=pairs)


def network_table(snapshot: Snapshot, lang: str) -> str:
    """The trust matrix as an HTML table (the network's numbers)."""
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in snapshot.councils)
    rows = []
    for i, a in enumerate(snapshot.councils):
        cells = "".join(f"<td>{'' if i == j else number(snapshot.trust[i, j], lang)}</td>"
                        for j in range(len(snapshot.councils)))
        rows.append(f'<tr><th scope="row">{_esc(a)}</th>{cells}</tr>')
    return (f'<table class="ijm-data"><caption>{_esc(label("trust_of_in", lang))}</caption>'
            f"<tr><td></td>{head}</tr>{''.join(rows)}</table>")


class HistoryFigure:
    """Mean trust (left axis), and completed and stranded initiatives (right axis), over the months.

    One panel, small in inches so its type stays large once the page scales it to its
    column. Built once per model and language; each month only the lines and the count
    axis change.
    """

    def __init__(self, horizon: int, start_trust: float, lang: str = DEFAULT_LANGUAGE) -> None:
        horizon = max(int(horizon), 1)
        self.figure = Figure(figsize=(3.3, 2.5), dpi=100)
        trust = self.figure.add_axes((0.15, 0.3, 0.7, 0.66))
        counts = trust.twinx()
        (self.trust_line,) = trust.plot([], [], color=TRUST_LINE, linewidth=2,
                                        label=label("mean_trust", lang))
        trust.axhline(start_trust, color="#777777", linestyle=":", linewidth=1.2,
                      label=label("start_level", lang))
        trust.set_ylim(0, 1)
        trust.set_yticks([0, 0.5, 1])
        trust.yaxis.set_major_formatter(FuncFormatter(lambda v, _: number(v, lang, 1)))
        trust.set_ylabel(label("trust_axis", lang), fontsize=8)
        self.outcome_lines = {}
        for key, (colour, style, marker) in OUTCOME_STYLE.items():
            (self.outcome_lines[key],) = counts.step(
                [], [], where="post", color=colour, linestyle=style, linewidth=1.8,
                marker=marker, markevery=12, markersize=4, label=label(key, lang))
        counts.set_ylabel(label("count_axis", lang), fontsize=8)
        counts.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        trust.set_xlabel(label("months_axis", lang), fontsize=8, labelpad=1)
        step = 24 * max(1, round(horizon / 120))
        trust.set_xlim(0, horizon)
        trust.set_xticks(list(range(0, horizon + 1, step)))
        for ax in (trust, counts):
            ax.tick_params(labelsize=8, pad=1)
            ax.spines["top"].set_visible(False)
        trust.grid(alpha=0.3)
        handles = [self.trust_line, *self.outcome_lines.values(), trust.get_lines()[1]]
        self.figure.legend(handles, [h.get_label() for h in handles], loc="lower center",
                           ncol=2, fontsize=7.5, frameon=False, borderaxespad=0.1,
                           handlelength=2.2, columnspacing=1.0)
        self.counts_axes = counts
        self._top = None

    def paint(self, snapshots: list[Snapshot]) -> Figure:
        """Show the months of ``snapshots`` (from the start); return the figure."""
        months = [s.month for s in snapshots]
        self.trust_line.set_data(months, series(snapshots, "mean_trust"))
        counts = {key: series(snapshots, key) for key in self.outcome_lines}
        for key, line in self.outcome_lines.items():
            line.set_data(months, counts[key])
        top = int(max(5, *(max(c, default=0) for c in counts.values()))) + 1
        if top != self._top:
            self.counts_axes.set_ylim(0, top)
            self._top = top
        return self.figure


def history_alt(snapshots: list[Snapshot], lang: str) -> str:
    """The course of the run in one sentence."""
    now = snapshots[-1]
    return label("history_alt", lang, month=now.month,
                 start=number(snapshots[0].measures["mean_trust"], lang),
                 now=number(now.measures["mean_trust"], lang),
                 completed=int(now.measures["completed"]), stranded=int(now.measures["stranded"]))


def history_table(snapshots: list[Snapshot], lang: str) -> str:
    """Mean trust and the counts at the start, each year's end and now, as an HTML table."""
    keep = [s for s in snapshots if s.month % 12 == 0 or s is snapshots[-1]]
    head = "".join(f'<th scope="col">{_esc(label(k, lang))}</th>'
                   for k in ("month", "mean_trust", "completed", "stranded"))
    rows = "".join(
        f"<tr><td>{s.month}</td><td>{number(s.measures['mean_trust'], lang)}</td>"
        f"<td>{int(s.measures['completed'])}</td><td>{int(s.measures['stranded'])}</td></tr>"
        for s in keep)
    return f'<table class="ijm-data"><tr>{head}</tr>{rows}</table>'


def svg(figure: Figure) -> bytes:
    """``figure`` as SVG."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text: smaller, faster, selectable
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def png(figure: Figure, dpi: int = 200) -> bytes:
    """``figure`` as PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_html(figure: Figure, alt: str, table: str, lang: str, test_id: str) -> str:
    """A figure as a responsive SVG image with its text alternative, and its table below."""
    data = base64.b64encode(svg(figure)).decode("ascii")
    return (f'<img class="ijm-figure" data-testid="{test_id}" role="img" alt="{_esc(alt)}" '
            f'src="data:image/svg+xml;base64,{data}">'
            f'<details class="ijm-table"><summary>{_esc(label("as_table", lang))}</summary>'
            f"{table}</details>")


# -- board and tiles -----------------------------------------------------------------------


def board_html(snapshot: Snapshot, lang: str = DEFAULT_LANGUAGE) -> str:
    """The initiative board: a row per opgave, a column per phase, then the outcomes.

    Open initiatives are chips naming the council that proposed them; ended ones are
    counted, with the latest stranding's reason and who was blamed, in plain words.
    """
    councils = snapshot.councils
    head = "".join(f'<th scope="col">{_esc(label("phase." + p.value, lang))}</th>'
                   for p in OPEN_PHASES)
    head = (f'<tr><td></td>{head}<th scope="col">{_esc(label("phase.completed", lang))}</th>'
            f'<th scope="col">{_esc(label("phase.stranded", lang))}</th></tr>')
    rows = [{"open": {p: [] for p in OPEN_PHASES}, "completed": [], "stranded": []}
            for _ in snapshot.opgaven]
    for state in snapshot.initiatives:
        row = rows[state.opgave]
        if state.phase is Phase.COMPLETED:
            row["completed"].append(state)
        elif state.phase is Phase.STRANDED:
            row["stranded"].append(state)
        else:
            row["open"][state.phase].append(state)
    body = []
    for k, row in enumerate(rows):
        cells = [f'<th scope="row" class="ijm-opgave">{_esc(opgave_name(snapshot, k, lang))}</th>']
        for phase in OPEN_PHASES:
            chips = []
            for state in row["open"][phase]:
                tip = (f"{label('initiated_by', lang)} {councils[state.initiator]}, "
                       f"{label('with', lang)} {names(state.participants, snapshot, lang)}")
                chips.append(f'<span class="ijm-chip" title="{_esc(tip)}">'
                             f"{_esc(councils[state.initiator])}</span>")
            cells.append(f"<td>{''.join(chips)}</td>")
        done = len(row["completed"])
        cells.append(f'<td><span class="ijm-done">{"&#10003; " + str(done) if done else ""}'
                     "</span></td>")
        failed = row["stranded"]
        why = ""
        if failed:
            last = failed[-1]
            reason = label(f"reason.{last.strand_reason.value}", lang,
                           default=last.strand_reason.value) if last.strand_reason else ""
            who = f" ({names(last.blamed, snapshot, lang)})" if last.blamed else ""
            why = (f' <span class="ijm-why">{_esc(label("last", lang))}: '
                   f"{_esc(reason + who)}</span>")
        mark = f"&#10007; {len(failed)}" if failed else ""
        cells.append(f'<td><span class="ijm-fail">{mark}</span>{why}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="ijm-board" data-testid="board"><table>{head}'
            f"{''.join(body)}</table></div>")


def year_of(month: int) -> int:
    """The year of month ``month``: months 1 to 12 are year 1, 13 to 24 year 2 (the start, 0: year 1)."""
    return max(1, -(-month // 12))


def month_text(month: int, horizon: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``Month 21 of 24 (year 2)``: the words every page uses for a month of a run."""
    return (f"{label('month', lang)} {month} {label('of', lang)} {horizon} "
            f"({label('year', lang)} {year_of(month)})")


def status_html(snapshot: Snapshot, lang: str = DEFAULT_LANGUAGE, compact: bool = False) -> str:
    """The numbers at a glance: month, the :data:`TILES` and the rule in force.

    ``compact`` (two runs side by side): the rule is a line above one row of narrower tiles.
    """
    month, horizon = snapshot.month, snapshot.horizon
    tiles = [("month", f"{month} <small>{_esc(label('of', lang))} {horizon}</small>",
              f"{label('month', lang)} ({label('year', lang)} {year_of(month)})")]
    for test_id, measure, digits in TILES:
        tiles.append((test_id, number(snapshot.measures[measure], lang, digits),
                      label(measure, lang)))
    parts = [f'<div class="ijm-tile"><div class="ijm-value" data-testid="{key}">{value}</div>'
             f'<div class="ijm-name">{_esc(name)}</div></div>' for key, value, name in tiles]
    rule = _esc(current_rule_name(snapshot, lang))
    done = "" if snapshot.running else (
        f'<div class="ijm-tile" data-testid="finished">{_esc(label("finished", lang))}</div>')
    if compact:
        finished = "" if snapshot.running else f' &#8212; {_esc(label("finished", lang))}'
        heading = (f'<div class="ijm-side-rule"><span class="ijm-name">'
                   f'{_esc(label("rule_in_force", lang))}:</span> <b data-testid="rule">{rule}</b>'
                   f"{finished}</div>")
        return f'{heading}<div class="ijm-status ijm-compact">{"".join(parts)}</div>'
    parts.append(f'<div class="ijm-tile ijm-rule"><div class="ijm-value" data-testid="rule">'
                 f'{rule}</div><div class="ijm-name">{_esc(label("rule_in_force", lang))}</div>'
                 "</div>")
    return f'<div class="ijm-status">{"".join(parts)}{done}</div>'


# -- timeline ------------------------------------------------------------------------------


def initiative_name(event: Event, snapshot: Snapshot, lang: str) -> str:
    """The initiative an event is about: its opgave and number (``Housing stock (#3)``)."""
    name = opgave_name(snapshot, event.opgave, lang)
    return name if event.uid is None else f"{name} (#{event.uid})"


def event_text(event: Event, snapshot: Snapshot, lang: str = DEFAULT_LANGUAGE) -> str:
    """An event in one plain sentence."""
    fields = {
        "actors": names(event.actors, snapshot, lang),
        "others": names(event.others, snapshot, lang),
        "opgave": "" if event.opgave is None else initiative_name(event, snapshot, lang),
        "trust": "" if event.trust is None else number(event.trust, lang),
    }
    key = f"event.{event.kind}"
    if event.kind == "stranded":
        fields["reason"] = label(f"reason.{event.reason.value}", lang, default=event.reason.value)
        if not event.actors or not event.others:
            key = "event.stranded_nobody"
    return label(key, lang, **fields)


def event_mark(event: Event) -> str:
    """A short symbol per kind of event, so the list can be scanned without colour."""
    return {"proposed": "+", "colleges_agreed": "&#8594;", "decided": "&#8594;",
            "completed": "&#10003;", "stranded": "&#10007;", "turned_away": "&#8617;",
            "left_by_choice": "&#8617;",
            "withdrew": "&#8592;", "overruled": "&#8800;"}[event.kind]


# -- exports -------------------------------------------------------------------------------


def csv_text(rows: list[dict]) -> str:
    """Rows of dicts as CSV text (the columns of the first row)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def months_rows(snapshots: list[Snapshot]) -> list[dict]:
    """One row per month: the measures, who is still in the region and every pair's trust."""
    rows = []
    for s in snapshots:
        row = {"month": s.month, **s.measures}
        row.update({f"active_{c}": int(on) for c, on in zip(s.councils, s.active, strict=True)})
        row.update({f"trust_{a}_in_{b}": float(s.trust[i, j])
                    for i, a in enumerate(s.councils) for j, b in enumerate(s.councils) if i != j})
        rows.append(row)
    return rows


def events_rows(events: list[Event], snapshot: Snapshot, lang: str) -> list[dict]:
    """One row per event: month, kind, opgave, councils and the sentence."""
    return [{"month": e.month, "kind": e.kind, "initiative": e.uid,
             "opgave": "" if e.opgave is None else snapshot.opgaven[e.opgave],
             "actors": " ".join(snapshot.councils[i] for i in e.actors),
             "others": " ".join(snapshot.councils[i] for i in e.others),
             "text": event_text(e, snapshot, lang)} for e in events]


def with_rule(rows: list[dict], rule: str) -> list[dict]:
    """``rows`` with the governance rule first (the exports of two compared runs in one file)."""
    return [{"governance": rule, **row} for row in rows]


KEY_EVENTS = ("stranded", "turned_away", "left_by_choice", "completed", "overruled")


class DebriefRun(NamedTuple):
    """One run in the debrief: its months so far, its events, its two figures and its command."""

    snapshots: list[Snapshot]
    events: list[Event]
    network: Figure
    history: Figure
    command: str


def _debrief_run(run: DebriefRun, lang: str) -> str:
    now = run.snapshots[-1]
    key = [e for e in run.events if e.kind in KEY_EVENTS]
    items = "".join(f"<li><b>{_esc(label('month', lang))} {e.month}</b>: "
                    f"{_esc(event_text(e, now, lang))}</li>" for e in key)
    figures = "".join(f'<figure><img alt="{_esc(alt)}" style="width:100%" '
                      f'src="data:image/svg+xml;base64,{base64.b64encode(svg(fig)).decode()}">'
                      f"</figure>" for fig, alt in ((run.network, network_alt(now, lang)),
                                                    (run.history, history_alt(run.snapshots, lang))))
    return (f"<section><h2>{_esc(current_rule_name(now, lang))}</h2>{status_html(now, lang)}"
            f'<div style="display:flex;gap:1em">{figures}</div>'
            f"<h3>{_esc(label('timeline_title', lang))}</h3><ul>{items}</ul>"
            f"<p>{_esc(label('command_hint', lang))}</p><pre>{_esc(run.command)}</pre></section>")


def debrief_html(runs: list[DebriefRun], lang: str, region: str) -> str:
    """A one-page debrief of one run, or of two compared runs side by side, of ``region``.

    Per run: its tiles, both figures, the key events and the command that reproduces it;
    the page is no wider than the window (the columns, figures and commands shrink or wrap).
    """
    body = "".join(_debrief_run(run, lang) for run in runs)
    title = _esc(label("title", lang, region=region))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title>{PAGE_CSS}{DEBRIEF_CSS}</head><body>"
            f"<h1>{title}</h1>"
            f'<div class="ijm-debrief-runs" style="grid-template-columns:repeat({len(runs)},'
            f'minmax(0,1fr))">{body}</div></body></html>')


DEBRIEF_CSS = """<style>
.ijm-debrief-runs {display: grid; gap: 2em;}
section {min-width: 0;}
figure {margin: 0; min-width: 0; flex: 1 1 0;}
pre {white-space: pre-wrap; overflow-wrap: anywhere;}
</style>"""


# Type and spacing scale with the window (clamp on vw), so a projector at 1280x720 and a
# screen at 1920x1080 both read; the figures are SVG at 100% of their column.
PAGE_CSS = """
<style>
:root {--ijm-text: clamp(14px, 0.55vw + 7px, 20px); --ijm-small: clamp(14px, 0.3vw + 10px, 17px);}
body, .v-application {font-size: var(--ijm-text);}
.ijm-board table {border-collapse: collapse; width: 100%; font-size: var(--ijm-small);}
.ijm-board th {text-align: left; padding: 3px 6px; background: #f2f4f7; font-weight: 600;}
.ijm-board td {padding: 3px 6px; border-top: 1px solid #e3e6ea; vertical-align: top;}
.ijm-board th.ijm-opgave {width: 19%; background: none; border-top: 1px solid #e3e6ea;}
.ijm-chip {display: inline-block; margin: 1px 2px; padding: 0 6px; border-radius: 10px;
  background: #dbe7f6; color: #123; white-space: nowrap;}
.ijm-done {color: #0b5a8c; font-weight: 700;}
.ijm-fail {color: #a33a00; font-weight: 700;}
.ijm-why {color: #4d4d4d;}
.ijm-status {display: flex; flex-wrap: wrap; gap: 0.5em; align-items: stretch;}
.ijm-tile {background: #f2f4f7; border-radius: 6px; padding: 0.2em 0.7em; min-width: 6.5em;}
.ijm-tile .ijm-value {font-size: calc(var(--ijm-text) * 1.5); font-weight: 700; line-height: 1.2;}
.ijm-tile.ijm-rule .ijm-value {font-size: var(--ijm-text);}
.ijm-status.ijm-compact {flex-wrap: nowrap; gap: 0.3em;}
.ijm-compact .ijm-tile {min-width: 0; flex: 1 1 0; padding: 0.1em 0.4em;}
.ijm-compact .ijm-tile:first-child {flex-grow: 1.7;}
.ijm-compact .ijm-tile .ijm-value {font-size: calc(var(--ijm-text) * 1.2); white-space: nowrap;}
.ijm-compact .ijm-tile .ijm-name {line-height: 1.15;}
.ijm-side-rule {font-size: var(--ijm-text); white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; margin-bottom: 2px;}
.ijm-tile .ijm-name {font-size: var(--ijm-small); color: #4d4d4d;}
.ijm-figure {width: 100%; height: auto; max-height: max(190px, calc(100vh - 390px));
  object-fit: contain; display: block;}
.ijm-table summary {cursor: pointer; font-size: var(--ijm-small); color: #1a4f8a;}
table.ijm-data {border-collapse: collapse; font-size: var(--ijm-small);}
table.ijm-data td, table.ijm-data th {padding: 1px 6px; border-bottom: 1px solid #ddd;}
.ijm-caption {font-size: var(--ijm-small); color: #4d4d4d;}
/* A projector (720 px high): the latest reason moves to the timeline, headings stay on one line */
@media (max-height: 800px) {
  .ijm-board .ijm-why, .ijm-network .ijm-caption {display: none;}
  .ijm-board th {white-space: nowrap;}
  .ijm-board td, .ijm-board th {padding-top: 1px; padding-bottom: 1px;}
}
</style>
"""
