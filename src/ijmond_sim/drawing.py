"""The trust network drawn with matplotlib: one painter for the paper figures and the dashboard.

Arrow ``A -> B`` shows how much council A trusts council B: its width and its
colour on the colour-blind-safe ``cividis`` scale (dark blue = little trust,
yellow = much) both grow with trust, so the picture also reads in grey. A
council that turned away is drawn white with a dashed outline, its arrows grey
and dashed, and labelled as such.

This module sits beside the model and the tools, not inside either: the model
never imports drawing code, and the paper figures (``sweep/figures.py``) and the
dashboard (``dashboard/views.py``) both import it, so neither depends on the other.
It knows no language: callers pass the words to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.patches import Circle, Polygon

from ijmond_sim import palette

TRUST_COLOURMAP = palette.TRUST_COLOURS
TRUST_COLOURS = colormaps[TRUST_COLOURMAP]
# Rough map positions of the IJmond councils (north up); other regions get a circle.
MAP_POSITIONS = {
    "Uitgeest": (0.62, 0.92),
    "Heemskerk": (0.12, 0.55),
    "Beverwijk": (0.88, 0.45),
    "Velsen": (0.38, 0.08),
}
ACTIVE_FACE, AWAY_FACE = "#e8ecf2", "#ffffff"
AWAY_EDGE = "#9a9a9a"


@dataclass(frozen=True)
class NetworkWords:
    """The words the network shows, in the caller's language.

    Attributes:
        turned_away: under a council that turned away.
        little_trust: the low end of the colour key (empty: no key drawn).
        much_trust: the high end of the colour key.
    """

    turned_away: str = "turned away"
    little_trust: str = ""
    much_trust: str = ""


def council_positions(names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Where to draw each council, in [0, 1]: map positions for IJmond, else a circle."""
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


def edge_width(trust: float) -> float:
    """Line width in points of an arrow carrying ``trust``."""
    return 0.6 + 6.0 * trust


class TrustNetworkPainter:
    """Draws the directed trust network into one axes; built once, repainted cheaply.

    Building places the circles, arrows and texts; :meth:`paint` only changes
    widths, colours and texts, which keeps a month's redraw cheap while the
    dashboard plays.

    Args:
        ax: the axes to draw into (its limits and aspect are set here).
        names: council names, in the trust matrix's order.
        population: residents per council (circle sizes); equal circles if None.
        words: the texts to show.
        numbers: write each arrow's trust on it.
        fontsize: size of the council names in points (other texts scale with it).
        number_format: formats a trust value for the arrows (e.g. with a decimal comma).
    """

    def __init__(self, ax: Axes, names: Sequence[str], population: Sequence[float] | None = None,
                 words: NetworkWords = NetworkWords(), numbers: bool = True, fontsize: float = 8,
                 number_format=lambda value: f"{value:.2f}") -> None:
        self.names = list(names)
        self.words = words
        self.number_format = number_format
        pos = council_positions(self.names)
        if population is None:
            radius = np.full(len(self.names), 0.1)
        else:
            population = np.asarray(population, float)
            radius = 0.075 + 0.035 * np.sqrt(population / population.max())
        ax.set_xlim(-0.08, 1.08)
        ax.set_ylim(-0.1 if words.little_trust else -0.02, 1.05)
        ax.set_aspect("equal")
        ax.axis("off")
        self.edges = []
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                if i == j:
                    continue
                curve, direction = curved_arrow(pos[a], pos[b], radius[i] + 0.01, radius[j] + 0.01)
                (line,) = ax.plot(*curve.T, solid_capstyle="round", zorder=1)
                head = Polygon(np.zeros((3, 2)), closed=True, zorder=2, linewidth=0)
                ax.add_patch(head)
                text = None
                if numbers:
                    text = ax.text(*curve[len(curve) // 2], "", fontsize=fontsize * 0.85,
                                   ha="center", va="center", color="#111111", zorder=3,
                                   bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                         "edgecolor": "none", "alpha": 0.85})
                self.edges.append((i, j, curve, direction, line, head, text))
        self.nodes = []
        for i, n in enumerate(self.names):
            x, y = pos[n]
            circle = Circle((x, y), radius[i], linewidth=1.5, zorder=4)
            ax.add_patch(circle)
            name = ax.text(x, y, n, ha="center", va="center", fontsize=fontsize * 0.9,
                           fontweight="bold", zorder=5,
                           bbox={"boxstyle": "round,pad=0.1", "facecolor": ACTIVE_FACE,
                                 "edgecolor": "none", "alpha": 0.8})
            away = ax.text(x, y - radius[i] - 0.02, "", ha="center", va="top",
                           fontsize=fontsize, fontstyle="italic", color="#333333", zorder=5)
            self.nodes.append((circle, name, away))
        if words.little_trust:  # colour key in the same axes (a second axes costs more)
            ax.imshow(np.linspace(0, 1, 64)[None, :], aspect="auto", cmap=TRUST_COLOURS,
                      extent=(0.36, 0.64, -0.075, -0.045), zorder=0)
            ax.text(0.34, -0.06, words.little_trust, ha="right", va="center", fontsize=fontsize * 0.8)
            ax.text(0.66, -0.06, words.much_trust, ha="left", va="center", fontsize=fontsize * 0.8)

    def paint(self, trust: np.ndarray, active: Sequence[bool]) -> None:
        """Show ``trust`` (``trust[i, j]``: i's trust in j) and who is still ``active``."""
        active = [bool(x) for x in active]
        for i, j, curve, direction, line, head, text in self.edges:
            value = float(trust[i, j])
            if active[i] and active[j]:
                colour = TRUST_COLOURS(value)
                line.set(color=colour, linewidth=edge_width(value), linestyle="-", alpha=0.95)
                size = 0.025 + 0.012 * value
                side = np.array([-direction[1], direction[0]])
                base = curve[-1] - direction * size * 1.6
                head.set_xy([curve[-1], base + side * size, base - side * size])
                head.set(facecolor=colour, visible=True)
                shown = self.number_format(value)
            else:
                line.set(color=AWAY_EDGE, linewidth=1.0, linestyle=(0, (3, 3)), alpha=0.7)
                head.set_visible(False)
                shown = ""
            if text is not None:
                text.set_text(shown)
                text.set_visible(bool(shown))
        for on, (circle, name, away) in zip(active, self.nodes, strict=True):
            face = ACTIVE_FACE if on else AWAY_FACE
            circle.set(facecolor=face, edgecolor="#1a1a1a" if on else "#555555",
                       linestyle="-" if on else "--")
            name.set_color("#111111" if on else "#555555")
            name.get_bbox_patch().set_facecolor(face)
            away.set_text("" if on else self.words.turned_away)


def draw_trust_network(ax: Axes, names: Sequence[str], trust: np.ndarray, active: Sequence[bool],
                       **options) -> TrustNetworkPainter:
    """Draw the trust network once into ``ax``; ``options`` as for :class:`TrustNetworkPainter`."""
    painter = TrustNetworkPainter(ax, names, **options)
    painter.paint(trust, active)
    return painter
