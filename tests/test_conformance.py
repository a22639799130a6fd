"""The conformance suite (`conformance/`, its README) against the reference engine, and what
the suite must cover: every trigger type fired, every schedule kind due, every unanswered rule
and every scored question type reverse-scored in some case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sobc.kinds.questions import QUESTION_TYPES
from sobc.kinds.triggers import KINDS
from sobc.package.build import build
from sobc.runtime import FORMAT_VERSION, Manifest, load
from sobc.runtime.engine import simulate
from sobc.runtime.result import as_json
from sobc.runtime.timeline import read_timeline

from .conftest import ROOT

SUITE = ROOT / "conformance"
CASES = sorted((SUITE / "cases").glob("*.json"))
SCHEMA = json.loads((ROOT / "schema" / "manifest.schema.json").read_text(encoding="utf-8"))


def case(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("conformance")
    result = build([SUITE / "programs"], out)
    assert result.ok, result.diagnostics
    return out


def watched(expected_key: str, actual: list[dict[str, Any]], watch: dict[str, Any]) -> Any:
    """The part of the output a case compares (conformance/README.md, "Comparing")."""
    if expected_key == "flags" and "flags" in watch:
        return [f for f in actual if f["flag"] in watch["flags"]]
    if expected_key == "due" and "plans" in watch:
        return [d for d in actual if d["plan"] in watch["plans"]]
    return actual


def compare(output: dict[str, Any], data: dict[str, Any]) -> None:
    for key, expected in data["expected"].items():
        if key == "days":
            by_date = {d["date"]: d for d in output["days"]}
            assert [by_date.get(d["date"]) for d in expected] == expected
        else:
            assert watched(key, output[key], data.get("watch", {})) == expected, key


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_reference_engine_passes_the_case(path: Path, packages: Path) -> None:
    data = case(path)
    assert data["format_version"] == FORMAT_VERSION
    output = as_json(simulate(load(packages / data["program"]), read_timeline(data["timeline"])))
    compare(output, data)


def _manifests(packages: Path) -> dict[str, Manifest]:
    return {p.name: load(p) for p in packages.iterdir() if (p / "manifest.json").is_file()}


def test_every_trigger_type_fires_in_some_case() -> None:
    fired = {f["trigger"] for p in CASES for f in case(p)["expected"].get("flags", [])}
    assert sorted(set(KINDS) - fired) == []


def test_every_way_on_is_taken_in_some_case() -> None:
    """A module of next because its condition holds, and the program's end because none does."""
    ways = [w for p in CASES for w in case(p)["expected"].get("ways_on", [])]
    assert any(w["next"] for w in ways) and any(w["end"] for w in ways)


def test_every_schedule_kind_is_due_in_some_case(packages: Path) -> None:
    manifests = _manifests(packages)
    kinds = SCHEMA["$defs"]["activityPlan"]["properties"]["schedule"]["properties"]["every"]
    due = set()
    for path in CASES:
        data = case(path)
        plans = {p.id: p for p in manifests[data["program"]].activity_plans}
        due |= {plans[d["plan"]].schedule.every for d in data["expected"].get("due", [])}
        due |= {
            "untimed" for d in data["expected"].get("due", []) if not plans[d["plan"]].schedule.time
        }
    assert sorted({*kinds["enum"], "untimed"} - due) == []


def test_every_scoring_rule_and_reversed_type_is_scored_in_some_case(packages: Path) -> None:
    manifests = _manifests(packages)
    rules, reversed_types = set(), set()
    for path in CASES:
        data = case(path)
        for scored in data["expected"].get("scores", []):
            form = manifests[data["program"]].form(scored["form"])
            assert form is not None and form.scoring is not None
            rules.add(form.scoring.unanswered)
            types = {q.id: q.type for q in form.questions}
            answered = [q for q, v in scored["items"].items() if v is not None]
            reversed_types |= {types[q] for q in answered if q in form.scoring.reverse}
    unanswered = SCHEMA["$defs"]["scoring"]["properties"]["unanswered"]["enum"]
    assert sorted(set(unanswered) - rules) == []
    scored_types = {t.name for t in QUESTION_TYPES.values() if t.scored}
    assert sorted(scored_types - reversed_types) == []
