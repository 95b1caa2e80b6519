"""The state file: each playlist's recent families and mixes (see `versions`), beside
mkdocs.yml, for the user to commit.

Numbers that stay put need the previous build's groups (see `mixes`). The cache is
disposable (a CI runner starts without it, `cache: false` has none, people delete it), so the
groups live in a small file of their own: per playlist, its newest version one track a line in
a stable order, then its earlier versions as the tracks that differ from it, so that a diff
reads as "these tracks moved".

The file sits in a repository anyone may send changes to, so it is read and written only as a
regular file: a link, device, named pipe or folder in its place is refused with a warning,
never followed, opened for reading or replaced; so is a file over `MAX_STATE_BYTES` or one
that is not a state file. Numbers out of range make a playlist's entry no previous state. A
missing or damaged state file is no previous state: the build still works and writes a fresh
one.

Light to import: no pandas, scikit-learn or matplotlib.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from hashlib import sha256
from pathlib import Path

from ..files import replace_file
from .versions import (
    VERSIONS,
    History,
    Numbers,
    Version,
    differences,
    read_made,
    read_numbers,
    read_settings,
    read_tracks,
    read_version,
    tracks_json,
)

FORMAT = "mkdocs-playlist-clusters state 2"
FIRST_FORMAT = "mkdocs-playlist-clusters state 1"  # the newest version only; still read
# In the first lines of every format: a file without it is not one this plugin wrote.
MARKER = b'"mkdocs-playlist-clusters state '
_FORMAT_LINE = re.compile(rb'"format": *"(mkdocs-playlist-clusters state [^"\\]{1,20})"')
_CONFLICT = re.compile(rb"^(<{7}|>{7}) ", re.MULTILINE)
# 100,000 tracks take 4 MB a version (a Spotify id and two numbers a line); this leaves room
# for several versions that differ in every track. Reading it takes about a second.
MAX_STATE_BYTES = 32 * 2**20
_MB = 2**20

# What stands where the file should, as a message says it.
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a named pipe put there after the check cannot hang
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class Refused(Exception):
    """Something other than a regular file of at most the size limit is in the file's place:
    the message says what."""


class GroupState:
    """The state file's playlists (slug -> `History`).

    `warnings` and `notices` are the lines for the build log found while reading (see
    `take_messages`); `problem` says why the last save failed."""

    def __init__(self, path: Path | None, name: str = "") -> None:
        self.path = path
        self.name = name or (path.name if path else "")  # as mkdocs.yml gives it
        self.warnings: list[str] = []
        self.notices: list[str] = []
        self.problem: str | None = None
        self.blocked = False  # something this plugin must not replace is in the file's place
        self._saved: dict[str, History] = self._load() if path else {}
        self._now: dict[str, History] = {}

    def take_messages(self) -> tuple[list[str], list[str]]:
        """(warnings, notices) found while reading, for the build log; once."""
        taken = self.warnings, self.notices
        self.warnings, self.notices = [], []
        return taken

    def previous(self, slug: str) -> History:
        """The playlist's versions when the file was read or last saved."""
        return self._saved.get(slug, History())

    def record(self, slug: str, assignment: bytes) -> None:
        """This build's version of a playlist (`Version.data`; b"" when it was not grouped:
        the versions are kept as they were, so a broken file for one build does not renumber
        the next)."""
        history = self._saved.get(slug, History())
        if history.versions and history.versions[0].digest == sha256(assignment).hexdigest():
            self._now[slug] = history  # unchanged: no need to read it
            return
        version = read_version(assignment) if assignment else None
        self._now[slug] = history.after(version) if version else history

    def discard(self) -> None:
        """Forget what this build recorded: it did not go through."""
        self._now = {}

    def save(self) -> bool:
        """Write the playlists recorded since the last save (only those: a playlist removed
        from mkdocs.yml leaves the file), when they differ from the file. Returns whether it
        wrote."""
        now = {slug: history for slug, history in sorted(self._now.items()) if history.versions}
        self._now = {}
        if self.path is None or self.blocked or not now or now == self._saved:
            return False
        fitting = within_limit(now)
        if fitting is None:
            self.problem = (
                f"{self.name} would be over {MAX_STATE_BYTES // _MB} MB even with one version "
                "of each playlist, so it is not written"
            )
            return False
        text, kept = fitting
        try:
            write_regular(self.path, text.encode())
        except Refused as refusal:
            self.problem = f"{self.name} is {refusal}, not a regular file; it is left as it is"
            return False
        except OSError as error:
            self.problem = f"cannot write {self.path}: {error.strerror or error}"
            return False
        self._saved = kept
        self.problem = None
        return True

    def _load(self) -> dict[str, History]:
        assert self.path is not None
        advice = "numbers stay put only while the cache lives"
        try:
            data = read_regular(self.path, MAX_STATE_BYTES)
        except FileNotFoundError:
            return {}
        except Refused as refusal:
            self.blocked = True
            self.warnings.append(
                f"state_file: {self.name} is {refusal}; it is neither read nor replaced, so "
                f"{advice}: put a regular file there or delete it (the next build writes one)"
            )
            return {}
        except OSError as error:
            self.blocked = True
            self.warnings.append(
                f"state_file: cannot read {self.name} ({error.strerror or error}), so {advice}"
            )
            return {}
        if not data.strip():
            return {}
        reason = _not_to_replace(data)
        if reason:
            self.blocked = True
            self.warnings.append(f"state_file: {self.name} {reason}; {advice}")
            return {}
        try:
            playlists, damaged = parse_state(data)
        except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
            self.notices.append(
                f"state_file: {self.name} is damaged; the groups are made from scratch and the "
                "file is written again"
            )
            return {}
        if damaged:
            self.notices.append(
                f"state_file: {self.name}: the groups kept for "
                f"{', '.join(repr(slug) for slug in damaged)} hold numbers out of range or of "
                "the wrong type; they are made from scratch"
            )
        return playlists


def _not_to_replace(data: bytes) -> str:
    """Why a file is to be left as it is (a sentence's end, after its name), or "": one this
    plugin did not write, one of a format a newer version wrote, or one in the middle of a
    git merge, which the user resolves."""
    if MARKER not in data[:4096]:
        return (
            "is not a state file of mkdocs-playlist-clusters; it is left as it is: set "
            "state_file to another name"
        )
    if _CONFLICT.search(data):
        return (
            "holds git's conflict markers (<<<<<<<); it is left as it is: resolve the conflict "
            "(keep either side whole), or delete the file"
        )
    declared = _FORMAT_LINE.search(data[:4096])
    if declared and declared.group(1).decode() not in (FORMAT, FIRST_FORMAT):
        return (
            "was written by a newer mkdocs-playlist-clusters; it is left as it is: upgrade the "
            "plugin"
        )
    return ""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; else `Refused`
    (FileNotFoundError when nothing is there). A link is never followed, a device or named
    pipe never opened."""
    info = os.lstat(path)
    refuse_unless_regular(info)
    if info.st_size > limit:
        raise Refused(f"over {limit // _MB} MB, the size limit")
    handle = os.open(path, _READ_FLAGS)
    with os.fdopen(handle, "rb") as file:
        opened = os.fstat(file.fileno())
        # Replaced between the check and the opening: check what was opened.
        refuse_unless_regular(opened)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"over {limit // _MB} MB, the size limit")
    return data


def refuse_unless_regular(info: os.stat_result) -> None:
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise Refused(kind)
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")


def write_regular(path: Path, data: bytes) -> None:
    """Replace `path` (a regular file or nothing) with `data`, atomically: written beside it
    and renamed into place, so a build stopped half-way leaves the old file whole. Created
    with mode 0666 less the umask, as any file the user makes."""
    with contextlib.suppress(FileNotFoundError):
        refuse_unless_regular(os.lstat(path))
    replace_file(path, data)


def parse_state(data: bytes) -> tuple[dict[str, History], list[str]]:
    """(playlists, the slugs whose entry is damaged); ValueError for a file that is not a
    state file of a format this version reads."""
    body = json.loads(data.decode("utf-8"))
    if not isinstance(body, dict) or body.get("format") not in (FORMAT, FIRST_FORMAT):
        raise ValueError("not a state file")
    entries = body.get("playlists")
    if not isinstance(entries, dict):
        raise ValueError("no playlists")
    playlists: dict[str, History] = {}
    damaged = []
    for slug, entry in entries.items():
        try:
            if body["format"] == FIRST_FORMAT:
                playlists[slug] = History((Version(read_tracks(entry)),))
            else:
                playlists[slug] = _history(entry)
        except ValueError:
            damaged.append(slug)
    return playlists, damaged


def _history(entry: object) -> History:
    """A playlist's versions from the file: the newest whole, each earlier one as the tracks
    whose numbers differ from the newest (null: not in that version). ValueError if damaged."""
    if not isinstance(entry, dict):
        raise ValueError("not a mapping")
    newest = _version(entry, read_tracks(entry.get("tracks")))
    earlier = entry.get("earlier", [])
    if not isinstance(earlier, list):
        raise ValueError("earlier: not a list")
    versions = [newest]
    for item in earlier[: VERSIONS - 1]:
        differences = item.get("differences") if isinstance(item, dict) else None
        if not isinstance(differences, dict):
            raise ValueError("earlier: not differences")
        tracks = dict(newest.tracks)
        for key, numbers in differences.items():
            if numbers is None:
                tracks.pop(key, None)
            else:
                tracks[key] = read_numbers(numbers)
        versions.append(_version(item, tracks))
    return History(tuple(versions))


def _version(entry: dict[str, object], tracks: dict[str, Numbers]) -> Version:
    return Version(tracks, read_settings(entry.get("settings")), read_made(entry.get("made")))


def within_limit(playlists: dict[str, History]) -> tuple[str, dict[str, History]] | None:
    """The file's text, and the versions it keeps: the oldest versions of the playlists with
    the most go first while the text is over MAX_STATE_BYTES; None if one version of each
    playlist is over it."""
    kept = dict(playlists)
    while True:
        text = state_text(kept)
        if len(text.encode()) <= MAX_STATE_BYTES:
            return text, kept
        slug = max(kept, key=lambda s: (len(kept[s].versions), s))
        if len(kept[slug].versions) <= 1:
            return None
        kept[slug] = History(kept[slug].versions[:-1])


def state_text(playlists: dict[str, History]) -> str:
    """The file: its format, then each playlist's versions, one track a line in key order."""
    entries = [
        f"{json.dumps(slug, ensure_ascii=False)}: {_entry_text(history)}"
        for slug, history in playlists.items()
    ]
    playlists_text = ",\n".join(entries)
    return f'{{\n"format": {json.dumps(FORMAT)},\n"playlists": {{\n{playlists_text}\n}}\n}}\n'


def _entry_text(history: History) -> str:
    newest, *earlier = history.versions
    lines = [*_head(newest), f'"tracks": {tracks_json(newest.tracks)}']
    if earlier:
        items = [
            "{\n"
            + ",\n".join([*_head(v), f'"differences": {tracks_json(differences(newest, v))}'])
            + "\n}"
            for v in earlier
        ]
        lines.append('"earlier": [\n' + ",\n".join(items) + "\n]")
    return "{\n" + ",\n".join(lines) + "\n}"


def _head(version: Version) -> list[str]:
    made = version.made.text if version.made else "null"
    return [f'"settings": {version.settings or "null"}', f'"made": {made}']
