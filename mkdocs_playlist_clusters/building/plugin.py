"""The MkDocs plugin: events only. The work is done by `pipeline`, imported on a cache miss."""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from ..escaping import log_line
from ..grouping.state import GroupState
from ..language import resolve_language
from ..playlist import GeneratedPlaylist, page_end
from .cache import ResultCache
from .config import PluginConfig
from .generation import (
    PLAYER_SCRIPT,
    GenerationError,
    Playlist,
    Site,
    generate_site,
    insert_fragments,
    is_own_output,
    player_script,
    read_manifest,
    resolve_playlists,
    section_title,
)
from .nav import add_section, title_section
from .options import options_from, read_options
from .site_setup import save_state, set_up, site_language

if TYPE_CHECKING:  # imported where used, only for a site with mkdocs-static-i18n
    from .static_i18n import LanguageBuild

log = get_plugin_logger("playlist-clusters")


class PlaylistClustersPlugin(BasePlugin[PluginConfig]):
    """Adds a page of mixes, its figures and downloads for each configured playlist."""

    def __init__(self) -> None:
        self._options = read_options({}, None)[0]  # `self.config` as `Options`, from on_config
        self._playlists: list[Playlist] = []
        self._cache = ResultCache(None)
        self._state = GroupState(None)
        # page src_uri -> its playlist's result, and the placeholders its Markdown has
        self._pages: dict[str, tuple[GeneratedPlaylist, frozenset[str]]] = {}
        self._language = "en"
        self._section = ""  # the section's title in the last build's language
        self._folders: dict[str, str] = {}  # page src_uri -> site folder of its files, if moved
        self._i18n: Any = None  # the mkdocs-static-i18n plugin, when the site uses it
        self._warnings: CountHandler | None = None  # the build's warnings, while it runs
        self._i18n_warned = False  # that this process cannot follow its languages

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup makes `mkdocs serve` keep this instance across rebuilds, and
        # with it the in-memory cache.
        pass

    @event_priority(100)  # first: every warning of the build counts (see `on_post_build`)
    def _count_warnings(self, config: MkDocsConfig) -> None:
        self._stop_counting()
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)
        logging.getLogger("mkdocs").addHandler(self._warnings)

    def _stop_counting(self) -> int:
        """Stop counting the build's warnings; how many there were."""
        if self._warnings is None:
            return 0
        logging.getLogger("mkdocs").removeHandler(self._warnings)
        counted, self._warnings = sum(self._warnings.counts.values()), None
        return counted

    def _config(self, config: MkDocsConfig) -> MkDocsConfig | None:
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
        scripts = [str(script) for script in config.extra_javascript]
        if self._options.spotify_player and PLAYER_SCRIPT not in scripts:
            config.extra_javascript.append(PLAYER_SCRIPT)
        return config

    def _configure(self, config: MkDocsConfig) -> None:
        setup = set_up(
            self._options,
            config.config_file_path,
            config.docs_dir,
            config.site_dir,
            config.theme,
            config.theme.custom_dir,
        )
        cache = setup.cache
        # `mkdocs serve` keeps this instance, and its results in memory, while both stay.
        if (cache.directory, cache.site) != (self._cache.directory, self._cache.site):
            self._cache = cache
        # Read again for each build of `mkdocs serve`: a git checkout may have changed it.
        self._state = setup.state
        # A name lookup, nothing more, for a site without mkdocs-static-i18n.
        i18n = config.plugins.get("i18n")
        self._i18n = i18n if hasattr(i18n, "reconfigure_files") else None
        self._language = setup.language
        if setup.notice:
            log.info(log_line(setup.notice))
        self._playlists = setup.playlists

    @event_priority(0)
    def _files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self._options.enabled or self._i18n is not None:
            return None
        site = self._generate(self._playlists, self._language)
        return self._publish(files, config, site, self._language, None)

    # After mkdocs-static-i18n's on_files (priority -100), which cannot take generated files:
    # see `static_i18n`.
    @event_priority(-110)
    def _files_per_language(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self._options.enabled or self._i18n is None:
            return None
        from .static_i18n import fallback_warning, language_build, unknown_version

        version = unknown_version()
        run = None if version else language_build(self._i18n)
        if run is None:  # one warning, not one per language's run
            if not self._i18n_warned:
                log.warning(fallback_warning(version))
                self._i18n_warned = True
            site = self._generate(self._playlists, self._language)
            return self._publish(files, config, site, self._language, None)
        # The language of this run first; on_config saw the last run's.
        language, notice = site_language(self._options, config.theme, run.language)
        if notice:
            log.info(log_line(notice))
        playlists = resolve_playlists(
            self._options, config.config_file_path, language, config.theme.custom_dir
        )
        # The cache keeps every language's pages, so each run of a rebuild is a hit.
        languages = tuple(resolve_language(code)[0] for code in run.languages)
        site = self._generate(playlists, language, languages)
        return self._publish(files, config, site, language, run)

    on_files = CombinedEvent(_files, _files_per_language)
    on_config = CombinedEvent(_count_warnings, _config)

    def _generate(
        self, playlists: list[Playlist], language: str, languages: tuple[str, ...] = ()
    ) -> Site:
        try:
            return generate_site(
                self._options, playlists, self._cache, self._state, language, languages
            )
        except GenerationError as error:
            raise PluginError(str(error)) from None

    def _publish(
        self,
        files: Files,
        config: MkDocsConfig,
        site: Site,
        language: str,
        run: LanguageBuild | None,
    ) -> Files:
        """The site's files added to `files`, where the build (or the language's run of a
        mkdocs-static-i18n build) expects them."""
        for warning in site.warnings:
            log.warning(log_line(warning))
        for notice in site.notices + self._cache.take_notices():  # worth knowing, not wrong
            log.info(log_line(notice))
        section_folder = Path(config.docs_dir) / self._options.url_prefix.strip("/")
        added = self._site_files(files, config, site, run, section_folder)
        for file in added:
            files.append(file)
        if run is not None:  # mkdocs-static-i18n's sitemap lists each language's pages from it
            listed = getattr(self._i18n, "i18n_files_per_language", {}).get(run.language)
            if isinstance(listed, list):
                listed += [file for file in added if file.is_documentation_page()]
        # What `generate` wrote earlier for a playlist no longer configured is not published.
        published = {output.name for output in site.outputs.values()}
        for name in sorted(read_manifest(section_folder).keys() - published):
            stale = files.src_uris.get(site.uri(name))
            if stale is not None and is_own_output(section_folder, name):
                files.remove(stale)
        if config.nav:  # an explicit nav: from mkdocs.yml
            add_section(config.nav, section_title(self._options, language), list(site.pages))
        self._section = section_title(self._options, language)
        return files

    def _site_files(
        self,
        files: Files,
        config: MkDocsConfig,
        site: Site,
        run: LanguageBuild | None,
        section_folder: Path,
    ) -> list[File]:
        """The site's files as MkDocs files, what `generate` wrote in their place removed from
        `files` (a file of the user's there stops the build); the pages noted for
        `on_page_content` and `on_post_page`."""
        self._pages, self._folders = {}, {}
        added = []
        # One lookup table for the loop: `Files` builds a new one after every change, which
        # cost a library's 500 downloads a rebuild tens of milliseconds.
        present = files.src_uris
        for uri, output in site.outputs.items():
            src_uri = run.src_uri(uri) if run else uri
            for name in dict.fromkeys((src_uri, uri)):
                existing = present.get(name)
                if existing is None:
                    continue
                # What `playlist-clusters generate` wrote there is replaced by the same thing,
                # fresh; a file of the user's is never replaced.
                if name != uri or not is_own_output(section_folder, output.name):
                    raise PluginError(
                        log_line(
                            f"playlist-clusters: {name} exists in docs_dir and would be "
                            f"replaced by the page for {output.source}; move it or set another "
                            "url_prefix"
                        )
                    )
                files.remove(existing)
            # A family's page is reached from its playlist's cards, not from the navigation.
            inclusion = InclusionLevel.UNDEFINED if output.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, src_uri, content=output.content, inclusion=inclusion)
            if run is not None:
                _place(file, config, uri, run)
            added.append(file)
            if output.page is not None:
                self._pages[src_uri] = (output.page, output.placeholders)
                if run is not None:
                    self._folders[src_uri] = run.served_folder(uri)
        if self._options.spotify_player and PLAYER_SCRIPT not in present:
            script = player_script(self._playlists)
            added.append(File.generated(config, PLAYER_SCRIPT, content=script))
        return added

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # The mixes' sections and tables go in after Markdown, so that no extension or
        # templating plugin sees track names and a rebuild does not convert them; search
        # plugins still index them (they read the page in on_page_context).
        found = self._pages.get(page.file.src_uri)
        return _insert(html, found[0].indexed, page, self._folders, found[1]) if found else None

    @event_priority(50)  # before plugins that rewrite the finished page (minifiers)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # Long member lists go into the finished page, unseen by search plugins: parsing them
        # would cost every build time in proportion to the library.
        found = self._pages.get(page.file.src_uri)
        return _insert(output, found[0].unindexed, page, self._folders, found[1]) if found else None

    @event_priority(-100)  # last: another plugin's warning here still stops a strict build
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The groups the next build starts from, once the build went through. MkDocs runs
        # on_post_build before a strict build stops on its warnings, so those are counted.
        stopping = self._stop_counting() > 0 and config.strict
        if not self._options.enabled:
            return
        if stopping and self._state.path is not None:
            log.info("state_file left as it was: this strict build stops on its warnings")
        if problem := save_state(self._state, went_through=not stopping):
            log.warning(log_line(problem))

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_counting()
        self._state.discard()

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        if self._options.enabled and not config.nav:  # the automatic nav
            title_section(nav, self._section, self._pages)


def page_folder(page: Page, served: str | None = None) -> str:
    """The relative URL, from the page's URL, of the folder its Markdown file is in: "../"
    for `playlists/mix.md` served at `playlists/mix/`, "" at `playlists/mix.html`. `served`:
    that folder in the site when it is not the Markdown file's (a language's folder)."""
    source = posixpath.dirname(page.file.src_uri) if served is None else served
    served = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url)
    relative = posixpath.relpath(source or ".", served.rstrip("/") or ".")
    return "" if relative == "." else f"{relative}/"


def _insert(
    html: str,
    fragments: dict[str, str],
    page: Page,
    folders: dict[str, str],
    expected: frozenset[str],
) -> str:
    """`html` with the placeholders of `fragments` replaced by their HTML; `folders`: where
    a page's files are served, for a page not beside them (see `page_folder`); `expected`:
    the placeholders the page's Markdown had."""
    served = folders.get(page.file.src_uri)
    end = page_end(page.url.endswith("/") or not page.url)
    html, missing = insert_fragments(html, fragments, page_folder(page, served), end, expected)
    if missing:
        log.warning(
            log_line(
                f"{page.file.src_uri}: the placeholders of {', '.join(missing)} were removed by "
                "another plugin or Markdown extension, so those sections of the page are missing"
            )
        )
    return html


def _place(file: File, config: MkDocsConfig, uri: str, run: LanguageBuild) -> None:
    """Place a generated file as mkdocs-static-i18n places a file of the language being
    built, with what it reads of one: its locale and the same file in the other languages
    (Material's language switcher, the sitemap)."""
    usual = File(uri, None, config.site_dir, config.use_directory_urls).dest_uri
    file.dest_uri = run.dest_uri(usual)
    others = {
        code: File(
            run.src_uri(uri, code),
            None,
            config.site_dir,
            config.use_directory_urls,
            dest_uri=run.dest_uri(usual, code),
        )
        for code in run.languages
        if code != run.language
    }
    # The attributes mkdocs-static-i18n sets on its own files (undeclared on File).
    i18n: Any = file
    i18n.locale = i18n.locale_alternate_of = i18n.localization = run.language
    i18n.norm_src_uri = uri
    i18n.alternates = {run.language: file, **others}
