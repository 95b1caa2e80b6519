"""The overview page: every playlist with its size, a thumbnail of its map and its families
as cards (their first mixes named), each linking to its mixes.

Rendered on every build from the playlists' summaries, so it is light: no pandas, scikit-learn
or matplotlib, and no data text that is not escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..escaping import escape_text, isolated
from ..language import ENGLISH, Language
from ..playlist import PAGE_END, FamilySummary, MixSummary, PlaylistSummary
from .colours import cluster_colour
from .templating import render

MIXES_NAMED = 3  # mixes a family's card names

OVERVIEW_NAME = "index.md"  # in the section folder: MkDocs makes it the section's first page


@dataclass(frozen=True)
class OverviewEntry:
    page: str  # the playlist page's file name, relative to the overview
    summary: PlaylistSummary


def overview_page(
    title: str,
    entries: Sequence[OverviewEntry],
    language: Language = ENGLISH,
    templates: Sequence[str] = (),
) -> str:
    """The overview's Markdown, in `language`; its cards from `templates` (see `templating`)."""
    lines = [
        "---",
        f"title: {json.dumps(escape_text(title), ensure_ascii=False)}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        language.tr_n(
            "{count} playlist, its tracks grouped into families and mixes of similar music, to "
            "play in one go. Open a mix to see its tracks and download it.",
            "{count} playlists, each grouped into families and mixes of similar music, to play "
            "in one go. Open a mix to see its tracks and download it.",
            len(entries),
        ),
        "",
    ]
    if any(not entry.summary.one_level for entry in entries):
        lines += [str(render("style.html", templates)), ""]
    for entry in entries:
        lines += playlist_lines(entry, language, templates)
    return "\n".join(lines).rstrip() + "\n"


def playlist_lines(
    entry: OverviewEntry, language: Language = ENGLISH, templates: Sequence[str] = ()
) -> list[str]:
    summary, page = entry.summary, entry.page
    tr, tr_n = language.tr, language.tr_n
    tracks = tr_n("{count} track", "{count} tracks", summary.tracks)
    lines = [f"## [{isolated(summary.title)}]({page})", ""]
    if summary.thumbnail:
        alt = escape_text(tr("Map of the families in {title}", title=summary.title))
        # HTML, for its display size (the file has twice the pixels, for sharp screens): an
        # index page is served at its folder's URL, so the relative URL holds in either URL
        # style, unlike the link to a page, which stays Markdown for MkDocs to rewrite.
        lines += [
            f'<img src="{summary.thumbnail}" alt="{alt}" width="240" height="170" loading="lazy">',
            "",
        ]
    if summary.problem or not summary.families:
        problem = summary.problem or tr("no groups")
        lines += [
            tr("{tracks}, not grouped: {problem}.", tracks=tracks, problem=escape_text(problem)),
            "",
        ]
        return lines
    mixes = [mix for family in summary.families for mix in family.mixes]
    if summary.one_level:
        lines += [
            tr_n(
                "{tracks} in {count} mix:", "{tracks} in {count} mixes:", len(mixes), tracks=tracks
            ),
            "",
        ]
        lines += [_mix_line(mix, page, language) for mix in mixes]
        return [*lines, ""]
    families = tr_n("{count} family", "{count} families", len(summary.families))
    lines += [
        tr_n(
            "{tracks} in {families} and {count} mix:",
            "{tracks} in {families} and {count} mixes:",
            len(mixes),
            tracks=tracks,
            families=families,
        ),
        "",
    ]
    cards = [family_card(family, page, language) for family in summary.families]
    lines += [str(render("cards.html", templates, cards=cards, heading=None)), ""]
    return lines


def family_card(family: FamilySummary, page: str, language: Language) -> dict[str, object]:
    """A family as a card: linking to its mixes, on its own page or the playlist's."""
    tr, tr_n = language.tr, language.tr_n
    first = family.mixes[0].page if family.mixes else ""
    href = (first or page).removesuffix(".md") + PAGE_END
    size = tr_n("{count} track", "{count} tracks", family.size)
    mixes = tr_n("{count} mix", "{count} mixes", len(family.mixes))
    return {
        # The overview is the section's index page, served at its folder's URL in either URL
        # style: a page beside it is at "<name>/" or "<name>.html".
        "href": Markup(f"{href}#family-{family.number}" if not first else href),
        "number": family.number,
        "name": tr("Family {number}: {name}", number=family.number, name=family.name),
        "facts": [f"{size} · {mixes}", *(_mix_names(family, language))],
        "covers": (),
        "colour": cluster_colour(family.number - 1),
    }


def _mix_names(family: FamilySummary, language: Language) -> list[str]:
    """Its first mixes' names, to tell what is in it."""
    shown = [mix.name for mix in family.mixes[:MIXES_NAMED]]
    more = len(family.mixes) - len(shown)
    return [*shown, language.tr_n("and {count} more", "and {count} more", more)] if more else shown


def _mix_line(mix: MixSummary, page: str, language: Language) -> str:
    name = language.tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.name))
    size = language.tr_n("{count} track", "{count} tracks", mix.size)
    # With the language's colon (full-width in Japanese, spaced in French).
    target = mix.page or page
    link = f"[{name}]({target}#mix-{mix.number})"
    return "- " + language.tr("{group}: {tracks}", group=link, tracks=size)
