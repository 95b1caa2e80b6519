"""Real playlist exports from ../shared/playlists, read in place (never copied).

The oracle is tests/expectations/real_playlists.json: counts that
tests/expectations/make_real_playlists.py took from each file's bytes by a few written-down
rules, without the plugin's code (rows, distinct tracks, tracks that can be clustered, local
files, episodes, unavailable rows, rows without audio features). Every export goes through the
reader and the pure pipeline, and what they report must match; one small site is built with
MkDocs from two of the files.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest
from built_html import CLUSTER_HEADING, cluster_sizes, parse_page, png_size, scatter_png_links
from site_building import SHARED_PLAYLISTS, build, make_site, requires_shared, site_path

from mkdocs_playlist_clusters.config import slugify, title_from_path
from mkdocs_playlist_clusters.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES, PlaylistOptions
from mkdocs_playlist_clusters.reading import read_playlist

pytestmark = requires_shared

EXPECTATIONS: dict[str, dict[str, int]] = json.loads(
    (Path(__file__).parent / "expectations" / "real_playlists.json").read_text(encoding="utf-8")
)

# File name -> substrings of warnings that file is known to raise. None so far: every
# warning the pipeline gives for these files is a failure until someone decides otherwise.
KNOWN_WARNINGS: dict[str, tuple[str, ...]] = {}

SMALL_FILES = (
    "exportify-2024dec_global-pop_top-tracks-2024_50tracks.csv",
    "exportify-2026_rap-pop_running-playlist_64tracks.csv",
)


def data_files() -> list[Path]:
    if not SHARED_PLAYLISTS.is_dir():
        return []
    return sorted(p for p in SHARED_PLAYLISTS.iterdir() if p.is_file() and p.name != "README.md")


def files_param() -> list[object]:
    if not SHARED_PLAYLISTS.is_dir():  # one placeholder, skipped by `requires_shared`
        return [pytest.param(None, id="no-shared-playlists")]
    return [pytest.param(p, id=p.name) for p in data_files()]


def options_for(path: Path) -> PlaylistOptions:
    return PlaylistOptions(title_from_path(path.name), slugify(path.name.split(".")[0]))


SUMMARY = re.compile(
    r"^(?P<distinct>\d+) tracks?(?: \((?:(?P<duplicates>\d+) duplicate rows? counted once)?"
    r"(?:; )?(?:(?P<recordings>\d+) recordings? listed again [^)]*)?\))?, "
    r"(?:all|(?P<clustered>\d+) of them) grouped into (?P<clusters>\d+) clusters\b"
)
SIZE_LINE = re.compile(r"^(\d+) tracks?\b")


def page_numbers(page: str) -> tuple[int, int, int, int, int, list[int]]:
    """(distinct tracks, duplicate rows, recordings listed again under another id, clustered
    tracks, clusters, cluster sizes) as the page's summary sentence and its "## Cluster #N"
    sections state them."""
    lines = [line for line in page.splitlines() if line.strip()]
    title = next(i for i, line in enumerate(lines) if line.startswith("# Clusters in "))
    summary = SUMMARY.match(lines[title + 1])
    assert summary, lines[title + 1]
    distinct = int(summary["distinct"])
    recordings = int(summary["recordings"] or 0)
    clustered = int(summary["clustered"] or distinct - recordings)
    sizes = []
    for heading, first_line in itertools.pairwise(lines):
        if heading.startswith("## ") and CLUSTER_HEADING.match(heading[3:].strip()):
            size = SIZE_LINE.match(first_line)
            assert size, (heading, first_line)
            sizes.append(int(size.group(1)))
    duplicates = int(summary["duplicates"] or 0)
    return distinct, duplicates, recordings, clustered, int(summary["clusters"]), sizes


def test_every_shared_export_has_expectations():
    if not SHARED_PLAYLISTS.is_dir():
        pytest.skip("../shared/playlists is not beside this checkout")
    assert sorted(p.name for p in data_files()) == sorted(EXPECTATIONS), (
        "run tests/expectations/make_real_playlists.py after the shared exports change"
    )


@pytest.mark.parametrize("path", files_param())
def test_reader_counts_rows_and_kinds_as_expected(path):
    expected = EXPECTATIONS[path.name]

    tracks = read_playlist(path.read_bytes()).tracks

    kinds = tracks["kind"].value_counts()
    assert len(tracks) == expected["rows"]
    assert kinds.get("local", 0) == expected["local_file_rows"]
    assert kinds.get("episode", 0) == expected["episode_rows"]
    assert kinds.get("unavailable", 0) == expected["unavailable_rows"]
    present = [name for name in CONTINUOUS_FEATURES if tracks[name].notna().any()]
    assert bool(present) == expected["has_audio_features"]
    regular = tracks[tracks["kind"] == "track"]
    without = int(regular[present].isna().any(axis=1).sum()) if present else 0
    assert without == expected["track_rows_without_features"]


@pytest.mark.parametrize("path", files_param())
def test_page_counts_tracks_and_clusters_as_expected(path):
    expected = EXPECTATIONS[path.name]
    options = options_for(path)

    result = build_playlist(path.read_bytes(), options)

    known = KNOWN_WARNINGS.get(path.name, ())
    assert not [w for w in result.warnings if not any(k in w for k in known)], result.warnings
    assert {options.page_name, options.image_name} <= set(result.files)
    assert png_size(result.files[options.image_name])[0] >= 800
    distinct, duplicates, recordings, clustered, clusters, sizes = page_numbers(
        result.files[options.page_name].decode()
    )
    assert distinct == expected["distinct_tracks"]
    assert duplicates == expected["rows"] - expected["distinct_tracks"]
    # A recording listed again under another id is one row on the page (its other id is in
    # the downloads); such pairs are a few percent of a library at most.
    assert clustered <= expected["clusterable_tracks"] <= clustered + recordings
    assert recordings <= 0.06 * distinct
    assert len(sizes) == clusters and 2 <= clusters <= 10
    assert sum(sizes) == clustered
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first


def test_real_exports_build_in_a_strict_mkdocs_site(tmp_path):
    paths = [SHARED_PLAYLISTS / name for name in SMALL_FILES]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    listing = sorted(p.name for p in SHARED_PLAYLISTS.iterdir())
    config_path = make_site(
        tmp_path,
        {
            "playlists": [
                str(paths[0]),
                {"path": str(paths[1]), "title": "Running Playlist"},
            ]
        },
        theme="material",
    )

    build(config_path, strict=True)

    site_dir = tmp_path / "site"
    home = parse_page((site_dir / "index.html").read_text(encoding="utf-8"))
    titles = [title_from_path(paths[0].name), "Running Playlist"]
    for path, title in zip(paths, titles, strict=True):
        expected = EXPECTATIONS[path.name]
        slug = options_for(path).slug
        page_file = site_dir / "playlists" / slug / "index.html"
        page = parse_page(page_file.read_text(encoding="utf-8"))
        assert page.h1 == [f"Clusters in {title}"]
        # Each recording listed again under another id is one row less on the page.
        summary = " ".join(text for _, text in page.paragraphs)
        recordings = re.search(r"(\d+) recordings? listed again", summary)
        shown = expected["distinct_tracks"] - (int(recordings.group(1)) if recordings else 0)
        assert expected["clusterable_tracks"] >= sum(cluster_sizes(page))
        not_clustered = [
            t for t in page.tables if t.heading == "Not clustered" and "Track" in t.header
        ]
        assert sum(cluster_sizes(page)) + sum(len(t.rows) for t in not_clustered) == shown
        [png_url] = scatter_png_links(page)
        image = site_path(site_dir, f"playlists/{slug}/", png_url)
        assert image is not None and image.is_file()
        assert png_size(image.read_bytes())[0] >= 800
        assert [
            link.sections[-1]
            for link in home.nav_links
            if link.sections and site_path(site_dir, "", link.href) == page_file
        ] == ["Playlists"]

    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == before
    assert sorted(p.name for p in SHARED_PLAYLISTS.iterdir()) == listing
