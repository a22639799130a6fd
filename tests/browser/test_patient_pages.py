"""The patient's pages as NHS.UK frontend's patterns make them: header, progress, pagination,
scales, errors, confirmation, media frames and the catalogue grid, at phone and desktop width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .pages import broken_words, words_broken_inside
from .serving import Serving

FORM_STEP = "example/grunder/fragor.html"
MIDDLE_STEP = "plus/angest/kroppens-larmsystem.html"
VIDEO_STEP = "example/grunder/film.html"


def _tab(browser: Any, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    return context, context.new_page()


def test_header_names_the_program_and_links_home(page: Any, served: Serving) -> None:
    page.goto(served.url + MIDDLE_STEP)
    home = page.locator("header .nhsuk-header__service-name")
    expect(home).to_have_text("PLUS – stöd för psykisk hälsa")
    home.click()
    expect(page).to_have_url(served.url + "plus/index.html")


def test_module_page_shows_what_has_been_read(page: Any, served: Serving) -> None:
    page.goto(served.url + "plus/angest/index.html")
    summary = page.locator("[data-progress]")
    expect(summary).to_have_text("Du har läst 0 av 10 steg i modulen.")
    first = page.locator(".step-list li").first
    expect(first.locator(".read-state")).to_have_text("Inte läst")
    first.get_by_role("link").click()
    expect(page.locator(".step-aside [aria-current=page]")).to_be_visible()
    # The page's script marks the step read when it runs: wait for its mark, not only the page.
    here = page.locator(".step-aside li:has([aria-current=page]) .read-mark")
    expect(here).to_be_attached()
    page.go_back()
    page.reload()
    expect(summary).to_have_text("Du har läst 1 av 10 steg i modulen.")
    expect(first.locator(".read-state")).to_have_text("Läst")


@pytest.mark.parametrize("width", [390, 1280])
def test_previous_and_next_are_boxes_of_one_size(browser: Any, served: Serving, width: int) -> None:
    context, tab = _tab(browser, width)
    tab.goto(served.url + MIDDLE_STEP)
    prev = tab.locator(".pager .nhsuk-pagination__link--prev").bounding_box()
    nxt = tab.locator(".pager .nhsuk-pagination__link--next").bounding_box()
    context.close()
    assert prev and nxt
    assert abs(prev["width"] - nxt["width"]) < 1 and abs(prev["height"] - nxt["height"]) < 1
    if width >= 1280:
        assert abs(prev["y"] - nxt["y"]) < 1  # side by side


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_a_scale_s_boxes_are_targets_of_44_px(browser: Any, served: Serving, width: int) -> None:
    """Each box of the 0–10 scale at least 44 × 44 px (WCAG 2.2 AAA target size): one row on a
    desktop, a few rows of equal boxes on a phone, and never wider than the screen."""
    context, tab = _tab(browser, width)
    tab.goto(served.url + FORM_STEP)
    boxes = tab.locator(".scale-point label").evaluate_all(
        "labels => labels.map(l => { const r = l.getBoundingClientRect();"
        " return [Math.round(r.top), r.width, r.height]; })"
    )
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert len(boxes) == 11
    assert min(w for _, w, _ in boxes) >= 44 and min(h for _, _, h in boxes) >= 44, boxes
    rows = sorted({top for top, _, _ in boxes})
    assert len(rows) == 1 if width >= 1280 else len(rows) <= 3, rows
    assert scroll <= width


HEADINGS = "main h1, main h2, main h3, .nhsuk-header__service-name"


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize(
    "path",
    ["sjukskrivningskollen/index.html", "sjukskrivningskollen/innan-du-borjar/index.html"],
)
def test_no_heading_breaks_inside_a_word_on_a_phone(
    browser: Any, served: Serving, width: int, path: str
) -> None:
    """Long Swedish compounds ("Sjukskrivningskollen") stay whole on a 320 px phone."""
    context, tab = _tab(browser, width)
    tab.goto(served.url + path)
    assert tab.evaluate("document.documentElement.lang") == "sv"
    broken = tab.evaluate(words_broken_inside(HEADINGS))
    title = tab.locator("main h1").inner_text()
    scroll = tab.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert broken == [], broken
    assert title.strip()
    assert scroll <= width


def test_missing_answers_get_a_summary_and_a_message_each(page: Any, served: Serving) -> None:
    page.goto(served.url + FORM_STEP)
    form = page.locator("form#form-fragor")
    form.get_by_role("button", name="Skicka").click()
    summary = form.locator(".form-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Det finns ett problem")
    links = summary.get_by_role("link")
    expect(links.first).to_contain_text("Mår du bra?")
    errors = form.locator(".question.has-error")
    expect(errors).to_have_count(links.count())
    described = form.locator("#f-fragor-mar-du-bra").get_attribute("aria-describedby") or ""
    assert "f-fragor-mar-du-bra-wrap-error" in described.split()
    expect(form.get_by_role("status")).not_to_contain_text("sparade")  # nothing was saved
    links.first.click()
    expect(form.get_by_label("Ja", exact=True)).to_be_focused()


def test_keyboard_alone_completes_a_form(page: Any, served: Serving) -> None:
    page.goto(served.url + FORM_STEP)
    answered: set[str] = set()
    for _ in range(80):  # every control of the form is reached within this many tabs
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement;
              return {tag: e.tagName, type: e.type || '', name: e.name || '',
                      inForm: !!e.closest('form#form-fragor'), text: e.textContent.trim()}; }"""
        )
        if not focused["inForm"]:
            continue
        kind, name = focused["type"], focused["name"]
        if kind in ("radio", "checkbox") and name not in answered:
            page.keyboard.press("Space")
            answered.add(name)
        elif kind in ("text", "textarea") and name not in answered:
            page.keyboard.type("Promenad")
            answered.add(name)
        elif kind == "submit":
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail("the submit button was never reached by keyboard")
    saved = page.locator(".form-saved")
    expect(saved).to_contain_text("Dina svar är sparade")
    expect(saved).to_be_focused()


def test_information_is_not_shown_as_a_success(page: Any, served: Serving) -> None:
    page.goto(served.url + FORM_STEP)
    info = page.locator(".question-info .form-info")
    expect(info).to_be_visible()
    colours = info.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).borderLeftStyle]"
    )
    assert colours[1] == "solid"  # inset text: a rule at the left, no green box
    assert colours[0] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), colours


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_a_video_keeps_its_frame_without_a_file(browser: Any, served: Serving, width: int) -> None:
    context, tab = _tab(browser, width)
    tab.goto(served.url + VIDEO_STEP)
    box = tab.locator(".media-frame").bounding_box()
    context.close()
    assert box and abs(box["width"] / box["height"] - 16 / 9) < 0.02, box


def test_catalogue_cards_are_wide_enough_to_read_on_a_desktop(page: Any, served: Serving) -> None:
    """Side by side only when each card is at least 32 em wide (its text column 30 em): at
    1280 px one card to a row, all as wide as the page's column."""
    page.goto(served.url)
    cards = page.locator(".cards > .card")
    assert cards.count() >= 3
    widths = cards.evaluate_all(
        "cs => cs.map(c => c.getBoundingClientRect().width"
        " / parseFloat(getComputedStyle(c).fontSize))"
    )
    assert min(widths) >= 32, widths
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first and second and second["y"] > first["y"] and second["x"] == first["x"]


@pytest.mark.parametrize("width", [390, 1280])
def test_catalogue_names_keep_whole_words(browser: Any, served: Serving, width: int) -> None:
    context, tab = _tab(browser, width)
    tab.goto(served.url)
    broken = tab.evaluate(broken_words(".cards h2 a"))
    context.close()
    assert broken == []
