"""Where a build's groups start: the version of the playlist's history that best matches
its tracks, and the version the new groups make (told as the earlier page told them when
they are that version's own)."""

from __future__ import annotations

import dataclasses

import numpy as np

from .mixes import Grouping, Previous
from .numbering import changes
from .versions import History, Made, Version


def starting_point(
    keys: list[str], history: History | None, settings: str
) -> tuple[Version | None, Previous]:
    """The version of `history` the groups of tracks `keys` start from (see `History.best`),
    and its numbers of them; `same` when it groups these very tracks with these `settings`."""
    base = history.best(keys, settings) if history else None
    known = base.tracks if base else {}
    numbers = np.array([known.get(key, (0, 0)) for key in keys], dtype=int).reshape(-1, 2)
    same = (
        base is not None
        and base.settings == settings
        and len(known) == len(keys)
        and all(key in known for key in keys)
    )
    return base, Previous(numbers[:, 0], numbers[:, 1], same)


def settled(
    grouping: Grouping, keys: list[str], base: Version | None, settings: str
) -> tuple[Grouping, Version]:
    """The grouping as its page tells it, and the version it makes. Groups that are `base`'s
    own (an unchanged playlist, or a version that came back) are told as `base`'s page told
    them, so that its page comes back byte for byte: how k was chosen, whether k-means started
    from an earlier version, what changed since."""
    mix_numbers = grouping.mix_numbers[grouping.mixes]
    tracks = {
        key: (int(family), int(mix))
        for key, family, mix in zip(keys, grouping.families.labels + 1, mix_numbers, strict=True)
    }
    if base is not None and base.made and base.settings == settings and base.tracks == tracks:
        made = base.made
        families = dataclasses.replace(grouping.families, scores=dict(made.scores))
        grouping = dataclasses.replace(grouping, families=families, warm=made.warm)
    else:
        moved = changes(keys, mix_numbers, base.tracks) if base else None
        scores = tuple(sorted(grouping.families.scores.items()))
        made = Made(grouping.warm, scores, dataclasses.astuple(moved) if moved else None)
    return grouping, Version(tracks, settings, made)


def not_fitting(start: Previous, tracks: int) -> str:
    """The notice for a previous state `group_tracks` left aside (see `mixes.fits`)."""
    return (
        f"the previous groups ({start.family_count} families) do not fit this version of the "
        f"playlist ({tracks} tracks to group, too few with distinct features for as many "
        "families of 2), so the groups were made from scratch"
    )
