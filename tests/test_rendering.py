"""Page rendering: escaping where data lands, columns the data can fill, structure."""

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from mkdocs_playlist_clusters.describing.differences import ClusterDescription, OverRepresented
from mkdocs_playlist_clusters.describing.views import FamilyView, MixView
from mkdocs_playlist_clusters.escaping import escape_text, safe_url
from mkdocs_playlist_clusters.playlist import PLACEHOLDER
from mkdocs_playlist_clusters.presenting.page_model import PageModel, RenderedPage
from mkdocs_playlist_clusters.presenting.pages import render_page
from mkdocs_playlist_clusters.presenting.track_tables import table_columns
from mkdocs_playlist_clusters.reading.exports import read_playlist

ID = "4RiudH8RehvLLrk8uNgIdR"
IMAGE = "https://i.scdn.co/image/ab67616d0000b273024a3f22192b30c2c5d9c13b"


def tracks_from_csv(text: str) -> pd.DataFrame:
    return read_playlist(text.encode()).tracks


def assembled(page: RenderedPage) -> str:
    """The Markdown with its tables put in, as the plugin does during a build."""
    fragments = {**page.indexed, **page.unindexed}
    return PLACEHOLDER.sub(lambda match: fragments[match.group(1)], page.markdown)


def page_for(tracks: pd.DataFrame, representatives: int = 10) -> str:
    """A page of one family of two mixes: the tracks, and the same tracks again."""
    genre = OverRepresented("genre", "k-pop *", 2, 1.0, 0.5)
    description = ClusterDescription("k-pop * · <i>", (), (genre,), (genre,))
    edge = tracks.head(1).assign(nearer=2)
    mixes = (
        MixView(1, 1, tracks, description, edge, running=tracks),
        MixView(2, 1, tracks, ClusterDescription("Calmer", (), ()), running=tracks),
    )
    model = PageModel(
        title="Mix <b>|</b>",
        rows=len(tracks),
        distinct=len(tracks),
        features=("energy",),
        image="mix-clusters.png",
        families=[FamilyView(1, 2 * len(tracks), description, 0.3, mixes)],
        representatives=representatives,
    )
    return assembled(render_page(model, tracks))


class Elements(HTMLParser):
    def __init__(self, markup):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


HOSTILE = (
    "Track URI,Track Name,Album Name,Artist Name(s),Record Label,Album Image URL,Rank,Liked\n"
    f'spotify:track:{ID},"<script>alert(1)</script>","a | b","*x* [y](http://e.com)",'
    f'"Tom & ""Jerry""",javascript:alert(1),3,true\n'
    f'spotify:track:{ID[::-1]},"눈,코,입 (Eyes, Nose, Lips)","Źdźbło","夜明け",,{IMAGE},1,false\n'
)


def test_data_strings_become_text_never_markup():
    page = page_for(tracks_from_csv(HOSTILE))
    html = Elements(page)
    assert "script" not in [tag for tag, _ in html.tags]
    links = [attrs for tag, attrs in html.tags if tag == "a" and "id" not in attrs]
    assert links
    # Data never becomes a link target: links go to Spotify or to a mix or family on the page.
    assert all(
        attrs["href"].startswith("https://open.spotify.com/")
        or re.fullmatch(r"#(mix|family)-[0-9]+", attrs["href"])
        for attrs in links
    )
    assert [attrs["id"] for tag, attrs in html.tags if tag == "a" and "id" in attrs] == [
        "family-1",
        "mix-1",
        "mix-2",
    ]
    text = "".join(html.text)
    for literal in ["<script>alert(1)</script>", "a | b", "*x* [y](http://e.com)", 'Tom & "Jerry"']:
        assert literal in text
    assert "눈,코,입 (Eyes, Nose, Lips)" in page and "Źdźbło" in page and "夜明け" in page


def test_unsafe_urls_are_dropped():
    page = page_for(tracks_from_csv(HOSTILE))
    assert "javascript:" not in page
    # The row with a Spotify image URL, in each mix, and its cover on the mix's card.
    assert page.count("<img ") == 4
    assert page.count("//i.scdn.co/image/") == 4
    assert safe_url("https://open.spotify.com/track/" + ID) is not None
    assert safe_url("https://open.spotify.com/track/" + ID + '"onload="x') is None
    assert safe_url("http://i.scdn.co/image/ab67") is None


def test_markdown_text_is_escaped():
    assert escape_text("a | *b* [c]") == "a &#124; &#42;b&#42; &#91;c&#93;"
    assert escape_text("{{ x }} {% y %}") == "&#123;&#123; x &#125;&#125; &#123;&#37; y &#37;&#125;"
    page = page_for(tracks_from_csv(HOSTILE))
    assert "# <bdi>Mix &lt;b&gt;&#124;&lt;/b&gt;</bdi>" in page
    assert 'title: "Mix &lt;b&gt;&#124;&lt;/b&gt;"' in page  # themes print it unescaped
    # Evidence is HTML, a genre capitalized as a name shows it, data isolated.
    assert (
        "<li>Genre <bdi>K-pop &#42;</bdi>: 2 tracks here (100%), 50% of the playlist</li>" in page
    )
    assert "<li>Genre <bdi>K-pop &#42;</bdi>: 2 tracks here (100%), 50% of family 1</li>" in page
    assert "## Family 1: <bdi>k-pop &#42; · &lt;i&gt;</bdi>" in page
    assert "### Mix 1: <bdi>k-pop &#42; · &lt;i&gt;</bdi>" in page
    # The edge list names a track from the data: escaped too, in an HTML list item.
    assert '<li><a href="https://open.spotify.com/track/' in page
    assert '"><bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi></a> by <bdi>' in page
    assert ': close to <a href="#mix-2">Mix 2</a> (<bdi>Calmer</bdi>)</li>' in page


def test_columns_follow_the_data():
    full = [c.header for c in table_columns(tracks_from_csv(HOSTILE))]
    assert full == ["Art", "Track", "Album", "Artists", "Label", "Rank", "💚"]
    bare = table_columns(tracks_from_csv("Track Name,Artist,Popularity\nA,B,3\nC,D,4\n"))
    assert [c.header for c in bare] == ["Track", "Artists", "Popularity"]


def test_columns_with_one_value_for_every_track_are_left_out():
    csv = "Track Name,Artist,Album Name,Record Label,Popularity,Liked\n"
    same = tracks_from_csv(csv + "A,B,X,L,3,true\nC,D,X,L,3,true\n")
    assert [c.header for c in table_columns(same)] == ["Track", "Artists"]


def test_all_tracks_block_only_when_some_are_hidden():
    tracks = tracks_from_csv(HOSTILE)
    assert "<details>" not in page_for(tracks, representatives=2)
    page = page_for(tracks, representatives=1)
    assert "<summary>All 2 tracks</summary>" in page
    # Per mix: header + 1 shown, header + 2 in the block.
    assert page.count("<tr>") == 2 * (1 + 1 + 1 + 2)


@pytest.mark.parametrize("liked", ["true", "TRUE", "1"])
def test_liked_marker(liked):
    tracks = tracks_from_csv(f"Track Name,Artist,Liked\nA,B,{liked}\nC,D,false\n")
    page = page_for(tracks)
    assert page.count("💚") == 2 * 2  # header and the liked row, in each mix


def test_unclustered_section_and_problem_sentence():
    tracks = tracks_from_csv("Track Name,Artist\nA,B\n").assign(reason="no audio features")
    model = PageModel("Mix", 1, 1, problem="too few tracks", unclustered=tracks)
    page = assembled(render_page(model, tracks))
    assert "not grouped: too few tracks" in page
    assert "## Not grouped" in page and "no audio features" in page
    assert "## Family" not in page and "Mix 1" not in page


STATISTICS_WORDS = ("silhouette", "k-means", "k =", "principal", "variance", "standard dev", "PCA")


def test_the_first_paragraph_speaks_to_listeners_and_the_statistics_are_collapsed():
    tracks = tracks_from_csv(HOSTILE)
    genre = OverRepresented("genre", "k-pop", 2, 1.0, 0.5)
    description = ClusterDescription("K-pop", (), (genre,), (genre,))
    mixes = tuple(MixView(n, 1, tracks, description, running=tracks) for n in (1, 2))
    model = PageModel(
        "Mix",
        6427,
        6427,
        families=[FamilyView(1, 6427, description, 0.2, mixes)],
        downloads="mix",
        method=("The families are overlapping: mean silhouette 0.20.", "k = 3: because."),
    )
    page = render_page(model, tracks).markdown
    first = page.split("# <bdi>Mix</bdi>\n\n")[1].split("\n\n")[0]
    assert first.startswith("6,427 tracks, in 1 family of similar sound, split into 2 mixes")
    assert "download" in first or "taken away" in first
    assert not [word for word in STATISTICS_WORDS if word in first.lower()]
    # The statistics: once, in one collapsed block.
    assert page.count("silhouette") == 1
    assert '<details class="info"><summary>How these groups were made</summary>' in page
