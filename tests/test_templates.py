"""Templates users override: from the `templates` option or the theme's custom_dir, part of
the cache key, data escaped whatever the template does with it; real builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from built_html import parse_page
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.presenting.templating import (
    PACKAGE_TEMPLATES,
    render,
    templates_digest,
)

HOSTILE = "<script>alert(1)</script> | *x* {{ 7*7 }}"


def playlist_rows() -> list[dict[str, str]]:
    rows = synthetic_tracks(60, seed=3)
    rows[0]["Artist Name(s)"] = HOSTILE  # a name the cards may print
    for row in rows[:20]:
        row["Artist Name(s)"] = HOSTILE
    return rows


def overridden(folder: Path, marker: str) -> Path:
    """A copy of the package's cards template with a marker before each card's name."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PACKAGE_TEMPLATES / "cards.html").read_text(encoding="utf-8")
    text = text.replace("<strong>", f'<em class="{marker}">{{{{ card.name }}}}</em><strong>')
    (folder / "cards.html").write_text(text, encoding="utf-8")
    return folder


def page_of(tmp_path: Path) -> str:
    return (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["option", "custom_dir"])
def test_an_override_changes_the_page_and_keeps_data_text(tmp_path, where):
    plugin: dict[str, object] = {"playlists": ["data/mix.csv"]}
    if where == "option":
        overridden(tmp_path / "my-templates", "mine")
        plugin["templates"] = "my-templates"
    else:
        overridden(tmp_path / "overrides" / "playlist-clusters", "mine")
    config = make_site(tmp_path, plugin, files={"data/mix.csv": exportify_csv(playlist_rows())})
    if where == "custom_dir":
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["theme"]["custom_dir"] = "overrides"
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    build(config)  # strict: the page is valid for MkDocs
    text = page_of(tmp_path)
    assert text.count('<em class="mine">') >= 2
    # The override prints a name as it likes: it is still text.
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert parse_page(text).h1 == ["Mix"]


def test_editing_an_override_renders_the_page_again(tmp_path):
    folder = overridden(tmp_path / "my-templates", "first")
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "templates": "my-templates", "cache": True},
        files={"data/mix.csv": exportify_csv(playlist_rows())},
    )
    build(config)
    assert 'class="first"' in page_of(tmp_path)
    overridden(folder, "second")
    build(config)
    assert 'class="second"' in page_of(tmp_path) and 'class="first"' not in page_of(tmp_path)


def test_a_missing_templates_folder_is_a_one_line_error(tmp_path):
    from mkdocs.exceptions import Abort, ConfigurationError

    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "templates": "nowhere"},
        files={"data/mix.csv": exportify_csv(playlist_rows())},
    )
    with pytest.raises((Abort, ConfigurationError, SystemExit)):
        build(config)


def test_the_digest_follows_the_override_and_ignores_other_files(tmp_path):
    assert templates_digest(()) == ""
    folder = overridden(tmp_path / "t", "a")
    first = templates_digest((str(folder),))
    (folder / "notes.txt").write_text("not a template", encoding="utf-8")
    assert templates_digest((str(folder),)) == first
    overridden(folder, "b")
    assert templates_digest((str(folder),)) != first


def test_values_are_escaped_unless_the_plugin_made_them():
    from markupsafe import Markup

    card = {
        "href": Markup("#mix-1"),
        "number": 1,
        "name": HOSTILE,
        "facts": ["a | b"],
        "covers": (),
        "colour": "#0071B1",
    }
    out = str(render("cards.html", (), cards=[card], heading=None))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&#124;" in out  # Markdown's table pipe, inert
    assert 'href="#mix-1"' in out
