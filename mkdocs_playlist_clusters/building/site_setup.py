"""What a build of the site starts from: the result cache and the state file, each where the
configuration puts it (refused where it would be published or overwritten), the pages'
language and the playlists; the same for the plugin and the `generate` command."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..escaping import log_line
from ..grouping.state import GroupState
from ..language import resolve_language
from .cache import ResultCache
from .generation import GenerationError, Playlist, resolve_playlists
from .options import (
    DEFAULT_STATE_FILE,
    Options,
)


def open_cache(
    config: Options, config_file: str | None, docs_dir: str, site_dir: str
) -> ResultCache:
    """The result cache the configuration asks for. A cache_dir that is, holds or lies inside
    docs_dir or site_dir, or holds the project folder, is refused."""
    base = Path(config_file or ".").resolve().parent
    directory = (base / config.cache_dir).resolve() if config.cache else None
    if directory is None:
        return ResultCache(None)
    advice = "keep it in a folder of its own, e.g. the default .cache/plugin/playlist-clusters"
    if base.is_relative_to(directory):  # `.`, `''`, `..`: entries among the project's files
        raise GenerationError(
            f"playlist-clusters: cache_dir {config.cache_dir!r} is the project folder or holds "
            f"it; {advice}"
        )
    # In docs_dir, `mkdocs serve` would rebuild for ever; in site_dir, the cache (and the
    # absolute path of mkdocs.yml) would be published.
    for name, folder in (
        ("docs_dir", Path(docs_dir).resolve()),
        ("site_dir", Path(site_dir).resolve()),
    ):
        if directory.is_relative_to(folder) or folder.is_relative_to(directory):
            where = "is inside" if directory.is_relative_to(folder) else "holds"
            raise GenerationError(
                f"playlist-clusters: cache_dir {config.cache_dir!r} {where} {name}; {advice}"
            )
    return ResultCache(directory, config_file or "")


def open_state(
    config: Options, config_file: str | None, docs_dir: str, site_dir: str
) -> GroupState:
    """The state file the configuration asks for (see `state`), read."""
    if config.state_file is False or config.state_file == "":
        return GroupState(None)
    name = DEFAULT_STATE_FILE if config.state_file is True else str(config.state_file)
    return GroupState(state_path(config, name, config_file, docs_dir, site_dir), name)


def state_path(
    config: Options, name: str, config_file: str | None, docs_dir: str, site_dir: str
) -> Path:
    """Where the state file `name` is: a file in the project folder (mkdocs.yml's), links
    followed up to its folder but not in its own name (see `state`). A name that leads out of
    the project or to a file the build needs, publishes or deletes is refused."""
    base = Path(config_file or ".").resolve().parent
    advice = f"keep it beside mkdocs.yml (the default, {DEFAULT_STATE_FILE})"
    if "\0" in name:
        raise GenerationError(f"playlist-clusters: state_file {name!r} is not a file name")
    lexical = Path(os.path.normpath(base / name))
    path = lexical.parent.resolve() / lexical.name
    if path == base or not path.is_relative_to(base):
        raise GenerationError(
            log_line(
                f"playlist-clusters: state_file {name!r} is not a file inside the project "
                f"folder ({base}); {advice}"
            )
        )
    others = [
        (Path(entry.path), f"the playlist file {os.path.relpath(entry.path, base)}")
        for entry in config.playlists
    ]
    if config_file:
        others.append((Path(config_file), "the configuration file"))
    for other, what in others:
        if _same_file(path, other):
            raise GenerationError(
                log_line(
                    f"playlist-clusters: state_file {name!r} is {what}, which every build would "
                    f"overwrite; {advice}"
                )
            )
    # In docs_dir, `mkdocs serve` would rebuild for ever; in site_dir, every other build would
    # delete it, and it would be published.
    for folder, what in ((docs_dir, "docs_dir"), (site_dir, "site_dir")):
        if path.is_relative_to(Path(folder).resolve()):
            raise GenerationError(
                log_line(
                    f"playlist-clusters: state_file {name!r} is inside {what}, where it would be "
                    f"published and every build would rewrite or delete it; {advice}"
                )
            )
    return path


def _same_file(path: Path, other: Path) -> bool:
    """Whether two paths name one file: the same after links, or one file's hard links."""
    try:
        if os.path.realpath(path) == os.path.realpath(other):
            return True
        return path.exists() and other.exists() and os.path.samefile(path, other)
    except (OSError, ValueError):
        return False


def save_state(state: GroupState, went_through: bool = True) -> str | None:
    """Write the state file after a build that went through (`went_through`: else what it
    recorded is forgotten and the file left as it is); the warning for the log when it
    cannot be written."""
    if not went_through:
        state.discard()
        return None
    state.save()
    if state.problem:
        return f"state_file: {state.problem}; mixes keep their numbers only while the cache lives"
    return None


@dataclass
class SiteSetup:
    """What a build of the site starts from, as the configuration gives it: the same for the
    plugin and the `generate` command."""

    cache: ResultCache
    state: GroupState
    language: str  # the pages' (see `site_language`)
    notice: str | None  # about the language, for the log
    playlists: list[Playlist]


def set_up(
    config: Options,
    config_file: str | None,
    docs_dir: str,
    site_dir: str,
    theme: Any,
    custom_dir: str | None = None,
    flag: str | None = None,
) -> SiteSetup:
    """Open the cache and the state file, choose the pages' language (`flag`: the command's
    `--language`) and resolve the playlists, in that order; `GenerationError` for a
    configuration that cannot be built."""
    cache = open_cache(config, config_file, docs_dir, site_dir)
    state = open_state(config, config_file, docs_dir, site_dir)
    code, notice = site_language(config, theme, flag)
    playlists = resolve_playlists(config, config_file, code, custom_dir)
    return SiteSetup(cache, state, code, notice, playlists)


def site_language(config: Options, theme: Any, flag: str | None = None) -> tuple[str, str | None]:
    """The pages' language and, for an unsupported one, a notice naming it: `flag` (the
    command's `--language`), the plugin's `language`, the theme's `language` (Material) or
    `locale` (MkDocs' themes), else English. `theme` is the theme's settings (a mapping)."""
    theme = theme if isinstance(theme, Mapping) else {}
    candidates = [flag, config.language, theme.get("language"), theme.get("locale")]
    return resolve_language(*(str(c) if c is not None else None for c in candidates))
