"""What sets a cluster apart, with the evidence a reader can check: its name is built only
from measured differences against the playlist it belongs to.

Two kinds of evidence make a name:

- traits: a feature whose cluster mean lies at least `TRAIT_THRESHOLD` standard deviations
  from the playlist's, worded as a comparison ("More energetic" means more energetic than the
  rest of this playlist, not energetic in absolute terms), except where Spotify documents an
  absolute line (`ABSOLUTE_WORDS`: liveness above 0.8 means a live recording);
- over-represented values: a genre, decade, label or artist whose share of the cluster is at
  least `MIN_LIFT` times its share of the playlist, held by at least `MIN_COUNT` tracks and
  `MIN_SHARE` of the cluster. A genre common to the whole playlist can never qualify, and
  neither can two tracks in a cluster of thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .features import FEATURE_WORDS, METADATA_NUMBERS, cell_values

TRAIT_THRESHOLD = 0.5  # standard deviations between the cluster's mean and the playlist's
NAME_TRAITS = 3  # traits in a name with no over-represented value
NAME_PARTS = 4  # traits and values in a name, at most
MIN_LIFT = 1.5
MIN_COUNT = 3
MIN_SHARE = 0.1
LISTED_TRAITS = 4  # traits listed as evidence, strongest first
LISTED_VALUES = 2  # over-represented values listed per kind
# Spotify's tempo detector often reports half or double the felt tempo; a cluster where this
# share of tracks sits near half or double its median has no meaningful "faster" or "slower".
OCTAVE_SHARE = 0.2

# Feature -> (cluster median at or above which, word): Spotify's documented meanings.
ABSOLUTE_WORDS: dict[str, tuple[float, str]] = {
    "liveness": (0.8, "Live recordings"),
    "speechiness": (0.66, "Spoken word"),
    "instrumentalness": (0.5, "Instrumental"),
}
FEATURE_NAMES: dict[str, str] = {
    "duration_ms": "duration",
    "year": "release year",
    "explicit": "explicit tracks",
}
WORDS: dict[str, tuple[str, str]] = {**FEATURE_WORDS, **METADATA_NUMBERS}
# Columns whose values can be over-represented, with the noun a reader sees.
VALUE_COLUMNS: dict[str, str] = {
    "decade": "decade",
    "genres": "genre",
    "label": "label",
    "artists": "artist",
}
NAMED_KINDS = ("decade", "genre", "label", "artist")


@dataclass(frozen=True)
class Trait:
    feature: str
    word: str
    cluster_value: float  # the cluster's mean
    playlist_value: float  # the playlist's mean
    shift: float  # in the playlist's standard deviations


@dataclass(frozen=True)
class OverRepresented:
    kind: str  # "genre", "decade", "label" or "artist"
    value: str
    count: int  # tracks of the cluster that have it
    cluster_share: float
    playlist_share: float


@dataclass(frozen=True)
class ClusterDescription:
    name: str
    traits: tuple[Trait, ...]
    over_represented: tuple[OverRepresented, ...]
    median_tempo: float | None = None
    octave_tempos: int = 0  # tracks near half or double the tempo of many others in it
    # Per trait column, in the playlist's standard deviations (NaN where it does not vary):
    # what the profile figure draws.
    shifts: tuple[float, ...] = ()


def describe_clusters(
    tracks: pd.DataFrame, labels: np.ndarray, trait_columns: Sequence[str], count: int
) -> list[ClusterDescription]:
    """A description of each cluster 0..count-1 of `tracks` (one label per row)."""
    numbers = numeric(tracks, trait_columns)
    shifts = feature_shifts(numbers, labels, count)
    values = value_sets(tracks)
    descriptions = []
    for cluster in range(count):
        inside = labels == cluster
        tempos = tracks.loc[inside, "tempo"].dropna().astype(float)
        median_tempo = float(tempos.median()) if len(tempos) else None
        octave = octave_tempos(tempos[tempos > 0].to_numpy())
        traits = cluster_traits(numbers, shifts[cluster], inside)
        if octave >= OCTAVE_SHARE * len(tempos):
            traits = [trait for trait in traits if trait.feature != "tempo"]
        over = over_represented(values, inside)
        descriptions.append(
            ClusterDescription(
                cluster_name(traits, over),
                tuple(traits),
                tuple(over),
                median_tempo,
                octave,
                tuple(float(shift) for shift in shifts[cluster]),
            )
        )
    return descriptions


def numeric(tracks: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns as floats (explicitness as 0 or 1); what cannot be read is NaN."""
    return tracks[list(columns)].apply(pd.to_numeric, errors="coerce").astype(float)


def feature_shifts(numbers: pd.DataFrame, labels: np.ndarray, count: int) -> np.ndarray:
    """(clusters, features): how far each cluster's mean lies from the playlist's, in the
    playlist's standard deviations; NaN where a feature does not vary."""
    spread = numbers.std(ddof=0).replace(0, float("nan"))
    means = numbers.mean()
    return np.array(
        [((numbers[labels == c].mean() - means) / spread).to_numpy() for c in range(count)]
    ).reshape(count, len(numbers.columns))


def cluster_traits(numbers: pd.DataFrame, shifts: np.ndarray, inside: np.ndarray) -> list[Trait]:
    """The features where the cluster's mean differs from the playlist's, strongest first."""
    means = numbers.mean()
    cluster_means = numbers[inside].mean()
    ranked = sorted(
        (
            (str(feature), float(shift))
            for feature, shift in zip(numbers.columns, shifts, strict=True)
            if shift == shift and abs(shift) >= TRAIT_THRESHOLD
        ),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    traits = []
    for feature, shift in ranked[:LISTED_TRAITS]:
        high, low = WORDS.get(feature, (f"Higher {feature}", f"Lower {feature}"))
        word = high if shift > 0 else low
        if feature in ABSOLUTE_WORDS and shift > 0:
            line, absolute = ABSOLUTE_WORDS[feature]
            if numbers.loc[inside, feature].median() >= line:
                word = absolute
        traits.append(
            Trait(feature, word, float(cluster_means[feature]), float(means[feature]), shift)
        )
    return traits


def value_sets(tracks: pd.DataFrame) -> dict[str, list[set[str]]]:
    """Per kind of value, each track's set of values (a track has several genres)."""
    years = pd.to_numeric(tracks["year"], errors="coerce")
    decades = [set() if year != year else {f"{int(year) // 10 * 10}s"} for year in years]
    sets = {"decade": decades}
    for column, kind in VALUE_COLUMNS.items():
        if column != "decade":
            sets[kind] = [set(cell_values(cell)) for cell in tracks[column]]
    return sets


def over_represented(
    values: dict[str, list[set[str]]], inside: np.ndarray
) -> list[OverRepresented]:
    """Values that are clearly more common in the cluster than in the playlist, most
    over-represented first within each kind."""
    size = int(inside.sum())
    found: list[OverRepresented] = []
    for kind, sets in values.items():
        everywhere = Counter(value for track in sets for value in track)
        here = Counter(
            value for track, hit in zip(sets, inside, strict=True) if hit for value in track
        )
        candidates = []
        for value, count in here.items():
            share, base = count / size, everywhere[value] / len(sets)
            if count >= MIN_COUNT and share >= MIN_SHARE and share >= MIN_LIFT * base:
                candidates.append(OverRepresented(kind, value, count, share, base))
        candidates.sort(key=lambda o: (-(o.cluster_share - o.playlist_share), -o.count, o.value))
        found += candidates[:LISTED_VALUES]
    return found


def cluster_name(traits: Sequence[Trait], over: Sequence[OverRepresented]) -> str:
    """Up to NAME_PARTS of the strongest evidence: traits first, then the most
    over-represented values, at most one of each kind."""
    named = []
    for kind in NAMED_KINDS:
        best = [o for o in over if o.kind == kind]
        if best:
            named.append(best[0])
    named.sort(key=lambda o: -(o.cluster_share - o.playlist_share))
    # A decade says "older" or "more recent" better than the trait does.
    if any(o.kind == "decade" for o in named):
        traits = [trait for trait in traits if trait.feature != "year"]
    trait_slots = min(NAME_TRAITS, NAME_PARTS - min(len(named), 2))
    words = [trait.word for trait in traits[:trait_slots]]
    parts = words + [o.value for o in named][: NAME_PARTS - len(words)]
    return " · ".join(parts) if parts else "Close to the playlist's average"


def octave_tempos(tempos: np.ndarray) -> int:
    """How many tempos lie near half or double those of a good share of the others (at
    least MIN_COUNT tracks and MIN_SHARE of them): likely the same kind of beat counted at
    another level, not faster or slower songs."""
    ordered = np.sort(tempos)
    need = max(MIN_COUNT, MIN_SHARE * len(ordered))

    def near(values: np.ndarray) -> np.ndarray:
        above = np.searchsorted(ordered, values * 1.06, side="right")
        return above - np.searchsorted(ordered, values * 0.94, side="left")

    return int(np.sum((near(tempos * 2) >= need) | (near(tempos / 2) >= need)))


def format_value(feature: str, value: float) -> str:
    """A feature's value in the unit a listener knows."""
    if feature == "tempo":
        return f"{value:.0f} BPM"
    if feature == "loudness":
        return f"{value:.1f} dB".replace("-", "−")
    if feature == "duration_ms":
        seconds = round(value / 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"
    if feature == "year":
        return f"{value:.0f}"
    if feature == "popularity":
        return f"{value:.0f} of 100"
    if feature == "explicit":
        return f"{value:.0%}"
    return f"{value:.2f}"


def feature_name(feature: str) -> str:
    return FEATURE_NAMES.get(feature, feature)


# Kaufman and Rousseeuw's reading of the silhouette (Finding Groups in Data, 1990): above
# 0.5 a reasonable structure, 0.26 to 0.5 a weak one that may be artificial, 0.25 or below
# no substantial structure. Below WEAK_STRUCTURE the page says so near its top.
WEAK_STRUCTURE = 0.25
SEPARATION_WORDS: tuple[tuple[float, str], ...] = (
    (0.7, "strongly separated"),
    (0.5, "well separated"),
    (WEAK_STRUCTURE, "loosely separated"),
    (-1.0, "overlapping"),
)


def separation_words(silhouette: float) -> str:
    """How a reader should take clusters with this mean silhouette."""
    return next(words for line, words in SEPARATION_WORDS if silhouette > line)
