"""The overview page's Markdown, from playlist summaries (its place in real builds is tested
in test_build.py)."""

import re

import pytest
from built_html import parse_page, png_size
from site_building import build, make_site, page_output, site_path
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.playlist import FamilySummary, MixSummary, PlaylistSummary
from mkdocs_playlist_clusters.presenting.overview import OverviewEntry, overview_page

GOOD = PlaylistSummary(
    "Mix <b>|</b>",
    1905,
    (
        FamilySummary(
            1,
            "Louder · k-pop *",
            1500,
            (MixSummary(1, "Faster", 800), MixSummary(3, "Slower · <i>", 700)),
        ),
        FamilySummary(2, "Calmer", 405, (MixSummary(2, "Calmer", 405),)),
    ),
    "mix-thumbnail.png",
)
BROKEN = PlaylistSummary("Empty", 0, problem="the file has no rows")


def test_every_playlist_family_and_mix_is_linked_with_its_size():
    page = overview_page(
        "Playlists", [OverviewEntry("mix.md", GOOD), OverviewEntry("empty.md", BROKEN)]
    )
    assert page.startswith('---\ntitle: "Playlists"\n---\n\n# Playlists\n')
    assert "2 playlists" in page
    assert "## [<bdi>Mix &lt;b&gt;&#124;&lt;/b&gt;</bdi>](mix.md)" in page
    alt = "Map of the families in Mix &lt;b&gt;&#124;&lt;/b&gt;"
    assert f'<img src="mix-thumbnail.png" alt="{alt}" width="240" height="170"' in page
    assert "1,905 tracks in 2 families and 3 mixes:" in page
    # Each family a card linking to its place on the playlist's page (where its mixes are,
    # one click further), with its size and its mixes named.
    cards = re.findall(
        r'<a class="playlist-clusters-card" href="([^"]+)">.*?<strong><bdi>(.+?)</bdi></strong>'
        r"\s*<span>(.+?)</span>\s*((?:<span>.+?</span>\s*)*)</span>",
        page,
        re.S,
    )
    assert [(href, name, facts) for href, name, facts, _ in cards] == [
        ("mix{page_end}#family-1", "Family 1&#58; Louder · k-pop &#42;", "1,500 tracks · 2 mixes"),
        ("mix{page_end}#family-2", "Family 2&#58; Calmer", "405 tracks · 1 mix"),
    ]
    named = [re.findall(r"<span>(.+?)</span>", mixes) for *_, mixes in cards]
    assert named == [["Faster", "Slower · &lt;i&gt;"], ["Calmer"]]
    assert "## [<bdi>Empty</bdi>](empty.md)" in page
    assert "0 tracks, not grouped: the file has no rows." in page
    assert "<b>" not in page and "<i>" not in page and "*" not in page.split("---", 2)[2]


def test_a_one_level_playlist_lists_its_mixes():
    small = PlaylistSummary(
        "Small",
        90,
        (
            FamilySummary(1, "Louder", 50, (MixSummary(1, "Louder", 50),)),
            FamilySummary(2, "Calmer", 40, (MixSummary(2, "Calmer", 40),)),
        ),
    )
    page = overview_page("Playlists", [OverviewEntry("small.md", small)])
    assert "90 tracks in 2 mixes:" in page
    assert "- [Mix 2: <bdi>Calmer</bdi>](small.md#mix-2): 40 tracks" in page
    assert "Family" not in page


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_the_overview_is_the_sections_first_page_and_links_every_page_and_thumbnail(
    tmp_path, theme, use_directory_urls
):
    config = make_site(
        tmp_path,
        {"playlists": ["data/club-mix.csv", "data/late-night.csv", "data/broken.csv"]},
        theme=theme,
        use_directory_urls=use_directory_urls,
        files={
            "data/club-mix.csv": exportify_csv(synthetic_tracks(60, seed=1)),
            "data/late-night.csv": exportify_csv(synthetic_tracks(45, seed=2)),
            "data/broken.csv": "Track Name\n",
        },
    )
    build(config, strict=False)  # the broken playlist warns
    site = tmp_path / "site"
    # An index page is served at its folder's URL in both URL styles.
    overview_file = site / "playlists" / "index.html"
    overview_url = "playlists/" if use_directory_urls else "playlists/index.html"
    overview = parse_page(overview_file.read_text(encoding="utf-8"))
    assert overview.h1 == ["Playlists"]
    assert overview.h2 == ["Club Mix", "Late Night", "Broken"]
    targets = {
        site_path(site, overview_url, a["href"] or "")
        for a in overview.anchors
        if a.get("href") and not a["href"].startswith(("http", "#"))
    }
    for slug in ("club-mix", "late-night", "broken"):
        page, _ = page_output(site, f"playlists/{slug}.md", use_directory_urls)
        assert page in targets, f"the overview does not link {slug}"
    thumbnails = [i["src"] or "" for i in overview.images if "thumbnail" in (i["src"] or "")]
    assert len(thumbnails) == 2  # the broken playlist has none
    for src in thumbnails:
        image = site_path(site, overview_url, src)
        assert image is not None and image.is_file() and png_size(image.read_bytes())[0] >= 240
    # Each mix is linked by its short anchor, which its page has.
    club, _ = page_output(site, "playlists/club-mix.md", use_directory_urls)
    anchors = [a["href"] for a in overview.anchors if "#mix-" in (a.get("href") or "")]
    assert anchors and all(f'id="{a.split("#")[1]}"' in club.read_text("utf-8") for a in anchors)
    # First in the section, in the navigation of every page.
    home = parse_page((site / "index.html").read_text(encoding="utf-8"))
    in_section = [link for link in home.nav_links if link.sections[-1:] == ["Playlists"]]
    assert in_section and site_path(site, "", in_section[0].href) == overview_file


def test_no_overview_when_turned_off(tmp_path):
    config = make_site(
        tmp_path,
        {"overview": False, "playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(45, seed=2))},
    )
    build(config)
    assert not (tmp_path / "site" / "playlists" / "index.html").exists()
    assert (tmp_path / "site" / "playlists" / "mix" / "index.html").exists()
