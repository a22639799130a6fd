"""A person walks the preview: catalogue → program → module → step, for each real program."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ..conftest import PROGRAMS
from .pages import program
from .serving import Serving

REAL = ["artrosskola", "sjukskrivningskollen", "plus"]


def test_catalogue_lists_every_served_program(page: Any, served: Serving) -> None:
    page.goto(served.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Program")
    for name in REAL:
        title = program(PROGRAMS / name).title
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Patientvy")).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("name", REAL)
def test_walk_program_module_step(page: Any, served: Serving, name: str) -> None:
    prog = program(PROGRAMS / name)
    module = prog.modules[0]
    step = module.steps[0]
    page.goto(served.url)
    page.get_by_role("link", name=prog.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(prog.title)
    page.locator(".module-list a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(module.title)
    page.locator(".step-list a").first.click()
    expect(page.locator("article h1")).to_contain_text(step.title)
    if len(module.steps) > 1:
        page.get_by_role("link", name="Nästa steg").click()
        expect(page.locator("article h1")).to_contain_text(module.steps[1].title)
    expect(page.locator(".clinician-layer")).to_have_count(0)
