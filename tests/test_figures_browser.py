"""The SVG scatter in headless Chromium, embedded the way the page embeds it: an `<object>` with
the PNG as its fallback. Hovering a point reaches the element that carries its `<title>` (what
the browser shows as the tooltip), clicking it opens the track on Spotify in the whole tab, and
the figures' text stays dark-on-halo on a white and on a slate page.

Without Chromium the tests skip with how to install it; with `CI` set they fail instead.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from browser import serve_directory

from mkdocs_playlist_clusters.presenting.figure_style import DARK_BACKGROUND
from mkdocs_playlist_clusters.presenting.figures import (
    AxisTitle,
    scatter_png,
    scatter_svg,
    thumbnail_png,
)
from mkdocs_playlist_clusters.presenting.profile import profile_svg
from mkdocs_playlist_clusters.presenting.svg import FOLLOW_THE_PAGE

LIGHT_BACKGROUND = "#FFFFFF"  # Material's default scheme, the built-in `mkdocs` theme

TITLES = (
    AxisTitle("Principal component 1: 41% of the variance", "Mellow, Quiet", "Energetic, Loud"),
    AxisTitle("Principal component 2: 17% of the variance", "Slow, Wordy", "Fast, Melodic"),
)
TRACKS = 30
HOSTILE = '<script>window.__injected=1</script> & <img src=x onerror="window.__injected=2">'
SPOTIFY_PAGE = "<html><title>Spotify</title><body>track page</body></html>"


def link(track: int) -> str:
    return f"https://open.spotify.com/track/{track:022d}"


@pytest.fixture(scope="module")
def figures_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A hand-made page embedding the figures as the plugin's page does; yields its URL."""
    root = tmp_path_factory.mktemp("figures")
    rng = np.random.default_rng(5)
    labels = np.repeat(np.arange(3), TRACKS // 3)
    # Well apart, so that no point covers another and each can be hovered.
    projection = np.column_stack([np.arange(TRACKS) * 1.0, rng.uniform(0, 20, TRACKS)])
    tooltips = [f"Track {i} — Artist A, Artist B" for i in range(TRACKS)]
    tooltips[4] = HOSTILE
    links = [link(i) if i % 2 == 0 else None for i in range(TRACKS)]
    (root / "scatter.svg").write_bytes(scatter_svg(projection, labels, TITLES, tooltips, links))
    (root / "scatter.png").write_bytes(scatter_png(projection, labels, TITLES))
    # Track 0 alone in cluster 3 (its badge on it) and in its mix (its ring on it).
    crowded = labels.copy()
    crowded[0] = 3
    mixes = crowded * 2 + np.arange(TRACKS) % 2
    (root / "crowded.svg").write_bytes(
        scatter_svg(projection, crowded, TITLES, tooltips, links, mixes=mixes)
    )
    (root / "thumbnail.png").write_bytes(thumbnail_png(projection, labels))
    shifts = rng.normal(0, 1, (3, 4))
    names = ["Danceability", "Energy", "Loudness", "Valence"]
    (root / "profile.svg").write_bytes(profile_svg(shifts, names, [10, 10, 10]))
    (root / "index.html").write_text(
        "<!doctype html><html><body style='margin:0'><div style='width:690px'>"
        '<object id="scatter" type="image/svg+xml" data="scatter.svg" '
        'style="display:block;width:100%;height:auto">'
        '<img src="scatter.png" alt="Scatter of the clusters" style="width:100%"></object>'
        '<object id="crowded" type="image/svg+xml" data="crowded.svg" '
        'style="display:block;width:100%;height:auto"></object>'
        '<img id="profile" src="profile.svg" alt="Profile" style="width:100%">'
        '<img id="png" src="scatter.png" alt="" style="display:block;width:100%">'
        '<img id="thumbnail" src="thumbnail.png" alt="" width="240" height="170">'
        "</div></body></html>",
        encoding="utf-8",
    )
    with serve_directory(root) as url:
        yield url


@pytest.fixture
def page(chromium: Any, figures_site: str) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 720, "height": 900})
    page = context.new_page()

    def answer(route: Any) -> None:
        if route.request.url.startswith("https://open.spotify.com/"):
            route.fulfill(status=200, content_type="text/html", body=SPOTIFY_PAGE)
        elif route.request.url.startswith(figures_site):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    page.route("**/*", answer)
    page.goto(figures_site + "index.html", wait_until="load")
    yield page
    context.close()


def svg_frame(page: Any, name: str = "scatter.svg") -> Any:
    frames = [frame for frame in page.frames if frame.url.endswith(f"/{name}")]
    assert frames, "the <object> did not load the SVG (the PNG fallback shows instead)"
    return frames[0]


POINTS = """() => [...document.querySelectorAll('title')].map(title => {
    const point = title.parentElement, box = point.getBoundingClientRect();
    const anchor = point.parentElement.tagName === 'a' ? point.parentElement : null;
    return {text: title.textContent, x: box.x + box.width / 2, y: box.y + box.height / 2,
            link: anchor && anchor.getAttribute('href')};
})"""

HOVERED = """([x, y]) => {
    const element = document.elementFromPoint(x, y);
    const title = element && element.querySelector(':scope > title');
    return title ? title.textContent : null;
}"""


def test_svg_scales_like_the_png_and_each_point_is_hoverable(page):
    scatter = page.locator("#scatter")
    box = scatter.bounding_box()
    natural = page.evaluate(
        "() => new Promise(done => { const img = new Image(); img.src = 'scatter.png';"
        " img.onload = () => done(img.naturalHeight / img.naturalWidth); })"
    )
    assert box["width"] == 690
    assert box["height"] / box["width"] == pytest.approx(natural, rel=0.01)
    frame = svg_frame(page)
    points = frame.evaluate(POINTS)
    assert len(points) == TRACKS
    assert sorted(p["text"] for p in points if p["text"].startswith("Track")) == sorted(
        f"Track {i} — Artist A, Artist B" for i in range(TRACKS) if i != 4
    )
    assert HOSTILE in {p["text"] for p in points}  # shown as text, not markup
    assert frame.evaluate("() => document.querySelectorAll('img').length") == 0
    # One script, the SVG's own (it follows the page's colour scheme): data never runs.
    scripts = frame.evaluate(
        "() => [...document.querySelectorAll('script')].map(s => s.textContent)"
    )
    assert scripts == [FOLLOW_THE_PAGE]
    for point in points:
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        assert frame.evaluate(HOVERED, [point["x"], point["y"]]) == point["text"]
        cursor = frame.evaluate(
            "([x, y]) => getComputedStyle(document.elementFromPoint(x, y)).cursor",
            [point["x"], point["y"]],
        )
        assert (cursor == "pointer") == (point["link"] is not None)
    assert page.evaluate("window.__injected") is None


def test_the_svg_shows_the_png_s_picture(page):
    """Points, badges, text and halos land in the same places: the two images, shown at the
    same width, differ only in anti-aliasing."""
    from PIL import Image

    shots = [
        np.asarray(Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("RGB"))
        for selector in ("#scatter", "#png")
    ]
    assert shots[0].shape == shots[1].shape
    svg, png = (shot.astype(int) for shot in shots)
    # A pixel differs when no pixel of the PNG within 2 px of it is alike: the layouts, made at
    # 72 and 160 dpi, may round a line to the next pixel.
    alike = np.zeros(svg.shape[:2], dtype=bool)
    for dx, dy in itertools.product(range(-2, 3), repeat=2):
        shifted = np.roll(png, (dy, dx), axis=(0, 1))
        alike |= np.abs(svg - shifted).max(axis=2) <= 64
    coloured = (svg.max(axis=2) - svg.min(axis=2)) > 60  # points and badges, not grey text
    print(f"{1 - alike.mean():.3%} of pixels, {1 - alike[coloured].mean():.2%} coloured, differ")
    assert 1 - alike.mean() < 0.002
    assert 1 - alike[coloured].mean() < 0.02  # 12% when the points are 3 pt off


def test_a_point_under_its_badge_and_ring_keeps_its_tooltip_and_link(page):
    """Badges, mix rings and numbers are drawn over the points but let the mouse through.
    Track 0 is alone in its family and its mix: its ring sits on it (its badge moves aside,
    since badges never hide a ring)."""
    frame = svg_frame(page, "crowded.svg")
    points = frame.evaluate(POINTS)
    assert len(points) == TRACKS
    covered = next(p for p in points if p["text"] == "Track 0 — Artist A, Artist B")
    for drawn_over in ("mix-centres",):  # track 0's ring
        box = frame.evaluate(
            f"() => document.getElementById('{drawn_over}').getBoundingClientRect().toJSON()"
        )
        assert box["left"] < covered["x"] < box["right"]
        assert box["top"] < covered["y"] < box["bottom"]
    for point in points:
        assert frame.evaluate(HOVERED, [point["x"], point["y"]]) == point["text"]
    link = frame.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).parentElement.getAttribute('href')",
        [covered["x"], covered["y"]],
    )
    assert link == covered["link"]


def test_clicking_a_linked_point_opens_the_track_in_the_whole_tab(page):
    frame = svg_frame(page)
    box = page.locator("#scatter").bounding_box()
    point = next(p for p in frame.evaluate(POINTS) if p["link"])
    with page.expect_navigation():
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.url == point["link"]
    assert page.title() == "Spotify"


def test_clicking_an_unlinked_point_goes_nowhere(page):
    frame = svg_frame(page)
    box = page.locator("#scatter").bounding_box()
    point = next(p for p in frame.evaluate(POINTS) if p["link"] is None)
    start = page.url
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(300)
    assert page.url == start and frame.url.endswith("/scatter.svg")


@pytest.mark.parametrize("background", [LIGHT_BACKGROUND, DARK_BACKGROUND], ids=["white", "slate"])
def test_figures_are_transparent_and_their_text_keeps_a_halo(page, background):
    """On either page the figures show the page through, and where their text is, dark glyph
    pixels sit beside white halo pixels: the text contrasts with its halo, not the page."""
    from PIL import Image

    page.evaluate(f"document.body.style.background = '{background}'")
    for selector in ("#scatter", "#profile", "#thumbnail"):
        shot = page.locator(selector).screenshot()
        pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
        page_colour = np.array([int(background[i : i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(pixels - page_colour).max(axis=2) <= 2).mean() > 0.4, selector
        if selector == "#thumbnail":
            continue
        grey = (pixels.max(axis=2) - pixels.min(axis=2)) < 12
        dark = (grey & (pixels.mean(axis=2) < 60)).sum()
        white = (grey & (pixels.mean(axis=2) > 245)).sum()
        assert dark > 500 and white > 500, f"{selector}: {dark} dark, {white} white pixels"
