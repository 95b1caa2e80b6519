"""MkDocs plugin that turns playlist exports into pages of track clusters."""

__version__ = "0.1.0"
