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

# The tiers (markers registered in pyproject.toml). `pytest` runs every test; the fast tier,
# `pytest -m "not slow and not browser"`, takes under 3 minutes on 2 cores, all of them about
# 10. Browser: every test that drives Chromium (the `chromium` fixture) and the modules about
# what a browser shows. Slow: the modules that read the large shared exports, run the
# benchmarks or build sites in `mkdocs build` and `generate` processes test after test, and
# the single tests below that take 5 s or more (--durations=0 on 2 cores, one thread each).
BROWSER_MODULES = frozenset({"test_browser", "test_figures_browser"})
SLOW_MODULES = frozenset(
    {
        "test_benchmarks",  # runs each benchmark
        "test_determinism",  # builds sites twice over, across hash seeds and thread counts
        "test_docs_site",  # builds the documentation site
        "test_generate",  # `playlist-clusters generate` processes
        "test_numbering",  # regroups the large shared exports
        "test_pick_and_play",  # a site of the 7,785-track export
        "test_properdocs",
        "test_publishing",  # gh-deploy of the example site
        "test_quality",  # every shared export against human labels
        "test_real_playlists",  # builds a page of every shared export
        "test_recognizable",
        "test_row_order",
        "test_running_order",
        "test_serve",  # a live `mkdocs serve`
        "test_undo",  # builds again after each cut, restore, branch switch and option
    }
)
SLOW_TESTS = frozenset(
    {
        "test_any_small_playlist_becomes_a_page",  # 22 s, Hypothesis
        "test_bombs_are_refused_in_bounded_memory_and_time",  # 34 s
        "test_every_language_s_build_carries_its_catalogue_s_words",  # 8 s
        "test_mkdocs_build_strict_on_the_command_line_leaves_the_state_file_untouched",  # 7 s
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        if module in BROWSER_MODULES or "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        elif module in SLOW_MODULES or getattr(item, "originalname", item.name) in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


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
