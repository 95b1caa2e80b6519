"""A site as real ones are: mkdocs-macros and the pymdownx extensions beside the plugin.

The playlist's names, genres, labels and artists are written to trip each of them: Jinja,
Critic marks, snippets, emoji, math, footnotes, attribute lists, HTML and Markdown. They must
reach the reader as the literal text they are, and no plugin may log an error.
"""

from __future__ import annotations

import html
import logging
import re

import pytest
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks

HOSTILE = (
    "{{ 7 * 7 }}",
    "{{ config.site_name }}",
    "{% if true %}x{% endif %}",
    "{--gone--}",
    "{++added++}",
    "--8<-- 'secret.txt'",
    ":smile:",
    "$x^2$",
    "[^1]",
    "{: .hostile }",
    "<script>window.pwned = 1</script>",
    "[link](javascript:alert(1))",
    "a | b",
    "`code`",
    "==mark== ^^caret^^ ~~tilde~~",
)
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "footnotes",
    {"toc": {"permalink": True}},
    "pymdownx.superfences",
    "pymdownx.critic",
    "pymdownx.arithmatex",
    {"pymdownx.emoji": {"emoji_index": "!!python/name:pymdownx.emoji.twemoji"}},
    {"pymdownx.snippets": {"base_path": ["."], "check_paths": False}},
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.tabbed",
    "pymdownx.details",
]


def hostile_rows(audio_features: bool) -> list[dict[str, str]]:
    """Rows whose names, and the genres, labels and artists that sentences quote, are all
    hostile; each value is shared by several tracks so that it is quoted."""
    rows = synthetic_tracks(36, seed=11)
    for i, row in enumerate(rows):
        text = HOSTILE[i % len(HOSTILE)]
        row["Track Name"] = text
        row["Album Name"] = HOSTILE[(i + 1) % len(HOSTILE)]
        row["Artist Name(s)"] = HOSTILE[i % 4]
        row["Genres"] = ",".join(HOSTILE[(i + k) % 6] for k in range(2))
        row["Record Label"] = HOSTILE[i % 5 + 5]
        row["Popularity"] = str(10 + i % 30)  # so that a "49" could only come from Jinja
        if not audio_features:
            for feature in ("Danceability", "Energy", "Speechiness", "Acousticness"):
                row[feature] = ""
            for feature in ("Instrumentalness", "Liveness", "Valence", "Tempo", "Loudness"):
                row[feature] = ""
            for feature in ("Key", "Mode", "Time Signature"):
                row[feature] = ""
    return rows


@pytest.mark.parametrize("audio_features", [True, False], ids=["audio", "metadata"])
def test_hostile_names_stay_text_with_macros_and_pymdownx(tmp_path, caplog, audio_features):
    (tmp_path / "secret.txt").write_text("SECRET FROM SNIPPETS", encoding="utf-8")
    config = make_site(
        tmp_path,
        {"playlists": [{"path": "data/mix.csv", "title": "Mix"}]},
        theme="mkdocs",
        files={"data/mix.csv": exportify_csv(hostile_rows(audio_features))},
    )
    text = config.read_text(encoding="utf-8")
    text = text.replace("plugins:\n", "plugins:\n- search\n- macros\n")
    text += "markdown_extensions:\n" + "".join(
        f"- {entry}\n" if isinstance(entry, str) else _yaml_entry(entry) for entry in EXTENSIONS
    )
    config.write_text(text, encoding="utf-8")
    caplog.set_level(logging.INFO)
    build(config)  # strict: any warning from any plugin fails here

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    page = (tmp_path / "site" / "playlists" / "mix" / "index.html").read_text(encoding="utf-8")
    article = page.split('role="main"', 1)[1].split("<footer", 1)[0]
    shown = html.unescape(re.sub(r"<[^>]+>", "", article))
    for literal in HOSTILE:
        assert literal in shown, literal
    assert "SECRET FROM SNIPPETS" not in page
    assert "Test site" not in article  # {{ config.site_name }} was not evaluated
    assert not re.search(r"(?<![\d.,])49(?![\d.,])", shown)  # nor {{ 7 * 7 }}
    for element in ("<del", "<ins", "<mark", "<sup", "<sub", "<script", "<math", 'class="hostile"'):
        assert element not in article, element
    assert 'class="twemoji' not in article and 'class="arithmatex' not in article
    assert "javascript:" not in re.sub(r">[^<]*<", "><", article)  # in text only, no attribute


def _yaml_entry(entry: dict[str, dict[str, object]]) -> str:
    ((name, options),) = entry.items()
    lines = [f"- {name}:\n"]
    for key, value in options.items():
        lines.append(f"    {key}: {value if not isinstance(value, bool) else str(value).lower()}\n")
    return "".join(lines)
