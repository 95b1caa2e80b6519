"""Where a playlist's data comes from: a link's own name, a file that cannot be read, and what
`generate` wrote for a playlist that is no longer configured."""

from __future__ import annotations

import logging
from pathlib import Path

from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import generate, set_plugin_options


def test_a_linked_data_file_takes_its_page_url_from_the_links_name(tmp_path):
    annexed = "data/.git/annex/objects/SHA256E-s1234--0123abcd.csv"
    config = make_site(
        tmp_path,
        {"playlists": ["data/road-trip.csv"]},
        files={annexed: exportify_csv(synthetic_tracks(30))},
    )
    (tmp_path / "data" / "road-trip.csv").symlink_to(tmp_path / annexed)
    site = Path(build(config).site_dir)
    page = (site / "playlists" / "road-trip" / "index.html").read_text(encoding="utf-8")
    assert "Road Trip" in page
    assert not list(site.rglob("*sha256e*")) and not list(site.rglob("*SHA256E*"))


def test_an_unreadable_file_is_a_warning_and_the_other_playlists_build(
    tmp_path, caplog, monkeypatch
):
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv", "data/locked.csv"]},
        files={
            "data/mix.csv": exportify_csv(synthetic_tracks(30)),
            "data/locked.csv": exportify_csv(synthetic_tracks(30, seed=1)),
        },
    )
    open_file = Path.open

    def locked(path: Path, *args, **kwargs):  # as chmod 000 would, which root ignores
        if path.name == "locked.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return open_file(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    with caplog.at_level(logging.WARNING):
        site = Path(build(config, strict=False).site_dir)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "data/locked.csv: not grouped: " in warning and "Permission denied" in warning
    assert "Mix" in (site / "playlists" / "mix" / "index.html").read_text()
    locked_page = (site / "playlists" / "locked" / "index.html").read_text()
    assert "could not be read (Permission denied)" in locked_page


def test_what_generate_wrote_for_a_removed_playlist_is_not_published(tmp_path):
    make_site(
        tmp_path,
        {"playlists": ["data/mix.csv", "data/gone.csv"]},
        files={
            "data/mix.csv": exportify_csv(synthetic_tracks(30)),
            "data/gone.csv": exportify_csv(synthetic_tracks(30, seed=1)),
        },
    )
    assert generate(tmp_path).returncode == 0
    assert (tmp_path / "docs" / "playlists" / "gone.md").is_file()
    set_plugin_options(tmp_path / "mkdocs.yml", playlists=["data/mix.csv"])
    (tmp_path / "docs" / "playlists" / "notes.md").write_text("# My notes\n")
    site = Path(build(tmp_path / "mkdocs.yml").site_dir)  # strict
    assert not (site / "playlists" / "gone").exists()
    assert not list((site / "playlists").glob("gone*"))
    assert "Gone" not in (site / "playlists" / "index.html").read_text()
    assert (site / "playlists" / "notes" / "index.html").is_file()  # the user's page stays
