"""The overview page: every playlist with its size, its clusters by name and size, a
thumbnail of its scatter and how distinct its clusters are, linking to its page.

Rendered on every build from the playlists' summaries, so it is light: no pandas, scikit-learn
or matplotlib, and no data text that is not escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from .escaping import escape_text
from .playlist import PlaylistSummary

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
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "---",
        "",
        f"# {escape_text(title)}",
        "",
        f"{count} {'playlist' if count == 1 else 'playlists'}, each grouped into clusters of "
        "similar tracks. Open one to see what sets each cluster apart, its tracks and its "
        "downloads.",
        "",
    ]
    for entry in entries:
        lines += playlist_lines(entry)
    return "\n".join(lines).rstrip() + "\n"


def playlist_lines(entry: OverviewEntry) -> list[str]:
    summary, page = entry.summary, entry.page
    tracks = f"{summary.tracks} {'track' if summary.tracks == 1 else 'tracks'}"
    lines = [f"## [{escape_text(summary.title)}]({page})", ""]
    if summary.thumbnail:
        alt = escape_text(f"Scatter plot of the clusters in {summary.title}")
        # HTML, for its display size (the file has twice the pixels, for sharp screens): an
        # index page is served at its folder's URL, so the relative URL holds in either URL
        # style, unlike the link to a page, which stays Markdown for MkDocs to rewrite.
        lines += [
            f'<img src="{summary.thumbnail}" alt="{alt}" width="240" height="170" loading="lazy">',
            "",
        ]
    if summary.problem or not summary.clusters:
        problem = summary.problem or "no clusters"
        lines += [f"{tracks}, not clustered: {escape_text(problem)}.", ""]
        return lines
    clusters = len(summary.clusters)
    separation = (
        f", {summary.separation} (mean silhouette {summary.silhouette:.2f})"
        if summary.silhouette is not None
        else ""
    )
    lines += [
        f"{tracks} in {clusters} {'cluster' if clusters == 1 else 'clusters'}{separation}:",
        "",
    ]
    lines += [
        f"- [#{cluster.number} {escape_text(cluster.name)}]({page}#cluster-{cluster.number}): "
        f"{cluster.size} {'track' if cluster.size == 1 else 'tracks'}"
        for cluster in summary.clusters
    ]
    return [*lines, ""]
