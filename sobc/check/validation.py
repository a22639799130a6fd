"""Validation of whole programs: load, then the semantic checks, collecting every problem."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Diagnostic, Severity
from ..read.loader import LoadResult, load
from .rules import check


@dataclass
class ValidationResult:
    programs: list[LoadResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0


def validate_program(folder: Path, *, strict: bool = False) -> tuple[LoadResult, list[Diagnostic]]:
    result = load(folder)
    problems = list(result.diagnostics)
    readable = result.program or result.partial  # every part that could be read is checked
    if readable is not None:
        problems.extend(check(readable))
    if strict:
        problems = [replace(d, severity=Severity.ERROR) for d in problems]
    return result, sorted(problems, key=Diagnostic.sort_key)


def validate(
    folders: Sequence[str | os.PathLike[str]], *, strict: bool = False
) -> ValidationResult:
    """Validate each program folder, and the site file beside them (`site.py`); warnings count
    as errors with strict."""
    from ..paths import site_folder
    from .site import load_site

    outcome = ValidationResult()
    for folder in folders:
        result, problems = validate_program(Path(folder), strict=strict)
        outcome.programs.append(result)
        outcome.diagnostics.extend(problems)
    site = site_folder([Path(f) for f in folders])
    if site is not None:
        outcome.diagnostics.extend(load_site(site)[1])
    return outcome
