"""Editing a source file reloads the open page; a broken file shows the problems until fixed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .serving import Serving

STEP = "example/grunder/introduktion.html"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_edit_reloads_and_errors_show_until_fixed(
    page: Any, serve: Callable[[Path], Serving], example_copy: Path
) -> None:
    server = serve(example_copy)
    module = example_copy / "modules" / "grunder.yaml"
    original = module.read_text(encoding="utf-8")
    page.goto(server.url + STEP)
    heading = page.locator("article h1")
    expect(heading).to_have_text("01.1 Introduktion")
    page.evaluate("() => { window.sobcTestMarker = 1; }")

    module.write_text(original.replace("title: Introduktion", "title: Inledning"), "utf-8")
    expect(heading).to_have_text("01.1 Inledning")
    assert page.evaluate("() => window.sobcTestMarker") is None  # the page reloaded itself

    edited = module.read_text(encoding="utf-8")
    module.write_text(edited.replace("length_days: 90", "length_days: nittio"), "utf-8")
    overlay = page.locator("#sobc-preview-problems")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(f"grunder.yaml:{_line_of(module, 'length_days')}:")
    expect(overlay).to_contain_text("Felen står på engelska")  # the frame is Swedish …
    problem = overlay.locator("li[lang=en]")  # … each problem English, as sobc validate writes it
    expect(problem).to_contain_text(re.compile(r"error\[SOBC\d{3}\]: "))
    expect(problem).not_to_contain_text("Fel ")
    excerpt = overlay.locator("pre.problem-excerpt")
    expect(excerpt).to_have_text(re.compile(r"\d+ \| length_days: nittio\s+\|\s+\^"))
    expect(heading).to_have_text("01.1 Inledning")  # the last good page stays

    module.write_text(edited, "utf-8")
    expect(overlay).to_have_count(0)
    expect(heading).to_have_text("01.1 Inledning")


def test_a_program_broken_from_the_start_comes_up_when_fixed(
    page: Any, serve: Callable[[Path], Serving], example_copy: Path
) -> None:
    program = example_copy / "program.yaml"
    original = program.read_text(encoding="utf-8")
    program.write_text(original + "\nokänd-nyckel: 1\n", "utf-8")
    server = serve(example_copy)
    page.goto(server.url + STEP)
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsvisningen väntar")
    overlay = page.locator("#sobc-preview-problems")
    expect(overlay).to_contain_text(f"program.yaml:{len(original.splitlines()) + 2}:")
    program.write_text(original, "utf-8")
    expect(overlay).to_have_count(0)
    expect(page.locator("article h1")).to_have_text("01.1 Introduktion")
