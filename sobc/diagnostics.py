"""The one problem type every stage returns, and the table of stable codes it is made from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# A path into a parsed file: the keys and list indexes from its root to a value.
JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Code:
    severity: Severity
    title: str
    template: str
    hint: str = ""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location | None
    hint: str = ""
    source_line: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.col, self.code)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": loc.path if loc else None,
            "line": loc.line if loc else None,
            "col": loc.col if loc else None,
            "hint": self.hint or None,
        }


E, W = Severity.ERROR, Severity.WARNING

# Codes are stable: never renumber or reuse one. docs/diagnostics.md documents each.
CODES: dict[str, Code] = {
    # 0xx: reading files
    "SOBC001": Code(E, "file cannot be read", "cannot read the file: {reason}"),
    "SOBC002": Code(
        E,
        "file too large",
        "the file is {size} bytes, over the limit of {limit}",
        "split the content into more modules or forms",
    ),
    "SOBC003": Code(
        E, "not UTF-8", "the file is not valid UTF-8 ({reason})", "save the file as UTF-8"
    ),
    "SOBC004": Code(E, "YAML syntax error", "YAML syntax error: {reason}", "{hint}"),
    "SOBC005": Code(E, "empty file", "the file is empty", "a {kind} file starts with its keys"),
    "SOBC006": Code(
        E,
        "top level is not a mapping",
        "the top level of the file must be a mapping of keys, not {found}",
    ),
    "SOBC007": Code(
        E,
        "duplicate key",
        "duplicate key '{key}' (first defined on line {first_line})",
        "YAML would silently keep only the last value; remove or rename one of them",
    ),
    "SOBC008": Code(
        E,
        "anchor or alias",
        "YAML {what} are not allowed",
        "write the content out in full; anchors and aliases make content hard to review",
    ),
    "SOBC009": Code(
        E,
        "explicit tag",
        "YAML tag '{tag}' is not allowed",
        "remove the tag; quote the value if it must be text",
    ),
    "SOBC010": Code(
        E,
        "nesting too deep",
        "nesting is deeper than {limit} levels",
        "no program needs this depth; check the indentation",
    ),
    "SOBC011": Code(
        E, "several documents", "the file holds more than one YAML document", "remove the '---'"
    ),
    "SOBC012": Code(
        E,
        "key is not text",
        "a mapping key must be plain text, not a {found}",
    ),
    "SOBC013": Code(
        E,
        "unsupported number",
        "'{value}' is not a number sobc can store ({reason})",
        "quote it if it is meant as text",
    ),
    "SOBC014": Code(
        E,
        "'?' in unquoted text inside brackets",
        "unquoted text inside {{…}} or […] cannot hold '?': YAML readers disagree on where it ends",
        "put the text in quotes: {quoted}",
    ),
    # 1xx: schema
    "SOBC100": Code(E, "schema violation", "{message}"),
    "SOBC101": Code(E, "unknown key", "unknown key '{key}' in {where}", "{suggestion}"),
    "SOBC102": Code(E, "missing key", "missing required key '{key}' in {where}"),
    "SOBC103": Code(E, "wrong type", "{what} must be {expected}, not {found}", "{suggestion}"),
    "SOBC104": Code(E, "value not allowed", "'{value}' is not allowed here", "{suggestion}"),
    "SOBC105": Code(E, "malformed value", "'{value}' is not a valid {what}", "{suggestion}"),
    "SOBC106": Code(E, "out of range", "{what} {problem}"),
    "SOBC107": Code(E, "key does not apply", "key '{key}' does not apply here", "{suggestion}"),
    "SOBC108": Code(E, "repeated list item", "{what} lists the same item more than once"),
    # 2xx: program layout
    "SOBC200": Code(
        E,
        "not a program folder",
        "no program.yaml in {folder}",
        "a program folder holds program.yaml, modules/ and forms/",
    ),
    "SOBC201": Code(
        E,
        "module file missing",
        "module '{id}' is listed but {file} does not exist",
        "create the file or remove the id from modules",
    ),
    "SOBC202": Code(
        E,
        "module not listed",
        "module file {file} is not listed in program.yaml's modules",
        "add '{id}' to modules in program.yaml, or delete the file",
    ),
    "SOBC203": Code(
        E,
        "bad file name",
        "the file name '{name}' is not a valid id",
        "use lowercase letters, digits and hyphens, ending in .yaml",
    ),
    "SOBC204": Code(
        E,
        "program id does not match folder",
        "program id '{id}' does not match its folder name '{folder}'",
        "the id must equal the folder name",
    ),
    "SOBC205": Code(
        W,
        "stray file",
        "{file} is not a YAML file and is ignored",
        "move it to media/ or delete it",
    ),
    # 3xx: semantic checks
    "SOBC301": Code(
        E, "duplicate id", "{kind} id '{id}' is used twice (first on line {first_line})"
    ),
    "SOBC302": Code(
        E, "unknown form", "{referrer} refers to form '{id}', which does not exist", "{suggestion}"
    ),
    "SOBC303": Code(
        E,
        "unknown module",
        "{referrer} refers to module '{id}', which does not exist",
        "{suggestion}",
    ),
    "SOBC304": Code(
        E,
        "unknown track",
        "{referrer} refers to track '{id}', which does not exist",
        "{suggestion}",
    ),
    "SOBC305": Code(
        E, "unknown role", "{referrer} refers to role '{id}', which does not exist", "{suggestion}"
    ),
    "SOBC306": Code(
        E,
        "bad condition question",
        "question '{question}' is shown when '{id}' {problem}",
        "enable_when refers to an earlier question in the same form",
    ),
    "SOBC307": Code(
        E,
        "impossible condition value",
        "question '{question}' is shown when '{target}' is {value}, which it can never be",
        "{suggestion}",
    ),
    "SOBC308": Code(
        E,
        "module flow cycle",
        "the module flow goes round in a circle: {cycle}",
        "'next' must always lead forward",
    ),
    "SOBC309": Code(
        E,
        "retention too long",
        "patient data would be kept {days} days; the law allows at most 730 (two years)",
        "set max_days to 730 or less",
    ),
    "SOBC310": Code(E, "media file missing", "{referrer} refers to {file}, which does not exist"),
    "SOBC311": Code(
        E,
        "media path outside program",
        "{referrer} refers to {file}, which lies outside the program's media folder",
        "{suggestion}",
    ),
    "SOBC312": Code(
        W,
        "unused form",
        "form '{id}' is not used by any step, module or activity plan",
        "use it in a step, list it in a module's standalone_forms, or delete it",
    ),
    "SOBC313": Code(E, "inconsistent limits", "{what}: {problem}"),
    "SOBC314": Code(E, "module refers to itself", "module '{id}' lists itself in {key}"),
    "SOBC315": Code(
        E,
        "duplicate module",
        "module '{id}' is listed twice in modules (first on line {first_line})",
    ),
    "SOBC316": Code(
        E,
        "duplicate answer value",
        "answer value '{value}' is used twice in question '{question}'",
        "each alternative stores a different value",
    ),
    "SOBC317": Code(
        W,
        "flag can never fire",
        "flag '{id}' can never fire: {reason}",
    ),
    "SOBC318": Code(
        E,
        "image without alt text",
        "{referrer} shows an image without alternative text",
        "write what the image shows between the brackets: ![text](media/file.png)",
    ),
    "SOBC319": Code(
        E,
        "program ends outside retention",
        "the program's recommended length of {length} days exceeds the retention of {days}",
    ),
    "SOBC320": Code(
        E,
        "exclusive option outside multiple choice",
        "option '{value}' of {where} is exclusive, which only a multiple_choice question can use",
        "remove exclusive: a single choice excludes the other alternatives anyway",
    ),
    "SOBC321": Code(
        E,
        "unusable address",
        "{referrer} links to '{address}', which a page cannot link to",
        "use an https address, or a file under media/",
    ),
    "SOBC322": Code(
        E,
        "media file not published",
        "{file} cannot be published: {reason}",
        "sobc publishes {kinds}",
    ),
    "SOBC323": Code(
        E,
        "media files share a published name",
        "{file} and {other} would both be published as {name}",
        "rename one of them: names are published without accents, spaces or capitals",
    ),
    "SOBC324": Code(
        W,
        "unused media file",
        "{file} is not used by the program and is not published",
        "refer to it from a step, or delete it",
    ),
    "SOBC325": Code(
        E,
        "media path names no file",
        "{file} cannot be the name of a file: {reason}",
        "remove the character from the address",
    ),
    "SOBC330": Code(
        W,
        "raw HTML shown as text",
        "{referrer} holds HTML '{html}', which the page shows as text",
        "{suggestion}",
    ),
    "SOBC331": Code(
        E,
        "unknown page",
        "{referrer} links to the page '{address}', which does not exist",
        "{suggestion}",
    ),
    "SOBC332": Code(
        E,
        "score that counts nowhere",
        "option '{value}' of question '{question}' has a score, but {reason}",
        "{suggestion}",
    ),
    "SOBC333": Code(
        E,
        "question cannot be scored",
        "{referrer} names question '{id}', which {problem}",
        "{suggestion}",
    ),
    "SOBC334": Code(
        E,
        "option without a score",
        "option '{value}' of question '{question}' has no score, but total '{total}' counts it",
        "give every option of a scored question a score (0 when it adds nothing)",
    ),
    "SOBC335": Code(
        E,
        "bands do not cover the total",
        "the bands of total '{total}' {problem}",
        "the bands must run from {low} to {high}, each starting one above where the last ended",
    ),
    "SOBC336": Code(
        E,
        "instrument changed",
        "form '{form}' is the published instrument {name}, but its wording, options or scores "
        "differ from the recorded fingerprint {recorded}",
        "undo the change; if the instrument's publisher changed it, set fingerprint: {actual}",
    ),
    "SOBC337": Code(
        E,
        "total of nothing",
        "total '{total}' of form '{form}' counts no question: the form has no {scored} question",
        "add the questions the total sums, or remove the scoring",
    ),
    "SOBC338": Code(
        E,
        "chart of no total",
        "a chart of form '{form}' follows the total '{total}', which {problem}",
        "{suggestion}",
    ),
    "SOBC339": Code(
        E,
        "chart leaves out a band",
        "the chart of total '{total}' runs from {low} to {high}, which does not hold {what}",
        "give the chart an axis from {need_low} to {need_high} or wider, or leave min and max "
        "out (the total's range)",
    ),
    "SOBC340": Code(
        E,
        "unknown activity plan",
        "{referrer} refers to activity plan '{id}', which does not exist",
        "{suggestion}",
    ),
    "SOBC341": Code(
        W,
        "plan cannot be missed that often",
        "flag '{id}' waits for {count} missed due dates of plan '{plan}' in a row, but {reason}",
        "{suggestion}",
    ),
    "SOBC342": Code(
        E,
        "unknown score",
        "flag '{id}' watches the score '{score}' of form '{form}', which {problem}",
        "{suggestion}",
    ),
    "SOBC343": Code(
        E,
        "score trigger without a limit",
        "flag '{id}' fires on a score of form '{form}' but gives neither at_least nor at_most",
        "say from which score it fires (at_least: 10) or up to which (at_most: 2); to be told "
        "of every submission, use type: form_submitted",
    ),
    "SOBC344": Code(
        E,
        "rename from an id still in use",
        "renamed_from names '{old}', which is still the {what} here",
        "renamed_from is the id (an option: the value) in the previous version; remove it, "
        "or rename what still has it",
    ),
    "SOBC345": Code(
        E,
        "unknown answered question",
        "flag '{id}' fires on an answer to question '{question}' of form '{form}', which {problem}",
        "{suggestion}",
    ),
    "SOBC346": Code(
        E,
        "answer the question cannot have",
        "flag '{id}' fires when question '{question}' is answered {value}, which it can never "
        "be: {reason}",
        "{suggestion}",
    ),
    "SOBC347": Code(
        E,
        "answer trigger without one way to match",
        "flag '{id}' fires on question '{question}' of form '{form}' but {problem}",
        "list the answers that fire it (answers: [ofta]) or, for a number, scale, time or date "
        "question, a range (at_least, at_most), not both",
    ),
    "SOBC348": Code(
        W,
        "chart of a form collected once",
        "form '{form}' has a chart, but {problem}: a chart over time would show one point",
        "collect the form repeatedly (an activity plan, or more than one step), or remove "
        "the chart",
    ),
    # 37x: choices between modules, checklists
    "SOBC370": Code(
        E,
        "module in two choices",
        "module '{id}' is already an option of {where} (line {first_line})",
        "a module is an alternative in one choice only: remove one of the two",
    ),
    "SOBC371": Code(
        E,
        "choice of one module",
        "module choice '{id}' offers {count}, but a choice needs at least two modules",
        "add the alternative modules, or remove the choice and let the module stand alone",
    ),
    "SOBC372": Code(
        E,
        "choice split by tracks",
        "in track '{track}', module choice '{choice}' offers '{present}' but not '{absent}'",
        "give the modules of a choice the same tracks (a module without tracks is in every track)",
    ),
    "SOBC373": Code(
        E,
        "choice with mixed visibility",
        "module '{id}' of module choice '{choice}' {problem}",
        "{suggestion}",
    ),
    "SOBC374": Code(
        W,
        "next bypasses a choice",
        "'next' of module '{module}' leads to '{id}' but not to {missing} of module choice "
        "'{choice}', so the choice is skipped",
        "list every module of the choice in next, so that the choice decides, or none of them",
    ),
    "SOBC375": Code(
        E,
        "alternatives linked",
        "module '{module}' lists '{id}' in {key}, but both are options of module choice "
        "'{choice}': a patient gets only one of them",
        "remove '{id}' from {key}",
    ),
    "SOBC376": Code(
        E,
        "empty checklist",
        "checklist '{id}' has no points",
        "add items, or groups of items under sub-headings (groups)",
    ),
    "SOBC377": Code(
        E,
        "unknown question in a flow",
        "'next' of module '{module}' leads to '{target}' when question '{question}' of form "
        "'{form}' is answered, but the question {problem}",
        "{suggestion}",
    ),
    "SOBC378": Code(
        E,
        "flow condition that never holds",
        "'next' of module '{module}' leads to '{target}' when '{question}' is {value}, which it "
        "can never be: {reason}",
    ),
    "SOBC379": Code(
        W,
        "end never reached",
        "module '{module}' says the program ends when no module of next holds, but "
        "'{target}' comes next without a condition, so one always holds",
        "give '{target}' a condition (module: {target}, when: …), or remove end: true",
    ),
    "SOBC380": Code(
        E,
        "theme colours too alike",
        "theme colour {fore_key} {fore} on {back_key} {back} ({where}) has a contrast of "
        "{ratio}:1; WCAG 2.1 AA needs {minimum}:1",
        "make {key} darker or lighter until the pair reaches {minimum}:1",
    ),
    "SOBC382": Code(
        E,
        "computed value cannot be computed",
        "computed value '{id}': {problem}",
        "docs/authoring.md, Computed values, has the language: + - * / ( ), numbers, names of "
        "number, scale and time questions and earlier values, minutes_between, min, max",
    ),
    "SOBC383": Code(
        E,
        "computed value's id taken",
        "computed value '{id}' of form '{form}' has the id of {what} of the form",
        "give it an id of its own: flags and expressions name it",
    ),
    "SOBC384": Code(
        E,
        "bands of a computed value out of order",
        "band '{label}' of computed value '{id}' {problem}",
        "give the bands in order, each from its min to its max, within the value's min and max",
    ),
    "SOBC385": Code(
        E,
        "adjustable setting that cannot hold",
        "flag '{id}' lets the clinician adjust {key}, but {problem}",
        "give each adjustable key of the trigger a min and max around the value written in "
        "the trigger, within the key's own range",
    ),
    "SOBC386": Code(
        E,
        "heading of a point out of place",
        "option heading '{group}': {problem}",
        "give headings (group) only to a checklist's points, and keep the points of one heading "
        "together",
    ),
    # 5xx: sobc lint (docs/lint.md)
    "SOBC500": Code(
        E,
        "lint settings problem",
        "{problem}",
        "see docs/lint.md for sobc-lint.yaml and rules files",
    ),
    "SOBC501": Code(
        W,
        "step hard to read",
        "step '{step_id}' has LIX {lix}, above {limit} ({words} words, {sentences} sentences, "
        "{long}% long words)",
        'shorter sentences and everyday words; the longest sentence: "{longest}"',
    ),
    "SOBC502": Code(
        W,
        "long sentence",
        "a sentence of {words} words (more than {limit})",
        "split it: one thing per sentence",
    ),
    "SOBC510": Code(
        W,
        "bureaucratic word",
        "'{found}' is a bureaucratic word",
        "write '{use}' ({source})",
    ),
    "SOBC511": Code(
        W,
        "abbreviation form",
        "'{found}' is not how the abbreviation is written",
        "write '{use}', or the words in full ({source})",
    ),
    "SOBC512": Code(
        W,
        "link text says nothing",
        "the link text '{words}' does not say where the link leads",
        "name the target in the link: [Läs om sömn](…) ({source})",
    ),
    "SOBC513": Code(
        W,
        "web address as text",
        "the address {address} is {how}",
        "make a link whose text names the target: [1177 om sömn](https://…)",
    ),
    "SOBC514": Code(
        W,
        "words in capitals",
        "'{word}' is written in capitals",
        "capitals are hard to read and read as shouting; use bold for emphasis "
        "(Myndigheternas skrivregler); add an acronym in a rules file",
    ),
    "SOBC515": Code(
        W,
        "exclamation mark in clinician text",
        "an exclamation mark in clinician text ({where})",
        "state it plainly; put what must not be missed first (Myndigheternas skrivregler)",
    ),
    "SOBC520": Code(
        W,
        "heading level skipped",
        "a level-{level} heading follows a level-{previous} one",
        "use one level below the heading before: a heading per level, in order",
    ),
    "SOBC521": Code(
        W,
        "file name as description",
        "the description '{alt}' is the file's name",
        "write what the image or recording shows",
    ),
    "SOBC522": Code(
        W,
        "video without captions",
        "step '{step_id}' shows a video without captions",
        "add captions: media/<name>.vtt",
    ),
    "SOBC523": Code(
        W,
        "audio without transcript",
        "step '{step_id}' plays a recording without a transcript",
        "add a transcript: media/<name>.md",
    ),
    "SOBC524": Code(
        W,
        "table without header row",
        "the table's header row is empty",
        "name each column in the first row",
    ),
    "SOBC525": Code(
        W,
        "placeholder link",
        "the link to '{address}' is a placeholder",
        "link to the real page, or remove the link",
    ),
    "SOBC526": Code(
        W,
        "same link text, other target",
        "the link text '{words}' leads elsewhere on the same page (first to {first})",
        "give links to different places different texts",
    ),
    "SOBC530": Code(
        E,
        "identity number in content",
        "a Swedish {kind} in content published to every patient",
        "remove it: content must hold no one's personal data",
    ),
    "SOBC531": Code(
        E,
        "e-mail address in content",
        "the e-mail address {address} in content published to every patient",
        "put contacts under support in program.yaml (name, role, email)",
    ),
    "SOBC532": Code(
        E,
        "phone number in content",
        "the phone number {number} in content published to every patient",
        "put contacts under support in program.yaml (name, role, phone)",
    ),
    "SOBC540": Code(
        W,
        "weekly workload too high",
        "module '{module}' asks about {weekly} minutes a week, above {budget} "
        "({total} minutes of reading and recordings over {days} days{plans})",
        "shorten steps, make some selectable, or give the module more days",
    ),
    "SOBC541": Code(
        W,
        "duration not understood",
        "the duration '{duration}' cannot be read as a time",
        "write it as '5 minuter', 'cirka 1 timme' or '3:30'",
    ),
}


def make(code: str, location: Location | None, source_line: str = "", **context: Any) -> Diagnostic:
    """Build a diagnostic from the code table; templates are filled from context."""
    spec = CODES[code]
    message = spec.template.format(**context)
    hint = spec.hint.format(**context) if spec.hint else ""
    return Diagnostic(code, spec.severity, message, location, hint, source_line)


def readable(text: str) -> str:
    """`text` that can be written as UTF-8: the bytes of a file name that are not UTF-8 (which
    Python holds as lone surrogates, and would write out as they are, making the output
    invalid UTF-8) written as `\\xNN`, so the name can still be told."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
