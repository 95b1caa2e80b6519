"""Cluster numbers that stay put: a playlist that changes a little keeps its cluster #3.

Without a previous build, clusters are numbered by size, largest first. With one, each new
cluster takes the number of the previous cluster it shares most tracks with (an optimal
one-to-one matching, scipy's `linear_sum_assignment`); clusters that match none take the
numbers left over, largest first. The previous build's numbers are an "assignment": each
track's identity and cluster number, as JSON bytes kept with the cached result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Changes:
    """How the clustering moved since the previous build, counted in tracks."""

    moved: int  # in both builds, under another number now
    kept: int  # in both builds, under the same number
    added: int
    removed: int


def assignment_bytes(keys: Sequence[str], labels: np.ndarray) -> bytes:
    """The assignment of tracks `keys` to clusters `labels` (0-based) as stored: 1-based
    numbers, sorted keys, so that equal assignments are equal bytes."""
    numbers = {key: int(label) + 1 for key, label in zip(keys, labels, strict=True)}
    return json.dumps(dict(sorted(numbers.items())), ensure_ascii=False).encode()


def read_assignment(assignment: bytes | None) -> dict[str, int]:
    """Track identity -> 1-based number; a damaged assignment counts as none."""
    if not assignment:
        return {}
    try:
        numbers = json.loads(assignment)
        return {str(key): int(value) for key, value in numbers.items()}
    except (ValueError, TypeError, AttributeError):
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


def changes(keys: Sequence[str], labels: np.ndarray, previous: dict[str, int]) -> Changes:
    """Tracks moved, kept, added and removed between `previous` and these numbers."""
    now = {key: int(label) + 1 for key, label in zip(keys, labels, strict=True)}
    both = now.keys() & previous.keys()
    moved = sum(now[key] != previous[key] for key in both)
    return Changes(moved, len(both) - moved, len(now) - len(both), len(previous) - len(both))
