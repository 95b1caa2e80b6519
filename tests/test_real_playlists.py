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
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from built_html import (
    MIX_HEADING,
    mix_sizes,
    parse_page,
    playlist_pages,
    png_size,
    scatter_png_links,
)
from site_building import SHARED_PLAYLISTS, build, make_site, requires_shared, site_path

from mkdocs_playlist_clusters.building.options import slugify, title_from_path
from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES, PlaylistOptions
from mkdocs_playlist_clusters.reading.exports import read_playlist

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


NUMBER = r"\d[\d,]*"
SUMMARY = re.compile(
    rf"^(?P<distinct>{NUMBER}) tracks?(?: \((?:(?P<clustered>{NUMBER}) of them can be grouped)?"
    rf"(?:; )?(?:(?P<duplicates>{NUMBER}) duplicate rows? counted once)?"
    rf"(?:; )?(?:(?P<recordings>{NUMBER}) recordings? listed again [^)]*)?\))?, in "
    rf"(?:(?P<families>{NUMBER}) famil(?:y|ies) (?:of similar sound|of tracks alike in .+?), "
    rf"split into )?"
    rf"(?P<mixes>{NUMBER}) mix(?:es)?\b"
)


def number(text: str | None) -> int:
    return int(text.replace(",", "")) if text else 0


def page_numbers(
    page: str, families: Sequence[str] = ()
) -> tuple[int, int, int, int, int, list[int]]:
    """(distinct tracks, duplicate rows, recordings listed again under another id, grouped
    tracks, mixes, mix sizes) as the page's first sentence and its "Mix N" sections state
    them, on the page or on its `families`' pages."""
    lines = [line for text in (page, *families) for line in text.splitlines() if line.strip()]
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    summary = SUMMARY.match(lines[title + 1])
    assert summary, lines[title + 1]
    distinct = number(summary["distinct"])
    recordings = number(summary["recordings"])
    clustered = number(summary["clustered"]) or distinct - recordings
    sizes = [
        number(match.group(3))
        for line in lines
        if line.startswith("#") and (match := MIX_HEADING.match(line.lstrip("#").strip()))
    ]
    return (
        distinct,
        number(summary["duplicates"]),
        recordings,
        clustered,
        number(summary["mixes"]),
        sizes,
    )


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
def test_page_counts_tracks_and_mixes_as_expected(path):
    expected = EXPECTATIONS[path.name]
    options = options_for(path)

    result = build_playlist(path.read_bytes(), options)

    known = KNOWN_WARNINGS.get(path.name, ())
    assert not [w for w in result.warnings if not any(k in w for k in known)], result.warnings
    assert {options.page_name, options.image_name} <= set(result.files)
    assert png_size(result.files[options.image_name])[0] >= 800
    families = [
        content.decode()
        for name, content in result.files.items()
        if name.endswith(".md") and name != options.page_name
    ]
    distinct, duplicates, recordings, clustered, mixes, sizes = page_numbers(
        result.files[options.page_name].decode(), families
    )
    assert distinct == expected["distinct_tracks"]
    assert duplicates == expected["rows"] - expected["distinct_tracks"]
    # A recording listed again under another id is one row on the page (its other id is in
    # the downloads); such pairs are a few percent of a library at most.
    assert clustered <= expected["clusterable_tracks"] <= clustered + recordings
    assert recordings <= 0.06 * distinct
    assert len(sizes) == mixes >= 2
    assert sum(sizes) == clustered
    # Mixes of listenable size: at least 80% of the tracks in mixes of 20 to 300 (the
    # smallest playlists are one level: their few mixes may be smaller).
    if clustered >= 500:
        assert sum(size for size in sizes if 20 <= size <= 300) >= 0.8 * clustered, sizes
        assert mixes >= clustered / 150
    # Families: what the summary says, 2 to 8 of them.
    assert {mix.size for family in result.summary.families for mix in family.mixes} <= set(sizes)
    assert 2 <= len(result.summary.families) <= 8


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
        assert page.h1 == [f"{title}"]
        # Each recording listed again under another id is one row less on the page.
        summary = " ".join(text for _, text in page.paragraphs)
        recordings = re.search(r"(\d+) recordings? listed again", summary)
        shown = expected["distinct_tracks"] - (int(recordings.group(1)) if recordings else 0)
        assert expected["clusterable_tracks"] >= sum(mix_sizes(page))
        not_grouped = [t for t in page.tables if t.heading == "Not grouped" and "Track" in t.header]
        assert sum(mix_sizes(page)) + sum(len(t.rows) for t in not_grouped) == shown
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


LARGE = "exportify-2025nov_hiphop-rap_liked-songs_7785tracks.csv"
NO_FEATURES = "watsonbox-2026_vpop-jpop_liked_746tracks_nofeatures.csv"


def test_a_large_library_gets_families_of_mixes_of_stated_sizes(tmp_path):
    """Checked from the built page, not from the plugin's internals: families and mixes of
    the stated sizes, and sibling names that differ. What the names say is checked in
    tests/test_recognizable.py."""
    config = make_site(tmp_path, {"playlists": [str(SHARED_PLAYLISTS / LARGE)]})
    build(config)
    slug = options_for(SHARED_PLAYLISTS / LARGE).slug
    folder = tmp_path / "site" / "playlists" / slug
    page, *families = playlist_pages(folder)
    assert 2 <= len([h for h in page.h2 if h.startswith("Family ")]) <= 8
    # Many mixes: the page shows them as cards, their sections are on their families' pages.
    assert 2 <= len(families) <= 16 and not any(MIX_HEADING.match(h) for h in page.headings)
    sizes = [size for family in families for size in mix_sizes(family)]
    assert len(sizes) >= 36  # several dozen
    assert sum(s for s in sizes if 20 <= s <= 300) >= 0.8 * sum(sizes)
    # Sibling names differ: mixes are listed family by family.
    by_family: dict[str, list[str]] = {}
    for family in families:
        names = [m.group(2) for h in family.headings if (m := MIX_HEADING.match(h))]
        by_family.setdefault(family.h1[0].split(":")[0], []).extend(names)
    for names in by_family.values():
        assert len(names) == len(set(names)), names


def test_an_export_without_features_has_no_two_track_group():
    path = SHARED_PLAYLISTS / NO_FEATURES
    result = build_playlist(path.read_bytes(), options_for(path))
    sizes = [mix.size for family in result.summary.families for mix in family.mixes]
    assert min(sizes) >= 10, sizes
    assert min(family.size for family in result.summary.families) >= 20
