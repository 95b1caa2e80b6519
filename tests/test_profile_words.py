"""The figures call the groups what the page calls them: families, or mixes on a page of one
level; never "Cluster", in any language."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.text import Text

from mkdocs_playlist_clusters.language import ENGLISH, language
from mkdocs_playlist_clusters.playlist import CONTINUOUS_FEATURES
from mkdocs_playlist_clusters.presenting import figure_text
from mkdocs_playlist_clusters.presenting.figures import AxisTitle, scatter_figure
from mkdocs_playlist_clusters.presenting.profile import PROFILE_MAX_COLUMNS, profile_figure
from tests.site_building import build, make_site
from tests.synthetic import exportify_csv, synthetic_tracks

GERMAN = language("de")


def texts(figure) -> str:
    figure.canvas.draw()
    return " | ".join(t.get_text() for t in figure.findobj(Text) if t.get_visible())


@pytest.mark.parametrize("count", [3, PROFILE_MAX_COLUMNS + 2])  # columns, then rows
def test_the_profile_heads_and_caption_say_family_or_mix(count):
    shifts = np.linspace(-2, 2, count * len(CONTINUOUS_FEATURES)).reshape(count, -1)
    sizes = [10] * count
    families = texts(profile_figure(shifts, CONTINUOUS_FEATURES, sizes, language=GERMAN))
    assert "Familie" in families and "Mittelwert der Familie" in families
    mixes = texts(profile_figure(shifts, CONTINUOUS_FEATURES, sizes, language=GERMAN, mixes=True))
    assert "Mix" in mixes and "Mittelwert des Mixes" in mixes
    english = texts(profile_figure(shifts, CONTINUOUS_FEATURES, sizes, language=ENGLISH))
    assert "Family" in english and "Family mean against the playlist's" in english
    for text in (families, mixes, english):
        assert "Cluster" not in text and "Gruppe" not in text


def test_the_legend_of_a_one_level_map_says_mix():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 10)
    projection = rng.normal(0, 4, (3, 2))[labels] + rng.normal(0, 0.5, (30, 2))
    titles = [AxisTitle("x", "", ""), AxisTitle("y", "", "")]
    figure = scatter_figure(projection, labels, titles, language=GERMAN)  # no mixes: one level
    legend = figure.legends[0].get_title().get_text()
    assert legend == GERMAN.tr("Mix")


@pytest.mark.parametrize(("mix_size", "head"), [(20, "Familie"), (60, "Mix")])
def test_a_german_build_s_profile_calls_the_groups_as_its_page_does(
    tmp_path, monkeypatch, mix_size, head
):
    # Text the fonts cannot draw goes into the SVG as text (the browser draws it): so the
    # profile's words can be read from the file.
    monkeypatch.setattr(figure_text, "renderable", lambda text: False)
    config = make_site(
        tmp_path,
        {"playlists": ["data/mix.csv"], "language": "de", "mix_size": mix_size},
        files={"data/mix.csv": exportify_csv(synthetic_tracks(150, seed=2))},
    )
    build(config)
    folder = tmp_path / "site" / "playlists"
    svg = (folder / "mix-profile.svg").read_text(encoding="utf-8")
    words = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert f"{head} Titel" in words, words  # the heads of the badges' and the counts' rows
    assert "Cluster" not in svg and "Gruppe" not in words
    # The page speaks of the same groups: families with mixes in them, or mixes alone.
    page = (folder / "mix" / "index.html").read_text(encoding="utf-8")
    assert ('id="family-1"' in page) == (head == "Familie")
