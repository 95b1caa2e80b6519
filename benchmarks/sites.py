"""What the benchmarks share: sites in a temporary folder, timed `mkdocs build` processes.

Every build is a fresh `python -m mkdocs build` process, as a user's `mkdocs build` (or each
rebuild of `mkdocs serve` after a restart) is: interpreter start, imports and all.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

SHARED_PLAYLISTS = Path(__file__).resolve().parents[2] / "shared" / "playlists"
EXAMPLE_SITE = Path(__file__).resolve().parents[1] / "example_site"
HEAVY_IMPORTS = "import pandas, sklearn.cluster, sklearn.metrics, sklearn.decomposition, " + (
    "matplotlib.figure, matplotlib.backends.backend_agg"
)


@dataclass(frozen=True)
class Site:
    """A site with two configurations that differ only in the plugin's `enabled`."""

    name: str
    folder: Path
    tracks: int  # data rows in its playlists

    @property
    def enabled(self) -> Path:
        return self.folder / "mkdocs-enabled.yml"

    @property
    def disabled(self) -> Path:
        return self.folder / "mkdocs-disabled.yml"

    @property
    def cache(self) -> Path:
        return self.folder / ".cache"


def make_site(
    folder: Path, name: str, playlists: list[dict[str, str]], tracks: int, theme: str = "material"
) -> Site:
    """A small Material site (one page of its own) showing `playlists` (absolute paths, read
    in place)."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Home\n\nA site with playlists.\n")
    site = Site(name, folder, tracks)
    for path, enabled in ((site.enabled, True), (site.disabled, False)):
        config = {
            "site_name": name,
            "theme": {"name": theme},
            "plugins": [
                "search",
                {"playlist-clusters": {"enabled": enabled, "playlists": playlists}},
            ],
        }
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return site


def example_site(folder: Path) -> Site:
    """The repository's example site as it is, its data read in place, its cache in `folder`
    so that the benchmark never touches the checkout's."""
    folder.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((EXAMPLE_SITE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(EXAMPLE_SITE / "docs")
    (options,) = [p["playlist-clusters"] for p in config["plugins"] if "playlist-clusters" in p]
    options["cache_dir"] = str(folder / ".cache")
    paths = [EXAMPLE_SITE / entry["path"] for entry in options["playlists"]]
    for entry, path in zip(options["playlists"], paths, strict=True):
        entry["path"] = str(path)
    site = Site("example site", folder, sum(data_rows(path) for path in paths))
    for path, enabled in ((site.enabled, True), (site.disabled, False)):
        options["enabled"] = enabled
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return site


def data_rows(path: Path) -> int:
    """Rows of a CSV file, its header not counted (no quoted line breaks in these files)."""
    return len(path.read_text(encoding="utf-8-sig").splitlines()) - 1


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float  # the process's maximum resident set size


def build(config: Path, out: Path) -> Run:
    """One `mkdocs build` process; fails loudly if the build does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"mkdocs build -f {config} failed:\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024)


def heavy_import_seconds(runs: int = 3) -> float:
    """What importing pandas, scikit-learn and matplotlib costs a fresh process."""

    def seconds(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    return statistics.median(seconds(HEAVY_IMPORTS) - seconds("pass") for _ in range(runs))


def largest_page(site_dir: Path) -> tuple[int, str]:
    """(bytes, path) of the largest HTML file of a built site."""
    pages = [(p.stat().st_size, str(p.relative_to(site_dir))) for p in site_dir.rglob("*.html")]
    return max(pages)


def search_index_bytes(site_dir: Path) -> int:
    index = site_dir / "search" / "search_index.json"
    return index.stat().st_size if index.exists() else 0


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 1024**2 else f"{size / 1024**2:,.2f} MiB"
