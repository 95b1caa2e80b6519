"""How the plugin scales with the size of a playlist: 1,000, 10,000 and 100,000 tracks.

    python benchmarks/scale.py                       # 1,000, 10,000 and 100,000 tracks
    python benchmarks/scale.py --sizes 300 --quick   # what CI runs: one small size, one run

Each playlist is made by resampling real rows of the exports in ../shared/playlists (three
Liked Songs exports, four Hit Predictor decades and the TidyTuesday table: 49,000 rows of
real names, artists and audio features), each drawn row given a new track id so that every
row is a distinct track. It is written, in Exportify's current CSV layout, to a temporary
folder, never to the checkout. For each size, one site with that playlist is built:

* cold: an empty cache, one `mkdocs build` process (its peak memory is reported);
* warm: the cache filled, median of `--runs` processes;
* each minus the same site with `enabled: false` (median of `--runs`).

Cold builds import pandas, scikit-learn and matplotlib; that import cost is measured on its
own and subtracted in "cold minus imports". Also printed: the largest HTML page and the
search index of the enabled build, and the growth of the cold cost from one size to the next.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import baselines
import pandas as pd
from sites import (
    SHARED_PLAYLISTS,
    build,
    heavy_import_seconds,
    kib,
    largest_page,
    make_site,
    search_index_bytes,
)

from mkdocs_playlist_clusters.presenting.downloads import csv_lines, exportify_rows, joined_csv
from mkdocs_playlist_clusters.reading.exports import read_playlist

SOURCES = (
    "exportify-2025nov_hiphop-rap_liked-songs_7785tracks.csv",
    "exportify-2024dec_softrock-jazzfunk_liked-songs_6576tracks.csv",
    "exportify-2026_artrock-althiphop_liked-songs_2701tracks_EXCEL-RESAVED.csv",
    "large_hit-predictor_dataset-of-00s_5872tracks.csv",
    "large_hit-predictor_dataset-of-10s_6398tracks.csv",
    "large_hit-predictor_dataset-of-70s_7766tracks.csv",
    "large_hit-predictor_dataset-of-80s_6908tracks.csv",
    "tidytuesday-2020_spotify-songs_half-A_16430rows.csv.gz",
)
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def real_rows() -> pd.DataFrame:
    """Every track row of the sources that has audio features, as the plugin reads them."""
    tables = [read_playlist((SHARED_PLAYLISTS / name).read_bytes()).tracks for name in SOURCES]
    rows = pd.concat(tables, ignore_index=True)
    return rows[(rows["kind"] == "track") & rows["energy"].notna()].reset_index(drop=True)


def synthetic_id(number: int) -> str:
    """A valid-looking, distinct 22-character Spotify id for the number-th drawn row."""
    digest = int.from_bytes(hashlib.sha256(str(number).encode()).digest(), "big")
    return "".join(BASE62[(digest >> (6 * i)) % 62] for i in range(22))


def resampled_csv(rows: pd.DataFrame, size: int, seed: int = 0) -> bytes:
    drawn = rows.sample(n=size, replace=size > len(rows), random_state=seed).reset_index(drop=True)
    drawn["track_id"] = [synthetic_id(i) for i in range(size)]
    drawn["uri"] = None
    return joined_csv(csv_lines(exportify_rows(drawn)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="warm and disabled builds per size")
    parser.add_argument("--quick", action="store_true", help="one build of each kind")
    baselines.add_arguments(parser)
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    if not SHARED_PLAYLISTS.is_dir():
        print(f"{SHARED_PLAYLISTS} not found: the scale benchmark needs the real exports")
        return 2

    imports = heavy_import_seconds(1 if args.quick else 3)
    print(f"importing pandas, scikit-learn and matplotlib: {imports:.2f} s (fresh process)")
    rows = real_rows()
    print(f"resampling {len(rows):,} real rows of {len(SOURCES)} shared exports")
    print(
        "| tracks | `enabled: false` | warm rebuild | cold build | cold minus imports "
        "| cold peak memory | largest page | search index |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    previous: tuple[int, float] | None = None
    growth = []
    figures = {}
    with tempfile.TemporaryDirectory(prefix="playlist-clusters-scale-") as temp:
        for size in args.sizes:
            folder = Path(temp) / f"n{size}"
            folder.mkdir()
            data = folder / f"resampled-{size}.csv"
            data.write_bytes(resampled_csv(rows, size))
            site = make_site(folder, f"{size} tracks", [{"path": str(data)}], size)
            out = folder / "out"
            shutil.rmtree(site.cache, ignore_errors=True)
            cold = build(site.enabled, out / "cold")
            disabled = [build(site.disabled, out / "disabled").seconds for _ in range(runs)]
            warm = [build(site.enabled, out / "warm").seconds for _ in range(runs)]
            base = statistics.median(disabled)
            page, _ = largest_page(out / "warm")
            index = search_index_bytes(out / "warm")
            plugin_cold = cold.seconds - base - imports
            print(
                f"| {size:,} | {base:.2f} s | {statistics.median(warm) - base:+.2f} s "
                f"| {cold.seconds - base:+.2f} s | {plugin_cold:+.2f} s "
                f"| {cold.peak_mib:,.0f} MiB | {kib(page)} | {kib(index)} |"
            )
            figures[f"{size:,} tracks: warm rebuild"] = statistics.median(warm) - base
            figures[f"{size:,} tracks: cold minus imports"] = plugin_cold
            figures[f"{size:,} tracks: cold peak memory"] = cold.peak_mib
            if previous:
                growth.append(
                    f"{previous[0]:,} -> {size:,}: {plugin_cold / max(previous[1], 1e-3):.1f}x"
                )
            previous = (size, plugin_cold)
    if growth:
        print("growth of the cold plugin cost (minus imports): " + "; ".join(growth))
    return baselines.report("scale", figures, args)


if __name__ == "__main__":
    sys.exit(main())
