"""Write real_playlists.json: what each export in ../shared/playlists holds, counted by rules
written down here and nowhere else, so tests can check the plugin against them.

It uses only the standard library and never imports mkdocs_playlist_clusters: the counts come
from the bytes and the rules below, not from the plugin's reader. Run it from anywhere, once,
when the shared exports change, and check the counts against the shared README:

    python tests/expectations/make_real_playlists.py

Rules:

- A file is gzip-compressed if its name ends in .gz; text is UTF-8, any leading BOMs dropped.
  Every shared file is comma-separated with RFC 4180 quoting (Python's csv module).
- The first non-blank record is the header; header names are compared with spaces and TABs
  stripped and case ignored. Each later non-blank record is a data row.
- A cell is missing when it is empty or reads "undefined" (any case), after stripping spaces.
- A row's id cell decides its kind: "spotify:local:..." is a local file, "spotify:episode:..."
  a podcast episode, anything else a track. A track row with no 22-character id (the cell is
  missing or the bare "spotify:track:") and no name is unavailable.
- Rows are the same track when they have the same 22-character Spotify id; else the same
  local or episode URI; else the same name, artists cell and album (case ignored). Each
  unavailable row is a track of its own. The first row of a track stands for it.
- A file has audio features when any cell of the nine continuous features (danceability,
  energy, speechiness, acousticness, instrumentalness, liveness, valence, tempo, loudness) is
  a number. A row has them when every continuous feature column that has a number anywhere in
  the file is a number in that row, and not every audio feature cell of the row (those nine,
  key, mode, time signature) is 0: Spotify writes all zeros when it has no analysis.
- A track can be clustered when it is a track (not local, episode or unavailable) and, in a
  file with audio features, its row has them. Without audio features, every such track is
  clustered on its metadata.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "playlists"
OUTPUT = Path(__file__).resolve().parent / "real_playlists.json"

# Header names (stripped, casefolded) of each column, in every format of the shared files.
ID_HEADERS = ("track uri", "spotify id", "track id", "spotify uri", "track-uri", "uri", "track_id")
NAME_HEADERS = ("track name", "track-name", "track", "track_name")
ARTIST_HEADERS = ("artist name(s)", "künstlername(n)", "artist name", "artist", "track_artist")
ALBUM_HEADERS = ("album name", "album-name", "track_album_name")
CONTINUOUS = (
    "danceability",
    "energy",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "loudness",
)
CATEGORICAL = ("key", "mode", "time signature", "time_signature")
SPOTIFY_ID = re.compile(r"(?:spotify:track:)?([0-9A-Za-z]{22})")


def records(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8").lstrip("\ufeff")
    return [row for row in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in row)]


def missing(cell: str) -> bool:
    return cell.strip().casefold() in ("", "undefined")


def number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def column(header: list[str], names: tuple[str, ...]) -> int | None:
    stripped = [name.strip().casefold() for name in header]
    return next((stripped.index(name) for name in names if name in stripped), None)


def count(path: Path) -> dict[str, object]:
    header, *rows = records(path)

    def cell(row: list[str], index: int | None) -> str:
        return row[index] if index is not None and index < len(row) else ""

    ids, names, artists, albums = (
        column(header, headers)
        for headers in (ID_HEADERS, NAME_HEADERS, ARTIST_HEADERS, ALBUM_HEADERS)
    )
    continuous = [i for i in (column(header, (name,)) for name in CONTINUOUS) if i is not None]
    continuous = [i for i in continuous if any(number(cell(r, i)) is not None for r in rows)]
    audio = continuous + [i for i in (column(header, (n,)) for n in CATEGORICAL) if i is not None]

    def has_features(row: list[str]) -> bool:
        values = [number(cell(row, i)) for i in continuous]
        if any(value is None for value in values):
            return False
        return any(number(cell(row, i)) not in (None, 0) for i in audio)

    first_rows: dict[str, tuple[str, list[str]]] = {}
    counts = {"local_file_rows": 0, "episode_rows": 0, "unavailable_rows": 0}
    without_features = 0
    for line, row in enumerate(rows):
        id_cell = cell(row, ids).strip()
        name = cell(row, names)
        match = SPOTIFY_ID.fullmatch(id_cell)
        if id_cell.startswith("spotify:local:"):
            kind, identity = "local", f"uri:{id_cell}"
            counts["local_file_rows"] += 1
        elif id_cell.startswith("spotify:episode:"):
            kind, identity = "episode", f"uri:{id_cell}"
            counts["episode_rows"] += 1
        elif match:
            kind, identity = "track", f"id:{match.group(1)}"
        elif not missing(name):
            parts = (name, cell(row, artists), cell(row, albums))
            kind, identity = "track", "meta:" + "|".join(p.strip().casefold() for p in parts)
        else:
            kind, identity = "unavailable", f"row:{line}"
            counts["unavailable_rows"] += 1
        if kind == "track" and continuous and not has_features(row):
            without_features += 1
        first_rows.setdefault(identity, (kind, row))

    clusterable = sum(
        kind == "track" and (not continuous or has_features(row))
        for kind, row in first_rows.values()
    )
    return {
        "rows": len(rows),
        "distinct_tracks": len(first_rows),
        "clusterable_tracks": clusterable,
        "has_audio_features": bool(continuous),
        "track_rows_without_features": without_features,
        **counts,
    }


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: the shared exports must be beside the checkout")
    files = sorted(p for p in SHARED.iterdir() if p.is_file() and p.name != "README.md")
    expectations = {path.name: count(path) for path in files}
    OUTPUT.write_text(json.dumps(expectations, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(expectations)} files)")


if __name__ == "__main__":
    main()
