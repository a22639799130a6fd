"""The manifest schema is as strict as the source schemas (its limits and per-type rules made
from the same records, `python -m sobc.kinds`), and `load` follows the format version policy of
docs/manifest.md."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sobc import runtime
from sobc.kinds.triggers import KINDS
from sobc.package.build import build
from sobc.read.schema import validator

from .conftest import EXAMPLE

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("strict") / "out"
    assert build([EXAMPLE], out).ok
    return out / "example"


@pytest.fixture
def data(package: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((package / "manifest.json").read_bytes())
    return loaded


def _errors(data: dict[str, Any]) -> list[str]:
    return [e.message for e in validator("manifest").iter_errors(data)]


def _trigger(data: dict[str, Any], kind: str) -> dict[str, Any]:
    flag = next(f for f in data["flags"] if f["trigger"]["type"] == kind)
    trigger: dict[str, Any] = flag["trigger"]
    return trigger


def _schedule(data: dict[str, Any]) -> dict[str, Any]:
    schedule: dict[str, Any] = data["activity_plans"][0]["schedule"]
    return schedule


def _question(data: dict[str, Any], form: str, ident: str) -> dict[str, Any]:
    questions = next(f for f in data["forms"] if f["id"] == form)["questions"]
    return next(q for q in questions if q["id"] == ident)  # type: ignore[no-any-return]


def test_the_example_manifest_is_valid(data: dict[str, Any]) -> None:
    assert _errors(data) == []


def test_a_form_scored_trigger_without_its_form_fails_the_published_schema(
    data: dict[str, Any],
) -> None:
    _trigger(data, "form_scored")["form"] = None
    assert _errors(data)


@pytest.mark.parametrize(
    ("kind", "key"), [(k.type, key) for k in KINDS.values() for key in k.required]
)
def test_each_trigger_types_required_keys_hold_a_value(
    kind: str, key: str, data: dict[str, Any]
) -> None:
    _trigger(data, kind)[key] = None
    assert _errors(data), f"{kind} without {key}"


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (k.type, key)
        for k in KINDS.values()
        for key in ("module", "form", "days", "plan")
        if key not in k.keys
    ],
)
def test_keys_a_trigger_type_does_not_take_are_null(
    kind: str, key: str, data: dict[str, Any]
) -> None:
    _trigger(data, kind)[key] = 7 if key == "days" else "grunder"
    assert _errors(data), f"{kind} with {key}"


CASES: dict[str, Edit] = {
    "score-flag-without-a-limit": lambda d: _trigger(d, "form_scored").update(at_least=None),
    "inactivity-days-0": lambda d: _trigger(d, "inactivity").update(days=0),
    "plan-missed-count-0": lambda d: _trigger(d, "plan_missed").update(count=0),
    "days-before-731": lambda d: _trigger(d, "program_ends").update(days_before=731),
    "weekly-without-weekday": lambda d: _schedule(d).update(weekday=None),
    "weekly-with-interval": lambda d: _schedule(d).update(interval_days=7),
    "n-days-interval-1": lambda d: _schedule(d).update(
        every="n_days", weekday=None, interval_days=1
    ),
    "n-days-without-interval": lambda d: _schedule(d).update(every="n_days", weekday=None),
    "daily-with-weekday": lambda d: _schedule(d).update(every="day"),
    "module-length-0": lambda d: d["modules"][1].update(length_days=0),
    "recommended-length-over-3650": lambda d: d["program"].update(recommended_length_days=3651),
    "max-selections-0": lambda d: _question(d, "fragor", "former").update(max_selections=0),
    "max-unanswered-0": lambda d: next(f for f in d["forms"] if f["scoring"])["scoring"].update(
        max_unanswered=0
    ),
    "option-score-over-1000": lambda d: _question(d, "mabra", "orolig")["options"][0].update(
        score=1001
    ),
    "maintenance-days-null": lambda d: d["retention"].update(maintenance_days=None),
    "unknown-key-inside": lambda d: d["flags"][0].update(priority="high"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_manifest_schema_refuses_what_the_source_refuses(
    name: str, data: dict[str, Any]
) -> None:
    CASES[name](data)
    assert _errors(data), name


def test_a_valid_schedule_of_each_kind_passes(data: dict[str, Any]) -> None:
    for every, weekday, interval in (
        ("day", None, None),
        ("n_days", None, 2),
        ("week", "monday", None),
    ):
        changed = copy.deepcopy(data)
        _schedule(changed).update(every=every, weekday=weekday, interval_days=interval)
        assert _errors(changed) == [], every


# ---------------------------------------------------------------- the format version policy


def _write(data: dict[str, Any], package: Path, tmp_path: Path) -> Path:
    """A copy of the package with this manifest."""
    import shutil

    copy_of = tmp_path / "package"
    shutil.copytree(package, copy_of)
    (copy_of / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    return copy_of


def test_an_unknown_top_level_key_is_ignored(
    data: dict[str, Any], package: Path, tmp_path: Path
) -> None:
    data["reviewed_by"] = {"name": "a later sobc's addition"}
    loaded = runtime.load(_write(data, package, tmp_path))
    assert loaded.program.id == "example"
    assert not hasattr(loaded, "reviewed_by")


def test_an_unknown_key_inside_an_object_is_refused(
    data: dict[str, Any], package: Path, tmp_path: Path
) -> None:
    data["flags"][0]["priority"] = "high"
    with pytest.raises(runtime.ManifestError) as caught:
        runtime.load(_write(data, package, tmp_path))
    assert any("flags/0" in p and "priority" in p for p in caught.value.problems)


@pytest.mark.parametrize(
    ("version", "words"),
    [(runtime.FORMAT_VERSION + 1, "is newer than"), (runtime.FORMAT_VERSION - 1, "is older than")],
)
def test_a_version_this_reader_does_not_know_is_refused(
    version: int, words: str, data: dict[str, Any], package: Path, tmp_path: Path
) -> None:
    data["format_version"] = version
    with pytest.raises(runtime.ManifestError) as caught:
        runtime.load(_write(data, package, tmp_path))
    assert caught.value.problems == [
        next(p for p in caught.value.problems if f"format version {version} {words}" in p)
    ]
