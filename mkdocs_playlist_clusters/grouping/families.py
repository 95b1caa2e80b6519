"""The top level of a playlist's groups, its *families*: k-means on standardized features, k
chosen by silhouette (the smallest k that is nearly as well separated as the best) or started
from the previous build's families, and a PCA view of the result. `mixes` splits each
family into mixes."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_samples
from sklearn.metrics.pairwise import euclidean_distances

from ..errors import PlaylistDataError
from ..language import N_, N_n, Note

MIN_TRACKS = 6
# Families are broad regions of the map: a listener's few kinds of music, not mixes.
MAX_AUTO_CLUSTERS = 8
# Auto k keeps clusters at 15 tracks or more on average: smaller groups tell a listener little.
TRACKS_PER_CLUSTER = 15
# A clustering whose largest cluster is this many times its smallest is an outlier detector,
# not a grouping; auto k avoids it when another k is possible.
MAX_SIZE_RATIO = 10
SILHOUETTE_SAMPLE = 2000
# Auto k is the smallest k whose silhouette is within this share of the best (and at least
# SILHOUETTE_TIE): on real playlists the curve over k is nearly flat, and a 90% subsample of
# the same playlist moves each score by 0.005 to 0.01, which flipped k (and so every cluster)
# under a fixed margin of 0.01. benchmarks/quality.py measures the effect.
RELATIVE_TIE = 0.15
SILHOUETTE_TIE = 0.01  # differences this small are within the noise of a sampled silhouette
# Above this many tracks, k is chosen on a sample of this size (see `_fit`): on the 8 shared
# exports of 5,800 to 14,600 tracks, the same k as on every track, and families that agree
# with those at NMI 0.97-1.00, for 0.1-0.4 s less.
K_SELECTION_SAMPLE = 5_000
RANDOM_STATE = 0
N_INIT = 10
# k-means restarts of a small playlist: with 10, k-means often stops in a local optimum that
# a 90% subsample of the same playlist does not reach, so its clusters change with a few
# tracks (progressive rock, 853 tracks: k = 3 agreed at ARI 0.68 with 10 restarts, 0.91 with
# 50). Restarts are added while tracks x restarts stays within this budget, so large
# playlists cost what they did.
MAX_N_INIT = 50
N_INIT_BUDGET = 50_000
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
    separation: np.ndarray  # (clusters,) mean silhouette of each cluster's tracks
    runner_up: np.ndarray  # each track's nearest other cluster
    fit: np.ndarray  # each track's (b - a) / max(a, b) from the distances to the two centres

    @property
    def count(self) -> int:
        return len(self.centres)

    @property
    def silhouette(self) -> float:
        """Mean silhouette over all tracks: the score k was chosen by when it was chosen
        automatically (so the page gives one number), else each cluster's mean weighted by its
        size."""
        if self.count in self.scores:
            return self.scores[self.count]
        sizes = np.bincount(self.labels, minlength=self.count)
        return float(np.average(self.separation, weights=sizes))

    def renumbered(self, numbers: np.ndarray) -> Clustering:
        """The same clustering with cluster c called `numbers[c]` (a permutation)."""
        order = np.argsort(numbers)  # order[new] = old
        return dataclasses.replace(
            self,
            labels=numbers[self.labels],
            centres=self.centres[order],
            separation=self.separation[order],
            runner_up=numbers[self.runner_up],
        )


def candidate_cluster_counts(tracks: int) -> range:
    """The values of k that auto mode tries for a playlist of this many tracks."""
    high = max(2, min(MAX_AUTO_CLUSTERS, tracks // TRACKS_PER_CLUSTER))
    return range(min(3, high), high + 1)


def cluster_tracks(
    values: np.ndarray,
    clusters: int | None = None,
    start: np.ndarray | None = None,
    keep: bool = False,
) -> Clustering:
    """Cluster standardized feature rows; `clusters=None` picks k by silhouette.

    `start` (one 0-based group per row, -1 for rows it does not know) starts k-means from the
    centres of those groups instead of choosing k and clustering from scratch: the previous
    build's families, so that a few edits move only tracks near a border. The clusters then
    keep the order of `start`'s groups (those with no row left are dropped). With `keep`,
    `start` (groups 0.. with rows in each) is taken as it is: the families of a version of
    these very tracks (see `versions`), which must come back whole.

    Each cluster's centre is the mean of its tracks (`group_means`), so that the same groups
    always give the same centres, distances and pages.

    The rows are sorted before clustering and the result mapped back, so the order of the
    input never changes which tracks end up together.
    """
    tracks = len(values)
    distinct = len(np.unique(values, axis=0)) if tracks else 0
    check_clusterable(tracks, distinct, values.shape[1], clusters)
    order = np.lexsort(values.T[::-1])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(tracks)
    ordered = values[order]
    space = clustering_space(ordered)
    initial = start_centres(space, start[order]) if start is not None else None

    # In one thread: the caller's (`building.pipeline.one_thread`, once a build).
    scores: dict[int, float] = {}
    if keep and start is not None and initial is not None:
        labels, centres = start[order], initial
    elif initial is not None and 2 <= len(initial) <= distinct:
        model = KMeans(n_clusters=len(initial), init=initial, n_init=1)
        labels, centres = model.fit_predict(space), model.cluster_centers_
    else:
        labels, centres, scores = _fit(space, clusters, distinct)
        labels, centres = _number_by_size(labels, centres)
    centres = group_means(space, labels, centres)
    distances, runner_up, fit = track_fit(space, labels, centres)
    separation = cluster_silhouettes(space, labels, len(centres))
    projection, components, explained = _project(ordered)
    return Clustering(
        labels[inverse],
        distances[inverse],
        centres,
        projection[inverse],
        components,
        explained,
        scores,
        separation,
        runner_up[inverse],
        fit[inverse],
    )


def check_clusterable(tracks: int, distinct: int, features: int, clusters: int | None) -> None:
    """Raise `PlaylistDataError` when the tracks cannot be clustered (into `clusters`)."""
    if tracks < MIN_TRACKS:
        raise PlaylistDataError(
            Note(
                N_n(
                    "{count} track has the features to cluster, at least {least} are needed",
                    "{count} tracks have the features to cluster, at least {least} are needed",
                ),
                tracks,
                least=MIN_TRACKS,
            )
        )
    if features == 0 or distinct < 2:
        message = N_("every track has the same feature values, so nothing separates them")
        raise PlaylistDataError(Note(message))
    if clusters is not None and clusters * 2 > distinct:
        message = N_(
            "clusters: {clusters} asked for, but only {distinct} tracks have distinct features, "
            "and a family needs at least 2; ask for at most {most} or use 'auto'"
        )
        raise PlaylistDataError(
            Note(message, clusters=clusters, distinct=distinct, most=distinct // 2)
        )


def track_fit(
    space: np.ndarray, labels: np.ndarray, centres: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each track's distance to its family's centre, its nearest other family, and how much
    nearer its own centre is (-1 to 1, as a silhouette)."""
    tracks = len(space)
    to_centres = np.stack([np.linalg.norm(space - centre, axis=1) for centre in centres], axis=1)
    distances = to_centres[np.arange(tracks), labels]
    to_centres[np.arange(tracks), labels] = np.inf
    runner_up = to_centres.argmin(axis=1)
    nearest_other = to_centres[np.arange(tracks), runner_up]
    fit = (nearest_other - distances) / np.maximum(np.maximum(nearest_other, distances), 1e-12)
    return distances, runner_up, fit


def clustering_space(values: np.ndarray) -> np.ndarray:
    """The coordinates k-means works in. Metadata can have hundreds of indicator columns (one
    per shared artist); k-means on their leading principal components finds the same groups
    far faster."""
    if values.shape[1] > MAX_DIMENSIONS:
        return _pca(MAX_DIMENSIONS, values).fit_transform(values)
    return values


def group_means(space: np.ndarray, labels: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Each group's mean (a group without rows keeps its row of `centres`): where k-means
    stopped is not quite the mean when it stopped on its tolerance, and a version kept as it
    is (see `cluster_tracks`) has only its groups to give the same centres again."""
    means = np.array(centres, dtype=float)
    for group in np.unique(labels):
        means[group] = space[labels == group].mean(axis=0)
    return means


def start_centres(space: np.ndarray, start: np.ndarray) -> np.ndarray | None:
    """The mean of each group of `start` (-1: no group) that still has rows, in group order;
    None when no row has one."""
    groups = [g for g in np.unique(start) if g >= 0]
    if not groups:
        return None
    return np.array([space[start == g].mean(axis=0) for g in groups])


def _fit(
    values: np.ndarray, clusters: int | None, distinct: int
) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    if len(values) > K_SELECTION_SAMPLE:
        # k-means over every candidate k costs tracks x k x n_init: choose on a sample, then
        # refine the chosen clustering on every track from the sample's centres.
        sample = values[selection_sample(len(values))]
        _, centres, scores = _fit(sample, clusters, distinct)
        model = KMeans(n_clusters=len(centres), init=centres, n_init=1)
        return model.fit_predict(values), model.cluster_centers_, scores
    if clusters is None:
        return _best_by_silhouette(values, distinct)
    return *_kmeans(values, clusters), {}


def selection_sample(tracks: int) -> np.ndarray:
    """Rows, in order, of the seeded sample that k is chosen on for a large playlist."""
    rows = np.random.default_rng(RANDOM_STATE).choice(tracks, K_SELECTION_SAMPLE, replace=False)
    return np.sort(rows)


def restarts(tracks: int) -> int:
    """How many k-means restarts a playlist of this many tracks gets."""
    return max(N_INIT, min(MAX_N_INIT, N_INIT_BUDGET // max(tracks, 1)))


def _kmeans(values: np.ndarray, clusters: int) -> tuple[np.ndarray, np.ndarray]:
    model = KMeans(n_clusters=clusters, n_init=restarts(len(values)), random_state=RANDOM_STATE)
    labels = model.fit_predict(values)
    return labels, model.cluster_centers_


def _best_by_silhouette(
    values: np.ndarray, distinct: int
) -> tuple[np.ndarray, np.ndarray, dict[int, float]]:
    candidates = [k for k in candidate_cluster_counts(len(values)) if k <= distinct]
    scores: dict[int, float] = {}
    fits: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    # The rows `silhouette_score(sample_size=..., random_state=RANDOM_STATE)` would draw, the
    # same for every k: their distances are computed once, not once a k.
    rows = np.random.RandomState(RANDOM_STATE).permutation(len(values))[:SILHOUETTE_SAMPLE]
    distances = euclidean_distances(values[rows])
    for k in candidates:
        labels, centres = _kmeans(values, k)
        if len(np.unique(labels)) < 2:
            continue
        fits[k] = labels, centres
        if len(np.unique(labels[rows])) < 2:  # silhouette_score's condition, on the sample
            continue
        scores[k] = float(
            np.mean(silhouette_samples(distances, labels[rows], metric="precomputed"))
        )
    if not scores:
        raise PlaylistDataError(Note(N_("the tracks' features are too alike to form clusters")))
    balanced = {k for k in scores if _size_ratio(fits[k][0]) <= MAX_SIZE_RATIO}
    return *fits[choose_k(scores, balanced)], scores


def tie_margin(scores: dict[int, float]) -> float:
    """How much better than a smaller k a larger k must score to be chosen."""
    return max(SILHOUETTE_TIE, RELATIVE_TIE * max(scores.values()))


def choose_k(scores: dict[int, float], balanced: set[int]) -> int:
    """The smallest k whose silhouette is within `tie_margin` of the best, skipping those whose
    largest cluster is more than MAX_SIZE_RATIO times their smallest (`balanced` are the
    others); if every near-best k is unbalanced, the best balanced one; if none is, the
    smallest near-best one.
    """
    top = max(scores.values())
    near = [k for k in sorted(scores) if scores[k] >= top - tie_margin(scores)]
    near_balanced = [k for k in near if k in balanced]
    if near_balanced:
        return near_balanced[0]
    if balanced:
        return max(sorted(balanced), key=lambda k: scores[k])
    return near[0]


@dataclass(frozen=True)
class KChoice:
    """Why a playlist has this many families, as facts (`presenting.method` says it)."""

    k: int
    # "asked": set in the configuration (or nothing to choose from); "only": the only k
    # tried; "balanced": the best separated of the clusterings balanced enough; "near": the
    # smallest k whose separation is within `margin` of the best.
    reason: str
    tracks: int
    silhouette: float = 0.0
    tried: tuple[int, ...] = ()
    margin: float = 0.0  # rounded up to 3 decimals, so "within" stays true
    top: float = 0.0
    best: int = 0
    skipped: tuple[int, ...] = ()  # smaller ks as well separated but unbalanced


def k_choice(clustering: Clustering, requested: int | None) -> KChoice:
    """Why `clustering` has its number of families (`requested`: the configured one)."""
    k = clustering.count
    tracks = len(clustering.labels)
    scores = clustering.scores
    if requested is not None or not scores:
        return KChoice(k, "asked", tracks)
    tried = tuple(sorted(scores))
    if len(tried) == 1:
        return KChoice(k, "only", tracks, scores[k], tried)
    top = max(scores.values())
    margin = tie_margin(scores)
    near = [j for j in tried if scores[j] >= top - margin]
    if k not in near:
        return KChoice(k, "balanced", tracks, scores[k], tried)
    return KChoice(
        k,
        "near",
        tracks,
        scores[k],
        tried,
        margin=math.ceil(margin * 1000) / 1000,
        top=top,
        best=min(j for j in tried if scores[j] == top),
        skipped=tuple(j for j in near if j < k),
    )


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
    pca = _pca(2, values)
    projection = pca.fit_transform(values)
    missing = 2 - projection.shape[1]  # one feature gives one axis
    projection = np.pad(projection, ((0, 0), (0, missing)))
    components = np.pad(pca.components_, ((0, missing), (0, 0)))
    explained = np.pad(pca.explained_variance_ratio_, (0, missing))
    return projection, components, (float(explained[0]), float(explained[1]))


def _pca(axes: int, values: np.ndarray) -> PCA:
    """PCA for up to `axes` axes: scikit-learn refuses more than min(tracks, features)."""
    tracks, features = values.shape
    # Exact SVD for audio features; for wide metadata matrices a full SVD costs seconds,
    # and the randomized solver (seeded, so still deterministic) gives the same axes.
    solver = "full" if features <= 50 else "randomized"
    return PCA(
        n_components=min(axes, tracks, features), svd_solver=solver, random_state=RANDOM_STATE
    )


def cluster_silhouettes(values: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Each cluster's mean silhouette, on a seeded sample stratified by cluster: silhouettes
    cost tracks squared, and every cluster, however small, gets a fair number of tracks."""
    rng = np.random.default_rng(RANDOM_STATE)
    sizes = np.bincount(labels, minlength=count)
    rows = []
    for cluster in range(count):
        members = np.flatnonzero(labels == cluster)
        share = round(SILHOUETTE_SAMPLE * sizes[cluster] / len(labels))
        take = min(len(members), max(share, 50))
        rows.append(np.sort(rng.choice(members, take, replace=False)))
    sample = np.concatenate(rows)
    if len(np.unique(labels[sample])) < 2:
        return np.zeros(count)
    scores = silhouette_samples(values[sample], labels[sample])
    return np.array([scores[labels[sample] == c].mean() for c in range(count)])
