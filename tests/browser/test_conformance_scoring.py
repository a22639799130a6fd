"""The conformance suite's scoring cases against the preview's JavaScript (preview.js): each
submission a case makes (but those the reference engine refuses) is filled in on the module
page of the clinician view, and the totals the page shows must be the case's expected totals.
What the preview implements is scoring and conditions; the rest of the suite (dates, flags,
plans) has no JavaScript implementation to run against."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from sobc.read.loader import load

from ..conftest import ROOT
from .serving import Serving

SUITE = ROOT / "conformance"


def _scoring_cases() -> list[Path]:
    cases = sorted((SUITE / "cases").glob("*.json"))
    return [p for p in cases if "scores" in json.loads(p.read_text("utf-8"))["expected"]]


CASES = _scoring_cases()


@pytest.fixture(scope="module")
def suite(browser: Any) -> Iterator[Serving]:
    server = Serving([SUITE / "programs"])
    yield server
    server.close()


def _fill(form: Any, question: str, answer: Any) -> None:
    """Answer one question as a patient would, when it is shown."""
    if answer in (None, "", [], False):
        return  # unanswered (an unticked consent is its absence)
    controls = form.locator(f'[name="{question}"]')
    if not controls.first.is_enabled():
        return  # hidden by its condition: the patient cannot answer it
    values = answer if isinstance(answer, list) else [answer]
    for value in values:
        text = "true" if value is True else str(value)
        choice = form.locator(f'input[name="{question}"][value="{text}"]')
        if choice.count():
            choice.check()
        elif form.locator(f'select[name="{question}"]').count():
            form.locator(f'select[name="{question}"]').select_option(text)
        else:
            controls.first.fill(text)


def _shown(total: dict[str, Any]) -> str:
    return f"{total['value']}" + (f" – {total['band']}" if total["band"] else "")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_preview_scores_as_the_case_expects(path: Path, page: Any, suite: Serving) -> None:
    data = json.loads(path.read_text("utf-8"))
    refused = {r["event"] for r in data["expected"].get("refused", [])}
    events = [e for i, e in enumerate(data["timeline"]["events"]) if i not in refused]
    program = load(SUITE / "programs" / data["program"]).program
    assert program is not None
    forms = {e["form"] for e in events}
    module = next(m.id for m in program.modules if forms <= set(m.standalone_forms))
    page.goto(f"{suite.url}_behandlare/{data['program']}/{module}/index.html")
    for event, expected in zip(events, data["expected"]["scores"], strict=True):
        form = page.locator(f"form#form-{event['form']}")
        for question, answer in event.get("answers", {}).items():
            _fill(form, question, answer)
        box = page.locator(f'[data-score-form="{event["form"]}"]')
        for total in expected["totals"]:
            shown = box.locator(f'output[data-total="{total["id"]}"]')
            if total["value"] is None:
                expect(shown).to_have_text(re.compile(r"^(Inte ifyllt|Ingen summa)"))
            else:
                expect(shown).to_have_text(re.compile(f"^{re.escape(_shown(total))}( \\(|$)"))
        form.get_by_role("button", name="Rensa svaren").click()
