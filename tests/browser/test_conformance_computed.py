"""The conformance suite's computed-value cases against the preview's JavaScript (preview.js):
each submission a case makes is filled in on the module page of the clinician view, and the
values the page shows must be the case's expected values, rounded and missing alike."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sobc.read.loader import load

from .serving import Serving
from .test_conformance_scoring import SUITE, _fill


def _computed_cases() -> list[Path]:
    cases = sorted((SUITE / "cases").glob("*.json"))
    return [p for p in cases if "computed" in json.loads(p.read_text("utf-8"))["expected"]]


CASES = _computed_cases()


@pytest.fixture(scope="module")
def suite(browser: Any) -> Iterator[Serving]:
    server = Serving([SUITE / "programs"])
    yield server
    server.close()


def _shown(value: float | None) -> str:
    """As the page writes a value: a decimal comma and a minus sign; "Saknas" when missing."""
    if value is None:
        return "Saknas"
    return str(value).replace(".", ",").replace("-", "−")


def test_there_is_a_case_to_run() -> None:
    assert CASES


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_preview_computes_as_the_case_expects(path: Path, page: Any, suite: Serving) -> None:
    data = json.loads(path.read_text("utf-8"))
    refused = {r["event"] for r in data["expected"].get("refused", [])}
    events = [e for i, e in enumerate(data["timeline"]["events"]) if i not in refused]
    submitted = [e for e in events if e["type"] == "form_submitted"]
    program = load(SUITE / "programs" / data["program"]).program
    assert program is not None
    forms = {e["form"] for e in submitted}
    module = next(m.id for m in program.modules if forms <= set(m.standalone_forms))
    page.goto(f"{suite.url}_behandlare/{data['program']}/{module}/index.html")
    for event, expected in zip(submitted, data["expected"]["computed"], strict=True):
        form = page.locator(f"form#form-{event['form']}")
        for question, answer in event.get("answers", {}).items():
            _fill(form, question, answer)
        box = page.locator(f'[data-computed-form="{event["form"]}"]')
        for ident, value in expected["values"].items():
            shown = box.locator(f'output[data-value="{ident}"]')
            expect(shown).to_have_text(re.compile(f"^{re.escape(_shown(value))}( –|$)"))
        form.get_by_role("button", name="Rensa svaren").click()
