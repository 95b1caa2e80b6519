"""Audio features plus metadata blocks (`features.audio_and_metadata_matrix`), the combination
benchmarks/quality.py measures against human labels."""

import numpy as np
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.grouping.features import (
    audio_and_metadata_matrix,
    available_features,
    feature_matrix,
)
from mkdocs_playlist_clusters.reading.exports import read_playlist


def tracks_and_features():
    tracks = read_playlist(exportify_csv(synthetic_tracks(60, seed=3)).encode()).tracks
    return tracks, available_features(tracks, None)


def block_variance(matrix, prefix: str) -> float:
    columns = [i for i, name in enumerate(matrix.names) if name.split(":")[0] == prefix]
    return float(matrix.values[:, columns].var(axis=0).sum())


def test_each_block_has_the_variance_of_its_weight_and_audio_one():
    tracks, names = tracks_and_features()
    matrix = audio_and_metadata_matrix(tracks, names, {"year": 0.5, "genres": 0.25})
    audio = feature_matrix(tracks, names)
    assert matrix.names[: len(audio.names)] == audio.names
    assert np.isclose(block_variance(matrix, "year"), 0.5)
    assert np.isclose(block_variance(matrix, "genres"), 0.25)
    audio_variance = matrix.values[:, : len(audio.names)].var(axis=0).sum()
    assert np.isclose(audio_variance, 1.0)
    # Only the blocks asked for: no popularity, labels or artists.
    assert {name.split(":")[0] for name in matrix.names[len(audio.names) :]} == {"year", "genres"}
    assert matrix.described_as == (*audio.described_as, "release year", "genres")
    assert matrix.trait_columns == (*audio.trait_columns, "year")


def test_only_tracks_with_every_audio_feature_are_kept():
    tracks, names = tracks_and_features()
    tracks.loc[tracks.index[:5], "energy"] = np.nan
    matrix = audio_and_metadata_matrix(tracks, names, {"popularity": 1.0})
    assert list(matrix.rows) == list(tracks.index[5:])
    assert matrix.values.shape == (55, len(names) + 1)
