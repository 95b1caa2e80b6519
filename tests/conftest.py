"""Fixtures shared by the tests. Plain helpers live in modules named after their job:
`synthetic` (invented exports), `site_building` (tiny sites built in-process) and
`built_html` (reading built pages)."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import launch_chromium, missing_requirement
from site_building import EXAMPLE_SITE, SHARED_PLAYLISTS
from threadpoolctl import ThreadpoolController


@functools.cache
def _thread_pools() -> ThreadpoolController:
    import sklearn.cluster  # noqa: F401  (loads the OpenMP runtime the controller must see)

    return ThreadpoolController()


@pytest.fixture(autouse=True)
def one_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """OpenMP and BLAS on one thread in the tests' own process, as a build runs k-means
    (`pipeline`): the same arithmetic on any number of cores, and no k-means slowed tenfold
    by threads waiting on a busy machine (1.7 s or 49 s for the same test). Not in
    test_host_process, which checks that the plugin itself limits them."""
    if request.node.path.stem == "test_host_process":
        yield
        return
    with _thread_pools().limit(limits=1):
        yield


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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Headless Chromium for a test module; skipped where it cannot run, except in CI."""
    reason = missing_requirement()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
