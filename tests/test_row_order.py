"""The same rows in any order give the same pages, images and downloads; a bug gives a page.

Row order is tested on real shared exports, their records shuffled with the csv module.
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from mkdocs_playlist_clusters.building import pipeline
from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions

OPTIONS = PlaylistOptions(title="Mix", slug="mix")


def with_records_in_order(data: bytes, seed: int | None) -> bytes:
    """The file rewritten by the csv module, its records shuffled with `seed` (None: kept)."""
    header, *records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if seed is not None:
        random.Random(seed).shuffle(records)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *records])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "exportify-2026_rap-pop_running-playlist_64tracks.csv",  # audio features, 1 unavailable
        "exportify-2026_showtunes_musicals_121tracks.csv",
        "watsonbox-2021_eclectic-de-fr_top-songs-2021_100tracks_nofeatures.csv",  # metadata
    ],
)
def test_shuffled_rows_give_byte_identical_output(name, shared_playlists):
    data = (shared_playlists / name).read_bytes()
    first = build_playlist(with_records_in_order(data, None), OPTIONS)
    assert "mix-clusters.png" in first.files
    for seed in (1, 2):
        again = build_playlist(with_records_in_order(data, seed), OPTIONS)
        assert again.files.keys() == first.files.keys()
        for file_name, content in first.files.items():
            assert again.files[file_name] == content, f"{file_name} changed with row order"
        assert again.indexed == first.indexed and again.unindexed == first.unindexed


def test_a_bug_becomes_a_page_and_a_warning_not_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise IndexError("index 7 is out of bounds\nfor axis 0")

    monkeypatch.setattr(pipeline, "group_tracks", broken)
    data = b"Track Name,Artist,Energy\n" + b"".join(b"T%d,A,0.%d\n" % (i, i) for i in range(9))
    result = build_playlist(data, OPTIONS)
    (warning,) = result.warnings
    assert warning == (
        "not grouped: a bug in mkdocs-playlist-clusters stopped it (IndexError: index 7 is out "
        "of bounds\\nfor axis 0); please report it in the issue tracker of "
        "mkdocs-playlist-clusters, with this warning and the file"
    )
    page = result.files["mix.md"].decode()
    assert "# <bdi>Mix</bdi>" in page and "a bug in mkdocs-playlist-clusters" in page
