"""The fast Markdown path (markdown_it_pyrs + tag rewrite) gives the reference's output exactly.

The reference is the markdown-it-py renderer with sobc's core and render rules
(`markdown._reference_html`): `to_html` must equal it byte for byte on every text of the real
programs and on generated Markdown (hostile, and tame enough to stay on the fast path), and hand
what it cannot vouch for to the reference. `link_targets` (what `checks.media` looks at) must
equal what markdown-it-py's tokens give.

The guards in `markdown._engine_may_differ` were found by running these generators for over
10⁵ examples in all; `DISAGREEMENTS` keeps each finding, shrunk. To look again after changing the
guards or upgrading markdown_it_pyrs, raise `max_examples` (e.g. 20000) and run this file.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from benchmarks import corpus
from sobc import checks
from sobc.render import markdown
from sobc.render.markdown import _reference_html, check_url, link_targets, to_html
from sobc.source import load_document

from .conftest import EXAMPLE, PROGRAMS

PREFIXES = ["", "../", "../../", 'a"&<b>/']
OFFSETS = [0, 1, 2, 5]


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _content_texts() -> list[str]:
    texts: set[str] = set()
    for root in (PROGRAMS, EXAMPLE):
        for path in sorted(root.rglob("*.yaml")):
            document, problems = load_document(path)
            assert document is not None, problems
            texts.update(_strings(document.data))
    return sorted(texts)


CONTENT = _content_texts()


def _same(text: str, prefix: str, offset: int) -> None:
    fast = str(to_html(text, prefix=prefix, heading_offset=offset))
    assert fast == _reference_html(text, prefix, offset), text


def test_content_has_markdown() -> None:
    assert len(CONTENT) > 500
    assert sum("](" in text for text in CONTENT) >= 5
    assert sum("**" in text for text in CONTENT) >= 5
    assert sum("\n- " in text for text in CONTENT) >= 5


@pytest.mark.parametrize(("prefix", "offset"), [("", 1), ("../", 1), ("../../", 2), ("", 0)])
def test_fast_path_equals_reference_on_content(prefix: str, offset: int) -> None:
    for text in CONTENT:
        _same(text, prefix, offset)


def _takes_fast_path(text: str) -> bool:
    try:
        markdown._fast_html(text, "../", 1)
    except markdown._Fallback:
        return False
    return True


def test_fast_path_is_taken_for_content() -> None:
    """No real text needs the reference (else the fast path would be pointless)."""
    assert [text for text in CONTENT if not _takes_fast_path(text)] == []


def test_fast_path_on_the_benchmark_bodies() -> None:
    """The benchmark's generated bodies (tables, lists, links): equal, and all on the fast path."""
    rng = random.Random(7)
    bodies = [corpus.body(rng) for _ in range(300)]
    assert sum("| --- |" in text or "|---" in text for text in bodies) > 10
    for text in bodies:
        _same(text, "../", 1)
        assert _takes_fast_path(text), text
        assert link_targets(text) == markdown._reference_targets(text)


# ---- generated Markdown ------------------------------------------------------------------

URL_LIST = [
    "https://www.1177.se",
    "http://example.org/a?b=1&c=2#d",
    "HTTPS://EXAMPLE.ORG/Å",
    "https://example.org/a(b)c",
    "https://example.org/<x>",
    "mailto:a@b.se",
    "MAILTO:a@b.se",
    "tel:+46701234567",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#x09;script:alert(1)",
    "javascript&colon;alert(1)",
    "vbscript:msgbox",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/png;base64,AAAA",
    "ftp://example.org/x",
    "//evil.example/x",
    "/etc/passwd",
    "../../x",
    "media/../../x",
    "media/..",
    "media/bild.png",
    "media/film.vtt#t=1",
    "media/bild.png?v=1",
    "mediafil.png",
    "média/å ä.png",
    "<media/a b.png>",
    "<>",
    "",
    "#ankare",
    "?q=1&r=2",
    "a\\b",
    "a\\)b",
    "a%20b",
    "a%zz",
    "&amp;x",
    "&quot;x&quot;",
    'x"y',
    "sida.html",
    "https://example.org/bild.png",
    "  media/x.png  ",
]
URLS = st.sampled_from(URL_LIST)
GOOD_URLS = st.sampled_from([u for u in URL_LIST if check_url(u.strip("<> "))])
TITLES = st.sampled_from(["", ' "titel"', " 'titel'", ' "a & <b> \\"c\\""', " (paren)"])
WORDS = st.sampled_from(
    [
        "ord",
        "två ord",
        "Å",
        " ",
        "  ",
        "\t",
        "*",
        "**",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "&",
        '"',
        "'",
        "\\",
        "\\*",
        "\\\\",
        "\\[",
        "&amp;",
        "&nbsp;",
        "&#x27;",
        "&#0;",
        "&bogus;",
        "&copy",
        "<b>fet</b>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<!-- kommentar -->",
        "<a href='x'>",
        "</a>",
        "|",
        "\\|",
        "#",
        "\x00",
        "\u2028",
        "\xa0",
        "\x1c",
        "\r",
        "\ufeff",
        "\u0301",
        "©",
        "°",
        "€",
        "😀",
        "¡",
    ]
)


# what the engines may disagree on (see `markdown._engine_may_differ`): left out of TAME_WORDS so
# that the generated text exercises the fast path, not only the fallback
TAME_WORDS = WORDS.filter(
    lambda w: not any(ch in w for ch in "`<>\x00\u2028\xa0\x1c\r") and w != "\\"
)


def _table(cells: list[str], aligns: list[str], rows: int) -> str:
    n = len(aligns)
    head = "| " + " | ".join(cells[:n]) + " |"
    sep = "|" + "|".join(aligns) + "|"
    body = [
        "| " + " | ".join((cells[(r * n + i) % len(cells)]) for i in range(n)) + " |"
        for r in range(1, rows + 1)
    ]
    return "\n".join([head, sep, *body])


def _indent(text: str, marker: str) -> str:
    pad = " " * len(marker)
    return marker + text.replace("\n", "\n" + pad)


def markdown_texts(
    words: st.SearchStrategy[str], urls: st.SearchStrategy[str], *, hostile: bool
) -> st.SearchStrategy[str]:
    """Markdown made of `words` and `urls`: every inline and block construct, nested; `hostile`
    adds autolinks, code, backslash line breaks and lazy block quote lines."""

    def link(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(lambda t, u, ti: f"[{t}]({u}{ti})", inner, urls, TITLES)

    def image(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(lambda t, u, ti: f"![{t}]({u}{ti})", inner, urls, TITLES)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        options = [
            st.builds(lambda a, b: a + b, inner, inner),
            st.builds(lambda a, b, c: a + " " + b + " " + c, inner, inner, inner),
            st.builds(lambda t, m: f"{m}{t}{m}", inner, st.sampled_from(["*", "**", "_", "***"])),
            link(inner),
            image(inner),
            st.builds(lambda a, u: f"[![{a}]({u})](https://example.org)", inner, urls),
            st.builds(lambda t, r: f"[{t}][{r}]", inner, st.sampled_from(["r", "R", "x", ""])),
            st.sampled_from(["[r]", "[r][]", "[R]", "![r]", "![r][]"]),
            st.builds(lambda a, b: f"{a}  \n{b}", inner, inner),
            st.builds(lambda a, b: f"{a}\n{b}", inner, inner),
        ]
        if hostile:
            options += [
                st.builds(lambda t: f"`{t}`", inner),
                st.builds(lambda u: f"<{u}>", urls),
                st.sampled_from(["<a@b.se>", "<https://x.se/a b>", "<tel:+46>", "<ftp://x>"]),
                st.builds(lambda a, b: f"{a}\\\n{b}", inner, inner),
            ]
        return st.one_of(*options)

    inline = st.recursive(words, extend, max_leaves=12)
    cell = inline.map(lambda t: t.replace("\n", " "))
    table = st.builds(
        _table,
        st.lists(cell, min_size=1, max_size=6),
        st.lists(st.sampled_from(["---", ":--", "--:", ":-:", " :---: "]), min_size=1, max_size=3),
        st.integers(0, 3),
    )
    leaf = st.one_of(
        inline,
        st.builds(lambda n, t: "#" * n + " " + t.replace("\n", " "), st.integers(1, 7), inline),
        st.builds(lambda t, u: f"{t}\n{u}", inline, st.sampled_from(["===", "---", "-"])),
        st.builds(lambda t: "```sv\n" + t + "\n```", inline),
        st.builds(lambda t: "    " + t, inline),
        table,
        st.builds(
            lambda r, u, ti: f"[{r}]: {u}{ti}", st.sampled_from(["r", "R", "x"]), urls, TITLES
        ),
        st.sampled_from(["---", "***", "<div>\n*x*\n</div>", "<script>\nalert(1)\n</script>"]),
    )

    def nest(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        quote = (
            st.builds(lambda t: "> " + t.replace("\n", "\n> "), inner)
            if hostile  # may end in a lazy line
            else st.builds(lambda t: "> " + t.replace("\n", "\n> ") + "\n", inner)
        )
        return st.one_of(
            quote,
            st.builds(lambda a, b: f"{a}\n{b}", inner, inner),
            st.builds(lambda a, b: f"{a}\n\n{b}", inner, inner),
            st.builds(
                lambda ts, m, sep: sep.join(_indent(t, m) for t in ts),
                st.lists(inner, min_size=1, max_size=3),
                st.sampled_from(["- ", "* ", "1. ", "2) "]),
                st.sampled_from(["\n", "\n\n"]),
            ),
        )

    block = st.recursive(leaf, nest, max_leaves=5)
    return st.builds(
        lambda blocks, sep, end: sep.join(blocks) + end,
        st.lists(block, max_size=6),
        st.sampled_from(["\n\n", "\n"]),
        st.sampled_from(["", "\n"]),
    )


MARKDOWN = markdown_texts(WORDS, URLS, hostile=True)
TAME_MARKDOWN = markdown_texts(TAME_WORDS, GOOD_URLS, hostile=False)


# a few hundred examples a run; the guards were found with 10⁵ (see the module's docstring)
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(MARKDOWN, st.sampled_from(PREFIXES), st.sampled_from(OFFSETS))
@example("[a](media/x.png) ![b](media/y.png)", "../", 1)
@example("[a]: ftp://x\n\n[a]", "", 1)
@example("![a &amp; b](media/x.png)", "", 1)
def test_fast_path_equals_reference_on_hostile(text: str, prefix: str, offset: int) -> None:
    _same(text, prefix, offset)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TAME_MARKDOWN, st.sampled_from(PREFIXES), st.sampled_from(OFFSETS))
def test_fast_path_equals_reference_on_tame(text: str, prefix: str, offset: int) -> None:
    _same(text, prefix, offset)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=200), st.sampled_from(PREFIXES), st.sampled_from(OFFSETS))
def test_fast_path_equals_reference_on_any_text(text: str, prefix: str, offset: int) -> None:
    _same(text, prefix, offset)


# ---- the fallback ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[x](ftp://example.org/x)",
        "<ftp://example.org/x>",
        "![x](data:image/png;base64,AAAA)",
        "[x](/etc/passwd)",
        "[x](../../x)",
        "[x]()",
        "![x](https://example.org/a.png)",
        "[r]: ftp://example.org/x\n\n[r]",
        "[r]: ftp://example.org/x",
    ],
)
def test_unsafe_urls_take_the_reference_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(markdown._Fallback):
        markdown._fast_html(text, "", 1)
    calls: list[str] = []
    reference = markdown._reference_html

    def spy(text: str, prefix: str, offset: int) -> str:
        calls.append(text)
        return reference(text, prefix, offset)

    monkeypatch.setattr(markdown, "_reference_html", spy)
    html = str(to_html(text))
    assert calls == [text]
    for bad in ('href="ftp', 'href="/', 'href="../', 'src="data', "<img"):
        assert bad not in html


# Texts on which the engines were found to disagree (or markdown_it_pyrs to panic), shrunk.
DISAGREEMENTS = [
    "> > >",
    "[`](x)",
    "[`\\\n\\\\][R]",
    "[a `` b](x) `",
    "[\n2) ```\n",
    "| \xa0   \xa0 |\n|---|",
    "***\n\n1. två ord\u2028",
    "> | `\r a` |\n> |:--|",
    "[a](b\x00c)",
    "> a\n-\n- b",
    "> a\n| b |\n|---|",
    "> > [![**](a%20b)](https://example.org)\n> 2) [r]: https://www.1177.se",
    "| a |\n---",
    "a \\| b\n---",
    "- x\n- | a |\n  |---|---|",
    "| a |\n|---|\n| b |\n2) x",
    "*||\n-|-\n]\n-\n    []()",
    "1. a\n   | b |\n   |---|",
    "- a\n  ```\n  b\n  ```\n",
    "```\n\n> x",
    "> ``  \n> ``",
    "a `   ` b",
    "[r]: x\n[r][[r]]",
    "[r]:\\\n[r]",
    "[a](b\\\n)",
    "[r]: x\n\n[R](",
    "©_a_",
    "![&nbsp;\\* \\ a](media/x.png)",
    "![a <http://x> b](media/x.png)",
    "![a\\\nb](media/x.png)",
    "![[![|](media/..)](https://example.org)](mediafil.png)",
]


@pytest.mark.parametrize("text", DISAGREEMENTS)
def test_disagreements_are_rendered_by_the_reference(text: str) -> None:
    for prefix, offset in (("", 0), ("../", 1)):
        _same(text, prefix, offset)
    assert link_targets(text) == markdown._reference_targets(text)


@pytest.mark.parametrize("text", DISAGREEMENTS[1:])  # "> > >": the rewrite mends it
def test_disagreements_are_real(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without its guards the fast path would get each wrong: a guard no longer needed (a newer
    markdown_it_pyrs) shows up here and may go."""
    monkeypatch.setattr(markdown, "_engine_may_differ", lambda text: False)
    try:
        fast = markdown._fast_html(text, "", 0)
    except markdown._Fallback:
        return
    except BaseException as exc:
        assert markdown._is_panic(exc)
        return
    assert fast != _reference_html(text, "", 0)


def test_a_panic_in_the_engine_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a panic slip past `_engine_may_differ`, the reference still renders the text."""
    monkeypatch.setattr(markdown, "_engine_may_differ", lambda text: False)
    with pytest.raises(BaseException, match="index out of bounds"):
        markdown._fast_html("[`](x)", "", 1)
    assert str(to_html("[`](x)")) == _reference_html("[`](x)", "", 1)
    assert link_targets("[`](x)") == markdown._reference_targets("[`](x)")


def test_fallback_keeps_unsafe_links_as_text() -> None:
    html = str(to_html("Se [här](ftp://example.org/x) och <ftp://example.org/y>."))
    assert "<a" not in html
    assert "[här](ftp://example.org/x)" in html and "&lt;ftp://example.org/y&gt;" in html


# ---- checks.media ------------------------------------------------------------------------

_OLD = MarkdownIt("commonmark", {"html": False})  # what checks.py parsed with before


def _old_targets(text: str) -> list[tuple[str, bool]]:
    """What `checks._markdown_files` looked at when it walked markdown-it-py tokens itself."""
    found: list[tuple[str, bool]] = []
    for token in _OLD.parse(text):
        for child in token.children or ():
            if child.type == "image":
                found.append((str(child.attrs.get("src", "")), not child.content.strip()))
            elif child.type == "link_open":
                found.append((str(child.attrs.get("href", "")), False))
    return found


def test_media_targets_unchanged_on_content() -> None:
    for text in CONTENT:
        assert link_targets(text) == _old_targets(text), text


def test_media_targets_equal_reference_on_content() -> None:
    for text in CONTENT:
        assert link_targets(text) == markdown._reference_targets(text), text


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(MARKDOWN, TAME_MARKDOWN))
@example("![\\\n](media/x.png) ![  \n ](media/y.png) ![ \t](media/z.png) ![](media/w.png)")
@example("![&nbsp;](media/x.png) ![\\ ](media/y.png) ![a ![](b.png)](c.png) ![[a](d)](e)")
def test_media_targets_equal_reference_on_generated(text: str) -> None:
    assert link_targets(text) == markdown._reference_targets(text), text


def test_media_checks_on_a_program(example: Path) -> None:
    """The rule reports through the same codes as before (SOBC310, SOBC311, SOBC318)."""
    seen: list[tuple[str, tuple[Any, ...]]] = []

    def report(code: str, ref: Any, *at: Any, **_: Any) -> None:
        seen.append((code, at))

    body = "![](media/saknas.png) [x](../utanfor.txt) [ok](https://x.se) [#](#a)"
    checks._markdown_files(example, body, report, None, "step 'x'", "body")  # type: ignore[arg-type]
    assert [code for code, _ in seen] == ["SOBC318", "SOBC310", "SOBC311"]


# ---- inline (labels, titles, options) ---------------------------------------------------------


def _reference_inline(text: str, prefix: str) -> str:
    env = {"prefix": prefix, "heading_offset": 0}
    return str(markdown._parser().renderInline(text.strip(), env).strip())


def _same_inline(text: str, prefix: str) -> None:
    markdown._inline.cache_clear()
    assert str(markdown.inline(text, prefix=prefix)) == _reference_inline(text, prefix)


def test_inline_fast_path_equals_reference_on_content() -> None:
    lines = {line for text in CONTENT for line in text.splitlines() if line.strip()}
    assert len(lines) > 100
    fast = 0
    for line in sorted(lines):
        for prefix in ("", "../"):
            _same_inline(line, prefix)
        fast += markdown._fast_inline(line.strip(), "") is not None
    assert fast > len(lines) / 2  # most labels never reach markdown-it-py


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(MARKDOWN, st.sampled_from(PREFIXES))
@example("# rubrik", "")
@example("[a]: https://x.se", "")
@example("1. punkt", "../")
@example("a  ", "")
def test_inline_fast_path_equals_reference(text: str, prefix: str) -> None:
    for line in text.splitlines() or [text]:
        _same_inline(line, prefix)
