"""Cluster numbers that stay put across builds: matching, the cache's previous state, and the
target on real playlists (adding 5% of tracks keeps 90% of the others under their number)."""

import json
import re

import numpy as np
import pytest
from site_building import SHARED_PLAYLISTS, build, make_site, page_output, requires_shared
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.numbering import changes, matched_numbers, read_assignment
from mkdocs_playlist_clusters.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions

OPTIONS = PlaylistOptions(title="Mix", slug="mix")


def test_clusters_take_the_number_of_the_previous_cluster_they_share_most_tracks_with():
    keys = [f"t{i}" for i in range(9)]
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])  # numbered by size
    previous = {"t0": 3, "t1": 3, "t2": 3, "t4": 1, "t5": 1, "t7": 2}
    assert list(matched_numbers(labels, keys, previous, 3)) == [2, 0, 1]
    # No overlap at all: the default numbering, largest first.
    assert list(matched_numbers(labels, keys, {"other": 1}, 3)) == [0, 1, 2]


def test_a_new_cluster_takes_the_free_number_and_numbers_above_k_match_nothing():
    keys = [f"t{i}" for i in range(6)]
    labels = np.array([0, 0, 1, 1, 2, 2])
    # Cluster 0 was #3; cluster 2 was #5, a number this k no longer has; cluster 1 is new.
    previous = {"t0": 3, "t1": 3, "t4": 5, "t5": 5}
    numbers = matched_numbers(labels, keys, previous, 3)
    assert numbers[0] == 2
    assert sorted(numbers) == [0, 1, 2]


def test_changes_count_moved_kept_added_and_removed_tracks():
    counted = changes(["a", "b", "c"], np.array([0, 1, 1]), {"a": 1, "b": 1, "z": 2})
    assert (counted.moved, counted.kept, counted.added, counted.removed) == (1, 1, 1, 1)


def kept_share(before: bytes, after: bytes) -> float:
    old, new = read_assignment(before), read_assignment(after)
    both = old.keys() & new.keys()
    return sum(old[key] == new[key] for key in both) / len(both)


def test_a_permuted_numbering_is_kept_when_the_playlist_does_not_change():
    data = exportify_csv(synthetic_tracks(90, seed=5)).encode()
    first = build_playlist(data, OPTIONS)
    old = read_assignment(first.assignment)
    swapped = {key: {1: 2, 2: 3, 3: 1}[number] for key, number in old.items()}
    previous = json.dumps(swapped).encode()
    again = build_playlist(data, OPTIONS, previous)
    assert read_assignment(again.assignment) == swapped
    page = again.files["mix.md"].decode()
    assert "none of the 90 tracks in both changed cluster" in page
    # Deterministic for the same data, options and previous state.
    assert build_playlist(data, OPTIONS, previous).files == again.files


def with_five_percent_added(path) -> tuple[bytes, bytes]:
    """(the file without every 20th track, the whole file)."""
    lines = path.read_bytes().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    return header + b"".join(r for i, r in enumerate(rows) if i % 20 != 7), path.read_bytes()


@requires_shared
@pytest.mark.parametrize(
    "name",
    [
        "exportify-2026_folk-americana_liked-songs_706tracks.csv",
        "exportify-2026_progressive-rock_854tracks.csv",
    ],
)
def test_adding_five_percent_keeps_nine_in_ten_tracks_under_their_number(name):
    before, after = with_five_percent_added(SHARED_PLAYLISTS / name)
    options = PlaylistOptions(title=name, slug="real")
    first = build_playlist(before, options)
    second = build_playlist(after, options, first.assignment)
    assert kept_share(first.assignment, second.assignment) >= 0.9
    page = second.files["real.md"].decode()
    assert re.search(r"changed cluster, \d+ new tracks", page)


def built_page(tmp_path) -> str:
    path, _ = page_output(tmp_path / "site", "playlists/mix.md", True)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("cache", [True, False])
def test_the_site_keeps_numbers_across_builds_through_its_cache(tmp_path, cache):
    rows = synthetic_tracks(90, seed=5)
    data = tmp_path / "data" / "mix.csv"
    config = make_site(
        tmp_path,
        {"cache": cache, "playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(rows[:80])},
    )
    build(config)
    first = built_page(tmp_path)
    assert "Since the previous version" not in first
    build(config)  # unchanged data: the same page (from the cache when there is one)
    assert built_page(tmp_path) == first
    data.write_text(exportify_csv(rows), encoding="utf-8")
    build(config)
    # Without a cache folder there is no previous state: the default numbering, no sentence.
    assert ("Since the previous version of this playlist" in built_page(tmp_path)) is cache
    assert ("10 new tracks" in built_page(tmp_path)) is cache
