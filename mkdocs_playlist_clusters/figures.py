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
WIDTH_INCHES = 7.5
HEIGHT_INCHES = 5.2
DPI = 160


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
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    count = int(labels.max()) + 1 if len(labels) else 0
    sizes = np.bincount(labels, minlength=count)
    point_size = float(np.clip(3000 / max(len(labels), 1), 5, 30))
    projection = spread_overlaps(projection)
    for number in range(count):
        members = projection[labels == number]
        colour = cluster_colour(number)
        axes.scatter(
            members[:, 0],
            members[:, 1],
            s=point_size,
            color=colour,
            alpha=0.65,
            linewidths=0,
            label=f"#{number + 1}  ({sizes[number]} tracks)",
            rasterized=True,
        )
    for number in range(count):
        centre = projection[labels == number].mean(axis=0)
        axes.annotate(
            str(number + 1),
            centre,
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color="white",
            bbox={"boxstyle": "circle,pad=0.3", "fc": cluster_colour(number), "ec": "white"},
        )
    label_axes(axes, *axes_titles)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = axes.legend(
        title="Cluster",
        fontsize=9.5,
        title_fontsize=10,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        markerscale=max(1.0, 40 / point_size) ** 0.5,
    )
    for handle in legend.legend_handles:
        if handle is not None:
            handle.set_alpha(1.0)
    buffer = io.BytesIO()
    # No "Software" entry: the PNG must not change when only matplotlib's version does.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


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
    read without turning one's head.
    """
    axes.set_xlabel(horizontal.name, fontsize=10.5, labelpad=20)
    axes.set_ylabel(vertical.name, fontsize=10.5, labelpad=6)
    axes.tick_params(labelbottom=False, labelleft=False, length=0)
    style: dict[str, Any] = {
        "fontsize": 9.5,
        "color": "#222222",
        "fontweight": "bold",
        "transform": axes.transAxes,
    }
    axes.text(0, -0.015, f"← {end_words(horizontal.low)}", ha="left", va="top", **style)
    axes.text(1, -0.015, f"{end_words(horizontal.high)} →", ha="right", va="top", **style)
    if vertical.low or vertical.high:
        box = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.8}
        top, bottom = end_words(vertical.high), end_words(vertical.low)
        axes.text(0.01, 0.99, f"↑ {top}", ha="left", va="top", bbox=box, **style)
        axes.text(0.01, 0.01, f"↓ {bottom}", ha="left", va="bottom", bbox=box, **style)
