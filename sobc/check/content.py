"""What the pages carry: media files by the publishing rule, Markdown links and images, text
that looks like HTML, addresses on pages, and checklists with points."""

from __future__ import annotations

import os
from pathlib import Path

from ..model.program import Program
from ..paths import display_path
from ..runtime.layout import (
    MODULE_SCHEME,
    STEP_SCHEME,
    is_media_path,
    is_page_link,
    page_link_target,
    published_path,
)
from .findings import link_targets, raw_html, tag_name
from .media import (
    KINDS_TEXT,
    Reference,
    locate,
    markdown_texts,
    references,
    shown,
    unnamable,
    unpublishable,
)
from .media import files as media_files
from .reporter import Reporter, suggest
from .urls import check_url


def checklist_points(program: Program, report: Reporter) -> None:
    for checklist in program.checklists:
        if not checklist.items and not checklist.groups:
            report("SOBC376", checklist.ref, "id", id=checklist.id)


def page_addresses(program: Program, report: Reporter) -> None:
    """Every address a page links to must pass the renderer's URL check: a page would show a
    dead link ('#') in its place. Links inside Markdown are left as text by the renderer."""
    for module in program.modules:
        for step in module.steps:
            for key in ("src", "captions", "transcript", "poster"):
                address = getattr(step.media, key, None) if step.media else None
                # media/ files are published under safe names (SOBC311 says when they climb out)
                if address and not is_media_path(address) and not check_url(address):
                    where = f"step '{step.id}'"
                    report("SOBC321", step.ref, "media", key, referrer=where, address=address)
    for i, support in enumerate(program.support):
        for j, contact in enumerate(support.contacts):
            found = [("url", contact.url), ("email", contact.email and "mailto:" + contact.email)]
            for key, address in found:
                if address and not check_url(address):
                    at = ("support", i, "contacts", j, key)
                    where = f"the contact '{contact.name}'"
                    report("SOBC321", program.ref, *at, referrer=where, address=address)


def media(program: Program, report: Reporter) -> None:
    """The publishing rule (`media.py`): every file referred to exists, lies in media/, is of a
    kind sobc publishes and gets a name of its own; every file in media/ is referred to."""
    root = program.root
    used: set[Path] = set()
    names: dict[str, tuple[Path, str]] = {}  # published name → the file, as first written
    for r in references(program):
        at, offset = r.at, r.offset
        if (why := unnamable(r.path)) is not None:
            report("SOBC325", r.ref, *at, offset=offset, file=shown(r.path), reason=why)
            continue
        used.add(Path(os.path.realpath(root / r.path)))  # referred to, even if refused below
        real = locate(root, r.path)
        if real is None:
            hint = _outside_hint(program, r)
            report(
                "SOBC311",
                r.ref,
                *at,
                offset=offset,
                referrer=r.referrer,
                file=r.path,
                suggestion=hint,
            )
        elif not os.path.lexists(real):
            report("SOBC310", r.ref, *at, offset=offset, referrer=r.referrer, file=r.path)
        else:
            name = published_path(r.path)
            if (reason := unpublishable(real, r.limit)) is not None:
                report(
                    "SOBC322",
                    r.ref,
                    *at,
                    offset=offset,
                    file=r.path,
                    reason=reason,
                    kinds=KINDS_TEXT,
                )
            elif names.setdefault(name, (real, r.path))[0] != real:
                other = names[name][1]
                report("SOBC323", r.ref, *at, offset=offset, file=r.path, other=other, name=name)
    if program.unreadable_modules:
        return  # a module that could not be read may use any file: none is called unused
    for path in media_files(root):
        if Path(os.path.realpath(path)) not in used:
            report.file("SOBC324", path, file=display_path(path))


def _outside_hint(program: Program, r: Reference) -> str:
    """SOBC311's hint; for a link in Markdown that names a page, how to link to that page."""
    name = r.path.rsplit("/", 1)[-1]
    a_file = "." in name and not name.endswith(".html")  # a page has no other ending
    if r.offset is None or is_media_path(r.path) or a_file:
        return "media files live under media/ in the program folder"
    parts = [p for p in r.path.removesuffix(".html").split("/") if p not in ("", ".", "..")]
    if parts[-1:] == ["index"]:
        parts.pop()
    pages = _page_addresses(program)
    if parts:
        guesses = [f"step:{'/'.join(parts[-2:])}", f"module:{parts[-1]}"]
        guesses += [a for a in pages if a.startswith("step:") and a.endswith("/" + parts[-1])]
        for address in guesses:
            if address in pages:
                return f"to link to that page, write ({address})"
    return PAGE_HINT + "; files live under media/"


PAGE_HINT = "link to a page as (step:module-id/step-id) or (module:module-id)"


def _page_addresses(program: Program) -> list[str]:
    """Every page a Markdown link can lead to, as it is written."""
    found = []
    for module in program.modules:
        found.append(f"module:{module.id}")
        found.extend(f"step:{module.id}/{step.id}" for step in module.steps)
    return found


def markdown_links(program: Program, report: Reporter) -> None:
    """Images need alternative text; a link or image the pages would not make (a scheme other
    than https, mailto or tel, say) is an error, not text silently left in its place; a link
    to a page must lead to one. Links to files are the media rule's."""
    pages = _page_addresses(program)
    for md in markdown_texts(program):
        ref, where = md.ref, md.referrer
        for t in link_targets(md.text):
            if t.alt_missing:
                report("SOBC318", ref, *md.at, offset=t.offset, referrer=where)
            elif not t.image and is_page_link(t.url):
                if _unknown_page(program, t.url, pages):
                    hint = _page_suggestion(t.url, pages)
                    report(
                        "SOBC331",
                        ref,
                        *md.at,
                        offset=t.offset,
                        referrer=where,
                        address=t.url,
                        suggestion=hint,
                    )
            elif _addressed(t.url) and not check_url(t.url):
                report("SOBC321", ref, *md.at, offset=t.offset, referrer=where, address=t.url)


def _unknown_page(program: Program, url: str, pages: list[str]) -> bool:
    """A page link that leads to no page (a page of a module that could not be read may be
    there: it is not reported)."""
    if page_link_target(url) is None:
        return True
    module = url.split(":", 1)[1].split("/", 1)[0]
    return url not in pages and module not in program.unreadable_modules


def _page_suggestion(url: str, pages: list[str]) -> str:
    """SOBC331's hint: the page meant, when it can be told, else how a page link is written."""
    module_id = url.removeprefix(STEP_SCHEME)
    if url.startswith(STEP_SCHEME) and f"{MODULE_SCHEME}{module_id}" in pages:
        return f"did you mean '{MODULE_SCHEME}{module_id}'? a step is {url}/step-id"
    return suggest(url, pages) or PAGE_HINT


def markdown_html(program: Program, report: Reporter) -> None:
    """Text that looks like HTML is shown as text (the pages never carry raw HTML): a warning,
    with what to write instead."""
    for md in markdown_texts(program):
        for found in raw_html(md.text):
            html = found.text if len(found.text) <= 40 else found.text[:39] + "…"
            hint = _HTML_HINTS.get(tag_name(found.text), _HTML_HINT)
            report(
                "SOBC330",
                md.ref,
                *md.at,
                offset=found.offset,
                referrer=md.referrer,
                html=html,
                suggestion=hint,
            )


_HTML_HINT = "write it in Markdown: **bold**, *italic*, [a link](https://…), ![an image](media/…)"
_HTML_HINTS = {
    "br": "for a new paragraph, leave a blank line; for a line break, end the line with \\",
    "b": "write **bold** for bold text",
    "strong": "write **bold** for bold text",
    "i": "write *italic* for italic text",
    "em": "write *italic* for italic text",
    "img": "show an image with ![what it shows](media/file.png)",
    "a": "write a link as [text](https://…), or [text](step:module-id/step-id)",
    "p": "leave a blank line between paragraphs",
    "div": "leave a blank line between paragraphs",
    "ul": "write a list as lines that start with '- '",
    "ol": "write a numbered list as lines that start with '1. '",
    "li": "write a list as lines that start with '- '",
    "!--": "remove the comment: the page would show it",
    **{f"h{n}": "write a heading as a line that starts with '## '" for n in range(1, 7)},
}


def _addressed(url: str) -> bool:
    """A URL with a scheme or a host, as opposed to a path inside the program."""
    return url.startswith("//") or ":" in url.split("/", 1)[0]
