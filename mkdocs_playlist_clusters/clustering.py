"""k-means on standardized features, k chosen by silhouette, and a PCA view of the result."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from .errors import PlaylistDataError

MIN_TRACKS = 6
MAX_AUTO_CLUSTERS = 10
# Auto k keeps clusters at 15 tracks or more on average: smaller groups tell a listener little.
TRACKS_PER_CLUSTER = 15
# A clustering whose largest cluster is this many times its smallest is an outlier detector,
# not a grouping; auto k avoids it when another k is possible.
MAX_SIZE_RATIO = 10
SILHOUETTE_SAMPLE = 2000
RANDOM_STATE = 0
N_INIT = 10
MAX_DIMENSIONS = 20


@dataclass(frozen=True)
class Clustering:
    """Clusters numbered 0, 1, ... by decreasing size (ties: by centre coordinates)."""

    labels: np.ndarray  # cluster number per track
    distances: np.ndarray  # each track's distance to its cluster's centre
    centres: np.ndarray  # (clusters, dimensions) in the space k-means ran in
    projection: np.ndarray  # (tracks, 2) principal-component coordinates
    components: np.ndarray  # (2, features) principal axes as feature weights
    explained_variance: tuple[float, float]  # share of variance along each axis
    scores: dict[int, float]  # silhouette of each k tried (empty when k was fixed)

    @property
    def count(self) -> int:
        return len(self.centres)

    def sizes(self) -> list[int]:
        return np.bincount(self.labels, minlength=self.count).tolist()


def candidate_cluster_counts(tracks: int) -> range:
    """The values of k that auto mode tries for a playlist of this many tracks."""
    high = max(2, min(MAX_AUTO_CLUSTERS, tracks // TRACKS_PER_CLUSTER))
    return range(min(3, high), high + 1)


def cluster_tracks(values: np.ndarray, clusters: int | None = None) -> Clustering:
    """Cluster standardized feature rows; `clusters=None` picks k by silhouette.

    The rows are sorted before clustering and the result mapped back, so the order of the
    input never changes which tracks end up together.
    """
    tracks = len(values)
    distinct = len(np.unique(values, axis=0)) if tracks else 0
    if tracks < MIN_TRACKS:
        raise PlaylistDataError(
            f"{tracks} {'track has' if tracks == 1 else 'tracks have'} the features to "
            f"cluster, at least {MIN_TRACKS} are needed"
        )
    if values.shape[1] == 0 or distinct < 2:
        raise PlaylistDataError(
            "every track has the same feature values, so nothing separates them"
        )
    if clusters is not None and clusters > distinct:
        raise PlaylistDataError(
            f"clusters: {clusters} asked for, but only {distinct} tracks have distinct features; "
            "ask for fewer clusters or use 'auto'"
        )
    order = np.lexsort(values.T[::-1])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(tracks)
    ordered = values[order]
    # Metadata can have hundreds of indicator columns (one per shared artist); k-means on
    # their leading principal components finds the same groups far faster.
    space = ordered
    if values.shape[1] > MAX_DIMENSIONS:
        space = _pca(MAX_DIMENSIONS, values.shape[1]).fit_transform(ordered)

    # One thread: k-means' OpenMP threads stall badly when the machine is busy (as it is in
    # a build), and on playlist-sized data parallelism buys nothing.
    with threadpool_limits(limits=1):
        labels, centres, scores = _fit(space, clusters, distinct)
    labels, centres = _number_by_size(labels, centres)
    distances = np.linalg.norm(space - centres[labels], axis=1)
    projection, components, explained = _project(ordered)
    labels, distances, projection = labels[inverse], distances[inverse], projection[inverse]
    return Clustering(labels, distances, centres, projection, components, explained, scores)


def _fit(
    values: np.ndarray, clusters: int | None, distinct: int
) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    if clusters is None:
        return _best_by_silhouette(values, distinct)
    return *_kmeans(values, clusters), {}


def _kmeans(values: np.ndarray, clusters: int) -> tuple[np.ndarray, np.ndarray]:
    model = KMeans(n_clusters=clusters, n_init=N_INIT, random_state=RANDOM_STATE)
    labels = model.fit_predict(values)
    return labels, model.cluster_centers_


def _best_by_silhouette(
    values: np.ndarray, distinct: int
) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    candidates = [k for k in candidate_cluster_counts(len(values)) if k <= distinct]
    scores: dict[int, float] = {}
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in candidates:
        labels, centres = _kmeans(values, k)
        if len(np.unique(labels)) < 2:
            continue
        fits[k] = labels, centres
        scores[k] = float(
            silhouette_score(
                values,
                labels,
                sample_size=min(len(values), SILHOUETTE_SAMPLE),
                random_state=RANDOM_STATE,
            )
        )
    if not scores:
        raise PlaylistDataError("the tracks' features are too alike to form clusters")
    balanced = [k for k in scores if _size_ratio(fits[k][0]) <= MAX_SIZE_RATIO]
    best = max(balanced or scores, key=lambda k: (round(scores[k], 6), -k))
    return *fits[best], scores


def _size_ratio(labels: np.ndarray) -> float:
    sizes = np.bincount(labels)
    sizes = sizes[sizes > 0]
    return float(sizes.max() / sizes.min())


def _number_by_size(labels: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sizes = np.bincount(labels, minlength=len(centres))
    # Largest first; equal sizes ordered by their centres so the numbering never depends on
    # k-means' internal label order.
    order = sorted(range(len(centres)), key=lambda c: (-sizes[c], tuple(centres[c])))
    renumber = np.empty(len(centres), dtype=int)
    renumber[order] = np.arange(len(centres))
    return renumber[labels], centres[order]


def _project(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Principal-component coordinates of the tracks, padded to two axes."""
    axes = min(2, values.shape[1])
    pca = _pca(axes, values.shape[1])
    projection = pca.fit_transform(values)
    components = pca.components_
    explained = list(pca.explained_variance_ratio_)
    if axes < 2:
        projection = np.column_stack([projection, np.zeros(len(values))])
        components = np.vstack([components, np.zeros(values.shape[1])])
        explained.append(0.0)
    return projection, components, (float(explained[0]), float(explained[1]))


def _pca(components: int, features: int) -> PCA:
    # Exact SVD for audio features; for wide metadata matrices a full SVD costs seconds,
    # and the randomized solver (seeded, so still deterministic) gives the same axes.
    solver = "full" if features <= 50 else "randomized"
    return PCA(n_components=components, svd_solver=solver, random_state=RANDOM_STATE)
