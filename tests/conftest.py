"""Fixtures shared by the tests. Plain helpers live in modules named after their job:
`synthetic` (invented exports), `site_building` (tiny sites built in-process) and
`built_html` (reading built pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_building import EXAMPLE_SITE, SHARED_PLAYLISTS


@pytest.fixture
def example_site_copy(tmp_path: Path) -> Path:
    """A copy of example_site/ without a built site or a warm cache, which would hide a broken
    pipeline; tests build and change the copy, never the checkout."""
    target = tmp_path / "example_site"
    shutil.copytree(EXAMPLE_SITE, target, ignore=shutil.ignore_patterns(".cache", "site"))
    return target


@pytest.fixture
def shared_playlists() -> Path:
    """The real exports beside the checkout; the test skips with the reason when absent."""
    if not SHARED_PLAYLISTS.is_dir():
        pytest.skip("../shared/playlists is not beside this checkout; real-export tests need it")
    return SHARED_PLAYLISTS
