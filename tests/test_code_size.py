"""The package stays readable: no module over MAX_MODULE_LINES lines and no function over
MAX_FUNCTION_LINES (issue 23: the stages as folders, each file small enough to read whole)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mkdocs_playlist_clusters"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60  # from the `def` (or its first decorator) to the last line


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def test_the_package_has_modules():
    assert len(modules()) > 20


def test_no_module_is_longer_than_the_limit():
    long = {
        name(path): lines
        for path in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def function_lengths(path: Path) -> dict[str, int]:
    """`module.py:line name` -> lines, for every function and method, nested ones too."""
    lengths = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            assert node.end_lineno is not None
            lengths[f"{name(path)}:{node.lineno} {node.name}"] = node.end_lineno - first + 1
    return lengths


def test_no_function_is_longer_than_the_limit():
    long = {
        where: lines
        for path in modules()
        for where, lines in function_lengths(path).items()
        if lines > MAX_FUNCTION_LINES
    }
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
