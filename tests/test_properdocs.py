"""ProperDocs (the community continuation of MkDocs 1.x) builds the example site with the
plugin unchanged, and publishes the same playlist pages, images and downloads as MkDocs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_building import build_with

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def published(site_dir: Path) -> dict[str, bytes]:
    """The plugin's output files, the generator meta tag (which names the tool) removed."""
    folder = site_dir / "playlists"
    return {
        str(path.relative_to(folder)): GENERATOR.sub(b"", path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_properdocs_publishes_what_mkdocs_publishes(example_site_copy, tmp_path):
    pytest.importorskip("properdocs", reason="pip install properdocs (it is in the test extra)")
    build_with("properdocs", example_site_copy, tmp_path / "properdocs")
    build_with("mkdocs", example_site_copy, tmp_path / "mkdocs")
    by_properdocs = published(tmp_path / "properdocs")
    assert {"demo-mixtape/index.html", "demo-mixtape-clusters.png"} <= by_properdocs.keys()
    assert by_properdocs == published(tmp_path / "mkdocs")
