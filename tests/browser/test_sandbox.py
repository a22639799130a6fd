"""A file that is not a page, opened on its own, runs no script: the preview sends it with
`Content-Security-Policy: sandbox`, so even HTML or SVG that got into a package stays inert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..conftest import EXAMPLE
from .serving import Serving

SCRIPT = "<script>window.ran = true;</script>"
PLANTED = {
    "page.html": f"<!DOCTYPE html><title>planted</title>{SCRIPT}",
    "image.svg": f'<svg xmlns="http://www.w3.org/2000/svg">{SCRIPT}</svg>',
}


def test_html_and_svg_in_media_run_no_script(browser: Any, tmp_path: Path) -> None:
    server = Serving([EXAMPLE], tmp=tmp_path)  # its build in tmp_path, where the test plants
    context = browser.new_context()
    try:
        (media,) = tmp_path.glob("sobc-serve-*/site/example/_media")
        for name, text in PLANTED.items():
            (media / name).write_text(text, encoding="utf-8")
        tab = context.new_page()
        for name in PLANTED:
            tab.goto(f"{server.url}example/_media/{name}")
            assert tab.evaluate("typeof window.ran") == "undefined", name
            assert tab.evaluate("window.origin") == "null", name  # no origin of the preview's
            assert tab.evaluate("document.querySelector('.preview-bar')") is None, name
    finally:
        context.close()
        server.close()
