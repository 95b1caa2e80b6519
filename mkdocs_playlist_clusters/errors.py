"""The one exception the pure modules raise for input a person has to fix."""


class PlaylistDataError(Exception):
    """A playlist file cannot be turned into a page.

    The message is one line that says what is wrong and what to do; the caller adds the file
    name, so messages here name rows and columns, never the path.
    """
