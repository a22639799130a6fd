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
