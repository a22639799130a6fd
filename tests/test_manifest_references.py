"""`load` checks every reference of a manifest (docs/manifest.md, References): each case takes a
real package's manifest, breaks one reference, and wants the problem named where it stands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sobc import runtime
from sobc.package.build import build
from sobc.runtime.references import reference_problems

from .conftest import EXAMPLE

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("references") / "out"
    assert build([EXAMPLE], out).ok
    return out / "example"


def _by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == ident)


def _flag(data: dict[str, Any], ident: str) -> dict[str, Any]:
    trigger: dict[str, Any] = _by_id(data["flags"], ident)["trigger"]
    return trigger


def _question(data: dict[str, Any], form: str, ident: str) -> dict[str, Any]:
    return _by_id(_by_id(data["forms"], form)["questions"], ident)


def _step(data: dict[str, Any], module: str) -> dict[str, Any]:
    step: dict[str, Any] = _by_id(data["modules"], module)["sections"][0]["steps"][0]
    return step


CASES: dict[str, tuple[Edit, str]] = {
    "flag-module": (
        lambda d: _flag(d, "grunder-startad").update(module="borta"),
        "flags/grunder-startad/trigger/module: names the module 'borta', which the manifest "
        "does not have",
    ),
    "flag-form": (
        lambda d: _flag(d, "ny-veckologg").update(form="borta"),
        "flags/ny-veckologg/trigger/form: names the form 'borta'",
    ),
    "flag-plan": (
        lambda d: _flag(d, "missad-veckologg").update(plan="borta"),
        "flags/missad-veckologg/trigger/plan: names the plan 'borta'",
    ),
    "flag-score-elsewhere": (
        # a question of the form, but one no total counts
        lambda d: _flag(d, "tydliga-besvar").update(score="kommentar"),
        "flags/tydliga-besvar/trigger/score: 'kommentar' is neither a total of the form 'mabra', "
        "a question one of its totals counts nor a computed value",
    ),
    "flag-score-unscored-form": (
        lambda d: _flag(d, "tydliga-besvar").update(form="fragor", score="former"),
        "flags/tydliga-besvar/trigger/score: 'former' is neither a total of the form 'fragor'",
    ),
    "plan-form": (
        lambda d: d["activity_plans"][0].update(form="borta"),
        "activity_plans/veckologg/form: names the form 'borta'",
    ),
    "choice-module": (
        lambda d: d["module_choices"][0]["options"][1].update(module="borta"),
        "module_choices/val-av-fordjupning: names the module 'borta'",
    ),
    "choice-twice": (
        lambda d: d["module_choices"].append({**d["module_choices"][0], "id": "igen"}),
        "module_choices/igen: the module 'fordjupning' is already an option of "
        "'val-av-fordjupning'",
    ),
    "next-module": (
        lambda d: _by_id(d["modules"], "grunder")["next"].append("borta"),
        "modules/grunder/next: names the module 'borta'",
    ),
    "module-track": (
        lambda d: _by_id(d["modules"], "grunder")["tracks"].append("spar-x"),
        "modules/grunder/tracks: names the track 'spar-x'",
    ),
    "standalone-form": (
        lambda d: _by_id(d["modules"], "fordjupning")["standalone_forms"].append("borta"),
        "modules/fordjupning/standalone_forms: names the form 'borta'",
    ),
    "step-form": (
        lambda d: _step(d, "grunder")["forms"].append("borta"),
        "/forms: names the form 'borta'",
    ),
    "enable-when-later": (
        lambda d: _question(d, "fragor", "varfor")["enable_when"].update(question="former"),
        "forms/fragor/varfor/enable_when: names 'former', which is not a question before it",
    ),
    "enable-when-itself": (
        lambda d: _question(d, "fragor", "varfor")["enable_when"].update(question="varfor"),
        "forms/fragor/varfor/enable_when: names 'varfor', which is not a question before it",
    ),
    "total-question": (
        lambda d: _by_id(d["forms"], "mabra")["scoring"]["totals"][0]["questions"].append("x"),
        "forms/mabra/scoring/summa: names the question 'x'",
    ),
    "reverse-question": (
        lambda d: _by_id(d["forms"], "mabra")["scoring"]["reverse"].append("x"),
        "forms/mabra/scoring/reverse: names the question 'x'",
    ),
    "retention-role": (
        lambda d: d["retention"].update(responsible_role="ingen"),
        "retention/responsible_role: names the role 'ingen'",
    ),
    "rename-missing": (
        lambda d: d.update(renames=[{"kind": "step", "path": ["grunder", "borta"], "from": "a"}]),
        "renames/0: there is no step 'grunder/borta' to have been renamed",
    ),
    "rename-wrong-kind": (
        lambda d: d.update(renames=[{"kind": "form", "path": ["grunder"], "from": "a"}]),
        "renames/0: there is no form 'grunder' to have been renamed",
    ),
    "chart-form": (
        lambda d: d["charts"][0].update(form="borta"),
        "charts/0/form: names the form 'borta'",
    ),
    "chart-total": (
        lambda d: d["charts"][0].update(total="oro2"),
        "charts/0/total: names the total 'oro2'",
    ),
    "chart-of-unscored-form": (
        lambda d: d["charts"][0].update(form="fragor"),
        "charts/0/total: names the total 'summa'",
    ),
    "form-twice": (
        lambda d: d["forms"].append(next(f for f in d["forms"] if f["id"] == "fragor")),
        "forms: the id 'fragor' is used twice",
    ),
    "question-twice": (
        lambda d: _by_id(d["forms"], "fragor")["questions"].append(_question(d, "fragor", "info")),
        "forms/fragor/questions: the id 'info' is used twice",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_broken_reference_is_refused(name: str, package: Path, tmp_path: Path) -> None:
    edit, expected = CASES[name]
    data = json.loads((package / "manifest.json").read_bytes())
    edit(data)
    (tmp_path / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(runtime.ManifestError) as caught:
        runtime.load(tmp_path / "manifest.json")
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_references_are_checked_before_files(package: Path, tmp_path: Path) -> None:
    """A manifest copied away from its files fails on the reference alone, with nothing else."""
    data = json.loads((package / "manifest.json").read_bytes())
    data["activity_plans"][0]["form"] = "borta"
    (tmp_path / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(runtime.ManifestError) as caught:
        runtime.load(tmp_path)
    assert len(caught.value.problems) == 1


def test_a_real_manifest_has_no_reference_problem(package: Path) -> None:
    data = json.loads((package / "manifest.json").read_bytes())
    assert reference_problems(data) == []
    assert runtime.load(package).program.id == "example"


def test_a_real_rename_is_accepted(package: Path, tmp_path: Path) -> None:
    """Every kind of element a rename may name, named as `package/manifest.py` writes it."""
    data = json.loads((package / "manifest.json").read_bytes())
    data["renames"] = [
        {"kind": "step", "path": ["grunder", _step(data, "grunder")["id"]], "from": "gammal"},
        {"kind": "option", "path": ["fragor", "mar-du-bra", "no"], "from": "nej"},
        {"kind": "activity_plan", "path": ["veckologg"], "from": "logg"},
    ]
    assert reference_problems(data) == []
