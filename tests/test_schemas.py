"""The JSON Schemas themselves: valid 2020-12, closed, documented for editor tooltips; and every
pattern, in the schemas and in the code, anchored at the very end of the text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobc.resources import schema_dir

SCHEMAS = sorted(schema_dir().glob("*.schema.json"))
# the files authors write: their properties become editor tooltips, so each must be documented
SOURCE_SCHEMAS = [
    p for p in SCHEMAS if p.name.split(".")[0] in ("common", "program", "module", "form")
]


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_schema_id_is_its_file_name_under_the_base_uri(path: Path) -> None:
    from sobc.read.schema import BASE_URI

    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"] == BASE_URI + path.name
    assert BASE_URI.startswith("https://") and ".invalid/" in BASE_URI  # a name, never fetched
    refs = [node["$ref"] for _, node in walk(schema) if isinstance(node.get("$ref"), str)]
    assert all(ref.startswith(("#", "common.schema.json#")) for ref in refs)  # relative: editors


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.name for p in SCHEMAS])
def test_every_object_is_closed(path: Path) -> None:
    """Every object but the manifest's top level, which a later sobc may add keys to that a
    runtime ignores (docs/manifest.md, Format versions)."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    if path.name == "manifest.schema.json":
        assert schema["additionalProperties"] is True
        schema = {**schema, "additionalProperties": False}
    for where, node in walk(schema):
        if node.get("type") == "object" and "properties" in node:
            closed = node.get("additionalProperties") is False
            assert closed or node.get("unevaluatedProperties") is False, f"{path.name}{where}"


@pytest.mark.parametrize("path", SOURCE_SCHEMAS, ids=[p.name for p in SOURCE_SCHEMAS])
def test_every_source_property_is_documented(path: Path) -> None:
    assert len(SOURCE_SCHEMAS) == 4
    schema = json.loads(path.read_text(encoding="utf-8"))
    for where, node in walk(schema):
        for name, prop in node.get("properties", {}).items() if "properties" in node else ():
            if any(f"/{k}/" in f"{where}/" for k in ("if", "then", "else")):
                continue  # conditional branches narrow properties documented elsewhere
            if not isinstance(prop, dict) or not prop:
                continue
            if "$ref" in prop and set(prop) == {"$ref"}:
                continue  # the referenced definition carries title and description
            assert "title" in prop and "description" in prop, f"{path.name}{where}/{name}"


def _patterns() -> list[str]:
    found = {
        node["pattern"]
        for path in SCHEMAS
        for _, node in walk(json.loads(path.read_text(encoding="utf-8")))
        if isinstance(node.get("pattern"), str)
    }
    return sorted(found)


# Patterns that ask for something inside a text, anchored at neither end: a Markdown body
# ends with a line break whenever it is written with `|`.
INSIDE = ["\\S"]


ANCHORED = [p for p in _patterns() if p not in INSIDE]


@pytest.mark.parametrize("pattern", ANCHORED)
@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_pattern_refuses_a_trailing_line_break(pattern: str, data: st.DataObject) -> None:
    """JSON Schema's `$` is the end of the text; Python's also matches before a final line
    break, which once let "valkommen\\n" through as an id. Each anchored pattern, as sobc
    checks it, refuses a value it accepts with a line break added, as the native validator
    does; the plain Python library would not."""
    import jsonschema_rs

    from sobc.read.schema import _ecma, matches

    value = data.draw(st.from_regex(_ecma(pattern), fullmatch=True))
    assert matches(pattern, value) and not matches(pattern, value + "\n")
    native = jsonschema_rs.validator_for({"pattern": pattern})
    assert native.is_valid(value) and not native.is_valid(value + "\n")
    assert jsonschema.Draft202012Validator({"pattern": pattern}).is_valid(value + "\n")


def test_the_only_unanchored_patterns_are_those_inside_a_text() -> None:
    assert [p for p in _patterns() if not (p.startswith("^") and p.endswith("$"))] == INSIDE
    assert all(p.startswith("^") and p.endswith("$") for p in ANCHORED)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("site", 'theme:\n  name: Region\n  colours: {brand: "#1f4e79\\n"}\n'),
        ("module", 'title: A\nsections:\n  - id: "del-1\\n"\n    title: B\n    steps: []\n'),
    ],
)
def test_a_value_ending_in_a_line_break_is_refused(kind: str, text: str) -> None:
    from sobc.read.schema import validate
    from sobc.read.source import parse_bytes

    doc, problems = parse_bytes(text.encode(), f"x.{kind}.yaml")
    assert doc is not None and problems == []
    assert "SOBC105" in [d.code for d in validate(doc, kind)]  # type: ignore[arg-type]


_RE_FUNCTIONS = {"compile", "match", "search", "fullmatch", "finditer", "findall", "sub", "split"}


def _dollar_anchors(pattern: str) -> bool:
    """Whether a regular expression uses `$` as an anchor (not escaped, not in a class)."""
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            i += 2 if pattern[i + 1 : i + 2] == "]" else 1  # "[]…]": the "]" is a member
            continue
        if ch == "]" and in_class:
            in_class = False
        elif ch == "$" and not in_class:
            return True
        i += 1
    return False


def _regex_literals() -> Iterator[tuple[str, int, str]]:
    """Every string given to a function of `re` in sobc's code (the literal parts of
    f-strings too): file, line, the string."""
    import ast

    from .conftest import ROOT

    for path in sorted((ROOT / "sobc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _RE_FUNCTIONS
                and node.args
            ):
                continue
            parts = (
                node.args[0].values if isinstance(node.args[0], ast.JoinedStr) else [node.args[0]]
            )
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield path.name, node.lineno, part.value


def test_no_pattern_in_the_code_ends_with_a_dollar() -> None:
    """`$` matches before a final line break too: the code anchors with `\\Z` or `fullmatch`."""
    found = list(_regex_literals())
    assert len(found) > 20  # the scan sees the code's patterns
    assert [(file, line) for file, line, text in found if _dollar_anchors(text)] == []
    assert _dollar_anchors(r"^[a-z]+$") and not _dollar_anchors(r"[$]\$\Z")


def test_only_the_first_unknown_keys_of_a_mapping_get_a_close_match() -> None:
    """Looking for a close key costs: the first `SUGGESTIONS` unknown keys of a mapping get
    "did you mean", the rest the allowed keys."""
    from sobc.read.schema import SUGGESTIONS, validate
    from sobc.read.source import parse_bytes

    keys = "".join(f"titel{i}: x\n" for i in range(SUGGESTIONS + 1))
    doc, _ = parse_bytes(f"title: A\nsections: []\n{keys}".encode(), "m.yaml")
    assert doc is not None
    hints = [d.hint for d in validate(doc, "module") if d.code == "SOBC101"]
    assert hints[:SUGGESTIONS] == ["did you mean 'title'?"] * SUGGESTIONS
    assert hints[SUGGESTIONS].startswith("allowed keys: ")


def test_a_byte_order_mark_is_whitespace_to_both_validators() -> None:
    """ECMA-262 (and the native validator) count U+FEFF as whitespace; Python's `\\s` does not,
    so "0@0.\\ufeff" once passed one validator as an e-mail address and failed the other."""
    import jsonschema_rs

    from sobc.read.schema import matches, python_pattern

    pattern = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
    for value, valid in (("0@0.\ufeff", False), ("namn@region.se", True)):
        assert matches(pattern, value) is valid
        assert (
            jsonschema_rs.validator_for({"pattern": python_pattern(pattern)}).is_valid(value)
            is valid
        )
