"""The pages' track tables: their columns in the page's language, each cell escaped for
HTML, a track's name linked to Spotify, its cover and its artists."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..describing.differences import format_value
from ..escaping import bdi, escape_text, isolated, safe_url
from ..language import ENGLISH, N_, Language
from ..playlist import download_name, placeholder


@dataclass(frozen=True)
class Column:
    key: str  # what the column shows, whatever the language of its header
    header: str
    cell: Callable[[dict[str, Any]], str]
    align: str = "left"


# The kinds of shared values, as an evidence line starts with them.
KIND_WORDS: dict[str, str] = {
    "genre": N_("Genre"),
    "decade": N_("Decade"),
    "label": N_("Label"),
    "artist": N_("Artist"),
}


def track_text(row: dict[str, Any], language: Language = ENGLISH) -> str:
    """A track's name, linked to Spotify when it can be, and its artists: for lists."""
    name, url = track_name_and_url(row, language)
    name = bdi(name)  # in running text: see `isolated`
    artists = ", ".join(isolated(artist) for artist in row["artists"])
    track = f"[{name}]({url})" if url else name
    return language.tr("{track} by {artists}", track=track, artists=artists)


def unclustered_section(
    tracks: pd.DataFrame, listed: bool, downloads: str | None, language: Language = ENGLISH
) -> list[str]:
    tr = language.tr
    reasons = tracks["reason"].value_counts()
    why = tr("; ").join(
        f"{escape_text(reason)}: {language.number(number)}"
        for reason, number in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    lines = [
        "## " + tr("Not grouped"),
        "",
        language.tr_n(
            "{count} track could not be placed in a mix ({why}).",
            "{count} tracks could not be placed in a mix ({why}).",
            len(tracks),
            why=why,
        ),
        "",
    ]
    if listed:
        lines += [placeholder("unclustered"), ""]
    elif downloads:
        lines += [
            tr(
                "They are listed, with the reason, in [the all-tracks CSV]({url}).",
                url=download_name(downloads, "all-tracks.csv"),
            ),
            "",
        ]
    return lines


def table_columns(
    tracks: pd.DataFrame, metadata_only: bool = False, language: Language = ENGLISH
) -> list[Column]:
    """The table layout for a playlist: columns its data cannot fill, or fills with one value
    for every track, are left out (they would take width and say nothing). A playlist
    clustered on metadata also shows the year, duration and explicitness it was grouped by."""
    tr = language.tr

    def varies(name: str) -> bool:
        values = tracks[name]
        return bool(values.notna().any()) and values.map(repr).nunique() > 1

    columns: list[Column] = []
    if tracks["image_url"].map(safe_url).notna().any():
        columns.append(Column("art", tr("Art"), lambda row: art_cell(row, language)))
    columns.append(Column("name", tr("Track"), lambda row: track_cell(row, language)))
    if varies("album"):
        columns.append(Column("album", tr("Album"), lambda row: text_cell(row["album"])))
    columns.append(Column("artists", tr("Artists"), artists_cell))
    if varies("label"):
        columns.append(Column("label", tr("Label"), lambda row: text_cell(row["label"])))
    if varies("rank"):
        columns.append(Column("rank", tr("Rank"), lambda row: number_cell(row["rank"]), "right"))
    elif varies("popularity"):
        columns.append(
            Column(
                "popularity",
                tr("Popularity"),
                lambda row: number_cell(row["popularity"]),
                "right",
            )
        )
    if metadata_only:
        if varies("year"):
            columns.append(
                Column("year", tr("Year"), lambda row: number_cell(row["year"]), "right")
            )
        if varies("duration_ms"):
            columns.append(Column("duration_ms", tr("Duration"), duration_cell, "right"))
        if varies("explicit"):
            columns.append(
                Column(
                    "explicit",
                    tr("Explicit"),
                    lambda row: tr("E") if row["explicit"] is True else "",
                    "center",
                )
            )
    if varies("liked"):
        columns.append(
            Column("liked", "💚", lambda row: "💚" if row["liked"] is True else "", "center")
        )
    return columns


def duration_cell(row: dict[str, Any]) -> str:
    value = row["duration_ms"]
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return format_value("duration_ms", float(value))


def member_columns(columns: Sequence[Column], language: Language = ENGLISH) -> list[Column]:
    """The lighter layout of long lists: no album art, artists as plain text."""
    kept = [column for column in columns if column.key in {"name", "album"}]
    artists = Column(
        "artists",
        language.tr("Artists"),
        lambda row: ", ".join(cell_texts(row["artists"])),
    )
    return [*kept, artists]


def html_table(columns: Sequence[Column], tracks: pd.DataFrame, rtl: bool = False) -> str:
    """An HTML table without a class, so that themes style it as their Markdown tables. `rtl`:
    for a right-to-left page, each cell's text keeps its own direction ("Signal Mix (Edit)" in
    an Arabic table), aligned to the right (only then: it costs every cell 40 bytes)."""
    styles = [f' style="text-align: {col.align}"' if col.align != "left" else "" for col in columns]
    if rtl:
        styles = [' style="unicode-bidi: plaintext; text-align: right"' for _ in columns]
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
        for row in records(tracks)
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


def records(tracks: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, like `to_dict("records")`, which costs a
    millisecond or more a call however few the rows: too much for 100+ mix tables."""
    columns = list(tracks.columns)
    return [dict(zip(columns, row, strict=True)) for row in tracks.to_numpy(object).tolist()]


def text_cell(value: object) -> str:
    """A data value alone in a table cell, escaped; "" when missing. Not `isolated`: a cell is
    a bidirectional paragraph of its own, which nothing around it can reorder (and <bdi> in
    every cell would cost a 3,000-track page 15% more)."""
    return "" if value is None or value is pd.NA or value != value else escape_text(value)


def number_cell(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return f"{value:.0f}"


def track_cell(row: dict[str, Any], language: Language = ENGLISH) -> str:
    """The track's name, linked to its Spotify page when the export has its id."""
    name, url = track_name_and_url(row, language)
    return f'<a href="{url}">{name}</a>' if url else name


def track_name_and_url(row: dict[str, Any], language: Language = ENGLISH) -> tuple[str, str | None]:
    """The track's escaped name and its Spotify page, when the export has its id."""
    name = text_cell(row["name"]) or escape_text(language.tr("Unknown track"))
    return name, track_url(row["track_id"])


def track_url(track_id: object) -> str | None:
    """The track's page on Spotify, when `track_id` is a Spotify id."""
    return safe_url(f"https://open.spotify.com/track/{track_id}")


def art_cell(row: dict[str, Any], language: Language = ENGLISH) -> str:
    url = safe_url(row["image_url"])
    if not url:
        return ""
    if row["album"]:
        alt = escape_text(language.tr("Cover of {album}", album=row["album"]))
    else:
        alt = escape_text(language.tr("Album cover"))
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
    for name, artist_id in zip(cell_texts(names), ids, strict=True):
        url = safe_url(f"https://open.spotify.com/artist/{artist_id}") if artist_id else None
        parts.append(f'<a href="{url}">{name}</a>' if url else name)
    return ", ".join(parts)


def cell_texts(values: Sequence[object]) -> list[str]:
    """Data values that share a table cell, escaped, and each `isolated` when there are
    several (alone, a value is isolated by its cell: see `text_cell`)."""
    convert = isolated if len(values) > 1 else escape_text
    return [convert(value) for value in values]
