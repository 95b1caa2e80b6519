"""Tiny MkDocs sites written into a test's folder and built in-process, as `mkdocs build`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

# Material prints a notice about MkDocs 2.0 on every build unless this is set.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLE_SITE = REPOSITORY / "example_site"
SHARED_PLAYLISTS = REPOSITORY.parent / "shared" / "playlists"

requires_shared = pytest.mark.skipif(
    not SHARED_PLAYLISTS.is_dir(),
    reason="../shared/playlists is not beside this checkout; real-export tests need it",
)


def make_site(
    tmp_path: Path,
    plugin_options: dict[str, Any],
    *,
    theme: str = "mkdocs",
    nav: list[Any] | None = None,
    use_directory_urls: bool = True,
    docs: dict[str, str] | None = None,
    files: dict[str, str | bytes] | None = None,
    config_name: str = "mkdocs.yml",
) -> Path:
    """Write a small MkDocs project into `tmp_path`; return the path of its config file.

    `docs` are extra pages (path in docs_dir -> Markdown), `files` are data files (path
    relative to `tmp_path` -> content). The plugin's disk cache is off unless the options say
    otherwise, so a test never writes outside `tmp_path`.
    """
    options = {"cache": False, **plugin_options}
    if options["cache"]:
        options.setdefault("cache_dir", str(tmp_path / ".cache"))
    config: dict[str, Any] = {
        "site_name": "Test site",
        "site_dir": str(tmp_path / "site"),
        "docs_dir": "docs",
        "use_directory_urls": use_directory_urls,
        "theme": {"name": theme},
        "plugins": [{"playlist-clusters": options}],
    }
    if nav is not None:
        config["nav"] = nav
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    (docs_dir / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    for name, text in (docs or {}).items():
        (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text, encoding="utf-8")
    for name, content in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    config_path = tmp_path / config_name
    config_path.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_path


def build(config_path: Path, strict: bool = True) -> MkDocsConfig:
    """Build the site in this process, as `mkdocs build [--strict]` would; return the config.

    In strict mode a warning makes MkDocs raise `mkdocs.exceptions.Abort`.
    """
    config = load_config(config_file=str(config_path), strict=strict)
    mkdocs_build(config)
    return config


def build_with(tool: str, site: Path, out: Path) -> None:
    """`<tool> build --strict -f mkdocs.yml -d <out>` in a new process, from the site's folder
    (`tool`: mkdocs, properdocs, or another module with MkDocs' command line)."""
    command = [sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def page_output(site_dir: Path, src_uri: str, use_directory_urls: bool) -> tuple[Path, str]:
    """(built HTML file, its URL relative to the site root) of the page from `src_uri`."""
    stem = src_uri.removesuffix(".md")
    if use_directory_urls:
        return site_dir / stem / "index.html", f"{stem}/"
    return site_dir / f"{stem}.html", f"{stem}.html"


def site_path(site_dir: Path, page_url: str, href: str) -> Path | None:
    """The file in `site_dir` that a relative `href` on the page at `page_url` points to."""
    base = "https://site.test/"
    target = urlsplit(urljoin(base + page_url, href))
    if f"{target.scheme}://{target.netloc}/" != base:
        return None
    path = target.path.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return site_dir / path
