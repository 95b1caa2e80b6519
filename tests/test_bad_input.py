"""Bad input through real builds: configuration mistakes stop the build with one line; data
problems build a page that explains, with a warning that --strict turns into a failure."""

import logging

import pytest
from mkdocs.exceptions import Abort, ConfigurationError
from site_building import build, make_site, page_output
from synthetic import exportify_csv, synthetic_tracks

CSV = exportify_csv(synthetic_tracks(30))
FEATURE_HEADERS = (
    "Danceability", "Energy", "Speechiness", "Acousticness", "Instrumentalness", "Liveness",
    "Valence", "Tempo", "Loudness",
)  # fmt: skip


def built_page(tmp_path, name="mix"):
    path, _ = page_output(tmp_path / "site", f"playlists/{name}.md", True)
    return path.read_text(encoding="utf-8")


def plugin_warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_directory_instead_of_file_is_a_configuration_error(tmp_path, caplog):
    (tmp_path / "data").mkdir()
    config = make_site(tmp_path, {"playlists": ["data"]})
    with pytest.raises((ConfigurationError, Abort)) as excinfo:
        build(config)
    assert "isn't an existing file" in f"{excinfo.value}\n{caplog.text}"


def test_unknown_column_in_mapping_is_a_configuration_error(tmp_path, caplog):
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "columns": {"song": "Track Name"}}]},
        files={"data/mix.csv": CSV},
    )
    with pytest.raises((ConfigurationError, Abort)) as excinfo:
        build(config)
    assert "unknown column 'song'; expected some of: uri, name," in (
        f"{excinfo.value}\n{caplog.text}"
    )


def test_mapping_that_names_an_absent_header_stops_the_build(tmp_path, caplog):
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "columns": {"name": "Titel"}}]},
        files={"data/mix.csv": CSV},
    )
    with pytest.raises(Abort):
        build(config, strict=False)
    (message,) = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert message.startswith("playlist-clusters: data/mix.csv: columns: name:")
    assert "'Titel'" in message and "'Track Name'" in message and "\n" not in message


def test_mapping_reads_an_unknown_format(tmp_path, caplog):
    rows = synthetic_tracks(30)
    lines = ["Titel;Interpret;Tanz;Kraft;Stimmung"] + [
        f"{r['Track Name']};{r['Artist Name(s)']};{r['Danceability']};{r['Energy']};{r['Valence']}"
        for r in rows
    ]
    mapping = {"name": "Titel", "artists": "Interpret", "danceability": "Tanz"}
    mapping |= {"energy": "Kraft", "valence": "Stimmung"}
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "columns": mapping}]},
        files={"data/mix.csv": "\n".join(lines) + "\n"},
    )
    build(config)
    page = built_page(tmp_path)
    assert "Grouped on danceability, energy, valence," in page
    assert "Mix 1: " in page


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"Track Name,Artist Name(s)\n", "no tracks"),
        (b"\x00\x01\x02binary\x00", "binary data"),
        (b"foo,bar\n1,2\n", "no track name or track id column"),
        ("Track Name,Artist Name(s),Danceability\nA,X,0.5\nB,Y,0.4\nC,Z,0.1\n", "at least 6"),
    ],
    ids=["empty", "header-only", "binary", "unknown-columns", "too-few"],
)
def test_data_problems_warn_and_explain(tmp_path, caplog, content, says):
    config = make_site(tmp_path, {"playlists": ["data/mix.csv"]}, files={"data/mix.csv": content})
    with pytest.raises(Abort):
        build(config, strict=True)
    caplog.clear()
    build(config, strict=False)
    warnings = plugin_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("playlist-clusters: data/mix.csv: ") and says in warnings[0]
    assert says in built_page(tmp_path)
    assert "Traceback" not in caplog.text


def test_more_clusters_than_distinct_tracks(tmp_path, caplog):
    rows = synthetic_tracks(8)
    for row in rows[1:]:  # seven identical-sounding tracks and one other
        for feature in FEATURE_HEADERS:
            row[feature] = rows[1][feature]
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "clusters": 5}]},
        files={"data/mix.csv": exportify_csv(rows)},
    )
    build(config, strict=False)
    (warning,) = plugin_warnings(caplog)
    assert "clusters: 5 asked for" in warning and "use 'auto'" in warning
    page = built_page(tmp_path)
    assert 'id="not-grouped"' in page
    # Every track listed, with the reason (its colon written as an entity, like all data text).
    assert page.count("<td>clusters&#58; 5 asked for") == 8


def test_infinite_and_missing_values_do_not_become_data(tmp_path, caplog):
    rows = synthetic_tracks(30)
    rows[0]["Tempo"] = "inf"
    rows[1]["Energy"] = "NaN"
    config = make_site(
        tmp_path, {"playlists": ["data/mix.csv"]}, files={"data/mix.csv": exportify_csv(rows)}
    )
    build(config)
    page = built_page(tmp_path)
    assert "28 of them can be grouped" in page
    assert "(no audio features in the export: 2)" in page
    assert page.count("<td>no audio features in the export</td>") == 2


@pytest.mark.parametrize("value", [0, -3, True, "ten"])
def test_per_playlist_representatives_must_be_positive(tmp_path, caplog, value):
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "representatives": value}]},
        files={"data/mix.csv": CSV},
    )
    with pytest.raises((ConfigurationError, Abort)):
        build(config)
    assert "representatives" in caplog.text


def test_cache_inside_docs_dir_is_refused(tmp_path, caplog):
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "cache": True, "cache_dir": "docs/.cache"},
        files={"data/mix.csv": CSV},
    )
    with pytest.raises(Abort):
        build(config)
    assert "cache_dir 'docs/.cache' is inside docs_dir" in caplog.text
    assert not (tmp_path / "docs" / ".cache").exists()
