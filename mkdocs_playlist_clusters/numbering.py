"""Group numbers that stay put: a playlist that changes a little keeps its family 2 and its
mix 17.

The previous build's groups are an "assignment": each track's identity with its family and mix
numbers, as JSON bytes kept in the state file (see `state`) and with the cached result.
`grouping` starts k-means from those groups, so they keep their numbers; when the families are
made again from scratch (`clusters:` changed), each new family takes the number of the previous
family it shares most tracks with (an optimal one-to-one matching, scipy's
`linear_sum_assignment`), and families that match none take the numbers left over, largest
first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def assignment_bytes(keys: Sequence[str], families: np.ndarray, mixes: np.ndarray) -> bytes:
    """The assignment of tracks `keys` to 1-based family and mix numbers, as stored: sorted
    keys, so that equal assignments are equal bytes."""
    numbers = {
        key: [int(family), int(mix)] for key, family, mix in zip(keys, families, mixes, strict=True)
    }
    return json.dumps(dict(sorted(numbers.items())), ensure_ascii=False).encode()


def read_assignment(assignment: bytes | None) -> dict[str, tuple[int, int]]:
    """Track identity -> (family, mix), 1-based; a damaged assignment counts as none, and one
    from a version without mixes gives families only (mix 0: unknown)."""
    if not assignment:
        return {}
    try:
        numbers = json.loads(assignment)
        return {
            str(key): (int(value), 0) if isinstance(value, int) else (int(value[0]), int(value[1]))
            for key, value in numbers.items()
        }
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return {}


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
    keys: Sequence[str], mixes: np.ndarray, previous: dict[str, tuple[int, int]]
) -> Changes:
    """Tracks moved, kept, added and removed between `previous` and these mix numbers."""
    now = {key: int(mix) for key, mix in zip(keys, mixes, strict=True)}
    both = now.keys() & previous.keys()
    moved = sum(now[key] != previous[key][1] for key in both)
    return Changes(moved, len(both) - moved, len(now) - len(both), len(previous) - len(both))
