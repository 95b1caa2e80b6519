"""Do cluster numbers stay put when a playlist grows? For each shared export of 500 tracks or
more: build it without every 20th track, then the whole file with that build as the previous
state (as a site's cache holds it), and print the share of the first build's tracks that keep
their cluster number.

    python benchmarks/numbering.py [--quick]

`--quick` runs the smallest such export only (what `pytest` runs, to keep this working).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sites import SHARED_PLAYLISTS as SHARED

from mkdocs_playlist_clusters.numbering import read_assignment
from mkdocs_playlist_clusters.pipeline import build_playlist
from mkdocs_playlist_clusters.playlist import PlaylistOptions

MIN_TRACKS = 500
TARGET = 0.9


def five_percent_removed(data: bytes) -> bytes:
    """The file without every 20th data row (the header stays)."""
    lines = data.splitlines(keepends=True)
    return lines[0] + b"".join(row for i, row in enumerate(lines[1:]) if i % 20 != 7)


def kept_share(path: Path) -> tuple[int, int, int, float]:
    """(tracks before, clusters before, clusters after, share of tracks keeping their number)."""
    options = PlaylistOptions(title=path.name, slug="bench")
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    first = build_playlist(five_percent_removed(data), options)
    second = build_playlist(data, options, first.assignment)
    before, after = read_assignment(first.assignment), read_assignment(second.assignment)
    both = before.keys() & after.keys()
    kept = sum(before[key] == after[key] for key in both) / len(both)
    return len(before), len(set(before.values())), len(set(after.values())), kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smallest export only")
    quick = parser.parse_args().quick
    paths = []
    for path in sorted(SHARED.glob("*.csv*")):
        text = path.read_bytes()
        if path.suffix == ".gz" or text.count(b"\n") > MIN_TRACKS:
            paths.append(path)
    if quick:
        paths = [min(paths, key=lambda p: p.stat().st_size)]
    print("| playlist | tracks before | k before | k after | kept their number |")
    print("|---|---:|---:|---:|---:|")
    worst = 1.0
    started = time.perf_counter()
    for path in paths:
        tracks, k_before, k_after, kept = kept_share(path)
        worst = min(worst, kept)
        print(f"| {path.name} | {tracks:,} | {k_before} | {k_after} | {kept:.1%} |")
    print(
        f"\nlowest: {worst:.1%} (target {TARGET:.0%}); {len(paths)} exports in "
        f"{time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
