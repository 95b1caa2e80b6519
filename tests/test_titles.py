"""Page titles from mkdocs.yml (`title:`, `section:`) and from file names reach the reader as
the text they are: mkdocs-macros does not evaluate them, and no character breaks a page's
front matter.

mkdocs-macros renders `page.title` as a template whenever it holds `{{`, `{%` or `{#`, so the
`<title>` and the navigation of a page titled `{{ 7 * 7 }}` said 49 while its H1 was literal.
The front matter's title is written with the same escaping as the H1 (`escape_text`: `{` and
`%` as character references), so there is no template to evaluate. Control characters, which
YAML refuses, are refused in `title:` and `section:` and dropped from titles made from file
names.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from built_html import parse_page
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import generate, mix_site, no_traceback_one_line

from mkdocs_playlist_clusters.building.config import PluginConfig
from mkdocs_playlist_clusters.building.option_rules import OptionError
from mkdocs_playlist_clusters.building.options import read_options
from mkdocs_playlist_clusters.playlist import TRACK_COLUMNS
from mkdocs_playlist_clusters.presenting.page_model import PageModel
from mkdocs_playlist_clusters.presenting.pages import render_page

TITLE = "{{ 7 * 7 }} {% if true %}yes{% endif %}{# gone #} <b>x</b> & 'q' \"d\" \\ a: b"
SECTION = "{{ config.site_name }} {% raw %}"


def built(site: Path, uri: str) -> str:
    return (site / "site" / uri / "index.html").read_text(encoding="utf-8")


def title_element(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, flags=re.DOTALL)
    assert match, "no <title>"
    return html.unescape(match.group(1))


def with_macros(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("plugins:\n", "plugins:\n- search\n- macros\n"), "utf-8")


def test_macros_do_not_evaluate_titles_in_the_title_element_or_the_nav(tmp_path):
    config = make_site(
        tmp_path,
        {"section": SECTION, "playlists": [{"path": "data/mix.csv", "title": TITLE}]},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(40))},
    )
    with_macros(config)
    build(config)  # strict: a template error or a warning from any plugin fails here

    page = built(tmp_path, "playlists/mix")
    assert title_element(page) == f"{TITLE} - Test site"
    assert parse_page(page).h1 == [f"{TITLE}"]
    nav = {link.text for link in parse_page(page).nav_links}
    assert f"{TITLE}" in nav, nav
    overview = built(tmp_path, "playlists")
    assert title_element(overview) == f"{SECTION} - Test site"
    for text in (page, overview):
        # Not as a number of its own: "0.49" can be a silhouette.
        assert not re.search(
            r"(?<![\d.,])49(?![\d.,])", html.unescape(re.sub(r"<[^>]+>", "", text))
        )
        assert " yes" not in text
    assert "<b>x</b>" not in page  # the title is text, not markup


def test_a_control_character_in_a_file_name_does_not_break_the_front_matter(tmp_path):
    config = make_site(
        tmp_path,
        {"playlists": ["data/odd\x81name.csv"]},
        files={"data/odd\x81name.csv": exportify_csv(synthetic_tracks(40))},
    )
    build(config)
    page = built(tmp_path, "playlists/odd-name")
    assert title_element(page) == "Odd Name - Test site"
    assert "title:" not in page  # the front matter was read, not shown as text


def test_the_front_matter_title_is_valid_yaml_and_holds_no_template():
    no_tracks = pd.DataFrame(columns=TRACK_COLUMNS)
    page = render_page(PageModel(TITLE, 0, 0, problem="the file is empty"), no_tracks)
    head = page.markdown.split("---\n")[1]
    title = yaml.safe_load(head)["title"]
    assert html.unescape(title) == f"{TITLE}"
    assert not re.search(r"[{}%]", title)


@pytest.mark.parametrize("name", ["title", "section"])
@pytest.mark.parametrize("character", ["\x80", "\x00", "\x1b", "\x9f", "\ufffe"])
def test_a_control_character_in_a_title_option_is_a_configuration_error(name, character):
    value = f"Mix{character}"
    given = {name: value} if name == "section" else {"playlists": [{"path": __file__, name: value}]}
    config = PluginConfig()
    config.load_dict(given)
    errors, _ = config.validate()
    ((name_reported, error),) = errors
    assert name_reported == (name if name == "section" else "playlists")
    assert "expected a title without control characters" in str(error), error
    assert repr(value) in str(error)
    with pytest.raises(OptionError, match="expected a title without control characters"):
        read_options(given, None)  # generate's path: the same rule


def test_generate_refuses_a_control_character_in_a_title_with_one_line(tmp_path):
    site = mix_site(tmp_path, playlists=[{"path": "data/mix.csv", "title": "Mix\x80"}])
    result = generate(site)
    assert result.returncode == 2
    line = no_traceback_one_line(result)
    assert "option 'title': expected a title without control characters" in line, line
    assert not (site / "docs" / "playlists").exists()
