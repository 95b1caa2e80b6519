"""A playlist's cluster page: small Markdown, and the HTML of its mixes apart.

The Markdown holds the headings (the table of contents and search's sections come from them),
the download links and the sentences about the whole playlist and its families; the rest of
each mix's section (evidence, table, edge tracks) is a placeholder comment that the plugin
replaces with the section's cached HTML once Markdown has run. So no Markdown extension or
templating plugin ever sees a track name, and a rebuild does not convert hundreds of mixes'
sections and thousands of table rows again.

Every string from a data file goes through `escape_text` and every URL through `safe_url`
before it lands: track names such as `<script>`, `a | b` or `{{ x }}` must render as text,
in the Markdown as much as in the tables. In running text, and where several share a table
cell (artists), it is `isolated` too (a `<bdi>`), so that its direction cannot reorder the
words around it.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from ..describing.cards import card_facts
from ..describing.differences import ClusterDescription, feature_name, format_value, value_text
from ..describing.views import FamilyView, MixView
from ..grouping.numbering import Changes
from ..language import ENGLISH, N_, Language
from ..playlist import DEFAULT_MIX_SIZE, PAGE_END, PAGE_FOLDER, download_name, placeholder
from .colours import cluster_colour
from .escaping import bdi, escape_text, isolated, safe_url
from .templating import render

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


@dataclass(frozen=True)
class Column:
    key: str  # what the column shows, whatever the language of its header
    header: str
    cell: Callable[[dict[str, Any]], str]
    align: str = "left"


def render_page(model: PageModel, all_tracks: pd.DataFrame) -> RenderedPage:
    """The page, and its families' pages when it has many mixes (see ONE_PAGE_MIXES).
    `all_tracks` decides which columns the data can fill."""
    tr = model.language.tr
    rtl = model.rtl
    columns = table_columns(all_tracks, model.metadata_only, model.language)
    listed = model.distinct <= MAX_LISTED_TRACKS
    grouped = sum(family.size for family in model.families)
    places = mix_pages(model)
    indexed: dict[str, str] = {}
    unindexed: dict[str, str] = {}
    lines = [
        *front_matter(escape_text(model.title), isolated(model.title)),
        introduction(model, grouped),
        "",
    ]
    if model.changes is not None and model.families:
        lines += [changes_sentence(model.changes, model.language), ""]
    # Admonition markup in raw HTML: styled by Material and the built-in themes alike, with no
    # Markdown extension required.
    problem = tr("Data problem")
    lines += [
        f'<div class="admonition warning"><p class="admonition-title">{problem}</p>'
        f"<p>{escape_text(model.language.note(note))}</p></div>\n"
        for note in model.notes
    ]
    if model.metadata_only and model.families:
        described = model.language.join([tr(name) for name in model.features])
        lines += [
            tr(
                "This export has no audio features (Spotify stopped giving them to new apps "
                "in November 2024), so the tracks are grouped by what it does have: "
                "{features}. The tables show those columns.",
                features=escape_text(described),
            ),
            "",
        ]
    if model.families:
        lines += card_sections(model, places, indexed, unindexed)
    if model.image:
        lines += scatter_lines(model, grouped, unindexed)
    if model.profile:
        if model.one_level:
            alt = tr("How each mix differs from the whole playlist, feature by feature")
        else:
            alt = tr("How each family differs from the whole playlist, feature by feature")
        lines += [f"![{alt}]({model.profile})", ""]
    if any(column.key == "popularity" for column in columns) and model.families:
        lines += [
            tr(
                "Popularity is Spotify's score from 0 to 100 of how much this release of a "
                "track has been played lately by everyone on Spotify: a compilation or a "
                "re-release scores low even for a famous band."
            ),
            "",
        ]
    if model.downloads and model.families:
        lines += [
            tr(
                "[Every track with its family and mix]({url}): a CSV in Exportify's layout "
                "plus Family and Mix columns, to find any track.",
                url=download_name(model.downloads, "all-tracks.csv"),
            ),
            "",
        ]
    if model.method and model.families:
        lines += [method_block(model), ""]
    pages: dict[str, list[str]] = {}
    for family in model.families:
        if not model.one_level and not places.get(family.mixes[0].number):
            lines += family_section(family, model, indexed)
        for mix in family.mixes:
            page = places[mix.number]
            if page and page not in pages:
                pages[page] = family_page_start(family, model, page, indexed)
            target = pages[page] if page else lines
            target += mix_section(mix, model, places, columns, indexed, unindexed)
    if model.unclustered is not None and len(model.unclustered):
        lines += unclustered_section(model.unclustered, listed, model.downloads, model.language)
        if listed:
            reason = Column("reason", tr("Why not grouped"), lambda row: escape_text(row["reason"]))
            unindexed["unclustered"] = html_table(
                [*member_columns(columns, model.language), reason], model.unclustered, rtl
            )
    return RenderedPage(
        markdown_text(lines),
        indexed,
        unindexed,
        {name: markdown_text(page) for name, page in pages.items()},
    )


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


def mix_pages(model: PageModel) -> dict[int, str]:
    """Each mix's page: "" for the playlist's own, else its family's (a file name in the
    section folder), MIXES_PER_PAGE mixes a page."""
    if not model.slug or len(model.mixes) <= ONE_PAGE_MIXES:
        return {mix.number: "" for mix in model.mixes}
    pages = {}
    for family in model.families:
        for index, mix in enumerate(family.mixes):
            part = index // MIXES_PER_PAGE
            suffix = f"-{part + 1}" if part else ""
            pages[mix.number] = f"{model.slug}/family-{family.number}{suffix}.md"
    return pages


def mix_href(number: int, here: str, places: dict[int, str], slug: str) -> str:
    """The link to mix `number` from a fragment on the page `here` ("" for the playlist's)."""
    there = places.get(number, "")
    if there == here:
        return f"#mix-{number}"
    folder = posixpath.dirname(here or f"{slug}.md")
    target = posixpath.relpath((there or f"{slug}.md").removesuffix(".md"), folder or ".")
    return f"{PAGE_FOLDER}{target}{PAGE_END}#mix-{number}"


def card_sections(
    model: PageModel, places: dict[int, str], indexed: dict[str, str], unindexed: dict[str, str]
) -> list[str]:
    """Every mix as a card, family by family: what a listener picks from. On a page with
    families' pages each family has its heading here; else its section follows further
    down, and the cards name it."""
    tr = model.language.tr
    unindexed["style"] = render("style.html", model.templates)
    lines = [placeholder("style"), ""]
    if model.one_level:
        indexed["cards"] = mix_cards(model.mixes, model, places)
        return [*lines, placeholder("cards"), ""]
    for family in model.families:
        name = family.description.name
        if places.get(family.mixes[0].number):
            title = tr("Family {number}: {name}", number=family.number, name=escape_text(name))
            lines += [
                f'<a id="family-{family.number}"></a>',
                "",
                "## " + sized_heading(title, family.size, model),
                "",
            ]
            apart = apart_html(family.description, None, model.language)
            if apart:
                indexed[f"family-{family.number}"] = "\n".join(apart)
                lines += [placeholder(f"family-{family.number}"), ""]
            heading = None
        else:
            title = tr("Family {number}: {name}", number=family.number, name=name)
            heading = (Markup(f"#family-{family.number}"), title, model.tracks(family.size))
        indexed[f"cards-{family.number}"] = mix_cards(family.mixes, model, places, heading)
        lines += [placeholder(f"cards-{family.number}"), ""]
    return lines


def mix_cards(
    mixes: Sequence[MixView],
    model: PageModel,
    places: dict[int, str],
    heading: tuple[Markup, str, str] | None = None,
) -> str:
    """The cards of `mixes` (HTML), under `heading` (link, title, size) when given."""
    tr = model.language.tr
    cards = []
    for mix in mixes:
        facts = card_facts(mix.tracks)
        first = [model.tracks(facts.tracks)]
        if mix.duration_ms is not None:
            first.append(play_time(mix.duration_ms, model.language))
        if facts.years:
            start, end = facts.years
            first.append(
                str(start) if start == end else tr("{first}–{last}", first=start, last=end)
            )
        lines = [" · ".join(first)]
        if facts.added:
            start, end = facts.added
            added = str(start) if start == end else tr("{first}–{last}", first=start, last=end)
            lines.append(tr("Added mostly in {years}", years=added))
        cards.append(
            {
                "href": Markup(mix_href(mix.number, "", places, model.slug)),
                "number": mix.number,
                "name": tr("Mix {number}: {name}", number=mix.number, name=mix.description.name),
                "facts": lines,
                "covers": facts.covers,
                "colour": cluster_colour(mix.family - 1),
            }
        )
    values = {"cards": cards, "heading": heading}
    return str(render("cards.html", model.templates, **values))


def spotify_links(mix: MixView, language: Language = ENGLISH) -> str:
    """The mix's tracks as Spotify links in playing order, each recording once, in a block
    to copy (Material's copy button, `content.code.copy`; select and copy elsewhere) and paste
    into a playlist in Spotify's desktop app; "" when none has a Spotify id."""
    urls = [url for row in records(mix.running) if (url := track_name_and_url(row)[1])]
    if not urls:
        return ""
    tr = language.tr
    how = tr(
        "To play it in Spotify: copy these links and paste them into a playlist in "
        "Spotify's desktop app."
    )
    code = "\n".join(html.escape(url) for url in urls)
    return (
        f'<details class="playlist-clusters-links"><summary>{tr("Spotify links")}</summary>'
        f"<p>{how}</p><pre><code>{code}</code></pre></details>"
    )


def year_span(years: tuple[int, int], language: Language = ENGLISH) -> str:
    """ "2019", or "1991-1999" as the language writes a span of years."""
    start, end = years
    return str(start) if start == end else language.tr("{first}–{last}", first=start, last=end)


def family_page_start(
    family: FamilyView, model: PageModel, page: str, indexed: dict[str, str]
) -> list[str]:
    """The head of a family's page: its name, the way back to the playlist, how it differs."""
    language = model.language
    tr = language.tr
    name = family.description.name
    title = tr("Family {number}: {name}", number=family.number, name=escape_text(name))
    heading = tr("Family {number}: {name}", number=family.number, name=isolated(name))
    back = posixpath.relpath(f"{model.slug}.md", posixpath.dirname(page))
    arrow = "→" if model.rtl else "←"
    lines = [
        *front_matter(title, heading),
        f"[{arrow} {isolated(model.title)}]({back}) · "
        + language.tr_n(
            "{tracks} in {count} mix.",
            "{tracks} in {count} mixes.",
            len(family.mixes),
            tracks=model.tracks(family.size),
        ),
        "",
    ]
    name = "about-" + page.removesuffix(".md").replace("/", "-")
    apart = apart_html(family.description, None, language)
    if apart:
        indexed[name] = "\n".join(apart)
        lines += [placeholder(name), ""]
    return lines


def mix_section(
    mix: MixView,
    model: PageModel,
    places: dict[int, str],
    columns: Sequence[Column],
    indexed: dict[str, str],
    unindexed: dict[str, str],
) -> list[str]:
    """A mix's heading, downloads and the placeholders of its body and track list, on the
    playlist's page or its family's."""
    page = places.get(mix.number, "")
    lines = mix_heading(mix, model, page)
    searched = indexed if len(model.mixes) <= MAX_SEARCHED_TABLES else unindexed
    searched[f"mix-{mix.number}"] = mix_body(mix, model, places, columns)
    links = spotify_links(mix, model.language)
    if links:  # unseen by search: a list of URLs says nothing
        unindexed[f"links-{mix.number}"] = links
        lines += [placeholder(f"links-{mix.number}"), ""]
    size = len(mix.tracks)
    if size > model.representatives and model.distinct <= MAX_LISTED_TRACKS:
        name = f"members-{mix.number}"
        every = model.language.tr_n("All {count} track", "All {count} tracks", size)
        table = html_table(member_columns(columns, model.language), mix.running, model.rtl)
        unindexed[name] = f"<details>\n<summary>{every}</summary>\n{table}\n</details>"
        lines += [placeholder(name), ""]
    return lines


def introduction(model: PageModel, grouped: int) -> str:
    """The page's first paragraph, for a listener: how many tracks, families and mixes, what
    a mix is and what the downloads are for. No statistics (they are in `method_block`)."""
    language = model.language
    tr, tr_n = language.tr, language.tr_n
    tracks = model.tracks(model.distinct)
    remarks = track_remarks(model, grouped)
    if remarks:
        # One parenthesis for them all: two in a row read as a stutter.
        tracks = tr("{tracks} ({remarks})", tracks=tracks, remarks=tr("; ").join(remarks))
    if model.problem:
        return tr(
            "{tracks}, not grouped: {problem}.", tracks=tracks, problem=escape_text(model.problem)
        )
    mixes = len(model.mixes)
    if model.metadata_only:  # what the tracks were grouped on, never "sound"
        groups = metadata_groups(model)
    elif model.one_level:
        groups = tr_n(
            "{count} mix of tracks that sound alike, to play in one go (the playlist is small "
            "enough for one level of groups)",
            "{count} mixes of tracks that sound alike, to play in one go (the playlist is small "
            "enough for one level of groups)",
            mixes,
        )
    else:
        groups = tr(
            "{families} of similar sound, split into {mixes} of about {size} tracks that sound "
            "alike, to play in one go",
            families=tr_n("{count} family", "{count} families", len(model.families)),
            mixes=tr_n("{count} mix", "{count} mixes", mixes),
            size=language.number(model.mix_size),
        )
    sentence = tr("{tracks}, in {groups}.", tracks=tracks, groups=groups)
    if model.downloads:
        sentence = in_a_row(
            language,
            sentence,
            tr(
                "Each mix lists its most typical tracks and can be taken away: as a CSV for a "
                "playlist-transfer service or a spreadsheet, as Spotify links to paste into a "
                "Spotify playlist, or as an M3U8 playlist."
            ),
        )
    return sentence


def metadata_groups(model: PageModel) -> str:
    """The groups of a playlist without audio features, by what they were made from (its
    release years, artists, genres, labels): its export says nothing of how tracks sound."""
    language = model.language
    tr, tr_n = language.tr, language.tr_n
    basis = language.join([language.tr(name) for name in model.features])
    mixes = tr_n("{count} mix", "{count} mixes", len(model.mixes))
    if model.one_level:
        return tr("{mixes} of tracks alike in {basis}, to play in one go", mixes=mixes, basis=basis)
    return tr(
        "{families} of tracks alike in {basis}, split into {mixes} of about {size} tracks each, "
        "to play in one go",
        families=tr_n("{count} family", "{count} families", len(model.families)),
        mixes=mixes,
        basis=basis,
        size=language.number(model.mix_size),
    )


def track_remarks(model: PageModel, grouped: int) -> list[str]:
    """What the first sentence says beside its count of tracks: how many of them can be
    grouped (when not all), duplicate rows counted once, recordings shown once."""
    tr_n = model.language.tr_n
    remarks = []
    if not model.problem and grouped != model.distinct - model.recordings:
        remarks.append(
            tr_n("{count} of them can be grouped", "{count} of them can be grouped", grouped)
        )
    duplicates = model.rows - model.distinct
    if duplicates:
        remarks.append(
            tr_n(
                "{count} duplicate row counted once",
                "{count} duplicate rows counted once",
                duplicates,
            )
        )
    if model.recordings:
        remarks.append(
            tr_n(
                "{count} recording listed again under another Spotify id shown once, every id "
                "kept in the downloads",
                "{count} recordings listed again under another Spotify id shown once, every id "
                "kept in the downloads",
                model.recordings,
            )
        )
    return remarks


def scatter_lines(model: PageModel, grouped: int, unindexed: dict[str, str]) -> list[str]:
    """The map of the tracks, and how to read it."""
    assert model.image
    tr = model.language.tr
    values = {"tracks": model.tracks(grouped), "title": model.title}
    if model.one_level:
        alt = tr("Map of {tracks} of {title}, coloured by mix", **values)
        dots = [tr("Each dot is a track, coloured by its mix: similar tracks lie near each other.")]
    else:
        alt = tr("Map of {tracks} of {title}, coloured by family", **values)
        dots = [
            tr("Each dot is a track, coloured by its family: similar tracks lie near each other."),
            tr("Rings mark the centres of the mixes."),
        ]
    lines = []
    if model.svg:
        # The SVG's tooltips and links work in an <object>, not an <img>. Its URL is raw
        # HTML, which MkDocs does not rewrite: the plugin (or `generate`) resolves the
        # page-folder token for the page's URL. No <img> fallback inside: Zensical rewrites
        # raw <img> URLs (but not <object> ones), so no one URL would fit both; the PNG is
        # linked below instead, in Markdown that every generator rewrites.
        lines += [placeholder("scatter"), ""]
        unindexed["scatter"] = (
            f'<object type="image/svg+xml" data="{PAGE_FOLDER}{model.svg}" '
            # As wide as the PNG at most, which the text sizes were chosen for. The colour
            # scheme of the SVG's own (light): browsers paint an opaque backdrop behind an
            # embedded document whose scheme differs from its element's, as on a dark page.
            'style="display: block; width: 100%; max-width: 832px; height: auto; '
            'color-scheme: light" '
            f'aria-label="{escape_text(alt)}"><p>{escape_text(alt)}</p></object>'
        )
        how = [
            tr("Point at one to see its name, click it to open it on Spotify."),
            tr("[The same picture as a PNG]({url}).", url=model.image),
        ]
    else:
        lines += [f"![{escape_text(alt)}]({model.image})", ""]
        how = []
    if model.map_ends:  # axis words can be data (labels, genres)
        ends = [[isolated(words) if words else "" for words in pair] for pair in model.map_ends]
        (left, right), *rest = ends
        if rest and any(model.map_ends[1]):
            reading = tr(
                "Left to right runs from {left} to {right}, bottom to top from {bottom} to {top}.",
                left=left,
                right=right,
                bottom=rest[0][0],
                top=rest[0][1],
            )
        else:
            reading = tr("Left to right runs from {left} to {right}.", left=left, right=right)
        dots.append(reading)
    lines += [in_a_row(model.language, *dots, *how), ""]
    return lines


def in_a_row(language: Language, first: str, *more: str) -> str:
    """Sentences in a row, spaced as the language spaces them ("A. B." but "A。B。")."""
    text = first
    for sentence in more:
        text = language.tr("{sentence} {next}", sentence=text, next=sentence)
    return text


def method_block(model: PageModel) -> str:
    """The statistics behind the groups, collapsed: one block per page."""
    items = "".join(f"<li>{escape_text(sentence)}</li>" for sentence in model.method)
    # A <details> element: Material styles it like its collapsible admonitions, and every
    # other theme shows a working disclosure.
    summary = model.language.tr("How these groups were made")
    return f'<details class="info"><summary>{summary}</summary><ul>{items}</ul></details>'


def changes_sentence(changes: Changes, language: Language = ENGLISH) -> str:
    """What changed since the previous build, for a reader who knew the old mixes."""
    tr_n = language.tr_n
    both = changes.moved + changes.kept
    if changes.moved:
        parts = [
            tr_n(
                "{moved} of the {count} track in both moved to another mix",
                "{moved} of the {count} tracks in both moved to another mix",
                both,
                moved=language.number(changes.moved),
            )
        ]
    else:
        parts = [
            tr_n(
                "none of the {count} track in both moved to another mix",
                "none of the {count} tracks in both moved to another mix",
                both,
            )
        ]
    if changes.added:
        parts.append(tr_n("{count} new track", "{count} new tracks", changes.added))
    if changes.removed:
        parts.append(tr_n("{count} track gone", "{count} tracks gone", changes.removed))
    return language.tr(
        "Since the previous version of this playlist, families and mixes keep their numbers: "
        "{changes}.",
        changes=language.join(parts),
    )


def family_section(family: FamilyView, model: PageModel, indexed: dict[str, str]) -> list[str]:
    """A family's heading, how it differs (HTML, into `indexed`) and its mixes."""
    description = family.description
    language = model.language
    tr = language.tr
    mixes = len(family.mixes)
    lines = [
        # A short anchor that stays when the name changes, for links to the family.
        f'<a id="family-{family.number}"></a>',
        "",
        "## "
        + sized_heading(
            tr("Family {number}: {name}", number=family.number, name=isolated(description.name)),
            family.size,
            model,
        ),
        "",
        language.tr_n(
            "{tracks} in {count} mix.",
            "{tracks} in {count} mixes.",
            mixes,
            tracks=model.tracks(family.size),
        ),
        "",
    ]
    apart = apart_html(description, None, language)
    if apart:
        lines += [placeholder(f"family-{family.number}"), ""]
        indexed[f"family-{family.number}"] = "\n".join(apart)
    for mix in family.mixes:
        name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
        link = f"[{name}](#mix-{mix.number})"
        lines.append(
            "- " + tr("{group}: {tracks}", group=link, tracks=model.tracks(len(mix.tracks)))
        )
    return [*lines, ""]


def mix_heading(mix: MixView, model: PageModel, page: str = "") -> list[str]:
    """A mix's anchor, heading, length and downloads, in the Markdown (the table of contents and
    search's sections come from headings, and every site generator rewrites the links of
    Markdown to the files beside the page), then the placeholder of the rest (`mix_body`).
    `page`: its family's page, "" for the playlist's own."""
    tr = model.language.tr
    heading = "##" if model.one_level or page else "###"
    name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
    lines = [
        # A short anchor that stays when the name changes, for links to the mix.
        f'<a id="mix-{mix.number}"></a>',
        "",
        f"{heading} {sized_heading(name, len(mix.tracks), model)}",
        "",
    ]
    said = []
    if mix.duration_ms is not None:
        said.append(
            tr("Plays for {duration}.", duration=play_time(mix.duration_ms, model.language))
        )
    if model.downloads:
        stem = download_name(model.downloads, f"mix-{mix.number}")
        if page:  # a family's page is in the downloads' folder
            stem = posixpath.relpath(stem, posixpath.dirname(page))
        said.append(
            tr(
                "Download: [CSV]({csv}) · [Spotify links]({links}) · [M3U8 playlist]({m3u8})",
                csv=f"{stem}.csv",
                links=f"{stem}.txt",
                m3u8=f"{stem}.m3u8",
            )
        )
    if said:
        lines += [" ".join(said), ""]
    return [*lines, placeholder(f"mix-{mix.number}"), ""]


def play_time(milliseconds: float, language: Language = ENGLISH) -> str:
    """A mix's length to the minute, as `language` writes it: "3 h 41 min", "52 min"."""
    hours, minutes = divmod(max(1, round(milliseconds / 60_000)), 60)
    if not hours:
        return language.tr("{minutes} min", minutes=language.number(minutes))
    return language.tr(
        "{hours} h {minutes} min", hours=language.number(hours), minutes=language.number(minutes)
    )


def sized_heading(heading: str, tracks: int, model: PageModel) -> str:
    """A family's or mix's heading with its size: the table of contents shows both."""
    return model.language.tr("{heading} ({tracks})", heading=heading, tracks=model.tracks(tracks))


def mix_body(
    mix: MixView, model: PageModel, places: dict[int, str], columns: Sequence[Column]
) -> str:
    """A mix's section under its downloads, as HTML: what sets it apart, its most typical
    tracks (collapsed on a family's page, where dozens of mixes follow each other) and those
    on its edge. HTML rather than Markdown because a large library has hundreds of mixes, and
    converting their sections took most of a rebuild; the plugin's own words keep their links
    (`html_links`)."""
    description = mix.description
    language = model.language
    tr = language.tr
    shown = model.representatives
    size = len(mix.tracks)
    page = places.get(mix.number, "")
    names = {m.number: m.description.name for m in model.mixes}
    parts = []
    family = next(f for f in model.families if f.number == mix.family)
    if len(family.mixes) > 1:
        parts += apart_html(description, mix.family, language)
    elif model.one_level:
        parts += apart_html(description, None, language)
    if description.octave_tempos:
        parts.append(
            paragraph(
                language.tr_n(
                    "{count} track here measures near half or double the tempo of others: "
                    "often the same beat counted differently, so this mix is not called faster "
                    "or slower.",
                    "{count} tracks here measure near half or double the tempo of others: "
                    "often the same beat counted differently, so this mix is not called faster "
                    "or slower.",
                    description.octave_tempos,
                )
            )
        )
    table = html_table(columns, mix.tracks.head(shown), model.rtl)
    if page:
        summary = language.tr_n(
            "Its {count} most typical track", "Its {count} most typical tracks", min(shown, size)
        )
        parts.append(f"<details><summary>{summary}</summary>\n{table}\n</details>")
    else:
        if size > shown:
            typical = language.tr_n(
                "Its {count} most typical track:", "Its {count} most typical tracks:", shown
            )
            parts.append(paragraph(typical))
        parts.append(table)
    if mix.edge is not None and len(mix.edge):
        edge = []
        for row in records(mix.edge):  # see `views.MixView`
            other = int(row["nearer"])
            link = tr("[Mix {number}](#mix-{number})", number=other)
            href = mix_href(other, page, places, model.slug)
            edge.append(
                tr(
                    "{track}: close to {mix} ({name})",
                    track=track_text(row, language),
                    mix=link.replace(f"(#mix-{other})", f"({href})"),
                    name=isolated(names.get(other, "")),
                )
            )
        intro = tr("On its edge, nearly as close to another mix:")
        if page:  # on a family's page, dozens of mixes follow: collapsed
            summary = intro.rstrip(":：")
            parts.append(f"<details><summary>{summary}</summary>{html_list(edge)}</details>")
        else:
            parts += [paragraph(intro), html_list(edge)]
    # One element and no blank line: a Markdown processor that meets it inlined (`generate`)
    # passes it through as one raw HTML block.
    return "\n".join(['<div class="playlist-clusters-mix">', *parts, "</div>"])


# A Markdown link in the plugin's own words: data text cannot form one (`escape_text` turns
# brackets into entities).
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^()\s]*)\)")


def html_links(text: str) -> str:
    """The plugin's words (with data escaped in them) with their Markdown links as HTML, for
    the parts of a page that are HTML. Their targets are anchors on the page or absolute
    URLs: links to files beside the page stay in the Markdown, which every site generator
    rewrites for the page's URL."""

    def link(match: re.Match[str]) -> str:
        label, target = match.groups()
        return f'<a href="{html.escape(target)}">{label}</a>'

    return MARKDOWN_LINK.sub(link, text)


def paragraph(text: str) -> str:
    return f"<p>{html_links(text)}</p>"


def html_list(items: Sequence[str]) -> str:
    return "\n".join(["<ul>", *(f"<li>{html_links(item)}</li>" for item in items), "</ul>"])


def apart_html(
    description: ClusterDescription, family: int | None, language: Language = ENGLISH
) -> list[str]:
    """How a group differs from the other mixes of `family` (or from the rest of the
    playlist): one line in words, then the numbers behind it, collapsed."""
    tr = language.tr
    traits = language.join([lower_first(trait.word) for trait in description.traits])
    parts = []
    if traits and family is None:
        parts.append(paragraph(tr("Next to the rest of the playlist: {traits}.", traits=traits)))
    elif traits:
        line = tr(
            "Next to the other mixes of family {family}: {traits}.", family=family, traits=traits
        )
        parts.append(paragraph(line))
    evidence = evidence_lines(description, family, language)
    if evidence:
        summary = tr("In numbers")
        parts.append(
            f'<details class="evidence"><summary>{summary}</summary>{html_list(evidence)}</details>'
        )
    return parts


def lower_first(word: str) -> str:
    """A word that stands alone ("Happier") as it reads inside a sentence ("happier")."""
    return word[:1].lower() + word[1:]


def evidence_lines(
    description: ClusterDescription, family: int | None, language: Language = ENGLISH
) -> list[str]:
    """The measured differences behind a group's name, against the playlist (`family` None)
    or the other mixes of `family`: one list item each."""
    tr = language.tr
    lines = []
    for trait in description.traits:
        values = {
            "word": trait.word,
            "feature": feature_name(trait.feature, language),
            "here": format_value(trait.feature, trait.cluster_value, language),
            "there": format_value(trait.feature, trait.playlist_value, language),
        }
        if family is None:
            line = tr("{word}: {feature} {here} on average here, {there} in the playlist", **values)
        else:
            line = tr(
                "{word}: {feature} {here} on average here, {there} in family {family}",
                family=family,
                **values,
            )
        lines.append(line)
    for over in description.over_represented:
        values = {
            "value": isolated(value_text(over, language)),
            "tracks": language.tr_n("{count} track here", "{count} tracks here", over.count),
            "share": language.percent(over.cluster_share),
            "reference": language.percent(over.playlist_share),
        }
        kind = tr(KIND_WORDS.get(over.kind, over.kind))
        if family is None:
            line = tr(
                "{kind} {value}: {tracks} ({share}), {reference} of the playlist",
                kind=kind,
                **values,
            )
        else:
            line = tr(
                "{kind} {value}: {tracks} ({share}), {reference} of family {family}",
                kind=kind,
                family=family,
                **values,
            )
        lines.append(line)
    return lines


# The kinds of shared values, as an evidence line starts with them.
KIND_WORDS: dict[str, str] = {
    "genre": N_("Genre"),
    "decade": N_("Decade"),
    "label": N_("Label"),
    "artist": N_("Artist"),
}


def track_text(row: dict[str, Any], language: Language = ENGLISH) -> str:
    """A track's name, linked to Spotify when it can be, and its artists: for lists."""
    name, url = track_name_and_url(row, language)
    name = bdi(name)  # in running text: see `isolated`
    artists = ", ".join(isolated(artist) for artist in row["artists"])
    track = f"[{name}]({url})" if url else name
    return language.tr("{track} by {artists}", track=track, artists=artists)


def unclustered_section(
    tracks: pd.DataFrame, listed: bool, downloads: str | None, language: Language = ENGLISH
) -> list[str]:
    tr = language.tr
    reasons = tracks["reason"].value_counts()
    why = tr("; ").join(
        f"{escape_text(reason)}: {language.number(number)}"
        for reason, number in sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    )
    lines = [
        "## " + tr("Not grouped"),
        "",
        language.tr_n(
            "{count} track could not be placed in a mix ({why}).",
            "{count} tracks could not be placed in a mix ({why}).",
            len(tracks),
            why=why,
        ),
        "",
    ]
    if listed:
        lines += [placeholder("unclustered"), ""]
    elif downloads:
        lines += [
            tr(
                "They are listed, with the reason, in [the all-tracks CSV]({url}).",
                url=download_name(downloads, "all-tracks.csv"),
            ),
            "",
        ]
    return lines


def table_columns(
    tracks: pd.DataFrame, metadata_only: bool = False, language: Language = ENGLISH
) -> list[Column]:
    """The table layout for a playlist: columns its data cannot fill, or fills with one value
    for every track, are left out (they would take width and say nothing). A playlist
    clustered on metadata also shows the year, duration and explicitness it was grouped by."""
    tr = language.tr

    def varies(name: str) -> bool:
        values = tracks[name]
        return bool(values.notna().any()) and values.map(repr).nunique() > 1

    columns: list[Column] = []
    if tracks["image_url"].map(safe_url).notna().any():
        columns.append(Column("art", tr("Art"), lambda row: art_cell(row, language)))
    columns.append(Column("name", tr("Track"), lambda row: track_cell(row, language)))
    if varies("album"):
        columns.append(Column("album", tr("Album"), lambda row: text_cell(row["album"])))
    columns.append(Column("artists", tr("Artists"), artists_cell))
    if varies("label"):
        columns.append(Column("label", tr("Label"), lambda row: text_cell(row["label"])))
    if varies("rank"):
        columns.append(Column("rank", tr("Rank"), lambda row: number_cell(row["rank"]), "right"))
    elif varies("popularity"):
        columns.append(
            Column(
                "popularity",
                tr("Popularity"),
                lambda row: number_cell(row["popularity"]),
                "right",
            )
        )
    if metadata_only:
        if varies("year"):
            columns.append(
                Column("year", tr("Year"), lambda row: number_cell(row["year"]), "right")
            )
        if varies("duration_ms"):
            columns.append(Column("duration_ms", tr("Duration"), duration_cell, "right"))
        if varies("explicit"):
            columns.append(
                Column(
                    "explicit",
                    tr("Explicit"),
                    lambda row: tr("E") if row["explicit"] is True else "",
                    "center",
                )
            )
    if varies("liked"):
        columns.append(
            Column("liked", "💚", lambda row: "💚" if row["liked"] is True else "", "center")
        )
    return columns


def duration_cell(row: dict[str, Any]) -> str:
    value = row["duration_ms"]
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return format_value("duration_ms", float(value))


def member_columns(columns: Sequence[Column], language: Language = ENGLISH) -> list[Column]:
    """The lighter layout of long lists: no album art, artists as plain text."""
    kept = [column for column in columns if column.key in {"name", "album"}]
    artists = Column(
        "artists",
        language.tr("Artists"),
        lambda row: ", ".join(cell_texts(row["artists"])),
    )
    return [*kept, artists]


def html_table(columns: Sequence[Column], tracks: pd.DataFrame, rtl: bool = False) -> str:
    """An HTML table without a class, so that themes style it as their Markdown tables. `rtl`:
    for a right-to-left page, each cell's text keeps its own direction ("Signal Mix (Edit)" in
    an Arabic table), aligned to the right (only then: it costs every cell 40 bytes)."""
    styles = [f' style="text-align: {col.align}"' if col.align != "left" else "" for col in columns]
    if rtl:
        styles = [' style="unicode-bidi: plaintext; text-align: right"' for _ in columns]
    # Cells apart by a space: search plugins that index the text as it is would otherwise run
    # the cells together ("TrackAlbumArtists...").
    head = " ".join(
        f"<th{style}>{col.header}</th>" for col, style in zip(columns, styles, strict=True)
    )
    rows = [
        "<tr>"
        + " ".join(
            f"<td{style}>{col.cell(row)}</td>" for col, style in zip(columns, styles, strict=True)
        )
        + "</tr>"
        for row in records(tracks)
    ]
    # The box scrolls a wide table on a phone in every theme (Material adds its own too).
    return "\n".join(
        [
            '<div style="overflow-x: auto">',
            "<table>",
            f"<thead><tr>{head}</tr></thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</div>",
        ]
    )


def records(tracks: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, like `to_dict("records")`, which costs a
    millisecond or more a call however few the rows: too much for 100+ mix tables."""
    columns = list(tracks.columns)
    return [dict(zip(columns, row, strict=True)) for row in tracks.to_numpy(object).tolist()]


def text_cell(value: object) -> str:
    """A data value alone in a table cell, escaped; "" when missing. Not `isolated`: a cell is
    a bidirectional paragraph of its own, which nothing around it can reorder (and <bdi> in
    every cell would cost a 3,000-track page 15% more)."""
    return "" if value is None or value is pd.NA or value != value else escape_text(value)


def number_cell(value: object) -> str:
    if not isinstance(value, int | float) or math.isnan(value):
        return ""
    return f"{value:.0f}"


def track_cell(row: dict[str, Any], language: Language = ENGLISH) -> str:
    """The track's name, linked to its Spotify page when the export has its id."""
    name, url = track_name_and_url(row, language)
    return f'<a href="{url}">{name}</a>' if url else name


def track_name_and_url(row: dict[str, Any], language: Language = ENGLISH) -> tuple[str, str | None]:
    """The track's escaped name and its Spotify page, when the export has its id."""
    name = text_cell(row["name"]) or escape_text(language.tr("Unknown track"))
    return name, safe_url(f"https://open.spotify.com/track/{row['track_id']}")


def art_cell(row: dict[str, Any], language: Language = ENGLISH) -> str:
    url = safe_url(row["image_url"])
    if not url:
        return ""
    if row["album"]:
        alt = escape_text(language.tr("Cover of {album}", album=row["album"]))
    else:
        alt = escape_text(language.tr("Album cover"))
    # A fixed CSS size too: themes set `height: auto`, which lets a cover that fails to load
    # collapse to its alt text and shift the row.
    return (
        f'<img src="{url}" alt="{alt}" width="50" height="50" loading="lazy" '
        'style="display: inline-block; width: 50px; height: 50px; overflow: hidden">'
    )


def artists_cell(row: dict[str, Any]) -> str:
    names = list(row["artists"])
    ids = list(row["artist_ids"])
    if len(ids) != len(names):  # never guess which id belongs to which name
        ids = [None] * len(names)
    parts = []
    for name, artist_id in zip(cell_texts(names), ids, strict=True):
        url = safe_url(f"https://open.spotify.com/artist/{artist_id}") if artist_id else None
        parts.append(f'<a href="{url}">{name}</a>' if url else name)
    return ", ".join(parts)


def cell_texts(values: Sequence[object]) -> list[str]:
    """Data values that share a table cell, escaped, and each `isolated` when there are
    several (alone, a value is isolated by its cell: see `text_cell`)."""
    convert = isolated if len(values) > 1 else escape_text
    return [convert(value) for value in values]
