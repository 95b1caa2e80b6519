"""Reading playlist exports into the canonical track table.

Every exporter names its columns differently; this module is the only place that knows.
`read_playlist` maps a file's bytes onto one table whose columns are `TRACK_COLUMNS`, so nothing
downstream knows which tool wrote the file.
"""

from __future__ import annotations

import ast
import csv
import datetime
import gzip
import io
import json
import math
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ColumnMappingError, Note, PlaylistDataError
from .header_translations import TRANSLATED_HEADERS
from .language import N_, N_n
from .playlist import AUDIO_FEATURES, TRACK_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


def normalize_header(name: str) -> str:
    """Header without case, spacing, punctuation or TABs: "Artist Name(s)" -> "artistnames"."""
    text = unicodedata.normalize("NFC", name).strip().lstrip("\ufeff").casefold()
    return re.sub(r"[\W_]+", "", text)


# Canonical column -> header names, compared after `normalize_header`. The first match wins, so
# more specific names come first (a file with both "Track URI" and "Album URI" maps "uri" to the
# track's). Covers Exportify (exportify.net and exportify.app), Skiley's camelCase export and
# the snake_case tables of Kaggle and spotifyr; exportify.app's translated headers are added
# below from `header_translations`.
_ENGLISH_ALIASES: dict[str, tuple[str, ...]] = {
    "uri": ("trackuri", "spotifyuri", "trackid", "spotifyid", "uri", "trackurl", "id", "url"),
    "name": ("trackname", "name", "track", "title", "songname", "song", "tracktitle"),
    "album": ("albumname", "album", "trackalbumname", "albumtitle"),
    "artists": ("artistnames", "artistname", "artists", "artist", "trackartist", "trackartists"),
    "secondary_artists": ("secondaryartistsnames", "secondaryartists"),
    "artist_ids": ("artisturis", "artistids", "artistid", "artisturi"),
    "release_date": (
        "releasedate",
        "albumreleasedate",
        "trackalbumreleasedate",
        "year",
        "releaseyear",
    ),
    "duration_ms": (
        "durationms",
        "trackdurationms",
        "durationmillis",
        "trackduration",
        "duration",
        "length",
    ),
    "popularity": ("popularity", "trackpopularity"),
    "explicit": ("explicit", "isexplicit", "trackexplicit"),
    "added_at": ("addedat", "dateadded", "added"),
    "genres": ("genres", "artistgenres", "genre", "trackgenres", "albumgenres"),
    "label": ("recordlabel", "label", "albumrecordlabel", "albumlabel"),
    "image_url": ("albumimageurl", "imageurl", "albumart", "artworkurl", "albumimage", "coverurl"),
    "rank": ("rank", "position", "chartposition"),
    "liked": ("liked", "islikedbyuser", "isliked", "loved"),
    **{
        feature: (
            feature.replace("_", ""),
            "trackfeature" + feature.replace("_", ""),
            "audiofeatures" + feature.replace("_", ""),
        )
        for feature in AUDIO_FEATURES
    },
}
_ENGLISH_ALIASES["tempo"] += ("bpm",)
_ALIASES: dict[str, tuple[str, ...]] = {
    canonical: aliases + tuple(normalize_header(h) for h in TRANSLATED_HEADERS.get(canonical, ()))
    for canonical, aliases in _ENGLISH_ALIASES.items()
}

# Strings exporters write where they had no value.
_MISSING = frozenset({"", "undefined", "null", "none", "nan", "n/a", "na"})
_TRACK_ID = re.compile(r"^[0-9A-Za-z]{22}$")
# A URI prefix with nothing after it, "spotify:track:": a missing id, shared by no other row.
_EMPTY_URI = re.compile(r"spotify:\w+:[:\s]*")
_TRACK_URL = re.compile(r"^https://open\.spotify\.com/(?:intl-[a-z-]+/)?track/([0-9A-Za-z]{22})")
_EPOCH_PLACEHOLDER = "1970-01-01"
_NUMERIC_COLUMNS = frozenset({"line", "year", "duration_ms", "popularity", "rank", *AUDIO_FEATURES})

# The values a number can take (Spotify's Web API reference, widened to what real exports
# hold: loudness up to +4 dB, time signatures 0 and 1). Others are not measurements (and 1e308
# would overflow the scaling), so they count as missing.
_FRACTION = (0.0, 1.0)
_RANGES: dict[str, tuple[float, float]] = {
    "danceability": _FRACTION,
    "energy": _FRACTION,
    "speechiness": _FRACTION,
    "acousticness": _FRACTION,
    "instrumentalness": _FRACTION,
    "liveness": _FRACTION,
    "valence": _FRACTION,
    "tempo": (0.0, 500.0),  # beats per minute; real ones stay under 250
    "loudness": (-100.0, 20.0),  # dB
    "key": (-1.0, 11.0),
    "mode": (0.0, 1.0),
    "time_signature": (0.0, 7.0),
    "popularity": (0.0, 100.0),
    "duration_ms": (0.0, 24 * 3600 * 1000.0),  # a day: hour-long mixes are real
}

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
_MAX_JSON_VALUES = MAX_VALUES // 2
# Objects and arrays a JSON file may hold (brackets counted before parsing: 50 MB of `{},`
# would take 1.2 GB as Python objects): a record and a few list cells per row.
_MAX_JSON_CONTAINERS = 5 * MAX_ROWS
# A list cell of more items than this cannot be written in MAX_CELL_CHARS (an item takes at
# least `1, `): refused before it becomes Python objects.
_MAX_LIST_ITEMS = MAX_CELL_CHARS // 3
# Artists, artist ids and genres a file may list in all, each a Python object in the table:
# 10 a row at MAX_ROWS (real exports list 1 to 3 genres and 1.5 artists a track).
_MAX_LISTED = 10 * MAX_ROWS
# Parquet values made Python objects at a time: a few MB.
_BATCH_VALUES = 100_000

# Control characters in a cell are dropped (line breaks become spaces): no page, CSV or M3U8
# line downstream may carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAK = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]")
# Bytes that are not UTF-8, as `surrogateescape` decodes them.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# Half of a UTF-16 pair, as a JSON escape can write it ("\ud83d": an emoji cut off); no text
# can be written out with one.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class PlaylistTable:
    """A playlist file read into the canonical table, with what the reader noticed."""

    tracks: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


# A file's records: (line the record starts on, or its number in a JSON or Parquet file; the
# cells at the asked-for column indices, "" past the record's end; the record's cell count).
Records = Callable[[Sequence[int]], Iterator[tuple[int, list[str], int]]]


@dataclass
class KeptRecords:
    """What `kept_records` keeps of a file's records."""

    rows: list[tuple[int, list[str]]]  # (line, the cells of `columns`)
    columns: dict[str, int]  # canonical column -> index in a row's cells
    last: tuple[int, int]  # the last record's line and cell count
    cut: list[int] = field(default_factory=list)  # lines with a lone surrogate, now U+FFFD


def read_limited(path: Path) -> bytes:
    """A playlist file's bytes, cut after `MAX_FILE_BYTES + 1`: all `read_playlist` needs to
    read it or refuse it as too large, without holding a huge file in memory. Raises OSError.
    """
    with path.open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


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


def kept_records(records: Records, columns: dict[str, int]) -> KeptRecords:
    """The records, each cut to the cells `columns` names, so that memory grows with what is
    read and not with what a file holds; control characters dropped and lone surrogates
    replaced (see `printable`). Also `columns` renumbered for the cut records.

    Raises `PlaylistDataError` past `MAX_ROWS` records or for a cell over `MAX_CELL_CHARS`.
    """
    wanted = sorted(set(columns.values()))
    kept = KeptRecords([], {}, (0, 0))
    for line, cells, count in records(wanted):
        if len(kept.rows) == MAX_ROWS:
            message = N_(
                "the file has more than {most} rows; playlists up to {most} tracks are read: "
                "split it into several playlists"
            )
            raise PlaylistDataError(Note(message, most=MAX_ROWS))
        if max(map(len, cells), default=0) > MAX_CELL_CHARS:
            raise cell_too_long(line)
        if not "".join(cells).isprintable():  # one test a row: nearly every row passes
            if any(map(_SURROGATE.search, cells)):
                kept.cut.append(line)
            cells = [printable(cell) for cell in cells]
        kept.rows.append((line, cells))
        kept.last = (line, count)
    position = {index: i for i, index in enumerate(wanted)}
    kept.columns = {name: position[index] for name, index in columns.items()}
    return kept


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


def printable(cell: str) -> str:
    """The text without control characters; line breaks and TABs become spaces, a lone
    surrogate U+FFFD, and a bidirectional embedding, override or isolate left open is closed
    at its end (see `closed_bidi`)."""
    if cell.isprintable():
        return cell
    return closed_bidi(_SURROGATE.sub("\ufffd", _LINE_BREAK.sub(" ", _CONTROL.sub("", cell))))


# Bidirectional controls that open a level (embeddings and overrides, closed by U+202C PDF;
# isolates, closed by U+2069 PDI).
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_OPENERS = {
    **dict.fromkeys("\u202a\u202b\u202d\u202e", _PDF),
    **dict.fromkeys("\u2066\u2067\u2068", _PDI),
}


def closed_bidi(text: str) -> str:
    """`text` with the levels it opens and leaves open closed at its end: an unclosed U+202E in
    a track's name would otherwise reverse whatever follows it on the line, in every text the
    name lands in (a page, an SVG tooltip, an M3U8 line)."""
    if not any(ch in _BIDI_OPENERS for ch in text):
        return text
    open_levels: list[str] = []
    for ch in text:
        if ch in _BIDI_OPENERS:
            open_levels.append(_BIDI_OPENERS[ch])
        elif ch == _PDF and open_levels[-1:] == [_PDF]:
            open_levels.pop()
        elif ch == _PDI and _PDI in open_levels:  # closes the embeddings inside its isolate too
            while open_levels.pop() != _PDI:
                pass
    return text + "".join(reversed(open_levels))


def mapped_columns(header: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    """Canonical column -> index for a user's `columns:` mapping."""
    positions = {normalize_header(name): index for index, name in enumerate(header)}
    columns = {}
    for canonical, name in mapping.items():
        index = positions.get(normalize_header(name))
        if index is None:
            found = ", ".join(repr(h.strip()) for h in header[:20])
            raise ColumnMappingError(
                f"columns: {canonical}: the file has no column {name!r} (columns found: {found})"
            )
        columns[canonical] = index
    return columns


def json_records(data: bytes) -> tuple[list[str], Records]:
    """A JSON array of track records (or an object with a "tracks" or "items" array)."""
    containers = data.count(b"{") + data.count(b"[")
    if containers > _MAX_JSON_CONTAINERS:
        message = N_(
            "the JSON file holds more than {containers} objects and arrays; playlists up to "
            "{most} tracks are read: split it into several playlists"
        )
        raise PlaylistDataError(Note(message, containers=_MAX_JSON_CONTAINERS, most=MAX_ROWS))
    # Each value but a container's first follows a comma (commas in strings count too: a
    # bound, not a count): 47 MB of one 9.5-million-item list took 1 GB to parse.
    if data.count(b",") + containers > _MAX_JSON_VALUES:
        raise too_many_values(_MAX_JSON_VALUES)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        message = N_("the JSON file nests arrays or objects too deeply to be a list of tracks")
        raise PlaylistDataError(Note(message)) from None
    except (UnicodeDecodeError, ValueError) as error:
        message = N_("the file is not valid JSON ({error})")
        raise PlaylistDataError(Note(message, error=str(error))) from None
    if isinstance(document, dict):
        document = document.get("tracks", document.get("items"))
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        message = N_(
            'the JSON file must be an array of track objects, e.g. [{{"name": ..., "artists": '
            "...}}]"
        )
        raise PlaylistDataError(Note(message))
    if len(document) > MAX_ROWS:
        raise too_many_rows(len(document))
    header = list(dict.fromkeys(key for record in document for key in record))

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        keys = [header[index] for index in wanted]
        for number, record in enumerate(document, start=1):
            values = [record.get(key) for key in keys]
            if any(isinstance(v, list | dict) and len(v) > _MAX_LIST_ITEMS for v in values):
                raise cell_too_long(number)
            yield number, [cell_text(value) for value in values], len(header)

    return header, records


def parquet_records(data: bytes) -> tuple[list[str], Records]:
    """A Parquet table, its size and values checked in its metadata before any of it is read,
    and the decoded size and values of the columns read before they become Python objects."""
    try:
        import pyarrow.parquet as pq  # optional: only Parquet files need it
    except ImportError:
        message = N_(
            "reading Parquet needs pyarrow: pip install pyarrow, or export the playlist as CSV"
        )
        raise PlaylistDataError(Note(message)) from None
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        metadata = parquet.metadata
        chunks = [
            metadata.row_group(group).column(column)
            for group in range(metadata.num_row_groups)
            for column in range(metadata.num_columns)
        ]
        header = [str(name) for name in parquet.schema_arrow.names]
        leaves = [parquet.schema.column(index) for index in range(len(parquet.schema))]
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    if metadata.num_rows > MAX_ROWS:
        message = N_(
            "the file has {count} rows; playlists up to {most} tracks are read: split it into "
            "several playlists"
        )
        raise PlaylistDataError(Note(message, count=metadata.num_rows, most=MAX_ROWS))
    if metadata.num_columns > MAX_COLUMNS:
        raise too_many_columns(metadata.num_columns)
    if sum(chunk.total_uncompressed_size for chunk in chunks) > MAX_FILE_BYTES:
        raise too_large("unpacks to")
    # Every cell and list item, as the column chunks count them.
    if sum(chunk.num_values for chunk in chunks) > MAX_VALUES:
        raise too_many_values(MAX_VALUES)
    # Text is read dictionary-encoded, as it is stored, until its decoded size is known: a
    # value stored once may stand on every row.
    text = [leaf.path for leaf in leaves if leaf.physical_type == "BYTE_ARRAY"]

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        table, values = parquet_columns(data, text, [header[index] for index in wanted])
        return parquet_rows(table, values, len(header))

    return header, records


def parquet_errors() -> tuple[type[Exception], ...]:
    """pyarrow's errors for a damaged file; any other exception is a bug, not the file's."""
    import pyarrow as pa

    return (pa.ArrowException, OSError, ValueError)


def parquet_columns(data: bytes, text: list[str], names: list[str]) -> tuple[Any, Any]:
    """The columns `names` of a Parquet file, decoded, and each row's values (a numpy array,
    see `row_values`), once the values, the list cells and the decoded size are checked in
    what was read (which the metadata only claims to describe). `text`: the leaves to read
    dictionary-encoded."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(io.BytesIO(data), read_dictionary=text).read(columns=names)
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    values = [row_values(column) for column in table.columns]
    if sum(int(counts.sum()) for counts in values) > MAX_VALUES:
        raise too_many_values(MAX_VALUES)
    for counts in values:
        if len(counts) and counts.max() > _MAX_LIST_ITEMS:
            raise cell_too_long(int(counts.argmax()) + 1)
    if sum(decoded_bytes(column) for column in table.columns) > MAX_FILE_BYTES:
        raise too_large("unpacks to")
    # Decoded at once, in Arrow: pyarrow makes Python objects of dictionary-encoded values
    # one scalar at a time, 60 times slower (6 million took 17 s).
    schema = pa.schema([field.with_type(plain_type(field.type)) for field in table.schema])
    try:
        table = table.cast(schema)
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    return table, sum(values, np.zeros(table.num_rows, dtype=np.int64))


def parquet_rows(table: Any, values: Any, width: int) -> Iterator[tuple[int, list[str], int]]:
    """The records of a pyarrow table (see `Records`; `width`: the file's column count), made
    Python objects a batch of rows at a time (`values`: each row's, see `batches`)."""
    number = 0
    for start, stop in batches(values):
        part = table.slice(start, stop - start)
        try:
            columns = [column.to_pylist() for column in part.columns]
        except parquet_errors() as error:
            raise unreadable_parquet(error) from None
        for row in zip(*columns, strict=True):
            number += 1
            yield number, [cell_text(value) for value in row], width


def row_values(array: Any) -> Any:
    """Per row of a pyarrow array, how many values it becomes in Python: 1, plus the items of
    a list (nested lists and structs counted to their leaves) or the fields of a struct. A
    numpy array."""
    import numpy as np
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        parts = [row_values(chunk) for chunk in array.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if isinstance(array, pa.ListArray | pa.LargeListArray):  # a map is a list of pairs
        inner = np.concatenate([[0], np.cumsum(row_values(array.values))])
        offsets = array.offsets.to_numpy()
        return 1 + inner[offsets[1:]] - inner[offsets[:-1]]
    if isinstance(array, pa.FixedSizeListArray):
        inner = row_values(array.flatten()).reshape(len(array), array.type.list_size)
        return 1 + inner.sum(axis=1)
    if isinstance(array, pa.StructArray):
        return 1 + sum((row_values(field) for field in array.flatten()), np.zeros(len(array), int))
    return np.ones(len(array), dtype=np.int64)


def plain_type(kind: Any) -> Any:
    """A pyarrow type with its dictionary-encoded parts, at any depth, as their values' type."""
    import pyarrow as pa

    types = pa.types
    if types.is_dictionary(kind):
        return plain_type(kind.value_type)
    if types.is_map(kind):
        return pa.map_(plain_type(kind.key_type), plain_type(kind.item_type))
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        item = kind.value_field.with_type(plain_type(kind.value_type))
        if types.is_fixed_size_list(kind):
            return pa.list_(item, kind.list_size)
        return pa.large_list(item) if types.is_large_list(kind) else pa.list_(item)
    if types.is_struct(kind):
        return pa.struct([field.with_type(plain_type(field.type)) for field in kind])
    return kind


def batches(values: Any) -> list[tuple[int, int]]:
    """Consecutive (start, stop) row ranges, each of about `_BATCH_VALUES` values (a numpy
    array of each row's, see `row_values`) or a single row."""
    import numpy as np

    if not len(values):
        return []
    total = np.cumsum(values)
    marks = np.arange(_BATCH_VALUES, int(total[-1]), _BATCH_VALUES)
    cuts = np.searchsorted(total, marks, "right")
    stops = sorted({int(stop) for stop in cuts if stop} | {len(values)})
    return list(zip([0, *stops[:-1]], stops, strict=True))


def decoded_bytes(column: Any) -> int:
    """About how many bytes a pyarrow column takes once its dictionaries are decoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for chunk in getattr(column, "chunks", [column]):
        if isinstance(chunk, pa.DictionaryArray):
            lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
            total += pc.sum(lengths).as_py() or 0
        elif isinstance(chunk, pa.ListArray | pa.LargeListArray):
            total += chunk.offsets.nbytes + decoded_bytes(chunk.flatten())
        else:
            total += chunk.nbytes
    return total


def unreadable_parquet(error: Exception) -> PlaylistDataError:
    message = N_("the Parquet file could not be read; export it again")
    return PlaylistDataError(Note(message), str(error))


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


def cell_text(value: object) -> str:
    """A JSON or Parquet value as the text a CSV cell would hold; lists as JSON arrays, which
    `split_list` reads back."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text, and a warning when bytes had to be replaced: UTF-8 (with any number of
    BOMs), UTF-16 with a BOM, or Windows-1252.

    A file that is not valid UTF-8 is decided by evidence: while its valid multi-byte UTF-8
    sequences are at least as many as its invalid bytes, it is UTF-8 with a few damaged bytes
    (replaced by U+FFFD, and the warning names their lines); otherwise it is Windows-1252 if
    it reads as that.
    """
    if not data or data.isspace():
        raise PlaylistDataError(Note(N_("the file is empty; export the playlist again")))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff"), []
        except UnicodeDecodeError:
            message = N_("the file starts as UTF-16 text but is cut off or damaged; save it again")
            raise PlaylistDataError(Note(message)) from None
    if b"\x00" in data[:4096]:
        message = N_("the file holds binary data, not text; export the playlist as CSV")
        raise PlaylistDataError(Note(message))
    try:
        return data.decode("utf-8").lstrip("\ufeff"), []
    except UnicodeDecodeError:
        pass
    # Counted by the codecs, not by a regular expression: a Windows-1252 file has millions
    # of invalid bytes, and a match object for each would take gigabytes.
    valid = data.decode("utf-8", "ignore")
    invalid = len(data) - len(valid.encode("utf-8"))
    multibyte = len(valid) - len(valid.encode("ascii", "ignore"))
    del valid
    if multibyte < invalid:
        try:
            return data.decode("cp1252").lstrip("\ufeff"), []
        except UnicodeDecodeError:
            message = N_("the file is neither UTF-8 nor Windows-1252 text; save it as UTF-8 CSV")
            raise PlaylistDataError(Note(message)) from None
    warning = replaced_bytes(data.decode("utf-8", "surrogateescape"), invalid)
    return data.decode("utf-8", "replace").lstrip("\ufeff"), [warning]


def replaced_bytes(text: str, count: int) -> str:
    """The warning for `count` bytes that are not UTF-8 in `text` (as `surrogateescape`
    decodes them), naming their lines."""
    lines: list[int] = []
    line, position = 1, 0
    for match in _NOT_UTF8.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    message = N_n(
        "{where}: {count} byte that is not UTF-8 was replaced by \ufffd; save the file as "
        "UTF-8 again",
        "{where}: {count} bytes that are not UTF-8 were replaced by \ufffd; save the file as "
        "UTF-8 again",
    )
    return Note(message, count, where=lines_note(lines))


def lines_note(lines: Sequence[int]) -> Note:
    """ "line 5", "lines 5, 9" or "lines 5, 9, 12, 20, 31 and 4 more": where a warning's rows
    are."""
    shown = ", ".join(str(n) for n in lines[:5])
    if len(lines) == 1:
        return Note(N_("line {lines}"), lines=shown)
    if len(lines) <= 5:
        return Note(N_("lines {lines}"), lines=shown)
    return Note(N_("lines {lines} and {more} more"), lines=shown, more=len(lines) - 5)


def sniff_delimiter(text: str) -> str:
    """The field separator: whichever of ",", ";" and TAB the first non-blank line has most of."""
    match = re.search(r"^.*\S.*$", text, re.MULTILINE)
    first = match.group() if match else ""
    return max((",", ";", "\t"), key=first.count)


def csv_records(text: str, delimiter: str) -> tuple[list[str], Records]:
    """The header and records of CSV/TSV text, parsed as they are asked for. Blank lines are
    skipped."""
    reader = csv.reader(text_lines(text), delimiter=delimiter, strict=False)

    def lines() -> Iterator[tuple[int, list[str]]]:
        start, values = 1, 0
        try:
            for cells in reader:
                values += len(cells)
                if values > MAX_VALUES:
                    raise too_many_values(MAX_VALUES)
                if any(cell.strip() for cell in cells):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as error:
            if "field larger than field limit" in str(error):  # csv's own cap, 131,072
                raise cell_too_long(start) from None
            message = N_("line {line}: not valid CSV ({error})")
            raise PlaylistDataError(Note(message, line=str(start), error=str(error))) from None

    numbered = lines()
    first = next(numbered, None)
    if first is None:
        raise PlaylistDataError(Note(N_("the file is empty; export the playlist again")))
    header = first[1]

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        for line, cells in numbered:
            yield line, [cells[i] if i < len(cells) else "" for i in wanted], len(cells)

    return header, records


# A line with its line end (CRLF, LF or CR, as `newline=""` splits), or the last line without.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The lines of `text` one at a time, for `csv.reader`: a StringIO would copy the text
    at four bytes a character (48 MB of rows took 190 MB more)."""
    return (match.group() for match in _LINE.finditer(text))


def map_columns(header: Sequence[str]) -> dict[str, int]:
    """Canonical column name -> index in the header, for the columns the file has."""
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(normalize_header(name), index)
    columns: dict[str, int] = {}
    for canonical, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in positions:
                columns[canonical] = positions[alias]
                break
    return columns


# A comma as Exportify joins artists, "Drake,Sampha": commas inside names are followed by a
# space ("Tyler, The Creator") or stand between digits ("10,000 Maniacs").
_JOINING_COMMA = re.compile(r"(?<!\d),(?!\s)|,(?![\s\d])")


def artist_separator(records: Sequence[tuple[int, list[str]]], columns: dict[str, int]) -> str:
    """How this file joins several artists in one cell.

    Exportify joined them with "," until September 2025 and with ";" since (deleting ";" from
    names, keeping commas); watsonbox's exporter writes ", " and escapes commas inside names
    as "\\,". Whichever of ";" and a joining comma more cells hold wins, so one name with
    ";" in a comma-joined file, or names with ", " in a ";"-joined one, do not flip the file.
    """
    index = columns.get("artists")
    if index is None:
        return ","
    cells = [cells[index] for _, cells in records if index < len(cells)]
    if any("\\," in cell for cell in cells) or (
        "artist_ids" in columns
        and any(
            ", spotify:artist:" in cells[columns["artist_ids"]]
            for _, cells in records
            if columns["artist_ids"] < len(cells)
        )
    ):
        return ", "
    semicolon_joined = sum(";" in cell for cell in cells)
    comma_joined = sum(bool(_JOINING_COMMA.search(cell)) for cell in cells)
    return ";" if semicolon_joined > comma_joined else ","


def split_list(cell: str, separator: str) -> list[str]:
    """Split a multi-value cell, honouring watsonbox's "\\," escape and list literals: JSON
    (`["A", "B"]`, as `cell_text` writes JSON and Parquet lists) and Python (`['A', 'B']`, as
    in Kaggle's Spotify tables)."""
    if is_missing(cell):
        return []
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        values = list_literal(text)
        if values is not None:
            # Escapes in a JSON string can write any character again.
            texts = (printable(str(v)).strip() for v in values if v is not None)
            return [text for text in texts if text]
    if separator == ", ":
        parts = re.split(r"(?<!\\), ", cell)
        return [part.replace("\\,", ",").strip() for part in parts if part.strip()]
    return [part.strip() for part in cell.split(separator) if part.strip()]


def list_literal(text: str) -> list[Any] | None:
    """The list a JSON or Python list literal writes, else None."""
    for parse in (json.loads, ast.literal_eval):
        try:
            values = parse(text)
        except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
            continue
        return values if isinstance(values, list) else None
    return None


def is_missing(cell: str) -> bool:
    return not cell or cell.strip().casefold() in _MISSING


def build_table(
    records: Sequence[tuple[int, list[str]]],
    columns: dict[str, int],
    separator: str,
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """The canonical table from parsed records; `separator` joins artists in a cell, and
    `decimal_comma` says numbers may be written "0,512"."""
    # Imported here so that `read_limited` costs the plugin no heavy import on a cache hit.
    import pandas as pd

    from .downloads import FORMULA

    def column(name: str) -> list[str]:
        index = columns.get(name)
        if index is None:
            return [""] * len(records)
        cells = [cells[index] for _, cells in records]
        # Our own downloads put an apostrophe before a formula (see `downloads.FORMULA`).
        return [c[1:] if c[:1] == "'" and FORMULA.match(c[1:]) else c for c in cells]

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
        None if is_missing(v) or v.startswith(_EPOCH_PLACEHOLDER) else v.strip()
        for v in column("added_at")
    ]
    table["label"] = text("label")
    table["image_url"] = text("image_url")
    # Text and flags stay Python objects with None for missing: pandas would otherwise infer
    # string columns (missing = NaN) and numpy bools.
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
    object: refused past `_MAX_LISTED` items in all, counted cell by cell as they are split."""
    remaining = _MAX_LISTED

    def counted(items: list[Any]) -> list[Any]:
        nonlocal remaining
        remaining -= len(items)
        if remaining < 0:
            message = N_(
                "the file lists more than {most} artists, artist ids and genres in all, more "
                "than {rows} tracks have; split it into several playlists"
            )
            raise PlaylistDataError(Note(message, most=_MAX_LISTED, rows=MAX_ROWS))
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


def blank_out_of_range(frame: pd.DataFrame) -> list[str]:
    """Numbers outside their column's `_RANGES` become missing; one warning counts them."""
    found = []
    for name, (low, high) in _RANGES.items():
        outside = frame[name].notna() & ~frame[name].between(low, high)
        if count := int(outside.sum()):
            frame.loc[outside, name] = math.nan
            where = {"column": name, "low": f"{low:g}", "high": f"{high:g}"}
            message = N_n(
                "{column} outside {low} to {high} in {count} row",
                "{column} outside {low} to {high} in {count} rows",
            )
            found.append(Note(message, count, **where))
    if not found:
        return []
    return [Note(N_("values no track can have were read as missing: {found}"), found=found)]


def blank_features_where_placeholder(frame: pd.DataFrame) -> None:
    """Rows whose audio features are all 0 carry Spotify's "no analysis" placeholder, not data.

    A zero alone is a measurement: a track without a beat has tempo 0 and time signature 0
    next to a real energy, loudness and acousticness.
    """
    features = frame[list(AUDIO_FEATURES)]
    placeholder = features.notna().any(axis=1) & features.fillna(0).eq(0).all(axis=1)
    frame.loc[placeholder, list(AUDIO_FEATURES)] = math.nan


def parse_track_id(cell: str) -> tuple[str, str | None, str | None]:
    """(kind, 22-character track id or None, URI or None) from any id/URI/URL cell."""
    if is_missing(cell):
        return "track", None, None
    value = cell.strip()
    uri = None if _EMPTY_URI.fullmatch(value) else value
    if value.startswith("spotify:local:"):
        return "local", None, uri
    if value.startswith("spotify:episode:") or "open.spotify.com/episode/" in value:
        return "episode", None, uri
    if value.startswith("spotify:track:"):
        track_id = value.removeprefix("spotify:track:")
    elif match := _TRACK_URL.match(value):
        track_id = match.group(1)
    else:
        track_id = value
    if not _TRACK_ID.match(track_id):
        return "track", None, uri
    return "track", track_id, f"spotify:track:{track_id}"


def parse_artist_id(part: str) -> str | None:
    value = part.strip().removeprefix("spotify:artist:")
    return value if _TRACK_ID.match(value) else None


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")


def parse_number(cell: str, decimal_comma: bool = False) -> float:
    """A finite number, else NaN; with `decimal_comma`, "120,5" is 120.5."""
    try:
        # Most cells: float() takes the spaces around a number too, and the missing-value
        # words it takes ("nan") are NaN anyway.
        value = float(cell)
    except ValueError:
        text = cell.strip()
        if not (decimal_comma and _DECIMAL_COMMA.fullmatch(text)):
            return math.nan
        value = float(text.replace(",", "."))
    return value if math.isfinite(value) else math.nan


def parse_durations(cells: Sequence[str], decimal_comma: bool = False) -> list[float]:
    """Durations in milliseconds from milliseconds, seconds, or "m:ss" / "h:mm:ss" cells."""
    values = []
    for cell in cells:
        if re.fullmatch(r"\d+(:\d{1,2}){1,2}", cell.strip()):
            seconds = 0
            for part in cell.strip().split(":"):
                seconds = seconds * 60 + int(part)
            values.append(seconds * 1000.0)
        else:
            values.append(parse_number(cell, decimal_comma))
    known = [v for v in values if not math.isnan(v)]
    # No song lasts under ten seconds: numbers that small are seconds, not milliseconds.
    if known and sorted(known)[len(known) // 2] < 10_000:
        values = [v * 1000 if v < 10_000 else v for v in values]
    return values


def parse_bool(cell: str) -> bool | None:
    if is_missing(cell):
        return None
    value = cell.strip().casefold()
    if value in {"true", "1", "yes", "y", "wahr", "x", "💚"}:
        return True
    if value in {"false", "0", "no", "n", "falsch"}:
        return False
    return None


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:$|[T ])")
# A spreadsheet's re-save: M/D/YYYY (US) or D/M/YYYY (most elsewhere), with "/", "." or "-".
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_dates(cells: Sequence[str]) -> list[tuple[str | None, float]]:
    """`parse_date` for each cell of a release-date column, reading D/M against M/D as the
    column's unambiguous dates do: a first number over 12 is a day, a second one a month.

    With no such dates the column is read M/D (spreadsheets' US default, as re-saved Exportify
    files are); when they disagree, an ambiguous date keeps only its year.
    """
    numeric = [m.groups() for cell in cells if (m := _NUMERIC_DATE.match(cell.strip()))]
    days_first = any(int(first) > 12 >= int(second) for first, second, _ in numeric)
    months_first = any(int(second) > 12 >= int(first) for first, second, _ in numeric)
    day_first = None if days_first and months_first else days_first
    return [parse_date(cell, day_first) for cell in cells]


def parse_date(cell: str, day_first: bool | None = False) -> tuple[str | None, float]:
    """(ISO date with the precision the file had, year) from the date forms exporters write.

    `day_first` says how to read a D/M/YYYY or M/D/YYYY date whose two numbers could both be a
    month (None: keep only its year); a number over 12 can only be the day. A date that does
    not exist keeps only its year.
    """
    if is_missing(cell):
        return None, math.nan
    value = cell.strip()
    if match := _NUMERIC_DATE.match(value):
        first, second, year = (int(group) for group in match.groups())
        if first > 12 or second > 12:
            day_first = first > 12
        if day_first is None:
            return iso_date(year, None, None)
        return iso_date(year, *((second, first) if day_first else (first, second)))
    if match := _ISO_DATE.match(value):
        month, day = (int(group) if group else None for group in match.groups()[1:])
        return iso_date(int(match[1]), month, day)
    return None, math.nan


def iso_date(year: int, month: int | None, day: int | None) -> tuple[str | None, float]:
    """("YYYY[-MM[-DD]]", year); a month or day that cannot be leaves the year alone."""
    if not 1000 <= year <= 2100:
        return None, math.nan
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return f"{year:04d}", float(year)
    parts = [f"{year:04d}", *(f"{part:02d}" for part in (month, day) if part is not None)]
    return "-".join(parts), float(year)
