"""A state file nobody can turn against the user: whatever is committed in its place (a link,
a device, a named pipe, a folder, a huge or forged file) and wherever `state_file:` points, a
build reads and writes only a regular file of the project, refuses the rest with one line,
and never follows, hangs, fills memory or overwrites a file it does not own."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import build_error, generate, no_traceback_one_line, set_plugin_options

from mkdocs_playlist_clusters.grouping.state import (
    FORMAT,
    MAX_STATE_BYTES,
    GroupState,
    read_regular,
)

STATE = "playlist-clusters-state.json"
PAGE = "site/playlists/mix/index.html"
SINCE = "Since the previous version of this playlist"
posix_only = pytest.mark.skipif(os.name != "posix", reason="links, pipes and modes are POSIX")


def mix_site(tmp_path: Path, rows: int = 60, seed: int = 3, **options: object) -> Path:
    """A site with one synthetic playlist, data/mix.csv; returns its mkdocs.yml."""
    csv = exportify_csv(synthetic_tracks(rows, seed=seed))
    return make_site(
        tmp_path, {"playlists": ["data/mix.csv"], **options}, files={"data/mix.csv": csv}
    )


def logged(caplog: pytest.LogCaptureFixture, level: int, text: str = "state_file") -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level and text in r.getMessage()]


def build_logging(config: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build (not strict: a refusal is a warning) and return the page's HTML."""
    with caplog.at_level(logging.INFO):
        build(config, strict=False)
    return (config.parent / PAGE).read_text(encoding="utf-8")


def valid_state(tmp_path: Path) -> bytes:
    """A real state file of the site (its playlist grouped once), to point links at."""
    other = tmp_path / "other"
    build(mix_site(other))
    return (other / STATE).read_bytes()


# What stands in the state file's place.


@posix_only
def test_a_link_to_a_file_is_neither_read_nor_replaced(tmp_path, caplog):
    config = mix_site(tmp_path)
    target = tmp_path / "data" / "precious.json"
    target.write_bytes(valid_state(tmp_path))  # a state file: reading it would show SINCE
    before = target.read_bytes()
    (tmp_path / STATE).symlink_to(target)
    page = build_logging(config, caplog)
    assert target.read_bytes() == before and stat.S_IMODE(target.stat().st_mode) != 0o600
    assert (tmp_path / STATE).is_symlink() and os.readlink(tmp_path / STATE) == str(target)
    assert SINCE not in page and "Mix" in page
    (warning,) = logged(caplog, logging.WARNING)
    assert "is a symbolic link; it is neither read nor replaced" in warning


@posix_only
def test_a_link_to_a_missing_path_creates_nothing(tmp_path, caplog):
    config = mix_site(tmp_path)
    (tmp_path / STATE).symlink_to(tmp_path / "missing" / "folders" / "state.json")
    build_logging(config, caplog)
    assert not (tmp_path / "missing").exists()
    assert (tmp_path / STATE).is_symlink()
    assert len(logged(caplog, logging.WARNING)) == 1


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_link_to_a_device_is_never_opened(tmp_path, caplog, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing")
    config = mix_site(tmp_path)
    (tmp_path / STATE).symlink_to(device)
    build_logging(config, caplog)  # /dev/zero read to the end would never return
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert (tmp_path / STATE).is_symlink()
    assert len(logged(caplog, logging.WARNING)) == 1


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="mknod needs root")
def test_a_device_in_its_place_is_never_opened_nor_replaced(tmp_path, caplog):
    config = mix_site(tmp_path)
    os.mknod(tmp_path / STATE, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # as /dev/zero
    build_logging(config, caplog)
    assert stat.S_ISCHR(os.lstat(tmp_path / STATE).st_mode)
    (warning,) = logged(caplog, logging.WARNING)
    assert "is a device" in warning


@posix_only
def test_a_named_pipe_does_not_hang_the_build(tmp_path):
    config = mix_site(tmp_path)
    os.mkfifo(tmp_path / STATE)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / STATE).st_mode)
    refusals = [line for line in result.stderr.splitlines() if "state_file" in line]
    assert len(refusals) == 1 and "is a named pipe" in refusals[0], result.stderr
    assert (tmp_path / PAGE).is_file()


def test_a_folder_in_its_place_is_left_alone(tmp_path, caplog):
    config = mix_site(tmp_path)
    (tmp_path / STATE).mkdir()
    (tmp_path / STATE / "keep.txt").write_text("mine", encoding="utf-8")
    build_logging(config, caplog)
    assert os.listdir(tmp_path / STATE) == ["keep.txt"]
    (warning,) = logged(caplog, logging.WARNING)
    assert "is a folder" in warning


def test_a_file_that_is_not_a_state_file_is_not_overwritten(tmp_path, caplog):
    config = mix_site(tmp_path, state_file="README.md")
    (tmp_path / "README.md").write_text("# My project\n", encoding="utf-8")
    build_logging(config, caplog)
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# My project\n"
    (warning,) = logged(caplog, logging.WARNING)
    assert "README.md is not a state file of mkdocs-playlist-clusters" in warning


def test_a_state_file_in_the_middle_of_a_merge_or_of_a_newer_format_is_left_for_the_user(
    tmp_path, caplog
):
    config = mix_site(tmp_path)
    build(config)
    ours = (tmp_path / STATE).read_text(encoding="utf-8")
    lines = ours.splitlines(keepends=True)
    conflicted = "".join([*lines[:6], "<<<<<<< HEAD\n", *lines[6:9], "=======\n", *lines[6:9]])
    conflicted += ">>>>>>> theirs\n" + "".join(lines[9:])
    newer = ours.replace(FORMAT, "mkdocs-playlist-clusters state 9")
    for text, expected in ((conflicted, "holds git's conflict markers"), (newer, "a newer")):
        (tmp_path / STATE).write_text(text, encoding="utf-8")
        caplog.clear()
        build_logging(config, caplog)
        assert (tmp_path / STATE).read_text(encoding="utf-8") == text
        (warning,) = logged(caplog, logging.WARNING)
        assert expected in warning and "it is left as it is" in warning


def test_a_state_file_over_the_size_limit_is_refused_unread(tmp_path, caplog):
    config = mix_site(tmp_path)
    with open(tmp_path / STATE, "wb") as file:  # sparse: no disk space, no time
        file.truncate(MAX_STATE_BYTES + 1)
    build_logging(config, caplog)
    assert (tmp_path / STATE).stat().st_size == MAX_STATE_BYTES + 1
    (warning,) = logged(caplog, logging.WARNING)
    assert f"is over {MAX_STATE_BYTES // 2**20} MB, the size limit" in warning


def test_read_regular_stops_at_the_limit_even_when_the_file_grows(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100
    with pytest.raises(Exception, match="size limit"):
        read_regular(path, 99)


# Numbers a damaged or forged file holds.


def state_with(tracks_text: str) -> str:
    return (
        f'{{"format": "{FORMAT}", "playlists": {{"mix": {{"settings": null, "made": null, '
        f'"tracks": {{{tracks_text}}}}}}}}}'
    )


@pytest.mark.parametrize(
    "numbers",
    [
        "[1e400, 1]",
        "[1, 1e400]",
        f"[1, {10**20}]",
        f"[1, {2**40}]",
        f"[{2**40}, 1]",
        "[-1, 2]",
        "[0, 2]",
        "[1, 0]",
        '["1", 2]',
        "[true, 2]",
        "[1.0, 2]",
        "[1, 2, 3]",
        "[1]",
        "null",
        "{}",
        "[1, NaN]",
        "[1, Infinity]",
    ],
)
def test_numbers_out_of_range_or_of_the_wrong_type_are_no_previous_state(tmp_path, numbers):
    path = tmp_path / STATE
    path.write_text(state_with(f'"a": [1, 1], "b": {numbers}'), encoding="utf-8")
    state = GroupState(path)
    assert state.previous("mix").versions == ()
    assert state.warnings == []
    (notice,) = state.notices
    assert "'mix' hold numbers out of range or of the wrong type" in notice


@pytest.mark.parametrize(
    "body",
    [
        b'"playlists": ' + b"[" * 100_000,  # nested thousands deep: RecursionError
        b'"playlists": {"mix": {"tracks": {"a": [1, 1' + b"0" * 5000 + b"]}}}}",  # int() refuses
        b'"playlists": {}, "x": "\xff\xfe"}',  # not UTF-8
    ],
)
def test_a_file_json_cannot_read_is_a_damaged_file_not_a_crash(tmp_path, body):
    path = tmp_path / STATE
    path.write_bytes(f'{{"format": "{FORMAT}", '.encode() + body)
    state = GroupState(path)
    assert state.previous("mix").versions == () and not state.blocked
    (notice,) = state.notices
    assert "is damaged" in notice


def test_a_forged_mix_number_never_reaches_the_page(tmp_path, caplog):
    config = mix_site(tmp_path)
    build(config)
    state = json.loads((tmp_path / STATE).read_text(encoding="utf-8"))
    tracks = state["playlists"]["mix"]["tracks"]
    for key in tracks:
        tracks[key] = [1, 2**40]
    (tmp_path / STATE).write_text(json.dumps(state), encoding="utf-8")
    page = build_logging(config, caplog)
    assert "1099511627776" not in page and "bug" not in page
    assert not any("1099511627776" in p.name for p in (tmp_path / "site").rglob("*"))
    (notice,) = logged(caplog, logging.INFO, "out of range")
    assert "they are made from scratch" in notice
    # The file is written again, whole and in range.
    assert "1099511627776" not in (tmp_path / STATE).read_text(encoding="utf-8")


# Where `state_file:` may point.


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("data/mix.csv", "is the playlist file data/mix.csv, which every build would overwrite"),
        ("./data/../data/mix.csv", "is the playlist file data/mix.csv"),
        ("mkdocs.yml", "is the configuration file, which every build would overwrite"),
        ("site/state.json", "is inside site_dir"),
        ("site", "is inside site_dir"),
        ("docs/state.json", "is inside docs_dir"),
        ("../outside.json", "is not a file inside the project folder"),
        ("/tmp/elsewhere.json", "is not a file inside the project folder"),
        (".", "is not a file inside the project folder"),
    ],
)
def test_a_state_file_the_build_needs_publishes_or_cannot_own_is_one_line_error(
    tmp_path, caplog, name, expected
):
    project = tmp_path / "project"
    config = mix_site(project, state_file=name)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    error = build_error(project, caplog)
    assert error.startswith(f"playlist-clusters: state_file {name!r} ") and expected in error
    assert "\n" not in error and "keep it beside mkdocs.yml" in error
    result = generate(project)
    assert result.returncode == 2
    line = no_traceback_one_line(result)
    assert line.startswith("ERROR: playlist-clusters: state_file") and expected in line
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "outside.json").exists()
    assert config.is_file()


@posix_only
def test_a_state_file_through_a_linked_folder_out_of_the_project_is_refused(tmp_path, caplog):
    project = tmp_path / "project"
    mix_site(project, state_file="shared/state.json")
    (tmp_path / "elsewhere").mkdir()
    (project / "shared").symlink_to(tmp_path / "elsewhere")
    assert "is not a file inside the project folder" in build_error(project, caplog)
    assert os.listdir(tmp_path / "elsewhere") == []


# A build that fails leaves the file as it was.


def warning_site(tmp_path: Path) -> Path:
    """A site whose builds warn (a link to a missing page), once its state file exists."""
    config = mix_site(tmp_path, rows=80)
    build(config)
    (tmp_path / "docs" / "broken.md").write_text("[gone](missing.md)\n", encoding="utf-8")
    # A changed playlist: a build that went through would rewrite the file.
    csv = exportify_csv(synthetic_tracks(80, seed=3)[:70])
    (tmp_path / "data" / "mix.csv").write_text(csv, encoding="utf-8")
    return config


def test_a_strict_build_that_stops_on_warnings_leaves_the_state_file_untouched(tmp_path, caplog):
    config = warning_site(tmp_path)
    before = (tmp_path / STATE).read_bytes()
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build(config, strict=True)
    assert (tmp_path / STATE).read_bytes() == before
    assert logged(caplog, logging.INFO, "state_file left as it was")
    build(config, strict=False)  # not strict: the warning does not stop it, the file moves on
    assert (tmp_path / STATE).read_bytes() != before


def test_mkdocs_build_strict_on_the_command_line_leaves_the_state_file_untouched(tmp_path):
    config = warning_site(tmp_path)
    before = (tmp_path / STATE).read_bytes()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "Aborted with 1 warnings" in result.stdout + result.stderr
    assert (tmp_path / STATE).read_bytes() == before
    # `playlist-clusters generate --strict` fails on warnings too, and leaves it as well.
    set_plugin_options(config, playlists=["data/mix.csv", "data/few.csv"])
    (tmp_path / "data" / "few.csv").write_text(exportify_csv(synthetic_tracks(3)), encoding="utf-8")
    assert generate(tmp_path, "--strict").returncode == 1
    assert (tmp_path / STATE).read_bytes() == before


# A previous state that does not fit.


def test_a_state_with_more_families_than_tracks_is_dropped_with_one_info_line(tmp_path, caplog):
    # clusters: 8, then the playlist cut to one track a family and clusters: auto: k-means
    # from 8 centres on 8 tracks left silhouettes nothing to measure ("Number of labels is 8"),
    # a bug page that every later build repeated, since a failed build kept the state.
    rows = synthetic_tracks(60, seed=3)
    config = mix_site(tmp_path, playlists=[{"path": "data/mix.csv", "clusters": 8}])
    build(config)
    tracks = json.loads((tmp_path / STATE).read_text(encoding="utf-8"))["playlists"]["mix"]
    one_a_family = {family: key for key, (family, _) in sorted(tracks["tracks"].items())}
    assert len(one_a_family) == 8
    kept = [row for row in rows if row["Track URI"].rsplit(":", 1)[-1] in one_a_family.values()]
    (tmp_path / "data" / "mix.csv").write_text(exportify_csv(kept), encoding="utf-8")
    set_plugin_options(config, playlists=[{"path": "data/mix.csv", "clusters": "auto"}])
    page = build_logging(config, caplog)
    assert "bug" not in page and "8 tracks" in page
    (notice,) = [r for r in caplog.records if "do not fit" in r.getMessage()]
    assert notice.levelno == logging.INFO
    assert "the previous groups (8 families) do not fit this version" in notice.getMessage()
    # The build went through, so the next one starts from its groups: no notice, no bug.
    caplog.clear()
    assert "bug" not in build_logging(config, caplog)
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "fit" in r.getMessage()]


# Modes.


@posix_only
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_the_state_file_gets_the_umasks_mode(tmp_path, umask, mode):
    config = mix_site(tmp_path)
    old = os.umask(umask)
    try:
        build(config)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / STATE).stat().st_mode) == mode
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
