"""Numbers that stay put across builds: matching, the previous state from the cache, and the
targets on real playlists (adding 5% of tracks keeps 95% of the others in their family and 90%
in their mix). The state file is tested in test_grouping.py, test_hostile_state.py and
test_undo.py."""

import sys

import numpy as np
import pytest
from site_building import (
    REPOSITORY,
    SHARED_PLAYLISTS,
    build,
    make_site,
    page_output,
    requires_shared,
)
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.grouping.numbering import changes, matched_numbers
from mkdocs_playlist_clusters.grouping.versions import History, Version, read_version
from mkdocs_playlist_clusters.playlist import PlaylistOptions

# The edit measurement is the benchmark's, so that the test and the docs' table agree
# (docs/pages/quality.md).
sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from exports import load
from numbering import edit_stability

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
    previous = {"a": (1, 1), "b": (1, 1), "z": (2, 2)}
    counted = changes(["a", "b", "c"], np.array([2, 1, 1]), previous)
    assert (counted.moved, counted.kept, counted.added, counted.removed) == (1, 1, 1, 1)


def tracks_of(assignment: bytes) -> dict[str, tuple[int, int]]:
    version = read_version(assignment)
    assert version is not None
    return dict(version.tracks)


def test_a_permuted_numbering_is_kept_when_the_playlist_does_not_change():
    data = exportify_csv(synthetic_tracks(90, seed=5)).encode()
    first = build_playlist(data, OPTIONS)
    old = tracks_of(first.assignment)
    permutation = {1: 2, 2: 3, 3: 1}
    swapped = {key: (permutation[f], permutation[m]) for key, (f, m) in old.items()}
    previous = History((Version(swapped),))  # the first format's: options not known
    again = build_playlist(data, OPTIONS, previous)
    assert tracks_of(again.assignment) == swapped
    page = again.files["mix.md"].decode()
    assert "none of the 90 tracks in both moved to another mix" in page
    # Deterministic for the same data, options and previous state.
    assert build_playlist(data, OPTIONS, previous).files == again.files


@requires_shared
@pytest.mark.parametrize(
    ("name", "scratch_below"),
    [
        ("exportify-2026_folk-americana_liked-songs_706tracks.csv", None),
        ("exportify-2026_progressive-rock_854tracks.csv", 0.9),
    ],
)
def test_adding_five_percent_keeps_families_and_mixes_with_the_warm_start(name, scratch_below):
    # benchmarks/numbering.py's measurement: grouped without a random 5% of the tracks, then
    # whole, once from the first grouping's groups and once from scratch (groups matched).
    kept = edit_stability(load(SHARED_PLAYLISTS / name))
    assert kept.mixes[0] >= 10  # mixes of about 60 tracks, not 3 clusters
    assert kept.warm["family"] >= 0.95
    assert kept.warm["mix"] >= 0.9
    assert kept.scratch["mix"] <= kept.warm["mix"]
    if scratch_below:  # the baseline is real: from scratch, even with the best matching
        assert kept.scratch["mix"] < scratch_below


def built_page(tmp_path) -> str:
    path, _ = page_output(tmp_path / "site", "playlists/mix.md", True)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("cache", [True, False])
def test_without_a_state_file_the_site_keeps_numbers_through_its_cache(tmp_path, cache):
    rows = synthetic_tracks(90, seed=5)
    data = tmp_path / "data" / "mix.csv"
    config = make_site(
        tmp_path,
        {"cache": cache, "state_file": False, "playlists": ["data/mix.csv"]},
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
