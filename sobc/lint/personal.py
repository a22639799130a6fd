"""Personal data in content, which is published to every patient: Swedish personal identity
numbers and coordination numbers, e-mail addresses and phone numbers. Contacts belong in the
fields made for them (the program's support contacts), which are not read here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .registry import Context, rule
from .texts import Text, links, without_targets

# YYMMDD or YYYYMMDD, a separator or none ('+' for the over-hundreds), four digits.
_ID_NUMBER = re.compile(r"(?<![\d+-])(?:19|20)?(\d{6})([-+ ]?)(\d{4})(?![\d-])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
# A Swedish number: 0 or +46 and the area code, then the rest in groups; 8–10 digits in all.
# Short service numbers (112, 1177, 113 13) are no one's personal data and are not matched.
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?\d{1,3}\)?(?:[\s-]?\d){5,8}(?![\d])")


def luhn(digits: str) -> bool:
    """The check digit of a personal identity number: Luhn over its ten digits."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def identity_number(date: str, serial: str) -> str | None:
    """'personnummer', 'samordningsnummer' (day + 60) or None, for YYMMDD and NNNN."""
    month, day = int(date[2:4]), int(date[4:6])
    if not 1 <= month <= 12 or not luhn(date + serial):
        return None
    if 1 <= day <= 31:
        return "personnummer"
    if 61 <= day <= 91:
        return "samordningsnummer"
    return None


def identity_numbers(words: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each valid number in the text."""
    for m in _ID_NUMBER.finditer(words):
        kind = identity_number(m.group(1), m.group(3))
        if kind:
            yield m.start(), m.end(), kind


@rule("personal data", "SOBC530", "SOBC531", "SOBC532")
def personal_data(ctx: Context) -> None:
    for text in ctx.texts:
        for block in text.blocks:
            _block(ctx, text, without_targets(block.token.content), block.offset)
        for link in links(text):
            scheme, _, rest = link.href.partition(":")
            if scheme.lower() == "mailto":
                ctx.report("SOBC531", text, link.offset, address=rest)
            elif scheme.lower() == "tel":
                ctx.report("SOBC532", text, link.offset, number=rest)


def _block(ctx: Context, text: Text, content: str, offset: Callable[[int], int]) -> None:
    taken: list[tuple[int, int]] = []
    for start, end, kind in identity_numbers(content):
        taken.append((start, end))
        ctx.report("SOBC530", text, offset(start), kind=kind)
    for m in _EMAIL.finditer(content):
        ctx.report("SOBC531", text, offset(m.start()), address=m.group())
    for m in _PHONE.finditer(content):
        if not any(s <= m.start() < e for s, e in taken):
            ctx.report("SOBC532", text, offset(m.start()), number=m.group())
