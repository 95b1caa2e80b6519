"""Where the generated files go on a site built with mkdocs-static-i18n.

mkdocs-static-i18n (1.3) builds the whole site once per language, each run through every
plugin event, `on_config` included. In its `on_files` it makes a new File of every file from
docs_dir, read from docs_dir again, and stops on a generated one (it reads `abs_src_path`,
which MkDocs 1.6 leaves None for `File.generated`). So the plugin adds its files after it,
already placed as it places a file in the language being built: under `<language>/` unless
that language is the default one, and, with `docs_structure: folder`, named inside the
language's folder, so the automatic nav puts them in that language's section. The URIs of the
files in the section folder (anchors, download names) stay those of every other site.

Read only when the site lists the `i18n` plugin: a site without it imports nothing of this.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from importlib import metadata
from typing import Any

# The plugin's name in mkdocs.yml (its entry point).
PLUGIN = "i18n"
# The major version whose plugin attributes this module reads (`current_language`,
# `default_language`, `build_languages`, `config.docs_structure`, `i18n_files_per_language`:
# none of them documented); tested with 1.3.
KNOWN_MAJOR = "1"


@dataclass(frozen=True)
class LanguageBuild:
    """One language's run of a mkdocs-static-i18n build."""

    language: str  # the language this run builds
    default: str  # the one served at the site's root
    languages: tuple[str, ...]  # every language built, for the language switcher
    folders: bool  # `docs_structure: folder` (else `suffix`, its default)

    def src_uri(self, uri: str, language: str | None = None) -> str:
        """What a generated file is named in this run: as mkdocs-static-i18n names a file of
        the language (`de/playlists/mix.md` in folder structure, else `playlists/mix.md`)."""
        return f"{language or self.language}/{uri}" if self.folders else uri

    def dest_uri(self, dest: str, language: str | None = None) -> str:
        """Where a file whose usual place is `dest` goes in a language's run."""
        code = language or self.language
        return dest if code == self.default else f"{code}/{dest}"

    def served_folder(self, uri: str) -> str:
        """The site folder where the files beside the page `uri` are published."""
        return self.dest_uri(posixpath.dirname(uri) or ".").removesuffix("/.")


def unknown_version() -> str | None:
    """The installed mkdocs-static-i18n's version when it is not one this module knows how to
    follow, else None."""
    try:
        version = metadata.version("mkdocs-static-i18n")
    except metadata.PackageNotFoundError:
        return "of an unknown version"
    return None if version.split(".")[0] == KNOWN_MAJOR else version


def fallback_warning(version: str | None) -> str:
    """The one warning of a build that cannot follow mkdocs-static-i18n's languages."""
    why = (
        f"mkdocs-static-i18n {version} is not a version this plugin knows (1.x)"
        if version
        else "mkdocs-static-i18n does not hold the attributes this plugin reads of it"
    )
    return (
        f"{why}, so the playlist pages are made as on a site without it, in "
        "the site's language; pin mkdocs-static-i18n 1.x for pages in every language"
    )


def language_build(plugin: Any) -> LanguageBuild | None:
    """The run being built, from the mkdocs-static-i18n plugin object; None for another
    plugin named `i18n` or when it has not chosen a language yet."""
    try:
        current, default = plugin.current_language, plugin.default_language
        languages = tuple(str(code) for code in plugin.build_languages)
        structure = plugin.config.docs_structure
    except (AttributeError, KeyError, TypeError):
        return None
    if not isinstance(current, str) or not isinstance(default, str):
        return None
    return LanguageBuild(current, default, languages, structure == "folder")


__all__ = ["PLUGIN", "LanguageBuild", "fallback_warning", "language_build", "unknown_version"]
