"""The one exception the pure modules raise for input a person has to fix."""


class PlaylistDataError(Exception):
    """A playlist file cannot be turned into a page.

    The message is one line that says what is wrong and what to do; the caller adds the file
    name, so messages here name rows and columns, never the path.
    """


class ColumnMappingError(PlaylistDataError):
    """The `columns:` mapping in mkdocs.yml names a column the file does not have.

    A configuration mistake rather than a data problem, so the build stops.
    """
