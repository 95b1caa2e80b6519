"""The result cache: keys, atomic entries, corrupt entries, sites sharing a folder, and no heavy
imports on a hit."""

import shutil
import subprocess
import sys
import threading
from pathlib import Path

from mkdocs_playlist_clusters.cache import ResultCache, cache_key
from mkdocs_playlist_clusters.playlist import GeneratedPlaylist, PlaylistOptions

OPTIONS = PlaylistOptions(title="Mix", slug="mix")
RESULT = GeneratedPlaylist(
    {"mix.md": b"# Clusters in Mix\n", "mix-clusters.png": b"\x89PNG"}, ["w"]
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
        "import sys, mkdocs_playlist_clusters.plugin, mkdocs_playlist_clusters.cache;"
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
