"""The profile: every cluster's features as a grid of cells, blue below the playlist's
average and red above, the same colours on every page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ..language import ENGLISH, Language
from .figure_style import (
    CELL_INK,
    DPI,
    LINE_COLOUR,
    SMALLEST_FONT_PT,
    WIDTH_INCHES,
    contrast_ratio,
    relative_luminance,
)
from .figure_text import browser_text, narrow_minus, plain_text, with_halos
from .marks import number_badge
from .svg import dark_scheme, svg_settings, svg_tree

# The profile's cells: one row a feature, one column a cluster; colours saturate at 2 standard
# deviations, so a colour means the same on every playlist's page.
PROFILE_ROW_INCHES = 0.3
PROFILE_MAX_COLUMNS = 10
PROFILE_LIMIT = 2.0
PROFILE_COLOURMAP = "RdBu_r"  # blue below the playlist, red above; readable with colour blindness


def profile_svg(
    shifts: np.ndarray,
    feature_names: Sequence[str],
    sizes: Sequence[int],
    *,
    language: Language = ENGLISH,
    mixes: bool = False,
) -> bytes:
    """An SVG of where each cluster's mean lies against the playlist's (see `profile_figure`).

    SVG rather than PNG: a few hundred shapes and glyphs, so it is smaller than the PNG would be
    and sharp at any zoom. Byte-identical for identical input.
    """
    with svg_settings():
        figure = profile_figure(
            shifts, feature_names, sizes, vector=True, language=language, mixes=mixes
        )
        with browser_text(figure):
            root = svg_tree(figure, dark_scheme(embedded=False))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def profile_figure(
    shifts: np.ndarray,
    feature_names: Sequence[str],
    sizes: Sequence[int],
    *,
    vector: bool = False,
    language: Language = ENGLISH,
    mixes: bool = False,
) -> Figure:
    """A heatmap with a row per feature and a column per cluster: each cell is how many standard
    deviations the cluster's mean lies above (red) or below (blue) the playlist's, written in the
    cell. A feature the playlist lacks (NaN) reads "n/a". Columns are headed by the cluster's
    numbered disc in its scatter colour and its number of tracks. The clusters are called
    families, or mixes (`mixes`) on a page of one level, as the page calls them.
    """
    with plain_text():
        return _profile_figure(
            shifts, feature_names, sizes, vector=vector, language=language, mixes=mixes
        )


def _profile_figure(
    shifts: np.ndarray,
    feature_names: Sequence[str],
    sizes: Sequence[int],
    *,
    vector: bool,
    language: Language,
    mixes: bool = False,
) -> Figure:
    shifts = np.asarray(shifts, dtype=float)
    clusters, features = shifts.shape
    if features != len(feature_names) or clusters != len(sizes):
        raise ValueError(
            f"profile needs a name per feature and a size per cluster: shifts are {shifts.shape}, "
            f"{len(feature_names)} names, {len(sizes)} sizes"
        )
    # Up to PROFILE_MAX_COLUMNS clusters are columns; more would not fit the width, so then
    # each cluster is a row (and each feature a column, its name turned upright).
    transposed = clusters > PROFILE_MAX_COLUMNS
    columns, rows = (features, clusters) if transposed else (clusters, features)
    caption_inches = 0.55
    # With a badge at the left edge: the layout makes room for its number, not its disc (3 pt
    # more).
    layout = ConstrainedLayoutEngine(w_pad=6 / 72 if transposed else 3 / 72)  # 3: the default
    figure = Figure(figsize=(WIDTH_INCHES, 1.0), dpi=DPI, layout=layout)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_xlim(0, max(columns, 1))
    axes.set_axis_off()
    values = draw_cells(axes, shifts, transposed, language)
    head = language.tr("Mix") if mixes else language.tr("Family")
    if transposed:
        header_inches = _cluster_rows(figure, axes, feature_names, sizes, language, head)
    else:
        header_inches = 0.75
        rows_above = header_inches / PROFILE_ROW_INCHES
        _cluster_columns(axes, feature_names, sizes, rows_above, language, head)
    axes.set_ylim(rows, -header_inches / PROFILE_ROW_INCHES)
    figure.set_figheight(header_inches + PROFILE_ROW_INCHES * rows + caption_inches)
    if mixes:
        caption = language.tr(
            "Mix mean against the playlist's, in standard deviations:\nred above, blue below"
        )
    else:
        caption = language.tr(
            "Family mean against the playlist's, in standard deviations:\nred above, blue below"
        )
    figure.supxlabel(caption, fontsize=SMALLEST_FONT_PT)
    narrow_minus(figure, axes, values)
    with_halos(figure, path_effects=not vector, skip=values)
    return figure


def draw_cells(axes: Axes, shifts: np.ndarray, transposed: bool, language: Language) -> list[Text]:
    """A cell for each cluster and feature, coloured by its shift (dashed, "n/a", where it is
    unknown); returns the values' texts."""
    clusters, features = shifts.shape
    colours = colormaps[PROFILE_COLOURMAP]
    scale = Normalize(-PROFILE_LIMIT, PROFILE_LIMIT, clip=True)
    values: list[Text] = []
    for cluster, feature in np.ndindex(clusters, features):
        column, row = (feature, cluster) if transposed else (cluster, feature)
        value = shifts[cluster, feature]
        cell = Rectangle((column + 0.04, row + 0.06), 0.92, 0.88, linewidth=0.5)
        text: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": SMALLEST_FONT_PT}
        if np.isnan(value):
            cell.set(facecolor="none", edgecolor=LINE_COLOUR, linestyle=(0, (2, 2)))
            axes.add_patch(cell)
            axes.text(column + 0.5, row + 0.5, language.tr("n/a"), **text)
            continue
        fill = colours(scale(value))
        cell.set(facecolor=fill, edgecolor=LINE_COLOUR)
        axes.add_patch(cell)
        values.append(
            axes.text(
                column + 0.5, row + 0.5, shift_text(value, language), color=ink_on(fill), **text
            )
        )
    return values


def _cluster_columns(
    axes: Axes,
    feature_names: Sequence[str],
    sizes: Sequence[int],
    header_rows: float,
    language: Language = ENGLISH,
    head: str = "Family",
) -> None:
    """Heads of the profile with a column per cluster: a feature's name left of its row, a
    cluster's badge and number of tracks above its column."""
    small: dict[str, Any] = {"fontsize": SMALLEST_FONT_PT, "va": "center"}
    for row, name in enumerate(feature_names):
        axes.text(-0.15, row + 0.5, name, ha="right", **small)
    for column, size in enumerate(sizes):
        number_badge(axes, column, (column + 0.5, -header_rows + 0.9))
        axes.text(column + 0.5, -0.45, compact_count(size, language), ha="center", **small)
    heads = ((-header_rows + 0.9, head), (-0.45, language.tr("Tracks")))
    for y, head in heads:
        axes.text(-0.15, y, head, ha="right", fontweight="bold", **small)


def _cluster_rows(
    figure: Figure,
    axes: Axes,
    feature_names: Sequence[str],
    sizes: Sequence[int],
    language: Language = ENGLISH,
    head: str = "Family",
) -> float:
    """Heads of the profile with a row per cluster: a cluster's badge and number of tracks left
    of its row, a feature's name upright above its column. Returns the height the names need,
    in inches."""
    # Offsets in points left of the cells: a count of up to four characters ("1.2k"), then the
    # badge (a disc about 19 pt across).
    count_right, count_centre, badge_centre = -5.0, -18.0, -46.0
    beside: dict[str, Any] = {"textcoords": "offset points", "fontsize": SMALLEST_FONT_PT}
    for row, size in enumerate(sizes):
        number_badge(
            axes, row, (0, row + 0.5), xytext=(badge_centre, 0), textcoords="offset points"
        )
        axes.annotate(
            compact_count(size, language),
            (0, row + 0.5),
            xytext=(count_right, 0),
            ha="right",
            va="center",
            **beside,
        )
    upright: dict[str, Any] = {"rotation": 90, "ha": "center", "va": "bottom"}
    heads = [
        axes.annotate(name, (column + 0.5, -0.1), xytext=(0, 0), **upright, **beside)
        for column, name in enumerate(feature_names)
    ]
    for offset, word in (
        (badge_centre, head),
        (count_centre, language.tr("Tracks")),
    ):
        heads.append(
            axes.annotate(
                word, (0, -0.1), xytext=(offset, 0), fontweight="bold", **upright, **beside
            )
        )
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    tallest = max(Text.get_window_extent(head, renderer).height for head in heads)
    return float(tallest / figure.dpi + 0.15)


def shift_text(value: float, language: Language = ENGLISH) -> str:
    """A shift in one decimal (the language's separator) with a true minus sign; no "-0.0"."""
    text = language.decimal(value, 1) if abs(value) < 9.95 else f"{value:.0f}"
    zero = language.decimal(0.0, 1)
    return zero if text.lstrip("-") == zero else text.replace("-", "−")


def compact_count(count: int, language: Language = ENGLISH) -> str:
    """A number of tracks in at most four characters, to fit a column of ten."""
    if count < 1000:
        return str(count)
    if count < 9950:
        return f"{language.decimal(count / 1000, 1)}k"
    return f"{round(count / 1000)}k"


def ink_on(fill: Any) -> str:
    """Dark or white text, whichever contrasts more with the cell's colour."""
    luminance = relative_luminance(to_rgb(fill))
    dark = relative_luminance(to_rgb(CELL_INK))
    return CELL_INK if contrast_ratio(luminance, dark) > contrast_ratio(luminance, 1.0) else "white"
