"""The real programs: they validate without warnings and carry every title their seed names.

The seed titles are transcribed from the seed documents into tests/seed_titles/<program>.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import pytest

from sobc.check.validation import validate_program
from sobc.model.program import Program
from sobc.read.loader import load

from .conftest import PROGRAMS, TESTS

REAL_PROGRAMS = ("artrosskola", "sjukskrivningskollen", "plus")


def norm(title: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*[-–—]\s*", " – ", title)).strip()


def assert_in_order(wanted: Iterable[str], present: list[str], what: str) -> None:
    """Every wanted title occurs in present, in the same relative order."""
    position = 0
    normalised = [norm(p) for p in present]
    for title in wanted:
        try:
            position = normalised.index(norm(title), position) + 1
        except ValueError:
            pytest.fail(f"{what}: '{title}' is missing or out of order in {present}")


@pytest.mark.parametrize("name", REAL_PROGRAMS)
def test_program_validates_strictly(name: str) -> None:
    folder = PROGRAMS / name
    assert (folder / "program.yaml").is_file(), f"programs/{name} is missing"
    _, problems = validate_program(folder, strict=True)
    assert [f"{d.location}: {d.code} {d.message}" for d in problems] == []


@pytest.mark.parametrize("name", REAL_PROGRAMS)
def test_every_seed_title_is_in_the_program_in_order(name: str) -> None:
    seed_list = TESTS / "seed_titles" / f"{name}.json"
    assert seed_list.is_file(), f"no seed title list for {name}"
    seed: dict[str, Any] = json.loads(seed_list.read_text(encoding="utf-8"))
    assert seed["program"] == name and seed["modules"], "the seed list names no modules"
    result = load(PROGRAMS / name)
    assert result.program is not None, [str(d) for d in result.diagnostics]
    program = result.program
    assert_in_order(
        (m["title"] for m in seed["modules"]), [m.title for m in program.modules], "modules"
    )
    for wanted in seed["modules"]:
        module = next(m for m in program.modules if norm(m.title) == norm(wanted["title"]))
        check_module(program, module.id, wanted)
    form_titles = [f.title for f in program.forms]
    for title in seed["forms"]:
        assert norm(title) in {norm(t) for t in form_titles}, f"form '{title}' is missing"


def check_module(program: Program, module_id: str, wanted: dict[str, Any]) -> None:
    module = program.module(module_id)
    assert module is not None
    where = f"module '{module.title}'"
    assert_in_order(
        (s["title"] for s in wanted["sections"]), [s.title for s in module.sections], where
    )
    for wanted_section in wanted["sections"]:
        section = next(s for s in module.sections if norm(s.title) == norm(wanted_section["title"]))
        steps = list(section.steps)
        assert_in_order(
            (s["title"] for s in wanted_section["steps"]),
            [s.title for s in steps],
            f"{where}, section '{section.title}'",
        )
        for wanted_step in wanted_section["steps"]:
            step = next(s for s in steps if norm(s.title) == norm(wanted_step["title"]))
            titles = [f.title for fid in step.forms if (f := program.form(fid)) is not None]
            assert_in_order(wanted_step["forms"], titles, f"{where}, step '{step.title}'")
    standalone = [
        f.title for fid in module.standalone_forms if (f := program.form(fid)) is not None
    ]
    assert_in_order(wanted.get("standalone_forms", []), standalone, f"{where}, standalone forms")
