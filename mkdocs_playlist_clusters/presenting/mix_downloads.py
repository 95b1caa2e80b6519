"""Each mix's downloads (CSV, URI list, M3U8) and the all-tracks CSV, with a recording's
other Spotify ids beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..describing.views import FamilyView
from ..language import ENGLISH, Language
from ..playlist import (
    PlaylistOptions,
    download_name,
)
from .downloads import csv_lines, exportify_rows, joined_csv, m3u8, track_uri, uri_list


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
