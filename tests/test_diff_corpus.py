"""A corpus of realistic changes to the three programs and the example (tests/diff_corpus/), in
the manner of buf's breaking-change tests: each scenario is a small change, written as the cases
of tests/cases/ are (`case.diff` and `files/`, read by tests/casediff.py), and the changes
`sobc diff` must report for it (`expected.yaml`): every rule, class and element, and the rules
of the changes each implies — no more, no fewer. A class is a claim about risk to patients, so a
scenario failing here means reviewers would be told something else about that change.

The change is laid on a copy of the program in a folder named otherwise than the program's id
(the id decides what matches, docs/diff.md)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from sobc.diff import CLASSES, Change, diff
from sobc.diff.change import name

from .casediff import apply_case, parse_case
from .conftest import EXAMPLE, PROGRAMS, TESTS

CORPUS = TESTS / "diff_corpus"
SCENARIOS = sorted(p for p in CORPUS.iterdir() if p.is_dir())
SOURCES = {"example": EXAMPLE} | {
    p.name: p for p in PROGRAMS.iterdir() if (p / "program.yaml").is_file()
}
ENTRIES = {"case.diff", "files", "expected.yaml"}

Found = tuple[str, str, str, tuple[str, ...]]  # rule, class, element, the rules it implies


def _expected(folder: Path) -> dict[str, Any]:
    strays = sorted(p.name for p in folder.iterdir() if p.name not in ENTRIES)
    assert strays == [], f"{folder.name}: not part of a scenario (README.md)"
    data = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    assert isinstance(data, dict) and set(data) == {"program", "changes"}, folder
    return data


def _lay_out(scenario: Path, program: Path) -> None:
    """The scenario's change on a copy of its program: case.diff applied, files/ laid on."""
    label = f"diff_corpus/{scenario.name}"
    change = parse_case((scenario / "case.diff").read_bytes(), label)
    apply_case(change, program, label)
    whole = scenario / "files"
    for source in sorted(p for p in whole.rglob("*") if p.is_file()):
        target = program / source.relative_to(whole)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def _found(change: Change) -> Found:
    element = " › ".join(name(*p) for p in change.path) or "program"
    return (
        change.rule.id,
        str(change.change_class),
        element,
        tuple(sorted(i.rule.id for i in change.implied)),
    )


def _wanted(change: dict[str, Any]) -> Found:
    assert set(change) <= {"rule", "class", "at", "implied"}, change
    implied = tuple(sorted(change.get("implied", [])))
    return (change["rule"], change["class"], change["at"], implied)


def test_the_corpus_spans_the_programs_and_the_classes() -> None:
    """At least 30 scenarios, over each of the three programs and the example, and at least one
    change of each class among them."""
    specs = [_expected(folder) for folder in SCENARIOS]
    assert len(specs) >= 30
    assert {s["program"] for s in specs} == set(SOURCES)
    classes = {c["class"] for s in specs for c in s["changes"]}
    assert classes == {str(c) for c in CLASSES}
    assert all(s["changes"] for s in specs), "a scenario expects at least one change"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_scenario_reports_exactly_its_changes(scenario: Path, tmp_path: Path) -> None:
    expected = _expected(scenario)
    source = SOURCES[expected["program"]]
    new = tmp_path / "changed"
    shutil.copytree(source, new)
    _lay_out(scenario, new)
    result = diff(str(source), str(new))
    assert result.problems == []
    found = sorted(_found(c) for c in result.changes)
    assert found == sorted(_wanted(c) for c in expected["changes"])
