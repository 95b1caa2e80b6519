"""The shared playlists as the benchmarks of groups read them: the tracks the plugin groups,
their coordinates, and the human labels that were not an input.

The tracks are the ones a build groups (`reading.read_playlist`, `members.canonical_order` and
`distinct_tracks`, then the tracks with every feature), in the coordinates a build uses: the
standardized audio features, or the metadata coordinates of an export without them.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial.distance import pdist
from sites import SHARED_PLAYLISTS

from mkdocs_playlist_clusters.grouping.families import RANDOM_STATE
from mkdocs_playlist_clusters.grouping.features import (
    FeatureMatrix,
    available_features,
    feature_matrix,
    grouping_matrix,
)
from mkdocs_playlist_clusters.grouping.members import (
    canonical_order,
    distinct_tracks,
    unclustered_reasons,
)
from mkdocs_playlist_clusters.reading.columns import normalize_header
from mkdocs_playlist_clusters.reading.exports import read_playlist
from mkdocs_playlist_clusters.reading.values import parse_track_id

__all__ = ["SHARED_PLAYLISTS", "Dataset", "coherence", "coordinates", "load", "shared_paths"]

# Human labels: name -> the normalized headers that hold it. TidyTuesday's `playlist_genre`
# (6 classes) and `playlist_subgenre` (24); an Exportify export's first genre of `Genres`.
LABEL_HEADERS = {"genre": ("playlistgenre", "genres"), "subgenre": ("playlistsubgenre",)}
ID_HEADERS = ("spotifyid", "trackid", "trackuri", "spotifyuri", "uri")
COHERENCE_PAIRS = 2000  # pairs sampled in a group with more than this many


@dataclass(frozen=True)
class Dataset:
    name: str
    tracks: pd.DataFrame  # the tracks the plugin groups
    matrix: FeatureMatrix  # the coordinates a build groups them in
    audio_values: np.ndarray | None  # their standardized audio features alone, when they have
    labels: dict[str, list[str | None]]  # label name -> per track, None where there is none
    audio: bool  # grouped on audio features (else on metadata)


def shared_paths() -> list[Path]:
    return sorted(p for p in SHARED_PLAYLISTS.iterdir() if ".csv" in p.name)


def file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def coordinates(tracks: pd.DataFrame, audio: bool) -> FeatureMatrix | None:
    """The coordinates a build groups these tracks in, computed from scratch (scaling
    included): `features.grouping_matrix`, as the pipeline calls it."""
    return grouping_matrix(tracks, available_features(tracks, None) if audio else [], False)


def sound(tracks: pd.DataFrame, audio: bool) -> np.ndarray | None:
    """The standardized audio features alone (None without them): where coherence is
    measured, whatever the groups were made in."""
    return feature_matrix(tracks, available_features(tracks, None)).values if audio else None


def load(path: Path) -> Dataset | None:
    """The file's groupable tracks, as `pipeline._build_playlist` chooses them; None when
    nothing in it can be compared."""
    tracks = distinct_tracks(canonical_order(read_playlist(file_bytes(path)).tracks))
    features = available_features(tracks, None)
    reasons = unclustered_reasons(tracks, features)
    audio = bool(features) and reasons.isna().sum() * 2 >= len(reasons)
    if not audio:
        reasons = unclustered_reasons(tracks, [])
    matrix = coordinates(tracks[reasons.isna()], audio)
    if matrix is None:
        return None
    tracks = tracks.loc[matrix.rows]
    name = path.name.split(".csv")[0]
    return Dataset(name, tracks, matrix, sound(tracks, audio), human_labels(path, tracks), audio)


def human_labels(path: Path, tracks: pd.DataFrame) -> dict[str, list[str | None]]:
    """Each track's human labels read from the file with the csv module, not the plugin's
    reader (first value of a comma-joined cell; a track listed twice: its last row)."""
    rows = csv.reader(io.StringIO(file_bytes(path).decode("utf-8-sig").lstrip("\ufeff")))
    header = [normalize_header(name) for name in next(rows)]
    ids = [i for i, name in enumerate(header) if name in ID_HEADERS]
    columns = {
        label: next(header.index(h) for h in headers if h in header)
        for label, headers in LABEL_HEADERS.items()
        if any(h in header for h in headers)
    }
    if not ids or not columns:
        return {}
    found: dict[str, dict[str, str]] = {label: {} for label in columns}
    for row in rows:
        if len(row) <= max(ids[0], *columns.values()):
            continue
        _, track_id, _ = parse_track_id(row[ids[0]])
        for label, column in columns.items():
            first = row[column].split(",")[0].strip()
            if track_id and first:
                found[label][track_id] = first
    return {
        label: [values.get(track_id) for track_id in tracks["track_id"]]
        for label, values in found.items()
        if values
    }


def mean_distance(values: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> float:
    """The mean distance between two tracks of the same group, groups weighted by size."""
    means, sizes = [], []
    for group in np.unique(labels):
        rows = np.flatnonzero(labels == group)
        if len(rows) < 2:
            continue
        if len(rows) * (len(rows) - 1) // 2 <= COHERENCE_PAIRS:
            means.append(float(pdist(values[rows]).mean()))
        else:
            first = rng.integers(len(rows), size=COHERENCE_PAIRS)
            second = rng.integers(len(rows) - 1, size=COHERENCE_PAIRS)
            second += second >= first  # two different tracks
            pairs = values[rows[first]] - values[rows[second]]
            means.append(float(np.linalg.norm(pairs, axis=1).mean()))
        sizes.append(len(rows))
    return float(np.average(means, weights=sizes))


def coherence(values: np.ndarray, labels: np.ndarray) -> float:
    """Mean distance within groups over that within random groups of the same sizes."""
    rng = np.random.default_rng(RANDOM_STATE)
    return mean_distance(values, labels, rng) / mean_distance(values, rng.permutation(labels), rng)
