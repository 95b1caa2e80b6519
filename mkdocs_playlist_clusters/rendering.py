"""The Markdown of a playlist's cluster page.

Every string that comes from a data file goes through `escape_html` (raw HTML: tables and
attributes), `escape_markdown` (Markdown text) or `safe_url` before it lands in the page: track
names such as `<script>` or `a | b` must render as text.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# Characters that start inline Markdown syntax in Python-Markdown or a common extension
# (emphasis, code, links, attribute lists, emoji, math, mark/caret/tilde) become numeric
# entities, which Markdown leaves alone and browsers show as the character.
_MARKDOWN_SPECIAL = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]|~:$^=@"})
_SAFE_URLS = (
    re.compile(r"^https://open\.spotify\.com/(track|artist|album|episode)/[0-9A-Za-z]{22}$"),
    re.compile(r"^https://(i|mosaic)\.scdn\.co/image/[0-9a-f]{20,64}$"),
    re.compile(r"^https://image-cdn-[a-z0-9-]+\.spotifycdn\.com/image/[0-9a-f]{20,64}$"),
)


def escape_html(value: object) -> str:
    """Data text made safe for raw HTML content or a quoted attribute, on one line."""
    return html.escape(" ".join(str(value).split()), quote=True)


def escape_markdown(value: object) -> str:
    """Data text made safe for a Markdown paragraph, heading or image alt text."""
    return escape_html(value).translate(_MARKDOWN_SPECIAL)


def safe_url(url: object) -> str | None:
    """The URL when it has the exact shape of a Spotify page or Spotify image, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if any(pattern.match(url) for pattern in _SAFE_URLS) else None


@dataclass(frozen=True)
class ClusterView:
    """What the page says about one cluster."""

    number: int  # 1-based, as shown
    tracks: pd.DataFrame  # the cluster's tracks, nearest the centre first
    traits: str  # e.g. "Energetic, Loud, Electric": how it differs from the playlist
    median_tempo: float | None = None
    top_values: Sequence[tuple[str, Sequence[tuple[str, int]]]] = ()  # ("genres", [(v, n)])


@dataclass(frozen=True)
class PageModel:
    """Everything the page shows, computed; rendering only formats it."""

    title: str
    rows: int  # data rows in the file
    distinct: int  # distinct tracks among them
    features: Sequence[str] = ()
    image: str | None = None  # file name of the scatter, beside the page
    axis_sentences: Sequence[str] = ()
    clusters: Sequence[ClusterView] = ()
    unclustered: pd.DataFrame | None = None  # with a "reason" column
    problem: str | None = None  # why nothing was clustered
    representatives: int = 10
    notes: Sequence[str] = field(default_factory=tuple)  # warnings worth showing readers


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[dict[str, Any]], str]
    align: str = "left"


def render_page(model: PageModel, all_tracks: pd.DataFrame) -> str:
    """The page's Markdown. `all_tracks` decides which columns the data can fill."""
    columns = table_columns(all_tracks)
    clustered = sum(len(view.tracks) for view in model.clusters)
    lines = [
        "---",
        # Themes insert the title into HTML unescaped; JSON quoting makes it valid YAML.
        f"title: {json.dumps('Clusters in ' + html.escape(model.title), ensure_ascii=False)}",
        "---",
        "",
        f"# Clusters in {escape_markdown(model.title)}",
        "",
        summary_sentence(model, clustered),
        "",
    ]
    # Admonition markup in raw HTML: styled by Material and the built-in themes alike, with no
    # Markdown extension required.
    lines += [
        '<div class="admonition warning"><p class="admonition-title">Data problem</p>'
        f"<p>{escape_html(note)}</p></div>\n"
        for note in model.notes
    ]
    if model.image:
        alt = (
            f"Scatter plot of {clustered} tracks of {model.title} in {len(model.clusters)} "
            "clusters, projected on their two principal components"
        )
        lines += [f"![{escape_markdown(alt)}]({model.image})", ""]
    if model.axis_sentences:  # axis words can be data (labels, genres)
        lines += [escape_markdown(" ".join(model.axis_sentences)), ""]
    for view in model.clusters:
        lines += cluster_section(view, columns, model.representatives)
    if model.unclustered is not None and len(model.unclustered):
        lines += unclustered_section(model.unclustered, columns)
    return "\n".join(lines).rstrip() + "\n"


def summary_sentence(model: PageModel, clustered: int) -> str:
    tracks = f"{model.distinct} {plural(model.distinct, 'track')}"
    duplicates = model.rows - model.distinct
    if duplicates:
        tracks += f" ({duplicates} duplicate {plural(duplicates, 'row')} counted once)"
    if model.problem:
        return f"{tracks}, not clustered: {escape_markdown(model.problem)}."
    share = "all" if clustered == model.distinct else f"{clustered} of them"
    features = escape_markdown(", ".join(model.features))
    return (
        f"{tracks}, {share} grouped into {len(model.clusters)} clusters by k-means on {features}."
    )


def cluster_section(view: ClusterView, columns: Sequence[Column], shown: int) -> list[str]:
    size = len(view.tracks)
    facts = [f"{size} {plural(size, 'track')}"]
    if view.traits:
        facts.append(escape_markdown(view.traits))
    if view.median_tempo is not None:
        facts.append(f"median tempo {view.median_tempo:.0f} BPM")
    lines = [f"## Cluster #{view.number}", "", " · ".join(facts), ""]
    for noun, values in view.top_values:
        listed = ", ".join(f"{escape_markdown(value)} ({count})" for value, count in values)
        lines += [f"Top {noun}: {listed}", ""]
    lines += [html_table(columns, view.tracks.head(shown)), ""]
    if size > shown:
        lines += [
            "<details>",
            f"<summary>All {size} tracks</summary>",
            html_table(columns, view.tracks),
            "</details>",
            "",
        ]
    return lines


def unclustered_section(tracks: pd.DataFrame, columns: Sequence[Column]) -> list[str]:
    count = len(tracks)
    reason = Column("Why not clustered", lambda row: escape_html(row["reason"]))
    return [
        "## Not clustered",
        "",
        f"{count} {plural(count, 'track')} could not be placed in a cluster.",
        "",
        html_table([*columns, reason], tracks),
        "",
    ]


def table_columns(tracks: pd.DataFrame) -> list[Column]:
    """The table layout for a playlist: columns its data cannot fill are left out."""

    def has(name: str) -> bool:
        return name in tracks and tracks[name].notna().any()

    columns: list[Column] = []
    if tracks["image_url"].map(safe_url).notna().any():
        columns.append(Column("Art", art_cell))
    columns.append(Column("Track", lambda row: text_cell(row["name"])))
    if has("album"):
        columns.append(Column("Album", lambda row: text_cell(row["album"])))
    columns.append(Column("Artists", artists_cell))
    if has("label"):
        columns.append(Column("Label", lambda row: text_cell(row["label"])))
    if has("rank"):
        columns.append(Column("Rank", lambda row: number_cell(row["rank"]), "right"))
    elif has("popularity"):
        columns.append(Column("Popularity", lambda row: number_cell(row["popularity"]), "right"))
    if tracks["liked"].eq(True).any():
        columns.append(Column("💚", lambda row: "💚" if row["liked"] is True else "", "center"))
    if tracks["track_id"].notna().any():
        columns.append(Column("🔗", link_cell, "center"))
    return columns


def html_table(columns: Sequence[Column], tracks: pd.DataFrame) -> str:
    """An HTML table, one line per row: raw HTML is the one table form that Markdown also
    leaves intact inside a collapsed <details> block."""
    styles = [f' style="text-align: {col.align}"' if col.align != "left" else "" for col in columns]
    head = "".join(
        f"<th{style}>{col.header}</th>" for col, style in zip(columns, styles, strict=True)
    )
    rows = [
        "<tr>"
        + "".join(
            f"<td{style}>{col.cell(row)}</td>" for col, style in zip(columns, styles, strict=True)
        )
        + "</tr>"
        for row in tracks.to_dict("records")
    ]
    return "\n".join(
        ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]
    )


def text_cell(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else escape_html(value)


def number_cell(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return f"{value:.0f}"


def art_cell(row: dict[str, Any]) -> str:
    url = safe_url(row["image_url"])
    if not url:
        return ""
    alt = escape_html(f"Cover of {row['album']}" if row["album"] else "Album cover")
    return f'<img src="{url}" alt="{alt}" width="50" height="50" loading="lazy">'


def artists_cell(row: dict[str, Any]) -> str:
    names = list(row["artists"])
    ids = list(row["artist_ids"])
    if len(ids) != len(names):  # never guess which id belongs to which name
        ids = [None] * len(names)
    parts = []
    for name, artist_id in zip(names, ids, strict=True):
        url = safe_url(f"https://open.spotify.com/artist/{artist_id}") if artist_id else None
        parts.append(f'<a href="{url}">{escape_html(name)}</a>' if url else escape_html(name))
    return ", ".join(parts)


def link_cell(row: dict[str, Any]) -> str:
    url = safe_url(f"https://open.spotify.com/track/{row['track_id']}")
    if not url:
        return ""
    label = escape_html(f"Open {row['name'] or 'track'} on Spotify")
    return f'<a href="{url}" title="{label}" aria-label="{label}">🔗</a>'


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
