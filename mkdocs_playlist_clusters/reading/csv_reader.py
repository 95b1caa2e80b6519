"""CSV and TSV exports: the delimiter sniffed, records read line by line."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence

from ..errors import PlaylistDataError
from ..language import N_, Note
from .limits import MAX_VALUES, cell_too_long, too_many_values
from .records import Records


def sniff_delimiter(text: str) -> str:
    """The field separator: whichever of ",", ";" and TAB the first non-blank line has most of."""
    match = re.search(r"^.*\S.*$", text, re.MULTILINE)
    first = match.group() if match else ""
    return max((",", ";", "\t"), key=first.count)


def csv_records(text: str, delimiter: str) -> tuple[list[str], Records]:
    """The header and records of CSV/TSV text, parsed as they are asked for. Blank lines are
    skipped."""
    reader = csv.reader(text_lines(text), delimiter=delimiter, strict=False)

    def lines() -> Iterator[tuple[int, list[str]]]:
        start, values = 1, 0
        try:
            for cells in reader:
                values += len(cells)
                if values > MAX_VALUES:
                    raise too_many_values(MAX_VALUES)
                if any(cell.strip() for cell in cells):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as error:
            if "field larger than field limit" in str(error):  # csv's own cap, 131,072
                raise cell_too_long(start) from None
            message = N_("line {line}: not valid CSV ({error})")
            raise PlaylistDataError(Note(message, line=str(start), error=str(error))) from None

    numbered = lines()
    first = next(numbered, None)
    if first is None:
        raise PlaylistDataError(Note(N_("the file is empty; export the playlist again")))
    header = first[1]

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        for line, cells in numbered:
            yield line, [cells[i] if i < len(cells) else "" for i in wanted], len(cells)

    return header, records


# A line with its line end (CRLF, LF or CR, as `newline=""` splits), or the last line without.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The lines of `text` one at a time, for `csv.reader`: a StringIO would copy the text
    at four bytes a character (48 MB of rows took 190 MB more)."""
    return (match.group() for match in _LINE.finditer(text))
