"""Arabic, a right-to-left language: the page is laid out right to left by the theme (Material
sets dir="rtl"), and what the plugin adds holds in it: tables, the map, the downloads and the
collapsed block, in Chromium at desktop and phone width; names in Latin script keep their
own order inside Arabic tables; the figures leave Arabic to the browser, which joins and
orders its letters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import offline_router, serve_directory

from mkdocs_playlist_clusters.language import language
from mkdocs_playlist_clusters.presenting import figure_text, figures
from tests.site_building import build, make_site
from tests.synthetic import exportify_csv, synthetic_tracks

ARABIC = language("ar")
NAME = "Help Me Now!"  # ends in "!": in a right-to-left cell it would jump to the left


def test_matplotlib_never_draws_arabic_and_the_legend_reads_right_to_left():
    assert not figure_text.renderable(ARABIC.tr("Family"))
    assert figure_text.drawn_language(ARABIC).code == "en"  # the PNG: English words
    entry = figures.legend_entry(185, 3, 0, ARABIC)
    assert (
        entry.startswith("\u200f#1 (") and ARABIC.tr_n("{count} mix", "{count} mixes", 3) in entry
    )
    assert not figures.legend_entry(185, 3, 0, language("de")).startswith("\u200f")


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arabic")
    rows = synthetic_tracks(300, seed=4)
    rows[0]["Track Name"] = NAME
    config = make_site(
        root,
        {"playlists": ["data/mix.csv"], "mix_size": 40, "representatives": 50},
        theme="material",
        files={"data/mix.csv": exportify_csv(rows)},
    )
    text = config.read_text(encoding="utf-8").replace(
        "name: material", "name: material\n  language: ar"
    )
    config.write_text(text, encoding="utf-8")
    build(config)
    return root / "site"


def test_the_arabic_page_is_in_arabic(arabic_site):
    page = (arabic_site / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in page and "<bdi>Mix</bdi>" in page
    assert "unicode-bidi: plaintext" in page  # the tables' cells


LAYOUT = """() => {
    const width = document.documentElement.clientWidth;
    const inside = (box) => box.left >= -1 && box.right <= width + 1;
    const tables = [...document.querySelectorAll("article table")].filter(t => t.offsetParent);
    const figure = document.querySelector("article object, article img[src$='.png']");
    const downloads = [...document.querySelectorAll("article a[href$='.m3u8']")];
    const cell = [...document.querySelectorAll("article td")].find(
        td => td.textContent.trim() === NAME);
    const text = cell.querySelector("a") ? cell.querySelector("a").firstChild : cell.firstChild;
    const at = (i) => { const r = document.createRange(); r.setStart(text, i);
        r.setEnd(text, i + 1); return r.getBoundingClientRect(); };
    return {
        dir: getComputedStyle(document.body).direction,
        scrolls: document.documentElement.scrollWidth > width,
        tables: tables.length,
        tablesInside: tables.every(
            t => inside(t.closest("div[style*='overflow-x']").getBoundingClientRect())),
        figure: figure ? inside(figure.getBoundingClientRect()) && figure.clientWidth > 200 : false,
        downloads: downloads.length,
        firstLeftOfLast: at(0).left < at(text.length - 1).left,
        cellRight: cell.getBoundingClientRect().right - at(text.length - 1).right,
    };
}""".replace("NAME", repr(NAME))


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_arabic_page_holds_its_layout_in_chromium(arabic_site, chromium, viewport):
    with serve_directory(arabic_site) as base:
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        page.route("**/*", offline_router(None))
        page.goto(base + "playlists/mix/")
        for summary in page.locator("article details summary").all():
            summary.click()
        found: dict[str, Any] = page.evaluate(LAYOUT)
        context.close()
    assert found["dir"] == "rtl"
    assert not found["scrolls"], "the page scrolls sideways"
    assert found["tables"] >= 4 and found["tablesInside"], found  # the opened blocks too
    assert found["figure"], "the map is not shown in the column"
    assert found["downloads"] >= 3
    # "Help Me Now!" reads left to right in its cell, its "!" last, and the cell
    # is aligned as the Arabic around it (right).
    assert found["firstLeftOfLast"], found
    assert found["cellRight"] < 20, found


# An unclosed RIGHT-TO-LEFT OVERRIDE in a label: without isolation, every character after it
# on the line is shown reversed, the plugin's own words included.
OVERRIDDEN = "Hearth\u202eside Records"

WORD_ORDER = """() => {
    const item = [...document.querySelectorAll("li")].find(
        li => li.textContent.startsWith("Label") && li.textContent.includes("tracks here"));
    const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.data.includes("tracks here")) {}
    const left = (word) => { const r = document.createRange(); const at = node.data.indexOf(word);
        r.setStart(node, at); r.setEnd(node, at + word.length);
        return r.getBoundingClientRect().left; };
    return {text: item.textContent, tracks: left("tracks here"), playlist: left("of the playlist")};
}"""


def test_a_bidirectional_override_in_the_data_cannot_reverse_the_plugin_s_words(tmp_path, chromium):
    rows = synthetic_tracks(60, seed=2)
    for row in rows:
        row["Record Label"] = row["Record Label"].replace("Hearthside Records", OVERRIDDEN)
    config = make_site(
        tmp_path, {"playlists": ["data/mix.csv"]}, files={"data/mix.csv": exportify_csv(rows)}
    )
    build(config)
    site = tmp_path / "site"
    html = (site / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    closed = OVERRIDDEN + "\u202c"  # closed where the name ends, in every file it reaches
    assert f"Label <bdi>{closed}</bdi>: " in html
    assert f"<td>{closed}</td>" in html  # a cell of its own: a bidi paragraph of its own
    # Where the theme writes the name without <bdi> (its table of contents), it is closed too.
    svg = (site / "playlists" / "mix-clusters.svg").read_text(encoding="utf-8")
    for text in (html, svg):  # (names no longer give labels: the SVG may not hold it)
        assert text.count(OVERRIDDEN) == text.count(closed)
    assert html.count(closed) > 0
    with serve_directory(site) as base:
        page = chromium.new_page()
        page.route("**/*", offline_router(None))
        page.goto(base + "playlists/mix/")
        found: dict[str, Any] = page.evaluate(WORD_ORDER)
        page.close()
    assert found["tracks"] < found["playlist"], found  # "16 tracks here (…), 33% of the playlist"
