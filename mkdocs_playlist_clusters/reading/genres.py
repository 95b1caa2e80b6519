"""Genres rolled up: Spotify's fine artist tags ("minimal techno", "rock progresywny") with the
broader genres they belong to (techno, electronic), from the table `genres.tsv`.

A track's genre words are its tags plus every broader genre above them, so that tracks tagged
"minimal techno" and "acid techno" share "techno" and "electronic": what groups them and what
a mix's name can say. Light to import: no pandas.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from ..language import N_

TABLE = Path(__file__).with_name("genres.tsv")
# The broad genres at the top of the table's chains, with the words a page says for them: the
# table's other phrases are genre names as Spotify writes them, shown as they are.
BROAD_GENRES: dict[str, str] = {
    "pop": N_("Pop"),
    "rock": N_("Rock"),
    "metal": N_("Metal"),
    "punk": N_("Punk"),
    "hip hop": N_("Hip hop"),
    "r&b": N_("R&B"),
    "funk and disco": N_("Funk and disco"),
    "electronic": N_("Electronic"),
    "ambient": N_("Ambient"),
    "jazz": N_("Jazz"),
    "blues": N_("Blues"),
    "folk": N_("Folk"),
    "country": N_("Country"),
    "classical": N_("Classical"),
    "latin": N_("Latin"),
    "reggae": N_("Reggae"),
    "african": N_("African"),
    "soundtrack": N_("Soundtrack"),
    "christian": N_("Christian"),
    "easy listening": N_("Easy listening"),
}
MAX_DEPTH = 8  # a chain longer than this is a loop in the table
# Words shown in capitals inside a genre's name ("uk drill" -> "UK drill").
_CAPITALS = {"uk", "us", "edm", "idm", "ebm", "r&b", "mpb", "ccm", "aor", "dfw", "atl", "nyc"}
_SPACES = re.compile(r"\s+")


@functools.cache
def broader_table() -> dict[str, str]:
    """Phrase -> its broader genre, as `genres.tsv` lists them."""
    table: dict[str, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, broader = line.split("\t")
        table[normalized(phrase)] = normalized(broader)
    return table


def normalized(tag: str) -> str:
    """A tag as the table writes it: lowercase, single spaces."""
    return _SPACES.sub(" ", tag.strip().casefold())


@functools.lru_cache(maxsize=65_536)
def rolled_up(tag: str) -> tuple[str, ...]:
    """The tag and every broader genre above it, most specific first: "minimal techno" ->
    ("minimal techno", "techno", "electronic"). A tag the table does not list rolls up through
    the longest listed phrase among its words, the last one on a tie (English genre names put
    the kind last: "indie folk" is folk). A tag with no listed word stands alone."""
    tag = normalized(tag)
    table = broader_table()
    chain = [tag]
    current = tag if tag in table else _listed_phrase(tag, table)
    if current is None:
        return (tag,)
    for _ in range(MAX_DEPTH):
        if current not in chain:
            chain.append(current)
        broader = table.get(current, current)
        if broader == current:
            break
        current = broader
    return tuple(chain)


def _listed_phrase(tag: str, table: dict[str, str]) -> str | None:
    words = tag.split(" ")
    for length in range(len(words) - 1, 0, -1):
        for start in range(len(words) - length, -1, -1):
            phrase = " ".join(words[start : start + length])
            if phrase in table:
                return phrase
    return None


def broad_genre(tag: str) -> str | None:
    """The broad genre at the top of the tag's chain, if the table knows one."""
    top = rolled_up(tag)[-1]
    return top if top in BROAD_GENRES else None


def genre_words(tags: Iterable[str]) -> set[str]:
    """Every tag of a track with every broader genre above it."""
    return {word for tag in tags for word in rolled_up(tag)}


def display_genre(word: str) -> str:
    """A genre as a name shows it: first letter capital, known abbreviations in capitals
    ("uk drill" -> "UK drill", "r&b" -> "R&B")."""
    words = [w.upper() if w in _CAPITALS else w for w in word.split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
