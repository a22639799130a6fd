"""`sobc diff`: one fixture per rule. Each is the example program (OLD) and a copy with one
small edit (NEW); the test asserts the rule, its class and where in NEW it is reported."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sobc.diff import RULES, diff
from sobc.diff.change import Change
from sobc.diff.compare import compare_program
from sobc.diff.rules import BY_ID
from sobc.diff.tree import Node

from .conftest import EXAMPLE

Edit = tuple[str, str, str]  # file, text, replacement (the text must occur once)


@dataclass(frozen=True)
class Fixture:
    rule: str
    edits: tuple[Edit, ...]  # made to NEW
    file: str  # where in NEW the change is reported
    line: int | str  # a number, or text that occurs once in NEW: the line it starts on
    both: tuple[Edit, ...] = ()  # made to OLD and NEW alike, before


# The example's scored form without its instrument block, so that its scoring may change.
_MABRA = (EXAMPLE / "forms" / "mabra.yaml").read_text("utf-8")
UNPUBLISHED = (
    ("forms/mabra.yaml", _MABRA[_MABRA.index("instrument:") : _MABRA.index("scoring:")], ""),
)
EXTRA_PLAN = (
    "  - id: extra\n    title: Extra\n    form: veckologg\n    activation: clinician\n"
    "    schedule: {every: day}\n"
)
FIXTURES = [
    Fixture(
        "module-removed",
        (("program.yaml", "  - fordjupning\n", ""), ("modules/fordjupning.yaml", "", "")),
        "program.yaml",
        "  - kom-igang\n  - grunder",
    ),
    Fixture(
        "step-removed",
        (
            (
                "modules/grunder.yaml",
                "      - id: paus\n        title: Dags för paus\n        type: pause\n",
                "",
            ),
        ),
        "modules/grunder.yaml",
        19,
    ),
    # a removal is reported where the list that held it is (a form's: the program itself)
    Fixture("form-removed", (("forms/veckologg.yaml", "", ""),), "program.yaml", 2),
    Fixture(
        "question-removed",
        (
            (
                "forms/veckologg.yaml",
                "  - id: kommentar\n    type: short_text\n    text: Kommentar\n"
                "    max_length: 200\n",
                "",
            ),
        ),
        "forms/veckologg.yaml",
        4,
    ),
    Fixture(
        "question-type-changed",
        (
            (
                "forms/veckologg.yaml",
                "type: short_text\n    text: Kommentar",
                "type: long_text\n    text: Kommentar",
            ),
        ),
        "forms/veckologg.yaml",
        15,
    ),
    Fixture(
        "option-removed",
        (("forms/fragor.yaml", "      - {value: c, label: Sömnsvårigheter}\n", ""),),
        "forms/fragor.yaml",
        23,
    ),
    Fixture(
        "option-value-changed",
        (
            (
                "forms/fragor.yaml",
                "{value: b, label: Oro}",
                "{value: oro, label: Oro, renamed_from: b}",
            ),
        ),
        "forms/fragor.yaml",
        24,
    ),
    Fixture(
        "answer-range-narrowed",
        (("forms/veckologg.yaml", "max: 21", "max: 14"),),
        "forms/veckologg.yaml",
        9,
    ),
    Fixture(
        "plan-columns-changed",
        (("forms/fragor.yaml", "      - {id: datum, type: date, text: Datum}\n", ""),),
        "forms/fragor.yaml",
        44,
    ),
    Fixture(
        "activity-plan-removed",
        (("program.yaml", EXTRA_PLAN, ""),),
        "program.yaml",
        "  - id: veckologg\n",
        both=(("program.yaml", "activity_plans:\n", "activity_plans:\n" + EXTRA_PLAN),),
    ),
    Fixture(
        "activity-plan-form-changed",
        (("program.yaml", "    form: veckologg\n", "    form: fragor\n"),),
        "program.yaml",
        "    form: fragor\n",
    ),
    Fixture(
        "track-removed",
        (("program.yaml", "  - id: spar-b\n    title: Spår B\n", ""),),
        "program.yaml",
        "  - id: spar-a\n",
    ),
    Fixture(
        "flag-removed",
        (
            (
                "program.yaml",
                "  - id: paminnelse\n    title: Påminnelse\n"
                "    trigger: {type: inactivity, days: 7}\n"
                "    adjustable: {days: {min: 7, max: 21}}\n"
                "    recipient: patient\n    message: Det var ett tag sedan du loggade in.\n",
                "",
            ),
        ),
        "program.yaml",
        "  - id: startat\n",
    ),
    Fixture(
        "flag-trigger-changed",
        (("program.yaml", "days: 7}", "days: 14}"),),
        "program.yaml",
        "days: 14}",
    ),
    Fixture(
        "flag-recipient-changed",
        (
            (
                "program.yaml",
                "recipient: patient\n    message: Ditt",
                "recipient: clinician\n    message: Ditt",
            ),
        ),
        "program.yaml",
        "recipient: clinician\n    message: Ditt",
    ),
    Fixture(
        "retention-changed",
        (("program.yaml", "max_days: 730", "max_days: 365"),),
        "program.yaml",
        "max_days: 365",
    ),
    Fixture(
        "instrument-wording-changed",
        (("forms/mabra.yaml", "känt dig orolig?", "varit orolig?"),),
        "forms/mabra.yaml",
        22,
        both=UNPUBLISHED,
    ),
    Fixture(
        "emergency-text-changed",
        (("modules/kom-igang.yaml", "Läs mer på [1177]", "Läs mer på [Vårdguiden]"),),
        "modules/kom-igang.yaml",
        12,
    ),
    Fixture(
        "contact-changed",
        (("program.yaml", "url: https://www.1177.se", "url: https://www.1177.se/kontakt"),),
        "program.yaml",
        "url: https://www.1177.se/kontakt",
    ),
    Fixture(
        "element-added",
        (
            (
                "modules/grunder.yaml",
                "        type: pause\n",
                "        type: pause\n      - id: mer\n        title: Mer\n        type: text\n"
                "        body: Mer text.\n",
            ),
        ),
        "modules/grunder.yaml",
        43,
    ),
    Fixture(
        "element-removed",
        (
            (
                "forms/fragor.yaml",
                "  - id: info\n    type: info\n    text: Tack för dina svar!\n",
                "",
            ),
        ),
        "forms/fragor.yaml",
        5,
    ),
    Fixture(
        "element-renamed",
        (
            (
                "modules/grunder.yaml",
                "      - id: introduktion\n",
                "      - id: intro\n        renamed_from: introduktion\n",
            ),
        ),
        "modules/grunder.yaml",
        22,
    ),
    Fixture(
        "element-moved",
        (
            (
                "modules/grunder.yaml",
                "      - id: paus\n",
                "  - id: del-2\n    title: Grunder del 2\n    steps:\n      - id: paus\n",
            ),
        ),
        "modules/grunder.yaml",
        43,
    ),
    Fixture(
        "element-reordered",
        (
            (
                "forms/fragor.yaml",
                "      - {value: a, label: Trötthet}\n      - {value: b, label: Oro}\n",
                "      - {value: b, label: Oro}\n      - {value: a, label: Trötthet}\n",
            ),
        ),
        "forms/fragor.yaml",
        16,
    ),
    Fixture(
        "length-changed",
        (("modules/grunder.yaml", "length_days: 90", "length_days: 60"),),
        "modules/grunder.yaml",
        5,
    ),
    Fixture(
        "answer-range-widened",
        (("forms/veckologg.yaml", "max: 21", "max: 30"),),
        "forms/veckologg.yaml",
        9,
    ),
    Fixture(
        "module-flow-changed",
        (("modules/kom-igang.yaml", "visibility: always", "visibility: activated"),),
        "modules/kom-igang.yaml",
        3,
    ),
    Fixture(
        "setting-changed",
        (
            (
                "forms/fragor.yaml",
                "    required: true\n    options:\n      - {value: ja",
                "    required: false\n    options:\n      - {value: ja",
            ),
        ),
        "forms/fragor.yaml",
        8,
    ),
    Fixture(
        "text-changed",
        (("modules/grunder.yaml", "Lite text om grunderna.", "Lite mer text om grunderna."),),
        "modules/grunder.yaml",
        26,
    ),
    Fixture(
        "version-not-bumped",
        (("modules/grunder.yaml", "Lite text om grunderna.", "Lite mer text om grunderna."),),
        "program.yaml",
        4,
    ),
    Fixture(
        "major-version-not-bumped",
        (("forms/veckologg.yaml", "max: 21", "max: 14"),),
        "program.yaml",
        4,
    ),
    Fixture(
        "formatting-changed",
        (
            (
                "modules/kom-igang.yaml",
                "ta gärna en stund för\n          [andn",
                "ta gärna en stund\n          för   [andn",
            ),
        ),
        "modules/kom-igang.yaml",
        14,
    ),
]
RISKS = (
    "risks:\n  - risk: Patienten mår sämre.\n    action: Ring patienten samma dag.\nretention:\n"
)
SOURCED = ('version: "1.0"\n', 'version: "1.0"\nsource: {document: Exempeldokumentet, page: 3}\n')
FIXTURES += [
    Fixture(
        "flag-added",
        (
            (
                "program.yaml",
                "activity_plans:\n",
                "  - id: svara-besvar\n    title: Svåra besvär\n"
                "    trigger: {type: form_scored, form: mabra, score: summa, at_least: 8}\n"
                "    recipient: clinician\n    message: Ring patienten.\nactivity_plans:\n",
            ),
        ),
        "program.yaml",
        "  - id: svara-besvar\n",
    ),
    Fixture(
        "flag-message-changed",
        (("program.yaml", "Ditt program har startat.", "Ditt program har nu startat."),),
        "program.yaml",
        "Ditt program har nu startat.",
    ),
    Fixture(
        "risk-changed",
        (("program.yaml", "Ring patienten samma dag.", "Skriv till patienten inom en vecka."),),
        "program.yaml",
        "    action: Skriv till",
        both=(("program.yaml", "retention:\n", RISKS),),
    ),
    Fixture(
        "form-scoring-added",
        (
            (
                "forms/fragor.yaml",
                'number: "01.3"\n',
                'number: "01.3"\nscoring:\n  totals:\n    - id: formaga-total\n'
                "      title: Förmåga\n      questions: [formaga]\n",
            ),
        ),
        "forms/fragor.yaml",
        "    - id: formaga-total\n",
    ),
    Fixture(
        "provenance-changed",
        (("program.yaml", "page: 3}", "page: 4}"),),
        "program.yaml",
        "source: {document",
        both=(("program.yaml", *SOURCED),),
    ),
]
FIXTURES.append(
    Fixture(
        "form-scoring-changed",
        (
            ("forms/mabra.yaml", "{min: 3, max: 5,", "{min: 3, max: 4,"),
            ("forms/mabra.yaml", "{min: 6, max: 9,", "{min: 5, max: 9,"),
        ),
        "forms/mabra.yaml",
        14,  # the first band that changed
        both=UNPUBLISHED,
    )
)
FIXTURES.append(
    Fixture(
        "chart-changed",
        (("forms/mabra.yaml", "    worse: higher\n", "    worse: lower\n"),),
        "forms/mabra.yaml",
        "    worse: lower",
    )
)
# Rules shown by a test of their own below.
ELSEWHERE = {"program-removed"}


def _edit(root: Path, edits: tuple[Edit, ...]) -> None:
    for file, text, replacement in edits:
        path = root / file
        if not text and not replacement:
            path.unlink()
            continue
        content = path.read_text(encoding="utf-8")
        assert content.count(text) == 1, (file, text)
        path.write_text(content.replace(text, replacement), encoding="utf-8")


def _pair(tmp_path: Path, fixture: Fixture) -> tuple[Path, Path]:
    old, new = tmp_path / "old" / "example", tmp_path / "new" / "example"
    for side in (old, new):
        shutil.copytree(EXAMPLE, side)
        _edit(side, fixture.both)
    _edit(new, fixture.edits)
    return old, new


def test_every_rule_has_a_fixture() -> None:
    covered = {f.rule for f in FIXTURES} | ELSEWHERE
    assert covered == {r.id for r in RULES}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.rule for f in FIXTURES])
def test_rule(fixture: Fixture, tmp_path: Path) -> None:
    old, new = _pair(tmp_path, fixture)
    result = diff(str(old), str(new))
    assert result.problems == []
    found = [c for c in result.changes if c.rule.id == fixture.rule]
    assert found, [(c.rule.id, c.message) for c in result.changes]
    change = found[0]
    assert change.change_class == BY_ID[fixture.rule].change_class
    assert change.location is not None
    where = Path(change.location.path).resolve().relative_to(new.resolve()).as_posix()
    assert (where, change.location.line) == (fixture.file, _line(new / fixture.file, fixture.line))


def _line(path: Path, line: int | str) -> int:
    if isinstance(line, int):
        return line
    text = path.read_text(encoding="utf-8")
    assert text.count(line) == 1, line
    return text[: text.index(line)].count("\n") + 1


def test_a_cosmetic_change_alone_needs_no_new_version(tmp_path: Path) -> None:
    formatting = next(f for f in FIXTURES if f.rule == "formatting-changed")
    old, new = _pair(tmp_path, formatting)
    result = diff(str(old), str(new))
    assert [c.rule.id for c in result.changes] == ["formatting-changed"]


def test_program_removed(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(EXAMPLE, old / "example")
    shutil.copytree(EXAMPLE, old / "andra")
    _edit(old / "andra", (("program.yaml", "id: example", "id: andra"),))
    shutil.copytree(EXAMPLE, new / "example")
    [change] = diff(str(old), str(new)).changes
    assert (change.rule.id, change.change_class, change.program) == (
        "program-removed",
        "data-breaking",
        "andra",
    )
    assert change.location is None and change.old_location is not None
    assert change.old_location.path.endswith("program.yaml")


def _form(option_fields: dict[str, object]) -> Node:
    option = Node("option", "ja", {"label": "Ja", **option_fields})
    question = Node("question", "q", {"type": "single_choice", "text": "Q"}, {"option": [option]})
    form = Node("form", "f", {"title": "F", "scoring": {"totals": []}}, {"question": [question]})
    return Node("program", "p", {"version": "1.0"}, {"form": [form]})


def test_form_scoring_changed_is_found_by_field_name() -> None:
    """The hook for scored forms: any field named in SCORING_FIELDS, wherever it is."""
    changes: list[Change] = compare_program(_form({"score": 1}), _form({"score": 2}))
    assert (changes[0].rule.id, changes[0].change_class, changes[0].path[-1]) == (
        "form-scoring-changed",
        "data-breaking",
        ("option", "ja"),
    )
