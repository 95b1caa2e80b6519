"""Zensical (Material's successor) runs no MkDocs plugins: a site built with it gets the
playlist pages from `playlist-clusters generate`, and they work there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from built_html import parse_page
from site_building import site_path


def zensical_build(site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--clean", "-f", "mkdocs.yml"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )


def test_zensical_builds_the_generated_pages(example_site_copy):
    pytest.importorskip("zensical", reason="pip install zensical (Python 3.10+, in the test extra)")
    site = example_site_copy
    without = zensical_build(site)
    assert without.returncode == 0, without.stderr
    # What the issue reports: the plugin entry is ignored without a word.
    assert not (site / "site" / "playlists").exists()

    generated = subprocess.run(
        [sys.executable, "-m", "mkdocs_playlist_clusters", "generate"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    built = zensical_build(site)
    assert built.returncode == 0, built.stderr

    for slug, title in [("demo-mixtape", "Demo Mixtape"), ("k-pop-favorites", "K-Pop Favorites")]:
        page_file = site / "site" / "playlists" / slug / "index.html"
        assert page_file.is_file(), f"Zensical built no {page_file}"
        page = parse_page(page_file.read_text(encoding="utf-8"))
        assert [h.rstrip("¶") for h in page.h1] == [f"{title}"]  # ¶: a permalink
        url = f"playlists/{slug}/"
        raw = page_file.read_text(encoding="utf-8")
        # The scatter: an SVG <object> (its URL raw HTML, resolved by `generate`) and a
        # Markdown link to the PNG (rewritten by Zensical).
        objects = re.findall(r'<object type="image/svg\+xml" data="([^"]+)"', raw)
        assert len(objects) == 1, objects
        svg = site_path(site / "site", url, objects[0])
        assert svg is not None and b"<svg" in svg.read_bytes()[:2000], objects[0]
        links = [str(a.get("href")) for a in page.anchors]
        scatter = [href for href in links if href.endswith(f"{slug}-clusters.png")]
        assert scatter, links
        for src in scatter:
            target = site_path(site / "site", url, src)
            assert target is not None and target.read_bytes().startswith(b"\x89PNG"), src
        downloads = [
            str(a.get("href")) for a in page.anchors if str(a.get("href")).endswith(".csv")
        ]
        assert downloads
        for href in downloads:
            target = site_path(site / "site", url, href)
            assert target is not None and target.is_file(), href
        tracks = [t for t in page.tables if "Track" in t.header]
        assert tracks and all(table.rows for table in tracks)
