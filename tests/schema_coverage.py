"""What of a JSON Schema a document leaves unused: every key path and every enum value.

The schema and the document are walked together. At each place in the schema (a key path such as
`modules[].sections[].steps[].media.poster`) the walk holds every value the document has there,
following `$ref`, `oneOf`/`anyOf`/`allOf` (and `if`'s `then`/`else`), `items` and
`additionalProperties`. A key path is used when one of its values is more than what a writer puts
down when the author wrote nothing: not null, not false, not 0 and not empty. An enum value is used
when it is one of the values at its path (`null` in an enum is the absence of the key, and is not
asked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ITEM = "[]"
ANY_KEY = "*"


@dataclass
class Coverage:
    """The schema's key paths and enum values, and which of them the document uses."""

    keys: set[str] = field(default_factory=set)
    used_keys: set[str] = field(default_factory=set)
    enums: set[tuple[str, Any]] = field(default_factory=set)
    used_enums: set[tuple[str, Any]] = field(default_factory=set)

    def missing(self) -> list[str]:
        """Each unused key path, and each unused enum value as `path = value`, sorted."""
        keys = [f"key {path}" for path in sorted(self.keys - self.used_keys)]
        unused = sorted(self.enums - self.used_enums, key=lambda e: (e[0], repr(e[1])))
        enums = [f"enum {path} = {value!r}" for path, value in unused]
        return keys + enums


def coverage(schema: Mapping[str, Any], document: Any) -> Coverage:
    """The key paths and enum values of `schema`, and which of them `document` uses."""
    result = Coverage()
    _walk(schema, schema, [document], "", result, ())
    return result


def _join(path: str, key: str) -> str:
    if key == ITEM:
        return path + ITEM
    return f"{path}.{key}" if path else key


def _resolve(root: Mapping[str, Any], ref: str) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are followed: {ref}")
    node: Mapping[str, Any] = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _is_used(value: Any) -> bool:
    return value is not None and value is not False and value != 0 and value not in ("", [], {})


def _walk(
    root: Mapping[str, Any],
    node: Any,
    values: list[Any],
    path: str,
    result: Coverage,
    refs: tuple[tuple[str, str], ...],
) -> None:
    if not isinstance(node, Mapping):
        return  # `true`/`false` schemas say nothing of keys
    ref = node.get("$ref")
    home = dict(refs).get(ref) if isinstance(ref, str) else None
    if isinstance(ref, str) and home is None:
        _walk(root, _resolve(root, ref), values, path, result, (*refs, (ref, path)))
    elif isinstance(ref, str) and home is not None and values:
        # A schema that refers to itself (an expression's arguments): the values deeper down
        # count at its first place, and the walk ends where the document does.
        _walk(root, _resolve(root, ref), values, home, result, refs)
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, ()):
            _walk(root, branch, values, path, result, refs)
    for key in ("then", "else"):
        if key in node:
            _walk(root, node[key], values, path, result, refs)
    _enum(node, values, path, result)
    objects = [v for v in values if isinstance(v, Mapping)]
    properties: Mapping[str, Any] = node.get("properties", {})
    for name, sub in properties.items():
        inner = _join(path, name)
        present = [o[name] for o in objects if name in o]
        result.keys.add(inner)
        if any(_is_used(v) for v in present):
            result.used_keys.add(inner)
        _walk(root, sub, present, inner, result, refs)
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        rest = [v for o in objects for k, v in o.items() if k not in properties]
        _walk(root, extra, rest, _join(path, ANY_KEY), result, refs)
    items = node.get("items")
    if isinstance(items, Mapping):
        elements = [e for v in values if isinstance(v, list) for e in v]
        _walk(root, items, elements, _join(path, ITEM), result, refs)


def _enum(node: Mapping[str, Any], values: Iterable[Any], path: str, result: Coverage) -> None:
    enum = node.get("enum")
    if not isinstance(enum, list):
        return
    seen = {_hashable(v) for v in values}
    for value in enum:
        if value is None:
            continue
        result.enums.add((path, _hashable(value)))
        if _hashable(value) in seen:
            result.used_enums.add((path, _hashable(value)))


def _hashable(value: Any) -> Any:
    if isinstance(value, list | dict):
        return repr(value)
    return value
