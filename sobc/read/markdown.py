"""Markdown as sobc reads it, for the checks and the pages alike (markdown-it-py): one parser,
CommonMark with tables and without raw HTML; each body parsed once (`parse`).

The parse also notes, for the checks (`findings.py`), where each link and image starts in its
inline text (`meta["pos"]` of its first token) and where text that looks like HTML stands
(`meta["html"]` of the inline token): the pages show it as text. Every link is a link to the
parser, so that the checks see it; the renderer (`render/markdown.py`) refuses what
`urls.check_url` refuses.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.html_re import close_tag, comment, open_tag
from markdown_it.parser_inline import RuleFuncInlineType
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, autolink, image, link
from markdown_it.token import Token


def _core_rule(state: StateCore) -> None:
    """Table alignment as a class, not an inline style (the pages' CSP allows none)."""
    for tok in state.tokens:
        if tok.type in ("th_open", "td_open"):
            style = str(tok.attrGet("style") or "")
            if style:
                tok.attrs.pop("style", None)
                tok.attrSet("class", "align-" + style.split(":")[-1].strip())


# Text the pages show as text although it looks like HTML: tags and comments. Matched within a
# bounded stretch from each '<', so that text full of '<' stays linear.
_HTML = re.compile(f"{open_tag}|{close_tag}|{comment}")
_HTML_REACH = 1000
_SRC, HTML_KEY = "sobc_src", "sobc_html"  # in the env: the inline text parsed, [(pos, html)]
_MARKS = "sobc_link_marks"  # in the env: each inline text's last `](` and `)` (`_no_link_from`)
_BY_MARKER: dict[str, RuleFuncInlineType] = {"[": link, "!": image, "<": autolink}


def _link_or_image(state: StateInline, silent: bool) -> bool:
    """markdown-it's own rules link, image and autolink in one (each starts at a character of
    its own), noting where in the inline text the link or image starts (`meta["pos"]`), and
    where text that looks like HTML does (it stays text)."""
    start = state.pos
    rule = _BY_MARKER.get(state.src[start])
    if rule is None or (rule is not autolink and _no_link_from(state, start)):
        return False
    count = len(state.tokens)
    if rule(state, silent):
        if not silent:
            made = state.tokens[count:]  # a text token may come first: what was pending
            first = next((t for t in made if t.type in ("link_open", "image")), None)
            if first is not None:
                first.meta["pos"] = start
        return True
    # not in an image's alt text (parsed on its own): it never becomes text of the page
    if rule is autolink and not silent and state.src is state.env.get(_SRC):
        found = _HTML.match(state.src, start, min(state.posMax, start + _HTML_REACH))
        if found is not None:
            state.env[HTML_KEY].append((start, found.group()))
    return False


def _no_link_from(state: StateInline, start: int) -> bool:
    """Whether no link or image can start at `start`: an inline one needs `](` and a `)` after
    it; only a reference one (when the text defines references) needs neither. Told from the
    last of each in the text, found once per text: a run of 300,000 `[`, `![` or `[a](` would
    otherwise cost a label or address scan at each (8 s, 20 times ordinary text)."""
    if state.env.get("references"):
        return False
    marks: dict[int, tuple[str, int, int]] = state.env.setdefault(_MARKS, {})
    src = state.src
    found = marks.get(id(src))
    if found is None or found[0] is not src:
        found = marks[id(src)] = (src, src.rfind("]("), src.rfind(")"))
    _, bracket, paren = found
    return bracket < start or paren < start


def _inline_core(state: StateCore) -> None:
    """markdown-it's own core rule `inline`, keeping the HTML-looking text of each inline token
    in its `meta["html"]`."""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            noted: list[tuple[int, str]] = []
            state.env[_SRC], state.env[HTML_KEY] = token.content, noted
            state.md.inline.parse(token.content, state.md, state.env, token.children)
            if noted:
                token.meta["html"] = noted


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False}
    )
    md.enable("table")
    # every link is a link to the parser, so that the checks see it; the render rules refuse
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.core.ruler.push("sobc_table_alignment", _core_rule)
    md.core.ruler.at("inline", _inline_core)
    md.inline.ruler.at("link", _link_or_image)
    md.inline.ruler.disable(["image", "autolink"])
    return md


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[Token, ...]:
    """A body's tokens, parsed once: the checks and the pages read the same ones (shared:
    never change them)."""
    return tuple(parser().parse(text))
