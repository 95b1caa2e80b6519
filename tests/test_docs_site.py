"""The documentation site (`docs/mkdocs.yml`) builds with `mkdocs build --strict`, as the
publish workflow builds it: Material, this plugin with the example site's playlists as its
live example, and the hooks that make the options reference, the languages' table and the
schema from the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from mkdocs_playlist_clusters.building.option_rules import schema
from mkdocs_playlist_clusters.building.options import Options, PlaylistEntry
from mkdocs_playlist_clusters.language import SUPPORTED

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(".cache", "site", "__pycache__")


def test_the_docs_site_builds_strict_with_the_reference_and_the_live_example(tmp_path):
    # A copy, so that the build's cache stays out of the checkout; the data is read in place
    # from the copy's example_site/, as docs/mkdocs.yml names it.
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=IGNORED)
    shutil.copytree(ROOT / "example_site" / "data", tmp_path / "example_site" / "data")
    site = tmp_path / "site"
    command = ["mkdocs", "build", "--strict", "-f", "docs/mkdocs.yml", "-d", str(site)]
    result = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=tmp_path,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    options = (site / "options" / "index.html").read_text(encoding="utf-8")
    for name in schema(Options):
        assert f'id="{name}"' in options, name
    for name in schema(PlaylistEntry):
        assert f'id="entry-{name}"' in options, name
    assert "<!-- options-reference -->" not in options
    languages = (site / "languages" / "index.html").read_text(encoding="utf-8")
    assert all(f"<td><code>{code}</code></td>" in languages for code in SUPPORTED)
    assert "العربية" in languages
    development = (site / "development" / "index.html").read_text(encoding="utf-8")
    assert "<code>options.py</code>" in development or "/options.py</code>" in development
    # The schema and the README's picture are published where the pages link them.
    assert (site / "schema.json").read_bytes() == (ROOT / "docs" / "schema.json").read_bytes()
    assert (site / "assets" / "demo-mixtape-page.png").is_file()
    # The live example: the plugin's pages of the demo playlists.
    demo = (site / "example" / "demo-mixtape" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="demo-mixtape"><bdi>Demo Mixtape</bdi>' in demo
    assert (site / "example" / "k-pop-favorites" / "index.html").is_file()
    assert not (tmp_path / "docs" / "playlist-clusters-state.json").exists()


def test_every_page_is_in_the_nav():
    config = yaml.safe_load((ROOT / "docs" / "mkdocs.yml").read_text(encoding="utf-8"))
    in_nav = {next(iter(item.values())) for item in config["nav"]}
    pages = {p.name for p in (ROOT / "docs" / config["docs_dir"]).glob("*.md")}
    assert pages == in_nav


def test_the_readme_is_one_screen_with_the_two_commands_and_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert 'pip install -e ".[material]" && mkdocs serve -f example_site/mkdocs.yml' in readme
    assert 'pip install -e ".[test]" && pytest' in readme
    assert "](docs/assets/demo-mixtape-page.png)" in readme
    for page in (ROOT / "docs" / "pages").glob("*.md"):
        if page.name != "index.md":
            assert f"](docs/pages/{page.name})" in readme, f"the README does not link {page.name}"
