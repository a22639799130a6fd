"""The JSON Schemas themselves: valid 2020-12, closed, and documented for editor tooltips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

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
