"""Shared helpers: tiny MkDocs sites built in-process, synthetic Exportify CSVs, HTML parsing."""

from __future__ import annotations

import csv
import io
import os
import random
import re
import string
from dataclasses import dataclass, field
from html.parser import HTMLParser
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

SHARED_PLAYLISTS = Path(__file__).resolve().parents[1].parent / "shared" / "playlists"

requires_shared = pytest.mark.skipif(
    not SHARED_PLAYLISTS.is_dir(),
    reason="../shared/playlists is not beside this checkout; real-export tests need it",
)

EXPORTIFY_HEADER = [
    "Track URI",
    "Track Name",
    "Album Name",
    "Artist Name(s)",
    "Release Date",
    "Duration (ms)",
    "Popularity",
    "Explicit",
    "Added By",
    "Added At",
    "Genres",
    "Record Label",
    "Danceability",
    "Energy",
    "Key",
    "Loudness",
    "Mode",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
    "Time Signature",
]

BASE62 = string.digits + string.ascii_letters

# Three archetypes far apart in feature space, so k-means finds them whatever k it tries.
_ARCHETYPES: tuple[dict[str, Any], ...] = (
    {
        "name": "Club",
        "genres": "house,dance pop",
        "label": "Brightline Music",
        "Danceability": 0.85,
        "Energy": 0.9,
        "Loudness": -4.0,
        "Speechiness": 0.05,
        "Acousticness": 0.03,
        "Instrumentalness": 0.3,
        "Liveness": 0.1,
        "Valence": 0.75,
        "Tempo": 125.0,
    },
    {
        "name": "Ballad",
        "genres": "singer-songwriter,folk",
        "label": "Hearthside Records",
        "Danceability": 0.3,
        "Energy": 0.2,
        "Loudness": -14.0,
        "Speechiness": 0.04,
        "Acousticness": 0.9,
        "Instrumentalness": 0.01,
        "Liveness": 0.12,
        "Valence": 0.25,
        "Tempo": 72.0,
    },
    {
        "name": "Rap",
        "genres": "hip hop,rap",
        "label": "Corner Store Records",
        "Danceability": 0.7,
        "Energy": 0.6,
        "Loudness": -7.0,
        "Speechiness": 0.35,
        "Acousticness": 0.15,
        "Instrumentalness": 0.0,
        "Liveness": 0.2,
        "Valence": 0.5,
        "Tempo": 95.0,
    },
)
# Spread of each feature around its archetype's value.
_SPREAD = {"Loudness": 0.8, "Tempo": 4.0}
_BOUNDED = (
    "Danceability",
    "Energy",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
)


def track_id(rng: random.Random) -> str:
    """A valid-looking 22-character base62 Spotify id."""
    return "".join(rng.choice(BASE62) for _ in range(22))


def synthetic_tracks(n: int = 60, seed: int = 0) -> list[dict[str, str]]:
    """`n` Exportify rows (header name -> cell) drawn from three well-separated archetypes."""
    rng = random.Random(seed)
    ids: set[str] = set()
    rows = []
    for i in range(n):
        archetype = _ARCHETYPES[i % len(_ARCHETYPES)]
        new_id = track_id(rng)
        while new_id in ids:
            new_id = track_id(rng)
        ids.add(new_id)
        row = {
            "Track URI": f"spotify:track:{new_id}",
            "Track Name": f"{archetype['name']} Song {i + 1}",
            "Album Name": f"{archetype['name']} Album {i % 4 + 1}",
            "Artist Name(s)": f"{archetype['name']} Artist {i % 5 + 1}"
            + (f";Guest {i}" if i % 7 == 0 else ""),
            "Release Date": f"{2000 + i % 24}-0{1 + i % 9}-1{i % 10}",
            "Duration (ms)": str(150_000 + 1000 * i),
            "Popularity": str(20 + i % 70),
            "Explicit": "true" if i % 5 == 0 else "false",
            "Added By": "",
            "Added At": f"2024-01-{1 + i % 28:02d}T12:00:00Z",
            "Genres": archetype["genres"],
            "Record Label": archetype["label"],
            "Key": str(i % 12),
            "Mode": str(i % 2),
            "Time Signature": "4",
        }
        for feature in (*_BOUNDED, "Loudness", "Tempo"):
            value = archetype[feature] + rng.gauss(0, _SPREAD.get(feature, 0.03))
            if feature in _BOUNDED:
                value = min(1.0, max(0.0, value))
            row[feature] = f"{value:.4f}"
        rows.append(row)
    return rows


def exportify_csv(rows: list[dict[str, str]]) -> str:
    """The rows as an Exportify export (current 24-column header), missing cells empty."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, EXPORTIFY_HEADER, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


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


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails the test if `data` is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR", "PNG does not start with IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- Parsing built pages ------------------------------------------------------------------


@dataclass
class Table:
    heading: str | None  # text of the h2 it follows (None before any h2)
    in_details: bool
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # body cells' text
    links: list[str] = field(default_factory=list)  # every href in the body


@dataclass
class NavLink:
    href: str
    text: str
    sections: list[str]  # the first text of each enclosing <li>, outermost first


class PageParser(HTMLParser):
    """Collects what the tests look at in a built page: headings, paragraphs, tables, images,
    links, script elements and the `<li>` nesting of every link."""

    _VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.h2: list[str] = []
        self.paragraphs: list[tuple[str | None, str]] = []  # (current h2, text)
        self.images: list[dict[str, str | None]] = []
        self.anchors: list[dict[str, str | None]] = []
        self.scripts: list[str] = []
        self.tables: list[Table] = []
        self.nav_links: list[NavLink] = []
        self._capture: list[tuple[str, list[str]]] = []  # open text-collecting elements
        self._li: list[list[str]] = []  # text pieces of each open <li>
        self._anchor: tuple[str, list[str], list[str]] | None = None
        self._table: Table | None = None
        self._in_tbody = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._details = 0
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h1", "h2", "p"):
            self._capture.append((tag, []))
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "a":
            self.anchors.append(attributes)
            if self._table is not None and self._in_tbody and attributes.get("href"):
                self._table.links.append(attributes["href"] or "")
            if attributes.get("href") is not None:
                sections = [" ".join("".join(li).split()) for li in self._li[:-1]]
                self._anchor = (attributes["href"] or "", [], sections)
        elif tag == "li":
            self._li.append([])
        elif tag == "details":
            self._details += 1
        elif tag == "table":
            heading = self.h2[-1] if self.h2 else None
            self._table = Table(heading, self._details > 0)
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "p") and self._capture and self._capture[-1][0] == tag:
            _, pieces = self._capture.pop()
            text = " ".join("".join(pieces).split())
            if tag == "h1":
                self.h1.append(text)
            elif tag == "h2":
                self.h2.append(text)
            else:
                self.paragraphs.append((self.h2[-1] if self.h2 else None, text))
        elif tag == "a" and self._anchor is not None:
            href, pieces, sections = self._anchor
            self.nav_links.append(NavLink(href, " ".join("".join(pieces).split()), sections))
            self._anchor = None
        elif tag == "li" and self._li:
            self._li.pop()
        elif tag == "details":
            self._details -= 1
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "tbody":
            self._in_tbody = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._in_tbody:
                self._table.rows.append(self._row)
            else:
                self._table.header = self._row
            self._row = None
        elif tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        for _, pieces in self._capture:
            pieces.append(data)
        # Only the first words of an <li> name it: keep text until a nested list starts.
        if self._li and data.strip() and not "".join(self._li[-1]).strip():
            self._li[-1].append(data)
        if self._anchor is not None:
            self._anchor[1].append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._script is not None:
            self._script.append(data)


def parse_page(html_text: str) -> PageParser:
    parser = PageParser()
    parser.feed(html_text)
    parser.close()
    return parser


CLUSTER_HEADING = re.compile(r"^Cluster #(\d+)$")
SIZE_SENTENCE = re.compile(r"^(\d+) tracks?\b")


def cluster_sizes(page: PageParser) -> list[int]:
    """Size of each "Cluster #i" section, from the "N tracks · ..." line under its heading."""
    sizes = []
    for heading in page.h2:
        if not CLUSTER_HEADING.match(heading):
            continue
        match = next(
            (m for h, text in page.paragraphs if h == heading and (m := SIZE_SENTENCE.match(text))),
            None,
        )
        assert match, f"no 'N tracks' line under {heading!r}"
        sizes.append(int(match.group(1)))
    return sizes
