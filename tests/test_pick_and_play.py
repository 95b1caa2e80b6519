"""A playlist's pages as a listener meets them, on the largest shared Exportify export (7,785
Liked Songs, read in place) in Material: mixes on the first screen, pages of a reasonable
length, every mix within two clicks of the overview and found by search, and the Spotify
links copied by Material's copy button. Real builds, measured in Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from browser import serve_directory
from site_building import SHARED_PLAYLISTS, build, make_site, requires_shared

pytestmark = requires_shared

LARGEST = "exportify-2025nov_hiphop-rap_liked-songs_7785tracks.csv"
SLUG = "exportify-2025nov_hiphop-rap_liked-songs_7785tracks"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_SCREENS = 25  # at 1280 px, whatever the playlist's size
MIX_LINK = re.compile(r'href="([^"#]*)#mix-(\d+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The largest export's site in Material, with search and the copy button; its site_dir."""
    root = tmp_path_factory.mktemp("pick-and-play")
    plugin = {
        "playlists": [{"path": str(SHARED_PLAYLISTS / LARGEST), "title": "Liked Songs"}],
        "state_file": False,
        "cache": True,
    }
    config_path = make_site(root, plugin, theme="material")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theme"] = {"name": "material", "font": False, "features": ["content.code.copy"]}
    config["plugins"] = ["search", *config["plugins"]]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    build(config_path)
    return root / "site"


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serve_directory(site) as url:
        yield url


def playlist_pages(site: Path) -> list[str]:
    """URLs (from the site's root) of the playlist's page and its families' pages."""
    folder = site / "playlists" / SLUG
    pages = [f"playlists/{SLUG}/"]
    pages += sorted(
        f"playlists/{SLUG}/{path.parent.name}/" for path in folder.glob("family-*/index.html")
    )
    return pages


def mix_numbers(site: Path) -> set[int]:
    """Every mix, from the download that lists every track with its mix (not from a page)."""
    path = site / "playlists" / SLUG / f"{SLUG}-all-tracks.csv"
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return {int(row["Mix"]) for row in rows if row.get("Mix")}


def test_every_mix_is_within_two_clicks_of_the_overview(site):
    """Links followed from the overview: the playlist's page or a family's page (one click),
    then a mix's card or section (two). A mix counts when a link reaches a page that has its
    anchor."""
    mixes = mix_numbers(site)
    assert len(mixes) > 50  # a library this size has many mixes (on family pages)

    def page_text(url: str) -> str:
        path = site / urlsplit(url).path.lstrip("/")
        return (path / "index.html" if url.endswith("/") else path).read_text(encoding="utf-8")

    start = "https://site.test/playlists/"
    reached: set[int] = set()
    frontier = {start}
    for _click in range(2):
        following = set()
        for url in frontier:
            text = page_text(url)
            for href in re.findall(r'href="([^"]+)"', text):
                target = urljoin(url, href)
                if not target.startswith("https://site.test/playlists/"):
                    continue
                page, _, fragment = target.partition("#")
                if not page.endswith("/"):
                    continue  # a download or an image
                following.add(page)
                match = re.fullmatch(r"mix-(\d+)", fragment)
                if match and f'id="mix-{match.group(1)}"' in page_text(page):
                    reached.add(int(match.group(1)))
        frontier = following
    assert sorted(mixes - reached) == []


def test_search_finds_every_mix_by_its_name(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {re.sub(r"<[^>]+>", "", doc["title"]) for doc in index["docs"]}
    named = {int(m.group(1)) for t in titles if (m := re.match(r"Mix (\d+): \S", t))}
    assert named == mix_numbers(site)


def cards_in_view(page: Any) -> int:
    """Mix cards wholly on the first screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a.playlist-clusters-card')].filter(card => {
            const box = card.getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        }).length"""
    )


@pytest.mark.parametrize(("viewport", "least"), [(DESKTOP, 3), (PHONE, 1)], ids=["1280", "390"])
def test_the_first_screen_shows_mixes_to_choose_from(chromium, served, viewport, least):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(served + f"playlists/{SLUG}/", wait_until="load")
    assert cards_in_view(page) >= least
    context.close()


def test_no_page_is_longer_than_25_screens(chromium, served, site, record_property):
    heights: dict[str, dict[str, int]] = {}
    for viewport, name in ((DESKTOP, "1280"), (PHONE, "390")):
        context = chromium.new_context(viewport=viewport)
        page = context.new_page()
        for url in playlist_pages(site):
            page.goto(served + url, wait_until="load")
            heights.setdefault(url, {})[name] = page.evaluate(
                "document.documentElement.scrollHeight"
            )
        context.close()
    record_property("page_heights_px", json.dumps(heights))
    screens = {url: round(sizes["1280"] / DESKTOP["height"], 1) for url, sizes in heights.items()}
    assert len(screens) >= 3
    assert max(screens.values()) <= MAX_SCREENS, screens


def test_material_s_copy_button_copies_a_mix_s_spotify_links(chromium, served, site):
    context = chromium.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.rstrip("/"))
    page = context.new_page()
    url = playlist_pages(site)[1]  # a family's page, where most mixes are
    page.goto(served + url, wait_until="load")
    block = page.locator("details.playlist-clusters-links").first
    block.locator("summary").click()
    expected = block.locator("pre code").inner_text().strip()
    assert re.fullmatch(r"(https://open\.spotify\.com/track/\w{22}\n?)+", expected)
    # Material 9.7 writes `button.md-code__button[data-md-type=copy]`, earlier ones
    # `button.md-clipboard`.
    button = block.locator("button[data-md-type=copy], button.md-clipboard")
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == expected
    context.close()
