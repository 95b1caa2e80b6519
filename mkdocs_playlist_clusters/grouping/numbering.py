"""Group numbers that stay put: a playlist that changes a little keeps its family 2 and its
mix 17.

The previous build's groups are a version of the playlist (see `versions`): each track's
identity with its family and mix numbers, kept in the state file (see `state`) and with the
cached result. `mixes` starts k-means from those groups, so they keep their numbers; when
the families are made again from scratch (`clusters:` changed), each new family takes the
number of the previous family it shares most tracks with (an optimal one-to-one matching, scipy's
`linear_sum_assignment`), and families that match none take the numbers left over, largest
first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Changes:
    """How the groups moved since the previous build, counted in tracks."""

    moved: int  # in both builds, in another mix now
    kept: int  # in both builds, in the same mix
    added: int
    removed: int


def matched_numbers(
    labels: np.ndarray, keys: Sequence[str], previous: dict[str, int], count: int
) -> np.ndarray:
    """numbers[c]: the 0-based number cluster c (numbered by size) takes.

    `previous` numbers above `count` (the playlist has fewer clusters now) match nothing.
    """
    overlap = np.zeros((count, count), dtype=int)
    for key, label in zip(keys, labels, strict=True):
        number = previous.get(key)
        if number is not None and 1 <= number <= count:
            overlap[label, number - 1] += 1
    if not overlap.any():
        return np.arange(count)
    clusters, slots = linear_sum_assignment(overlap, maximize=True)
    numbers = np.empty(count, dtype=int)
    numbers[clusters] = slots
    # Clusters matched to a slot they share no track with are new: they take the free
    # numbers in the default order, largest (lowest cluster index) first.
    unmatched = [c for c in range(count) if overlap[c, numbers[c]] == 0]
    numbers[unmatched] = sorted(numbers[unmatched])
    return numbers


def changes(
    keys: Sequence[str], mixes: np.ndarray, previous: Mapping[str, tuple[int, int]]
) -> Changes:
    """Tracks moved, kept, added and removed between `previous` and these mix numbers."""
    now = {key: int(mix) for key, mix in zip(keys, mixes, strict=True)}
    both = now.keys() & previous.keys()
    moved = sum(now[key] != previous[key][1] for key in both)
    return Changes(moved, len(both) - moved, len(now) - len(both), len(previous) - len(both))
