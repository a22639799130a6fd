"""The linter's rules: each is a function over one program, registered with its family and the
codes it reports, and reports through `Context.report` (positions come from the model's `Ref`s,
as in the checks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..diagnostics import Diagnostic, Location, make
from ..model import Program
from .config import Config
from .texts import Text, texts
from .wordlists import Rules


@dataclass
class Context:
    program: Program
    config: Config
    rules: Rules = field(default_factory=Rules)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @cached_property
    def texts(self) -> list[Text]:
        return list(texts(self.program))

    def report(self, code: str, text: Text, offset: int | None = None, **ctx: Any) -> None:
        """A finding in `text`, at the character `offset` of its value (else at the value)."""
        self.at(code, text.location(offset), text.ref.source_line, **ctx)

    def at(
        self, code: str, location: Location, source_line: Callable[[Location], str], **ctx: Any
    ) -> None:
        if code not in self.config.disable:
            self.diagnostics.append(make(code, location, source_line(location), **ctx))


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
