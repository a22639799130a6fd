"""The clinician guide in Chromium: printed to PDF (page count, no table row cut across pages),
no sideways scrolling on a phone, module names never broken mid-word on a desktop."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ..conftest import PROGRAMS
from .pages import broken_words
from .serving import Serving

REAL = ("artrosskola", "plus", "sjukskrivningskollen")
# A guide much longer than this has lost its print style (or breaks a page where it need not).
MAX_PAGES = {"artrosskola": 40, "plus": 50, "sjukskrivningskollen": 70}

# The printed text of each cell of every body row (text only screen readers get is not printed).
ROWS = """() => [...document.querySelectorAll('main table tbody tr')].map(
  tr => [...tr.children].map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('.visually-hidden').forEach(e => e.remove());
    return copy.textContent;
  }))"""
ENDS = 40  # a cell is found by its first and last characters: print adds links' addresses


def _squeeze(text: str) -> str:
    """Text without white space, list bullets and ligatures: the PDF's line breaks fall elsewhere
    than the page's, and its text has the bullets and ligatures the page's text has not."""
    return re.sub(r"[\s•◦▪]+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def guides(browser: Any) -> Any:
    server = Serving([PROGRAMS])
    yield server
    server.close()


@pytest.mark.parametrize("name", REAL)
def test_guide_prints_without_cutting_a_table_row(
    guides: Serving, page: Any, name: str, screenshots: Path
) -> None:
    from pypdf import PdfReader

    page.goto(f"{guides.url}{name}/guide.html")
    page.emulate_media(media="print")
    rows = page.evaluate(ROWS)
    pdf = page.pdf(
        format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
    )
    (screenshots.parent / f"{name}-guide.pdf").write_bytes(pdf)  # for a person to look at
    reader = PdfReader(io.BytesIO(pdf))
    texts = [_squeeze(p.extract_text()) for p in reader.pages]
    assert 1 < len(texts) <= MAX_PAGES[name], len(texts)
    assert rows
    for cells in rows:
        pages = set(range(len(texts)))
        for cell in filter(None, (_squeeze(c) for c in cells)):
            head, tail = cell[:ENDS], cell[-ENDS:]
            pages &= {i for i, text in enumerate(texts) if head in text and tail in text}
        assert pages, f"a row of {name}'s guide is cut across pages or missing: {cells}"


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("name", REAL)
def test_guide_never_scrolls_sideways_on_a_phone(
    guides: Serving, browser: Any, name: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(f"{guides.url}{name}/guide.html")
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    wide = tab.evaluate(
        """[...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.getAttribute('aria-label'))"""
    )
    context.close()
    assert not wide, f"tables scroll sideways at {width} px: {wide}"


@pytest.mark.parametrize("name", REAL)
def test_module_names_keep_whole_words_on_a_desktop(guides: Serving, page: Any, name: str) -> None:
    page.goto(f"{guides.url}{name}/guide.html")
    assert page.locator("#moduler table a").count() > 0
    assert page.evaluate(broken_words("#moduler table a")) == []
