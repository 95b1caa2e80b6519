"""What the plugin costs a build: the same site with the plugin on, minus `enabled: false`.

    python benchmarks/build_cost.py            # the three sites below, median of 7 builds
    python benchmarks/build_cost.py --quick    # the example site only, one build each

Sites (the real exports are read in place from ../shared/playlists, never copied):

* example site: the repository's example_site/ (Material, two playlists);
* two real playlists: Exportify's "My Mix 2" (199 tracks) and the Liked Songs export of
  706 folk and americana tracks;
* liked songs 7,785: one real Liked Songs export of 7,785 tracks.

For each: "warm" is a rebuild with nothing changed and the disk cache filled (median of
`--runs` fresh `mkdocs build` processes, interleaved with the disabled builds); "cold" is a
build with an empty cache (median of `--cold-runs`). Cold builds import pandas,
scikit-learn and matplotlib, which warm ones do not; that import cost is measured on its own
and subtracted in the last column. Also printed: the largest HTML page of the enabled build
and the size of the search index.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import baselines
from sites import (
    SHARED_PLAYLISTS,
    Site,
    build,
    example_site,
    heavy_import_seconds,
    kib,
    largest_page,
    make_site,
    search_index_bytes,
)

TWO_PLAYLISTS = (
    "exportify-2024dec_metalcore-hiphop_my-mix-2_199tracks.csv",
    "exportify-2026_folk-americana_liked-songs_706tracks.csv",
)
LIKED_SONGS = "exportify-2025nov_hiphop-rap_liked-songs_7785tracks.csv"


def sites(folder: Path, quick: bool) -> list[Site]:
    found = [example_site(folder / "example")]
    if quick:
        return found
    if not SHARED_PLAYLISTS.is_dir():
        print(f"{SHARED_PLAYLISTS} not found: real-playlist sites skipped", file=sys.stderr)
        return found
    found.append(
        make_site(
            folder / "two",
            "two real playlists",
            [{"path": str(SHARED_PLAYLISTS / name)} for name in TWO_PLAYLISTS],
            tracks=199 + 706,
        )
    )
    found.append(
        make_site(
            folder / "liked",
            "liked songs 7,785",
            [{"path": str(SHARED_PLAYLISTS / LIKED_SONGS), "title": "Liked Songs"}],
            tracks=7785,
        )
    )
    return found


def measure(site: Site, runs: int, cold_runs: int, out: Path) -> dict[str, float]:
    cold = []
    for _ in range(cold_runs):
        shutil.rmtree(site.cache, ignore_errors=True)
        cold.append(build(site.enabled, out / "cold").seconds)
    build(site.disabled, out / "disabled")  # warm-up of the OS file cache
    enabled, disabled = [], []
    for _ in range(runs):
        disabled.append(build(site.disabled, out / "disabled").seconds)
        enabled.append(build(site.enabled, out / "enabled").seconds)
    page, _ = largest_page(out / "enabled")
    return {
        "disabled": statistics.median(disabled),
        "warm": statistics.median(enabled),
        "cold": statistics.median(cold),
        "page": page,
        "index": search_index_bytes(out / "enabled"),
        "index_off": search_index_bytes(out / "disabled"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="warm builds of each variant")
    parser.add_argument("--cold-runs", type=int, default=3, help="builds with an empty cache")
    parser.add_argument("--quick", action="store_true", help="example site, one build each")
    baselines.add_arguments(parser)
    args = parser.parse_args()
    runs, cold_runs = (1, 1) if args.quick else (args.runs, args.cold_runs)

    imports = heavy_import_seconds(1 if args.quick else 3)
    print(f"importing pandas, scikit-learn and matplotlib: {imports:.2f} s (fresh process)")
    print(
        "| site | tracks | `enabled: false` | warm rebuild | cold build | "
        "cold minus imports | largest page | search index |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    figures = {}
    with tempfile.TemporaryDirectory(prefix="playlist-clusters-cost-") as temp:
        for site in sites(Path(temp), args.quick):
            result = measure(site, runs, cold_runs, Path(temp) / "out" / site.folder.name)
            base = result["disabled"]
            print(
                f"| {site.name} | {site.tracks:,} | {base:.2f} s "
                f"| {result['warm'] - base:+.2f} s | {result['cold'] - base:+.2f} s "
                f"| {result['cold'] - base - imports:+.2f} s | {kib(int(result['page']))} "
                f"| {kib(int(result['index']))} (off: {kib(int(result['index_off']))}) |"
            )
            figures[f"{site.name}: warm rebuild"] = result["warm"] - base
            figures[f"{site.name}: cold minus imports"] = result["cold"] - base - imports
    print(f"median of {runs} warm and {cold_runs} cold `mkdocs build` processes per site")
    return baselines.report("build_cost", figures, args)


if __name__ == "__main__":
    sys.exit(main())
