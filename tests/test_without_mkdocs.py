"""`playlist-clusters generate` runs where MkDocs 1.x is not installed (a site on MkDocs 2.0 or
Zensical): nothing on its import path may import mkdocs.

The command runs in a subprocess in which `import mkdocs` (and any `mkdocs.…`) fails, as in a
virtual environment without MkDocs; the package itself does not declare MkDocs (the `mkdocs`
extra does, for the plugin: tests/test_dependencies.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_generate import mix_site, no_traceback_one_line

WITHOUT_MKDOCS = (
    "import sys\n"
    "sys.modules['mkdocs'] = None  # `import mkdocs` and `import mkdocs.x` raise ImportError\n"
    "from mkdocs_playlist_clusters.building.command import main\n"
    "status = main(sys.argv[1:])\n"
    "assert not [name for name in sys.modules if name.startswith('mkdocs.')]\n"
    "sys.exit(status)\n"
)


def generate_without_mkdocs(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", WITHOUT_MKDOCS, "generate", *args]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("module", ["mkdocs", "mkdocs.plugins", "mkdocs.config.base"])
def test_mkdocs_is_really_missing_in_the_subprocess(module):
    script = f"import sys\nsys.modules['mkdocs'] = None\nimport {module}\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 1 and "ModuleNotFoundError" in result.stderr


def test_generate_writes_the_pages_without_mkdocs(tmp_path):
    site = mix_site(tmp_path)
    result = generate_without_mkdocs(site)
    assert result.returncode == 0, result.stderr
    assert "wrote docs/playlists/mix.md" in result.stdout
    page = (site / "docs" / "playlists" / "mix.md").read_text(encoding="utf-8")
    assert "# <bdi>Mix</bdi>" in page
    assert (site / "docs" / "playlists" / "index.md").is_file()


@pytest.mark.parametrize(
    "options, expected",
    [
        # An option's rule (options.OptionError)
        ({"playlists": [{"path": "data/mix.csv", "clusters": 99}]}, "expected 2 to 30 clusters"),
        ({"playlists": ["data/missing.csv"]}, "missing.csv' does not exist"),
        # A mistake found while generating (generation.GenerationError)
        ({"playlists": ["data/mix.csv"], "cache": True, "cache_dir": "."}, "project folder"),
        ({"playlists": [{"path": "data/mix.csv", "columns": {"name": "Titel"}}]}, "Titel"),
    ],
)
def test_configuration_errors_are_one_line_without_mkdocs(tmp_path, options, expected):
    site = mix_site(tmp_path, **options)
    result = generate_without_mkdocs(site)
    assert result.returncode == 2, result.stderr
    line = no_traceback_one_line(result)
    assert line.startswith("ERROR: playlist-clusters: ") and expected in line, line
