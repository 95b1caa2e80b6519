"""Putting the generated pages into the site's navigation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


def nav_mentions(nav: Any, uris: set[str]) -> bool:
    """Whether a `nav:` setting from mkdocs.yml already places any of these pages."""
    if isinstance(nav, str):
        return nav in uris
    if isinstance(nav, dict):
        return any(nav_mentions(value, uris) for value in nav.values())
    if isinstance(nav, list):
        return any(nav_mentions(item, uris) for item in nav)
    return False


def add_section(nav: list[Any], section: str, uris: Sequence[str]) -> None:
    """Append a section of the pages to an explicit `nav:`, unless the user placed them.

    Called on every build with the same config object (i18n plugins build more than once), so
    it must leave an already extended nav as it is.
    """
    if uris and not nav_mentions(nav, set(uris)):
        nav.append({section: list(uris)})


def title_section(nav: Navigation, section: str, uris: Iterable[str]) -> None:
    """Give the section that MkDocs made from the pages' folder the configured title."""
    wanted = set(uris)
    for item in _walk(nav.items):
        if isinstance(item, Section) and any(
            isinstance(child, Page) and child.file.src_uri in wanted for child in item.children
        ):
            item.title = section
            return


def _walk(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _walk(item.children)
