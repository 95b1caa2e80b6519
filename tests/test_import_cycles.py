"""No import circles between the package's modules (no two import each other, not even inside
a function), and the stages depend one way: reading, grouping, describing, presenting, then
building the site."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mkdocs_playlist_clusters"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a `from x import y` of a submodule y
    imports y), type-checking-only imports left out."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        graph[module] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, *([node.module] if node.module else [])])
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            graph[module] |= {target for target in targets if target in paths} - {module}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports, as the modules along it, if there is one."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            if found := visit(imported, [*path, module]):
                return found
        done.add(module)
        return None

    for module in sorted(graph):
        if found := visit(module, []):
            return found
    return None


def test_the_graph_sees_the_imports():
    graph = import_graph()
    assert "mkdocs_playlist_clusters.errors" in graph["mkdocs_playlist_clusters.reading.exports"]


def test_no_module_imports_itself_through_others():
    found = cycle(import_graph())
    assert found is None, "import circle: " + " -> ".join(found or [])


# The stages in the order data flows through them: a module imports from its own stage, from
# earlier ones and from the modules at the top that every stage shares, never from a later one.
STAGES = ("reading", "grouping", "describing", "presenting", "building")


def stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else None


def test_stages_import_only_earlier_stages():
    backwards = sorted(
        f"{module} -> {imported}"
        for module, imports in import_graph().items()
        for imported in imports
        if (target := stage(imported)) is not None
        and module != "mkdocs_playlist_clusters.__main__"  # `python -m`: the command
        and ((own := stage(module)) is None or target > own)
    )
    assert not backwards, "imports against the data's flow: " + ", ".join(backwards)
