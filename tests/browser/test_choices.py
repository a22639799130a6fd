"""A choice between modules on the program page, and the patient's choice in the preview."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .serving import Serving


def test_the_program_page_shows_the_choice(page: Any, served: Serving) -> None:
    page.goto(served.url + "artrosskola/index.html")
    choice = page.locator(".module-choice")
    expect(choice.get_by_role("heading", name="Teoretisk del", level=3)).to_be_visible()
    expect(choice).to_contain_text("Vilken led besvärar dig mest?")
    options = choice.get_by_role("list", name="Teoretisk del").get_by_role("listitem")
    expect(options).to_have_count(2)
    expect(options.nth(0).get_by_role("heading", level=4)).to_have_text("Höften eller knät")
    expect(options.nth(1).get_by_role("link")).to_have_text("Artrosskola – Hand")
    # the two modules have no cards of their own beside the choice
    expect(page.locator(".module-list > li")).to_have_count(3)


def test_the_patients_choice_starts_the_module_in_the_simulation(
    page: Any, served: Serving
) -> None:
    page.goto(served.url + "artrosskola/index.html")
    choice = page.locator(".module-choice")
    hand = choice.locator("[data-choice-module=artrosskola-hand]")
    knee = choice.locator("[data-choice-module=artrosskola-hoft-och-kna]")
    hand.get_by_role("button", name="Välj: Handen").click()
    expect(hand).to_have_class("choice-option chosen")
    expect(hand.get_by_role("button")).to_have_attribute("aria-pressed", "true")
    expect(choice.get_by_role("status")).to_contain_text("Du har valt Handen")

    page.reload()  # kept in this browser, like form answers
    expect(hand).to_have_class("choice-option chosen")

    page.goto(served.url + "_behandlare/artrosskola/index.html")
    sim = page.locator("[data-sim-program=artrosskola]")
    started = sim.locator("[data-sim-place=started]", has_text="Artrosskola – Hand")
    expect(started).to_be_visible()
    sim.get_by_role("button", name="Starta modulen Artrosskola – Höft och knä").click()
    expect(started).to_be_hidden()  # one alternative at a time
    page.goto(served.url + "artrosskola/index.html")
    expect(knee).to_have_class("choice-option chosen")
    expect(hand).to_have_class("choice-option")
