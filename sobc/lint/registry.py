"""The linter's rules: each is a function over one program, registered with its family and the
codes it reports, and reports through `Context.report` (positions come from the model's `Ref`s,
as in the checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Diagnostic, Location, make
from ..model.program import Program, Step
from .config import Config
from .texts import Text, texts
from .wordlists import Rules


@dataclass(frozen=True)
class Finding:
    """A diagnostic and the step whose page it is about (None: not a step's text)."""

    diagnostic: Diagnostic
    step: Step | None = None


@dataclass
class Context:
    program: Program
    config: Config
    rules: Rules = field(default_factory=Rules)
    findings: list[Finding] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [f.diagnostic for f in self.findings]

    @cached_property
    def texts(self) -> list[Text]:
        return list(texts(self.program))

    @cached_property
    def _by_step(self) -> dict[int, list[Text]]:
        found: dict[int, list[Text]] = {}
        for text in self.texts:
            if text.step is not None:
                found.setdefault(id(text.step), []).append(text)
        return found

    @cached_property
    def _by_form(self) -> dict[str, list[Text]]:
        found: dict[str, list[Text]] = {}
        for text in self.texts:
            if text.form is not None:
                found.setdefault(text.form, []).append(text)
        return found

    def step_texts(self, step: Step) -> list[Text]:
        """The texts of a step (its title, body, recording, note for the clinician)."""
        return self._by_step.get(id(step), [])

    def form_texts(self, form: str) -> list[Text]:
        return self._by_form.get(form, [])

    def report(self, code: str, text: Text, offset: int | None = None, **ctx: Any) -> None:
        """A finding in `text`, at the character `offset` of its value (else at the value)."""
        self.at(code, text.location(offset), text.ref.source_line, step=text.step, **ctx)

    def at(
        self,
        code: str,
        location: Location,
        source_line: Callable[[Location], str],
        step: Step | None = None,
        **ctx: Any,
    ) -> None:
        if code not in self.config.disable:
            found = make(code, location, source_line(location), **ctx)
            self.findings.append(Finding(found, step))


@dataclass(frozen=True)
class Rule:
    family: str  # readability, language, accessibility, personal data, workload
    codes: tuple[str, ...]
    check: Callable[[Context], None]


RULES: list[Rule] = []


def rule(
    family: str, *codes: str
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register a rule of `family` that reports `codes`."""

    def register(check: Callable[[Context], None]) -> Callable[[Context], None]:
        RULES.append(Rule(family, codes, check))
        return check

    return register


def codes() -> set[str]:
    return {code for r in RULES for code in r.codes}
