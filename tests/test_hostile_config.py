"""Option values that would take pages out of the site, publish the cache or fill the project
folder are configuration errors, in the plugin and in `playlist-clusters generate`."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort
from site_building import build, make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import build_error, generate, mix_site, no_traceback_one_line

from mkdocs_playlist_clusters.building.config import PluginConfig
from mkdocs_playlist_clusters.escaping import log_line


def problems(options: dict) -> list[str]:
    """The plugin's validation errors for `options`, as MkDocs reports them."""
    config = PluginConfig()
    config.load_dict(options)
    errors, _ = config.validate()
    return [f"{name}: {error}" for name, error in errors]


@pytest.mark.parametrize(
    "prefix", ["../x", "..", "a/../../b", "/abs", "/", "./x", "a//b", "C:/x", "a\\..\\b"]
)
def test_a_url_prefix_out_of_the_site_or_absolute_is_refused(prefix):
    (problem,) = problems({"url_prefix": prefix})
    assert (
        problem.startswith("url_prefix: expected a folder of the site") and repr(prefix) in problem
    )


@pytest.mark.parametrize("prefix", ["playlists", "music/clusters", "music/", "", "déjà-vu"])
def test_a_url_prefix_inside_the_site_is_accepted(prefix):
    assert problems({"url_prefix": prefix}) == []


def test_a_feature_listed_twice_is_refused_with_its_name():
    (problem,) = problems({"features": ["energy", "valence", "energy"]})
    assert "'energy' listed more than once" in problem
    (problem,) = problems({"playlists": [{"path": __file__, "features": ["tempo", "tempo"]}]})
    assert "'tempo' listed more than once" in problem


@pytest.mark.parametrize(
    "options, expected",
    [
        ({"url_prefix": "../outside"}, "option 'url_prefix': expected a folder of the site"),
        ({"url_prefix": "a/../../b"}, "option 'url_prefix'"),
        ({"features": ["energy", "energy"]}, "listed more than once"),
        ({"cache": True, "cache_dir": "."}, "is the project folder or holds it"),
        ({"cache": True, "cache_dir": ""}, "is the project folder or holds it"),
        ({"cache": True, "cache_dir": ".."}, "is the project folder or holds it"),
        ({"cache": True, "cache_dir": "site"}, "cache_dir 'site' is inside site_dir"),
        ({"cache": True, "cache_dir": "site/.cache"}, "is inside site_dir"),
    ],
)
def test_generate_exits_2_with_one_line(tmp_path, options, expected):
    site = mix_site(tmp_path, playlists=["data/mix.csv"], **options)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = generate(site)
    assert result.returncode == 2, result.stdout
    line = no_traceback_one_line(result)
    assert line.startswith("ERROR: playlist-clusters: ") and expected in line, line
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert "cache_dir" not in expected or not (site / "site").exists()


@pytest.mark.parametrize("cache_dir", ["site", "site/.cache", "."])
def test_the_plugin_refuses_a_cache_it_would_publish_or_spread_in_the_project(
    tmp_path, caplog, cache_dir
):
    make_site(
        tmp_path,
        {"cache": True, "cache_dir": cache_dir, "playlists": ["data/mix.csv"]},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(30))},
    )
    assert f"cache_dir {cache_dir!r}" in build_error(tmp_path, caplog)
    assert not (tmp_path / "site" / ".cache").exists()


FORGED = ("\n::error::forged", "\nINFO    -  Documentation built in 0.1 seconds", "\r\x1b[2K")


def assert_no_forged_line(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith(("::error", "INFO    -  Documentation built")), text
    assert "\x1b" not in text and "\r" not in text


def test_a_file_name_from_the_data_folder_cannot_forge_log_lines(tmp_path, caplog):
    name = "data/mix" + "".join(FORGED) + ".csv"
    site = mix_site(tmp_path, rows=3, playlists=[name])  # too few tracks: a warning
    (site / "data" / "mix.csv").rename(site / name)
    result = generate(site)
    assert result.returncode == 0, result.stderr
    assert no_traceback_one_line(result).startswith("WARNING: playlist-clusters: data/mix\\n::")
    assert_no_forged_line(result.stdout + result.stderr)
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build(site / "mkdocs.yml")
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings and all("\n" not in message for message in warnings)
    assert_no_forged_line("\n".join(warnings))


def test_a_parquet_column_name_cannot_forge_log_lines(tmp_path, caplog):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    columns = {f"Energy{forged}": [0.1, 0.2, 0.3] for forged in FORGED}
    pandas.DataFrame(columns).to_parquet(tmp_path / "mix.parquet")
    site = mix_site(tmp_path, playlists=["mix.parquet"])
    result = generate(site)
    assert result.returncode == 0, result.stderr
    assert "Energy\\n::error::forged" in no_traceback_one_line(result)
    assert_no_forged_line(result.stderr)
    with caplog.at_level(logging.INFO), pytest.raises(Abort):
        build(site / "mkdocs.yml")
    assert_no_forged_line(caplog.text)


def test_log_line_escapes_every_control_and_separator_character():
    assert log_line("a\nb\r\tc\x00\x1b[31m\u2028\u0085 é ✓") == (
        "a\\nb\\r\\tc\\x00\\x1b[31m\\u2028\\x85 é ✓"
    )
