"""What the plugin adds to a rebuild once its results are cached.

Copies example_site/ to a temporary folder, builds it once so the plugin's disk cache is warm,
then times in-process builds (`mkdocs.config.load_config` + `mkdocs.commands.build.build`,
site_dir in the temporary folder) of three variants, interleaved round by round in this one
process after one untimed warm-up build of each:

* disabled: the same mkdocs.yml with `enabled: false` for the plugin: the baseline;
* enabled (memory hit): the plugin on, its instance kept across builds as MkDocs keeps it
  during `mkdocs serve` (the plugin defines on_startup), so results come from memory;
* enabled (disk hit): the plugin on with a new plugin instance for every build, as a new
  `mkdocs build` process has, so results are read back from the disk cache.

The cache is filled by a separate `mkdocs build` process, so the timing process should never
import pandas, scikit-learn, matplotlib or numpy; the script reports whether it did.

The enabled builds also render the generated pages (Markdown and theme) that the disabled
build does not have, so "difference" is everything the plugin costs a rebuild, its own hooks
included; "plugin hooks" is the part spent inside on_config, on_files and on_nav.

With --processes, it also times whole `python -m mkdocs build` processes of the disabled and
enabled variants (interpreter start and imports included, disk cache warm).

Prints the median seconds of each variant and the differences; exits 1 when an in-process
median difference exceeds --threshold (default 0.15 s).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from mkdocs_playlist_clusters.plugin import PlaylistClustersPlugin

EXAMPLE_SITE = Path(__file__).resolve().parents[1] / "example_site"
PLUGIN = "playlist-clusters"
HEAVY = ("pandas", "sklearn", "matplotlib", "numpy")

hook_seconds: list[float] = []  # time inside the plugin's hooks, summed per build


def timed_hook(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            hook_seconds[-1] += time.perf_counter() - start

    return wrapper


for _hook in ("on_config", "on_files", "on_nav"):
    setattr(PlaylistClustersPlugin, _hook, timed_hook(getattr(PlaylistClustersPlugin, _hook)))


def write_config(site: Path, name: str, enabled: bool) -> Path:
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    for entry in config["plugins"]:
        if isinstance(entry, dict) and PLUGIN in entry:
            entry[PLUGIN]["enabled"] = enabled
            break
    else:
        raise SystemExit(f"{PLUGIN} is not configured in {EXAMPLE_SITE / 'mkdocs.yml'}")
    path = site / name
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def forget_plugin_instance() -> None:
    """Make the next load_config create a new plugin, with an empty in-memory cache."""
    MkDocsConfig.plugins.plugin_cache.pop(PLUGIN, None)


def build_once(config_path: Path, site_dir: Path, *, fresh: bool = False) -> float:
    if fresh:
        forget_plugin_instance()
    hook_seconds.append(0.0)
    start = time.perf_counter()
    build(load_config(config_file=str(config_path), site_dir=str(site_dir)))
    return time.perf_counter() - start


def build_process(config_path: Path, site_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(config_path),
            "-d",
            str(site_dir),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed builds of each variant")
    parser.add_argument(
        "--threshold", type=float, default=0.15, help="largest acceptable median difference (s)"
    )
    parser.add_argument(
        "--processes", action="store_true", help="also time whole `mkdocs build` processes"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")

    # The disabled site links to pages it does not have: keep those warnings off the screen.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="playlist-clusters-bench-") as temp:
        site = Path(temp) / "site-src"
        shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns(".cache", "site"))
        enabled = write_config(site, "mkdocs-enabled.yml", enabled=True)
        disabled = write_config(site, "mkdocs-disabled.yml", enabled=False)
        out = Path(temp) / "out"

        # The cold build runs in its own process, so this one never needs the heavy modules.
        cold = build_process(enabled, out / "cold")
        print(f"cold `mkdocs build` process (fills the cache): {cold:.2f} s")

        variants: dict[str, Callable[[], float]] = {
            "disabled": lambda: build_once(disabled, out / "disabled"),
            "enabled (memory hit)": lambda: build_once(enabled, out / "enabled"),
            "enabled (disk hit)": lambda: build_once(enabled, out / "fresh", fresh=True),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        hooks: dict[str, list[float]] = {name: [] for name in variants}
        for run in variants.values():  # warm-up: imports, theme templates, first-run caches
            run()
        for _ in range(args.repeat):
            for name, run in variants.items():
                times[name].append(run())
                hooks[name].append(hook_seconds[-1])

        heavy = [module for module in HEAVY if module in sys.modules]
        print(f"in-process builds, median of {args.repeat}:")
        base = statistics.median(times["disabled"])
        worst = 0.0
        for name in variants:
            median = statistics.median(times[name])
            line = f"  {name:<22} {median:7.3f} s"
            if name != "disabled":
                worst = max(worst, median - base)
                line += f"   difference {median - base:+.3f} s"
                line += f"   plugin hooks {statistics.median(hooks[name]):.3f} s"
            print(line)
        print(f"  heavy modules imported by this process: {', '.join(heavy) or 'none'}")
        if heavy:
            print("  (the warm path should need none of them: a cache miss?)")

        if args.processes:
            per_process: dict[str, list[float]] = {"disabled": [], "enabled": []}
            build_process(enabled, out / "p-enabled")  # warm-up, e.g. for the OS file cache
            build_process(disabled, out / "p-disabled")
            for _ in range(args.repeat):
                per_process["disabled"].append(build_process(disabled, out / "p-disabled"))
                per_process["enabled"].append(build_process(enabled, out / "p-enabled"))
            print(f"`mkdocs build` processes, median of {args.repeat}:")
            base_p = statistics.median(per_process["disabled"])
            enabled_p = statistics.median(per_process["enabled"])
            print(f"  {'disabled':<22} {base_p:7.3f} s")
            print(
                f"  {'enabled (disk hit)':<22} {enabled_p:7.3f} s"
                f"   difference {enabled_p - base_p:+.3f} s"
            )

    verdict = "OK" if worst <= args.threshold else "TOO SLOW"
    print(f"largest in-process difference {worst:+.3f} s, threshold {args.threshold} s: {verdict}")
    return 0 if worst <= args.threshold else 1


if __name__ == "__main__":
    sys.exit(main())
