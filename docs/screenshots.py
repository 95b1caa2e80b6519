"""Screenshots of the example site's Demo Mixtape page, light and dark, desktop and phone width.

    python docs/screenshots.py [--out DIR]

Builds `example_site/` into a temporary folder, serves it on loopback and photographs the page
in Debian's headless Chromium (see tests/browser.py), offline: remote album art is replaced by
a grey square and web fonts fall back to the system's. Writes into DIR (default docs/assets):

- demo-mixtape-page.png             desktop (1280 px), light: the picture in the README
- demo-mixtape-page-dark.png        desktop, dark (slate)
- demo-mixtape-page-phone.png       phone (390 px), light
- demo-mixtape-page-phone-dark.png  phone, dark

Only the first is committed; the others are for looking at (and ignored by git).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch_chromium, missing_requirement, offline_router  # noqa: E402
from browser import serve_directory as serve  # noqa: E402

PAGE = "playlists/demo-mixtape/"
# name suffix -> (viewport, dark)
SHOTS: dict[str, tuple[dict[str, int], bool]] = {
    "": ({"width": 1280, "height": 1600}, False),
    "-dark": ({"width": 1280, "height": 1600}, True),
    "-phone": ({"width": 390, "height": 844}, False),
    "-phone-dark": ({"width": 390, "height": 844}, True),
}


def grey_square() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#9e9e9e").save(buffer, format="PNG")
    return buffer.getvalue()


def build_example(workdir: Path) -> Path:
    """Build a copy of example_site (so no cache or site folder lands in the checkout)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    example = workdir / "example_site"
    shutil.copytree(ROOT / "example_site", example, ignore=shutil.ignore_patterns(".cache", "site"))
    config = load_config(config_file=str(example / "mkdocs.yml"), site_dir=str(workdir / "site"))
    build(config)
    return workdir / "site"


def take_screenshots(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site_dir = build_example(Path(temporary))
        with serve(site_dir) as url, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for suffix, (viewport, dark) in SHOTS.items():
                context = browser.new_context(
                    viewport=viewport, color_scheme="dark" if dark else "light"
                )
                context.route("**/*", offline_router(grey_square()))
                page = context.new_page()
                page.goto(url + PAGE, wait_until="load")
                page.evaluate("document.fonts.ready")
                target = out / f"demo-mixtape-page{suffix}.png"
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "assets")
    arguments = parser.parse_args()
    reason = missing_requirement()
    if reason:
        print(f"screenshots.py: {reason}", file=sys.stderr)
        return 1
    for path in take_screenshots(arguments.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
