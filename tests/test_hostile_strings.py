"""The user's wording (`strings:`) is configuration that lands in pages and downloads: it may
only fill its phrase's placeholders, link to https addresses or anchors on the page, and its
CSV headers are made safe for spreadsheets. Anything else is a one-line configuration error,
never a traceback, a bug page or an exhausted memory (issue 24)."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import build_error

from mkdocs_playlist_clusters.language import check_strings, language
from mkdocs_playlist_clusters.reading.exports import read_playlist

TITLE = "Map of {tracks} of {title}, coloured by mix"  # a phrase with {title}
TRACKS = "{count} track"
# Each crashed or hung the build before: a 26-frame traceback, MemoryError, 30 s and a bug page.
FORMATS = [
    (TRACKS, "{count:,} songs", "'{count:,}'"),
    (TITLE, "{title:{title}}", "'{title:{title}}'"),
    (TITLE, "{title:>300000000}", "'{title:>300000000}'"),
    (TRACKS, "{count:>50000000}", "'{count:>50000000}'"),
    (TITLE, "Mixes of {title!r}", "'{title!r}'"),
    (TITLE, "Mixes of {title.upper}", "{title.upper}"),
    (TITLE, "Mixes of {0}", "{0}"),
    (TITLE, "Mixes of {}", "{}"),
]
LINKS = [
    "[Mixes](javascript:alert(1)) of {title}",
    "[Mixes]( JavaScript:alert(1) ) of {title}",
    '<a href="javascript:alert(1)">Mixes</a> of {title}',
    "<a href=data:text/html,x>Mixes</a> of {title}",
    "<javascript:alert(1)> {title}",
    "[Mixes][r] of {title}\n\n[r]: vbscript:x",
    "[Mixes](http://example.com) of {title}",
    "[Mixes]({title}) of {title}",  # a data value where the phrase has none
    "[Mixes](#top) of {title} {{: href='javascript:alert(1)' }}",
]
SCRIPTS = [
    "<script>alert(1)</script>{title}",
    '<img src="https://x.test/a.png" onerror=alert(1)>',
    "Mixes of {title} {{: onclick='alert(1)' }}",
]


def site_with_strings(tmp_path, strings: dict[str, str]):
    return make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "strings": strings},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )


@pytest.mark.parametrize(("message", "text", "shown"), FORMATS)
def test_a_placeholder_with_a_format_or_not_of_its_phrase_is_one_line_error(message, text, shown):
    (problem,) = check_strings({message: text})
    assert problem.startswith(f"strings: the text for {message!r} ") and shown in problem
    assert "\n" not in problem


@pytest.mark.parametrize(("message", "text", "shown"), FORMATS[:4])
def test_a_build_with_a_format_in_strings_stops_with_one_line(
    tmp_path, caplog, message, text, shown
):
    site_with_strings(tmp_path, {message: text})
    error = build_error(tmp_path, caplog)
    assert "option 'strings': strings: the text for" in error and shown in error
    assert "\n" not in error and "Traceback" not in caplog.text
    assert not (tmp_path / "site" / "playlists").exists()


@pytest.mark.parametrize("text", LINKS)
def test_a_link_anywhere_but_https_or_the_page_is_refused(text):
    (problem,) = check_strings({TITLE: text})
    assert "a link may go to an https:// address or an anchor on the page" in problem
    assert "\n" not in problem


@pytest.mark.parametrize("text", SCRIPTS)
def test_a_script_is_refused(text):
    (problem,) = check_strings({TITLE: text})
    assert "holds a script" in problem


@pytest.mark.parametrize(
    ("message", "text"),
    [
        (TITLE, "[Mixes](https://example.com/about) of {title}"),
        (TITLE, '<a href="#mix-1">Mixes</a> of {title}'),
        ("[Mix {number}](#mix-{number})", "[Mezcla {number}](#mix-{number})"),
        (
            "[The same picture as a PNG]({url}).",  # the phrase's own target: a file beside it
            "[Als PNG]({url}).",
        ),
        (TRACKS, "{count} songs (data = sound, one = 1)"),
    ],
)
def test_https_links_anchors_and_the_phrase_s_own_targets_are_kept(message, text):
    assert check_strings({message: text}) == []


def test_a_javascript_link_stops_a_real_build_with_one_line(tmp_path, caplog):
    site_with_strings(tmp_path, {TITLE: LINKS[0]})
    error = build_error(tmp_path, caplog)
    assert "links to 'javascript:alert(1'" in error and "\n" not in error


def test_csv_headers_from_strings_are_made_safe_for_spreadsheets(tmp_path, caplog):
    formula = '=HYPERLINK("https://evil.test","Family")'
    site_with_strings(tmp_path, {"Family": formula, "Mix": "+Mix", "Why Not Grouped": "@Why"})
    with caplog.at_level(logging.WARNING):
        build(tmp_path / "mkdocs.yml")
    data = (tmp_path / "site" / "playlists" / "mix" / "mix-all-tracks.csv").read_bytes()
    header = next(csv.reader(io.StringIO(data.decode())))
    assert header[-3:] == ["'" + formula, "'+Mix", "'@Why"]
    assert len(read_playlist(data).tracks) == 60  # still a playlist this plugin reads


def test_a_serve_session_s_wordings_do_not_pile_up():
    language.cache_clear()
    for number in range(100):
        language("de", ((TITLE, f"Mixes {number} of {{title}}"),))
    assert language.cache_info().currsize <= 32
