"""Reading exports into the canonical table: header generations, encodings, cell forms."""

import io
import math
import re

import pandas as pd
import pytest
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.errors import ColumnMappingError, PlaylistDataError
from mkdocs_playlist_clusters.playlist import AUDIO_FEATURES, PlaylistOptions
from mkdocs_playlist_clusters.reading.columns import normalize_header
from mkdocs_playlist_clusters.reading.exports import TRACK_COLUMNS, read_playlist
from mkdocs_playlist_clusters.reading.values import parse_date, parse_track_id

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
    assert math.isnan(tracks.iloc[3]["tempo"])  # its only feature is 0: "no analysis"


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
        (b"", "the file is empty; export the playlist again"),
        (b"   \n\n", "the file is empty; export the playlist again"),
        (b"Track Name,Artist\n", "the file has a header but no tracks; export the playlist again"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "the file holds binary data, not text; export the playlist as CSV",
        ),
        (
            b"foo,bar\n1,2\n",
            "no track name or track id column found among the file's 2 columns (the build log "
            "names them); expected an Exportify export with 'Track Name' and 'Track URI', or "
            "map yours with 'columns: {name: ..., artists: ...}' in mkdocs.yml",
        ),
        (b"\x1f\x8b\x08garbage", "the file is a damaged gzip archive"),
    ],
)
def test_unusable_files_raise_one_clear_error(data, message):
    with pytest.raises(PlaylistDataError, match=f"^{re.escape(message)}$"):
        read_playlist(data)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2023-07-07", ("2023-07-07", 2023.0)),
        ("2023-07", ("2023-07", 2023.0)),
        ("1981", ("1981", 1981.0)),
        ("2/16/2016", ("2016-02-16", 2016.0)),
        ("25/06/2013", ("2013-06-25", 2013.0)),  # a first number over 12 is the day
        ("25.06.2013", ("2013-06-25", 2013.0)),
        ("5/6/2013", ("2013-05-06", 2013.0)),  # ambiguous: month first, as spreadsheets do
        ("31/2/2013", ("2013", 2013.0)),  # no such day: the year stays
        ("13/13/2013", ("2013", 2013.0)),
        ("2013-02-30", ("2013", 2013.0)),
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
        ("spotify:track:", ("track", None, None)),  # the bare prefix is no id
        ("spotify:episode:", ("episode", None, None)),
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
    with pytest.raises(
        PlaylistDataError, match=r"^the JSON file must be an array of track objects, e\.g\. \[\{"
    ):
        read_playlist(b'{"playlist": "x"}')


def test_column_mapping_and_its_mistakes():
    text = b"Titel,Interpret,Tanz\nA,B,0.4\n"
    row = read_playlist(text, {"name": "Titel", "artists": "Interpret", "danceability": "Tanz"})
    assert (row.tracks.iloc[0]["name"], row.tracks.iloc[0]["danceability"]) == ("A", 0.4)
    with pytest.raises(ColumnMappingError, match="columns: name: the file has no column 'Title'"):
        read_playlist(text, {"name": "Title"})


def test_oversized_files_are_refused(monkeypatch):
    monkeypatch.setattr("mkdocs_playlist_clusters.reading.limits.MAX_FILE_BYTES", 10)
    with pytest.raises(
        PlaylistDataError,
        match=r"^the file is over 0 MB; playlists up to 0 MB are read: split it into several "
        r"playlists$",
    ):
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
    with pytest.raises(PlaylistDataError, match=r"^the Parquet file could not be read; ") as error:
        read_playlist(b"PAR1 not really parquet")
    assert error.value.log_text.startswith(f"{error.value} (")  # pyarrow's words, for the log


def test_decimal_commas_in_a_semicolon_separated_file():
    text = (
        "Track Name;Artist Name(s);Danceability;Loudness;Tempo;Instrumentalness;Duration (ms)\n"
        "Lied;Sängerin;0,512;-7,25;120,5;1,5E-05;187143\n"
        "Chanson;Chanteuse;0.7;-5;98;0;201000\n"
    )
    tracks = read(text)
    assert tracks.iloc[0][["danceability", "loudness", "tempo"]].tolist() == [0.512, -7.25, 120.5]
    assert tracks.iloc[0]["instrumentalness"] == 1.5e-05
    assert tracks["duration_ms"].tolist() == [187_143, 201_000]
    assert tracks.iloc[1]["danceability"] == 0.7  # points still read


def test_decimal_commas_in_a_tab_separated_file():
    row = read("Track Name\tEnergy\tTempo\nLied\t0,25\t99,75\n").iloc[0]
    assert (row["energy"], row["tempo"]) == (0.25, 99.75)


def test_a_comma_inside_a_number_of_a_comma_separated_file_is_not_a_decimal_point():
    # "1,234" there is a thousands separator or a mistake: a guess would be wrong either way.
    assert math.isnan(read('Track Name,Tempo\nSong,"1,234"\n').iloc[0]["tempo"])


def test_one_name_with_a_semicolon_leaves_a_comma_joined_file_split_on_commas():
    # Exportify from May to September 2025: artists joined with ",", commas cut from names.
    text = (
        "Track URI,Track Name,Artist Name(s)\n"
        f'spotify:track:{ID_A},One,"Alpha Singer,Beta Band"\n'
        f'spotify:track:{ID_B},Two,"Gamma,Delta,Epsilon"\n'
        "spotify:track:0ccccccccccccccccccccC,Three,Semi;Colon Collective\n"
        "spotify:track:0ddddddddddddddddddddD,Four,Solo\n"
    )
    assert read(text)["artists"].tolist() == [
        ["Alpha Singer", "Beta Band"],
        ["Gamma", "Delta", "Epsilon"],
        ["Semi;Colon Collective"],
        ["Solo"],
    ]


def test_names_with_commas_outnumbering_semicolon_joins_keep_their_commas():
    # Exportify since September 2025: artists joined with ";", commas kept in names.
    text = (
        "Track Name,Artist Name(s)\n"
        'One,"Tyler, The Creator"\n'
        'Two,"Tyler, The Creator"\n'
        'Three,"Earth, Wind & Fire"\n'
        'Four,"10,000 Maniacs"\n'
        'Five,"Kali Uchis;Tyler, The Creator"\n'
    )
    assert read(text)["artists"].tolist() == [
        ["Tyler, The Creator"],
        ["Tyler, The Creator"],
        ["Earth, Wind & Fire"],
        ["10,000 Maniacs"],
        ["Kali Uchis", "Tyler, The Creator"],
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # A European spreadsheet: one date with a day over 12 shows the column is D/M.
        (["25/06/2013", "05/06/2013", "1/2/2003"], ["2013-06-25", "2013-06-05", "2003-02-01"]),
        # A US one: a second number over 12.
        (["6/25/2013", "05/06/2013"], ["2013-06-25", "2013-05-06"]),
        # Both in one column: the ambiguous date keeps only its year.
        (["25/06/2013", "6/25/2013", "05/06/2013"], ["2013-06-25", "2013-06-25", "2013"]),
    ],
)
def test_day_or_month_first_is_read_from_the_whole_column(cells, expected):
    text = "Track Name,Release Date\n" + "".join(f"Song,{cell}\n" for cell in cells)
    tracks = read(text)
    assert tracks["release_date"].tolist() == expected
    assert tracks["year"].tolist() == [float(date[:4]) for date in expected]


def test_only_all_zero_features_are_spotifys_no_analysis_placeholder():
    header = "Track Name," + FEATURES_2019
    text = (
        f"{header}\n"
        "Nothing,0,0,0,0,0,0,0,0,0,0,0,0\n"
        # A beatless drone: no tempo, danceability or valence, but measured all the same.
        "Drone,0,0.21,4,-11.5,1,0,0.42,0.93,0.07,0,0,0\n"
    )
    tracks = read(text)
    assert tracks.iloc[0][list(AUDIO_FEATURES)].isna().all()
    drone = tracks.iloc[1]
    assert (drone["energy"], drone["loudness"], drone["instrumentalness"]) == (0.21, -11.5, 0.93)
    assert (drone["tempo"], drone["time_signature"], drone["danceability"]) == (0, 0, 0)


def test_rows_with_an_empty_track_uri_are_distinct_tracks():
    rows = [
        {**row, "Track URI": "spotify:track:" if i % 2 else ""}
        for i, row in enumerate(synthetic_tracks(12, seed=3))
    ]
    tracks = read(exportify_csv(rows))
    assert tracks["uri"].isna().all() and tracks["track_id"].isna().all()
    assert tracks["kind"].tolist() == ["track"] * 12  # they have names: not unavailable

    options = PlaylistOptions(title="Ids", slug="ids")
    page = build_playlist(exportify_csv(rows).encode(), options).files[options.page_name]
    assert "12 tracks, in " in page.decode()
