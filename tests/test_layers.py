"""The layers run one way: the stages in the order `STAGES` gives, no stage importing one above it
(lazy and `TYPE_CHECKING` imports included), and no module importing one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "sobc"

# The stages, lowest first (docs/architecture.md): a module may import its own stage's modules
# and those of the stages before it, never one above.
STAGES: list[tuple[str, ...]] = [
    ("sobc.diagnostics", "sobc.paths", "sobc.resources", "sobc.report", "sobc.stopping"),
    ("sobc.model",),
    ("sobc.kinds",),
    ("sobc.read",),
    ("sobc.runtime",),
    ("sobc.check",),
    ("sobc.render",),
    ("sobc.package",),
    ("sobc.lint",),
    ("sobc.diff",),
    ("sobc.new",),
    ("sobc.preview",),
    ("sobc.cli", "sobc.__main__", "sobc"),
]
TOP_LEVEL_MODULES_AT_MOST = 8


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(source: str, package: str, modules: set[str]) -> set[str]:
    """The sobc modules a module's source imports, anywhere in it (lazily, under
    `TYPE_CHECKING` or not); `package` is the package its relative imports start from."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
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
    return {m for m in found if m in modules}


def _imports() -> dict[str, set[str]]:
    """Each sobc module → the sobc modules it imports."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = _targets(path.read_text("utf-8"), package, set(modules)) - {name}
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


def _stage(module: str) -> int:
    """The index in STAGES of the stage a module belongs to (the longest prefix that names it)."""
    best = (-1, -1)
    for index, names in enumerate(STAGES):
        for name in names:
            if module == name or module.startswith(name + "."):
                best = max(best, (len(name), index))
    assert best[1] >= 0, f"{module} belongs to no stage: add it to STAGES"
    return best[1]


def _backward(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if _stage(target) > _stage(module)
    )


def test_every_module_belongs_to_a_stage_and_no_import_runs_back_up() -> None:
    graph = _imports()
    assert {"sobc.model.program", "sobc.check.findings"} <= graph["sobc.check.content"]  # read
    assert "sobc.check.validation" in graph["sobc.cli"]  # lazy imports count too
    assert _backward(graph) == []


def test_an_import_up_a_stage_is_refused() -> None:
    """The test above can fail: an import from the model up into the checks is found."""
    graph = _imports()
    graph["sobc.model.program"] = graph["sobc.model.program"] | {"sobc.check.rules"}
    assert _backward(graph) == ["sobc.model.program -> sobc.check.rules"]


def test_type_checking_imports_count() -> None:
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..check.rules import check\n"
    )
    assert _targets(source, "sobc.model", {"sobc.check.rules", "sobc.check"}) == {
        "sobc.check.rules"
    }


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _imports()
    cycles = sorted(name for name in graph if name in _reach(graph, name))
    assert cycles == []


def test_the_manifest_writer_never_reaches_the_renderer() -> None:
    """The manifest is data for a runtime: nothing of the pages goes into how it is made."""
    reached = _reach(_imports(), "sobc.package.manifest")
    assert [m for m in reached if m.startswith(("sobc.render", "sobc.preview"))] == []


def test_the_top_level_holds_few_modules_beside_the_stage_folders() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= TOP_LEVEL_MODULES_AT_MOST, modules


FUNCTION_LINES_AT_MOST = 60


def _long_functions(source: str) -> list[str]:
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES_AT_MOST
    ]


def test_no_function_is_longer_than_a_screen() -> None:
    """A function a reader takes in at once: deciding and doing stay apart (`build`'s plan and
    apply), each rule and view a function of its own."""
    found = {
        str(path.relative_to(ROOT)): long
        for path in PACKAGE.rglob("*.py")
        if (long := _long_functions(path.read_text("utf-8")))
    }
    assert found == {}


def test_the_length_rule_finds_a_long_function() -> None:
    body = "\n".join(f"    x = {n}" for n in range(FUNCTION_LINES_AT_MOST))
    assert _long_functions(f"def long():\n{body}\n") == ["long (61 lines)"]


def _type_names_compared(source: str, names: set[str]) -> list[str]:
    """The question type names a module's code compares something with (`t == "scale"`,
    `t in ("date", "time")`, `case "consent":`): a branch per type outside the registry."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.MatchValue):
            operands = [node.value]
        else:
            continue
        for operand in operands:
            for leaf in ast.walk(operand):
                if isinstance(leaf, ast.Constant) and leaf.value in names:
                    found.append(f"{leaf.value!r} at line {leaf.lineno}")
    return found


def test_no_branch_on_a_question_type_outside_its_registry() -> None:
    """Everything that varies by question type lives in its `QuestionType` record
    (`sobc/kinds/questions.py`) and its control template; code elsewhere asks the record."""
    from sobc.kinds.questions import QUESTION_TYPES

    names = set(QUESTION_TYPES)
    # The same word naming something else: the trigger keys that refer to an activity plan.
    other_meaning = {"sobc/check/references.py": "'plan' at"}
    kinds = PACKAGE / "kinds"
    found = {
        str(path.relative_to(ROOT)): hits
        for path in PACKAGE.rglob("*.py")
        if kinds not in path.parents
        and (
            hits := [
                hit
                for hit in _type_names_compared(path.read_text("utf-8"), names)
                if not hit.startswith(other_meaning.get(str(path.relative_to(ROOT)), "\0"))
            ]
        )
    }
    assert found == {}


def test_the_type_branch_rule_finds_a_branch() -> None:
    source = 'if q.type == "scale":\n    pass\nif t in ("date", "x"):\n    pass\n'
    source += 'match t:\n    case "consent":\n        pass\n'
    assert _type_names_compared(source, {"scale", "date", "consent"}) == [
        "'scale' at line 1",
        "'date' at line 3",
        "'consent' at line 6",
    ]
