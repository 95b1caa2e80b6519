"""Which numbers describe a track, and the words a listener uses for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Spotify's audio features that are measurements on a scale; key, mode and time signature are
# categories, and distances between them mean nothing to k-means.
CONTINUOUS_FEATURES: tuple[str, ...] = (
    "danceability",
    "energy",
    "speechiness",
    "acousticness",
    "instrumentalness",
    "liveness",
    "valence",
    "tempo",
    "loudness",
)

CLIP = 3.0

# Feature -> (word for high values, word for low values), for axis names and cluster traits.
FEATURE_WORDS: dict[str, tuple[str, str]] = {
    "danceability": ("Danceable", "Undanceable"),
    "energy": ("Energetic", "Mellow"),
    "speechiness": ("Wordy", "Melodic"),
    "acousticness": ("Acoustic", "Electric"),
    "instrumentalness": ("Instrumental", "Vocal"),
    "liveness": ("Live", "Studio"),
    "valence": ("Happy", "Sad"),
    "tempo": ("Fast", "Slow"),
    "loudness": ("Loud", "Quiet"),
}


@dataclass(frozen=True)
class FeatureMatrix:
    """Standardized feature values of the tracks that have all of them."""

    names: tuple[str, ...]
    values: np.ndarray  # (tracks, features), each column mean 0 and standard deviation 1
    rows: pd.Index  # the tracks' index labels in the table they came from


def available_features(tracks: pd.DataFrame, requested: Sequence[str] | None) -> list[str]:
    """The features to cluster on: those requested (or all continuous ones) that the file has."""
    candidates = list(requested) if requested else list(CONTINUOUS_FEATURES)
    return [name for name in candidates if tracks[name].notna().any()]


def feature_matrix(tracks: pd.DataFrame, names: Sequence[str]) -> FeatureMatrix:
    """Standardize the named features over the tracks that have every one of them.

    A feature that is constant across the playlist carries no information and would divide by
    zero, so it is dropped. Values beyond `CLIP` standard deviations are clipped: Spotify's
    speechiness and instrumentalness have long tails, and a handful of spoken-word or
    instrumental outliers would otherwise claim clusters of their own.
    """
    complete = tracks[list(names)].dropna()
    values = complete.to_numpy(dtype=float)
    spread = values.std(axis=0)
    keep = spread > 1e-12
    values = (values[:, keep] - values[:, keep].mean(axis=0)) / spread[keep]
    values = np.clip(values, -CLIP, CLIP)
    kept = tuple(name for name, k in zip(names, keep, strict=True) if k)
    return FeatureMatrix(kept, values, complete.index)


def describe_direction(weights: dict[str, float], count: int = 3, threshold: float = 0.0) -> str:
    """Words for a direction in feature space: its `count` strongest features, signed.

    {"energy": 0.6, "acousticness": -0.5} -> "Energetic, Electric".
    """
    strongest = sorted(
        (item for item in weights.items() if abs(item[1]) > threshold),
        key=lambda item: (-abs(item[1]), item[0]),
    )[:count]
    words = []
    for name, weight in strongest:
        high, low = FEATURE_WORDS.get(name, (f"high {name}", f"low {name}"))
        words.append(high if weight > 0 else low)
    return ", ".join(words)
