"""Parquet exports, read in batches with pyarrow (the `parquet` extra)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import PlaylistDataError
from ..language import N_, Note
from .decoding import cell_text
from .limits import (
    BATCH_VALUES,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LIST_ITEMS,
    MAX_ROWS,
    MAX_VALUES,
    cell_too_long,
    too_large,
    too_many_columns,
    too_many_values,
)
from .records import Records


def parquet_records(data: bytes) -> tuple[list[str], Records]:
    """A Parquet table, its size and values checked in its metadata before any of it is read,
    and the decoded size and values of the columns read before they become Python objects."""
    try:
        import pyarrow.parquet as pq  # optional: only Parquet files need it
    except ImportError:
        message = N_(
            "reading Parquet needs pyarrow: pip install pyarrow, or export the playlist as CSV"
        )
        raise PlaylistDataError(Note(message)) from None
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        metadata = parquet.metadata
        chunks = [
            metadata.row_group(group).column(column)
            for group in range(metadata.num_row_groups)
            for column in range(metadata.num_columns)
        ]
        header = [str(name) for name in parquet.schema_arrow.names]
        leaves = [parquet.schema.column(index) for index in range(len(parquet.schema))]
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    if metadata.num_rows > MAX_ROWS:
        message = N_(
            "the file has {count} rows; playlists up to {most} tracks are read: split it into "
            "several playlists"
        )
        raise PlaylistDataError(Note(message, count=metadata.num_rows, most=MAX_ROWS))
    if metadata.num_columns > MAX_COLUMNS:
        raise too_many_columns(metadata.num_columns)
    if sum(chunk.total_uncompressed_size for chunk in chunks) > MAX_FILE_BYTES:
        raise too_large("unpacks to")
    # Every cell and list item, as the column chunks count them.
    if sum(chunk.num_values for chunk in chunks) > MAX_VALUES:
        raise too_many_values(MAX_VALUES)
    # Text is read dictionary-encoded, as it is stored, until its decoded size is known: a
    # value stored once may stand on every row.
    text = [leaf.path for leaf in leaves if leaf.physical_type == "BYTE_ARRAY"]

    def records(wanted: Sequence[int]) -> Iterator[tuple[int, list[str], int]]:
        table, values = parquet_columns(data, text, [header[index] for index in wanted])
        return parquet_rows(table, values, len(header))

    return header, records


def parquet_errors() -> tuple[type[Exception], ...]:
    """pyarrow's errors for a damaged file; any other exception is a bug, not the file's."""
    import pyarrow as pa

    return (pa.ArrowException, OSError, ValueError)


def parquet_columns(data: bytes, text: list[str], names: list[str]) -> tuple[Any, Any]:
    """The columns `names` of a Parquet file, decoded, and each row's values (a numpy array,
    see `row_values`), once the values, the list cells and the decoded size are checked in
    what was read (which the metadata only claims to describe). `text`: the leaves to read
    dictionary-encoded."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(io.BytesIO(data), read_dictionary=text).read(columns=names)
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    values = [row_values(column) for column in table.columns]
    if sum(int(counts.sum()) for counts in values) > MAX_VALUES:
        raise too_many_values(MAX_VALUES)
    for counts in values:
        if len(counts) and counts.max() > MAX_LIST_ITEMS:
            raise cell_too_long(int(counts.argmax()) + 1)
    if sum(decoded_bytes(column) for column in table.columns) > MAX_FILE_BYTES:
        raise too_large("unpacks to")
    # Decoded at once, in Arrow: pyarrow makes Python objects of dictionary-encoded values
    # one scalar at a time, 60 times slower (6 million took 17 s).
    schema = pa.schema([field.with_type(plain_type(field.type)) for field in table.schema])
    try:
        table = table.cast(schema)
    except parquet_errors() as error:
        raise unreadable_parquet(error) from None
    return table, sum(values, np.zeros(table.num_rows, dtype=np.int64))


def parquet_rows(table: Any, values: Any, width: int) -> Iterator[tuple[int, list[str], int]]:
    """The records of a pyarrow table (see `Records`; `width`: the file's column count), made
    Python objects a batch of rows at a time (`values`: each row's, see `batches`)."""
    number = 0
    for start, stop in batches(values):
        part = table.slice(start, stop - start)
        try:
            columns = [column.to_pylist() for column in part.columns]
        except parquet_errors() as error:
            raise unreadable_parquet(error) from None
        for row in zip(*columns, strict=True):
            number += 1
            yield number, [cell_text(value) for value in row], width


def row_values(array: Any) -> Any:
    """Per row of a pyarrow array, how many values it becomes in Python: 1, plus the items of
    a list (nested lists and structs counted to their leaves) or the fields of a struct. A
    numpy array."""
    import numpy as np
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        parts = [row_values(chunk) for chunk in array.chunks]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    if isinstance(array, pa.ListArray | pa.LargeListArray):  # a map is a list of pairs
        inner = np.concatenate([[0], np.cumsum(row_values(array.values))])
        offsets = array.offsets.to_numpy()
        return 1 + inner[offsets[1:]] - inner[offsets[:-1]]
    if isinstance(array, pa.FixedSizeListArray):
        inner = row_values(array.flatten()).reshape(len(array), array.type.list_size)
        return 1 + inner.sum(axis=1)
    if isinstance(array, pa.StructArray):
        return 1 + sum((row_values(field) for field in array.flatten()), np.zeros(len(array), int))
    return np.ones(len(array), dtype=np.int64)


def plain_type(kind: Any) -> Any:
    """A pyarrow type with its dictionary-encoded parts, at any depth, as their values' type."""
    import pyarrow as pa

    types = pa.types
    if types.is_dictionary(kind):
        return plain_type(kind.value_type)
    if types.is_map(kind):
        return pa.map_(plain_type(kind.key_type), plain_type(kind.item_type))
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        item = kind.value_field.with_type(plain_type(kind.value_type))
        if types.is_fixed_size_list(kind):
            return pa.list_(item, kind.list_size)
        return pa.large_list(item) if types.is_large_list(kind) else pa.list_(item)
    if types.is_struct(kind):
        return pa.struct([field.with_type(plain_type(field.type)) for field in kind])
    return kind


def batches(values: Any) -> list[tuple[int, int]]:
    """Consecutive (start, stop) row ranges, each of about `BATCH_VALUES` values (a numpy
    array of each row's, see `row_values`) or a single row."""
    import numpy as np

    if not len(values):
        return []
    total = np.cumsum(values)
    marks = np.arange(BATCH_VALUES, int(total[-1]), BATCH_VALUES)
    cuts = np.searchsorted(total, marks, "right")
    stops = sorted({int(stop) for stop in cuts if stop} | {len(values)})
    return list(zip([0, *stops[:-1]], stops, strict=True))


def decoded_bytes(column: Any) -> int:
    """About how many bytes a pyarrow column takes once its dictionaries are decoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for chunk in getattr(column, "chunks", [column]):
        if isinstance(chunk, pa.DictionaryArray):
            lengths = pc.take(pc.binary_length(chunk.dictionary), chunk.indices)
            total += pc.sum(lengths).as_py() or 0
        elif isinstance(chunk, pa.ListArray | pa.LargeListArray):
            total += chunk.offsets.nbytes + decoded_bytes(chunk.flatten())
        else:
            total += chunk.nbytes
    return total


def unreadable_parquet(error: Exception) -> PlaylistDataError:
    message = N_("the Parquet file could not be read; export it again")
    return PlaylistDataError(Note(message), str(error))
