"""The `spotify_player` option: off by default; on, each mix offers Spotify's player for its
first track, which nothing loads until the reader clicks. Real builds, and Chromium for what
the reader does."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from browser import is_loopback, serve_directory
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks

PLAYER_LINK = re.compile(
    r'<a href="https://open\.spotify\.com/track/(\w{22})" '
    r'data-playlist-clusters-player="https://open\.spotify\.com/embed/track/(\w{22})">'
)
SCRIPT = "assets/playlist-clusters/player.js"


def site(tmp_path: Path, **options: Any) -> Path:
    rows = synthetic_tracks(90, seed=11)
    rows[0]["Track Name"] = '<img src=x onerror="alert(1)"> "quoted"'
    plugin = {"playlists": ["data/mix.csv"], "mix_size": 30, **options}
    config = make_site(tmp_path, plugin, files={"data/mix.csv": exportify_csv(rows)})
    build(config)
    return tmp_path / "site"


def first_tracks(site_dir: Path) -> list[str]:
    """The Spotify id of each mix's first track, as its CSV download lists them (mix order)."""
    ids = []
    downloads = sorted(
        site_dir.glob("playlists/mix/mix-mix-*.csv"),
        key=lambda path: int(path.stem.rsplit("-", 1)[1]),
    )
    for path in downloads:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        ids.append(rows[0]["Track URI"].rsplit(":", 1)[1])
    return ids


def test_off_by_default_no_player_and_no_script(tmp_path):
    site_dir = site(tmp_path)
    page = (site_dir / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    assert "data-playlist-clusters-player" not in page
    assert "open.spotify.com/embed" not in page
    assert "player.js" not in page
    assert not (site_dir / SCRIPT).exists()


def test_on_each_mix_offers_its_first_track_and_the_page_loads_the_script(tmp_path):
    site_dir = site(tmp_path, spotify_player=True)
    page = (site_dir / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    links = PLAYER_LINK.findall(page)
    expected = first_tracks(site_dir)
    assert len(expected) >= 2
    assert [track for track, embed in links] == expected
    assert all(track == embed for track, embed in links)
    assert page.count("nothing is sent to Spotify") == len(expected)
    # The track's name is text in the link, whatever it holds.
    assert '<img src=x onerror="alert(1)">' not in page
    assert '<script src="../../assets/playlist-clusters/player.js"></script>' in page
    script = (site_dir / SCRIPT).read_text(encoding="utf-8")
    assert "data-playlist-clusters-player" in script and "{#" not in script
    # Every page loads it (MkDocs' extra_javascript), and it is harmless where no player is.
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/playlist-clusters/player.js"' in home


def test_the_page_says_how_to_use_each_download(tmp_path):
    site_dir = site(tmp_path)
    page = (site_dir / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    howto = re.search(
        r"<details><summary>How to play a mix elsewhere</summary>(.*?)</details>", page, re.S
    )
    assert howto, "the how-to is missing or was escaped as text"
    items = re.findall(r"<li>(.*?)</li>", howto.group(1), re.S)
    assert [item.split(":", 1)[0] for item in items] == ["CSV", "Spotify links", "M3U8 playlist"]
    assert "playlist-transfer service" in items[0] and "desktop app" in items[1]


def test_nothing_reaches_spotify_before_the_click_and_the_player_loads_after(tmp_path, chromium):
    site_dir = site(tmp_path, spotify_player=True)
    expected = first_tracks(site_dir)[0]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []

    def answer(route: Any) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
            return
        requested.append(url)
        if url.startswith("https://open.spotify.com/embed/"):
            route.fulfill(status=200, content_type="text/html", body="<p>player</p>")
        else:
            route.abort("internetdisconnected")

    context.route("**/*", answer)
    with serve_directory(site_dir) as url:
        page = context.new_page()
        page.goto(url + "playlists/mix/", wait_until="networkidle")
        page.mouse.wheel(0, 4000)  # scrolled past every player link: still nothing requested
        page.wait_for_timeout(300)
        assert [u for u in requested if "spotify" in u] == []
        link = page.locator("a[data-playlist-clusters-player]").first
        link.scroll_into_view_if_needed()
        link.click()
        player = page.locator(f'iframe[src="https://open.spotify.com/embed/track/{expected}"]')
        player.wait_for()
        page.wait_for_timeout(300)
        assert page.url == url + "playlists/mix/"  # the page stayed
        # (the mkdocs theme asks a CDN for highlight.js, refused here)
        spotify = [u for u in requested if "spotify" in u]
        assert spotify == [f"https://open.spotify.com/embed/track/{expected}"]
        assert player.bounding_box()["height"] >= 80
    context.close()
