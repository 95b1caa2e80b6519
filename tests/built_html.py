"""Reading built pages: a small HTML parser for headings, paragraphs, tables, links, images."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails the test if `data` is not a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    assert data[12:16] == b"IHDR", "PNG does not start with IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- Parsing built pages ------------------------------------------------------------------


@dataclass
class Table:
    heading: str | None  # text of the h2 or h3 it follows (None before any)
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
        self.h3: list[str] = []
        self.headings: list[str] = []  # h2 and h3 in page order
        self.paragraphs: list[tuple[str | None, str]] = []  # (current h2 or h3, text)
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
        if tag in ("h1", "h2", "h3", "p"):
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
            heading = self.headings[-1] if self.headings else None
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
        if tag in ("h1", "h2", "h3", "p") and self._capture and self._capture[-1][0] == tag:
            _, pieces = self._capture.pop()
            text = " ".join("".join(pieces).split())
            if tag == "h1":
                self.h1.append(text)
            elif tag in ("h2", "h3"):
                getattr(self, tag).append(text)
                self.headings.append(text)
            else:
                self.paragraphs.append((self.headings[-1] if self.headings else None, text))
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


# "Mix 3: Calmer · folk (48 tracks)": number, name, size (the table of contents shows both).
MIX_HEADING = re.compile(r"^Mix (\d+): (.+) \(([\d,]+) tracks?\)$")
FAMILY_HEADING = re.compile(r"^Family (\d+): (.+) \(([\d,]+) tracks?\)$")


def mix_sizes(page: PageParser) -> list[int]:
    """Size of each "Mix N" section, as its heading states it."""
    return [
        int(match.group(3).replace(",", ""))
        for heading in page.headings
        if (match := MIX_HEADING.match(heading))
    ]


SCATTER_OBJECT = re.compile(
    r'<object type="image/svg\+xml" data="([^"]+)"[^>]*aria-label="([^"]*)"'
)


def scatter_objects(html_text: str) -> list[tuple[str, str]]:
    """(data URL, aria-label) of each SVG scatter `<object>` of a built page."""
    return [(url, html.unescape(label)) for url, label in SCATTER_OBJECT.findall(html_text)]


def scatter_png_links(page: PageParser) -> list[str]:
    """The hrefs of the page's links to a scatter PNG (shown beside the SVG)."""
    return [href for a in page.anchors if (href := a.get("href") or "").endswith("-clusters.png")]


def family_pages(folder: Path) -> list[Path]:
    """The built pages of a playlist's families (`<slug>/family-N/index.html`, or
    `family-N.html` without directory URLs), family by family."""
    found = [*folder.glob("family-*/index.html"), *folder.glob("family-*.html")]

    def order(path: Path) -> list[int]:
        stem = path.parent.name if path.name == "index.html" else path.stem
        return [int(n) for n in re.findall(r"\d+", stem)]

    return sorted(found, key=order)


def playlist_pages(folder: Path, page: Path | None = None) -> list[PageParser]:
    """A playlist's built page and its families' pages: every mix's section is on one of
    them. `folder`: the playlist's folder in the site; `page`: its page, by default
    `folder/index.html`."""
    first = page or folder / "index.html"
    return [parse_page(path.read_text(encoding="utf-8")) for path in [first, *family_pages(folder)]]
