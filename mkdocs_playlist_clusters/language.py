"""The words the plugin writes, in the site's language: gettext catalogues read with Babel
(`locale/<language>/LC_MESSAGES/messages.mo`), plural forms from the catalogue, numbers
formatted for the language by Babel, and the user's own wording (`strings:`) on top.

Messages are English sentences with named `{placeholders}` filled after translation, so a
translation may put them in any order. Only words from the plugin's own tables are translated:
data (a genre, a label, a track name) never goes through a catalogue.

Light on purpose (Babel only): the overview is rendered on every build, also on a cache hit.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Union

from babel import Locale
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

CATALOGUES = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
# The one list of languages: English and every compiled catalogue in locale/ (a new language
# is its catalogue; tests/test_language.py checks each is complete). The options, their schema,
# the docs and .ci/check_wheel.sh take the languages from here or from that folder.
SUPPORTED: tuple[str, ...] = (
    DEFAULT,
    *sorted(path.parts[-3] for path in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")),
)


def N_(message: str) -> str:
    """Marks a word in a table for the catalogue; translated where it is used."""
    return message


def N_n(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted phrase for the catalogue (a `Note`'s); said where it is used."""
    return singular, plural


def placeholders(message: str) -> set[str]:
    """The `{names}` a message is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def resolve_language(*candidates: str | None) -> tuple[str, str | None]:
    """The first language given, as a supported catalogue's code ("pt-BR" -> "pt", "de_AT" ->
    "de"), and a notice naming it when it is not supported (English is used)."""
    wanted = next((c.strip() for c in candidates if c and c.strip()), DEFAULT)
    code = re.split(r"[-_@.]", wanted, maxsplit=1)[0].lower()
    if code in SUPPORTED:
        return code, None
    shipped = ", ".join(SUPPORTED)
    return DEFAULT, (
        f"language {wanted!r} has no catalogue, so the pages are in English; "
        f"supported: {shipped} (or replace any phrase with strings:)"
    )


@functools.cache
def _catalogue(code: str) -> NullTranslations:
    if code == DEFAULT:
        return NullTranslations()  # the messages are English
    return Translations.load(str(CATALOGUES), [code], DOMAIN)


class Language:
    """Translation and number formatting for one language, with the user's overrides."""

    def __init__(self, code: str = DEFAULT, strings: Mapping[str, str] | None = None) -> None:
        self.code = code if code in SUPPORTED else DEFAULT
        self.locale = Locale.parse(self.code)
        self._catalogue = _catalogue(self.code)
        self._strings = dict(strings or {})

    def gettext(self, message: str) -> str:
        """`message` in this language (the user's `strings:` first)."""
        if message in self._strings:
            return self._strings[message]
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        """The form of a counted message for `number`, by the language's plural rules; an
        override of the singular message id replaces every form."""
        if singular in self._strings:
            return self._strings[singular]
        return self._catalogue.ngettext(singular, plural, number)

    def tr(self, message: str, **values: object) -> str:
        """`message` translated and filled with `values`."""
        return self.gettext(message).format(**values)

    def tr_n(self, singular: str, plural: str, number: int, **values: object) -> str:
        """A counted message ("{count} track" / "{count} tracks"), translated, with the
        number formatted for the language as `{count}`."""
        return self.ngettext(singular, plural, number).format(count=self.number(number), **values)

    def number(self, value: float) -> str:
        """A whole number with the language's grouping: 6,427 / 6.427 / 6 427."""
        return self._formatted(str(round(value)), "")

    def decimal(self, value: float, digits: int = 2) -> str:
        """A decimal with the language's separator: 0.69 / 0,69. Rounded as Python rounds
        the float (Babel would round its decimal text half to even), so English stays as it
        was."""
        return self._formatted(f"{value:.{digits}f}", "0." + "0" * digits)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (a Language lives as long as its pages)
    def _formatted(self, number: str, pattern: str) -> str:
        # A large page writes thousands of numbers, mostly the same few hundred: Babel parses
        # its pattern again for each.
        return format_decimal(Decimal(number), format=pattern or None, locale=self.locale)

    def percent(self, share: float) -> str:
        """A share as a whole percentage, written as the language writes it: 25% / 25 %."""
        rounded = Decimal(f"{share * 100:.0f}") / 100
        return format_percent(rounded, locale=self.locale)

    def note(self, text: str) -> str:
        """A sentence about the data in this language: a `Note` from its message, other text
        (a note from before notes were translated) as it is."""
        if not isinstance(text, Note):
            return text
        return self.say(text.message, text.plural, text.number, text.values)

    def say(
        self,
        message: str,
        plural: str = "",
        count: int | None = None,
        values: Mapping[str, NoteValue] | None = None,
    ) -> str:
        """A note's message filled with its values, said in this language (see `Note`)."""
        filled: dict[str, object] = {}
        for name, value in (values or {}).items():
            if isinstance(value, Note):
                filled[name] = self.note(value)
            elif isinstance(value, int):
                filled[name] = self.number(value)
            elif isinstance(value, str):
                filled[name] = value
            else:
                filled[name] = self.gettext("; ").join(self.note(item) for item in value)
        if plural and count is not None:
            return self.tr_n(message, plural, count, **filled)
        if count is not None:  # a number that takes no plural form here ("of {count} fields")
            filled["count"] = self.number(count)
        return self.tr(message, **filled)

    def join(self, words: list[str]) -> str:
        """Words in a list, with the language's comma ("A, B" / "A、B")."""
        return self.gettext(", ").join(words)


# A site's languages, each with the user's wording: a few at a time. Bounded because `mkdocs
# serve` makes a new one at every edit of `strings:`, for as long as it runs.
@functools.lru_cache(maxsize=32)
def language(code: str = DEFAULT, strings: tuple[tuple[str, str], ...] = ()) -> Language:
    """The `Language` of a code and the user's overrides (as `PlaylistOptions` holds them)."""
    return Language(code, dict(strings))


ENGLISH = language()


# A value filling a note: a whole number (written as the page's language writes numbers), a
# text kept as it is (a line number, a column name), or notes said in the language too.
NoteValue = Union[int, str, "Note", Sequence["Note"]]


class Note(str):
    """A sentence about the data, shown on the page and written to the build log: the string
    is its English text (the log's); `Language.note` says it in the page's language from its
    message, a phrase in the catalogue (marked with `N_` where written), and its values. A
    counted note's message is its singular and plural forms (marked with `N_n`), said for
    `count`, which fills `{count}`."""

    message: str
    plural: str
    number: int | None  # the count (`count` is str's)
    values: dict[str, NoteValue]

    def __new__(
        cls, message: str | tuple[str, str], count: int | None = None, **values: NoteValue
    ) -> Note:
        singular, plural = (message, "") if isinstance(message, str) else message
        note = super().__new__(cls, ENGLISH.say(singular, plural, count, values))
        note.message, note.plural, note.number, note.values = singular, plural, count, values
        return note


@functools.cache
def message_ids() -> frozenset[str]:
    """Every phrase the plugin writes (singular forms of counted ones), from the template."""
    from babel.messages.pofile import read_po  # only for a site with `strings:`

    with (CATALOGUES / f"{DOMAIN}.pot").open("rb") as file:
        template = read_po(file)
    ids = (message.id for message in template if message.id)
    return frozenset(str(i[0]) if isinstance(i, tuple | list) else str(i) for i in ids)


def check_strings(strings: Mapping[str, str]) -> list[str]:
    """What is wrong with a `strings:` mapping, one line each: a phrase the plugin never
    writes, a placeholder its phrase does not fill or one with a format (`{count:,}` would
    stop the page, `{title:>300000000}` exhaust memory), a link that leaves for anything but
    an https address or an anchor on the page, or a script. Empty when fine."""
    problems = []
    for message, text in sorted(strings.items()):
        if message not in message_ids():
            problems.append(
                f"strings: the plugin writes no phrase {message!r}; copy the English phrase "
                f"exactly as it is in mkdocs_playlist_clusters/locale/{DOMAIN}.pot"
            )
            continue
        problem = placeholder_problem(message, text) or link_problem(message, text)
        if problem:
            problems.append(f"strings: the text for {message!r} {problem}")
    return problems


def placeholder_problem(message: str, text: str) -> str | None:
    """How `text` fills its placeholders wrongly for `message`: a lone brace, a format or
    conversion (`{count:,}`, `{title!r}`), or a name `message` does not fill."""
    usable = ", ".join(f"{{{name}}}" for name in sorted(placeholders(message)))
    try:
        fields = [field for field in string.Formatter().parse(text) if field[1] is not None]
    except ValueError as error:  # a lone brace
        return f"cannot be read: {error}; write {{{{ for {{"
    for _, name, spec, conversion in fields:
        if spec or conversion:
            written = "{" + str(name) + (f"!{conversion}" if conversion else "")
            written += f":{spec}}}" if spec else "}"
            return (
                f"writes {written!r}: a placeholder takes no format or conversion (the plugin "
                f"formats its values); use only {usable or 'no placeholders'}"
            )
    unknown = {str(name) for _, name, _, _ in fields} - placeholders(message)
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in sorted(unknown))
        return (
            f"uses {names}, which that phrase does not fill; use only {usable or 'no placeholders'}"
        )
    return None


# Where a text in `strings:` can link to: a Markdown link or image, a reference definition, an
# autolink, or an attribute that takes a URL in an HTML tag or an attribute list (`{: ...}`).
_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^\s)>]*)"),
    re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]*)", re.MULTILINE),
    re.compile(r"<([A-Za-z][\w+.-]*:[^\s<>]*)>"),
)
_TAGS = re.compile(r"<[A-Za-z/!][^>]*|\{[^}]*\}")  # HTML tags and attribute lists
_URL_ATTRIBUTE = re.compile(
    r"(?<![\w-])(?:[\w-]+:)?(?:href|src|srcset|action|formaction|poster|data|background|cite)"
    r"\s*=\s*(?:\"([^\"]*)|'([^']*)|([^\s>}]*))",
    re.IGNORECASE,
)
# A script, or an attribute that runs one.
_SCRIPT_TAG = re.compile(r"<\s*script", re.IGNORECASE)
_HANDLER = re.compile(r"(?<![\w-])on\w+\s*=", re.IGNORECASE)


def link_targets(text: str) -> list[str]:
    """Every link target `text` writes, as written."""
    tags = [tag.group() for tag in _TAGS.finditer(text)]
    matches = [match for pattern in _LINK_TARGETS for match in pattern.finditer(text)]
    matches += [match for tag in tags for match in _URL_ATTRIBUTE.finditer(tag)]
    return [next(group for group in match.groups() if group is not None) for match in matches]


def holds_script(text: str) -> bool:
    """Whether `text` has a <script> or an on...= attribute in a tag or attribute list."""
    tags = (tag.group() for tag in _TAGS.finditer(text))
    return bool(_SCRIPT_TAG.search(text)) or any(_HANDLER.search(tag) for tag in tags)


def link_problem(message: str, text: str) -> str | None:
    """A link of `text` that goes elsewhere than an https address, an anchor on the page or
    one of `message`'s own targets (`{url}`: a file the plugin writes), or a script."""
    if holds_script(text):
        return (
            "holds a script (<script> or an on...= attribute); it may hold words, formatting "
            "and links only"
        )
    own = set(link_targets(message))
    for target in link_targets(text):
        address = target.strip()
        if address in own or address.lower().startswith(("https://", "#")):
            continue
        return (
            f"links to {address[:80]!r}: a link may go to an https:// address or an anchor on "
            f"the page (#...) only"
        )
    return None


__all__ = [
    "DEFAULT",
    "ENGLISH",
    "N_",
    "SUPPORTED",
    "Language",
    "N_n",
    "check_strings",
    "language",
    "message_ids",
    "placeholders",
    "resolve_language",
]
