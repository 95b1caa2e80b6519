"""The state file: each playlist's last families and mixes, beside mkdocs.yml, for the user to
commit.

Numbers that stay put need the previous build's groups (see `grouping`). The cache is
disposable (a CI runner starts without it, `cache: false` has none, people delete it), so the
groups live in a small file of their own: one JSON object per playlist, one track a line, in a
stable order, so that its diffs read as "these tracks moved". A damaged or missing file is no
previous state: the build still works and writes a fresh one.

Light to import: no pandas, scikit-learn or matplotlib.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FORMAT = "mkdocs-playlist-clusters state 1"


class GroupState:
    """The state file's playlists (slug -> assignment bytes, see `numbering`)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._saved: dict[str, bytes] = _read(path) if path else {}
        self._now: dict[str, bytes] = {}
        self.problem: str | None = None  # why the last save failed, for the build log

    def previous(self, slug: str) -> bytes | None:
        """The playlist's assignment when the file was read or last saved."""
        return self._saved.get(slug)

    def record(self, slug: str, assignment: bytes) -> None:
        """This build's assignment of a playlist (b"" when it was not grouped: the previous
        one is kept, so a broken file for one build does not renumber the next)."""
        self._now[slug] = assignment or self._saved.get(slug, b"")

    def save(self) -> bool:
        """Write the playlists recorded since the last save (only those: a playlist removed
        from mkdocs.yml leaves the file), when they differ from the file. Returns whether it
        wrote."""
        now = {slug: data for slug, data in sorted(self._now.items()) if data}
        self._now = {}
        if self.path is None or not now or now == self._saved:
            return False
        try:
            _write(self.path, now)
        except OSError as error:
            self.problem = f"cannot write {self.path}: {error.strerror or error}"
            return False
        self._saved = now
        self.problem = None
        return True


def _read(path: Path) -> dict[str, bytes]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {
            str(slug): json.dumps(tracks, ensure_ascii=False, sort_keys=True).encode()
            for slug, tracks in data["playlists"].items()
            if isinstance(tracks, dict)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write(path: Path, playlists: dict[str, bytes]) -> None:
    """The file, one track a line; written to a temporary file and moved into place, so a
    build stopped half-way leaves the old file whole."""
    lines = ["{", f'"format": {json.dumps(FORMAT)},', '"playlists": {']
    for i, (slug, data) in enumerate(playlists.items()):
        tracks = json.loads(data)
        rows = [
            f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value)}"
            for key, value in sorted(tracks.items())
        ]
        comma = "," if i < len(playlists) - 1 else ""
        lines += [f"{json.dumps(slug, ensure_ascii=False)}: {{", ",\n".join(rows), f"}}{comma}"]
    lines += ["}", "}"]
    text = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".playlist-clusters-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
