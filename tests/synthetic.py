"""Synthetic Exportify exports: invented tracks from three well-separated archetypes."""

from __future__ import annotations

import csv
import io
import random
import string
from typing import Any

EXPORTIFY_HEADER = [
    "Track URI",
    "Track Name",
    "Album Name",
    "Artist Name(s)",
    "Release Date",
    "Duration (ms)",
    "Popularity",
    "Explicit",
    "Added By",
    "Added At",
    "Genres",
    "Record Label",
    "Danceability",
    "Energy",
    "Key",
    "Loudness",
    "Mode",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
    "Time Signature",
]

BASE62 = string.digits + string.ascii_letters

# Three archetypes far apart in feature space, so k-means finds them whatever k it tries.
_ARCHETYPES: tuple[dict[str, Any], ...] = (
    {
        "name": "Club",
        "genres": "house,dance pop",
        "label": "Brightline Music",
        "Danceability": 0.85,
        "Energy": 0.9,
        "Loudness": -4.0,
        "Speechiness": 0.05,
        "Acousticness": 0.03,
        "Instrumentalness": 0.3,
        "Liveness": 0.1,
        "Valence": 0.75,
        "Tempo": 125.0,
    },
    {
        "name": "Ballad",
        "genres": "singer-songwriter,folk",
        "label": "Hearthside Records",
        "Danceability": 0.3,
        "Energy": 0.2,
        "Loudness": -14.0,
        "Speechiness": 0.04,
        "Acousticness": 0.9,
        "Instrumentalness": 0.01,
        "Liveness": 0.12,
        "Valence": 0.25,
        "Tempo": 72.0,
    },
    {
        "name": "Rap",
        "genres": "hip hop,rap",
        "label": "Corner Store Records",
        "Danceability": 0.7,
        "Energy": 0.6,
        "Loudness": -7.0,
        "Speechiness": 0.35,
        "Acousticness": 0.15,
        "Instrumentalness": 0.0,
        "Liveness": 0.2,
        "Valence": 0.5,
        "Tempo": 95.0,
    },
)
# Spread of each feature around its archetype's value.
_SPREAD = {"Loudness": 0.8, "Tempo": 4.0}
_BOUNDED = (
    "Danceability",
    "Energy",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
)


def track_id(rng: random.Random) -> str:
    """A valid-looking 22-character base62 Spotify id."""
    return "".join(rng.choice(BASE62) for _ in range(22))


def synthetic_tracks(n: int = 60, seed: int = 0) -> list[dict[str, str]]:
    """`n` Exportify rows (header name -> cell) drawn from three well-separated archetypes."""
    rng = random.Random(seed)
    ids: set[str] = set()
    rows = []
    for i in range(n):
        archetype = _ARCHETYPES[i % len(_ARCHETYPES)]
        new_id = track_id(rng)
        while new_id in ids:
            new_id = track_id(rng)
        ids.add(new_id)
        row = {
            "Track URI": f"spotify:track:{new_id}",
            "Track Name": f"{archetype['name']} Song {i + 1}",
            "Album Name": f"{archetype['name']} Album {i % 4 + 1}",
            "Artist Name(s)": f"{archetype['name']} Artist {i % 5 + 1}"
            + (f";Guest {i}" if i % 7 == 0 else ""),
            "Release Date": f"{2000 + i % 24}-0{1 + i % 9}-1{i % 10}",
            "Duration (ms)": str(150_000 + 1000 * i),
            "Popularity": str(20 + i % 70),
            "Explicit": "true" if i % 5 == 0 else "false",
            "Added By": "",
            "Added At": f"2024-01-{1 + i % 28:02d}T12:00:00Z",
            "Genres": archetype["genres"],
            "Record Label": archetype["label"],
            "Key": str(i % 12),
            "Mode": str(i % 2),
            "Time Signature": "4",
        }
        for feature in (*_BOUNDED, "Loudness", "Tempo"):
            value = archetype[feature] + rng.gauss(0, _SPREAD.get(feature, 0.03))
            if feature in _BOUNDED:
                value = min(1.0, max(0.0, value))
            row[feature] = f"{value:.4f}"
        rows.append(row)
    return rows


def exportify_csv(rows: list[dict[str, str]]) -> str:
    """The rows as an Exportify export (current 24-column header), missing cells empty."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, EXPORTIFY_HEADER, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
