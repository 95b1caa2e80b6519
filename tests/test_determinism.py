"""Same input, same bytes; the disk cache skips exactly the unchanged playlists.

Builds run on copies of the example site. Builds that must agree run in separate processes
with different hash seeds and OpenMP/BLAS thread counts, so ordering that depends on the seed,
or floating-point sums that depend on how the work is split, would show up.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from site_building import EXAMPLE_SITE
from threadpoolctl import threadpool_limits

from mkdocs_playlist_clusters.playlist import GeneratedPlaylist, PlaylistOptions

PLUGIN = "playlist-clusters"
PAGE_HTML = Path("playlists/demo-mixtape/index.html")
IMAGE = Path("playlists/demo-mixtape-clusters.png")
DEMO_DATA = EXAMPLE_SITE / "data" / "demo-mixtape.csv"
# What the example site's mkdocs.yml asks for: the options the plugin derives from it.
DEMO_OPTIONS = PlaylistOptions(title="Demo Mixtape", slug="demo-mixtape")
HEAVY = ("sklearn", "matplotlib", "pandas", "numpy")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def copy_site(tmp_path: Path, name: str = "example") -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLE_SITE, target, ignore=shutil.ignore_patterns(".cache", "site"))
    return target


def configure(site: Path, *, playlists: list[Any] | None = None, **options: Any) -> Path:
    """Set options of the plugin in the copy's mkdocs.yml; return the file's path."""
    config_path = site / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    plugins = config["plugins"]
    for index, entry in enumerate(plugins):
        if entry == PLUGIN:
            plugins[index] = entry = {PLUGIN: {}}
        if isinstance(entry, dict) and PLUGIN in entry:
            entry[PLUGIN] = entry[PLUGIN] or {}
            entry[PLUGIN].update(options)
            if playlists is not None:
                entry[PLUGIN]["playlists"] = playlists
            break
    else:
        raise AssertionError(f"{PLUGIN} is not in the example site's plugins")
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_path


def run_python(script: str, *args: object, seed: int, threads: int) -> str:
    """Run `script` in a new Python process; return its stdout.

    `seed` is PYTHONHASHSEED; `threads` caps the OpenMP and BLAS threads scikit-learn uses,
    so results can be compared across machines with different numbers of cores.
    """
    env = {
        **ENV,
        "PYTHONHASHSEED": str(seed),
        "OMP_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def build_in_subprocess(
    config_path: Path, site_dir: Path, *, seed: int, threads: int = 1, code: str = ""
) -> str:
    """`mkdocs build` in a new Python process; `code` runs after it. Returns its stdout."""
    script = (
        "import sys\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "build(load_config(config_file=sys.argv[1], site_dir=sys.argv[2]))\n" + code
    )
    return run_python(script, config_path, site_dir, seed=seed, threads=threads)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of each chunk; fails on a bad signature, length or CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = []
    offset = 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert len(payload) == length, f"truncated {kind!r} chunk"
        assert zlib.crc32(kind + payload) == crc, f"bad CRC in {kind!r} chunk"
        chunks.append((kind, payload))
        offset += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    return chunks


def summary_count(page: Path) -> int:
    """N from the "N tracks" that starts the summary under a built page's title."""
    match = re.search(r"</h1>\s*<p>(\d+) tracks\b", page.read_text(encoding="utf-8"))
    assert match, f"no track count in {page}"
    return int(match.group(1))


DATE = re.compile(rb"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}:\d{2}|\b(19|20)\d{2}\b")


@pytest.fixture(scope="module", autouse=True)
def single_threaded() -> Iterator[None]:
    """Clustering in this process on one thread.

    On a busy machine, scikit-learn's OpenMP threads make k-means many times slower; results
    do not depend on the thread count (the subprocess tests compare 1 and 2 threads).
    """
    import mkdocs_playlist_clusters.building.pipeline  # noqa: F401  # loads the OpenMP runtime to limit

    with threadpool_limits(limits=1):
        yield


DOWNLOADS = ("csv", "txt", "m3u8")


@pytest.fixture(scope="module")
def demo_result(single_threaded: None) -> GeneratedPlaylist:
    """The example site's playlist through the pipeline, once for the module."""
    from mkdocs_playlist_clusters.building.pipeline import build_playlist

    return build_playlist(DEMO_DATA.read_bytes(), DEMO_OPTIONS)


def test_pipeline_repeats_itself_in_one_process(demo_result):
    from mkdocs_playlist_clusters.building.pipeline import build_playlist

    again = build_playlist(DEMO_DATA.read_bytes(), DEMO_OPTIONS)
    mixes = len(re.findall(rb"^##+ Mix \d+: ", again.files["demo-mixtape.md"], re.M))
    assert mixes >= 2
    downloads = {
        f"demo-mixtape/demo-mixtape-mix-{n}.{kind}"
        for n in range(1, mixes + 1)
        for kind in DOWNLOADS
    }
    assert set(again.files) == {
        "demo-mixtape.md",
        "demo-mixtape-clusters.png",
        "demo-mixtape-clusters.svg",
        "demo-mixtape-profile.svg",
        "demo-mixtape-thumbnail.png",
        "demo-mixtape/demo-mixtape-all-tracks.csv",
        *downloads,
    }
    assert again.files == demo_result.files
    assert again.indexed == demo_result.indexed and again.unindexed == demo_result.unindexed
    assert again.assignment == demo_result.assignment and again.summary == demo_result.summary
    assert again.warnings == demo_result.warnings
    assert again.files["demo-mixtape.md"].startswith(b"---\ntitle:")


def test_pipeline_does_not_depend_on_hash_seed_or_thread_count(demo_result):
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from mkdocs_playlist_clusters.building.pipeline import build_playlist\n"
        "from mkdocs_playlist_clusters.playlist import PlaylistOptions\n"
        "result = build_playlist(Path(sys.argv[1]).read_bytes(),"
        " PlaylistOptions(title='Demo Mixtape', slug='demo-mixtape'))\n"
        "for name, content in sorted(result.files.items()):\n"
        "    print(name, hashlib.sha256(content).hexdigest())\n"
    )
    expected = "".join(
        f"{name} {hashlib.sha256(content).hexdigest()}\n"
        for name, content in sorted(demo_result.files.items())
    )
    for seed, threads in ((5, 1), (6, 2)):
        output = run_python(script, DEMO_DATA, seed=seed, threads=threads)
        assert output == expected, f"PYTHONHASHSEED={seed}, {threads} threads"


def test_png_has_no_software_or_date_metadata(demo_result):
    chunks = png_chunks(demo_result.files["demo-mixtape-clusters.png"])
    assert b"tIME" not in [kind for kind, _ in chunks]
    for kind, payload in chunks:
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            keyword, _, text = payload.partition(b"\x00")
            if kind == b"zTXt":
                text = zlib.decompress(text[1:])
            assert keyword not in (b"Software", b"Creation Time", b"Date"), (kind, keyword)
            assert b"matplotlib" not in text.lower(), (kind, payload)
            assert not DATE.search(text), (kind, payload)


def plugin_outputs(site_dir: Path) -> dict[str, bytes]:
    """Every file the plugin publishes (pages and images under `playlists/`), by path."""
    folder = site_dir / "playlists"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_builds_are_byte_identical_with_and_without_the_cache(tmp_path, demo_result):
    site = copy_site(tmp_path)
    # No state file: each build starts from scratch, as the pipeline above does.
    uncached = configure(site, cache=False, state_file=False)
    first, second = tmp_path / "site-1", tmp_path / "site-2"
    build_in_subprocess(uncached, first, seed=1, threads=1)
    build_in_subprocess(uncached, second, seed=2, threads=2)
    assert not (site / ".cache").exists(), "cache: false wrote a cache"
    published = plugin_outputs(first)
    html = (first / PAGE_HTML).read_bytes()
    assert "Demo Mixtape" in html.decode()
    assert (first / IMAGE).read_bytes() == demo_result.files["demo-mixtape-clusters.png"]
    assert plugin_outputs(second) == published

    # The cache on: a cold build (writes the cache) and a warm one (reads it in a new
    # process) publish the same bytes as the uncached builds.
    cache_dir = tmp_path / "cache"
    cached = configure(site, cache=True, cache_dir=str(cache_dir), state_file=False)
    build_in_subprocess(cached, tmp_path / "site-3", seed=3)
    assert plugin_outputs(tmp_path / "site-3") == published
    entries = sorted(p.name for p in cache_dir.iterdir())
    assert entries and not any(name.startswith(".") for name in entries), entries
    build_in_subprocess(cached, tmp_path / "site-4", seed=4)
    assert plugin_outputs(tmp_path / "site-4") == published
    assert sorted(p.name for p in cache_dir.iterdir()) == entries, (
        "the warm build wrote new cache entries: it missed (did the plugin's source change "
        "between the two builds?)"
    )
    demo_entries = [cache_dir / e for e in entries if (cache_dir / e / "demo-mixtape.md").exists()]
    assert len(demo_entries) == 1
    assert (demo_entries[0] / "demo-mixtape.md").read_bytes() == demo_result.files[
        "demo-mixtape.md"
    ]


# --- The disk cache, in-process --------------------------------------------------------


def fresh_config(config_path: Path, monkeypatch: pytest.MonkeyPatch) -> MkDocsConfig:
    """load_config with a new plugin instance, as a new `mkdocs build` process would have.

    MkDocs keeps the instance of a plugin that defines on_startup across load_config calls
    in one process (for `mkdocs serve`), in-memory cache included; forget it.
    """
    plugin_cache = MkDocsConfig.plugins.plugin_cache
    before = plugin_cache.get(PLUGIN)
    monkeypatch.delitem(plugin_cache, PLUGIN, raising=False)
    config = load_config(config_file=str(config_path))
    assert config.plugins[PLUGIN] is not before
    return config


def test_disk_cache_rebuilds_only_the_changed_playlist(tmp_path, monkeypatch):
    from mkdocs_playlist_clusters.building import pipeline

    site = copy_site(tmp_path)
    demo = site / "data" / "demo-mixtape.csv"
    lines = demo.read_bytes().splitlines(keepends=True)
    second = site / "data" / "second-mix.csv"
    second.write_bytes(b"".join(lines[:101]))  # the header and the first 100 tracks
    cache_dir = tmp_path / "cache"
    config_path = configure(
        site,
        playlists=[
            {"path": "data/demo-mixtape.csv", "title": "Demo Mixtape"},
            "data/second-mix.csv",
        ],
        cache=True,
        cache_dir=str(cache_dir),
    )
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text + f"site_dir: {tmp_path / 'site'}\n", encoding="utf-8")

    calls: list[str] = []
    real = pipeline.build_playlist

    def counting(
        data: bytes, options: PlaylistOptions, previous: bytes | None, grouping: bytes | None
    ) -> Any:
        calls.append(options.slug)
        return real(data, options, previous, grouping)

    monkeypatch.setattr(pipeline, "build_playlist", counting)
    page = tmp_path / "site" / "playlists" / "second-mix" / "index.html"

    mkdocs_build(fresh_config(config_path, monkeypatch))
    assert sorted(calls) == ["demo-mixtape", "second-mix"]
    assert summary_count(page) == 100
    assert len([p for p in cache_dir.iterdir() if p.name != "sites"]) == 2

    second.write_bytes(b"".join(lines[:91]))  # 90 tracks now
    calls.clear()
    mkdocs_build(fresh_config(config_path, monkeypatch))
    assert calls == ["second-mix"]
    assert summary_count(page) == 90
    demo_page = tmp_path / "site" / "playlists" / "demo-mixtape" / "index.html"
    assert summary_count(demo_page) == 300
    entries = sorted(p.name for p in cache_dir.iterdir() if p.name != "sites")
    # The changed playlist's new entry replaced its old one; no staging folder is left.
    assert [name.partition(".")[0] for name in entries] == ["demo-mixtape", "second-mix"], entries

    calls.clear()
    mkdocs_build(fresh_config(config_path, monkeypatch))
    assert calls == []
    assert summary_count(page) == 90


def test_warm_rebuild_imports_no_heavy_packages(tmp_path):
    site = copy_site(tmp_path)
    config_path = configure(site, cache=True, cache_dir=str(tmp_path / "cache"))
    report = f"import sys\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')\n"
    cold = build_in_subprocess(config_path, tmp_path / "site-cold", seed=0, code=report)
    assert "pandas" in cold, "the cold build should have run the pipeline"
    warm = build_in_subprocess(config_path, tmp_path / "site-warm", seed=0, code=report)
    assert warm.strip() == "none", f"a warm rebuild imported {warm.strip()}"
    assert (tmp_path / "site-warm" / IMAGE).read_bytes() == (
        tmp_path / "site-cold" / IMAGE
    ).read_bytes()
