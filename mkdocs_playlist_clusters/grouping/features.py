"""Which numbers describe a track, and the words a listener uses for them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..language import N_
from ..playlist import CONTINUOUS_FEATURES
from ..reading.genres import BROAD_GENRES, rolled_up

CLIP = 3.0
# Metadata blocks added to audio features, and their weight against all audio features
# together (see `grouping_matrix`).
# Release year: popularity helped agreement a little more but split libraries into "more
# popular" and "less popular" families, which is not what a listener groups by.
BLOCKS: tuple[str, ...] = ("year",)
BLOCK_WEIGHT = 0.25
BLOCKS_FROM = 500
# Genres, where most tracks carry them, at any size: mixes then hold one broad genre far more
# often (median share of their leading broad genre 0.48 -> 0.8 on three eclectic libraries)
# while sounding nearly as alike (`python benchmarks/quality.py`, its genre table).
GENRE_WEIGHT = 0.25
GENRES_FROM = 0.5  # share of the tracks that carry genres
GENRE_DIMENSIONS = 5  # the genre block's principal components kept
SPECIFIC_GENRE_WEIGHT = 0.5  # a finer genre word against a broad genre, in the block
SHARED_GENRE = 0.01  # a genre word in the block is held by at least this share of tracks
# Metadata that may refine groups made on the rest but never define one (a family of the
# "more popular" or the "explicit" tracks): their weight against each other block.
REFINING = {"popularity": 0.1, "explicit": 0.1}
# A yes/no column whose rarer answer has fewer tracks than this share is not clustered on.
RARE_SHARE = 0.05

# Feature -> (word for higher values, word for lower values) than the rest of the playlist,
# for axis ends and cluster traits. Comparisons, because that is what they measure: a cluster
# called "Live" whose liveness never reaches Spotify's 0.8 line for a live recording would be
# wrong; "More live-sounding" than the rest of the playlist is right.
FEATURE_WORDS: dict[str, tuple[str, str]] = {
    "danceability": (N_("More danceable"), N_("Less danceable")),
    "energy": (N_("More energetic"), N_("Calmer")),
    # Less speech, less live and more electric than the rest are no words a listener uses:
    # a mix is sung, recorded in a studio and electric unless it says otherwise.
    "speechiness": (N_("More spoken word"), ""),
    "acousticness": (N_("More acoustic"), N_("Less acoustic")),
    "instrumentalness": (N_("More instrumental"), N_("More vocal")),
    "liveness": (N_("More live-sounding"), ""),
    "valence": (N_("Happier"), N_("Sadder")),
    "tempo": (N_("Faster"), N_("Slower")),
    "loudness": (N_("Louder"), N_("Quieter")),
}


# Track metadata used when a playlist has no audio features: numeric columns with their words,
# and list-like columns whose recurring values become indicator columns.
METADATA_NUMBERS: dict[str, tuple[str, str]] = {
    "year": (N_("More recent"), N_("Older")),
    # Spotify's popularity is that of the release: a compilation scores low for a famous band.
    # Not "more played": a listener would read that as played more by them.
    "popularity": (N_("More popular on Spotify"), N_("Less popular on Spotify")),
    "duration_ms": (N_("Longer"), N_("Shorter")),
    "explicit": (N_("More explicit"), N_("Cleaner")),
}
METADATA_VALUES: dict[str, str] = {"genres": "genres", "label": "labels", "artists": "artists"}
METADATA_NAMES: dict[str, str] = {
    "year": N_("release year"),
    "popularity": N_("popularity"),
    "duration_ms": N_("duration"),
    "explicit": N_("explicitness"),
    "genres": N_("genres"),
    "label": N_("record label"),
    "artists": N_("artists"),
}


# Spotify's names of its audio features, as the page says a playlist was grouped on them.
AUDIO_NAMES: tuple[str, ...] = (
    N_("danceability"),
    N_("energy"),
    N_("speechiness"),
    N_("acousticness"),
    N_("instrumentalness"),
    N_("liveness"),
    N_("valence"),
    N_("tempo"),
    N_("loudness"),
)


@dataclass(frozen=True)
class FeatureMatrix:
    """Scaled feature values of the tracks that have all of them."""

    names: tuple[str, ...]
    values: np.ndarray  # (tracks, features)
    rows: pd.Index  # the tracks' index labels in the table they came from
    words: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(FEATURE_WORDS))
    described_as: tuple[str, ...] = ()  # what the page says was clustered on
    trait_columns: tuple[str, ...] = ()  # numeric table columns that describe a cluster


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
    return FeatureMatrix(kept, values, complete.index, described_as=kept, trait_columns=kept)


def metadata_matrix(
    tracks: pd.DataFrame, only: Collection[str] | None = None
) -> FeatureMatrix | None:
    """Cluster coordinates from metadata, for playlists without audio features.

    Each block (release year, popularity, duration, explicitness, genres, label, artists) is
    scaled to a total variance of 1, so that no block drowns the others however many columns
    it has. Genres are weighted by rarity (TF-IDF); labels, artists and genres only count when
    at least two tracks share them. `only` limits the blocks to those named. Returns None when
    the tracks have nothing to compare.
    """
    blocks = number_blocks(tracks, only) + value_blocks(tracks, only)
    names: list[str] = []
    columns: list[np.ndarray] = []
    words: dict[str, tuple[str, str]] = {}
    kept: list[str] = []
    for block, block_names, values in blocks:
        scaled = scaled_block(values)
        if scaled is None:
            continue
        kept.append(block)
        if len(block_names) == 1:  # a number: its outliers clipped, as audio features are
            scaled = np.clip(scaled, -CLIP, CLIP)
        columns.append(scaled * np.sqrt(REFINING.get(block, 1.0)))
        names += block_names
        for name in block_names:
            _, _, value = name.partition(":")
            # An indicator's low end ("not this label") tells a reader nothing: no word; a
            # genre component is no one genre: none at all.
            unnamed = ("", "") if block == "genres" else (value, "")
            words[name] = METADATA_NUMBERS.get(name, unnamed)
    if not columns:
        return None
    described = tuple(METADATA_NAMES[block] for block in kept)
    traits = tuple(block for block in kept if block in METADATA_NUMBERS)
    return FeatureMatrix(tuple(names), np.hstack(columns), tracks.index, words, described, traits)


def number_blocks(
    tracks: pd.DataFrame, only: Collection[str] | None
) -> list[tuple[str, list[str], np.ndarray]]:
    """The metadata numbers that vary, one column each (durations on a log scale)."""
    blocks: list[tuple[str, list[str], np.ndarray]] = []
    for column in METADATA_NUMBERS:
        if only is not None and column not in only:
            continue
        numbers = pd.to_numeric(tracks[column], errors="coerce").astype(float)
        if numbers.notna().mean() < 0.5 or numbers.nunique() < 2:
            continue
        if numbers.nunique() == 2 and numbers.value_counts().min() < RARE_SHARE * len(numbers):
            # A yes/no that a few tracks have (2 explicit tracks of 746) would sit many
            # standard deviations out and become a group of its own: it says nothing about
            # the rest, so it is left out.
            continue
        if column == "duration_ms":
            numbers = np.log(numbers.clip(lower=1000))
        blocks.append((column, [column], numbers.fillna(numbers.median()).to_numpy()[:, None]))
    return blocks


def value_blocks(
    tracks: pd.DataFrame, only: Collection[str] | None
) -> list[tuple[str, list[str], np.ndarray]]:
    """The metadata values (genres, labels, artists) as blocks of columns: genre components,
    and an indicator for each label or artist at least two tracks share."""
    blocks: list[tuple[str, list[str], np.ndarray]] = []
    for column, noun in METADATA_VALUES.items():
        if only is not None and column not in only:
            continue
        if column == "genres":
            genres = genre_block(tracks)
            if genres is not None:
                count = genres.shape[1]
                blocks.append((column, [f"{noun}:{i + 1}" for i in range(count)], genres))
            continue
        cells = tracks[column].map(cell_values)
        counts = Counter(value for values in cells for value in set(values))
        shared = sorted(value for value, count in counts.items() if count >= 2)
        if not shared:
            continue
        position = {value: i for i, value in enumerate(shared)}
        indicators = np.zeros((len(tracks), len(shared)))
        for row, values in enumerate(cells):
            for value in set(values):
                if value in position:
                    indicators[row, position[value]] = 1.0
        blocks.append((column, [f"{noun}:{value}" for value in shared], indicators))
    return blocks


def scaled_block(values: np.ndarray) -> np.ndarray | None:
    """A block of columns centred and scaled to a total variance of 1; None when constant."""
    centred = values - values.mean(axis=0)
    total = float(centred.var(axis=0).sum())
    if total <= 1e-12:
        return None
    return centred / np.sqrt(total)


def genre_block(tracks: pd.DataFrame) -> np.ndarray | None:
    """The tracks' genres as a few coordinates, or None when fewer than GENRES_FROM of them
    carry any.

    Each track's tags are rolled up (`genres.rolled_up`: "minimal techno" and "acid techno"
    both hold techno and electronic), so that tracks of one kind of music are near each other
    whatever their exact tags. A broad genre counts fully, a finer word by
    SPECIFIC_GENRE_WEIGHT; words held by fewer than SHARED_GENRE of the tracks say nothing of
    a group and are left out; rarer words weigh more (TF-IDF) and every track's vector has
    length 1. A track without genres sits at the average of those with some, where only its
    other features place it. Kept to GENRE_DIMENSIONS principal components, so that k-means
    stays as fast as on audio features alone.
    """
    cells = [
        {word for tag in cell_values(cell) for word in rolled_up(tag)} for cell in tracks["genres"]
    ]
    tagged = np.array([bool(words) for words in cells])
    if tagged.mean() < GENRES_FROM or len(tracks) < 2:
        return None
    counts = Counter(word for words in cells for word in words)
    least = max(2.0, SHARED_GENRE * len(tracks))
    shared = sorted(word for word, count in counts.items() if count >= least)
    if not shared:
        return None
    position = {word: i for i, word in enumerate(shared)}
    weights = np.array([1.0 if w in BROAD_GENRES else SPECIFIC_GENRE_WEIGHT for w in shared])
    values = np.zeros((len(tracks), len(shared)))
    for row, words in enumerate(cells):
        for word in words & position.keys():
            values[row, position[word]] = 1.0
    values *= weights * (np.log(len(tracks) / np.array([counts[w] for w in shared])) + 1)
    norms = np.linalg.norm(values, axis=1, keepdims=True)
    values = np.divide(values, norms, out=values, where=norms > 0)
    values[norms[:, 0] == 0] = values[norms[:, 0] > 0].mean(axis=0)
    if len(shared) <= GENRE_DIMENSIONS:
        return values
    centred = values - values.mean(axis=0)
    # The leading eigenvectors of the words' covariance (small: words x words), each signed
    # by its largest entry, so that the same tracks always give the same coordinates.
    _, vectors = np.linalg.eigh(centred.T @ centred)
    axes = vectors[:, ::-1][:, :GENRE_DIMENSIONS].T
    axes *= np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])[:, None]
    return centred @ axes.T


def audio_and_metadata_matrix(
    tracks: pd.DataFrame, names: Sequence[str], weights: Mapping[str, float]
) -> FeatureMatrix:
    """Audio features (`feature_matrix`) plus metadata blocks (`metadata_matrix`'s), for the
    tracks that have every audio feature.

    The audio features form one block; each block is scaled to a total variance of 1 (as in
    `metadata_matrix`), and a metadata block named in `weights` ("year", "popularity",
    "genres", ...) to a total variance of its weight: {"year": 0.5} gives release year half
    the say of all audio features together. Blocks the tracks lack are left out.
    """
    audio = feature_matrix(tracks, names)
    scaled = scaled_block(audio.values)
    blocks = [audio.values if scaled is None else scaled]
    columns = list(audio.names)
    words = dict(audio.words)
    described, traits = list(audio.described_as), list(audio.trait_columns)
    metadata = metadata_matrix(tracks.loc[audio.rows], only=set(weights))
    if metadata is not None:
        prefixes = {METADATA_VALUES.get(block, block): block for block in weights}
        for name, column in zip(metadata.names, metadata.values.T, strict=True):
            block = prefixes.get(name.partition(":")[0])
            if block is None:
                continue
            # metadata_matrix scaled the block to a total variance of 1.
            blocks.append(column[:, None] * np.sqrt(weights[block]))
            columns.append(name)
            words[name] = metadata.words[name]
            if METADATA_NAMES[block] not in described:
                described.append(METADATA_NAMES[block])
                if block in METADATA_NUMBERS:
                    traits.append(block)
    return FeatureMatrix(
        tuple(columns), np.hstack(blocks), audio.rows, words, tuple(described), tuple(traits)
    )


def grouping_matrix(
    tracks: pd.DataFrame, features: Sequence[str], requested: bool
) -> FeatureMatrix | None:
    """The coordinates a playlist is grouped in: its audio features `features`, plus release
    year as a block of weight BLOCK_WEIGHT on playlists of BLOCKS_FROM tracks or more whose
    export has it for most tracks, plus genres (weight GENRE_WEIGHT) where most tracks carry
    them (neither when the user chose the features: `requested`); its metadata when it has no
    audio features. None when the tracks have nothing to compare.

    Why the year, and where: audio features describe sound, not scene; an era is part of a
    scene. On large playlists mixes made with it agree better with human genre labels that
    were not an input; on small ones (a few mixes) less (`python benchmarks/quality.py`, its
    second table). Why genres: see GENRE_WEIGHT."""
    if not features:
        return metadata_matrix(tracks)
    if requested:
        return feature_matrix(tracks, features)
    weights = {}
    if len(tracks) >= BLOCKS_FROM:
        weights = {name: BLOCK_WEIGHT for name in BLOCKS if tracks[name].notna().mean() >= 0.5}
    if tracks["genres"].map(bool).mean() >= GENRES_FROM:
        weights["genres"] = GENRE_WEIGHT
    if not weights:
        return feature_matrix(tracks, features)
    return audio_and_metadata_matrix(tracks, features, weights)


def cell_values(cell: object) -> list[str]:
    """The values of a table cell that holds a list (genres, artists) or one value (label)."""
    if isinstance(cell, list):
        return cell
    return [] if cell is None else [str(cell)]
