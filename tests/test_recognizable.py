"""Mixes you recognize: real exports with genres, built with MkDocs, checked from the built
pages and each mix's CSV download (never from the plugin's internals).

- a mix holds one kind of music: the median share of its tagged tracks in its leading broad
  genre is at least 60% (random groups of the same sizes reach far less);
- a genre word in a name is held by at least a third of the mix, counting each track's tags
  rolled up to broader genres (`genres.tsv`, the table docs/pages/groups.md documents);
- a decade in a name is held by at least half of the mix;
- no two mixes of a page share a name, the same words in another order counting as the same;
- at least 80% of names say what the mix is: a genre, its artists or its years;
- a playlist grouped on metadata never speaks of sound, and no family or mix of it is named
  by popularity or explicitness.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from built_html import FAMILY_HEADING, MIX_HEADING, parse_page, playlist_pages
from site_building import SHARED_PLAYLISTS, build, make_site, requires_shared

from mkdocs_playlist_clusters.building.options import slugify
from mkdocs_playlist_clusters.reading.genres import broad_genre, rolled_up

pytestmark = requires_shared

WITH_GENRES = (
    "exportify-2026_artrock-althiphop_liked-songs_2701tracks_EXCEL-RESAVED.csv",
    "exportify-2025mid_postpunk-latinalt_soundhound_3344tracks.csv",
)
METADATA = "watsonbox-2026_vpop-jpop_liked_746tracks_nofeatures.csv"
DECADE = re.compile(r"^(\d{3})0s$")
SPAN = re.compile(r"^\d{3}0s–(\d0|\d{3}0)s$")
# Comparison words, which a name uses only when nothing else describes a mix.
COMPARISONS = re.compile(
    r"^(More|Less|Calmer|Louder|Quieter|Happier|Sadder|Faster|Slower|Longer|Shorter|Older|"
    r"Cleaner|Live|Spoken|Instrumental|Close to)"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("recognizable")
    paths = [str(SHARED_PLAYLISTS / name) for name in (*WITH_GENRES, METADATA)]
    build(make_site(tmp, {"playlists": paths}))
    return tmp / "site" / "playlists"


def mixes_of(folder: Path) -> list[tuple[str, list[dict[str, str]]]]:
    """Each mix's name and the rows of its CSV, a recording under two ids counted once."""
    headings = [h for page in playlist_pages(folder) for h in page.headings]
    found = []
    for heading in headings:
        match = MIX_HEADING.match(heading)
        if not match:
            continue
        text = (folder / f"{folder.name}-mix-{match.group(1)}.csv").read_text("utf-8")
        rows = {
            (r["Track Name"], r["Artist Name(s)"]): r for r in csv.DictReader(io.StringIO(text))
        }
        found.append((match.group(2), list(rows.values())))
    return found


def tags(row: dict[str, str]) -> list[str]:
    return [tag.strip() for tag in row["Genres"].split(",") if tag.strip()]


def genre_words(row: dict[str, str]) -> set[str]:
    return {word for tag in tags(row) for word in rolled_up(tag)}


def artists(row: dict[str, str]) -> set[str]:
    return {name.strip() for name in re.split(r"[;,]", row["Artist Name(s)"]) if name.strip()}


def parts_of(name: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """A name's parts: genre, artists, years (each when present)."""
    name = re.sub(r" \(\d+\)$", "", name)
    known_artists = set().union(*map(artists, rows))
    found = {}
    for part in name.split(" · "):
        if DECADE.match(part) or SPAN.match(part):
            found["years"] = part
        elif all(a.strip() in known_artists for a in part.split(", ")):
            found["artists"] = part
        elif not COMPARISONS.match(part):
            found["genre"] = part
    return found


def test_mixes_hold_one_kind_of_music(built):
    for name in WITH_GENRES:
        shares, random_shares = [], []
        mixes = mixes_of(built / slugify(name.split(".")[0]))
        everyone = [row for _, rows in mixes for row in rows]
        overall = Counter(g for row in everyone for g in {broad_genre(t) for t in tags(row)} if g)
        tagged_total = sum(1 for row in everyone if any(broad_genre(t) for t in tags(row)))
        for _, rows in mixes:
            broads = [{g for t in tags(row) if (g := broad_genre(t))} for row in rows]
            tagged = [b for b in broads if b]
            if len(tagged) >= 5:
                counts = Counter(g for b in tagged for g in b)
                shares.append(counts.most_common(1)[0][1] / len(tagged))
        # Random groups hold the playlist's own leading genre, about.
        random_shares.append(overall.most_common(1)[0][1] / tagged_total)
        assert statistics.median(shares) >= 0.6, (name, statistics.median(shares))
        assert statistics.median(shares) > random_shares[0] + 0.1, (name, random_shares)


def test_names_rest_on_what_the_tracks_hold(built):
    for name in (*WITH_GENRES, METADATA):
        mixes = mixes_of(built / slugify(name.split(".")[0]))
        said = 0
        for mix_name, rows in mixes:
            parts = parts_of(mix_name, rows)
            said += bool(parts)
            if "genre" in parts:
                word = parts["genre"].casefold()
                holders = sum(word in genre_words(row) for row in rows)
                assert holders * 3 >= len(rows), (mix_name, holders, len(rows))
            if "years" in parts and (decade := DECADE.match(parts["years"])):
                held = sum(row["Release Date"][:3] == decade.group(1) for row in rows)
                assert held * 2 >= len(rows), (mix_name, held, len(rows))
            if "artists" in parts:
                for artist in parts["artists"].split(", "):
                    assert any(artist in artists(row) for row in rows), (mix_name, artist)
        assert said >= 0.8 * len(mixes), (name, said, len(mixes))


def test_names_name_a_genre_where_the_export_has_them(built):
    for name in WITH_GENRES:
        mixes = mixes_of(built / slugify(name.split(".")[0]))
        with_genre = sum("genre" in parts_of(n, rows) for n, rows in mixes)
        assert with_genre >= 0.5 * len(mixes), (name, with_genre, len(mixes))


def test_no_two_names_on_a_page_are_the_same_words(built):
    for name in (*WITH_GENRES, METADATA):
        pages = playlist_pages(built / slugify(name.split(".")[0]))
        names = [m.group(2) for p in pages for h in p.headings if (m := MIX_HEADING.match(h))]
        words = [frozenset(re.split(r" · |, ", n)) for n in names]
        repeated = [n for n, w in zip(names, words, strict=True) if words.count(w) > 1]
        assert not repeated, repeated


def test_a_metadata_playlist_never_speaks_of_sound(built):
    page = parse_page(
        (built / slugify(METADATA.split(".")[0]) / "index.html").read_text(encoding="utf-8")
    )
    words = [*page.headings, *(text for _, text in page.paragraphs)]
    assert len(words) > 5
    assert not [text for text in words if re.search(r"\bsound", text, re.I)]
    headings = [MIX_HEADING.match(h) or FAMILY_HEADING.match(h) for h in page.headings]
    names = [match.group(2) for match in headings if match]
    assert names
    for name in names:
        assert not re.search(r"popular|explicit|cleaner", name, re.I), name
