"""Personal data in content, which is published to every patient: Swedish personal identity
numbers and coordination numbers, e-mail addresses and phone numbers. Contacts belong in the
fields made for them (the program's support contacts), which are not read here; a number or
address given there may be repeated in text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..model.program import Program
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


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if number.strip().startswith("+46") else digits


@dataclass(frozen=True)
class _Published:
    """The program's support contacts: a number or address given there may be repeated in text
    (it is a published contact, not someone's personal data)."""

    phones: frozenset[str]
    emails: frozenset[str]

    @classmethod
    def of(cls, program: Program) -> _Published:
        contacts = [c for s in program.support for c in s.contacts]
        return cls(
            frozenset(_digits(c.phone) for c in contacts if c.phone),
            frozenset(c.email.lower() for c in contacts if c.email),
        )

    def phone(self, number: str) -> bool:
        return _digits(number) in self.phones

    def email(self, address: str) -> bool:
        return address.lower() in self.emails


@rule("personal data", "SOBC530", "SOBC531", "SOBC532")
def personal_data(ctx: Context) -> None:
    published = _Published.of(ctx.program)
    for text in ctx.texts:
        for block in text.blocks:
            content = without_targets(block.token.content)
            _block(ctx, text, content, block.offset, published)
        for link in links(text):
            scheme, _, rest = link.href.partition(":")
            if scheme.lower() == "mailto" and not published.email(rest):
                ctx.report("SOBC531", text, link.offset, address=rest)
            elif scheme.lower() == "tel" and _is_phone(rest) and not published.phone(rest):
                ctx.report("SOBC532", text, link.offset, number=rest)


def _is_phone(number: str) -> bool:
    """Whether a `tel:` link's number is a phone number as text is read for one: a short
    service number (`tel:112`, `tel:1177`) is no one's personal data."""
    return _PHONE.fullmatch(number.strip()) is not None


def _block(
    ctx: Context,
    text: Text,
    content: str,
    offset: Callable[[int], int],
    published: _Published,
) -> None:
    taken: list[tuple[int, int]] = []
    for start, end, kind in identity_numbers(content):
        taken.append((start, end))
        ctx.report("SOBC530", text, offset(start), kind=kind)
    for m in _EMAIL.finditer(content):
        if not published.email(m.group()):
            ctx.report("SOBC531", text, offset(m.start()), address=m.group())
    for m in _PHONE.finditer(content):
        inside = any(s <= m.start() < e for s, e in taken)
        if not inside and not published.phone(m.group()):
            ctx.report("SOBC532", text, offset(m.start()), number=m.group())
