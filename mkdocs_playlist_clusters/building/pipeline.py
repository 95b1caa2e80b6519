"""From a playlist file's bytes to its generated page, image and downloads: the whole pure
computation.

`build_playlist` never raises for bad data: a file it cannot use still gets a page that says
why, and the problem comes back as a warning for the build log. It raises only for a
configuration mistake (`ColumnMappingError`). Any other exception is a bug; it too becomes a
page and a warning, so that one playlist can never take a whole site down.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pandas as pd
from threadpoolctl import ThreadpoolController

from ..describing.views import FamilyView, group_views, name_keys
from ..errors import ColumnMappingError, PlaylistDataError
from ..escaping import log_line
from ..grouping.features import (
    FeatureMatrix,
    available_features,
    grouping_matrix,
)
from ..grouping.members import empty_tracks, listed_tracks, track_identities, unclustered_reasons
from ..grouping.mixes import Grouping, Previous, group_tracks
from ..grouping.numbering import Changes
from ..grouping.stored_grouping import grouping_bytes, read_grouping
from ..grouping.versions import History, Made, Version
from ..grouping.warm_start import not_fitting, settled, starting_point
from ..language import N_, Language, Note, language
from ..playlist import (
    FamilySummary,
    GeneratedPlaylist,
    MixSummary,
    PlaylistOptions,
    PlaylistSummary,
)
from ..presenting.method import method_sentences
from ..presenting.mix_downloads import download_files
from ..presenting.page_model import PageModel, RenderedPage
from ..presenting.pages import mix_pages, render_page
from ..presenting.playlist_figures import axis_words, playlist_figures, translated_words
from ..reading.exports import PlaylistTable, read_playlist

BUG_REPORT = "please report it in the issue tracker of mkdocs-playlist-clusters"


def build_playlist(
    data: bytes,
    options: PlaylistOptions,
    history: History | None = None,
    grouping: bytes | None = None,
) -> GeneratedPlaylist:
    """Read, cluster, draw and render one playlist. `history` holds the playlist's recent
    versions (see `versions`); the groups start from the one that best matches its tracks,
    and keep its numbers. `grouping` is a stored grouping of the same data and options
    (`GeneratedPlaylist.grouping`, of a page in another language): used instead of grouping
    the tracks again."""
    try:
        with one_thread(), existing_objects_untraced():
            return _build_playlist(data, options, history, grouping)
    except ColumnMappingError:
        raise  # a mistake in mkdocs.yml, not in the data: the build must stop
    except Exception as error:  # the net under every data path: see the module's docstring
        # Taken here, and the page made after the handler, so that the traceback and what its
        # frames hold (all of it, after a MemoryError) are gone first.
        failure = type(error).__name__, log_line(error)[:300] or "no message"
    return bug_page(options, *failure)


def bug_page(options: PlaylistOptions, name: str, text: str) -> GeneratedPlaylist:
    """The page and warning of a playlist a bug stopped, never cached. The page and the
    overview are public and an exception's text may quote the file (a cell, a line of
    /etc/passwd): they name the type only; the log has the text."""
    words = language(options.language, options.strings)
    problem = words.tr(
        "a bug in mkdocs-playlist-clusters stopped it ({name}); please report it in the "
        "issue tracker of mkdocs-playlist-clusters",
        name=name,
    )
    warning = (
        f"not grouped: a bug in mkdocs-playlist-clusters stopped it ({name}: {text}); "
        f"{BUG_REPORT}, with this warning and the file"
    )
    result = failed_playlist(options, problem, [warning])
    result.cacheable = False
    return result


def failed_playlist(
    options: PlaylistOptions,
    problem: str,
    warnings: list[str],
    *,
    overview: str | None = None,
    tracks: pd.DataFrame | None = None,
    **page: Any,
) -> GeneratedPlaylist:
    """The page of a playlist that was not grouped, saying why (`problem`), with what the
    overview says of it (`overview`, else `problem`) and the build log's `warnings`. `tracks`
    and `page` (`PageModel`'s fields: rows, distinct, unclustered, notes) for a file that was
    read; none for one that was not."""
    words = language(options.language, options.strings)
    rows, distinct = page.pop("rows", 0), page.pop("distinct", 0)
    model = PageModel(options.title, rows, distinct, problem=problem, language=words, **page)
    summary = PlaylistSummary(options.title, distinct, problem=overview or problem)
    listed = empty_tracks() if tracks is None else tracks
    return generated(options, render_page(model, listed), {}, warnings, summary)


@functools.cache
def _thread_controller() -> ThreadpoolController:
    """The BLAS and OpenMP libraries loaded, found once: each scan of the process's libraries
    takes 5 ms. Made on the first build, after this module's imports loaded them all."""
    return ThreadpoolController()


def one_thread() -> AbstractContextManager[object]:
    """One thread for BLAS and OpenMP (PCA, distances, k-means) while a playlist is built:
    their threads stall badly on a busy machine, as a build's is (PCA of 10,000 tracks: 0.10 s
    with two threads, 0.01 s with one), and results then never depend on the machine's core
    count."""
    return _thread_controller().limit(limits=1)


@contextmanager
def existing_objects_untraced() -> Iterator[None]:
    """The objects that exist before the work (the modules of MkDocs, pandas, scikit-learn,
    matplotlib: hundreds of thousands) left out of the garbage collector's full passes while
    it runs, which otherwise walk them again and again as the work allocates: 0.35 s of 3.1 s
    at 10,000 tracks. Reference counting still frees them; they are traced again after.

    Not when the host process has frozen objects itself: `gc.unfreeze` would release those
    too, so the work then runs with the host's freeze as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _build_playlist(
    data: bytes, options: PlaylistOptions, history: History | None, stored: bytes | None
) -> GeneratedPlaylist:
    words = language(options.language, options.strings)
    try:
        table = read_playlist(data, dict(options.columns))
    except ColumnMappingError:
        raise
    except PlaylistDataError as error:
        said = words.note(error.note)
        problem = words.tr("the file could not be read: {error}", error=said)
        # The overview says the note alone: the pages hold no file text.
        return failed_playlist(options, problem, [error.log_text], overview=said)

    warnings = list(table.warnings)
    tracks, alternates = listed_tracks(table.tracks)
    features, reasons = grouping_features(tracks, options, warnings)
    reasons = reasons.map(lambda reason: reason if reason is None else words.tr(reason))
    clusterable = tracks[reasons.isna()]
    unclustered = tracks[reasons.notna()].assign(reason=reasons[reasons.notna()])
    try:
        grouped = grouped_tracks(clusterable, features, options, history, stored)
    except PlaylistDataError as error:
        warnings.append(f"not grouped: {error}")
        said = words.note(error.note)
        return failed_playlist(
            options,
            said,
            warnings,
            tracks=tracks,
            rows=len(table.tracks),
            distinct=len(tracks) + len(alternates),
            unclustered=tracks.assign(reason=reasons.fillna(said)),
            notes=table.warnings,
        )

    listed = PageTracks(table, tracks, alternates, unclustered, features)
    return grouped_playlist(options, grouped, listed, warnings, words)


def grouped_playlist(
    options: PlaylistOptions,
    grouped: Grouped,
    listed: PageTracks,
    warnings: list[str],
    words: Language,
) -> GeneratedPlaylist:
    """The page, figures and downloads of a playlist whose tracks were grouped."""
    start, keys = grouped.start, grouped.keys
    notices = [not_fitting(start, len(keys))] if start.known and not grouped.grouping.warm else []
    grouping, version = settled(grouped.grouping, keys, grouped.base, options.settings)
    matrix, members, base = grouped.matrix, grouped.members, grouped.base
    remembered = dict(base.made.names) if base and base.made else {}
    views = group_views(members, grouping, matrix, options.representatives, words, remembered)
    version = named_version(version, views)
    images = playlist_figures(options, members, grouping, matrix, views, words)
    made = version.made
    changed = Changes(*made.changes) if made and made.changes else None
    model = page_model(options, listed, grouping, matrix, views, changed, images, words)
    downloads = download_files(views, listed.unclustered, listed.alternates, options, words)
    summary = playlist_summary(options, model.distinct, views, mix_pages(model))
    page = render_page(model, listed.tracks)
    result = generated(options, page, {**images, **downloads}, warnings, summary)
    result.assignment = version.data
    result.based_on = base.digest if base else ""
    result.grouping = grouping_bytes(grouping)
    result.notices = notices
    return result


def grouping_features(
    tracks: pd.DataFrame, options: PlaylistOptions, warnings: list[str]
) -> tuple[list[str], pd.Series]:
    """(the audio features to group on, none for metadata; why each track cannot be grouped,
    None for those that can), with a warning for asked-for features the file lacks."""
    features = available_features(tracks, options.features)
    if options.features and len(features) < len(options.features):
        missing = sorted(set(options.features) - set(features))
        warnings.append(f"the file has no values for {', '.join(missing)}; clustering without them")
    reasons = unclustered_reasons(tracks, features)
    if reasons.isna().sum() * 2 < len(reasons) and not options.features:
        # Most tracks lack audio features (Spotify stopped serving them to new apps in
        # 2024): cluster on what the export does have.
        return [], unclustered_reasons(tracks, [])
    return features, reasons


@dataclasses.dataclass(frozen=True)
class Grouped:
    """A playlist's groups as first made, with what they were made from."""

    matrix: FeatureMatrix
    members: pd.DataFrame  # the tracks grouped, in the matrix's rows
    keys: list[str]  # their identities (see `track_identities`)
    base: Version | None  # the version the groups started from
    start: Previous
    grouping: Grouping


def grouped_tracks(
    clusterable: pd.DataFrame,
    features: list[str],
    options: PlaylistOptions,
    history: History | None,
    stored: bytes | None,
) -> Grouped:
    """The tracks grouped into families and mixes (`stored`: a stored grouping of the same
    tracks, used as it is); `PlaylistDataError` when they cannot be."""
    matrix = grouping_matrix(clusterable, features, bool(options.features))
    if matrix is None:
        nothing = N_(
            "the file has neither audio features nor genres, years, popularity, labels or "
            "shared artists to compare tracks by"
        )
        raise PlaylistDataError(Note(nothing))
    members = clusterable.loc[matrix.rows]
    keys = list(track_identities(members))
    base, start = starting_point(keys, history, options.settings)
    grouping = (stored and read_grouping(stored, len(members))) or group_tracks(
        matrix.values, options.clusters, options.mix_size, start
    )
    return Grouped(matrix, members, keys, base, start, grouping)


@dataclasses.dataclass(frozen=True)
class PageTracks:
    """A playlist's tracks as the page counts and lists them."""

    table: PlaylistTable  # the file as read, with the reader's notes
    tracks: pd.DataFrame  # each track once
    alternates: pd.DataFrame  # other Spotify ids of the same recordings
    unclustered: pd.DataFrame  # with a "reason" column
    features: list[str]  # the audio features grouped on; none: metadata


def page_model(
    options: PlaylistOptions,
    listed: PageTracks,
    grouping: Grouping,
    matrix: FeatureMatrix,
    views: list[FamilyView],
    changed: Changes | None,
    images: dict[str, bytes],
    words: Language,
) -> PageModel:
    """Everything the page of a grouped playlist shows."""
    families = grouping.families
    axis_ends = [
        axis_words(
            dict(zip(matrix.names, axis, strict=True)),
            translated_words(matrix, words),
            words.gettext(", "),
        )
        for axis in families.components
    ]
    return PageModel(
        title=options.title,
        rows=len(listed.table.tracks),
        distinct=len(listed.tracks) + len(listed.alternates),
        recordings=len(listed.alternates),
        changes=changed,
        metadata_only=not listed.features,
        silhouette=families.silhouette,
        method=method_sentences(grouping, options, matrix, words),
        features=matrix.described_as,
        image=options.image_name,
        svg=options.svg_name if options.svg_name in images else None,
        profile=options.profile_name if options.profile_name in images else None,
        map_ends=[end for end in axis_ends if any(end)],
        families=views,
        mix_size=options.mix_size,
        unclustered=listed.unclustered,
        representatives=options.representatives,
        notes=listed.table.warnings,
        downloads=options.downloads_folder,
        language=words,
        slug=options.slug,
        templates=options.templates,
        spotify_player=options.spotify_player,
    )


def playlist_summary(
    options: PlaylistOptions, distinct: int, views: list[FamilyView], places: dict[int, str]
) -> PlaylistSummary:
    """What the overview says of a grouped playlist: its families and their mixes, with the
    page each mix is on (`places`)."""
    return PlaylistSummary(
        options.title,
        distinct,
        tuple(
            FamilySummary(
                family.number,
                family.description.name,
                family.size,
                tuple(
                    MixSummary(
                        mix.number, mix.description.name, len(mix.tracks), places[mix.number]
                    )
                    for mix in family.mixes
                ),
            )
            for family in views
        ),
        options.thumbnail_name,
    )


def named_version(version: Version, views: list[FamilyView]) -> Version:
    """The version with its groups' names, for the next build to keep."""
    made = version.made or Made(False)
    names = tuple(sorted(name_keys(views).items()))
    return dataclasses.replace(version, made=dataclasses.replace(made, names=names))


def generated(
    options: PlaylistOptions,
    page: RenderedPage,
    files: dict[str, bytes],
    warnings: list[str],
    summary: PlaylistSummary | None = None,
) -> GeneratedPlaylist:
    """The plugin's view of the result: every file as bytes, the page's table HTML and what
    the overview says of it (by default, that it was not grouped and why)."""
    pages = {name: markdown.encode() for name, markdown in page.pages.items()}
    files = {options.page_name: page.markdown.encode(), **pages, **files}
    if summary is None:
        problem = warnings[-1].removeprefix("not grouped: ") if warnings else "not grouped"
        summary = PlaylistSummary(options.title, 0, problem=problem)
    return GeneratedPlaylist(files, warnings, page.indexed, page.unindexed, summary=summary)
