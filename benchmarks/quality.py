"""Cluster quality: the plugin's clustering against the method this project started from.

    python benchmarks/quality.py            # every shared playlist (about 6 minutes)
    python benchmarks/quality.py --quick    # two small playlists, two subsamples (what CI runs)
    python benchmarks/quality.py --only progressive shoegaze    # files whose names hold these

Data (read in place from ../shared/playlists, never copied): the TidyTuesday table, whose
`playlist_genre` (edm, latin, pop, r&b, rap, rock) is a human label; every Exportify export
with audio features, whose human label for a track is the first genre of its `Genres` cell
(tracks without genres are left out of the label measures); the four Hit Predictor decades
(audio features, no genres: no label measures); and the three exports without audio
features, which the plugin clusters on metadata and the seed method cannot.

The tracks are the ones the plugin clusters (`reading.read_playlist`, `pipeline.
canonical_order` and `distinct_tracks`, the tracks with every feature), so both methods see
the same tracks. For each method:

* k: the number of clusters it chose;
* NMI, AMI, ARI: agreement with the human label (AMI is corrected for chance: labels with
  hundreds of genres make raw NMI grow with k alone);
* silhouette: of its clusters in the plugin's standardized feature space (sampled on at most
  5,000 tracks, seeded), so both methods are scored in the same space;
* stability: the mean adjusted Rand index between the clustering of every track and the
  clusterings of 5 seeded 90% subsamples (each clustered from scratch, standardization
  included), compared on the subsample's tracks.

The seed method is re-implemented here from the issue that describes it (it has no code of
its own here): the 7 features danceability, energy, speechiness, acousticness,
instrumentalness, liveness and valence, unscaled; the eigendecomposition of their covariance;
a two-axis projection whose axes are the first two *rows* of the eigenvector matrix (sorted
by decreasing eigenvalue) rather than its columns, the original's bug; KMeans(random_state=0,
n_init="auto") on that projection with k = ceil(tracks / 50) clamped to 3..10 and lowered
(not below 3) while the largest cluster is more than 10 times the smallest.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sites import SHARED_PLAYLISTS
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
    silhouette_score,
)
from threadpoolctl import threadpool_limits

from mkdocs_playlist_clusters.clustering import cluster_tracks
from mkdocs_playlist_clusters.features import (
    FeatureMatrix,
    available_features,
    feature_matrix,
    metadata_matrix,
)
from mkdocs_playlist_clusters.pipeline import (
    canonical_order,
    distinct_tracks,
    unclustered_reasons,
)
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES
from mkdocs_playlist_clusters.reading import normalize_header, parse_track_id, read_playlist

# The seed's 7 features: the plugin's continuous ones but tempo and loudness.
SEED_FEATURES = tuple(f for f in CONTINUOUS_FEATURES if f not in ("tempo", "loudness"))
SUBSAMPLES = 5
SUBSAMPLE_SHARE = 0.9
SILHOUETTE_SAMPLE = 5000
QUICK = (
    "exportify-2024dec_metalcore-hiphop_my-mix-2_199tracks.csv",
    "exportify-2024sep_oldies_all-out-60s_150tracks.csv",
)
ID_HEADERS = ("spotifyid", "trackid", "trackuri", "spotifyuri", "uri")


@dataclass(frozen=True)
class Dataset:
    name: str
    tracks: pd.DataFrame  # the tracks the plugin clusters
    matrix: FeatureMatrix  # their standardized features (or metadata coordinates)
    labels: list[str | None]  # human label per track, None where there is none
    audio: bool  # clustered on audio features (else on metadata)


@dataclass(frozen=True)
class Scores:
    k: int
    nmi: float | None
    ami: float | None
    ari: float | None
    silhouette: float
    stability: float


def plugin_matrix(tracks: pd.DataFrame) -> tuple[pd.DataFrame, FeatureMatrix | None, bool]:
    """The clusterable tracks and their matrix, as `pipeline._build_playlist` makes them."""
    features = available_features(tracks, None)
    reasons = unclustered_reasons(tracks, features)
    audio = bool(features) and reasons.isna().sum() * 2 >= len(reasons)
    if not audio:
        reasons = unclustered_reasons(tracks, [])
    clusterable = tracks[reasons.isna()]
    matrix = feature_matrix(clusterable, features) if audio else metadata_matrix(clusterable)
    return clusterable, matrix, audio


def plugin_labels(tracks: pd.DataFrame, audio: bool) -> np.ndarray:
    """The plugin's clusters of these tracks, computed from scratch (scaling included)."""
    if audio:
        matrix = feature_matrix(tracks, available_features(tracks, None))
    else:
        found = metadata_matrix(tracks)
        assert found is not None  # the whole playlist had metadata, so 90% of it does
        matrix = found
    return cluster_tracks(matrix.values).labels


def seed_labels(tracks: pd.DataFrame) -> np.ndarray:
    """The seed page's method, bug included (see the module's docstring)."""
    values = tracks[list(SEED_FEATURES)].to_numpy(dtype=float)
    centred = values - values.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    eigenvectors = eigenvectors[:, np.argsort(eigenvalues)[::-1]]
    projection = centred @ eigenvectors[:2].T  # rows, not columns: the original's bug
    k = min(10, max(3, math.ceil(len(values) / 50)))
    while True:
        labels = KMeans(n_clusters=k, random_state=0, n_init="auto").fit_predict(projection)
        sizes = np.bincount(labels, minlength=k)
        if k <= 3 or sizes.max() <= 10 * sizes.min():
            return labels
        k -= 1


def human_labels(path: Path, tracks: pd.DataFrame) -> list[str | None]:
    """Each track's human label read from the file with the csv module, not the plugin's
    reader: TidyTuesday's `playlist_genre`, or the first genre of an Exportify `Genres` cell."""
    rows = csv.reader(io.StringIO(file_bytes(path).decode("utf-8-sig").lstrip("\ufeff")))
    header = [normalize_header(name) for name in next(rows)]
    ids = [i for i, name in enumerate(header) if name in ID_HEADERS]
    label = next((header.index(n) for n in ("playlistgenre", "genres") if n in header), None)
    if label is None or not ids:
        return [None] * len(tracks)
    found: dict[str, str] = {}
    for row in rows:
        if len(row) > max(ids[0], label):
            _, track_id, _ = parse_track_id(row[ids[0]])
            first = row[label].split(",")[0].strip()
            if track_id and first:
                found[track_id] = first
    return [found.get(track_id) for track_id in tracks["track_id"]]


def file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load(path: Path) -> Dataset | None:
    tracks = distinct_tracks(canonical_order(read_playlist(file_bytes(path)).tracks))
    clusterable, matrix, audio = plugin_matrix(tracks)
    if matrix is None:
        return None
    tracks = clusterable.loc[matrix.rows]
    return Dataset(path.name.split(".csv")[0], tracks, matrix, human_labels(path, tracks), audio)


def stability(
    tracks: pd.DataFrame, full: np.ndarray, method: Callable[[pd.DataFrame], np.ndarray], runs: int
) -> float:
    scores = []
    for run in range(runs):
        rng = np.random.default_rng(run)
        rows = np.sort(rng.choice(len(tracks), int(SUBSAMPLE_SHARE * len(tracks)), replace=False))
        scores.append(adjusted_rand_score(full[rows], method(tracks.iloc[rows])))
    return float(np.mean(scores))


def score(
    dataset: Dataset, method: Callable[[pd.DataFrame], np.ndarray], runs: int
) -> tuple[Scores, float]:
    start = time.perf_counter()
    labels = method(dataset.tracks)
    seconds = time.perf_counter() - start
    known = [i for i, label in enumerate(dataset.labels) if label is not None]
    truth = [dataset.labels[i] for i in known]
    agreement: list[float | None] = [None, None, None]
    if len(set(truth)) > 1:
        agreement = [
            float(measure(truth, labels[known]))
            for measure in (
                normalized_mutual_info_score,
                adjusted_mutual_info_score,
                adjusted_rand_score,
            )
        ]
    silhouette = float(
        silhouette_score(
            dataset.matrix.values,
            labels,
            sample_size=min(len(labels), SILHOUETTE_SAMPLE),
            random_state=0,
        )
    )
    stable = stability(dataset.tracks, labels, method, runs)
    k = len(np.unique(labels))
    return Scores(k, *agreement, silhouette, stable), seconds


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small playlists, 2 subsamples")
    parser.add_argument("--only", nargs="+", default=[], help="files whose names contain these")
    args = parser.parse_args()
    if not SHARED_PLAYLISTS.is_dir():
        print(f"{SHARED_PLAYLISTS} not found: nothing to measure", file=sys.stderr)
        return 1
    paths = sorted(p for p in SHARED_PLAYLISTS.iterdir() if ".csv" in p.name)
    if args.quick:
        paths = [SHARED_PLAYLISTS / name for name in QUICK]
    if args.only:
        paths = [path for path in paths if any(part in path.name for part in args.only)]
    runs = 2 if args.quick else SUBSAMPLES

    print(
        "| playlist | tracks | labelled (classes) | method | k | NMI | AMI | ARI "
        "| silhouette | stability |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    results: dict[str, dict[str, Scores]] = {}
    seconds: dict[str, float] = {}
    sizes: dict[str, int] = {}
    with threadpool_limits(limits=1):
        for path in paths:
            dataset = load(path)
            if dataset is None:
                continue
            labelled = [label for label in dataset.labels if label is not None]
            methods: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
                "plugin": lambda tracks, audio=dataset.audio: plugin_labels(tracks, audio)
            }
            if dataset.audio and set(SEED_FEATURES) <= set(dataset.tracks.columns):
                methods["seed"] = seed_labels
            results[dataset.name] = {}
            sizes[dataset.name] = len(dataset.tracks)
            for name, method in methods.items():
                scores, took = score(dataset, method, runs)
                results[dataset.name][name] = scores
                if name == "plugin":
                    seconds[dataset.name] = took
                shown = "plugin (metadata)" if name == "plugin" and not dataset.audio else name
                print(
                    f"| {dataset.name} | {len(dataset.tracks):,} "
                    f"| {len(labelled):,} ({len(set(labelled)):,}) | {shown} | {scores.k} "
                    f"| {number(scores.nmi)} | {number(scores.ami)} | {number(scores.ari)} "
                    f"| {scores.silhouette:.3f} | {scores.stability:.3f} |",
                    flush=True,
                )
    summarize(results, seconds, sizes)
    return 0


def summarize(
    results: dict[str, dict[str, Scores]], seconds: dict[str, float], sizes: dict[str, int]
) -> None:
    print()
    for name, by_method in results.items():
        if name.startswith("tidytuesday") and "seed" in by_method:
            plugin, seed = by_method["plugin"].nmi, by_method["seed"].nmi
            if plugin is not None and seed:
                print(
                    f"TidyTuesday NMI: plugin {plugin:.3f} / seed {seed:.3f} = {plugin / seed:.2f}x"
                )
    exportify = [
        by_method
        for name, by_method in results.items()
        if name.startswith("exportify")
        and "seed" in by_method
        and by_method["seed"].ami is not None
    ]
    if exportify:
        for method in ("plugin", "seed"):
            amis = [by_method[method].ami or 0.0 for by_method in exportify]
            print(
                f"median AMI over {len(amis)} Exportify playlists, {method}: "
                f"{statistics.median(amis):.3f}"
            )
    large = {
        name: by_method["plugin"].stability
        for name, by_method in results.items()
        if sizes[name] >= 500
    }
    if large:
        worst = min(large, key=large.__getitem__)
        print(f"lowest plugin stability on a playlist of 500+ tracks: {large[worst]:.3f} ({worst})")
    print(f"plugin clustering time (one clustering, all playlists): {sum(seconds.values()):.1f} s")


if __name__ == "__main__":
    sys.exit(main())
