"""The catalogues read as a native reader writes: counters that work for any number, no stray
spaces or brackets of the wrong width in Japanese and Korean, and a first sentence with one
parenthetical remark, not two in a row, in every language."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from mkdocs_playlist_clusters.building import pipeline
from mkdocs_playlist_clusters.language import CATALOGUES, SUPPORTED, language
from mkdocs_playlist_clusters.playlist import PlaylistOptions
from tests.synthetic import exportify_csv, synthetic_tracks

JAPANESE = "\u3040-\u30ff\u4e00-\u9fff\u3005"  # kana, kanji and 々
PARTICLES = "のはがをにでとへもや"


def translations(code: str) -> list[tuple[str, str]]:
    """(message id, translation) of every form of every message of a catalogue."""
    with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=code)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        forms = [message.string] if isinstance(message.id, str) else list(message.string or ())
        pairs += [(str(key), str(form)) for form in forms]
    return pairs


def filled(text: str, word: str) -> str:
    """A translation with every placeholder filled with `word`, as a page shows it."""
    parts = string.Formatter().parse(text.replace("{{", "(").replace("}}", ")"))
    return "".join(literal + (word if name is not None else "") for literal, name, _, _ in parts)


# --- Counting --------------------------------------------------------------------------------


def test_japanese_counts_17_mixes_and_families_with_a_counter_for_any_number() -> None:
    words = language("ja")
    mixes = words.tr_n("{count} mix", "{count} mixes", 17)
    families = words.tr_n("{count} family", "{count} families", 17)
    # つ counts one to nine only ("17つ" is no Japanese); 個 counts any number.
    for phrase, noun in ((mixes, "ミックス"), (families, "ファミリー")):
        assert "つ" not in phrase and noun in phrase, phrase
        assert re.search(r"(?<![\d,])17\s?個", phrase), phrase
    assert words.tr_n("{count} track", "{count} tracks", 17) == "17曲"


def test_no_japanese_message_counts_with_tsu_after_a_number() -> None:
    wrong = [
        (key, text)
        for key, text in translations("ja")
        if re.search(r"(\}|\d)\s?つ", text)  # "{count} つのミックス", "3つ"
    ]
    assert not wrong, wrong


def test_korean_counts_mixes_families_and_tracks_with_their_counters() -> None:
    words = language("ko")
    assert words.tr_n("{count} mix", "{count} mixes", 17) == "믹스 17개"
    assert words.tr_n("{count} family", "{count} families", 17) == "패밀리 17개"
    assert words.tr_n("{count} track", "{count} tracks", 17) == "17곡"


def test_korean_messages_use_half_width_brackets_and_no_particle_hedges() -> None:
    for key, text in translations("ko"):
        # Korean writes ( ) around any text; full-width brackets are Chinese and Japanese.
        assert not re.search("[（）［］：；]", text), (key, text)
        # "(으)로", "을(를)": the hedges of a machine, not of a writer; a writer picks a
        # wording that needs no particle after a word it cannot see.
        assert not re.search(r"\((으|을|를|이|가|은|는|과|와)\)", text), (key, text)
        # A counter follows its number without a space: "17곡", "3개".
        assert not re.search(r"\} (곡|개|행|자|배)", text), (key, text)


# --- Japanese spacing and brackets ----------------------------------------------------------


@pytest.mark.parametrize("word", ["曲", "Mix"])
def test_japanese_messages_put_no_space_beside_japanese_words(word: str) -> None:
    """No space between a Japanese word and a particle ("インスト度 の平均"), nor between
    Japanese and Latin or digits (the catalogue's style: "60曲", "Spotifyのリンク"), whatever a
    placeholder holds: a Japanese word or a Latin one."""
    spaces = (
        f"[{JAPANESE}] [{PARTICLES}]",  # "インスト度 の平均"
        f"[{JAPANESE}ー] [{JAPANESE}A-Za-z0-9]",  # "曲 を", "ミックス 17"
        f"[A-Za-z0-9] [{JAPANESE}]",  # "17 曲", "Mix のグループ"
    )
    shown = [(key, filled(text, word)) for key, text in translations("ja")]
    wrong = [(key, text) for key, text in shown if any(re.search(s, text) for s in spaces)]
    assert not wrong, wrong


def test_japanese_messages_use_full_width_brackets_and_colons_beside_japanese() -> None:
    wrong = []
    for key, text in translations("ja"):
        prose = re.sub(r"\]\([^)]*\)", "]", text)  # a Markdown link's target is no bracket
        if re.search(f"[{JAPANESE}ー][(:]|\\)[{JAPANESE}]", prose):
            wrong.append((key, text))
    assert not wrong, wrong


# --- The first sentence ----------------------------------------------------------------------


def remarks_export() -> bytes:
    """An export whose first sentence has every remark: a duplicate row, a recording listed
    again under another id, and a track without audio features."""
    rows = synthetic_tracks(90, seed=4)
    rows[1]["Energy"] = ""  # cannot be grouped
    again = dict(rows[4], **{"Track URI": "spotify:track:" + "7" * 22})
    return exportify_csv([*rows, rows[0], again]).encode()


def first_paragraph(markdown: str) -> str:
    lines = markdown.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    return next(line for line in lines[title + 1 :] if line.strip())


@pytest.fixture(scope="module")
def first_paragraphs() -> dict[str, str]:
    """The first paragraph of one playlist's page in every language (grouped once)."""
    data = remarks_export()
    english = pipeline.build_playlist(data, PlaylistOptions(title="Demo", slug="mix"))
    paragraphs = {}
    for code in SUPPORTED:
        options = PlaylistOptions(title="Demo", slug="mix", language=code)
        result = pipeline.build_playlist(data, options, grouping=english.grouping)
        paragraphs[code] = first_paragraph(result.files["mix.md"].decode())
    return paragraphs


@pytest.mark.parametrize("code", SUPPORTED)
def test_the_first_sentence_has_no_two_parenthetical_remarks_in_a_row(
    first_paragraphs: dict[str, str], code: str
) -> None:
    paragraph = first_paragraphs[code]
    words = language(code)
    # 92 rows: one a duplicate, one the same recording as another under a new id, one
    # without audio features.
    remarks = [
        words.tr_n("{count} of them can be grouped", "{count} of them can be grouped", 89),
        words.tr_n("{count} duplicate row counted once", "{count} duplicate rows counted once", 1),
        words.tr_n(
            "{count} recording listed again under another Spotify id shown once, every id kept "
            "in the downloads",
            "{count} recordings listed again under another Spotify id shown once, every id kept "
            "in the downloads",
            1,
        ),
    ]
    # Never "(...) (...)" nor "(...)(...)" ...
    assert not re.search(r"[)）]\s*[(（]", paragraph), (code, paragraph)
    # ... but every remark in one pair of brackets, with none nested inside.
    groups = re.findall(r"[(（]([^()（）]*)[)）]", paragraph)
    assert any(all(remark in group for remark in remarks) for group in groups), (code, paragraph)
    if code == "ja":  # full-width brackets only: no half-width one inside or beside them
        assert "(" not in paragraph and ")" not in paragraph, paragraph
