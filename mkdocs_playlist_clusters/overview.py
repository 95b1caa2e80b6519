"""The overview page: every playlist with its size, a thumbnail of its map and its families
and mixes by name and size, each linking to its place on the playlist's page.

Rendered on every build from the playlists' summaries, so it is light: no pandas, scikit-learn
or matplotlib, and no data text that is not escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from .escaping import escape_text
from .playlist import MixSummary, PlaylistSummary

OVERVIEW_NAME = "index.md"  # in the section folder: MkDocs makes it the section's first page


@dataclass(frozen=True)
class OverviewEntry:
    page: str  # the playlist page's file name, relative to the overview
    summary: PlaylistSummary


def overview_page(title: str, entries: Sequence[OverviewEntry]) -> str:
    """The overview's Markdown."""
    count = len(entries)
    lines = [
        "---",
        f"title: {json.dumps(escape_text(title), ensure_ascii=False)}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        f"{count:,} {'playlist' if count == 1 else 'playlists'}, each grouped into families of "
        "similar sound and mixes of tracks that sound alike, to play in one go. Open a mix to "
        "see its tracks and download it.",
        "",
    ]
    for entry in entries:
        lines += playlist_lines(entry)
    return "\n".join(lines).rstrip() + "\n"


def playlist_lines(entry: OverviewEntry) -> list[str]:
    summary, page = entry.summary, entry.page
    tracks = f"{summary.tracks:,} {'track' if summary.tracks == 1 else 'tracks'}"
    lines = [f"## [{escape_text(summary.title)}]({page})", ""]
    if summary.thumbnail:
        alt = escape_text(f"Map of the families in {summary.title}")
        # HTML, for its display size (the file has twice the pixels, for sharp screens): an
        # index page is served at its folder's URL, so the relative URL holds in either URL
        # style, unlike the link to a page, which stays Markdown for MkDocs to rewrite.
        lines += [
            f'<img src="{summary.thumbnail}" alt="{alt}" width="240" height="170" loading="lazy">',
            "",
        ]
    if summary.problem or not summary.families:
        problem = summary.problem or "no groups"
        lines += [f"{tracks}, not grouped: {escape_text(problem)}.", ""]
        return lines
    mixes = [mix for family in summary.families for mix in family.mixes]
    if summary.one_level:
        lines += [f"{tracks} in {_count(len(mixes), 'mix', 'mixes')}:", ""]
        lines += [_mix_line(mix, page) for mix in mixes]
        return [*lines, ""]
    families = _count(len(summary.families), "family", "families")
    lines += [f"{tracks} in {families} and {_count(len(mixes), 'mix', 'mixes')}:", ""]
    for family in summary.families:
        lines.append(
            f"- [Family {family.number}: {escape_text(family.name)}]"
            f"({page}#family-{family.number}): {_count(family.size, 'track', 'tracks')}"
        )
        # An indented list: each mix one click from here.
        lines += [f"    {_mix_line(mix, page)}" for mix in family.mixes]
    return [*lines, ""]


def _mix_line(mix: MixSummary, page: str) -> str:
    return (
        f"- [Mix {mix.number}: {escape_text(mix.name)}]({page}#mix-{mix.number}): "
        f"{_count(mix.size, 'track', 'tracks')}"
    )


def _count(number: int, word: str, words: str) -> str:
    return f"{number:,} {word if number == 1 else words}"
