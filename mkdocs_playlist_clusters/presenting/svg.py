"""The figures as SVG: a tooltip and a link per point, text kept as text, the halo filter,
and the styles that redraw the text for a dark page; byte-identical for identical input."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from contextlib import AbstractContextManager

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from .figure_style import DARK_BACKGROUND, DARK_TEXT_COLOUR, HALO_GID, HALO_PT, UNDER_RINGS_GID

# Above this many tracks the page keeps the PNG. The SVG grows by about 0.2 kB a track (1.7 MB,
# 170 kB gzipped, for the 7,785-track Liked Songs export; 4.3 MB for 20,000) and Chromium takes
# 0.8 s to show 7,785 points in an <object>, 1.6 to 2.3 s for 20,000.
MAX_SVG_POINTS = 10_000
# And above this many bytes of points, whatever their number: a point is a circle in a link,
# about 140 bytes, and its tooltip, the track's name and artists (2,000 tracks with names of
# 10,000 characters made a 40 MB SVG).
MAX_SVG_BYTES = 3 * 10**6
_POINT_BYTES = 140
# Fixed, so that the SVG's generated ids (clip paths, glyphs) are the same on every build.
SVG_HASH_SALT = "mkdocs-playlist-clusters"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
# Characters XML 1.0 forbids (C0 controls but tab and newlines, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def svg_point(position: np.ndarray, radius: str, tooltip: str, link: str | None) -> str:
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


def points_gid(number: int) -> str:
    return f"cluster-{number + 1}-points"
