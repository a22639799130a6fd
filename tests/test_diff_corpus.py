"""A corpus of realistic changes to the three programs and the example (tests/diff_corpus/), in
the manner of buf's breaking-change tests: each scenario is a small patch (`change.patch`, made
with `git diff`, paths from the program's folder) and the changes `sobc diff` must report for it
(`scenario.yaml`): every rule, class and element, and the rules of the changes each implies — no
more, no fewer. A class is a claim about risk to patients, so a scenario failing here means
reviewers would be told something else about that change.

A scenario's patch is applied to a copy of the program in a folder named otherwise than the
program's id (the id decides what matches, docs/diff.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sobc.diff import CLASSES, Change, diff
from sobc.diff.change import name

from .conftest import EXAMPLE, PROGRAMS, TESTS

CORPUS = TESTS / "diff_corpus"
SCENARIOS = sorted(p for p in CORPUS.iterdir() if p.is_dir())
SOURCES = {"example": EXAMPLE} | {
    p.name: p for p in PROGRAMS.iterdir() if (p / "program.yaml").is_file()
}

Found = tuple[str, str, str, tuple[str, ...]]  # rule, class, element, the rules it implies


def _scenario(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "scenario.yaml").read_text("utf-8"))
    assert isinstance(data, dict) and set(data) == {"program", "says", "changes"}, folder
    return data


def _apply(patch: Path, folder: Path, outside: Path) -> None:
    """`git apply` outside any repository (`outside` is where git stops looking for one)."""
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(outside)}
    done = subprocess.run(
        ["git", "apply", "-p1", str(patch)], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{patch} does not apply:\n{done.stderr}"


def _found(change: Change) -> Found:
    element = " › ".join(name(*p) for p in change.path) or "program"
    return (
        change.rule.id,
        str(change.change_class),
        element,
        tuple(sorted(i.rule.id for i in change.implied)),
    )


def _expected(change: dict[str, Any]) -> Found:
    assert set(change) <= {"rule", "class", "at", "implied"}, change
    implied = tuple(sorted(change.get("implied", [])))
    return (change["rule"], change["class"], change["at"], implied)


def test_the_corpus_spans_the_programs_and_the_classes() -> None:
    """At least 30 scenarios, over each of the three programs and the example, and at least one
    change of each class among them."""
    specs = [_scenario(folder) for folder in SCENARIOS]
    assert len(specs) >= 30
    assert {s["program"] for s in specs} == set(SOURCES)
    classes = {c["class"] for s in specs for c in s["changes"]}
    assert classes == {str(c) for c in CLASSES}
    assert all(s["changes"] for s in specs), "a scenario expects at least one change"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_scenario_reports_exactly_its_changes(scenario: Path, tmp_path: Path) -> None:
    spec = _scenario(scenario)
    source = SOURCES[spec["program"]]
    new = tmp_path / "changed"
    shutil.copytree(source, new)
    _apply(scenario / "change.patch", new, tmp_path)
    result = diff(str(source), str(new))
    assert result.problems == []
    found = sorted(_found(c) for c in result.changes)
    assert found == sorted(_expected(c) for c in spec["changes"]), spec["says"]
