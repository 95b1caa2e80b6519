"""The overview page's Markdown, from playlist summaries (its place in real builds is tested
in test_build.py)."""

import re

from mkdocs_playlist_clusters.overview import OverviewEntry, overview_page
from mkdocs_playlist_clusters.playlist import ClusterSummary, PlaylistSummary

GOOD = PlaylistSummary(
    "Mix <b>|</b>",
    905,
    (ClusterSummary(1, "Louder · k-pop *", 500), ClusterSummary(2, "Calmer", 405)),
    0.21,
    "overlapping",
    "mix-thumbnail.png",
)
BROKEN = PlaylistSummary("Empty", 0, problem="the file has no rows")


def test_every_playlist_and_cluster_is_linked_with_its_size_and_separation():
    page = overview_page(
        "Playlists", [OverviewEntry("mix.md", GOOD), OverviewEntry("empty.md", BROKEN)]
    )
    assert page.startswith('---\ntitle: "Playlists"\n---\n\n# Playlists\n')
    assert "2 playlists" in page
    assert "## [Mix &lt;b&gt;&#124;&lt;/b&gt;](mix.md)" in page
    alt = "Scatter plot of the clusters in Mix &lt;b&gt;&#124;&lt;/b&gt;"
    assert f"[![{alt}](mix-thumbnail.png)](mix.md)" in page
    assert "905 tracks in 2 clusters, overlapping (mean silhouette 0.21):" in page
    assert re.findall(r"^- \[#(\d) (.+)\]\(mix\.md#cluster-(\d)\): (\d+) tracks$", page, re.M) == [
        ("1", "Louder · k-pop &#42;", "1", "500"),
        ("2", "Calmer", "2", "405"),
    ]
    assert "## [Empty](empty.md)" in page
    assert "0 tracks, not clustered: the file has no rows." in page
    assert "<b>" not in page and "*" not in page.split("---", 2)[2]
