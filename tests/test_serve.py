"""`mkdocs serve` on a copy of the example site: the page follows edits to its playlist file.

A real server process with livereload on (the default): the playlist file is replaced
atomically, cut, broken and restored while the server runs, and the page served from
127.0.0.1 must follow each change without the server dying; restored, the page, its image and
its downloads are the first build's again, byte for byte (see `versions`).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

PAGE = "/playlists/demo-mixtape/"
IMAGE = "/playlists/demo-mixtape-clusters.png"
WAIT = 60.0  # seconds: start-up, and each rebuild after a change
MIX_HEADING = re.compile(r"<h[23][^>]*>Mix \d+: <bdi>[^<]*</bdi>[^<]*</h[23]>")
LIVERELOAD_CALL = re.compile(r"livereload\(\d+, \d+\);")  # its numbers change every build
DOWNLOAD = "/playlists/demo-mixtape/demo-mixtape-all-tracks.csv"


def counts(tracks: int) -> Callable[[str], bool]:
    """Whether a page's summary, the paragraph under its title, starts with "<tracks> tracks"."""
    pattern = re.compile(rf"</h1>\s*<p>{tracks} tracks\b")
    return lambda html: pattern.search(html) is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    """(status, body); raises OSError while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def replace_atomically(target: Path, content: bytes) -> None:
    """Write a temporary file beside `target` and rename it onto `target`."""
    staging = target.with_name(f".{target.name}.tmp")
    staging.write_bytes(content)
    os.replace(staging, target)


class Server:
    def __init__(self, process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.process = process
        self.base = base
        self.log = log

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, check: Callable[[str], bool]) -> str:
        """Poll the page until `check(html)` holds; return that HTML. Fails after WAIT s."""
        deadline = time.monotonic() + WAIT
        last = "(nothing served yet)"
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (
                f"mkdocs serve exited ({self.process.returncode}) waiting for {what}:\n"
                + self.log_text()
            )
            try:
                status, body = fetch(self.base + PAGE)
            except OSError as error:
                last = f"no answer: {error}"
            else:
                last = f"HTTP {status}"
                text = body.decode("utf-8", errors="replace")
                if status == 200 and check(text):
                    return text
            time.sleep(0.25)
        raise AssertionError(
            f"timed out after {WAIT:.0f} s waiting for {what}; last: {last}\n" + self.log_text()
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl+C first, so serve removes its temporary site; then terminate; then kill."""
    if process.poll() is not None:
        return
    for ask in (
        lambda: process.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM),
        process.terminate,
    ):
        ask()
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            pass
    process.kill()
    process.wait(timeout=10)


def test_serve_follows_changes_to_the_playlist_file(tmp_path, example_site_copy):
    site = example_site_copy
    data_file = site / "data" / "demo-mixtape.csv"
    original = data_file.read_bytes()
    lines = original.splitlines(keepends=True)
    assert len(lines) == 301, "expected a header and 300 tracks in the demo playlist"
    shorter = b"".join(lines[:121])  # the header and the first 120 tracks
    docs_before = files_under(site / "docs")
    data_before = files_under(site / "data")

    temp = tmp_path / "tmp"  # serve's temporary site_dir lands here, not in the system /tmp
    temp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    port = free_port()
    log = tmp_path / "serve.log"
    started = time.monotonic()
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "-f",
                str(site / "mkdocs.yml"),
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        page = server.wait_for("the first build", lambda html: "Demo Mixtape" in html)
        first = (
            LIVERELOAD_CALL.sub("", page),
            fetch(server.base + IMAGE),
            fetch(server.base + DOWNLOAD),
        )
        assert first[2][0] == 200, DOWNLOAD
        assert counts(300)(page)
        assert len(MIX_HEADING.findall(page)) >= 2, page
        assert "livereload" in page  # livereload is on, as in everyday use
        status, image = fetch(server.base + IMAGE)
        assert status == 200 and image.startswith(b"\x89PNG\r\n\x1a\n")

        # (a) A new version of the file, renamed into place as editors and exporters do.
        replace_atomically(data_file, shorter)
        page = server.wait_for("the 120-track version", counts(120))
        assert MIX_HEADING.search(page)

        # (b) A broken file: the server keeps serving and the log names the file.
        replace_atomically(data_file, b"\x00\x01binary")
        page = server.wait_for("the broken-file page", lambda html: "could not be read" in html)
        assert "Demo Mixtape" in page
        assert not MIX_HEADING.search(page)
        assert process.poll() is None
        assert fetch(server.base + PAGE)[0] == 200
        assert fetch(server.base + "/")[0] == 200
        messages = [line for line in server.log_text().splitlines() if "demo-mixtape.csv" in line]
        assert any("binary" in line for line in messages), server.log_text()

        # (c) The original file again: the original page comes back, the very first one: the
        # state file still holds that version (an undo, see `versions`).
        replace_atomically(data_file, original)
        page = server.wait_for("the original page", counts(300))
        assert "could not be read" not in page
        again = (
            LIVERELOAD_CALL.sub("", page),
            fetch(server.base + IMAGE),
            fetch(server.base + DOWNLOAD),
        )
        assert again == first
        assert process.poll() is None
    finally:
        stop(process)
    assert time.monotonic() - started < 120

    assert files_under(site / "docs") == docs_before, "serve wrote into docs_dir"
    assert files_under(site / "data") == data_before
    assert data_file.read_bytes() == original
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
