"""Group quality on real data, and the large-playlist shortcut that must not change it.

The human labels come from the file through the csv module, not through the plugin's reader.
"""

from __future__ import annotations

import csv
import gzip
import io

import numpy as np
import pytest
from site_building import SHARED_PLAYLISTS, requires_shared
from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
)

from mkdocs_playlist_clusters.grouping import families
from mkdocs_playlist_clusters.grouping.families import cluster_tracks
from mkdocs_playlist_clusters.grouping.features import available_features, feature_matrix
from mkdocs_playlist_clusters.grouping.members import canonical_order, distinct_tracks
from mkdocs_playlist_clusters.grouping.mixes import group_tracks
from mkdocs_playlist_clusters.reading.exports import read_playlist

TIDYTUESDAY = "tidytuesday-2020_spotify-songs_half-A_16430rows.csv.gz"
# The hardest of the shared playlists of 500+ tracks for stability, and one of the quickest:
# with k chosen by the best silhouette within 0.01, it scored 0.66.
PROGRESSIVE_ROCK = "exportify-2026_progressive-rock_854tracks.csv"
LIKED_SONGS = "exportify-2025nov_hiphop-rap_liked-songs_7785tracks.csv"
HIT_PREDICTOR = (
    "large_hit-predictor_dataset-of-00s_5872tracks.csv",
    "large_hit-predictor_dataset-of-10s_6398tracks.csv",
)


def feature_rows(data: bytes):
    tracks = distinct_tracks(canonical_order(read_playlist(data).tracks))
    tracks = tracks[tracks["kind"] == "track"]
    return tracks, feature_matrix(tracks, available_features(tracks, None))


def joined_csv(names: tuple[str, ...]) -> bytes:
    texts = [(SHARED_PLAYLISTS / name).read_text(encoding="utf-8") for name in names]
    return (texts[0] + "".join(text.split("\n", 1)[1] for text in texts[1:])).encode()


@pytest.fixture(scope="module")
def tidytuesday():
    return feature_rows(gzip.decompress((SHARED_PLAYLISTS / TIDYTUESDAY).read_bytes()))


@requires_shared
def test_tidytuesday_mixes_agree_with_human_subgenres_twice_as_well_as_the_seed(tidytuesday):
    tracks, matrix = tidytuesday
    text = gzip.decompress((SHARED_PLAYLISTS / TIDYTUESDAY).read_bytes()).decode("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    subgenre = {row["track_id"]: row["playlist_subgenre"] for row in rows}
    truth = [subgenre[i] for i in tracks.loc[matrix.rows, "track_id"]]
    assert len(truth) == 14_629 and len(set(truth)) == 24
    mixes = group_tracks(matrix.values).mixes
    # The seed page's method scores AMI 0.060 against the 24 subgenres here, at its own k of 9
    # (benchmarks/quality.py); the target is twice that. Families alone score 0.082.
    assert adjusted_mutual_info_score(truth, mixes) >= 2 * 0.060


@requires_shared
def test_a_large_library_is_split_into_mixes_a_listener_would_play():
    _, matrix = feature_rows((SHARED_PLAYLISTS / LIKED_SONGS).read_bytes())
    assert len(matrix.values) > 7000
    grouping = group_tracks(matrix.values)
    sizes = np.bincount(grouping.mixes)
    assert 3 <= grouping.families.count <= 8
    assert len(sizes) >= 50  # several dozen mixes, not three groups of 2,600 tracks
    assert sizes[(sizes >= 20) & (sizes <= 300)].sum() >= 0.8 * len(matrix.values)


@requires_shared
@pytest.mark.parametrize("source", ["tidytuesday", "hit predictor 00s+10s"])
def test_choosing_k_on_a_sample_picks_the_k_of_all_tracks(tidytuesday, monkeypatch, source):
    _, matrix = tidytuesday if source == "tidytuesday" else feature_rows(joined_csv(HIT_PREDICTOR))
    assert len(matrix.values) > families.K_SELECTION_SAMPLE  # the shortcut applies
    sampled = cluster_tracks(matrix.values)
    monkeypatch.setattr(families, "K_SELECTION_SAMPLE", 10**9)
    everything = cluster_tracks(matrix.values)
    assert sampled.count == everything.count
    # And the clusterings themselves agree: most tracks share their cluster in both.
    assert normalized_mutual_info_score(sampled.labels, everything.labels) > 0.8
    assert np.bincount(sampled.labels).min() > 0


@requires_shared
def test_families_of_a_real_playlist_survive_losing_a_tenth_of_its_tracks():
    # The broad families hold even from scratch: each 90% subsample is clustered from scratch
    # (scaling included) and compared with the whole playlist's families on the tracks they
    # share. Mixes do not (about 0.7 here, benchmarks/quality.py): on a continuum, smaller
    # groups are less stable from scratch whatever the data, so theirs comes from the warm
    # start (tests/test_numbering.py).
    tracks, matrix = feature_rows((SHARED_PLAYLISTS / PROGRESSIVE_ROCK).read_bytes())
    tracks = tracks.loc[matrix.rows]
    assert len(tracks) >= 500
    full = cluster_tracks(matrix.values).labels
    agreement = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(len(tracks), int(0.9 * len(tracks)), replace=False))
        subset = tracks.iloc[rows]
        values = feature_matrix(subset, available_features(subset, None)).values
        agreement.append(adjusted_rand_score(full[rows], cluster_tracks(values).labels))
    assert np.mean(agreement) >= 0.8, agreement
