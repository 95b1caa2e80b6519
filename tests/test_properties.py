"""Property tests: whatever bytes arrive, the outcome is a page or the plugin's own error."""

import contextlib
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_playlist_clusters.errors import PlaylistDataError
from mkdocs_playlist_clusters.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.reading import read_playlist

HEADERS = [
    "Track URI", "Track Name", "Album Name", "Artist Name(s)", "Release Date", "Duration (ms)",
    "Popularity", "Explicit", "Genres", "Record Label", "Danceability", "Energy", "Loudness",
    "Speechiness", "Acousticness", "Instrumentalness", "Liveness", "Valence", "Tempo",
    "Time Signature", "Rank", "Liked", "Album Image URL", "\t\tKey", "Künstlername(n)", "",
]  # fmt: skip
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "undefined", "0", "1e-05", "nan", "inf", "-inf", "TRUE", "3:25"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["spotify:track:4RiudH8RehvLLrk8uNgIdR", "spotify:local:a:b:c:1", "1/2/2003"]),
)
OPTIONS = PlaylistOptions(title="Fuzz", slug="fuzz")


@st.composite
def csv_files(draw):
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=25))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    cut = draw(st.integers(0, len(data)))  # a truncated download
    return data if draw(st.booleans()) else data[:cut]


def outcome(data: bytes) -> None:
    with contextlib.suppress(PlaylistDataError):  # any other exception fails the test
        read_playlist(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_read_or_raise_the_plugins_error(data):
    outcome(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_mutated_csv_reads_or_raises_the_plugins_error(data):
    outcome(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_any_csv_becomes_a_page(data):
    result = build_playlist(data, OPTIONS)
    page = result.files[OPTIONS.page_name].decode("utf-8")
    assert page.startswith("---\n") and "# Clusters in Fuzz" in page
