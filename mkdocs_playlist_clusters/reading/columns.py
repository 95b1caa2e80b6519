"""Which column of a file is which: every exporter's header names for the canonical
columns, and a user's own `columns:` mapping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from ..errors import ColumnMappingError
from ..playlist import AUDIO_FEATURES
from .header_aliases import TRANSLATED_HEADERS


def normalize_header(name: str) -> str:
    """Header without case, spacing, punctuation or TABs: "Artist Name(s)" -> "artistnames"."""
    text = unicodedata.normalize("NFC", name).strip().lstrip("\ufeff").casefold()
    return re.sub(r"[\W_]+", "", text)


# Canonical column -> header names, compared after `normalize_header`. The first match wins, so
# more specific names come first (a file with both "Track URI" and "Album URI" maps "uri" to the
# track's). Covers Exportify (exportify.net and exportify.app), Skiley's camelCase export and
# the snake_case tables of Kaggle and spotifyr; exportify.app's translated headers are added
# below from `header_aliases`.
ENGLISH_ALIASES: dict[str, tuple[str, ...]] = {
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
ENGLISH_ALIASES["tempo"] += ("bpm",)
_ALIASES: dict[str, tuple[str, ...]] = {
    canonical: aliases + tuple(normalize_header(h) for h in TRANSLATED_HEADERS.get(canonical, ()))
    for canonical, aliases in ENGLISH_ALIASES.items()
}


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
