"""Do families and mixes stay put when a playlist grows? For each shared export of 500 tracks
or more: group it without a random 5% of its tracks, then group the whole playlist with that
first result as the previous state (`grouping.Previous`, by track identity, as a build gets it),
and print the share of the first grouping's tracks that keep their family and their mix number.

Beside it, the baseline: the whole playlist grouped from scratch (no previous state), its
families and mixes matched one-to-one to the first grouping's by shared tracks (scipy's
`linear_sum_assignment`, as `numbering.matched_numbers` does), so that a renumbering alone does
not count as a move.

    python benchmarks/numbering.py [--quick] [--only NAME ...]

`--quick` runs the smallest such export only (what `pytest` runs, to keep this working).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass

import baselines
import numpy as np
import pandas as pd
from exports import SHARED_PLAYLISTS, Dataset, coordinates, load, shared_paths

from mkdocs_playlist_clusters.grouping.members import track_identities
from mkdocs_playlist_clusters.grouping.mixes import Grouping, Previous, group_tracks
from mkdocs_playlist_clusters.grouping.numbering import matched_numbers

MIN_TRACKS = 500
ADDED = 0.05
TARGETS = {"family": 0.95, "mix": 0.9}


@dataclass(frozen=True)
class Kept:
    """What an edit did: the groups before and after, and the shares of the first grouping's
    tracks that kept their family and their mix, warm-started and from scratch."""

    tracks: int  # before the edit
    families: tuple[int, int]  # before, after (warm)
    mixes: tuple[int, int]
    warm: dict[str, float]  # "family", "mix" -> share kept
    scratch: dict[str, float]  # the same from scratch, groups matched optimally


def shown_numbers(grouping: Grouping) -> dict[str, np.ndarray]:
    """Per track, the family and mix numbers a page shows (1-based)."""
    return {
        "family": grouping.families.labels + 1,
        "mix": grouping.mix_numbers[grouping.mixes],
    }


def keys_of(tracks: pd.DataFrame) -> list[str]:
    return [str(key) for key in track_identities(tracks)]


def kept_warm(before: dict[str, int], keys: list[str], after: np.ndarray) -> float:
    """The share of `before`'s tracks under the same number `after`."""
    now = dict(zip(keys, after.tolist(), strict=True))
    return sum(now[key] == number for key, number in before.items()) / len(before)


def kept_matched(before: dict[str, int], keys: list[str], labels: np.ndarray) -> float:
    """The same once each group of `labels` takes the number of the previous group it shares
    most tracks with (a one-to-one matching): what numbering alone could keep."""
    _, labels = np.unique(labels, return_inverse=True)
    count = max(max(before.values()), int(labels.max()) + 1)
    numbers = matched_numbers(labels, keys, before, count) + 1
    now = dict(zip(keys, numbers[labels].tolist(), strict=True))
    return sum(now[key] == number for key, number in before.items()) / len(before)


def edit_stability(dataset: Dataset, added: float = ADDED, seed: int = 0) -> Kept:
    """Group the playlist without a random `added` share of its tracks, then all of it, warm
    and from scratch (each grouping with its own standardization, as a build does)."""
    rng = np.random.default_rng(seed)
    left_out = rng.choice(len(dataset.tracks), round(added * len(dataset.tracks)), replace=False)
    earlier = dataset.tracks.drop(index=dataset.tracks.index[left_out])
    matrix = coordinates(earlier, dataset.audio)
    assert matrix is not None  # the whole playlist has coordinates, so 95% of it does
    first = group_tracks(matrix.values)
    first_keys = keys_of(earlier.loc[matrix.rows])
    before = {
        level: dict(zip(first_keys, numbers.tolist(), strict=True))
        for level, numbers in shown_numbers(first).items()
    }
    keys = keys_of(dataset.tracks.loc[dataset.matrix.rows])
    previous = Previous(
        *(np.array([before[level].get(key, 0) for key in keys]) for level in ("family", "mix"))
    )
    warm = group_tracks(dataset.matrix.values, previous=previous)
    scratch = group_tracks(dataset.matrix.values)
    warm_numbers = shown_numbers(warm)
    scratch_labels = {"family": scratch.families.labels, "mix": scratch.mixes}
    return Kept(
        len(earlier),
        (first.families.count, warm.families.count),
        (first.mix_count, warm.mix_count),
        {level: kept_warm(before[level], keys, warm_numbers[level]) for level in before},
        {level: kept_matched(before[level], keys, scratch_labels[level]) for level in before},
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smallest export only")
    parser.add_argument("--only", nargs="+", default=[], help="files whose names contain these")
    baselines.add_arguments(parser)
    args = parser.parse_args()
    if not SHARED_PLAYLISTS.is_dir():
        sys.exit(f"{SHARED_PLAYLISTS} not found: nothing to measure")
    paths = [p for p in shared_paths() if not args.only or any(s in p.name for s in args.only)]
    if args.quick:
        paths = sorted(paths, key=lambda p: p.stat().st_size)
    print(
        "| playlist | tracks before | families | mixes | kept family | kept mix "
        "| from scratch: kept family | from scratch: kept mix |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    found: list[Kept] = []
    started = time.perf_counter()
    for path in paths:
        dataset = load(path)
        if dataset is None or len(dataset.tracks) < MIN_TRACKS:
            continue
        kept = edit_stability(dataset)
        found.append(kept)
        print(
            f"| {dataset.name} | {kept.tracks:,} | {kept.families[0]} → {kept.families[1]} "
            f"| {kept.mixes[0]} → {kept.mixes[1]} | {kept.warm['family']:.1%} "
            f"| {kept.warm['mix']:.1%} | {kept.scratch['family']:.1%} "
            f"| {kept.scratch['mix']:.1%} |",
            flush=True,
        )
        if args.quick:
            break
    print()
    figures = {}
    for level, target in TARGETS.items():
        warm = [kept.warm[level] for kept in found]
        scratch = [kept.scratch[level] for kept in found]
        print(
            f"kept their {level}: lowest {min(warm):.1%} warm-started (target {target:.0%}), "
            f"{min(scratch):.1%} from scratch (median {statistics.median(scratch):.1%})"
        )
        figures[f"kept their {level}, lowest warm-started"] = min(warm)
    print(f"{len(found)} exports in {time.perf_counter() - started:.0f} s")
    partial = args.quick or bool(args.only)
    return baselines.report("numbering", figures, args, partial=partial)


if __name__ == "__main__":
    sys.exit(main())
