"""Mixes you recognize (issue 21): do mixes hold one kind of music, and do their names say it?
For each shared export whose tracks mostly carry genres, grouped as a build groups them today
(audio features, release year and genres: `features.grouping_matrix`) and as it did before
genres were a block (audio features and release year), from scratch:

* lead: the median, over mixes with 5+ tracks that carry a genre, of the share of those tracks
  that hold the mix's most common broad genre (`genres.broad_genre`); "random" is the same
  for random groups of the same sizes;
* spread: for the playlist's four largest broad genres, how many mixes hold 80% of its tracks;
* coherence: the mean distance between two tracks of a mix in the standardized audio features,
  over that of plain k-means on audio features with as many groups (1.00: as alike as k-means
  can make them; the target is at most 1.25);
* named: the share of mix names that say a genre, artists or years (`naming`), and of those
  that name a genre;
* kept names: group the playlist without a random 5% of its tracks, then all of it warm-started
  from that with its names remembered (as the next build would, from the state file), and
  count the first grouping's mixes whose number shows the same name again.

    python benchmarks/recognizable.py [--only NAME ...]     # also run by quality.py

Data: ../shared/playlists, read in place.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from dataclasses import dataclass

import baselines
import numpy as np
import pandas as pd
from exports import SHARED_PLAYLISTS, Dataset, coherence, load, shared_paths
from numbering import keys_of
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from mkdocs_playlist_clusters.describing.views import FamilyView, group_views, name_keys
from mkdocs_playlist_clusters.grouping.families import RANDOM_STATE
from mkdocs_playlist_clusters.grouping.features import (
    BLOCK_WEIGHT,
    GENRES_FROM,
    audio_and_metadata_matrix,
    available_features,
    grouping_matrix,
)
from mkdocs_playlist_clusters.grouping.mixes import Previous, group_tracks, mix_restarts
from mkdocs_playlist_clusters.reading.genres import broad_genre

MIN_TAGGED = 5  # tracks with a genre a mix needs to count in "lead"
EDITED = 0.05
TARGETS = {"lead": 0.6, "coherence": 1.25, "named": 0.8, "kept": 0.9}


@dataclass(frozen=True)
class Row:
    playlist: str
    tracks: int
    grouping: str  # "audio + year" (before) or "+ genres" (a build today)
    mixes: int
    lead: float
    random_lead: float
    spread: dict[str, int]  # broad genre -> mixes holding 80% of its tracks
    coherence: float
    named: float | None = None
    genre_named: float | None = None
    kept: float | None = None


def broad_sets(tracks: pd.DataFrame) -> list[set[str]]:
    """Each track's broad genres."""
    return [
        {genre for tag in (cell or []) if (genre := broad_genre(tag))} for cell in tracks["genres"]
    ]


def leading_share(broads: list[set[str]], labels: np.ndarray) -> float:
    """The median over groups of their leading broad genre's share of their tagged tracks."""
    shares = []
    for group in np.unique(labels):
        tagged = [broads[row] for row in np.flatnonzero(labels == group) if broads[row]]
        if len(tagged) >= MIN_TAGGED:
            counts = Counter(genre for genres in tagged for genre in genres)
            shares.append(counts.most_common(1)[0][1] / len(tagged))
    return float(np.median(shares)) if shares else float("nan")


def spread(broads: list[set[str]], labels: np.ndarray, genres: int = 4) -> dict[str, int]:
    """For the largest broad genres, how many groups hold 80% of their tracks."""
    totals = Counter(genre for found in broads for genre in found)
    result = {}
    for genre, total in totals.most_common(genres):
        per_group = Counter(labels[row] for row, found in enumerate(broads) if genre in found)
        held, groups = 0, 0
        for _, count in per_group.most_common():
            held, groups = held + count, groups + 1
            if held >= 0.8 * total:
                break
        result[genre] = groups
    return result


def audio_coherence(dataset: Dataset, labels: np.ndarray) -> float:
    """Coherence in the audio features over plain k-means' with as many groups."""
    audio = dataset.audio_values
    assert audio is not None
    count = len(np.unique(labels))
    model = KMeans(count, n_init=mix_restarts(len(audio)), random_state=RANDOM_STATE)
    return coherence(audio, labels) / coherence(audio, model.fit_predict(audio))


def without_genres(dataset: Dataset) -> np.ndarray:
    """The coordinates a build used before genres were a block: audio features and year."""
    tracks = dataset.tracks
    names = available_features(tracks, None)
    return audio_and_metadata_matrix(tracks, names, {"year": BLOCK_WEIGHT}).values


def name_shares(views: list[FamilyView]) -> tuple[float, float]:
    """The shares of mix names that say what a mix is (genre, artists or years), and that
    name a genre."""
    parts = [mix.description.parts for family in views for mix in family.mixes]
    said = sum(bool(p.words()) for p in parts) / len(parts)
    return said, sum(p.genre is not None for p in parts) / len(parts)


def mix_names(views: list[FamilyView]) -> dict[int, str]:
    return {mix.number: mix.description.name for family in views for mix in family.mixes}


def kept_names(dataset: Dataset, seed: int = 0) -> float:
    """The share of mixes that show the same name after 5% of tracks are added (warm)."""
    rng = np.random.default_rng(seed)
    tracks = dataset.tracks
    left_out = rng.choice(len(tracks), round(EDITED * len(tracks)), replace=False)
    earlier = tracks.drop(index=tracks.index[left_out])
    first_matrix = grouping_matrix(earlier, available_features(earlier, None), False)
    assert first_matrix is not None
    first = group_tracks(first_matrix.values)
    members = earlier.loc[first_matrix.rows]
    first_views = group_views(members, first, first_matrix, 10)
    before = mix_names(first_views)
    numbers = dict(zip(keys_of(members), first.mix_numbers[first.mixes].tolist(), strict=True))
    families = dict(zip(keys_of(members), (first.families.labels + 1).tolist(), strict=True))
    keys = keys_of(tracks)
    previous = Previous(
        np.array([families.get(key, 0) for key in keys]),
        np.array([numbers.get(key, 0) for key in keys]),
    )
    warm = group_tracks(dataset.matrix.values, previous=previous)
    remembered = name_keys(first_views)  # as the state file keeps them
    after = mix_names(group_views(tracks, warm, dataset.matrix, 10, remembered=remembered))
    return sum(after.get(number) == name for number, name in before.items()) / len(before)


def rows_of(dataset: Dataset) -> list[Row]:
    """Before and today, on one playlist."""
    broads = broad_sets(dataset.tracks)
    found = []
    for shown, grouping in (
        ("audio + year", group_tracks(without_genres(dataset))),
        ("+ genres", group_tracks(dataset.matrix.values)),
    ):
        labels = grouping.mixes
        random = np.random.default_rng(RANDOM_STATE).permutation(labels)
        extra = {}
        if shown == "+ genres":
            views = group_views(dataset.tracks, grouping, dataset.matrix, 10)
            named, genre_named = name_shares(views)
            extra = {"named": named, "genre_named": genre_named, "kept": kept_names(dataset)}
        found.append(
            Row(
                dataset.name,
                len(dataset.tracks),
                shown,
                grouping.mix_count,
                leading_share(broads, labels),
                leading_share(broads, random),
                spread(broads, labels),
                audio_coherence(dataset, labels),
                **extra,
            )
        )
    return found


def with_genres(dataset: Dataset) -> bool:
    tagged = dataset.tracks["genres"].map(bool).mean()
    return dataset.audio and tagged >= GENRES_FROM


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def genre_table(datasets: list[Dataset]) -> list[Row]:
    """The table, printed as it is measured, and its rows."""
    print()
    print(
        "| playlist | tracks | grouped on | mixes | lead (random) | spread: mixes holding 80% "
        "| coherence vs k-means | names that say | name a genre | names kept after 5% |"
    )
    print("|---|---:|---|---:|---:|---|---:|---:|---:|---:|")
    rows: list[Row] = []
    for dataset in datasets:
        if not with_genres(dataset):
            continue
        for row in rows_of(dataset):
            rows.append(row)
            spread_text = ", ".join(f"{genre} {count}" for genre, count in row.spread.items())
            print(
                f"| {row.playlist} | {row.tracks:,} | {row.grouping} | {row.mixes} "
                f"| {row.lead:.0%} ({row.random_lead:.0%}) | {spread_text} "
                f"| {row.coherence:.2f} | {percent(row.named)} | {percent(row.genre_named)} "
                f"| {percent(row.kept)} |",
                flush=True,
            )
    summarize(rows)
    return rows


def summarize(rows: list[Row]) -> None:
    today = [row for row in rows if row.grouping == "+ genres"]
    before = [row for row in rows if row.grouping != "+ genres"]
    if not today:
        return
    print()
    for label, chosen in (("before (audio + year)", before), ("today (+ genres)", today)):
        print(
            f"{label}: median lead {statistics.median(r.lead for r in chosen):.0%} "
            f"(random {statistics.median(r.random_lead for r in chosen):.0%}), coherence vs "
            f"k-means median {statistics.median(r.coherence for r in chosen):.2f}, highest "
            f"{max(r.coherence for r in chosen):.2f}"
        )
    named = [r.named for r in today if r.named is not None]
    kept = [r.kept for r in today if r.kept is not None]
    print(
        f"names that say a genre, artists or years: lowest {min(named):.0%} (target "
        f"{TARGETS['named']:.0%}); names kept after a 5% edit: lowest {min(kept):.0%}, median "
        f"{statistics.median(kept):.0%} (target {TARGETS['kept']:.0%})"
    )


def figures(rows: list[Row]) -> dict[str, float]:
    """The summary's figures, by their names in baselines.json."""
    today = [row for row in rows if row.grouping == "+ genres"]
    if not today:
        return {}
    named = [r.named for r in today if r.named is not None]
    kept = [r.kept for r in today if r.kept is not None]
    return {
        "lead genre share, median over exports": statistics.median(r.lead for r in today),
        "coherence vs k-means on audio, highest over exports": max(r.coherence for r in today),
        "coherence vs k-means on audio, median over exports": statistics.median(
            r.coherence for r in today
        ),
        "names that say a genre, artists or years, lowest": min(named),
        "names kept after a 5% edit, lowest": min(kept),
        "names kept after a 5% edit, median": statistics.median(kept),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", default=[], help="files whose names contain these")
    baselines.add_arguments(parser)
    args = parser.parse_args()
    if not SHARED_PLAYLISTS.is_dir():
        print(f"{SHARED_PLAYLISTS} not found: nothing to measure", file=sys.stderr)
        return 1
    paths = [p for p in shared_paths() if not args.only or any(s in p.name for s in args.only)]
    with threadpool_limits(limits=1):
        datasets = [d for d in map(load, paths) if d is not None]
        rows = genre_table(datasets)
    return baselines.report("recognizable", figures(rows), args, partial=bool(args.only))


if __name__ == "__main__":
    sys.exit(main())
