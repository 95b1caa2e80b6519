"""The order to play each mix in, as a DJ would: small steps in sound, tempo and mood from one
track to the next, and harmonic moves on the Camelot wheel where the export has keys.

A mix's tracks form a path whose steps cost `mix_costs`: the distance in the standardized
audio features, tempo measured in octaves (a tempo twice or half another's, often the same
beat that Spotify counted at another level, counts as only OCTAVE_JUMP away), plus a penalty
for a key change the wheel does not allow. The path starts at the mix's calmest track (lowest
energy), so that the mix builds up. The other tracks join it one at a time, each where it
adds least to the path (cheapest insertion), in an order of their own (a checksum of the
track); then 2-opt reverses short stretches (up to MAX_STRETCH tracks) wherever that
shortens the path.

Stable under edits: the order depends on the data alone (ties go to the row that comes first,
which the caller orders by what the listener sees), and since each track's turn to join is
its own, an added track changes the places of the tracks that join after it near where it
lands, and short reversals keep the rest in order (tests/test_running_order.py measures it).

Fast: every mix of a playlist is ordered together, mixes of similar size padded to one size
so that their paths grow in the same numpy calls (a loop over mixes took 0.5 s at 7,400
tracks; this takes a few hundredths).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist

from ..playlist import CONTINUOUS_FEATURES

# The Camelot wheel's number of each of Spotify's pitch classes (0 = C .. 11 = B), in major
# (mode 1, the wheel's B ring) and minor (mode 0, its A ring).
CAMELOT_MAJOR = (8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1)
CAMELOT_MINOR = (5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10)
# The cost of a key change the wheel does not allow, as a share of the mix's typical step to
# a track's nearest: twice as many steps harmonic as a shuffle's, for a few hundredths more
# of the steps in sound (benchmarks/quality.py; 0.2 leaves some playlists near a third
# harmonic, 0.4 costs twice as much in sound).
HARMONIC_PENALTY = 0.25
# A tempo twice or half another's is this many octaves from it, as a step, rather than one:
# the same beat read at another level, still a change a listener hears. Less would make steps
# between tempos that are not half or double each other look small too (such a pair is
# always within half an octave of a double); more would no longer tell a double apart.
OCTAVE_JUMP = 0.5
MAX_ROUNDS = 10  # rounds of 2-opt, each of up to MOVES_PER_ROUND reversals per mix (mixes
MOVES_PER_ROUND = 8  # of 150 tracks settle within 9 rounds)
# The longest stretch 2-opt reverses: longer ones shorten a path a little more (a hundredth of
# a step) but turn much of it round, so that an edit would reorder tracks far from it.
MAX_STRETCH = 12
# A reversal must shorten a path by more than this (in standard deviations) to be made:
# costs are single precision (half the memory to gather from), whose rounding must not make
# a stretch turn back and forth.
IMPROVEMENT = 1e-4
PADDING = 64  # mixes are padded to a multiple of this many tracks to be ordered together
BATCH_CELLS = 2_000_000  # steps whose cost is held at once, per batch of mixes (16 MB)


@dataclass(frozen=True)
class Playable:
    """What the running order looks at, one row per track."""

    points: np.ndarray  # (tracks, features): `step_space` without tempo
    octaves: np.ndarray | None  # log2 of the tempo; None: the playlist is not grouped on it
    octave_unit: float  # an octave of tempo in the points' unit (standard deviations)
    keys: np.ndarray  # `key_codes`
    calm: np.ndarray  # lower is calmer (energy), NaN where unknown
    turn: np.ndarray  # when the track joins its mix's path (lowest first): of it alone


def step_space(values: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The coordinates a step between two tracks is measured in: the audio features a
    playlist was grouped on, each standardized over the playlist (`values`: its grouping
    matrix, whose audio block may be scaled as a whole beside release year); the grouping
    matrix itself for a playlist grouped on metadata."""
    audio = [i for i, name in enumerate(names) if name in CONTINUOUS_FEATURES]
    if not audio:
        return values
    chosen = values[:, audio]
    spread = chosen.std(axis=0)
    return chosen / np.where(spread > 0, spread, 1.0)


def steps(points: np.ndarray) -> np.ndarray:
    """The distance from each track to the next (rows in play order): what a listener hears
    change, and what the running order keeps small."""
    return np.sqrt(np.square(np.diff(points, axis=0)).sum(axis=1))


def camelot(keys: np.ndarray, modes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each track's Camelot number (1..12, 0 where the key or mode is unknown or not a pitch
    class) and letter (True: B, major)."""
    keys = np.asarray(keys, dtype=float)
    modes = np.asarray(modes, dtype=float)
    known = np.isin(keys, np.arange(12)) & np.isin(modes, (0.0, 1.0))
    pitch = np.where(known, keys, 0).astype(int)
    major = modes == 1
    wheel = np.where(major, np.take(CAMELOT_MAJOR, pitch), np.take(CAMELOT_MINOR, pitch))
    return np.where(known, wheel, 0), major & known


def harmonic(
    wheel_a: np.ndarray, major_a: np.ndarray, wheel_b: np.ndarray, major_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(both keys known, the move compatible) for each pair a -> b: the same number (the same
    key or its relative), or one number round the wheel in the same letter."""
    known = (wheel_a > 0) & (wheel_b > 0)
    apart = (wheel_a - wheel_b) % 12
    compatible = (apart == 0) | ((major_a == major_b) & ((apart == 1) | (apart == 11)))
    return known, known & compatible


def harmonic_steps(keys: np.ndarray, modes: np.ndarray) -> tuple[int, int]:
    """(steps between two tracks with known keys, those of them the wheel allows), the
    tracks in play order."""
    wheel, major = camelot(keys, modes)
    known, compatible = harmonic(wheel[:-1], major[:-1], wheel[1:], major[1:])
    return int(known.sum()), int(compatible.sum())


def key_codes(keys: np.ndarray, modes: np.ndarray) -> np.ndarray:
    """A track's place on the wheel as one number: 0 unknown, 1..12 the A ring, 13..24 the
    B ring (index into CLASHES)."""
    wheel, major = camelot(keys, modes)
    return np.where(wheel > 0, wheel + 12 * major, 0)


def _clashes() -> np.ndarray:
    codes = np.arange(25)
    wheel, major = np.where(codes > 0, (codes - 1) % 12 + 1, 0), codes > 12
    known, compatible = harmonic(wheel[:, None], major[:, None], wheel[None, :], major[None, :])
    return known & ~compatible


# The key changes the wheel does not allow, by the two tracks' `key_codes`.
CLASHES = _clashes()


def playable(
    values: np.ndarray,
    names: Sequence[str],
    tempo: np.ndarray,
    keys: np.ndarray,
    modes: np.ndarray,
    energy: np.ndarray,
    identities: Sequence[str],
) -> Playable:
    """The running order's view of a playlist's grouped tracks: their grouping matrix
    (`values`, `names`), their tempo (BPM), key, mode and energy columns, and what tells
    each track apart (its turn to join a path is a checksum of it: the same on every machine,
    unrelated to the track's place in the file or its features)."""
    points = step_space(values, names)
    octaves, unit = None, 1.0
    audio = [name for name in names if name in CONTINUOUS_FEATURES]
    if "tempo" in audio:
        points = np.delete(points, audio.index("tempo"), axis=1)
        bpm = np.asarray(tempo, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            octaves = np.where(bpm > 0, np.log2(bpm), np.nan)
        # A tempo of 0 (a row of zeros for features) counts as the playlist's middle one.
        known = octaves[np.isfinite(octaves)]
        octaves = np.where(np.isfinite(octaves), octaves, np.median(known) if len(known) else 0)
        spread = float(octaves.std())
        unit = 1 / spread if spread > 0 else 1.0
    # "surrogatepass": a JSON export can hold a lone surrogate ("\ud800"), which is text too.
    turn = np.array(
        [zlib.crc32(text.encode("utf-8", "surrogatepass")) for text in identities], dtype=np.int64
    )
    return Playable(points, octaves, unit, key_codes(keys, modes), np.asarray(energy, float), turn)


def running_order(tracks: Playable, groups: np.ndarray) -> np.ndarray:
    """The rows of every group (a mix: `groups` holds each row's) in the order to play them,
    groups in ascending order, each a run: positions into `tracks`' rows."""
    by_group = np.argsort(groups, kind="stable")
    members = np.split(by_group, np.flatnonzero(np.diff(groups[by_group])) + 1)
    members = [rows for rows in members if len(rows)]
    ordered: list[np.ndarray] = [np.empty(0, dtype=int)] * len(members)
    sizes = np.array([len(rows) for rows in members], dtype=int)
    # One padded size per bucket, always two rows beyond the largest mix: the path's free
    # end, and a row that mixes with nothing to do at a step move about (`insertion_paths`).
    padded = ((sizes + 2 + PADDING - 1) // PADDING) * PADDING
    for size in np.unique(padded).tolist():
        alike = np.flatnonzero(padded == size)
        per_batch = max(1, BATCH_CELLS // size**2)
        for start in range(0, len(alike), per_batch):
            chosen = alike[start : start + per_batch]
            batch = [members[i] for i in chosen]
            for i, path in zip(chosen, ordered_batch(tracks, batch, size), strict=True):
                ordered[i] = path
    return np.concatenate(ordered) if ordered else np.empty(0, dtype=int)


def ordered_batch(tracks: Playable, batch: list[np.ndarray], size: int) -> list[np.ndarray]:
    """The play order of each mix of `batch` (its rows), all padded to `size` rows."""
    costs = path_costs(tracks, batch, size)
    lengths = np.array([len(rows) for rows in batch])
    turns = padded_turns(tracks, batch, size)
    paths = insertion_paths(costs, lengths, starts(tracks, batch, costs), turns)
    paths = two_opt(costs, paths, lengths)
    return [rows[path[: len(rows)]] for rows, path in zip(batch, paths, strict=True)]


def path_costs(tracks: Playable, batch: list[np.ndarray], size: int) -> np.ndarray:
    """The cost of each step a -> b in each mix of `batch`, padded with rows that cost
    nothing to reach (the first after a mix's tracks is its path's free end)."""
    costs = np.zeros((len(batch), size, size), dtype=np.float32)
    for i, rows in enumerate(batch):
        costs[i, : len(rows), : len(rows)] = mix_costs(tracks, rows)
    return costs


def mix_costs(tracks: Playable, rows: np.ndarray) -> np.ndarray:
    """The cost of each step a -> b between the tracks at `rows`: the distance in their
    features and tempo (in octaves; half or double a tempo OCTAVE_JUMP away), plus a penalty
    for a key change the wheel does not allow."""
    points = tracks.points[rows]
    squared = cdist(points, points, "sqeuclidean")
    if tracks.octaves is not None:
        octaves = tracks.octaves[rows]
        apart = np.abs(octaves[:, None] - octaves[None, :])
        # Half or double a tempo is nearly the same beat, read at another level.
        apart = np.minimum(apart, np.abs(apart - 1) + OCTAVE_JUMP)
        squared += np.square(apart * tracks.octave_unit)
    distances = np.sqrt(squared)
    # The penalty in the mix's own scale: a share of its typical step to a nearest track.
    np.fill_diagonal(squared, np.inf)
    typical = float(np.median(np.sqrt(squared.min(axis=1)))) if len(rows) > 1 else 0.0
    keys = tracks.keys[rows]
    return distances + (HARMONIC_PENALTY * typical) * CLASHES[keys[:, None], keys[None, :]]


def padded_turns(tracks: Playable, batch: list[np.ndarray], size: int) -> np.ndarray:
    """Each mix's rows in the order they are added to its path, padded."""
    turns = np.zeros((len(batch), size), dtype=int)
    for i, rows in enumerate(batch):
        turns[i, : len(rows)] = np.argsort(tracks.turn[rows], kind="stable")
    return turns


def starts(tracks: Playable, batch: list[np.ndarray], costs: np.ndarray) -> np.ndarray:
    """Each mix's first track: its calmest (lowest energy; the first such row on a tie), or,
    without energy, the track farthest from the others (an end of the mix)."""
    first = np.empty(len(batch), dtype=int)
    for i, rows in enumerate(batch):
        calm = tracks.calm[rows]
        if np.isfinite(calm).any():
            first[i] = int(np.nanargmin(calm))
        else:
            first[i] = int(np.argmax(costs[i, : len(rows), : len(rows)].sum(axis=1)))
    return first


def insertion_paths(
    costs: np.ndarray, lengths: np.ndarray, first: np.ndarray, turns: np.ndarray
) -> np.ndarray:
    """Each mix's path (row numbers, padding rows last) from its first track, the others
    added in their `turns` (rows, padded) each where it adds least to the path's cost (the
    first such place on a tie). The order of turns is the tracks' own, not the path's: a track
    added to the playlist changes the places of only those it comes before and near."""
    count, size = costs.shape[:2]
    mixes = np.arange(count)
    by_mix = mixes[:, None]
    # A linked list through each mix's path, closed by its first padding row (the free end,
    # after which nothing is ever put, so the first track stays first). A mix with no track
    # to add at a turn adds its second padding row after itself, which changes nothing.
    end, idle = lengths, lengths + 1
    after = np.tile(np.arange(size), (count, 1))
    after[mixes, end], after[mixes, first] = first, end
    placed = np.zeros((count, size), dtype=bool)
    placed[mixes, first] = True
    edge = np.zeros((count, size), dtype=costs.dtype)  # from each placed row to the next
    going = (np.arange(size)[None, :] < lengths[:, None]) & (turns != first[:, None])
    adding = np.where(going, turns, idle[:, None])
    for turn in range(int(lengths.max())):
        track, moving = adding[:, turn], going[:, turn]
        # Costs are symmetric: the track's row holds the steps to and from it.
        row = costs[mixes, track]
        added = np.where(placed, row + row[by_mix, after] - edge, np.inf)
        place = np.where(moving, np.argmin(added, axis=1), idle)
        following = after[mixes, place]
        after[mixes, track] = following
        after[mixes, place] = track
        edge[mixes, place], edge[mixes, track] = row[mixes, place], row[mixes, following]
        placed[mixes, track] |= moving
    paths = np.tile(np.arange(size), (count, 1))  # each padding row stays at its own place
    current = first
    for position in range(int(lengths.max())):
        going_on = position < lengths
        paths[going_on, position] = current[going_on]
        current = np.where(going_on, after[mixes, current], current)
    return paths


def two_opt(costs: np.ndarray, paths: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The paths shortened by 2-opt: each round, every mix still improving makes up to
    MOVES_PER_ROUND reversals of stretches of at most MAX_STRETCH tracks that shorten its
    path, best first (one per position it starts after), none touching a stretch another of
    them changes, until none helps or MAX_ROUNDS. The first track stays first; the row after
    the last track (padding) is the path's free end, which costs nothing to join."""
    active = np.arange(len(paths))
    paths = paths.copy()
    for _ in range(MAX_ROUNDS):
        gains, firsts, finals = reversals(costs, active, paths[active], lengths[active] - 1)
        moved = np.zeros(len(active), dtype=bool)
        changed = paths[active]
        for _ in range(MOVES_PER_ROUND):
            pick = np.argmin(gains, axis=1)
            rows = np.arange(len(active))
            better = gains[rows, pick] < -IMPROVEMENT
            if not better.any():
                break
            moved |= better
            first = np.where(better, firsts[rows, pick], 0)
            final = np.where(better, finals[rows, pick], -1)
            changed = reversed_stretches(changed, first, final)
            # A reversal whose stretch or the edges at its ends touch this one's is no
            # longer measured right: only those clear of it remain (the gains of the others
            # hold, since a reversal keeps the edges inside its stretch).
            clear = (firsts > final[:, None] + 1) | (finals < first[:, None] - 1)
            gains = np.where(clear | ~better[:, None], gains, np.inf)
        paths[active] = changed
        active = active[moved]
        if not len(active):
            break
    return paths


def reversed_stretches(paths: np.ndarray, first: np.ndarray, final: np.ndarray) -> np.ndarray:
    """Each mix's path with positions first..final reversed (none where final < first)."""
    index = np.arange(paths.shape[1])[None, :]
    inside = (index >= first[:, None]) & (index <= final[:, None])
    return np.take_along_axis(paths, np.where(inside, (first + final)[:, None] - index, index), 1)


def reversals(
    costs: np.ndarray, mixes: np.ndarray, paths: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each position i of the `paths` of `mixes`, the best reversal of a stretch that
    starts after it (positions i+1..i+d, d from 2 to MAX_STRETCH): (the change in the path's
    cost, inf where none is possible; the stretch's first position; its last), each (mix,
    position). The track at i then joins the stretch's last, and its first the track after."""
    count, size = paths.shape
    # The cost from each position to the next MAX_STRETCH + 1, in one gather; beyond the
    # path, the padding row after its last track (no cost).
    ahead = np.arange(MAX_STRETCH + 2)
    later = np.minimum(np.arange(size)[:, None] + ahead[None, :], size - 1)
    band = costs[mixes[:, None, None], paths[:, :, None], paths[:, later]]
    edge = band[:, :, 1]  # position i -> i + 1
    reach = ahead[2:-1]  # d: the stretch i+1..i+d
    final = np.arange(size)[:, None] + reach[None, :]
    gains = (
        band[:, :, 2:-1]
        + np.concatenate([band[:, 1:, 2:-1], np.zeros((count, 1, len(reach)))], axis=1)
        - edge[:, :, None]
        - edge[:, np.minimum(final, size - 1)]
    )
    gains = np.where(final[None, :, :] <= last[:, None, None], gains, np.inf)
    best = np.argmin(gains, axis=2)
    first = np.broadcast_to(np.arange(size)[None, :] + 1, best.shape)
    return np.take_along_axis(gains, best[:, :, None], axis=2)[:, :, 0], first, first + 1 + best
