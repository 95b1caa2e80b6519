"""The scatter image of a playlist's clusters."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

# Colour-blind-safe qualitative palette (Okabe-Ito), extended with tab20 hues for k > 8.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#AEC7E8",
    "#FFBB78",
    "#98DF8A",
)
# The image is shown at its natural size or shrunk to the text column: about 690 CSS px on a
# desktop, 358 px on a 390 px phone. Its text must stay readable at the narrower one, so the
# figure is narrow, its legend sits below the plot and no text is smaller than
# SMALLEST_FONT_PT: at 358 px that is 10.5 / 72 * 358 / 5.2 = 10.0 CSS px.
WIDTH_INCHES = 5.2
PLOT_HEIGHT_INCHES = 4.3  # everything but the legend
LEGEND_ROW_INCHES = 0.27
DPI = 160  # 832 px wide: sharp at the width a desktop shows it
SMALLEST_FONT_PT = 10.5
LABEL_FONT_PT = 11.0
BACKGROUND = "white"  # opaque, so the text keeps its contrast on a dark page too
TEXT_COLOUR = "#222222"


def cluster_colour(number: int) -> str:
    return PALETTE[number % len(PALETTE)]


@dataclass(frozen=True)
class AxisTitle:
    """An axis's name and the words for its two ends."""

    name: str
    low: str
    high: str


def scatter_png(
    projection: np.ndarray, labels: np.ndarray, axes_titles: Sequence[AxisTitle]
) -> bytes:
    """PNG of the tracks' 2-D projection coloured by cluster, with numbered cluster centres.

    Byte-identical for identical input: no timestamp or software version is written.
    """
    figure = scatter_figure(projection, labels, axes_titles)
    buffer = io.BytesIO()
    # No "Software" entry: the PNG must not change when only matplotlib's version does.
    figure.savefig(buffer, format="png", metadata={"Software": None}, facecolor=BACKGROUND)
    return buffer.getvalue()


def scatter_figure(
    projection: np.ndarray, labels: np.ndarray, axes_titles: Sequence[AxisTitle]
) -> Figure:
    """The figure `scatter_png` saves."""
    count = int(labels.max()) + 1 if len(labels) else 0
    figure = Figure(figsize=(WIDTH_INCHES, PLOT_HEIGHT_INCHES), dpi=DPI, layout="constrained")
    figure.set_facecolor(BACKGROUND)
    FigureCanvasAgg(figure)  # a renderer to measure text with while laying out
    axes = figure.add_subplot()
    sizes = np.bincount(labels, minlength=count)
    point_size = float(np.clip(2000 / max(len(labels), 1), 4, 24))
    projection = spread_overlaps(projection)
    for number in range(count):
        members = projection[labels == number]
        tracks = f"{sizes[number]} {'track' if sizes[number] == 1 else 'tracks'}"
        axes.scatter(
            members[:, 0],
            members[:, 1],
            s=point_size,
            color=cluster_colour(number),
            alpha=0.65,
            linewidths=0,
            label=f"#{number + 1} ({tracks})",
            rasterized=True,
        )
    for number in range(count):
        centre = projection[labels == number].mean(axis=0)
        axes.annotate(
            str(number + 1),
            centre,
            ha="center",
            va="center",
            fontsize=SMALLEST_FONT_PT,
            fontweight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.3", "fc": cluster_colour(number), "ec": "white"},
        )
    label_axes(axes, *axes_titles)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if count:
        add_legend(figure, count, point_size)
    return figure


def add_legend(figure: Figure, count: int, point_size: float) -> None:
    """The legend below the plot, in as many columns as fit the figure's width; the figure
    grows by the legend's rows, so the plot keeps its size."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for columns in (min(count, 4), 3, 2, 1):
        legend = figure.legend(
            title="Cluster",
            fontsize=SMALLEST_FONT_PT,
            title_fontsize=LABEL_FONT_PT,
            loc="outside lower center",
            ncols=columns,
            frameon=False,
            columnspacing=1.2,
            handletextpad=0.3,
            markerscale=max(1.0, 40 / point_size) ** 0.5,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= 0.96 * figure.bbox.width:
            break
        legend.remove()
    for handle in legend.legend_handles:
        if handle is not None:
            handle.set_alpha(1.0)
    rows = -(-count // columns)
    figure.set_figheight(PLOT_HEIGHT_INCHES + LEGEND_ROW_INCHES * (rows + 1))


def spread_overlaps(projection: np.ndarray) -> np.ndarray:
    """Nudge coinciding points apart so that each track stays visible.

    Metadata (same label, same artists) puts many tracks on one spot; audio features rarely
    do. The nudge is seeded, so the image stays reproducible.
    """
    if len(projection) == 0:
        return projection
    distinct = len(np.unique(projection.round(6), axis=0))
    if distinct > 0.9 * len(projection):
        return projection
    span = np.ptp(projection, axis=0)
    span[span == 0] = 1.0
    jitter = np.random.default_rng(0).normal(0, 0.015, projection.shape) * span
    return projection + jitter


def end_words(words: str) -> str:
    """At most two of an axis end's words, each cut to fit, in glyphs the font has."""
    kept = []
    for word in words.split(", ")[:2]:
        if not word or not renderable(word):
            continue
        kept.append(word if len(word) <= 22 else word[:21] + "…")
    return ", ".join(kept)


def renderable(text: str) -> bool:
    """Whether matplotlib's default font draws every character (it lacks Hangul, kana, ...)."""
    return all(ord(ch) in _default_charmap() for ch in text)


@functools.cache
def _default_charmap() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(FT2Font(path).get_charmap())


def label_axes(axes: Axes, horizontal: AxisTitle, vertical: AxisTitle) -> None:
    """Name each axis and say what its ends mean.

    Principal-component coordinates have no unit a listener knows, so tick values are hidden.
    The vertical axis's ends are written horizontally inside the corners, where they can be
    read without turning one's head. The horizontal axis's ends share a line below the plot
    when they fit side by side, else each end's words are stacked.
    """
    axes.set_ylabel(vertical.name.replace(": ", ":\n", 1), fontsize=LABEL_FONT_PT, labelpad=4)
    axes.tick_params(labelbottom=False, labelleft=False, length=0)
    style: dict[str, Any] = {
        "fontsize": SMALLEST_FONT_PT,
        "color": TEXT_COLOUR,
        "fontweight": "bold",
        "transform": axes.transAxes,
    }
    low, high = end_words(horizontal.low), end_words(horizontal.high)
    ends = [
        axes.text(0, -0.015, f"← {low}", ha="left", va="top", **style),
        axes.text(1, -0.015, f"{high} →", ha="right", va="top", **style),
    ]
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    widths = sum(text.get_window_extent(renderer).width for text in ends)
    stacked = widths > 0.95 * axes.get_window_extent(renderer).width
    if stacked:
        ends[0].set_text("← " + low.replace(", ", ",\n"))
        ends[1].set_text(high.replace(", ", ",\n") + " →")
    lines = 2 if stacked and ", " in low + high else 1
    axes.set_xlabel(
        horizontal.name, fontsize=LABEL_FONT_PT, labelpad=4 + lines * 1.25 * SMALLEST_FONT_PT
    )
    if vertical.low or vertical.high:
        box = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.8}
        top, bottom = end_words(vertical.high), end_words(vertical.low)
        axes.text(0.01, 0.99, f"↑ {top}", ha="left", va="top", bbox=box, **style)
        axes.text(0.01, 0.01, f"↓ {bottom}", ha="left", va="bottom", bbox=box, **style)
