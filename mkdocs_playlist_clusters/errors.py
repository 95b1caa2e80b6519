"""The one exception the pure modules raise for input a person has to fix; its message is a
`language.Note`, the sentence about the data that it and the reader's warnings carry to the
page."""

from __future__ import annotations

from .language import Note


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
    def note(self) -> str:
        """The message, a `Note` when it was written as one (for `Language.note`)."""
        return str(self.args[0]) if not isinstance(self.args[0], Note) else self.args[0]

    @property
    def log_text(self) -> str:
        """The message with its detail, for the build log."""
        return f"{self} ({self.detail})" if self.detail else str(self)


class ColumnMappingError(PlaylistDataError):
    """The `columns:` mapping in mkdocs.yml names a column the file does not have.

    A configuration mistake rather than a data problem, so the build stops.
    """
