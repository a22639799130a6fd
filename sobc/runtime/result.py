"""What the reference engine decides for a timeline, and how `sobc simulate` writes it: as the
versioned JSON document docs/authoring.md describes ("Simulating a program"), or as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from .clock import written
from .scores import TotalResult

SIMULATION_VERSION = 1


@dataclass(frozen=True)
class Raised:
    flag: str
    trigger: str
    recipient: str
    at: datetime
    module: str | None = None  # module_ends: the module whose end is near


@dataclass
class DueDate:
    plan: str
    date: date
    opens: datetime  # the due period's start: the due time, or the plan's activation
    submitted: datetime | None = None  # the first submission that counts for it
    missed: datetime | None = None  # when the miss became known
    cut_short: datetime | None = None  # the plan or the program ended inside the period


@dataclass(frozen=True)
class ScoreResult:
    form: str
    at: datetime
    items: dict[str, int | None]
    totals: tuple[TotalResult, ...]


@dataclass(frozen=True)
class ComputedResult:
    form: str
    at: datetime
    values: dict[str, Fraction | None]  # each computed value, rounded; None: missing


@dataclass(frozen=True)
class WayOn:
    """Where the flow leads when a module is marked done: the modules of its next that hold,
    or the program's end when none does and the module says so."""

    module: str
    at: datetime
    next: tuple[str, ...]
    end: bool


@dataclass(frozen=True)
class Refusal:
    event: int  # the event's index in the timeline
    at: datetime
    reason: str


@dataclass(frozen=True)
class Day:
    date: date
    day: int
    modules: tuple[tuple[str, str], ...]  # (module id, "started" or "done"), in program order
    choices: tuple[str, ...]  # the patient's module choices offered
    due: tuple[str, ...]  # the plans with a due date this day


@dataclass(frozen=True)
class ChartPoint:
    at: datetime
    value: int
    band: str | None


@dataclass(frozen=True)
class ChartPoints:
    """What a chart of the program plots: each submission of its form that gave its total."""

    form: str
    total: str
    points: tuple[ChartPoint, ...]


def chart_points(form: str, total: str, scores: list[ScoreResult]) -> ChartPoints:
    points = [
        ChartPoint(s.at, t.value, t.band)
        for s in scores
        if s.form == form
        for t in s.totals
        if t.id == total and t.value is not None
    ]
    return ChartPoints(form, total, tuple(points))


def chart_rows(chart: ChartPoints) -> list[dict[str, Any]]:
    """A chart's points as its rows: the output's, and the Vega-Lite spec's `scores`."""
    return [{"at": written(p.at), "value": p.value, "band": p.band} for p in chart.points]


@dataclass
class Result:
    program: str
    format_version: int
    start: datetime
    end: tuple[datetime, str] | None = None  # when and how the program ended
    flags: list[Raised] = field(default_factory=list)
    due: list[DueDate] = field(default_factory=list)
    scores: list[ScoreResult] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    ways_on: list[WayOn] = field(default_factory=list)
    computed: list[ComputedResult] = field(default_factory=list)
    charts: list[ChartPoints] = field(default_factory=list)  # one per chart of the program


def _when(instant: datetime | None) -> str | None:
    return written(instant) if instant is not None else None


def _due(d: DueDate) -> dict[str, Any]:
    return {
        "plan": d.plan,
        "date": d.date.isoformat(),
        "opens": written(d.opens),
        "submitted": _when(d.submitted),
        "missed": _when(d.missed),
        "cut_short": _when(d.cut_short),
    }


def _score(s: ScoreResult) -> dict[str, Any]:
    totals = [{"id": t.id, "value": t.value, "band": t.band} for t in s.totals]
    return {"form": s.form, "at": written(s.at), "items": s.items, "totals": totals}


def _day(d: Day) -> dict[str, Any]:
    modules = [{"module": m, "status": s} for m, s in d.modules]
    return {
        "date": d.date.isoformat(),
        "day": d.day,
        "modules": modules,
        "choices": list(d.choices),
        "due": list(d.due),
    }


def as_json(result: Result) -> dict[str, Any]:
    """The simulation as the JSON document of version SIMULATION_VERSION."""
    end = {"at": written(result.end[0]), "by": result.end[1]} if result.end else None
    return {
        "simulation_version": SIMULATION_VERSION,
        "format_version": result.format_version,
        "program": result.program,
        "start": written(result.start),
        "end": end,
        "flags": [
            {
                "flag": f.flag,
                "trigger": f.trigger,
                "recipient": f.recipient,
                "at": written(f.at),
                "module": f.module,
            }
            for f in result.flags
        ],
        "due": [_due(d) for d in result.due],
        "scores": [_score(s) for s in result.scores],
        "refused": [
            {"event": r.event, "at": written(r.at), "reason": r.reason} for r in result.refused
        ],
        "days": [_day(d) for d in result.days],
        "computed": [
            {
                "form": c.form,
                "at": written(c.at),
                "values": {k: _number(v) for k, v in c.values.items()},
            }
            for c in result.computed
        ],
        "ways_on": [
            {"module": w.module, "at": written(w.at), "next": list(w.next), "end": w.end}
            for w in result.ways_on
        ],
        "charts": [
            {"form": c.form, "total": c.total, "points": chart_rows(c)} for c in result.charts
        ],
    }


def as_text(result: Result) -> str:
    """The simulation for people: one line per happening, in order of time, then the days."""
    lines: list[tuple[datetime, str]] = [(result.start, f"{result.program}: program started")]
    lines += [(f.at, f"flag {f.flag} ({f.trigger}) to the {f.recipient}") for f in result.flags]
    for d in result.due:
        lines.append((d.opens, f"plan {d.plan}: due date {d.date} opens"))
        if d.missed:
            lines.append((d.missed, f"plan {d.plan}: due date {d.date} missed"))
    for s in result.scores:
        shown = ", ".join(
            f"{t.id} {t.value}" + (f" ({t.band})" if t.band else "") for t in s.totals
        )
        lines.append((s.at, f"form {s.form} scored: {shown}"))
    lines += [(r.at, f"event {r.event} refused: {r.reason}") for r in result.refused]
    lines += [(w.at, f"module {w.module} done: {_way(w)}") for w in result.ways_on]
    for c in result.computed:
        shown = ", ".join(
            f"{k} {_number(v) if v is not None else 'missing'}" for k, v in c.values.items()
        )
        lines.append((c.at, f"form {c.form} computed: {shown}"))
    if result.end:
        lines.append((result.end[0], f"program ended ({result.end[1]})"))
    out = [f"{written(at)}  {text}" for at, text in sorted(lines, key=lambda line: line[0])]
    runs: list[tuple[Day, Day, str]] = []  # days in a row that show the same
    for day in result.days:
        shown = _seen(day)
        if runs and runs[-1][2] == shown:
            runs[-1] = (runs[-1][0], day, shown)
        else:
            runs.append((day, day, shown))
    for first, last, shown in runs:
        when = f"day {first.day} ({first.date})"
        if last is not first:
            when = f"days {first.day}–{last.day} ({first.date} – {last.date})"
        out.append(f"{when}: {shown}")
    return "\n".join(out) + "\n"


def _seen(day: Day) -> str:
    """What the patient sees on `day`, in words."""
    modules = ", ".join(m + (" (done)" if s == "done" else "") for m, s in day.modules)
    extra = "".join(f"; choose: {c}" for c in day.choices)
    extra += f"; due: {', '.join(day.due)}" if day.due else ""
    return f"{modules or 'no module'}{extra}"


def _way(way: WayOn) -> str:
    if way.next:
        return "next " + ", ".join(way.next)
    return "the program ends after it" if way.end else "no module of next holds"


def _number(value: Fraction | None) -> int | float | None:
    """A rounded value as JSON writes it: a whole number as an integer."""
    if value is None:
        return None
    return value.numerator if value.denominator == 1 else float(value)
