"""A file's records, as each reader hands them over, and the cells kept of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import PlaylistDataError
from ..language import N_, Note
from .decoding import SURROGATE, printable
from .limits import MAX_CELL_CHARS, MAX_ROWS, cell_too_long

# A file's records: (line the record starts on, or its number in a JSON or Parquet file; the
# cells at the asked-for column indices, "" past the record's end; the record's cell count).
Records = Callable[[Sequence[int]], Iterator[tuple[int, list[str], int]]]


@dataclass
class KeptRecords:
    """What `kept_records` keeps of a file's records."""

    rows: list[tuple[int, list[str]]]  # (line, the cells of `columns`)
    columns: dict[str, int]  # canonical column -> index in a row's cells
    last: tuple[int, int]  # the last record's line and cell count
    cut: list[int] = field(default_factory=list)  # lines with a lone surrogate, now U+FFFD


def kept_records(records: Records, columns: dict[str, int]) -> KeptRecords:
    """The records, each cut to the cells `columns` names, so that memory grows with what is
    read and not with what a file holds; control characters dropped and lone surrogates
    replaced (see `printable`). Also `columns` renumbered for the cut records.

    Raises `PlaylistDataError` past `MAX_ROWS` records or for a cell over `MAX_CELL_CHARS`.
    """
    wanted = sorted(set(columns.values()))
    kept = KeptRecords([], {}, (0, 0))
    for line, cells, count in records(wanted):
        if len(kept.rows) == MAX_ROWS:
            message = N_(
                "the file has more than {most} rows; playlists up to {most} tracks are read: "
                "split it into several playlists"
            )
            raise PlaylistDataError(Note(message, most=MAX_ROWS))
        if max(map(len, cells), default=0) > MAX_CELL_CHARS:
            raise cell_too_long(line)
        if not "".join(cells).isprintable():  # one test a row: nearly every row passes
            if any(map(SURROGATE.search, cells)):
                kept.cut.append(line)
            cells = [printable(cell) for cell in cells]
        kept.rows.append((line, cells))
        kept.last = (line, count)
    position = {index: i for i, index in enumerate(wanted)}
    kept.columns = {name: position[index] for name, index in columns.items()}
    return kept
