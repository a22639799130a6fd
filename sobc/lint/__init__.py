"""`sobc lint`: what validation does not decide — readability of patient text (LIX), klarspråk
and Svenska skrivregler, content accessibility, personal data in content, and workload
(docs/lint.md). A program is loaded and validated first; the rules then read the model of every
part that could be read, never the YAML.

One module per family of rules (`readability`, `language`, `access`, `personal`, `workload`),
each rule registered in `registry.RULES` with the codes it reports (SOBC500–SOBC599).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..check.validation import validate_program
from ..diagnostics import Diagnostic, Severity
from ..model.program import Program
from . import access, language, personal, readability, workload  # noqa: F401  (they register)
from . import config as settings
from .readability import step_lix
from .registry import RULES, Context, codes
from .summary import ModuleSummary, PlanSummary, program_median, summarise, summarise_plans
from .wordlists import read_rules
from .workload import step_time


@dataclass
class ProgramLint:
    folder: Path
    program: Program | None
    diagnostics: list[Diagnostic]
    modules: list[ModuleSummary] = field(default_factory=list)
    median_lix: float | None = None
    plans: list[PlanSummary] = field(default_factory=list)


@dataclass
class LintResult:
    programs: list[ProgramLint] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for p in self.programs for d in p.diagnostics]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def lint_program(folder: Path, *, strict: bool = False) -> ProgramLint:
    """The validation problems of a program and the linter's findings in what could be read."""
    loaded, problems = validate_program(folder)
    config, config_problems = settings.load(folder, codes())
    rules, rules_problems = read_rules(config.rules)
    problems += config_problems + rules_problems
    program = loaded.program or loaded.partial
    outcome = ProgramLint(folder, program, problems)
    if program is not None:
        ctx = Context(program, config, rules)
        for r in RULES:
            r.check(ctx)
        problems += ctx.diagnostics
        outcome.modules = summarise(ctx)
        outcome.plans = summarise_plans(ctx)
        outcome.median_lix = program_median(ctx)
    if strict:
        problems = [replace(d, severity=Severity.ERROR) for d in problems]
    outcome.diagnostics = sorted(problems, key=Diagnostic.sort_key)
    return outcome


@dataclass(frozen=True)
class StepLint:
    """What the linter says about one step's page (the preview shows it beside the step)."""

    findings: list[Diagnostic]
    lix: float | None  # None: too few words to score
    reading_minutes: float
    viewing_minutes: float


def lint_steps(program: Program) -> dict[tuple[str, str], StepLint]:
    """Each step's findings, LIX and time, by (module id, step id), for a program already loaded
    and validated (the preview's); the settings and rules files' own problems are left to
    `sobc lint`."""
    config, _ = settings.load(program.root, codes())
    rules, _ = read_rules(config.rules)
    ctx = Context(program, config, rules)
    for r in RULES:
        r.check(ctx)
    found: dict[int, list[Diagnostic]] = {}
    for finding in sorted(ctx.findings, key=lambda f: f.diagnostic.sort_key()):
        if finding.step is not None:
            found.setdefault(id(finding.step), []).append(finding.diagnostic)
    steps = {}
    for module in program.modules:
        for step in module.steps:
            score, time = step_lix(ctx, step), step_time(ctx, step)
            lix = score.value if score.words >= config.lix_min_words else None
            reading = time.reading(config.words_per_minute)
            steps[module.id, step.id] = StepLint(
                found.get(id(step), []), lix, reading, time.viewing
            )
    return steps


def lint(folders: Sequence[str | os.PathLike[str]], *, strict: bool = False) -> LintResult:
    return LintResult([lint_program(Path(f), strict=strict) for f in folders])
