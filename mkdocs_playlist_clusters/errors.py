"""The one exception the pure modules raise for input a person has to fix."""


class PlaylistDataError(Exception):
    """A playlist file cannot be turned into a page.

    The message is one line that says what is wrong and what to do; the caller adds the file
    name, so messages here name rows and columns, never the path. It goes on the public page,
    so it never quotes the file: a path that turns out to be /etc/passwd must not publish it.
    What would help but quotes the file (the headers found) is `detail`, for the build log
    only (`log_text`), written with `repr` so a header cannot forge log lines.
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def log_text(self) -> str:
        """The message with its detail, for the build log."""
        return f"{self} ({self.detail})" if self.detail else str(self)


class ColumnMappingError(PlaylistDataError):
    """The `columns:` mapping in mkdocs.yml names a column the file does not have.

    A configuration mistake rather than a data problem, so the build stops.
    """
