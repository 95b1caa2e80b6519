"""Which tracks a playlist's groups are made of: each track once, in an order that no row
order in the file changes; the same recording under a second Spotify id set aside; and why a
track cannot be grouped."""

from __future__ import annotations

import pandas as pd

from ..language import N_
from ..reading.exports import TRACK_COLUMNS

SAME_DURATION_MS = 2000  # a recording's length as two releases of it report it
_REASONS = {
    "local": N_("local file: Spotify has no audio features for it"),
    "episode": N_("podcast episode: no audio features"),
    "unavailable": N_("unavailable track: the export has no id or name for it"),
}
NO_FEATURES = N_("no audio features in the export")


def listed_tracks(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the tracks the page lists, each once in a canonical order; the other Spotify ids of
    the same recordings, with the track each is `same_as`). The same recording under a second
    id (a single and its album, a re-release) is one track on the page; its other ids go into
    the downloads beside it."""
    tracks = distinct_tracks(canonical_order(rows))
    first_listing = same_recordings(tracks)
    alternates = tracks.loc[first_listing.index].assign(same_as=first_listing)
    return tracks.drop(index=first_listing.index), alternates


def same_recordings(tracks: pd.DataFrame) -> pd.Series:
    """For each track that repeats an earlier one under another Spotify id (same name, same
    artists, durations within `SAME_DURATION_MS`), the index of that earlier one."""
    named = tracks[
        (tracks["kind"] == "track")
        & tracks["track_id"].notna()
        & tracks["name"].notna()
        & tracks["duration_ms"].notna()
    ]
    keys = [
        "\x1f".join([str(name).casefold().strip(), *sorted(a.casefold() for a in artists)])
        for name, artists in zip(named["name"], named["artists"], strict=True)
    ]
    first: dict[object, object] = {}
    # Only names that repeat can be the same recording: group those alone, in plain Python
    # (a pandas group per track costs more than the rest of a large playlist's reading).
    repeated = pd.Series(keys, index=named.index, dtype=object)
    repeated = repeated[repeated.duplicated(keep=False)]
    groups: dict[str, list[tuple[object, float]]] = {}
    for index, key, duration in zip(
        repeated.index, repeated, named.loc[repeated.index, "duration_ms"], strict=True
    ):
        groups.setdefault(key, []).append((index, duration))
    for group in groups.values():
        kept: list[tuple[object, float]] = []
        for index, duration in group:
            match = next((k for k, d in kept if abs(d - duration) <= SAME_DURATION_MS), None)
            if match is None:
                kept.append((index, float(duration)))
            else:
                first[index] = match
    return pd.Series(first, dtype=object).reindex([i for i in tracks.index if i in first])


def canonical_order(tracks: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by everything they say, so that the order of rows in the file never
    changes which duplicate is kept, how the scatter is drawn or how the tables are ordered."""
    columns = [name for name in tracks.columns if name != "line"]
    keys = [
        tracks[name].fillna(float("-inf")).tolist()
        if tracks[name].dtype == float
        else [
            "\x1f".join(map(str, value))
            if isinstance(value, list)
            else ("" if value is None else str(value))
            for value in tracks[name]
        ]
        for name in columns
    ]
    # Python's sort of the rows' key tuples: column by column, stable, as pandas' multi-column
    # sort_values orders them, in two thirds of the time.
    rows = list(zip(*keys, strict=True))
    return tracks.iloc[sorted(range(len(tracks)), key=rows.__getitem__)]


def distinct_tracks(tracks: pd.DataFrame) -> pd.DataFrame:
    """Each track once, the first of its rows (see `track_identities`)."""
    return tracks[~track_identities(tracks).duplicated()]


def track_identities(tracks: pd.DataFrame) -> pd.Series:
    """What makes a track the same track: its Spotify id, else its URI, else its name,
    artists and album."""
    identity = tracks["track_id"].fillna(tracks["uri"])
    fallback = pd.Series(
        [
            "|".join(
                [str(name).casefold(), *(a.casefold() for a in artists), str(album).casefold()]
            )
            if name is not None
            else f"line {line}"
            for name, artists, album, line in zip(
                tracks["name"], tracks["artists"], tracks["album"], tracks["line"], strict=True
            )
        ],
        index=tracks.index,
        dtype=object,
    )
    return identity.fillna(fallback) if len(tracks) else identity


def unclustered_reasons(tracks: pd.DataFrame, features: list[str]) -> pd.Series:
    """Why each track cannot be clustered (None for those that can)."""
    reasons = tracks["kind"].map(_REASONS)
    if features:
        missing = tracks[features].isna().any(axis=1)
        reasons = reasons.where(reasons.notna() | ~missing, NO_FEATURES)
    return reasons.astype(object).where(reasons.notna(), None)


def empty_tracks() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in TRACK_COLUMNS})
