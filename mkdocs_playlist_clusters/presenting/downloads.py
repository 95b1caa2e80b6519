"""A cluster's tracks as files a listener can take away: Exportify CSV, Spotify URIs, M3U8.

Each takes tracks of the canonical track table (see `playlist.TRACK_COLUMNS`) in the order the
page lists them and gives the file's bytes: UTF-8, LF line ends, byte-identical for identical
input.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from ..playlist import FORMULA

# The header of Exportify's current export (exportify.net since May 2025), so that a download
# reads back into this plugin, Exportify-based notebooks and spreadsheets alike.
EXPORTIFY_COLUMNS: dict[str, str] = {
    "Track URI": "uri",
    "Track Name": "name",
    "Album Name": "album",
    "Artist Name(s)": "artists",
    "Release Date": "release_date",
    "Duration (ms)": "duration_ms",
    "Popularity": "popularity",
    "Explicit": "explicit",
    "Added By": "",
    "Added At": "added_at",
    "Genres": "genres",
    "Record Label": "label",
    "Danceability": "danceability",
    "Energy": "energy",
    "Key": "key",
    "Loudness": "loudness",
    "Mode": "mode",
    "Speechiness": "speechiness",
    "Acousticness": "acousticness",
    "Instrumentalness": "instrumentalness",
    "Liveness": "liveness",
    "Valence": "valence",
    "Tempo": "tempo",
    "Time Signature": "time_signature",
}

_FIRST = frozenset("'=+-@\t\r ")  # a cheap test before the pattern: most cells start otherwise

# What the Track URI column keeps when a track has no Spotify track id: another Spotify URI
# (local file, episode) without spaces or control characters; anything else is dropped.
_SPOTIFY_URI = re.compile(r"spotify:[^\s\x00-\x1f\x7f-\x9f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (Cc)


def exportify_rows(tracks: pd.DataFrame) -> list[list[str]]:
    """The tracks' cells in Exportify's column order, artists joined with ";" as Exportify
    does since September 2025."""
    columns = [column_texts(tracks, column) for column in EXPORTIFY_COLUMNS.values()]
    return [list(row) for row in zip(*columns, strict=True)]


def csv_lines(rows: Iterable[Sequence[str]]) -> list[str]:
    """Each row as one CSV line, its cells through `spreadsheet_texts`: made once, a line can go
    into several files (a mix's CSV and the all-tracks CSV). One line a row: control
    characters, line breaks among them, are spaces by then."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(spreadsheet_texts(row) for row in rows)
    return [f"{line}\n" for line in buffer.getvalue().split("\n")[:-1]]


def joined_csv(lines: Iterable[str], extra: Sequence[str] = ()) -> bytes:
    """The CSV file of `csv_lines`, under Exportify's header and `extra` headers (the user's
    words from `strings:`, made safe for spreadsheets as cells are)."""
    buffer = io.StringIO()
    header = spreadsheet_texts([*EXPORTIFY_COLUMNS, *extra])
    csv.writer(buffer, lineterminator="\n").writerow(header)
    return (buffer.getvalue() + "".join(lines)).encode("utf-8")


def spreadsheet_texts(cells: Sequence[str]) -> list[str]:
    """The cells as a spreadsheet shows them, as text, never running them: see `FORMULA`.
    Control characters become spaces: the csv module leaves a lone CR unquoted, which splits
    the row in two for every reader. A row at a time: a call per cell costs a fifth more."""
    texts = cells if "".join(cells).isprintable() else [_CONTROL.sub(" ", c) for c in cells]
    return ["'" + c if c and c[0] in _FIRST and FORMULA.match(c) else c for c in texts]


def column_texts(tracks: pd.DataFrame, column: str) -> list[str]:
    """One CSV cell per track for a canonical column (a whole column at a time: a large
    playlist has millions of cells), before `spreadsheet_texts`."""
    if column == "uri":
        return [
            track_uri(i, u) or "" for i, u in zip(tracks["track_id"], tracks["uri"], strict=True)
        ]
    if column not in tracks:
        return [""] * len(tracks)
    values = tracks[column]
    if values.dtype == float:  # the shortest text that reads back as the same number
        return ["" if v != v else str(int(v)) if v.is_integer() else repr(v) for v in values]
    if column == "artists":
        # Exportify deletes ";" inside names so that ";" can join them.
        texts = [";".join(name.replace(";", "") for name in names) for names in values]
    elif column == "genres":
        texts = [genres_text(genres) for genres in values]
    elif column == "explicit":
        texts = ["" if v is None else "true" if v else "false" for v in values]
    else:
        texts = ["" if v is None else str(v) for v in values]
    return texts


def genres_text(genres: Sequence[str]) -> str:
    """Genres as Exportify joins them, "dance pop,pop"; as a JSON list when a genre holds a
    comma (or the cell would start like one), which `reading.values.split_list` reads back whole."""
    text = ",".join(genres)
    if "," in "".join(genres) or text.startswith("["):
        return json.dumps(list(genres), ensure_ascii=False)
    return text


def track_uri(track_id: object, uri: object) -> str | None:
    """The track's `spotify:track:` URI, else the file's URI if it is another Spotify URI
    (local files, episodes): a column importers read as Spotify's identifier holds nothing
    else (the track's name and artists still identify it)."""
    if isinstance(track_id, str) and track_id:
        return f"spotify:track:{track_id}"
    return uri if isinstance(uri, str) and _SPOTIFY_URI.fullmatch(uri) else None


def uri_list(tracks: pd.DataFrame) -> bytes:
    """One `spotify:track:` URI a line: pasted into Spotify's desktop app, a playlist."""
    ids = [track_id for track_id in tracks["track_id"] if isinstance(track_id, str)]
    return "".join(f"spotify:track:{track_id}\n" for track_id in ids).encode("utf-8")


def m3u8(tracks: pd.DataFrame, title: str) -> bytes:
    """An extended M3U playlist: per track `#EXTINF:<seconds>,<artists> - <title>` and its
    `spotify:track:` URI, which Spotify-aware players open; transfer services match the
    artists and title. Tracks without a Spotify id are left out (no URI to play)."""
    lines = ["#EXTM3U", f"#PLAYLIST:{one_line(title)}"]
    for track_id, name, artists, duration in zip(
        tracks["track_id"], tracks["name"], tracks["artists"], tracks["duration_ms"], strict=True
    ):
        if not isinstance(track_id, str):
            continue
        seconds = -1 if math.isnan(duration) else round(duration / 1000)  # -1: unknown length
        title_text = one_line(name or "") or "Unknown track"
        artist_text = one_line(", ".join(artists))
        label = f"{artist_text} - {title_text}" if artist_text else title_text
        lines += [f"#EXTINF:{seconds},{label}", f"spotify:track:{track_id}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def one_line(text: str) -> str:
    """Text on one line without control characters: a line break would end an M3U entry
    early, and players show other control characters as garbage or stop reading."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())
