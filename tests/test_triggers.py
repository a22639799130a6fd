"""The flag trigger registry (`sobc/kinds/triggers.py`): what is made from it is up to date, what
is kept by hand agrees with it, and its rules say what docs/authoring.md says."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from sobc import runtime
from sobc.check.validation import validate_program
from sobc.diagnostics import Diagnostic
from sobc.kinds import triggers
from sobc.kinds.triggers import KEYS, KINDS, most_missed
from sobc.model.program import ActivityPlan, Schedule, Trigger
from sobc.package.build import build
from sobc.read.schema import validate, validator
from sobc.read.source import parse_bytes
from sobc.resources import schema_dir
from sobc.runtime.manifest import TriggerInfo

from .conftest import EXAMPLE, ROOT


def test_program_schema_and_authoring_table_come_from_the_registry() -> None:
    """(tests/test_kinds.py checks that `python -m sobc.kinds` has written them.)"""
    schema = json.loads((schema_dir() / "program.schema.json").read_text("utf-8"))
    assert schema["$defs"]["trigger"] == triggers.schema_fragment()
    assert triggers.authoring_table() in (ROOT / "docs" / "authoring.md").read_text("utf-8")


def test_manifest_schema_trigger_agrees_with_the_registry() -> None:
    schema = json.loads((schema_dir() / "manifest.schema.json").read_text("utf-8"))
    trigger = schema["$defs"]["flag"]["properties"]["trigger"]
    assert trigger["properties"]["type"]["enum"] == list(KINDS)
    assert trigger["required"] == ["type", *KEYS]
    assert {k: v for k, v in trigger["properties"].items() if k != "type"} == {
        name: key.manifest for name, key in KEYS.items()
    }


def test_the_manifest_schema_holds_each_trigger_type_to_its_keys() -> None:
    """A runtime can trust a trigger the published schema accepts: a type's keys are there and
    in range, the others null (a form_scored trigger without its form is refused)."""
    from sobc.read.schema import validator

    check = validator("manifest")
    built = json.loads((ROOT / "tests" / "golden" / "example" / "manifest.json").read_text())
    scored = next(f for f in built["flags"] if f["trigger"]["type"] == "form_scored")
    assert list(check.iter_errors(built)) == []
    scored["trigger"]["form"] = None
    assert list(check.iter_errors(built)) != []
    scored["trigger"]["form"], scored["trigger"]["days"] = "mabra", 3  # days: not form_scored's
    assert list(check.iter_errors(built)) != []


def test_model_and_reader_declare_the_registry_keys() -> None:
    assert [f.name for f in fields(Trigger)] == ["type", *KEYS]
    assert [f.name for f in fields(TriggerInfo)] == ["type", *KEYS]


def test_the_example_program_uses_every_trigger_type() -> None:
    loaded, problems = validate_program(EXAMPLE, strict=True)
    program = loaded.program
    assert problems == [] and program is not None
    assert sorted({f.trigger.type for f in program.flags}) == sorted(KINDS)


def _flag(trigger: dict[str, Any]) -> dict[str, Any]:
    program = {
        "id": "p",
        "title": "P",
        "version": "1",
        "publisher": "R",
        "welcome": "Hej",
        "modules": ["m"],
        "retention": {"purge": "on_completion", "max_days": 730},
    }
    flag = {"id": "f", "title": "F", "recipient": "patient", "message": "M", "trigger": trigger}
    return {**program, "flags": [flag]}


SAMPLE = {
    "module": "m",
    "form": "f",
    "days": 3,
    "days_before": 2,
    "plan": "p",
    "count": 2,
    "score": "s",
    "at_least": 1,
    "at_most": 5,
    "question": "q",
    "answers": ["ofta"],
}


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_type_takes_its_keys_and_no_other(kind: triggers.Kind) -> None:
    check = validator("program")
    needed = {"type": kind.type, **{k: SAMPLE[k] for k in kind.required}}
    assert check.is_valid(_flag(needed))
    assert check.is_valid(_flag({**needed, **{k: SAMPLE[k] for k in kind.optional}}))
    for key in kind.required:
        assert not check.is_valid(_flag({k: v for k, v in needed.items() if k != key}))
    for key in KEYS:
        if key not in kind.keys:
            errors = list(check.iter_errors(_flag({**needed, key: SAMPLE[key]})))
            assert [e.validator for e in errors] == [None], key  # a `false` schema: SOBC107


def test_a_key_that_does_not_apply_names_the_keys_that_do() -> None:
    (problem,) = _schema_problems("trigger: {type: plan_due, plan: p, days: 3}")
    assert problem.code == "SOBC107"
    assert problem.hint == "it is not used with type: plan_due, whose own keys are: plan"
    (problem,) = _schema_problems("trigger: {type: program_started, plan: p}")
    assert problem.hint == "it is not used with type: program_started, which has no keys of its own"


def _schema_problems(trigger: str) -> list[Diagnostic]:
    doc, problems = parse_bytes(_yaml_program(trigger).encode(), "program.yaml")
    assert doc is not None and problems == []
    return validate(doc, "program")


def _yaml_program(trigger: str) -> str:
    return (
        "id: p\ntitle: P\nversion: '1'\npublisher: R\nwelcome: Hej\nmodules: [m]\n"
        "retention: {purge: on_completion, max_days: 730}\n"
        f"flags:\n  - id: f\n    title: F\n    recipient: patient\n    message: M\n    {trigger}\n"
    )


def _plan(every: str, time: str | None = None, interval: int | None = None) -> ActivityPlan:
    schedule = Schedule(every, "sunday" if every == "week" else None, interval, time)
    return ActivityPlan("p", "Sömndagbok", "f", "program_start", schedule, ref=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("plan", "length", "most"),
    [
        # the n-th miss is known at the next due date, day n (00:00), and fires at 09:00 then
        (_plan("day"), 10, 10),
        (_plan("day", "09:00"), 10, 10),
        # due at 10:00: the miss is known after 09:00, so the flag fires the next morning
        (_plan("day", "10:00"), 10, 9),
        (_plan("week"), 90, 12),
        (_plan("week"), 6, 0),
        (_plan("n_days", interval=14), 90, 6),
    ],
)
def test_most_missed_follows_the_definition(plan: ActivityPlan, length: int, most: int) -> None:
    assert most_missed(plan, length) == most


def test_the_guide_sentences_of_the_plan_triggers() -> None:
    program = validate_program(EXAMPLE)[0].program
    assert program is not None
    missed = Trigger("plan_missed", plan="veckologg", count=3)
    assert triggers.sentence(program, missed) == (
        "När patienten har missat 3 planerade ifyllnader av ”Veckologg” i rad"
    )
    once = replace(missed, count=1)
    assert triggers.sentence(program, once) == (
        "När patienten har missat en planerad ifyllnad av ”Veckologg”"
    )
    due = Trigger("plan_due", plan="veckologg")
    assert triggers.sentence(program, due) == "Kl. 18:00 de dagar då ”Veckologg” ska fyllas i"
    # without a due time (Sömnkoll), the reminder comes when time-based triggers run
    untimed = Trigger("plan_due", plan="somnkoll")
    assert triggers.sentence(program, untimed) == "Kl. 09:00 de dagar då ”Sömnkoll” ska fyllas i"


def test_the_manifest_carries_the_plan_triggers_and_the_due_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    loaded = runtime.load(out / "example")
    flags = {f.id: f.trigger for f in loaded.flags}
    assert (flags["missad-veckologg"].plan, flags["missad-veckologg"].count) == ("veckologg", 2)
    assert flags["dags-for-veckologg"].plan == "veckologg"
    assert flags["dags-for-veckologg"].count is None
    plans = {p.id: p for p in loaded.activity_plans}
    assert plans["veckologg"].schedule.time == "18:00"
    assert plans["somnkoll"].schedule.time is None


def test_the_guide_sentences_of_answer_flags_are_in_the_patients_words() -> None:
    loaded, problems = validate_program(ROOT / "conformance" / "programs" / "svar", strict=True)
    program = loaded.program
    assert problems == [] and program is not None
    said = {f.id: triggers.sentence(program, f.trigger) for f in program.flags}
    form = "När patienten skickar in formuläret ”Sömn” "
    start = form + "och svarar "
    assert said == {
        "somnig-vid-ratten": start
        + "”Ofta” eller ”Jämt” på frågan ”Blir du sömnig när du kör bil?”",
        "sent-i-sang": start + "mellan 23:30 och 02:00 på frågan ”När lade du dig?”",
        "lang-insomning": start
        + "minst 60 minuter på frågan ”Hur många minuter tog det att somna?”",
        "mardrommar": start + "”Mardrömmar” på frågan ”Vad har du besvärats av i natt?”",
        "olycka": start + "”Ja” på frågan ”Var det i trafiken?”",
        "inget-samtycke": form + "utan att kryssa i ”Jag samtycker”",
        "samma-tid": start + "”Gått upp samma tid varje dag” på frågan ”Det här har jag gjort i "
        "veckan”",
        "lag-somneffektivitet": "När patienten skickar in formuläret ”Sömndagbok” och värdet "
        "”Sömneffektivitet” är högst 84,9 %",
        "paminnelse": "När patienten inte har varit aktiv på 7 dagar",
    }
