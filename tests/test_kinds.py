"""The registries are the one declaration of each kind: the schemas, the manifest schema and
the authoring reference agree with them."""

from __future__ import annotations

import json

import pytest

from sobc.kinds.generate import answer_kinds, outputs
from sobc.kinds.questions import COLUMN_TYPES, QUESTION_TYPES, in_time_range

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


def test_every_question_type_has_a_control_or_a_group() -> None:
    """A type rendered as one labelled control needs a branch in form.html.j2's control macro;
    a group is written out in the form template; either way the page names its type."""
    template = (ROOT / "sobc" / "render" / "templates" / "form.html.j2").read_text("utf-8")
    for t in QUESTION_TYPES.values():
        if t.name != "info":
            assert f'"{t.name}"' in template, t.name


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
    assert in_time_range(value, low, high) is inside


def test_the_manifest_and_the_pages_know_every_step_type() -> None:
    from sobc.kinds.steps import STEP_TYPES
    from sobc.render.views import STEP_TYPES as LABELS

    schema = json.loads((ROOT / "schema" / "manifest.schema.json").read_text("utf-8"))
    assert schema["$defs"]["step"]["properties"]["type"]["enum"] == list(STEP_TYPES)
    assert list(LABELS) == list(STEP_TYPES) and all(LABELS.values())
