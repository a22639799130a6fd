"""Klarspråk and Svenska skrivregler: bureaucratic words, abbreviation forms, link texts that
say nothing, web addresses as text, words in capitals, exclamation marks in clinician text.
The rules themselves are data (`wordlists.py` reads them)."""

from __future__ import annotations

import re

from .registry import Context, rule
from .texts import links, prose, without_targets
from .wordlists import plain_link_text


@rule("language", "SOBC510", "SOBC511")
def plain_words(ctx: Context) -> None:
    words, abbreviations = ctx.rules.matchers()
    for text in ctx.texts:
        for block in text.blocks:
            content = prose(block.token.content)
            for code, matcher in (("SOBC510", words), ("SOBC511", abbreviations)):
                for m, r in matcher.find(content):
                    at = block.offset(m.start())
                    ctx.report(code, text, at, found=m.group(), use=r.use, source=r.source)


_CAPITALS = re.compile(r"(?<![\w-])[A-ZÅÄÖÉÜ]{2,}(?:-[A-ZÅÄÖÉÜ]+)*(?![\w-])")


@rule("language", "SOBC514")
def capitals(ctx: Context) -> None:
    """A word of six or more capital letters, or two words in capitals in a row, that is no
    known acronym: shouting, and hard to read."""
    known = ctx.rules.acronyms
    for text in ctx.texts:
        for block in text.blocks:
            words = prose(block.token.content)
            shouted = [m for m in _CAPITALS.finditer(words) if m.group() not in known]
            reported: set[int] = set()
            for m, after in zip(shouted, [*shouted[1:], None], strict=False):
                in_a_row = after is not None and not words[m.end() : after.start()].strip()
                if (len(m.group()) >= 6 or in_a_row) and m.start() not in reported:
                    ctx.report("SOBC514", text, block.offset(m.start()), word=m.group())
                if in_a_row and after is not None:
                    reported.add(after.start())


@rule("language", "SOBC515")
def exclamations(ctx: Context) -> None:
    for text in ctx.texts:
        if text.audience != "clinician":
            continue
        for block in text.blocks:
            at = prose(block.token.content).find("!")
            if at >= 0:
                ctx.report("SOBC515", text, block.offset(at), where=text.where)


@rule("language", "SOBC512", "SOBC513")
def link_texts(ctx: Context) -> None:
    """Link texts read on their own (a screen reader lists them): 'klicka här' says nothing,
    an address is read out character by character; an address as text is no link at all."""
    for text in ctx.texts:
        starts = set()  # where each link's text starts: an address there is reported once
        for link in links(text):
            starts.add(link.offset + 1)
            words = plain_link_text(link.words)
            if words in ctx.rules.link_texts:
                source = ctx.rules.link_texts[words]
                ctx.report("SOBC512", text, link.offset, words=link.words.strip(), source=source)
            elif link.written_as_address or _ADDRESS.match(link.words.strip()):
                ctx.report(
                    "SOBC513", text, link.offset, address=link.words.strip(), how="the link's text"
                )
        for block in text.blocks:
            content = without_targets(block.token.content)
            for m in _ADDRESS.finditer(content):
                at = block.offset(m.start())
                if at not in starts:
                    address = m.group().rstrip(".,;:!?")
                    how = "written as text, which is no link"
                    ctx.report("SOBC513", text, at, address=address, how=how)


_ADDRESS = re.compile(r"(?<![\w/.@])(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
