"""Charts over time: each follows a total of its form, its axis holds the total's bands, and its
form is collected more than once (a plan, a standalone form, two steps), else the chart would
show one point."""

from __future__ import annotations

from ..kinds.scoring import total_range
from ..model.program import Chart, Form, Program, Total
from ..runtime.charts import axis
from .reporter import Reporter, report_duplicates, suggest


def charts(program: Program, report: Reporter) -> None:
    """Every chart names a total of its form once, and its axis leaves no band out; a form with
    a chart is collected by an activity plan or in more than one step."""
    for form in program.forms:
        if not form.charts:
            continue
        totals = {t.id: t for t in form.scoring.totals} if form.scoring else {}
        report_duplicates(report, "chart", ((c.total, c.ref, ("total",)) for c in form.charts))
        for chart in form.charts:
            total = totals.get(chart.total)
            if total is None:
                _unknown_total(form, chart, totals, report)
            else:
                _axis(form, chart, total, report)
        if not program.unreadable_modules and (problem := _collected_once(program, form)):
            report("SOBC348", form.ref, "charts", on_key=True, form=form.id, problem=problem)


def _unknown_total(form: Form, chart: Chart, totals: dict[str, Total], report: Reporter) -> None:
    problem = "its scoring does not have" if totals else "it cannot have: it has no scoring"
    report(
        "SOBC338",
        chart.ref,
        "total",
        form=form.id,
        total=chart.total,
        problem=problem,
        suggestion=suggest(chart.total, totals) or "name a total of the form's scoring",
    )


def _axis(form: Form, chart: Chart, total: Total, report: Reporter) -> None:
    ends = axis(form, chart, total)
    if ends is None:
        return
    low, high = ends
    span = total_range(form, total)
    needed = [(b.min, b.max, f"the band '{b.label}' ({b.min} to {b.max})") for b in total.bands]
    if not needed and span:
        needed = [(span[0], span[1], f"totals the form can give ({span[0]} to {span[1]})")]
    for lo, hi, what in needed:
        # an end left out is the total's range, whose bands are SOBC335's to check
        below = chart.min is not None and (lo < low or low >= high)
        above = chart.max is not None and (hi > high or low >= high)
        if below or above:
            at = "min" if below else "max"
            need_low = min(b[0] for b in needed)
            need_high = max(b[1] for b in needed)
            report(
                "SOBC339",
                chart.ref,
                at,
                total=total.id,
                low=low,
                high=high,
                what=what,
                need_low=need_low,
                need_high=need_high,
            )
            if low >= high:
                return  # an empty axis holds no band: said once


def _collected_once(program: Program, form: Form) -> str | None:
    if any(p.form == form.id for p in program.activity_plans):
        return None
    if any(form.id in m.standalone_forms for m in program.modules):
        return None  # filled in at any time, as often as the patient wants
    steps = sum(form.id in s.forms for m in program.modules for s in m.steps)
    if steps > 1:
        return None
    return "no activity plan or standalone form collects it and " + (
        "it is in one step only" if steps else "no step has it"
    )
