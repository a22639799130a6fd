"""Markdown from content to HTML that cannot carry live markup (markdown-it-py).

Raw HTML is never parsed (`html=False`), and every URL — in links, images and the compiler's own
attributes — passes `check_url`, which allows http(s), mailto, tel and relative paths only.
External links are marked in text and get `rel="noopener noreferrer"`; external images are never
loaded (the pages make no external requests) but shown as a link to the image instead.

`link_targets` gives `checks.media` every link and image target from the same parser.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from ..layout import is_media_path, published_path

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_NOTE = Markup('<span class="visually-hidden"> (extern länk)</span>')


def check_url(url: str) -> bool:
    """True if the URL is http(s), mailto, tel, or a relative path that stays in the package."""
    if not url or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url):
        return False
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    if ":" in head:
        match = _SCHEME.match(url)
        return match is not None and match.group(1).lower() in _ALLOWED_SCHEMES
    if url.startswith("/"):
        return False
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return ".." not in path.split("/")


def is_external(url: str) -> bool:
    match = _SCHEME.match(url)
    return match is not None and match.group(1).lower() in ("http", "https")


def local_url(url: str, prefix: str) -> str:
    """A relative URL from the program folder, as seen from a page `prefix` deep; a media file
    by the name it is published under (`layout.published_path`)."""
    if url.startswith(("#", "?")) or _SCHEME.match(url):
        return url
    if is_media_path(url):
        fragment = url[url.index("#") :] if "#" in url else ""
        return prefix + quote(published_path(url)) + fragment
    return prefix + url


def page_url(url: str, prefix: str) -> str:
    """A URL from content made ready for an attribute: checked, local paths rebased."""
    if is_media_path(url):  # published under a safe name, whatever the author wrote
        return local_url(url, prefix)
    if not check_url(url):
        return "#"
    return local_url(url, prefix)


def _rewrite_inline(children: list[Token], prefix: str) -> list[Token]:
    out: list[Token] = []
    external_open = False
    for tok in children:
        if tok.type == "link_open":
            href = str(tok.attrGet("href") or "")
            external_open = is_external(href)
            if external_open:
                tok.attrSet("class", "external")
                tok.attrSet("rel", "noopener noreferrer")
            else:
                tok.attrSet("href", local_url(href, prefix))
        elif tok.type == "link_close" and external_open:
            note = Token("html_inline", "", 0)
            note.content = str(EXTERNAL_NOTE)
            out.append(note)
            external_open = False
        elif tok.type == "image":
            src = str(tok.attrGet("src") or "")
            if is_external(src):
                out.extend(_image_as_link(tok, src))
                continue
            tok.attrSet("src", local_url(src, prefix))
        out.append(tok)
    return out


def _image_as_link(tok: Token, src: str) -> list[Token]:
    link = Token("link_open", "a", 1)
    link.attrs = {"href": src, "class": "external", "rel": "noopener noreferrer"}
    text = Token("text", "", 0)
    text.content = "Bild: " + (tok.content or "utan beskrivning")
    note = Token("html_inline", "", 0)
    note.content = str(EXTERNAL_NOTE)
    return [link, text, note, Token("link_close", "a", -1)]


def _core_rule(state: StateCore) -> None:
    env = state.env
    prefix = str(env.get("prefix", ""))
    offset = int(env.get("heading_offset", 0))
    for tok in state.tokens:
        if tok.type in ("heading_open", "heading_close"):
            level = min(6, int(tok.tag[1]) + offset)
            tok.tag = f"h{level}"
        elif tok.type in ("th_open", "td_open"):
            style = str(tok.attrGet("style") or "")
            if style:
                tok.attrs.pop("style", None)
                tok.attrSet("class", "align-" + style.split(":")[-1].strip())
        elif tok.type == "inline" and tok.children:
            tok.children = _rewrite_inline(tok.children, prefix)


def _table_open(*_: Any) -> str:
    # a region that may scroll sideways must be reachable by keyboard (WCAG 2.1.1)
    return '<div class="table-wrap" role="region" aria-label="Tabell" tabindex="0">\n<table>\n'


def _table_close(*_: Any) -> str:
    return "</table>\n</div>\n"


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False}
    )
    md.enable("table")
    md.validateLink = check_url  # type: ignore[method-assign]
    md.core.ruler.push("sobc_safe", _core_rule)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


def to_html(text: str, *, prefix: str = "", heading_offset: int = 1) -> Markup:
    """Block Markdown as sanitised HTML; headings moved down by `heading_offset` levels."""
    return Markup(_html(text, prefix, heading_offset))


@lru_cache(maxsize=4096)
def _html(text: str, prefix: str, heading_offset: int) -> str:
    """Each distinct body is rendered once per process (a form or note may appear on many pages)."""
    env = {"prefix": prefix, "heading_offset": heading_offset}
    return str(_parser().render(text, env))


# ---- link and image targets, for `checks.media` ---------------------------------------------


def link_targets(text: str) -> list[tuple[str, bool]]:
    """Each link's and image's URL in `text`, in order, and whether it is an image without alt text.

    URLs as the parser has them (normalised; refused only by markdown-it's own `validateLink`,
    not by `check_url`: a local file is checked wherever the author points at it). Images in an
    image's alt text are not looked at: they never become images.
    """
    if "[" not in text and "<" not in text:
        return []  # every link and image has one or the other
    found: list[tuple[str, bool]] = []
    for token in _targets_parser().parse(text):
        for child in token.children or ():
            if child.type == "image":
                found.append((str(child.attrs.get("src", "")), not child.content.strip()))
            elif child.type == "link_open":
                found.append((str(child.attrs.get("href", "")), False))
    return found


@cache
def _targets_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


# ---- inline -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def inline(text: str, *, prefix: str = "") -> Markup:
    """Markdown for a label or heading: inline elements only, paragraphs joined."""
    env = {"prefix": prefix, "heading_offset": 0}
    return Markup(_parser().renderInline(text.strip(), env).strip())
