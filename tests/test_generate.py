"""`playlist-clusters generate`: the plugin's pages, images and downloads written into a folder,
for sites built without the plugin; and the plugin building over that folder."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from built_html import parse_page
from mkdocs.exceptions import Abort
from site_building import build, build_with, make_site
from synthetic import exportify_csv, synthetic_tracks

PAGE = "playlists/mix.md"
MARKER_TEXT = "playlist-clusters generate"  # in the comment that marks a generated page


def generate(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m mkdocs_playlist_clusters generate ARGS` run in the site's folder."""
    command = [sys.executable, "-m", "mkdocs_playlist_clusters", "generate", *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)


def mix_site(tmp_path: Path, rows: int = 60, **options: object) -> Path:
    """A small site with one synthetic playlist, data/mix.csv; returns its folder."""
    csv = exportify_csv(synthetic_tracks(rows))
    make_site(tmp_path, {"playlists": ["data/mix.csv"], **options}, files={"data/mix.csv": csv})
    return tmp_path


def set_plugin_options(config_file: Path, **options: object) -> None:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "playlist-clusters" in entry:
            entry["playlist-clusters"].update(options)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def what_a_reader_sees(html: bytes) -> dict[str, object]:
    """The text of a built page's content: headings, paragraphs, tables, images, links."""
    page = parse_page(html.decode())
    return {
        "h1": page.h1,
        "h2": page.h2,
        "paragraphs": [p for p in page.paragraphs if p[0] is not None],
        "tables": [(t.heading, t.in_details, t.header, t.rows, t.links) for t in page.tables],
        "images": [image.get("src") for image in page.images if "clusters" in str(image)]
        + [image.get("src") for image in page.images if "thumbnail" in str(image)]
        + re.findall(r'<object type="image/svg\+xml" data="([^"]+)"', html.decode())
        + [a.get("href") for a in page.anchors if str(a.get("href")).endswith(".png")],
    }


def test_generated_folder_built_without_the_plugin_shows_what_the_plugin_shows(
    example_site_copy, tmp_path
):
    build_with("mkdocs", example_site_copy, tmp_path / "by-plugin")
    result = generate(example_site_copy)
    assert result.returncode == 0, result.stderr
    assert "wrote docs/playlists/demo-mixtape.md" in result.stdout
    set_plugin_options(example_site_copy / "mkdocs.yml", enabled=False)
    build_with("mkdocs", example_site_copy, tmp_path / "plain")

    by_plugin = files_under(tmp_path / "by-plugin" / "playlists")
    plain = files_under(tmp_path / "plain" / "playlists")
    assert by_plugin.keys() == plain.keys()
    pages = [name for name in by_plugin if name.endswith(".html")]
    assert sorted(pages) == ["demo-mixtape/index.html", "index.html", "k-pop-favorites/index.html"]
    for name in by_plugin.keys() - pages:  # images and downloads
        assert plain[name] == by_plugin[name], name
    for name in pages:
        seen = what_a_reader_sees(plain[name])
        assert seen == what_a_reader_sees(by_plugin[name]), name
        assert seen["images"], name
        if name != "index.html":  # the overview has no track tables
            assert seen["tables"], name
            assert any(in_details for _, in_details, *_ in seen["tables"])  # member lists too


def test_a_second_run_is_a_cache_hit_that_imports_no_heavy_library(tmp_path):
    site = mix_site(tmp_path, cache=True)
    first = generate(site)
    assert first.returncode == 0, first.stderr
    written = files_under(site / "docs" / "playlists")
    script = (
        "import sys\n"
        "from mkdocs_playlist_clusters.building.command import main\n"
        "status = main(['generate'])\n"
        "heavy = [m for m in ('pandas', 'sklearn', 'matplotlib') if m in sys.modules]\n"
        "print('heavy:', heavy, 'status:', status)\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", script], cwd=site, capture_output=True, text=True, check=True
    )
    assert "heavy: [] status: 0" in second.stdout, second.stdout + second.stderr
    assert "wrote" not in second.stdout  # nothing changed, nothing written
    assert files_under(site / "docs" / "playlists") == written


def test_the_page_needs_no_plugin_and_carries_the_marker(tmp_path):
    site = mix_site(tmp_path)  # mixes larger than their tables: member lists too
    assert generate(site).returncode == 0
    text = (site / "docs" / PAGE).read_text(encoding="utf-8")
    assert "<!-- playlist-clusters " not in text  # every placeholder replaced
    assert text.count("<table>") >= 3
    lines = text.splitlines()
    assert lines[0] == "---" and MARKER_TEXT in lines[lines.index("---", 1) + 1]
    manifest = json.loads(
        (site / "docs" / "playlists" / ".playlist-clusters-generated.json").read_text()
    )
    assert "mix-clusters.png" in manifest["files"] and "mix/mix-mix-1.csv" in manifest["files"]


def test_the_plugin_replaces_the_generators_files_in_docs_dir(tmp_path):
    site = mix_site(tmp_path)
    assert generate(site).returncode == 0
    config = build(site / "mkdocs.yml")  # strict: no "exists in docs_dir"
    built = (Path(config.site_dir) / "playlists" / "mix" / "index.html").read_text()
    assert "Mix" in built and MARKER_TEXT not in built  # the plugin's page


@pytest.mark.parametrize(
    "name, content",
    [("mix.md", b"# My own page\n"), ("mix-clusters.png", b"\x89PNG my own picture")],
)
def test_a_users_file_at_a_generated_path_still_stops_the_build(tmp_path, caplog, name, content):
    site = mix_site(tmp_path)
    assert generate(site).returncode == 0
    (site / "docs" / "playlists" / name).write_bytes(content)  # the user's, over the generator's
    assert f"playlists/{name} exists in docs_dir" in build_error(site, caplog)
    # And the generator does not overwrite it either.
    result = generate(site)
    assert result.returncode == 2
    assert f"{name} exists and was not written by" in result.stderr
    assert (site / "docs" / "playlists" / name).read_bytes() == content


def test_files_of_a_playlist_no_longer_configured_are_removed(tmp_path):
    site = mix_site(tmp_path)
    (site / "data" / "other.csv").write_text(exportify_csv(synthetic_tracks(30, seed=1)))
    set_plugin_options(site / "mkdocs.yml", playlists=["data/mix.csv", "data/other.csv"])
    assert generate(site).returncode == 0
    assert (site / "docs" / "playlists" / "other.md").is_file()
    (site / "docs" / "playlists" / "notes.txt").write_text("mine")
    set_plugin_options(site / "mkdocs.yml", playlists=["data/mix.csv"])
    assert generate(site).returncode == 0
    left = set(files_under(site / "docs" / "playlists"))
    assert not {name for name in left if name.startswith("other")}
    assert {"mix.md", "notes.txt"} <= left


def test_configuration_under_extra_and_an_output_folder(tmp_path):
    csv = exportify_csv(synthetic_tracks(60))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mix.csv").write_text(csv)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Zensical site\n"
        "extra:\n"
        "  playlist_clusters:\n"
        "    url_prefix: music\n"
        "    playlists:\n"
        "      - path: data/mix.csv\n"
        "        title: Road Trip\n"
    )
    result = generate(tmp_path, "-o", "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "mix.md").read_text(encoding="utf-8")
    assert "# <bdi>Road Trip</bdi>" in page
    assert (tmp_path / "out" / "mix-clusters.png").is_file()
    assert not (tmp_path / "docs").exists()


def test_yaml_tags_of_mkdocs_and_material_do_not_stop_it(tmp_path, monkeypatch):
    site = mix_site(tmp_path)
    (site / "mkdocs.yml").write_text(
        "site_name: Tagged\n"
        "docs_dir: !ENV [MIX_DOCS, docs]\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "  - pymdownx.snippets:\n"
        "      base_path: !relative $config_dir\n"
        "plugins:\n"
        "  - playlist-clusters:\n"
        "      cache: false\n"
        "      playlists:\n"
        "        - path: data/mix.csv\n"
        "          title: !ENV [MIX_TITLE, Fallback]\n"
    )
    monkeypatch.setenv("MIX_TITLE", "From The Environment")
    monkeypatch.delenv("MIX_DOCS", raising=False)
    result = generate(site)
    assert result.returncode == 0, result.stderr
    assert "# <bdi>From The Environment</bdi>" in (site / "docs" / PAGE).read_text()


def build_error(site: Path, caplog: pytest.LogCaptureFixture) -> str:
    """The one error `mkdocs build --strict` logs for the site, which must fail."""
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(site / "mkdocs.yml")
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    return record.getMessage()


def no_traceback_one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def git(folder: Path, *args: str) -> None:
    """Git in `folder`, with no user's or system's configuration."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid"]
    command = ["git", *identity, *args]
    subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)


def test_a_windows_checkout_with_crlf_line_ends_builds_and_generates_again(tmp_path):
    """Git for Windows checks text files out with CRLF (`core.autocrlf=true`, its default): the
    generator's files must still be recognised as its own by the plugin and by `generate`."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    source = mix_site(tmp_path / "source")
    assert generate(source).returncode == 0
    git(source, "init", "-q")
    git(source, "-c", "core.autocrlf=false", "add", "-A")
    git(source, "commit", "-q", "-m", "generated")
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(source), "clone")
    clone = tmp_path / "clone"
    folder = clone / "docs" / "playlists"
    text = [path for path in folder.rglob("*") if path.is_file() and path.suffix != ".png"]
    assert len(text) >= 15 and all(b"\r\n" in path.read_bytes() for path in text)
    config = yaml.safe_load((clone / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_dir"] = str(clone / "site")
    (clone / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")

    built = build(clone / "mkdocs.yml")  # strict: no "exists in docs_dir"
    page = (Path(built.site_dir) / "playlists" / "mix" / "index.html").read_text("utf-8")
    assert "Mix" in page
    again = generate(clone)
    assert again.returncode == 0, again.stderr
    assert not any(b"\r\n" in path.read_bytes() for path in text)  # written again, with LF


@pytest.mark.parametrize(
    "options, expected",
    [
        ({"playlists": ["data/missing.csv"]}, "option 'playlists'"),
        ({"playlists": [{"path": "data/mix.csv", "clusters": 99}]}, "expected 2 to 30 clusters"),
        ({"playlists": ["data/mix.csv"], "cache": True, "cache_dir": "docs/.c"}, "inside docs_dir"),
        ({"playlists": ["data/mix.csv"], "url_prefix": 3}, "option 'url_prefix'"),
    ],
)
def test_a_configuration_error_exits_2_with_one_line(tmp_path, options, expected):
    site = mix_site(tmp_path, **options)
    line = no_traceback_one_line(result := generate(site))
    assert result.returncode == 2
    assert line.startswith("ERROR: playlist-clusters: ") and expected in line


def test_a_column_mapping_error_gives_the_plugins_message(tmp_path, caplog):
    site = mix_site(tmp_path, playlists=[{"path": "data/mix.csv", "columns": {"name": "Titel"}}])
    logged = build_error(site, caplog)
    assert "Titel" in logged
    result = generate(site)
    assert result.returncode == 2
    assert no_traceback_one_line(result) == f"ERROR: {logged}"


@pytest.mark.parametrize(
    "config, expected",
    [
        (None, "cannot read"),
        ("site_name: [unclosed\n", "line "),
        ("- a list\n", "not a mapping"),
        ("site_name: x\nplugins:\n  - search\n", "no 'playlist-clusters' entry"),
        ("site_name: x\nextra:\n  playlist_clusters: [1]\n", "expected a mapping"),
    ],
)
def test_a_bad_config_file_exits_2_with_one_line(tmp_path, config, expected):
    if config is not None:
        (tmp_path / "mkdocs.yml").write_text(config)
    result = generate(tmp_path)
    assert result.returncode == 2
    assert expected in no_traceback_one_line(result)


def test_a_data_warning_fails_only_with_strict(tmp_path, caplog):
    site = mix_site(tmp_path, rows=3)  # too few tracks to cluster
    relaxed = generate(site)
    assert relaxed.returncode == 0
    warning = no_traceback_one_line(relaxed)
    assert warning.startswith("WARNING: playlist-clusters: data/mix.csv: ")
    assert (site / "docs" / PAGE).is_file()  # a page that says why
    strict = generate(site, "--strict")
    assert strict.returncode == 1 and no_traceback_one_line(strict) == warning
    # The plugin logs the same warning.
    (site / "docs" / "playlists").rename(site / "generated")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build(site / "mkdocs.yml")
    assert warning.removeprefix("WARNING: ") in caplog.text


def test_the_command_line_help_names_the_options():
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_playlist_clusters", "generate", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    for option in ("--config-file", "--output", "--strict"):
        assert option in result.stdout


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / ".playlist-clusters-generated.json").read_text())


def test_nothing_outside_the_output_folder_is_touched_whatever_the_manifest_says(tmp_path):
    site = mix_site(tmp_path / "site")
    assert generate(site).returncode == 0
    folder = site / "docs" / "playlists"
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep me")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "precious.txt").write_bytes(b"keep me")
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    digest = hashlib.sha256(b"keep me").hexdigest()
    manifest = manifest_of(folder)
    manifest["files"].update(
        {
            "../../../precious.txt": digest,
            str(precious): digest,
            "link/precious.txt": digest,
            "mix/../../../../precious.txt": digest,
        }
    )
    (folder / ".playlist-clusters-generated.json").write_text(json.dumps(manifest))
    result = generate(site)
    assert result.returncode == 0, result.stderr
    assert precious.read_bytes() == b"keep me"
    assert (tmp_path / "elsewhere" / "precious.txt").read_bytes() == b"keep me"
    assert set(manifest_of(folder)["files"]) == set(files_under(folder)) - {
        ".playlist-clusters-generated.json"
    }


def test_a_link_to_a_folder_outside_where_a_generated_folder_goes_is_refused(tmp_path):
    site = mix_site(tmp_path / "site")
    (tmp_path / "elsewhere").mkdir()
    (site / "docs" / "playlists").mkdir()
    (site / "docs" / "playlists" / "mix").symlink_to(tmp_path / "elsewhere")
    result = generate(site)
    assert result.returncode == 2
    assert "leads outside" in no_traceback_one_line(result)
    assert not list((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize(
    "prepare, output, expected",
    [
        (lambda site: (site / "out").write_text("a file"), "out", "is a file, not a folder"),
        (lambda site: (site / "block").write_text("a file"), "block/out", "cannot create"),
        (lambda site: None, "/proc/playlist-clusters-out", "cannot create"),
        (
            lambda site: (site / "out").mkdir() or (site / "out" / "mix").write_text("mine"),
            "out",
            "is a file where 'playlist-clusters generate' writes a folder",
        ),
    ],
)
def test_an_unusable_output_folder_is_one_line_and_leaves_it_as_it_was(
    tmp_path, prepare, output, expected
):
    site = mix_site(tmp_path)
    prepare(site)
    before = files_under(site)
    result = generate(site, "-o", output)
    assert result.returncode == 2
    assert expected in no_traceback_one_line(result)
    assert files_under(site) == before
    assert not list(site.glob(".playlist-clusters-staging-*"))
    # And the folder is not stuck: once the obstacle is gone, the run succeeds.
    if output == "out" and (site / "out").is_dir():
        (site / "out" / "mix").unlink()
        assert generate(site, "-o", output).returncode == 0


def test_a_full_disk_is_one_line_exit_3_and_leaves_the_folder_as_it_was(
    tmp_path, monkeypatch, capsys
):
    from mkdocs_playlist_clusters.building.command import main

    site = mix_site(tmp_path)
    monkeypatch.chdir(site)
    assert main(["generate"]) == 0
    folder = site / "docs" / "playlists"
    before = files_under(folder)
    (site / "data" / "mix.csv").write_text(exportify_csv(synthetic_tracks(61)))
    capsys.readouterr()
    write_bytes = Path.write_bytes
    written: list[Path] = []

    def fills_the_disk(path: Path, data: bytes) -> int:
        written.append(path)
        if len(written) > 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", fills_the_disk)
    assert main(["generate"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "No space left on device" in err and "nothing in it was changed" in err
    assert files_under(folder) == before
    assert not list((site / "docs").glob(".playlist-clusters-staging-*"))
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    assert main(["generate"]) == 0
    assert files_under(folder) != before


def test_a_run_killed_while_moving_files_into_place_does_not_stick(tmp_path, monkeypatch):
    from mkdocs_playlist_clusters.building import command

    site = mix_site(tmp_path)
    monkeypatch.chdir(site)
    assert command.main(["generate"]) == 0
    (site / "data" / "mix.csv").write_text(exportify_csv(synthetic_tracks(61)))
    replace = os.replace
    moved: list[str] = []

    def killed(source, target) -> None:
        moved.append(str(target))
        if len(moved) > 4:
            raise KeyboardInterrupt  # stands for kill -9: nothing after it runs
        replace(source, target)

    monkeypatch.setattr(command.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        command.main(["generate"])
    monkeypatch.setattr(command.os, "replace", replace)
    assert command.main(["generate"]) == 0


def test_an_output_folder_whose_parent_is_read_only_is_staged_inside_it(tmp_path, monkeypatch):
    from mkdocs_playlist_clusters.building import command

    site = mix_site(tmp_path)
    (site / "out").mkdir()
    monkeypatch.chdir(site)
    mkdtemp = command.tempfile.mkdtemp

    def read_only_parent(prefix: str, dir: Path) -> str:  # as for -o /tmp as a user
        if Path(dir) == site:
            raise PermissionError(13, "Permission denied", str(dir))
        return mkdtemp(prefix=prefix, dir=dir)

    monkeypatch.setattr(command.tempfile, "mkdtemp", read_only_parent)
    assert command.main(["generate", "-o", "out"]) == 0
    assert (site / "out" / "mix.md").is_file()
    assert not [p for p in (site / "out").iterdir() if p.name.startswith(".playlist-clusters-st")]
