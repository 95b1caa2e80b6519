"""The result cache: keys, atomic entries, corrupt entries, and no heavy imports on a hit."""

import subprocess
import sys

from mkdocs_playlist_clusters.cache import ResultCache, cache_key
from mkdocs_playlist_clusters.playlist import GeneratedPlaylist, PlaylistOptions

OPTIONS = PlaylistOptions(title="Mix", slug="mix")
RESULT = GeneratedPlaylist(
    {"mix.md": b"# Clusters in Mix\n", "mix-clusters.png": b"\x89PNG"}, ["w"]
)


def test_key_changes_with_data_and_options_only():
    key = cache_key(b"a,b\n", OPTIONS)
    assert key == cache_key(b"a,b\n", PlaylistOptions(title="Mix", slug="mix"))
    assert key != cache_key(b"a,c\n", OPTIONS)
    assert key != cache_key(b"a,b\n", PlaylistOptions(title="Mix", slug="mix", clusters=4))


def test_round_trip_through_disk(tmp_path):
    ResultCache(tmp_path).put("k1", RESULT)
    again = ResultCache(tmp_path).get("k1")  # a new process: nothing in memory
    assert again == RESULT
    assert [p.name for p in tmp_path.iterdir()] == ["k1"]  # no staging folders left behind


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


def test_a_playlists_new_entry_replaces_its_old_ones(tmp_path):
    cache = ResultCache(tmp_path)
    cache.put("mix.aaa", RESULT)
    cache.put("other.ccc", RESULT)
    cache.put("mix.bbb", RESULT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mix.bbb", "other.ccc"]


def test_key_names_the_playlist():
    assert cache_key(b"a,b\n", OPTIONS).startswith("mix.")
