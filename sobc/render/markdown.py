"""Markdown from content to HTML that cannot carry live markup.

Raw HTML is never parsed (`html=False`), and every URL — in links, images and the compiler's own
attributes — passes `check_url`, which allows http(s), mailto, tel and relative paths only.
External links are marked in text and get `rel="noopener noreferrer"`; external images are never
loaded (the pages make no external requests) but shown as a link to the image instead.

Two engines, one output. The reference is markdown-it-py with the core rule and render rules
below (`_reference_html`). `to_html` takes a fast path: markdown_it_pyrs (Rust, many times faster)
renders the same CommonMark (`FAST_PLUGINS`, no `html_block`/`html_inline`) and the rules are
then applied to the engine's own tags in its output string: heading levels, table alignment and
wrapper, links (checked, rebased or marked external) and images. That is sound because with raw
HTML off the engine escapes every `&`, `<`, `>` and `"` of text and attribute values, so every
`<` in its output starts a tag the engine made, and no attribute value holds a `>`. Safety does
not rest on the engines agreeing: on the fast path too, no raw HTML is parsed and every href and
src has passed `check_url`.

Where the fast path cannot be sure to give the reference's output, the whole text goes to the
reference instead: a link or image URL that `check_url` refuses (the reference's validateLink
leaves it as text), an external image (the reference makes it a link), a reference definition
with a refused URL (the reference keeps it as text), image alt text with entities, escapes,
autolinks or hard breaks (markdown_it_pyrs leaves those out of `alt`), and the constructs on
which the two engines were found to parse differently (`_engine_may_differ`: odd white space,
lazy block quote lines, some table and list edges, backticks after "[" on which markdown_it_pyrs
0.4 panics …). `tests/test_markdown_engine.py` holds the two to byte equality.

`link_targets` gives `checks.media` every link and image target from the same fast parser.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import markdown_it_pyrs
from markupsafe import Markup

if TYPE_CHECKING:  # markdown-it-py is imported when first used: `sobc validate` never needs it
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it_pyrs.markdown_it_pyrs import _PLUGIN_NAME as _Plugin

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
EXTERNAL_NOTE = Markup('<span class="visually-hidden"> (extern länk)</span>')
MEDIA_DIR = "_media"


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
    """A checked relative URL from the program folder, as seen from a page `prefix` deep."""
    if url.startswith(("#", "?")) or _SCHEME.match(url):
        return url
    if url.startswith("media/"):
        url = MEDIA_DIR + url[len("media") :]
    return prefix + url


def page_url(url: str, prefix: str) -> str:
    """A URL from content made ready for an attribute: checked, local paths rebased."""
    if not check_url(url):
        return "#"
    return local_url(url, prefix)


def _rewrite_inline(children: list[Token], prefix: str) -> list[Token]:
    from markdown_it.token import Token

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
    from markdown_it.token import Token

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
    from markdown_it import MarkdownIt

    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False}
    )
    md.enable("table")
    md.validateLink = check_url  # type: ignore[method-assign]
    md.core.ruler.push("sobc_safe", _core_rule)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


# ---- the fast path ----------------------------------------------------------------------------

# The reference's CommonMark ("commonmark" preset + table, no raw HTML) as markdown_it_pyrs plugins.
FAST_PLUGINS: list[_Plugin] = [
    "blockquote",
    "code",
    "fence",
    "heading",
    "hr",
    "lheading",
    "list",
    "paragraph",
    "reference",
    "autolink",
    "backticks",
    "emphasis",
    "entity",
    "escape",
    "image",
    "link",
    "newline",
    "table",
]


@cache
def fast_parser() -> markdown_it_pyrs.MarkdownIt:
    """The one markdown_it_pyrs configuration, for `to_html` and `link_targets` alike."""
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(FAST_PLUGINS)


def to_html(text: str, *, prefix: str = "", heading_offset: int = 1) -> Markup:
    """Block Markdown as sanitised HTML; headings moved down by `heading_offset` levels."""
    try:
        return Markup(_fast_html(text, prefix, heading_offset))
    except _Fallback:
        return Markup(_reference_html(text, prefix, heading_offset))
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3_runtime.PanicException)
        if not _is_panic(exc):
            raise
        return Markup(_reference_html(text, prefix, heading_offset))


def _reference_html(text: str, prefix: str, heading_offset: int) -> str:
    """The reference rendering: markdown-it-py with the rules above."""
    env = {"prefix": prefix, "heading_offset": heading_offset}
    return str(_parser().render(text, env))


class _Fallback(Exception):
    """The fast path cannot vouch for this text: render it with the reference."""


def _is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


# every tag the rewrite touches; attribute values never hold ">" (the engine escapes it)
_TAG = re.compile(r"<(/?)(a|img|h[1-6]|table|th|td|pre)(?=[ >])([^>]*)>")
_HREF = re.compile(r' href="([^"]*)"')
_SRC = re.compile(r' src="([^"]*)"')
_ALIGN = re.compile(r' style="text-align:([a-z]+)"')
_TABLE_OPEN = _table_open().removesuffix("\n")
_TABLE_CLOSE = _table_close().removesuffix("\n")
_EXTERNAL = ' class="external" rel="noopener noreferrer"'
_EXTERNAL_CLOSE = str(EXTERNAL_NOTE) + "</a>"
_EMPTY_QUOTE = "<blockquote>\n</blockquote>"
_INLINE_TAGS = {"a", "em", "strong", "code", "br", "img"}


def _fast_html(text: str, prefix: str, heading_offset: int) -> str:
    """markdown_it_pyrs's HTML with the reference's rules applied to its tags, or `_Fallback`."""
    if _engine_may_differ(text):
        raise _Fallback
    parser = fast_parser()
    if "]:" in text:
        _check_definitions(parser.tree(text))
    html = parser.render(text, xhtml=False)
    if "<" not in html:
        return html
    if _EMPTY_QUOTE in html:  # markdown-it-py writes an empty block quote on one line
        html = html.replace(_EMPTY_QUOTE, "<blockquote></blockquote>")
    links: list[bool] = []  # the open link, external or not
    images = False

    def rewrite(match: re.Match[str]) -> str:
        nonlocal images
        close, name, attrs = match.groups()  # attrs: "" or " name=…" up to the ">"
        if name[0] == "h":
            return f"<{close}h{min(6, int(name[1]) + heading_offset)}{attrs}>"
        if name == "a":
            if close:
                return _EXTERNAL_CLOSE if links.pop() else "</a>"
            if links:
                raise _Fallback  # the reference's rewrite follows one link at a time
            tag, external = _link_open(attrs, prefix)
            links.append(external)
            return tag
        if name == "img":
            images = True
            return _image(attrs, prefix)
        if name in ("table", "pre"):
            if close:
                return _TABLE_CLOSE if name == "table" else match.group()
            if _after_hidden_paragraph(match.string, match.start()):
                # in a tight list item the reference's fence, code block and table start right
                # after the paragraph's text, with no line break
                raise _Fallback
            return _TABLE_OPEN if name == "table" else match.group()
        if attrs:  # th, td
            aligned = _ALIGN.fullmatch(attrs)
            if not aligned:
                raise _Fallback
            return f'<{name} class="align-{aligned.group(1)}">'
        return match.group()

    html = _TAG.sub(rewrite, html)
    if links:
        raise _Fallback
    if images:
        _check_alt_texts(parser.tree(text))
    return html


@lru_cache(maxsize=1024)
def _link_open(attrs: str, prefix: str) -> tuple[str, bool]:
    """The reference's `<a …>` for the engine's, and whether the link is external."""
    found = _HREF.match(attrs)
    if not found:
        raise _Fallback
    url = _unescape(found.group(1))  # the normalised URL the reference's validateLink saw
    if not check_url(url):
        raise _Fallback  # the reference leaves the link as text
    if is_external(url):
        return "<a" + attrs + _EXTERNAL + ">", True
    return f'<a href="{_escape(local_url(url, prefix))}"{attrs[found.end() :]}>', False


@lru_cache(maxsize=1024)
def _image(attrs: str, prefix: str) -> str:
    """The reference's `<img …>` for the engine's (the alt text is checked apart)."""
    found = _SRC.match(attrs)
    if not found:
        raise _Fallback
    url = _unescape(found.group(1))
    if not check_url(url) or is_external(url):
        raise _Fallback  # the reference leaves it as text, or makes it a link
    return f'<img src="{_escape(local_url(url, prefix))}"{attrs[found.end() :]}>'


def _escape(value: str) -> str:
    """An attribute value escaped as markdown-it's `escapeHtml` does it."""
    if not any(ch in value for ch in '&<>"'):
        return value
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _unescape(value: str) -> str:
    """An attribute value as it was before the engine escaped it (only & < > " are)."""
    if "&" not in value:
        return value
    return (
        value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def _after_hidden_paragraph(html: str, at: int) -> bool:
    """True if the tag at `at` follows inline content (a tight list item's paragraph)."""
    if at < 2 or html[at - 1] != "\n":
        return False
    if html[at - 2] != ">":
        return True
    opening = html.rfind("<", 0, at - 2)
    name = re.match(r"</?([a-z0-9]+)", html[opening:])
    return name is None or name.group(1) in _INLINE_TAGS


def _check_definitions(tree: markdown_it_pyrs.Node) -> None:
    """The reference refuses a definition whose URL fails `check_url` (it stays text)."""
    for node in tree.walk():
        if node.name == "definition" and not check_url(str(node.meta.get("destination", ""))):
            raise _Fallback


def _check_alt_texts(tree: markdown_it_pyrs.Node) -> None:
    """markdown_it_pyrs leaves entities, escapes, autolinks and hard breaks out of `alt`, and
    makes a link or image in alt text of what the reference keeps as text (a refused URL)."""
    for node in tree.walk():
        if node.name == "image":
            for inner in node.walk(include_self=False):
                name = inner.name
                if name in ("text_special", "hardbreak", "autolink"):
                    raise _Fallback
                if name in ("link", "image") and not check_url(str(inner.meta.get("url", ""))):
                    raise _Fallback


# ---- where the engines disagree -----------------------------------------------------------------
# Each was found by tests/test_markdown_engine.py (differential, generated Markdown). The checks
# are deliberately coarse: a text that merely might hit one is rendered by the reference.

# White space that markdown-it-py (its own trim set, `str.strip`, `isWhiteSpace`) and Rust's
# `char::is_whitespace` treat differently; CR and NUL, which the engines normalise differently.
_ODD_SPACE = re.compile(
    r"[\x00\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# a fence's opening or closing line wherever it is (never paragraph text): up to three spaces,
# in block quotes or not (a list item's own line is left out: "2) ```" may be paragraph text)
_FENCE_LINE = re.compile(r"^(?:[ ]{0,3}>[ ]?)*[ ]{0,3}```[^`\n]*$", re.MULTILINE)
# a code span of only white space: the engines trim it differently
_BLANK_CODE = re.compile(r"`[ \t\n>]+`")
# a block quote's line (after indentation and list markers) followed by one without ">", or a
# nested quote: the engines disagree on lazy continuation lines
_LAZY_LINE = re.compile(
    r"^[ \t]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)*>(?:[ \t]*>|[^\n]*\n[ \t]*[^\s>])", re.MULTILINE
)
# a line with "|" and then a line of dashes: markdown-it-py makes a one-column table,
# markdown_it_pyrs a setext heading
_PIPE_SETEXT = re.compile(r"\|[^\n]*\n[ \t>]*-+[ \t]*(?:\n|$)")
# a list item's line with "|" and a delimiter row after it: a table head to markdown_it_pyrs even
# where markdown-it-py goes on with the list
_LIST_TABLE = re.compile(
    r"^[ \t>]*(?:[-*+]|[0-9]{1,9}[.)])[ \t][^\n]*\|[^\n]*\n[ \t>]*[-:|][-:| \t]*$", re.MULTILINE
)
# a delimiter row, then rows up to a list item that cannot interrupt a paragraph (empty, or
# numbered other than 1): markdown-it-py ends the table there, markdown_it_pyrs makes it a row
_TABLE_END = re.compile(
    r"^[ \t>]*[-:|][-:| \t]*\n(?:[ \t>]*[^\s>][^\n]*\n)*?"
    r"[ \t>]*(?:(?!0*1[.)])[0-9]{1,9}[.)](?:[ \t]|$)|(?:[-*+]|[0-9]{1,9}[.)])[ \t]*$)",
    re.MULTILINE,
)
# a reference label with brackets in it: a label to markdown-it-py, not to markdown_it_pyrs
_BRACKET_LABEL = re.compile(r"\]\[[^\]]*\[")
# "[x](" ending a line: markdown_it_pyrs may take "[x]" for a reference link, markdown-it-py not
_OPEN_PAREN_END = re.compile(r"\]\([ \t]*(?:\n|$)")


def _engine_may_differ(text: str) -> bool:
    """True for text the engines may parse differently, or markdown_it_pyrs may panic on."""
    if _ODD_SPACE.search(text):
        return True
    if "`" in text:
        # markdown_it_pyrs 0.4 panics (code_pair.rs: index out of bounds) on a backtick run
        # after a "[" that no run as long follows
        inline = _FENCE_LINE.sub("", text) if "```" in text else text
        bracket = inline.find("[")
        if (bracket >= 0 and "`" in inline[bracket:]) or _BLANK_CODE.search(inline):
            return True
    if ">" in text and _LAZY_LINE.search(text):
        return True
    if "|" in text and (
        _PIPE_SETEXT.search(text) or _LIST_TABLE.search(text) or _TABLE_END.search(text)
    ):
        return True
    if "\\\n" in text and ("](" in text or "]:" in text):
        return True  # a backslash ending a URL's line: markdown_it_pyrs reads on into the next
    if "]:" in text and (_BRACKET_LABEL.search(text) or _OPEN_PAREN_END.search(text)):
        return True
    if _symbol_flanks_delimiter(text):
        return True  # punctuation to markdown-it-py (CommonMark 0.31), not to markdown_it_pyrs
    # an unclosed fence: markdown_it_pyrs ends its code with a line break the text does not have
    return not text.endswith("\n") and ("```" in text or "~~~" in text)


def _symbol_flanks_delimiter(text: str) -> bool:
    """True if a non-ASCII symbol (Unicode S*) stands right before or after a * or _."""
    end = len(text)
    for mark in "*_":  # str.find is much faster here than a regular expression
        at = text.find(mark)
        while at >= 0:
            for near in (at - 1, at + 1):
                if 0 <= near < end:
                    ch = text[near]
                    if ch > "\x7f" and unicodedata.category(ch)[0] == "S":
                        return True
            at = text.find(mark, at + 1)
    return False


# ---- link and image targets, for `checks.media` ---------------------------------------------


def link_targets(text: str) -> list[tuple[str, bool]]:
    """Each link's and image's URL in `text`, in order, and whether it is an image without alt text.

    URLs as the parser has them (normalised; refused only by markdown-it's own `validateLink`,
    not by `check_url`: a local file is checked wherever the author points at it). Images in an
    image's alt text are not looked at: they never become images.
    """
    if "[" not in text and "<" not in text:
        return []
    if _engine_may_differ(text):
        return _reference_targets(text)
    try:
        tree = fast_parser().tree(text)
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return _reference_targets(text)
    found: list[tuple[str, bool]] = []
    stack = list(reversed(tree.children))
    while stack:
        node = stack.pop()
        name = node.name
        if name == "image":
            found.append((str(node.meta.get("url", "")), _blank_label(node, text)))
            continue
        if name in ("link", "autolink"):
            found.append((str(node.meta.get("url", "")), False))
        stack.extend(reversed(node.children))
    return found


def _blank_label(image: markdown_it_pyrs.Node, text: str) -> bool:
    """True if the image's label in the source (between `![` and `]`) is only white space."""
    for child in image.children:
        name = child.name
        if name == "text":
            if str(child.meta.get("content", "")).strip():
                return False
        elif name == "hardbreak":
            span = child.srcmap  # byte offsets
            if span is None or b"\\" in text.encode()[span[0] : span[1]]:
                return False  # a backslash before the line break
        elif name != "softbreak":
            return False
    return True


def _reference_targets(text: str) -> list[tuple[str, bool]]:
    """`link_targets` from markdown-it-py's tokens (with its own `validateLink`)."""
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
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


# ---- inline -----------------------------------------------------------------------------------


def inline(text: str, *, prefix: str = "") -> Markup:
    """Markdown for a label or heading: inline elements only, paragraphs joined."""
    return _inline(text, prefix)


@lru_cache(maxsize=4096)
def _inline(text: str, prefix: str) -> Markup:
    text = text.strip()
    fast = _fast_inline(text, prefix)
    if fast is not None:
        return Markup(fast)
    env = {"prefix": prefix, "heading_offset": 0}
    return Markup(_parser().renderInline(text, env).strip())


def _fast_inline(text: str, prefix: str) -> str | None:
    """A one-line label through the fast path: when the engine makes a single paragraph of it,
    that paragraph's content is what the reference's inline rendering gives (the same inline
    rules on the same text). Anything else — several lines, a line that is a heading, list,
    quote, rule or reference definition — is for the reference's inline mode."""
    if not text or "\n" in text or "\r" in text:
        return None
    try:
        html = _fast_html(text, prefix, 0)
    except _Fallback:
        return None
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        return None
    if not (html.startswith("<p>") and html.endswith("</p>\n")) or html.count("<p>") != 1:
        return None
    return html[3:-5].strip()
