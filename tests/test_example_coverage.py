"""The example program uses every key and every enum value of the manifest schema (issue 22, 6).

`schema_coverage` walks the manifest schema and the example's built `manifest.json` together; the
tests on small schemas below show that it finds what a document leaves out, so that the example's
test can fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sobc.package.build import build
from sobc.resources import schema_dir

from .conftest import EXAMPLE
from .schema_coverage import coverage

# Enums where one value stands for the others: a weekly plan is due on its weekday whichever it
# is (docs/authoring.md, Activity plans); seven weekly plans in the example would only repeat.
ONE_IS_ENOUGH = {"activity_plans[].schedule.weekday"}

# Keys a program has no use for: a plan's column shares the option shape of a question, but an
# exclusive option is only a multiple-choice question's (SOBC320 refuses it in a column), a
# heading only a checklist's (SOBC386), and no total counts a column, so a score there (SOBC332)
# would mean nothing.
NEVER_SET = {
    "forms[].questions[].columns[].options[].exclusive",
    "forms[].questions[].columns[].options[].group",
    "forms[].questions[].columns[].options[].score",
}


def test_the_example_uses_every_key_and_enum_value_of_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build([EXAMPLE], out)
    assert result.ok, [str(d) for d in result.diagnostics]
    manifest = json.loads((out / "example" / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads((schema_dir() / "manifest.schema.json").read_text(encoding="utf-8"))
    found = coverage(schema, manifest)
    assert found.keys >= NEVER_SET, "a key NEVER_SET names is no longer in the schema"
    assert {path for path, _ in found.enums} >= ONE_IS_ENOUGH, "ONE_IS_ENOUGH names no enum"
    enough = {(path, value) for path, value in found.enums if path in ONE_IS_ENOUGH}
    if any(path in ONE_IS_ENOUGH for path, _ in found.used_enums):
        found.used_enums |= enough
    found.used_keys |= NEVER_SET
    missing = found.missing()
    assert missing == [], "the example's manifest never uses:\n" + "\n".join(missing)


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "extra": {"type": "object", "additionalProperties": {"$ref": "#/$defs/item"}},
    },
    "$defs": {
        "item": {
            "type": "object",
            "properties": {
                "kind": {"enum": ["a", "b", None]},
                "size": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/size"}]},
            },
            "allOf": [{"if": {"required": ["kind"]}, "then": {"properties": {"note": {}}}}],
        },
        "size": {"type": "object", "properties": {"value": {"type": "integer"}}},
    },
}

FULL: dict[str, Any] = {
    "name": "x",
    "items": [{"kind": "a", "size": {"value": 2}, "note": "n"}, {"kind": "b", "size": None}],
    "extra": {"any": {"kind": "a", "size": None, "note": None}},
}


def test_a_document_using_everything_misses_nothing() -> None:
    found = coverage(SCHEMA, FULL)
    assert found.missing() == [
        "key extra.*.note",
        "key extra.*.size",
        "key extra.*.size.value",
        "enum extra.*.kind = 'b'",
    ]
    everything = {**FULL, "extra": {"any": FULL["items"][0], "other": FULL["items"][1]}}
    assert coverage(SCHEMA, everything).missing() == []


def test_each_key_path_and_enum_value_left_out_is_named() -> None:
    document: dict[str, Any] = {"name": None, "items": [{"kind": "a", "size": None}], "extra": {}}
    assert coverage(SCHEMA, document).missing() == [
        "key extra",
        "key extra.*.kind",
        "key extra.*.note",
        "key extra.*.size",
        "key extra.*.size.value",
        "key items[].note",
        "key items[].size",
        "key items[].size.value",
        "key name",
        "enum extra.*.kind = 'a'",
        "enum extra.*.kind = 'b'",
        "enum items[].kind = 'b'",
    ]


def test_default_values_do_not_count_as_used() -> None:
    schema: dict[str, Any] = {
        "properties": {k: {} for k in ("none", "no", "zero", "empty", "nothing", "yes")}
    }
    document: dict[str, Any] = {
        "none": None,
        "no": False,
        "zero": 0,
        "empty": "",
        "nothing": [],
        "yes": 1,
    }
    assert coverage(schema, document).missing() == [
        f"key {k}" for k in sorted(("none", "no", "zero", "empty", "nothing"))
    ]
