"""A region's theme: sobc's default colours, the WCAG 2.1 contrast of every pair of colours that
meet on a page (the rule SOBC380), and the small style sheet that carries a program's colours to
its pages.

The style sheet (`design/`, compiled into `render/assets/sobc.css`) reads each colour from a CSS
custom property with sobc's default as the fallback, so a theme is only `:root { --sobc-…: … }`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.program import Program, Theme
from .reporter import Reporter

# The same values as design/scss/_theme.scss (a test keeps the two alike).
DEFAULTS = {
    "brand": "#1f4e79",
    "brand_text": "#ffffff",
    "text": "#1d2329",
    "page": "#f3f5f6",
    "link": "#1a5c99",
    "link_visited": "#5b2a86",
}
WHITE = "#ffffff"  # cards, forms and tables stand on white whatever the theme
TEXT_MINIMUM = 4.5  # WCAG 2.1 1.4.3, normal text
UI_MINIMUM = 3.0  # WCAG 2.1 1.4.11, the edge of a component against what is around it


@dataclass(frozen=True)
class Pair:
    """Two colours that meet on a page: `fore` on `back`, each a colour key or 'white'."""

    fore: str
    back: str
    minimum: float
    where: str  # for the message: where the pair meets


PAIRS = (
    Pair("text", "page", TEXT_MINIMUM, "body text on the page"),
    Pair("text", "white", TEXT_MINIMUM, "body text on cards and forms"),
    Pair("link", "page", TEXT_MINIMUM, "links on the page"),
    Pair("link", "white", TEXT_MINIMUM, "links on cards and forms"),
    Pair("link_visited", "page", TEXT_MINIMUM, "visited links on the page"),
    Pair("link_visited", "white", TEXT_MINIMUM, "visited links on cards and forms"),
    Pair("brand_text", "brand", TEXT_MINIMUM, "the header and primary buttons"),
    Pair("brand", "white", TEXT_MINIMUM, "secondary buttons and a chosen scale value"),
    Pair("brand", "page", UI_MINIMUM, "the edge of a primary button on the page"),
)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(one: str, other: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours, from 1 to 21."""
    hi, lo = sorted((luminance(one), luminance(other)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def colours(theme: Theme | None) -> dict[str, str]:
    """Every theme colour: the theme's own, else sobc's default."""
    given = dict(theme.colours) if theme else {}
    return {key: given.get(key, default).lower() for key, default in DEFAULTS.items()}


@dataclass(frozen=True)
class Shortfall:
    pair: Pair
    fore: str
    back: str
    ratio: float
    key: str  # the theme's own colour to point at: the foreground when the theme sets it


def shortfalls(theme: Theme) -> list[Shortfall]:
    """Each pair of the theme's colours that does not meet WCAG 2.1 AA; pairs of two defaults
    are never reported (sobc's own pass)."""
    own = dict(theme.colours)
    every = colours(theme)
    found = []
    for pair in PAIRS:
        keys = [k for k in (pair.fore, pair.back) if k in own]
        if not keys:
            continue
        fore, back = (every.get(k, WHITE) for k in (pair.fore, pair.back))
        ratio = contrast(fore, back)
        if ratio < pair.minimum:
            found.append(Shortfall(pair, fore, back, ratio, keys[0]))
    return found


def _shade(colour: str, amount: float) -> str:
    """The colour mixed with black (NHS.UK frontend's shade: hover and shadow of a button)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in (r, g, b))


def stylesheet(theme: Theme | None) -> bytes | None:
    """The custom properties carrying a theme's colours, or None when it sets none."""
    if theme is None or not theme.colours:
        return None
    every = colours(theme)
    props = {f"--sobc-{key.replace('_', '-')}": value for key, value in every.items()}
    props["--sobc-brand-dark"] = _shade(every["brand"], 0.5)
    props["--sobc-brand-hover"] = _shade(every["brand"], 0.2)
    body = "".join(f"{name}:{value};" for name, value in props.items())
    return f"/* the program's theme (program.yaml) */\n:root{{{body}}}\n".encode()


def theme_contrast(program: Program, report: Reporter) -> None:
    if program.theme is not None:
        contrast_of(program.theme, report)


def contrast_of(theme: Theme, report: Reporter) -> None:
    """Every pair of colours that meet on a page, with the theme's own colours, must meet
    WCAG 2.1 AA: a region's brand colour cannot make its header or links unreadable."""
    for s in shortfalls(theme):
        report(
            "SOBC380",
            theme.ref,
            "colours",
            s.key,
            fore_key=s.pair.fore,
            fore=s.fore,
            back_key=s.pair.back,
            back=s.back,
            where=s.pair.where,
            ratio=f"{s.ratio:.2f}",
            minimum=f"{s.pair.minimum:g}",
            key=s.key,
        )
