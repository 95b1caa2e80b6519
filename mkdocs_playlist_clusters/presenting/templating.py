"""Parts of pages made from Jinja2 templates: the package's, or a user's own copies.

A user overrides a template by putting a file of the same name in a folder of their own: the
plugin's `templates` option, or `playlist-clusters/` in the theme's `custom_dir` (the way
Material and mkdocstrings let a theme's templates be overridden). The first folder that has
a file wins; what an override holds is part of the cache key (`templates_digest`).

Every value a template prints is escaped for where it lands (`escaping.escape_text`: safe as
HTML text, a quoted attribute and Markdown text alike), unless the plugin marked it as its
own markup (`markupsafe.Markup`): a track named `<script>` or `a | b` stays text.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..escaping import escape_text

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
THEME_FOLDER = "playlist-clusters"  # the overrides' folder in a theme's custom_dir


def _escaped(value: Any) -> Any:
    """Jinja's `finalize`: data as escaped text, the plugin's markup as it is."""
    if isinstance(value, Markup) or value is None:
        return "" if value is None else value
    return Markup(escape_text(value))


@functools.lru_cache(maxsize=8)
def environment(overrides: tuple[str, ...] = ()) -> Environment:
    """The templates, `overrides` (folders) first."""
    folders = [*overrides, str(PACKAGE_TEMPLATES)]
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, overrides: Sequence[str] = (), **values: Any) -> Markup:
    """The template `name` filled with `values`."""
    return Markup(environment(tuple(overrides)).get_template(name).render(**values))


def override_folders(templates: Path | None, custom_dir: str | None) -> tuple[str, ...]:
    """The folders whose templates come before the package's: the `templates` option, then
    the theme's custom_dir's `playlist-clusters/`, each where it exists."""
    found = []
    if templates is not None and templates.is_dir():
        found.append(str(templates))
    if custom_dir and (Path(custom_dir) / THEME_FOLDER).is_dir():
        found.append(str(Path(custom_dir) / THEME_FOLDER))
    return tuple(found)


def templates_digest(overrides: Sequence[str]) -> str:
    """What the overrides hold that a page depends on: each template's name and bytes ("" for
    none), so that editing an override renders the pages again."""
    if not overrides:
        return ""
    digest = hashlib.sha256()
    for folder in overrides:
        for name in sorted(package_template_names()):
            path = Path(folder) / name
            if path.is_file():
                digest.update(f"{folder}\0{name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def package_template_names() -> frozenset[str]:
    return frozenset(path.name for path in PACKAGE_TEMPLATES.iterdir() if path.is_file())
