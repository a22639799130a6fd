"""Markdown from content to HTML that cannot carry live markup (markdown-it-py).

Raw HTML is never parsed (`html=False`), and every URL — in links, images and the compiler's own
attributes — passes `check_url`, which allows http(s), mailto, tel and relative paths only; a
link it refuses keeps only its text (the checks report it first: SOBC321). External links are
marked in text and get `rel="noopener noreferrer"`; external images are never loaded (the pages
make no external requests) but shown as a link to the image instead. Media files are linked by
their published names (`layout.published_path`), and links to the program's own pages
(`step:module-id/step-id`, `module:module-id`) by the pages' paths (`layout.page_link_target`).

The parse also notes, for the checks (`findings.py`), where each link and image starts in its
inline text (`meta["pos"]` of its first token) and where text that looks like HTML stands
(`meta["html"]` of the inline token): the pages show it as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.html_re import close_tag, comment, open_tag
from markdown_it.common.utils import escapeHtml
from markdown_it.parser_inline import RuleFuncInlineType
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline, autolink, image, link
from markdown_it.token import Token
from markupsafe import Markup

from ..layout import is_media_path, page_link_target, published_path

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


# ---- rendering --------------------------------------------------------------------------------
# A body is parsed once (`parse`, kept for the checks' `link_targets` and for every rendering)
# and never changed after: what depends on the page — where its links point, its heading levels
# — is decided by the render rules below, from `env`.


def _core_rule(state: StateCore) -> None:
    """Table alignment as a class, not an inline style (the pages' CSP allows none)."""
    for tok in state.tokens:
        if tok.type in ("th_open", "td_open"):
            style = str(tok.attrGet("style") or "")
            if style:
                tok.attrs.pop("style", None)
                tok.attrSet("class", "align-" + style.split(":")[-1].strip())


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


def _heading_open(self: Any, tokens: Sequence[Token], idx: int, _: Any, env: Any) -> str:
    level = env["headings"].pop(0)
    env.setdefault("open_headings", []).append(level)
    # as markdown-it's own renderToken: a line break after a hidden paragraph (tight lists)
    before = "\n" if idx and tokens[idx - 1].hidden else ""
    return f"{before}<h{level}>"


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


def _table_close(*_: Any) -> str:
    return "</table>\n</div>\n"


# ---- where things stand in the text, for the checks -------------------------------------------

# Text the pages show as text although it looks like HTML: tags and comments. Matched within a
# bounded stretch from each '<', so that text full of '<' stays linear.
_HTML = re.compile(f"{open_tag}|{close_tag}|{comment}")
_HTML_REACH = 1000
_SRC, HTML_KEY = "sobc_src", "sobc_html"  # in the env: the inline text parsed, [(pos, html)]
_BY_MARKER: dict[str, RuleFuncInlineType] = {"[": link, "!": image, "<": autolink}


def _link_or_image(state: StateInline, silent: bool) -> bool:
    """markdown-it's own rules link, image and autolink in one (each starts at a character of
    its own), noting where in the inline text the link or image starts (`meta["pos"]`), and
    where text that looks like HTML does (it stays text)."""
    start = state.pos
    rule = _BY_MARKER.get(state.src[start])
    if rule is None:
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
def _parser() -> MarkdownIt:
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
    rules = {
        "heading_open": _heading_open,
        "heading_close": _heading_close,
        "link_open": _link_open,
        "link_close": _link_close,
        "image": _image,
        "table_open": _table_open,
        "table_close": _table_close,
    }
    for name, rule in rules.items():
        md.add_render_rule(name, rule)
    return md


@lru_cache(maxsize=256)
def parse(text: str) -> tuple[Token, ...]:
    """A body's tokens, parsed once: the checks and the pages read the same ones (shared:
    never change them)."""
    return tuple(_parser().parse(text))


def to_html(text: str, *, prefix: str = "", under: int = 1) -> Markup:
    """Block Markdown as sanitised HTML, its headings placed under a heading of level `under`
    (`heading_levels`)."""
    return Markup(_html(text, prefix, under))


@lru_cache(maxsize=1024)
def _html(text: str, prefix: str, under: int) -> str:
    """Each distinct body is rendered once per page depth and place (a form or note may appear
    on many pages)."""
    md = _parser()
    tokens = list(parse(text))
    written = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    env: dict[str, Any] = {"prefix": prefix, "headings": heading_levels(written, under)}
    return str(md.renderer.render(tokens, md.options, env))


# ---- inline -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def inline(text: str, *, prefix: str = "") -> Markup:
    """Markdown for a label or heading: inline elements only, paragraphs joined."""
    env = {"prefix": prefix}
    return Markup(_parser().renderInline(text.strip(), env).strip())
