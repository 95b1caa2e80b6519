"""The figures' words: fonts with a fallback for every script the catalogues and the
data hold, text the browser draws in an SVG, halos, and words shortened to fit."""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from ..language import ENGLISH, Language
from .figure_style import HALO, HALO_GID, TEXT_COLOUR


@contextmanager
def plain_text() -> Iterator[None]:
    """Text from data ("$uicideboy$", "A$AP Rocky") is drawn as written, never as mathtext,
    each glyph from the first installed font of `FONT_FALLBACK` that has it."""
    text = rc_context({"text.parse_math": False, "font.family": list(font_families())})
    with text, quiet_missing_glyphs():
        yield


@contextmanager
def quiet_missing_glyphs() -> Iterator[None]:
    """No warning per glyph the fonts lack: such text is measured here and drawn by the browser
    (see `browser_text`), or left out of the PNG (`end_words`, `drawn_language`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Glyph \d+ .*missing from font", UserWarning)
        yield


# Fonts a glyph is taken from, in order (matplotlib's font fallback): DejaVu Sans, matplotlib's
# own, for Latin, Greek and Cyrillic; then Noto CJK, where installed (Debian's fonts-noto-cjk),
# for kana, kanji, hanzi and Hangul.
FONT_FALLBACK: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
)


@functools.cache
def font_families() -> tuple[str, ...]:
    """The installed fonts of `FONT_FALLBACK`: naming one that is missing would make
    matplotlib warn on every text."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return tuple(name for name in FONT_FALLBACK if name in installed) or ("sans-serif",)


def drawn_language(language: Language) -> Language:
    """`language` if the installed fonts draw its figure words, else English: a PNG has no
    browser to draw them (Japanese without Noto CJK would be empty boxes)."""
    sample = [
        language.tr("Family"),
        language.tr("Mix"),
        language.tr("centre of a mix"),
        language.tr_n("{count} track", "{count} tracks", 2),
    ]
    return language if all(renderable(text) for text in sample) else ENGLISH


def browser_text(figure: Figure) -> AbstractContextManager[None]:
    """For an SVG with a text the installed fonts cannot draw (Japanese without Noto CJK):
    its text as SVG text, which the browser draws with its own fonts; else no change (glyphs as
    paths, see `svg_settings`)."""
    texts = [text.get_text() for text in figure.findobj(Text)]
    if all(renderable(text) for text in texts):
        return nullcontext()
    return _browser_text()


@contextmanager
def _browser_text() -> Iterator[None]:
    with rc_context({"svg.fonttype": "none"}), quiet_missing_glyphs():
        yield


def with_halos(figure: Figure, *, path_effects: bool = True, skip: Sequence[Text] = ()) -> None:
    """Dark text with a white halo on every text but the badges' (white on their own disc) and
    `skip` (the profile's values, on their cell's colour). An SVG draws its halos itself."""
    texts = [
        text
        for text in figure.findobj(Text)
        if text.get_bbox_patch() is None and all(text is not other for other in skip)
    ]
    for index, text in enumerate(texts):
        text.set_color(TEXT_COLOUR)
        text.set_gid(f"{HALO_GID}-{index + 1}")
        if path_effects:
            text.set_path_effects(list(HALO))


def end_words(words: str, every_word: bool = False, comma: str = ", ") -> str:
    """At most two of an axis end's words (", "-separated), each cut to fit, in glyphs the
    fonts have (any, with `every_word`: an SVG's text drawn by the browser), joined with the
    language's `comma` ("、" in Japanese)."""
    kept = []
    for word in words.split(", ")[:2]:
        if not word or not (every_word or renderable(word)):
            continue
        kept.append(word if len(word) <= 22 else word[:21] + "…")
    return comma.join(kept)


def renderable(text: str) -> bool:
    """Whether the installed fonts of `FONT_FALLBACK` draw every character (DejaVu Sans alone
    lacks Hangul, kana, ...); line breaks are no glyphs. Never right-to-left text (Arabic,
    Hebrew): matplotlib neither joins its letters nor orders it right to left, so the browser
    draws it (the SVG) or the words stay English (the PNG)."""
    return all(ord(ch) in _charmap() and not _RIGHT_TO_LEFT.match(ch) for ch in text if ch != "\n")


# Hebrew, Arabic, Syriac, Thaana, NKo and the presentation forms of Hebrew and Arabic.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u07ff\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@functools.cache
def _charmap() -> frozenset[int]:
    characters: set[int] = set()
    for family in font_families():
        path = font_manager.findfont(font_manager.FontProperties(family=family))
        characters.update(FT2Font(path).get_charmap())
    return frozenset(characters)


def narrow_minus(figure: Figure, axes: Axes, values: Sequence[Text]) -> None:
    """Hyphens for minus signs when a true minus makes a value wider than its cell (ten
    clusters beside long feature names)."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw_without_rendering()  # constrained layout sets the cells' final size
    cell = axes.transData.transform((0.92, 0)) - axes.transData.transform((0, 0))
    if any(text.get_window_extent(renderer).width > 0.9 * cell[0] for text in values):
        for text in values:
            text.set_text(text.get_text().replace("−", "-"))
