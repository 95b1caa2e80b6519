"""How much of a file is read: the limits checked while reading, so that memory stays
bounded whatever the file, and the errors that say which one a file broke."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Sequence
from pathlib import Path

from ..errors import PlaylistDataError
from ..language import N_, Note
from .decoding import lines_note

# Limits on what is read, checked while reading so that memory stays bounded whatever the file
# (a 0.5 MB gzip can unpack to gigabytes, a 22 KB Parquet file can hold millions of rows).
MAX_FILE_BYTES = 50 * 10**6  # after gzip; a 7,785-track Liked Songs export is 1.9 MB
# Spotify caps a playlist at 10,000 tracks; the largest tables exporters and data sets hand out
# whole (the biggest export here: 16,430 rows; Kaggle's "Spotify Tracks Dataset": 114,000)
# stay under it. More rows is a file made to exhaust memory, not a playlist.
MAX_ROWS = 200_000
MAX_CELL_CHARS = 10_000  # the longest real cells, genre lists, stay under 1,000
MAX_COLUMNS = 1_000  # exports have up to about 40
# Values a file may hold: the cells of a CSV file, the cells and list items of a Parquet file.
# Counted, not measured in bytes: each costs parsing time or a Python object whatever its size
# (200,000 rows of 82 two-letter cells took 2.7 s to parse; 2 KB of Parquet held 100 million
# empty strings). 30 a row at MAX_ROWS; exports have up to 24 columns.
MAX_VALUES = 6_000_000
# A JSON file is parsed whole, every value a Python object at once, so it may hold half as
# many (commas and brackets counted before parsing): an Exportify export of 50 MB written as
# JSON holds 2.4 million.
MAX_JSON_VALUES = MAX_VALUES // 2
# Objects and arrays a JSON file may hold (brackets counted before parsing: 50 MB of `{},`
# would take 1.2 GB as Python objects): a record and a few list cells per row.
MAX_JSON_CONTAINERS = 5 * MAX_ROWS
# A list cell of more items than this cannot be written in MAX_CELL_CHARS (an item takes at
# least `1, `): refused before it becomes Python objects.
MAX_LIST_ITEMS = MAX_CELL_CHARS // 3
# Artists, artist ids and genres a file may list in all, each a Python object in the table:
# 10 a row at MAX_ROWS (real exports list 1 to 3 genres and 1.5 artists a track).
MAX_LISTED = 10 * MAX_ROWS
# Parquet values made Python objects at a time: a few MB.
BATCH_VALUES = 100_000


def read_limited(path: Path) -> bytes:
    """A playlist file's bytes, cut after `MAX_FILE_BYTES + 1`: all `read_playlist` needs to
    read it or refuse it as too large, without holding a huge file in memory. Raises OSError.
    """
    with path.open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def unpacked(data: bytes) -> bytes:
    """The file's bytes, gunzipped if they are gzip; refused beyond `MAX_FILE_BYTES`, which
    is checked while unpacking so that a small archive of gigabytes is never held whole."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large("is")
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as archive:
            data = archive.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        raise PlaylistDataError(Note(N_("the file is a damaged gzip archive"))) from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large("unpacks to")
    return data


def cut_characters(lines: Sequence[int]) -> str:
    """The warning for lone surrogates replaced on `lines` (see `printable`)."""
    message = N_(
        "{where}: a character cut in half (half of an emoji's UTF-16 pair) was replaced by "
        "\ufffd; export the playlist again"
    )
    return Note(message, where=lines_note(lines))


def cell_too_long(line: int) -> PlaylistDataError:
    message = N_(
        "line {line}: a cell is longer than {most} characters, more than any track's; export "
        "the playlist again"
    )
    return PlaylistDataError(Note(message, line=str(line), most=MAX_CELL_CHARS))


def too_large(verb: str) -> PlaylistDataError:
    """The file "is" or "unpacks to" more than `MAX_FILE_BYTES`."""
    if verb == "is":
        message = N_(
            "the file is over {most} MB; playlists up to {most} MB are read: split it into "
            "several playlists"
        )
    else:
        message = N_(
            "the file unpacks to over {most} MB; playlists up to {most} MB are read: split it "
            "into several playlists"
        )
    return PlaylistDataError(Note(message, most=MAX_FILE_BYTES // 10**6))


def too_many_rows(rows: int) -> PlaylistDataError:
    message = N_(
        "the file has {count} tracks; playlists up to {most} tracks are read: split it into "
        "several playlists"
    )
    return PlaylistDataError(Note(message, count=rows, most=MAX_ROWS))


def too_many_values(most: int) -> PlaylistDataError:
    message = N_(
        "the file holds more than {most} values (cells and list items); playlists up to "
        "{rows} tracks are read: split it into several playlists"
    )
    return PlaylistDataError(Note(message, most=most, rows=MAX_ROWS))


def too_many_columns(columns: int) -> PlaylistDataError:
    message = N_(
        "the file has {count} columns; playlists with up to {most} are read: export the "
        "playlist again"
    )
    return PlaylistDataError(Note(message, count=columns, most=MAX_COLUMNS))
