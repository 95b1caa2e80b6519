"""Text and URLs from data files made safe for where they land (Markdown, HTML content and
attributes, Jinja templates). Light to import: the overview page uses it on a cache hit."""

from __future__ import annotations

import html
import re

# Characters that start inline Markdown syntax in Python-Markdown or a common extension
# (emphasis, code, links, attribute lists, emoji, math, mark/caret/tilde, Critic, Jinja in
# mkdocs-macros) become numeric entities, which Markdown and Jinja leave alone and browsers
# show as the character.
_MARKDOWN_SPECIAL = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]|~:$^=@%"})
_SAFE_URLS = (
    re.compile(r"^https://open\.spotify\.com/(track|artist|album|episode)/[0-9A-Za-z]{22}$"),
    re.compile(r"^https://(i|mosaic)\.scdn\.co/image/[0-9a-f]{20,64}$"),
    re.compile(r"^https://image-cdn-[a-z0-9-]+\.spotifycdn\.com/image/[0-9a-f]{20,64}$"),
)


def escape_text(value: object) -> str:
    """Data text on one line, safe as HTML content, a quoted attribute or Markdown text."""
    return html.escape(" ".join(str(value).split()), quote=True).translate(_MARKDOWN_SPECIAL)


def isolated(value: object) -> str:
    """Data text as `escape_text` makes it, in a `<bdi>` element: for HTML content and Markdown
    text (not attributes). The browser lays it out apart from the words around it, so that a
    right-to-left name or a bidirectional control in it (an unclosed U+202E) cannot reorder
    or reverse the plugin's words after it."""
    return bdi(escape_text(value))


def bdi(markup: str) -> str:
    """Escaped text or HTML in a `<bdi>` element (see `isolated`)."""
    return f"<bdi>{markup}</bdi>"


def safe_url(url: object) -> str | None:
    """The URL when it has the exact shape of a Spotify page or Spotify image, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if any(pattern.match(url) for pattern in _SAFE_URLS) else None


def is_relative_name(name: object) -> bool:
    """Whether `name` is a plain relative path ("disco/disco-mix-7.csv") that, joined to a folder,
    names something inside it: no "..", "." or empty part, no leading "/", backslash, drive
    colon or control character. For names read from a manifest, which anyone may edit."""
    return (
        isinstance(name, str)
        and bool(name)
        and not any(ch in name for ch in "\\:")
        and name.isprintable()
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def log_line(text: object) -> str:
    """`text` as one line of a build log: newlines and other control or separator characters
    become Python escapes (`\\n`, `\\x1b`, `\\u2028`), so that text from a data file cannot
    forge log lines (a fake "INFO - Documentation built", a CI `::error::` command)."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(text)
    )
