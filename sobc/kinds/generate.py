"""What the registries write into the JSON Schemas and `docs/authoring.md`.

`python -m sobc.kinds` rewrites those parts in a checkout; `tests/test_kinds.py` fails while a
checked-in file differs from what the registries say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import triggers
from .bounds import Bounds
from .manifest_limits import write_limits
from .questions import COLUMN_TYPES, COMMON_KEYS, QUESTION_TYPES
from .steps import STEP_TYPES, step_rules, step_table

# ---------------------------------------------------------------- form.schema.json


def _if_type(names: list[str]) -> dict[str, Any]:
    test = {"const": names[0]} if len(names) == 1 else {"enum": names}
    return {"properties": {"type": test}, "required": ["type"]}


def question_rules() -> list[dict[str, Any]]:
    """The per-type rules of `$defs/question`: what each type requires, narrows and forbids.

    A key that applies to several types is forbidden for the rest by one rule; keys that apply
    to the same types share it."""
    rules: list[dict[str, Any]] = []
    by_types: dict[tuple[str, ...], list[str]] = {}
    for t in QUESTION_TYPES.values():
        for key in t.keys:
            owners = tuple(n for n, u in QUESTION_TYPES.items() if key in u.keys)
            if key not in by_types.setdefault(owners, []):
                by_types[owners].append(key)
    for owners, keys in by_types.items():
        rule: dict[str, Any] = {"if": _if_type(list(owners))}
        rule["else"] = {"properties": {key: False for key in keys}}
        rules.append(rule)
    for t in QUESTION_TYPES.values():
        then: dict[str, Any] = {}
        if t.required:
            then["required"] = list(t.required)
        narrowed = {k: n for k in t.keys if (n := t.schema_of(k)) is not None}
        if narrowed:
            then["properties"] = narrowed
        if t.without:
            then.setdefault("properties", {}).update({key: False for key in t.without})
        if then:
            rules.append({"if": _if_type([t.name]), "then": then})
    return rules


def _names(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]


def _by_bounds() -> dict[Bounds | None, list[str]]:
    """The question types by the kind of their `min` and `max` (None: the types without)."""
    found: dict[Bounds | None, list[str]] = {}
    for t in QUESTION_TYPES.values():
        found.setdefault(t.bounds if "min" in t.keys else None, []).append(t.name)
    return found


def _bound_description(end: str) -> str:
    """What `min` (end "lowest") or `max` (end "highest") is, for each type that has them."""
    kinds = []
    for bounds, names in _by_bounds().items():
        if bounds is not None:
            wraps = " (min after max: the range passes midnight)" if bounds.wraps else ""
            kinds.append(f"{_names(names)}: {bounds.written}{wraps}")
    return f"The {end} answer allowed — " + "; ".join(kinds) + "."


def write_form_schema(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema["$defs"]
    kind = defs["questionBase"]["properties"]["type"]
    kind["enum"] = list(QUESTION_TYPES)
    kind["description"] = _names(list(QUESTION_TYPES)) + "."
    for key, end in (("min", "lowest"), ("max", "highest")):
        defs["questionBase"]["properties"][key]["description"] = _bound_description(end)
    defs["question"]["allOf"] = question_rules()
    column = defs["column"]["properties"]["type"]
    column["enum"] = list(COLUMN_TYPES)
    column["description"] = _names(COLUMN_TYPES) + "."
    return schema


def write_manifest_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The manifest's question: its type, answer and column enums, and what `min` and `max`
    hold for each type, from the records."""
    question = schema["$defs"]["question"]
    props = question["properties"]
    props["type"]["enum"] = list(QUESTION_TYPES)
    props["answer"]["enum"] = answer_kinds()
    props["columns"]["items"]["properties"]["type"]["enum"] = list(COLUMN_TYPES)
    kinds = [b.schema for b in _by_bounds() if b is not None]
    for key, title, end in (("min", "Minimum", "lowest"), ("max", "Maximum", "highest")):
        props[key] = {
            "title": title,
            "description": _bound_description(end) + " Null when not limited or not its kind.",
            "anyOf": [{"type": "null"}, *kinds],
        }
    rules = []
    for bounds, names in _by_bounds().items():
        bound = {"anyOf": [{"type": "null"}, bounds.schema]} if bounds else {"type": "null"}
        rules.append({"if": _if_type(names), "then": {"properties": {"min": bound, "max": bound}}})
    question["allOf"] = rules
    schema["$defs"]["flag"]["properties"]["trigger"] = triggers.manifest_fragment()
    return schema


def answer_kinds() -> list[str]:
    """The `answer` values of the manifest (its schema is tested against these)."""
    return list(dict.fromkeys(t.answer for t in QUESTION_TYPES.values()))


# ---------------------------------------------------------------- docs/authoring.md


def question_table() -> str:
    common = ", ".join(f"`{k}`" for k in COMMON_KEYS)
    lines = [
        f"| type | the patient … | keys besides {common} | stored answer |",
        "|---|---|---|---|",
    ]
    for t in QUESTION_TYPES.values():
        keys = ", ".join(f"`{k}`" for k in t.keys) or "—"
        if "columns" in t.keys:
            columns = ", ".join(f"`{c}`" for c in COLUMN_TYPES[:-1])
            keys = keys.replace(
                "`columns`", f"`columns` (each a {columns} or `{COLUMN_TYPES[-1]}` field)"
            )
        note = f" {t.keys_note}" if t.keys_note else ""
        if t.without:
            note += " (" + " and ".join(f"`{k}`" for k in t.without) + " do not apply)"
        lines.append(f"| `{t.name}` | {t.does} | {keys}{note} | {t.stored} |")
    return "\n".join(lines)


# The generated parts of docs/authoring.md, each between `<!-- generated: NAME -->` and
# `<!-- end: NAME -->`.
DOC_PARTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "question-types": lambda _: question_table(),
    "triggers": lambda _: triggers.authoring_table(),
    "step-types": lambda _: step_table(),
    "keys": lambda schemas: key_tables(schemas),
}


def write_doc(text: str, schemas: dict[str, Any]) -> str:
    for name, make in DOC_PARTS.items():
        start, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"docs/authoring.md has no {start} … {end}")
        replacement = f"{start}\n{make(schemas)}\n{end}"
        text = pattern.sub(replacement.replace("\\", "\\\\"), text)
    return text


# ---------------------------------------------------------------- the files


def _json(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def outputs(root: Path) -> dict[Path, str]:
    """Each generated file of a checkout at `root` with the text it should have."""
    folder = root / "schema"
    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in folder.glob("*.schema.json")}
    schemas["form.schema.json"] = write_form_schema(schemas["form.schema.json"])
    schemas["manifest.schema.json"] = write_limits(
        write_manifest_schema(schemas["manifest.schema.json"]), schemas
    )
    schemas["program.schema.json"]["$defs"]["trigger"] = triggers.schema_fragment()
    step = schemas["module.schema.json"]["$defs"]["step"]
    step["properties"]["type"]["enum"] = list(STEP_TYPES)
    step["properties"]["type"]["description"] = _names(list(STEP_TYPES)) + "."
    step["allOf"] = step_rules()
    doc = root / "docs" / "authoring.md"
    return {
        folder / "form.schema.json": _json(schemas["form.schema.json"]),
        folder / "program.schema.json": _json(schemas["program.schema.json"]),
        folder / "module.schema.json": _json(schemas["module.schema.json"]),
        folder / "manifest.schema.json": _json(schemas["manifest.schema.json"]),
        doc: write_doc(doc.read_text("utf-8"), schemas),
    }


# ---------------------------------------------------------------- every key, from the schemas

_FILES = (
    ("program.yaml", "program.schema.json"),
    ("modules/&lt;id&gt;.yaml", "module.schema.json"),
    ("forms/&lt;id&gt;.yaml", "form.schema.json"),
    ("site.yaml", "site.schema.json"),
)
_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true/false",
    "object": "mapping",
    "array": "list",
    "null": "nothing",
}


class _Schemas:
    def __init__(self, files: dict[str, Any]) -> None:
        self.files = files  # file name → schema

    def resolve(self, node: Any, base: str) -> tuple[Any, str]:
        """`node` with its `$ref` followed (into another file if it says so)."""
        while (
            isinstance(node, dict)
            and "$ref" in node
            and len(node.keys() - {"title", "description", "examples", "default"}) == 1
        ):
            ref = node["$ref"]
            file, _, pointer = ref.partition("#")
            base = file or base
            target: Any = self.files[base]
            for part in pointer.strip("/").split("/") if pointer else ():
                target = target[part]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return node, base

    def object_of(self, node: Any, base: str) -> tuple[dict[str, Any], str] | None:
        """The object schema a key holds (itself, or its list's items), if it holds one."""
        node, base = self.resolve(node, base)
        if isinstance(node, dict) and node.get("type") == "array":
            node, base = self.resolve(node.get("items", {}), base)
        if isinstance(node, dict) and "properties" in node:
            return node, base
        if isinstance(node, dict) and "$ref" in node:  # an object that adds rules to a base
            merged, b = self.resolve({"$ref": node["$ref"]}, base)
            return {**merged, "required": node.get("required", merged.get("required", []))}, b
        return None

    def kind(self, node: Any, base: str) -> str:
        node, base = self.resolve(node, base)
        if not isinstance(node, dict):
            return ""
        if "enum" in node:
            return " / ".join(f"`{v}`" for v in node["enum"])
        if "const" in node:
            return f"`{node['const']}`"
        if "oneOf" in node or "anyOf" in node:
            choices = node.get("oneOf") or node.get("anyOf") or []
            return " or ".join(self.kind(n, base) for n in choices)
        kind = node.get("type")
        if kind == "array":
            items, _ = self.resolve(node.get("items", {}), base)
            inner = self.kind(items, base)
            return "list of mappings" if inner == "mapping" else f"list of {inner}"
        if isinstance(kind, list):
            return " or ".join(_WORDS.get(str(k), str(k)) for k in kind)
        if kind is None and "properties" in node:
            return "mapping"
        return _WORDS.get(kind, "") if isinstance(kind, str) else ""


def key_tables(files: dict[str, Any]) -> str:
    """Every key of every file, one table per mapping, from the JSON Schemas (name → schema)."""
    schemas = _Schemas(files)
    parts: list[str] = []

    def table(title: str, node: dict[str, Any], base: str, prefix: str) -> None:
        required = set(node.get("required", []))
        rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
        nested = []
        for key, sub in node["properties"].items():
            resolved, _ = schemas.resolve(sub, base)
            meaning = (
                " ".join(str(resolved.get("description", "")).split())
                if isinstance(resolved, dict)
                else ""
            )
            needed = "yes" if key in required else ""
            rows.append(f"| `{key}` | {schemas.kind(sub, base)} | {needed} | {meaning} |")
            if (inner := schemas.object_of(sub, base)) is not None:
                suffix = (
                    "[]" if isinstance(resolved, dict) and resolved.get("type") == "array" else ""
                )
                nested.append((f"{prefix}{key}{suffix}", inner))
        parts.append(f"### {title}\n\n" + "\n".join(rows))
        for path, (inner_node, inner_base) in nested:
            table(f"{file_title}: {path}", inner_node, inner_base, f"{path}.")

    for file_title, name in _FILES:
        table(file_title, schemas.files[name], name, "")
    return "\n\n".join(parts)
