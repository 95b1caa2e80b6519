"""A bug while a playlist is computed gives a page that says so, never the exception's text.

An exception can carry what it was working on: a cell, a header, the first line of a file
that turned out to be /etc/passwd. The page and the overview are public, so they name the
exception's type and where to report it; the build log, which the site's owner reads, gets
the text on one line.
"""

from __future__ import annotations

from mkdocs_playlist_clusters.building import pipeline
from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.presenting.overview import OverviewEntry, overview_page

OPTIONS = PlaylistOptions(title="Mix", slug="mix")
SECRET = "root:x:0:0:root:/root:/bin/bash"
DATA = b"Track Name,Artist,Energy\n" + b"".join(b"T%d,A,0.%d\n" % (i, i) for i in range(9))


def test_a_bug_page_names_the_type_and_the_log_has_the_text(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError(f"could not convert {SECRET!r}\n::error::forged")

    monkeypatch.setattr(pipeline, "group_tracks", broken)
    result = build_playlist(DATA, OPTIONS)

    page = result.files["mix.md"].decode() + "".join(result.indexed.values())
    page += "".join(result.unindexed.values())
    assert SECRET not in page and "forged" not in page
    assert "a bug in mkdocs-playlist-clusters stopped it (ValueError)" in page
    assert "issue tracker of mkdocs-playlist-clusters" in page
    assert result.summary is not None
    overview = overview_page("Playlists", [OverviewEntry("mix.md", result.summary)])
    assert SECRET not in overview and "forged" not in overview
    assert "ValueError" in overview

    (warning,) = result.warnings
    assert SECRET in warning and "\\n::error::forged" in warning
    assert "\n" not in warning
