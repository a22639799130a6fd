"""The layers run one way: no module imports one that imports it back, and what the checks and
the manifest are made of never reaches the renderer or the preview."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "sobc"


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each sobc module → the sobc modules it imports (anywhere in it, lazily or not)."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                for alias in node.names:
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if candidate in modules else target)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name and m != "sobc"}
    return graph


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        for nxt in graph[pending.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                pending.append(nxt)
    return seen


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _imports()
    assert {"sobc.model", "sobc.findings"} <= graph["sobc.checks"]  # the graph is read
    assert "sobc.manifest_reader" in graph["sobc.manifest"]  # lazy imports count too
    cycles = sorted(name for name in graph if name in _reach(graph, name))
    assert cycles == []


def test_checks_and_manifest_never_reach_the_renderer() -> None:
    graph = _imports()
    for layer in ("sobc.checks", "sobc.manifest", "sobc.manifest_reader", "sobc.loader"):
        reached = _reach(graph, layer)
        assert [m for m in reached if m.startswith(("sobc.render", "sobc.preview"))] == [], layer
