"""Charts over time (docs/authoring.md, Charts over time): a form's `charts` as the manifest
carries them, each with a Vega-Lite spec a runtime draws with its submissions as the named data
`scores`, and that spec drawn as SVG (vl-convert: Vega-Lite's own renderer, without a browser)
for `sobc simulate --charts` and the guide."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from ..kinds.scoring import total_range
from ..model.program import Chart, Form, Total
from ..model.shapes import Band

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"
VEGA_LITE_VERSION = "5.21"  # the library vl-convert draws with, named so the SVG stays the same
DATA = "scores"  # the named data a runtime fills: {at, value, band} per submission
INK = "#1b1b1b"  # text, axes and band edges
POINT = "#0b3d91"  # the line and its points: at least 3:1 on every band's shade
SHADES = ("#ffffff", "#e4ebf5", "#cbd9ec", "#b3c6e3", "#9fb7db")  # better → worse
WIDTH, HEIGHT = 560, 260
_VEGA_ROLES = re.compile(r' (?:role="graphics-[a-z-]+"|aria-roledescription="[^"]*")')


def axis(form: Form, chart: Chart, total: Total) -> tuple[int, int] | None:
    """The chart's axis: its min and max as written, else the ends of the total's range."""
    span = total_range(form, total)
    low = chart.min if chart.min is not None else span[0] if span else None
    high = chart.max if chart.max is not None else span[1] if span else None
    return None if low is None or high is None else (low, high)


def chart_data(form: Form, chart: Chart) -> dict[str, Any] | None:
    """The manifest's entry for a chart (None when its total or axis is unknown, which the
    checks report)."""
    total = (
        next((t for t in form.scoring.totals if t.id == chart.total), None)
        if form.scoring
        else None
    )
    ends = axis(form, chart, total) if total else None
    if total is None or ends is None:
        return None
    title = chart.title or total.title
    low, high = ends
    description = describe(title, total.title, low, high, total.bands, chart.worse)
    bands = [{"min": b.min, "max": b.max, "label": b.label} for b in total.bands]
    return {
        "form": form.id,
        "total": total.id,
        "title": title,
        "description": description,
        "note": chart.note,
        "worse": chart.worse,
        "min": low,
        "max": high,
        "bands": bands,
        "vega_lite": vega_lite(title, description, chart.worse, (low, high), total.bands),
    }


def describe(title: str, total: str, low: int, high: int, bands: Sequence[Band], worse: str) -> str:
    """The chart's description, for a screen reader and beside the chart."""
    words = "högre" if worse == "higher" else "lägre"
    text = f"{title}: {total} vid varje inskickat formulär, på en skala från {low} till {high}"
    if bands:
        parts = ", ".join(f"{b.label} {b.min}–{b.max}" for b in bands)
        text += f", mot intervallen {parts}"
    return f"{text}. Ett {words} värde är sämre."


def shades(bands: Sequence[Band], worse: str) -> list[str]:
    """Each band's shade, lighter for the better bands (the worse end darkest)."""
    n = len(bands)
    picked = [
        SHADES[round(i * (len(SHADES) - 1) / (n - 1))] if n > 1 else SHADES[0] for i in range(n)
    ]
    return picked if worse == "higher" else picked[::-1]


def vega_lite(
    title: str, description: str, worse: str, ends: tuple[int, int], bands: Sequence[Band]
) -> dict[str, Any]:
    """The chart as a Vega-Lite spec: each band a shaded area with its label and a dashed edge,
    the submissions (`datasets.scores`) a line of points over time."""
    low, high = ends
    scale = {"domain": [low, high], "nice": False, "zero": False}
    areas = [
        {
            "from": max(b.min - 0.5, low),
            "to": min(b.max + 0.5, high),
            "label": f"{b.label} ({b.min}–{b.max})",
            "shade": shade,
        }
        for b, shade in zip(bands, shades(bands, worse), strict=True)
    ]
    y = {"type": "quantitative", "scale": scale}
    layers: list[dict[str, Any]] = []
    if areas:
        layers += _band_layers(areas, y)
    layers.append(_points_layer(y, worse))
    return {
        "$schema": VEGA_LITE,
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": HEIGHT,
        "datasets": {DATA: []},
        "layer": layers,
        "config": {
            "aria": False,  # the whole chart is one image: its title, description and table
            "font": "sans-serif",
            "background": "#ffffff",
            "title": {"color": INK, "fontSize": 17, "anchor": "start"},
            "axis": {
                "labelColor": INK,
                "titleColor": INK,
                "domainColor": INK,
                "tickColor": INK,
                "labelFontSize": 13,
                "titleFontSize": 13,
            },
        },
    }


def _band_layers(areas: list[dict[str, Any]], y: dict[str, Any]) -> list[dict[str, Any]]:
    data = {"values": areas}
    return [
        {
            "data": data,
            "mark": {"type": "rect", "stroke": INK, "strokeWidth": 0.5, "strokeDash": [4, 3]},
            "encoding": {
                "y": {**y, "field": "from"},
                "y2": {"field": "to"},
                "fill": {"field": "shade", "type": "nominal", "scale": None, "legend": None},
            },
        },
        {
            "data": data,
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "top",
                "dx": 4,
                "dy": 3,
                "fontSize": 13,
            },
            "encoding": {
                "y": {**y, "field": "to"},
                "x": {"value": 0},
                "text": {"field": "label"},
                "color": {"value": INK},
            },
        },
    ]


def _points_layer(y: dict[str, Any], worse: str) -> dict[str, Any]:
    words = "högre är sämre" if worse == "higher" else "lägre är sämre"
    return {
        "data": {"name": DATA},
        "mark": {
            "type": "line",
            "color": POINT,
            "strokeWidth": 2,
            "point": {"filled": True, "size": 70, "color": POINT},
        },
        "encoding": {
            "x": {
                "field": "at",
                "type": "temporal",
                "title": "Datum",
                "scale": {"padding": 24},
                "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "tickCount": "week"},
            },
            "y": {**y, "field": "value", "title": f"Poäng ({words})"},
        },
    }


def with_scores(spec: dict[str, Any], rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The spec with the submissions' rows ({at, value, band}) as its `scores`."""
    filled = copy.deepcopy(spec)
    filled["datasets"] = {DATA: list(rows)}
    return filled


def svg(spec: dict[str, Any]) -> str:
    """The spec drawn as SVG by Vega-Lite's own renderer (it reads no file or address), one
    image to assistive technology: `role="img"`, its title and description."""
    import vl_convert  # a native library: loaded only when a chart is drawn

    drawn = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    drawn = _VEGA_ROLES.sub("", drawn)  # English roles of its parts: the chart is one image
    head, rest = drawn.split(">", 1)
    title, description = html.escape(spec["title"]), html.escape(spec["description"])
    return (
        f'{head} role="img" aria-label="{title}">'
        f"<title>{title}</title><desc>{description}</desc>{rest}"
    )


def example_rows(
    low: int, high: int, bands: Sequence[Band], worse: str, start: datetime
) -> list[dict[str, Any]]:
    """A small built-in timeline for the guide: five weekly submissions going from the worse
    end of the axis towards the better one."""
    steps = (0.8, 0.7, 0.55, 0.45, 0.3)
    rows = []
    for week, share in enumerate(steps):
        at_worse = share if worse == "higher" else 1 - share
        value = round(low + at_worse * (high - low))
        rows.append(
            {
                "at": (start + timedelta(weeks=week)).isoformat(timespec="minutes"),
                "value": value,
                "band": next((b.label for b in bands if b.min <= value <= b.max), None),
            }
        )
    return rows
