"""What the page says about each family and mix: its tracks in the order the page lists them,
what sets it apart, and the tracks on its border with a sibling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .describing import ClusterDescription, OverRepresented, describe_clusters, value_sets
from .language import ENGLISH, N_, Language

if TYPE_CHECKING:
    from .features import FeatureMatrix
    from .grouping import Grouping

EDGE_TRACKS = 3  # tracks listed as being on a mix's border with a sibling
MIN_SIZE_FOR_EDGE = 6
# Hidden columns the views sort by; dropped before a view leaves this module.
_HIDDEN = ["_distance", "_margin", "_key"]


@dataclass(frozen=True)
class MixView:
    """What the page says about one mix."""

    number: int  # as shown, 1-based
    family: int  # its family's number, 1-based
    tracks: pd.DataFrame  # nearest the centre first; tracks that bear out its name early
    description: ClusterDescription  # against the other mixes of its family
    edge: pd.DataFrame | None = None  # tracks nearly as close to another mix ("nearer")


@dataclass(frozen=True)
class FamilyView:
    """What the page says about one family and its mixes."""

    number: int  # 1-based
    size: int
    description: ClusterDescription  # against the whole playlist
    separation: float  # mean silhouette of its tracks
    mixes: tuple[MixView, ...]


def group_views(
    members: pd.DataFrame,
    grouping: Grouping,
    matrix: FeatureMatrix,
    representatives: int,
    language: Language = ENGLISH,
) -> list[FamilyView]:
    """Every family with its mixes, by number, described in `language`."""
    families = grouping.families
    members = members.assign(
        _distance=grouping.mix_distances,
        _margin=grouping.mix_margin,
        nearer=grouping.mix_numbers[grouping.mix_edge],
        # Ties in distance (identical features) are broken by what the listener sees, so the
        # order never depends on the file's row order.
        _key=members["name"].fillna("").str.casefold() + "\x00" + members["track_id"].fillna(""),
    )
    family_descriptions = describe_clusters(
        members, families.labels, matrix.trait_columns, families.count, language=language
    )
    views = []
    for family, family_description in enumerate(family_descriptions):
        inside = families.labels == family
        mixes = grouping.family_mixes(family)
        in_family = members[inside]
        position = {mix: i for i, mix in enumerate(mixes)}
        local = np.array([position[int(mix)] for mix in grouping.mixes[inside]], dtype=int)
        if len(mixes) > 1:
            descriptions = describe_clusters(
                in_family,
                local,
                matrix.trait_columns,
                len(mixes),
                average=N_("Close to the family's average"),
                language=language,
            )
        else:  # the family is one mix: what sets it apart is what sets the family apart
            descriptions = [family_description]
        mix_views = tuple(
            _mix_view(
                in_family[local == i],
                int(grouping.mix_numbers[mix]),
                family + 1,
                description,
                representatives,
            )
            for i, (mix, description) in enumerate(zip(mixes, descriptions, strict=True))
        )
        views.append(
            FamilyView(
                family + 1,
                int(inside.sum()),
                family_description,
                float(families.separation[family]),
                mix_views,
            )
        )
    return views


def _mix_view(
    tracks: pd.DataFrame,
    number: int,
    family: int,
    description: ClusterDescription,
    representatives: int,
) -> MixView:
    ordered = tracks.sort_values(["_distance", "_key"], kind="stable")
    ordered = bearing_out(ordered, description.named_values, representatives)
    siblings = tracks["nearer"] != number
    edge = None
    if len(tracks) >= MIN_SIZE_FOR_EDGE and siblings.any():
        edge = tracks[siblings].sort_values(["_margin", "_key"], kind="stable").head(EDGE_TRACKS)
        edge = edge.drop(columns=_HIDDEN)
    return MixView(number, family, ordered.drop(columns=[*_HIDDEN, "nearer"]), description, edge)


def bearing_out(tracks: pd.DataFrame, named: Sequence[OverRepresented], shown: int) -> pd.DataFrame:
    """`tracks` reordered so that each value in the group's name is held by one of the first
    `shown` tracks: where none of them holds it, the nearest track that does takes the last
    place not already taken this way. A name's evidence is then visible in its table."""
    if not named or len(tracks) <= shown:
        return tracks
    sets = value_sets(tracks)
    order = list(range(len(tracks)))
    slot = shown - 1
    for value in named:
        holders = [i for i, values in enumerate(sets[value.kind]) if value.value in values]
        if not holders or any(order.index(i) < shown for i in holders) or slot < 0:
            continue
        order.remove(holders[0])
        order.insert(slot, holders[0])
        slot -= 1
    return tracks.iloc[order]
