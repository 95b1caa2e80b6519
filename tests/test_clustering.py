"""Clustering: determinism, order independence, k selection, numbering."""

import numpy as np
import pytest

from mkdocs_playlist_clusters.clustering import (
    MAX_AUTO_CLUSTERS,
    candidate_cluster_counts,
    cluster_tracks,
)
from mkdocs_playlist_clusters.errors import PlaylistDataError
from mkdocs_playlist_clusters.features import describe_direction


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
    assert result.sizes() == [70, 55, 40, 25]
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


@pytest.mark.parametrize(
    ("values", "clusters", "message"),
    [
        (np.ones((3, 2)), None, "at least 6"),
        (np.ones((20, 2)), None, "same feature values"),
        (np.vstack([np.zeros((10, 2)), np.ones((10, 2))]), 3, "only 2 tracks have distinct"),
    ],
)
def test_impossible_clusterings_say_why(values, clusters, message):
    with pytest.raises(PlaylistDataError, match=message):
        cluster_tracks(values, clusters)


def test_directions_in_words():
    assert describe_direction({"energy": 0.7, "acousticness": -0.6, "tempo": 0.1}, count=2) == (
        "Energetic, Electric"
    )
    assert describe_direction({"energy": 0.2}, threshold=0.5) == ""
