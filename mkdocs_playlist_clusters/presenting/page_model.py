"""What a playlist's page shows, computed (`PageModel`), and what rendering it gives
(`RenderedPage`); with the limits that decide how much of it one page holds."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..describing.views import FamilyView, MixView
from ..grouping.numbering import Changes
from ..language import ENGLISH, Language
from ..playlist import DEFAULT_MIX_SIZE, PAGE_END, PAGE_FOLDER

# Above this many distinct tracks, member lists stay in the downloads: the page would pass
# 1 MB and the browser would lay out tens of thousands of rows.
MAX_LISTED_TRACKS = 2500
# Up to this many mixes, their tables are indexed by search plugins (a track found by its name);
# beyond, search parsing a thousand rows cost a rebuild 0.7 s at 7,785 tracks (121 mixes), and
# search still finds each mix by its name, from its heading.
MAX_SEARCHED_TABLES = 30
# A playlist of up to this many mixes is one page. Beyond, its page shows every mix as a card,
# and each family's mixes are on pages of their own, at most MIXES_PER_PAGE a page: no page
# passes about 25 screens, however large the library.
ONE_PAGE_MIXES = 12
MIXES_PER_PAGE = 50


@dataclass(frozen=True)
class PageModel:
    """Everything the page shows, computed; rendering only formats it."""

    title: str
    rows: int  # data rows in the file
    distinct: int  # distinct tracks among them
    features: Sequence[str] = ()
    image: str | None = None  # file name of the scatter, beside the page
    svg: str | None = None  # the scatter as SVG with tooltips and links, when it has one
    profile: str | None = None  # file name of the profile figure
    map_ends: Sequence[tuple[str, str]] = ()  # words for the scatter's left/right, bottom/top
    families: Sequence[FamilyView] = ()
    mix_size: int = DEFAULT_MIX_SIZE  # the target size of a mix
    unclustered: pd.DataFrame | None = None  # with a "reason" column
    problem: str | None = None  # why nothing was grouped
    representatives: int = 10
    notes: Sequence[str] = field(default_factory=tuple)  # warnings worth showing readers
    downloads: str | None = None  # folder of the download files, beside the page
    recordings: int = 0  # tracks listed again under another Spotify id, shown once
    metadata_only: bool = False  # grouped on metadata: the export had no audio features
    silhouette: float | None = None  # mean silhouette of the families
    method: Sequence[str] = ()  # sentences for "How these groups were made"
    changes: Changes | None = None  # since the previous build, when there was one
    language: Language = ENGLISH  # the words and numbers of the page
    # The playlist's page is `<slug>.md`, its families' pages are in the folder `<slug>/`; ""
    # for a page that has none.
    slug: str = ""
    templates: tuple[str, ...] = ()  # folders of the user's templates (see `templating`)
    spotify_player: bool = False  # a click-to-load player for each mix's first track

    @property
    def tracks(self) -> Callable[[int], str]:
        """ "1 track", "6,427 tracks" in the page's language."""
        return lambda number: self.language.tr_n("{count} track", "{count} tracks", number)

    @property
    def mixes(self) -> list[MixView]:
        return [mix for family in self.families for mix in family.mixes]

    @property
    def rtl(self) -> bool:
        """The page's language is written right to left."""
        return self.language.locale.character_order == "right-to-left"

    @property
    def one_level(self) -> bool:
        """Every family is a single mix: the page shows mixes only."""
        return all(len(family.mixes) == 1 for family in self.families)


@dataclass(frozen=True)
class RenderedPage:
    """The page's Markdown and the HTML that replaces its placeholders.

    `indexed` goes in after Markdown, where search plugins still read it (each mix's
    representatives); `unindexed` goes into the finished page, unseen by search plugins and
    so not parsed on every build (long member lists).
    """

    markdown: str
    indexed: dict[str, str] = field(default_factory=dict)
    unindexed: dict[str, str] = field(default_factory=dict)
    # The families' pages: file name in the section folder -> Markdown (their placeholders'
    # HTML is in `indexed` and `unindexed` too).
    pages: dict[str, str] = field(default_factory=dict)


def markdown_text(lines: list[str]) -> str:
    return "\n".join(lines).rstrip() + "\n"


def front_matter(title: str, heading: str | None = None) -> list[str]:
    """A page's front matter and heading: `title` is text with data escaped, `heading` the
    same with data isolated (see `escaping.isolated`; themes print titles in attributes too)."""
    return [
        "---",
        # Themes insert the title into HTML unescaped; JSON quoting makes it valid YAML.
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "---",
        "",
        f"# {heading or title}",
        "",
    ]


def mix_href(number: int, here: str, places: dict[int, str], slug: str) -> str:
    """The link to mix `number` from a fragment on the page `here` ("" for the playlist's)."""
    there = places.get(number, "")
    if there == here:
        return f"#mix-{number}"
    folder = posixpath.dirname(here or f"{slug}.md")
    target = posixpath.relpath((there or f"{slug}.md").removesuffix(".md"), folder or ".")
    return f"{PAGE_FOLDER}{target}{PAGE_END}#mix-{number}"


def in_a_row(language: Language, first: str, *more: str) -> str:
    """Sentences in a row, spaced as the language spaces them ("A. B." but "A。B。")."""
    text = first
    for sentence in more:
        text = language.tr("{sentence} {next}", sentence=text, next=sentence)
    return text
