"""Reading exports into the canonical table: header generations, encodings, cell forms."""

import io
import math

import pandas as pd
import pytest

from mkdocs_playlist_clusters.errors import ColumnMappingError, PlaylistDataError
from mkdocs_playlist_clusters.reading import (
    TRACK_COLUMNS,
    normalize_header,
    parse_date,
    parse_track_id,
    read_playlist,
)

FEATURES_2019 = (
    "Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,"
    "Liveness,Valence,Tempo,Time Signature"
)
VALUES = "0.5,0.6,1,-7.5,1,0.05,0.2,0.0001,0.1,0.4,120.5,4"
ID_A = "0aaaaaaaaaaaaaaaaaaaaA"
ID_B = "0bbbbbbbbbbbbbbbbbbbbB"


def read(text: str, encoding: str = "utf-8"):
    return read_playlist(text.encode(encoding)).tracks


def test_2019_format_with_two_boms_and_crlf():
    text = (
        "\ufeff\ufeffSpotify ID,Artist IDs,Track Name,Album Name,Artist Name(s),Release Date,"
        "Duration (ms),Popularity,Added By,Added At,Genres," + FEATURES_2019 + "\r\n"
        f'{ID_A},"1cccccccccccccccccccc1,1dddddddddddddddddddd2","Quick Thought (feat. Nobody)",'
        '"Heatwave","Invented Singer,Made Up Band",2023-07-07,222839,64,spotify:user:,'
        f'1970-01-01T00:00:00Z,"alt pop,rock",{VALUES}\r\n'
    )
    row = read(text).iloc[0]
    assert row["track_id"] == ID_A
    assert row["uri"] == f"spotify:track:{ID_A}"
    assert row["artists"] == ["Invented Singer", "Made Up Band"]
    assert row["artist_ids"] == ["1cccccccccccccccccccc1", "1dddddddddddddddddddd2"]
    assert row["added_at"] is None  # the epoch placeholder is not a date
    assert row["genres"] == ["alt pop", "rock"]
    assert row["tempo"] == 120.5
    assert row["year"] == 2023


def test_tab_header_bug_and_semicolon_artists_with_commas_in_names():
    header = (
        "Track ID,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,"
        "Added By,Added At,Genres,Record Label,\t\t\t\t" + FEATURES_2019
    )
    text = (
        f"{header}\n"
        f'{ID_A},"Yes, Maybe Not","Roundabout","Someone, The Band;Other Singer",1979,200000,0,,'
        f'2026-04-26T18:29:25Z,"",Northwind,{VALUES}\n'
    )
    row = read(text).iloc[0]
    assert row["name"] == "Yes, Maybe Not"
    assert row["artists"] == ["Someone, The Band", "Other Singer"]
    assert row["label"] == "Northwind"
    assert row["danceability"] == 0.5  # the TABs before the header name are ignored


def test_watsonbox_escaped_commas_and_german_header():
    text = (
        '"Track-URI","Track-Name","Künstler-URI(s)","Künstlername(n)","Album-Name",'
        '"Veröffentlichungsdatum des Albums","Album-Bild-URL","Explizit","Beliebtheit"\n'
        f'"spotify:track:{ID_A}","Bài ca","spotify:artist:1eeeeeeeeeeeeeeeeeeee3, '
        'spotify:artist:1ffffffffffffffffffff4","Ánh Sao, Crosby\\, Stills","Album",'
        '"2009-01-01","https://i.scdn.co/image/ab67616d0000b273","false","21"\n'
    )
    row = read(text).iloc[0]
    assert row["artists"] == ["Ánh Sao", "Crosby, Stills"]
    assert row["artist_ids"] == ["1eeeeeeeeeeeeeeeeeeee3", "1ffffffffffffffffffff4"]
    assert row["explicit"] is False
    assert row["popularity"] == 21
    assert math.isnan(row["danceability"])


def test_local_files_episodes_and_unavailable_tracks_are_kept_and_marked():
    text = (
        "Track URI,Track Name,Artist Name(s),Record Label,Tempo\n"
        "spotify:local:Artist:Album:Title:200,Title,Artist,undefined,\n"
        "spotify:episode:5Ak3lN7QJ1t4bQ2u5Z6ZrQ,Episode,Host,,\n"
        ",undefined,undefined,undefined,\n"
        f"spotify:track:{ID_B},Song,Singer,Label,0\n"
    )
    tracks = read(text)
    assert tracks["kind"].tolist() == ["local", "episode", "unavailable", "track"]
    assert tracks["label"].isna().sum() == 3  # "undefined" is missing, not a label
    assert math.isnan(tracks.iloc[3]["tempo"])  # tempo 0 is Spotify's "no analysis"


def test_semicolon_delimited_spreadsheet_export_in_cp1252():
    text = "Track Name;Artist Name(s);Release Date;Explicit\nCafé;Zoë;6/25/2013;TRUE\n"
    row = read(text, "cp1252").iloc[0]
    assert row["name"] == "Café"
    assert row["artists"] == ["Zoë"]
    assert row["release_date"] == "2013-06-25"
    assert row["explicit"] is True


def test_utf16_with_bom():
    assert read("Track Name,Artist\n눈,코,입\n", "utf-16").iloc[0]["name"] == "눈"


def test_table_has_canonical_columns_in_order():
    assert tuple(read("name,artists\nA,B\n").columns) == TRACK_COLUMNS


def test_short_last_row_warns_about_shifted_features():
    table = read_playlist(b"Track Name,Artist Name(s),Tempo\nA,B,120\nC\n")
    assert len(table.warnings) == 1
    assert "line 3" in table.warnings[0] and "shifted" in table.warnings[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"Track Name,Artist\n", "no tracks"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (b"foo,bar\n1,2\n", "columns found: 'foo', 'bar'"),
        (b"\x1f\x8b\x08garbage", "gzip"),
    ],
)
def test_unusable_files_raise_one_clear_error(data, message):
    with pytest.raises(PlaylistDataError, match=message):
        read_playlist(data)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-07-07", ("2023-07-07", 2023.0)),
        ("2023-07", ("2023-07", 2023.0)),
        ("1981", ("1981", 1981.0)),
        ("2/16/2016", ("2016-02-16", 2016.0)),
        ("", (None, math.nan)),
        ("0000", (None, math.nan)),
    ],
)
def test_release_dates(cell, expected):
    date, year = parse_date(cell)
    assert date == expected[0]
    assert year == expected[1] or (math.isnan(year) and math.isnan(expected[1]))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (ID_A, ("track", ID_A, f"spotify:track:{ID_A}")),
        (f"spotify:track:{ID_A}", ("track", ID_A, f"spotify:track:{ID_A}")),
        (f"https://open.spotify.com/track/{ID_A}?si=x", ("track", ID_A, f"spotify:track:{ID_A}")),
        ("spotify:track:", ("track", None, "spotify:track:")),
        ("undefined", ("track", None, None)),
    ],
)
def test_track_ids(cell, expected):
    assert parse_track_id(cell) == expected


def test_header_normalization():
    assert normalize_header("\t\t\t\tDanceability") == "danceability"
    assert normalize_header("Artist Name(s)") == normalize_header("artist_names")
    assert normalize_header("trackFeatureTempo") == "trackfeaturetempo"


def test_exportify_app_french_headers():
    text = (
        '"URI du titre","Nom du titre","Nom(s) de l\'artiste","Danseabilité"\n'
        f'"spotify:track:{ID_A}","Ça plane pour moi","Plastic Bertrand","0.7"\n'
    )
    row = read(text).iloc[0]
    assert (row["track_id"], row["name"], row["danceability"]) == (ID_A, "Ça plane pour moi", 0.7)


def test_camel_case_export_with_clock_durations_and_secondary_artists():
    text = (
        "trackName,artistName,secondaryArtistsNames,trackDuration,trackFeatureDanceability,"
        "isLikedByUser,trackUrl\n"
        f"Song,Main,Guest,3:25,0.8,true,https://open.spotify.com/track/{ID_A}\n"
    )
    row = read(text).iloc[0]
    assert row["artists"] == ["Main", "Guest"]
    assert row["duration_ms"] == 205_000
    assert row["danceability"] == 0.8
    assert row["liked"] is True
    assert row["track_id"] == ID_A


def test_snake_case_table_with_list_literal_artists_and_seconds():
    text = "track_name,artists,duration\nSong,\"['A, Jr.', 'B']\",200\nOther,['C'],185.5\n"
    tracks = read(text)
    assert tracks.iloc[0]["artists"] == ["A, Jr.", "B"]
    assert tracks["duration_ms"].tolist() == [200_000, 185_500]


def test_json_records():
    data = (
        b'[{"name": "A", "artists": ["X", "Y"], "danceability": 0.5, "liked": true},'
        b' {"name": "B", "artists": ["Z"], "danceability": null, "liked": false}]'
    )
    tracks = read_playlist(data).tracks
    assert tracks["artists"].tolist() == [["X", "Y"], ["Z"]]
    assert tracks["liked"].tolist() == [True, False]
    assert math.isnan(tracks.iloc[1]["danceability"])


def test_json_that_is_not_a_track_list():
    with pytest.raises(PlaylistDataError, match="array of track objects"):
        read_playlist(b'{"playlist": "x"}')


def test_column_mapping_and_its_mistakes():
    text = b"Titel,Interpret,Tanz\nA,B,0.4\n"
    row = read_playlist(text, {"name": "Titel", "artists": "Interpret", "danceability": "Tanz"})
    assert (row.tracks.iloc[0]["name"], row.tracks.iloc[0]["danceability"]) == ("A", 0.4)
    with pytest.raises(ColumnMappingError, match="columns: name: the file has no column 'Title'"):
        read_playlist(text, {"name": "Title"})


def test_oversized_files_are_refused(monkeypatch):
    monkeypatch.setattr("mkdocs_playlist_clusters.reading.MAX_FILE_BYTES", 10)
    with pytest.raises(PlaylistDataError, match="split it into several playlists"):
        read_playlist(b"Track Name,Artist\nA,B\n")


def test_watsonbox_2015_nine_column_format():
    text = (
        "Spotify URI,Track Name,Artist Name,Album Name,Disc Number,Track Number,"
        "Track Duration (ms),Added By,Added At\n"
        f"spotify:track:{ID_A},Song,Singer,Record,1,2,201000,spotify:user:x,2015-06-01T10:00:00Z\n"
    )
    row = read(text).iloc[0]
    assert (row["track_id"], row["artists"], row["album"]) == (ID_A, ["Singer"], "Record")
    assert (row["duration_ms"], row["added_at"]) == (201000, "2015-06-01T10:00:00Z")


def test_parquet_is_read_or_explained():
    pytest.importorskip("pyarrow", reason="pyarrow is optional: tested where installed")
    frame = pd.DataFrame({"name": ["A", "B"], "artists": [["X"], ["Y", "Z"]], "energy": [0.1, 0.9]})
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    tracks = read_playlist(buffer.getvalue()).tracks
    assert tracks["artists"].tolist() == [["X"], ["Y", "Z"]]
    assert tracks["energy"].tolist() == [0.1, 0.9]


def test_damaged_parquet_gives_the_plugins_error():
    with pytest.raises(PlaylistDataError, match="Parquet"):
        read_playlist(b"PAR1 not really parquet")
