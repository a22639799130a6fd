"""The manifest schema's limits, taken from the source schemas so that the two cannot drift.

The manifest writes every key, null where a key does not apply, so each limit is the source's
own schema with null allowed beside it; a schedule's rules per `every` become, in the manifest,
"this key holds a value" (where the source requires it) and "this key is null" (where the
source forbids it). `python -m sobc.kinds` writes them (`generate.outputs`); `tests/test_kinds.py`
holds the checked-in schema to them.
"""

from __future__ import annotations

import copy
from typing import Any

from .retention import LEGAL_MAX_RETENTION_DAYS

Schemas = dict[str, Any]  # file name → schema
_COMMON = "common.schema.json"

# (where in the manifest schema, (source file, where in it)): each an integer within the
# source's range, which the manifest writes as null where it does not apply.
NULLABLE_LIMITS: tuple[tuple[str, tuple[str, str]], ...] = (
    (
        "properties/program/properties/recommended_length_days",
        ("program.schema.json", "properties/recommended_length_days"),
    ),
    ("$defs/module/properties/length_days", ("module.schema.json", "properties/length_days")),
    *(
        (
            f"$defs/question/properties/{key}",
            ("form.schema.json", f"$defs/questionBase/properties/{key}"),
        )
        for key in ("min_selections", "max_selections", "max_length", "min_rows", "max_rows")
    ),
    (
        "$defs/scoring/properties/max_unanswered",
        ("form.schema.json", "$defs/scoring/properties/max_unanswered"),
    ),
    ("$defs/option/properties/score", ("form.schema.json", "$defs/option/properties/score")),
    (
        "$defs/activityPlan/properties/schedule/properties/interval_days",
        ("program.schema.json", "$defs/activityPlan/properties/schedule/properties/interval_days"),
    ),
)
# The same for the integers the manifest always writes.
LIMITS: tuple[tuple[str, tuple[str, str]], ...] = (
    (
        "properties/retention/properties/maintenance_days",
        ("program.schema.json", "properties/retention/properties/maintenance_days"),
    ),
)
_SCHEDULE = "$defs/activityPlan/properties/schedule"
# The source schema leaves max_days open, so that the check can say why (SOBC309); the manifest,
# written only from a program that passed it, holds the same law's limit.
_MAX_DAYS = "properties/retention/properties/max_days"


def _at(schema: Any, pointer: str) -> Any:
    for part in pointer.split("/"):
        schema = schema[part]
    return schema


def _resolved(schemas: Schemas, node: dict[str, Any]) -> dict[str, Any]:
    """`node` with a `$ref` into common.schema.json replaced by what it names."""
    ref = node.get("$ref", "")
    if not ref.startswith(_COMMON + "#/"):
        return node
    target = _at(schemas[_COMMON], ref.split("#/", 1)[1])
    return {**{k: v for k, v in node.items() if k != "$ref"}, **target}


def _range(source: dict[str, Any]) -> dict[str, Any]:
    return {k: source[k] for k in ("minimum", "maximum") if k in source}


def integer(schemas: Schemas, source: dict[str, Any], null: bool) -> dict[str, Any]:
    """An integer of the source's range (`null`: or null)."""
    source = _resolved(schemas, source)
    if source.get("type") != "integer":
        raise ValueError(f"not an integer schema: {source}")
    return {"type": ["integer", "null"] if null else "integer", **_range(source)}


def _schedule_rules(schemas: Schemas) -> list[dict[str, Any]]:
    """The source schedule's rules per `every`, for a manifest that writes every key."""
    source = _at(schemas["program.schema.json"], _SCHEDULE)
    rules = []
    for rule in source["allOf"]:
        then = {
            key: {"type": "null"} if allowed is False else allowed
            for key, allowed in rule["then"].get("properties", {}).items()
        }
        for key in rule["then"].get("required", []):
            then[key] = {k: v for k, v in source["properties"][key].items() if k in _KEPT}
        rules.append({"if": copy.deepcopy(rule["if"]), "then": {"properties": then}})
    return rules


_KEPT = ("type", "enum", "minimum", "maximum", "pattern")  # what a value is, not its words


def write_limits(manifest: dict[str, Any], schemas: Schemas) -> dict[str, Any]:
    """The manifest schema with every limit above and the schedule's rules from the sources."""
    limits = [(entry, True) for entry in NULLABLE_LIMITS] + [(entry, False) for entry in LIMITS]
    for (target, (file, pointer)), null in limits:
        parent, _, key = target.rpartition("/")
        words = {k: v for k, v in _at(manifest, target).items() if k in ("title", "description")}
        limit = integer(schemas, _at(schemas[file], pointer), null)
        _at(manifest, parent)[key] = {**words, **limit}
    _at(manifest, _SCHEDULE)["allOf"] = _schedule_rules(schemas)
    _at(manifest, _MAX_DAYS)["maximum"] = LEGAL_MAX_RETENTION_DAYS
    return manifest
