"""Presenting the groups: pages, figures, downloads, cards and templates, with the words
from the catalogues, escaped for where they land."""
