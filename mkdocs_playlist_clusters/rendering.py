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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .describing import ClusterDescription, feature_name, format_value, value_text
from .escaping import bdi, escape_text, isolated, safe_url
from .language import ENGLISH, N_, Language
from .numbering import Changes
from .playlist import DEFAULT_MIX_SIZE, PAGE_FOLDER, placeholder
from .views import FamilyView, MixView

# Above this many distinct tracks, member lists stay in the downloads: the page would pass
# 1 MB and the browser would lay out tens of thousands of rows.
MAX_LISTED_TRACKS = 2500
TITLE = N_("Clusters in {title}")
# Up to this many mixes, their tables are indexed by search plugins (a track found by its name);
# beyond, search parsing a thousand rows cost a rebuild 0.7 s at 7,785 tracks (121 mixes), and
# search still finds each mix by its name, from its heading.
MAX_SEARCHED_TABLES = 30


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


@dataclass(frozen=True)
class Column:
    key: str  # what the column shows, whatever the language of its header
    header: str
    cell: Callable[[dict[str, Any]], str]
    align: str = "left"


def render_page(model: PageModel, all_tracks: pd.DataFrame) -> RenderedPage:
    """The page. `all_tracks` decides which columns the data can fill."""
    tr = model.language.tr
    rtl = model.rtl
    columns = table_columns(all_tracks, model.metadata_only, model.language)
    names = {mix.number: mix.description.name for mix in model.mixes}
    listed = model.distinct <= MAX_LISTED_TRACKS
    grouped = sum(family.size for family in model.families)
    indexed: dict[str, str] = {}
    unindexed: dict[str, str] = {}
    lines = [
        "---",
        # Themes insert the title into HTML unescaped; JSON quoting makes it valid YAML.
        f"title: {json.dumps(tr(TITLE, title=escape_text(model.title)), ensure_ascii=False)}",
        "---",
        "",
        f"# {tr(TITLE, title=isolated(model.title))}",
        "",
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
                url=f"{model.downloads}/all-tracks.csv",
            ),
            "",
        ]
    if model.method and model.families:
        lines += [method_block(model), ""]
    for family in model.families:
        if not model.one_level:
            lines += family_section(family, model)
        for mix in family.mixes:
            name = f"mix-{mix.number}"
            lines += mix_heading(mix, model)
            searched = indexed if len(model.mixes) <= MAX_SEARCHED_TABLES else unindexed
            searched[name] = mix_body(mix, model, names, columns)
            size = len(mix.tracks)
            if size > model.representatives and listed:
                name = f"members-{mix.number}"
                lines += [placeholder(name), ""]
                every = model.language.tr_n("All {count} track", "All {count} tracks", size)
                unindexed[name] = (
                    f"<details>\n<summary>{every}</summary>\n"
                    f"{html_table(member_columns(columns, model.language), mix.tracks, rtl)}\n"
                    "</details>"
                )
    if model.unclustered is not None and len(model.unclustered):
        lines += unclustered_section(model.unclustered, listed, model.downloads, model.language)
        if listed:
            reason = Column("reason", tr("Why not grouped"), lambda row: escape_text(row["reason"]))
            unindexed["unclustered"] = html_table(
                [*member_columns(columns, model.language), reason], model.unclustered, rtl
            )
    return RenderedPage("\n".join(lines).rstrip() + "\n", indexed, unindexed)


def introduction(model: PageModel, grouped: int) -> str:
    """The page's first paragraph, for a listener: how many tracks, families and mixes, what
    a mix is and what the downloads are for. No statistics (they are in `method_block`)."""
    language = model.language
    tr, tr_n = language.tr, language.tr_n
    tracks = model.tracks(model.distinct)
    duplicates = model.rows - model.distinct
    counted_once = []
    if duplicates:
        counted_once.append(
            tr_n(
                "{count} duplicate row counted once",
                "{count} duplicate rows counted once",
                duplicates,
            )
        )
    if model.recordings:
        counted_once.append(
            tr_n(
                "{count} recording listed again under another Spotify id shown once, every id "
                "kept in the downloads",
                "{count} recordings listed again under another Spotify id shown once, every id "
                "kept in the downloads",
                model.recordings,
            )
        )
    if counted_once:
        separator = tr("; ")
        tracks += f" ({separator.join(counted_once)})"
    if model.problem:
        return tr(
            "{tracks}, not grouped: {problem}.", tracks=tracks, problem=escape_text(model.problem)
        )
    shown = model.distinct - model.recordings
    if grouped != shown:
        tracks += " " + tr_n(
            "({count} of them can be grouped)", "({count} of them can be grouped)", grouped
        )
    mixes = len(model.mixes)
    if model.one_level:
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
        sentence += " " + tr(
            "Each mix lists its most typical tracks and can be taken away: as a CSV for a "
            "playlist-transfer service or a spreadsheet, as Spotify links to paste into a "
            "Spotify playlist, or as an M3U8 playlist."
        )
    return sentence


def scatter_lines(model: PageModel, grouped: int, unindexed: dict[str, str]) -> list[str]:
    """The map of the tracks, and how to read it."""
    assert model.image
    tr = model.language.tr
    values = {"tracks": model.tracks(grouped), "title": model.title}
    if model.one_level:
        alt = tr("Map of {tracks} of {title}, coloured by mix", **values)
        dots = tr("Each dot is a track, coloured by its mix: similar tracks lie near each other.")
    else:
        alt = tr("Map of {tracks} of {title}, coloured by family", **values)
        dots = tr(
            "Each dot is a track, coloured by its family: similar tracks lie near each other."
        )
        dots += " " + tr("Rings mark the centres of the mixes.")
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
        how = (
            tr("Point at one to see its name, click it to open it on Spotify.")
            + " "
            + tr("[The same picture as a PNG]({url}).", url=model.image)
        )
    else:
        lines += [f"![{escape_text(alt)}]({model.image})", ""]
        how = ""
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
        dots += " " + reading
    lines += [f"{dots} {how}".rstrip(), ""]
    return lines


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


def family_section(family: FamilyView, model: PageModel) -> list[str]:
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
    evidence = evidence_lines(description, None, language)
    if evidence:
        lines += [
            tr("What sets this family apart from the rest of the playlist:"),
            "",
            *(f"- {line}" for line in evidence),
            "",
        ]
    for mix in family.mixes:
        name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
        lines.append(f"- [{name}](#mix-{mix.number}): {model.tracks(len(mix.tracks))}")
    return [*lines, ""]


def mix_heading(mix: MixView, model: PageModel) -> list[str]:
    """A mix's anchor, heading and downloads, in the Markdown (the table of contents and
    search's sections come from headings, and every site generator rewrites the links of
    Markdown to the files beside the page), then the placeholder of the rest (`mix_body`)."""
    tr = model.language.tr
    heading = "##" if model.one_level else "###"
    name = tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.description.name))
    lines = [
        # A short anchor that stays when the name changes, for links to the mix.
        f'<a id="mix-{mix.number}"></a>',
        "",
        f"{heading} {sized_heading(name, len(mix.tracks), model)}",
        "",
    ]
    if model.downloads:
        stem = f"{model.downloads}/mix-{mix.number}"
        download = tr(
            "Download: [CSV]({csv}) · [Spotify links]({links}) · [M3U8 playlist]({m3u8})",
            csv=f"{stem}.csv",
            links=f"{stem}.txt",
            m3u8=f"{stem}.m3u8",
        )
        lines += [download, ""]
    return [*lines, placeholder(f"mix-{mix.number}"), ""]


def sized_heading(heading: str, tracks: int, model: PageModel) -> str:
    """A family's or mix's heading with its size: the table of contents shows both."""
    return model.language.tr("{heading} ({tracks})", heading=heading, tracks=model.tracks(tracks))


def mix_body(
    mix: MixView, model: PageModel, names: dict[int, str], columns: Sequence[Column]
) -> str:
    """A mix's section under its downloads, as HTML: what sets it apart, its most typical
    tracks and those on its edge. HTML rather than Markdown because a large library has
    hundreds of mixes, and converting their sections took most of a rebuild; the plugin's own
    words keep their links (`html_links`)."""
    description = mix.description
    language = model.language
    tr = language.tr
    shown = model.representatives
    size = len(mix.tracks)
    parts = []
    family = next(f for f in model.families if f.number == mix.family)
    if len(family.mixes) > 1:
        evidence = evidence_lines(description, mix.family, language)
        intro = tr("What sets it apart from the other mixes of family {family}:", family=mix.family)
        parts += [paragraph(intro), html_list(evidence)] if evidence else []
    elif model.one_level:
        evidence = evidence_lines(description, None, language)
        intro = tr("What sets it apart from the rest of the playlist:")
        parts += [paragraph(intro), html_list(evidence)] if evidence else []
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
    if size > shown:
        typical = language.tr_n(
            "Its {count} most typical track:", "Its {count} most typical tracks:", shown
        )
        parts.append(paragraph(typical))
    parts.append(html_table(columns, mix.tracks.head(shown), model.rtl))
    if mix.edge is not None and len(mix.edge):
        edge = []
        for row in records(mix.edge):  # see `views.MixView`
            other = int(row["nearer"])
            edge.append(
                tr(
                    "{track}: close to {mix} ({name})",
                    track=track_text(row, language),
                    mix=tr("[Mix {number}](#mix-{number})", number=other),
                    name=isolated(names.get(other, "")),
                )
            )
        parts += [paragraph(tr("On its edge, nearly as close to another mix:")), html_list(edge)]
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
                url=f"{downloads}/all-tracks.csv",
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
