"""Markdown from content to HTML that cannot carry live markup (markdown-it-py).

Raw HTML is never parsed (`html=False`), and every URL — in links, images and the compiler's own
attributes — passes `check_url`, which allows http(s), mailto, tel and relative paths only; a
link it refuses keeps only its text (the checks report it first: SOBC321). External links are
marked in text and get `rel="noopener noreferrer"`; external images are never loaded (the pages
make no external requests) but shown as a link to the image instead. Media files are linked by
their published names (`layout.published_path`), and links to the program's own pages
(`step:module-id/step-id`, `module:module-id`) by the pages' paths (`layout.page_link_target`).

Bodies are parsed by `markdown_source.parse`, the parse the checks read; this module renders the
tokens with rules of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup

from ..check.urls import SCHEME, check_url, is_external
from ..read.markdown import parse, parser
from ..runtime.layout import is_media_path, page_link_target, published_path

EXTERNAL_NOTE = Markup('<span class="visually-hidden"> (extern länk)</span>')


def local_url(url: str, prefix: str) -> str:
    """A relative URL from the program folder, as seen from a page `prefix` deep; a media file
    by the name it is published under (`layout.published_path`)."""
    if url.startswith(("#", "?")) or SCHEME.match(url):
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


# ---- rendering --------------------------------------------------------------------------------
# A body is parsed once (`parse`, kept for the checks' `link_targets` and for every rendering)
# and never changed after: what depends on the page — where its links point, its heading levels
# — is decided by the render rules below, from `env`.


def heading_levels(written: Sequence[int], under: int) -> list[int]:
    """The levels of a text's headings (as written, in order) on a page where the text stands
    under a heading of level `under`: the levels the text uses, in their order, become the
    levels below `under` (`##` and `####` → h2 and h3 under an h1), and no heading is more than
    one level below the one before it, so no level is ever skipped (nor past h6)."""
    rank = {level: n for n, level in enumerate(sorted(set(written)), start=1)}
    levels, previous = [], under
    for level in written:
        previous = min(6, under + rank[level], previous + 1)
        levels.append(previous)
    return levels


LONG_WORD = 13  # letters: a heading with a longer word is set smaller on a phone (sobc.css)


def has_long_word(text: str) -> bool:
    """Whether a heading has a word too long for a phone's line at the heading's full size."""
    return any(len(word) > LONG_WORD for word in text.split())


def _heading_open(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    level = env["headings"].pop(0)
    env.setdefault("open_headings", []).append(level)
    # as markdown-it's own renderToken: a line break after a hidden paragraph (tight lists)
    before = "\n" if idx and tokens[idx - 1].hidden else ""
    inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
    long = inline is not None and has_long_word(inline.content)
    attrs = ' class="long-words"' if long else ""
    return f"{before}<h{level}{attrs}>"


def _heading_close(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    return f"</h{env['open_headings'].pop()}>\n"


Attrs = dict[str, str | int | float]


def _tag(renderer: Any, name: str, attrs: Attrs) -> str:
    """An opening tag with these attributes, escaped as markdown-it escapes its own."""
    return f"<{name}{renderer.renderAttrs(Token(name, name, 1, attrs=attrs))}>"


def _link_open(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    """An allowed link, rebased or marked external; a link to one of the program's pages to its
    path; a refused one leaves only its text."""
    href = str(tokens[idx].attrGet("href") or "")
    page = page_link_target(href)
    kind = "external" if is_external(href) else "local" if page or check_url(href) else "refused"
    env.setdefault("links", []).append(kind)
    if kind == "refused":
        return ""
    prefix = str(env.get("prefix", ""))
    attrs: Attrs = (
        {"href": href, "class": "external", "rel": "noopener noreferrer"}
        if kind == "external"
        else {"href": prefix + page if page is not None else local_url(href, prefix)}
    )
    title = tokens[idx].attrGet("title")
    if title is not None:
        attrs["title"] = title
    return _tag(self, "a", attrs)


def _link_close(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    kind = env["links"].pop()
    return {"refused": "", "external": f"{EXTERNAL_NOTE}</a>"}.get(kind, "</a>")


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A local image; an external one as a link to it (pages load nothing from elsewhere); a
    refused one as its alternative text."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = str(self.renderInlineAsText(token.children or [], options, env))
    if is_external(src):
        link: Attrs = {"href": src, "class": "external", "rel": "noopener noreferrer"}
        text = escapeHtml("Bild: " + (token.content or "utan beskrivning"))
        return f"{_tag(self, 'a', link)}{text}{EXTERNAL_NOTE}</a>"
    if not check_url(src):
        return escapeHtml(alt)
    attrs: Attrs = {"src": local_url(src, str(env.get("prefix", ""))), "alt": alt}
    title = token.attrGet("title")
    if title is not None:
        attrs["title"] = title
    return _tag(self, "img", attrs)


def _table_open(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    """A region that may scroll sideways must be reachable by keyboard (WCAG 2.1.1), and named
    apart from the page's other regions: by the table's column headings."""
    label = escapeHtml("Tabell: " + ", ".join(_column_headings(tokens, idx)))
    return f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">\n<table>\n'


def _column_headings(tokens: Sequence[Token], idx: int) -> list[str]:
    found = []
    for token in tokens[idx + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            found.append(token.content.strip())
    return found


def _text(self: Any, tokens: Sequence[Token], idx: int, *_: Any) -> str:
    """Text, with a place to break the line after a slash between words
    ("telefonkontakt/mottagningsbesök"): a narrow column wraps there, not inside a word."""
    return re.sub(r"(?<=\w/)(?=\w)", "<wbr>", escapeHtml(tokens[idx].content))


def _table_close(*_: Any) -> str:
    return "</table>\n</div>\n"


# ---- where things stand in the text, for the checks -------------------------------------------


@cache
def _renderer() -> RendererHTML:
    """The HTML renderer with sobc's rules: its own, so the shared parser stays as it is."""
    renderer = RendererHTML()
    rules: dict[str, Any] = {
        "heading_open": _heading_open,
        "heading_close": _heading_close,
        "link_open": _link_open,
        "link_close": _link_close,
        "image": _image,
        "table_open": _table_open,
        "table_close": _table_close,
        "text": _text,
    }
    for name, rule in rules.items():
        renderer.rules[name] = rule.__get__(renderer)  # as MarkdownIt.add_render_rule does
    return renderer


def to_html(text: str, *, prefix: str = "", under: int = 1) -> Markup:
    """Block Markdown as sanitised HTML, its headings placed under a heading of level `under`
    (`heading_levels`)."""
    return Markup(_html(text, prefix, under))


@lru_cache(maxsize=1024)
def _html(text: str, prefix: str, under: int) -> str:
    """Each distinct body is rendered once per page depth and place (a form or note may appear
    on many pages)."""
    tokens = list(parse(text))
    written = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    env: dict[str, Any] = {"prefix": prefix, "headings": heading_levels(written, under)}
    return str(_renderer().render(tokens, parser().options, env))


# ---- inline -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def inline(text: str, *, prefix: str = "") -> Markup:
    """Markdown for a label or heading: inline elements only, paragraphs joined."""
    env = {"prefix": prefix}
    md = parser()
    return Markup(_renderer().render(md.parseInline(text.strip(), env), md.options, env).strip())
