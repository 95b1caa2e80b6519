"""Clusters that explain themselves: names and evidence measured against the playlist,
honesty about weak structure, tracks that fit worst, one row per recording, metadata
playlists that say so."""

import csv
import html
import io
import re

import numpy as np
import pandas as pd
import pytest
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.describing.differences import (
    MIN_COUNT,
    describe_clusters,
    over_represented,
    separation_words,
    value_sets,
)
from mkdocs_playlist_clusters.playlist import AUDIO_FEATURES, PLACEHOLDER, PlaylistOptions
from mkdocs_playlist_clusters.reading.exports import read_playlist

OPTIONS = PlaylistOptions(title="Mix", slug="mix")
HEADING = re.compile(r"^##+ Mix (\d+): <bdi>(.+)</bdi> \(\d+ tracks?\)$", re.M)


def page_of(rows: list[dict[str, str]]) -> str:
    """The page's Markdown with its HTML fragments (mix sections, tables) in place."""
    result = build_playlist(exportify_csv(rows).encode(), OPTIONS)
    fragments = {**result.indexed, **result.unindexed}
    return PLACEHOLDER.sub(lambda m: fragments[m.group(1)], result.files["mix.md"].decode())


def headings(page: str) -> dict[int, str]:
    return {int(number): name for number, name in HEADING.findall(page)}


def section(page: str, number: int) -> str:
    return page.split(f'<a id="mix-{number}"></a>', 1)[1].split('<a id="', 1)[0]


def test_names_say_genre_artists_and_years_and_comparisons_go_under_the_heading():
    rows = synthetic_tracks(90, seed=5)
    for row in rows:  # a genre every track has: the playlist's, so no name says it
        row["Genres"] += ",indie"
    page = page_of(rows)
    names = headings(page)
    assert len(names) == 3
    club = [n for n, name in names.items() if "Club Song" in section(page, n)]
    assert len(club) == 1, names
    for name in names.values():
        assert "indie" not in name.casefold()
        # Artists who define it: the synthetic archetypes' own artists.
        assert re.search(r"(Club|Rap|Ballad) Artist \d", name), names
        # No comparison in a name: those are relative to the siblings.
        assert not {"Louder", "Faster", "More energetic", "Calmer"} & set(name.split(" · "))
    # The comparison is the line under the heading, in running text.
    assert re.search(
        r"<p>Next to the rest of the playlist: [^<]*(louder|faster|more energetic)",
        section(page, club[0]),
    ), section(page, club[0])
    # The rap archetype's own genre is in its name, rolled up to the broad genre.
    rap = next(n for n in names if "Rap Song" in section(page, n))
    assert names[rap].split(" · ")[0] in {"Hip hop", "Rap"}, names
    # The evidence beside the name gives the shares that earned it.
    assert re.search(
        r"<li>Genre <bdi>(Hip hop|Rap)</bdi>: 30 tracks here \(100%\), 33% of the playlist</li>",
        section(page, rap),
    )
    assert "indie" not in section(page, rap).casefold()


def description_of(features: dict[str, list[float]], inside: list[bool]):
    count = len(inside)
    tracks = pd.DataFrame(
        {
            **features,
            "tempo": features.get("tempo", [float("nan")] * count),
            "year": [2020] * count,
            "genres": [[] for _ in range(count)],
            "label": [None] * count,
            "artists": [["A"] for _ in range(count)],
        }
    )
    labels = np.array([0 if hit else 1 for hit in inside])
    columns = [name for name in features if name != "tempo"] + (
        ["tempo"] if "tempo" in features else []
    )
    return describe_clusters(tracks, labels, columns, 2)[0]


def test_trait_words_compare_with_the_playlist_unless_spotify_draws_an_absolute_line():
    inside = [True] * 10 + [False] * 30
    studio = description_of({"liveness": [0.6] * 10 + [0.1] * 30}, inside)
    assert studio.comparisons == ["More live-sounding"]  # 0.6 never reaches the 0.8 "live" line
    live = description_of({"liveness": [0.9] * 10 + [0.1] * 30}, inside)
    assert live.comparisons == ["Live recordings"]
    [trait] = live.traits
    assert (trait.cluster_value, trait.playlist_value) == pytest.approx(
        (0.9, 0.3)
    )  # 10 x 0.9 and 30 x 0.1


def test_doubled_tempos_are_flagged_not_averaged_into_faster():
    inside = [True] * 10 + [False] * 30
    # Half the cluster measured at double its felt tempo of 90 BPM.
    tempos = [90.0] * 5 + [180.0] * 5 + [100.0] * 30
    described = description_of({"tempo": tempos, "energy": [0.5] * 40}, inside)
    assert described.octave_tempos == 10  # each half is near half or double the other
    assert "Faster" not in described.comparisons
    plain = description_of({"tempo": [150.0] * 10 + [100.0] * 30, "energy": [0.5] * 40}, inside)
    assert plain.octave_tempos == 0 and plain.comparisons == ["Faster"]


def test_small_counts_in_a_big_cluster_are_not_evidence():
    size = 3000
    artists = [{"Big Star"}] * 2 + [{"Other"}] * (size - 2) + [{"Else"}] * 1000
    inside = np.array([True] * size + [False] * 1000)
    found = over_represented({"artist": artists}, inside)
    assert "Big Star" not in [o.value for o in found]
    # The same artist on a third of a small cluster is.
    artists = [{"Big Star"}] * MIN_COUNT + [{"Other"}] * 6 + [{"Else"}] * 100
    inside = np.array([True] * (MIN_COUNT + 6) + [False] * 100)
    [star] = [o for o in over_represented({"artist": artists}, inside) if o.value == "Big Star"]
    assert (star.count, star.cluster_share) == (MIN_COUNT, pytest.approx(1 / 3))


def test_decades_come_from_release_years():
    tracks = pd.DataFrame(
        {
            "year": [1979, 1985, None],
            "genres": [[], [], []],
            "label": [None] * 3,
            "artists": [[], [], []],
        }
    )
    assert value_sets(tracks)["decade"] == [{"1970s"}, {"1980s"}, set()]


def blob_rows(n: int, seed: int) -> list[dict[str, str]]:
    """Tracks whose features are one Gaussian blob: nothing to separate."""
    rng = np.random.default_rng(seed)
    rows = synthetic_tracks(n, seed=seed)
    for row in rows:
        for feature in ("Danceability", "Energy", "Valence", "Acousticness", "Speechiness"):
            row[feature] = f"{float(np.clip(rng.normal(0.5, 0.12), 0, 1)):.4f}"
        row["Tempo"] = f"{rng.normal(110, 15):.2f}"
        row["Loudness"] = f"{rng.normal(-8, 2):.2f}"
        row["Instrumentalness"] = f"{float(np.clip(rng.normal(0.3, 0.1), 0, 1)):.4f}"
        row["Liveness"] = f"{float(np.clip(rng.normal(0.2, 0.05), 0, 1)):.4f}"
    return rows


def method(page: str) -> str:
    """The collapsed "How these groups were made" block."""
    block = page.split("<summary>How these groups were made</summary>", 1)[1]
    return html.unescape(block.split("</details>")[0])


def test_weak_structure_is_said_once_in_the_collapsed_block():
    blob = page_of(blob_rows(300, seed=2))
    assert "The families are overlapping: mean silhouette 0." in method(blob)
    assert blob.count("continuum") == 1  # the overlap note, once
    before, after = blob.split('<details class="info">', 1)
    assert "silhouette" not in before + after.split("</details>", 1)[1]
    separated = page_of(synthetic_tracks(90, seed=5))
    assert re.search(
        r"The families are (well|strongly) separated: mean silhouette 0\.[5-9]", method(separated)
    )


def test_silhouette_words_follow_kaufman_and_rousseeuw():
    assert separation_words(0.8) == "strongly separated"
    assert separation_words(0.6) == "well separated"
    assert separation_words(0.3) == "loosely separated"
    assert separation_words(0.25) == "overlapping"
    assert separation_words(-0.2) == "overlapping"
    # A silhouette that cannot be measured (NaN) raised StopIteration, a "bug" page.
    assert separation_words(float("nan")) == "overlapping"


def test_each_mix_lists_the_tracks_on_its_edge_with_the_mix_they_are_nearly_as_close_to():
    rows = synthetic_tracks(90, seed=5)
    # A club track with ballad-like features: it fits its cluster worst.
    odd = rows[0]
    assert odd["Track Name"].startswith("Club")
    odd.update(Energy="0.45", Acousticness="0.5", Loudness="-9.0", Danceability="0.55")
    page = page_of(rows)
    names = headings(page)
    for number in names:
        listed = re.findall(
            r"^<li>(.+?) by .+: close to <a href=\"#mix-(\d+)\">Mix (\d+)</a> "
            r"\(<bdi>(.+)</bdi>\)</li>$",
            section(page, number),
            re.M,
        )
        assert len(listed) == 3
        for _, anchor, other, other_name in listed:
            assert other == anchor and int(other) != number
            assert other_name == names[int(other)]
    home = next(n for n in names if "Club Song" in section(page, n))
    assert f'"><bdi>{odd["Track Name"]}</bdi></a> by ' in section(page, home)


def test_the_same_recording_under_two_ids_is_one_row_on_the_page_and_two_in_downloads():
    rows = synthetic_tracks(60, seed=1)
    again = dict(rows[4], **{"Track URI": "spotify:track:" + "7" * 22})
    again["Duration (ms)"] = str(int(rows[4]["Duration (ms)"]) + 800)  # another release's length
    again["Album Name"] = "Greatest Hits"
    result = build_playlist(exportify_csv([*rows, again]).encode(), OPTIONS)
    page = result.files["mix.md"].decode()
    assert "61 tracks (1 recording listed again under another Spotify id shown once" in page
    sizes = [int(n) for n in re.findall(r"^##+ Mix \d+: .* \((\d+) tracks\)$", page, re.M)]
    assert sum(sizes) == 60
    everything = list(csv.DictReader(io.StringIO(result.files["mix/mix-all-tracks.csv"].decode())))
    assert len(everything) == 61
    by_uri = {row["Track URI"]: row["Mix"] for row in everything}
    assert by_uri[again["Track URI"]] == by_uri[rows[4]["Track URI"]] != ""
    number = by_uri[again["Track URI"]]
    # The mix's CSV keeps both ids side by side, the second marked as a repeat of the first
    # (the one the page shows); the Spotify links and the M3U8 list the recording once.
    mix_csv = list(csv.DictReader(io.StringIO(result.files[f"mix/mix-mix-{number}.csv"].decode())))
    uris = [row["Track URI"] for row in mix_csv]
    pair = sorted([uris.index(again["Track URI"]), uris.index(rows[4]["Track URI"])])
    shown, repeat = uris[pair[0]], uris[pair[1]]
    assert pair[1] == pair[0] + 1
    assert [row["Same Recording As"] for row in mix_csv] == [
        shown if uri == repeat else "" for uri in uris
    ]
    assert {row["Track URI"]: row["Same Recording As"] for row in everything} == {
        **dict.fromkeys(by_uri, ""),
        repeat: shown,
    }
    tables = "".join([*result.indexed.values(), *result.unindexed.values()])
    assert f"/track/{shown[14:]}" in tables and f"/track/{repeat[14:]}" not in tables
    for kind in ("txt", "m3u8"):
        text = result.files[f"mix/mix-mix-{number}.{kind}"].decode()
        assert shown in text and repeat not in text
    # A song of the same name by someone else is another recording.
    cover = dict(rows[4], **{"Track URI": "spotify:track:" + "8" * 22, "Artist Name(s)": "X"})
    page = build_playlist(exportify_csv([*rows, cover]).encode(), OPTIONS).files["mix.md"]
    assert b"listed again" not in page


def test_a_playlist_without_audio_features_says_so_and_shows_what_it_was_grouped_by():
    rows = synthetic_tracks(60, seed=2)
    for row in rows:
        for name in ("Danceability", "Energy", "Speechiness", "Acousticness", "Loudness"):
            row[name] = ""
        for name in ("Instrumentalness", "Liveness", "Valence", "Tempo", "Key", "Mode"):
            row[name] = ""
        row["Time Signature"] = ""
    data = exportify_csv(rows).encode()
    # The premise, as the reader sees it: not one audio feature value in the export.
    assert read_playlist(data).tracks[list(AUDIO_FEATURES)].isna().to_numpy().all()
    result = build_playlist(data, OPTIONS)
    page = result.files["mix.md"].decode()
    assert "This export has no audio features" in page
    tables = "".join(result.indexed.values())
    for header in ("<th", ">Year</th>", ">Duration</th>", ">Explicit</th>", ">Popularity</th>"):
        assert header in tables
    assert "Popularity is Spotify's score from 0 to 100" in page
    assert re.search(r"<td[^>]*>\d:\d\d</td>", tables)  # durations as m:ss
