"""The MkDocs plugin: events only. The work is done by `pipeline`, imported on a cache miss."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .cache import ResultCache, cache_key
from .config import PluginConfig, file_stem, slugify, title_from_path
from .errors import ColumnMappingError
from .nav import add_section, title_section
from .playlist import PAGE_FOLDER, PLACEHOLDER, GeneratedPlaylist, PlaylistOptions

log = get_plugin_logger("playlist-clusters")


@dataclass(frozen=True)
class _Playlist:
    path: Path  # absolute
    shown_path: str  # as written in mkdocs.yml, for messages
    options: PlaylistOptions


class PlaylistClustersPlugin(BasePlugin[PluginConfig]):
    """Adds a "Clusters in <playlist>" page and its scatter image for each configured playlist."""

    def __init__(self) -> None:
        self._playlists: list[_Playlist] = []
        self._cache = ResultCache(None)
        self._pages: dict[str, GeneratedPlaylist] = {}  # page src_uri -> its playlist's result

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes `mkdocs serve` keep this instance across rebuilds, and
        # with it the in-memory cache.
        pass

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base = Path(config.config_file_path or ".").resolve().parent
        directory = (base / self.config.cache_dir).resolve() if self.config.cache else None
        if directory and directory.is_relative_to(Path(config.docs_dir).resolve()):
            # Writing into a watched folder would make `mkdocs serve` rebuild for ever.
            raise PluginError(
                f"playlist-clusters: cache_dir {self.config.cache_dir!r} is inside docs_dir; "
                "keep it outside, e.g. the default .cache/plugin/playlist-clusters"
            )
        cache = ResultCache(directory, config.config_file_path)
        # `mkdocs serve` keeps this instance, and its results in memory, while both stay.
        if (cache.directory, cache.site) != (self._cache.directory, self._cache.site):
            self._cache = cache
        self._playlists = [self._resolve(entry, base) for entry in self.config.playlists]
        seen: dict[str, str] = {}
        for playlist in self._playlists:
            uri = self._uri(playlist.options.page_name)
            if uri in seen:
                raise PluginError(
                    f"playlist-clusters: {playlist.shown_path} and {seen[uri]} would both be "
                    f"published as {uri}; rename one of the files"
                )
            seen[uri] = playlist.shown_path
            if str(playlist.path) not in config.watch:
                config.watch.append(str(playlist.path))
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        page_uris = []
        keys = set()
        self._pages = {}
        for playlist in self._playlists:
            key, result = self._generate(playlist)
            keys.add(key)
            self._pages[self._uri(playlist.options.page_name)] = result
            for warning in result.warnings:
                log.warning(f"{playlist.shown_path}: {warning}")
            for name, content in result.files.items():
                uri = self._uri(name)
                if files.get_file_from_path(uri) is not None:
                    raise PluginError(
                        f"playlist-clusters: {uri} exists in docs_dir and would be replaced by "
                        f"the page for {playlist.shown_path}; move it or set another url_prefix"
                    )
                files.append(File.generated(config, uri, content=content))
            page_uris.append(self._uri(playlist.options.page_name))
        self._cache.retain(keys)
        if config.nav:  # an explicit nav: from mkdocs.yml
            add_section(config.nav, self.config.section, page_uris)
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

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        if self.config.enabled and not config.nav:  # the automatic nav
            uris = [self._uri(p.options.page_name) for p in self._playlists]
            title_section(nav, self.config.section, uris)

    def _resolve(self, entry: Any, base: Path) -> _Playlist:
        path = Path(entry.path).resolve()
        title = entry.title or title_from_path(entry.path)
        features = entry.features or self.config.features
        options = PlaylistOptions(
            title=title,
            slug=slugify(file_stem(path.name)),
            clusters=entry.clusters,
            features=tuple(features) if features else None,
            representatives=entry.representatives or self.config.representatives,
            columns=tuple(sorted((entry.columns or {}).items())),
        )
        shown = posixpath.relpath(path.as_posix(), base.as_posix())
        return _Playlist(path, shown, options)

    def _uri(self, name: str) -> str:
        prefix = self.config.url_prefix.strip("/")
        return f"{prefix}/{name}" if prefix else name

    def _generate(self, playlist: _Playlist) -> tuple[str, GeneratedPlaylist]:
        """The playlist's cache key and generated files, from the cache when it has them."""
        try:
            data = playlist.path.read_bytes()
        except OSError as error:
            raise PluginError(
                f"playlist-clusters: cannot read {playlist.shown_path}: {error.strerror}"
            ) from None
        key = cache_key(data, playlist.options)
        last = self._cache.previous(playlist.options.slug)
        previous = last.assignment if last else None
        result = self._cache.get(key)
        if result is None or not result.follows(previous):
            from .pipeline import build_playlist  # pandas, scikit-learn, matplotlib: miss only

            try:
                result = build_playlist(data, playlist.options, previous)
            except ColumnMappingError as error:
                raise PluginError(f"playlist-clusters: {playlist.shown_path}: {error}") from None
            self._cache.put(key, result)
        return key, result


def page_folder(page: Page) -> str:
    """The relative URL, from the page's URL, of the folder its Markdown file is in: "../"
    for `playlists/mix.md` served at `playlists/mix/`, "" at `playlists/mix.html`."""
    source = posixpath.dirname(page.file.src_uri)
    served = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url)
    relative = posixpath.relpath(source or ".", served.rstrip("/") or ".")
    return "" if relative == "." else f"{relative}/"


def _insert(html: str, fragments: dict[str, str], page: Page) -> str:
    """`html` with the placeholders of `fragments` replaced by their HTML."""
    found: set[str] = set()

    def fragment(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            return match.group(0)  # the other stage's placeholder
        found.add(name)
        return fragments[name]

    html = PLACEHOLDER.sub(fragment, html).replace(PAGE_FOLDER, page_folder(page))
    if missing := sorted(set(fragments) - found):
        log.warning(
            f"{page.file.src_uri}: the placeholders of {', '.join(missing)} were removed by "
            "another plugin or Markdown extension, so those track tables are missing"
        )
    return html
