"""Option values that would take pages out of the site, publish the cache or fill the project
folder are configuration errors, in the plugin and in `playlist-clusters generate`."""

from __future__ import annotations

import pytest
from site_building import make_site
from synthetic import exportify_csv, synthetic_tracks
from test_generate import build_error, generate, mix_site, no_traceback_one_line

from mkdocs_playlist_clusters.config import PluginConfig


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
