"""Every library the package imports is declared in pyproject.toml, so that an install never
relies on another package pulling it in; MkDocs, in the `mkdocs` extra, only by the plugin's
own modules (`playlist-clusters generate` runs without it: tests/test_without_mkdocs.py)."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_top_level_modules() -> set[str]:
    modules = set()
    for source in (ROOT / "mkdocs_playlist_clusters").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"mkdocs_playlist_clusters"}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_library_is_declared():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    requirements = project["dependencies"] + extras["parquet"] + extras["mkdocs"]
    declared = {normalized(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}
    distributions = metadata.packages_distributions()
    undeclared = {
        module: distributions.get(module)
        for module in imported_top_level_modules()
        if not {normalized(d) for d in distributions.get(module, [module])} & declared
    }
    assert not undeclared


def test_only_the_plugins_modules_import_mkdocs():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [r for r in project["dependencies"] if normalized(r).startswith("mkdocs")]
    importing = set()
    for source in (ROOT / "mkdocs_playlist_clusters").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name.split(".")[0] == "mkdocs" for name in names):
                importing.add(source.stem)
    assert importing == {"plugin", "config", "nav"}
