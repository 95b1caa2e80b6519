"""A playlist's versions: each recent grouping of its tracks into families and mixes, kept so
that numbers stay put and an undo gives the groups back.

A `Version` is one build's groups: each track's family and mix number, the options they were
made with (`PlaylistOptions.settings`) and what the page said of how they were made (`Made`).
A `History` holds a playlist's few most recent distinct versions, newest first. A build starts
from the version that best matches its tracks (`History.best`): usually the last build's, but
after a cut playlist is restored, a git branch switched back or an option tried and reverted,
the version of those very tracks and options, which is then kept as it is (see `mixes`),
page and all.

Every number read from a file that anyone may edit is checked here: a value out of range or
of the wrong type makes the version unreadable (None), never an error later.

Light to import: plain Python, no NumPy.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from json.encoder import encode_basestring
from typing import Any

from ..playlist import MAX_CLUSTERS, settings_text

# Versions kept per playlist: an undo reaches this many distinct versions back, within as many
# differing tracks as the newest version has, and at least this many (see `History.after`).
VERSIONS = 8
HISTORY_TRACKS = 20_000
# Mix numbers are handed out above the highest in use (see `mixes._mix_numbers`), so they
# creep up over years of edits; a million builds' worth stays under this. Anything above is a
# damaged or forged file: "Mix 1099511627776" would reach the page and the download names.
MAX_MIX = 10_000
MAX_COUNT = 10_000_000  # tracks moved, kept, added or removed (playlists hold up to 200,000)

Numbers = tuple[int, int]  # (family, mix), 1-based
NameWords = tuple[str, tuple[str, ...], str]  # as `naming.NameWords`
MAX_NAME_TEXT = 300  # characters of a genre, an artist or a span in a remembered name
_NAME_KEY = re.compile(r"[fm][0-9]{1,5}")
_SMALL_NUMBER = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class Made:
    """What a version's page says of how its groups were made: whether k-means started from
    an earlier version, the silhouette of each number of families tried, and the tracks moved,
    kept, added and removed since the version it continued (see `numbering.Changes`)."""

    warm: bool
    scores: tuple[tuple[int, float], ...] = ()
    changes: tuple[int, int, int, int] | None = None
    # Each group's name ("f2", "m17" -> genre word, artists, decade or span; see
    # `naming.NameWords`): what the next build's names keep while their tracks bear them out.
    names: tuple[tuple[str, NameWords], ...] = ()

    @property
    def text(self) -> str:
        """As JSON, on one line (see `read_made`)."""
        body: dict[str, Any] = {
            "changes": list(self.changes) if self.changes is not None else None,
            "scores": {str(k): score for k, score in self.scores},
            "warm": self.warm,
        }
        if self.names:
            body["names"] = {key: [g, list(a), y] for key, (g, a, y) in self.names}
        return json.dumps(body, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Version:
    """One grouping of a playlist's tracks: track identity -> (family, mix)."""

    tracks: Mapping[str, Numbers]
    settings: str = ""  # the grouping options, as JSON (`PlaylistOptions.settings`); "": unknown
    made: Made | None = None  # None: not known (a state file of the first format)

    @cached_property
    def data(self) -> bytes:
        """The version as stored with a cached result: sorted keys, so that equal versions
        are equal bytes."""
        made = self.made.text if self.made else "null"
        settings, tracks = encode_basestring(self.settings), tracks_json(self.tracks)
        return f'{{"made": {made}, "settings": {settings}, "tracks": {tracks}}}'.encode()

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def same_tracks(self, other: Version) -> bool:
        """Whether both group the same tracks with the same options."""
        return self.settings == other.settings and self.tracks.keys() == other.tracks.keys()


@dataclass(frozen=True)
class History:
    """A playlist's recent distinct versions, newest first."""

    versions: tuple[Version, ...] = ()

    def best(self, keys: Collection[str], settings: str) -> Version | None:
        """The version to start today's tracks `keys` from: the one sharing the largest part
        of its tracks with them (Jaccard: shared / either), then one made with today's
        options, then the most recent."""
        today = keys if isinstance(keys, set | frozenset) else set(keys)
        best, best_rank = None, (-1, 1, False)
        for version in self.versions:
            shared = len(today & version.tracks.keys())
            either = len(today) + len(version.tracks) - shared
            rank = (shared, max(either, 1), version.settings == settings)
            if _better(rank, best_rank):
                best, best_rank = version, rank
        return best

    def after(self, version: Version) -> History:
        """This history once `version` is the newest: a version of the same tracks and
        options gives way to it, and the oldest go beyond VERSIONS, or once the earlier
        versions differ from `version` in more tracks in all than it has (at least
        HISTORY_TRACKS; see `differences`): a library of 100,000 tracks keeps an option tried
        that renumbered every track, or many small edits, and its state file stays at most
        about twice the newest version, quick to read at every build."""
        kept, budget = [version], max(len(version.tracks), HISTORY_TRACKS)
        for other in self.versions:
            if len(kept) == VERSIONS:
                break
            if other.same_tracks(version):
                continue
            budget -= len(differences(version, other))
            if budget < 0:
                break
            kept.append(other)
        return History(tuple(kept))


def differences(newest: Version, other: Version) -> dict[str, Numbers | None]:
    """The tracks `other` numbers otherwise than `newest`, and those of `newest` it lacks
    (None): how the state file keeps `other` (see `state`)."""
    differ: dict[str, Numbers | None] = {
        key: numbers for key, numbers in other.tracks.items() if newest.tracks.get(key) != numbers
    }
    return differ | dict.fromkeys(newest.tracks.keys() - other.tracks.keys())


def _better(rank: tuple[int, int, bool], than: tuple[int, int, bool]) -> bool:
    """Whether a larger share of tracks (compared as exact fractions), or an equal share with
    today's options where `than` lacks them. Ties keep the earlier, more recent version."""
    shared, either, same = rank
    best_shared, best_either, best_same = than
    left, right = shared * best_either, best_shared * either
    return left > right or (left == right and same and not best_same)


def tracks_json(tracks: Mapping[str, Numbers | None]) -> str:
    """`{track: [family, mix]}` as JSON, one track a line in key order (None: null). JSON's
    own string encoder, without json.dumps' cost per call: 100,000 lines a version."""
    rows = [
        f"  {encode_basestring(key)}: {f'[{n[0]}, {n[1]}]' if n else 'null'}"
        for key, n in sorted(tracks.items())
    ]
    return "{\n" + ",\n".join(rows) + "\n}" if rows else "{}"


def follows(history: History, assignment: bytes, based_on: str) -> bool:
    """Whether a result is what a build after `history` gives: the version it started from
    (`based_on`, a digest) is the one `history` offers its tracks, or that is the result's
    own version (an unchanged playlist, whose groups are then kept as they are). A result
    that grouped nothing (`assignment` empty) follows only an empty history."""
    if not assignment:
        return not history.versions and not based_on
    own = hashlib.sha256(assignment).hexdigest()
    if history.versions and history.versions[0].digest == own:
        return True  # the usual case, without reading the result's version
    version = read_version(assignment)
    if version is None:
        return False
    base = history.best(version.tracks.keys(), version.settings)
    return (base.digest if base else "") in (based_on, own)


def read_version(data: bytes) -> Version | None:
    """A version stored with a cached result (`Version.data`); None when damaged."""
    try:
        body = json.loads(data)
        if not isinstance(body, dict) or not isinstance(body.get("settings"), str):
            return None
        settings = json.loads(body["settings"]) if body["settings"] else {}
        return Version(
            read_tracks(body.get("tracks")), read_settings(settings), read_made(body.get("made"))
        )
    except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
        return None


def read_settings(value: object) -> str:
    """Grouping options as a version keeps them (`PlaylistOptions.settings`), from their JSON
    object; "" for none (null, or {}). ValueError for anything but an object."""
    if value is not None and not isinstance(value, dict):
        raise ValueError("settings: not a mapping")
    return settings_text(value) if value else ""


def read_tracks(value: object) -> dict[str, Numbers]:
    """`{track: [family, mix]}`; ValueError unless every number is in range. Checked a
    column at a time: 100,000 tracks each build."""
    if not isinstance(value, dict):
        raise ValueError("tracks: not a mapping")
    pairs = list(value.values())
    if not all(type(pair) is list and len(pair) == 2 for pair in pairs):
        raise ValueError("tracks: not pairs")
    families, mixes = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    _check_whole(families, MAX_CLUSTERS)
    _check_whole(mixes, MAX_MIX)
    return dict(zip(value, zip(families, mixes, strict=True), strict=True))


def read_numbers(value: object) -> Numbers:
    """`[family, mix]`: whole numbers from 1 to MAX_CLUSTERS and MAX_MIX; else ValueError."""
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("numbers: not a pair")
    _check_whole(value[:1], MAX_CLUSTERS)
    _check_whole(value[1:], MAX_MIX)
    return value[0], value[1]


def _check_whole(numbers: list[Any], most: int) -> None:
    """ValueError unless each is a whole number from 1 to `most` (not a bool, not 1.0)."""
    if numbers and not (
        set(map(type, numbers)) == {int} and min(numbers) >= 1 and max(numbers) <= most
    ):
        raise ValueError("numbers: out of range")


def read_made(value: object) -> Made | None:
    """`Made` from its JSON (`Made.text`), None from null; else ValueError."""
    if value is None:
        return None
    fields = {"changes", "scores", "warm"}
    if not isinstance(value, dict) or not fields <= set(value) <= {*fields, "names"}:
        raise ValueError("made: not its fields")
    warm, scores, changes = value["warm"], value["scores"], value["changes"]
    if not isinstance(warm, bool) or not isinstance(scores, dict):
        raise ValueError("made: not its types")
    if changes is not None and not (
        isinstance(changes, list) and len(changes) == 4 and all(_count(c) for c in changes)
    ):
        raise ValueError("made: changes out of range")
    read_scores = []
    for k, score in scores.items():
        if not (_SMALL_NUMBER.fullmatch(k) and _score(score)):
            raise ValueError("made: scores out of range")
        _check_whole([int(k)], MAX_CLUSTERS)
        read_scores.append((int(k), float(score)))
    counts = (changes[0], changes[1], changes[2], changes[3]) if changes is not None else None
    names = read_names(value.get("names", {}))
    return Made(warm, tuple(sorted(read_scores)), counts, names)


def read_names(value: object) -> tuple[tuple[str, NameWords], ...]:
    """Remembered names (`Made.names`) from their JSON; else ValueError."""
    if not isinstance(value, dict):
        raise ValueError("made: names not a mapping")
    names = []
    for key, words in value.items():
        if not (isinstance(key, str) and _NAME_KEY.fullmatch(key)):
            raise ValueError("made: a name's key")
        if not (isinstance(words, list) and len(words) == 3 and isinstance(words[1], list)):
            raise ValueError("made: a name's parts")
        genre, artists, years = words
        texts = [genre, *artists, years]
        if len(artists) > 3 or not all(_name_text(t) for t in texts):
            raise ValueError("made: a name's text")
        names.append((key, (genre, tuple(artists), years)))
    return tuple(sorted(names))


def _name_text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_NAME_TEXT and value.isprintable()


def _count(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT


def _score(value: object) -> bool:
    """A silhouette: a finite number from -1 to 1."""
    return isinstance(value, int | float) and not isinstance(value, bool) and -1 <= value <= 1
