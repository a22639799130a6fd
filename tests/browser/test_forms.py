"""Answers typed into a previewed form stay in the browser and can be cleared."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .serving import Serving

FORM_STEP = "example/grunder/fragor.html"


def test_fill_keep_and_clear_a_form(page: Any, served: Serving) -> None:
    sent: list[str] = []
    page.goto(served.url + FORM_STEP)
    page.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
    form = page.locator("form#form-fragor")
    why = page.get_by_label("Berätta varför inte.")
    expect(why).to_be_hidden()

    form.get_by_label("Nej", exact=True).check()  # single choice
    expect(why).to_be_visible()  # the conditional question appears
    why.fill("Sover dåligt.")  # text
    form.get_by_label("Trötthet").check()  # multiple choice
    form.get_by_label("Oro").check()
    form.get_by_label("7", exact=True).check()  # scale
    form.get_by_label("Aktivitet").fill("Promenad")
    form.get_by_role("button", name="Skicka").click()
    expect(form.get_by_role("status")).to_contain_text("Inget skickades")
    assert not [r for r in sent if "status.json" not in r], sent  # nothing left the browser

    page.reload()
    expect(why).to_have_value("Sover dåligt.")
    expect(form.get_by_label("Nej", exact=True)).to_be_checked()
    expect(form.get_by_label("Oro")).to_be_checked()
    expect(form.get_by_label("7", exact=True)).to_be_checked()

    form.get_by_role("button", name="Rensa svaren").click()
    expect(form.get_by_label("Nej", exact=True)).not_to_be_checked()
    expect(form.get_by_label("Trötthet")).not_to_be_checked()
    expect(why).to_be_hidden()
    stored = page.evaluate("() => Object.keys(window.localStorage)")
    assert not [k for k in stored if k.startswith("sobc-preview:answers:")]
    page.reload()
    expect(form.get_by_label("Oro")).not_to_be_checked()


def test_exclusive_alternative_clears_the_others(page: Any, served: Serving) -> None:
    page.goto(served.url + FORM_STEP)
    form = page.locator("form#form-fragor")
    form.get_by_label("Trötthet").check()
    form.get_by_label("Oro").check()
    form.get_by_label("Inget av detta").check()
    expect(form.get_by_label("Trötthet")).not_to_be_checked()
    expect(form.get_by_label("Oro")).not_to_be_checked()
    form.get_by_label("Sömnsvårigheter").check()
    expect(form.get_by_label("Inget av detta")).not_to_be_checked()
    form.get_by_role("button", name="Rensa svaren").click()


SCORED_STEP = "example/kom-igang/hur-mar-du.html"


def test_the_clinician_view_scores_a_form_as_it_is_filled_in(page: Any, served: Serving) -> None:
    """The preview's totals follow sobc.kinds.scoring.total_score (checked here on the same
    answers): a reverse-scored item, a band, prorating one unanswered item and none for two."""
    from sobc.kinds.scoring import total_score
    from sobc.read.loader import load

    from ..conftest import EXAMPLE

    program = load(EXAMPLE).program
    assert program is not None
    scored = program.form("mabra")
    assert scored is not None and scored.scoring is not None
    summa = scored.scoring.totals[0]

    page.goto(served.url + "_behandlare/" + SCORED_STEP)
    form = page.locator("form#form-mabra")
    total = page.locator('[data-score-form="mabra"] output[data-total="summa"]')
    expect(total).to_have_text("Inte ifyllt")
    form.locator('input[name="orolig"][value="ibland"]').check()
    expect(total).to_have_text("Ingen summa: 2 obesvarade frågor")
    form.locator('input[name="glad"][value="aldrig"]').check()  # reverse: 0 counts 3
    answers = {"orolig": "ibland", "glad": "aldrig"}
    expected = total_score(scored, summa, answers)
    assert expected == 6  # (1 + 3) × 3 / 2
    expect(total).to_have_text(f"{expected} – Tydliga besvär (1 obesvarad fråga)")
    form.locator('input[name="sover"][value="0"]').check()  # the scale: all three answered
    answers["sover"] = "0"
    expect(total).to_have_text(f"{total_score(scored, summa, answers)} – Lindriga besvär")


def test_a_time_range_past_midnight_is_checked_in_the_browser(page: Any, served: Serving) -> None:
    page.goto(served.url + "example/fordjupning/index.html")
    field = page.locator("form#form-veckologg").get_by_label("När gick du och lade dig?")
    assert field.get_attribute("type") == "time"
    valid = "el => el.checkValidity()"
    field.fill("12:00")  # outside 20:00–03:00
    assert field.evaluate(valid) is False
    assert "20:00" in field.evaluate("el => el.validationMessage")
    field.fill("23:30")
    assert field.evaluate(valid) is True
    field.fill("01:00")  # past midnight, and a condition on the time shows the next question
    assert field.evaluate(valid) is True
    expect(page.get_by_label("Vad gjorde att det blev sent?")).to_be_visible()
