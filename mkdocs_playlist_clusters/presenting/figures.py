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

import functools
import io
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colormaps, font_manager, patheffects, rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text
from PIL import Image

from ..language import ENGLISH, Language
from .colours import cluster_colour

# The backgrounds every figure must be readable on: Material's default and slate schemes (the
# built-in `mkdocs` theme is white too).
LIGHT_BACKGROUND = "#FFFFFF"
DARK_BACKGROUND = "#1E2129"
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
# One colour of text cannot reach 4.5:1 on both white and slate (mid-grey tops out near 4:1),
# so text is dark on a white halo: the glyphs read on white, the halo carries them on slate.
TEXT_COLOUR = "#222222"
CELL_INK = "#1A1A1A"  # dark text on a profile cell: no halo, so not TEXT_COLOUR (see svg_tree)
HALO_PT = 3.0  # stroke width: 1.5 pt of white around each glyph
HALO = (patheffects.withStroke(linewidth=HALO_PT, foreground="white"),)
HALO_GID = "text-halo"  # the SVG's halo filter, and the prefix of the texts it applies to
# On a dark page: light text (13:1 on slate) on a halo of the page's own colour, and the rings'
# and badges' white edges in that colour too, so that nothing looks like a white sticker.
DARK_TEXT_COLOUR = "#E3E5EA"
UNDER_RINGS_GID = "mix-centres-under"
LINE_COLOUR = "#8A8A8A"  # 3.5:1 on white and on slate
POINT_ALPHA = 0.8  # overlaps stay visible, and a point still contrasts with either page
# A mix's centre: a ring of MIX_RING_SIZE pt² (a diameter of 6.3 pt) in its family's colour.
# Its number is written beside it up to MAX_MIX_NUMBERS mixes; beyond, numbers would crowd.
MIX_RING_SIZE = 40.0
MIX_RING_WIDTH = 1.4
MIX_RING_UNDER_WIDTH = MIX_RING_WIDTH + 1.6
# What a ring covers, in points from its centre: its radius and half its white line.
MIX_RING_REACH = MIX_RING_SIZE**0.5 / 2 + MIX_RING_UNDER_WIDTH / 2
MAX_MIX_NUMBERS = 30
# Up to this many clusters the legend gives each one's tracks (and mixes); beyond, "#12" alone,
# in up to 8 columns: 30 entries of "#12 (1307 tracks, 10 mixes)" need one column, 8 inches
# high. The badges carry the same numbers, the profile and the page the sizes.
LEGEND_DETAILS_UP_TO = 10
SPREAD_ROUNDS = 400  # enough to part 30 badges and 30 numbers on one spot
# The overview's thumbnail: 240 x 170 CSS px, drawn at twice that for sharp high-DPI screens.
THUMBNAIL_INCHES = (2.4, 1.7)
THUMBNAIL_DPI = 200
# Above this many tracks the page keeps the PNG. The SVG grows by about 0.2 kB a track (1.7 MB,
# 170 kB gzipped, for the 7,785-track Liked Songs export; 4.3 MB for 20,000) and Chromium takes
# 0.8 s to show 7,785 points in an <object>, 1.6 to 2.3 s for 20,000.
MAX_SVG_POINTS = 10_000
# And above this many bytes of points, whatever their number: a point is a circle in a link,
# about 140 bytes, and its tooltip, the track's name and artists (2,000 tracks with names of
# 10,000 characters made a 40 MB SVG).
MAX_SVG_BYTES = 3 * 10**6
_POINT_BYTES = 140
# The profile's cells: one row a feature, one column a cluster; colours saturate at 2 standard
# deviations, so a colour means the same on every playlist's page.
PROFILE_ROW_INCHES = 0.3
PROFILE_MAX_COLUMNS = 10
PROFILE_LIMIT = 2.0
PROFILE_COLOURMAP = "RdBu_r"  # blue below the playlist, red above; readable with colour blindness
# Fixed, so that the SVG's generated ids (clip paths, glyphs) are the same on every build.
SVG_HASH_SALT = "mkdocs-playlist-clusters"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
# Characters XML 1.0 forbids (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    if not len(tooltips) == len(links) == len(labels):
        raise ValueError(
            f"scatter_svg needs a tooltip and a link (or None) per track: {len(labels)} tracks, "
            f"{len(tooltips)} tooltips, {len(links)} links"
        )
    for link in links:
        if link is not None and not link.startswith("https://"):
            raise ValueError(f"scatter_svg links must be https URLs, not {link[:60]!r}")
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
        group = groups.get(_points_gid(number))
        if group is None:
            if not members:
                continue
            raise RuntimeError(f"matplotlib wrote no group with the gid {_points_gid(number)}")
        group.set("style", f"fill: {cluster_colour(number).lower()}; fill-opacity: {POINT_ALPHA}")
        group.set("pointer-events", "visiblePainted")
        # The points go in as text where this comment is: 10,000 elements cost ElementTree
        # a tenth of a second to build and write. Escaped data never holds "<!--".
        group.append(ET.Comment(f"points {number}"))
        points[number] = "".join(
            _point(positions[track], radius, tooltips[track], links[track]) for track in members
        )
    text = ET.tostring(root, encoding="unicode")
    for number, markup in points.items():
        text = text.replace(f"<!--points {number}-->", markup, 1)
    return f"<?xml version='1.0' encoding='utf-8'?>\n{text}\n".encode()


def svg_fits(tooltips: Sequence[str], links: Sequence[str | None]) -> bool:
    """Whether `scatter_svg` of these points stays within MAX_SVG_POINTS and MAX_SVG_BYTES;
    counted before anything is drawn."""
    if len(tooltips) > MAX_SVG_POINTS:
        return False
    size = 0
    for tooltip, link in zip(tooltips, links, strict=True):
        size += _POINT_BYTES + len(xml_text(tooltip).encode()) + len(link or "")
        if size > MAX_SVG_BYTES:
            return False
    return True


def _point(position: np.ndarray, radius: str, tooltip: str, link: str | None) -> str:
    """A scatter point as SVG: a circle with its tooltip as its `<title>`, in a link to
    `link` (escaped as ElementTree escapes attribute values and text)."""
    x, y = position
    title = xml_text(_NOT_XML.sub("", str(tooltip)))
    circle = f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{radius}"><title>{title}</title></circle>'
    if link is None:
        return circle
    return f'<a href="{xml_text(link).replace(chr(34), "&quot;")}" target="_top">{circle}</a>'


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_settings() -> AbstractContextManager[None]:
    """Fixed ids, and glyphs as paths: the SVG looks the same without matplotlib's font."""
    return rc_context({"svg.hashsalt": SVG_HASH_SALT, "svg.fonttype": "path"})


def svg_tree(figure: Figure, scheme: ET.Element | None = None) -> ET.Element:
    """The figure as SVG, without metadata, its dark text given a white halo by SVG itself,
    and `scheme` (see `dark_scheme`) first.

    matplotlib's path-effect halo would write every glyph's outline twice (300 kB for a
    profile); one filter that grows the glyphs' shape in white under them costs a few bytes a
    text. The texts are found by the gids `with_halos` gave them.
    """
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    ET.register_namespace("", SVG_NAMESPACE)
    ET.register_namespace("xlink", XLINK_NAMESPACE)
    root = ET.fromstring(buffer.getvalue())
    for metadata in root.findall(f"{{{SVG_NAMESPACE}}}metadata"):
        root.remove(metadata)
    root.insert(0, halo_filter())
    if scheme is not None:
        root.insert(0, scheme)
    for group in root.iter(f"{{{SVG_NAMESPACE}}}g"):
        if (group.get("id") or "").startswith(HALO_GID):
            group.set("filter", f"url(#{HALO_GID})")
    return root


def dark_scheme(embedded: bool) -> ET.Element:
    """`<style>` that redraws the figure for a dark page: light text on a halo of the page's
    colour, and the white under the rings and around the badges in that colour.

    An `<img>`'s SVG sees the colour scheme of its element (Material's slate sets
    `color-scheme: dark`; the page's style keeps it light elsewhere), so a media query
    follows it. An `<object>`'s document sees only the system's, so for one (`embedded`) a
    short script follows the page instead: a class on the SVG while the page's scheme is dark.
    """
    halo = f'g[id^="{HALO_GID}-"]'
    rules = (
        ((f"{halo} g", f"{halo} text"), f"fill: {DARK_TEXT_COLOUR}"),
        ((f"#{HALO_GID} feFlood",), f"flood-color: {DARK_BACKGROUND}"),
        ((f"#{UNDER_RINGS_GID} use", "g[id$='-badge'] > g > path"), f"stroke: {DARK_BACKGROUND}"),
    )
    scope = ":root.dark " if embedded else ""
    css = " ".join(
        f"{', '.join(scope + selector for selector in selectors)} {{ {rule} !important }}"
        for selectors, rule in rules
    )
    style = ET.Element(f"{{{SVG_NAMESPACE}}}style")
    if not embedded:
        style.text = f"@media (prefers-color-scheme: dark) {{ {css} }}"
        return style
    style.text = css
    group = ET.Element(f"{{{SVG_NAMESPACE}}}g")
    group.append(style)
    script = ET.SubElement(group, f"{{{SVG_NAMESPACE}}}script")
    script.text = FOLLOW_THE_PAGE
    return group


# The script of an `<object>`'s SVG: the page's body carries its scheme (Material sets
# `color-scheme: dark` on the slate scheme's body); followed as the reader switches it. Opened
# on its own, or from another origin, the SVG stays light.
FOLLOW_THE_PAGE = """(function () {
  try {
    var page = window.parent.document.body, svg = document.documentElement;
    if (page === document.body) return;
    var follow = function () {
      var dark = /dark/.test(window.parent.getComputedStyle(page).colorScheme || "");
      svg.classList.toggle("dark", dark);
    };
    follow();
    new window.parent.MutationObserver(follow).observe(page, { attributes: true });
  } catch (error) {}
})();"""


def halo_filter() -> ET.Element:
    """`<defs>` with the filter that draws a text's white halo: its glyphs' shape grown by half
    of HALO_PT (in the SVG's units, points, so the halo scales with the figure), in white,
    under the glyphs."""
    defs = ET.Element(f"{{{SVG_NAMESPACE}}}defs")
    # Margins in the text's own size: the halo must not be cut off around a short text.
    halo = ET.SubElement(
        defs,
        f"{{{SVG_NAMESPACE}}}filter",
        {
            "id": HALO_GID,
            "x": "-50%",
            "y": "-50%",
            "width": "200%",
            "height": "200%",
            "color-interpolation-filters": "sRGB",  # blend edges as the PNG does
        },
    )
    ET.SubElement(
        halo,
        f"{{{SVG_NAMESPACE}}}feMorphology",
        {"in": "SourceAlpha", "operator": "dilate", "radius": f"{HALO_PT / 2}", "result": "grown"},
    )
    ET.SubElement(halo, f"{{{SVG_NAMESPACE}}}feFlood", {"flood-color": "#ffffff"})
    ET.SubElement(halo, f"{{{SVG_NAMESPACE}}}feComposite", {"in2": "grown", "operator": "in"})
    merge = ET.SubElement(halo, f"{{{SVG_NAMESPACE}}}feMerge")
    ET.SubElement(merge, f"{{{SVG_NAMESPACE}}}feMergeNode")
    ET.SubElement(merge, f"{{{SVG_NAMESPACE}}}feMergeNode", {"in": "SourceGraphic"})
    return defs


def _points_gid(number: int) -> str:
    return f"cluster-{number + 1}-points"


def png_bytes(figure: Figure, dpi: float | None = None) -> bytes:
    buffer = io.BytesIO()
    # No "Software" entry: the PNG must not change when only matplotlib's version does.
    figure.savefig(
        buffer, format="png", metadata={"Software": None}, transparent=True, dpi=dpi or "figure"
    )
    return buffer.getvalue()


def cluster_count(labels: np.ndarray) -> int:
    return int(labels.max()) + 1 if len(labels) else 0


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


@contextmanager
def plain_text() -> Iterator[None]:
    """Text from data ("$uicideboy$", "A$AP Rocky") is drawn as written, never as mathtext,
    each glyph from the first installed font of `FONT_FALLBACK` that has it."""
    text = rc_context({"text.parse_math": False, "font.family": list(font_families())})
    with text, quiet_missing_glyphs():
        yield


@contextmanager
def quiet_missing_glyphs() -> Iterator[None]:
    """No warning per glyph the fonts lack: such text is measured here and drawn by the browser
    (see `browser_text`), or left out of the PNG (`end_words`, `drawn_language`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        yield


# Fonts a glyph is taken from, in order (matplotlib's font fallback): DejaVu Sans, matplotlib's
# own, for Latin, Greek and Cyrillic; then Noto CJK, where installed (Debian's fonts-noto-cjk),
# for kana, kanji, hanzi and Hangul.
FONT_FALLBACK: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
)


@functools.cache
def font_families() -> tuple[str, ...]:
    """The installed fonts of `FONT_FALLBACK`: naming one that is missing would make
    matplotlib warn on every text."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in FONT_FALLBACK if name in installed) or ("sans-serif",)


def drawn_language(language: Language) -> Language:
    """`language` if the installed fonts draw its figure words, else English: a PNG has no
    browser to draw them (Japanese without Noto CJK would be empty boxes)."""
    sample = [
        language.tr("Family"),
        language.tr("Mix"),
        language.tr("centre of a mix"),
        language.tr_n("{count} track", "{count} tracks", 2),
    ]
    return language if all(renderable(text) for text in sample) else ENGLISH


def browser_text(figure: Figure) -> AbstractContextManager[None]:
    """For an SVG with a text the installed fonts cannot draw (Japanese without Noto CJK):
    its text as SVG text, which the browser draws with its own fonts; else no change (glyphs as
    paths, see `svg_settings`)."""
    texts = [text.get_text() for text in figure.findobj(Text)]
    if all(renderable(text) for text in texts):
        return nullcontext()
    return _browser_text()


@contextmanager
def _browser_text() -> Iterator[None]:
    with rc_context({"svg.fonttype": "none"}), quiet_missing_glyphs():
        yield


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
            "gid": _points_gid(number),
        },
    )
    corners = label_axes(axes, *axes_titles, every_word=vector, comma=language.gettext(", "))
    axes.grid(True, color=LINE_COLOUR, alpha=0.35, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(LINE_COLOUR)
    marks: list[Mark] = []
    rings: list[Any] = []
    if mixes is not None:
        rings = draw_mix_rings(axes, centres, families)
        if len(centres) <= MAX_MIX_NUMBERS:
            marks = [
                Mark(tuple(centre), f"{mix + 1}", None)
                for mix, centre in zip(numbers.tolist(), centres, strict=True)
            ]
        else:  # too many to number, and to part: the rings show where mixes crowd
            rings = []
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


def mix_centres(
    projection: np.ndarray, labels: np.ndarray, mixes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number, centre, family) of every mix that has tracks: the mean of its tracks'
    positions, and the family most of its tracks are in (all of them, when mixes nest)."""
    mixes = np.asarray(mixes, dtype=int)
    count = int(mixes.max()) + 1 if len(mixes) else 0
    members = np.bincount(mixes, minlength=count)
    kept = np.flatnonzero(members)
    centres = (
        np.column_stack(
            [np.bincount(mixes, weights=projection[:, axis], minlength=count) for axis in (0, 1)]
        )[kept]
        / members[kept, None]
    )
    pairs = np.zeros((count, cluster_count(labels)), dtype=int)
    np.add.at(pairs, (mixes, labels), 1)
    families = pairs[kept].argmax(axis=1) if len(kept) else np.zeros(0, dtype=int)
    return kept, centres, families


def draw_mix_rings(axes: Axes, centres: np.ndarray, families: np.ndarray) -> list[Any]:
    """A small ring in its family's colour on each mix's centre, over a white one that keeps it
    visible on points of the same colour: the two collections."""
    colours = [cluster_colour(family) for family in families.tolist()]
    return [
        axes.scatter(
            centres[:, 0],
            centres[:, 1],
            s=MIX_RING_SIZE,
            facecolors="none",
            edgecolors=colour,
            linewidths=width,
            zorder=2.5,  # over the points, under the badges
            gid=gid,
        )
        for colour, width, gid in (
            ("white", MIX_RING_UNDER_WIDTH, UNDER_RINGS_GID),
            (colours, MIX_RING_WIDTH, "mix-centres"),
        )
    ]


@dataclass(frozen=True)
class Mark:
    """A number drawn at a data position: a cluster's badge (`cluster` set: white in a disc
    of its colour) or a mix's number beside its ring (`cluster` None: dark text)."""

    position: tuple[float, float]
    text: str
    cluster: int | None


def place_marks(
    axes: Axes, marks: Sequence[Mark], obstacles: Sequence[Text] = (), rings: Sequence[Any] = ()
) -> None:
    """Draw the marks where none hides another, a ring or an obstacle (a text in the plot).

    `rings`: the collections of the mixes' rings, whose marks (numbers) are the last of
    `marks`, one a ring; rings that touch are first parted, by the least that does it. Each
    mark then starts on its position (a mix's number just right of its ring) and is pushed
    away from what it overlaps; a badge moved off its cluster's centre gets a line to it. Where
    they go is decided while the figure is drawn, once the layout has fixed where the axes
    are (see `MarkPlacer`)."""
    if marks:
        texts = [_draw_mark(axes, mark) for mark in marks]
        badges = [mark.cluster is not None for mark in marks]
        axes.add_artist(MarkPlacer(texts, badges, obstacles, rings))


class MarkPlacer(Artist):
    """Draws nothing: drawn just before the rings and marks (by its zorder), it moves them
    apart in the axes' final position. Each draw starts again from their positions, so drawing
    twice gives the same figure; laying out costs no extra pass over the figure."""

    def __init__(
        self,
        texts: Sequence[Annotation],
        badges: Sequence[bool],
        obstacles: Sequence[Text],
        rings: Sequence[Any] = (),
    ) -> None:
        super().__init__()
        self.texts, self.badges = list(texts), np.array(badges, dtype=bool)
        self.obstacles = list(obstacles)
        self.rings = list(rings)
        self.centres = np.asarray(rings[0].get_offsets(), dtype=float) if rings else None
        self.set_zorder(2.4)  # after the points, before the rings (2.5), badges (3) and numbers
        self.set_in_layout(False)

    def draw(self, renderer: Any) -> None:
        axes = self.axes
        assert axes is not None
        to_points = 1 / renderer.points_to_pixels(1.0)
        box = axes.get_window_extent(renderer)
        bounds = np.array([box.x0, box.y0, box.x1, box.y1]) * to_points
        fixed = (
            np.array(
                [
                    [*box.p0, *box.p1]
                    for box in (t.get_window_extent(renderer) for t in self.obstacles)
                ]
            ).reshape(-1, 4)
            * to_points
        )
        fixed_centres, fixed_half = (
            (fixed[:, :2] + fixed[:, 2:]) / 2,
            (fixed[:, 2:] - fixed[:, :2]) / 2,
        )
        half = np.array([_extent(text, renderer).size for text in self.texts]) / 2 * to_points
        anchors = axes.transData.transform([text.xy for text in self.texts]) * to_points
        starts = anchors.copy()
        if self.centres is not None:
            rings = self.part_rings(bounds, to_points)
            starts[len(self.texts) - len(rings) :] = rings
            fixed_centres = np.concatenate([fixed_centres, rings])
            fixed_half = np.concatenate([fixed_half, np.full((len(rings), 2), MIX_RING_REACH)])
        starts[~self.badges, 0] += MIX_RING_SIZE**0.5 / 2 + 1 + half[~self.badges, 0]
        # Badges first (they come first), each mark on the free spot nearest its start.
        taken_centres, taken_half = list(fixed_centres), list(fixed_half)
        for text, anchor, start, size, badge in zip(
            self.texts, anchors, starts, half, self.badges, strict=True
        ):
            position = free_spot(start, size, bounds, np.array(taken_centres), np.array(taken_half))
            taken_centres.append(position)
            taken_half.append(size)
            text.xyann = (float(position[0] - anchor[0]), float(position[1] - anchor[1]))
            # A line back to what it marks, once it no longer sits on it (a badge) or beside
            # its ring (a number).
            away = np.hypot(*(position - start)) > size.min() * (1 if badge else 2)
            text.arrow_patch.set_visible(bool(away))

    def part_rings(self, bounds: np.ndarray, to_points: float) -> np.ndarray:
        """Move the rings (both collections) apart where they touch; their centres in points."""
        axes = self.axes
        assert axes is not None and self.centres is not None
        starts = axes.transData.transform(self.centres) * to_points
        reach = np.full_like(starts, MIX_RING_REACH)
        positions = spread_boxes(starts, reach, bounds, gap=0.5)
        offsets = axes.transData.inverted().transform(positions / to_points)
        for collection in self.rings:
            collection.set_offsets(offsets)
        return positions


def _draw_mark(axes: Axes, mark: Mark) -> Annotation:
    options: dict[str, Any] = {
        "xytext": (0.0, 0.0),
        "textcoords": "offset points",
        "annotation_clip": False,
        "arrowprops": {
            "arrowstyle": "-",
            "color": LINE_COLOUR,
            "linewidth": 1.0,
            "shrinkA": 0,
            "shrinkB": 0,
        },
    }
    if mark.cluster is not None:
        return number_badge(
            axes, mark.cluster, mark.position, gid=f"cluster-{mark.cluster + 1}-badge", **options
        )
    options["arrowprops"] = {**options["arrowprops"], "shrinkB": MIX_RING_REACH}
    return axes.annotate(
        mark.text,
        mark.position,
        ha="center",
        va="center",
        fontsize=SMALLEST_FONT_PT,
        zorder=4,
        **options,
    )


def _extent(text: Text, renderer: Any) -> Any:
    """The box a mark covers, wherever it is: a badge's disc, or a mix number's text."""
    patch = text.get_bbox_patch()
    if patch is None:
        return Text.get_window_extent(text, renderer)  # without an arrow
    text.update_bbox_position_size(renderer)
    return patch.get_window_extent(renderer)


def spread_boxes(
    starts: np.ndarray, half: np.ndarray, bounds: np.ndarray, gap: float = 1.0, fixed: int = 0
) -> np.ndarray:
    """Centres near `starts` for boxes of half-size `half` (all in points) that do not overlap
    (`gap` apart) and stay inside `bounds` (x0, y0, x1, y1) where they fit; the last `fixed`
    boxes stay where they are.

    Each round pushes every overlapping pair apart, half each (and a tenth of a point more, so
    that it ends; a box meeting a fixed one moves by all of it), along the axis on which they
    overlap least. Deterministic: boxes on the same spot part by their order.
    """
    positions = starts.astype(float).copy()
    low = np.minimum(bounds[:2] + half, (bounds[:2] + bounds[2:]) / 2)
    high = np.maximum(bounds[2:] - half, low)
    order = np.arange(len(positions))
    tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
    moves = order < len(positions) - fixed
    share = np.where(moves[:, None], np.where(moves[None, :], 1.0, 2.0), 0.0)  # of half a push
    for _ in range(SPREAD_ROUNDS):
        delta = positions[:, None, :] - positions[None, :, :]
        overlap = half[:, None, :] + half[None, :, :] + gap - np.abs(delta)
        hit = (overlap > 0).all(axis=2) & (share > 0)  # fixed boxes may overlap each other
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        axis = overlap.argmin(axis=2)
        direction = np.where(delta == 0, tie[..., None], np.sign(delta))
        push = np.zeros_like(delta)
        for dimension in (0, 1):
            chosen = hit & (axis == dimension)
            push[..., dimension] = np.where(
                chosen, direction[..., dimension] * (overlap[..., dimension] / 2 + 0.1), 0.0
            )
        positions = np.clip(positions + (push * share[..., None]).sum(axis=1), low, high)
        positions[~moves] = starts[~moves]
    return positions


# Where a mark may go, nearest first: its start, then rings of spots around it out to 150 pt
# (24 a ring, from the right and alternating up and down), offsets in points.
_SPOT_ANGLES = np.radians(
    [0, *[sign * step * 15 for step in range(1, 12) for sign in (1, -1)], 180]
)
FREE_SPOT_OFFSETS = np.concatenate(
    [
        np.zeros((1, 2)),
        *[
            radius * np.column_stack([np.cos(_SPOT_ANGLES), np.sin(_SPOT_ANGLES)])
            for radius in np.arange(3.0, 151.0, 3.0)
        ],
    ]
)


def free_spot(
    start: np.ndarray,
    half: np.ndarray,
    bounds: np.ndarray,
    taken_centres: np.ndarray,
    taken_half: np.ndarray,
    gap: float = 1.0,
) -> np.ndarray:
    """The spot nearest `start` (in `FREE_SPOT_OFFSETS`' order) for a box of half-size `half`
    that overlaps none of the taken boxes (`gap` apart) and stays inside `bounds`
    (x0, y0, x1, y1), all in points; the nearest spot inside when none is free."""
    low = np.minimum(bounds[:2] + half, (bounds[:2] + bounds[2:]) / 2)
    high = np.maximum(bounds[2:] - half, low)
    spots = np.clip(start + FREE_SPOT_OFFSETS, low, high)
    if not len(taken_centres):
        return spots[0]
    reach = half + taken_half + gap
    hits = (np.abs(spots[:, None, :] - taken_centres[None, :, :]) < reach[None]).all(axis=2)
    free = np.flatnonzero(~hits.any(axis=1))
    return spots[free[0]] if len(free) else spots[0]


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


def number_badge(axes: Axes, number: int, position: Any, **options: Any) -> Annotation:
    """Cluster `number` shown as n+1, white and bold in a disc of its colour: the scatter's
    centres and the profile's column heads."""
    return axes.annotate(
        str(number + 1),
        position,
        ha="center",
        va="center",
        fontsize=SMALLEST_FONT_PT,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "circle,pad=0.3", "fc": cluster_colour(number), "ec": "white"},
        **options,
    )


def with_halos(figure: Figure, *, path_effects: bool = True, skip: Sequence[Text] = ()) -> None:
    """Dark text with a white halo on every text but the badges' (white on their own disc) and
    `skip` (the profile's values, on their cell's colour). An SVG draws its halos itself."""
    texts = [
        text
        for text in figure.findobj(Text)
        if text.get_bbox_patch() is None and all(text is not other for other in skip)
    ]
    for index, text in enumerate(texts):
        text.set_color(TEXT_COLOUR)
        text.set_gid(f"{HALO_GID}-{index + 1}")
        if path_effects:
            text.set_path_effects(list(HALO))


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


def end_words(words: str, every_word: bool = False, comma: str = ", ") -> str:
    """At most two of an axis end's words (", "-separated), each cut to fit, in glyphs the
    fonts have (any, with `every_word`: an SVG's text drawn by the browser), joined with the
    language's `comma` ("、" in Japanese)."""
    kept = []
    for word in words.split(", ")[:2]:
        if not word or not (every_word or renderable(word)):
            continue
        kept.append(word if len(word) <= 22 else word[:21] + "…")
    return comma.join(kept)


def renderable(text: str) -> bool:
    """Whether the installed fonts of `FONT_FALLBACK` draw every character (DejaVu Sans alone
    lacks Hangul, kana, ...); line breaks are no glyphs. Never right-to-left text (Arabic,
    Hebrew): matplotlib neither joins its letters nor orders it right to left, so the browser
    draws it (the SVG) or the words stay English (the PNG)."""
    return all(ord(ch) in _charmap() and not _RIGHT_TO_LEFT.match(ch) for ch in text if ch != "\n")


# Hebrew, Arabic, Syriac, Thaana, NKo and the presentation forms of Hebrew and Arabic.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u07ff\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@functools.cache
def _charmap() -> frozenset[int]:
    characters: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family))
        characters.update(FT2Font(path).get_charmap())
    return frozenset(characters)


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


def narrow_minus(figure: Figure, axes: Axes, values: Sequence[Text]) -> None:
    """Hyphens for minus signs when a true minus makes a value wider than its cell (ten
    clusters beside long feature names)."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw_without_rendering()  # constrained layout sets the cells' final size
    cell = axes.transData.transform((0.92, 0)) - axes.transData.transform((0, 0))
    if any(text.get_window_extent(renderer).width > 0.9 * cell[0] for text in values):
        for text in values:
            text.set_text(text.get_text().replace("−", "-"))


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


def relative_luminance(rgb: Sequence[float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels in 0..1."""
    channel = np.asarray(rgb, dtype=float)
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(first: float, second: float) -> float:
    light, dark = max(first, second), min(first, second)
    return (light + 0.05) / (dark + 0.05)
