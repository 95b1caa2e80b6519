"""Built sites seen in headless Chromium, served from loopback: navigation, images, tables,
links, hostile data, colour schemes, phone and desktop widths, and a 10,000-track page.

Each site is built once per module (the clustering results shared through one disk cache) and
one browser serves every test. Without Chromium the tests skip with how to install it; with
`CI` set they fail instead.
"""

from __future__ import annotations

import csv
import io
import random
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import is_loopback, offline_router
from browser import serve_directory as serve
from matplotlib.textpath import TextToPath
from site_building import SHARED_PLAYLISTS, build, make_site, requires_shared
from synthetic import BASE62, EXPORTIFY_HEADER, synthetic_tracks

from mkdocs_playlist_clusters.presenting.svg import FOLLOW_THE_PAGE

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SPOTIFY_LINK = re.compile(
    r"^https://open\.spotify\.com/(track|artist|album|episode)/[0-9A-Za-z]{22}$"
)
TRACK_LINK = re.compile(r"^https://open\.spotify\.com/track/[0-9A-Za-z]{22}$")
REPRESENTATIVES = 10
SMALLEST_READABLE_PX = 9.0
# Every payload would set window.__injected if the page ran it.
HOSTILE_NAMES = (
    '<img src=x onerror="window.__injected=1">',
    "<script>window.__injected=2</script>",
    "javascript:window.__injected=3",
    "[click me](javascript:window.__injected=4)",
    "a | b | c",
    "**bold** _italic_ `code` # not a heading",
    "{{ config.site_name }} {% if true %}jinja{% endif %}",
    '"><svg onload="window.__injected=5">',
    "<iframe src=javascript:window.__injected=6></iframe>",
    "&lt;b&gt;entity&lt;/b&gt; &amp;",
    "![img](x onerror=window.__injected=7)",
    "<!-- comment",
)
HOSTILE_TITLE = '<img src=x onerror="window.__injected=8"> & <b>bold</b>'


@dataclass(frozen=True)
class Playlist:
    file: str
    title: str
    tracks: list[dict[str, str]]
    clusters: int

    @property
    def slug(self) -> str:
        return self.file.removesuffix(".csv")


@dataclass(frozen=True)
class Site:
    name: str
    site_dir: Path
    url: str  # base URL on loopback
    use_directory_urls: bool
    theme: str

    def page_url(self, playlist: Playlist) -> str:
        path = f"playlists/{playlist.slug}"
        return self.url + (f"{path}/" if self.use_directory_urls else f"{path}.html")


# --- Data ------------------------------------------------------------------------------------


def with_album_art(rows: list[dict[str, str]], seed: int) -> list[dict[str, str]]:
    """The rows with Spotify album-art URLs, and a few long names that make tables wide."""
    rng = random.Random(seed)
    for index, row in enumerate(rows):
        row["Album Image URL"] = "https://i.scdn.co/image/ab67616d0000b273" + "".join(
            rng.choice("0123456789abcdef") for _ in range(24)
        )
        if index % 6 == 0:
            row["Track Name"] += " - 2011 Remaster (feat. Somebody With A Rather Long Name)"
            row["Album Name"] += " (Deluxe Edition, Remastered and Expanded)"
    return rows


def hostile_tracks() -> list[dict[str, str]]:
    rows = synthetic_tracks(2 * len(HOSTILE_NAMES), seed=7)
    for index, row in enumerate(rows):
        name = HOSTILE_NAMES[index % len(HOSTILE_NAMES)]
        other = HOSTILE_NAMES[(index + 3) % len(HOSTILE_NAMES)]
        row["Track Name"] = name
        row["Album Name"] = other
        row["Artist Name(s)"] = HOSTILE_NAMES[(index + 5) % len(HOSTILE_NAMES)]
        row["Record Label"] = other
        row["Genres"] = name.replace(",", " ")
        row["Album Image URL"] = "javascript:window.__injected=9"
    return rows


PLAYLISTS = (
    Playlist("mixtape.csv", "Mixtape", with_album_art(synthetic_tracks(75, seed=1), 1), 3),
    Playlist("night-drive.csv", "Night Drive", with_album_art(synthetic_tracks(24, seed=2), 2), 3),
    Playlist("hostile.csv", HOSTILE_TITLE, hostile_tracks(), 2),
)
MIXTAPE, NIGHT_DRIVE, HOSTILE = PLAYLISTS


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    header = [*EXPORTIFY_HEADER, "Album Image URL"]
    writer = csv.DictWriter(buffer, header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def material_theme(instant: bool) -> dict[str, Any]:
    scheme = {"media": "(prefers-color-scheme: {})", "toggle": {"icon": "material/brightness-4"}}
    return {
        "name": "material",
        "font": False,  # no Google Fonts: the page never leaves loopback
        "features": ["navigation.sections", *(["navigation.instant"] if instant else [])],
        "palette": [
            {**scheme, "media": "(prefers-color-scheme: light)", "scheme": "default"},
            {**scheme, "media": "(prefers-color-scheme: dark)", "scheme": "slate"},
        ],
    }


def write_site(
    root: Path,
    playlists: tuple[Playlist, ...],
    cache_dir: Path,
    *,
    theme: dict[str, Any],
    site_url: str,
    use_directory_urls: bool = True,
    extra_plugins: tuple[str, ...] = (),
) -> Path:
    options = {
        "cache": True,
        "cache_dir": str(cache_dir),
        "representatives": REPRESENTATIVES,
        "playlists": [
            {"path": f"data/{p.file}", "title": p.title, "clusters": p.clusters} for p in playlists
        ],
    }
    config_path = make_site(
        root,
        options,
        theme=theme["name"],
        use_directory_urls=use_directory_urls,
        files={f"data/{p.file}": csv_text(p.tracks) for p in playlists},
    )
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theme"] = theme
    config["site_url"] = site_url  # Material's instant navigation needs it
    config["plugins"] = [*extra_plugins, *config["plugins"]]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_path


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def remote_image() -> bytes:
    """What the offline router answers for album art: a 64 x 64 PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#7a5cc2").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sites(tmp_path_factory, chromium) -> Iterator[dict[str, Site]]:
    """Three builds of the same playlists, each served from loopback."""
    root = tmp_path_factory.mktemp("browser-sites")
    cache_dir = root / "cache"
    specs = {
        "material-instant": ({"theme": material_theme(instant=True)}, True, "material"),
        "material": ({"theme": material_theme(instant=False)}, True, "material"),
        "mkdocs": (
            # highlight.js comes from a CDN, which the offline browser cannot reach.
            {
                "theme": {"name": "mkdocs", "highlightjs": False},
                "extra_plugins": ("search", "macros"),
            },
            False,
            "mkdocs",
        ),
    }
    built = {}
    with ExitStack() as stack:
        for name, (options, directory_urls, theme) in specs.items():
            site_dir = root / name / "site"
            url = stack.enter_context(serve(site_dir))  # first, for the site_url
            config_path = write_site(
                root / name,
                PLAYLISTS,
                cache_dir,
                site_url=url,
                use_directory_urls=directory_urls,
                **options,
            )
            build(config_path)
            built[name] = Site(name, site_dir, url, directory_urls, theme)
        yield built


class PageProblems:
    """Console errors, uncaught exceptions and failed requests for the site's own files."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _failed(self, request: Any) -> None:
        # A request cut short by leaving the page (a click on the next link) is not a failure.
        if is_loopback(request.url) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if is_loopback(response.url) and response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def open_page(chromium, remote_image):
    """Opens a URL in a fresh context: `open_page(url, viewport=..., dark=..., art=...)`."""
    contexts = []

    def open_(
        url: str,
        *,
        viewport: dict[str, int] = DESKTOP,
        dark: bool = False,
        art_loads: bool = True,
        wait_until: str = "load",
    ) -> tuple[Any, PageProblems]:
        context = chromium.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
        contexts.append(context)
        context.route("**/*", offline_router(remote_image if art_loads else None))
        page = context.new_page()
        problems = PageProblems(page)
        page.goto(url, wait_until=wait_until)
        return page, problems

    yield open_
    for context in contexts:
        context.close()


def site_params(*names: str) -> Any:
    return pytest.mark.parametrize("site_name", names)


# --- Navigation ------------------------------------------------------------------------------


def nav_links(page: Any, site: Site) -> Any:
    container = "nav.md-nav--primary" if site.theme == "material" else ".navbar"
    # The playlists' pages: links ending in their slugs.
    ends = [f"{p.slug}/" if site.use_directory_urls else f"{p.slug}.html" for p in PLAYLISTS]
    return page.locator(", ".join(f"{container} a[href$='{end}']" for end in ends))


@site_params("material-instant", "material", "mkdocs")
def test_nav_lists_every_playlist_and_reaches_its_clusters(sites, open_page, site_name):
    from playwright.sync_api import expect

    site = sites[site_name]
    page, problems = open_page(site.url)
    titles = [" ".join(text.split()) for text in nav_links(page, site).all_text_contents()]
    assert sorted(titles) == sorted(f"{p.title}" for p in PLAYLISTS)
    page.get_by_text("Playlists", exact=True).first.wait_for()

    for playlist in PLAYLISTS:
        page.evaluate("window.__sameDocument = true")
        link = nav_links(page, site).filter(has_text=playlist.title).first
        if not link.is_visible():  # the mkdocs theme keeps sections in a dropdown
            page.locator(".navbar .dropdown-toggle", has_text="Playlists").click()
        link.click()
        page.wait_for_url(site.page_url(playlist))
        page.locator("h2, h3", has_text=re.compile(r"^\s*Mix 1: ")).first.wait_for()
        expect(page.locator("h1").first).to_have_text(f"{playlist.title}")
        # Instant navigation swaps the content in place; without it the page loads anew.
        same_document = page.evaluate("window.__sameDocument === true")
        assert same_document == (site.name == "material-instant")
    assert problems.problems == []


# --- Images ----------------------------------------------------------------------------------


@site_params("material", "mkdocs")
def test_local_images_load_and_have_alt_text(sites, open_page, site_name):
    site = sites[site_name]
    for playlist in PLAYLISTS:
        page, problems = open_page(site.page_url(playlist))
        images = page.evaluate(
            """() => [...document.querySelectorAll('img')].map(img => ({
                src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
                complete: img.complete, naturalWidth: img.naturalWidth}))"""
        )
        local = [image for image in images if is_loopback(image["src"])]
        assert any(image["src"].endswith("-profile.svg") for image in local), images
        # The scatter is an SVG <object>: it loaded, and it is the picture with a tooltip for
        # every dot.
        scatter = page.locator('object[type="image/svg+xml"]')
        scatter.wait_for()
        loaded = scatter.evaluate(
            """o => o.contentDocument && [o.contentDocument.querySelectorAll('title').length,
                o.getAttribute('aria-label'), o.getBoundingClientRect().height]"""
        )
        assert loaded and loaded[0] >= 20 and len(loaded[1].split()) >= 3 and loaded[2] > 200
        for image in local:
            assert image["complete"] and image["naturalWidth"] > 0, image
            alt = (image["alt"] or "").strip()
            assert len(alt.split()) >= 3, f"{image['src']} has no meaningful alt text: {alt!r}"
        for image in images:  # album art too
            assert (image["alt"] or "").strip(), image
        assert problems.problems == []


@pytest.mark.parametrize("site_name", ["material", "mkdocs"])
def test_album_art_keeps_its_size_when_the_remote_image_fails(sites, open_page, site_name):
    site = sites[site_name]
    measure = """() => [...document.querySelectorAll('td img')].slice(0, 10).map(img => {
        const box = img.getBoundingClientRect(), row = img.closest('tr').getBoundingClientRect();
        return [Math.round(box.width), Math.round(box.height), Math.round(row.height)];
    })"""
    boxes = []
    for art_loads in (True, False):
        page, _ = open_page(site.page_url(MIXTAPE), art_loads=art_loads)
        # The first table's art (the first cluster's representatives), scrolled into view
        # so that lazy loading starts.
        for image in page.locator("td img").all()[:10]:
            image.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('td img')].slice(0, 10).every(i => i.complete)"
        )
        loaded = page.evaluate(
            "() => [...document.querySelectorAll('td img')].slice(0, 10)"
            ".map(i => i.naturalWidth > 0)"
        )
        assert all(loaded) == art_loads and any(loaded) == art_loads
        boxes.append(page.evaluate(measure))
    with_art, without_art = boxes
    assert with_art and all(width == height == 50 for width, height, _ in with_art), with_art
    assert without_art == with_art, "album-art cells change size when the image fails"


# --- Tables and links (the DOM of issue #7) ---------------------------------------------------

MIX_SECTIONS = """() => [...document.querySelectorAll(
        'h2[id^="mix-"], h3[id^="mix-"]')].map(h2 => {
    const parts = [];
    for (let n = h2.nextElementSibling; n && !['H2', 'H3'].includes(n.tagName);
         n = n.nextElementSibling)
        parts.push(n);
    const inside = (selector) => parts.flatMap(
        n => n.matches(selector) ? [n] : [...n.querySelectorAll(selector)]);
    const tables = inside('table').filter(t => !t.closest('details'));
    const details = inside('details');
    const rows = (table) => table ? table.tBodies[0].rows.length : null;
    return {
        id: h2.id,
        heading: h2.textContent.trim(),
        paragraphs: inside('p').map(p => p.textContent.trim()),
        tables: tables.length,
        shownRows: rows(tables[0]),
        tableClass: tables[0] ? tables[0].getAttribute('class') : null,
        details: details.map(d => ({
            summary: d.querySelector('summary').textContent.trim(),
            rows: rows(d.querySelector('table')),
        })),
        downloads: inside('p a').map(a => a.getAttribute('href'))
            .filter(href => /\\.(csv|m3u8|txt)$/.test(href)),
        trackCellLinks: tables[0] ? [...tables[0].tBodies[0].rows].map(row => {
            const index = [...tables[0].tHead.rows[0].cells]
                .findIndex(c => c.textContent.trim() === 'Track');
            const link = index < 0 ? null : row.cells[index].querySelector('a');
            return link && {
                href: link.getAttribute('href'), target: link.getAttribute('target'),
                text: link.textContent.trim(), cell: row.cells[index].textContent.trim()};
        }) : [],
    };
})"""


def mix_sections(page: Any) -> list[dict[str, Any]]:
    sections = page.evaluate(MIX_SECTIONS)
    for section in sections:
        # As a reader sees it: "Mix 3: Calmer · folk (48 tracks)", permalink sign aside.
        heading = re.match(r"Mix (\d+): \S.* \((\d+) tracks?\)", section["heading"])
        assert heading, section["heading"]
        section["number"] = int(heading.group(1))
        section["size"] = int(heading.group(2))
    return sections


@site_params("material", "mkdocs")
def test_each_mix_table_has_its_rows_and_the_collapsed_block_opens(sites, open_page, site_name):
    site = sites[site_name]
    for playlist in (MIXTAPE, NIGHT_DRIVE):
        page, problems = open_page(site.page_url(playlist))
        sections = mix_sections(page)
        assert len(sections) == playlist.clusters  # small: one mix per family
        assert sum(s["size"] for s in sections) == len(playlist.tracks)
        for section in sections:
            size = section["size"]
            if site.theme == "material":  # the mkdocs theme adds its own classes
                assert section["tableClass"] is None  # so Material styles and wraps it
            assert section["shownRows"] == min(REPRESENTATIVES, size), section
            # The collapsed blocks that hold tracks (others hold the evidence and the links).
            tables = [d for d in section["details"] if d["rows"] is not None]
            if size > REPRESENTATIVES:
                assert tables == [{"summary": f"All {size} tracks", "rows": size}]
            else:
                assert tables == []
        opened = 0
        for index, section in enumerate(sections):
            if not [d for d in section["details"] if d["rows"] is not None]:
                continue
            details = page.locator(f"#{section['id']} ~ details:has(tbody)").first
            rows = details.locator("tbody tr")
            assert not rows.first.is_visible()
            details.locator("summary").click()
            assert details.evaluate("d => d.open")
            visible = rows.evaluate_all("rows => rows.filter(r => r.checkVisibility()).length")
            assert visible == section["size"], f"mix {index + 1}: {visible} rows visible"
            opened += 1
        assert opened or playlist is NIGHT_DRIVE
        assert problems.problems == []


@site_params("material", "mkdocs")
def test_track_cell_links_to_spotify_in_the_same_tab(sites, open_page, site_name):
    site = sites[site_name]
    page, _ = open_page(site.page_url(MIXTAPE))
    for section in mix_sections(page):
        links = section["trackCellLinks"]
        assert len(links) == section["shownRows"]
        for link in links:
            assert link is not None, "the Track cell has no link"
            assert TRACK_LINK.match(link["href"]), link
            assert link["target"] is None, link
            assert link["text"] == link["cell"], link  # the track's name is the link
        headers = page.locator(f"#{section['id']} ~ * th").all_text_contents()
        assert "🔗" not in headers


@site_params("material", "mkdocs")
def test_download_links_answer_with_the_right_content_type(sites, open_page, site_name):
    site = sites[site_name]
    page, _ = open_page(site.page_url(MIXTAPE))
    expected_types = {
        ".csv": "text/csv",
        ".m3u8": "application/vnd.apple.mpegurl",
        ".txt": "text/plain",
    }
    for section in mix_sections(page):
        number = section["number"]
        hrefs = section["downloads"]
        names = sorted(href.rsplit("/", 1)[-1] for href in hrefs)
        assert names == sorted(f"{MIXTAPE.slug}-mix-{number}{ext}" for ext in expected_types)
        for href in hrefs:
            url = page.evaluate("h => new URL(h, location.href).href", href)
            assert f"/{MIXTAPE.slug}/{MIXTAPE.slug}-mix-{number}." in url, url
            response = page.request.get(url)
            assert response.status == 200, href
            suffix = "." + href.rsplit(".", 1)[-1]
            content_type = response.headers["content-type"]
            assert content_type.split(";")[0] == expected_types[suffix], (href, content_type)
            body = response.body()
            assert body, href
            if suffix == ".csv":
                assert body.decode("utf-8").startswith("Track URI,")
            elif suffix == ".m3u8":
                assert body.decode("utf-8").startswith("#EXTM3U")
            else:
                assert re.match(r"spotify:track:[0-9A-Za-z]{22}\n", body.decode("utf-8"))


@site_params("material", "mkdocs")
def test_spotify_links_have_the_right_shape_and_open_in_the_same_tab(sites, open_page, site_name):
    """Decision: a Spotify link replaces the page, like every other link on the site; a reader
    who wants a tab opens one. So no target attribute; should one appear, it needs rel=noopener."""
    site = sites[site_name]
    page, _ = open_page(site.page_url(MIXTAPE))
    links = page.evaluate(
        """() => [...document.querySelectorAll('a[href*="spotify"]')].map(a => ({
            href: a.getAttribute('href'), target: a.getAttribute('target'),
            rel: a.getAttribute('rel')}))"""
    )
    assert len(links) >= len(MIXTAPE.tracks)
    for link in links:
        assert SPOTIFY_LINK.match(link["href"]), link
        assert link["target"] is None, link
        if link["target"] == "_blank":  # pragma: no cover - the rule if tabs are ever chosen
            assert "noopener" in (link["rel"] or "").split()


@site_params("material-instant", "mkdocs")
def test_no_console_errors_or_failed_requests(sites, open_page, site_name):
    site = sites[site_name]
    _, problems = open_page(site.url)
    assert problems.problems == []
    for playlist in PLAYLISTS:
        page, problems = open_page(site.page_url(playlist))
        for summary in page.locator("details summary").all():
            summary.click()  # opening a block loads its images
        page.mouse.wheel(0, 20_000)
        page.wait_for_timeout(200)
        assert problems.problems == [], playlist.title


# --- Hostile data ----------------------------------------------------------------------------

# Elements a payload could have made. The scatter's `<object>` may hold one script: the SVG's
# own (`own`: it follows the page's colour scheme), never another.
INJECTED = """(own) => [...document.querySelectorAll('*')].filter(el =>
    [...el.attributes].some(a => a.name.startsWith('on')
        || (/^(href|src|action|formaction|xlink:href)$/.test(a.name)
            && /^\\s*javascript:/i.test(a.value)))
    || (el.tagName === 'IMG' && el.getAttribute('src') === 'x')
    || ['IFRAME', 'EMBED'].includes(el.tagName)
    || (el.tagName === 'OBJECT' && !(el.type === 'image/svg+xml'
        && /^[^:]*-clusters\\.svg$/.test(el.getAttribute('data'))
        && el.contentDocument && [...el.contentDocument.querySelectorAll('script')].every(
            script => script.textContent === own)))
    || (el.closest('article, [role=main], .md-content') && ['SCRIPT', 'SVG'].includes(
        el.tagName.toUpperCase()) && !el.closest('.md-clipboard, .md-source'))
).map(el => el.outerHTML.slice(0, 200))"""


@pytest.mark.parametrize("site_name", ["material-instant", "mkdocs"])
def test_hostile_names_render_as_text(sites, open_page, site_name):
    site = sites[site_name]
    page, problems = open_page(site.page_url(HOSTILE))
    for details in page.locator("details summary").all():
        details.click()
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__injected") == "undefined", "a payload ran"
    assert page.evaluate(INJECTED, FOLLOW_THE_PAGE) == []
    cells = {" ".join(text.split()) for text in page.locator("td").all_text_contents()}
    for name in HOSTILE_NAMES:
        assert " ".join(name.split()) in cells, f"{name!r} is not shown as text in a cell"
    heading = " ".join((page.locator("h1").first.text_content() or "").split())
    assert heading == f"{HOSTILE_TITLE}"
    assert problems.problems == []


# --- Colour schemes --------------------------------------------------------------------------


def relative_luminance(rgb: Any) -> Any:
    """WCAG 2 relative luminance of sRGB values in 0..255 (array of shape (..., 3))."""
    import numpy as np

    channel = np.asarray(rgb, dtype=float) / 255
    linear = np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(first: float, second: float) -> float:
    light, dark = max(first, second), min(first, second)
    return (light + 0.05) / (dark + 0.05)


def halo_and_ink(png: bytes) -> tuple[float, float, float]:
    """(luminance of the halos around the figure's text, of the text's glyphs, of the most
    common colour: the page behind a transparent figure) in a screenshot of the figure.

    Both are grey (unsaturated) pixels: the halos the lightest of them, the glyph cores the
    darkest. On a dark page the darkest greys could be the page itself, so glyph cores are
    looked for only among greys darker than the page by a clear margin, or, on a light page,
    the darkest greys at all.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    page = float(relative_luminance(colours[counts.argmax()]))
    grey = pixels[(pixels.max(axis=1).astype(int) - pixels.min(axis=1)) < 12]
    luminance = relative_luminance(grey)
    halo = float(np.quantile(luminance, 0.995))
    darker = luminance[luminance < page * 0.5] if page > 0.05 else luminance[luminance < page]
    ink = float(np.quantile(darker if len(darker) else luminance, 0.02))
    return halo, ink, page


@pytest.mark.parametrize("dark", [False, True], ids=["default", "slate"])
def test_figure_is_readable_in_both_colour_schemes(sites, open_page, dark, record_property):
    site = sites["material"]
    page, _ = open_page(site.page_url(MIXTAPE), dark=dark)
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme == ("slate" if dark else "default")
    image = page.locator('object[type="image/svg+xml"]')
    image.wait_for()
    page.wait_for_timeout(300)
    # A transparent figure: its text is dark glyphs in a white halo, which must keep their
    # contrast with each other whatever the page's background.
    background, ink, backdrop = halo_and_ink(image.screenshot())
    text_contrast = contrast_ratio(background, ink)
    red, green, blue = (
        int(part)
        for part in re.findall(
            r"\d+", page.evaluate("getComputedStyle(document.body).backgroundColor")
        )[:3]
    )
    page_background = float(relative_luminance([red, green, blue]))
    record_property(f"text_contrast_{scheme}", round(text_contrast, 2))
    record_property(
        f"halo_on_page_contrast_{scheme}", round(contrast_ratio(background, page_background), 2)
    )
    assert text_contrast >= 7.0, f"figure text contrast {text_contrast:.2f} on {scheme}"
    # Transparent: the page shows through (no white box on slate, which browsers paint behind
    # an embedded document whose colour scheme differs from the page's).
    assert contrast_ratio(backdrop, page_background) < 1.1, f"the figure is a box on {scheme}"


SCHEMES = """() => {
    const svg = document.querySelector('object[type="image/svg+xml"]').contentDocument;
    const text = svg.querySelector('g[id^="text-halo-"] g, g[id^="text-halo-"] text');
    const profile = document.querySelector('img[src$="-profile.svg"]');
    return {
        scatter: svg.documentElement.classList.contains('dark'),
        text: getComputedStyle(text).fill,
        halo: getComputedStyle(svg.querySelector('#text-halo feFlood')).floodColor,
        profile: getComputedStyle(profile).colorScheme,
    };
}"""


def test_figures_follow_the_page_s_scheme_as_the_reader_switches_it(sites, open_page):
    """On slate the figures' text is light on a halo of the page's colour, not dark on white
    stickers; switching the palette switches them back, without a reload."""
    site = sites["material"]
    page, problems = open_page(site.page_url(MIXTAPE), dark=True)
    page.wait_for_function(SVG_TEXT_LOADED)
    page.wait_for_timeout(200)
    seen = {"slate": page.evaluate(SCHEMES)}
    # Material's toggle: the label of the next palette's radio input.
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    page.wait_for_timeout(200)
    seen["default"] = page.evaluate(SCHEMES)
    # (the scatter's class, its text's fill, its halo's colour, the profile's scheme)
    assert {scheme: tuple(values.values()) for scheme, values in seen.items()} == {
        "slate": (True, "rgb(227, 229, 234)", "rgb(30, 33, 41)", "dark"),
        "default": (False, "rgb(34, 34, 34)", "rgb(255, 255, 255)", "light"),
    }
    assert problems.problems == []


# --- Widths ----------------------------------------------------------------------------------

OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const escaping = [...document.querySelectorAll('article table, [role=main] table')]
        .filter(table => {
            const box = table.getBoundingClientRect();
            if (box.right <= width + 0.5) return false;
            for (let el = table.parentElement; el && el !== document.body; el = el.parentElement)
                if (scrolls(el)) return el.getBoundingClientRect().right > width + 0.5;
            return true;
        }).length;
    return {
        page: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        width, escaping,
    };
}"""


# Figure text is glyphs: `<use>` of paths drawn in matplotlib's text-path units, FONT_SCALE
# of them to the em. A text's rendered em in CSS px is FONT_SCALE times the ratio of a glyph's
# box on screen to its box in its own units, both as Chromium lays them out (the square root of
# the areas' ratio, so that rotated axis titles measure the same).
FIGURE_TEXT = """(object, em) => {
    const texts = [...object.contentDocument.querySelectorAll(
        'g[id^="text_"], g[id^="text-halo-"]')];
    const sizes = texts.map(text => Math.min(...[...text.querySelectorAll('use')].map(glyph => {
        const own = glyph.getBBox(), shown = glyph.getBoundingClientRect();
        const area = own.width * own.height;
        return area > 0 ? em * Math.sqrt(shown.width * shown.height / area) : Infinity;
    })));
    return {sizes: sizes.filter(Number.isFinite), width: object.getBoundingClientRect().width};
}"""
SVG_TEXT_LOADED = """() => {
    const object = document.querySelector('object[type="image/svg+xml"]');
    const svg = object && object.contentDocument;
    return Boolean(svg && svg.querySelector('g[id^="text_"] use, g[id^="text-halo-"] use'));
}"""


def scatter_text_px(page: Any) -> tuple[float, float]:
    """(smallest figure text in CSS px, rendered width) of the page's scatter, measured on
    the glyphs Chromium drew inside the `<object>`."""
    scatter = page.locator('object[type="image/svg+xml"]')
    scatter.wait_for()
    page.wait_for_function(SVG_TEXT_LOADED)
    measured = scatter.evaluate(FIGURE_TEXT, TextToPath.FONT_SCALE)
    # Every label, tick, legend entry and badge: a figure that drew no text measures nothing.
    assert len(measured["sizes"]) >= 8, measured
    return min(measured["sizes"]), measured["width"]


@pytest.mark.parametrize("site_name", ["material", "mkdocs"])
def test_phone_width_page_does_not_scroll_sideways(sites, open_page, site_name):
    site = sites[site_name]
    # Not the hostile playlist: its title, from mkdocs.yml, holds a 30-character word that no
    # heading can wrap at 390 px; that is the site owner's choice, not data.
    for playlist in (MIXTAPE,):
        page, _ = open_page(site.page_url(playlist), viewport=PHONE)
        for summary in page.locator("details summary").all():
            summary.click()
        overflow = page.evaluate(OVERFLOW)
        assert overflow["page"] <= overflow["width"], f"{playlist.title}: body scrolls sideways"
        assert overflow["escaping"] == 0, f"{playlist.title}: a table overflows the page"


@site_params("material", "mkdocs")
def test_figure_text_is_readable_at_phone_width(sites, open_page, site_name, record_property):
    site = sites[site_name]
    page, _ = open_page(site.page_url(MIXTAPE), viewport=PHONE)
    text_px, rendered = scatter_text_px(page)
    record_property("figure_text_px", round(text_px, 2))
    record_property("figure_width_px", round(rendered))
    assert text_px >= SMALLEST_READABLE_PX, f"figure text {text_px:.1f} px at {rendered} px"


# Columns a reader needs to recognise and open a track; Album and Label may need a scroll.
COLUMNS_THAT_MATTER = ("Art", "Track", "Artists", "Popularity", "Rank", "💚")


def test_desktop_shows_every_column_that_matters(sites, open_page):
    site = sites["material"]
    page, _ = open_page(site.page_url(MIXTAPE), viewport=DESKTOP)
    hidden = page.evaluate(
        """(wanted) => {
            const found = [];
            for (const table of document.querySelectorAll('article table')) {
                if (table.closest('details')) continue;
                let box = table.parentElement;
                while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
                    box = box.parentElement;
                const right = (box || document.body).getBoundingClientRect().right;
                for (const th of table.tHead.rows[0].cells)
                    if (wanted.includes(th.textContent.trim())
                        && th.getBoundingClientRect().right > right + 1)
                        found.push(th.textContent.trim());
            }
            return found;
        }""",
        list(COLUMNS_THAT_MATTER),
    )
    assert hidden == [], f"columns cut off at 1280 px: {sorted(set(hidden))}"


# --- A large playlist ------------------------------------------------------------------------


def resampled_export(count: int, seed: int = 0) -> str:
    """`count` distinct tracks drawn from the shared exports that use Exportify's current
    header; a track drawn twice gets a new id, so that every row is clustered."""
    pool: list[dict[str, str]] = []
    for path in sorted(SHARED_PLAYLISTS.glob("exportify-*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames == EXPORTIFY_HEADER:
                pool += [row for row in reader if row.get("Danceability")]
    rng = random.Random(seed)
    rows, seen = [], set()
    for row in rng.choices(pool, k=count):
        row = dict(row)
        while row["Track URI"] in seen or not row["Track URI"].startswith("spotify:track:"):
            row["Track URI"] = "spotify:track:" + "".join(rng.choice(BASE62) for _ in range(22))
        seen.add(row["Track URI"])
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, EXPORTIFY_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


NAVIGATION_TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
    return {domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }"""


@requires_shared
def test_large_playlist_page_opens_without_a_long_freeze(
    tmp_path, chromium, open_page, record_property, capsys
):
    tracks = 10_000
    config_path = make_site(
        tmp_path,
        {"playlists": [{"path": "data/large.csv", "title": "Large", "clusters": 8}]},
        theme="material",
        files={"data/large.csv": resampled_export(tracks)},
    )
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theme"] = material_theme(instant=True)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    build(config_path, strict=False)  # real exports may carry data warnings
    build_seconds = time.perf_counter() - started
    folder = tmp_path / "site" / "playlists" / "large"
    html, family = folder / "index.html", folder / "family-1" / "index.html"
    timings = {}
    with serve(tmp_path / "site") as url:
        for name, address in (
            ("page", "playlists/large/"),
            ("family", "playlists/large/family-1/"),
        ):
            page, problems = open_page(f"{url}{address}")
            timings[name] = page.evaluate(NAVIGATION_TIMING)
            if name == "family":
                rows = page.locator("tbody tr").count()
            assert problems.problems == []
    record_property("dom_content_loaded_ms", round(timings["page"]["domContentLoaded"]))
    with capsys.disabled():
        for name, path in (("page", html), ("family page", family)):
            timing = timings[name.split()[0]]
            print(
                f"\n{tracks:,}-track {name} ({path.stat().st_size / 1e6:.2f} MB, built in "
                f"{build_seconds:.1f} s): DOMContentLoaded {timing['domContentLoaded']:.0f} ms, "
                f"load {timing['load']:.0f} ms"
            )
    # The page shows every mix as a card; a family's page its mixes, each with its
    # representatives (collapsed); member lists are the downloads.
    cards = html.read_text("utf-8").count('class="playlist-clusters-card"')
    assert cards >= 8 * 10  # 8 families of about 1,250 tracks, each about 20 mixes of 60
    mixes = len(re.findall(r'<a id="mix-\d+"></a>', family.read_text("utf-8")))
    assert mixes >= 10 and rows == mixes * 10
    for path in (html, family):
        assert path.stat().st_size < 1_000_000
    for timing in timings.values():
        assert timing["domContentLoaded"] < 3000, "the page freezes while it loads"
    assert problems.problems == []
