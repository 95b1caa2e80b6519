"""What the plugin adds to a site, worked out once for both of its users: the MkDocs plugin
(`plugin.py`) and the `playlist-clusters generate` command (`command.py`).

`generate_site` reads every playlist, takes its result from the cache or computes it, and
returns every generated file by its URI in the site, with the warnings. The generator's own
output, written into docs_dir, is recognised by `is_own_output`, so that the plugin may replace
it rather than refuse the build.

Like `cache`, this module imports neither pandas, scikit-learn nor matplotlib: a run in which
no playlist changed needs none of them. Nor MkDocs: `generate` runs without it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ColumnMappingError
from ..escaping import is_relative_name, log_line
from ..files import file_digests
from ..grouping.state import GroupState
from ..grouping.versions import History, follows, read_version
from ..language import DEFAULT, N_, Language, Note, language
from ..playlist import (
    PAGE_END,
    PAGE_FOLDER,
    PLACEHOLDER,
    GeneratedPlaylist,
    PlaylistOptions,
    PlaylistSummary,
    page_end,
)
from ..presenting.overview import OVERVIEW_NAME, OverviewEntry, overview_page
from ..presenting.templating import override_folders, render, templates_digest
from ..reading.limits import read_limited
from .cache import ResultCache, cache_key
from .options import (
    DEFAULT_SECTION,
    Options,
    PlaylistEntry,
    file_stem,
    slugify,
    title_from_path,
)

# The first line after a generated page's front matter: how the plugin knows the page is the
# generator's and not the user's (front matter must stay first, or the title is lost).
PAGE_MARKER = (
    "<!-- Written by `playlist-clusters generate`: run it again instead of editing this file. -->"
)
# The generator's list of the files it wrote (name -> SHA-256), in the output folder. A dot
# file, so that MkDocs and Zensical do not publish it.
MANIFEST = ".playlist-clusters-generated.json"


class GenerationError(Exception):
    """A mistake in the configuration found while generating (a cache_dir or state_file where
    it would be published, two playlists with one URL, a `columns:` mapping the file does not
    match): the build stops with this one line, which names the plugin. `plugin.py` raises it
    as MkDocs' PluginError; `generate` prints it and exits with status 2."""


@dataclass(frozen=True)
class Playlist:
    """One `playlists:` entry, resolved."""

    path: Path  # absolute
    shown_path: str  # relative to mkdocs.yml, for messages
    options: PlaylistOptions


@dataclass(frozen=True)
class PlaylistResult:
    playlist: Playlist
    key: str  # in the cache; "" for a result that is not cached
    result: GeneratedPlaylist
    other_languages: tuple[str, ...] = ()  # the keys of the same page in other languages
    notices: tuple[str, ...] = ()  # for the log, from making the result (not from the cache)


@dataclass(frozen=True)
class Output:
    """One file the plugin adds to a site."""

    name: str  # in the section folder
    content: bytes
    source: str  # what it is made from, for messages
    page: GeneratedPlaylist | None = None  # a page's result: the HTML of its placeholders
    in_nav: bool = True  # a page of the navigation (a family's page is reached from its cards)

    @property
    def placeholders(self) -> frozenset[str]:
        """The fragments this page's Markdown has placeholders for."""
        return frozenset(PLACEHOLDER.findall(self.content.decode())) if self.page else frozenset()


@dataclass
class Site:
    """Everything the plugin adds to a site."""

    url_prefix: str
    playlists: list[PlaylistResult]
    outputs: dict[str, Output] = field(default_factory=dict)  # by URI in the site
    warnings: list[str] = field(default_factory=list)  # "file: warning"
    notices: list[str] = field(default_factory=list)  # "file: notice", for the log's INFO

    @property
    def pages(self) -> dict[str, GeneratedPlaylist]:
        """Each page of the navigation's result, by its URI."""
        return {
            uri: out.page
            for uri, out in self.outputs.items()
            if out.page is not None and out.in_nav
        }

    def add(self, page_name: str, result: GeneratedPlaylist, source: str) -> None:
        """Add one playlist's files (named relative to the section folder) and warnings: its
        page, the pages of its families' mixes (out of the navigation) and the rest."""
        for name, content in result.files.items():
            page = result if name.endswith(".md") else None
            self.outputs[self.uri(name)] = Output(name, content, source, page, name == page_name)
        self.warnings += [f"{source}: {warning}" for warning in result.warnings]

    def uri(self, name: str) -> str:
        return section_uri(self.url_prefix, name)


def section_uri(url_prefix: str, name: str) -> str:
    """The URI in the site of a file named relative to the section folder."""
    prefix = url_prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


def resolve_playlists(
    config: Options,
    config_file: str | None,
    language: str = DEFAULT,
    custom_dir: str | None = None,
) -> list[Playlist]:
    """The configured playlists, their pages in `language` (see `site_language`) and from the
    templates of the `templates` option and the theme's `custom_dir` before the package's;
    two that would share a URL are refused."""
    base = Path(config_file or ".").resolve().parent
    chosen = base / config.templates if config.templates else None
    overrides = override_folders(chosen, custom_dir)
    templates = (overrides, templates_digest(overrides))
    playlists = [_resolve(config, entry, base, language, templates) for entry in config.playlists]
    seen: dict[str, str] = {}
    if config.overview:
        seen[section_uri(config.url_prefix, OVERVIEW_NAME)] = "the overview (overview: false)"
    for playlist in playlists:
        uri = section_uri(config.url_prefix, playlist.options.page_name)
        if uri in seen:
            raise GenerationError(
                log_line(
                    f"playlist-clusters: {playlist.shown_path} and {seen[uri]} would both be "
                    f"published as {uri}; rename one of the files"
                )
            )
        seen[uri] = playlist.shown_path
    return playlists


def site_words(config: Options, code: str) -> Language:
    """The words of the site's own pages (the overview, the section) in the language `code`."""
    return language(code, tuple(sorted(config.strings.items())))


def section_title(config: Options, code: str) -> str:
    """The section's title: the user's `section`, else the default's word in `code`."""
    if config.section == DEFAULT_SECTION:
        return site_words(config, code).tr(DEFAULT_SECTION)
    return config.section


def _resolve(
    config: Options,
    entry: PlaylistEntry,
    base: Path,
    language: str,
    templates: tuple[tuple[str, ...], str],
) -> Playlist:
    # Absolute, but links not followed: the page is named after the name the user gave, not
    # a link's target (git-annex stores files as "SHA256E-s…--<hash>.csv").
    path = Path(os.path.abspath(entry.path))
    features = entry.features or config.features
    options = PlaylistOptions(
        title=entry.title or title_from_path(entry.path),
        slug=slugify(file_stem(path.name)),
        clusters=entry.clusters,
        mix_size=entry.mix_size or config.mix_size,
        features=tuple(features) if features else None,
        representatives=entry.representatives or config.representatives,
        columns=tuple(sorted((entry.columns or {}).items())),
        language=language,
        strings=tuple(sorted(config.strings.items())),
        templates=templates[0],
        templates_digest=templates[1],
        spotify_player=config.spotify_player,
    )
    return Playlist(path, posixpath.relpath(path.as_posix(), base.as_posix()), options)


def generate_playlists(
    playlists: list[Playlist],
    cache: ResultCache,
    state: GroupState,
    languages: tuple[str, ...] = (),
) -> list[PlaylistResult]:
    """Each playlist's result, from the cache when it has it; the cache then keeps only
    these and the same pages in the other `languages` of the site (a site built once per
    language), and the state records their groups (saved by the caller once the site is
    out)."""
    results = [generate_playlist(playlist, cache, state, languages) for playlist in playlists]
    cache.retain({key for result in results for key in (result.key, *result.other_languages)})
    for item in results:
        state.record(item.playlist.options.slug, item.result.assignment)
    return results


def generate_playlist(
    playlist: Playlist,
    cache: ResultCache,
    state: GroupState | None = None,
    languages: tuple[str, ...] = (),
) -> PlaylistResult:
    """The playlist's cache key and generated files, from the cache when it has them, and
    the keys of its page in the other `languages`."""
    try:
        data = read_limited(playlist.path)  # never more than the size limit in memory
    except OSError as error:  # a data problem, as the README says: the other playlists build
        return PlaylistResult(playlist, "", unreadable(playlist.options, error))
    key = cache_key(data, playlist.options)
    # The playlist's recent versions, which its groups start from (see `versions`): from the
    # state file, which survives a fresh cache, else the site's last build's from the cache.
    history = state.previous(playlist.options.slug) if state else History()
    last = None
    if not history.versions:
        last = cache.previous(playlist.options.slug)
        version = read_version(last.assignment) if last and last.assignment else None
        history = History((version,)) if version else history
    result = cache.get(key)
    notices: tuple[str, ...] = ()
    if result is None or not follows(history, result.assignment, result.based_on):
        from .pipeline import build_playlist  # pandas, scikit-learn, matplotlib: miss only

        last = last or cache.previous(playlist.options.slug)
        grouping_key = cache_key(data, playlist.options.grouping_options)
        # The last build's groups of the same data and options, in other words (another
        # language): drawn and rendered again, not grouped again.
        same = (
            last is not None
            and last.grouping_key == grouping_key
            and follows(history, last.assignment, last.based_on)
        )
        try:
            result = build_playlist(
                data, playlist.options, history, last.grouping if same and last else None
            )
        except ColumnMappingError as error:
            message = f"playlist-clusters: {playlist.shown_path}: {error}"
            raise GenerationError(log_line(message)) from None
        result.grouping_key = grouping_key
        notices, result.notices = tuple(result.notices), []  # said once, not at each hit
        if not result.cacheable:  # a bug's page: the next build tries again
            return PlaylistResult(playlist, "", result, (), notices)
        cache.put(key, result)
    others = tuple(
        cache_key(data, dataclasses.replace(playlist.options, language=code))
        for code in languages
        if code != playlist.options.language
    )
    return PlaylistResult(playlist, key, result, others, notices)


def unreadable(options: PlaylistOptions, error: OSError) -> GeneratedPlaylist:
    """The page of a playlist whose file cannot be read (no permission, an I/O error), and
    its warning; not cached, so the next build reads the file again."""
    from .pipeline import failed_playlist  # only for this page, as on a cache miss

    reason = error.strerror or type(error).__name__
    problem = Note(
        N_("the file could not be read ({reason}); check that it is a readable file"),
        reason=reason,
    )
    said = language(options.language, options.strings).note(problem)
    return failed_playlist(options, said, [f"not grouped: {problem}"])


# The script of the `spotify_player` option, at the same place in every site.
PLAYER_SCRIPT = "assets/playlist-clusters/player.js"


def player_script(playlists: list[Playlist]) -> bytes:
    """The script that loads Spotify's player on a click (`templates/player.js`, or the user's
    override of it)."""
    templates = playlists[0].options.templates if playlists else ()
    return str(render("player.js", templates)).encode()


def generate_site(
    config: Options,
    playlists: list[Playlist],
    cache: ResultCache,
    state: GroupState,
    code: str = DEFAULT,
    languages: tuple[str, ...] = (),
) -> Site:
    """Every file the plugin adds to the site, by URI; the overview in the language `code`
    (the playlists' pages in their options' language). `languages`: the site's other
    languages, whose pages the cache keeps (see `generate_playlists`)."""
    site = Site(config.url_prefix, generate_playlists(playlists, cache, state, languages))
    # What reading the state file found: taken once, though a site in several languages
    # comes here for each.
    warnings, notices = state.take_messages()
    site.warnings += warnings
    site.notices += notices
    if config.overview and site.playlists:
        entries = [
            OverviewEntry(
                item.playlist.options.page_name,
                item.result.summary or PlaylistSummary(item.playlist.options.title, 0),
            )
            for item in site.playlists
        ]
        title, words = section_title(config, code), site_words(config, code)
        templates = playlists[0].options.templates if playlists else ()
        page = overview_page(title, entries, words, templates).encode()
        source = "the overview of all playlists (overview: false turns it off)"
        site.add(OVERVIEW_NAME, GeneratedPlaylist({OVERVIEW_NAME: page}), source)
    for item in site.playlists:
        site.add(item.playlist.options.page_name, item.result, item.playlist.shown_path)
        site.notices += [f"{item.playlist.shown_path}: {notice}" for notice in item.notices]
    return site


def insert_fragments(
    text: str,
    fragments: dict[str, str],
    folder: str,
    end: str = "/",
    expected: Collection[str] | None = None,
) -> tuple[str, list[str]]:
    """`text` with the placeholders of `fragments` replaced by their HTML, and the names of
    the `expected` fragments (by default all) whose placeholder was not found. `folder` is the
    relative URL from the page's URL to the folder of its Markdown file, `end` what ends the
    URL of a page (see `playlist.PAGE_FOLDER` and `PAGE_END`)."""
    found: set[str] = set()

    def fragment(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            return match.group(0)  # the other stage's placeholder
        found.add(name)
        return fragments[name]

    text = PLACEHOLDER.sub(fragment, text).replace(PAGE_FOLDER, folder).replace(PAGE_END, end)
    wanted = set(fragments) if expected is None else set(expected) & set(fragments)
    return text, sorted(wanted - found)


def standalone_page(markdown: bytes, result: GeneratedPlaylist, directory_urls: bool) -> bytes:
    """A generated page that needs no plugin: every table in place, marked as generated;
    `directory_urls` says whether the site serves `mix.md` at `mix/` (the default of MkDocs
    and Zensical) or at `mix.html`.

    The tables are HTML whose data text is already escaped for Markdown too (see
    `escaping.escape_text`), so a Markdown processor passes them through as raw HTML.
    """
    fragments = {
        name: markdown_facts(html) if name.startswith("facts-") else html
        for name, html in {**result.indexed, **result.unindexed}.items()
    }
    folder = "../" if directory_urls else ""
    text, _ = insert_fragments(markdown.decode(), fragments, folder, page_end(directory_urls))
    head, body = _split_front_matter(text)
    return f"{head}{PAGE_MARKER}\n{body}".encode()


# A link of a mix's facts, from the page's folder (see `presenting.group_sections.mix_facts`).
_FACT_LINK = re.compile(r'<a href="' + re.escape(PAGE_FOLDER) + r'([^"]*)">([^<]*)</a>')


def markdown_facts(html: str) -> str:
    """A mix's facts as Markdown, for a page that another generator builds: it resolves
    Markdown's links from the Markdown file, as every generator does (Zensical rewrites raw
    HTML links to files that way too, so the page folder's token would count twice)."""
    return _FACT_LINK.sub(r"[\2](\1)", html.removeprefix("<p>").removesuffix("</p>"))


def _split_front_matter(text: str) -> tuple[str, str]:
    """(front matter with its fences, or '', the rest)."""
    match = re.match(r"---\n.*?\n---\n", text, flags=re.DOTALL)
    return (text[: match.end()], text[match.end() :]) if match else ("", text)


def is_own_output(folder: Path, name: str) -> bool:
    """Whether `folder/name` is a file the generator wrote there, unchanged since for files
    other than pages (a page carries `PAGE_MARKER`; other files are checked against the
    manifest). Never for a name that leads outside `folder`.

    Line ends do not count: the generator writes LF, and Git for Windows checks text files
    out with CRLF (`core.autocrlf=true`, its default), which made 15 of 17 files a user's."""
    path = folder / name
    try:
        if not is_inside(folder, name) or not path.is_file():
            return False
        if name.endswith(".md"):
            with path.open(encoding="utf-8", errors="replace") as file:  # CRLF read as LF
                head = file.read(4096)
            return _split_front_matter(head)[1].startswith(PAGE_MARKER + "\n")
        content = path.read_bytes()
        digests = read_manifest(folder).get(name, frozenset())
        return any(
            hashlib.sha256(version).hexdigest() in digests
            for version in (content, content.replace(b"\r\n", b"\n"))
        )
    except OSError:
        return False


def is_inside(folder: Path, name: str) -> bool:
    """Whether `folder/name` lies inside `folder`, links followed: a name from a manifest,
    which anyone may edit, must never lead the generator elsewhere."""
    if not is_relative_name(name):
        return False
    try:
        return (folder / name).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        return False


def read_manifest(folder: Path) -> dict[str, frozenset[str]]:
    """The generator's manifest in `folder`: each name inside `folder` -> the SHA-256 of what
    the generator wrote there (more than one while a run replaces files, see
    `manifest_bytes`); {} when missing or damaged."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files, replacing = manifest["files"], manifest.get("replacing", {})
        listed = {name: {digest} for name, digest in files.items()}
        for name, digests in replacing.items():
            listed.setdefault(name, set()).update(digests)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {
        name: frozenset(digests)
        for name, digests in listed.items()
        if is_inside(folder, name) and all(isinstance(digest, str) for digest in digests)
    }


def manifest_bytes(
    files: dict[str, bytes], replacing: dict[str, frozenset[str]] | None = None
) -> bytes:
    """The manifest of `files`; while a run moves them into place, also the digests of what
    they replace, so that the files of a run killed half-way are still recognised as the
    generator's by the next run."""
    manifest: dict[str, Any] = {"files": file_digests(dict(sorted(files.items())))}
    if replacing:
        manifest["replacing"] = {name: sorted(old) for name, old in sorted(replacing.items())}
    return (json.dumps(manifest, indent=1) + "\n").encode()
