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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .downloads import FORMULA
from .errors import ColumnMappingError, PlaylistDataError
from .header_translations import TRANSLATED_HEADERS
from .playlist import AUDIO_FEATURES, TRACK_COLUMNS


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
MAX_FILE_BYTES = 50 * 10**6
_NUMERIC_COLUMNS = frozenset({"line", "year", "duration_ms", "popularity", "rank", *AUDIO_FEATURES})
_ENCODINGS = ("utf-8", "cp1252")


@dataclass
class PlaylistTable:
    """A playlist file read into the canonical table, with what the reader noticed."""

    tracks: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def read_playlist(data: bytes, mapping: Mapping[str, str] | None = None) -> PlaylistTable:
    """Read an export's bytes into the canonical track table.

    `mapping` names the file's column for canonical columns the aliases do not recognise
    (`{"name": "trackName"}`). Raises `ColumnMappingError` when it names a column the file
    lacks, and `PlaylistDataError` when the bytes are not a playlist this reader understands.
    """
    if len(data) > MAX_FILE_BYTES:
        raise PlaylistDataError(
            f"the file is {len(data) / 1e6:.0f} MB; playlists up to {MAX_FILE_BYTES // 10**6} MB "
            "are read: split it into several playlists"
        )
    warnings: list[str] = []
    decimal_comma = False
    if data.startswith(b"PAR1"):
        header, records = frame_records(read_parquet(data))
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        header, records = frame_records(read_json(data))
    else:
        text = decode_text(data)
        delimiter = sniff_delimiter(text)
        header, records, warnings = split_records(text, delimiter)
        # Spreadsheets that separate fields with ";" or TAB (most of Europe's) write decimal
        # commas, "0,512"; they group thousands with "." or not at all, never with ",".
        decimal_comma = delimiter != ","
    columns = map_columns(header)
    columns.update(mapped_columns(header, mapping or {}))
    if "name" not in columns and "uri" not in columns:
        found = ", ".join(repr(h.strip()) for h in header[:12]) or "none"
        raise PlaylistDataError(
            f"no track name or track id column found (columns found: {found}); expected an "
            "Exportify export with 'Track Name' and 'Track URI', or map yours with "
            "'columns: {name: ..., artists: ...}' in mkdocs.yml"
        )
    if not records:
        raise PlaylistDataError("the file has a header but no tracks; export the playlist again")
    tracks = build_table(records, columns, artist_separator(records, columns), decimal_comma)
    return PlaylistTable(tracks, warnings)


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


def read_json(data: bytes) -> pd.DataFrame:
    """A JSON array of track records (or an object with a "tracks" or "items" array)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PlaylistDataError(f"the file is not valid JSON ({error})") from None
    if isinstance(document, dict):
        document = document.get("tracks", document.get("items"))
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise PlaylistDataError(
            'the JSON file must be an array of track objects, e.g. [{"name": ..., "artists": ...}]'
        )
    return pd.DataFrame.from_records(document)


def read_parquet(data: bytes) -> pd.DataFrame:
    try:
        return pd.read_parquet(io.BytesIO(data))
    except ImportError:
        raise PlaylistDataError(
            "reading Parquet needs pyarrow: pip install pyarrow, or export the playlist as CSV"
        ) from None
    except Exception as error:  # pyarrow raises its own types for damaged files
        raise PlaylistDataError(f"the Parquet file could not be read ({error})") from None


def frame_records(frame: pd.DataFrame) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A table read by pandas as header and text records, as if it had been a CSV."""

    def text(value: object) -> str:
        if isinstance(value, list | tuple | np.ndarray):  # Parquet lists arrive as arrays
            return ";".join(str(v) for v in value)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    header = [str(name) for name in frame.columns]
    records = [
        (number, [text(value) for value in row])
        for number, row in enumerate(frame.itertuples(index=False, name=None), start=1)
    ]
    return header, records


def decode_text(data: bytes) -> str:
    """Bytes to text: UTF-8 (with any number of BOMs), UTF-16 with a BOM, else Windows-1252.

    Gzip-compressed files are unpacked first.
    """
    if data.startswith(b"\x1f\x8b"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            raise PlaylistDataError("the file is a damaged gzip archive") from None
    if not data.strip():
        raise PlaylistDataError("the file is empty; export the playlist again")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise PlaylistDataError(
                "the file starts as UTF-16 text but is cut off or damaged; save it again"
            ) from None
    else:
        if b"\x00" in data[:4096]:
            raise PlaylistDataError(
                "the file holds binary data, not text; export the playlist as CSV"
            )
        for encoding in _ENCODINGS:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise PlaylistDataError(
                "the file is neither UTF-8 nor Windows-1252 text; save it as UTF-8 CSV"
            )
    return text.lstrip("\ufeff")


def sniff_delimiter(text: str) -> str:
    """The field separator: whichever of ",", ";" and TAB the first non-blank line has most of."""
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    return max((",", ";", "\t"), key=first.count)


def split_records(
    text: str, delimiter: str
) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Parse CSV/TSV text into the header and (line number, cells) records.

    Blank lines are skipped. A short last record is the mark of an Exportify export whose
    audio features were shifted by a local file, so it is reported.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
            else:
                records.append((reader.line_num, cells))
    except csv.Error as error:
        raise PlaylistDataError(f"line {reader.line_num}: not valid CSV ({error})") from None
    if header is None:
        raise PlaylistDataError("the file is empty; export the playlist again")
    warnings = []
    if records and len(records[-1][1]) < len(header):
        line, cells = records[-1]
        warnings.append(
            f"line {line} has {len(cells)} of {len(header)} fields: the audio features of the "
            "rows above may be shifted by one row (an Exportify bug after local files); "
            "export the playlist again"
        )
    return header, records, warnings


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
    """Split a multi-value cell, honouring watsonbox's "\\," escape and Python list literals
    (`['A', 'B']`, as in Kaggle's Spotify tables)."""
    if is_missing(cell):
        return []
    if cell.startswith("[") and cell.endswith("]"):
        try:
            values = ast.literal_eval(cell)
        except (ValueError, SyntaxError):
            values = None
        if isinstance(values, list):
            return [str(v).strip() for v in values if str(v).strip()]
    if separator == ", ":
        parts = re.split(r"(?<!\\), ", cell)
        return [part.replace("\\,", ",").strip() for part in parts if part.strip()]
    return [part.strip() for part in cell.split(separator) if part.strip()]


def is_missing(cell: str) -> bool:
    return cell.strip().casefold() in _MISSING


def build_table(
    records: Sequence[tuple[int, list[str]]],
    columns: dict[str, int],
    separator: str,
    decimal_comma: bool = False,
) -> pd.DataFrame:
    """The canonical table from parsed records; `separator` joins artists in a cell, and
    `decimal_comma` says numbers may be written "0,512"."""

    def column(name: str) -> list[str]:
        index = columns.get(name)
        if index is None:
            return [""] * len(records)
        cells = [cells[index] if index < len(cells) else "" for _, cells in records]
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
        "artists": [
            split_list(main, separator) + split_list(more, separator)
            for main, more in zip(column("artists"), column("secondary_artists"), strict=True)
        ],
        # Ids never contain separators, so any of them splits the list.
        "artist_ids": [
            [parse_artist_id(part) for part in re.split(r"[,;]", v) if part.strip()]
            for v in column("artist_ids")
        ],
    }
    dates = parse_dates(column("release_date"))
    table["release_date"] = [date for date, _ in dates]
    table["year"] = [year for _, year in dates]
    for name in ("popularity", "rank", *AUDIO_FEATURES):
        table[name] = [parse_number(v, decimal_comma) for v in column(name)]
    table["duration_ms"] = parse_durations(column("duration_ms"), decimal_comma)
    table["explicit"] = [parse_bool(v) for v in column("explicit")]
    table["liked"] = [parse_bool(v) for v in column("liked")]
    table["added_at"] = [
        None if is_missing(v) or v.startswith(_EPOCH_PLACEHOLDER) else v.strip()
        for v in column("added_at")
    ]
    table["genres"] = [
        sorted({g.strip() for g in v.split(",") if not is_missing(g)}) for v in column("genres")
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
    if is_missing(cell):
        return math.nan
    text = cell.strip()
    if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return math.nan
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
