"""Each folder in tests/lint_cases changes the example program in one way (as tests/cases do for
`sobc validate`) and names the findings (code, file, line, and column where given) `sobc lint`
must report: no more, no fewer. Collected automatically."""

from __future__ import annotations

from pathlib import Path

import pytest

from sobc.lint import lint_program

from .casediff import materialise
from .conftest import EXAMPLE, TESTS
from .test_cases import assert_expected, where

CASES = sorted(p for p in (TESTS / "lint_cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lint_case_reports_exactly_the_expected_findings(case: Path, tmp_path: Path) -> None:
    program = materialise(case, tmp_path)
    assert_expected(case, where(program, lint_program(program).diagnostics))


def test_example_program_lints_clean() -> None:
    assert lint_program(EXAMPLE, strict=True).diagnostics == []
