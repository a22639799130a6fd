"""Each folder in tests/lint_cases changes the example program in one way (as tests/cases do for
`sobc validate`) and names the findings (code, file, line, and column where given) `sobc lint`
must report: no more, no fewer. Collected automatically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sobc.lint import lint_program

from .conftest import EXAMPLE, TESTS
from .test_cases import materialise

CASES = sorted(p for p in (TESTS / "lint_cases").iterdir() if p.is_dir())


def reported(program: Path) -> list[tuple[str, str, int, int]]:
    found = set()
    for d in lint_program(program).diagnostics:
        assert d.location is not None, d
        file = Path(d.location.path).resolve().relative_to(program.resolve()).as_posix()
        found.add((d.code, file, d.location.line, d.location.col))
    return sorted(found)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lint_case_reports_exactly_the_expected_findings(case: Path, tmp_path: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    want = sorted((e["code"], e["file"], e["line"]) for e in expected)
    assert want, "a case must expect at least one finding"
    found = reported(materialise(case, tmp_path))
    assert sorted((code, file, line) for code, file, line, _ in found) == want
    columns = [(e["code"], e["file"], e["line"], e["col"]) for e in expected if "col" in e]
    assert [c for c in columns if c not in found] == []


def test_example_program_lints_clean() -> None:
    assert lint_program(EXAMPLE, strict=True).diagnostics == []
