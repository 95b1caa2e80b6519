"""From a playlist file's bytes to its generated page and image: the whole pure computation.

`build_playlist` never raises for bad data: a file it cannot use still gets a page that says
why, and the problem comes back as a warning for the build log.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .clustering import Clustering, cluster_tracks
from .errors import PlaylistDataError
from .features import available_features, describe_direction, feature_matrix
from .figures import AxisTitle, scatter_png
from .playlist import GeneratedPlaylist, PlaylistOptions
from .reading import TRACK_COLUMNS, read_playlist
from .rendering import ClusterView, PageModel, render_page

TRAIT_THRESHOLD = 0.5  # standard deviations from the playlist mean that make a trait
TOP_GENRES = 5
_REASONS = {
    "local": "local file: Spotify has no audio features for it",
    "episode": "podcast episode: no audio features",
    "unavailable": "unavailable track: the export has no id or name for it",
}


def build_playlist(data: bytes, options: PlaylistOptions) -> GeneratedPlaylist:
    """Read, cluster, draw and render one playlist."""
    try:
        table = read_playlist(data)
    except PlaylistDataError as error:
        model = PageModel(options.title, 0, 0, problem=f"the file could not be read: {error}")
        page = render_page(model, _empty_tracks())
        return GeneratedPlaylist({options.page_name: page.encode()}, [str(error)])

    warnings = list(table.warnings)
    tracks = distinct_tracks(table.tracks)
    features = available_features(tracks, options.features)
    if options.features and len(features) < len(options.features):
        missing = sorted(set(options.features) - set(features))
        warnings.append(f"the file has no values for {', '.join(missing)}; clustering without them")
    reasons = unclustered_reasons(tracks, features)
    clusterable = tracks[reasons.isna()]
    unclustered = tracks[reasons.notna()].assign(reason=reasons[reasons.notna()])

    files: dict[str, bytes] = {}
    try:
        if not features:
            raise PlaylistDataError("the file has no audio features to cluster on")
        matrix = feature_matrix(clusterable, features)
        clustering = cluster_tracks(matrix.values, options.clusters)
    except PlaylistDataError as error:
        warnings.append(f"not clustered: {error}")
        model = PageModel(
            options.title,
            len(table.tracks),
            len(tracks),
            problem=str(error),
            unclustered=tracks.assign(reason=reasons.fillna(str(error))),
            notes=table.warnings,
        )
        files[options.page_name] = render_page(model, tracks).encode()
        return GeneratedPlaylist(files, warnings)

    members = clusterable.loc[matrix.rows]
    axis_ends = [
        axis_words(dict(zip(matrix.names, axis, strict=True))) for axis in clustering.components
    ]
    files[options.image_name] = scatter_png(
        clustering.projection,
        clustering.labels,
        [
            AxisTitle(f"Principal component {i + 1}: {share:.0%} of the variance", low, high)
            for i, ((low, high), share) in enumerate(
                zip(axis_ends, clustering.explained_variance, strict=True)
            )
        ],
    )
    model = PageModel(
        title=options.title,
        rows=len(table.tracks),
        distinct=len(tracks),
        features=matrix.names,
        image=options.image_name,
        axis_sentences=axis_sentences(axis_ends, clustering.explained_variance),
        clusters=cluster_views(members, clustering, matrix.names),
        unclustered=unclustered,
        representatives=options.representatives,
        notes=table.warnings,
    )
    files[options.page_name] = render_page(model, tracks).encode()
    return GeneratedPlaylist(files, warnings)


def distinct_tracks(tracks: pd.DataFrame) -> pd.DataFrame:
    """Each track once, in file order: by Spotify id, else by URI, else by name, artists, album."""
    identity = tracks["track_id"].fillna(tracks["uri"])
    fallback = tracks.apply(
        lambda row: (
            "|".join(
                [
                    str(row["name"]).casefold(),
                    *(a.casefold() for a in row["artists"]),
                    str(row["album"]).casefold(),
                ]
            )
            if row["name"] is not None
            else f"line {row['line']}"
        ),
        axis=1,
    )
    identity = identity.fillna(fallback) if len(tracks) else identity
    return tracks[~identity.duplicated()]


def unclustered_reasons(tracks: pd.DataFrame, features: list[str]) -> pd.Series:
    """Why each track cannot be clustered (None for those that can)."""
    reasons = tracks["kind"].map(_REASONS)
    if features:
        missing = tracks[features].isna().any(axis=1)
        reasons = reasons.where(reasons.notna() | ~missing, "no audio features in the export")
    return reasons.astype(object).where(reasons.notna(), None)


def cluster_views(
    members: pd.DataFrame, clustering: Clustering, feature_names: tuple[str, ...]
) -> list[ClusterView]:
    """Each cluster's tracks, nearest its centre first, and what distinguishes it."""
    members = members.assign(
        _cluster=clustering.labels,
        _distance=clustering.distances,
        # Ties in distance (identical features) are broken by what the listener sees, so the
        # order never depends on the file's row order.
        _key=members["name"].fillna("").str.casefold() + "\x00" + members["track_id"].fillna(""),
    )
    views = []
    for number, centre in enumerate(clustering.centres):
        tracks = members[members["_cluster"] == number].sort_values(
            ["_distance", "_key"], kind="stable"
        )
        traits = describe_direction(
            dict(zip(feature_names, centre, strict=True)), threshold=TRAIT_THRESHOLD
        )
        tempo = tracks["tempo"].median() if tracks["tempo"].notna().any() else None
        genres = Counter(genre for genres in tracks["genres"] for genre in genres)
        views.append(
            ClusterView(
                number=number + 1,
                tracks=tracks.drop(columns=["_cluster", "_distance", "_key"]),
                traits=traits or "Close to the playlist's average",
                median_tempo=float(tempo) if tempo is not None else None,
                top_genres=sorted(genres.items(), key=lambda item: (-item[1], item[0]))[
                    :TOP_GENRES
                ],
            )
        )
    return views


def axis_words(weights: dict[str, float]) -> tuple[str, str]:
    """(words for the low end, words for the high end) of a principal axis."""
    low = describe_direction({name: -weight for name, weight in weights.items()})
    return low, describe_direction(weights)


def axis_sentences(ends: list[tuple[str, str]], shares: tuple[float, float]) -> list[str]:
    horizontal, vertical = ends
    sentences = [
        f"The picture places similar tracks near each other: left to right runs from "
        f"{horizontal[0]} to {horizontal[1]} ({shares[0]:.0%} of the differences between "
        "tracks),"
    ]
    if shares[1] > 0:
        sentences.append(f"bottom to top from {vertical[0]} to {vertical[1]} ({shares[1]:.0%}).")
    else:
        sentences[0] = sentences[0].rstrip(",") + "."
    return sentences


def _empty_tracks() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in TRACK_COLUMNS})
