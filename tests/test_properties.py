"""Property tests: whatever bytes arrive, the outcome is a page or the plugin's own error."""

import contextlib
import csv
import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import BASE62, EXPORTIFY_HEADER

from mkdocs_playlist_clusters.building.option_rules import MAPPABLE_COLUMNS
from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.errors import ColumnMappingError, PlaylistDataError
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.reading.exports import read_playlist

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
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


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


# Pools small enough that tracks share their values, as in real playlists (metadata clustering
# counts only the genres, labels and artists two or more tracks have), and large enough that a
# short playlist has more of them than tracks.
GENRES = [
    "rock", "indie rock", "jazz", "bebop", "k-pop", "doom metal", "sludge metal", "folk",
    "indie folk", "house", "techno", "rock en español", "variété française", "rap", "shoegaze",
    "rock progresywny",
]  # fmt: skip
LABELS = ["Northwind", "Blue Door Records", "Hearthside", "Kranky", "XL", "4AD", "undefined", ""]
ARTISTS = [
    "Ana Brook", "Ben Volt", "Cleo", "Dev Stone", "Tyler, The Creator", "Semi;Colon", "Zoë",
    "10,000 Maniacs", "Crosby, Stills", "Mina", "Ed", "Jo",
]  # fmt: skip
FEATURE_COLUMNS = EXPORTIFY_HEADER[12:]
IDS = st.text(BASE62, min_size=22, max_size=22)


@st.composite
def number_cells(draw, low: float, high: float, decimal: str) -> str:
    """A number as a spreadsheet might write it, or an empty or zero cell."""
    kind = draw(st.sampled_from(["number", "number", "number", "empty", "zero"]))
    if kind == "empty":
        return ""
    if kind == "zero":
        return "0"
    value = draw(st.floats(low, high, allow_nan=False))
    return f"{value:.{draw(st.integers(0, 4))}f}".replace(".", decimal)


@st.composite
def dates(draw) -> str:
    year, month, day = (
        draw(st.integers(1950, 2025)),
        draw(st.integers(1, 12)),
        draw(st.integers(1, 28)),
    )
    return draw(
        st.sampled_from(
            [
                f"{year}-{month:02d}-{day:02d}",
                f"{year}-{month:02d}",
                f"{year}",
                f"{month}/{day}/{year}",  # a US spreadsheet
                f"{day}/{month}/{year}",  # a European one
                f"{day:02d}.{month:02d}.{year}",
                "",
                "0000",
            ]
        )
    )


# Mostly tracks of their own, as in real playlists; now and then a repeat, a local file, an
# episode or an id cell without an id.
URI_KINDS = (
    ["own"] * 8
    + ["repeat", "", "spotify:track:", "undefined"]
    + [
        "spotify:local:Artist:Album:Title:200",
        "spotify:episode:5Ak3lN7QJ1t4bQ2u5Z6ZrQ",
    ]
)


@st.composite
def track_rows(draw, with_features: bool, decimal: str, track_id: str) -> dict[str, str]:
    """One row; `track_id` is this row's own id, and "repeat" gives it a fixed other one."""
    kind = draw(st.sampled_from(URI_KINDS))
    uri = {"own": f"spotify:track:{track_id}", "repeat": f"spotify:track:{'0' * 22}"}.get(
        kind, kind
    )
    artists = draw(st.lists(st.sampled_from(ARTISTS), max_size=3, unique=True))
    row = {
        "Track URI": uri,
        "Track Name": draw(st.sampled_from(["", "undefined", *(["Song", "Other", "Café"] * 3)])),
        "Album Name": draw(st.sampled_from(["", "Album", "Second Album"])),
        "Artist Name(s)": draw(st.sampled_from([";", ","])).join(artists),
        "Release Date": draw(dates()),
        "Duration (ms)": draw(st.sampled_from(["", "187143", "3:25", "201000", "95000"])),
        "Popularity": draw(st.sampled_from(["", "0", "37", "75", "100"])),
        "Explicit": draw(st.sampled_from(["", "true", "FALSE", "false"])),
        "Genres": ",".join(draw(st.lists(st.sampled_from(GENRES), max_size=5, unique=True))),
        "Record Label": draw(st.sampled_from(LABELS)),
    }
    if with_features:
        bounds = {"Loudness": (-30.0, 0.0), "Tempo": (0.0, 200.0), "Key": (0.0, 11.0)}
        for column in FEATURE_COLUMNS:
            row[column] = draw(number_cells(*bounds.get(column, (0.0, 1.0)), decimal))
    return row


@st.composite
def playlists(draw) -> bytes:
    """A small Exportify-like export, with or without audio features."""
    with_features = draw(st.booleans())
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    decimal = draw(st.sampled_from([".", ","]))
    count = draw(st.integers(1, 40))
    ids = draw(st.lists(IDS, min_size=count, max_size=count, unique=True))
    rows = [draw(track_rows(with_features, decimal, track_id)) for track_id in ids]
    header = EXPORTIFY_HEADER if with_features else EXPORTIFY_HEADER[:12]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


def outcome(data: bytes) -> None:
    with contextlib.suppress(PlaylistDataError):  # any other exception fails the test
        read_playlist(data)


def assert_page(data: bytes, options: PlaylistOptions) -> None:
    result = build_playlist(data, options)  # any exception fails the test
    page = result.files[options.page_name].decode("utf-8")
    assert page.startswith("---\n") and f"# <bdi>{options.title}</bdi>" in page


@settings(SLOW, max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_read_or_raise_the_plugins_error(data):
    outcome(data)


@settings(SLOW, max_examples=300)
@given(csv_files())
def test_mutated_csv_reads_or_raises_the_plugins_error(data):
    outcome(data)


@settings(SLOW, max_examples=40)
@given(csv_files())
def test_any_csv_becomes_a_page(data):
    assert_page(data, OPTIONS)


@settings(SLOW, max_examples=60)
@given(playlists())
def test_any_small_playlist_becomes_a_page(data):
    assert_page(data, OPTIONS)


@settings(SLOW, max_examples=15)
@given(playlists(), st.dictionaries(st.sampled_from(MAPPABLE_COLUMNS), st.sampled_from(HEADERS)))
def test_a_columns_mapping_gives_a_page_or_names_the_missing_column(data, mapping):
    options = PlaylistOptions(title="Mapped", slug="mapped", columns=tuple(sorted(mapping.items())))
    try:
        assert_page(data, options)
    except ColumnMappingError as error:  # the one error build_playlist raises: a config mistake
        assert re.match(r"columns: \w+: the file has no column '", str(error)), error
