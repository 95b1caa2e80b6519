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

import pandas as pd

from ..escaping import escape_text, isolated
from ..grouping.numbering import Changes
from ..language import ENGLISH, Language
from ..playlist import PAGE_FOLDER, download_name, placeholder
from .group_sections import family_page_start, family_section, html_list, mix_section
from .mix_cards import card_sections
from .page_model import (
    MAX_LISTED_TRACKS,
    MIXES_PER_PAGE,
    ONE_PAGE_MIXES,
    PageModel,
    RenderedPage,
    front_matter,
    in_a_row,
    markdown_text,
)
from .track_tables import Column, html_table, member_columns, table_columns, unclustered_section


def render_page(model: PageModel, all_tracks: pd.DataFrame) -> RenderedPage:
    """The page, and its families' pages when it has many mixes (see ONE_PAGE_MIXES).
    `all_tracks` decides which columns the data can fill."""
    tr = model.language.tr
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
    lines += opening_notes(model)
    if model.families:
        lines += card_sections(model, places, indexed, unindexed)
    lines += figures_and_notes(model, columns, grouped, unindexed)
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
                [*member_columns(columns, model.language), reason], model.unclustered, model.rtl
            )
    return RenderedPage(
        markdown_text(lines),
        indexed,
        unindexed,
        {name: markdown_text(page) for name, page in pages.items()},
    )


def opening_notes(model: PageModel) -> list[str]:
    """The lines under the introduction: what changed since the previous build, the data's
    problems, and the note of a page grouped on metadata."""
    tr = model.language.tr
    lines: list[str] = []
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
    return lines


def figures_and_notes(
    model: PageModel, columns: list[Column], grouped: int, unindexed: dict[str, str]
) -> list[str]:
    """The lines under the cards: the scatter, the profile, a note on popularity, the link to
    every track's CSV and how the groups were made."""
    tr = model.language.tr
    lines: list[str] = []
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
        lines += [downloads_howto(model.language), ""]
    if model.method and model.families:
        lines += [method_block(model), ""]
    return lines


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


def downloads_howto(language: Language = ENGLISH) -> str:
    """How to use each download, collapsed: where each file goes and what it needs. Raw HTML,
    so that it reads the same with or without Markdown extensions."""
    tr = language.tr
    steps = [
        tr(
            "CSV: in a playlist-transfer service (Soundiiz, TuneMyMusic and the like), choose "
            "to import a file, pick the mix's CSV and then the service to send it to. The file "
            "keeps Exportify's columns, which these services read."
        ),
        tr(
            "Spotify links: open the TXT (or the mix's Spotify links block), copy every line "
            "and paste them into a playlist in Spotify's desktop app; its web and phone apps "
            "do not take pasted links."
        ),
        tr(
            "M3U8 playlist: for apps that import playlists of Spotify URIs. Its entries are "
            "Spotify URIs, not files, so a player of local files cannot play them."
        ),
    ]
    summary = tr("How to play a mix elsewhere")
    return f"<details><summary>{summary}</summary>{html_list(steps)}</details>"


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
