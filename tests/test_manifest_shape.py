"""The manifest's shape is declared once in Python — the reader's classes, and the shapes it
shares with the model (`sobc/shapes.py`) — and `schema/manifest.schema.json` agrees with it:
every object of the schema has exactly the fields of its class, required unless the class
gives a default (the manifest writes those only when they hold something)."""

from __future__ import annotations

import json
import types
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from sobc.model import program as model
from sobc.model import shapes
from sobc.resources import schema_dir
from sobc.runtime import manifest as manifest_reader
from sobc.runtime.manifest import Manifest

SCHEMA = json.loads((schema_dir() / "manifest.schema.json").read_text("utf-8"))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with `$ref`s followed and a nullable `anyOf` reduced to its object."""
    while True:
        if "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        elif node.get("type") == "array":
            node = node["items"]
        else:
            return node


def _classes(hint: Any) -> list[type]:
    """The dataclasses a field's type holds (through Optional and tuples)."""
    if get_origin(hint) in (Union, types.UnionType, tuple):
        return [c for arg in get_args(hint) for c in _classes(arg)]
    return [hint] if isinstance(hint, type) and is_dataclass(hint) else []


def _json_name(name: str) -> str:
    return name.rstrip("_")  # `from_` is "from" in the JSON (a Python keyword)


def _pairs() -> list[tuple[type, dict[str, Any]]]:
    found: list[tuple[type, dict[str, Any]]] = []
    pending: list[tuple[type, dict[str, Any]]] = [(Manifest, SCHEMA)]
    while pending:
        cls, node = pending.pop()
        found.append((cls, node))
        hints = get_type_hints(cls)
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in node.get("properties", {}):
                for inner in _classes(hints[f.name]):
                    pending.append((inner, _resolve(node["properties"][f.name])))
    return found


def test_every_manifest_object_has_exactly_its_classes_fields() -> None:
    pairs = _pairs()
    assert len(pairs) > 20  # the walk reaches the whole manifest
    for cls, node in pairs:
        own = [f for f in fields(cls) if f.name != "root"]  # type: ignore[arg-type]
        needed = [f for f in own if f.default is MISSING and f.default_factory is MISSING]
        if cls in (shapes.Band, shapes.Media, shapes.Schedule, shapes.Trigger):
            needed = own  # the model's defaults; the manifest writes them all
        assert sorted(node["required"]) == sorted(_json_name(f.name) for f in needed), cls
        assert sorted(node["properties"]) == sorted(_json_name(f.name) for f in own), cls
        # the top level is open to keys a runtime ignores (docs/manifest.md, Format versions)
        open_to_more = cls is manifest_reader.Manifest
        assert node.get("additionalProperties") is open_to_more, cls


def test_the_shared_shapes_are_the_models_and_the_readers() -> None:
    for name in ("Band", "Media", "Schedule", "Trigger"):
        shared = getattr(shapes, name)
        assert getattr(model, name) is shared
        assert getattr(manifest_reader, f"{name}Info") is shared
