"""Reading playlist exports into the canonical track table.

Every exporter names its columns differently; this module is the only place that knows.
`read_playlist` maps a file's bytes onto one table whose columns are `TRACK_COLUMNS`, so nothing
downstream knows which tool wrote the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import PlaylistDataError
from ..language import N_, N_n, Note
from ..playlist import AUDIO_FEATURES, FORMULA, TRACK_COLUMNS
from .columns import map_columns, mapped_columns
from .csv_reader import csv_records, sniff_delimiter
from .decoding import decode_text
from .json_reader import json_records
from .limits import MAX_COLUMNS, MAX_LISTED, MAX_ROWS, cut_characters, too_many_columns, unpacked
from .parquet_reader import parquet_records
from .records import Records, kept_records
from .values import (
    EPOCH_PLACEHOLDER,
    artist_separator,
    blank_features_where_placeholder,
    blank_out_of_range,
    is_missing,
    parse_artist_id,
    parse_bool,
    parse_dates,
    parse_durations,
    parse_number,
    parse_track_id,
    split_list,
)

if TYPE_CHECKING:
    import pandas as pd


_NUMERIC_COLUMNS = frozenset({"line", "year", "duration_ms", "popularity", "rank", *AUDIO_FEATURES})


@dataclass
class PlaylistTable:
    """A playlist file read into the canonical table, with what the reader noticed."""

    tracks: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def read_playlist(data: bytes, mapping: Mapping[str, str] | None = None) -> PlaylistTable:
    """Read an export's bytes into the canonical track table.

    `mapping` names the file's column for canonical columns the aliases do not recognise
    (`{"name": "trackName"}`). Raises `ColumnMappingError` when it names a column the file
    lacks, and `PlaylistDataError` when the bytes are not a playlist this reader understands
    or exceed a limit (read files with `read_limited`: larger ones are refused unread).
    """
    data = unpacked(data)
    warnings: list[str] = []
    decimal_comma = False
    header: list[str]
    records: Records
    if data.startswith(b"PAR1"):
        header, records = parquet_records(data)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        header, records = json_records(data)
    else:
        text, warnings = decode_text(data)
        delimiter = sniff_delimiter(text)
        header, records = csv_records(text, delimiter)
        # Spreadsheets that separate fields with ";" or TAB (most of Europe's) write decimal
        # commas, "0,512"; they group thousands with "." or not at all, never with ",".
        decimal_comma = delimiter != ","
    if len(header) > MAX_COLUMNS:
        raise too_many_columns(len(header))
    columns = map_columns(header)
    columns.update(mapped_columns(header, mapping or {}))
    if "name" not in columns and "uri" not in columns:
        found = ", ".join(repr(h.strip()) for h in header[:12]) or "none"
        message = N_n(
            "no track name or track id column found among the file's {count} column (the "
            "build log names it); expected an Exportify export with 'Track Name' and 'Track "
            "URI', or map yours with 'columns: {{name: ..., artists: ...}}' in mkdocs.yml",
            "no track name or track id column found among the file's {count} columns (the "
            "build log names them); expected an Exportify export with 'Track Name' and 'Track "
            "URI', or map yours with 'columns: {{name: ..., artists: ...}}' in mkdocs.yml",
        )
        raise PlaylistDataError(Note(message, len(header)), detail=f"columns found: {found}")
    kept = kept_records(records, columns)
    del records  # and with it a parsed JSON document, before the table takes memory
    rows, columns, last = kept.rows, kept.columns, kept.last
    if not rows:
        raise PlaylistDataError(
            Note(N_("the file has a header but no tracks; export the playlist again"))
        )
    if kept.cut:
        warnings.append(cut_characters(kept.cut))
    if last[1] < len(header):
        shifted = N_(
            "line {line} has {fields} of {count} fields: the audio features of the rows above "
            "may be shifted by one row (an Exportify bug after local files); export the "
            "playlist again"
        )
        warnings.append(Note(shifted, line=str(last[0]), fields=last[1], count=len(header)))
    tracks = build_table(rows, columns, artist_separator(rows, columns), decimal_comma)
    warnings += blank_out_of_range(tracks)
    return PlaylistTable(tracks, warnings)


def build_table(
    records: Sequence[tuple[int, list[str]]],
    columns: dict[str, int],
    separator: str,
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """The canonical table from parsed records; `separator` joins artists in a cell, and
    `decimal_comma` says numbers may be written "0,512"."""
    column = column_cells(records, columns)

    def text(name: str) -> list[str | None]:
        return [None if is_missing(v) else " ".join(v.split()) for v in column(name)]

    identities = [parse_track_id(v) for v in column("uri")]
    names = text("name")
    table: dict[str, list[Any]] = {
        "line": [line for line, _ in records],
        "kind": [
            kind if not (kind == "track" and track_id is None and name is None) else "unavailable"
            for (kind, track_id, _), name in zip(identities, names, strict=True)
        ],
        "track_id": [track_id for _, track_id, _ in identities],
        "uri": [uri for _, _, uri in identities],
        "name": names,
        "album": text("album"),
        **list_columns(
            column("artists"),
            column("secondary_artists"),
            column("artist_ids"),
            column("genres"),
            separator,
        ),
    }
    dates = parse_dates(column("release_date"))
    table["release_date"] = [date for date, _ in dates]
    table["year"] = [year for _, year in dates]
    table.update(number_columns(column, set(columns), len(records), decimal_comma))
    table["explicit"] = [parse_bool(v) for v in column("explicit")]
    table["liked"] = [parse_bool(v) for v in column("liked")]
    table["added_at"] = [
        None if is_missing(v) or v.startswith(EPOCH_PLACEHOLDER) else v.strip()
        for v in column("added_at")
    ]
    table["label"] = text("label")
    table["image_url"] = text("image_url")
    return typed_frame(table)


def column_cells(
    records: Sequence[tuple[int, list[str]]], columns: dict[str, int]
) -> Callable[[str], list[str]]:
    """A canonical column's cells, read from the records ("" where the file lacks it)."""

    def column(name: str) -> list[str]:
        index = columns.get(name)
        if index is None:
            return [""] * len(records)
        cells = [cells[index] for _, cells in records]
        # Our own downloads put an apostrophe before a formula (see `playlist.FORMULA`).
        return [c[1:] if c[:1] == "'" and FORMULA.match(c[1:]) else c for c in cells]

    return column


def typed_frame(table: dict[str, list[Any]]) -> pd.DataFrame:
    """The table as a DataFrame of `TRACK_COLUMNS`: text and flags stay Python objects with
    None for missing (pandas would otherwise infer string columns, missing = NaN, and numpy
    bools), numbers are floats."""
    # Imported here so that `read_limited` costs the plugin no heavy import on a cache hit.
    import pandas as pd

    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object)
            if name not in _NUMERIC_COLUMNS
            else pd.Series(values, dtype=float)
            for name, values in table.items()
        }
    )
    blank_features_where_placeholder(frame)
    return frame[list(TRACK_COLUMNS)]


def number_columns(
    column: Callable[[str], list[str]], present: set[str], rows: int, decimal_comma: bool
) -> dict[str, list[float]]:
    """Popularity, rank, the audio features and the duration, from `column(name)`'s cells. A
    column the file lacks (not in `present`) is missing throughout, unparsed: 200,000 rows of
    14 absent features took 1.5 s to parse as blanks."""
    numbers = {
        name: [parse_number(v, decimal_comma) for v in column(name)]
        if name in present
        else [math.nan] * rows
        for name in ("popularity", "rank", *AUDIO_FEATURES)
    }
    numbers["duration_ms"] = (
        parse_durations(column("duration_ms"), decimal_comma)
        if "duration_ms" in present
        else [math.nan] * rows
    )
    return numbers


def list_columns(
    artists: Sequence[str],
    more_artists: Sequence[str],
    artist_ids: Sequence[str],
    genres: Sequence[str],
    separator: str,
) -> dict[str, list[list[Any]]]:
    """The list columns from their cells (`separator` joins artists), each item a Python
    object: refused past `MAX_LISTED` items in all, counted cell by cell as they are split."""
    remaining = MAX_LISTED

    def counted(items: list[Any]) -> list[Any]:
        nonlocal remaining
        remaining -= len(items)
        if remaining < 0:
            message = N_(
                "the file lists more than {most} artists, artist ids and genres in all, more "
                "than {rows} tracks have; split it into several playlists"
            )
            raise PlaylistDataError(Note(message, most=MAX_LISTED, rows=MAX_ROWS))
        return items

    return {
        "artists": [
            counted(split_list(main, separator) + split_list(more, separator))
            for main, more in zip(artists, more_artists, strict=True)
        ],
        # Ids never contain separators, so any of them splits the list.
        "artist_ids": [
            counted([parse_artist_id(part) for part in re.split(r"[,;]", v) if part.strip()])
            for v in artist_ids
        ],
        "genres": [
            sorted({g for g in counted(split_list(v, ",")) if not is_missing(g)}) for v in genres
        ],
    }
