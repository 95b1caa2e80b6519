"""A site translated with mkdocs-static-i18n: each language's build gets the playlist pages,
images, downloads and overview in that language, in the places the plugin gives its own
files, in both of its `docs_structure`s."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_playlist_clusters.building import pipeline
from mkdocs_playlist_clusters.building.cache import ResultCache
from mkdocs_playlist_clusters.language import language
from mkdocs_playlist_clusters.playlist import GeneratedPlaylist
from tests.built_html import parse_page
from tests.site_building import build, make_site, site_path
from tests.synthetic import exportify_csv, synthetic_tracks

pytest.importorskip(
    "mkdocs_static_i18n",
    reason="mkdocs-static-i18n is not installed (pip install mkdocs-static-i18n, in [test])",
)

TRACKS = 1011  # German writes 1.011


def i18n_site(
    tmp_path: Path, structure: str, options: dict[str, Any] | None = None, tracks: int = TRACKS
) -> Path:
    """A Material site in English (default) and German, mkdocs-static-i18n last in the list
    as its README asks, with one playlist."""
    if structure == "suffix":
        docs = {"index.md": "# Home\n", "index.de.md": "# Startseite\n"}
    else:
        docs = {"en/index.md": "# Home\n", "de/index.md": "# Startseite\n"}
    config_path = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], **(options or {})},
        theme="material",
        docs=docs,
        files={"data/mix.csv": exportify_csv(synthetic_tracks(tracks, seed=3))},
    )
    if structure == "folder":
        (tmp_path / "docs" / "index.md").unlink()  # make_site's; the folders hold the pages
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    languages = [
        {"locale": "en", "default": True, "name": "English"},
        {"locale": "de", "name": "Deutsch"},
    ]
    config["plugins"].append({"i18n": {"docs_structure": structure, "languages": languages}})
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_path


def check_links(site: Path, url: str) -> None:
    """Every image and link of the page at `url` that stays in the site resolves to a file."""
    page = parse_page((site / url / "index.html").read_text(encoding="utf-8"))
    targets = [image.get("src") for image in page.images]
    targets += [anchor.get("href") for anchor in page.anchors]
    checked = 0
    for target in targets:
        if not target or target.startswith(("#", "mailto:")):
            continue
        path = site_path(site, url, target.split("#")[0])
        if path is None:  # another site
            continue
        assert path.is_file(), (url, target)
        checked += 1
    assert checked > 20  # the figures, every mix's downloads, the nav


@pytest.mark.parametrize("structure", ["suffix", "folder"])
def test_each_language_gets_the_pages_in_its_language(tmp_path, structure):
    build(i18n_site(tmp_path, structure))
    site = tmp_path / "site"
    for code, url in (("en", "playlists/mix/"), ("de", "de/playlists/mix/")):
        words = language(code)
        text = (site / url / "index.html").read_text(encoding="utf-8")
        page = parse_page(text)
        assert page.h1 == ["Mix"], code
        count = words.tr_n("{count} track", "{count} tracks", TRACKS)
        assert page.paragraphs[0][1].startswith(count), code
        assert page.h2[0].startswith(words.tr("Family {number}: {name}", number=1, name=""))
        check_links(site, url)
        # The nav of the language's build lists the page, under the section in its language.
        home = "de/" if code == "de" else ""
        nav = parse_page((site / home / "index.html").read_text(encoding="utf-8")).nav_links
        entries = [link for link in nav if link.href.rstrip("/").endswith("playlists/mix")]
        assert entries, code
        assert any(words.tr("Playlists") in link.sections for link in entries), code
        # The overview, in the language too.
        overview = (site / url / ".." / "index.html").read_text(encoding="utf-8")
        assert words.tr("Playlists") in overview
    # Anchors and download names do not depend on the language.
    english = (site / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    german = (site / "de" / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    anchors = re.compile(r'id="((?:family|mix)-\d+)"')
    assert anchors.findall(english) == anchors.findall(german) != []
    assert sorted(p.name for p in (site / "playlists" / "mix").iterdir()) == sorted(
        p.name for p in (site / "de" / "playlists" / "mix").iterdir()
    )
    # Material's language switcher on the German page leads to the English page.
    assert re.search(r'href="(\.\./)+playlists/mix/" hreflang="en"', german)


def test_a_second_language_renders_from_the_stored_grouping(tmp_path, monkeypatch):
    config = i18n_site(tmp_path, "suffix", {"cache": True}, tracks=200)
    grouped: list[str] = []
    group_tracks = pipeline.group_tracks

    def counting(*args: Any, **kwargs: Any) -> Any:
        grouped.append("once")
        return group_tracks(*args, **kwargs)

    monkeypatch.setattr(pipeline, "group_tracks", counting)
    build(config)
    assert grouped == ["once"]  # the German run drew and rendered the English run's groups
    german = (tmp_path / "site" / "de" / "playlists" / "mix" / "index.html").read_text("utf-8")
    assert " Titel" in german and "<h1" in german

    # A rebuild is a cache hit in both languages: nothing drawn or rendered again.
    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page was built again although the cache holds it")

    monkeypatch.setattr(pipeline, "build_playlist", no_rendering)
    # A new `mkdocs build`: MkDocs keeps a plugin with on_startup (ours) between builds of one
    # process, as `mkdocs serve` does; forget it, so nothing from the last build is in memory.
    dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()
    build(config)
    again = (tmp_path / "site" / "de" / "playlists" / "mix" / "index.html").read_text("utf-8")
    assert again == german


def test_the_previous_page_is_one_made_in_any_language(tmp_path):
    """The cache lists a playlist's page in every language, the first run's before the
    others are made: the previous page is one that exists, whichever sorts first."""
    made = GeneratedPlaylist({"mix.md": b"# Mix"}, grouping=b"groups")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")  # the site
    for first, second in (("a", "b"), ("b", "a")):
        cache = ResultCache(tmp_path / first, str(tmp_path / "mkdocs.yml"))
        key, not_yet = f"mix.{first * 64}", f"mix.{second * 64}"
        cache.put(key, made)
        cache.retain({key, not_yet})  # what a site in two languages keeps
        again = ResultCache(tmp_path / first, str(tmp_path / "mkdocs.yml"))  # a new build
        previous = again.previous("mix")
        assert previous is not None and previous.grouping == b"groups", (first, second)


def test_a_version_it_does_not_know_is_named_and_1_x_is_followed(monkeypatch):
    from mkdocs_playlist_clusters.building import static_i18n

    real = static_i18n.metadata.version

    def version(number: str):
        return lambda name: number if name == "mkdocs-static-i18n" else real(name)

    monkeypatch.setattr(static_i18n.metadata, "version", version("1.9.0"))
    assert static_i18n.unknown_version() is None
    monkeypatch.setattr(static_i18n.metadata, "version", version("2.0.0"))
    assert static_i18n.unknown_version() == "2.0.0"
    assert static_i18n.language_build(object()) is None  # none of the attributes it reads
    assert "does not hold the attributes" in static_i18n.fallback_warning(None)


def test_an_unknown_version_falls_back_to_one_language_with_one_warning(
    tmp_path, monkeypatch, caplog
):
    """Its private attributes may change in a new major version: the site still builds, in
    the site's language, with one warning for all the language runs."""
    monkeypatch.setattr(
        "mkdocs_playlist_clusters.building.static_i18n.unknown_version", lambda: "2.0.0"
    )
    with caplog.at_level(logging.WARNING):
        build(i18n_site(tmp_path, "suffix", tracks=60), strict=False)
    warnings = [r.getMessage() for r in caplog.records if "playlist-clusters" in r.getMessage()]
    assert warnings == [
        "playlist-clusters: mkdocs-static-i18n 2.0.0 is not a version this plugin knows (1.x), "
        "so the playlist pages are made as on a site without it, in the site's language; pin "
        "mkdocs-static-i18n 1.x for pages in every language"
    ]
    page = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "60 tracks" in page
