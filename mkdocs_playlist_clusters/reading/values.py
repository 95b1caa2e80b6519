"""Cells as values: missing markers, track and artist ids, numbers, durations, booleans,
dates and lists, parsed as every exporter writes them."""

from __future__ import annotations

import ast
import datetime
import json
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..language import N_, N_n, Note
from ..playlist import AUDIO_FEATURES
from .decoding import printable

if TYPE_CHECKING:
    import pandas as pd

# Strings exporters write where they had no value.
_MISSING = frozenset({"", "undefined", "null", "none", "nan", "n/a", "na"})
_TRACK_ID = re.compile(r"^[0-9A-Za-z]{22}$")
# A URI prefix with nothing after it, "spotify:track:": a missing id, shared by no other row.
_EMPTY_URI = re.compile(r"spotify:\w+:[:\s]*")
_TRACK_URL = re.compile(r"^https://open\.spotify\.com/(?:intl-[a-z-]+/)?track/([0-9A-Za-z]{22})")
EPOCH_PLACEHOLDER = "1970-01-01"
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
