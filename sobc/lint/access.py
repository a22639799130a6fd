"""Content accessibility (WCAG 2.1 AA, which DOS-lagen requires): headings in order, images
described, recordings captioned or transcribed, tables with headers, links that lead somewhere
and say where."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from .registry import Context, rule
from .texts import Text, images, links
from .wordlists import plain_link_text


@rule("accessibility", "SOBC520")
def heading_order(ctx: Context) -> None:
    """A heading more than one level below the one before it skips a level (WCAG 1.3.1): the
    pages repair the levels, but the author meant a structure the text does not have."""
    for text in ctx.texts:
        previous = 0
        for block in text.blocks:
            if block.kind != "heading":
                continue
            if previous and block.level > previous + 1:
                at = block.offset(0)
                ctx.report("SOBC520", text, at, level=block.level, previous=previous)
            previous = block.level


def _file_names(src: str) -> set[str]:
    name = PurePosixPath(urlsplit(src).path).name.lower()
    return {name, name.rsplit(".", 1)[0]} - {""}


@rule("accessibility", "SOBC521")
def image_descriptions(ctx: Context) -> None:
    """Alternative text that is the file's name describes nothing (WCAG 1.1.1). An image
    without any is an error of `sobc validate` (SOBC318)."""
    for text in ctx.texts:
        for image in images(text):
            alt = image.alt.strip().lower()
            if alt and alt in _file_names(image.src):
                ctx.report("SOBC521", text, image.offset, alt=image.alt.strip())
    for module in ctx.program.modules:
        for step in module.steps:
            media = step.media
            if media and media.description.strip().lower() in _file_names(media.src):
                location = step.ref.at("media", "description")
                ctx.at("SOBC521", location, step.ref.source_line, step, alt=media.description)


_VIDEO = re.compile(r"\.(mp4|webm|m4v|mov|ogv)\Z", re.IGNORECASE)
_AUDIO = re.compile(r"\.(mp3|m4a|ogg|oga|wav|opus|aac)\Z", re.IGNORECASE)


@rule("accessibility", "SOBC522", "SOBC523")
def recordings(ctx: Context) -> None:
    """A video needs captions (WCAG 1.2.2), a recording of sound a transcript (1.2.1)."""
    for module in ctx.program.modules:
        for step in module.steps:
            media = step.media
            if media is None:
                continue
            path = urlsplit(media.src).path
            video = step.type == "video" or _VIDEO.search(path)
            audio = step.type == "audio" or _AUDIO.search(path)
            if video and not media.captions:
                location = step.ref.at("media", "src")
                ctx.at("SOBC522", location, step.ref.source_line, step, step_id=step.id)
            elif audio and not media.transcript:
                location = step.ref.at("media", "src")
                ctx.at("SOBC523", location, step.ref.source_line, step, step_id=step.id)


@rule("accessibility", "SOBC524")
def table_headers(ctx: Context) -> None:
    """A table whose header row is empty (written so to get a table without headers) has no
    headers to read its cells by (WCAG 1.3.1)."""
    for text in ctx.texts:
        headers: dict[int, list[str]] = defaultdict(list)
        first: dict[int, int] = {}
        for block in text.blocks:
            if block.kind == "header":
                headers[block.table].append(block.token.content.strip())
                first.setdefault(block.table, block.offset(0))
        for table, cells in headers.items():
            if not any(cells):
                ctx.report("SOBC524", text, first[table])


_PLACEHOLDER_HOSTS = re.compile(r"(^|\.)example\.(org|com|net)\Z|\.invalid\Z|^localhost\Z")


def placeholder(href: str) -> bool:
    """'#', an address with TODO in it, or one at a domain reserved for examples."""
    if href.strip() in ("", "#") or "todo" in href.lower():
        return True
    host = (urlsplit(href).hostname or "").lower()
    return bool(_PLACEHOLDER_HOSTS.search(host))


@rule("accessibility", "SOBC525")
def placeholder_links(ctx: Context) -> None:
    """A link left as a placeholder leads nowhere (or to an example site). Recordings are
    allowed an example address until they exist (a step's media), links in text are not."""
    for text in ctx.texts:
        for link in links(text):
            if placeholder(link.href) or "todo" in link.words.lower():
                ctx.report("SOBC525", text, link.offset, address=link.href or "(empty)")


def _page(text: Text) -> object:
    """The page a text is shown on, for the links that must differ: a step's page, a module's
    page, a form, the start page; each clinician text stands alone."""
    if text.audience == "clinician":
        return text
    return text.step or text.module or (("form", text.form) if text.form else "start")


@rule("accessibility", "SOBC526")
def repeated_link_texts(ctx: Context) -> None:
    """Links with the same text on one page must lead to the same place (WCAG 2.4.4)."""
    seen: dict[tuple[object, str], str] = {}
    for text in ctx.texts:
        for link in links(text):
            words = plain_link_text(link.words)
            if not words:
                continue
            key = (_page(text), words)
            first = seen.setdefault(key, link.href)
            if first != link.href:
                ctx.report("SOBC526", text, link.offset, words=link.words.strip(), first=first)
