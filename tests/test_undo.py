"""Undo restores: the state file keeps a playlist's recent versions, so cutting a playlist and
restoring it, switching a git branch and back, trying an option and reverting it, or saving a
half-written file gives back the very site the user had, numbers, names, pages and downloads
byte for byte. `mkdocs serve` is tested in test_serve.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import set_plugin_options

from mkdocs_playlist_clusters.grouping.state import (
    FIRST_FORMAT,
    FORMAT,
    GroupState,
    parse_state,
    state_text,
)
from mkdocs_playlist_clusters.grouping.versions import (
    HISTORY_TRACKS,
    VERSIONS,
    History,
    Made,
    Version,
)
from mkdocs_playlist_clusters.playlist import PlaylistOptions

STATE = "playlist-clusters-state.json"
SETTINGS = PlaylistOptions("Mix", "mix").settings
OTHER_SETTINGS = PlaylistOptions("Mix", "mix", mix_size=30).settings


def version(keys: str, settings: str = SETTINGS, mix: int = 1) -> Version:
    return Version({key: (1, mix) for key in keys}, settings, Made(True))


# Which version a build starts from.


def test_the_version_of_the_same_tracks_wins_over_a_newer_one_that_holds_them():
    whole, grown = version("abcdefghij"), version("abcdefghijklmnop")
    history = History((grown, whole))  # the playlist grew, then was cut back
    assert history.best(set("abcdefghij"), SETTINGS) is whole
    assert history.best(set("abcdefghijklmnop"), SETTINGS) is grown
    assert history.best(set("abcdefghijklm"), SETTINGS) is grown  # nearer: 13/16 vs 10/13


def test_among_versions_of_the_same_tracks_the_one_of_todays_options_wins():
    tried, before = version("abcdef", OTHER_SETTINGS, 2), version("abcdef")
    history = History((tried, before))
    assert history.best(set("abcdef"), SETTINGS) is before
    assert history.best(set("abcdef"), OTHER_SETTINGS) is tried
    # Otherwise the most recent: a state file of the first format knows no options.
    assert History((version("abc", ""), version("abc", "", 2))).best(set("abc"), SETTINGS).tracks[
        "a"
    ] == (1, 1)


def test_a_new_version_replaces_one_of_the_same_tracks_and_options_and_history_is_bounded():
    history = History((version("abc", mix=2), version("ab"), version("abc", OTHER_SETTINGS)))
    after = history.after(version("abc", mix=3))
    assert [v.tracks["a"][1] for v in after.versions] == [3, 1, 1]
    assert [len(v.tracks) for v in after.versions] == [3, 2, 3]
    for n in range(20):
        after = after.after(Version({f"k{i}": (1, n + 1) for i in range(n + 1)}, SETTINGS))
    assert len(after.versions) == VERSIONS
    assert after.versions[0].tracks["k0"] == (1, 20)


def test_history_stops_where_its_differences_outweigh_the_newest_version():
    size = HISTORY_TRACKS  # each earlier version differs in every track
    versions = [Version({f"{n}-{i}": (1, 1) for i in range(size // 2)}, SETTINGS) for n in range(4)]
    history = History()
    for each in versions:
        history = history.after(each)
    # Each earlier version: its size // 2 tracks of its own and the newest's size // 2 lacking.
    assert len(history.versions) == 2


# The file.


def test_the_file_round_trips_every_version_one_track_a_line_in_a_stable_order():
    newest = Version({"b": (1, 2), "a": (2, 5), "é": (1, 1)}, SETTINGS, Made(False, ((3, 0.25),)))
    cut = Version({"a": (2, 5), "c": (3, 9)}, SETTINGS, Made(True, (), (1, 1, 1, 2)))
    old = Version({"a": (1, 1)})  # options and page unknown: the first format's
    playlists = {"mix": History((newest, cut, old)), "other": History((old,))}
    text = state_text(playlists)
    assert state_text(playlists) == text
    assert parse_state(text.encode()) == (playlists, [])
    body = json.loads(text)
    assert body["format"] == FORMAT
    assert body["playlists"]["mix"]["earlier"][0]["differences"] == {
        "b": None,
        "c": [3, 9],
        "é": None,
    }
    assert '  "a": [2, 5],\n  "b": [1, 2],\n  "é": [1, 1]\n}' in text


def test_a_state_file_of_the_first_format_is_still_read(tmp_path):
    rows = synthetic_tracks(90, seed=5)
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(rows)},
    )
    build(config)
    state = GroupState(tmp_path / STATE).previous("mix").versions[0]
    # Renumbered as a committed file of the first format would hold them: mixes shifted.
    shifted = {key: [family, mix + 10] for key, (family, mix) in state.tracks.items()}
    first = {"format": FIRST_FORMAT, "playlists": {"mix": shifted}}
    (tmp_path / STATE).write_text(json.dumps(first), encoding="utf-8")
    build(config)
    kept = GroupState(tmp_path / STATE).previous("mix").versions[0]
    assert {key: list(numbers) for key, numbers in kept.tracks.items()} == shifted
    assert json.loads((tmp_path / STATE).read_text(encoding="utf-8"))["format"] == FORMAT


# Undo in a build: the site comes back byte for byte.


@pytest.fixture(autouse=True)
def build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """One build date for every build (MkDocs writes it into pages and the sitemap)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def site_files(folder: Path) -> dict[str, bytes]:
    """Every built file."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def mix_site(tmp_path: Path, csv: str, cache: bool, **entry: object) -> Path:
    playlist = {"path": "data/mix.csv", **entry}
    return make_site(
        tmp_path, {"cache": cache, "playlists": [playlist]}, files={"data/mix.csv": csv}
    )


ROWS = synthetic_tracks(400, seed=24)
WHOLE = exportify_csv(ROWS)


@pytest.mark.parametrize("cache", [False, True])
def test_cutting_a_playlist_and_restoring_it_gives_back_the_same_site(tmp_path, cache):
    config = mix_site(tmp_path, WHOLE, cache)
    build(config)
    before = site_files(tmp_path / "site")
    data = tmp_path / "data" / "mix.csv"
    data.write_text(exportify_csv(ROWS[:190]), encoding="utf-8")
    build(config)
    assert site_files(tmp_path / "site") != before
    data.write_text(WHOLE, encoding="utf-8")
    build(config)
    assert site_files(tmp_path / "site") == before
    assert len(GroupState(tmp_path / STATE).previous("mix").versions) == 2


def test_a_half_written_file_and_a_git_branch_switched_back_leave_no_trace(tmp_path):
    config = mix_site(tmp_path, WHOLE, cache=True)
    build(config)
    before = site_files(tmp_path / "site")
    data = tmp_path / "data" / "mix.csv"
    data.write_bytes(WHOLE.encode()[: len(WHOLE) * 3 // 7])  # saved half-way, mid-line
    build(config, strict=False)
    # Another branch: part of the tracks, others of its own, and the state file as it was.
    data.write_text(exportify_csv(ROWS[150:] + synthetic_tracks(120, seed=99)), encoding="utf-8")
    build(config)
    data.write_text(WHOLE, encoding="utf-8")
    build(config)
    assert site_files(tmp_path / "site") == before


@pytest.mark.parametrize(("option", "tried"), [("mix_size", 25), ("clusters", 5)])
def test_an_option_tried_and_reverted_gives_back_the_same_site(tmp_path, option, tried):
    config = mix_site(tmp_path, WHOLE, cache=False)
    build(config)
    before = site_files(tmp_path / "site")
    set_plugin_options(config, playlists=[{"path": "data/mix.csv", option: tried}])
    build(config)
    tried_files = site_files(tmp_path / "site")
    assert tried_files != before
    set_plugin_options(config, playlists=[{"path": "data/mix.csv"}])
    build(config)
    assert site_files(tmp_path / "site") == before
    # And back to the option: its version comes back too.
    set_plugin_options(config, playlists=[{"path": "data/mix.csv", option: tried}])
    build(config)
    assert site_files(tmp_path / "site") == tried_files


def test_a_fresh_checkout_builds_the_committed_site(tmp_path):
    # CI: the committed state file and data, no cache: the same pages as the author's build,
    # whose cache held them.
    author = tmp_path / "author"
    config = mix_site(author, exportify_csv(ROWS[:300]), cache=True)
    build(config)
    (author / "data" / "mix.csv").write_text(WHOLE, encoding="utf-8")
    build(config)
    checkout = tmp_path / "checkout"
    mix_site(checkout, WHOLE, cache=False)
    shutil.copy(author / STATE, checkout / STATE)
    build(checkout / "mkdocs.yml")
    assert site_files(checkout / "site") == site_files(author / "site")
