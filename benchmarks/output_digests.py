"""The SHA-256 of every file a few fixed builds write: to check that a change which should not
alter the output (a refactor, a move of modules) leaves every page, figure and download
byte-identical.

Builds, with whichever `mkdocs_playlist_clusters` Python imports (put a checkout first on
PYTHONPATH to build another version's output):

* the example site, its data read in place, without cache or state file from before;
* a Material site of four shared exports (one without audio features) with the Spotify player;
* a German site with the `mkdocs` theme and other options, three shared exports;
* `playlist-clusters generate` of the example site.

    python benchmarks/output_digests.py /tmp/after
    git archive OLD | tar -x -C /tmp/old-checkout
    PYTHONPATH=/tmp/old-checkout python benchmarks/output_digests.py /tmp/before
    diff /tmp/before/digests.txt /tmp/after/digests.txt

The plugin is looked up where the imported package defines it, not through the installed
entry point, so an older checkout on PYTHONPATH builds with its own code. The shared exports
are read in place from ../shared/playlists; without them, only the example site is built.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_PLAYLISTS = REPOSITORY.parent / "shared" / "playlists"
# MkDocs' own theme writes the build's time into every page.
BUILD_DATE = re.compile(rb"Build Date UTC : [^\n]*")

# Run in a child process: MkDocs finds the plugin where the imported package has it.
BUILD = """
import importlib.util, sys
from importlib.metadata import EntryPoint
import mkdocs.config.config_options
import mkdocs.plugins
from mkdocs.commands.build import build
from mkdocs.config import load_config

new = importlib.util.find_spec("mkdocs_playlist_clusters.building")
module = "mkdocs_playlist_clusters." + ("building.plugin" if new else "plugin")
installed = mkdocs.plugins.get_plugins

def plugins():
    found = dict(installed())
    value = module + ":PlaylistClustersPlugin"
    found["playlist-clusters"] = EntryPoint("playlist-clusters", value, "mkdocs.plugins")
    return found

mkdocs.config.config_options.plugins.get_plugins = plugins
build(load_config(sys.argv[1]))
"""


NO_FEATURES = "watsonbox-2021_eclectic-de-fr_top-songs-2021_100tracks_nofeatures.csv"
FOLK = "exportify-2026_folk-americana_liked-songs_706tracks.csv"


def shared(name: str) -> str:
    return str(SHARED_PLAYLISTS / name)


def example_config(out: Path) -> dict[str, Any]:
    config = yaml.safe_load((REPOSITORY / "example_site" / "mkdocs.yml").read_text())
    config["docs_dir"] = str(REPOSITORY / "example_site" / "docs")
    config["site_dir"] = str(out / "example" / "site")
    (options,) = [p["playlist-clusters"] for p in config["plugins"] if isinstance(p, dict)]
    options.update(cache=False, state_file=str(out / "example" / "state.json"))
    for entry in options["playlists"]:
        entry["path"] = str(REPOSITORY / "example_site" / entry["path"])
    return config


def shared_configs(out: Path) -> dict[str, dict[str, Any]]:
    english = {
        "cache": False,
        "spotify_player": True,
        "state_file": str(out / "shared_en" / "state.json"),
        "playlists": [
            {"path": shared("exportify-2023_indie-rap_your-top-songs-2023_100tracks.csv")},
            {
                "path": shared("exportify-2024dec_metalcore-hiphop_my-mix-2_199tracks.csv"),
                "title": "Metalcore",
            },
            {
                "path": shared(
                    "watsonbox-2021_eclectic-de-fr_top-songs-2021_100tracks_nofeatures.csv"
                )
            },
            {
                "path": shared("exportify-2026_folk-americana_liked-songs_706tracks.csv"),
                "mix_size": 20,
            },
        ],
    }
    german = {
        "cache": False,
        "language": "de",
        "section": "Listen",
        "url_prefix": "listen",
        "representatives": 5,
        "state_file": str(out / "shared_de" / "state.json"),
        "playlists": [
            {"path": shared("exportify-2024sep_oldies_all-out-60s_150tracks.csv"), "clusters": 4},
            {"path": shared("exportify-2026_showtunes_musicals_121tracks.csv")},
            {"path": shared("watsonbox-2026_vpop-jpop_liked_746tracks_nofeatures.csv")},
        ],
    }
    return {
        "shared_en": {
            "site_name": "Shared EN",
            "theme": {"name": "material"},
            "plugins": ["search", {"playlist-clusters": english}],
        },
        "shared_de": {
            "site_name": "Shared DE",
            "theme": {"name": "mkdocs"},
            "use_directory_urls": False,
            "plugins": [{"playlist-clusters": german}],
        },
    }


def write_config(folder: Path, config: dict[str, Any]) -> Path:
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "docs" / "index.md").write_text("# Home\n\nA site with playlists.\n")
    config.setdefault("docs_dir", str(folder / "docs"))
    config.setdefault("site_dir", str(folder / "site"))
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(command[:4])} failed:\n{done.stdout}{done.stderr}")


def digests(out: Path) -> list[str]:
    """`<sha256>  <path>` for every output file (gzip files by their content)."""
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = path.relative_to(out)
        if name.name in ("mkdocs.yml", "state.json", "digests.txt"):
            continue  # what this script wrote, not output
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        data = BUILD_DATE.sub(b"", data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {name.as_posix()}")
    return lines


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    out = Path(sys.argv[1]).resolve()
    shutil.rmtree(out, ignore_errors=True)
    (out / "example").mkdir(parents=True)
    configs = {"example": write_config(out / "example", example_config(out))}
    if SHARED_PLAYLISTS.is_dir():
        for name, config in shared_configs(out).items():
            configs[name] = write_config(out / name, config)
    for config in configs.values():
        run(sys.executable, "-c", BUILD, str(config))
    module = [sys.executable, "-m", "mkdocs_playlist_clusters", "generate"]
    run(*module, "-f", str(configs["example"]), "-o", str(out / "generate"))
    lines = digests(out)
    (out / "digests.txt").write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} files from {len(configs)} sites and generate: {out / 'digests.txt'}")


if __name__ == "__main__":
    main()
