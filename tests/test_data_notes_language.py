"""Notes about the data shown on the page (values read as missing, a playlist that cannot be
grouped, a file that cannot be read) are in the page's language; the build log keeps English."""

from __future__ import annotations

import html
import logging

from mkdocs_playlist_clusters.language import N_, N_n, Note, language
from tests.built_html import parse_page
from tests.site_building import build, make_site
from tests.synthetic import exportify_csv, synthetic_tracks


def test_a_note_is_said_in_each_language_with_its_plural_forms_and_numbers():
    rows = Note(
        N_n(
            "{column} outside {low} to {high} in {count} row",
            "{column} outside {low} to {high} in {count} rows",
        ),
        2,
        column="tempo",
        low="0",
        high="500",
    )
    note = Note(N_("values no track can have were read as missing: {found}"), found=[rows])
    # The string is the English text, as the build log and older code read it.
    assert note == "values no track can have were read as missing: tempo outside 0 to 500 in 2 rows"
    assert language("de").note(note) == (
        "Werte, die kein Titel haben kann, wurden als fehlend gelesen: tempo außerhalb von 0 bis "
        "500 in 2 Zeilen"
    )
    tracks = N_n(
        "{count} track has the features to cluster, at least {least} are needed",
        "{count} tracks have the features to cluster, at least {least} are needed",
    )
    many = Note(tracks, 1234, least=6)
    assert many == "1,234 tracks have the features to cluster, at least 6 are needed"
    assert language("de").note(many) == (
        "1.234 Titel haben die Merkmale zum Gruppieren, mindestens 6 sind nötig"
    )
    # Polish: three forms (1 utwór, 1 234 utwory, 5 utworów); Japanese: one.
    assert language("pl").note(Note(tracks, 1, least=6)).startswith("1 utwór ma ")
    assert language("pl").note(many).startswith("1\xa0234 utwory mają ")
    assert language("pl").note(Note(tracks, 5, least=6)).startswith("5 utworów ma ")
    assert language("ja").note(many).startswith("グループ分けできる特徴を持つ曲は1,234曲")
    assert language("de").note("a plain text") == "a plain text"


def test_a_german_page_shows_its_data_notes_in_german(tmp_path, caplog):
    rows = synthetic_tracks(60)
    rows[0]["Tempo"] = rows[1]["Tempo"] = "1e308"
    rows[2]["Energy"] = "-1e308"
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv", "data/few.csv"], "language": "de"},
        files={
            "data/mix.csv": exportify_csv(rows),
            "data/few.csv": exportify_csv(synthetic_tracks(3)),
        },
    )
    with caplog.at_level(logging.WARNING):
        build(config, strict=False)
    site = tmp_path / "site" / "playlists"
    # Text from data is escaped for Markdown as well (":" as "&#58;"): compare what it reads.
    page = html.unescape((site / "mix" / "index.html").read_text(encoding="utf-8"))
    assert "Problem in den Daten" in page
    assert (
        "Werte, die kein Titel haben kann, wurden als fehlend gelesen: energy außerhalb von 0 "
        "bis 1 in 1 Zeile; tempo außerhalb von 0 bis 500 in 2 Zeilen"
    ) in page
    assert "read as missing" not in page
    # A playlist that cannot be grouped says why in German, on its page and in the overview.
    why = "3 Titel haben die Merkmale zum Gruppieren, mindestens 6 sind nötig"
    few = parse_page((site / "few" / "index.html").read_text(encoding="utf-8"))
    assert any(why in text for _, text in few.paragraphs), few.paragraphs
    assert why in html.unescape((site / "index.html").read_text(encoding="utf-8"))
    # The build log stays English.
    log = caplog.text
    assert "3 tracks have the features to cluster, at least 6 are needed" in log
    assert "values no track can have were read as missing" in log
