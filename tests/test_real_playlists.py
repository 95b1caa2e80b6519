"""Real playlist exports from ../shared/playlists, read in place (never copied).

Every export with audio features goes through the pure pipeline, and the page's numbers are
checked against counts computed here, independently of the plugin's own de-duplication. One
small site is built with MkDocs from two of the files.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from pathlib import Path

import pytest
from conftest import (
    CLUSTER_HEADING,
    SHARED_PLAYLISTS,
    build,
    cluster_sizes,
    make_site,
    parse_page,
    png_size,
    requires_shared,
    site_path,
)

from mkdocs_playlist_clusters.config import slugify, title_from_path
from mkdocs_playlist_clusters.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES as CONTINUOUS
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.reading import PlaylistTable, read_playlist

pytestmark = requires_shared

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


@functools.cache
def read(path: Path) -> PlaylistTable:
    return read_playlist(path.read_bytes())


def has_audio_features(path: Path) -> bool:
    return bool(read(path).tracks["danceability"].notna().any())


def files_param(with_features: bool) -> list[object]:
    files = [p for p in data_files() if has_audio_features(p) == with_features]
    if not SHARED_PLAYLISTS.is_dir():  # one placeholder, skipped by `requires_shared`
        return [pytest.param(None, id="no-shared-playlists")]
    return [pytest.param(p, id=p.name) for p in files]


def identity(row: dict[str, object]) -> str:
    """Track id, else URI, else name + artists + album (case-insensitive); a row with none of
    them is a track of its own.

    Missing text may be None or NaN (pandas 3 stores text columns as strings with NaN).
    """
    if not _missing(row["track_id"]):
        return f"id:{row['track_id']}"
    if not _missing(row["uri"]):
        return f"uri:{row['uri']}"
    if _missing(row["name"]):
        return f"line:{row['line']}"
    artists = [str(a).casefold() for a in row["artists"]]
    parts = [row["name"], *artists, row["album"]]
    return "meta:" + "|".join("" if _missing(p) else str(p).casefold() for p in parts)


def expected_counts(table: PlaylistTable) -> tuple[int, int]:
    """(distinct tracks, distinct tracks with every continuous feature the file has)."""
    rows = table.tracks.to_dict("records")
    present = [f for f in CONTINUOUS if any(not _missing(r[f]) for r in rows)]
    distinct = {identity(r) for r in rows}
    clusterable = {identity(r) for r in rows if all(not _missing(r[f]) for f in present)}
    return len(distinct), len(clusterable)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def markdown_sections(page: str) -> dict[str, list[str]]:
    """The page's Markdown split at its "## " headings: heading -> lines under it."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in page.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            assert current not in sections, f"heading {current!r} appears twice"
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


def first_text(lines: list[str]) -> str:
    return next(line for line in lines if line.strip())


SUMMARY = re.compile(r"^(\d+) tracks?(?: \((\d+) duplicate rows? counted once\))?[;,]")


def check_page_counts(
    page: str, distinct: int, duplicates: int, representatives: int = 10
) -> tuple[list[int], int]:
    """Check the page's own numbers against each other and against the independent counts;
    return (cluster sizes, tracks not clustered)."""
    sections = markdown_sections(page)
    head = sections[""]
    title_line = next(i for i, line in enumerate(head) if line.startswith("# Clusters in "))
    summary = first_text(head[title_line + 1 :])
    match = SUMMARY.match(summary)
    assert match, summary
    assert int(match.group(1)) == distinct, summary
    assert int(match.group(2) or 0) == duplicates, summary

    sizes = []
    for heading, lines in sections.items():
        if CLUSTER_HEADING.match(heading):
            size = re.match(r"(\d+) tracks?\b", first_text(lines))
            assert size, (heading, first_text(lines))
            n = int(size.group(1))
            sizes.append(n)
            # The representatives' table, then (for a bigger cluster) the full list.
            rows = sum(line.startswith("<tr><td") for line in lines)
            assert rows == min(n, representatives) + (n if n > representatives else 0), heading
    assert sizes == sorted(sizes, reverse=True)  # numbered largest first

    not_clustered = 0
    if "Not clustered" in sections:
        lines = sections["Not clustered"]
        count = re.match(r"(\d+) tracks? could not be placed", first_text(lines))
        assert count, first_text(lines)
        not_clustered = int(count.group(1))
        assert sum(line.startswith("<tr><td") for line in lines) == not_clustered
    assert sum(sizes) + not_clustered == distinct
    return sizes, not_clustered


@pytest.mark.parametrize("path", files_param(with_features=True))
def test_cluster_sizes_add_up(path):
    options = PlaylistOptions(title_from_path(path.name), slugify(path.name.split(".")[0]))

    result = build_playlist(path.read_bytes(), options)

    known = KNOWN_WARNINGS.get(path.name, ())
    unexpected = [w for w in result.warnings if not any(k in w for k in known)]
    assert not unexpected, unexpected
    assert set(result.files) == {options.page_name, options.image_name}
    assert png_size(result.files[options.image_name])[0] >= 800
    distinct, clusterable = expected_counts(read(path))
    duplicates = len(read(path).tracks) - distinct
    sizes, _ = check_page_counts(result.files[options.page_name].decode(), distinct, duplicates)
    assert 2 <= len(sizes) <= 10
    assert sum(sizes) == clusterable


@pytest.mark.parametrize("path", files_param(with_features=False))
def test_exports_without_features_are_clustered_on_metadata(path):
    options = PlaylistOptions(title_from_path(path.name), slugify(path.name.split(".")[0]))

    result = build_playlist(path.read_bytes(), options)

    assert not result.warnings
    assert set(result.files) == {options.page_name, options.image_name}
    tracks = read(path).tracks
    distinct = len({identity(row) for row in tracks.to_dict("records")})
    # Only local files, episodes and unavailable rows have nothing to be compared by.
    placeable = len({identity(row) for row in tracks.to_dict("records") if row["kind"] == "track"})
    sizes, _ = check_page_counts(
        result.files[options.page_name].decode(), distinct, len(tracks) - distinct
    )
    assert len(sizes) >= 2
    assert sum(sizes) == placeable


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
        slug = slugify(path.name.split(".")[0])
        page_file = site_dir / "playlists" / slug / "index.html"
        page = parse_page(page_file.read_text(encoding="utf-8"))
        assert page.h1 == [f"Clusters in {title}"]
        distinct, clusterable = expected_counts(read(path))
        assert sum(cluster_sizes(page)) == clusterable
        not_clustered = [
            t for t in page.tables if t.heading == "Not clustered" and "Track" in t.header
        ]
        assert sum(len(t.rows) for t in not_clustered) == distinct - clusterable
        scatter = next(i for i in page.images if (i.get("src") or "").endswith("-clusters.png"))
        image = site_path(site_dir, f"playlists/{slug}/", scatter["src"] or "")
        assert image is not None and image.is_file()
        assert png_size(image.read_bytes())[0] >= 800
        assert [
            link.sections[-1]
            for link in home.nav_links
            if link.sections and site_path(site_dir, "", link.href) == page_file
        ] == ["Playlists"]

    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == before
    assert sorted(p.name for p in SHARED_PLAYLISTS.iterdir()) == listing
