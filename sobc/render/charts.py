"""A form's charts as the guide shows them: the definition (what is followed, the axis, the
bands, which way is worse, the clinician's note) and an example drawn from a small built-in
timeline, with its points as a table: what a runtime will show the clinician."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import Markup

from ..model.program import Form
from ..runtime.charts import chart_data, example_rows, svg, with_scores

EXAMPLE_START = datetime(2026, 1, 5, 9, 0)  # a Monday: the built-in timeline's first submission
WORSE = {"higher": "Ett högre värde är sämre.", "lower": "Ett lägre värde är sämre."}


def guide_charts(form: Form) -> list[dict[str, Any]]:
    """Each chart of the form that can be drawn (the checks report the others)."""
    charts = []
    for chart in form.charts:
        data = chart_data(form, chart)
        if data is None:
            continue
        total = (
            next(t for t in form.scoring.totals if t.id == chart.total) if form.scoring else None
        )
        bands = total.bands if total else ()
        rows = example_rows(data["min"], data["max"], bands, chart.worse, EXAMPLE_START)
        drawn = svg(with_scores(data["vega_lite"], rows))
        charts.append(
            {
                "id": f"{form.id}-{chart.total}",
                "title": data["title"],
                "total": total.title if total else chart.total,
                "description": data["description"],
                "note": data["note"],
                "worse": WORSE[chart.worse],
                "range": f"{data['min']}–{data['max']}",
                "bands": data["bands"],
                "svg": Markup(drawn),  # Vega escapes every text it draws (tests/test_guide.py)
                "rows": [{**r, "date": r["at"][:10]} for r in rows],
            }
        )
    return charts
