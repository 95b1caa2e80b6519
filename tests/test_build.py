"""Real MkDocs builds of small sites with the plugin, checked on the built HTML and image."""

from __future__ import annotations

import hashlib
import html
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from built_html import (
    MIX_HEADING,
    PageParser,
    mix_sizes,
    parse_page,
    png_size,
    scatter_objects,
    scatter_png_links,
)
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from site_building import EXAMPLE_SITE, build, make_site, page_output, site_path
from synthetic import exportify_csv, synthetic_tracks

SPOTIFY_TRACK = re.compile(r"^https://open\.spotify\.com/track/([0-9A-Za-z]{22})$")
TR = re.compile(r"<tr[\s>]")
NAV_OMITTED = "not included in the"


def tree_snapshot(directory: Path) -> dict[str, str]:
    """Every file under `directory` with the hash of its content."""
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def read_page(site_dir: Path, src_uri: str, use_directory_urls: bool = True) -> PageParser:
    path, _ = page_output(site_dir, src_uri, use_directory_urls)
    assert path.is_file(), f"{path} was not built"
    return parse_page(path.read_text(encoding="utf-8"))


def nav_sections_of(site_dir: Path, page_file: Path) -> list[list[str]]:
    """For each nav link on the home page that leads to `page_file`: its enclosing sections.

    Links outside any section (previous/next buttons, footers) are left out.
    """
    home = parse_page((site_dir / "index.html").read_text(encoding="utf-8"))
    return [
        link.sections
        for link in home.nav_links
        if link.sections and site_path(site_dir, "", link.href) == page_file
    ]


def tables_under(page: PageParser, heading: str) -> tuple[list[Any], list[Any]]:
    """(track tables shown, track tables inside <details>) of one section.

    Tables of the theme (the keyboard help of the mkdocs theme) have no "Track" column.
    """
    tables = [t for t in page.tables if t.heading == heading and "Track" in t.header]
    return [t for t in tables if not t.in_details], [t for t in tables if t.in_details]


def error_text(excinfo: pytest.ExceptionInfo[BaseException], caplog: Any) -> str:
    """What a user sees of a failed build: the exception and the errors MkDocs logged."""
    return f"{excinfo.value}\n{caplog.text}"


def check_cluster_page(
    site_dir: Path,
    src_uri: str,
    *,
    use_directory_urls: bool,
    title: str,
    distinct_ids: list[str],
    representatives: int,
) -> tuple[PageParser, list[int]]:
    """The checks every grouped page passes; returns the parsed page and mix sizes."""
    page_file, page_url = page_output(site_dir, src_uri, use_directory_urls)
    assert page_file.is_file(), f"{page_file} was not built"
    raw = page_file.read_text(encoding="utf-8")
    page = parse_page(raw)

    assert page.h1.count(f"{title}") == 1, page.h1
    headings = [h for h in page.headings if MIX_HEADING.match(h)]
    assert sorted(int(MIX_HEADING.match(h).group(1)) for h in headings) == list(
        range(1, len(headings) + 1)
    )
    assert len(headings) >= 2
    sizes = mix_sizes(page)
    assert sum(sizes) == len(distinct_ids)
    assert all(size > 0 for size in sizes)
    # The theme's table of contents lists every mix by name and size, as its heading does.
    toc = re.findall(r'href="#[^"]*"[^>]*>\s*(?:<span[^>]*>\s*)?(Mix \d+: [^<]+?)\s*<', raw)
    assert sorted(set(html.unescape(entry) for entry in toc)) == sorted(headings), toc

    linked: list[str] = []
    for heading, size in zip(headings, sizes, strict=True):
        shown, hidden = tables_under(page, heading)
        assert len(shown) == 1, f"{heading}: {len(shown)} visible tables"
        assert len(shown[0].rows) == min(size, representatives)
        if size > representatives:
            assert len(hidden) == 1 and len(hidden[0].rows) == size
            full = hidden[0]
        else:
            assert not hidden
            full = shown[0]
        linked += [m.group(1) for href in full.links if (m := SPOTIFY_TRACK.match(href))]
    # Every track is listed, and linked to Spotify, in exactly one mix.
    assert sorted(linked) == sorted(distinct_ids)

    # Rows in the HTML: a header row per table plus the body rows counted above.
    assert len(TR.findall(raw)) == sum(1 + len(t.rows) for t in page.tables)
    assert "Not grouped" not in page.h2

    # The scatter: an SVG in an <object> (its URL resolved for the page's URL style), and the
    # same picture as a PNG, linked.
    [(svg_url, label)] = scatter_objects(raw)
    svg = site_path(site_dir, page_url, svg_url)
    assert svg is not None and svg.is_file(), f"{svg_url} does not resolve"
    assert svg.read_bytes().count(b"<title>") >= len(distinct_ids)
    assert f"{len(distinct_ids)} tracks" in label
    [png_url] = scatter_png_links(page)
    image = site_path(site_dir, page_url, png_url)
    assert image is not None and image.is_file(), f"{png_url} does not resolve"
    width, height = png_size(image.read_bytes())
    assert width >= 800 and height > 0
    return page, sizes


# --- The page in every theme and URL style ---------------------------------------------------


@pytest.mark.parametrize("explicit_nav", [False, True], ids=["auto-nav", "explicit-nav"])
@pytest.mark.parametrize("use_directory_urls", [True, False], ids=["dir-urls", "file-urls"])
@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_page_image_and_nav(tmp_path, caplog, theme, use_directory_urls, explicit_nav):
    rows = synthetic_tracks(60, seed=1)
    duplicated = [*rows, rows[0], rows[5]]  # repeated rows count once
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"]},
        theme=theme,
        use_directory_urls=use_directory_urls,
        nav=[{"Home": "index.md"}] if explicit_nav else None,
        # A page left out of the explicit nav on purpose: proves the log check sees MkDocs' note.
        docs={"extra.md": "# Extra\n"} if explicit_nav else None,
        files={"data/foo.csv": exportify_csv(duplicated)},
    )
    docs_before = tree_snapshot(tmp_path / "docs")
    caplog.set_level(logging.INFO, logger="mkdocs")

    build(config_path, strict=True)

    site_dir = tmp_path / "site"
    ids = [row["Track URI"].removeprefix("spotify:track:") for row in rows]
    page, sizes = check_cluster_page(
        site_dir,
        "playlists/foo.md",
        use_directory_urls=use_directory_urls,
        title="Foo",
        distinct_ids=ids,
        representatives=10,
    )
    # Three well-separated archetypes of 20 tracks each: auto k finds them.
    assert sizes == [20, 20, 20]
    summary = next(text for heading, text in page.paragraphs if heading is None and text)
    assert summary.startswith("60 tracks (2 duplicate rows counted once)"), summary
    assert (site_dir / "playlists" / "foo-clusters.png").is_file()

    page_file, _ = page_output(site_dir, "playlists/foo.md", use_directory_urls)
    sections = nav_sections_of(site_dir, page_file)
    assert sections, "the home page's navigation has no link to the playlist page"
    assert all(s[-1] == "Playlists" for s in sections), sections
    if explicit_nav:
        omitted = [r.getMessage() for r in caplog.records if NAV_OMITTED in r.getMessage()]
        assert len(omitted) == 1 and "extra.md" in omitted[0], omitted
        assert "playlists/" not in omitted[0]
    assert tree_snapshot(tmp_path / "docs") == docs_before
    assert not (tmp_path / ".cache").exists()


@pytest.mark.parametrize("explicit_nav", [False, True], ids=["auto-nav", "explicit-nav"])
def test_section_title_and_url_prefix(tmp_path, caplog, explicit_nav):
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"], "section": "My Music", "url_prefix": "music/clusters"},
        nav=[{"Home": "index.md"}] if explicit_nav else None,
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=2))},
    )
    caplog.set_level(logging.INFO, logger="mkdocs")
    build(config_path)

    site_dir = tmp_path / "site"
    page_file = site_dir / "music" / "clusters" / "foo" / "index.html"
    assert page_file.is_file()
    assert (site_dir / "music" / "clusters" / "foo-clusters.png").is_file()
    assert not (site_dir / "playlists").exists()
    sections = nav_sections_of(site_dir, page_file)
    assert sections and all(s[-1] == "My Music" for s in sections), sections
    home = parse_page((site_dir / "index.html").read_text(encoding="utf-8"))
    assert not any("Playlists" in link.sections for link in home.nav_links)
    assert NAV_OMITTED not in caplog.text


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_page_placed_by_user_is_not_added_again(tmp_path, caplog, theme):
    nav = [{"Home": "index.md"}, {"Mixes": ["playlists/foo.md"]}]
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"]},
        theme=theme,
        nav=nav,
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=3))},
    )
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = build(config_path)

    site_dir = tmp_path / "site"
    page_file = site_dir / "playlists" / "foo" / "index.html"
    assert page_file.is_file()
    assert nav_sections_of(site_dir, page_file) == [["Mixes"]]
    assert config.nav == nav
    home = parse_page((site_dir / "index.html").read_text(encoding="utf-8"))
    assert not any("Playlists" in link.sections for link in home.nav_links)
    # MkDocs lists the overview as a page the nav leaves out (an INFO line), not the page.
    omitted = caplog.text.split(NAV_OMITTED, 1)[1] if NAV_OMITTED in caplog.text else ""
    assert "playlists/foo.md" not in omitted


@pytest.mark.parametrize("clusters", [2, 3, 5])
def test_two_playlists_bare_and_mapping(tmp_path, clusters):
    foo_rows = synthetic_tracks(45, seed=4)
    bar_rows = synthetic_tracks(60, seed=5)
    config_path = make_site(
        tmp_path,
        {
            "representatives": 4,
            "playlists": [
                "data/foo.csv",
                {
                    "path": "data/bar.csv",
                    "title": "Bar Mix",
                    "clusters": clusters,
                    "representatives": 6,
                },
            ],
        },
        files={
            "data/foo.csv": exportify_csv(foo_rows),
            "data/bar.csv": exportify_csv(bar_rows),
        },
    )
    build(config_path)

    site_dir = tmp_path / "site"
    check_cluster_page(
        site_dir,
        "playlists/foo.md",
        use_directory_urls=True,
        title="Foo",
        distinct_ids=[r["Track URI"].removeprefix("spotify:track:") for r in foo_rows],
        representatives=4,
    )
    bar, sizes = check_cluster_page(
        site_dir,
        "playlists/bar.md",
        use_directory_urls=True,
        title="Bar Mix",
        distinct_ids=[r["Track URI"].removeprefix("spotify:track:") for r in bar_rows],
        representatives=6,
    )
    assert len(sizes) == clusters
    assert sum(1 for h in bar.h2 if h.startswith("Mix ")) == clusters  # one level: mixes
    for name in ("foo", "bar"):
        page_file = site_dir / "playlists" / name / "index.html"
        assert [s[-1] for s in nav_sections_of(site_dir, page_file)] == ["Playlists"]


def test_plugin_wide_representatives_cap_first_table(tmp_path):
    config_path = make_site(
        tmp_path,
        {"representatives": 4, "playlists": [{"path": "data/foo.csv", "clusters": 3}]},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(60, seed=6))},
    )
    build(config_path)
    page = read_page(tmp_path / "site", "playlists/foo.md")
    for heading in (h for h in page.headings if h.startswith("Mix ")):
        shown, hidden = tables_under(page, heading)
        assert len(shown[0].rows) <= 4
        assert len(hidden) == 1 and len(hidden[0].rows) == 20


# --- Configuration errors ----------------------------------------------------------------------

BUILD_ERRORS = (Abort, ConfigurationError, PluginError)


def test_missing_playlist_file_is_a_config_error(tmp_path, caplog):
    config_path = make_site(tmp_path, {"playlists": ["data/missing.csv"]})
    with pytest.raises(BUILD_ERRORS) as excinfo:
        build(config_path)
    assert "missing.csv" in error_text(excinfo, caplog)
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("clusters", [1, 0, 31, "many", True, 2.5])
def test_bad_cluster_count_is_rejected(tmp_path, caplog, clusters):
    config_path = make_site(
        tmp_path,
        {"playlists": [{"path": "data/foo.csv", "clusters": clusters}]},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=7))},
    )
    with pytest.raises(BUILD_ERRORS) as excinfo:
        build(config_path)
    assert "clusters" in error_text(excinfo, caplog)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"representatives": 0}, "expected a whole number of 1 or more, got 0"),
        ({"features": ["key"]}, "'key'"),
        ({"playlists": [{"path": "data/foo.csv", "features": ["mode"]}]}, "'mode'"),
    ],
    ids=["representatives-0", "categorical-feature", "categorical-feature-per-playlist"],
)
def test_other_bad_options_are_rejected(tmp_path, caplog, options, says):
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"], **options},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=7))},
    )
    with pytest.raises(BUILD_ERRORS) as excinfo:
        build(config_path)
    assert says in error_text(excinfo, caplog)


@pytest.mark.parametrize(
    ("first", "second"),
    [("data/a/foo.csv", "data/b/foo.csv"), ("data/foo.csv", "data/foo.tsv")],
    ids=["same-name-two-folders", "same-stem-two-extensions"],
)
def test_two_playlists_with_one_page_name_are_rejected(tmp_path, caplog, first, second):
    content = exportify_csv(synthetic_tracks(30, seed=8))
    config_path = make_site(
        tmp_path,
        {"playlists": [first, second]},
        files={first: content, second: content},
    )
    with pytest.raises(BUILD_ERRORS) as excinfo:
        build(config_path)
    message = error_text(excinfo, caplog)
    assert first in message and second in message, message
    assert not (tmp_path / "site" / "playlists").exists()


# --- Data the plugin cannot cluster ------------------------------------------------------------


def test_too_few_tracks_fails_strict_build(tmp_path, caplog):
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/tiny.csv"]},
        files={"data/tiny.csv": exportify_csv(synthetic_tracks(3, seed=9))},
    )
    with pytest.raises(Abort):
        build(config_path, strict=True)
    assert "tiny.csv" in caplog.text
    assert "not grouped" in caplog.text


def test_too_few_tracks_builds_a_page_that_says_so(tmp_path, caplog):
    rows = synthetic_tracks(3, seed=9)
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/tiny.csv"]},
        files={"data/tiny.csv": exportify_csv(rows)},
    )
    caplog.set_level(logging.WARNING, logger="mkdocs")
    build(config_path, strict=False)

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "tiny.csv" in warnings[0].getMessage()
    site_dir = tmp_path / "site"
    page = read_page(site_dir, "playlists/tiny.md")
    assert page.h1 == ["Tiny"]
    assert any("not grouped" in text for _, text in page.paragraphs)
    assert not [h for h in page.headings if h.startswith(("Mix ", "Family "))]
    assert "Not grouped" in page.h2
    shown, _ = tables_under(page, "Not grouped")
    assert len(shown) == 1
    names = sorted(cells[shown[0].header.index("Track")] for cells in shown[0].rows)
    assert names == sorted(row["Track Name"] for row in rows)
    assert not list((site_dir / "playlists").rglob("*.png"))
    assert not [img for img in page.images if "clusters" in (img.get("src") or "")]


# --- Escaping, end to end ----------------------------------------------------------------------

NASTY_NAMES = (
    "<script>alert(1)</script>",
    "a | b",
    "*bold* _x_ [link](http://e.com)",
    'Tom & Jerry "quoted"',
    "눈,코,입",
    "夜に駆ける",
    "Źdźbło",
)


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_data_text_is_escaped_end_to_end(tmp_path, theme):
    rows = synthetic_tracks(30, seed=10)
    for row, name in zip(rows, NASTY_NAMES, strict=False):
        row["Track Name"] = name
    rows[0]["Album Name"] = "<b>Bold</b> & {attr}"
    rows[1]["Artist Name(s)"] = "AC/DC;Earth, Wind & Fire"
    rows[2]["Record Label"] = "[x](javascript:alert(1))"
    for row in rows[::3]:  # one archetype, so it is among its cluster's top genres
        row["Genres"] = "<i>emo</i>,*starred*"
    config_path = make_site(
        tmp_path,
        {"playlists": [{"path": "data/nasty.csv", "title": "Rock & Roll *Mix*"}]},
        theme=theme,
        files={"data/nasty.csv": exportify_csv(rows)},
    )
    build(config_path)

    page_file, _ = page_output(tmp_path / "site", "playlists/nasty.md", True)
    raw = page_file.read_text(encoding="utf-8")
    page = parse_page(raw)

    assert "<script>alert" not in raw
    assert not [script for script in page.scripts if "alert(1)" in script]
    assert '<a href="http://e.com"' not in raw
    assert not [a for a in page.anchors if "javascript:" in (a.get("href") or "")]
    assert "<b>Bold</b>" not in raw and "<i>emo</i>" not in raw
    assert page.h1 == ["Rock & Roll *Mix*"]

    cells = [cell for table in page.tables for row in table.rows for cell in row]
    for name in NASTY_NAMES:
        assert name in cells, f"{name!r} is not a table cell of the page"
    assert "<b>Bold</b> & {attr}" in cells
    assert "AC/DC, Earth, Wind & Fire" in cells
    assert "[x](javascript:alert(1))" in cells
    assert "눈,코,입" in raw
    # Held by one mix (all of one archetype), so its name and evidence say it, as text.
    assert any("<i>emo</i>" in h or "*starred*" in h for h in page.headings), page.headings
    assert re.search(r"Genre <bdi>&lt;i&gt;emo&lt;/i&gt;</bdi>: \d+ tracks here", raw)


# --- The example site ------------------------------------------------------------------------


def test_example_site_builds_strict(tmp_path, example_site_copy):
    example = example_site_copy
    site_dir = tmp_path / "site"
    config_path = example / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(f"{text}\nsite_dir: {site_dir.as_posix()}\n", encoding="utf-8")

    build(config_path, strict=True)

    page = read_page(site_dir, "playlists/demo-mixtape.md")
    assert page.h1 == ["Demo Mixtape"]
    assert len([h for h in page.headings if h.startswith("Mix ")]) >= 2
    width, _ = png_size((site_dir / "playlists" / "demo-mixtape-clusters.png").read_bytes())
    assert width >= 800
    assert tree_snapshot(example / "docs") == tree_snapshot(EXAMPLE_SITE / "docs")


# --- Other options -----------------------------------------------------------------------------


def test_page_in_docs_dir_is_not_silently_replaced(tmp_path, caplog):
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"]},
        docs={"playlists/foo.md": "# My own page\n"},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=11))},
    )
    with pytest.raises(BUILD_ERRORS) as excinfo:
        build(config_path)
    message = error_text(excinfo, caplog)
    assert "playlists/foo.md" in message and "data/foo.csv" in message, message


@pytest.mark.parametrize(
    "features", [["energy"], ["energy", "valence"], ["tempo", "loudness", "acousticness"]]
)
def test_features_option_is_honoured(tmp_path, features):
    config_path = make_site(
        tmp_path,
        {"playlists": [{"path": "data/foo.csv", "features": features}]},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(45, seed=12))},
    )
    build(config_path)
    page_file, _ = page_output(tmp_path / "site", "playlists/foo.md", True)
    raw = page_file.read_text(encoding="utf-8")
    page = parse_page(raw)
    method = re.search(r"<summary>How these groups were made</summary>(.*?)</details>", raw)
    assert method and f"Grouped on {', '.join(features)}, each standardized" in method[1]
    assert sum(mix_sizes(page)) == 45


def test_disabled_plugin_adds_nothing(tmp_path):
    config_path = make_site(
        tmp_path,
        {"enabled": False, "playlists": ["data/foo.csv"]},
        files={"data/foo.csv": exportify_csv(synthetic_tracks(30, seed=13))},
    )
    build(config_path)
    assert (tmp_path / "site" / "index.html").is_file()
    assert not (tmp_path / "site" / "playlists").exists()


def test_disk_cache_gives_the_same_site_and_keeps_warnings(tmp_path, caplog):
    config_path = make_site(
        tmp_path,
        {"cache": True, "playlists": ["data/foo.csv", "data/tiny.csv"]},
        files={
            "data/foo.csv": exportify_csv(synthetic_tracks(45, seed=14)),
            "data/tiny.csv": exportify_csv(synthetic_tracks(3, seed=14)),
        },
    )
    caplog.set_level(logging.WARNING, logger="mkdocs")
    outputs = []
    for _ in range(2):
        caplog.clear()
        build(config_path, strict=False)
        outputs.append(tree_snapshot(tmp_path / "site" / "playlists"))
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "tiny.csv" in warnings[0], warnings
    assert outputs[0] == outputs[1]
    assert len([p for p in (tmp_path / ".cache").iterdir() if p.name != "sites"]) == 2


def test_tracks_with_empty_optional_cells(tmp_path):
    """Real exports leave Record Label, Genres or Album empty on some rows (the soundhound
    export in ../shared has 3 empty labels among 3344): the page must still build."""
    rows = synthetic_tracks(60, seed=15)
    for row in rows[:12]:
        row["Record Label"] = ""
    for row in rows[6:18]:
        row["Genres"] = ""
    for row in rows[::10]:
        row["Album Name"] = ""
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/foo.csv"]},
        files={"data/foo.csv": exportify_csv(rows)},
    )
    build(config_path, strict=True)

    page, _ = check_cluster_page(
        tmp_path / "site",
        "playlists/foo.md",
        use_directory_urls=True,
        title="Foo",
        distinct_ids=[r["Track URI"].removeprefix("spotify:track:") for r in rows],
        representatives=10,
    )
    cells = [cell for table in page.tables for row in table.rows for cell in row]
    assert "nan" not in cells and "None" not in cells
    assert not [text for _, text in page.paragraphs if re.search(r"\bnan\b", text)]
