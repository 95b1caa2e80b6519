"""Two MkDocs sites sharing one cache_dir keep each other's entries (needs plugin.py to name
its site to the cache: `ResultCache(directory, config.config_file_path)`)."""

import logging
from pathlib import Path

from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks


def cache_entries(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir() if p.is_dir() and "." in p.name}


def test_sites_sharing_a_cache_dir_keep_each_others_entries_and_drop_their_own_old_ones(tmp_path):
    shared = tmp_path / "shared-cache"
    playlist = {"data/mix.csv": exportify_csv(synthetic_tracks(30, seed=1))}
    sites = {
        name: make_site(
            tmp_path / name,
            {"cache": True, "cache_dir": str(shared), "playlists": ["data/mix.csv"]},
            files=playlist,
        )
        for name in ("a", "b")
    }
    build(sites["a"])
    first = cache_entries(shared)
    assert len(first) == 1  # both sites have the same playlist: one entry serves both
    (tmp_path / "b" / "data" / "mix.csv").write_text(exportify_csv(synthetic_tracks(30, seed=2)))
    build(sites["b"])
    both = cache_entries(shared)
    assert len(both) == 2 and first < both  # b's build left a's entry alone

    (tmp_path / "a" / "data" / "mix.csv").write_text(exportify_csv(synthetic_tracks(31, seed=1)))
    build(sites["a"])  # a's playlist changed: its old entry goes, b's stays

    after = cache_entries(shared)
    assert len(after) == 2 and first.isdisjoint(after) and (both - first) < after


def test_a_cache_dir_that_is_a_file_is_one_info_line_and_the_site_builds(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("mine")
    config = make_site(
        tmp_path,
        {"cache": True, "cache_dir": str(blocker), "playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(30, seed=1))},
    )
    with caplog.at_level(logging.INFO):
        build(config)  # strict: an info line does not fail it
    lines = [r.getMessage() for r in caplog.records if "cache_dir:" in r.getMessage()]
    assert len(lines) == 1 and str(blocker) in lines[0] and "is a file" in lines[0]
    assert blocker.read_text() == "mine"
