"""The result cache: keys, atomic entries, corrupt entries, sites sharing a folder, and no heavy
imports on a hit."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mkdocs_playlist_clusters.building.cache import STALE_STAGING_SECONDS, ResultCache, cache_key
from mkdocs_playlist_clusters.playlist import (
    FamilySummary,
    GeneratedPlaylist,
    MixSummary,
    PlaylistOptions,
    PlaylistSummary,
)

OPTIONS = PlaylistOptions(title="Mix", slug="mix")
RESULT = GeneratedPlaylist({"mix.md": b"# Mix\n", "mix-clusters.png": b"\x89PNG"}, ["w"])
SUMMARIZED = GeneratedPlaylist(
    {"mix.md": b"# Mix\n", "mix/mix-1.csv": b"a,b\n"},
    ["w"],
    {"table-1": "<table></table>"},
    summary=PlaylistSummary(
        "Mix", 40, (FamilySummary(1, "Calm", 40, (MixSummary(1, "Calm", 40),)),), "mix-t.png"
    ),
)


def key(slug: str, version: str) -> str:
    """A real cache key: "<slug>.<64 hex digits>", different for each version of the data."""
    return cache_key(version.encode(), PlaylistOptions(title=slug, slug=slug))


def site(tmp_path: Path, name: str) -> str:
    """The config file path of a site, which exists as a real site's does."""
    config = tmp_path / name / "mkdocs.yml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("site_name: x\n", encoding="utf-8")
    return str(config)


def build(directory: Path, config: str, keys: set[str]) -> None:
    """What one `mkdocs build` of a site does with the cache: put the results it lacks, then
    `retain` the keys it used."""
    cache = ResultCache(directory, config)
    for k in sorted(keys):
        if cache.get(k) is None:
            cache.put(k, RESULT)
    cache.retain(keys)


def entries(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_dir() and "." in p.name}


def test_key_changes_with_data_and_options_only():
    key = cache_key(b"a,b\n", OPTIONS)
    assert key == cache_key(b"a,b\n", PlaylistOptions(title="Mix", slug="mix"))
    assert key != cache_key(b"a,c\n", OPTIONS)
    assert key != cache_key(b"a,b\n", PlaylistOptions(title="Mix", slug="mix", clusters=4))


def test_round_trip_through_disk(tmp_path):
    ResultCache(tmp_path).put("k1", RESULT)
    again = ResultCache(tmp_path).get("k1")  # a new process: nothing in memory
    assert again == RESULT
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".staging-")]


def test_corrupt_or_partial_entries_are_misses(tmp_path):
    ResultCache(tmp_path).put("k1", RESULT)
    (tmp_path / "k1" / "mix.md").write_bytes(b"tampered")
    assert ResultCache(tmp_path).get("k1") is None
    ResultCache(tmp_path).put("k2", RESULT)
    (tmp_path / "k2" / "mix-clusters.png").unlink()
    assert ResultCache(tmp_path).get("k2") is None
    (tmp_path / "k3").mkdir()
    (tmp_path / "k3" / "manifest.json").write_text("{not json")
    assert ResultCache(tmp_path).get("k3") is None


def test_overwriting_an_entry(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put("k1", GeneratedPlaylist({"a": b"1"}))
    ResultCache(tmp_path).put("k1", RESULT)
    assert ResultCache(tmp_path).get("k1") == RESULT


def test_unwritable_cache_dir_does_not_fail(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker / "cache")
    cache.put("k1", RESULT)
    cache.retain({"k1"})
    assert cache.get("k1") == RESULT  # still served from memory


def test_plugin_and_cache_import_no_heavy_packages():
    code = (
        "import sys, mkdocs_playlist_clusters.building.plugin;"
        "import mkdocs_playlist_clusters.building.cache;"
        "heavy = [m for m in ('pandas', 'sklearn', 'matplotlib', 'numpy') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_retain_forgets_other_results_in_memory():
    cache = ResultCache(None)
    cache.put("old", RESULT)
    cache.put("new", RESULT)
    cache.retain({"new"})
    assert cache.get("old") is None and cache.get("new") == RESULT


def test_a_rebuild_removes_the_sites_old_entries(tmp_path):
    config = site(tmp_path, "site")
    build(tmp_path / "cache", config, {key("mix", "v1"), key("other", "v1")})
    build(tmp_path / "cache", config, {key("mix", "v2"), key("other", "v1")})  # mix changed
    assert entries(tmp_path / "cache") == {key("mix", "v2"), key("other", "v1")}


def test_a_playlist_removed_from_the_config_loses_its_entry_at_the_next_build(tmp_path):
    config = site(tmp_path, "site")
    build(tmp_path / "cache", config, {key("mix", "v1"), key("gone", "v1")})
    build(tmp_path / "cache", config, {key("mix", "v1")})
    assert entries(tmp_path / "cache") == {key("mix", "v1")}


def test_two_sites_sharing_a_folder_keep_each_others_entries(tmp_path):
    shared, a, b = tmp_path / "cache", site(tmp_path, "a"), site(tmp_path, "b")
    build(shared, a, {key("mix", "a1")})  # the same slug in both sites, different data
    build(shared, b, {key("mix", "b1")})
    build(shared, a, {key("mix", "a2")})
    assert entries(shared) == {key("mix", "a2"), key("mix", "b1")}
    assert ResultCache(shared, b).get(key("mix", "b1")) == RESULT


def test_an_entry_written_during_another_sites_build_survives_its_retain(tmp_path):
    shared = tmp_path / "cache"
    a, b = ResultCache(shared, site(tmp_path, "a")), ResultCache(shared, site(tmp_path, "b"))
    b.put(key("mix", "b1"), RESULT)  # site b is half-way through its build
    a.put(key("mix", "a1"), RESULT)
    a.retain({key("mix", "a1")})  # site a finishes first
    assert key("mix", "b1") in entries(shared)


def test_retain_writes_again_an_entry_removed_under_it(tmp_path):
    cache = ResultCache(tmp_path / "cache", site(tmp_path, "a"))
    cache.put(key("mix", "v1"), RESULT)
    shutil.rmtree(tmp_path / "cache" / key("mix", "v1"))  # e.g. by a cleanup
    cache.retain({key("mix", "v1")})
    assert ResultCache(tmp_path / "cache").get(key("mix", "v1")) == RESULT


def test_entries_of_a_deleted_site_go_at_another_sites_build(tmp_path):
    shared, gone = tmp_path / "cache", site(tmp_path, "gone")
    build(shared, gone, {key("oldmix", "v1")})
    Path(gone).unlink()
    build(shared, site(tmp_path, "live"), {key("mix", "new")})
    assert entries(shared) == {key("mix", "new")}


def test_retain_leaves_other_tools_files_alone(tmp_path):
    shared = tmp_path / "cache"  # e.g. cache_dir: .cache, shared with Material's plugins
    (shared / "plugin" / "social").mkdir(parents=True)
    (shared / "notes.txt.bak").mkdir()
    (shared / "index.json").write_text("{}")
    build(shared, site(tmp_path, "a"), {key("mix", "v1")})
    assert (shared / "plugin" / "social").is_dir()
    assert (shared / "notes.txt.bak").is_dir() and (shared / "index.json").is_file()


def test_concurrent_builds_of_two_sites_do_not_fail_or_lose_current_entries(tmp_path):
    shared = tmp_path / "cache"
    configs = [site(tmp_path, "a"), site(tmp_path, "b")]
    last: dict[str, str] = {}
    errors: list[BaseException] = []

    def builds(config: str) -> None:
        try:
            for version in range(25):
                build(
                    shared,
                    config,
                    {key("mix", f"{config}{version}"), key("common", str(version // 5))},
                )
                last[config] = key("mix", f"{config}{version}")
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=builds, args=(config,)) for config in configs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert {last[c] for c in configs} | {key("common", "4")} == entries(shared)
    for config in configs:
        assert ResultCache(shared).get(last[config]) == RESULT


def test_key_names_the_playlist():
    assert cache_key(b"a,b\n", OPTIONS).startswith("mix.")


def edit_manifest(entry: Path, change) -> None:
    manifest = json.loads((entry / "manifest.json").read_text())
    (entry / "manifest.json").write_text(json.dumps(change(manifest)))


OUTSIDE = b"a file beside the cache"


@pytest.mark.parametrize(
    "change",
    [
        lambda m: {**m, "files": []},
        lambda m: {**m, "files": "x"},
        lambda m: {**m, "files": {"mix.md": 5}},
        lambda m: {**m, "indexed": {"table-1": 1}},
        lambda m: {**m, "indexed": "x"},
        lambda m: {**m, "unindexed": None},
        lambda m: {**m, "warnings": "w"},
        lambda m: {**m, "based_on": 3},
        lambda m: {k: v for k, v in m.items() if k != "summary"},
        lambda m: {**m, "summary": {**m["summary"], "tracks": "40"}},
        lambda m: {**m, "summary": {**m["summary"], "families": [{"number": 1}]}},
        lambda m: {**m, "summary": {**m["summary"], "families": "x"}},
        lambda m: {**m, "summary": {**m["summary"], "surprise": 1}},
        lambda m: {**m, "summary": []},
        lambda m: [m],
        # A name outside the entry, with the right digest: never read, let alone published.
        lambda m: {**m, "files": {"../../outside.txt": hashlib.sha256(OUTSIDE).hexdigest()}},
        lambda m: {**m, "files": {"/etc/hostname": m["files"]["mix.md"]}},
    ],
)
def test_a_manifest_of_the_wrong_shape_is_a_miss_that_heals(tmp_path, change):
    directory = tmp_path / "cache"
    ResultCache(directory).put("k1", SUMMARIZED)
    assert ResultCache(directory).get("k1") == SUMMARIZED
    (tmp_path / "outside.txt").write_bytes(OUTSIDE)
    edit_manifest(directory / "k1", change)
    cache = ResultCache(directory)
    assert cache.get("k1") is None
    cache.put("k1", SUMMARIZED)  # what a build does on a miss
    assert ResultCache(directory).get("k1") == SUMMARIZED
    assert (tmp_path / "outside.txt").read_bytes() == OUTSIDE


def test_an_entry_replaced_by_a_file_heals(tmp_path):
    config = site(tmp_path, "site")
    k = key("mix", "v1")
    build(tmp_path / "cache", config, {k})
    shutil.rmtree(tmp_path / "cache" / k)
    (tmp_path / "cache" / k).write_text("not a folder")
    cache = ResultCache(tmp_path / "cache", config)
    assert cache.get(k) is None
    cache.put(k, RESULT)
    cache.retain({k})
    assert ResultCache(tmp_path / "cache").get(k) == RESULT
    assert cache.take_notices() == []


def test_a_cache_dir_that_is_a_file_is_said_once_and_does_not_fail(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("someone's file")
    cache = ResultCache(blocker, site(tmp_path, "site"))
    for version in ("v1", "v2"):
        cache.put(key("mix", version), RESULT)
    cache.retain({key("mix", "v2")})
    assert cache.get(key("mix", "v2")) == RESULT  # from memory
    (notice,) = cache.take_notices()
    assert str(blocker) in notice and "is a file" in notice and "cache_dir" in notice
    assert "\n" not in notice
    assert blocker.read_text() == "someone's file"
    assert cache.take_notices() == []


def test_staging_left_by_a_killed_build_goes_and_a_running_builds_stays(tmp_path):
    shared, config = tmp_path / "cache", site(tmp_path, "site")
    build(shared, config, {key("mix", "v1")})
    old = time.time() - STALE_STAGING_SECONDS - 60
    left = [shared / ".staging-killed", shared / "sites" / ".staging-killed"]
    left[0].mkdir()
    (left[0] / "mix.md").write_text("half")
    left[1].write_text("{")
    for path in left:
        os.utime(path, (old, old))
    running = shared / ".staging-running"  # another build writing its entry now
    running.mkdir()
    build(shared, config, {key("mix", "v1")})
    assert not any(path.exists() for path in left)
    assert running.is_dir()


def test_a_bug_page_is_not_cached_and_the_next_build_tries_again(tmp_path, monkeypatch):
    """A one-off failure (a MemoryError on a busy machine) used to be served from the cache
    for as long as it lived."""
    from site_building import build, make_site
    from synthetic import exportify_csv, synthetic_tracks

    from mkdocs_playlist_clusters.building import pipeline

    make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "cache": True, "state_file": False},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(60))},
    )
    page = tmp_path / "site" / "playlists" / "mix" / "index.html"
    works = pipeline._build_playlist

    def out_of_memory(*args: object) -> object:
        raise MemoryError

    monkeypatch.setattr(pipeline, "_build_playlist", out_of_memory)
    build(tmp_path / "mkdocs.yml", strict=False)
    assert "stopped it (MemoryError)" in page.read_text(encoding="utf-8")
    assert not list((tmp_path / ".cache").glob("mix.*"))  # no entry on disk
    monkeypatch.setattr(pipeline, "_build_playlist", works)
    build(tmp_path / "mkdocs.yml")  # strict: no warning left
    assert "Mix 1: " in page.read_text(encoding="utf-8")
    assert len(list((tmp_path / ".cache").glob("mix.*"))) == 1


def test_the_key_covers_pillow_pyarrow_and_matplotlib_s_font_list(tmp_path, monkeypatch):
    import matplotlib

    from mkdocs_playlist_clusters.building import cache

    versions = cache._versions()
    assert "pillow=" in versions and "pyarrow=" in versions and ";fonts=" in versions
    # Found where matplotlib keeps it, without importing matplotlib (in the environment
    # matplotlib read when imported: an MPLCONFIGDIR set on the machine stays set).
    folder = cache._matplotlib_cache_folder()
    assert folder is not None and folder.resolve() == Path(matplotlib.get_cachedir()).resolve()
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path))
    assert cache._font_list_digest() == "none"  # matplotlib has not listed the fonts yet
    (tmp_path / "fontlist-v390.json").write_text('{"ttflist": [{"name": "DejaVu Sans"}]}')
    without_cjk = cache._font_list_digest()
    (tmp_path / "fontlist-v390.json").write_text(
        '{"ttflist": [{"name": "DejaVu Sans"}, {"name": "Noto Sans CJK JP"}]}'
    )
    assert without_cjk != cache._font_list_digest() != "none"
