"""Golden pages: the whole generated page for two small playlists, checked in.

A change to what a page says shows up as a readable diff of tests/golden/*.md; the scatter is
checked by its SHA-256. After a deliberate change, regenerate them with

    UPDATE_GOLDEN=1 pytest tests/test_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from synthetic import exportify_csv, synthetic_tracks

from mkdocs_playlist_clusters.building.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PLACEHOLDER, GeneratedPlaylist, PlaylistOptions

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
AUDIO_FEATURES = (
    "Danceability", "Energy", "Key", "Loudness", "Mode", "Speechiness", "Acousticness",
    "Instrumentalness", "Liveness", "Valence", "Tempo", "Time Signature",
)  # fmt: skip


def playlist(with_audio_features: bool) -> bytes:
    rows = synthetic_tracks(48, seed=21)
    rows[5]["Track Name"] = "Ünïcødé 눈,코,입 <b>|</b> {{ x }}"
    if not with_audio_features:
        for row in rows:
            for feature in AUDIO_FEATURES:
                row[feature] = ""
    return exportify_csv(rows).encode("utf-8")


def whole_page(result: GeneratedPlaylist, name: str) -> str:
    fragments = {**result.indexed, **result.unindexed}
    return PLACEHOLDER.sub(lambda m: fragments[m.group(1)], result.files[name].decode("utf-8"))


@pytest.mark.parametrize("case", ["audio", "metadata"])
def test_generated_page_matches_the_golden_page(case):
    options = PlaylistOptions(title="Golden Mix", slug="golden-mix", representatives=5)
    result = build_playlist(playlist(case == "audio"), options)
    page = whole_page(result, options.page_name)
    image = hashlib.sha256(result.files[options.image_name]).hexdigest()
    page_file = GOLDEN / f"{case}.md"
    hashes_file = GOLDEN / "images.json"
    hashes = json.loads(hashes_file.read_text(encoding="utf-8")) if hashes_file.exists() else {}
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        page_file.write_text(page, encoding="utf-8")
        hashes[case] = image
        hashes_file.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    assert page == page_file.read_text(encoding="utf-8")
    assert image == hashes[case], "the scatter changed: UPDATE_GOLDEN=1 and review it"
