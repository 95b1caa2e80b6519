"""The test tiers of tests/conftest.py name modules and tests that exist, so that a rename
cannot silently move a slow test into the fast tier."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import BROWSER_MODULES, SLOW_MODULES, SLOW_TESTS

TESTS = Path(__file__).resolve().parent


def test_every_module_and_test_a_tier_names_exists():
    modules = {path.stem: path for path in TESTS.glob("test_*.py")}
    assert not (BROWSER_MODULES | SLOW_MODULES) - set(modules)
    assert not BROWSER_MODULES & SLOW_MODULES
    functions = {
        node.name
        for path in modules.values()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    assert not SLOW_TESTS - functions
