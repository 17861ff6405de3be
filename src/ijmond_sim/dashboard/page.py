"""The workshop dashboard: live trust dynamics in the browser, offline, one model per viewer.

Start it with ``make workshop`` (that is ``solara run ijmond_sim.dashboard.page --host 127.0.0.1
--port 8765 --production``) and open http://127.0.0.1:8765 . Every front-end asset is
installed locally by ``scripts/install_frontend.sh``; nothing is fetched at run time.

This module has one job: how the model is shown. It has three parts:

1. Settings to model (pure): :class:`Settings`, :func:`parse_seed`,
   :func:`build_model`. A bad value raises :class:`InputProblem`, which the page
   shows as a message; it never crashes the page.
2. Drawing (pure, no Solara): :func:`trust_network_figure`, :func:`history_figure`,
   :func:`board_html`, :func:`status_html`. Each takes a model and a language and
   returns a matplotlib ``Figure`` or an HTML string.
3. The page (Solara): :func:`Page` builds one model per browser session
   (``solara.use_memo`` / ``solara.use_reactive``), never one per module, so two
   people on two laptops never see each other's simulation.

Room for a participatory mode: the views (:func:`TrustNetworkView`,
:func:`InitiativeBoard`, :func:`HistoryView`, :func:`StatusBar`) take the model
and the language as arguments and own no state, and the clock
(:func:`ClockControls`) only calls back. A facilitator page could own the clock
of a room model (kept on purpose in a registry keyed by a room code, unlike now)
while each participant's page renders the same views plus a panel for the one
council they play.
"""

from __future__ import annotations

import html
import logging
import math
import threading
import time
from dataclasses import dataclass, replace
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import solara  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, Polygon  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ijmond_sim import config  # noqa: E402
from ijmond_sim.dashboard.labels import DEFAULT_LANGUAGE, LANGUAGES, label  # noqa: E402
from ijmond_sim.model import (
    RegionModel,  # noqa: E402
    governance,  # noqa: E402
)
from ijmond_sim.model.initiative import Phase  # noqa: E402
from ijmond_sim.model.scenario import Scenario  # noqa: E402

logging.getLogger("MESA").setLevel(logging.WARNING)

GOVERNANCE_RULES = ("optional", "mayoral", "binding")
# Seconds between months while playing; 0 = as fast as the page can draw.
SPEEDS = {"speed_slow": 1.0, "speed_normal": 0.25, "speed_fast": 0.0}
OPEN_PHASES = (Phase.PREPARATION, Phase.COLLEGE_DECISION, Phase.COUNCIL_DECISION,
               Phase.EXECUTION)
# Rough map positions of the IJmond councils (north up); other regions get a circle.
MAP_POSITIONS = {
    "Uitgeest": (0.62, 0.92),
    "Heemskerk": (0.12, 0.55),
    "Beverwijk": (0.88, 0.45),
    "Velsen": (0.38, 0.08),
}
TRUST_COLOURS = colormaps["RdYlGn"]
# Fast PNG encoding: the figures are redrawn every month while playing.
PNG_OPTIONS = {"compress_level": 1}



# -- 1. settings to model -----------------------------------------------------------------


class InputProblem(ValueError):
    """A control holds a value the model cannot use; the page shows it as a message.

    Args:
        key: the :data:`ijmond_sim.dashboard.labels.LABELS` key of the message.
        **fields: values for the message's placeholders.
    """

    def __init__(self, key: str, **fields) -> None:
        self.key, self.fields = key, fields
        super().__init__(label(key, "en", **fields))

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        return label(self.key, lang, **self.fields)


@dataclass(frozen=True)
class Settings:
    """What the workshop can change, as the controls hold it.

    Attributes:
        governance: key of the governance rule (``optional``, ``mayoral``, ``binding``).
        initial_trust: the region's trust at the start, [0, 1].
        fall_ratio: how many times faster trust falls than it rises.
        outside_option: attractiveness of the option outside the region, [0, 1], for the
            councils that have one (:func:`outside_option_councils`).
        seed: the seed as typed (text; checked by :func:`parse_seed`).
    """

    governance: str = "optional"
    initial_trust: float = 0.45
    fall_ratio: float = 3.0
    outside_option: float = 0.3
    seed: str = "42"


@lru_cache(maxsize=1)
def base_config():
    """The default composed configuration (``conf/config.yaml``), composed once."""
    return config.compose()


def outside_option_councils() -> tuple[str, ...]:
    """Councils whose outside option the dashboard's slider sets.

    Those with an alternative in the region's config (in IJmond: Uitgeest, report
    5.1 and 6); every council if none has one.
    """
    councils = base_config().region.councils
    with_option = tuple(name for name, c in councils.items() if c.outside_option > 0)
    return with_option or tuple(councils)


def default_settings() -> Settings:
    """The settings of ``conf/config.yaml`` as the dashboard's starting point."""
    cfg = base_config()
    councils = cfg.region.councils
    option = max(councils[name].outside_option for name in outside_option_councils())
    return Settings(
        governance=governance.rule_from_config(cfg.governance).key,
        initial_trust=float(cfg.trust.initial),
        fall_ratio=float(cfg.trust.fall_ratio),
        outside_option=float(option),
        seed=str(cfg.seed),
    )


def parse_seed(text) -> int:
    """The seed a control holds, as a non-negative int.

    Accepts an int or text such as ``" 42 "`` (InputText gives text, mesa issue 3516).

    Raises:
        InputProblem: if it is empty, not a whole number, or negative.
    """
    if isinstance(text, bool):
        raise InputProblem("error_seed_text", value=text)
    if isinstance(text, int):
        value = text
    else:
        stripped = "" if text is None else str(text).strip()
        if not stripped:
            raise InputProblem("error_seed_empty")
        try:
            value = int(stripped)
        except ValueError:
            raise InputProblem("error_seed_text", value=stripped[:40]) from None
    if value < 0:
        raise InputProblem("error_seed_negative")
    return value


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputProblem("error_config", detail=f"{name} = {value!r}") from None
    if not math.isfinite(number):
        raise InputProblem("error_config", detail=f"{name} = {value!r}")
    return number


def settings_overrides(settings: Settings) -> tuple[str, ...]:
    """Hydra overrides that turn the default configuration into ``settings``.

    Raises:
        InputProblem: for an unknown governance rule or a value that is not a number.
    """
    if settings.governance not in GOVERNANCE_RULES:
        raise InputProblem("error_config", detail=f"governance = {settings.governance!r}")
    overrides = [
        f"governance={settings.governance}",
        f"trust.initial={_number(settings.initial_trust, 'trust.initial')}",
        f"trust.fall_ratio={_number(settings.fall_ratio, 'trust.fall_ratio')}",
    ]
    option = _number(settings.outside_option, "outside_option")
    overrides += [f"region.councils.{name}.outside_option={option}"
                  for name in outside_option_councils()]
    return tuple(overrides)


@lru_cache(maxsize=32)
def _scenario(overrides: tuple[str, ...]) -> Scenario:
    cfg = config.compose(overrides)
    try:
        config.validate(cfg)
    except config.ConfigError as error:
        raise InputProblem("error_config", detail=str(error)) from None
    return Scenario.from_config(cfg)


def build_model(settings: Settings) -> RegionModel:
    """A fresh model for ``settings``.

    Raises:
        InputProblem: if a setting is unusable (the message says which and why).
    """
    seed = parse_seed(settings.seed)
    scenario = _scenario(settings_overrides(settings))
    return RegionModel(scenario, seed=seed)


# -- 2. drawing (pure) -----------------------------------------------------------------


def council_positions(names) -> dict[str, tuple[float, float]]:
    """Where to draw each council: map positions for IJmond, else a circle."""
    if all(n in MAP_POSITIONS for n in names):
        return {n: MAP_POSITIONS[n] for n in names}
    angles = np.linspace(0, 2 * np.pi, len(names), endpoint=False) + np.pi / 2
    return {n: (0.5 + 0.42 * np.cos(a), 0.5 + 0.42 * np.sin(a))
            for n, a in zip(names, angles, strict=True)}


def curved_arrow(start, end, r_start: float, r_end: float, bend: float = 0.17,
                 points: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """A curved line from circle ``start`` to circle ``end`` and the unit direction at its tip.

    The curve is a quadratic Bezier bent to the right of the straight line (so the two
    directions between a pair of councils do not overlap), cut where it enters the
    circles of radius ``r_start`` and ``r_end``.

    Returns:
        ``(points, 2)`` array of the curve and the tip's unit direction.
    """
    p0, p2 = np.asarray(start, float), np.asarray(end, float)
    d = p2 - p0
    control = (p0 + p2) / 2 + bend * np.array([d[1], -d[0]])
    t = np.linspace(0, 1, 200)[:, None]
    curve = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t ** 2 * p2
    outside = (np.hypot(*(curve - p0).T) > r_start) & (np.hypot(*(curve - p2).T) > r_end)
    curve = curve[outside]
    curve = curve[np.linspace(0, len(curve) - 1, points).round().astype(int)]
    tip = curve[-1] - curve[-3]
    return curve, tip / np.hypot(*tip)


class TrustNetworkPainter:
    """Draws the directed trust network; built once per model, repainted every month.

    Arrow ``i -> j`` shows how much council i trusts council j: its width and colour
    grow with trust. A council that turned away is drawn grey and dashed, with its
    arrows, and labelled as such. Building the figure once and only updating widths,
    colours and texts keeps a month's redraw cheap while playing.

    Args:
        names: council names, in the model's order.
        population: residents per council (circle sizes).
        lang: label language.
    """

    def __init__(self, names, population, lang: str = DEFAULT_LANGUAGE) -> None:
        self.names = list(names)
        pos = council_positions(self.names)
        population = np.asarray(population, float)
        radius = 0.06 + 0.04 * np.sqrt(population / population.max())
        self.figure = Figure(figsize=(4.4, 3.9), dpi=100)
        ax = self.figure.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(-0.08, 1.08)
        ax.set_ylim(-0.1, 1.05)
        ax.set_aspect("equal")
        ax.axis("off")
        self.edges = []
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                if i == j:
                    continue
                curve, direction = curved_arrow(pos[a], pos[b], radius[i] + 0.01,
                                                 radius[j] + 0.01)
                (line,) = ax.plot(*curve.T, solid_capstyle="round", zorder=1)
                head = Polygon(np.zeros((3, 2)), closed=True, zorder=2, linewidth=0)
                ax.add_patch(head)
                middle = curve[len(curve) // 2]
                text = ax.text(*middle, "", fontsize=7, ha="center", va="center",
                               color="#222222", zorder=3)
                self.edges.append((i, j, curve, direction, line, head, text))
        self.nodes = []
        for i, n in enumerate(self.names):
            x, y = pos[n]
            circle = Circle((x, y), radius[i], linewidth=1.5, zorder=4)
            ax.add_patch(circle)
            name = ax.text(x, y, n, ha="center", va="center", fontsize=8, fontweight="bold",
                           zorder=5)
            away = ax.text(x, y - radius[i] - 0.02, "", ha="center", va="top", fontsize=9,
                           fontweight="bold", color="#b03020", zorder=5)
            self.nodes.append((circle, name, away))
        # colour key, drawn in the same axes (a second axes costs more than the network)
        ax.imshow(np.linspace(0, 1, 64)[None, :], aspect="auto", cmap=TRUST_COLOURS,
                  extent=(0.3, 0.7, -0.075, -0.045), zorder=0)
        self.key_low = ax.text(0.28, -0.06, "", ha="right", va="center", fontsize=8)
        self.key_high = ax.text(0.72, -0.06, "", ha="left", va="center", fontsize=8)
        self.lang = lang

    def paint(self, trust: np.ndarray, active, lang: str | None = None) -> Figure:
        """Show ``trust`` (``trust[i, j]``: i's trust in j) and who is still ``active``.

        Returns:
            The painter's figure, updated.
        """
        lang = lang or self.lang
        active = [bool(x) for x in active]
        for i, j, curve, direction, line, head, text in self.edges:
            value = float(trust[i, j])
            if active[i] and active[j]:
                colour = TRUST_COLOURS(value)
                width = 0.6 + 7.0 * value
                line.set(color=colour, linewidth=width, linestyle="-", alpha=0.9)
                size = 0.025 + 0.012 * value
                tip = curve[-1]
                side = np.array([-direction[1], direction[0]])
                base = tip - direction * size * 1.6
                head.set_xy([tip, base + side * size, base - side * size])
                head.set(facecolor=colour, visible=True)
                text.set_text(f"{value:.2f}")
            else:
                line.set(color="#bbbbbb", linewidth=1.0, linestyle=(0, (3, 3)), alpha=0.6)
                head.set_visible(False)
                text.set_text("")
        for on, (circle, name, away) in zip(active, self.nodes, strict=True):
            circle.set(facecolor="#1f5fa8" if on else "#eeeeee",
                       edgecolor="#0d3563" if on else "#888888",
                       linestyle="-" if on else "--")
            name.set_color("white" if on else "#777777")
            away.set_text("" if on else label("turned_away", lang))
        self.key_low.set_text(label("little_trust", lang))
        self.key_high.set_text(label("much_trust", lang))
        return self.figure


def trust_network_figure(model: RegionModel, lang: str = DEFAULT_LANGUAGE) -> Figure:
    """The directed trust network of ``model`` as a new matplotlib figure."""
    painter = TrustNetworkPainter(model.region.councils, model.region.population, lang)
    return painter.paint(model.trust, [c.active for c in model.councils])


def _series(model: RegionModel, *names: str) -> list[list[float]]:
    """Columns of the model's data collector, cut to a common length (safe while playing)."""
    if model.datacollector is None:
        return [[] for _ in names]
    columns = [list(model.datacollector.model_vars.get(n, [])) for n in names]
    n = min(len(c) for c in columns)
    return [c[:n] for c in columns]


class HistoryPainter:
    """Draws mean trust, and completed and stranded initiatives, over the months.

    Built once per model (axes, labels, the starting level); each month only the
    lines and the count axis change.

    Args:
        horizon: months of the run (the x axis).
        start_trust: mean trust at the start (a dashed reference line).
        lang: label language.
    """

    def __init__(self, horizon: int, start_trust: float, lang: str = DEFAULT_LANGUAGE) -> None:
        horizon = max(int(horizon), 1)
        self.figure = Figure(figsize=(5.4, 4.3), dpi=100)
        top, bottom = self.figure.subplots(2, 1, sharex=True)
        self.figure.subplots_adjust(left=0.11, right=0.98, top=0.94, bottom=0.1, hspace=0.32)
        (self.trust_line,) = top.plot([], [], color="#1f5fa8", linewidth=2)
        top.axhline(start_trust, color="#999999", linestyle="--", linewidth=1,
                    label=label("start_level", lang))
        top.set_ylim(0, 1)
        top.set_yticks([0, 0.25, 0.5, 0.75, 1])
        top.set_title(label("mean_trust", lang), fontsize=10)
        top.set_ylabel(label("trust_axis", lang), fontsize=8)
        top.legend(fontsize=8, loc="lower left", frameon=False)
        (self.completed_line,) = bottom.step([], [], where="post", color="#2e8b3a",
                                             linewidth=2, label=label("completed", lang))
        (self.stranded_line,) = bottom.step([], [], where="post", color="#c0392b",
                                            linewidth=2, label=label("stranded", lang))
        bottom.set_title(f"{label('completed', lang)} / {label('stranded', lang)}", fontsize=10)
        bottom.set_ylabel(label("count_axis", lang), fontsize=8)
        bottom.set_xlabel(label("months_axis", lang), fontsize=8)
        bottom.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        bottom.legend(fontsize=8, loc="upper left", frameon=False)
        years = np.arange(0, horizon + 1, 12 if horizon <= 120 else 24)
        for ax in (top, bottom):
            ax.set_xlim(0, horizon)
            ax.set_xticks(years)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        self.counts_axes = bottom
        self._top = None

    def paint(self, months, trust, completed, stranded) -> Figure:
        """Show the series (equal lengths); return the painter's figure, updated."""
        self.trust_line.set_data(months, trust)
        self.completed_line.set_data(months, completed)
        self.stranded_line.set_data(months, stranded)
        top = max(5, *(completed or [0]), *(stranded or [0])) + 1
        if top != self._top:
            self.counts_axes.set_ylim(0, top)
            self._top = top
        return self.figure

    def paint_model(self, model: RegionModel) -> Figure:
        """Show ``model``'s recorded months."""
        return self.paint(*_series(model, "month", "mean_trust", "completed", "stranded"))


def history_figure(model: RegionModel, lang: str = DEFAULT_LANGUAGE) -> Figure:
    """Mean trust, and completed and stranded initiatives, over time as a new figure."""
    return HistoryPainter(model.params.months, model.initial_mean_trust, lang).paint_model(model)


def opgave_name(model: RegionModel, index: int, lang: str) -> str:
    """The plain name of opgave ``index`` (the region's own label if the table lacks it)."""
    return label(f"opgave.{model.region.opgaven[index]}", lang,
                 default=model.region.opgave_labels[index])


def board_cells(model: RegionModel) -> list[dict]:
    """Per opgave: the open initiatives in each phase, and the ended ones.

    Returns:
        One dict per opgave, in the region's order, with keys ``open`` (phase value to a
        list of initiatives), ``completed`` and ``stranded`` (lists of initiatives).
    """
    rows = [{"open": {p.value: [] for p in OPEN_PHASES}, "completed": [], "stranded": []}
            for _ in model.region.opgaven]
    for initiative in list(model.initiatives):
        row = rows[initiative.opgave]
        phase = initiative.phase
        if phase is Phase.COMPLETED:
            row["completed"].append(initiative)
        elif phase is Phase.STRANDED:
            row["stranded"].append(initiative)
        else:
            row["open"][phase.value].append(initiative)
    return rows


_BOARD_CSS = """
<style>
.ijm-board table {border-collapse: collapse; width: 100%; font-size: 13px;}
.ijm-board th {text-align: left; padding: 4px 6px; background: #f2f4f7; font-weight: 600;}
.ijm-board td {padding: 4px 6px; border-top: 1px solid #e3e6ea; vertical-align: top;}
.ijm-board td.ijm-opgave {font-weight: 600; width: 19%;}
.ijm-chip {display: inline-block; margin: 1px 2px; padding: 1px 6px; border-radius: 10px;
  background: #dbe7f6; color: #123; font-size: 12px; white-space: nowrap;}
.ijm-done {color: #2e8b3a; font-weight: 700; font-size: 15px;}
.ijm-fail {color: #c0392b; font-weight: 700; font-size: 15px;}
.ijm-why {color: #666; font-size: 11px;}
.ijm-status {display: flex; flex-wrap: wrap; gap: 10px; align-items: stretch;}
.ijm-tile {background: #f2f4f7; border-radius: 6px; padding: 6px 12px; min-width: 110px;}
.ijm-tile .ijm-value {font-size: 22px; font-weight: 700;}
.ijm-tile .ijm-name {font-size: 12px; color: #555;}
</style>
"""


def board_html(model: RegionModel, lang: str = DEFAULT_LANGUAGE) -> str:
    """The initiative board: a row per opgave, a column per phase, then the outcomes.

    Open initiatives are chips naming the council that proposed them; ended ones are
    counted, with the latest stranding's reason in plain words.
    """
    councils = model.region.councils
    head = "".join(f"<th>{html.escape(label('phase.' + p.value, lang))}</th>"
                   for p in OPEN_PHASES)
    head = (f"<tr><th></th>{head}<th>{html.escape(label('phase.completed', lang))}</th>"
            f"<th>{html.escape(label('phase.stranded', lang))}</th></tr>")
    body = []
    for k, row in enumerate(board_cells(model)):
        cells = [f'<td class="ijm-opgave">{html.escape(opgave_name(model, k, lang))}</td>']
        for phase in OPEN_PHASES:
            chips = []
            for i in row["open"][phase.value]:
                partners = ", ".join(councils[p] for p in i.participants)
                tip = (f"{label('initiated_by', lang)} {councils[i.initiator]}, "
                       f"{label('with', lang)} {partners}")
                chips.append(f'<span class="ijm-chip" title="{html.escape(tip)}">'
                             f"{html.escape(councils[i.initiator])}</span>")
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
            blamed = ", ".join(councils[b] for b in last.blamed)
            who = f" ({blamed})" if blamed else ""
            why = (f'<br><span class="ijm-why">{html.escape(label("last", lang))}: '
                   f"{html.escape(reason + who)}</span>")
        mark = f"&#10007; {len(failed)}" if failed else ""
        cells.append(f'<td><span class="ijm-fail">{mark}</span>{why}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'{_BOARD_CSS}<div class="ijm-board" data-testid="board"><table>{head}'
            f"{''.join(body)}</table></div>")


def status_html(model: RegionModel, lang: str = DEFAULT_LANGUAGE) -> str:
    """The numbers at a glance: month, rule, proposed, completed, stranded, under way, trust."""
    month, horizon = model.month, model.params.months
    year = month // 12 + 1 if month < horizon else horizon // 12
    tiles = [
        ("month", f"{month} <small>{label('of', lang)} {horizon}</small>",
         f"{label('month', lang)} ({label('year', lang)} {year})"),
        ("started", str(model.started), label("started", lang)),
        ("completed", str(model.completed), label("completed", lang)),
        ("stranded", str(model.stranded), label("stranded", lang)),
        ("under-way", str(model.under_way), label("under_way", lang)),
        ("mean-trust", f"{model.mean_trust():.2f}", label("mean_trust", lang)),
    ]
    parts = [f'<div class="ijm-tile"><div class="ijm-value" data-testid="{key}">{value}</div>'
             f'<div class="ijm-name">{html.escape(name)}</div></div>'
             for key, value, name in tiles]
    rule = label(f"rule.{model.rule.key}", lang, default=model.rule.label)
    parts.append(f'<div class="ijm-tile"><div class="ijm-value" style="font-size:15px" '
                 f'data-testid="rule">{html.escape(rule)}</div>'
                 f'<div class="ijm-name">{html.escape(label("rule_in_force", lang))}</div></div>')
    done = "" if model.running else (
        f'<div class="ijm-tile" data-testid="finished">{html.escape(label("finished", lang))}'
        "</div>")
    return f'{_BOARD_CSS}<div class="ijm-status">{"".join(parts)}{done}</div>'


# -- 3. the page (Solara) ------------------------------------------------------------------


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


@solara.component
def StatusBar(model: RegionModel, tick: int, lang: str):
    """Month, rule and counts as tiles."""
    solara.HTML(unsafe_innerHTML=status_html(model, lang), classes=["ijm-status-bar"])


@solara.component
def TrustNetworkView(model: RegionModel, tick: int, lang: str):
    """The trust network between the councils."""
    deps = [model, tick, lang]
    painter = solara.use_memo(
        lambda: TrustNetworkPainter(model.region.councils, model.region.population, lang),
        [model, lang])
    fig = solara.use_memo(
        lambda: painter.paint(model.trust, [c.active for c in model.councils]), deps)
    with solara.Card(label("network_title", lang), classes=["ijm-network"]):
        solara.FigureMatplotlib(fig, dependencies=deps, format="png", pil_kwargs=PNG_OPTIONS)
        solara.Text(label("network_caption", lang), style={"font-size": "12px"})


@solara.component
def InitiativeBoard(model: RegionModel, tick: int, lang: str):
    """The initiatives per opgave, by phase and outcome."""
    with solara.Card(label("board_title", lang), classes=["ijm-board-card"]):
        solara.Text(label("board_caption", lang), style={"font-size": "12px"})
        solara.HTML(unsafe_innerHTML=board_html(model, lang))


@solara.component
def HistoryView(model: RegionModel, tick: int, lang: str):
    """Mean trust and completed and stranded initiatives over time."""
    deps = [model, tick, lang]
    painter = solara.use_memo(
        lambda: HistoryPainter(model.params.months, model.initial_mean_trust, lang),
        [model, lang])
    fig = solara.use_memo(lambda: painter.paint_model(model), deps)
    with solara.Card(label("history_title", lang), classes=["ijm-history"]):
        solara.FigureMatplotlib(fig, dependencies=deps, format="png", pil_kwargs=PNG_OPTIONS)


@solara.component
def SettingsControls(draft: solara.Reactive[Settings], lang: str):
    """Governance rule, initial trust, fall-to-rise ratio, outside option and seed."""
    settings = draft.value
    names = {label(f"rule.{k}", lang): k for k in GOVERNANCE_RULES}

    def set_field(name):
        return lambda value: draft.set(replace(draft.value, **{name: value}))

    seed_error = None
    try:
        parse_seed(settings.seed)
    except InputProblem as problem:
        seed_error = problem.message(lang)
    with solara.Card(label("settings", lang)):
        solara.Select(label("governance", lang), values=list(names),
                      value=label(f"rule.{settings.governance}", lang),
                      on_value=lambda text: set_field("governance")(names.get(text, "optional")),
                      classes=["ijm-governance"])
        for name, low, high, step in (("initial_trust", 0.0, 1.0, 0.05),
                                      ("fall_ratio", 1.0, 6.0, 0.5),
                                      ("outside_option", 0.0, 1.0, 0.05)):
            value = getattr(settings, name)
            solara.Text(f"{label(name, lang)}: {value:g}",
                        style={"font-size": "13px", "margin-top": "10px"})
            with solara.Div(classes=[f"ijm-{name.replace('_', '-')}"]):
                solara.SliderFloat("", value=value, on_value=set_field(name), min=low,
                                   max=high, step=step)
        solara.Text(label("outside_option_hint", lang,
                          councils=", ".join(outside_option_councils())),
                    style={"font-size": "12px", "color": "#666"})
        solara.InputText(label("seed", lang), value=settings.seed, on_value=set_field("seed"),
                         continuous_update=True, error=seed_error or False,
                         message=None if seed_error else label("seed_hint", lang),
                         classes=["ijm-seed"])


@solara.component
def ClockControls(playing: bool, running: bool, speed: str, lang: str, on_play, on_step,
                  on_reset, on_speed, pending: bool):
    """Play or pause, one month on, start again, and speed."""
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
        solara.Text(label("speed", lang), style={"font-size": "13px", "margin-top": "8px"})
        solara.ToggleButtonsSingle(value=label(speed, lang), values=list(speeds),
                                   on_value=lambda text: on_speed(speeds.get(text, speed)),
                                   classes=["ijm-speed"])
        if pending:
            solara.Info(label("pending_settings", lang), dense=True)
        else:
            solara.Text(label("reset_hint", lang), style={"font-size": "12px", "color": "#666"})


@solara.component
def Page():
    """The dashboard: one model per browser session."""
    lang = solara.use_reactive(DEFAULT_LANGUAGE)
    start = solara.use_memo(default_settings, [])
    draft = solara.use_reactive(start)  # what the controls show
    applied = solara.use_reactive(start)  # what the current model was built from
    first = solara.use_memo(lambda: build_model(start), [])
    model = solara.use_reactive(first)
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("speed_normal")
    problem = solara.use_reactive(None)  # an InputProblem, shown until the next good reset
    gate = solara.use_memo(FrameGate, [])
    solara.use_effect(lambda: gate.drawn(tick.value), [tick.value])

    def play_loop():
        while playing.value:
            current = model.value
            if not current.running:
                playing.value = False
                return
            began = time.perf_counter()
            try:
                current.step()
            except Exception as error:  # a model error must not take the page down
                problem.value = InputProblem("error_step", detail=str(error))
                playing.value = False
                return
            tick.value += 1
            if not gate.wait(tick.value, timeout=10.0):
                playing.value = False  # nobody is drawing: the viewer has gone
                return
            pause = SPEEDS[speed.value] - (time.perf_counter() - began)
            if pause > 0:
                time.sleep(pause)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def toggle_play():
        playing.value = not playing.value

    def step_once():
        if playing.value or not model.value.running:
            return
        try:
            model.value.step()
        except Exception as error:
            problem.value = InputProblem("error_step", detail=str(error))
        tick.value += 1

    def reset():
        playing.value = False
        try:
            fresh = build_model(draft.value)
        except InputProblem as bad:
            problem.value = bad
            return
        except Exception as error:  # anything else is reported, never raised into the page
            problem.value = InputProblem("error_config", detail=str(error))
            return
        problem.value = None
        applied.value = draft.value
        model.value = fresh
        tick.value += 1

    solara.Title(label("title", lang.value))
    with solara.AppBar():
        solara.AppBarTitle(label("title", lang.value))
        solara.ToggleButtonsSingle(value=lang.value.upper(), values=[x.upper() for x in LANGUAGES],
                                   on_value=lambda text: lang.set(text.lower()),
                                   classes=["ijm-language"], style={"margin-left": "auto"})
    with solara.Sidebar():
        ClockControls(
            playing=playing.value, running=model.value.running, speed=speed.value,
            lang=lang.value, on_play=toggle_play, on_step=step_once, on_reset=reset,
            on_speed=speed.set, pending=draft.value != applied.value,
        )
        SettingsControls(draft, lang.value)
    with solara.Column(style={"padding": "8px"}):
        if problem.value is not None:
            with solara.Div(classes=["ijm-problem"]):
                solara.Error(problem.value.message(lang.value))
                solara.Text(label("error_kept", lang.value), style={"font-size": "12px"})
        StatusBar(model.value, tick.value, lang.value)
        with solara.Columns([1, 1]):
            TrustNetworkView(model.value, tick.value, lang.value)
            HistoryView(model.value, tick.value, lang.value)
        InitiativeBoard(model.value, tick.value, lang.value)
