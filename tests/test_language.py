"""Pages in the site's language: complete catalogues, plural forms, numbers for the locale,
the language's resolution order, the user's wording, and a language switch that renders again
without grouping again."""

from __future__ import annotations

import csv
import io
import logging
import re
import string
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations
from matplotlib.text import Text

from mkdocs_playlist_clusters.building import command, pipeline
from mkdocs_playlist_clusters.building.option_rules import Context, OptionError, phrase_mapping
from mkdocs_playlist_clusters.language import (
    CATALOGUES,
    SUPPORTED,
    Language,
    language,
    resolve_language,
)
from mkdocs_playlist_clusters.presenting import figure_text, figures
from tests.built_html import parse_page
from tests.site_building import EXAMPLE_SITE, build, make_site
from tests.synthetic import exportify_csv, synthetic_tracks

PACKAGE = CATALOGUES.parent
TRANSLATED = [code for code in SUPPORTED if code != "en"]
KEYWORDS = {"tr": None, "tr_n": (1, 2), "N_": None, "N_n": (1, 2), "gettext": None}


def names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def links(text: str) -> list[str]:
    """The Markdown link targets of a message: a translation must keep them."""
    return re.findall(r"\]\(([^)]*)\)", text)


def source_messages() -> set[str | tuple[str, str]]:
    """Every message the package's source marks, as Babel's extractor finds it."""
    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(str(PACKAGE), keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def template() -> dict[str, object]:
    with (CATALOGUES / "messages.pot").open("rb") as file:
        catalog = read_po(file)
    return {(m.id if isinstance(m.id, str) else m.id[0]): m.id for m in catalog if m.id}


def test_the_template_lists_every_message_of_the_source():
    ids = template()
    source = source_messages()
    assert {m if isinstance(m, str) else m[0] for m in source} == set(ids), (
        "messages.pot is out of date: run the extract step of docs/pages/languages.md"
    )
    assert len(ids) > 150


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalogue_translates_every_message_keeping_its_placeholders(code):
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=code)
    compiled = Translations.load(str(CATALOGUES), [code], "messages")
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, (code, message.id)
        forms = [message.string] if isinstance(message.id, str) else list(message.string)
        english = message.id if isinstance(message.id, str) else message.id[1]
        assert len(forms) == (1 if isinstance(message.id, str) else catalog.num_plurals)
        for form in forms:
            assert form, f"{code}: {message.id!r} is not translated"
            # A counted form may leave out the number ("Sein typischster Titel:"), nothing else.
            assert names(form) <= names(english), (code, message.id, form)
            if isinstance(message.id, str):
                assert names(form) == names(english), (code, message.id, form)
            assert links(form) == links(english), (code, message.id, form)
        key = message.id if isinstance(message.id, str) else message.id[0]
        translated[key] = forms
        # The compiled catalogue is the one shipped: it must say the same.
        if isinstance(message.id, str):
            assert compiled.gettext(key) == forms[0], f"{code}: compile the catalogue again"
    assert set(translated) == set(template()), f"{code}: messages missing or left over"


def test_numbers_are_written_as_each_language_writes_them():
    assert Language("en").number(6427) == "6,427"
    assert Language("de").number(6427) == "6.427"
    assert Language("fr").number(6427) == "6\u202f427"
    assert Language("ja").number(6427) == "6,427"
    assert Language("en").decimal(0.69) == "0.69"
    assert Language("de").decimal(0.69) == "0,69"
    assert Language("fr").decimal(-7.25, 1) == "-7,2"  # rounded as Python rounds the float
    assert Language("en").percent(0.25) == "25%"
    assert Language("de").percent(0.25) == "25\xa0%"


def test_plural_forms_come_from_each_language():
    def tracks(code: str, count: int) -> str:
        return Language(code).tr_n("{count} track", "{count} tracks", count)

    assert [tracks("en", n) for n in (1, 2)] == ["1 track", "2 tracks"]
    assert [tracks("de", n) for n in (1, 2)] == ["1 Titel", "2 Titel"]
    assert [tracks("de", 1), Language("de").tr_n("{count} mix", "{count} mixes", 2)] == [
        "1 Titel",
        "2 Mixe",
    ]
    assert [tracks("ja", n) for n in (1, 5)] == ["1曲", "5曲"]  # one form
    assert [tracks("fr", n) for n in (0, 1, 2)] == ["0 titre", "1 titre", "2 titres"]
    # Polish: one, few (2-4, 22-24, ...), many (5-21, 25-31, ...).
    assert [tracks("pl", n) for n in (1, 3, 5, 12, 22, 25)] == [
        "1 utwór",
        "3 utwory",
        "5 utworów",
        "12 utworów",
        "22 utwory",
        "25 utworów",
    ]


def test_a_language_is_resolved_to_its_catalogue_or_english_with_a_notice():
    assert resolve_language(None, "pt-BR", "en") == ("pt", None)
    assert resolve_language("de_AT") == ("de", None)
    assert resolve_language(None, None, "ko") == ("ko", None)
    assert resolve_language(None, "", None) == ("en", None)
    code, notice = resolve_language("tlh", "de")
    assert code == "en"
    assert notice is not None and "'tlh'" in notice and "\n" not in notice


def test_strings_are_checked_against_the_phrases_the_plugin_writes():
    def check(value: dict[str, str]) -> dict[str, str]:
        return phrase_mapping(value, Context(None))

    assert check({"Plays for {duration}.": "Lasts {duration}."}) == {
        "Plays for {duration}.": "Lasts {duration}."
    }
    with pytest.raises(OptionError, match=re.escape("writes no phrase 'Clusters of {title}'")):
        check({"Clusters of {title}": "x"})
    with pytest.raises(OptionError, match=r"uses \{name\}"):
        check({"Plays for {duration}.": "Lasts {name}."})
    with pytest.raises(OptionError, match="Plays for"):
        check({"Plays for {duration}.": "Lasts {duration."})
    with pytest.raises(OptionError, match="expected a mapping"):
        check(["Plays for {duration}."])  # type: ignore[arg-type]


def test_strings_replace_a_phrase_in_any_language():
    words = language("de", (("{count} track", "{count} Stück"),))
    assert words.tr_n("{count} track", "{count} tracks", 1011) == "1.011 Stück"
    assert words.tr("Not grouped") == "Nicht gruppiert"


# --- Built sites -------------------------------------------------------------------------


def example_site(tmp_path: Path, theme: dict, **plugin: object) -> Path:
    """A copy of the example site's config with `theme` and plugin options, reading the
    example's data in place."""
    config = yaml.safe_load((EXAMPLE_SITE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"] = theme
    config["docs_dir"] = str(EXAMPLE_SITE / "docs")
    config["site_dir"] = str(tmp_path / "site")
    options = config["plugins"][1]["playlist-clusters"]
    for entry in options["playlists"]:
        entry["path"] = str(EXAMPLE_SITE / entry["path"])
    options.update({"cache": False, "state_file": False, **plugin})
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def page_of(tmp_path: Path, name: str = "demo-mixtape") -> str:
    return (tmp_path / "site" / "playlists" / name / "index.html").read_text(encoding="utf-8")


def test_a_german_site_gets_german_pages(tmp_path):
    build(example_site(tmp_path, {"name": "material", "language": "de"}))
    page = parse_page(page_of(tmp_path))
    assert page.h1 == ["Demo Mixtape"]
    assert page.h2[0].startswith("Familie 1: ")
    assert all(h.startswith("Mix ") for h in page.h3)
    intro = page.paragraphs[0][1]
    assert re.match(r"300 Titel, aufgeteilt in \d Familien ähnlichen Klangs", intro), intro
    assert "0,3" in page_of(tmp_path)  # decimals with a comma
    for english in ("Clusters in", "tracks", "What sets", "On its edge", "download:"):
        assert english not in " ".join(
            text for _, text in page.paragraphs + [("", h) for h in page.headings]
        )
    overview = parse_page((tmp_path / "site" / "playlists" / "index.html").read_text("utf-8"))
    assert any("Playlists, jede gruppiert" in text for _, text in overview.paragraphs)
    folder = tmp_path / "site" / "playlists" / "demo-mixtape"
    csv_text = (folder / "demo-mixtape-all-tracks.csv").read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(csv_text)))
    assert header[-3:] == ["Familie", "Mix", "Warum nicht gruppiert"]


def test_anchors_and_file_names_do_not_depend_on_the_language(tmp_path):
    build(example_site(tmp_path / "en", {"name": "mkdocs"}))
    build(example_site(tmp_path / "ko", {"name": "mkdocs"}, language="ko"))

    def ids_and_files(root: Path) -> tuple[list[str], list[str]]:
        page = page_of(root)
        files = sorted(str(p.relative_to(root / "site")) for p in (root / "site").rglob("*.*"))
        return re.findall(r'id="((?:family|mix)-\d+)"', page), [
            f for f in files if "playlists" in f
        ]

    assert ids_and_files(tmp_path / "en") == ids_and_files(tmp_path / "ko")
    assert "패밀리 1" in page_of(tmp_path / "ko")


def test_a_1011_track_playlist_shows_1_011_in_german(tmp_path):
    data = exportify_csv(synthetic_tracks(1011, seed=3))
    config = make_site(
        tmp_path,
        {"playlists": ["data/big.csv"], "language": "de"},
        files={"data/big.csv": data},
    )
    build(config)
    page = parse_page((tmp_path / "site" / "playlists" / "big" / "index.html").read_text("utf-8"))
    assert page.paragraphs[0][1].startswith("1.011 Titel, aufgeteilt in ")


def test_the_mkdocs_theme_locale_sets_the_language(tmp_path):
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["theme"] = {"name": "mkdocs", "locale": "fr"}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    build(config)
    page = parse_page((tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8"))
    assert page.h1 == ["Mix"]
    assert page.paragraphs[0][1].startswith("60 titres, répartis en ")


def test_an_unknown_language_falls_back_to_english_with_one_info_line(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "language": "tlh"},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )
    build(config)
    page = parse_page((tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8"))
    assert page.h1 == ["Mix"]
    lines = [r for r in caplog.records if "tlh" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO, caplog.text


def test_the_user_s_strings_replace_the_catalogue_s_words(tmp_path):
    config = make_site(
        tmp_path,
        {
            "playlists": ["data/mix.csv"],
            "language": "es",
            "strings": {"Plays for {duration}.": "Se escucha en {duration}."},
        },
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )
    build(config)
    page = parse_page((tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8"))
    assert page.h1 == ["Mix"]
    assert "Se escucha en" in " ".join(text for _, text in page.paragraphs)
    assert page.paragraphs[0][1].startswith("60 temas")


def test_a_language_switch_renders_again_without_grouping_again(tmp_path, monkeypatch):
    def site(code: str) -> Path:
        return make_site(
            tmp_path,
            {"playlists": ["data/mix.csv"], "cache": True, "language": code},
            files={"data/mix.csv": exportify_csv(synthetic_tracks(200, seed=5))},
        )

    build(site("de"))
    german = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8")

    def no_grouping(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tracks were grouped again for another language")

    monkeypatch.setattr(pipeline, "group_tracks", no_grouping)
    build(site("ja"))
    japanese = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8")
    assert "ミックス1" in japanese and "曲" in japanese and " Titel" in german
    # The same groups: the same anchors and sizes.
    sizes = re.compile(r'id="mix-(\d+)"')
    assert sizes.findall(japanese) == sizes.findall(german)
    # And back: German again, from the same groups.
    build(site("de"))
    again = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8")
    assert " Titel" in again and sizes.findall(again) == sizes.findall(german)


def japanese_export() -> str:
    """An export without audio features whose groups differ by Japanese labels and artists,
    so that the map's axis words are those names."""
    rows = []
    for i, (label, artist, genre, year, popularity) in enumerate(
        [("ソニー・ミュージック", "宇多田ヒカル", "j-pop", 2001, 50)] * 40
        + [("エイベックス", "浜崎あゆみ", "j-rock", 2001, 50)] * 40
        + [("ポニーキャニオン", "スピッツ", "j-rock", 2001, 50)] * 40
    ):
        rows.append(
            {
                "Track URI": f"spotify:track:{i:022d}",
                "Track Name": f"曲 {i + 1}",
                "Album Name": f"アルバム {i % 6}",
                "Artist Name(s)": artist,
                "Release Date": f"{year + i % 7}-01-01",
                "Duration (ms)": str(180_000 + 997 * (i % 11)),
                "Popularity": str(popularity + i % 13),
                "Explicit": "false",
                "Genres": genre,
                "Record Label": label,
            }
        )
    return exportify_csv(rows)


def test_a_japanese_build_shows_japanese_names_in_its_figures(tmp_path):
    config = make_site(
        tmp_path,
        {"playlists": ["data/j.csv"], "language": "ja"},
        files={"data/j.csv": japanese_export()},
    )
    build(config)
    folder = tmp_path / "site" / "playlists"
    page = (folder / "j" / "index.html").read_text("utf-8")
    assert "曲" in page and "ミックス" in page
    svg = (folder / "j-clusters.svg").read_text("utf-8")
    names = (
        "ソニー・ミュージック",
        "宇多田ヒカル",
        "エイベックス",
        "浜崎あゆみ",
        "ポニーキャニオン",
        "スピッツ",
    )
    ends = re.search(r"左から右へ「(.*?)」へと変わります", page)
    assert ends and any(name in ends.group(1) for name in names), page
    if figure_text.renderable("".join(names)):  # Noto CJK installed: glyphs drawn as paths
        assert "<text" not in svg
    else:  # else the browser draws them: every name of the axis ends is in the SVG's text
        texts = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
        assert any(name in texts for name in names if name in ends.group(1)), texts
        assert "主成分1" in texts and "曲）" in texts  # the axis name and the legend too


def test_generate_takes_a_language_flag_over_the_configuration(tmp_path, capsys):
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "language": "de"},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )
    assert command.main(["generate", "-f", str(config), "--language", "pt-BR"]) == 0
    page = (tmp_path / "docs" / "playlists" / "mix.md").read_text(encoding="utf-8")
    assert "# <bdi>Mix</bdi>" in page and "60 faixas" in page
    overview = (tmp_path / "docs" / "playlists" / "index.md").read_text(encoding="utf-8")
    assert "1 playlist, com as faixas agrupadas em famílias" in overview
    assert command.main(["generate", "-f", str(config), "--language", "xx"]) == 0
    assert "INFO: playlist-clusters: language 'xx' has no catalogue" in capsys.readouterr().err


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_language_s_build_carries_its_catalogue_s_words(tmp_path, code):
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "title": "Demo"}], "language": code},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(150, seed=2))},
    )
    build(config)
    words = language(code)
    text = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text("utf-8")
    page = parse_page(text)
    assert page.h1 == ["Demo"]
    assert page.paragraphs[0][1].startswith(words.tr_n("{count} track", "{count} tracks", 150))
    mix = words.tr("Mix {number}: {name}", number=1, name="")
    assert any(heading.startswith(mix) for heading in page.headings)
    assert words.tr("How these groups were made") in text
    # No English sentence left: the words English pages are made of are absent.
    visible = " ".join([*page.h1, *page.headings, *(p for _, p in page.paragraphs)])
    for english in ("Clusters in", " tracks", "What sets", "On its edge", "download:", "Mix 1:"):
        if english not in words.tr("Mix {number}: {name}", number=1, name=""):
            assert english not in visible, (code, english)


def test_a_png_keeps_the_language_only_where_the_installed_fonts_draw_it():
    japanese = language("ja")
    drawable = figure_text.renderable(japanese.tr("Family") + japanese.tr("centre of a mix"))
    assert figure_text.drawn_language(japanese).code == ("ja" if drawable else "en")
    assert figure_text.drawn_language(language("de")).code == "de"  # DejaVu draws German


def test_the_default_section_title_is_in_the_site_s_language_a_chosen_one_is_kept(tmp_path):
    files = {"data/mix.csv": exportify_csv(synthetic_tracks(60))}
    build(
        make_site(tmp_path / "ko", {"playlists": ["data/mix.csv"], "language": "ko"}, files=files)
    )
    overview = (tmp_path / "ko" / "site" / "playlists" / "index.html").read_text("utf-8")
    assert parse_page(overview).h1 == ["플레이리스트"]
    assert any(link.sections[:1] == ["플레이리스트"] for link in parse_page(overview).nav_links)
    options = {"playlists": ["data/mix.csv"], "language": "ko", "section": "My mixes"}
    build(make_site(tmp_path / "mine", options, files=files))
    overview = (tmp_path / "mine" / "site" / "playlists" / "index.html").read_text("utf-8")
    assert parse_page(overview).h1 == ["My mixes"]


def test_axis_words_are_listed_with_the_languages_comma(monkeypatch):
    # "Calmer, Quieter" in English; Japanese lists with "、" (the catalogue's ", "), on the
    # page and in the SVG figure alike. The figure's words are read from its texts, whatever
    # the installed fonts: with Noto CJK the SVG draws them as glyph paths (no words left in
    # it), without it as SVG text for the browser to draw (see README). (The PNG has no
    # browser: without Noto CJK its words stay English.)
    figures_drawn = []
    scatter_figure = figures.scatter_figure

    def recorded(*args, **kwargs):
        figure = scatter_figure(*args, **kwargs)
        if kwargs.get("vector"):
            figures_drawn.append(figure)
        return figure

    monkeypatch.setattr(figures, "scatter_figure", recorded)
    data = exportify_csv(synthetic_tracks(90, seed=5)).encode()
    pages = {}
    for code in ("en", "ja"):
        options = pipeline.PlaylistOptions(title="Mix", slug="mix", language=code)
        figures_drawn.clear()
        result = pipeline.build_playlist(data, options)
        pages[code] = result.files["mix.md"].decode()
    texts = [text.get_text() for figure in figures_drawn for text in figure.findobj(Text)]
    end = re.compile(r"(?:← |↑ |↓ ).+|.+ →")
    ends = {text for text in texts if end.fullmatch(text)}
    assert len(ends) == 4 and all("、" in end and ", " not in end for end in ends), ends
    svg = result.files["mix-clusters.svg"].decode()
    as_text = set(re.findall(r">((?:← |↑ |↓ )[^<]*|[^<>]* →)<", svg))
    assert as_text == (set() if figure_text.renderable("".join(ends)) else ends)
    english = re.search(r"Left to right runs from (.+?) to ", pages["en"])
    assert english and ", " in english.group(1)
    japanese = re.search(r"左から右へ「(.+?)」から", pages["ja"])
    assert japanese and "、" in japanese.group(1) and ", " not in japanese.group(1)
