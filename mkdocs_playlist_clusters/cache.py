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
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from . import __version__
from .playlist import GeneratedPlaylist, PlaylistOptions

# Packages whose upgrade may change a result: clusters, images or their rendering.
_RESULT_PACKAGES = ("numpy", "pandas", "scikit-learn", "matplotlib")
_MANIFEST = "manifest.json"


@functools.cache
def _versions() -> str:
    # The plugin's own source, not just its version number: a development checkout changes
    # without a new version.
    source = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        source.update(module.read_bytes())
    versions = [f"mkdocs-playlist-clusters={__version__}+{source.hexdigest()[:16]}"]
    for package in _RESULT_PACKAGES:
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=missing")
    return ";".join(versions)


def cache_key(data: bytes, options: PlaylistOptions) -> str:
    """`<slug>.<hash>`: the hash covers the file's bytes, the page's options and the versions
    that shape the result; the slug groups a playlist's entries so old ones can go."""
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
    one. Writing a playlist's new entry removes its older ones, so editing a playlist under
    `mkdocs serve` does not fill the disk.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._memory: dict[str, GeneratedPlaylist] = {}

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
            with contextlib.suppress(OSError):
                self._write(key, result)

    def retain(self, keys: set[str]) -> None:
        """Forget in-memory results other than these: `mkdocs serve` would otherwise keep
        every version of every playlist it has seen."""
        self._memory = {key: value for key, value in self._memory.items() if key in keys}

    def _read(self, key: str) -> GeneratedPlaylist | None:
        assert self.directory is not None
        entry = self.directory / key
        try:
            manifest = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
            files = {}
            for name, digest in manifest["files"].items():
                content = (entry / name).read_bytes()
                if hashlib.sha256(content).hexdigest() != digest:
                    return None
                files[name] = content
            return GeneratedPlaylist(files, list(manifest["warnings"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(self, key: str, result: GeneratedPlaylist) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.directory))
        try:
            for name, content in result.files.items():
                (staging / name).write_bytes(content)
            manifest = {
                "files": {n: hashlib.sha256(c).hexdigest() for n, c in result.files.items()},
                "warnings": result.warnings,
            }
            (staging / _MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            target = self.directory / key
            _remove_tree(target)  # a stale or corrupt entry under the same key
            os.replace(staging, target)
        finally:
            _remove_tree(staging)  # gone already unless something failed
        group = key.partition(".")[0] + "."
        for entry in self.directory.iterdir():
            if entry.name.startswith(group) and entry.name != key:
                _remove_tree(entry)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
