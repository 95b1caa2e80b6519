"""Group quality: families and mixes (`grouping.group_tracks`) against today's single level,
plain k-means at the mixes' number of groups, and the method this project started from.

    python benchmarks/quality.py            # every shared playlist (about 10 minutes)
    python benchmarks/quality.py --quick    # two small playlists, two subsamples (what CI runs)
    python benchmarks/quality.py --only progressive shoegaze    # files whose names hold these
    python benchmarks/quality.py --running   # only the running order's table (a minute)

Data (read in place from ../shared/playlists, never copied; see `datasets`): the TidyTuesday
table, whose `playlist_genre` (6 classes) and `playlist_subgenre` (24) are human labels; every
Exportify export with audio features, whose human label for a track is the first genre of its
`Genres` cell (tracks without genres are left out of the label measures); the four Hit
Predictor decades (audio features, no labels); and the exports without audio features, which
the plugin groups on metadata and the seed method cannot.

The methods, each on the tracks a build groups, from scratch:

* mixes: `group_tracks`' mixes (families split into mixes of about 60 tracks);
* families: its families, which are today's single level (`cluster_tracks`, auto k);
* k-means: plain k-means in the same coordinates with as many groups as there are mixes, so
  that the mixes are compared with a method of the same resolution;
* seed: the seed page's method, re-implemented from the issue that describes it: the 7 features
  danceability, energy, speechiness, acousticness, instrumentalness, liveness and valence,
  unscaled; the eigendecomposition of their covariance; a two-axis projection whose axes are
  the first two *rows* of the eigenvector matrix (sorted by decreasing eigenvalue) rather than
  its columns, the original's bug; KMeans(random_state=0, n_init="auto") on that projection
  with k = ceil(tracks / 50) clamped to 3..10 and lowered (not below 3) while the largest
  cluster is more than 10 times the smallest.

The measures, per method:

* groups, median and largest group size, share of tracks in groups of 20-300 tracks;
* AMI: agreement with each human label (corrected for chance, so more groups score no higher
  by themselves);
* coherence: the mean distance between two tracks of the same group over that between two
  tracks of random groups of the same sizes, in the build's coordinates (the standardized
  audio features, or metadata), groups weighted by size; pairs sampled in groups with more
  than COHERENCE_PAIRS of them. Lower is better: 1 is no better than random;
* stability: the mean adjusted Rand index between the grouping of every track and those of 5
  seeded 90% subsamples, each grouped from scratch (standardization included), compared on
  the subsample's tracks.

A second table asks whether metadata helps (issue 15, item 2): mixes of audio features plus
release year and popularity as blocks (`features.audio_and_metadata_matrix`, at a few block
weights), scored against the same human labels, which were not an input.

A third table measures the order each mix is played in (`running_order`, as the page and the
downloads list it) against the mix's "typical first" order (nearest its centre first, as its
table of most typical tracks lists them) and seeded shuffles (SHUFFLES per mix):

* step: per mix, the mean step between consecutive tracks (`running_order.steps`, in the
  standardized audio features) over that of the shuffles; the median over the mixes (target:
  at most 0.6 for the running order);
* harmonic: the share of the steps between two tracks with known keys that the Camelot wheel
  allows, over every mix (target: at least 35%; shuffles score about 20%);
* time: the CPU time of ordering every mix of the playlist, as a build does.

A fourth, on the exports whose tracks mostly carry genres, asks whether mixes hold one kind of
music and whether their names say so (`recognizable.py`, which also runs alone).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import baselines
import numpy as np
import pandas as pd
from exports import SHARED_PLAYLISTS, Dataset, coherence, coordinates, load, shared_paths
from recognizable import figures as recognizable_figures
from recognizable import genre_table
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score
from threadpoolctl import threadpool_limits

from mkdocs_playlist_clusters.describing.views import listener_keys, played_order
from mkdocs_playlist_clusters.grouping import features
from mkdocs_playlist_clusters.grouping.families import RANDOM_STATE, clustering_space
from mkdocs_playlist_clusters.grouping.features import (
    audio_and_metadata_matrix,
    available_features,
    feature_matrix,
)
from mkdocs_playlist_clusters.grouping.mixes import group_tracks, mix_restarts
from mkdocs_playlist_clusters.grouping.running_order import harmonic_steps, step_space, steps
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES

# The seed's 7 features: the plugin's continuous ones but tempo and loudness.
SEED_FEATURES = tuple(f for f in CONTINUOUS_FEATURES if f not in ("tempo", "loudness"))
SUBSAMPLES = 5
SUBSAMPLE_SHARE = 0.9
LISTENABLE = (20, 300)  # a mix a listener would play: tracks
LARGE = 500  # the size targets apply to playlists of this many tracks
LABELS = ("genre", "subgenre")
METHODS = ("mixes", "families", "k-means", "seed")
BLOCKS = features.BLOCKS  # the blocks a build adds, at the weight it uses and others
BLOCK_WEIGHTS = (0.25, 0.5, 1.0)
NAN = float("nan")
SHUFFLES = 20  # seeded shuffles of each mix, for the running order's table
QUICK = (
    "exportify-2024dec_metalcore-hiphop_my-mix-2_199tracks.csv",
    "exportify-2024sep_oldies_all-out-60s_150tracks.csv",
)

# A grouping method: tracks -> labels per method name (the two levels come from one run).
Grouper = Callable[[pd.DataFrame], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Scores:
    groups: int
    median_size: float
    largest: int
    listenable: float  # share of tracks in groups of LISTENABLE size
    ami: dict[str, float]  # label name -> AMI
    coherence: float
    stability: float


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


def required(tracks: pd.DataFrame, audio: bool) -> np.ndarray:
    found = coordinates(tracks, audio)
    assert found is not None  # the whole playlist had coordinates, so 90% of it does
    return found.values


def two_levels(audio: bool) -> Grouper:
    def grouper(tracks: pd.DataFrame) -> dict[str, np.ndarray]:
        grouping = group_tracks(required(tracks, audio))
        return {"mixes": grouping.mixes, "families": grouping.families.labels}

    return grouper


def kmeans_at(groups: int, audio: bool) -> Grouper:
    """Plain k-means with `groups` groups, in the space the families' k-means works in."""

    def grouper(tracks: pd.DataFrame) -> dict[str, np.ndarray]:
        space = clustering_space(required(tracks, audio))
        model = KMeans(groups, n_init=mix_restarts(len(space)), random_state=RANDOM_STATE)
        return {"k-means": model.fit_predict(space)}

    return grouper


def seed(tracks: pd.DataFrame) -> dict[str, np.ndarray]:
    return {"seed": seed_labels(tracks)}


def stabilities(
    tracks: pd.DataFrame, full: dict[str, np.ndarray], grouper: Grouper, runs: int
) -> dict[str, float]:
    """Per method, the mean ARI of `runs` seeded 90% subsamples against the whole."""
    scores: dict[str, list[float]] = {name: [] for name in full}
    for run in range(runs):
        rng = np.random.default_rng(run)
        rows = np.sort(rng.choice(len(tracks), int(SUBSAMPLE_SHARE * len(tracks)), replace=False))
        for name, labels in grouper(tracks.iloc[rows]).items():
            scores[name].append(adjusted_rand_score(full[name][rows], labels))
    return {name: float(np.mean(values)) for name, values in scores.items()}


def agreement(dataset: Dataset, labels: np.ndarray) -> dict[str, float]:
    """AMI with each human label, on the tracks that have it."""
    scores = {}
    for name, truth in dataset.labels.items():
        known = [i for i, label in enumerate(truth) if label is not None]
        if len({truth[i] for i in known}) > 1:
            scores[name] = float(
                adjusted_mutual_info_score([truth[i] for i in known], labels[known])
            )
    return scores


def sizes_of(labels: np.ndarray) -> tuple[int, float, int, float]:
    """(groups, median size, largest, share of tracks in groups of LISTENABLE size)."""
    sizes = np.bincount(np.unique(labels, return_inverse=True)[1])
    low, high = LISTENABLE
    listenable = sizes[(sizes >= low) & (sizes <= high)].sum() / len(labels)
    return len(sizes), float(np.median(sizes)), int(sizes.max()), float(listenable)


def scores_of(dataset: Dataset, labels: np.ndarray, stability: float) -> Scores:
    groups, median, largest, listenable = sizes_of(labels)
    return Scores(
        groups,
        median,
        largest,
        listenable,
        agreement(dataset, labels),
        coherence(coherence_space(dataset), labels),
        stability,
    )


def measure(dataset: Dataset, runs: int) -> tuple[dict[str, Scores], float]:
    """Every method's scores on one playlist, and the seconds one grouping into families and
    mixes took."""
    started = time.perf_counter()
    levels = two_levels(dataset.audio)
    grouped = levels(dataset.tracks)
    seconds = time.perf_counter() - started
    groupers = [(levels, grouped)]
    mixes = len(np.unique(grouped["mixes"]))
    by_kmeans = kmeans_at(mixes, dataset.audio)
    groupers.append((by_kmeans, by_kmeans(dataset.tracks)))
    if dataset.audio and set(SEED_FEATURES) <= set(dataset.tracks.columns):
        groupers.append((seed, seed(dataset.tracks)))
    results = {}
    for grouper, full in groupers:
        stable = stabilities(dataset.tracks, full, grouper, runs)
        for name, labels in full.items():
            results[name] = scores_of(dataset, labels, stable[name])
    return {name: results[name] for name in METHODS if name in results}, seconds


def with_blocks(dataset: Dataset, weight: float) -> np.ndarray:
    """Mixes of audio features plus release year and popularity at this block weight (0:
    audio features alone)."""
    names = available_features(dataset.tracks, None)
    if not weight:
        return group_tracks(feature_matrix(dataset.tracks, names).values).mixes
    weights = dict.fromkeys(BLOCKS, weight)
    return group_tracks(audio_and_metadata_matrix(dataset.tracks, names, weights).values).mixes


def coherence_space(dataset: Dataset) -> np.ndarray:
    """Coherence is measured in the standardized audio features where a playlist has them
    (what "sound alike" means), else in the metadata coordinates it was grouped in."""
    return dataset.audio_values if dataset.audio_values is not None else dataset.matrix.values


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def labelled(dataset: Dataset) -> str:
    """How many tracks have a genre label, and the classes of each label."""
    if not dataset.labels:
        return "0"
    first = next(iter(dataset.labels.values()))
    classes = " / ".join(str(len({v for v in values if v})) for values in dataset.labels.values())
    return f"{sum(v is not None for v in first):,} ({classes})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two small playlists, 2 subsamples")
    parser.add_argument("--only", nargs="+", default=[], help="files whose names contain these")
    parser.add_argument("--running", action="store_true", help="the running order's table only")
    baselines.add_arguments(parser)
    args = parser.parse_args()
    if not SHARED_PLAYLISTS.is_dir():
        print(f"{SHARED_PLAYLISTS} not found: nothing to measure", file=sys.stderr)
        return 1
    paths = shared_paths()
    if args.quick:
        paths = [SHARED_PLAYLISTS / name for name in QUICK]
    if args.only:
        paths = [path for path in paths if any(part in path.name for part in args.only)]
    runs = 2 if args.quick else SUBSAMPLES
    partial = args.quick or bool(args.only)
    if args.running:
        with threadpool_limits(limits=1):
            running = running_table([d for d in (load(path) for path in paths) if d is not None])
        return baselines.report("quality", running, args, partial=partial)

    print(
        "| playlist | tracks | labelled (classes) | method | groups | median size | largest "
        f"| in groups of {LISTENABLE[0]}-{LISTENABLE[1]} | AMI genre | AMI subgenre "
        "| coherence | stability |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    datasets: list[Dataset] = []
    results: dict[str, dict[str, Scores]] = {}
    seconds = 0.0
    with threadpool_limits(limits=1):
        for path in paths:
            dataset = load(path)
            if dataset is None:
                continue
            datasets.append(dataset)
            results[dataset.name], took = measure(dataset, runs)
            seconds += took
            for method, s in results[dataset.name].items():
                shown = f"{method} (metadata)" if not dataset.audio else method
                print(
                    f"| {dataset.name} | {len(dataset.tracks):,} | {labelled(dataset)} "
                    f"| {shown} | {s.groups} | {s.median_size:,g} | {s.largest:,} "
                    f"| {s.listenable:.1%} | {number(s.ami.get('genre'))} "
                    f"| {number(s.ami.get('subgenre'))} | {s.coherence:.3f} "
                    f"| {s.stability:.3f} |",
                    flush=True,
                )
        figures = summarize(datasets, results, seconds)
        blocks = block_table(datasets)
        summarize_blocks(blocks)
        figures |= running_table(datasets)
        if not args.quick:
            rows = genre_table(datasets)  # mixes you recognize: see recognizable.py
            baselines.report("recognizable", recognizable_figures(rows), args, partial=partial)
    return baselines.report("quality", figures, args, partial=partial)


def summarize(
    datasets: list[Dataset], results: dict[str, dict[str, Scores]], seconds: float
) -> dict[str, float]:
    """Prints the summary; returns its figures that baselines.json stores."""
    print()
    figures: dict[str, float] = {}
    sizes = {d.name: len(d.tracks) for d in datasets}
    for dataset in datasets:
        by_method = results[dataset.name]
        if not dataset.name.startswith("tidytuesday") or "seed" not in by_method:
            continue
        for label in LABELS:
            mixes, baseline = by_method["mixes"], by_method["seed"]
            if label in mixes.ami and baseline.ami.get(label):
                others = ", ".join(
                    f"{m} {by_method[m].ami[label]:.3f} ({by_method[m].groups} groups)"
                    for m in ("families", "k-means")
                )
                target = " (target: 2x)" if label == "subgenre" else ""
                print(
                    f"TidyTuesday AMI against playlist_{label}: mixes {mixes.ami[label]:.3f} "
                    f"({mixes.groups} groups) / seed {baseline.ami[label]:.3f} "
                    f"({baseline.groups} groups) = {mixes.ami[label] / baseline.ami[label]:.2f}x"
                    f"{target}; {others}"
                )
                figures[f"TidyTuesday {label} AMI, mixes over the seed method"] = (
                    mixes.ami[label] / baseline.ami[label]
                )
    large = [name for name, size in sizes.items() if size >= LARGE]
    if large:
        shares = {name: results[name]["mixes"].listenable for name in large}
        worst = min(shares, key=shares.__getitem__)
        meeting = sum(share >= 0.8 for share in shares.values())
        print(
            f"tracks in mixes of {LISTENABLE[0]}-{LISTENABLE[1]} on playlists of {LARGE}+ "
            f"tracks: at least 80% on {meeting} of {len(shares)}; lowest {shares[worst]:.1%} "
            f"({worst})"
        )
        figures[f"tracks in mixes of 20-300, lowest over playlists of {LARGE}+ tracks"] = shares[
            worst
        ]
    audio = [d.name for d in datasets if d.audio]
    for method in METHODS:
        for shown, names in (("", audio), (f" of {LARGE}+ tracks", set(audio) & set(large))):
            values = [results[n][method].coherence for n in names if method in results[n]]
            if values:
                print(
                    f"coherence of {method}, median over {len(values)} playlists{shown} with "
                    f"audio features: {statistics.median(values):.3f} (highest {max(values):.3f})"
                )
                if method == "mixes":
                    figures[
                        f"coherence of mixes, median over playlists{shown} with audio features"
                    ] = statistics.median(values)
    exportify = [
        name
        for name in results
        if name.startswith("exportify") and "genre" in results[name]["mixes"].ami
    ]
    for method in METHODS:
        amis = [results[n][method].ami["genre"] for n in exportify if method in results[n]]
        if amis:
            print(
                f"AMI against the first genre, median over {len(amis)} Exportify playlists, "
                f"{method}: {statistics.median(amis):.3f}"
            )
            if method == "mixes":
                figures["AMI against the first genre, median over Exportify playlists, mixes"] = (
                    statistics.median(amis)
                )
    for method in METHODS:
        stable = [results[n][method].stability for n in large if method in results[n]]
        if stable:
            print(
                f"bootstrap stability of {method} on playlists of {LARGE}+ tracks: median "
                f"{statistics.median(stable):.3f}, lowest {min(stable):.3f}"
            )
            if method == "mixes":
                figures[
                    f"bootstrap stability of mixes, median over playlists of {LARGE}+ tracks"
                ] = statistics.median(stable)
    print(f"grouping time (families and mixes of every playlist, once): {seconds:.1f} s")
    figures["grouping time, every playlist once"] = seconds
    return figures


@dataclass(frozen=True)
class BlockRow:
    playlist: str
    tracks: int
    weight: float  # 0: audio features only
    groups: int
    ami: dict[str, float]
    coherence: float  # in the standardized audio features


def block_table(datasets: list[Dataset]) -> list[BlockRow]:
    """Mixes of audio features alone and plus metadata blocks, on playlists with labels."""
    print()
    print("| playlist | clustered on | mixes | AMI genre | AMI subgenre | coherence (audio) |")
    print("|---|---|---:|---:|---:|---:|")
    rows = []
    for dataset in datasets:
        if not dataset.audio or not dataset.labels:
            continue
        if any(dataset.tracks[block].notna().mean() < 0.5 for block in BLOCKS):
            continue
        size = len(dataset.tracks)
        found = []
        for weight in (0.0, *BLOCK_WEIGHTS):
            labels = with_blocks(dataset, weight)
            found.append(
                BlockRow(
                    dataset.name,
                    size,
                    weight,
                    len(np.unique(labels)),
                    agreement(dataset, labels),
                    coherence(coherence_space(dataset), labels),
                )
            )
        for row in found:
            shown = "audio" if not row.weight else f"audio + {', '.join(BLOCKS)} × {row.weight:g}"
            print(
                f"| {row.playlist} | {shown} | {row.groups} | {number(row.ami.get('genre'))} "
                f"| {number(row.ami.get('subgenre'))} | {row.coherence:.3f} |",
                flush=True,
            )
        rows += found
    return rows


def summarize_blocks(rows: list[BlockRow]) -> None:
    print()
    audio = {row.playlist: row for row in rows if not row.weight}
    for weight in BLOCK_WEIGHTS:
        with_weight = [row for row in rows if row.weight == weight]
        for label in LABELS:
            gains = [
                (row, row.ami[label] - audio[row.playlist].ami[label])
                for row in with_weight
                if label in row.ami
            ]
            parts = [
                f"TidyTuesday {gain:+.3f}"
                for row, gain in gains
                if row.playlist.startswith("tidytuesday")
            ]
            for shown, smallest in (("", 0), (f" of {LARGE}+ tracks", LARGE)):
                exportify = [
                    gain
                    for row, gain in gains
                    if row.playlist.startswith("exportify") and row.tracks >= smallest
                ]
                if exportify:
                    parts.append(
                        f"better on {sum(g > 0 for g in exportify)} of {len(exportify)} Exportify "
                        f"playlists{shown}, median {statistics.median(exportify):+.3f}"
                    )
            if parts:
                print(f"blocks × {weight:g} against audio alone, AMI {label}: {'; '.join(parts)}")


@dataclass(frozen=True)
class OrderScores:
    steps: dict[str, list[float]]  # order -> per mix, mean step over a shuffle's
    harmonic: dict[str, tuple[int, int]]  # order -> (steps between known keys, compatible)
    seconds: float  # CPU time of the running order of every mix


def order_scores(dataset: Dataset) -> OrderScores:
    """The running order, "typical first" and shuffles of every mix of one playlist."""
    tracks, matrix = dataset.tracks, dataset.matrix
    grouping = group_tracks(matrix.values)
    keys, rank = listener_keys(tracks)
    started = time.process_time()
    running = played_order(tracks, grouping.mixes, matrix, keys, rank)
    seconds = time.process_time() - started
    orders = {
        "running order": running,
        "typical first": np.lexsort((rank, grouping.mix_distances, grouping.mixes)),
    }
    space = step_space(matrix.values, matrix.names)
    rng = np.random.default_rng(RANDOM_STATE)
    key, mode = tracks["key"].to_numpy(dtype=float), tracks["mode"].to_numpy(dtype=float)
    ratios: dict[str, list[float]] = {name: [] for name in orders}
    harmonic = dict.fromkeys([*orders, "shuffle"], (0, 0))
    for mix in range(grouping.mix_count):
        shuffles = [rng.permutation(np.flatnonzero(grouping.mixes == mix)) for _ in range(SHUFFLES)]
        shuffled = float(np.mean([steps(space[rows]).mean() for rows in shuffles]))
        for name, order in orders.items():
            rows = order[grouping.mixes[order] == mix]
            ratios[name].append(float(steps(space[rows]).mean()) / shuffled)
            harmonic[name] = added(harmonic[name], harmonic_steps(key[rows], mode[rows]))
        for rows in shuffles:
            harmonic["shuffle"] = added(harmonic["shuffle"], harmonic_steps(key[rows], mode[rows]))
    return OrderScores(ratios, harmonic, seconds)


def added(counts: tuple[int, int], more: tuple[int, int]) -> tuple[int, int]:
    return counts[0] + more[0], counts[1] + more[1]


def share(counts: tuple[int, int]) -> str:
    known, compatible = counts
    return f"{compatible / known:.0%}" if known else "—"


def running_table(datasets: list[Dataset]) -> dict[str, float]:
    """The running order of every mix against "typical first" and shuffles (see the
    module's docstring); returns the figures that baselines.json stores."""
    print()
    print(
        "| playlist | tracks | mixes | step vs shuffle: running order | typical first "
        "| harmonic: running order | typical first | shuffle | ordering (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    medians: list[float] = []
    mixes: dict[str, list[float]] = {"running order": [], "typical first": []}
    totals = {name: (0, 0) for name in ("running order", "typical first", "shuffle")}
    for dataset in datasets:
        scores = order_scores(dataset)
        running, typical = scores.steps["running order"], scores.steps["typical first"]
        shown = dataset.name if dataset.audio else f"{dataset.name} (metadata)"
        print(
            f"| {shown} | {len(dataset.tracks):,} | {len(running)} "
            f"| {statistics.median(running):.3f} | {statistics.median(typical):.3f} "
            f"| {share(scores.harmonic['running order'])} "
            f"| {share(scores.harmonic['typical first'])} | {share(scores.harmonic['shuffle'])} "
            f"| {scores.seconds * 1000:.0f} ms |",
            flush=True,
        )
        if dataset.audio:
            medians.append(statistics.median(running))
            for name, ratios in mixes.items():
                ratios += scores.steps[name]
            for name in totals:
                totals[name] = added(totals[name], scores.harmonic[name])
    if medians:
        meeting = sum(median <= 0.6 for median in medians)
        print(
            f"\nrunning order, mean step over a shuffle's in the median mix: at most 0.6 on "
            f"{meeting} of {len(medians)} playlists with audio features (median "
            f"{statistics.median(medians):.3f}, highest {max(medians):.3f}); over all their "
            f"{len(mixes['running order'])} mixes, median "
            + ", ".join(f"{name} {statistics.median(r):.3f}" for name, r in mixes.items())
        )
        print(
            "harmonic steps among those between known keys, every mix of those playlists: "
            + ", ".join(f"{name} {share(counts)}" for name, counts in totals.items())
        )
    if not mixes["running order"]:
        return {}
    known, compatible = totals["running order"]
    return {
        "running order: step over a shuffle's, median over every mix": statistics.median(
            mixes["running order"]
        ),
        "running order: harmonic steps between known keys": compatible / known if known else NAN,
    }


if __name__ == "__main__":
    sys.exit(main())
