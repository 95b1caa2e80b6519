"""The figures of a playlist's clusters: the scatter (PNG, and SVG with a tooltip and a link per
track), a thumbnail of it for the overview, and the profile of every cluster's features.

Every figure has a transparent background and is drawn to stay readable on a white page
(Material's default scheme, the built-in `mkdocs` theme) and on a dark one (Material's slate,
about #1e2129): text is dark with a white halo, lines are mid-grey and every cluster colour keeps
a contrast of at least 3:1 against both backgrounds. On a dark page the SVGs redraw their text
light on a halo of the page's colour (`dark_scheme`). All output is byte-identical for
identical input.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from ..language import ENGLISH, Language
from .colours import cluster_colour
from .figure_style import (
    DPI,
    LABEL_FONT_PT,
    LEGEND_ROW_INCHES,
    LINE_COLOUR,
    PLOT_HEIGHT_INCHES,
    POINT_ALPHA,
    SMALLEST_FONT_PT,
    WIDTH_INCHES,
    png_bytes,
)
from .figure_text import browser_text, end_words, plain_text, with_halos
from .marks import (
    MAX_MIX_NUMBERS,
    MIX_RING_SIZE,
    MIX_RING_WIDTH,
    Mark,
    cluster_count,
    draw_mix_rings,
    mix_centres,
    place_marks,
)
from .svg import SVG_NAMESPACE, dark_scheme, points_gid, svg_point, svg_settings, svg_tree

# Up to this many clusters the legend gives each one's tracks (and mixes); beyond, "#12" alone,
# in up to 8 columns: 30 entries of "#12 (1307 tracks, 10 mixes)" need one column, 8 inches
# high. The badges carry the same numbers, the profile and the page the sizes.
LEGEND_DETAILS_UP_TO = 10
# The overview's thumbnail: 240 x 170 CSS px, drawn at twice that for sharp high-DPI screens.
THUMBNAIL_INCHES = (2.4, 1.7)
THUMBNAIL_DPI = 200


@dataclass(frozen=True)
class AxisTitle:
    """An axis's name and the words for its two ends."""

    name: str
    low: str
    high: str


def scatter_png(
    projection: np.ndarray,
    labels: np.ndarray,
    axes_titles: Sequence[AxisTitle],
    *,
    mixes: np.ndarray | None = None,
    language: Language = ENGLISH,
) -> bytes:
    """PNG of the tracks' 2-D projection coloured by cluster, with numbered cluster centres and,
    given each track's mix (0-based), a ring on each mix's centre.

    Byte-identical for identical input: no timestamp or software version is written.
    """
    figure = scatter_figure(projection, labels, axes_titles, mixes=mixes, language=language)
    return png_bytes(figure)


def scatter_svg(
    projection: np.ndarray,
    labels: np.ndarray,
    axes_titles: Sequence[AxisTitle],
    tooltips: Sequence[str],
    links: Sequence[str | None],
    *,
    mixes: np.ndarray | None = None,
    language: Language = ENGLISH,
) -> bytes:
    """The PNG's picture (with the same `mixes`) as an SVG in which each track's point has
    `tooltips[i]` as its native `<title>` and, where `links[i]` is not None, is a link to it
    that leaves an `<object>` embed.

    A browser shows the title on hover by itself; the SVG's one script follows the page's
    colour scheme (`dark_scheme`). Meant for at most MAX_SVG_POINTS
    tracks. `links` must be https URLs (the page passes only validated Spotify track links).
    """
    check_points(labels, tooltips, links)
    with svg_settings():
        figure = scatter_figure(
            projection, labels, axes_titles, vector=True, mixes=mixes, language=language
        )
        with browser_text(figure):
            root = svg_tree(figure, dark_scheme(embedded=True))
    groups = {group.get("id"): group for group in root.iter(f"{{{SVG_NAMESPACE}}}g")}
    # The points are written here from the data, into the (empty) group that the SVG backend
    # writes for each cluster's collection under its gid: at 72 dpi matplotlib's display
    # coordinates are the SVG's user units (points), with y pointing up instead of down.
    # Only the points answer the mouse: a badge, ring or number drawn over a point must not
    # take its tooltip and link.
    root.set("pointer-events", "none")
    positions = figure.axes[0].transData.transform(spread_overlaps(projection))
    positions[:, 1] = figure.bbox.height - positions[:, 1]
    radius = f"{point_size(len(labels)) ** 0.5 / 2:.2f}"  # a marker's size is its area in pt²
    points = {}
    for number in range(cluster_count(labels)):
        members = np.flatnonzero(labels == number).tolist()
        group = groups.get(points_gid(number))
        if group is None:
            if not members:
                continue
            raise RuntimeError(f"matplotlib wrote no group with the gid {points_gid(number)}")
        group.set("style", f"fill: {cluster_colour(number).lower()}; fill-opacity: {POINT_ALPHA}")
        group.set("pointer-events", "visiblePainted")
        # The points go in as text where this comment is: 10,000 elements cost ElementTree
        # a tenth of a second to build and write. Escaped data never holds "<!--".
        group.append(ET.Comment(f"points {number}"))
        points[number] = "".join(
            svg_point(positions[track], radius, tooltips[track], links[track]) for track in members
        )
    text = ET.tostring(root, encoding="unicode")
    for number, markup in points.items():
        text = text.replace(f"<!--points {number}-->", markup, 1)
    return f"<?xml version='1.0' encoding='utf-8'?>\n{text}\n".encode()


def check_points(labels: np.ndarray, tooltips: Sequence[str], links: Sequence[str | None]) -> None:
    """Raise ValueError unless every track has a tooltip and an https link (or None)."""
    if not len(tooltips) == len(links) == len(labels):
        raise ValueError(
            f"scatter_svg needs a tooltip and a link (or None) per track: {len(labels)} tracks, "
            f"{len(tooltips)} tooltips, {len(links)} links"
        )
    for link in links:
        if link is not None and not link.startswith("https://"):
            raise ValueError(f"scatter_svg links must be https URLs, not {link[:60]!r}")


def point_size(tracks: int) -> float:
    return float(np.clip(2000 / max(tracks, 1), 4, 24))


def scatter_figure(
    projection: np.ndarray,
    labels: np.ndarray,
    axes_titles: Sequence[AxisTitle],
    *,
    vector: bool = False,
    mixes: np.ndarray | None = None,
    language: Language = ENGLISH,
) -> Figure:
    """The figure `scatter_png` saves; with `vector`, the figure `scatter_svg` completes: laid
    out in points and without the points themselves (their collections are empty and keep
    their gids, where `scatter_svg` writes each point with its title and link)."""
    if mixes is not None and len(mixes) != len(labels):
        raise ValueError(f"scatter needs a mix per track: {len(labels)} tracks, {len(mixes)} mixes")
    if mixes is not None and len(mixes) and int(np.min(mixes)) < 0:
        raise ValueError("scatter needs a mix per track numbered from 0, not a negative number")
    with plain_text():
        return _scatter_figure(
            projection, labels, axes_titles, vector=vector, mixes=mixes, language=language
        )


def _scatter_figure(
    projection: np.ndarray,
    labels: np.ndarray,
    axes_titles: Sequence[AxisTitle],
    *,
    vector: bool,
    mixes: np.ndarray | None,
    language: Language,
) -> Figure:
    count = cluster_count(labels)
    # At 72 dpi display coordinates are points, the SVG's units (see `scatter_svg`).
    figure = Figure(
        figsize=(WIDTH_INCHES, PLOT_HEIGHT_INCHES), dpi=72 if vector else DPI, layout="constrained"
    )
    FigureCanvasAgg(figure)  # a renderer to measure text with while laying out
    axes = figure.add_subplot()
    sizes = np.bincount(labels, minlength=count)
    size = point_size(len(labels))
    projection = spread_overlaps(projection)
    mix_counts = np.zeros(count, dtype=int)
    if mixes is not None:
        numbers, centres, families = mix_centres(projection, labels, mixes)
        mix_counts = np.bincount(families, minlength=count)
    points = draw_points(
        axes,
        projection,
        labels,
        size,
        lambda number: {
            "label": legend_entry(int(sizes[number]), int(mix_counts[number]), number, language)
            if count <= LEGEND_DETAILS_UP_TO
            else f"#{number + 1}",
            "gid": points_gid(number),
        },
    )
    corners = label_axes(axes, *axes_titles, every_word=vector, comma=language.gettext(", "))
    grid_and_spines(axes)
    marks: list[Mark] = []
    rings: list[Any] = []
    if mixes is not None:
        marks, rings = mix_marks(axes, numbers, centres, families)
    if count:
        add_legend(figure, count, size, family=mixes is not None, language=language)
    if vector:  # `scatter_svg` writes the points itself, each with its title and link
        for collection in points:
            collection.set_offsets(np.empty((0, 2)))
    badges = [
        Mark(tuple(projection[labels == number].mean(axis=0)), str(number + 1), number)
        for number in np.flatnonzero(sizes).tolist()
    ]
    place_marks(axes, badges + marks, corners, rings)
    with_halos(figure, path_effects=not vector)
    return figure


def grid_and_spines(axes: Axes) -> None:
    """A light grid under the points; the left and bottom spines only, in the line colour."""
    axes.grid(True, color=LINE_COLOUR, alpha=0.35, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(LINE_COLOUR)


def mix_marks(
    axes: Axes, numbers: np.ndarray, centres: np.ndarray, families: np.ndarray
) -> tuple[list[Mark], list[Any]]:
    """The mixes' rings drawn, with (marks to place: their numbers, the rings they must not
    cover); none of either beyond MAX_MIX_NUMBERS mixes."""
    rings = draw_mix_rings(axes, centres, families)
    if len(centres) > MAX_MIX_NUMBERS:  # too many to number, and to part: the rings show
        return [], []  # where mixes crowd
    marks = [
        Mark(tuple(centre), f"{mix + 1}", None)
        for mix, centre in zip(numbers.tolist(), centres, strict=True)
    ]
    return marks, rings


def legend_entry(tracks: int, mixes: int, number: int, language: Language = ENGLISH) -> str:
    """A cluster's legend entry: "#2 (340 tracks)", or "#2 (340 tracks, 4 mixes)"."""
    words = [language.tr_n("{count} track", "{count} tracks", tracks)]
    if mixes:
        words.append(language.tr_n("{count} mix", "{count} mixes", mixes))
    # A right-to-left mark first: else the browser reads "#2 (340" left to right and puts the
    # Arabic words after it.
    mark = "\u200f" if language.locale.character_order == "right-to-left" else ""
    # As a sized heading: in the brackets the language writes (full-width in Japanese).
    sized = language.tr(
        "{heading} ({tracks})", heading=f"#{number + 1}", tracks=language.join(words)
    )
    return mark + sized


def draw_points(
    axes: Axes,
    projection: np.ndarray,
    labels: np.ndarray,
    size: float,
    extra: Callable[[int], dict[str, Any]] = lambda number: {},
) -> list[Any]:
    """Each cluster's tracks as dots of its colour, a collection each; `extra` gives more
    scatter options per cluster (its legend label, ...)."""
    collections = []
    for number in range(cluster_count(labels)):
        members = projection[labels == number]
        collection = axes.scatter(
            members[:, 0],
            members[:, 1],
            s=size,
            color=cluster_colour(number),
            alpha=POINT_ALPHA,
            linewidths=0,
            **extra(number),
        )
        collections.append(collection)
    return collections


def add_legend(
    figure: Figure,
    count: int,
    point_size: float,
    *,
    family: bool = False,
    language: Language = ENGLISH,
) -> None:
    """The legend below the plot, in as many columns as fit the figure's width; the figure
    grows by the legend's rows, so the plot keeps its size. With `family`, the clusters are
    families and a last entry shows what marks a mix's centre."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    markerscale = max(1.0, 40 / point_size) ** 0.5
    handles, labels = figure.axes[0].get_legend_handles_labels()
    if family:
        ring = Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=MIX_RING_SIZE**0.5 / markerscale,  # the ring's size once scaled
            markerfacecolor="none",
            markeredgecolor=LINE_COLOUR,  # the rings' colours vary; grey reads on both pages
            markeredgewidth=MIX_RING_WIDTH,
        )
        handles, labels = [*handles, ring], [*labels, language.tr("centre of a mix")]
    for columns in range(
        min(len(handles), 4 if len(handles) <= LEGEND_DETAILS_UP_TO else 8), 0, -1
    ):
        legend = figure.legend(
            handles,
            labels,
            title=language.tr("Family") if family else language.tr("Mix"),  # one level: mixes
            fontsize=SMALLEST_FONT_PT,
            title_fontsize=LABEL_FONT_PT,
            loc="outside lower center",
            ncols=columns,
            frameon=False,
            columnspacing=1.2,
            handletextpad=0.3,
            markerscale=markerscale,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= 0.96 * figure.bbox.width:
            break
        legend.remove()
    for handle in legend.legend_handles:
        if handle is not None:
            handle.set_alpha(1.0)
    rows = -(-len(handles) // columns)
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


def label_axes(
    axes: Axes,
    horizontal: AxisTitle,
    vertical: AxisTitle,
    *,
    every_word: bool = False,
    comma: str = ", ",
) -> list[Text]:
    """Name each axis and say what its ends mean; returns the texts inside the plot (the
    vertical axis's ends).

    Principal-component coordinates have no unit a listener knows, so tick values are hidden.
    The vertical axis's ends are written horizontally inside the corners, where they can be
    read without turning one's head (their halo keeps them legible over points). The horizontal
    axis's ends share a line below the plot when they fit side by side, else each end's words
    are stacked.
    """
    axes.set_ylabel(vertical.name.replace(": ", ":\n", 1), fontsize=LABEL_FONT_PT, labelpad=4)
    axes.tick_params(labelbottom=False, labelleft=False, length=0)
    style: dict[str, Any] = {
        "fontsize": SMALLEST_FONT_PT,
        "fontweight": "bold",
        "transform": axes.transAxes,
    }
    low, high = (end_words(words, every_word, comma) for words in (horizontal.low, horizontal.high))
    ends = [
        axes.text(0, -0.015, f"← {low}", ha="left", va="top", **style),
        axes.text(1, -0.015, f"{high} →", ha="right", va="top", **style),
    ]
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    widths = sum(text.get_window_extent(renderer).width for text in ends)
    stacked = widths > 0.95 * axes.get_window_extent(renderer).width
    if stacked:
        ends[0].set_text("← " + low.replace(comma, comma.rstrip() + "\n"))
        ends[1].set_text(high.replace(comma, comma.rstrip() + "\n") + " →")
    lines = 2 if stacked and comma in low + high else 1
    axes.set_xlabel(
        horizontal.name, fontsize=LABEL_FONT_PT, labelpad=4 + lines * 1.25 * SMALLEST_FONT_PT
    )
    if vertical.low or vertical.high:
        top, bottom = (
            end_words(words, every_word, comma) for words in (vertical.high, vertical.low)
        )
        return [
            axes.text(0.01, 0.99, f"↑ {top}", ha="left", va="top", zorder=5, **style),
            axes.text(0.01, 0.01, f"↓ {bottom}", ha="left", va="bottom", zorder=5, **style),
        ]
    return []


def thumbnail_png(projection: np.ndarray, labels: np.ndarray) -> bytes:
    """A small scatter without text for the overview page: 480 x 340 px, shown at 240 x 170 CSS
    px. Byte-identical for identical input."""
    figure = Figure(figsize=THUMBNAIL_INCHES, dpi=THUMBNAIL_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.02, 0.96, 0.96))
    axes.set_axis_off()
    projection = spread_overlaps(projection)
    size = point_size(len(labels)) * 0.5  # the same crowding as the page's scatter, at half size
    draw_points(axes, projection, labels, size)
    axes.margins(0.03)
    # An overview shows one a playlist: 64 colours (with alpha) keep it near 25 kB instead of
    # 125 kB for 7,785 blended points, with no difference one can see at 240 px.
    image = Image.open(io.BytesIO(png_bytes(figure))).quantize(
        colors=64, method=Image.Quantize.FASTOCTREE
    )
    buffer = io.BytesIO()
    # Without `optimize`: 3% larger (25.8 kB instead of 25.0 at 10,000 tracks), 20 ms faster.
    image.save(buffer, format="PNG")
    return buffer.getvalue()
