"""The overview page: every playlist with its size, a thumbnail of its map and its families
and mixes by name and size, each linking to its place on the playlist's page.

Rendered on every build from the playlists' summaries, so it is light: no pandas, scikit-learn
or matplotlib, and no data text that is not escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from .escaping import escape_text, isolated
from .language import ENGLISH, Language
from .playlist import MixSummary, PlaylistSummary

OVERVIEW_NAME = "index.md"  # in the section folder: MkDocs makes it the section's first page


@dataclass(frozen=True)
class OverviewEntry:
    page: str  # the playlist page's file name, relative to the overview
    summary: PlaylistSummary


def overview_page(
    title: str, entries: Sequence[OverviewEntry], language: Language = ENGLISH
) -> str:
    """The overview's Markdown, in `language`."""
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
    for entry in entries:
        lines += playlist_lines(entry, language)
    return "\n".join(lines).rstrip() + "\n"


def playlist_lines(entry: OverviewEntry, language: Language = ENGLISH) -> list[str]:
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
    for family in summary.families:
        name = tr("Family {number}: {name}", number=family.number, name=isolated(family.name))
        size = tr_n("{count} track", "{count} tracks", family.size)
        link = f"[{name}]({page}#family-{family.number})"
        lines.append("- " + tr("{group}: {tracks}", group=link, tracks=size))
        # An indented list: each mix one click from here.
        lines += [f"    {_mix_line(mix, page, language)}" for mix in family.mixes]
    return [*lines, ""]


def _mix_line(mix: MixSummary, page: str, language: Language) -> str:
    name = language.tr("Mix {number}: {name}", number=mix.number, name=isolated(mix.name))
    size = language.tr_n("{count} track", "{count} tracks", mix.size)
    # With the language's colon (full-width in Japanese, spaced in French).
    link = f"[{name}]({page}#mix-{mix.number})"
    return "- " + language.tr("{group}: {tracks}", group=link, tracks=size)
