"""The MkDocs plugin: events only. The work is done by `pipeline`, imported on a cache miss."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .cache import ResultCache
from .config import PluginConfig
from .escaping import log_line
from .generation import (
    GenerationError,
    Playlist,
    generate_site,
    insert_fragments,
    is_own_output,
    open_cache,
    open_state,
    read_manifest,
    resolve_playlists,
    save_state,
    section_title,
    site_language,
)
from .nav import add_section, title_section
from .options import options_from, read_options
from .playlist import GeneratedPlaylist
from .state import GroupState

log = get_plugin_logger("playlist-clusters")


class PlaylistClustersPlugin(BasePlugin[PluginConfig]):
    """Adds a "Clusters in <playlist>" page and its scatter image for each configured playlist."""

    def __init__(self) -> None:
        self._options = read_options({}, None)[0]  # `self.config` as `Options`, from on_config
        self._playlists: list[Playlist] = []
        self._cache = ResultCache(None)
        self._state = GroupState(None)
        self._pages: dict[str, GeneratedPlaylist] = {}  # page src_uri -> its playlist's result
        self._language = "en"

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes `mkdocs serve` keep this instance across rebuilds, and
        # with it the in-memory cache.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._options = options_from(self.config)
        if not self._options.enabled:
            return None
        try:
            self._configure(config)
        except GenerationError as error:
            raise PluginError(str(error)) from None
        for playlist in self._playlists:
            if str(playlist.path) not in config.watch:
                config.watch.append(str(playlist.path))
        return config

    def _configure(self, config: MkDocsConfig) -> None:
        cache = open_cache(self._options, config.config_file_path, config.docs_dir, config.site_dir)
        # `mkdocs serve` keeps this instance, and its results in memory, while both stay.
        if (cache.directory, cache.site) != (self._cache.directory, self._cache.site):
            self._cache = cache
        state = open_state(self._options, config.config_file_path, config.docs_dir)
        if state.path != self._state.path:  # else keep what this process last saved
            self._state = state
        self._language, notice = site_language(self._options, config.theme)
        if notice:
            log.info(log_line(notice))
        self._playlists = resolve_playlists(self._options, config.config_file_path, self._language)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self._options.enabled:
            return None
        try:
            site = generate_site(
                self._options, self._playlists, self._cache, self._state, self._language
            )
        except GenerationError as error:
            raise PluginError(str(error)) from None
        self._pages = site.pages
        for warning in site.warnings:
            log.warning(log_line(warning))
        for notice in self._cache.take_notices():  # a slower build, not a wrong one
            log.info(log_line(notice))
        section_folder = Path(config.docs_dir) / self._options.url_prefix.strip("/")
        for uri, output in site.outputs.items():
            existing = files.get_file_from_path(uri)
            if existing is not None:
                # What `playlist-clusters generate` wrote there is replaced by the same thing,
                # fresh; a file of the user's is never replaced.
                if not is_own_output(section_folder, output.name):
                    raise PluginError(
                        log_line(
                            f"playlist-clusters: {uri} exists in docs_dir and would be replaced "
                            f"by the page for {output.source}; move it or set another "
                            "url_prefix"
                        )
                    )
                files.remove(existing)
            files.append(File.generated(config, uri, content=output.content))
        # What `generate` wrote earlier for a playlist no longer configured is not published.
        published = {output.name for output in site.outputs.values()}
        for name in sorted(read_manifest(section_folder).keys() - published):
            stale = files.get_file_from_path(site.uri(name))
            if stale is not None and is_own_output(section_folder, name):
                files.remove(stale)
        if config.nav:  # an explicit nav: from mkdocs.yml
            add_section(config.nav, section_title(self._options, self._language), list(site.pages))
        return files

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # The tables go in after Markdown, so that no extension or templating plugin sees
        # track names and a rebuild does not parse their rows; search plugins still index
        # them (they read the page in on_page_context).
        result = self._pages.get(page.file.src_uri)
        return _insert(html, result.indexed, page) if result else None

    @event_priority(50)  # before plugins that rewrite the finished page (minifiers)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # Long member lists go into the finished page, unseen by search plugins: parsing them
        # would cost every build time in proportion to the library.
        result = self._pages.get(page.file.src_uri)
        return _insert(output, result.unindexed, page) if result else None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # After a build that went through (a strict build that stopped does not get here): the
        # groups the next build starts from.
        if self._options.enabled and (problem := save_state(self._state)):
            log.warning(log_line(problem))

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        if self._options.enabled and not config.nav:  # the automatic nav
            title_section(nav, section_title(self._options, self._language), self._pages)


def page_folder(page: Page) -> str:
    """The relative URL, from the page's URL, of the folder its Markdown file is in: "../"
    for `playlists/mix.md` served at `playlists/mix/`, "" at `playlists/mix.html`."""
    source = posixpath.dirname(page.file.src_uri)
    served = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url)
    relative = posixpath.relpath(source or ".", served.rstrip("/") or ".")
    return "" if relative == "." else f"{relative}/"


def _insert(html: str, fragments: dict[str, str], page: Page) -> str:
    """`html` with the placeholders of `fragments` replaced by their HTML."""
    html, missing = insert_fragments(html, fragments, page_folder(page))
    if missing:
        log.warning(
            log_line(
                f"{page.file.src_uri}: the placeholders of {', '.join(missing)} were removed by "
                "another plugin or Markdown extension, so those track tables are missing"
            )
        )
    return html
