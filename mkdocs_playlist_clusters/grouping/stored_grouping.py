"""A playlist's grouping as bytes, kept with its cached page, so that the same playlist in
another language (or with other wording) is drawn and rendered again without being grouped
again: the groups do not depend on the words.

NumPy's `.npz` of plain arrays, read without pickle: a damaged or foreign file is no grouping.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

from .families import Clustering
from .mixes import Grouping

_ARRAYS = ("labels", "distances", "centres", "projection", "components", "separation")
_MORE = ("runner_up", "fit")
_MIXES = ("mixes", "mix_family", "mix_numbers", "mix_distances", "mix_edge", "mix_margin")


def grouping_bytes(grouping: Grouping) -> bytes:
    """`grouping` as an .npz file's bytes."""
    families = grouping.families
    scores = sorted(families.scores.items())
    arrays = {name: getattr(families, name) for name in (*_ARRAYS, *_MORE)}
    arrays |= {name: getattr(grouping, name) for name in _MIXES}
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        **arrays,
        explained_variance=np.array(families.explained_variance, dtype=float),
        score_k=np.array([k for k, _ in scores], dtype=int),
        score_value=np.array([v for _, v in scores], dtype=float),
        mix_size=np.array(grouping.mix_size),
        warm=np.array(grouping.warm),
    )
    return buffer.getvalue()


def read_grouping(data: bytes, tracks: int) -> Grouping | None:
    """The grouping in `data`, if it is one of `tracks` tracks; None otherwise."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        horizontal, vertical = (float(v) for v in arrays["explained_variance"])
        families = Clustering(
            **{name: arrays[name] for name in (*_ARRAYS, *_MORE)},
            explained_variance=(horizontal, vertical),
            scores={
                int(k): float(v)
                for k, v in zip(arrays["score_k"], arrays["score_value"], strict=True)
            },
        )
        grouping = Grouping(
            families,
            **{name: arrays[name] for name in _MIXES},
            mix_size=int(arrays["mix_size"]),
            warm=bool(arrays["warm"]),
        )
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return None
    if len(families.labels) != tracks or len(grouping.mixes) != tracks:
        return None
    return grouping
