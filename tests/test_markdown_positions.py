"""Problems inside Markdown texts are reported where they are written: the offset of a link,
image or tag in the text (`findings.py`) and that offset's line and column in the YAML
file, whatever the scalar's style (`source.py`, `scalar_map.py`). Links to the program's own
pages (`step:`, `module:`) are checked and rendered; raw HTML is a warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sobc.check.findings import link_targets, raw_html
from sobc.check.validation import validate_program
from sobc.read.source import DEFAULT_PARSER, PURE_PYTHON, Parser, parse_bytes
from sobc.render.markdown import check_url, page_url, to_html

# Each writes the same kind of value three constructs deep; the needles are what is looked for.
STYLES = {
    "literal": "a:\n  body: |\n    Hej [x](y) och\n\n      ![](z) <b>\n",
    "literal, kept, indented 2": "a:\n  body: |+2\n     Hej [x](y)\n    ![](z)\n    <b>\n\n",
    "folded": "a:\n  body: >-\n    Hej [x](y) och\n    mer ![](z)\n\n    sist <b>\n",
    "plain": "a:\n  body: Hej [x](y) och\n    mer ![](z)\n\n    sist <b>\n",
    "single-quoted": "a:\n  body: 'Hej [x](y) it''s\n    mer ![](z)\n\n    sist <b>'\n",
    "double-quoted": (
        'a:\n  body: "Hej \\"[x](y)\\" \\u00e5\\n\\n![](z)\n    mer <b> \\\n    sist"\n'
    ),
    "flow": "a: {body: \"Hej [x](y)\", b: 1}\nc: ['![](z) <b>']\n",
    "CRLF": "a:\r\n  body: |\r\n    Hej [x](y)\r\n    ![](z) <b>\r\n",
    "Swedish letters": "a:\n  body: >\n    Åäö [x](y)\n    ö ![](z) ö <b>\n",
}


def _value_paths(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _value_paths(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _value_paths(v, (*path, i))]
    return [path] if isinstance(data, str) else []


@pytest.mark.parametrize("parser", [DEFAULT_PARSER, PURE_PYTHON], ids=["default", "pure-python"])
@pytest.mark.parametrize("style", STYLES)
def test_an_offset_in_a_value_is_where_that_character_is_written(
    style: str, parser: Parser
) -> None:
    doc, problems = parse_bytes(STYLES[style].encode(), "x.yaml", parser=parser)
    assert doc is not None, problems
    checked = 0
    for path in _value_paths(doc.data):
        value: Any = doc.data
        for part in path:
            value = value[part]
        assert isinstance(value, str)
        for needle in ("[x]", "![]", "<b>"):
            offset = value.find(needle)
            if offset < 0:
                continue
            where = doc.location(path, offset=offset)
            line = doc.source_line(where.line)
            assert line[where.col - 1 :].startswith(needle), (path, needle, where, line)
            checked += 1
    assert checked == 3


def test_an_offset_in_a_value_without_text_falls_back_to_the_value() -> None:
    doc, _ = parse_bytes(b"a:\n  n: 12\n", "x.yaml")
    assert doc is not None
    where = doc.location(("a", "n"), offset=1)
    assert (where.line, where.col) == (2, 6)


# ---- where each finding stands in the Markdown text -----------------------------------------

MARKDOWN = """\
# Rubrik med [länk](https://a.se)

- en punkt med ![bild](media/a.png)
  > och [citat](media/b.md) i den

| kolumn | [y](media/d.pdf) |
|---|---|
| [x](media/c.pdf) | `[kod](nej)` [x](media/c.pdf) |

1.\tTab [z](media/e.png)
Text <https://b.se> och [![inne](media/f.png)](media/g.pdf)
"""


def test_every_link_and_image_is_found_at_its_bracket() -> None:
    found = link_targets(MARKDOWN)
    assert [t.url for t in found] == [
        "https://a.se",
        "media/a.png",
        "media/b.md",
        "media/d.pdf",
        "media/c.pdf",
        "media/c.pdf",
        "media/e.png",
        "https://b.se",
        "media/g.pdf",
        "media/f.png",
    ]
    for target in found:
        opener = "<" if target.url == "https://b.se" else "![" if target.image else "["
        assert MARKDOWN.startswith(opener, target.offset), (target, MARKDOWN[target.offset :][:20])
    cells = [t.offset for t in found if t.url == "media/c.pdf"]
    assert cells[0] != cells[1]  # the same text in two cells, each at its own place


def test_raw_html_is_found_outside_code_and_escapes() -> None:
    text = (
        "Text <b>fet</b> och<br>\n\n    <i>indraget är kod</i>\n\n```\n<u>\n```\n\n"
        "`<s>` och \\<q> och <!-- kommentar --> och </div>\n\n![<em>alt</em>](media/a.png)\n"
    )
    found = raw_html(text)
    assert [h.text for h in found] == ["<b>", "<br>", "<!-- kommentar -->", "</div>"]
    for html in found:
        assert text.startswith(html.text, html.offset)


def test_text_full_of_angle_brackets_is_not_html() -> None:
    assert raw_html("a < b och c <> d, <3 och <<<" + "<a" * 50) == []


# ---- links to the program's pages -------------------------------------------------------------


def test_page_links_become_relative_links_to_the_pages() -> None:
    text = "[Andning](step:fordjupning/andning), [modulen](module:fordjupning), [in](step:m/index)"
    on_step_page = str(to_html(text, prefix="../"))
    assert 'href="../fordjupning/andning.html"' in on_step_page
    assert 'href="../fordjupning/index.html"' in on_step_page
    assert 'href="../m/index_.html"' in on_step_page  # a step called index: as views names it
    assert 'href="fordjupning/andning.html"' in str(to_html(text))


@pytest.mark.parametrize("address", ["step:fordjupning/andning", "module:fordjupning"])
def test_page_addresses_are_for_markdown_links_only(address: str) -> None:
    assert not check_url(address)
    assert page_url(address, "") == "#"
    assert "<img" not in str(to_html(f"![Bild]({address})"))
    assert "href" not in str(to_html(f"[trasig]({address.replace(':', ':Ä/')})"))


def _body(example: Path, markdown: str) -> None:
    path = example / "modules" / "grunder.yaml"
    data = yaml.safe_load(path.read_text())
    data["sections"][0]["steps"][0]["body"] = markdown
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_links_to_existing_pages_are_clean(example: Path) -> None:
    _body(example, "Se [andning](step:fordjupning/andning) och [modulen](module:kom-igang).")
    _, problems = validate_program(example, strict=True)
    assert problems == []


@pytest.mark.parametrize(
    ("address", "hint"),
    [
        ("step:fordjupning/andnig", "did you mean 'step:fordjupning/andning'?"),
        ("module:fordjupnin", "did you mean 'module:fordjupning'?"),
        (
            "step:fordjupning",
            "did you mean 'module:fordjupning'? a step is step:fordjupning/step-id",
        ),
        ("step:", "link to a page as (step:module-id/step-id) or (module:module-id)"),
    ],
)
def test_a_link_to_a_page_that_does_not_exist_is_an_error(
    example: Path, address: str, hint: str
) -> None:
    _body(example, f"Se [den]({address}).")
    _, problems = validate_program(example)
    assert [(d.code, d.hint) for d in problems] == [("SOBC331", hint)]


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("../fordjupning/andning.html", "to link to that page, write (step:fordjupning/andning)"),
        ("andning.html", "to link to that page, write (step:fordjupning/andning)"),
        ("../kom-igang/index.html", "to link to that page, write (module:kom-igang)"),
        ("../ingenting.html", "link to a page as (step:module-id/step-id) or (module:module-id)"),
        ("media/../../x.png", "media files live under media/ in the program folder"),
        ("bilder/x.png", "media files live under media/ in the program folder"),
    ],
)
def test_a_file_path_to_a_page_gets_the_page_link_as_hint(
    example: Path, path: str, hint: str
) -> None:
    _body(example, f"Se [den]({path}).")
    _, problems = validate_program(example)
    assert [d.code for d in problems] == ["SOBC311"]
    assert problems[0].hint.startswith(hint)


def test_raw_html_is_a_warning_at_the_tag(example: Path) -> None:
    _body(example, "Första raden\n\nText med <br> i.\n")
    _, problems = validate_program(example)
    assert [d.code for d in problems] == ["SOBC330"]
    location = problems[0].location
    assert location is not None
    assert problems[0].source_line[location.col - 1 :].startswith("<br>")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="[]()!<>a \n:\\`*", max_size=60))
@example("[a](b) [c](")
@example("![a](b) ![c]")
@example("[a]\n\n[a]: /x")
@example("[[[[a](b)")
def test_the_quick_no_link_test_never_changes_a_parse(text: str) -> None:
    """`_no_link_from` only skips what markdown-it would refuse anyway: the tokens are the
    same with it and without it."""
    from sobc.read import markdown as source

    quick = [t.as_dict() for t in source.parser().parse(text)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(source, "_no_link_from", lambda state, start: False)
        assert [t.as_dict() for t in source.parser().parse(text)] == quick
