"""Generated playlists kept in memory and on disk, keyed by everything they depend on.

A hit needs neither pandas, scikit-learn nor matplotlib: this module imports none of them, and
reads their versions from package metadata.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import types
import typing
from importlib import metadata
from pathlib import Path
from typing import Any

from ..escaping import is_relative_name
from ..files import file_digests, replace_file, write_files
from ..playlist import GeneratedPlaylist, PlaylistOptions, PlaylistSummary

# Packages whose upgrade may change a result: clusters, images (Pillow writes the PNGs), their
# rendering, or what a Parquet file reads as.
_RESULT_PACKAGES = (
    "numpy",
    "pandas",
    "scikit-learn",
    "scipy",
    "matplotlib",
    "babel",
    "pillow",
    "pyarrow",
)
_MANIFEST = "manifest.json"
_ASSIGNMENT = ".assignment.json"  # beside the published files; a dot name none of them has
_GROUPING = ".grouping.npz"  # likewise
_SITES = "sites"  # which entries each site's last build used: one JSON file per site
_ENTRY_NAME = re.compile(r"[\w-]+\.[0-9a-f]{64}")  # `cache_key`'s form: nothing else is removed
_DIGEST = re.compile(r"[0-9a-f]{64}")
_STAGING = ".staging-"
# A staging folder lives while one entry's files, already computed, are written: seconds at
# most. One this old is left by a killed build, never held by a running one.
STALE_STAGING_SECONDS = 3600


@functools.cache
def _versions() -> str:
    # The plugin's own source and catalogues, not just its version number: a development
    # checkout changes without a new version.
    from .. import __version__

    source = hashlib.sha256()
    folder = Path(__file__).parents[1]
    for path in sorted([*folder.rglob("*.py"), *folder.glob("locale/*/LC_MESSAGES/*.mo")]):
        source.update(path.read_bytes())
    versions = [f"mkdocs-playlist-clusters={__version__}+{source.hexdigest()[:16]}"]
    for package in _RESULT_PACKAGES:
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=missing")
    versions.append(f"fonts={_font_list_digest()}")
    return ";".join(versions)


def _font_list_digest() -> str:
    """A digest of matplotlib's list of the installed fonts, which decides what the figures
    can draw (with Noto CJK installed, a PNG shows Japanese words; without it, English), read
    from matplotlib's cache folder without importing matplotlib; "none" before matplotlib has
    written it (a fresh machine's first build)."""
    folder = _matplotlib_cache_folder()
    paths = sorted(folder.glob("fontlist-v*.json")) if folder else []
    if not paths:
        return "none"
    digest = hashlib.sha256()
    for path in paths:
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _matplotlib_cache_folder() -> Path | None:
    """Where matplotlib keeps its font list, found as `matplotlib.get_cachedir` finds it."""
    if os.environ.get("MPLCONFIGDIR"):
        return Path(os.environ["MPLCONFIGDIR"])
    try:
        home = Path.home()
    except RuntimeError:  # no home folder: matplotlib uses a new temporary one each run
        return None
    if sys.platform.startswith(("linux", "freebsd")):
        return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib"
    if sys.platform == "win32" and not (home / ".matplotlib").is_dir():
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "matplotlib" if local else home / ".matplotlib"
    return home / ".matplotlib"


def cache_key(data: bytes, options: PlaylistOptions) -> str:
    """`<slug>.<hash>`: the hash covers the file's bytes, the page's options (its language
    and wording too) and the versions that shape the result; the slug groups a playlist's
    entries so old ones can go."""
    digest = hashlib.sha256()
    for part in (
        json.dumps(dataclasses.asdict(options), sort_keys=True).encode(),
        _versions().encode(),
        data,
    ):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return f"{options.slug}.{digest.hexdigest()}"


class ResultCache:
    """Results by key: a dict for the life of the process and, optionally, a folder on disk.

    Each entry on disk is a folder holding the generated files and a manifest with their
    SHA-256; an entry whose files do not match their manifest is treated as missing. Entries
    are written under a temporary name and renamed into place, so readers never see half of
    one.

    Several sites may share the folder (like Material's social-plugin cache): each site, named
    by its config file, lists in `sites/` the entries its last build used, and an entry goes
    when no site lists it. So editing a playlist under `mkdocs serve` does not fill the disk,
    the entry of a playlist removed from mkdocs.yml goes at the site's next build, and one
    site's build never removes an entry another site's last build used.
    """

    def __init__(self, directory: Path | None, site: str = "") -> None:
        self.directory = directory
        self.site = os.path.abspath(site) if site else ""
        self._memory: dict[str, GeneratedPlaylist] = {}
        self._notices: list[str] = []

    def take_notices(self) -> list[str]:
        """One line for each reason the cache could not keep results on disk since the last
        call: what the caller logs (the build goes on, only slower)."""
        notices, self._notices = self._notices, []
        return notices

    def _notice(self, error: OSError) -> None:
        assert self.directory is not None
        blocker = next(
            (p for p in (self.directory, *self.directory.parents) if p.exists() and not p.is_dir()),
            None,
        )
        if blocker is not None:
            notice = (
                f"cache_dir: {blocker} is a file where the cache needs a folder, so results are "
                "not kept between builds; remove it or set another cache_dir"
            )
        else:
            notice = (
                f"cache_dir: cannot write in {self.directory} ({error.strerror or error}), so "
                "results are not kept between builds"
            )
        if notice not in self._notices:
            self._notices.append(notice)

    def get(self, key: str) -> GeneratedPlaylist | None:
        if key in self._memory:
            return self._memory[key]
        result = self._read(key) if self.directory else None
        if result is not None:
            self._memory[key] = result
        return result

    def put(self, key: str, result: GeneratedPlaylist) -> None:
        self._memory[key] = result
        if self.directory:
            # A read-only or full disk costs speed, never the build.
            try:
                # Listed before it exists, so another site's `retain` never takes it for
                # an entry nobody uses.
                self._list_keys(self._listed_keys() | {key})
                self._write(key, result)
            except OSError as error:
                self._notice(error)

    def previous(self, slug: str) -> GeneratedPlaylist | None:
        """The result this site's last build used for the playlist `slug`, if still cached:
        whose cluster numbers the next result keeps (see `numbering`)."""
        if not self.directory:
            return None  # without a cache folder, clusters take the default numbers
        with contextlib.suppress(OSError):
            for key in sorted(self._listed_keys()):
                # A site in several languages lists the playlist's page in each, some perhaps
                # not made yet: the first one that is.
                if key.rpartition(".")[0] == slug and (result := self.get(key)) is not None:
                    return result
        return None

    def retain(self, keys: set[str]) -> None:
        """Keep only these results, the ones this build used: other results in memory go
        (`mkdocs serve` would otherwise keep every version of every playlist it has seen),
        and so do entries on disk that no site's last build used."""
        self._memory = {key: value for key, value in self._memory.items() if key in keys}
        if self.directory:
            try:
                self._list_keys(keys)
                for key in sorted(keys & self._memory.keys()):
                    if not (self.directory / key).is_dir():  # removed meanwhile: write again
                        self._write(key, self._memory[key])
                self._remove_unlisted()
                self._remove_stale_staging()
            except OSError as error:
                self._notice(error)

    def _site_list(self) -> Path:
        assert self.directory is not None
        name = hashlib.sha256(self.site.encode()).hexdigest()[:16]
        return self.directory / _SITES / f"{name}.json"

    def _listed_keys(self) -> set[str]:
        return set(_read_site_list(self._site_list())[1])

    def _list_keys(self, keys: set[str]) -> None:
        """Record `keys` as this site's entries, atomically."""
        listing = json.dumps({"site": self.site, "keys": sorted(keys)}, indent=1)
        # Named as staging folders are: a list a killed build left half-written is removed
        # with them (`_remove_stale_staging`).
        replace_file(self._site_list(), listing.encode("utf-8"), prefix=_STAGING)

    def _remove_unlisted(self) -> None:
        """Remove the entries no site lists. Entries are found before the lists are read: an
        entry is listed before it is written (see `put`), so a new one is never taken for an
        unused one."""
        assert self.directory is not None
        entries = [p for p in self.directory.iterdir() if _ENTRY_NAME.fullmatch(p.name)]
        listed: set[str] = set()
        for path in (self.directory / _SITES).glob("*.json"):
            site, keys = _read_site_list(path)
            if site and not os.path.exists(site):  # the site was moved or deleted
                path.unlink(missing_ok=True)
                continue
            listed.update(keys)
        for entry in entries:
            if entry.name not in listed:
                _remove_tree(entry)

    def _remove_stale_staging(self) -> None:
        """Remove what killed builds left half-written: staging folders and lists old enough
        that no running build still writes them (see `STALE_STAGING_SECONDS`)."""
        assert self.directory is not None
        limit = time.time() - STALE_STAGING_SECONDS
        for folder in (self.directory, self.directory / _SITES):
            for path in folder.glob(f"{_STAGING}*"):
                with contextlib.suppress(OSError):
                    if path.lstat().st_mtime < limit:
                        _remove_tree(path)

    def _read(self, key: str) -> GeneratedPlaylist | None:
        """The entry `key`; None when it is missing or damaged in any way (unreadable, a
        manifest of the wrong shape, a file that does not match its digest), so that the
        caller computes it again and `put` replaces it."""
        assert self.directory is not None
        entry = self.directory / key
        try:
            manifest = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
            if not _is_manifest(manifest):
                return None
            files = {}
            for name, digest in manifest["files"].items():
                content = (entry / name).read_bytes()
                if hashlib.sha256(content).hexdigest() != digest:
                    return None
                files[name] = content
            assignment = (entry / _ASSIGNMENT).read_bytes()
            if hashlib.sha256(assignment).hexdigest() != manifest["assignment"]:
                return None
            grouping = (entry / _GROUPING).read_bytes()
            if hashlib.sha256(grouping).hexdigest() != manifest["grouping"]:
                return None
            summary = manifest["summary"]
            return GeneratedPlaylist(
                files,
                manifest["warnings"],
                manifest["indexed"],
                manifest["unindexed"],
                assignment,
                manifest["based_on"],
                PlaylistSummary.from_json(summary) if summary is not None else None,
                grouping,
                manifest["grouping_key"],
            )
        except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError too
            return None

    def _write(self, key: str, result: GeneratedPlaylist) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=self.directory))
        try:
            write_files(staging, result.files)
            (staging / _ASSIGNMENT).write_bytes(result.assignment)
            (staging / _GROUPING).write_bytes(result.grouping)
            manifest = {
                "files": file_digests(result.files),
                "assignment": hashlib.sha256(result.assignment).hexdigest(),
                "grouping": hashlib.sha256(result.grouping).hexdigest(),
                "grouping_key": result.grouping_key,
                "based_on": result.based_on,
                "summary": result.summary.to_json() if result.summary else None,
                "warnings": result.warnings,
                # The pages' table HTML: small beside the files, and read with the manifest.
                "indexed": result.indexed,
                "unindexed": result.unindexed,
            }
            (staging / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            target = self.directory / key
            _remove_tree(target)  # a stale or corrupt entry under the same key
            os.replace(staging, target)
        finally:
            _remove_tree(staging)  # gone already unless something failed


def _read_site_list(path: Path) -> tuple[str, list[str]]:
    """(site, keys) of a site's list; a missing or damaged list lists nothing."""
    try:
        listing = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "", []
    if not isinstance(listing, dict) or not isinstance(listing.get("site"), str):
        return "", []
    keys = listing.get("keys")
    if not isinstance(keys, list):
        return "", []
    # Only names of entries: a key like "../x" would otherwise be read or written outside.
    return listing["site"], [k for k in keys if isinstance(k, str) and _ENTRY_NAME.fullmatch(k)]


def _is_manifest(manifest: object) -> bool:
    """Whether an entry's manifest has the shape `_write` gives it."""
    if not isinstance(manifest, dict):
        return False
    files = manifest.get("files")
    return (
        _is_text_dict(files)
        and all(is_relative_name(n) and _DIGEST.fullmatch(d) for n, d in files.items())
        and isinstance(manifest.get("assignment"), str)
        and isinstance(manifest.get("grouping"), str)
        and isinstance(manifest.get("grouping_key"), str)
        and isinstance(manifest.get("based_on"), str)
        and isinstance(manifest.get("warnings"), list)
        and all(isinstance(warning, str) for warning in manifest["warnings"])
        and _is_text_dict(manifest.get("indexed"))
        and _is_text_dict(manifest.get("unindexed"))
        and "summary" in manifest
        and (manifest["summary"] is None or _is_instance(manifest["summary"], PlaylistSummary))
    )


def _is_text_dict(value: object) -> typing.TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


def _is_instance(value: object, kind: Any) -> bool:
    """Whether JSON `value` fits the type `kind`: a dataclass (as a mapping of its fields),
    `tuple[X, ...]` (as a list), a union or a plain type; enough for `PlaylistSummary`."""
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {f.name: f for f in dataclasses.fields(kind)}
        return (
            isinstance(value, dict)
            and set(value) <= set(fields)
            and all(
                name in value
                or field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING
                for name, field in fields.items()
            )
            and all(_is_instance(item, hints[name]) for name, item in value.items())
        )
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_is_instance(value, argument) for argument in arguments)
    if origin is tuple:
        return isinstance(value, list) and all(_is_instance(v, arguments[0]) for v in value)
    if kind is type(None):
        return value is None
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(kind, type) and isinstance(value, kind)


def _remove_tree(path: Path) -> None:
    """Remove a folder, or a file or link where one of the cache's folders belongs."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)
