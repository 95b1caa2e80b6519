"""A playlist's cluster page: small Markdown, and the HTML of its track tables apart.

The Markdown holds what the table of contents and the search need (headings, sentences,
download links); each table is a placeholder comment that the plugin replaces with the
table's cached HTML once Markdown has run. So no Markdown extension or templating plugin ever
sees a track name, and a rebuild does not parse thousands of table rows again.

Every string from a data file goes through `escape_text` and every URL through `safe_url`
before it lands: track names such as `<script>`, `a | b` or `{{ x }}` must render as text,
in the Markdown as much as in the tables.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .describing import (
    WEAK_STRUCTURE,
    ClusterDescription,
    feature_name,
    format_value,
    separation_words,
)
from .escaping import escape_text, safe_url
from .numbering import Changes
from .playlist import PAGE_FOLDER, placeholder

# Above this many distinct tracks, member lists stay in the downloads: the page would pass
# 1 MB and the browser would lay out tens of thousands of rows.
MAX_LISTED_TRACKS = 2500


@dataclass(frozen=True)
class ClusterView:
    """What the page says about one cluster."""

    number: int  # 1-based, as shown
    tracks: pd.DataFrame  # the cluster's tracks, nearest the centre first
    description: ClusterDescription
    separation: float = 0.0  # mean silhouette of its tracks
    misfits: pd.DataFrame | None = None  # tracks that fit it worst, with a "nearer" column


@dataclass(frozen=True)
class PageModel:
    """Everything the page shows, computed; rendering only formats it."""

    title: str
    rows: int  # data rows in the file
    distinct: int  # distinct tracks among them
    features: Sequence[str] = ()
    image: str | None = None  # file name of the scatter, beside the page
    svg: str | None = None  # the scatter as SVG with tooltips and links, when it has one
    profile: str | None = None  # file name of the profile figure
    axis_sentences: Sequence[str] = ()
    clusters: Sequence[ClusterView] = ()
    unclustered: pd.DataFrame | None = None  # with a "reason" column
    problem: str | None = None  # why nothing was clustered
    representatives: int = 10
    notes: Sequence[str] = field(default_factory=tuple)  # warnings worth showing readers
    downloads: str | None = None  # folder of the download files, beside the page
    recordings: int = 0  # tracks listed again under another Spotify id, shown once
    metadata_only: bool = False  # clustered on metadata: the export had no audio features
    silhouette: float | None = None  # mean silhouette of all clustered tracks
    k_choice: str = ""  # one sentence on how the number of clusters was chosen
    changes: Changes | None = None  # since the previous build, when there was one


@dataclass(frozen=True)
class RenderedPage:
    """The page's Markdown and the HTML that replaces its placeholders.

    `indexed` goes in after Markdown, where search plugins still read it (each cluster's
    representatives); `unindexed` goes into the finished page, unseen by search plugins and
    so not parsed on every build (long member lists).
    """

    markdown: str
    indexed: dict[str, str] = field(default_factory=dict)
    unindexed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[dict[str, Any]], str]
    align: str = "left"


def render_page(model: PageModel, all_tracks: pd.DataFrame) -> RenderedPage:
    """The page. `all_tracks` decides which columns the data can fill."""
    columns = table_columns(all_tracks, model.metadata_only)
    track_names = {view.number: view.description.name for view in model.clusters}
    listed = model.distinct <= MAX_LISTED_TRACKS
    clustered = sum(len(view.tracks) for view in model.clusters)
    indexed: dict[str, str] = {}
    unindexed: dict[str, str] = {}
    lines = [
        "---",
        # Themes insert the title into HTML unescaped; JSON quoting makes it valid YAML.
        f"title: {json.dumps('Clusters in ' + html.escape(model.title), ensure_ascii=False)}",
        "---",
        "",
        f"# Clusters in {escape_text(model.title)}",
        "",
        summary_sentence(model, clustered),
        "",
    ]
    if model.metadata_only and model.clusters:
        lines += [
            "This export has no audio features (Spotify stopped giving them to new apps in "
            "November 2024), so the tracks are grouped by what it does have: "
            f"{escape_text(', '.join(model.features))}. The tables show those columns.",
            "",
        ]
    if model.silhouette is not None and model.clusters:
        lines += separation_lines(model.silhouette)
    if model.changes is not None and model.clusters:
        lines += [changes_sentence(model.changes), ""]
    # Admonition markup in raw HTML: styled by Material and the built-in themes alike, with no
    # Markdown extension required.
    lines += [
        '<div class="admonition warning"><p class="admonition-title">Data problem</p>'
        f"<p>{escape_text(note)}</p></div>\n"
        for note in model.notes
    ]
    if model.image:
        alt = (
            f"Scatter plot of {clustered} tracks of {model.title} in {len(model.clusters)} "
            "clusters, projected on their two principal components"
        )
        if model.svg:
            # The SVG's tooltips and links work in an <object>, not an <img>. Its URL is raw
            # HTML, which MkDocs does not rewrite: the plugin (or `generate`) resolves the
            # page-folder token for the page's URL. No <img> fallback inside: Zensical
            # rewrites raw <img> URLs (but not <object> ones), so no one URL would fit both;
            # the PNG is linked below instead, in Markdown that every generator rewrites.
            lines += [placeholder("scatter"), ""]
            unindexed["scatter"] = (
                f'<object type="image/svg+xml" data="{PAGE_FOLDER}{model.svg}" '
                # As wide as the PNG at most, which the text sizes were chosen for. The colour
                # scheme of the SVG's own (light): browsers paint an opaque backdrop behind an
                # embedded document whose scheme differs from its element's, as on a dark page.
                'style="display: block; width: 100%; max-width: 832px; height: auto; '
                'color-scheme: light" '
                f'aria-label="{escape_text(alt)}"><p>{escape_text(alt)}</p></object>'
            )
            lines += [
                "Each dot is a track, coloured by its cluster: point at one to see its name, "
                f"click it to open it on Spotify. [The same picture as a PNG]({model.image}).",
                "",
            ]
        else:
            lines += [
                f"![{escape_text(alt)}]({model.image})",
                "",
                "Each dot is a track, coloured by its cluster.",
                "",
            ]
    if model.axis_sentences:  # axis words can be data (labels, genres)
        lines += [escape_text(" ".join(model.axis_sentences)), ""]
    if model.profile:
        alt = (
            "How far each cluster's average lies from the playlist's, feature by feature, in "
            "standard deviations"
        )
        lines += [f"![{alt}]({model.profile})", ""]
    if any(column.header == "Popularity" for column in columns) and model.clusters:
        lines += [
            "Popularity is Spotify's score from 0 to 100 of how much this release of a track "
            "has been played lately: a compilation or a re-release scores low even for a "
            "famous band.",
            "",
        ]
    if model.downloads and model.clusters:
        lines += [
            f"[Every track with its cluster]({model.downloads}/all-tracks.csv): a CSV in "
            "Exportify's layout plus a Cluster column, to find any track.",
            "",
        ]
    for view in model.clusters:
        lines += cluster_section(view, model, track_names)
        name = f"table-{view.number}"
        indexed[name] = html_table(columns, view.tracks.head(model.representatives))
        size = len(view.tracks)
        if size > model.representatives and listed:
            name = f"members-{view.number}"
            lines += [placeholder(name), ""]
            unindexed[name] = (
                f"<details>\n<summary>All {size} tracks</summary>\n"
                f"{html_table(member_columns(columns), view.tracks)}\n</details>"
            )
    if model.unclustered is not None and len(model.unclustered):
        lines += unclustered_section(model.unclustered, listed, model.downloads)
        if listed:
            reason = Column("Why not clustered", lambda row: escape_text(row["reason"]))
            unindexed["unclustered"] = html_table(
                [*member_columns(columns), reason], model.unclustered
            )
    return RenderedPage("\n".join(lines).rstrip() + "\n", indexed, unindexed)


def summary_sentence(model: PageModel, clustered: int) -> str:
    tracks = f"{model.distinct} {plural(model.distinct, 'track')}"
    duplicates = model.rows - model.distinct
    counted_once = []
    if duplicates:
        counted_once.append(f"{duplicates} duplicate {plural(duplicates, 'row')} counted once")
    if model.recordings:
        counted_once.append(
            f"{model.recordings} {plural(model.recordings, 'recording')} listed again under "
            "another Spotify id shown once, every id kept in the downloads"
        )
    if counted_once:
        tracks += f" ({'; '.join(counted_once)})"
    if model.problem:
        return f"{tracks}, not clustered: {escape_text(model.problem)}."
    shown = model.distinct - model.recordings
    share = "all" if clustered == shown else f"{clustered} of them"
    features = escape_text(", ".join(model.features))
    sentence = (
        f"{tracks}, {share} grouped into {len(model.clusters)} clusters by k-means on {features}."
    )
    return f"{sentence} {escape_text(model.k_choice)}" if model.k_choice else sentence


def separation_lines(silhouette: float) -> list[str]:
    """How distinct the clusters are, and a warning near the top when they hardly are."""
    words = separation_words(silhouette)
    lines = []
    if silhouette <= WEAK_STRUCTURE:
        lines += [
            '<div class="admonition note"><p class="admonition-title">Overlapping clusters</p>'
            f"<p>These clusters overlap (mean silhouette {silhouette:.2f}, at or below "
            f"{WEAK_STRUCTURE}): the tracks form a continuum more than distinct groups. Read "
            "each cluster as a region of that continuum; tracks near its edges could as well "
            "belong to a neighbour.</p></div>",
            "",
        ]
    lines += [
        f"How distinct the clusters are: {words}, with a mean silhouette of {silhouette:.2f} "
        "(from −1 to 1: above 0.5 well separated, 0.25 or below overlapping). Each cluster "
        "gives its own below.",
        "",
    ]
    return lines


def changes_sentence(changes: Changes) -> str:
    """What changed since the previous build, for a reader who knew the old clusters."""
    both = changes.moved + changes.kept
    parts = [
        f"{changes.moved} of the {both} {plural(both, 'track')} in both changed cluster"
        if changes.moved
        else f"none of the {both} {plural(both, 'track')} in both changed cluster"
    ]
    if changes.added:
        parts.append(f"{changes.added} new {plural(changes.added, 'track')}")
    if changes.removed:
        parts.append(f"{changes.removed} {plural(changes.removed, 'track')} gone")
    return (
        "Since the previous version of this playlist, clusters keep their numbers where they "
        f"still match: {', '.join(parts)}."
    )


def cluster_section(view: ClusterView, model: PageModel, names: dict[int, str]) -> list[str]:
    description = view.description
    shown = model.representatives
    size = len(view.tracks)
    facts = [
        f"{size} {plural(size, 'track')}",
        f"{separation_words(view.separation)} (silhouette {view.separation:.2f})",
    ]
    if description.median_tempo is not None:
        tempo = f"median tempo {description.median_tempo:.0f} BPM"
        if description.octave_tempos:
            tempo += (
                f" ({description.octave_tempos} {plural(description.octave_tempos, 'track')} "
                "measured near half or double the tempo of others here: often the same beat "
                "counted differently)"
            )
        facts.append(tempo)
    lines = [
        # A short anchor that stays when the name changes, for links to the cluster.
        f'<a id="cluster-{view.number}"></a>',
        "",
        f"## Cluster #{view.number}: {escape_text(description.name)}",
        "",
        " · ".join(facts),
        "",
    ]
    evidence = evidence_lines(description)
    if evidence:
        lines += ["What sets it apart from the rest of the playlist:", "", *evidence, ""]
    if size > shown:
        lines += [f"The {shown} tracks nearest the cluster's centre:", ""]
    lines += [placeholder(f"table-{view.number}"), ""]
    if view.misfits is not None and len(view.misfits):
        lines += ["Tracks that fit this cluster least, each with the cluster it is nearest to:", ""]
        for row in view.misfits.to_dict("records"):
            other = int(row["nearer"])
            lines.append(
                f"- {track_text(row)}: nearer [cluster #{other}](#cluster-{other}) "
                f"({escape_text(names.get(other, ''))})"
            )
        lines.append("")
    if model.downloads:
        stem = f"{model.downloads}/cluster-{view.number}"
        lines += [
            f"Download {'this track' if size == 1 else f'these {size} tracks'}: "
            f"[CSV]({stem}.csv) · [Spotify URIs]({stem}.txt) · [M3U8 playlist]({stem}.m3u8)",
            "",
        ]
    return lines


def evidence_lines(description: ClusterDescription) -> list[str]:
    """A Markdown list of the measured differences behind the cluster's name."""
    lines = [
        f"- {trait.word}: {feature_name(trait.feature)} "
        f"{format_value(trait.feature, trait.cluster_value)} on average here, "
        f"{format_value(trait.feature, trait.playlist_value)} across the playlist"
        for trait in description.traits
    ]
    lines += [
        f"- {over.kind.capitalize()} {escape_text(over.value)}: {over.cluster_share:.0%} of "
        f"this cluster ({over.count} {plural(over.count, 'track')}), "
        f"{over.playlist_share:.0%} of the playlist"
        for over in description.over_represented
    ]
    return lines


def track_text(row: dict[str, Any]) -> str:
    """A track's name, linked to Spotify when it can be, and its artists: for lists."""
    name, url = track_name_and_url(row)
    artists = escape_text(", ".join(row["artists"]))
    return f"[{name}]({url}) by {artists}" if url else f"{name} by {artists}"


def unclustered_section(tracks: pd.DataFrame, listed: bool, downloads: str | None) -> list[str]:
    count = len(tracks)
    reasons = tracks["reason"].value_counts()
    why = "; ".join(
        f"{escape_text(reason)}: {number}"
        for reason, number in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    lines = [
        "## Not clustered",
        "",
        f"{count} {plural(count, 'track')} could not be placed in a cluster ({why}).",
        "",
    ]
    if listed:
        lines += [placeholder("unclustered"), ""]
    elif downloads:
        lines += [
            f"They are listed, with the reason, in [the all-tracks CSV]"
            f"({downloads}/all-tracks.csv).",
            "",
        ]
    return lines


def table_columns(tracks: pd.DataFrame, metadata_only: bool = False) -> list[Column]:
    """The table layout for a playlist: columns its data cannot fill, or fills with one value
    for every track, are left out (they would take width and say nothing). A playlist
    clustered on metadata also shows the year, duration and explicitness it was grouped by."""

    def varies(name: str) -> bool:
        values = tracks[name]
        return bool(values.notna().any()) and values.map(repr).nunique() > 1

    columns: list[Column] = []
    if tracks["image_url"].map(safe_url).notna().any():
        columns.append(Column("Art", art_cell))
    columns.append(Column("Track", track_cell))
    if varies("album"):
        columns.append(Column("Album", lambda row: text_cell(row["album"])))
    columns.append(Column("Artists", artists_cell))
    if varies("label"):
        columns.append(Column("Label", lambda row: text_cell(row["label"])))
    if varies("rank"):
        columns.append(Column("Rank", lambda row: number_cell(row["rank"]), "right"))
    elif varies("popularity"):
        columns.append(Column("Popularity", lambda row: number_cell(row["popularity"]), "right"))
    if metadata_only:
        if varies("year"):
            columns.append(Column("Year", lambda row: number_cell(row["year"]), "right"))
        if varies("duration_ms"):
            columns.append(Column("Duration", duration_cell, "right"))
        if varies("explicit"):
            columns.append(
                Column("Explicit", lambda row: "E" if row["explicit"] is True else "", "center")
            )
    if varies("liked"):
        columns.append(Column("💚", lambda row: "💚" if row["liked"] is True else "", "center"))
    return columns


def duration_cell(row: dict[str, Any]) -> str:
    value = row["duration_ms"]
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return format_value("duration_ms", float(value))


def member_columns(columns: Sequence[Column]) -> list[Column]:
    """The lighter layout of long lists: no album art, artists as plain text."""
    kept = [column for column in columns if column.header in {"Track", "Album"}]
    return [*kept, Column("Artists", lambda row: text_cell(", ".join(row["artists"])))]


def html_table(columns: Sequence[Column], tracks: pd.DataFrame) -> str:
    """An HTML table without a class, so that themes style it as their Markdown tables."""
    styles = [f' style="text-align: {col.align}"' if col.align != "left" else "" for col in columns]
    # Cells apart by a space: search plugins that index the text as it is would otherwise run
    # the cells together ("TrackAlbumArtists...").
    head = " ".join(
        f"<th{style}>{col.header}</th>" for col, style in zip(columns, styles, strict=True)
    )
    rows = [
        "<tr>"
        + " ".join(
            f"<td{style}>{col.cell(row)}</td>" for col, style in zip(columns, styles, strict=True)
        )
        + "</tr>"
        for row in tracks.to_dict("records")
    ]
    # The box scrolls a wide table on a phone in every theme (Material adds its own too).
    return "\n".join(
        [
            '<div style="overflow-x: auto">',
            "<table>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def text_cell(value: object) -> str:
    return "" if value is None or value is pd.NA or value != value else escape_text(value)


def number_cell(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return f"{value:.0f}"


def track_cell(row: dict[str, Any]) -> str:
    """The track's name, linked to its Spotify page when the export has its id."""
    name, url = track_name_and_url(row)
    return f'<a href="{url}">{name}</a>' if url else name


def track_name_and_url(row: dict[str, Any]) -> tuple[str, str | None]:
    """The track's escaped name and its Spotify page, when the export has its id."""
    name = text_cell(row["name"]) or "Unknown track"
    return name, safe_url(f"https://open.spotify.com/track/{row['track_id']}")


def art_cell(row: dict[str, Any]) -> str:
    url = safe_url(row["image_url"])
    if not url:
        return ""
    alt = escape_text(f"Cover of {row['album']}" if row["album"] else "Album cover")
    # A fixed CSS size too: themes set `height: auto`, which lets a cover that fails to load
    # collapse to its alt text and shift the row.
    return (
        f'<img src="{url}" alt="{alt}" width="50" height="50" loading="lazy" '
        'style="display: inline-block; width: 50px; height: 50px; overflow: hidden">'
    )


def artists_cell(row: dict[str, Any]) -> str:
    names = list(row["artists"])
    ids = list(row["artist_ids"])
    if len(ids) != len(names):  # never guess which id belongs to which name
        ids = [None] * len(names)
    parts = []
    for name, artist_id in zip(names, ids, strict=True):
        url = safe_url(f"https://open.spotify.com/artist/{artist_id}") if artist_id else None
        parts.append(f'<a href="{url}">{escape_text(name)}</a>' if url else escape_text(name))
    return ", ".join(parts)


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
