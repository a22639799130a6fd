"""Each folder in tests/cases changes the example program in one way (its case.diff, see
tests/cases/README.md) and names the problems (code, file, line) sobc must report: no more, no
fewer; an entry with "col" also names the column. Cases are collected automatically."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sobc.check.validation import validate_program
from sobc.diagnostics import Diagnostic

from .casediff import materialise
from .conftest import EXAMPLE, TESTS

CASES = sorted(p for p in (TESTS / "cases").iterdir() if p.is_dir())


def where(program: Path, diagnostics: list[Diagnostic]) -> list[tuple[str, str, int, int]]:
    """(code, file inside the program, line, col) of each diagnostic."""
    found = set()
    for d in diagnostics:
        assert d.location is not None, d
        file = Path(d.location.path).resolve().relative_to(program.resolve()).as_posix()
        found.add((d.code, file, d.location.line, d.location.col))
    return sorted(found)


def reported(program: Path) -> list[tuple[str, str, int, int]]:
    return where(program, validate_program(program)[1])


def assert_expected(case: Path, found: list[tuple[str, str, int, int]]) -> None:
    """Exactly the case's (code, file, line)s were found, and each col it names."""
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    want = sorted((e["code"], e["file"], e["line"]) for e in expected)
    assert want, "a case must expect at least one finding"
    assert sorted((code, file, line) for code, file, line, _ in found) == want
    columns = [(e["code"], e["file"], e["line"], e["col"]) for e in expected if "col" in e]
    assert [c for c in columns if c not in found] == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_reports_exactly_the_expected_problems(case: Path, tmp_path: Path) -> None:
    assert_expected(case, reported(materialise(case, tmp_path)))


def test_example_program_is_clean() -> None:
    _, problems = validate_program(EXAMPLE, strict=True)
    assert problems == []


@pytest.mark.parametrize("name", ["kom-igang\n", "nul", "lpt1"])
def test_a_module_file_whose_name_is_no_id_is_refused(tmp_path: Path, name: str) -> None:
    """Its name is its id: one that ends in a line break (Python's `$` matches before one;
    the build would write `kom-igang\n/…`) or that Windows keeps for a device is refused."""
    program = tmp_path / "example"
    shutil.copytree(EXAMPLE, program)
    (program / "modules" / "kom-igang.yaml").rename(program / "modules" / f"{name}.yaml")
    found = reported(program)
    assert ("SOBC203", f"modules/{name}.yaml", 0, 0) in found
