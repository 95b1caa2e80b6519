"""Files written whole or not at all, for the state file, the cache and the `generate`
command's output: a build stopped half-way leaves the old file as it was. And the SHA-256
digests their manifests record."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

# A new file, never an existing one or a link's target.
WRITE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def replace_file(path: Path, data: bytes, prefix: str = ".") -> None:
    """Replace `path` with `data`, atomically: written into a new file beside it (named
    `prefix`, `path`'s name and a random part) and renamed into place; the new file is removed
    when anything fails. Created with mode 0666 less the umask, as any file the user makes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{prefix}{path.name}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, WRITE_FLAGS, 0o666)  # the kernel applies the umask
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    """Each of `files` written into `folder` (a staging folder, renamed or moved into place
    after), under its name relative to it, subfolders made as named."""
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)


def file_digests(files: Mapping[str, bytes]) -> dict[str, str]:
    """Each file's SHA-256 (hex) by its name, in `files`' order: what a manifest records."""
    return {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
