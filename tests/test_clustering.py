"""Clustering: determinism, order independence, k selection, numbering."""

import csv
import io
import re
from dataclasses import replace

import numpy as np
import pytest
from synthetic import EXPORTIFY_HEADER, exportify_csv

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.errors import PlaylistDataError
from mkdocs_playlist_clusters.grouping.families import (
    MAX_AUTO_CLUSTERS,
    candidate_cluster_counts,
    choose_k,
    cluster_tracks,
)
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.presenting.method import k_choice_sentence
from mkdocs_playlist_clusters.presenting.playlist_figures import describe_direction


def blobs(sizes, seed=1, features=4, spread=0.3):
    rng = np.random.default_rng(seed)
    centres = np.eye(len(sizes), features) * 4  # one group per axis, equally far apart
    points = [
        rng.normal(centre, spread, size=(size, features))
        for centre, size in zip(centres, sizes, strict=True)
    ]
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return np.vstack(points), truth


def same_partition(a, b):
    return (
        len(set(zip(a.tolist(), b.tolist(), strict=True)))
        == len(set(a.tolist()))
        == len(set(b.tolist()))
    )


def test_auto_recovers_well_separated_groups_numbered_by_size():
    values, truth = blobs([40, 70, 25, 55])
    result = cluster_tracks(values)
    assert result.count == 4
    assert np.bincount(result.labels).tolist() == [70, 55, 40, 25]
    assert same_partition(result.labels, truth)
    assert set(result.scores) == set(candidate_cluster_counts(len(values)))


def test_fixed_k_is_honoured():
    values, _ = blobs([40, 70, 25, 55])
    assert cluster_tracks(values, clusters=7).count == 7


def test_same_input_same_result():
    values, _ = blobs([30, 30, 30], seed=5, spread=2.0)
    first, second = cluster_tracks(values), cluster_tracks(values.copy())
    assert np.array_equal(first.labels, second.labels)
    assert np.array_equal(first.projection, second.projection)


def test_shuffled_input_gives_the_same_clusters():
    values, _ = blobs([50, 35, 20, 44], seed=3, spread=1.5)  # overlapping: order could matter
    result = cluster_tracks(values)
    order = np.random.default_rng(9).permutation(len(values))
    shuffled = cluster_tracks(values[order])
    assert np.array_equal(shuffled.labels, result.labels[order])
    assert np.allclose(shuffled.projection, result.projection[order])


def test_representative_distances_are_to_own_centre():
    values, _ = blobs([20, 20], seed=2)
    result = cluster_tracks(values, clusters=2)
    expected = np.linalg.norm(values - result.centres[result.labels], axis=1)
    assert np.allclose(result.distances, expected)


def test_projection_uses_principal_axes_as_columns():
    # All variance lies along feature 0, so the first axis must be feature 0 alone: the
    # seed's mistake (eigenvector rows for columns) would mix in the other features.
    rng = np.random.default_rng(0)
    values = np.column_stack([rng.normal(0, 5, 200), rng.normal(0, 0.1, 200), np.zeros(200)])
    result = cluster_tracks(values, clusters=2)
    assert abs(result.components[0][0]) == pytest.approx(1, abs=1e-3)
    assert result.explained_variance[0] > 0.99


def test_auto_range_is_bounded_for_listeners():
    assert list(candidate_cluster_counts(20)) == [2]
    assert min(candidate_cluster_counts(100)) == 3
    assert max(candidate_cluster_counts(100_000)) == MAX_AUTO_CLUSTERS


def test_a_larger_k_must_be_clearly_better():
    # Flat curve (as on real playlists): a gain of 0.02 on 0.15 is within what a 90% subsample
    # moves the scores, so k stays 3 (a fixed margin of 0.01 took 4, and k flipped).
    flat = {3: 0.150, 4: 0.170, 5: 0.165, 6: 0.149}
    assert choose_k(flat, set(flat)) == 3
    # A gain of a third of the score is structure: k = 5.
    clear = {3: 0.150, 4: 0.160, 5: 0.200, 6: 0.180}
    assert choose_k(clear, set(clear)) == 5
    # A near-best k whose clusters are badly unbalanced is skipped for the next near-best.
    assert choose_k(flat, {4, 5, 6}) == 4
    # No near-best k is balanced: the best balanced one.
    assert choose_k(clear, {3, 4}) == 4


def test_one_blob_gets_the_smallest_k_and_clear_groups_their_number():
    # One Gaussian blob: every k splits it about equally well, so the smallest k is kept.
    blob = np.random.default_rng(7).normal(size=(600, 4))
    assert cluster_tracks(blob).count == 3
    values, _ = blobs([60, 80, 70, 90, 75], features=5, spread=0.6)
    assert cluster_tracks(values).count == 5


def test_the_k_choice_in_one_sentence():
    values, _ = blobs([40, 70, 25, 55])
    result = cluster_tracks(values)
    sentence = k_choice_sentence(result, None)
    assert sentence.startswith("k = 4: the smallest number of families whose separation")
    assert f"silhouette {result.scores[4]:.2f}" in sentence and "of k = 3..8" in sentence
    fixed = cluster_tracks(values, clusters=6)
    assert k_choice_sentence(fixed, 6) == (
        "k = 6: the number of families set in the site's configuration (clusters:)."
    )
    few, _ = blobs([10, 12, 11])  # 33 tracks: only k = 2 is tried
    sentence = k_choice_sentence(cluster_tracks(few), None)
    assert sentence.startswith("k = 2: the only number of families automatic mode tries for 33")


def test_the_sentence_names_a_skipped_unbalanced_k():
    values, _ = blobs([40, 70, 25, 55])
    result = cluster_tracks(values)
    # As if k = 3 had scored as well as k = 4 but been skipped for its cluster sizes.
    tied = replace(result, scores={**result.scores, 3: result.scores[4]})
    assert "; k = 3 scored as well but left a family more than 10 times larger" in (
        k_choice_sentence(tied, None)
    )


@pytest.mark.parametrize(
    ("values", "clusters", "message"),
    [
        (np.ones((3, 2)), None, "3 tracks have the features to cluster, at least 6 are needed"),
        (np.ones((20, 2)), None, "every track has the same feature values, so nothing separates"),
        (
            np.vstack([np.zeros((10, 2)), np.ones((10, 2))]),
            3,
            "clusters: 3 asked for, but only 2 tracks have distinct features, and a family "
            "needs at least 2; ask for at most 1 or use 'auto'",
        ),
    ],
)
def test_impossible_clusterings_say_why(values, clusters, message):
    with pytest.raises(PlaylistDataError, match=f"^{re.escape(message)}"):
        cluster_tracks(values, clusters)


def test_directions_in_words():
    assert describe_direction({"energy": 0.7, "acousticness": -0.6, "tempo": 0.1}, count=2) == (
        "More energetic, Less acoustic"
    )
    assert describe_direction({"energy": 0.2}, threshold=0.5) == ""


@pytest.mark.parametrize(("tracks", "columns"), [(12, 24), (7, 60), (21, 21)])
def test_more_columns_than_tracks(tracks, columns):
    # Metadata gives a column per shared genre, label and artist: a short playlist can have
    # more columns than tracks, and PCA can give no more axes than either (60 columns take
    # the randomized solver).
    values = np.random.default_rng(4).normal(size=(tracks, columns))
    result = cluster_tracks(values)
    assert result.labels.shape == result.distances.shape == (tracks,)
    assert result.projection.shape == (tracks, 2)
    assert result.components.shape == (2, columns)
    assert set(result.labels.tolist()) == set(range(result.count))


def test_one_feature_is_projected_on_a_padded_second_axis():
    values = np.repeat(np.arange(10.0), 2)[:, None]
    result = cluster_tracks(values, clusters=2)
    assert result.projection[:, 1].tolist() == [0.0] * 20
    assert result.components.tolist() == [[1.0], [0.0]] or result.components.tolist() == [
        [-1.0],
        [0.0],
    ]
    assert result.explained_variance == (pytest.approx(1.0), 0.0)


ARTIST_GENRES = {
    "Ana Brook": "folk,indie folk,chamber pop,baroque pop",
    "Ben Volt": "techno,house,minimal techno,electro",
    "Cleo Vance": "jazz,bebop,swing,cool jazz",
    "Dev Stone": "doom metal,sludge metal,drone,stoner rock",
}


@pytest.mark.parametrize("feature_columns", ["empty", "absent"])
def test_short_playlist_without_audio_features_builds_a_page(feature_columns):
    # 12 tracks, 4 artists with 4 genres and a label each: 24 metadata columns, more than
    # the tracks (the crash of issue #8: PCA asked for 20 axes of 12 tracks).
    rows = [
        {
            "Track URI": f"spotify:track:{index:022d}",
            "Track Name": f"Song {index}",
            "Artist Name(s)": artist,
            "Genres": genres,
            "Record Label": f"{artist} Records",
        }
        for index, (artist, genres) in enumerate(list(ARTIST_GENRES.items()) * 3)
    ]
    text = exportify_csv(rows)
    if feature_columns == "absent":  # the header ends before Danceability
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, EXPORTIFY_HEADER[:12], restval="")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    options = PlaylistOptions(title="Short", slug="short")

    result = build_playlist(text.encode(), options)

    assert result.warnings == []
    page = result.files[options.page_name].decode()
    # Grouped on metadata: the page says on what, never "sound".
    assert "12 tracks, in 2 mixes of tracks alike in genres, record label, artists" in page
    assert "sound" not in page.split("\n## ", 1)[0]
    sizes = [int(n) for n in re.findall(r"^## Mix \d+: .* \((\d+) tracks\)$", page, re.M)]
    # An artist's 3 tracks share everything, so no cluster splits them.
    assert sum(sizes) == 12 and all(size % 3 == 0 for size in sizes)
