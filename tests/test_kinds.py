"""The registries are the one declaration of each kind: the schemas, the manifest schema and
the authoring reference agree with them."""

from __future__ import annotations

import ast
import json
import re

import pytest

from sobc.kinds.bounds import TIME
from sobc.kinds.generate import answer_kinds, outputs
from sobc.kinds.questions import COLUMN_TYPES, QUESTION_TYPES

from .conftest import ROOT


@pytest.mark.parametrize("path", sorted(outputs(ROOT)), ids=lambda p: p.name)
def test_generated_files_are_current(path) -> None:  # type: ignore[no-untyped-def]
    expected = outputs(ROOT)[path]
    assert path.read_text("utf-8") == expected, "run: python -m sobc.kinds"


def test_the_manifest_schema_names_every_question_type_and_answer() -> None:
    schema = json.loads((ROOT / "schema" / "manifest.schema.json").read_text("utf-8"))
    question = schema["$defs"]["question"]["properties"]
    assert question["type"]["enum"] == list(QUESTION_TYPES)
    assert question["answer"]["enum"] == answer_kinds()
    assert question["columns"]["items"]["properties"]["type"]["enum"] == list(COLUMN_TYPES)


def test_every_question_type_has_its_control_template() -> None:
    """Each record names a template holding its control; the renderer loads every one."""
    from sobc.render.pages import environment

    controls = environment().globals["controls"]
    for t in QUESTION_TYPES.values():
        assert (ROOT / "sobc" / "render" / "templates" / t.template).is_file(), t.name
        assert callable(controls[t.name]), t.name


def _is_a_type(expr: ast.expr) -> bool:
    """`x.type`, `x["type"]` or `x.get("type")`: what a branch on a question's type reads."""
    if isinstance(expr, ast.Attribute):
        return expr.attr == "type"
    key: ast.expr | None = None
    if isinstance(expr, ast.Subscript):
        key = expr.slice
    elif isinstance(expr, ast.Call) and getattr(expr.func, "attr", "") == "get" and expr.args:
        key = expr.args[0]
    return isinstance(key, ast.Constant) and key.value == "type"


def _type_names_compared(source: str) -> list[str]:
    """The question types' names a Python module compares a type with (`q.type == "scale"`,
    `fields.get("type") in ("short_text", …)`), or asks the registry for by name."""
    names = set(QUESTION_TYPES)
    found = []
    for node in ast.walk(ast.parse(source)):
        operands: list[ast.expr] = []
        if isinstance(node, ast.Compare) and any(
            _is_a_type(e) for e in [node.left, *node.comparators]
        ):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "question_type":
            operands = list(node.args)
        for operand in operands:
            several = isinstance(operand, ast.Tuple | ast.List | ast.Set)
            items = operand.elts if several else [operand]
            found += [i.value for i in items if isinstance(i, ast.Constant) and i.value in names]
    return found


def test_nothing_outside_the_registry_tests_a_question_types_name() -> None:
    """What varies by question type is its record's and its template's: no branch on a type's
    name in Python outside `sobc/kinds/`, nor in a template outside `questions/`."""
    outside = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "sobc").rglob("*.py")
        if "kinds" not in path.parts and (found := _type_names_compared(path.read_text("utf-8")))
    }
    assert outside == {}
    templates = ROOT / "sobc" / "render" / "templates"
    names = "|".join(QUESTION_TYPES)
    branch = re.compile(rf"\.type\s*(?:==|!=|in)\s*\(?[\"'](?:{names})[\"']")
    branches = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "sobc").rglob("*.j2")
        if not path.is_relative_to(templates / "questions")
        and (found := branch.findall(path.read_text("utf-8")))
    }
    assert branches == {}


def test_the_name_test_finds_a_branch() -> None:
    source = 'if q.type == "scale" or d.get("type") in ("consent", "x") or k != "plan": pass'
    assert _type_names_compared(source) == ["scale", "consent"]


@pytest.mark.parametrize(
    ("value", "low", "high", "inside"),
    [
        ("23:30", "20:00", "03:00", True),
        ("01:15", "20:00", "03:00", True),
        ("12:00", "20:00", "03:00", False),
        ("03:00", "20:00", "03:00", True),
        ("03:01", "20:00", "03:00", False),
        ("07:00", "06:00", "09:00", True),
        ("05:59", "06:00", None, False),
        ("00:00", None, None, True),
    ],
)
def test_time_ranges_may_pass_midnight(value: str, low: str, high: str, inside: bool) -> None:
    assert TIME.contains(value, low, high) is inside


def test_the_manifest_and_the_pages_know_every_step_type() -> None:
    from sobc.kinds.steps import STEP_TYPES
    from sobc.render.views import STEP_TYPES as LABELS

    schema = json.loads((ROOT / "schema" / "manifest.schema.json").read_text("utf-8"))
    assert schema["$defs"]["step"]["properties"]["type"]["enum"] == list(STEP_TYPES)
    assert list(LABELS) == list(STEP_TYPES) and all(LABELS.values())


def test_the_manifest_schema_takes_the_retention_limit_from_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """retention.max_days ≤ 730 is the law SOBC309 checks, written into the manifest schema from
    the same constant rather than by hand."""
    from sobc.check import retention as check
    from sobc.kinds import manifest_limits, retention

    assert check.LEGAL_MAX_RETENTION_DAYS is retention.LEGAL_MAX_RETENTION_DAYS
    monkeypatch.setattr(manifest_limits, "LEGAL_MAX_RETENTION_DAYS", 365)
    schema = json.loads(outputs(ROOT)[ROOT / "schema" / "manifest.schema.json"])
    assert schema["properties"]["retention"]["properties"]["max_days"]["maximum"] == 365
