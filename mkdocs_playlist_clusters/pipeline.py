"""From a playlist file's bytes to its generated page, image and downloads: the whole pure
computation.

`build_playlist` never raises for bad data: a file it cannot use still gets a page that says
why, and the problem comes back as a warning for the build log. It raises only for a
configuration mistake (`ColumnMappingError`). Any other exception is a bug; it too becomes a
page and a warning, so that one playlist can never take a whole site down.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from .clustering import Clustering, cluster_tracks
from .downloads import exportify_csv, exportify_rows, m3u8, uri_list
from .errors import ColumnMappingError, PlaylistDataError
from .features import (
    METADATA_VALUES,
    FeatureMatrix,
    available_features,
    cell_values,
    describe_direction,
    feature_matrix,
    metadata_matrix,
)
from .figures import AxisTitle, scatter_png
from .playlist import GeneratedPlaylist, PlaylistOptions
from .reading import TRACK_COLUMNS, read_playlist
from .rendering import ClusterView, PageModel, RenderedPage, render_page

TRAIT_THRESHOLD = 0.5  # standard deviations from the playlist mean that make a trait
TOP_VALUES = 5
_REASONS = {
    "local": "local file: Spotify has no audio features for it",
    "episode": "podcast episode: no audio features",
    "unavailable": "unavailable track: the export has no id or name for it",
}


def build_playlist(data: bytes, options: PlaylistOptions) -> GeneratedPlaylist:
    """Read, cluster, draw and render one playlist."""
    try:
        return _build_playlist(data, options)
    except ColumnMappingError:
        raise  # a mistake in mkdocs.yml, not in the data: the build must stop
    except Exception as error:  # the net under every data path: see the module's docstring
        text = " ".join(str(error).split())[:300] or "no message"
        problem = (
            f"a bug in mkdocs-playlist-clusters stopped it ({type(error).__name__}: {text}); "
            "please report it with this file"
        )
        page = render_page(PageModel(options.title, 0, 0, problem=problem), _empty_tracks())
        return generated(options, page, {}, [f"not clustered: {problem}"])


def _build_playlist(data: bytes, options: PlaylistOptions) -> GeneratedPlaylist:
    try:
        table = read_playlist(data, dict(options.columns))
    except ColumnMappingError:
        raise
    except PlaylistDataError as error:
        model = PageModel(options.title, 0, 0, problem=f"the file could not be read: {error}")
        return generated(options, render_page(model, _empty_tracks()), {}, [str(error)])

    warnings = list(table.warnings)
    tracks = distinct_tracks(canonical_order(table.tracks))
    features = available_features(tracks, options.features)
    if options.features and len(features) < len(options.features):
        missing = sorted(set(options.features) - set(features))
        warnings.append(f"the file has no values for {', '.join(missing)}; clustering without them")
    reasons = unclustered_reasons(tracks, features)
    if reasons.isna().sum() * 2 < len(reasons) and not options.features:
        # Most tracks lack audio features (Spotify stopped serving them to new apps in
        # 2024): cluster on what the export does have.
        reasons = unclustered_reasons(tracks, [])
        features = []
    clusterable = tracks[reasons.isna()]
    unclustered = tracks[reasons.notna()].assign(reason=reasons[reasons.notna()])

    try:
        matrix = feature_matrix(clusterable, features) if features else metadata_matrix(clusterable)
        if matrix is None:
            raise PlaylistDataError(
                "the file has neither audio features nor genres, years, popularity, labels or "
                "shared artists to compare tracks by"
            )
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
        return generated(options, render_page(model, tracks), {}, warnings)

    members = clusterable.loc[matrix.rows]
    axis_ends = [
        axis_words(dict(zip(matrix.names, axis, strict=True)), matrix.words)
        for axis in clustering.components
    ]
    image = scatter_png(
        clustering.projection,
        clustering.labels,
        [
            AxisTitle(f"Principal component {i + 1}: {share:.0%} of the variance", low, high)
            for i, ((low, high), share) in enumerate(
                zip(axis_ends, clustering.explained_variance, strict=True)
            )
        ],
    )
    views = cluster_views(members, clustering, matrix)
    model = PageModel(
        title=options.title,
        rows=len(table.tracks),
        distinct=len(tracks),
        features=matrix.described_as,
        image=options.image_name,
        axis_sentences=axis_sentences(axis_ends, clustering.explained_variance),
        clusters=views,
        unclustered=unclustered,
        representatives=options.representatives,
        notes=table.warnings,
        downloads=options.downloads_folder,
    )
    files = {options.image_name: image, **download_files(views, unclustered, options)}
    return generated(options, render_page(model, tracks), files, warnings)


def generated(
    options: PlaylistOptions, page: RenderedPage, files: dict[str, bytes], warnings: list[str]
) -> GeneratedPlaylist:
    """The plugin's view of the result: every file as bytes, plus the page's table HTML."""
    files = {options.page_name: page.markdown.encode(), **files}
    return GeneratedPlaylist(files, warnings, page.indexed, page.unindexed)


def download_files(
    views: list[ClusterView], unclustered: pd.DataFrame, options: PlaylistOptions
) -> dict[str, bytes]:
    """Each cluster as CSV, URI list and M3U8, and every track with its cluster in one CSV."""
    folder = options.downloads_folder
    files: dict[str, bytes] = {}
    everything: list[list[str]] = []
    for view in views:
        stem = f"{folder}/cluster-{view.number}"
        rows = exportify_rows(view.tracks)
        files[f"{stem}.csv"] = exportify_csv(rows)
        files[f"{stem}.txt"] = uri_list(view.tracks)
        files[f"{stem}.m3u8"] = m3u8(view.tracks, f"{options.title}: cluster {view.number}")
        everything += [[*row, str(view.number), ""] for row in rows]
    reasons = unclustered["reason"].astype(str)
    everything += [
        [*row, "", reason] for row, reason in zip(exportify_rows(unclustered), reasons, strict=True)
    ]
    files[f"{folder}/all-tracks.csv"] = exportify_csv(everything, ("Cluster", "Why Not Clustered"))
    return files


def canonical_order(tracks: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by everything they say, so that the order of rows in the file never
    changes which duplicate is kept, how the scatter is drawn or how the tables are ordered."""
    columns = [name for name in tracks.columns if name != "line"]
    keys = pd.DataFrame(
        {
            name: tracks[name].fillna(float("-inf"))
            if tracks[name].dtype == float
            else [
                "\x1f".join(map(str, value))
                if isinstance(value, list)
                else ("" if value is None else str(value))
                for value in tracks[name]
            ]
            for name in columns
        },
        index=tracks.index,
    )
    return tracks.loc[keys.sort_values(columns, kind="stable").index]


def distinct_tracks(tracks: pd.DataFrame) -> pd.DataFrame:
    """Each track once, the first of its rows: by Spotify id, else by URI, else by name,
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
    members: pd.DataFrame, clustering: Clustering, matrix: FeatureMatrix
) -> list[ClusterView]:
    """Each cluster's tracks, nearest its centre first, and what distinguishes it."""
    members = members.assign(
        _cluster=clustering.labels,
        _distance=clustering.distances,
        # Ties in distance (identical features) are broken by what the listener sees, so the
        # order never depends on the file's row order.
        _key=members["name"].fillna("").str.casefold() + "\x00" + members["track_id"].fillna(""),
    )
    numbers = members[list(matrix.trait_columns)].apply(pd.to_numeric, errors="coerce")
    spread = numbers.std(ddof=0).replace(0, float("nan"))
    views = []
    for number in range(clustering.count):
        in_cluster = members["_cluster"] == number
        tracks = members[in_cluster].sort_values(["_distance", "_key"], kind="stable")
        # How far the cluster's average lies from the playlist's, in standard deviations.
        shift = ((numbers[in_cluster].mean() - numbers.mean()) / spread).dropna()
        traits = describe_direction(shift.to_dict(), threshold=TRAIT_THRESHOLD, words=matrix.words)
        tops = [(noun, top_values(tracks[column])) for column, noun in METADATA_VALUES.items()]
        tops = [(noun, values) for noun, values in tops if values]
        if not traits:  # then a genre, label or artist most of the cluster shares
            traits = ", ".join(v[0][0] for _, v in tops if v[0][1] * 2 >= len(tracks))
        tempo = tracks["tempo"].median() if tracks["tempo"].notna().any() else None
        views.append(
            ClusterView(
                number=number + 1,
                tracks=tracks.drop(columns=["_cluster", "_distance", "_key"]),
                traits=traits or "Close to the playlist's average",
                median_tempo=float(tempo) if tempo is not None else None,
                top_values=tops,
            )
        )
    return views


def top_values(cells: pd.Series) -> list[tuple[str, int]]:
    """The values shared by two or more of these tracks, most frequent first."""
    counts = Counter(value for cell in cells for value in set(cell_values(cell)))
    shared = [(value, count) for value, count in counts.items() if count >= 2]
    return sorted(shared, key=lambda item: (-item[1], item[0]))[:TOP_VALUES]


def axis_words(weights: dict[str, float], words: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(words for the low end, words for the high end) of a principal axis."""
    low = describe_direction({name: -weight for name, weight in weights.items()}, words=words)
    return low, describe_direction(weights, words=words)


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
