"""A playlist's two levels of groups: a few *families* (broad regions of the map, see
`families`) and, inside each family, *mixes* of about `mix_size` tracks, small enough to
play in one go.

How many mixes: a family of n tracks gets round(n / mix_size) of them, at least one. A mix that
ends up under a fifth of that size is merged into its nearest sibling.

Stability comes from the process, not from a statistic: on a continuum of tracks no number of
groups is "real", and clustering from scratch after an edit can redraw every border. So when
the previous build's groups are known (a version of the playlist, see `versions`), k-means
starts from the previous groups' centres (the mean of their tracks, in today's coordinates):
adding or removing a few tracks moves only tracks near a border, and every group keeps its
number. A family that grows or shrinks past half or double its mix count's range gains or
loses mixes; the others keep theirs. A version of these very tracks and options (an undo) is
kept as it is: k-means from its centres need not stop where it did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics.pairwise import euclidean_distances

from ..playlist import DEFAULT_MIX_SIZE
from .families import (
    RANDOM_STATE,
    Clustering,
    cluster_tracks,
    clustering_space,
    group_means,
    restarts,
    start_centres,
)
from .numbering import matched_numbers

# A mix under this share of the target size is merged into its nearest sibling: a handful of
# tracks is not a mix.
MIN_MIX_SHARE = 0.2
# A family keeps its previous mixes while their count stays within this factor of the count
# its size asks for; beyond, mixes are added (split off the largest) or the smallest merged.
KEEP_COUNT_FACTOR = 1.5
# At most this many mixes in a family: beyond, mixes grow past the target size instead (a
# 100,000-track library gets mixes of about 220), so a build stays within seconds and the
# page within a megabyte.
MAX_MIXES = 150
MIX_RESTART_BUDGET = 10_000  # tracks x restarts for one family's mixes
MIX_MAX_ITER = 100  # Lloyd iterations: later builds start from converged centres anyway
# Above this many tracks in a family, mixes come from mini-batch k-means: full k-means of
# 33,000 tracks into 150 mixes takes 12 s, mini-batch 0.6 s, for mixes a listener cannot tell
# apart.
MINI_BATCH_ABOVE = 20_000


@dataclass(frozen=True)
class Previous:
    """The previous build's groups of today's tracks: 1-based numbers, 0 where a track is new.
    `same`: they group these very tracks with today's options (a version that comes back, see
    `versions`), and are kept as they are when they fit."""

    families: np.ndarray
    mixes: np.ndarray
    same: bool = False

    @property
    def known(self) -> bool:
        return bool((self.families > 0).any())

    @property
    def family_count(self) -> int:
        return len(np.unique(self.families[self.families > 0]))


@dataclass(frozen=True)
class Grouping:
    """Families (a `Clustering`, numbered 1.. in label order) and their mixes."""

    families: Clustering
    mixes: np.ndarray  # per track, its mix's index into `mix_numbers` / `mix_family`
    mix_family: np.ndarray  # per mix, its family's 0-based label
    mix_numbers: np.ndarray  # per mix, the number shown (1-based; kept across builds)
    mix_distances: np.ndarray  # per track, the distance to its mix's centre
    mix_edge: np.ndarray  # per track, the sibling mix whose centre is nearest after its own
    mix_margin: np.ndarray  # per track, (b - a) / b: 0 on the border with that sibling
    mix_size: int  # the target size the mixes were made for
    warm: bool  # started from the previous build's groups

    @property
    def mix_count(self) -> int:
        return len(self.mix_numbers)

    def family_mixes(self, family: int) -> list[int]:
        """The mixes of a family (0-based label), by number."""
        inside = np.flatnonzero(self.mix_family == family)
        return sorted(inside.tolist(), key=lambda m: int(self.mix_numbers[m]))


def mix_count(tracks: int, mix_size: int) -> int:
    """How many mixes a family of this many tracks gets."""
    return max(1, round(tracks / mix_size))


def group_tracks(
    values: np.ndarray,
    clusters: int | None = None,
    mix_size: int = DEFAULT_MIX_SIZE,
    previous: Previous | None = None,
) -> Grouping:
    """Families, then mixes inside each, of standardized feature rows. With `previous`, both
    levels start from the previous build's groups (see the module's docstring); a previous
    state that does not `fit` is left aside (`Grouping.warm` is then False)."""
    if previous is not None and not previous.known:
        previous = None
    family_start = None
    # `clusters:` changed: the families are made again (their numbers still follow).
    if previous is not None and clusters in (None, previous.family_count):
        if not fits(previous, values):
            previous = None
        elif kept_as_it_is(previous):
            return _kept_grouping(values, previous, mix_size)
        else:
            family_start = previous.families - 1
    families = cluster_tracks(values, clusters, start=family_start)
    if previous is not None and family_start is None:
        families = _follow_numbers(families, previous.families)
    order, inverse, space = _sorted_space(values)
    labels = families.labels[order]
    start = previous.mixes[order] if previous is not None else None
    mixes = np.full(len(values), -1)
    mix_family: list[int] = []
    previous_numbers: list[int] = []  # per mix, the number it continues (0: a new mix)
    homes = _homes(labels, start) if start is not None else {}
    centres: list[np.ndarray] = []
    for family in range(families.count):  # in the one thread of `building.pipeline.one_thread`
        rows = np.flatnonzero(labels == family)
        continued = sorted(number for number, home in homes.items() if home == family)
        local, local_centres, numbers = _split_family(
            space[rows], mix_count(len(rows), mix_size), mix_size, start, rows, continued
        )
        mixes[rows] = local + len(mix_family)
        mix_family += [family] * len(local_centres)
        previous_numbers += numbers
        centres += list(local_centres)
    mixed = _Mixes(mixes, mix_family, _mix_numbers(previous_numbers).tolist(), centres)
    return _grouping(families, space, inverse, mixed, mix_size, previous is not None)


@dataclass(frozen=True)
class _Mixes:
    """The mixes of a grouping in the sorted rows' order (see `_sorted_space`)."""

    rows: np.ndarray  # per row, its mix's index
    family: list[int]  # per mix, its family's 0-based label
    numbers: list[int]  # per mix, its number
    centres: list[np.ndarray]  # per mix, the mean of its rows


def _sorted_space(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(order, its inverse, the clustering space of the rows in that order): rows sorted as
    `cluster_tracks` sorts them, so that the file's order never matters."""
    order = np.lexsort(values.T[::-1])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return order, inverse, clustering_space(values[order])


def _grouping(
    families: Clustering,
    space: np.ndarray,
    inverse: np.ndarray,
    mixes: _Mixes,
    mix_size: int,
    warm: bool,
) -> Grouping:
    family = np.array(mixes.family, dtype=int)
    distances, edge, margin = _edges(space, mixes.rows, np.array(mixes.centres), family)
    return Grouping(
        families,
        mixes.rows[inverse],
        family,
        np.array(mixes.numbers, dtype=int),
        distances[inverse],
        edge[inverse],
        margin[inverse],
        mix_size,
        warm,
    )


def fits(previous: Previous, values: np.ndarray) -> bool:
    """Whether the previous families can start today's: at least 2 tracks with distinct
    features a family, as `clusters:` asks (a playlist cut to one track a family would leave
    nothing for k-means and silhouettes to work with)."""
    return previous.family_count * 2 <= len(np.unique(values, axis=0))


def kept_as_it_is(previous: Previous) -> bool:
    """Whether `previous` is a whole grouping of today's tracks to keep as it is: every track
    in a family numbered 1..k (k >= 2) and a mix, each mix in one family."""
    if not previous.same or not (previous.mixes > 0).all():
        return False
    count = previous.family_count
    if count < 2 or previous.families.min() != 1 or previous.families.max() != count:
        return False
    pairs = np.unique(np.stack([previous.mixes, previous.families]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1]


def _kept_grouping(values: np.ndarray, previous: Previous, mix_size: int) -> Grouping:
    """The grouping `previous` gives today's tracks as it is (see `kept_as_it_is`), with
    the centres, distances and edges `group_tracks` gives the same groups."""
    families = cluster_tracks(values, start=previous.families - 1, keep=True)
    order, inverse, space = _sorted_space(values)
    labels, numbers = families.labels[order], previous.mixes[order]
    mixes = _Mixes(np.full(len(values), -1), [], [], [])
    for family in range(families.count):
        rows = np.flatnonzero(labels == family)
        own = sorted(set(numbers[rows].tolist()))
        local = np.searchsorted(own, numbers[rows])
        mixes.rows[rows] = local + len(mixes.family)
        mixes.family.extend([family] * len(own))
        mixes.numbers.extend(own)
        zeros = np.zeros((len(own), space.shape[1]))
        mixes.centres.extend(group_means(space[rows], local, zeros))
    return _grouping(families, space, inverse, mixes, mix_size, True)


def _follow_numbers(families: Clustering, previous: np.ndarray) -> Clustering:
    """Families made from scratch, numbered after the previous families they share most
    tracks with (see `numbering`)."""
    keys = [str(i) for i in range(len(previous))]
    known = {key: int(number) for key, number in zip(keys, previous, strict=True) if number > 0}
    numbers = matched_numbers(families.labels, keys, known, families.count)
    return families.renumbered(numbers)


def _homes(labels: np.ndarray, start: np.ndarray) -> dict[int, int]:
    """Each previous mix number -> the family most of its remaining tracks are in now."""
    homes: dict[int, int] = {}
    for number in np.unique(start[start > 0]):
        counts = np.bincount(labels[start == number])
        homes[int(number)] = int(np.argmax(counts))  # ties: the lower family
    return homes


def _split_family(
    space: np.ndarray,
    wanted: int,
    mix_size: int,
    start: np.ndarray | None,
    rows: np.ndarray,
    continued: list[int],
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """One family's mixes: (label per row, centres, previous number per mix or 0)."""
    wanted = min(wanted, MAX_MIXES, len(np.unique(space, axis=0)))
    initial, numbers = None, [0] * wanted
    if start is not None and continued:
        own = np.where(np.isin(start[rows], continued), start[rows], -1)
        by_number = start_centres(space, own)
        if by_number is not None:
            present = sorted(set(own[own > 0].tolist()))
            sizes = [int((own == n).sum()) for n in present]
            numbers = _kept(present, sizes, wanted)
            initial = by_number[[present.index(n) for n in numbers]]
            if len(initial) * KEEP_COUNT_FACTOR < wanted:
                extra = _farthest_points(space, initial, wanted - len(initial))
                initial = np.vstack([initial, extra])
                numbers += [0] * len(extra)
    if len(numbers) <= 1:
        single = np.zeros(len(space), dtype=int)
        return single, group_means(space, single, space[:1]), numbers[:1]
    model = _mix_model(len(space), wanted if initial is None else initial)
    labels = model.fit_predict(space)
    labels, centres, numbers = _merge_small(
        space, labels, model.cluster_centers_, numbers, mix_size
    )
    if initial is None:  # a new family's mixes: largest first
        order = sorted(
            range(len(centres)), key=lambda m: (-int((labels == m).sum()), tuple(centres[m]))
        )
        renumber = np.empty(len(order), dtype=int)
        renumber[order] = np.arange(len(order))
        labels, centres = renumber[labels], centres[order]
    return labels, group_means(space, labels, centres), numbers


def _mix_model(tracks: int, start: int | np.ndarray) -> KMeans | MiniBatchKMeans:
    """k-means for `start` mixes (a count, or the centres to start from) of a family."""
    count = start if isinstance(start, int) else len(start)
    init: str | np.ndarray = "k-means++" if isinstance(start, int) else start
    restarts = mix_restarts(tracks) if isinstance(start, int) else 1
    if tracks > MINI_BATCH_ABOVE:
        return MiniBatchKMeans(
            n_clusters=count,
            init=init,
            n_init=restarts,
            batch_size=4096,
            max_iter=MIX_MAX_ITER,
            random_state=RANDOM_STATE,
        )
    return KMeans(
        n_clusters=count,
        init=init,
        n_init=restarts,
        max_iter=MIX_MAX_ITER,
        random_state=RANDOM_STATE,
    )


def mix_restarts(tracks: int) -> int:
    """k-means restarts for a family's mixes: as for families on small playlists, fewer on
    large ones, where k-means++ starts well and every restart costs tracks x mixes."""
    return max(1, min(restarts(tracks), MIX_RESTART_BUDGET // max(tracks, 1)))


def _kept(present: list[int], sizes: list[int], wanted: int) -> list[int]:
    """The previous mixes a family keeps: all while their count is within KEEP_COUNT_FACTOR
    of `wanted`, else the largest ones."""
    if len(present) <= wanted * KEEP_COUNT_FACTOR:
        return present
    largest = sorted(range(len(present)), key=lambda i: (-sizes[i], present[i]))[:wanted]
    return sorted(present[i] for i in largest)


def _farthest_points(space: np.ndarray, centres: np.ndarray, count: int) -> np.ndarray:
    """`count` new centres, each the row farthest from every centre so far: where a grown
    family's new mixes belong (deterministic, unlike k-means++)."""
    chosen = list(centres)
    nearest = np.min(euclidean_distances(space, centres), axis=1)
    for _ in range(count):
        row = int(np.argmax(nearest))
        chosen.append(space[row])
        nearest = np.minimum(nearest, np.linalg.norm(space - space[row], axis=1))
    return np.array(chosen[len(centres) :])


def _merge_small(
    space: np.ndarray,
    labels: np.ndarray,
    centres: np.ndarray,
    numbers: list[int],
    mix_size: int,
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Mixes under MIN_MIX_SHARE of the target size merged into their nearest siblings (each
    track to the nearest remaining centre), smallest first."""
    smallest = max(2, int(mix_size * MIN_MIX_SHARE))
    labels, centres, numbers = labels.copy(), centres.copy(), list(numbers)
    while len(centres) > 1:
        sizes = np.bincount(labels, minlength=len(centres))
        small = int(np.argmin(sizes))
        if sizes[small] >= smallest:
            break
        keep = np.arange(len(centres)) != small
        centres, numbers = centres[keep], [n for n, k in zip(numbers, keep, strict=True) if k]
        distances = euclidean_distances(space, centres)
        labels = distances.argmin(axis=1)
        centres = np.array(
            [
                space[labels == m].mean(axis=0) if (labels == m).any() else centres[m]
                for m in range(len(centres))
            ]
        )
    return labels, centres, numbers


def _mix_numbers(previous: list[int]) -> np.ndarray:
    """The number each mix shows: its previous number where it continues one, else the next
    free number, in mix order (family by family)."""
    taken = {n for n in previous if n > 0}
    following = max(taken, default=0)
    numbers = []
    for number in previous:
        if number == 0:
            following += 1
            number = following
        numbers.append(number)
    return np.array(numbers, dtype=int)


def _edges(
    space: np.ndarray, mixes: np.ndarray, centres: np.ndarray, mix_family: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per track: the distance to its mix's centre, the other mix whose centre is nearest
    after it (a sibling in the same family; any other mix when the family is one mix; itself
    when the playlist is), and how far it is from that border: (b - a) / b, 0 on it."""
    own = np.linalg.norm(space - centres[mixes], axis=1)
    edge = mixes.copy()
    margin = np.ones(len(space))
    everything = np.arange(len(centres))
    for family in np.unique(mix_family):
        siblings = np.flatnonzero(mix_family == family)
        rows = np.flatnonzero(np.isin(mixes, siblings))
        others = siblings if len(siblings) > 1 else everything
        if len(others) < 2:
            continue
        distances = euclidean_distances(space[rows], centres[others])
        distances[np.arange(len(rows)), np.searchsorted(others, mixes[rows])] = np.inf
        nearest = distances.argmin(axis=1)
        edge[rows] = others[nearest]
        other = distances[np.arange(len(rows)), nearest]
        margin[rows] = (other - own[rows]) / np.maximum(other, 1e-12)
    return own, edge, margin
