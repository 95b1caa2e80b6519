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

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from ..presenting.method import k_choice_sentence
from ..describing.differences import feature_name, separation_words
from ..presenting.downloads import csv_lines, exportify_rows, joined_csv, m3u8, track_uri, uri_list
from ..errors import ColumnMappingError, PlaylistDataError
from ..language import Note
from ..presenting.escaping import log_line
from ..grouping.features import (
    BLOCK_WEIGHT,
    FEATURE_WORDS,
    METADATA_NUMBERS,
    FeatureMatrix,
    available_features,
    describe_direction,
    grouping_matrix,
)
from ..presenting.figures import (
    MAX_SVG_POINTS,
    AxisTitle,
    drawn_language,
    profile_svg,
    scatter_png,
    scatter_svg,
    svg_fits,
    thumbnail_png,
)
from ..grouping.mixes import MAX_MIXES, MIN_MIX_SHARE, Grouping, Previous, group_tracks
from ..language import ENGLISH, N_, Language, language
from ..grouping.numbering import Changes, changes
from ..playlist import (
    CONTINUOUS_FEATURES,
    FamilySummary,
    GeneratedPlaylist,
    MixSummary,
    PlaylistOptions,
    PlaylistSummary,
    download_name,
)
from ..reading.exports import TRACK_COLUMNS, read_playlist
from ..presenting.pages import (
    PageModel,
    RenderedPage,
    in_a_row,
    mix_pages,
    records,
    render_page,
    track_name_and_url,
)
from ..grouping.stored_grouping import grouping_bytes, read_grouping
from ..grouping.versions import History, Made, Version
from ..describing.views import FamilyView, group_views, name_keys

BUG_REPORT = "please report it in the issue tracker of mkdocs-playlist-clusters"
SAME_DURATION_MS = 2000  # a recording's length as two releases of it report it
_REASONS = {
    "local": N_("local file: Spotify has no audio features for it"),
    "episode": N_("podcast episode: no audio features"),
    "unavailable": N_("unavailable track: the export has no id or name for it"),
}
NO_FEATURES = N_("no audio features in the export")


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
    model = PageModel(options.title, 0, 0, problem=problem, language=words)
    summary = PlaylistSummary(options.title, 0, problem=problem)
    result = generated(options, render_page(model, _empty_tracks()), {}, [warning], summary)
    result.cacheable = False
    return result


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
        model = PageModel(options.title, 0, 0, problem=problem, language=words)
        summary = PlaylistSummary(options.title, 0, problem=said)  # pages: no file text
        return generated(
            options, render_page(model, _empty_tracks()), {}, [error.log_text], summary
        )

    warnings = list(table.warnings)
    tracks = distinct_tracks(canonical_order(table.tracks))
    # The same recording under a second Spotify id (a single and its album, a re-release)
    # is one track on the page; its other ids go into the downloads beside it.
    first_listing = same_recordings(tracks)
    alternates = tracks.loc[first_listing.index].assign(same_as=first_listing)
    tracks = tracks.drop(index=first_listing.index)
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
    reasons = reasons.map(lambda reason: reason if reason is None else words.tr(reason))
    clusterable = tracks[reasons.isna()]
    unclustered = tracks[reasons.notna()].assign(reason=reasons[reasons.notna()])

    try:
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
    except PlaylistDataError as error:
        warnings.append(f"not grouped: {error}")
        said = words.note(error.note)
        model = PageModel(
            options.title,
            len(table.tracks),
            len(tracks) + len(alternates),
            problem=said,
            unclustered=tracks.assign(reason=reasons.fillna(said)),
            notes=table.warnings,
            language=words,
        )
        summary = PlaylistSummary(options.title, model.distinct, problem=said)
        return generated(options, render_page(model, tracks), {}, warnings, summary)

    notices = [not_fitting(start, len(keys))] if start.known and not grouping.warm else []
    grouping, version = settled(grouping, keys, base, options.settings)
    families = grouping.families
    axis_ends = [
        axis_words(
            dict(zip(matrix.names, axis, strict=True)),
            translated_words(matrix, words),
            words.gettext(", "),
        )
        for axis in families.components
    ]
    remembered = dict(base.made.names) if base and base.made else {}
    views = group_views(members, grouping, matrix, options.representatives, words, remembered)
    version = named_version(version, views)
    images = playlist_figures(options, members, grouping, matrix, views, words)
    model = PageModel(
        title=options.title,
        rows=len(table.tracks),
        distinct=len(tracks) + len(alternates),
        recordings=len(alternates),
        changes=Changes(*version.made.changes) if version.made and version.made.changes else None,
        metadata_only=not features,
        silhouette=families.silhouette,
        method=method_sentences(grouping, options, matrix, words),
        features=matrix.described_as,
        image=options.image_name,
        svg=options.svg_name if options.svg_name in images else None,
        profile=options.profile_name if options.profile_name in images else None,
        map_ends=[end for end in axis_ends if any(end)],
        families=views,
        mix_size=options.mix_size,
        unclustered=unclustered,
        representatives=options.representatives,
        notes=table.warnings,
        downloads=options.downloads_folder,
        language=words,
        slug=options.slug,
        templates=options.templates,
    )
    files = {**images, **download_files(views, unclustered, alternates, options, words)}
    places = mix_pages(model)
    summary = PlaylistSummary(
        options.title,
        model.distinct,
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
    result = generated(options, render_page(model, tracks), files, warnings, summary)
    result.assignment = version.data
    result.based_on = base.digest if base else ""
    result.grouping = grouping_bytes(grouping)
    result.notices = notices
    return result


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


def named_version(version: Version, views: list[FamilyView]) -> Version:
    """The version with its groups' names, for the next build to keep."""
    made = version.made or Made(False)
    names = tuple(sorted(name_keys(views).items()))
    return dataclasses.replace(version, made=dataclasses.replace(made, names=names))


def not_fitting(start: Previous, tracks: int) -> str:
    """The notice for a previous state `group_tracks` left aside (see `grouping.fits`)."""
    return (
        f"the previous groups ({start.family_count} families) do not fit this version of the "
        f"playlist ({tracks} tracks to group, too few with distinct features for as many "
        "families of 2), so the groups were made from scratch"
    )


def translated_words(matrix: FeatureMatrix, words: Language) -> dict[str, tuple[str, str]]:
    """The matrix's words for each column's ends in `words`' language: those of the plugin's
    tables; words that are data (a label, a genre) stay as they are."""
    tables = {**FEATURE_WORDS, **METADATA_NUMBERS}
    return {
        name: (words.tr(high), words.tr(low) if low else low) if name in tables else (high, low)
        for name, (high, low) in matrix.words.items()
    }


def method_sentences(
    grouping: Grouping, options: PlaylistOptions, matrix: FeatureMatrix, words: Language = ENGLISH
) -> list[str]:
    """How the groups were made, in statistics' words, for the page's collapsed block."""
    tr = words.tr
    families = grouping.families
    audio = [name for name in matrix.names if name in CONTINUOUS_FEATURES]
    if audio and len(audio) == len(matrix.names):
        scaled = tr(
            "each standardized (mean 0, standard deviation 1) and clipped at 3 standard deviations"
        )
    elif audio:
        scaled = tr(
            "the audio features standardized and clipped at 3 standard deviations, all of "
            "them together weighing 1 against {weight} for each of the others",
            weight=words.decimal(BLOCK_WEIGHT),
        )
    else:
        scaled = tr("each block scaled to the same total variance")
    described = words.join([tr(name) for name in matrix.described_as])
    sentences = [tr("Grouped on {features}, {scaled}.", features=described, scaled=scaled)]
    if grouping.warm and not families.scores:
        sentences.append(
            words.tr_n(
                "{count} family, as in the previous build of this playlist: k-means started "
                "from its centre, so that a few changed tracks move only tracks near a border.",
                "{count} families, as in the previous build of this playlist: k-means started "
                "from their centres, so that a few changed tracks move only tracks near a "
                "border.",
                families.count,
            )
        )
    else:
        sentences.append(k_choice_sentence(families, options.clusters, words))
    smallest = max(2, int(options.mix_size * MIN_MIX_SHARE))
    sentence = tr(
        "Each family is split by k-means into round(tracks / {size}) mixes (at least 1, at most "
        "{most}); a mix under {smallest} tracks is merged into its nearest sibling.",
        size=options.mix_size,
        most=MAX_MIXES,
        smallest=smallest,
    )
    in_all = words.tr_n("{count} mix in all.", "{count} mixes in all.", grouping.mix_count)
    warm = [tr("The mixes started from the previous build's.")] if grouping.warm else []
    sentences.append(in_a_row(words, sentence, in_all, *warm))
    silhouette = families.silhouette
    by_family = "; ".join(
        f"{number + 1}: {words.decimal(score)}" for number, score in enumerate(families.separation)
    )
    sentences.append(
        tr(
            "The families are {separation}: mean silhouette {silhouette} (from −1 to 1; above "
            "0.5 well separated, at 0.25 or below the tracks form a continuum and the families "
            "are regions of it, whose edges could as well belong to a neighbour). By family: "
            "{by_family}.",
            separation=separation_words(silhouette, words),
            silhouette=words.decimal(silhouette),
            by_family=by_family,
        )
    )
    horizontal, vertical = families.explained_variance
    sentences.append(
        tr(
            "The map shows the tracks' first two principal components (PCA), which carry "
            "{horizontal} and {vertical} of the differences between tracks.",
            horizontal=words.percent(horizontal),
            vertical=words.percent(vertical),
        )
    )
    return sentences


def playlist_figures(
    options: PlaylistOptions,
    members: pd.DataFrame,
    grouping: Grouping,
    matrix: FeatureMatrix,
    views: list[FamilyView],
    words: Language = ENGLISH,
) -> dict[str, bytes]:
    """The scatter (PNG, and SVG within MAX_SVG_POINTS and MAX_SVG_BYTES) coloured by family
    with the mixes marked, the overview's thumbnail and the profile of the families (when they
    have numeric traits), by file name, their text in `words`' language."""
    families = grouping.families
    # One level (every family one mix): no rings, the families are the mixes.
    # Each track's mix number - 1: the figure numbers the rings as the page does.
    mixes = (
        None if grouping.mix_count == families.count else grouping.mix_numbers[grouping.mixes] - 1
    )
    drawn = drawn_language(words)  # the SVGs' text is drawn by the browser: any language
    images = {
        options.image_name: scatter_png(
            families.projection,
            families.labels,
            axis_titles(matrix, grouping, drawn),
            **marks(mixes),
            language=drawn,
        ),
        options.thumbnail_name: thumbnail_png(families.projection, families.labels),
    }
    if len(members) <= MAX_SVG_POINTS:  # beyond, the SVG is too heavy: the page shows the PNG
        rows = records(members[["name", "artists", "track_id"]])  # what a point shows
        names = {int(mix.number): mix.description.name for family in views for mix in family.mixes}
        tooltips = [
            point_tooltip(row, int(number), names[int(number)], words)
            for row, number in zip(rows, grouping.mix_numbers[grouping.mixes], strict=True)
        ]
        links = [track_name_and_url(row)[1] for row in rows]
        if svg_fits(tooltips, links):  # long names make it too heavy too
            images[options.svg_name] = scatter_svg(
                families.projection,
                families.labels,
                axis_titles(matrix, grouping, words),
                tooltips,
                links,
                **marks(mixes),
                language=words,
            )
    if matrix.trait_columns:
        images[options.profile_name] = profile_svg(
            np.array([family.description.shifts for family in views]),
            [feature_name(column, words) for column in matrix.trait_columns],
            [family.size for family in views],
            language=words,
            mixes=mixes is None,  # one level: the families are the page's mixes
        )
    return images


def axis_titles(matrix: FeatureMatrix, grouping: Grouping, language: Language) -> list[AxisTitle]:
    """The map's axes: each principal component's share of the variance and its ends' words,
    in `language`."""
    families = grouping.families
    ends = [
        axis_words(dict(zip(matrix.names, axis, strict=True)), translated_words(matrix, language))
        for axis in families.components
    ]
    return [
        AxisTitle(
            language.tr(
                "Principal component {number}: {share} of the variance",
                number=i + 1,
                share=language.percent(share),
            ),
            low,
            high,
        )
        for i, ((low, high), share) in enumerate(
            zip(ends, families.explained_variance, strict=True)
        )
    ]


def marks(mixes: np.ndarray | None) -> dict[str, np.ndarray]:
    """The scatter's keyword for the mixes it marks (none for a one-level page)."""
    return {} if mixes is None else {"mixes": mixes}


def point_tooltip(track: dict[str, Any], mix: int, mix_name: str, words: Language = ENGLISH) -> str:
    """A scatter point's tooltip: the track, its artists and its mix, as plain text (the SVG
    escapes it)."""
    name = track["name"] if isinstance(track["name"], str) else words.tr("Unknown track")
    artists = ", ".join(track["artists"])
    text = f"{name} — {artists}" if artists else name
    named = words.tr("Mix {number}: {name}", number=mix, name=mix_name)
    return f"{text} ({named})"


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


def download_files(
    views: list[FamilyView],
    unclustered: pd.DataFrame,
    alternates: pd.DataFrame,
    options: PlaylistOptions,
    words: Language = ENGLISH,
) -> dict[str, bytes]:
    """Each mix as CSV, URI list and M3U8, and every track with its family and mix in one CSV.
    The CSVs hold a recording's other Spotify ids too (`alternates`, see `same_recordings`),
    each right after it and marked as a repeat of it; the URI list and the M3U8 list each
    recording once, as the page does."""
    folder = options.downloads_folder
    files: dict[str, bytes] = {}
    mixes = [(family, mix) for family in views for mix in family.mixes]
    # Every mix's tracks in playing order, each followed by its other ids, and their CSV rows,
    # made once: per mix, a contiguous run of them (the columns of an alternate, `_mix`
    # included, are its shown track's).
    listed = pd.concat(
        [mix.running.assign(_mix=i) for i, (_, mix) in enumerate(mixes)]
        or [pd.DataFrame(columns=[*unclustered.columns, "_mix"])]
    )
    listed = with_alternates(listed, alternates)
    lines = csv_lines(
        [*row, mark]
        for row, mark in zip(exportify_rows(listed), repeat_marks(listed, alternates), strict=True)
    )
    ends = np.searchsorted(listed["_mix"].to_numpy(dtype=int), np.arange(len(mixes) + 1))
    repeats = words.tr("Same Recording As")
    everything: list[str] = []
    for i, (family, mix) in enumerate(mixes):
        mix_lines = lines[ends[i] : ends[i + 1]]
        files[download_name(folder, f"mix-{mix.number}.csv")] = joined_csv(mix_lines, (repeats,))
        files[download_name(folder, f"mix-{mix.number}.txt")] = uri_list(mix.running)
        title = words.tr(
            "{title}: Mix {number} ({name})",
            title=options.title,
            number=mix.number,
            name=mix.description.name,
        )
        files[download_name(folder, f"mix-{mix.number}.m3u8")] = m3u8(mix.running, title)
        # Numbers and an empty cell: CSV and spreadsheets take them as they are.
        groups = f",{family.number},{mix.number},\n"
        everything += [line[:-1] + groups for line in mix_lines]
    unclustered = with_alternates(unclustered, alternates)
    reasons = unclustered["reason"].astype(str)
    everything += csv_lines(
        [*row, mark, "", "", reason]
        for row, mark, reason in zip(
            exportify_rows(unclustered),
            repeat_marks(unclustered, alternates),
            reasons,
            strict=True,
        )
    )
    files[download_name(folder, "all-tracks.csv")] = joined_csv(
        everything,
        (repeats, words.tr("Family"), words.tr("Mix"), words.tr("Why Not Grouped")),
    )
    return files


def repeat_marks(tracks: pd.DataFrame, alternates: pd.DataFrame) -> list[str]:
    """Per row of `tracks` with their other ids (`with_alternates`): for another id of a
    recording, the Track URI of the one the page lists (which comes before it); else ""."""
    same_as = alternates["same_as"].reindex(tracks.index)
    if same_as.isna().all():
        return [""] * len(tracks)
    uris = dict(
        zip(
            tracks.index,
            (track_uri(i, u) or "" for i, u in zip(tracks["track_id"], tracks["uri"], strict=True)),
            strict=True,
        )
    )
    return ["" if pd.isna(shown) else uris[shown] for shown in same_as]


def with_alternates(tracks: pd.DataFrame, alternates: pd.DataFrame) -> pd.DataFrame:
    """`tracks` with each one's other Spotify ids right after it, taking its columns that
    `alternates` lacks (its cluster's reason for not being clustered)."""
    others = alternates[alternates["same_as"].isin(tracks.index)]
    if not len(others):
        return tracks
    shown = others["same_as"]
    missing = [column for column in tracks.columns if column not in others.columns]
    others = others.drop(columns="same_as").assign(
        **{column: tracks.loc[shown, column].to_numpy() for column in missing}
    )[tracks.columns]
    position = pd.Series(np.arange(len(tracks)), index=tracks.index)
    # Sorted by the position of the track shown, the shown one first, then its other ids in
    # their own order (a stable sort).
    keys = np.concatenate([position.to_numpy() * 2, position[shown].to_numpy() * 2 + 1])
    combined = pd.concat([tracks, others])
    return combined.iloc[np.argsort(keys, kind="stable")]


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


def axis_words(
    weights: dict[str, float], words: dict[str, tuple[str, str]], comma: str = ", "
) -> tuple[str, str]:
    """(words for the low end, words for the high end) of a principal axis, joined with
    `comma` (the figures take them ", "-joined and join them in the language themselves)."""
    opposite = {name: -weight for name, weight in weights.items()}
    low = describe_direction(opposite, words=words, separator=comma)
    return low, describe_direction(weights, words=words, separator=comma)


def _empty_tracks() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in TRACK_COLUMNS})
