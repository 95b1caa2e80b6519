"""A group's name: what a listener would hear in it, from what its tracks hold.

A name has up to three parts, each kept only when the group's tracks bear it out:

- its genre: the most specific genre word (Spotify's tags rolled up, see `genres`) held by at
  least a third of its tracks and by at least half as many as its broad genre ("Techno" for a
  mix of minimal, acid and plain techno; "Classical" where no kind of classical music reaches a
  third);
- two artists who define it: those with the most tracks in it (at least two), ties going by
  name; where no artist has two tracks, the artists of its most typical tracks;
- its years: a decade when at least half its tracks are from it, otherwise the decades its
  middle 80% spans ("1960s-90s").

"Techno · Klangtronik, Netty Hugo · 2010s". Comparisons with the rest of the family
("happier, more danceable") are not part of a name: they say little on their own and mean
something else in every family (see `differences`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..language import ENGLISH, Language
from ..reading.genres import BROAD_GENRES, display_genre, rolled_up

GENRE_SHARE = 1 / 3  # of a group's tracks that hold a genre named
# A genre held by this share of the whole playlist is the playlist's, not a group's: no name
# on its page says it.
COMMON_GENRE = 0.9
SPECIFIC_SHARE = 0.5  # of its broad genre's tracks a more specific genre needs to be named
DECADE_SHARE = 0.5  # of a group's tracks a decade named holds
SPAN_QUANTILES = (0.1, 0.9)  # a span of decades holds the middle 80% of the tracks
YEARS_KNOWN = 0.5  # a name gives years when at least this share of tracks has one
NAME_ARTISTS = 2
MIN_ARTIST_TRACKS = 2  # an artist defines a group with at least this many tracks in it
SEPARATOR = " · "
# Hysteresis: a genre a group's previous name lacked joins it only when ENTER_SHARE of its
# tracks hold it, a decade replaces its span only at DECADE_AFTER_SPAN; a part it had stays
# while the rules above hold (a third for a genre, half for a decade) or, for artists, while
# they have a track in it.
ENTER_SHARE = 0.4
DECADE_AFTER_SPAN = 0.6


@dataclass(frozen=True)
class Named:
    """A value a name gives, with the tracks of the group that hold it."""

    kind: str  # "genre", "artist", "decade" (as `differences.value_sets` keys them) or "span"
    value: str  # the genre word, artist, decade ("1990s") or span ("1960s-1990s")
    count: int
    share: float


# What a name is made of, as a version keeps it (`versions.Made.names`): the genre word, the
# artists and the decade or span ("" where the name has none).
NameWords = tuple[str, tuple[str, ...], str]


@dataclass(frozen=True)
class NameParts:
    """The evidence a group's name is made of."""

    genre: Named | None = None
    artists: tuple[Named, ...] = ()
    years: Named | None = None
    spare_artist: Named | None = None  # the next artist, to tell apart names that collide

    @property
    def values(self) -> tuple[Named, ...]:
        """The values whose tracks the group's table shows (`views.bearing_out`)."""
        found = (self.genre, *self.artists, self.years)
        return tuple(n for n in found if n is not None and n.kind != "span")

    @property
    def kept(self) -> NameWords:
        """The parts as the next build remembers them."""
        genre = self.genre.value if self.genre else ""
        return genre, tuple(a.value for a in self.artists), self.years.value if self.years else ""

    def words(self, language: Language = ENGLISH, spare: bool = False) -> list[str]:
        """The name's parts as a reader sees them: genre, artists, years."""
        parts = []
        if self.genre:
            parts.append(genre_text(self.genre.value, language))
        artists = [*self.artists, *([self.spare_artist] if spare and self.spare_artist else [])]
        if artists:  # by name: two artists with as many tracks do not swap places
            parts.append(language.join(sorted((a.value for a in artists), key=str.casefold)))
        if self.years:
            parts.append(years_text(self.years, language))
        return parts


def name_parts(
    values: dict[str, list[set[str]]],
    rows: np.ndarray,
    years: np.ndarray,
    typical: np.ndarray | None = None,
    common: frozenset[str] = frozenset(),
    remembered: NameWords | None = None,
) -> NameParts:
    """The name of the group of tracks at `rows`. `values`: `differences.value_sets` of every
    track (genres rolled up); `years`: every track's release year (NaN where unknown);
    `typical`: every track's distance to its group's centre, when known; `common`: the
    playlist's `common_genres`, which name no group; `remembered`: the group's name in the
    previous build, each part of which it keeps while its tracks bear that part out."""
    if len(rows) == 0:
        return NameParts()
    order = rows if typical is None else rows[np.argsort(typical[rows], kind="stable")]
    artists = defining_artists(values["artist"], order)
    genre = named_genre(values["genre"], rows, common)
    era = named_years(years[rows])
    if remembered is not None:
        if not remembered[0] and genre is not None and genre.share < ENTER_SHARE:
            genre = None  # none before: a genre only once it is clearly there
        genre = _kept_genre(values["genre"], rows, remembered[0], common) or genre
        artists = _kept_artists(values["artist"], rows, remembered[1], artists) or artists
        era = _kept_years(years[rows], remembered[2], era) or era
    return NameParts(
        genre=genre,
        artists=tuple(artists[:NAME_ARTISTS]),
        years=era,
        spare_artist=artists[NAME_ARTISTS] if len(artists) > NAME_ARTISTS else None,
    )


def _kept_genre(
    genres: list[set[str]], rows: np.ndarray, word: str, common: frozenset[str]
) -> Named | None:
    """The remembered genre while a third of the tracks hold it."""
    held = _held(genres, rows, word) if word and word not in common else 0.0
    return Named("genre", word, round(held * len(rows)), held) if held >= GENRE_SHARE else None


def _kept_artists(
    artists: list[set[str]], rows: np.ndarray, names: tuple[str, ...], now: list[Named]
) -> list[Named] | None:
    """The remembered artists while each still has a track here, followed by today's spare."""
    kept = []
    for name in names:
        count = sum(name in artists[row] for row in rows)
        if not count:
            return None
        kept.append(Named("artist", name, count, count / len(rows)))
    spare = [a for a in now if a.value not in names][:1]
    return (kept + spare) if kept else None


def _kept_years(years: np.ndarray, value: str, now: Named | None) -> Named | None:
    """The remembered decade while half the tracks are from it; the remembered span of
    decades while no decade holds half of them."""
    if not value or now is None:
        return None
    if "-" not in value:
        decade = Named("decade", value, 0, 0.0)
        share = _decade_share(years, decade)
        return (
            Named("decade", value, round(share * len(years)), share)
            if share >= DECADE_SHARE
            else None
        )
    return Named("span", value, now.count, now.share) if now.kind == "span" else None


def _held(sets: list[set[str]], rows: np.ndarray, value: str) -> float:
    """The share of the tracks at `rows` that hold `value`."""
    return sum(value in sets[row] for row in rows) / len(rows)


def _decade_share(years: np.ndarray, decade: Named) -> float:
    start = int(decade.value.removesuffix("s"))
    return float(((years >= start) & (years < start + 10)).sum() / len(years))


def common_genres(genres: list[set[str]]) -> frozenset[str]:
    """The genre words held by COMMON_GENRE of the tracks: the playlist's own."""
    counts = Counter(word for words in genres for word in words)
    return frozenset(word for word, count in counts.items() if count >= COMMON_GENRE * len(genres))


def named_genre(
    genres: list[set[str]], rows: np.ndarray, common: frozenset[str] = frozenset()
) -> Named | None:
    """The genre word to name the tracks at `rows` by. Of the words held by GENRE_SHARE of
    them and SPECIFIC_SHARE of their broad genre's: those under the broad genre most of the
    tracks hold, then the most specific of these (shoegaze rather than rock), then the most
    held, then the first by name. `common` words are never named."""
    counts = Counter(word for row in rows for word in genres[row] if word not in common)
    need = GENRE_SHARE * len(rows)
    chains = {
        word: chain
        for word, count in counts.items()
        if count >= need
        and count >= SPECIFIC_SHARE * counts.get((chain := rolled_up(word))[-1], count)
    }
    if not chains:
        return None
    root = min({chain[-1] for chain in chains.values()}, key=lambda r: (-counts.get(r, 0), r))
    under = [(-len(chain), -counts[w], w) for w, chain in chains.items() if chain[-1] == root]
    _, _, word = min(under)
    return Named("genre", word, counts[word], counts[word] / len(rows))


def defining_artists(artists: list[set[str]], order: np.ndarray) -> list[Named]:
    """The group's artists, those who define it first (see the module's docstring); `order`:
    the group's rows, most typical first."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for position, row in enumerate(order):
        for artist in sorted(artists[row]):
            counts[artist] += 1
            first_seen.setdefault(artist, position)
    # Ties go by name, not by distance: centres move a little with every edit.
    several = sorted(
        (a for a in counts if counts[a] >= MIN_ARTIST_TRACKS),
        key=lambda a: (-counts[a], a.casefold()),
    )
    # A group where no artist has two tracks: the artists of its most typical tracks. Else
    # only artists with two tracks or more: one track does not define a group, and which one
    # is most typical changes with every edit.
    rest = sorted(set(counts) - set(several), key=lambda a: (first_seen[a], a.casefold()))
    size = len(order)
    chosen = (several or rest)[: NAME_ARTISTS + 1]
    return [Named("artist", a, counts[a], counts[a] / size) for a in chosen]


def named_years(years: np.ndarray) -> Named | None:
    """A decade that holds DECADE_SHARE of the tracks, else the decades the middle 80% span
    ("1960s-1990s"); None when too few tracks have a year. Decades, not years: a few tracks
    more or less would move a span of years every build."""
    known = years[~np.isnan(years)].astype(int)
    if len(known) < max(1, YEARS_KNOWN * len(years)):
        return None
    decades = Counter(int(year) // 10 * 10 for year in known)
    decade, count = min(decades.items(), key=lambda item: (-item[1], item[0]))
    if count >= DECADE_SHARE * len(years):
        return Named("decade", f"{decade}s", count, count / len(years))
    low, high = (int(y) // 10 * 10 for y in np.quantile(known, SPAN_QUANTILES, method="nearest"))
    inside = int(((known >= low) & (known < high + 10)).sum())
    return Named("span", f"{low}s-{high}s", inside, inside / len(years))


def genre_text(word: str, language: Language = ENGLISH) -> str:
    """A genre word as a name shows it: a broad genre in the page's language, any other as
    Spotify writes it, capitalized."""
    broad = BROAD_GENRES.get(word)
    return language.tr(broad) if broad else display_genre(word)


def years_text(years: Named, language: Language = ENGLISH) -> str:
    """A decade ("1990s") or a span of decades ("1960s-90s"; "1990s-2010s" across
    centuries), written as the page's language writes them."""
    if years.kind == "decade":
        return language.tr("{decade}s", decade=years.value.removesuffix("s"))
    start, end = (part.removesuffix("s") for part in years.value.split("-"))
    short = end[2:] if start[:2] == end[:2] else end
    return language.tr(
        "{start}–{end}",
        start=language.tr("{decade}s", decade=start),
        end=language.tr("{decade}s", decade=short),
    )


def distinct_names(
    parts: Sequence[NameParts],
    comparisons: Sequence[Sequence[str]],
    unnamed: Sequence[str],
    language: Language = ENGLISH,
) -> list[str]:
    """Each group's name, none the same as another's (the same words in another order count
    as the same name). A group whose parts say nothing is named `unnamed` (its comparisons
    with the rest, or that it is close to the average). A name that collides takes its next
    artist, then its first comparison (`comparisons`: its traits' words), then a count."""
    names = [SEPARATOR.join(p.words(language)) or u for p, u in zip(parts, unnamed, strict=True)]
    for widen in range(2):
        repeated = _repeated(names)
        if not repeated:
            return names
        for i in repeated:
            if widen == 0 and parts[i].spare_artist:
                names[i] = SEPARATOR.join(parts[i].words(language, spare=True))
            elif widen == 1 and parts[i].words(language):
                extra = [word for word in comparisons[i] if word not in names[i]][:1]
                names[i] = SEPARATOR.join([names[i], *extra])
    keys = [_key(name) for name in names]
    seen: Counter[frozenset[str]] = Counter()
    for i, key in enumerate(keys):
        seen[key] += 1
        if keys.count(key) > 1:
            names[i] = f"{names[i]} ({seen[key]})"
    return names


_LIST_SEPARATORS = re.compile(r"\s*(?: · |[,、،])\s*")


def _key(name: str) -> frozenset[str]:
    """A name as a set of words: "A · B, C" is "C, B · A"."""
    return frozenset(word.casefold() for word in _LIST_SEPARATORS.split(name) if word)


def _repeated(names: list[str]) -> list[int]:
    keys = [_key(name) for name in names]
    counts = Counter(keys)
    return [i for i, key in enumerate(keys) if counts[key] > 1]
