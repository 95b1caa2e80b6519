"""Families and mixes: sizes from the rule, warm starts that keep tracks where they were, the
state file that keeps them without the cache, names that siblings do not share."""

import re

import numpy as np
import pandas as pd
import pytest
from site_building import build, make_site
from synthetic import EXPORTIFY_HEADER, exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.describing.differences import describe_clusters
from mkdocs_playlist_clusters.describing.views import bearing_out
from mkdocs_playlist_clusters.grouping.mixes import Previous, group_tracks, mix_count
from mkdocs_playlist_clusters.grouping.state import GroupState
from mkdocs_playlist_clusters.grouping.versions import Made, Version
from mkdocs_playlist_clusters.playlist import PlaylistOptions


def continuum(tracks: int, seed: int = 0) -> np.ndarray:
    """Standardized rows with no natural groups: what real libraries look like."""
    return np.random.default_rng(seed).normal(size=(tracks, 6))


def previous_of(grouping, keep: np.ndarray, tracks: int) -> Previous:
    """The `Previous` of today's `tracks` rows from a grouping of the rows `keep`."""
    families, mixes = np.zeros(tracks, dtype=int), np.zeros(tracks, dtype=int)
    families[keep] = grouping.families.labels + 1
    mixes[keep] = grouping.mix_numbers[grouping.mixes]
    return Previous(families, mixes)


def test_each_family_gets_round_n_over_mix_size_mixes():
    values = continuum(1500)
    grouping = group_tracks(values, mix_size=60)
    for family in range(grouping.families.count):
        size = int((grouping.families.labels == family).sum())
        assert len(grouping.family_mixes(family)) == mix_count(size, 60)
    sizes = np.bincount(grouping.mixes)
    assert 20 <= grouping.mix_count <= 30
    assert sizes.min() >= 12  # a fifth of the target: smaller ones are merged
    assert sizes.max() <= 300
    # Every mix lies in one family, and numbers are 1..M without repeats on a first build.
    assert sorted(grouping.mix_numbers) == list(range(1, grouping.mix_count + 1))
    assert all(
        len(np.unique(grouping.families.labels[grouping.mixes == m])) == 1
        for m in range(grouping.mix_count)
    )


def test_a_small_playlist_is_one_level_and_mix_size_changes_the_count():
    small = group_tracks(continuum(120), mix_size=60)
    assert small.mix_count == small.families.count  # each family one mix: one level
    finer = group_tracks(continuum(1500), mix_size=30)
    assert finer.mix_count > group_tracks(continuum(1500), mix_size=60).mix_count * 1.6


def test_adding_five_percent_keeps_families_and_mixes_when_started_from_the_previous_build():
    tracks = 2000
    values = continuum(tracks, seed=3)
    keep = np.ones(tracks, dtype=bool)
    keep[np.random.default_rng(4).choice(tracks, tracks // 20, replace=False)] = False
    before = group_tracks(values[keep])
    after = group_tracks(values, previous=previous_of(before, keep, tracks))
    family_kept = np.mean(after.families.labels[keep] == before.families.labels)
    mix_kept = np.mean(after.mix_numbers[after.mixes][keep] == before.mix_numbers[before.mixes])
    assert family_kept >= 0.95
    assert mix_kept >= 0.90
    assert after.warm
    # From scratch the same edit redraws borders: the warm start is what keeps the tracks.
    scratch = group_tracks(values)
    scratch_kept = np.mean(
        scratch.mix_numbers[scratch.mixes][keep] == before.mix_numbers[before.mixes]
    )
    assert scratch_kept < mix_kept


def test_the_same_rows_in_another_order_give_the_same_groups():
    values = continuum(600, seed=5)
    order = np.random.default_rng(6).permutation(len(values))
    first, shuffled = group_tracks(values), group_tracks(values[order])
    assert np.array_equal(
        first.mix_numbers[first.mixes][order], shuffled.mix_numbers[shuffled.mixes]
    )


def test_a_family_that_doubles_gets_new_mixes_and_keeps_its_old_numbers():
    values = continuum(2400, seed=7)
    half = np.zeros(len(values), dtype=bool)
    half[:1200] = True
    before = group_tracks(values[half])
    after = group_tracks(values, previous=previous_of(before, half, len(values)))
    assert after.mix_count > before.mix_count
    assert set(before.mix_numbers) <= set(after.mix_numbers)
    assert len(set(after.mix_numbers)) == after.mix_count


def version(tracks: dict[str, tuple[int, int]]) -> bytes:
    """A result's version of these groups (see `versions`)."""
    return Version(tracks, PlaylistOptions("Mix", "mix").settings, Made(False)).data


def test_state_file_round_trip_keeps_only_the_playlists_of_this_build(tmp_path):
    path = tmp_path / "state.json"
    state = GroupState(path)
    state.record("mix", version({"a": (1, 2), "b": (2, 5)}))
    state.record("other", version({"c": (1, 1)}))
    assert state.save()
    assert not state.save()  # nothing recorded since: nothing written
    again = GroupState(path)
    assert again.previous("mix").versions[0].tracks == {"a": (1, 2), "b": (2, 5)}
    again.record("mix", again.previous("mix").versions[0].data)
    assert again.save()  # "other" left mkdocs.yml: it leaves the file
    assert GroupState(path).previous("other").versions == ()
    # One track a line, so that a diff shows the tracks that moved.
    assert '  "a": [1, 2],\n  "b": [2, 5]' in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{",
        "[]",
        '{"format": "x"}',
        '{"format": 1, "playlists": 2}',
        '{"format": "mkdocs-playlist-clusters state 2", "playlists": 2}',
    ],
)
def test_a_damaged_state_file_is_no_previous_state(tmp_path, damage):
    path = tmp_path / "state.json"
    path.write_text(damage, encoding="utf-8")
    assert GroupState(path).previous("mix").versions == ()


def newest_tracks(state_path) -> dict[str, tuple[int, int]]:
    return GroupState(state_path).previous("mix").versions[0].tracks


def test_numbers_survive_a_deleted_cache_through_the_state_file(tmp_path):
    rows = synthetic_tracks(400, seed=11)
    files = {"data/mix.csv": exportify_csv(rows[:380])}
    options = {"playlists": ["data/mix.csv"], "cache": True, "cache_dir": str(tmp_path / "c")}
    config = make_site(tmp_path, options, files=files)
    build(config)
    state_path = tmp_path / "playlist-clusters-state.json"
    first = newest_tracks(state_path)
    assert first
    # A fresh cache (a CI runner), and 20 tracks more.
    import shutil

    shutil.rmtree(tmp_path / "c")
    (tmp_path / "data/mix.csv").write_text(exportify_csv(rows), encoding="utf-8")
    build(config)
    page = (tmp_path / "site/playlists/mix/index.html").read_text(encoding="utf-8")
    assert "Since the previous version of this playlist" in page
    second = newest_tracks(state_path)
    both = first.keys() & second.keys()
    assert len(both) == len(first)
    assert sum(first[key] == second[key] for key in both) / len(both) >= 0.9


def test_state_file_false_writes_nothing(tmp_path):
    files = {"data/mix.csv": exportify_csv(synthetic_tracks(90, seed=2))}
    config = make_site(tmp_path, {"playlists": ["data/mix.csv"], "state_file": False}, files=files)
    build(config)
    assert not (tmp_path / "playlist-clusters-state.json").exists()


def test_sibling_names_differ():
    tracks = pd.DataFrame(
        {
            "energy": [0.1] * 10 + [0.1] * 10 + [0.9] * 10,
            "year": [2000.0] * 30,
            "genres": [["pop"]] * 30,
            "label": [None] * 30,
            "artists": [["A"]] * 30,
            "tempo": [100.0] * 30,
        }
    )
    labels = np.array([0] * 10 + [1] * 10 + [2] * 10)
    names = [d.name for d in describe_clusters(tracks, labels, ["energy"], 3)]
    assert len(set(names)) == 3, names


def test_a_name_rests_on_a_third_of_the_group_and_its_table_shows_it():
    # The first group: trap on a third, each other track a tag of its own.
    genres = [["trap"]] * 4 + [[f"tag {i}"] for i in range(8)]
    tracks = pd.DataFrame(
        {
            "energy": [0.5] * 24,
            "year": [2000.0] * 24,
            "genres": genres + [["folk"]] * 12,
            "label": [None] * 24,
            "artists": [[f"A{i}"] for i in range(24)],
            "tempo": [100.0] * 24,
        }
    )
    labels = np.array([0] * 12 + [1] * 12)
    first = describe_clusters(tracks, labels, ["energy"], 2)[0]
    assert first.name.startswith("Trap · "), first.name
    # Three of the group's twelve would not be a third: no name from a minority (trap's
    # broad genre, hip hop, is held by as few).
    fewer_genres = [["trap"]] * 3 + [[f"tag {i}"] for i in range(9)] + [["folk"]] * 12
    fewer = tracks.assign(genres=fewer_genres)
    name = describe_clusters(fewer, labels, ["energy"], 2)[0].name.casefold()
    assert "trap" not in name and "hip hop" not in name, name
    # The group's table: trap tracks listed last by distance still show up in the first 3.
    ordered = tracks[labels == 0].iloc[::-1]  # trap tracks last
    shown = bearing_out(ordered, first.named_values, 3).head(3)
    assert any("trap" in genres for genres in shown["genres"])


def test_rare_explicit_tracks_never_make_a_group_of_their_own():
    # Metadata only (no audio features): 2 explicit tracks among 200.
    rows = synthetic_tracks(200, seed=9)
    for i, row in enumerate(rows):
        for feature in EXPORTIFY_HEADER[EXPORTIFY_HEADER.index("Danceability") :]:
            row[feature] = ""
        row["Explicit"] = "true" if i < 2 else "false"
    result = build_playlist(exportify_csv(rows).encode(), PlaylistOptions("Mix", "mix"))
    sizes = [mix.size for family in result.summary.families for mix in family.mixes]
    assert min(sizes) > 2, sizes
    page = result.files["mix.md"].decode()
    assert "explicit" not in page.split("How these groups were made")[1].split("</details>")[0]


def test_thirty_families_render_in_thirty_distinct_colours():
    options = PlaylistOptions("Mix", "mix", clusters=30)
    result = build_playlist(exportify_csv(synthetic_tracks(900, seed=4)).encode(), options)
    assert len(result.summary.families) == 30
    svg = result.files["mix-clusters.svg"].decode()
    # Each family's points in one fill colour: 30 families, 30 different fills.
    fills = set(re.findall(r'<circle [^>]*?fill="(#[0-9A-Fa-f]{6})"', svg)) or set(
        re.findall(r"fill: ?(#[0-9A-Fa-f]{6})", svg)
    )
    from mkdocs_playlist_clusters.presenting.figures import cluster_colour

    assert {cluster_colour(n).lower() for n in range(30)} <= {f.lower() for f in fills}
    assert len({cluster_colour(n) for n in range(30)}) == 30
