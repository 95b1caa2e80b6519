"""A file's bytes as text, and its cells made printable: encodings guessed, bytes that are
not UTF-8 replaced and noted, control characters dropped, bidirectional controls closed."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

from ..errors import PlaylistDataError
from ..language import N_, N_n, Note

# Control characters in a cell are dropped (line breaks become spaces): no page, CSV or M3U8
# line downstream may carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_LINE_BREAK = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]")
# Bytes that are not UTF-8, as `surrogateescape` decodes them.
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
# Half of a UTF-16 pair, as a JSON escape can write it ("\ud83d": an emoji cut off); no text
# can be written out with one.
SURROGATE = re.compile("[\ud800-\udfff]")


def printable(cell: str) -> str:
    """The text without control characters; line breaks and TABs become spaces, a lone
    surrogate U+FFFD, and a bidirectional embedding, override or isolate left open is closed
    at its end (see `closed_bidi`)."""
    if cell.isprintable():
        return cell
    return closed_bidi(SURROGATE.sub("\ufffd", _LINE_BREAK.sub(" ", _CONTROL.sub("", cell))))


# Bidirectional controls that open a level (embeddings and overrides, closed by U+202C PDF;
# isolates, closed by U+2069 PDI).
_PDF, _PDI = "\u202c", "\u2069"
_BIDI_OPENERS = {
    **dict.fromkeys("\u202a\u202b\u202d\u202e", _PDF),
    **dict.fromkeys("\u2066\u2067\u2068", _PDI),
}


def closed_bidi(text: str) -> str:
    """`text` with the levels it opens and leaves open closed at its end: an unclosed U+202E in
    a track's name would otherwise reverse whatever follows it on the line, in every text the
    name lands in (a page, an SVG tooltip, an M3U8 line)."""
    if not any(ch in _BIDI_OPENERS for ch in text):
        return text
    open_levels: list[str] = []
    for ch in text:
        if ch in _BIDI_OPENERS:
            open_levels.append(_BIDI_OPENERS[ch])
        elif ch == _PDF and open_levels[-1:] == [_PDF]:
            open_levels.pop()
        elif ch == _PDI and _PDI in open_levels:  # closes the embeddings inside its isolate too
            while open_levels.pop() != _PDI:
                pass
    return text + "".join(reversed(open_levels))


def cell_text(value: object) -> str:
    """A JSON or Parquet value as the text a CSV cell would hold; lists as JSON arrays, which
    `split_list` reads back."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text, and a warning when bytes had to be replaced: UTF-8 (with any number of
    BOMs), UTF-16 with a BOM, or Windows-1252.

    A file that is not valid UTF-8 is decided by evidence: while its valid multi-byte UTF-8
    sequences are at least as many as its invalid bytes, it is UTF-8 with a few damaged bytes
    (replaced by U+FFFD, and the warning names their lines); otherwise it is Windows-1252 if
    it reads as that.
    """
    if not data or data.isspace():
        raise PlaylistDataError(Note(N_("the file is empty; export the playlist again")))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").lstrip("\ufeff"), []
        except UnicodeDecodeError:
            message = N_("the file starts as UTF-16 text but is cut off or damaged; save it again")
            raise PlaylistDataError(Note(message)) from None
    if b"\x00" in data[:4096]:
        message = N_("the file holds binary data, not text; export the playlist as CSV")
        raise PlaylistDataError(Note(message))
    try:
        return data.decode("utf-8").lstrip("\ufeff"), []
    except UnicodeDecodeError:
        pass
    # Counted by the codecs, not by a regular expression: a Windows-1252 file has millions
    # of invalid bytes, and a match object for each would take gigabytes.
    valid = data.decode("utf-8", "ignore")
    invalid = len(data) - len(valid.encode("utf-8"))
    multibyte = len(valid) - len(valid.encode("ascii", "ignore"))
    del valid
    if multibyte < invalid:
        try:
            return data.decode("cp1252").lstrip("\ufeff"), []
        except UnicodeDecodeError:
            message = N_("the file is neither UTF-8 nor Windows-1252 text; save it as UTF-8 CSV")
            raise PlaylistDataError(Note(message)) from None
    warning = replaced_bytes(data.decode("utf-8", "surrogateescape"), invalid)
    return data.decode("utf-8", "replace").lstrip("\ufeff"), [warning]


def replaced_bytes(text: str, count: int) -> str:
    """The warning for `count` bytes that are not UTF-8 in `text` (as `surrogateescape`
    decodes them), naming their lines."""
    lines: list[int] = []
    line, position = 1, 0
    for match in _NOT_UTF8.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    message = N_n(
        "{where}: {count} byte that is not UTF-8 was replaced by \ufffd; save the file as "
        "UTF-8 again",
        "{where}: {count} bytes that are not UTF-8 were replaced by \ufffd; save the file as "
        "UTF-8 again",
    )
    return Note(message, count, where=lines_note(lines))


def lines_note(lines: Sequence[int]) -> Note:
    """ "line 5", "lines 5, 9" or "lines 5, 9, 12, 20, 31 and 4 more": where a warning's rows
    are."""
    shown = ", ".join(str(n) for n in lines[:5])
    if len(lines) == 1:
        return Note(N_("line {lines}"), lines=shown)
    if len(lines) <= 5:
        return Note(N_("lines {lines}"), lines=shown)
    return Note(N_("lines {lines} and {more} more"), lines=shown, more=len(lines) - 5)
