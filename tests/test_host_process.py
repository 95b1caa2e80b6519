"""What building a playlist leaves of the process that hosts it (MkDocs, `mkdocs serve`, a
program calling the plugin): the garbage collector's frozen objects, and thread pools limited
once per playlist without scanning the process's libraries again."""

from __future__ import annotations

import gc

import pytest
import threadpoolctl
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building import pipeline
from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions

DATA = exportify_csv(synthetic_tracks(30)).encode()


@pytest.mark.parametrize("host_froze", [True, False])
def test_the_host_s_frozen_objects_stay_frozen(host_froze):
    """`gc.unfreeze` releases every frozen object, the host's too: the plugin freezes (and
    unfreezes) only when nothing else has."""
    gc.unfreeze()
    if host_froze:
        gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        result = build_playlist(DATA, PlaylistOptions("Mix", "mix"))
        assert "Mix 1: " in result.files["mix.md"].decode()
        # Still the host's (less any of them freed meanwhile); none left by the plugin.
        assert gc.get_freeze_count() > frozen * 0.9 if host_froze else gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()


def test_k_means_runs_in_one_thread_and_the_libraries_are_scanned_once(monkeypatch):
    scans = []
    threads: list[int] = []
    controller = threadpoolctl.ThreadpoolController
    grouping = pipeline.group_tracks

    def scan() -> threadpoolctl.ThreadpoolController:
        scans.append(1)
        return controller()

    def group(*args: object, **kwargs: object) -> object:
        threads.extend(pool["num_threads"] for pool in controller().info())
        return grouping(*args, **kwargs)

    monkeypatch.setattr(pipeline, "ThreadpoolController", scan)
    monkeypatch.setattr(pipeline, "group_tracks", group)
    pipeline._thread_controller.cache_clear()
    for _ in range(2):
        build_playlist(DATA, PlaylistOptions("Mix", "mix"))
    assert scans == [1]  # threadpool_limits scanned them three times a playlist, 5 ms each
    assert threads and set(threads) == {1}
    pipeline._thread_controller.cache_clear()
