"""Markdown and templates: nothing from content becomes live markup; URLs are checked."""

from __future__ import annotations

import pytest

from sobc.render.markdown import check_url, heading_levels, inline, page_url, to_html
from sobc.render.pages import environment

EVIL = """
# Rubrik

<script>alert(1)</script>

<img src=x onerror=alert(1)>

[klick](javascript:alert(1)) [klick2](JAVASCRIPT:alert(1)) [k3](java&#x09;script:alert(1))
[data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox) [proto](//evil.example/x)
![bild](javascript:alert(1)) <javascript:alert(1)> [abs](/etc/passwd) [up](../../x)
"""


def test_raw_html_and_bad_links_are_never_live() -> None:
    html = str(to_html(EVIL))
    assert "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html.lower()
    assert 'href="data:' not in html and "vbscript:" not in html.split("[vb](")[0]
    assert 'href="//' not in html and 'href="/etc' not in html
    assert "<a " not in html and "<img" not in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.1177.se", True),
        ("http://example.org/a?b#c", True),
        ("mailto:a@b.se", True),
        ("tel:+46701234567", True),
        ("media/bild.png", True),
        ("#ankare", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example", False),
        ("/absolut", False),
        ("../utanfor", False),
        ("media/../../x", False),
        ("ftp://x", False),
        ("", False),
    ],
)
def test_check_url(url: str, ok: bool) -> None:
    assert check_url(url) is ok


def test_external_links_are_marked() -> None:
    html = str(to_html("Se [1177](https://www.1177.se)."))
    assert 'rel="noopener noreferrer"' in html
    assert 'class="external"' in html
    assert "(extern länk)" in html


def test_external_images_are_not_loaded() -> None:
    html = str(to_html("![Ett diagram](https://example.org/a.png)"))
    assert "<img" not in html
    assert "Ett diagram" in html and 'href="https://example.org/a.png"' in html


def test_local_media_paths_are_rebased() -> None:
    html = str(to_html("![Knä](media/kna.png)", prefix="../"))
    assert '<img src="../_media/kna.png" alt="Knä">' in html


def test_headings_move_down_and_tables_have_no_inline_style() -> None:
    html = str(to_html("# A\n\n| x | y |\n|:-:|--:|\n| 1 | 2 |\n", under=1))
    assert "<h2>A</h2>" in html
    assert "style=" not in html
    assert 'class="align-center"' in html
    assert '<div class="table-wrap" role="region" aria-label="Tabell: x, y" tabindex="0">' in html


def test_inline_has_no_paragraphs() -> None:
    assert str(inline("Mår du **bra**?")) == "Mår du <strong>bra</strong>?"


def test_page_url_refuses_unsafe_urls() -> None:
    assert page_url("javascript:alert(1)", "") == "#"
    assert page_url("media/film.vtt", "../") == "../_media/film.vtt"


def test_environment_escapes_everything() -> None:
    env = environment()
    assert env.autoescape is True
    template = env.from_string("{{ x }}")
    assert template.render(x="<b onclick=x>") == "&lt;b onclick=x&gt;"


def test_undefined_names_are_errors() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        environment().from_string("{{ nothing.here }}").render()


def test_templates_use_safe_only_nowhere() -> None:
    from sobc.render.pages import TEMPLATES

    for path in TEMPLATES.glob("*.j2"):
        assert "|safe" not in path.read_text().replace(" ", ""), path


@pytest.mark.parametrize(
    ("written", "under", "levels"),
    [
        ([2, 3, 2], 1, [2, 3, 2]),  # '##' under the page's h1 is h2
        ([1, 2], 1, [2, 3]),  # '#' likewise: the text's top heading is one below
        ([2, 4, 4, 2], 1, [2, 3, 3, 2]),  # no level skipped within the text
        ([3, 2], 2, [3, 3]),  # a text that starts below its top heading: no skip either
        ([2, 4, 3], 1, [2, 3, 3]),
        ([1, 2, 3, 4, 5, 6], 3, [4, 5, 6, 6, 6, 6]),  # never past h6
        ([], 2, []),
    ],
)
def test_headings_follow_the_page_structure(
    written: list[int], under: int, levels: list[int]
) -> None:
    assert heading_levels(written, under) == levels


def test_a_body_rendered_under_a_heading() -> None:
    assert str(to_html("## Vad är stress?\n\n#### Kroppen\n", under=1)) == (
        "<h2>Vad är stress?</h2>\n<h3>Kroppen</h3>\n"
    )


def test_day_counts_are_swedish_singular_and_plural() -> None:
    from sobc.render.guide import days

    assert (days(1), days(3)) == ("1 dag", "3 dagar")
