"""The clinician's perspective: the layer on each page and the "program started" simulation."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .serving import Serving


def test_switch_perspective_with_the_keyboard(page: Any, served: Serving) -> None:
    page.goto(served.url + "plus/stress/index.html")
    expect(page.locator(".clinician-layer")).to_have_count(0)
    page.get_by_role("link", name="Behandlarvy").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(served.url + "_behandlare/plus/stress/index.html")
    layer = page.locator(".clinician-layer")
    expect(layer.get_by_role("heading", name="För behandlaren")).to_be_visible()
    expect(layer.get_by_role("heading", name="I korthet")).to_be_visible()
    expect(layer.get_by_role("heading", name="Mål")).to_be_visible()
    expect(layer.get_by_role("cell", name="introduktion", exact=True)).to_be_visible()
    # Links inside the clinician tree stay in it.
    page.locator(".step-list a").first.click()
    expect(page).to_have_url(served.url + "_behandlare/plus/stress/introduktion.html")
    expect(page.locator(".clinician-layer")).to_contain_text("Steg-id")
    page.get_by_role("link", name="Patientvy").click()
    expect(page).to_have_url(served.url + "plus/stress/introduktion.html")
    expect(page.locator(".clinician-layer")).to_have_count(0)


def test_start_a_module_and_choose_exercises(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/plus/index.html")
    sim = page.locator("[data-sim-program=plus]")
    coming = sim.locator("[data-sim-place=coming]", has_text="Ångest")
    started = sim.locator("[data-sim-place=started]", has_text="Ångest")
    seen = sim.locator("[data-sim-place=patient]", has_text="Ångest")
    expect(coming).to_be_visible()
    expect(started).to_be_hidden()
    expect(seen).to_be_hidden()

    sim.get_by_role("button", name="Starta modulen Ångest").click()
    expect(coming).to_be_hidden()
    expect(started).to_be_visible()
    expect(sim.get_by_role("button", name="Avsluta modulen Ångest")).to_be_focused()
    expect(seen.get_by_role("link", name="Ångest", exact=True)).to_be_visible()

    choice = started.get_by_role("checkbox").first
    label = choice.evaluate("c => c.labels[0].textContent")
    exercise = seen.get_by_role("link", name=label, exact=True)
    expect(exercise).to_be_hidden()  # a selectable exercise is not shown until chosen
    choice.check()
    expect(exercise).to_be_visible()

    page.reload()  # the simulation is kept in this browser
    expect(started).to_be_visible()
    expect(exercise).to_be_visible()
    exercise.click()  # and shows the page as the patient sees it
    expect(page.locator(".clinician-layer")).to_have_count(0)
    page.go_back()
    sim.get_by_role("button", name="Rensa simuleringen").click()
    expect(coming).to_be_visible()
    expect(seen).to_be_hidden()


def test_choose_the_patients_track(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/sjukskrivningskollen/index.html")
    sim = page.locator("[data-sim-program=sjukskrivningskollen]")
    coming = sim.locator("[data-sim-place=coming]")
    employed = coming.and_(page.locator("[data-sim-module=introduktion]"))
    seeking = coming.and_(page.locator("[data-sim-module=introduktion-arbetssokande]"))
    expect(employed).to_be_visible()
    expect(seeking).to_be_visible()
    sim.get_by_label("Patienter som är arbetssökande").check()
    expect(employed).to_be_hidden()
    expect(seeking).to_be_visible()
    expect(sim.locator("[data-sim-place=started]", has_text="Innan du börjar")).to_be_visible()
    page.reload()
    expect(sim.get_by_label("Patienter som är arbetssökande")).to_be_checked()
    sim.get_by_label("Alla spår").check()
    expect(employed).to_be_visible()


def test_patient_pages_follow_the_simulated_start(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/plus/index.html")
    sim = page.locator("[data-sim-program=plus]")
    sim.get_by_role("button", name="Starta modulen Ångest").click()
    started = sim.locator("[data-sim-place=started]", has_text="Ångest")
    choices = started.get_by_role("checkbox")
    expect(choices).to_have_count(2)
    chosen = choices.nth(0).evaluate("c => c.labels[0].textContent.trim()")
    other = choices.nth(1).evaluate("c => c.labels[0].textContent.trim()")
    choices.nth(0).check()
    page.goto(served.url + "plus/angest/index.html")  # the patient's own page
    steps = page.locator(".step-list")
    expect(steps.get_by_role("link", name=chosen)).to_be_visible()
    expect(steps.get_by_role("link", name=other)).to_be_hidden()
    expect(steps.get_by_role("link", name="Introduktion").first).to_be_visible()


def test_simulated_step_list_is_numbered_once(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/plus/index.html")
    sim = page.locator("[data-sim-program=plus]")
    sim.get_by_role("button", name="Starta modulen Ångest").click()
    seen = sim.locator("[data-sim-place=patient]", has_text="Ångest")
    item = seen.locator("li", has_text="01.1").first
    expect(item).to_be_visible()
    assert item.evaluate("li => getComputedStyle(li).listStyleType") == "none"


def test_the_layer_below_the_page_and_tables_that_stack_or_scroll(
    page: Any, served: Serving
) -> None:
    for path in ("plus/index.html", "plus/angest/index.html", "artrosskola/benovningar/index.html"):
        page.goto(served.url + path)
        patient = page.locator("main h1").bounding_box()
        page.goto(served.url + "_behandlare/" + path)
        layer = page.locator(".clinician-layer").bounding_box()
        heading = page.locator("main h1").bounding_box()
        assert heading == patient, f"{path}: the patient's page keeps its place and width"
        assert layer and heading and layer["x"] <= heading["x"] + 1, path
        assert layer["width"] >= 0.9 * page.locator("main").bounding_box()["width"], path
        cells = page.evaluate(
            """[...document.querySelectorAll('.clinician-layer :is(th, td)')]
            .map(c => getComputedStyle(c).overflowWrap)"""
        )
        assert cells and "anywhere" not in cells, path
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(served.url + "_behandlare/plus/index.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_summary_says_which_flags_the_live_score_would_fire(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/example/kom-igang/hur-mar-du.html")
    layer = page.locator(".clinician-layer")
    summary = layer.locator(".clinician-summary")
    expect(summary.get_by_role("heading", name="I korthet")).to_be_visible()
    expect(summary).to_contain_text("Tydliga besvär: När patienten skickar in formuläret")
    expect(summary).to_contain_text("Summa 0–9: 0–2 inga besvär, 3–5 lindriga besvär")
    state = layer.locator("[data-score-flag] .flag-state")
    expect(state).to_have_text("går inte i gång")
    form = page.locator("form[data-form=mabra]")
    form.locator("input[name=orolig][value=ofta]").check()  # 2 p
    form.locator("#f-mabra-sover-3").check()  # 3 p
    form.locator("input[name=glad][value=aldrig]").check()  # reversed: 3 p
    expect(layer.locator("output[data-total=summa]")).to_have_text("8 – Tydliga besvär")
    expect(state).to_have_text("går i gång när formuläret skickas in")


def test_the_module_page_counts_the_steps_the_patient_sees(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/plus/index.html")
    sim = page.locator("[data-sim-program=plus]")
    sim.get_by_role("button", name="Starta modulen Ångest").click()
    page.goto(served.url + "plus/angest/index.html")
    shown = page.locator(".step-list li[data-step-key]:visible").count()
    every = page.locator(".step-list li[data-step-key]").count()
    assert shown < every  # the exercises not chosen are left out
    expect(page.locator("[data-progress]")).to_have_text(
        f"Du har läst 0 av {shown} steg i modulen."
    )
    page.goto(served.url + "plus/index.html")  # the start page: modules visible or started
    cards = page.locator(".module-list li[data-module]")
    visible = page.locator(".module-list li[data-module]:visible")
    expect(visible.filter(has_text="Ångest")).to_have_count(1)
    assert visible.count() < cards.count()


def test_previous_and_next_skip_the_steps_not_chosen(page: Any, served: Serving) -> None:
    page.goto(served.url + "_behandlare/plus/index.html")
    sim = page.locator("[data-sim-program=plus]")
    sim.get_by_role("button", name="Starta modulen Ångest").click()
    started = sim.locator("[data-sim-place=started]", has_text="Ångest")
    started.get_by_role("checkbox", name="Andningsövning").check()  # not "Att närma sig …"
    page.goto(served.url + "plus/angest/angest-kan-se-olika-ut.html")
    following = page.locator(".pager a[rel=next]")
    expect(following).to_have_attribute("href", re.compile(r"(^|/)andningsovning\.html$"))
    expect(following).to_contain_text("Andningsövning")
    aside = page.locator(".step-aside")
    expect(aside.get_by_role("link", name="Att närma sig det svåra")).to_be_hidden()
    page.goto(served.url + "plus/angest/andningsovning.html")
    previous = page.locator(".pager a[rel=prev]")
    expect(previous).to_have_attribute("href", re.compile(r"(^|/)angest-kan-se-olika-ut\.html$"))
