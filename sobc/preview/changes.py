"""`sobc serve --since OLD`: the clinician layer of each program's start page also says what
changed since OLD (a git revision, a folder or a package, as `sobc diff` reads them), in
Swedish, with the word-level diff of reworded text."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..diagnostics import has_errors
from ..diff.change import Change
from ..diff.compare import VersionPolicy, compare_program
from ..diff.rules import ChangeClass
from ..diff.sources import Loaded, UsageProblem, resolve
from ..diff.text import shorten
from ..diff.values import value_lines
from ..model.program import Program

CLASSES_SV = {
    ChangeClass.DATA_BREAKING: "Sparade svar påverkas",
    ChangeClass.SAFETY: "Säkerhet",
    ChangeClass.STRUCTURE: "Struktur",
    ChangeClass.WORDING: "Formulering",
    ChangeClass.COSMETIC: "Formatering",
}
KINDS_SV = {
    "module": "modul",
    "section": "avsnitt",
    "step": "steg",
    "form": "formulär",
    "question": "fråga",
    "option": "svarsalternativ",
    "column": "kolumn",
    "flag": "flagga",
    "activity_plan": "aktivitetsplan",
    "track": "spår",
    "module_choice": "modulval",
    "choice_option": "alternativ",
    "role": "roll",
    "phase": "arbetssätt",
    "checklist": "checklista",
    "guide_section": "avsnitt i guiden",
}
# What each rule of sobc/diff/rules.py means to a clinician (tests: one for every rule).
RULES_SV = {
    "program-removed": "Programmet är borttaget.",
    "module-removed": "Modulen är borttagen.",
    "step-removed": "Steget är borttaget.",
    "form-removed": "Formuläret är borttaget.",
    "question-removed": "Frågan är borttagen; sparade svar på den visas inte längre.",
    "question-type-changed": "Frågans typ är ändrad; sparade svar har den gamla formen.",
    "option-removed": "Svarsalternativet är borttaget; sparade svar med det passar inte längre.",
    "option-value-changed": "Svarsalternativets sparade värde är ändrat.",
    "answer-range-narrowed": "Tillåtna svar är snävare; gamla svar kan hamna utanför.",
    "plan-columns-changed": "Planens kolumner är ändrade.",
    "form-scoring-changed": "Formulärets poängsättning är ändrad.",
    "chart-changed": "Formulärets diagram över tid är ändrade.",
    "activity-plan-removed": "Aktivitetsplanen är borttagen.",
    "activity-plan-form-changed": "Aktivitetsplanen använder ett annat formulär.",
    "track-removed": "Spåret är borttaget.",
    "major-version-not-bumped": "Versionens huvudnummer borde ha höjts.",
    "flag-removed": "Flaggan är borttagen; ingen får längre den signalen.",
    "flag-added": "En ny flagga: någon får en ny signal.",
    "flag-trigger-changed": "Flaggan utlöses vid en annan tidpunkt eller händelse.",
    "flag-recipient-changed": "Flaggan går till någon annan.",
    "flag-message-changed": "Det flaggan säger är omformulerat.",
    "retention-changed": "Gallringen är ändrad.",
    "instrument-wording-changed": "Formuleringen i ett skattningsformulär är ändrad.",
    "emergency-text-changed": "Text om 1177 eller 112 är ändrad.",
    "risk-changed": "En risk, eller vad du ska göra åt den, är ändrad.",
    "contact-changed": "En kontaktuppgift är ändrad.",
    "element-added": "Nytt.",
    "element-removed": "Borttaget (inget sparat påverkas).",
    "element-renamed": "Nytt id; sparade uppgifter förs över.",
    "element-moved": "Flyttat till ett annat avsnitt.",
    "element-reordered": "Ny ordning.",
    "length-changed": "Antal dagar är ändrat.",
    "answer-range-widened": "Tillåtna svar är vidare.",
    "module-flow-changed": "Modulernas ordning eller vem som får modulen är ändrad.",
    "setting-changed": "En inställning är ändrad.",
    "form-scoring-added": "Formuläret räknar nu poäng.",
    "version-not-bumped": "Versionen borde ha ändrats.",
    "text-changed": "Texten är ändrad.",
    "formatting-changed": "Bara formateringen är ändrad.",
    "provenance-changed": "Bara källuppgiften är ändrad.",
}


def _where(change: Change) -> str:
    parts = [f"{KINDS_SV.get(kind, kind)} {ident}" for kind, ident in change.path]
    return " › ".join(parts) or "programmet"


def _row(change: Change) -> dict[str, Any]:
    return {
        "class": CLASSES_SV[change.change_class],
        "where": _where(change),
        "what": RULES_SV[change.rule.id],
        "field": change.field,
        "words": shorten(change.words) if change.words else [],
        "shown": value_lines(change),
        "implied": [_row(c) for c in change.implied],
    }


class Since:
    """OLD, read once when the preview starts; each program is compared with it on request."""

    def __init__(self, operand: str, program_dirs: Sequence[Path]) -> None:
        self.operand = operand
        self._stack = ExitStack()  # a revision's temporary copy lives as long as the preview
        try:
            # a revision is read at the one folder previewed, else at the working directory
            other = str(program_dirs[0]) if len(program_dirs) == 1 else "."
            side = resolve(operand, other, self._stack)
            if has_errors(side.problems):
                raise UsageProblem(
                    f"{operand}: a program there cannot be read (sobc diff shows why)"
                )
        except BaseException:
            self._stack.close()
            raise
        self.programs = side.programs

    def context(self, program: Program) -> dict[str, Any]:
        """What the template shows for one program: OLD, its version there, the changes (None
        when OLD does not hold the program)."""
        old = self.programs.get(program.id)
        if old is None:
            return {"since": self.operand, "version": None, "changes": None}
        as_manifest = old.program is None  # a package: compared on the manifest's ground
        new = Loaded(program=program).tree(as_manifest)
        changes = compare_program(old.tree(as_manifest), new, VersionPolicy.OFF)
        version = old.program.version if old.program else (old.manifest or {})["program"]["version"]
        return {"since": self.operand, "version": version, "changes": [_row(c) for c in changes]}

    def close(self) -> None:
        self._stack.close()
