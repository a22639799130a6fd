"""What a person sees, measured in Chromium: no word broken inside on any kind of page in either
perspective at 320, 390 and 1280 px, text columns wide enough to read on a desktop, headings
neither repeated side by side nor twice in one place of the outline, the clinician layer below
the patient's page at its normal width, and the printed guide with margins, page numbers and a
table of contents. The accessibility tests keep screenshots of every kind of page."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLE, PROGRAMS
from .conftest import WAIT_MS
from .pages import KINDS, page_of_kind, program
from .reading import BROKEN_WORDS, COLUMNS, HEADINGS
from .serving import Serving

WIDTHS = {"320": (320, 700), "390": (390, 844), "1280": (1280, 900)}
SOURCES = {
    "example": EXAMPLE,
    **{n: PROGRAMS / n for n in ("artrosskola", "plus", "sjukskrivningskollen")},
}
PERSPECTIVES = {"patient": "", "clinician": "_behandlare/"}
MIN_COLUMN_EM = 30  # running text narrower than this is hard to read
RUNNING_TEXT = 120  # characters: a paragraph, not a label or a card's line
MM = 72 / 25.4  # PDF points per millimetre


def _cases() -> list[tuple[str, str]]:
    return [(n, k) for n in SOURCES for k in KINDS if k != "catalogue" or n == "example"]


@pytest.fixture(scope="module", params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE")
    context.set_default_timeout(WAIT_MS)
    yield request.param, context.new_page()
    context.close()


def _open(tab: Any, served: Serving, name: str, kind: str, perspective: str) -> None:
    tab.goto(served.url + PERSPECTIVES[perspective] + page_of_kind(program(SOURCES[name]), kind))
    tab.wait_for_load_state("load")
    if perspective == "clinician" and kind in ("program", "module"):
        tab.locator("[data-sim-program]").first.wait_for(state="visible")


@pytest.mark.parametrize("perspective", list(PERSPECTIVES))
@pytest.mark.parametrize(("name", "kind"), _cases())
def test_no_word_is_broken_inside(
    served: Serving, sized: tuple[str, Any], name: str, kind: str, perspective: str
) -> None:
    width, tab = sized
    _open(tab, served, name, kind, perspective)
    broken = tab.evaluate(BROKEN_WORDS, "body")
    assert not broken, f"{tab.url} at {width} px: words broken inside: {broken[:10]}"


@pytest.mark.parametrize("perspective", list(PERSPECTIVES))
@pytest.mark.parametrize(("name", "kind"), _cases())
def test_headings_once_and_columns_wide_enough_on_a_desktop(
    served: Serving, page: Any, name: str, kind: str, perspective: str
) -> None:
    _open(page, served, name, kind, perspective)
    headings = page.evaluate(HEADINGS, "body")
    assert headings
    side_by_side = [b[1] for a, b in itertools.pairwise(headings) if a[1] == b[1]]
    assert not side_by_side, f"{page.url}: the same heading twice in a row: {side_by_side}"
    places = [(h[2], h[1]) for h in headings]
    twice = sorted({p for p in places if places.count(p) > 1})
    assert not twice, f"{page.url}: a heading twice in one place of the outline: {twice}"
    narrow = [
        (t, round(em, 1)) for t, em in page.evaluate(COLUMNS, RUNNING_TEXT) if em < MIN_COLUMN_EM
    ]
    assert not narrow, f"{page.url}: text columns under {MIN_COLUMN_EM} em at 1280 px: {narrow}"


def test_the_clinician_view_of_a_plus_step_keeps_the_patient_page_at_its_width(
    served: Serving, page: Any
) -> None:
    """The issue's done-when: at 1280 px the patient's page is as wide as without the layer, the
    layer stands below it, and no word in the layer is broken inside."""
    path = page_of_kind(program(SOURCES["plus"]), "form-step")
    boxes = {}
    for perspective, prefix in PERSPECTIVES.items():
        page.goto(served.url + prefix + path)
        boxes[perspective] = (
            page.locator("main h1").bounding_box(),
            page.locator("main .step").first.bounding_box(),
        )
    assert boxes["patient"] == boxes["clinician"]
    layer = page.locator(".clinician-layer").bounding_box()
    step = boxes["clinician"][1]
    assert layer and step and layer["y"] >= step["y"] + step["height"]
    assert layer["width"] >= step["width"]
    assert page.evaluate(BROKEN_WORDS, ".clinician-layer") == []
    tables = page.locator(".clinician-layer table")
    assert page.evaluate(
        "() => [...document.querySelectorAll('.clinician-layer :is(th, td, code)')]"
        ".every(c => getComputedStyle(c).overflowWrap !== 'anywhere')"
    ), tables


def _positions(pdf_page: Any) -> list[tuple[str, float, float]]:
    """Each piece of text on a PDF page with where it starts (points from the bottom left)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    pdf_page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("name", ["plus", "artrosskola", "sjukskrivningskollen"])
def test_the_printed_guide_has_margins_page_numbers_and_contents(
    served: Serving, page: Any, name: str, screenshots: Path
) -> None:
    from pypdf import PdfReader

    page.goto(f"{served.url}{name}/guide.html")
    page.emulate_media(media="print")
    toc = page.locator("nav.toc a").all_inner_texts()
    pdf = page.pdf(prefer_css_page_size=True)  # the guide's own @page: size, margins, numbers
    (screenshots.parent / f"{name}-guide-printed.pdf").write_bytes(pdf)  # for a person to read
    reader = PdfReader(io.BytesIO(pdf))
    count = len(reader.pages)
    assert count > 1 and toc
    for number, pdf_page in enumerate(reader.pages, 1):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        texts = _positions(pdf_page)
        footer = [t for t in texts if t[2] < 22 * MM]  # the bottom margin
        said = " ".join(t[0] for t in footer)
        assert said == f"Sida {number} av {count}", f"page {number} of {name}'s guide: {said!r}"
        body = [t for t in texts if t not in footer]
        assert all(15 * MM <= x <= width - 15 * MM for _, x, _ in body), f"page {number}: no margin"
        assert all(18 * MM <= y <= height - 18 * MM for _, _, y in body), (
            f"page {number}: no margin"
        )
    contents = " ".join(reader.pages[i].extract_text() for i in range(min(3, count)))
    assert "Innehåll" in contents
    assert all(entry in contents for entry in toc), "the table of contents is not printed"
