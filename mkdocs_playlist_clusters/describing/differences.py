"""What sets a group apart, with the evidence a reader can check: a family against the whole
playlist, a mix against the other mixes of its family (so that siblings are told apart by what
differs between them). Its name says what a listener hears in it (see `naming`); the
evidence says how it differs:

- traits: a feature whose group mean lies at least `TRAIT_THRESHOLD` standard deviations
  from the reference's, worded as a comparison ("More energetic" means more energetic than the
  rest, not energetic in absolute terms), except where Spotify documents an absolute line
  (`ABSOLUTE_WORDS`: liveness above 0.8 means a live recording);
- shared values: a genre, decade, label or artist held by at least `MIN_SHARE` (a third) of
  the group and `MIN_COUNT` tracks, and at least `MIN_LIFT` times as common as in the
  reference.

No two groups of one comparison share a name (`naming.distinct_names`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..grouping.features import FEATURE_WORDS, METADATA_NUMBERS, cell_values
from ..language import ENGLISH, N_, Language
from ..reading.genres import genre_words
from .naming import (
    Named,
    NameParts,
    NameWords,
    common_genres,
    distinct_names,
    genre_text,
    name_parts,
)

TRAIT_THRESHOLD = 0.5  # standard deviations between the cluster's mean and the playlist's
NAME_TRAITS = 3  # comparisons in the name of a group with nothing else to name it by
MIN_LIFT = 1.5
MIN_COUNT = 3
MIN_SHARE = 1 / 3
LISTED_TRAITS = 4  # traits listed as evidence, strongest first
LISTED_VALUES = 2  # over-represented values listed per kind
# Spotify's tempo detector often reports half or double the felt tempo; a cluster where this
# share of tracks sits near half or double its median has no meaningful "faster" or "slower".
OCTAVE_SHARE = 0.2

# Feature -> (cluster median at or above which, word): Spotify's documented meanings.
ABSOLUTE_WORDS: dict[str, tuple[float, str]] = {
    "liveness": (0.8, N_("Live recordings")),
    "speechiness": (0.66, N_("Spoken word")),
    "instrumentalness": (0.5, N_("Instrumental")),
}
# What a listener calls each feature (Spotify's names, such as "valence", are jargon).
FEATURE_NAMES: dict[str, str] = {
    "danceability": N_("danceability"),
    "energy": N_("energy"),
    "speechiness": N_("spoken words"),
    "acousticness": N_("acoustic sound"),
    "instrumentalness": N_("instrumental"),
    "liveness": N_("live feel"),
    "valence": N_("happy mood"),
    "tempo": N_("tempo"),
    "loudness": N_("loudness"),
    "duration_ms": N_("duration"),
    "year": N_("release year"),
    "popularity": N_("popularity on Spotify"),
    "explicit": N_("explicit lyrics"),
}
WORDS: dict[str, tuple[str, str]] = {**FEATURE_WORDS, **METADATA_NUMBERS}
# Columns whose values can be over-represented, with the noun a reader sees.
VALUE_COLUMNS: dict[str, str] = {
    "decade": "decade",
    "genres": "genre",
    "label": "label",
    "artists": "artist",
}


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
    # The values the name gives: the page's table of the group's tracks shows tracks that
    # hold them.
    named_values: tuple[Named, ...] = ()
    octave_tempos: int = 0  # tracks near half or double the tempo of many others in it
    # Per trait column, in the playlist's standard deviations (NaN where it does not vary):
    # what the profile figure draws.
    shifts: tuple[float, ...] = ()
    parts: NameParts = field(default_factory=NameParts)  # what the name is made of
    unnamed: str = ""  # the name when its parts say nothing: comparisons, or the average

    @property
    def comparisons(self) -> list[str]:
        """The words of its strongest traits."""
        return [trait.word for trait in self.traits[:NAME_TRAITS]]


def describe_clusters(
    tracks: pd.DataFrame,
    labels: np.ndarray,
    trait_columns: Sequence[str],
    count: int,
    language: Language = ENGLISH,
    values: dict[str, list[set[str]]] | None = None,
    average: str = N_("Close to the playlist's average"),
    typical: np.ndarray | None = None,
    common: frozenset[str] | None = None,
    remembered: Sequence[NameWords | None] = (),
) -> list[ClusterDescription]:
    """A description of each group 0..count-1 of `tracks` (one label per row), against all
    of `tracks`; `average` (a message) names a group with no evidence. Names are distinct, in
    `language`. `values`: `value_sets(tracks)`, when known; `typical`: each track's distance
    to its group's centre, when known (see `naming.defining_artists`); `common`: the genres
    no name gives (`naming.common_genres` of the whole playlist; by default of `tracks`);
    `remembered`: each group's name in the previous build, by label (see `naming.name_parts`).
    """
    numbers = numeric(tracks, trait_columns)
    means = numbers.mean()
    # Per group, in one pass (per-group pandas calls cost more than the work at 100+ mixes).
    group_means = numbers.groupby(labels).mean().reindex(range(count))
    shifts = feature_shifts(numbers, labels, count, group_means)
    values = values or value_sets(tracks)
    totals = value_counts(values)
    common = common_genres(values["genre"]) if common is None else common
    years = pd.to_numeric(tracks["year"], errors="coerce").to_numpy(dtype=float)
    tempo = pd.to_numeric(tracks["tempo"], errors="coerce").to_numpy(dtype=float)
    descriptions = []
    for cluster in range(count):
        inside = labels == cluster
        tempos = tempo[inside]
        tempos = tempos[~np.isnan(tempos)]
        octave = octave_tempos(tempos[tempos > 0])
        traits = cluster_traits(
            numbers, shifts[cluster], inside, language, (means, group_means.loc[cluster])
        )
        if octave >= OCTAVE_SHARE * len(tempos):
            traits = [trait for trait in traits if trait.feature != "tempo"]
        kept = remembered[cluster] if cluster < len(remembered) else None
        named = name_parts(values, np.flatnonzero(inside), years, typical, common, kept)
        compared = " · ".join(trait.word for trait in traits[:NAME_TRAITS])
        descriptions.append(
            ClusterDescription(
                "",
                tuple(traits),
                tuple(over_represented(values, inside, totals)),
                named.values,
                octave,
                tuple(float(shift) for shift in shifts[cluster]),
                named,
                compared or language.tr(average),
            )
        )
    return named_descriptions(descriptions, language)


def named_descriptions(
    descriptions: Sequence[ClusterDescription], language: Language = ENGLISH
) -> list[ClusterDescription]:
    """The descriptions with their names, no two alike (`naming.distinct_names`)."""
    names = distinct_names(
        [d.parts for d in descriptions],
        [d.comparisons for d in descriptions],
        [d.unnamed for d in descriptions],
        language,
    )
    return [replace(d, name=name) for d, name in zip(descriptions, names, strict=True)]


def numeric(tracks: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns as floats (explicitness as 0 or 1); what cannot be read is NaN."""
    return tracks[list(columns)].apply(pd.to_numeric, errors="coerce").astype(float)


def feature_shifts(
    numbers: pd.DataFrame,
    labels: np.ndarray,
    count: int,
    group_means: pd.DataFrame | None = None,
) -> np.ndarray:
    """(clusters, features): how far each cluster's mean lies from the playlist's, in the
    playlist's standard deviations; NaN where a feature does not vary. `group_means`: each
    cluster's means, when the caller has them."""
    spread = numbers.std(ddof=0).replace(0, float("nan"))
    if group_means is None:
        group_means = numbers.groupby(labels).mean().reindex(range(count))
    shifts = (group_means - numbers.mean()) / spread
    return shifts.to_numpy(dtype=float).reshape(count, len(numbers.columns))


def cluster_traits(
    numbers: pd.DataFrame,
    shifts: np.ndarray,
    inside: np.ndarray,
    language: Language = ENGLISH,
    means: tuple[pd.Series, pd.Series] | None = None,
) -> list[Trait]:
    """The features where the cluster's mean differs from the playlist's, strongest first,
    each worded in `language`. `means`: (the playlist's, the cluster's), when known."""
    playlist_means, cluster_means = means or (numbers.mean(), numbers[inside].mean())
    ranked = sorted(
        (
            (str(feature), float(shift))
            for feature, shift in zip(numbers.columns, shifts, strict=True)
            if shift == shift and abs(shift) >= TRAIT_THRESHOLD
        ),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    traits: list[Trait] = []
    for feature, shift in ranked:
        high, low = WORDS.get(feature, (f"Higher {feature}", f"Lower {feature}"))
        word = high if shift > 0 else low
        if not word:  # a difference a listener has no word for (less live than the rest)
            continue
        if len(traits) == LISTED_TRAITS:
            break
        if feature in ABSOLUTE_WORDS and shift > 0:
            line, absolute = ABSOLUTE_WORDS[feature]
            if numbers.loc[inside, feature].median() >= line:
                word = absolute
        traits.append(
            Trait(
                feature,
                language.tr(word),
                float(cluster_means[feature]),
                float(playlist_means[feature]),
                shift,
            )
        )
    return traits


def value_sets(tracks: pd.DataFrame) -> dict[str, list[set[str]]]:
    """Per kind of value, each track's set of values (a track has several genres)."""
    years = pd.to_numeric(tracks["year"], errors="coerce")
    decades = [set() if year != year else {f"{int(year) // 10 * 10}s"} for year in years]
    sets = {"decade": decades}
    for column, kind in VALUE_COLUMNS.items():
        if column == "genres":  # each tag with the broader genres above it
            sets[kind] = [genre_words(cell_values(cell)) for cell in tracks[column]]
        elif column != "decade":
            sets[kind] = [set(cell_values(cell)) for cell in tracks[column]]
    return sets


def value_counts(values: dict[str, list[set[str]]]) -> dict[str, Counter[str]]:
    """Per kind, how many tracks hold each value: the reference `over_represented` compares a
    group with (counted once for all its groups)."""
    return {kind: Counter(v for track in sets for v in track) for kind, sets in values.items()}


def over_represented(
    values: dict[str, list[set[str]]],
    inside: np.ndarray,
    totals: dict[str, Counter[str]] | None = None,
) -> list[OverRepresented]:
    """Values that are clearly more common in the cluster than in the playlist, most
    over-represented first within each kind. `totals`: `value_counts(values)`."""
    rows = np.flatnonzero(inside)
    size = len(rows)
    totals = totals or value_counts(values)
    found: list[OverRepresented] = []
    for kind, sets in values.items():
        everywhere = totals[kind]
        here = Counter(value for row in rows for value in sets[row])
        candidates = []
        for value, count in here.items():
            share, base = count / size, everywhere[value] / len(sets)
            if count >= MIN_COUNT and share >= MIN_SHARE and share >= MIN_LIFT * base:
                candidates.append(OverRepresented(kind, value, count, share, base))
        candidates.sort(key=lambda o: (-(o.cluster_share - o.playlist_share), -o.count, o.value))
        found += candidates[:LISTED_VALUES]
    return found


def value_text(value: OverRepresented, language: Language = ENGLISH) -> str:
    """A shared value as a reader sees it: data as it is, a decade or a broad genre in the
    language's words."""
    if value.kind == "decade":
        return language.tr("{decade}s", decade=value.value.removesuffix("s"))
    if value.kind == "genre":
        return genre_text(value.value, language)
    return value.value


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


def format_value(feature: str, value: float, language: Language = ENGLISH) -> str:
    """A feature's value in the unit a listener knows, written as `language` writes numbers."""
    tr = language.tr
    if feature == "tempo":
        return tr("{value} BPM", value=language.number(value))
    if feature == "loudness":
        return tr("{value} dB", value=language.decimal(value, 1)).replace("-", "−")
    if feature == "duration_ms":
        seconds = round(value / 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"
    if feature == "year":
        return f"{value:.0f}"
    if feature == "popularity":
        return tr("{value} of 100", value=f"{value:.0f}")
    if feature == "explicit":
        return language.percent(value)
    return language.decimal(value)


def feature_name(feature: str, language: Language = ENGLISH) -> str:
    return language.tr(FEATURE_NAMES[feature]) if feature in FEATURE_NAMES else feature


# Kaufman and Rousseeuw's reading of the silhouette (Finding Groups in Data, 1990): above
# 0.5 a reasonable structure, 0.26 to 0.5 a weak one that may be artificial, 0.25 or below
# no substantial structure. Below WEAK_STRUCTURE the page says so near its top.
WEAK_STRUCTURE = 0.25
SEPARATION_WORDS: tuple[tuple[float, str], ...] = (
    (0.7, N_("strongly separated")),
    (0.5, N_("well separated")),
    (WEAK_STRUCTURE, N_("loosely separated")),
    (-1.0, N_("overlapping")),
)


def separation_words(silhouette: float, language: Language = ENGLISH) -> str:
    """How a reader should take clusters with this mean silhouette (NaN, from clusters too
    small to measure, reads as overlapping)."""
    words = next((words for line, words in SEPARATION_WORDS if silhouette > line), "overlapping")
    return language.tr(words)
