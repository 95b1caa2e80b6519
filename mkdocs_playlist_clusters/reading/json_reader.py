"""JSON exports: a list of records, counted before it is parsed."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from ..errors import PlaylistDataError
from ..language import N_, Note
from .decoding import cell_text
from .limits import (
    MAX_JSON_CONTAINERS,
    MAX_JSON_VALUES,
    MAX_LIST_ITEMS,
    MAX_ROWS,
    cell_too_long,
    too_many_rows,
    too_many_values,
)
from .records import Records


def json_records(data: bytes) -> tuple[list[str], Records]:
    """A JSON array of track records (or an object with a "tracks" or "items" array)."""
    containers = data.count(b"{") + data.count(b"[")
    if containers > MAX_JSON_CONTAINERS:
        message = N_(
            "the JSON file holds more than {containers} objects and arrays; playlists up to "
            "{most} tracks are read: split it into several playlists"
        )
        raise PlaylistDataError(Note(message, containers=MAX_JSON_CONTAINERS, most=MAX_ROWS))
    # Each value but a container's first follows a comma (commas in strings count too: a
    # bound, not a count): 47 MB of one 9.5-million-item list took 1 GB to parse.
    if data.count(b",") + containers > MAX_JSON_VALUES:
        raise too_many_values(MAX_JSON_VALUES)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        message = N_("the JSON file nests arrays or objects too deeply to be a list of tracks")
        raise PlaylistDataError(Note(message)) from None
    except (UnicodeDecodeError, ValueError) as error:
        message = N_("the file is not valid JSON ({error})")
        raise PlaylistDataError(Note(message, error=str(error))) from None
    if isinstance(document, dict):
        document = document.get("tracks", document.get("items"))
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        message = N_(
            'the JSON file must be an array of track objects, e.g. [{{"name": ..., "artists": '
            "...}}]"
        )
        raise PlaylistDataError(Note(message))
    if len(document) > MAX_ROWS:
        raise too_many_rows(len(document))
    header = list(dict.fromkeys(key for record in document for key in record))

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        keys = [header[index] for index in wanted]
        for number, record in enumerate(document, start=1):
            values = [record.get(key) for key in keys]
            if any(isinstance(v, list | dict) and len(v) > MAX_LIST_ITEMS for v in values):
                raise cell_too_long(number)
            yield number, [cell_text(value) for value in values], len(header)

    return header, records
