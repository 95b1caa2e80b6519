"""Serving a built site on loopback and driving Debian's headless Chromium with Playwright.

Shared by the browser tests and `docs/screenshots.py`. Playwright's own browser download does
not work everywhere this project is built, so the system's `chromium` is launched instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright, Route

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
INSTALL_HINT = (
    "install Debian's Chromium (`sudo apt-get install chromium chromium-driver`, as .ci/run "
    'does) and Playwright (`pip install -e ".[test]"`)'
)
# What GitHub Pages answers for the files a cluster page links to (from mime-db), so that the
# tests check the types a published site sends, not whatever this machine's mimetypes says.
CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def chromium_executable() -> str | None:
    """The system Chromium, if there is one."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"Playwright is not installed: {INSTALL_HINT}"
    if chromium_executable() is None:
        return f"no `chromium` on PATH: {INSTALL_HINT}"
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    executable = chromium_executable()
    if executable is None:
        raise RuntimeError(f"no `chromium` on PATH: {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_FLAGS))


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the tests report what matters; a line per request would drown it


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (a free port) and yield its base URL."""
    handler = functools.partial(_SiteHandler, directory=os.fspath(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost"}


def offline_router(remote_image: bytes | None) -> Any:
    """A Playwright route handler that keeps a page off the internet: the site's own files
    pass, remote images get `remote_image` (or fail when it is None), anything else fails."""

    def route(route: Route) -> None:
        request = route.request
        if is_loopback(request.url):
            route.continue_()
        elif request.resource_type == "image" and remote_image is not None:
            route.fulfill(status=200, content_type="image/png", body=remote_image)
        else:
            route.abort("internetdisconnected")

    return route
