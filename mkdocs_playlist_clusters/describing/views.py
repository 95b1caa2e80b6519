"""What the page says about each family and mix: its tracks in the order the page lists them,
what sets it apart, and the tracks on its border with a sibling."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..grouping.running_order import Playable, playable, running_order
from ..language import ENGLISH, N_, Language
from .differences import ClusterDescription, describe_clusters, named_descriptions, value_sets
from .naming import Named, NameWords, common_genres

if TYPE_CHECKING:
    from ..grouping.features import FeatureMatrix
    from ..grouping.mixes import Grouping

EDGE_TRACKS = 3  # tracks listed as being on a mix's border with a sibling
MIN_SIZE_FOR_EDGE = 6


@dataclass(frozen=True)
class MixView:
    """What the page says about one mix."""

    number: int  # as shown, 1-based
    family: int  # its family's number, 1-based
    tracks: pd.DataFrame  # nearest the centre first; tracks that bear out its name early
    description: ClusterDescription  # against the other mixes of its family
    edge: pd.DataFrame | None = None  # tracks nearly as close to another mix ("nearer")
    running: pd.DataFrame = field(kw_only=True)  # the same tracks in the order to play them

    @functools.cached_property  # asked by its card, its section and its heading
    def duration_ms(self) -> float | None:
        """How long the mix plays (each recording once, as it lists them); None when a
        track's length is unknown."""
        lengths = self.running["duration_ms"]
        return None if lengths.isna().any() else float(lengths.sum())


@dataclass(frozen=True)
class FamilyView:
    """What the page says about one family and its mixes."""

    number: int  # 1-based
    size: int
    description: ClusterDescription  # against the whole playlist
    separation: float  # mean silhouette of its tracks
    mixes: tuple[MixView, ...]


@dataclass(frozen=True)
class SortedMembers:
    """Every mix's tracks in one sort (mix, distance, key), so that mix `m` is rows
    `ends[m]:ends[m + 1]`: far cheaper than sorting each of 100+ mixes on its own."""

    order: np.ndarray  # member rows in page order
    ends: np.ndarray
    listed: pd.DataFrame  # the members in page order
    with_nearer: pd.DataFrame  # the same, with each track's nearer sibling mix
    played: pd.DataFrame  # the members in each mix's running order
    key_rank: np.ndarray

    def rows(self, frame: pd.DataFrame, mix: int) -> pd.DataFrame:
        return frame.iloc[self.ends[mix] : self.ends[mix + 1]]


def sorted_members(
    members: pd.DataFrame, grouping: Grouping, matrix: FeatureMatrix
) -> SortedMembers:
    """The members sorted for the page (see `SortedMembers`)."""
    # Ties in distance (identical features) are broken by what the listener sees, so the
    # order never depends on the file's row order.
    keys, key_rank = listener_keys(members)
    order = np.lexsort((key_rank, grouping.mix_distances, grouping.mixes))
    ends = np.searchsorted(grouping.mixes[order], np.arange(grouping.mix_count + 1))
    listed = members.iloc[order]
    played = members.iloc[played_order(members, grouping.mixes, matrix, keys, key_rank)]
    nearer = grouping.mix_numbers[grouping.mix_edge]
    return SortedMembers(order, ends, listed, listed.assign(nearer=nearer[order]), played, key_rank)


def group_views(
    members: pd.DataFrame,
    grouping: Grouping,
    matrix: FeatureMatrix,
    representatives: int,
    language: Language = ENGLISH,
    remembered: Mapping[str, NameWords] | None = None,
) -> list[FamilyView]:
    """Every family with its mixes, by number, described in `language`. `remembered`: the
    previous build's names by group ("f2", "m17": see `name_keys`), which a group keeps while
    its tracks bear them out."""
    families = grouping.families
    remembered = remembered or {}
    members_sorted = sorted_members(members, grouping, matrix)
    values = value_sets(members)
    common = common_genres(values["genre"])
    family_descriptions = describe_clusters(
        members,
        families.labels,
        matrix.trait_columns,
        families.count,
        language,
        values,
        common=common,
        remembered=[remembered.get(f"f{number}") for number in range(1, families.count + 1)],
    )
    views = []
    for family, family_description in enumerate(family_descriptions):
        inside = families.labels == family
        mixes = grouping.family_mixes(family)
        if len(mixes) > 1:
            rows = np.flatnonzero(inside)
            descriptions = mix_descriptions(
                members, grouping, matrix, language, values, common, remembered, mixes, rows
            )
        else:  # the family is one mix: what sets it apart is what sets the family apart
            descriptions = [family_description]
        mix_views = [
            mix_view(members_sorted, grouping, values, representatives, family, mix, description)
            for mix, description in zip(mixes, descriptions, strict=True)
        ]
        views.append(
            FamilyView(
                family + 1,
                int(inside.sum()),
                family_description,
                float(families.separation[family]),
                tuple(mix_views),
            )
        )
    return distinct_mix_names(views, language)


def mix_descriptions(
    members: pd.DataFrame,
    grouping: Grouping,
    matrix: FeatureMatrix,
    language: Language,
    values: dict[str, list[set[str]]],
    common: frozenset[str],
    remembered: Mapping[str, NameWords],
    mixes: list[int],
    rows: np.ndarray,
) -> list[ClusterDescription]:
    """What sets each of a family's mixes (`rows`: the family's members) apart from the
    others."""
    position = np.full(grouping.mix_count, -1)
    position[mixes] = np.arange(len(mixes))
    return describe_clusters(
        members.iloc[rows],
        position[grouping.mixes[rows]],
        matrix.trait_columns,
        len(mixes),
        language,
        value_subset(values, rows),
        average=N_("Close to the family's average"),
        typical=grouping.mix_distances[rows],
        common=common,
        remembered=[remembered.get(f"m{grouping.mix_numbers[m]}") for m in mixes],
    )


def mix_view(
    members: SortedMembers,
    grouping: Grouping,
    values: dict[str, list[set[str]]],
    representatives: int,
    family: int,
    mix: int,
    description: ClusterDescription,
) -> MixView:
    """What the page says about one mix."""
    run = members.order[members.ends[mix] : members.ends[mix + 1]]  # member rows, page order
    number = int(grouping.mix_numbers[mix])
    shown = members.rows(members.listed, mix)
    # Only a name with shared values needs its tracks' values (see `bearing_out`).
    mix_values = value_subset(values, run) if description.named_values else None
    return MixView(
        number,
        family + 1,
        bearing_out(shown, description.named_values, representatives, mix_values),
        description,
        _edge(members.rows(members.with_nearer, mix), run, number, grouping, members.key_rank),
        running=members.rows(members.played, mix),
    )


def distinct_mix_names(views: list[FamilyView], language: Language = ENGLISH) -> list[FamilyView]:
    """The families with no two mixes of the page named alike (siblings already differ; mixes
    of two families may not)."""
    mixes = [mix for family in views for mix in family.mixes]
    renamed = iter(named_descriptions([mix.description for mix in mixes], language))
    return [
        replace(
            family,
            mixes=tuple(replace(mix, description=next(renamed)) for mix in family.mixes),
        )
        for family in views
    ]


def name_keys(views: Sequence[FamilyView]) -> dict[str, NameWords]:
    """What each group's name is made of, by group ("f2": family 2, "m17": mix 17), for the
    next build to keep (see `naming.name_parts`)."""
    found = {f"f{family.number}": family.description.parts.kept for family in views}
    for family in views:
        found.update({f"m{mix.number}": mix.description.parts.kept for mix in family.mixes})
    return found


def listener_keys(members: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """What tells tracks apart as the listener sees them (name, then Spotify id), and each
    track's rank by it: what settles ties, so that no order depends on the file's rows."""
    keys = members["name"].fillna("").str.casefold() + "\x00" + members["track_id"].fillna("")
    key_rank = np.empty(len(keys), dtype=int)
    key_rank[np.argsort(keys.to_numpy(dtype=object), kind="stable")] = np.arange(len(keys))
    return keys, key_rank


def played_order(
    members: pd.DataFrame,
    mixes: np.ndarray,
    matrix: FeatureMatrix,
    keys: pd.Series,
    key_rank: np.ndarray,
) -> np.ndarray:
    """Every mix's member rows in the order to play them (see `running_order`), mix by mix:
    each mix a run of rows as in the page order. The rows go in by what the listener sees
    (`key_rank`), which settles ties."""
    by_key = np.lexsort((key_rank, mixes))
    view = playable_members(
        members.iloc[by_key], matrix.values[by_key], matrix.names, keys.iloc[by_key]
    )
    return by_key[running_order(view, mixes[by_key])]


def playable_members(
    members: pd.DataFrame, values: np.ndarray, names: Sequence[str], keys: pd.Series
) -> Playable:
    """The running order's view of `members`: their rows of the grouping matrix (`values`,
    `names`), their tempo, key, mode and energy, and their `listener_keys`."""
    return playable(
        values,
        names,
        members["tempo"].to_numpy(dtype=float),
        members["key"].to_numpy(dtype=float),
        members["mode"].to_numpy(dtype=float),
        members["energy"].to_numpy(dtype=float),
        keys.tolist(),
    )


def _edge(
    tracks: pd.DataFrame,
    rows: np.ndarray,
    number: int,
    grouping: Grouping,
    key_rank: np.ndarray,
) -> pd.DataFrame | None:
    """The mix's EDGE_TRACKS tracks nearest a sibling's border (`rows`: theirs in members,
    `tracks` the same in page order), or None for a mix too small to show a border."""
    siblings = np.flatnonzero(grouping.mix_numbers[grouping.mix_edge[rows]] != number)
    if len(tracks) < MIN_SIZE_FOR_EDGE or not len(siblings):
        return None
    theirs = rows[siblings]
    nearest = siblings[np.lexsort((key_rank[theirs], grouping.mix_margin[theirs]))]
    return tracks.iloc[nearest[:EDGE_TRACKS]]


def value_subset(values: dict[str, list[set[str]]], rows: np.ndarray) -> dict[str, list[set[str]]]:
    """`value_sets` of the tracks at `rows`, taken from those of every track."""
    return {kind: [sets[row] for row in rows] for kind, sets in values.items()}


def bearing_out(
    tracks: pd.DataFrame,
    named: Sequence[Named],
    shown: int,
    values: dict[str, list[set[str]]] | None = None,
) -> pd.DataFrame:
    """`tracks` reordered so that each value in the group's name is held by one of the first
    `shown` tracks: where none of them holds it, the nearest track that does takes the last
    place not already taken this way. A name's evidence is then visible in its table.
    `values`: `value_sets(tracks)`, when known."""
    if not named or len(tracks) <= shown:
        return tracks
    sets = values or value_sets(tracks)
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
