"""`playlist-clusters generate`: write what the plugin would add to a site into a folder, for
Zensical and any other Markdown site generator that cannot run MkDocs plugins.

The configuration is the plugin's, read from mkdocs.yml: the `playlist-clusters` entry under
`plugins:` when there is one, else a `playlist_clusters:` block under `extra:` (which
Zensical and MkDocs both accept without knowing the plugin). mkdocs.yml is read with plain
YAML rather than loaded as an MkDocs config, so that a Zensical-only configuration (a theme
or extensions MkDocs does not have) does not stop it; only `docs_dir`, `plugins` and `extra`
are read. Nothing it imports imports MkDocs (the options' rules are `options.py`'s), so it runs
where MkDocs 1.x is not installed: beside MkDocs 2.0 or Zensical.

Exit status: 0 done, 1 a data warning with `--strict`, 2 a configuration error (mkdocs.yml,
the options or the output folder), 3 the output could not be written (a full disk). Messages
are the plugin's, one line each, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from ..escaping import log_line
from ..files import write_files
from .generation import (
    MANIFEST,
    GenerationError,
    generate_site,
    is_inside,
    is_own_output,
    manifest_bytes,
    read_manifest,
    standalone_page,
)
from .option_rules import OptionError
from .options import Options, read_options
from .site_setup import save_state, set_up

PLUGIN = "playlist-clusters"
EXTRA_KEY = "playlist_clusters"


class ConfigurationError(Exception):
    """A one-line message about mkdocs.yml, the options or the output folder; exit status 2."""


class OutputError(Exception):
    """The output could not be written (a full disk, no permission); exit status 3."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="playlist-clusters",
        description="Cluster playlist exports into pages, as the MkDocs plugin does.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser(
        "generate",
        help="write the playlist pages, images and downloads into a folder",
        description="Write the pages, images and downloads the plugin would add to the site "
        "into a folder (default: <docs_dir>/<url_prefix>), for site generators without MkDocs "
        "plugins such as Zensical.",
    )
    generate.add_argument(
        "-f", "--config-file", default="mkdocs.yml", help="the site's config (default: mkdocs.yml)"
    )
    generate.add_argument(
        "-o", "--output", help="the folder to write into (default: <docs_dir>/<url_prefix>)"
    )
    generate.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a data file gives a warning"
    )
    generate.add_argument(
        "--language",
        help="the pages' language, e.g. de (default: the plugin's language, else the theme's)",
    )
    args = parser.parse_args(argv)
    try:
        output = Path(args.output) if args.output else None
        return run(Path(args.config_file), output, args.strict, args.language)
    except GenerationError as error:  # the plugin's own message, which names the plugin
        print(log_line(f"ERROR: {error}"), file=sys.stderr)
        return 2
    except ConfigurationError as error:
        print(log_line(f"ERROR: {PLUGIN}: {error}"), file=sys.stderr)
        return 2
    except OutputError as error:
        print(log_line(f"ERROR: {PLUGIN}: {error}"), file=sys.stderr)
        return 3


def run(config_file: Path, output: Path | None, strict: bool, flag: str | None = None) -> int:
    """Generate; return the exit status. `flag`: the `--language` asked for."""
    settings = read_settings(config_file)
    docs_dir = config_file.parent / _text(settings.get("docs_dir"), "docs", "docs_dir")
    options, where = _plugin_options(settings, config_file)
    config, warnings = validate(options, config_file, where)
    site_dir = config_file.parent / _text(settings.get("site_dir"), "site", "site_dir")
    theme = settings.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom_dir, str):  # relative to mkdocs.yml, as MkDocs reads it
        custom_dir = str(config_file.parent / custom_dir)
    setup = set_up(
        config, str(config_file), str(docs_dir), str(site_dir), theme, custom_dir or None, flag
    )
    cache, state, language_notice = setup.cache, setup.state, setup.notice
    site = generate_site(config, setup.playlists, cache, state, setup.language)
    folder = output if output is not None else docs_dir / config.url_prefix.strip("/")
    directory_urls = settings.get("use_directory_urls", True) is not False
    files: dict[str, bytes] = {}
    for made in site.outputs.values():
        page = made.page
        files[made.name] = (
            standalone_page(made.content, page, directory_urls) if page else made.content
        )
    written = write_folder(folder, files)
    # Only after the output is written: a failed run leaves the state as it was, and so does
    # a --strict run that fails on its warnings.
    failing = strict and bool(warnings or site.warnings)
    problem = save_state(state, went_through=not failing)
    warnings += [problem] if problem else []
    for warning in warnings + site.warnings:
        print(log_line(f"WARNING: {PLUGIN}: {warning}"), file=sys.stderr)
    notices = ([language_notice] if language_notice else []) + site.notices
    for notice in notices + cache.take_notices():
        print(log_line(f"INFO: {PLUGIN}: {notice}"), file=sys.stderr)
    for path in written:
        print(log_line(f"wrote {_shown(path)}"))
    unchanged = len(files) - len(written)
    print(
        log_line(
            f"{PLUGIN}: {len(site.playlists)} playlists, {len(files)} files in {_shown(folder)}"
            + (f" ({unchanged} unchanged)" if unchanged else "")
        )
    )
    return 1 if strict and (warnings or site.warnings) else 0


def read_settings(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data. MkDocs' `!ENV` tag gives the variable's value (or the
    default); `!relative` the config's folder; any other tag (Material's `!!python/name:`
    emoji functions, for one) None, as nothing here reads those values."""
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigurationError(f"cannot read {config_file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigurationError(f"{config_file} is not UTF-8 text") from None
    try:
        settings = yaml.load(text, Loader=_loader(config_file))
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1})" if where else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ConfigurationError(f"{config_file}{line}: {problem}") from None
    if not isinstance(settings, dict):
        raise ConfigurationError(f"{config_file} is not a mapping of settings")
    return settings


def _loader(config_file: Path) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def relative(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        return str(config_file.parent)

    def other(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        return None

    Loader.add_constructor("!ENV", construct_env_tag)  # as MkDocs and ProperDocs read it
    Loader.add_constructor("!relative", relative)
    Loader.add_multi_constructor("!", other)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", other)
    return Loader


def _plugin_options(settings: dict[str, Any], config_file: Path) -> tuple[Any, str]:
    """The plugin's options and where they were found, for messages."""
    plugins = settings.get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else _entries(plugins)
    for name, options in entries:
        if name == PLUGIN or name.endswith(f"/{PLUGIN}"):
            return options, f"Plugin '{PLUGIN}'"
    extra = settings.get("extra")
    if isinstance(extra, dict) and EXTRA_KEY in extra:
        return extra[EXTRA_KEY], f"extra.{EXTRA_KEY}"
    raise ConfigurationError(
        f"{config_file} has no '{PLUGIN}' entry under plugins: and no '{EXTRA_KEY}' "
        "block under extra:; add one with your playlists"
    )


def _entries(plugins: Any) -> list[tuple[str, Any]]:
    if not isinstance(plugins, list):
        return []
    entries: list[tuple[str, Any]] = []
    for item in plugins:
        if isinstance(item, str):
            entries.append((item, None))
        elif isinstance(item, dict) and len(item) == 1:
            ((name, options),) = item.items()
            entries.append((str(name), options))
    return entries


def validate(options: Any, config_file: Path, where: str) -> tuple[Options, list[str]]:
    """The options validated by the plugin's own rules, as in MkDocs, and their warnings."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ConfigurationError(f"{where} options: expected a mapping, got {options!r}")
    try:
        config, warnings = read_options(options, str(config_file))
    except OptionError as error:
        raise ConfigurationError(f"{where} {error}") from None
    return config, [f"{where} {warning}" for warning in warnings]


def write_folder(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write `files` into `folder` with a manifest of them; return the paths written.

    A file already there is replaced only when the generator wrote it (a user's page at a
    generated path is an error, as in the plugin); unchanged files are not touched, so that a
    watching server does not rebuild; files of an earlier run that this run no longer makes
    are removed. Nothing outside `folder` is touched, whatever its manifest says.

    Every file is first written into a staging folder beside `folder`, so that a full disk
    leaves `folder` as it was; then moved into place, which needs no space.
    """
    _check_output(folder, files)
    previous = read_manifest(folder)
    changed = {
        name: files[name] for name in sorted(files) if not _holds(folder / name, files[name])
    }
    stale = [name for name in sorted(set(previous) - set(files)) if is_own_output(folder, name)]
    manifest = manifest_bytes(files)
    if not changed and not stale and _holds(folder / MANIFEST, manifest):
        return []
    staging = _staging_folder(folder)
    moving = False
    try:
        write_files(staging, changed)
        (staging / MANIFEST).write_bytes(manifest)
        (staging / ".replacing").write_bytes(manifest_bytes(files, previous))
        moving = True
        folder.mkdir(exist_ok=True)
        # Until the last rename the manifest lists old and new digests: a run killed here
        # leaves files that the next run recognises and replaces.
        os.replace(staging / ".replacing", folder / MANIFEST)
        for name in changed:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, folder / name)
        for name in stale:
            (folder / name).unlink()
            _remove_empty_folders(folder, (folder / name).parent)
        os.replace(staging / MANIFEST, folder / MANIFEST)
    except OSError as error:
        state = "it may be incomplete; run again" if moving else "nothing in it was changed"
        raise OutputError(
            f"cannot write into {folder}: {error.strerror or error}; {state}"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in changed]


def _staging_folder(folder: Path) -> Path:
    """A new folder on the same file system as `folder`, for `os.replace`: beside it, or
    inside it (a dot folder, which site generators skip) when its parent is not writable."""
    prefix = ".playlist-clusters-staging-"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=folder.parent))
    except OSError as error:
        if folder.is_dir():
            with contextlib.suppress(OSError):
                return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))
        raise ConfigurationError(
            f"cannot create {folder}: {error.strerror}; choose another folder with -o"
        ) from None


def _check_output(folder: Path, files: dict[str, bytes]) -> None:
    """Refuse, before anything is written, an output that is not a folder, a user's file or
    folder where a generated one must go, and a link that leads out of the folder."""
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(
            f"the output {folder} is a file, not a folder; choose a folder with -o"
        )
    for name in sorted(files):
        path = folder / name
        for parent in reversed(Path(name).parents[:-1]):  # "mix/a.csv" -> "mix"
            if (folder / parent).exists() and not (folder / parent).is_dir():
                raise ConfigurationError(
                    f"{folder / parent} is a file where '{PLUGIN} generate' writes a folder; "
                    "move it or choose another output folder"
                )
        if not is_inside(folder, name):
            raise ConfigurationError(
                f"{path} leads outside {folder} (a link); remove it or choose another output folder"
            )
        if (path.exists() or path.is_symlink()) and not is_own_output(folder, name):
            raise ConfigurationError(
                f"{path} exists and was not written by '{PLUGIN} generate'; "
                "move it or choose another output folder"
            )


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.is_file() and path.read_bytes() == content
    except OSError:
        return False


def _remove_empty_folders(folder: Path, path: Path) -> None:
    """Remove `path` and its parents up to `folder` while they are empty (a removed
    playlist's downloads folder)."""
    while path != folder and path.is_relative_to(folder):
        try:
            path.rmdir()
        except OSError:  # not empty
            return
        path = path.parent


def _text(value: Any, default: str, name: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigurationError(f"{name}: expected a path, got {value!r}")
    return value


def _shown(path: Path) -> str:
    """`path` relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
